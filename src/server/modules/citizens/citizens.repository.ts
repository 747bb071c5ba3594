// SQL for citizens, their enrolments and teams, status history, notes and timeline events.
// Every list query takes the caller's visibility scope, so results hold only what the caller may see.
import { sql, type Expression, type ExpressionBuilder, type Insertable, type Kysely, type SqlBool, type Updateable } from 'kysely';
import type { Database, EnrolmentStatus, StatusPeriodsTable, TeamRole } from '../../db/schema.ts';

type Q = Kysely<Database>;

/** What a staff member may see, resolved from their roles before any query runs. */
export interface VisibilityScope {
  userId: string;
  organisationId: string;
  /** Programmes in which every enrolled citizen is visible (programme manager; consultants where allowed). */
  wideProgrammeIds: string[];
  /** Programmes in which citizens are visible when the user is on their team today. */
  teamProgrammeIds: string[];
  /** Whether the caller still holds a case role, which the "created by me, not yet enrolled" rule needs. */
  ownUnenrolled: boolean;
  today: string;
}

const uuidArray = (ids: string[]) => sql`${ids}::uuid[]`;

const activeToday = (today: string) => sql<SqlBool>`tm.valid_from <= ${today} and (tm.valid_to is null or tm.valid_to >= ${today})`;

/**
 * Citizens enrolled in a programme where the caller sees everyone (programme manager; consultants where the
 * programme allows it). An EXISTS per row, so the list can walk the name index: such programmes hold many of
 * the organisation's citizens, and visible rows come densely.
 */
function inWideProgramme(eb: ExpressionBuilder<Database, 'citizens'>, wide: string[], mode: 'all' | 'mine'): Expression<SqlBool> {
  return eb.exists(
    eb
      .selectFrom('enrolments as e')
      .select(sql`1`.as('one'))
      .whereRef('e.citizen_id', '=', 'citizens.id')
      .where(sql<SqlBool>`e.programme_id = any(${uuidArray(wide)})`)
      .$if(mode === 'mine', (q) => q.where('e.status', '<>', 'ended')),
  );
}

/**
 * Citizens whose team the caller is on today, in a programme where that relation counts. Driven from the
 * caller's own team memberships (a caseload of tens), never by walking all citizens in name order, which
 * with thousands of consultants would read nearly every citizen to find a few.
 */
function onTeamToday(scope: VisibilityScope, mode: 'all' | 'mine'): Expression<SqlBool> {
  return sql<SqlBool>`citizens.id in (
    select e.citizen_id from team_members tm join enrolments e on e.id = tm.enrolment_id
     where tm.user_id = ${scope.userId} and ${activeToday(scope.today)}
       and e.programme_id = any(${uuidArray(scope.teamProgrammeIds)})
       ${mode === 'mine' ? sql`and e.status <> 'ended'` : sql``})`;
}

/** A citizen not yet enrolled anywhere is visible only to the staff member who created the record. */
function createdAndNotEnrolled(eb: ExpressionBuilder<Database, 'citizens'>, scope: VisibilityScope): Expression<SqlBool> {
  if (!scope.ownUnenrolled) return sql<SqlBool>`false`;
  return eb.and([
    eb('citizens.created_by', '=', scope.userId),
    eb.not(eb.exists(eb.selectFrom('enrolments as e').select(sql`1`.as('one')).whereRef('e.citizen_id', '=', 'citizens.id'))),
  ]);
}

export interface CitizenCursor {
  l: string;
  f: string;
  id: string;
}

export interface CitizenFilters {
  nameWords?: string[];
  cprHash?: string;
  birthDates?: string[];
  programmeId?: string;
  consultantId?: string;
  status?: EnrolmentStatus;
}

const LIST_COLUMNS = ['citizens.id', 'first_name', 'last_name', 'birth_date', 'cpr_is_replacement', 'citizens.is_demo'] as const;

/**
 * The citizens whose name holds every word, when there are at most NAME_CANDIDATES of them, narrowed to those
 * the caller may see; null when there are more (the list then walks the name index instead). One statement:
 * the trigram index finds the matches, and the visibility rule (the same as the list arms) is checked on the
 * matches' enrolments by index look-ups, so no plan scans every enrolment.
 */
async function visibleNameCandidates(db: Q, scope: VisibilityScope, mode: 'all' | 'mine', likes: string[]): Promise<string[] | null> {
  let found = db.selectFrom('citizens').select('id').where('organisation_id', '=', scope.organisationId);
  for (const pattern of likes) found = found.where('search_name', 'like', pattern);
  const wide = mode === 'all' ? scope.wideProgrammeIds : [];
  const viaEnrolment = db
    .selectFrom('enrolments as e')
    .leftJoin('team_members as tm', (j) => j.onRef('tm.enrolment_id', '=', 'e.id').on('tm.user_id', '=', scope.userId).on(activeToday(scope.today)))
    .select('e.citizen_id as id')
    .where(sql<SqlBool>`e.citizen_id in (select id from found)`)
    .where('e.organisation_id', '=', scope.organisationId)
    .where(sql<SqlBool>`(e.programme_id = any(${uuidArray(wide)}) or (e.programme_id = any(${uuidArray(scope.teamProgrammeIds)}) and tm.id is not null))`)
    .$if(mode === 'mine', (q) => q.where('e.status', '<>', 'ended'));
  const ownUnenrolled = db
    .selectFrom('citizens')
    .select('id')
    .where(sql<SqlBool>`id in (select id from found)`)
    .where((eb) => (mode === 'all' ? createdAndNotEnrolled(eb, scope) : sql<SqlBool>`false`));
  const { rows } = await sql<{ n: number; ids: string[] | null }>`
    with found as (${found.limit(NAME_CANDIDATES + 1)})
    select n, case when n <= ${NAME_CANDIDATES} then array(select v.id from (${viaEnrolment} union ${ownUnenrolled}) as v) end as ids
      from (select count(*)::int as n from found) as counted`.execute(db);
  const row = rows[0]!;
  return row.n > NAME_CANDIDATES ? null : (row.ids ?? []);
}

/** Up to this many name matches, a search starts from the matches; beyond it, from the name order. */
const NAME_CANDIDATES = 2000;

/**
 * One page of the caller's visible citizens in name order. Each way of being visible is an arm (a wide
 * programme, the caller's teams, records the caller created and nobody enrolled), present only when it can
 * hold anyone, each ordered and limited on its own with the plan that suits its size, merged in SQL. A name search first
 * asks the trigram index how many citizens match: a rare name is then looked up by its few ids (so it does
 * not walk the whole name index), a common one walks the name index, where matches are dense.
 */
export async function listCitizens(db: Q, scope: VisibilityScope, mode: 'all' | 'mine', filters: CitizenFilters, after: CitizenCursor | undefined, limit: number) {
  const nameWords = filters.nameWords ?? [];
  const like = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // Candidates pay off only for a wide arm, which would otherwise walk the name index looking for a rare name;
  // the other arms start from the caller's own few rows. The trigram index needs three letters a word.
  const wideArm = mode === 'all' && scope.wideProgrammeIds.length > 0;
  const candidateIds =
    wideArm && nameWords.length > 0 && nameWords.every((w) => [...w].length >= 3) ? await visibleNameCandidates(db, scope, mode, nameWords.map(like)) : null;

  const arm = (visible: (eb: ExpressionBuilder<Database, 'citizens'>) => Expression<SqlBool>, small: boolean) => {
    let q = db
      .selectFrom('citizens')
      .select(LIST_COLUMNS)
      .where('citizens.organisation_id', '=', scope.organisationId)
      .where(visible);
    if (candidateIds) {
      q = q.where(sql<SqlBool>`citizens.id = any(${uuidArray(candidateIds)})`);
    } else {
      for (const word of nameWords) q = q.where('search_name', 'like', like(word));
    }
    if (filters.cprHash) q = q.where('cpr_hash', '=', filters.cprHash);
    if (filters.birthDates) q = q.where(sql<SqlBool>`birth_date = any(${filters.birthDates}::date[])`);
    if (filters.programmeId || filters.status) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('enrolments as f')
            .select(sql`1`.as('one'))
            .whereRef('f.citizen_id', '=', 'citizens.id')
            .$if(!!filters.programmeId, (s) => s.where('f.programme_id', '=', filters.programmeId!))
            .$if(!!filters.status, (s) => s.where('f.status', '=', filters.status!)),
        ),
      );
    }
    if (filters.consultantId) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('enrolments as f')
            .innerJoin('team_members as tm', 'tm.enrolment_id', 'f.id')
            .select(sql`1`.as('one'))
            .whereRef('f.citizen_id', '=', 'citizens.id')
            .where('tm.user_id', '=', filters.consultantId!)
            .where('tm.role', '=', 'resource_consultant')
            .where(activeToday(scope.today)),
        ),
      );
    }
    if (after) q = q.where(sql<SqlBool>`(lower(last_name), lower(first_name), citizens.id) > (${after.l}, ${after.f}, ${after.id}::uuid)`);
    // A small arm (a few candidate ids, the caller's own caseload or records) sorts just its rows: `|| ''` keeps
    // the order but stops the planner from walking the whole name index in order and filtering row by row.
    const lastName = small ? sql`lower(last_name) || ''` : sql`lower(last_name)`;
    return q.orderBy(lastName).orderBy(sql`lower(first_name)`).orderBy('citizens.id').limit(limit + 1);
  };

  // Candidates have been checked for visibility already: one plain query over them.
  if (candidateIds) return withLatestEnrolment(db, arm(() => sql<SqlBool>`true`, true), scope.today, limit);
  const arms = [
    ...(wideArm ? [arm((eb) => inWideProgramme(eb, scope.wideProgrammeIds, mode), false)] : []),
    ...(scope.teamProgrammeIds.length > 0 ? [arm(() => onTeamToday(scope, mode), true)] : []),
    ...(mode === 'all' && scope.ownUnenrolled ? [arm((eb) => createdAndNotEnrolled(eb, scope), true)] : []),
  ];
  if (arms.length === 0) return [];
  // `union` (not `union all`): a citizen reached two ways is listed once. The merge happens in SQL so the order
  // is the database's collation, the same one the cursor compares with.
  const merged = arms.slice(1).reduce((acc, next) => sql`${acc} union ${next}`, sql`${arms[0]!}`);
  return withLatestEnrolment(db, sql`(${merged})`, scope.today, limit);
}

export interface CitizenListRow {
  id: string;
  first_name: string;
  last_name: string;
  birth_date: string;
  cpr_is_replacement: boolean;
  is_demo: boolean;
  /** The newest enrolment (an open one before an ended one) with its resource consultants today. */
  enrolment: {
    id: string;
    programme_id: string;
    programme_name: string;
    status: EnrolmentStatus;
    start_date: string;
    consultants: { user_id: string; name: string }[];
  } | null;
}

/**
 * One page of list rows, each with its newest enrolment and that enrolment's resource consultants, in the same
 * statement: the page's rows come from `rows` (already limited to `limit + 1`), the enrolment per row by index.
 */
async function withLatestEnrolment(db: Q, rows: Expression<unknown>, today: string, limit: number): Promise<CitizenListRow[]> {
  const result = await sql<CitizenListRow>`
    select v.id, v.first_name, v.last_name, v.birth_date, v.cpr_is_replacement, v.is_demo,
           (select json_build_object(
                     'id', e.id, 'programme_id', e.programme_id, 'programme_name', p.name, 'status', e.status,
                     'start_date', e.start_date,
                     'consultants', coalesce((select json_agg(json_build_object('user_id', tm.user_id, 'name', u.name) order by u.name, tm.user_id)
                                                from team_members tm join users u on u.id = tm.user_id
                                               where tm.enrolment_id = e.id and tm.role = 'resource_consultant'
                                                 and tm.valid_from <= ${today} and (tm.valid_to is null or tm.valid_to >= ${today})), '[]'::json))
              from enrolments e join programmes p on p.id = e.programme_id
             where e.citizen_id = v.id
             order by e.status = 'ended', e.start_date desc, e.id
             limit 1) as enrolment
      from ${rows} as v
     order by lower(v.last_name), lower(v.first_name), v.id
     limit ${limit + 1}`.execute(db);
  return result.rows;
}

/**
 * The citizen's enrolments as the access chokepoint reads them (a JSON array of programme, the programme's
 * setting and the team on `today`), as a select expression over the citizen row `c`.
 */
export const enrolmentRelations = (today: string) => sql<{ programmeId: string; consultantsSeeAll: boolean; teamUserIds: string[] }[]>`coalesce((select json_agg(json_build_object(
                       'programmeId', e.programme_id,
                       'consultantsSeeAll', p.consultants_see_all,
                       'teamUserIds', coalesce((select json_agg(tm.user_id) from team_members tm
                                                 where tm.enrolment_id = e.id and tm.valid_from <= ${today}
                                                   and (tm.valid_to is null or tm.valid_to >= ${today})), '[]'::json)))
                       from enrolments e join programmes p on p.id = e.programme_id
                      where e.citizen_id = c.id), '[]'::json)`;

/** The facts the access chokepoint needs about one citizen, in one statement: its organisation and, per enrolment, the programme's setting and the team today. */
export async function citizenRelations(db: Q, citizenId: string, today: string) {
  const { rows } = await sql<{
    organisation_id: string;
    created_by: string;
    enrolments: { programmeId: string; consultantsSeeAll: boolean; teamUserIds: string[] }[];
  }>`
    select c.organisation_id, c.created_by,
           ${enrolmentRelations(today)} as enrolments
      from citizens c
     where c.id = ${citizenId}`.execute(db);
  const citizen = rows[0];
  if (!citizen) return undefined;
  return { organisationId: citizen.organisation_id, createdBy: citizen.created_by, enrolments: citizen.enrolments };
}

export interface CitizenPageRow {
  id: string;
  organisation_id: string;
  organisation_name: string;
  first_name: string;
  last_name: string;
  birth_date: string;
  cpr_is_replacement: boolean;
  phone: string | null;
  email: string | null;
  address: string | null;
  preferred_contact: string | null;
  note: string | null;
  is_demo: boolean;
  version: number;
  enrolments: {
    id: string;
    programme_id: string;
    programme_name: string;
    status: EnrolmentStatus;
    start_date: string;
    end_date: string | null;
    benefit_code: string;
    visitation_code: string | null;
    referral_source: string | null;
    referral_date: string | null;
    referral_reason: string | null;
    exit_outcome: string | null;
    version: number;
    team: {
      id: string;
      user_id: string;
      name: string;
      role: TeamRole;
      kind: 'permanent' | 'substitute';
      substitute_for: string | null;
      substitute_for_name: string | null;
      valid_from: string;
      valid_to: string | null;
    }[];
  }[];
  status_periods: {
    id: string;
    benefit_code: string;
    activity: StatusPeriodsTable['activity'];
    weekly_hours: number | null;
    from_date: string;
    to_date: string | null;
    note: string | null;
  }[];
  /** Hours reached in internships per week (the week's Monday) over the last 53 weeks, summed over internships. */
  internship_weeks: { week_start: string; hours: number }[];
}

/**
 * The citizen page in one statement: the record, its organisation, the enrolments (newest first) each with its
 * team today, the status history (newest first) and the internship hours per week, the nested parts as JSON.
 */
export async function citizenPage(db: Q, citizenId: string, today: string): Promise<CitizenPageRow | undefined> {
  const { rows } = await sql<CitizenPageRow>`
    select c.id, c.organisation_id, o.name as organisation_name, c.first_name, c.last_name, c.birth_date,
           c.cpr_is_replacement, c.phone, c.email, c.address, c.preferred_contact, c.note, c.is_demo, c.version,
           coalesce((select json_agg(x order by x.start_date desc, x.id) from (
                       select e.id, e.programme_id, p.name as programme_name, e.status, e.start_date, e.end_date,
                              e.benefit_code, e.visitation_code, e.referral_source, e.referral_date, e.referral_reason,
                              e.exit_outcome, e.version,
                              coalesce((select json_agg(t order by t.role, t.name) from (
                                          select tm.id, tm.user_id, u.name, tm.role, tm.kind, tm.substitute_for,
                                                 s.name as substitute_for_name, tm.valid_from, tm.valid_to
                                            from team_members tm
                                            join users u on u.id = tm.user_id
                                            left join users s on s.id = tm.substitute_for
                                           where tm.enrolment_id = e.id and tm.valid_from <= ${today}
                                             and (tm.valid_to is null or tm.valid_to >= ${today})) t), '[]'::json) as team
                         from enrolments e join programmes p on p.id = e.programme_id
                        where e.citizen_id = c.id) x), '[]'::json) as enrolments,
           coalesce((select json_agg(sp order by sp.from_date desc) from (
                       select id, benefit_code, activity, weekly_hours, from_date, to_date, note
                         from status_periods where citizen_id = c.id) sp), '[]'::json) as status_periods,
           coalesce((select json_agg(json_build_object('week_start', w.week_start, 'hours', w.hours) order by w.week_start desc) from (
                       select iw.week_start, sum(iw.hours) as hours
                         from internships i join internship_weeks iw on iw.internship_id = i.id
                        where i.citizen_id = c.id and iw.week_start >= ${today}::date - 371
                        group by iw.week_start) w), '[]'::json) as internship_weeks
      from citizens c
      join organisations o on o.id = c.organisation_id
     where c.id = ${citizenId}`.execute(db);
  return rows[0];
}

export function citizenById(db: Q, id: string) {
  return db
    .selectFrom('citizens as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .selectAll('c')
    .select('o.name as organisation_name')
    .where('c.id', '=', id)
    .executeTakeFirstOrThrow();
}

export function citizenByCprHash(db: Q, organisationId: string, cprHash: string) {
  return db.selectFrom('citizens').select('id').where('organisation_id', '=', organisationId).where('cpr_hash', '=', cprHash).executeTakeFirst();
}

/** Active programme managers of the organisation in the given programmes (or any), by name (whom to ask about a case). */
export async function programmeManagers(db: Q, organisationId: string, programmeIds: string[] | 'any') {
  if (programmeIds !== 'any' && programmeIds.length === 0) return [];
  let q = db
    .selectFrom('user_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select('u.name')
    .distinct()
    .where('r.role', '=', 'programme_manager');
  if (programmeIds !== 'any') q = q.where('r.programme_id', 'in', programmeIds);
  return q
    .where('u.organisation_id', '=', organisationId)
    .where('u.active', '=', true)
    .orderBy('u.name')
    .limit(10)
    .execute();
}


export function programmeForEnrolment(db: Q, programmeId: string) {
  return db
    .selectFrom('programmes')
    .select(['id', 'name', 'organisation_id', 'starts_on', 'ends_on', 'capacity', 'consultants_see_all', 'caseload_ceiling'])
    .where('id', '=', programmeId)
    .executeTakeFirst();
}

export async function activeCount(db: Q, programmeId: string): Promise<number> {
  const row = await db
    .selectFrom('enrolments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('programme_id', '=', programmeId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Users of the organisation holding one of the roles in the programme, for team validation. */
export function programmeStaff(db: Q, programmeId: string, organisationIds: string[], userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('user_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['r.user_id', 'r.role', 'u.organisation_id', 'o.kind as organisation_kind', 'u.name'])
    .where('r.programme_id', '=', programmeId)
    .where('u.active', '=', true)
    .where('u.organisation_id', 'in', organisationIds)
    .where('r.user_id', 'in', userIds)
    .execute();
}

export function recordEvent(
  db: Q,
  e: { organisationId: string; citizenId: string; kind: string; refId?: string | null; actorId: string | null; data?: Record<string, unknown>; occurredAt?: Date },
) {
  return db
    .insertInto('citizen_events')
    .values({
      organisation_id: e.organisationId,
      citizen_id: e.citizenId,
      kind: e.kind,
      ref_id: e.refId ?? null,
      actor_id: e.actorId,
      data: JSON.stringify(e.data ?? {}),
      ...(e.occurredAt ? { occurred_at: e.occurredAt } : {}),
    })
    .execute();
}

export interface TimelineCursor {
  at: string;
  id: string;
}

export function timeline(db: Q, citizenId: string, kinds: string[] | undefined, after: TimelineCursor | undefined, limit: number) {
  let q = db
    .selectFrom('citizen_events as ev')
    .leftJoin('users as u', 'u.id', 'ev.actor_id')
    .select(['ev.id', 'ev.occurred_at', 'ev.kind', 'ev.ref_id', 'ev.actor_id', 'u.name as actor_name', 'ev.data'])
    .where('ev.citizen_id', '=', citizenId);
  if (kinds && kinds.length > 0) {
    q = q.where((eb) => eb.or(kinds.map((k) => eb('ev.kind', 'like', `${k}.%`))));
  }
  if (after) q = q.where(sql<SqlBool>`(ev.occurred_at, ev.id) < (${new Date(after.at)}, ${after.id}::uuid)`);
  return q.orderBy('ev.occurred_at', 'desc').orderBy('ev.id', 'desc').limit(limit + 1).execute();
}

export function codeValues(db: Q, organisationId: string) {
  return db
    .selectFrom('code_values')
    .selectAll()
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)]))
    .orderBy('list')
    .orderBy('position')
    .orderBy('code')
    .execute();
}

export interface NoteCursor {
  /** created_at in microseconds since 1970 (exact: a millisecond timestamp would skip or repeat notes). */
  us: string;
  id: string;
}

/** One page of the citizen's notes, newest first, by the keyset (created_at, id); one row more than `limit`. */
export function notesOf(db: Q, citizenId: string, after: NoteCursor | undefined, limit: number) {
  let q = db
    .selectFrom('notes as n')
    .innerJoin('users as a', 'a.id', 'n.author_id')
    .selectAll('n')
    .select('a.name as author_name')
    .select(sql<string>`(extract(epoch from n.created_at) * 1000000)::bigint::text`.as('created_us'))
    .select(
      sql<{ id: string; body: string; created_at: string }[]>`coalesce((select json_agg(json_build_object('id', r.id, 'body', r.body, 'created_at', r.created_at) order by r.created_at, r.id)
                 from note_portal_remarks r where r.note_id = n.id), '[]'::json)`.as('portal_remarks'),
    )
    .where('n.citizen_id', '=', citizenId);
  if (after) {
    q = q.where(sql<SqlBool>`(n.created_at, n.id) < (timestamptz 'epoch' + ${after.us}::bigint * interval '1 microsecond', ${after.id}::uuid)`);
  }
  return q.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(limit + 1).execute();
}

export function revisionsOf(db: Q, noteIds: string[]) {
  if (noteIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('note_revisions as r')
    .innerJoin('users as u', 'u.id', 'r.written_by')
    .selectAll('r')
    .select('u.name as writer_name')
    .where('r.note_id', 'in', noteIds)
    .orderBy('r.revision')
    .execute();
}

export function noteById(db: Q, id: string) {
  return db.selectFrom('notes').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * A new note, its first revision and its timeline event in one statement (data-modifying CTEs): a note is
 * never without its text, nor without its event.
 */
export async function insertNote(
  db: Q,
  n: {
    organisationId: string;
    citizenId: string;
    kind: 'journal' | 'external_assessment' | 'citizen_remark';
    remarkOn?: string;
    sensitivity: 'normal' | 'sensitive';
    source: string | null;
    authorId: string;
    body: string;
    event: { kind: string; data: Record<string, unknown> };
    /** Show the note to the citizen when their programme shows notes (an ordinary municipal journal note only). */
    offerToCitizen?: boolean;
  },
): Promise<{ id: string; citizen_visible: boolean }> {
  const offer = n.offerToCitizen === true && n.kind === 'journal' && n.sensitivity === 'normal';
  const visible = offer
    ? sql`exists (select 1 from enrolments e join programmes p on p.id = e.programme_id join organisations o on o.id = e.organisation_id
                   where e.citizen_id = ${n.citizenId} and e.status <> 'ended' and p.show_notes_to_citizen and o.kind = 'municipality')`
    : sql`false`;
  const { rows } = await sql<{ id: string; citizen_visible: boolean }>`
    with note as (
      insert into notes (organisation_id, citizen_id, kind, remark_on, sensitivity, source, author_id, citizen_visible)
      values (${n.organisationId}, ${n.citizenId}, ${n.kind}, ${n.remarkOn ?? null}, ${n.sensitivity}, ${n.source}, ${n.authorId}, ${visible})
      returning id, citizen_visible
    ), revision as (
      insert into note_revisions (note_id, revision, body, written_by) select id, 1, ${n.body}, ${n.authorId} from note
    ), event as (
      insert into citizen_events (organisation_id, citizen_id, kind, ref_id, actor_id, data)
      select ${n.organisationId}, ${n.citizenId}, ${n.event.kind}, id, ${n.authorId}, ${JSON.stringify(n.event.data)}::jsonb from note
    )
    select id, citizen_visible from note`.execute(db);
  return rows[0]!;
}

/** Adds a revision when the version matches; returns the new revision number, or undefined when stale. */
export async function reviseNote(db: Q, id: string, version: number, r: { body: string; reason: string; writtenBy: string }) {
  const updated = await db
    .updateTable('notes')
    .set((eb) => ({ revision: eb('revision', '+', 1), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('revision')
    .executeTakeFirst();
  if (!updated) return undefined;
  await db.insertInto('note_revisions').values({ note_id: id, revision: updated.revision, body: r.body, reason: r.reason, written_by: r.writtenBy }).execute();
  return updated.revision;
}

/** Ids of the programmes (of every organisation: programme settings are not personal data) whose consultants see all. */
export async function programmesWhereConsultantsSeeAll(db: Q): Promise<string[]> {
  const rows = await db.selectFrom('programmes').select('id').where('consultants_see_all', '=', true).execute();
  return rows.map((r) => r.id);
}

/** Per resource consultant of the programme: enrolments by status where they are on the team today. */
export function caseloadCounts(db: Q, programmeId: string, today: string) {
  return db
    .selectFrom('user_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .leftJoin('team_members as tm', (j) =>
      j
        .onRef('tm.user_id', '=', 'r.user_id')
        .on('tm.role', '=', 'resource_consultant')
        .on('tm.valid_from', '<=', today)
        .on((w) => w.or([w('tm.valid_to', 'is', null), w('tm.valid_to', '>=', today)])),
    )
    .leftJoin('enrolments as e', (j) => j.onRef('e.id', '=', 'tm.enrolment_id').on('e.programme_id', '=', programmeId))
    .select(['u.id', 'u.name'])
    .select((eb) => [
      eb.fn.count<number>(eb.case().when('e.status', '=', 'active').then(1).end()).as('active'),
      eb.fn.count<number>(eb.case().when('e.status', '=', 'paused').then(1).end()).as('paused'),
      eb.fn.count<number>(eb.case().when('e.status', '=', 'referred').then(1).end()).as('referred'),
    ])
    .where('r.programme_id', '=', programmeId)
    .where('r.role', '=', 'resource_consultant')
    .where('u.active', '=', true)
    .groupBy(['u.id', 'u.name'])
    .orderBy('u.name')
    .execute();
}

export function substitutesToday(db: Q, programmeId: string, today: string) {
  return db
    .selectFrom('team_members as tm')
    .innerJoin('enrolments as e', 'e.id', 'tm.enrolment_id')
    .innerJoin('users as s', 's.id', 'tm.substitute_for')
    .select(['tm.user_id', 'tm.substitute_for', 's.name as substitute_for_name'])
    .distinct()
    .where('e.programme_id', '=', programmeId)
    .where('tm.kind', '=', 'substitute')
    .where('tm.valid_from', '<=', today)
    .where('tm.valid_to', '>=', today)
    .execute();
}

/** Open enrolments of the programme where the user is a permanent resource consultant on `onDate`. */
export function caseloadOf(db: Q, programmeId: string, organisationId: string, userId: string, onDate: string) {
  return db
    .selectFrom('team_members as tm')
    .innerJoin('enrolments as e', 'e.id', 'tm.enrolment_id')
    .select(['tm.id as member_id', 'tm.valid_from', 'e.id as enrolment_id', 'e.citizen_id', 'e.organisation_id'])
    .where('e.programme_id', '=', programmeId)
    .where('e.organisation_id', '=', organisationId)
    .where('e.status', '<>', 'ended')
    .where('tm.user_id', '=', userId)
    .where('tm.role', '=', 'resource_consultant')
    .where('tm.kind', '=', 'permanent')
    .where('tm.valid_from', '<=', onDate)
    .where((w) => w.or([w('tm.valid_to', 'is', null), w('tm.valid_to', '>=', onDate)]))
    // Locks the rows, so two handovers of the same caseload run one after the other.
    .forUpdate()
    .execute();
}

export function endMemberships(db: Q, memberIds: string[], validTo: string) {
  if (memberIds.length === 0) return Promise.resolve([]);
  return db.updateTable('team_members').set({ valid_to: validTo }).where('id', 'in', memberIds).execute();
}

export function insertTeamMembers(db: Q, rows: Insertable<Database['team_members']>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('team_members').values(rows).execute();
}

export function insertEvents(db: Q, rows: { organisation_id: string; citizen_id: string; kind: string; ref_id: string | null; actor_id: string; data: string; occurred_at?: Date }[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('citizen_events').values(rows).execute();
}

export async function partnerOrganisationIds(db: Q, programmeId: string): Promise<string[]> {
  const rows = await db.selectFrom('programme_partners').select('organisation_id').where('programme_id', '=', programmeId).execute();
  return rows.map((r) => r.organisation_id);
}

export function codeValueById(db: Q, id: string) {
  return db.selectFrom('code_values').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertCodeValue(db: Q, v: Insertable<Database['code_values']>) {
  return db.insertInto('code_values').values(v).returningAll().executeTakeFirstOrThrow();
}

export function updateCodeValue(db: Q, id: string, version: number, changes: { label_da?: string; label_en?: string; valid_to?: string | null }) {
  return db
    .updateTable('code_values')
    .set((eb) => ({ ...changes, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export function insertCitizen(db: Q, values: Insertable<Database['citizens']>) {
  return db.insertInto('citizens').values(values).returning('id').executeTakeFirstOrThrow();
}

/** Updates when the version matches; undefined on a stale version. */
export function updateCitizen(db: Q, id: string, version: number, changes: Updateable<Database['citizens']>) {
  return db
    .updateTable('citizens')
    .set((eb) => ({ ...changes, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export function openEnrolment(db: Q, citizenId: string, programmeId: string) {
  return db.selectFrom('enrolments').select('id').where('citizen_id', '=', citizenId).where('programme_id', '=', programmeId).where('status', '<>', 'ended').executeTakeFirst();
}

export function enrolmentById(db: Q, id: string) {
  return db.selectFrom('enrolments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertEnrolment(db: Q, values: Insertable<Database['enrolments']>) {
  return db.insertInto('enrolments').values(values).returning('id').executeTakeFirstOrThrow();
}

export function updateEnrolment(db: Q, id: string, version: number, changes: Updateable<Database['enrolments']>) {
  return db
    .updateTable('enrolments')
    .set((eb) => ({ ...changes, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export async function hasStatusPeriods(db: Q, citizenId: string): Promise<boolean> {
  return !!(await db.selectFrom('status_periods').select('id').where('citizen_id', '=', citizenId).limit(1).executeTakeFirst());
}

export function insertStatusPeriod(db: Q, values: Insertable<Database['status_periods']>) {
  return db.insertInto('status_periods').values(values).returning('id').executeTakeFirstOrThrow();
}

/** Ends the open period that began before `from`, on `endOn`: the history has one status at a time. */
export function closeOpenStatusPeriod(db: Q, citizenId: string, from: string, endOn: string) {
  return db.updateTable('status_periods').set({ to_date: endOn }).where('citizen_id', '=', citizenId).where('to_date', 'is', null).where('from_date', '<', from).execute();
}

/** Names of the users and programmes among the ids, as one id → name map (unknown ids are left out). */
export async function namesFor(db: Q, ids: string[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const { rows } = await sql<{ id: string; name: string }>`
    select id, name from users where id = any(${uuidArray(ids)})
    union all
    select id, name from programmes where id = any(${uuidArray(ids)})`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

/**
 * Locks the citizen's row (changes to the status history of one citizen run one at a time) and returns the
 * start of the latest status period, read under that lock, in one statement.
 */
export async function lockCitizenForStatus(db: Q, citizenId: string): Promise<{ latestFrom: string | null }> {
  const { rows } = await sql<{ latest_from: string | null }>`
    select (select from_date from status_periods where citizen_id = c.id order by from_date desc limit 1) as latest_from
      from citizens c where c.id = ${citizenId} for update of c`.execute(db);
  if (!rows[0]) throw new Error('the citizen disappeared within the transaction');
  return { latestFrom: rows[0].latest_from };
}
