// Statements of the consultations module (region: consultations and their items; municipality: note duties).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type TimeCursor = { at: string; id: string };

/** The programme, whether the caller's organisation is its region partner, and the named municipality if it is a municipal partner. */
export async function programmeAndMunicipality(db: Q, programmeId: string, ownOrganisationId: string, municipalityId: string) {
  const { rows } = await sql<{ id: string; own_is_region: boolean; municipality_name: string | null }>`
    select p.id,
           exists (select 1 from programme_partners pp join organisations o on o.id = pp.organisation_id
                    where pp.programme_id = p.id and pp.organisation_id = ${ownOrganisationId} and o.kind = 'region') as own_is_region,
           (select o.name from programme_partners pp join organisations o on o.id = pp.organisation_id
             where pp.programme_id = p.id and pp.organisation_id = ${municipalityId} and o.kind = 'municipality') as municipality_name
      from programmes p where p.id = ${programmeId}`.execute(db);
  return rows[0];
}

/** Municipal staff with a case role in the programme, with their roles there. */
export async function municipalStaff(db: Q, organisationId: string, programmeId: string, userIds: string[], caseRoles: readonly string[]) {
  if (userIds.length === 0) return [];
  const { rows } = await sql<{ id: string; name: string; roles: string[] }>`
    select u.id, u.name, array_agg(distinct ur.role order by ur.role) as roles
      from users u join user_roles ur on ur.user_id = u.id
     where u.id = any(${userIds}::uuid[]) and u.organisation_id = ${organisationId} and ur.organisation_id = ${organisationId}
       and ur.programme_id = ${programmeId} and ur.role = any(${[...caseRoles]}::text[])
     group by u.id, u.name`.execute(db);
  return rows;
}

export interface ConsultationRow {
  id: string;
  organisation_id: string;
  programme_id: string;
  municipality_id: string;
  municipality_name: string;
  kind: 'network_meeting' | 'case_conference' | 'anonymous';
  held_at: Date;
  place: string | null;
  participant_ids: string[];
  participants: { id: string; name: string }[];
  other_participants: string | null;
  status: 'open' | 'stopped_recognised';
  recognised_at: Date | null;
  created_by_name: string;
  version: number;
  item_count: number;
  named_count: number;
  /** The keyset position at full precision. */
  key: string;
}

const CONSULTATION_SELECT = sql`
  select k.id, k.organisation_id, k.programme_id, k.municipality_id, m.name as municipality_name, k.kind, k.held_at, k.place,
         k.participant_ids,
         coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name, u.id) from users u where u.id = any(k.participant_ids)), '[]'::json) as participants,
         k.other_participants, k.status, k.recognised_at, cb.name as created_by_name, k.version,
         (select count(*)::int from consultation_items i where i.consultation_id = k.id) as item_count,
         (select count(*)::int from consultation_items i where i.consultation_id = k.id and i.kind = 'named') as named_count,
         to_char(k.held_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as key
    from consultations k
    join organisations m on m.id = k.municipality_id
    join users cb on cb.id = k.created_by`;

export async function consultation(db: Q, id: string, forUpdate = false): Promise<ConsultationRow | undefined> {
  if (forUpdate) {
    const { rows } = await sql<ConsultationRow>`${CONSULTATION_SELECT} where k.id = ${id} for update of k`.execute(db);
    return rows[0];
  }
  const { rows } = await sql<ConsultationRow>`${CONSULTATION_SELECT} where k.id = ${id}`.execute(db);
  return rows[0];
}

export async function recentConsultations(db: Q, organisationId: string, programmeIds: string[], after: TimeCursor | undefined, limit: number) {
  const { rows } = await sql<ConsultationRow>`${CONSULTATION_SELECT}
    where k.organisation_id = ${organisationId} and k.programme_id = any(${programmeIds}::uuid[])
    ${after ? sql`and (k.held_at, k.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
    order by k.held_at desc, k.id desc limit ${limit + 1}`.execute(db);
  return rows;
}

export async function insertConsultation(
  db: Q,
  c: { organisationId: string; programmeId: string; municipalityId: string; kind: string; heldAt: string; place: string | null; participantIds: string[]; otherParticipants: string | null; createdBy: string },
) {
  return db
    .insertInto('consultations')
    .values({
      organisation_id: c.organisationId,
      programme_id: c.programmeId,
      municipality_id: c.municipalityId,
      kind: c.kind as 'network_meeting',
      held_at: c.heldAt,
      place: c.place,
      participant_ids: c.participantIds,
      other_participants: c.otherParticipants,
      created_by: c.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export interface ItemRow {
  id: string;
  kind: 'named' | 'anonymous';
  citizen_id: string | null;
  citizen_name: string | null;
  disclosure_id: string | null;
  description: string | null;
  advice: string;
  categories: string[];
  said_to: { id: string; name: string }[];
  network_meeting_id: string | null;
  created_at: Date;
}

export async function itemsOf(db: Q, consultationId: string) {
  const { rows } = await sql<ItemRow>`
    select i.id, i.kind, i.citizen_id, c.first_name || ' ' || c.last_name as citizen_name, i.disclosure_id, i.description, i.advice, i.categories,
           coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name, u.id) from users u where u.id = any(i.said_to)), '[]'::json) as said_to,
           i.network_meeting_id, i.created_at
      from consultation_items i left join citizens c on c.id = i.citizen_id
     where i.consultation_id = ${consultationId}
     order by i.created_at, i.id`.execute(db);
  return rows;
}

export function insertAnonymousItem(db: Q, i: { consultationId: string; organisationId: string; description: string; advice: string; createdBy: string }) {
  return db
    .insertInto('consultation_items')
    .values({ consultation_id: i.consultationId, organisation_id: i.organisationId, kind: 'anonymous', description: i.description, advice: i.advice, created_by: i.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/**
 * A named item in one statement: the region's item and its journal task (enter the oral disclosure in the patient
 * journal), and the municipality's note duty on its own record, pointing at its own received snapshot.
 */
export async function insertNamedItem(
  db: Q,
  i: {
    consultationId: string;
    organisationId: string;
    citizenId: string;
    disclosureId: string;
    advice: string;
    categories: string[];
    saidTo: string[];
    networkMeetingId: string | null;
    createdBy: string;
    saidByName: string;
    heldAt: Date;
  },
) {
  const { rows } = await sql<{ id: string; task_id: string; duty_id: string }>`
    with item as (
      insert into consultation_items (consultation_id, organisation_id, kind, citizen_id, disclosure_id, advice, categories, said_to, network_meeting_id, created_by)
      values (${i.consultationId}, ${i.organisationId}, 'named', ${i.citizenId}, ${i.disclosureId}, ${i.advice}, ${i.categories}::text[], ${i.saidTo}::uuid[], ${i.networkMeetingId}, ${i.createdBy})
      returning id),
    task as (
      insert into crossing_tasks (organisation_id, citizen_id, kind, disclosure_id, status)
      values (${i.organisationId}, ${i.citizenId}, 'journal_oral_disclosure', ${i.disclosureId}, 'open')
      returning id),
    duty as (
      insert into consultation_duties (organisation_id, citizen_id, received_disclosure_id, network_meeting_id, from_organisation_id, said_by_name, held_at, assigned_to)
      select r.organisation_id, r.citizen_id, r.id, ${i.networkMeetingId}, r.from_organisation_id, r.disclosed_by_name, ${i.heldAt}, ${i.saidTo}::uuid[]
        from received_disclosures r where r.disclosure_id = ${i.disclosureId}
      returning id)
    select item.id, task.id as task_id, duty.id as duty_id from item, task, duty`.execute(db);
  return rows[0]!;
}

export function markRecognised(db: Q, id: string, userId: string) {
  return db
    .updateTable('consultations')
    .set({ status: 'stopped_recognised', recognised_at: new Date(), recognised_by: userId, version: sql`version + 1` })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
}

export function bumpVersion(db: Q, id: string) {
  return db.updateTable('consultations').set({ version: sql`version + 1` }).where('id', '=', id).execute();
}

export function meetingOfCitizen(db: Q, meetingId: string, citizenId: string) {
  return db.selectFrom('network_meetings').select(['id']).where('id', '=', meetingId).where('citizen_id', '=', citizenId).executeTakeFirst();
}

export interface DutyRow {
  id: string;
  organisation_id: string;
  citizen_id: string;
  citizen_name: string;
  from_organisation_name: string;
  said_by_name: string;
  held_at: Date;
  network_meeting_id: string | null;
  network_meeting_at: Date | null;
  received_disclosure_id: string;
  snapshot: { advice?: string };
  categories: string[];
  consent_ids: string[];
  assigned_to: { id: string; name: string }[];
  assigned_ids: string[];
  status: 'pending' | 'noted' | 'not_relevant';
  note_id: string | null;
  reason: string | null;
  resolved_by_name: string | null;
  resolved_at: Date | null;
  created_at: Date;
  key: string;
}

const DUTY_SELECT = sql`
  select d.id, d.organisation_id, d.citizen_id, c.first_name || ' ' || c.last_name as citizen_name, fo.name as from_organisation_name, d.said_by_name,
         d.held_at, d.network_meeting_id, nm.starts_at as network_meeting_at, d.received_disclosure_id, r.snapshot, r.categories, r.consent_ids,
         coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name, u.id) from users u where u.id = any(d.assigned_to)), '[]'::json) as assigned_to,
         d.assigned_to as assigned_ids, d.status, d.note_id, d.reason, rb.name as resolved_by_name, d.resolved_at, d.created_at,
         to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as key
    from consultation_duties d
    join citizens c on c.id = d.citizen_id
    join organisations fo on fo.id = d.from_organisation_id
    join received_disclosures r on r.id = d.received_disclosure_id
    left join network_meetings nm on nm.id = d.network_meeting_id
    left join users rb on rb.id = d.resolved_by`;

export async function duty(db: Q, id: string, forUpdate = false): Promise<DutyRow | undefined> {
  const { rows } = await sql<DutyRow>`${DUTY_SELECT} where d.id = ${id} ${forUpdate ? sql`for update of d` : sql``}`.execute(db);
  return rows[0];
}

export async function pendingDutiesOf(db: Q, organisationId: string, userId: string, after: TimeCursor | undefined, limit: number) {
  const { rows } = await sql<DutyRow>`${DUTY_SELECT}
    where d.organisation_id = ${organisationId} and d.status = 'pending' and ${userId}::uuid = any(d.assigned_to)
    ${after ? sql`and (d.created_at, d.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
    order by d.created_at, d.id limit ${limit + 1}`.execute(db);
  return rows;
}

export async function dutiesOfCitizen(db: Q, citizenId: string, after: TimeCursor | undefined, limit: number) {
  const { rows } = await sql<DutyRow>`${DUTY_SELECT}
    where d.citizen_id = ${citizenId}
    ${after ? sql`and (d.created_at, d.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
    order by d.created_at desc, d.id desc limit ${limit + 1}`.execute(db);
  return rows;
}

export function resolveDuty(db: Q, id: string, r: { status: 'noted' | 'not_relevant'; noteId: string | null; reason: string | null; by: string }) {
  return db
    .updateTable('consultation_duties')
    .set({ status: r.status, note_id: r.noteId, reason: r.reason, resolved_by: r.by, resolved_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** The municipalities of the programmes with their case staff (names and roles), for the liaison's form. */
export async function municipalStaffOfProgrammes(db: Q, programmeIds: string[], caseRoles: readonly string[]) {
  const { rows } = await sql<{ programme_id: string; programme_name: string; municipality_id: string; municipality_name: string; staff: { id: string; name: string; roles: string[] }[] }>`
    select p.id as programme_id, p.name as programme_name, o.id as municipality_id, o.name as municipality_name,
           coalesce((select json_agg(json_build_object('id', s.id, 'name', s.name, 'roles', s.roles) order by s.name, s.id)
                       from (select u.id, u.name, array_agg(distinct ur.role order by ur.role) as roles
                               from users u join user_roles ur on ur.user_id = u.id
                              where ur.programme_id = p.id and ur.organisation_id = o.id and u.organisation_id = o.id and ur.role = any(${[...caseRoles]}::text[])
                              group by u.id, u.name) s), '[]'::json) as staff
      from programmes p
      join programme_partners pp on pp.programme_id = p.id
      join organisations o on o.id = pp.organisation_id and o.kind = 'municipality'
     where p.id = any(${programmeIds}::uuid[])
     order by p.name, p.id, o.name, o.id`.execute(db);
  return rows;
}
