// SQL for companies with contacts and meetings, internships with their weeks and follow-ups, and upskilling.
// Every company query takes the caller's organisation; internships of a company are narrowed to the citizens
// the caller may see (the same rule as the citizen list), the rest only counted.
import { sql, type Kysely, type SqlBool, type Updateable } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { VisibilityScope } from '../citizens/citizens.repository.ts';

type Q = Kysely<Database>;

const uuidArray = (ids: string[]) => sql`${ids}::uuid[]`;

/** The citizen `citizenRef` (an SQL expression) is one the scope may see: the citizen list's rule, as a predicate. */
function citizenVisible(scope: VisibilityScope, citizenRef: ReturnType<typeof sql.ref>) {
  return sql<SqlBool>`(exists (select 1 from enrolments e
                               where e.citizen_id = ${citizenRef}
                                 and (e.programme_id = any(${uuidArray(scope.wideProgrammeIds)})
                                      or (e.programme_id = any(${uuidArray(scope.teamProgrammeIds)})
                                          and exists (select 1 from team_members tm
                                                       where tm.enrolment_id = e.id and tm.user_id = ${scope.userId}
                                                         and tm.valid_from <= ${scope.today}
                                                         and (tm.valid_to is null or tm.valid_to >= ${scope.today})))))
          or (${scope.ownUnenrolled} and exists (select 1 from citizens oc where oc.id = ${citizenRef} and oc.created_by = ${scope.userId})
              and not exists (select 1 from enrolments e2 where e2.citizen_id = ${citizenRef})))`;
}

/** Lower case, one space between words: what the trigram index holds and a search compares with. */
export function searchName(name: string): string {
  return name.toLocaleLowerCase('da').replace(/\s+/g, ' ').trim();
}

const like = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function companyByCvr(db: Q, organisationId: string, cvr: string) {
  return db.selectFrom('companies').select('id').where('organisation_id', '=', organisationId).where('cvr', '=', cvr).executeTakeFirst();
}

export async function insertCompany(
  db: Q,
  c: { organisationId: string; cvr: string; name: string; address: string | null; industry: string | null; createdBy: string; contacts: { name: string; role: string | null; phone: string | null; email: string | null }[] },
): Promise<string> {
  // The company and its first contacts in one statement.
  const contacts = JSON.stringify(c.contacts);
  const { rows } = await sql<{ id: string }>`
    with company as (
      insert into companies (organisation_id, cvr, name, search_name, address, industry, created_by)
      values (${c.organisationId}, ${c.cvr}, ${c.name}, ${searchName(c.name)}, ${c.address}, ${c.industry}, ${c.createdBy})
      returning id
    ), contacts as (
      insert into company_contacts (organisation_id, company_id, name, role, phone, email)
      select ${c.organisationId}::uuid, company.id, x.name, x.role, x.phone, x.email
        from company, json_to_recordset(${contacts}::json) as x(name text, role text, phone text, email text)
    )
    select id from company`.execute(db);
  return rows[0]!.id;
}

export interface CompanyCursor {
  n: string;
  id: string;
}

export function listCompanies(db: Q, organisationId: string, q: { words: string[]; cvrPrefix: string | null }, after: CompanyCursor | undefined, limit: number) {
  let query = db
    .selectFrom('companies')
    .select(['id', 'cvr', 'name', 'address', 'industry', 'is_fictitious', sql<string>`lower(name)`.as('sort_name')])
    .where('organisation_id', '=', organisationId);
  if (q.cvrPrefix) query = query.where('cvr', 'like', `${q.cvrPrefix}%`);
  for (const w of q.words) query = query.where('search_name', 'like', like(w));
  if (after) query = query.where(sql<SqlBool>`(lower(name), id) > (${after.n}, ${after.id}::uuid)`);
  return query.orderBy(sql`lower(name)`).orderBy('id').limit(limit + 1).execute();
}

export interface CompanyDetailRow {
  id: string;
  organisation_id: string;
  cvr: string;
  name: string;
  address: string | null;
  industry: string | null;
  is_fictitious: boolean;
  version: number;
  contacts: { id: string; name: string; role: string | null; phone: string | null; email: string | null }[];
  meetings: { id: string; held_on: string; purpose: string; outcome: string | null; created_by: string; created_by_name: string; staff: { id: string; name: string }[] }[];
  internships: { id: string; citizen_id: string; first_name: string; last_name: string; purpose: 'gradual_return' | 'trial_before_hiring' | 'other'; from_date: string; to_date: string; outcome: 'hired' | 'extended' | 'ended_as_planned' | 'ended_early' | null }[];
  other_internships: number;
}

/** The company page in one statement: company, contacts, latest meetings, visible internships and the count of the rest. */
export async function companyDetail(db: Q, companyId: string, scope: VisibilityScope): Promise<CompanyDetailRow | undefined> {
  const { rows } = await sql<CompanyDetailRow>`
    select co.id, co.organisation_id, co.cvr, co.name, co.address, co.industry, co.is_fictitious, co.version,
           coalesce((select json_agg(ct order by ct.name, ct.id) from (
                       select id, name, role, phone, email from company_contacts where company_id = co.id) ct), '[]'::json) as contacts,
           coalesce((select json_agg(m order by m.held_on desc, m.id) from (
                       select cm.id, cm.held_on, cm.purpose, cm.outcome, cm.created_by, cu.name as created_by_name,
                              coalesce((select json_agg(json_build_object('id', su.id, 'name', su.name) order by su.name)
                                          from users su where su.id = any(cm.staff_ids)), '[]'::json) as staff
                         from company_meetings cm join users cu on cu.id = cm.created_by
                        where cm.company_id = co.id
                        order by cm.held_on desc, cm.id limit 50) m), '[]'::json) as meetings,
           coalesce((select json_agg(v order by v.from_date desc, v.id) from (
                       select i.id, i.citizen_id, c.first_name, c.last_name, i.purpose, i.from_date, i.to_date, i.outcome
                         from internships i join citizens c on c.id = i.citizen_id
                        where i.company_id = co.id and ${citizenVisible(scope, sql.ref('i.citizen_id'))}
                        order by i.from_date desc, i.id limit 100) v), '[]'::json) as internships,
           (select count(*)::int from internships i
             where i.company_id = co.id and not ${citizenVisible(scope, sql.ref('i.citizen_id'))}) as other_internships
      from companies co
     where co.id = ${companyId}`.execute(db);
  return rows[0];
}

export function companyById(db: Q, id: string) {
  return db.selectFrom('companies').select(['id', 'organisation_id', 'name', 'cvr', 'version']).where('id', '=', id).executeTakeFirst();
}

export function updateCompany(db: Q, id: string, version: number, changes: Updateable<Database['companies']>) {
  return db
    .updateTable('companies')
    .set({ ...changes, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export async function insertContact(db: Q, c: { organisationId: string; companyId: string; name: string; role: string | null; phone: string | null; email: string | null }) {
  const row = await db
    .insertInto('company_contacts')
    .values({ organisation_id: c.organisationId, company_id: c.companyId, name: c.name, role: c.role, phone: c.phone, email: c.email })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** How many of the ids are active users of the organisation. */
export async function countStaff(db: Q, organisationId: string, ids: string[]): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where(sql<SqlBool>`id = any(${uuidArray(ids)})`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertMeeting(db: Q, m: { organisationId: string; companyId: string; heldOn: string; staffIds: string[]; purpose: string; outcome: string | null; createdBy: string }) {
  const row = await db
    .insertInto('company_meetings')
    .values({ organisation_id: m.organisationId, company_id: m.companyId, held_on: m.heldOn, staff_ids: sql`${m.staffIds}::uuid[]`, purpose: m.purpose, outcome: m.outcome, created_by: m.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// ---------------------------------------------------------------------------------------------------------------
// Internships

/** The company (of the organisation) and, when asked, its contact, in one look-up. */
export async function companyForInternship(db: Q, organisationId: string, companyId: string, contactId: string | null) {
  const { rows } = await sql<{ id: string; name: string; contact_ok: boolean }>`
    select co.id, co.name,
           (${contactId}::uuid is null or exists (select 1 from company_contacts ct where ct.id = ${contactId}::uuid and ct.company_id = co.id)) as contact_ok
      from companies co
     where co.id = ${companyId} and co.organisation_id = ${organisationId}`.execute(db);
  return rows[0];
}

export async function insertInternship(
  db: Q,
  i: { organisationId: string; citizenId: string; companyId: string; contactId: string | null; purpose: 'gradual_return' | 'trial_before_hiring' | 'other'; purposeText: string | null; fromDate: string; toDate: string; plannedWeeklyHours: number; minPlan: 'yes' | 'no' | 'not_relevant'; createdBy: string },
) {
  const row = await db
    .insertInto('internships')
    .values({
      organisation_id: i.organisationId,
      citizen_id: i.citizenId,
      company_id: i.companyId,
      contact_id: i.contactId,
      purpose: i.purpose,
      purpose_text: i.purposeText,
      from_date: i.fromDate,
      to_date: i.toDate,
      planned_weekly_hours: i.plannedWeeklyHours,
      min_plan: i.minPlan,
      created_by: i.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface InternshipRow {
  id: string;
  citizen_id: string;
  organisation_id: string;
  company_id: string;
  company_name: string;
  company_cvr: string;
  contact_id: string | null;
  contact_name: string | null;
  purpose: 'gradual_return' | 'trial_before_hiring' | 'other';
  purpose_text: string | null;
  from_date: string;
  to_date: string;
  planned_weekly_hours: number;
  min_plan: 'yes' | 'no' | 'not_relevant';
  outcome: 'hired' | 'extended' | 'ended_as_planned' | 'ended_early' | null;
  outcome_reason: string | null;
  version: number;
  weeks: { week_start: string; hours: number }[];
  follow_ups: { id: string; held_on: string; note: string; created_by: string; created_by_name: string }[];
}

export interface ActivityCursor {
  d: string;
  id: string;
}

/** Internships with company, contact, weeks and follow-ups, in one statement: by id, or a citizen's page (newest first). */
export async function internships(db: Q, by: { id: string } | { citizenId: string; after: ActivityCursor | undefined; limit: number }): Promise<InternshipRow[]> {
  const where =
    'id' in by
      ? sql`i.id = ${by.id}`
      : sql`i.citizen_id = ${by.citizenId} ${by.after ? sql`and (i.from_date, i.id) < (${by.after.d}::date, ${by.after.id}::uuid)` : sql``}`;
  const limit = 'id' in by ? 1 : by.limit + 1;
  const { rows } = await sql<InternshipRow>`
    select i.id, i.citizen_id, i.organisation_id, i.company_id, co.name as company_name, co.cvr as company_cvr,
           i.contact_id, ct.name as contact_name, i.purpose, i.purpose_text, i.from_date, i.to_date,
           i.planned_weekly_hours, i.min_plan, i.outcome, i.outcome_reason, i.version,
           coalesce((select json_agg(json_build_object('week_start', w.week_start, 'hours', w.hours) order by w.week_start)
                       from internship_weeks w where w.internship_id = i.id), '[]'::json) as weeks,
           coalesce((select json_agg(f order by f.held_on, f.id) from (
                       select fu.id, fu.held_on, fu.note, fu.created_by, u.name as created_by_name
                         from internship_follow_ups fu join users u on u.id = fu.created_by
                        where fu.internship_id = i.id) f), '[]'::json) as follow_ups
      from internships i
      join companies co on co.id = i.company_id
      left join company_contacts ct on ct.id = i.contact_id
     where ${where}
     order by i.from_date desc, i.id desc
     limit ${limit}`.execute(db);
  return rows;
}

/** The internship's citizen, period and company name, for the access check and the timeline; locked for the change. */
export function internshipHead(db: Q, id: string) {
  return db
    .selectFrom('internships as i')
    .innerJoin('companies as co', 'co.id', 'i.company_id')
    .select(['i.id', 'i.citizen_id', 'i.organisation_id', 'i.from_date', 'i.to_date', 'i.version', 'i.min_plan', 'i.outcome', 'i.company_id', 'co.name as company_name'])
    .where('i.id', '=', id)
    .forUpdate('i')
    .executeTakeFirst();
}

/** Upserts the weeks and answers the earlier hours of each (null for a new week). */
export async function upsertWeeks(db: Q, internshipId: string, organisationId: string, recordedBy: string, weeks: { weekStart: string; hours: number }[]) {
  const { rows } = await sql<{ week_start: string; hours: number; previous: number | null }>`
    with input as (
      select x.week_start, x.hours from json_to_recordset(${JSON.stringify(weeks.map((w) => ({ week_start: w.weekStart, hours: w.hours })))}::json) as x(week_start date, hours numeric)
    ), before as (
      select w.week_start, w.hours from internship_weeks w join input on input.week_start = w.week_start where w.internship_id = ${internshipId}::uuid
    ), written as (
      insert into internship_weeks (internship_id, week_start, hours, organisation_id, recorded_by)
      select ${internshipId}::uuid, week_start, hours, ${organisationId}::uuid, ${recordedBy}::uuid from input
      on conflict (internship_id, week_start) do update set hours = excluded.hours, recorded_by = excluded.recorded_by, recorded_at = now()
      returning week_start, hours
    )
    select written.week_start, written.hours, before.hours as previous
      from written left join before on before.week_start = written.week_start
     order by written.week_start`.execute(db);
  return rows;
}

/** Weeks recorded outside a period, to refuse shortening the internship past them. */
export async function weeksOutside(db: Q, internshipId: string, fromDate: string, toDate: string): Promise<number> {
  const row = await db
    .selectFrom('internship_weeks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('internship_id', '=', internshipId)
    .where(sql<SqlBool>`week_start + 6 < ${fromDate}::date or week_start > ${toDate}::date`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertFollowUp(db: Q, f: { organisationId: string; internshipId: string; heldOn: string; note: string; createdBy: string }) {
  const row = await db
    .insertInto('internship_follow_ups')
    .values({ organisation_id: f.organisationId, internship_id: f.internshipId, held_on: f.heldOn, note: f.note, created_by: f.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function updateInternship(db: Q, id: string, version: number, changes: Updateable<Database['internships']>) {
  return db
    .updateTable('internships')
    .set({ ...changes, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(['id', 'to_date', 'min_plan', 'outcome'])
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------------------------
// Upskilling

/** Whether the goal belongs to a plan of this citizen. */
export async function goalOfCitizen(db: Q, goalId: string, citizenId: string): Promise<boolean> {
  const row = await db
    .selectFrom('plan_goals as g')
    .innerJoin('plans as p', 'p.id', 'g.plan_id')
    .select('g.id')
    .where('g.id', '=', goalId)
    .where('p.citizen_id', '=', citizenId)
    .executeTakeFirst();
  return !!row;
}

export async function insertUpskilling(
  db: Q,
  u: { organisationId: string; citizenId: string; kind: 'course' | 'certificate' | 'education'; title: string; provider: string; fromDate: string; toDate: string | null; status: 'planned' | 'ongoing' | 'completed' | 'dropped'; outcome: string | null; goalId: string | null; minPlan: 'yes' | 'no' | 'not_relevant'; createdBy: string },
) {
  const row = await db
    .insertInto('upskilling')
    .values({
      organisation_id: u.organisationId,
      citizen_id: u.citizenId,
      kind: u.kind,
      title: u.title,
      provider: u.provider,
      from_date: u.fromDate,
      to_date: u.toDate,
      status: u.status,
      outcome: u.outcome,
      goal_id: u.goalId,
      min_plan: u.minPlan,
      created_by: u.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface UpskillingRow {
  id: string;
  citizen_id: string;
  kind: 'course' | 'certificate' | 'education';
  title: string;
  provider: string;
  from_date: string;
  to_date: string | null;
  status: 'planned' | 'ongoing' | 'completed' | 'dropped';
  outcome: string | null;
  goal_id: string | null;
  goal_text: string | null;
  min_plan: 'yes' | 'no' | 'not_relevant';
  version: number;
}

export function upskillingOf(db: Q, by: { id: string } | { citizenId: string; after: ActivityCursor | undefined; limit: number }) {
  let q = db
    .selectFrom('upskilling as u')
    .leftJoin('plan_goals as g', 'g.id', 'u.goal_id')
    .select(['u.id', 'u.citizen_id', 'u.kind', 'u.title', 'u.provider', 'u.from_date', 'u.to_date', 'u.status', 'u.outcome', 'u.goal_id', 'g.text as goal_text', 'u.min_plan', 'u.version']);
  if ('id' in by) return q.where('u.id', '=', by.id).execute() as Promise<UpskillingRow[]>;
  q = q.where('u.citizen_id', '=', by.citizenId);
  if (by.after) q = q.where(sql<SqlBool>`(u.from_date, u.id) < (${by.after.d}::date, ${by.after.id}::uuid)`);
  return q.orderBy('u.from_date', 'desc').orderBy('u.id', 'desc').limit(by.limit + 1).execute() as Promise<UpskillingRow[]>;
}

export function upskillingHead(db: Q, id: string) {
  return db
    .selectFrom('upskilling')
    .select(['id', 'citizen_id', 'organisation_id', 'from_date', 'to_date', 'title', 'status', 'min_plan', 'version'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function updateUpskilling(db: Q, id: string, version: number, changes: Updateable<Database['upskilling']>) {
  return db
    .updateTable('upskilling')
    .set({ ...changes, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(['id', 'title', 'status', 'min_plan', 'from_date', 'to_date'])
    .executeTakeFirst();
}
