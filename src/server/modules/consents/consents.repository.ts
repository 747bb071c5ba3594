// SQL of the consents module: the person's consents as an organisation sees them, the sitting's facts,
// inserts, the never-edit replacement and withdrawal, the tasks crossings leave, and the consents expiring soon.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { ConsentInstrument, Database } from '../../db/schema.ts';
import { enrolmentRelations } from '../citizens/citizens.repository.ts';

type Q = Kysely<Database>;

/** The caller's record of the person: what the chokepoint needs, and the keyed CPR hash that links the records. */
export async function citizenFacts(db: Q, citizenId: string, today: string) {
  const { rows } = await sql<{
    organisation_id: string;
    created_by: string;
    cpr_hash: string;
    first_name: string;
    last_name: string;
    organisation_name: string;
    enrolments: { programmeId: string; consultantsSeeAll: boolean; teamUserIds: string[] }[];
  }>`
    select c.organisation_id, c.created_by, c.cpr_hash, c.first_name, c.last_name, o.name as organisation_name,
           ${enrolmentRelations(today)} as enrolments
      from citizens c join organisations o on o.id = c.organisation_id
     where c.id = ${citizenId}`.execute(db);
  return rows[0];
}

export interface ConsentRow {
  id: string;
  organisation_id: string;
  organisation_name: string;
  citizen_id: string;
  person_hash: string;
  instrument: ConsentInstrument;
  categories: string[];
  source_organisation_id: string;
  source_name: string;
  source_unit: string | null;
  recipient_organisation_id: string | null;
  recipient_name: string | null;
  recipient_company_cvr: string | null;
  recipient_company_name: string | null;
  recipient_unit: string | null;
  recipient_roles: string[];
  programme_id: string;
  programme_name: string;
  purpose: string;
  case_reference: string | null;
  given_on: string;
  valid_from: string;
  valid_to: string;
  given_by: 'citizen' | 'guardian' | 'power_of_attorney';
  given_by_name: string | null;
  capacity_note: string | null;
  given_how: 'written' | 'oral' | 'portal';
  oral_reason: string | null;
  witness: string | null;
  copy_given: boolean;
  replaces_id: string | null;
  superseded_at: Date | null;
  superseded_by: string | null;
  withdrawn_at: Date | null;
  withdrawn_on: string | null;
  withdrawn_how: 'written' | 'oral' | 'portal' | null;
  withdrawal_note: string | null;
  withdrawal_receipt_id: string | null;
  withdrawn_by_id: string | null;
  withdrawn_by_name: string | null;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  created_us: string;
  form_id: string;
  form_instrument: ConsentInstrument;
  form_version: number;
  title_da: string;
  title_en: string;
  text_da: string;
  text_en: string;
  consequence_da: string;
  consequence_en: string;
}

export interface ConsentCursor {
  /** created_at in microseconds since 1970 (exact). */
  us: string;
  id: string;
}

/** A consent with everything shown of it: the organisations, the programme, the form, who recorded and withdrew it. */
const CONSENT_ROW = sql`
    select k.id, k.organisation_id, ko.name as organisation_name, k.citizen_id, k.person_hash, k.instrument, k.categories,
           k.source_organisation_id, so.name as source_name, k.source_unit,
           k.recipient_organisation_id, ro.name as recipient_name, k.recipient_company_cvr, k.recipient_company_name, k.recipient_unit, k.recipient_roles,
           k.programme_id, p.name as programme_name, k.purpose, k.case_reference,
           k.given_on::text as given_on, k.valid_from::text as valid_from, k.valid_to::text as valid_to,
           k.given_by, k.given_by_name, k.capacity_note, k.given_how, k.oral_reason, k.witness, k.copy_given,
           k.replaces_id, k.superseded_at, k.superseded_by, k.withdrawn_at, k.withdrawn_on::text as withdrawn_on, k.withdrawn_how,
           k.withdrawal_note, k.withdrawal_receipt_id, wu.id as withdrawn_by_id, wu.name as withdrawn_by_name, k.created_by, cu.name as created_by_name, k.created_at,
           (extract(epoch from k.created_at) * 1000000)::bigint::text as created_us,
           f.id as form_id, f.instrument as form_instrument, f.version as form_version, f.title_da, f.title_en, f.text_da, f.text_en, f.consequence_da, f.consequence_en
      from consents k
      join organisations ko on ko.id = k.organisation_id
      join organisations so on so.id = k.source_organisation_id
      left join organisations ro on ro.id = k.recipient_organisation_id
      join programmes p on p.id = k.programme_id
      join consent_forms f on f.id = k.form_id
      join users cu on cu.id = k.created_by
      left join users wu on wu.id = k.withdrawn_recorded_by`;

const after_ = (after: ConsentCursor | undefined) =>
  after ? sql`and (k.created_at, k.id) < (timestamptz 'epoch' + ${after.us}::bigint * interval '1 microsecond', ${after.id}::uuid)` : sql``;

/** The person's consents the organisation recorded, gives or receives, newest first; one row more than `limit`. */
export async function consentsSeenBy(db: Q, personHash: string, organisationId: string, after: ConsentCursor | undefined, limit: number) {
  const { rows } = await sql<ConsentRow>`
    ${CONSENT_ROW}
     where k.person_hash = ${personHash}
       and (k.organisation_id = ${organisationId} or k.source_organisation_id = ${organisationId} or k.recipient_organisation_id = ${organisationId})
       ${after_(after)}
     order by k.created_at desc, k.id desc
     limit ${limit + 1}`.execute(db);
  return rows;
}

/**
 * The consents recorded on these records of a person (the citizen portal: the records open to it), newest first;
 * one row more than `limit`. Keyset on the index consents_citizen (citizen_id, created_at desc, id).
 */
export async function consentsOnRecords(db: Q, citizenIds: string[], after: ConsentCursor | undefined, limit: number) {
  if (citizenIds.length === 0) return [];
  const { rows } = await sql<ConsentRow>`
    ${CONSENT_ROW}
     where k.citizen_id = any(${citizenIds}::uuid[])
       ${after_(after)}
     order by k.created_at desc, k.id desc
     limit ${limit + 1}`.execute(db);
  return rows;
}

/**
 * What a sitting needs to check, in one statement: the programme's consent cap and whether the citizen is in
 * it, the current form of every instrument, and each organisation named (its kind, and whether it takes part
 * in the programme).
 */
export async function sittingFacts(db: Q, programmeIds: string[], organisationIds: string[]) {
  const { rows } = await sql<{
    programmes: { id: string; consent_max_months: number; organisation_id: string; partners: string[] }[];
    forms: { id: string; instrument: ConsentInstrument; version: number }[];
    organisations: { id: string; kind: string; name: string }[];
  }>`
    select coalesce((select json_agg(json_build_object('id', p.id, 'consent_max_months', p.consent_max_months, 'organisation_id', p.organisation_id,
                       'partners', coalesce((select json_agg(pp.organisation_id) from programme_partners pp where pp.programme_id = p.id), '[]'::json)))
                       from programmes p where p.id = any(${programmeIds}::uuid[])), '[]'::json) as programmes,
           coalesce((select json_agg(json_build_object('id', f.id, 'instrument', f.instrument, 'version', f.version))
                       from (select distinct on (instrument) id, instrument, version from consent_forms order by instrument, version desc) f), '[]'::json) as forms,
           coalesce((select json_agg(json_build_object('id', o.id, 'kind', o.kind, 'name', o.name))
                       from organisations o where o.id = any(${organisationIds}::uuid[])), '[]'::json) as organisations`.execute(db);
  return rows[0]!;
}

/** The consents a sitting replaces, locked for the change. */
export async function consentsToReplace(db: Q, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('consents')
    .select(['id', 'person_hash', 'instrument', 'organisation_id', 'source_organisation_id', 'recipient_organisation_id', 'withdrawn_at', 'superseded_at'])
    .where('id', 'in', ids)
    .forUpdate()
    .execute();
}

export async function insertConsents(db: Q, rows: Insertable<Database['consents']>[]) {
  return db.insertInto('consents').values(rows).returning(['id', 'instrument', 'replaces_id', 'source_organisation_id', 'recipient_organisation_id']).execute();
}

/** Marks replaced consents superseded by their replacements in one statement; only those not already replaced or withdrawn. */
export async function supersede(db: Q, pairs: { oldId: string; newId: string }[]): Promise<number> {
  if (pairs.length === 0) return 0;
  const { rows } = await sql<{ id: string }>`
    update consents k set superseded_at = now(), superseded_by = x.new_id
      from (select unnest(${pairs.map((p) => p.oldId)}::uuid[]) as old_id, unnest(${pairs.map((p) => p.newId)}::uuid[]) as new_id) x
     where k.id = x.old_id and k.superseded_at is null and k.withdrawn_at is null
    returning k.id`.execute(db);
  return rows.length;
}

/** Each organisation's own record of the person (the records are linked by the keyed CPR hash only). */
export async function recordsOfPerson(db: Q, personHash: string, organisationIds: string[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('citizens as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select(['c.id', 'c.organisation_id', 'o.name as organisation_name'])
    .where('c.cpr_hash', '=', personHash)
    .where('c.organisation_id', 'in', organisationIds)
    .orderBy('c.created_at')
    .execute();
}

export async function insertTasks(db: Q, rows: { organisation_id: string; citizen_id: string | null; kind: 'journal_consent' | 'journal_withdrawal' | 'consent_withdrawn_notice'; consent_id: string }[]) {
  if (rows.length === 0) return [];
  return db
    .insertInto('crossing_tasks')
    .values(rows.map((r) => ({ ...r, status: 'open' as const })))
    .returning(['id', 'kind', 'organisation_id'])
    .execute();
}

export function consentForWithdrawal(db: Q, id: string) {
  return db
    .selectFrom('consents')
    .select(['id', 'organisation_id', 'citizen_id', 'person_hash', 'instrument', 'source_organisation_id', 'recipient_organisation_id', 'given_on', 'withdrawn_at', 'superseded_at'])
    .select(sql<string>`given_on::text`.as('given_on_text'))
    .where('id', '=', id)
    .executeTakeFirst();
}

/** What a withdrawal needs of the consent. */
export type WithdrawableConsent = Pick<ConsentRow, 'id' | 'organisation_id' | 'citizen_id' | 'person_hash' | 'instrument' | 'source_organisation_id' | 'recipient_organisation_id' | 'withdrawn_at' | 'superseded_at'>;

/** One consent with everything shown of it (the citizen portal's withdrawal and its receipt). */
export async function consentRow(db: Q, id: string): Promise<ConsentRow | undefined> {
  const { rows } = await sql<ConsentRow>`${CONSENT_ROW} where k.id = ${id}`.execute(db);
  return rows[0];
}

/**
 * Marks the consent withdrawn, only if it is not already. `by` is the staff member who recorded it (null when the
 * citizen withdrew it in the portal, who then gets `receiptId`).
 */
export async function withdraw(db: Q, id: string, row: { withdrawnOn: string; how: 'written' | 'oral' | 'portal'; note: string | null; by: string | null; receiptId?: string | null }) {
  return db
    .updateTable('consents')
    .set({ withdrawn_at: new Date(), withdrawn_on: row.withdrawnOn, withdrawn_how: row.how, withdrawal_note: row.note, withdrawn_recorded_by: row.by, withdrawal_receipt_id: row.receiptId ?? null })
    .where('id', '=', id)
    .where('withdrawn_at', 'is', null)
    .returning(['id', 'withdrawn_at'])
    .executeTakeFirst();
}

export function currentForms(db: Q) {
  return sql<{ id: string; instrument: ConsentInstrument; version: number; title_da: string; title_en: string; text_da: string; text_en: string; consequence_da: string; consequence_en: string }>`
    select distinct on (instrument) id, instrument, version, title_da, title_en, text_da, text_en, consequence_da, consequence_en
      from consent_forms order by instrument, version desc`.execute(db);
}

/** Whom the caller reaches: programmes seen whole, programmes seen through the team (cf. CITIZEN_RELATION). */
export interface Reach {
  organisationId: string;
  userId: string;
  wideProgrammeIds: string[];
  teamProgrammeIds: string[];
  today: string;
}

/** A record of the caller's organisation that the caller reaches today (alias `c`). */
const reaches = (r: Reach) => sql`exists (select 1 from enrolments e where e.citizen_id = c.id and (
      e.programme_id = any(${r.wideProgrammeIds}::uuid[])
      or (e.programme_id = any(${r.teamProgrammeIds}::uuid[]) and exists (select 1 from team_members tm where tm.enrolment_id = e.id and tm.user_id = ${r.userId}
            and tm.valid_from <= ${r.today} and (tm.valid_to is null or tm.valid_to >= ${r.today})))))`;

export interface ExpiringCursor {
  d: string;
  id: string;
}

/** Valid consents the organisation gives or receives that end within the window, soonest first, of people the caller reaches. */
export async function expiring(db: Q, reach: Reach, until: string, after: ExpiringCursor | undefined, limit: number) {
  const { rows } = await sql<{
    id: string;
    instrument: ConsentInstrument;
    valid_to: string;
    categories: string[];
    source_organisation_id: string;
    source_name: string;
    recipient_organisation_id: string | null;
    recipient_name: string | null;
    recipient_company_cvr: string | null;
    recipient_company_name: string | null;
    citizen_id: string;
    first_name: string;
    last_name: string;
  }>`
    select k.id, k.instrument, k.valid_to::text as valid_to, k.categories, k.source_organisation_id, so.name as source_name,
           k.recipient_organisation_id, ro.name as recipient_name, k.recipient_company_cvr, k.recipient_company_name, c.id as citizen_id, c.first_name, c.last_name
      from consents k
      join citizens c on c.cpr_hash = k.person_hash and c.organisation_id = ${reach.organisationId}
      join organisations so on so.id = k.source_organisation_id
      left join organisations ro on ro.id = k.recipient_organisation_id
     where (k.source_organisation_id = ${reach.organisationId} or k.recipient_organisation_id = ${reach.organisationId})
       and k.withdrawn_at is null and k.superseded_at is null
       and k.valid_from <= ${reach.today} and k.valid_to >= ${reach.today} and k.valid_to <= ${until}
       and ${reaches(reach)}
       ${after ? sql`and (k.valid_to, k.id) > (${after.d}::date, ${after.id}::uuid)` : sql``}
     order by k.valid_to, k.id
     limit ${limit + 1}`.execute(db);
  return rows;
}

export interface TaskCursor {
  us: string;
  id: string;
}

/** Open tasks of the organisation, oldest first, about people the caller reaches (or about nobody in particular). */
export async function openTasks(db: Q, reach: Reach, after: TaskCursor | undefined, limit: number) {
  const { rows } = await sql<{
    id: string;
    kind: 'journal_consent' | 'journal_withdrawal' | 'journal_oral_disclosure' | 'consent_withdrawn_notice' | 'consent_given_notice';
    created_at: string;
    citizen_id: string | null;
    first_name: string | null;
    last_name: string | null;
    consent_id: string | null;
    instrument: ConsentInstrument | null;
    withdrawn_on: string | null;
    recorded_by_id: string | null;
    recorded_by_name: string | null;
    disclosure_id: string | null;
    created_us: string;
  }>`
    select t.id, t.kind, (extract(epoch from t.created_at) * 1000000)::bigint::text as created_us, to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
           c.id as citizen_id, c.first_name, c.last_name, k.id as consent_id, k.instrument, k.withdrawn_on::text as withdrawn_on,
           ko.id as recorded_by_id, ko.name as recorded_by_name, t.disclosure_id
      from crossing_tasks t
      left join citizens c on c.id = t.citizen_id
      left join consents k on k.id = t.consent_id
      left join organisations ko on ko.id = k.organisation_id
     where t.organisation_id = ${reach.organisationId} and t.status = 'open'
       and (t.citizen_id is null or ${reaches(reach)})
       ${after ? sql`and (t.created_at, t.id) > (timestamptz 'epoch' + ${after.us}::bigint * interval '1 microsecond', ${after.id}::uuid)` : sql``}
     order by t.created_at, t.id
     limit ${limit + 1}`.execute(db);
  return rows;
}

export function taskById(db: Q, id: string) {
  return db.selectFrom('crossing_tasks').select(['id', 'organisation_id', 'citizen_id', 'status', 'kind']).where('id', '=', id).executeTakeFirst();
}

export function markTaskDone(db: Q, id: string, userId: string) {
  return db.updateTable('crossing_tasks').set({ status: 'done', done_at: new Date(), done_by: userId }).where('id', '=', id).where('status', '=', 'open').returning('id').executeTakeFirst();
}

/** Other organisations' records of the person with what the chokepoint needs of each (for the shared-access door). */
export async function recordsOfPersonWithRelations(db: Q, personHash: string, organisationIds: string[], today: string) {
  const { rows } = await sql<{
    id: string;
    organisation_id: string;
    organisation_name: string;
    created_by: string;
    enrolments: { programmeId: string; consultantsSeeAll: boolean; teamUserIds: string[] }[];
  }>`
    select c.id, c.organisation_id, o.name as organisation_name, c.created_by,
           ${enrolmentRelations(today)} as enrolments
      from citizens c join organisations o on o.id = c.organisation_id
     where c.cpr_hash = ${personHash} and c.organisation_id = any(${organisationIds}::uuid[])
     order by o.name, c.id`.execute(db);
  return rows;
}

/**
 * The prepared consents awaiting confirmation on these records (the citizen portal), newest first, each with what
 * it would cover: the organisations' names and the form's texts, read from the prepared rows in one statement.
 * At most MAX_AWAITING_PREPARATIONS per record await at once.
 */
export async function preparationsOnRecords(db: Q, citizenIds: string[]) {
  if (citizenIds.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    organisation_name: string;
    created_at: Date;
    items: {
      instrument: string;
      categories: string[];
      source: string;
      recipient: string;
      recipientRoles: string[];
      purpose: string;
      validFrom: string;
      validTo: string;
      title: { da: string; en: string };
      text: { da: string; en: string };
      consequence: { da: string; en: string };
    }[];
  }>`
    select p.id, o.name as organisation_name, p.created_at,
           (select json_agg(json_build_object(
                     'instrument', r->>'instrument', 'categories', r->'categories', 'source', so.name,
                     'recipient', coalesce(ro.name, r->>'recipient_company_name', ''), 'recipientRoles', r->'recipient_roles',
                     'purpose', r->>'purpose', 'validFrom', r->>'valid_from', 'validTo', r->>'valid_to',
                     'title', json_build_object('da', f.title_da, 'en', f.title_en),
                     'text', json_build_object('da', f.text_da, 'en', f.text_en),
                     'consequence', json_build_object('da', f.consequence_da, 'en', f.consequence_en)) order by x.n)
              from jsonb_array_elements(p.rows) with ordinality as x(r, n)
              join organisations so on so.id = (x.r->>'source_organisation_id')::uuid
              left join organisations ro on ro.id = (x.r->>'recipient_organisation_id')::uuid
              join consent_forms f on f.id = (x.r->>'form_id')::uuid) as items
      from consent_preparations p join organisations o on o.id = p.organisation_id
     where p.citizen_id = any(${citizenIds}::uuid[]) and p.confirmed_at is null and p.cancelled_at is null
     order by p.created_at desc, p.id desc
     limit 50`.execute(db);
  return rows;
}

/**
 * The person's standing consents (not withdrawn, not replaced) the organisation is party to, locked for the
 * withdrawal; only `ids` when given (a consent of anybody else, or one the organisation is no party to, is not found).
 */
export function standingConsentsOfPerson(db: Q, personHash: string, organisationId: string, ids: string[] | null) {
  let q = db
    .selectFrom('consents')
    .select(['id', 'organisation_id', 'citizen_id', 'person_hash', 'instrument', 'source_organisation_id', 'recipient_organisation_id', 'withdrawn_at', 'superseded_at'])
    .where('person_hash', '=', personHash)
    .where('withdrawn_at', 'is', null)
    .where('superseded_at', 'is', null)
    .where((eb) => eb.or([eb('organisation_id', '=', organisationId), eb('source_organisation_id', '=', organisationId), eb('recipient_organisation_id', '=', organisationId)]));
  if (ids) q = q.where('id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
  return q.orderBy('created_at').forUpdate().execute();
}
