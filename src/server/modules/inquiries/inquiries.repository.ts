// SQL of the single entry point and the home pages. Every list is one statement with a keyset.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;
const uuidArray = (ids: string[]) => sql`${ids}::uuid[]`;

export interface ProgrammeRow {
  id: string;
  organisation_id: string;
  region_id: string | null;
  region_name: string | null;
  own_name: string | null;
}

/** The programme and its psychiatry partner (the region organisation in the programme other than the asker's). */
export async function programmeWithRegion(db: Q, programmeId: string, askingOrganisationId: string): Promise<ProgrammeRow | undefined> {
  const { rows } = await sql<ProgrammeRow>`
    select p.id, p.organisation_id, r.id as region_id, r.name as region_name,
           (select name from organisations where id = ${askingOrganisationId}) as own_name
      from programmes p
      left join lateral (
        select o.id, o.name from programme_partners pp join organisations o on o.id = pp.organisation_id
         where pp.programme_id = p.id and o.kind = 'region' and o.id <> ${askingOrganisationId}
         order by pp.role = 'lead' desc, o.id limit 1) r on true
     where p.id = ${programmeId}`.execute(db);
  return rows[0];
}

export async function citizenHash(db: Q, citizenId: string) {
  return db.selectFrom('citizens').select(['cpr_hash', 'first_name', 'last_name']).where('id', '=', citizenId).executeTakeFirst();
}

export interface InquiryRow {
  id: string;
  organisation_id: string;
  recipient_organisation_id: string;
  programme_id: string;
  kind: 'named' | 'anonymous' | 'general';
  citizen_id: string | null;
  consent_ids: string[];
  subject: string;
  status: 'new' | 'in_progress' | 'answered' | 'closed';
  asked_by: string;
  asked_at: Date;
  assigned_to: string | null;
  first_answer_at: Date | null;
  closed_at: Date | null;
  version: number;
  asking_organisation_name: string;
  recipient_organisation_name: string;
  asked_by_name: string;
  assigned_to_name: string | null;
  citizen_first_name: string | null;
  citizen_last_name: string | null;
  message_count: number;
  last_message_at: Date;
  /** The keyset value at full (microsecond) precision: a JavaScript date would round it to milliseconds. */
  asked_at_key: string;
}

const SUMMARY = sql`
  i.id, i.organisation_id, i.recipient_organisation_id, i.programme_id, i.kind, i.citizen_id, i.consent_ids, i.subject, i.status,
  i.asked_by, i.asked_at, i.assigned_to, i.first_answer_at, i.closed_at, i.version,
  ao.name as asking_organisation_name, ro.name as recipient_organisation_name, au.name as asked_by_name, su.name as assigned_to_name,
  c.first_name as citizen_first_name, c.last_name as citizen_last_name,
  m.message_count, m.last_message_at,
  to_char(i.asked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as asked_at_key`;
const JOINS = sql`
  join organisations ao on ao.id = i.organisation_id
  join organisations ro on ro.id = i.recipient_organisation_id
  join users au on au.id = i.asked_by
  left join users su on su.id = i.assigned_to
  left join citizens c on c.id = i.citizen_id
  cross join lateral (select count(*)::int as message_count, coalesce(max(created_at), i.asked_at) as last_message_at
                        from inquiry_messages where inquiry_id = i.id) m`;

export type InquiryDetailRow = InquiryRow & { region_citizen_id: string | null; asker_roles: string[] | null };

/** One inquiry with the names the page shows, the region's record of a named person and the asker's roles in the programme. */
export async function inquiry(db: Q, id: string, forUpdate = false): Promise<InquiryDetailRow | undefined> {
  const { rows } = await sql<InquiryDetailRow>`
    select ${SUMMARY},
           (select rc.id from citizens rc where rc.organisation_id = i.recipient_organisation_id and rc.cpr_hash = c.cpr_hash
             order by rc.created_at, rc.id limit 1) as region_citizen_id,
           (select array_agg(ur.role order by ur.role) from user_roles ur where ur.user_id = i.asked_by and ur.programme_id = i.programme_id) as asker_roles
      from inquiries i ${JOINS}
     where i.id = ${id}${forUpdate ? sql` for update of i` : sql``}`.execute(db);
  return rows[0];
}

export interface MessageRow {
  id: string;
  organisation_id: string;
  author_name: string;
  organisation_name: string;
  body: string;
  health_information: boolean;
  disclosure_id: string | null;
  created_at: Date;
}

export async function messages(db: Q, inquiryId: string): Promise<MessageRow[]> {
  const { rows } = await sql<MessageRow>`
    select m.id, m.organisation_id, u.name as author_name, o.name as organisation_name, m.body, m.health_information, m.disclosure_id, m.created_at
      from inquiry_messages m join users u on u.id = m.author_id join organisations o on o.id = m.organisation_id
     where m.inquiry_id = ${inquiryId}
     order by m.created_at, m.id`.execute(db);
  return rows;
}

export interface NewInquiry {
  organisationId: string;
  recipientOrganisationId: string;
  programmeId: string;
  kind: 'named' | 'anonymous' | 'general';
  citizenId: string | null;
  consentIds: string[];
  subject: string;
  body: string;
  askedBy: string;
}

/** The inquiry and its first message in one statement. */
export async function insertInquiry(db: Q, n: NewInquiry): Promise<{ id: string; asked_at: Date }> {
  const { rows } = await sql<{ id: string; asked_at: Date }>`
    with i as (
      insert into inquiries (organisation_id, recipient_organisation_id, programme_id, kind, citizen_id, consent_ids, subject, status, asked_by)
      values (${n.organisationId}, ${n.recipientOrganisationId}, ${n.programmeId}, ${n.kind}, ${n.citizenId}, ${uuidArray(n.consentIds)}, ${n.subject}, 'new', ${n.askedBy})
      returning id, asked_at)
    , m as (
      insert into inquiry_messages (inquiry_id, organisation_id, author_id, body, created_at)
      select id, ${n.organisationId}, ${n.askedBy}, ${n.body}, asked_at from i returning id)
    select i.id, i.asked_at from i, m`.execute(db);
  return rows[0]!;
}

/** A message and the inquiry's new state in one statement. */
export async function addMessage(
  db: Q,
  m: { inquiryId: string; organisationId: string; authorId: string; body: string; healthInformation: boolean; disclosureId: string | null },
  change: { status: string; assignTo: string | null; firstAnswer: boolean },
): Promise<void> {
  await sql`
    with m as (
      insert into inquiry_messages (inquiry_id, organisation_id, author_id, body, health_information, disclosure_id)
      values (${m.inquiryId}, ${m.organisationId}, ${m.authorId}, ${m.body}, ${m.healthInformation}, ${m.disclosureId}) returning created_at)
    update inquiries set status = ${change.status},
           assigned_to = coalesce(assigned_to, ${change.assignTo}::uuid),
           first_answer_at = case when ${change.firstAnswer} then coalesce(first_answer_at, (select created_at from m)) else first_answer_at end,
           version = version + 1
     where id = ${m.inquiryId}`.execute(db);
}

export async function setStatus(db: Q, id: string, status: 'in_progress' | 'closed', assignTo: string | null): Promise<void> {
  await sql`
    update inquiries set status = ${status},
           assigned_to = case when ${assignTo}::uuid is null then assigned_to else ${assignTo}::uuid end,
           closed_at = case when ${status} = 'closed' then now() else null end,
           version = version + 1
     where id = ${id}`.execute(db);
}

export interface ListCursor {
  at: string;
  id: string;
}

/** The receiving organisation's queue in the liaison's programmes, oldest waiting first. */
export async function queue(db: Q, organisationId: string, programmeIds: string[], statuses: string[], after: ListCursor | undefined, limit: number): Promise<InquiryRow[]> {
  const { rows } = await sql<InquiryRow>`
    select ${SUMMARY} from inquiries i ${JOINS}
     where i.recipient_organisation_id = ${organisationId} and i.programme_id = any(${uuidArray(programmeIds)})
       and i.status = any(${statuses}::text[])
       ${after ? sql`and (i.asked_at, i.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
     order by i.asked_at, i.id
     limit ${limit + 1}`.execute(db);
  return rows;
}

/** The inquiries one member of staff asked, newest first. */
export async function askedBy(db: Q, organisationId: string, userId: string, after: ListCursor | undefined, limit: number): Promise<InquiryRow[]> {
  const { rows } = await sql<InquiryRow>`
    select ${SUMMARY} from inquiries i ${JOINS}
     where i.organisation_id = ${organisationId} and i.asked_by = ${userId}
       ${after ? sql`and (i.asked_at, i.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
     order by i.asked_at desc, i.id desc
     limit ${limit + 1}`.execute(db);
  return rows;
}

export async function queueCounts(db: Q, organisationId: string, programmeIds: string[]): Promise<{ status: string; n: number }[]> {
  const { rows } = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from inquiries
     where recipient_organisation_id = ${organisationId} and programme_id = any(${uuidArray(programmeIds)})
     group by status`.execute(db);
  return rows;
}

/**
 * Time to first answer per month of the first answer (Copenhagen time), in hours: the median and the 90th
 * percentile (continuous percentiles, as PostgreSQL computes them on both engines).
 */
export async function responseTimes(db: Q, organisationId: string, programmeIds: string[], fromMonth: string): Promise<{ month: string; answered: number; median: number | null; p90: number | null }[]> {
  const { rows } = await sql<{ month: string; answered: number; median: number | string | null; p90: number | string | null }>`
    select to_char(date_trunc('month', first_answer_at at time zone 'Europe/Copenhagen'), 'YYYY-MM') as month,
           count(*)::int as answered,
           percentile_cont(0.5) within group (order by extract(epoch from first_answer_at - asked_at)) / 3600.0 as median,
           percentile_cont(0.9) within group (order by extract(epoch from first_answer_at - asked_at)) / 3600.0 as p90
      from inquiries
     where recipient_organisation_id = ${organisationId} and programme_id = any(${uuidArray(programmeIds)})
       and first_answer_at is not null
       and first_answer_at >= (${fromMonth}::date)::timestamp at time zone 'Europe/Copenhagen'
     group by 1 order by 1`.execute(db);
  return rows.map((r) => ({ month: r.month, answered: r.answered, median: r.median === null ? null : Number(r.median), p90: r.p90 === null ? null : Number(r.p90) }));
}

/** The region's patients in the programmes (not ended) without any knowledge transfer: the count and the longest-waiting few. */
export async function knowledgeTransfersToWrite(db: Q, organisationId: string, programmeIds: string[], limit: number) {
  const { rows } = await sql<{ citizen_id: string; first_name: string; last_name: string; start_date: string; total: number }>`
    select c.id as citizen_id, c.first_name, c.last_name, min(e.start_date)::text as start_date, count(*) over ()::int as total
      from enrolments e join citizens c on c.id = e.citizen_id
     where e.organisation_id = ${organisationId} and e.programme_id = any(${uuidArray(programmeIds)}) and e.status <> 'ended'
       and not exists (select 1 from knowledge_transfers k where k.citizen_id = c.id)
     group by c.id, c.first_name, c.last_name
     order by min(e.start_date), c.id
     limit ${limit}`.execute(db);
  return rows;
}

/** Valid consents (not withdrawn, not replaced) that end within `days`, where the region gives or receives, for its own records. */
export async function expiringConsents(db: Q, organisationId: string, programmeIds: string[], today: string, until: string) {
  const { rows } = await sql<{ id: string; instrument: 'sdl_43' | 'rsl_11a' | 'fvl_28'; source_organisation_id: string; citizen_id: string; first_name: string; last_name: string; valid_to: string }>`
    select k.id, k.instrument, k.source_organisation_id, rc.id as citizen_id, rc.first_name, rc.last_name, k.valid_to::text as valid_to
      from consents k
      join lateral (select c.id, c.first_name, c.last_name from citizens c
                     where c.organisation_id = ${organisationId} and c.cpr_hash = k.person_hash order by c.created_at, c.id limit 1) rc on true
     where (k.source_organisation_id = ${organisationId} or k.recipient_organisation_id = ${organisationId})
       and k.programme_id = any(${uuidArray(programmeIds)})
       and k.withdrawn_at is null and k.superseded_at is null
       and k.valid_from <= ${today} and k.valid_to >= ${today} and k.valid_to <= ${until}
     order by k.valid_to, k.id
     limit 20`.execute(db);
  return rows;
}

export async function openTasks(db: Q, organisationId: string, limit: number) {
  const { rows } = await sql<{ id: string; kind: string; citizen_id: string | null; first_name: string | null; last_name: string | null; created_at: Date }>`
    select t.id, t.kind, t.citizen_id, c.first_name, c.last_name, t.created_at
      from crossing_tasks t left join citizens c on c.id = t.citizen_id
     where t.organisation_id = ${organisationId} and t.status = 'open'
     order by t.created_at, t.id
     limit ${limit}`.execute(db);
  return rows;
}

export interface PatientCursor {
  l: string;
  f: string;
  id: string;
}

/**
 * The region's records of patients in the clinician's programmes, only where a valid fvl_28 consent names the
 * region as recipient (the list reveals a municipal enrolment), by name.
 */
export async function clinicianPatients(db: Q, organisationId: string, programmeIds: string[], today: string, after: PatientCursor | undefined, limit: number) {
  const { rows } = await sql<{ citizen_id: string; first_name: string; last_name: string; programme_id: string; programme_name: string; start_date: string; status: string; consent_valid_to: string }>`
    select c.id as citizen_id, c.first_name, c.last_name, e.programme_id, p.name as programme_name, e.start_date::text as start_date, e.status,
           k.valid_to::text as consent_valid_to
      from citizens c
      join lateral (select e.programme_id, e.start_date, e.status from enrolments e
                     where e.citizen_id = c.id and e.organisation_id = ${organisationId} and e.programme_id = any(${uuidArray(programmeIds)}) and e.status <> 'ended'
                     order by e.start_date desc, e.id limit 1) e on true
      join programmes p on p.id = e.programme_id
      join lateral (select max(k.valid_to) as valid_to from consents k
                     where k.person_hash = c.cpr_hash and k.instrument = 'fvl_28' and k.recipient_organisation_id = ${organisationId}
                       and k.withdrawn_at is null and k.superseded_at is null and k.valid_from <= ${today} and k.valid_to >= ${today}) k on k.valid_to is not null
     where c.organisation_id = ${organisationId}
       ${after ? sql`and (c.last_name, c.first_name, c.id) > (${after.l}, ${after.f}, ${after.id}::uuid)` : sql``}
     order by c.last_name, c.first_name, c.id
     limit ${limit + 1}`.execute(db);
  return rows;
}
