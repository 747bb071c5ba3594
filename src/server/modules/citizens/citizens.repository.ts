// SQL for citizens, their enrolments and teams, status history, notes and timeline events.
// Every list query takes the caller's visibility scope, so results hold only what the caller may see.
import { sql, type Expression, type ExpressionBuilder, type Insertable, type Kysely, type SqlBool, type Updateable } from 'kysely';
import type { Database, EnrolmentStatus, TeamRole } from '../../db/schema.ts';

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
 * Citizens reached through an enrolment: in a programme where the caller sees everyone, or in one where the
 * caller is on the team today. One EXISTS (not inside an OR) so PostgreSQL runs it as a semi-join per row
 * instead of hashing the caller's whole visible set before the first row.
 */
function reachedThroughEnrolment(eb: ExpressionBuilder<Database, 'citizens'>, scope: VisibilityScope, mode: 'all' | 'mine'): Expression<SqlBool> {
  const wide = mode === 'all' ? scope.wideProgrammeIds : [];
  return eb.exists(
    eb
      .selectFrom('enrolments as e')
      .leftJoin('team_members as tm', (j) => j.onRef('tm.enrolment_id', '=', 'e.id').on('tm.user_id', '=', scope.userId).on(activeToday(scope.today)))
      .select(sql`1`.as('one'))
      .whereRef('e.citizen_id', '=', 'citizens.id')
      .where(sql<SqlBool>`(e.programme_id = any(${uuidArray(wide)}) or (e.programme_id = any(${uuidArray(scope.teamProgrammeIds)}) and tm.id is not null))`)
      .$if(mode === 'mine', (q) => q.where('e.status', '<>', 'ended')),
  );
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
 * Which of a few candidate citizens the caller may see, by index lookups on the candidates' enrolments
 * (the same rule as the list arms, written as joins so no plan scans every enrolment).
 */
async function visibleAmong(db: Q, scope: VisibilityScope, mode: 'all' | 'mine', ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const wide = mode === 'all' ? scope.wideProgrammeIds : [];
  const viaEnrolment = await db
    .selectFrom('enrolments as e')
    .leftJoin('team_members as tm', (j) => j.onRef('tm.enrolment_id', '=', 'e.id').on('tm.user_id', '=', scope.userId).on(activeToday(scope.today)))
    .select('e.citizen_id')
    .distinct()
    .where(sql<SqlBool>`e.citizen_id = any(${uuidArray(ids)})`)
    .where('e.organisation_id', '=', scope.organisationId)
    .where(sql<SqlBool>`(e.programme_id = any(${uuidArray(wide)}) or (e.programme_id = any(${uuidArray(scope.teamProgrammeIds)}) and tm.id is not null))`)
    .$if(mode === 'mine', (q) => q.where('e.status', '<>', 'ended'))
    .execute();
  const visible = viaEnrolment.map((r) => r.citizen_id);
  if (mode === 'all') {
    const own = await db
      .selectFrom('citizens')
      .select('id')
      .where(sql<SqlBool>`id = any(${uuidArray(ids)})`)
      .where((eb) => createdAndNotEnrolled(eb, scope))
      .execute();
    visible.push(...own.map((r) => r.id));
  }
  return visible;
}

/** Up to this many name matches, a search starts from the matches; beyond it, from the name order. */
const NAME_CANDIDATES = 2000;

/**
 * One page of the caller's visible citizens in name order. The two ways of being visible are two arms,
 * each ordered and limited on its own (both can walk the name index), merged in SQL. A name search first
 * asks the trigram index how many citizens match: a rare name is then looked up by its few ids (so it does
 * not walk the whole name index), a common one walks the name index, where matches are dense.
 */
export async function listCitizens(db: Q, scope: VisibilityScope, mode: 'all' | 'mine', filters: CitizenFilters, after: CitizenCursor | undefined, limit: number) {
  const nameWords = filters.nameWords ?? [];
  const like = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let candidateIds: string[] | null = null;
  if (nameWords.length) {
    let m = db.selectFrom('citizens').select('id').where('organisation_id', '=', scope.organisationId);
    for (const word of nameWords) m = m.where('search_name', 'like', like(word));
    const found = await m.limit(NAME_CANDIDATES + 1).execute();
    if (found.length <= NAME_CANDIDATES) candidateIds = await visibleAmong(db, scope, mode, found.map((r) => r.id));
  }

  const arm = (visible: (eb: ExpressionBuilder<Database, 'citizens'>) => Expression<SqlBool>) => {
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
    // With a few candidate ids, sort just those: `|| ''` keeps the order but stops the planner from walking
    // the whole name index in order and filtering by id, which is slow for a name late in the alphabet.
    const lastName = candidateIds ? sql`lower(last_name) || ''` : sql`lower(last_name)`;
    return q.orderBy(lastName).orderBy(sql`lower(first_name)`).orderBy('citizens.id').limit(limit + 1);
  };

  // Candidates have been checked for visibility already: one plain query over them.
  if (candidateIds) return arm(() => sql<SqlBool>`true`).execute();
  const enrolled = arm((eb) => reachedThroughEnrolment(eb, scope, mode));
  if (mode === 'mine') return enrolled.execute();
  // The tiny "created by me, not yet enrolled" arm walks citizens_created_by; the merge happens in SQL so
  // the order is the database's collation, the same one the cursor compares with.
  const notEnrolled = arm((eb) => createdAndNotEnrolled(eb, scope));
  const merged = await sql<Awaited<ReturnType<typeof enrolled.execute>>[number]>`
    select * from (${enrolled} union all ${notEnrolled}) as v
    order by lower(v.last_name), lower(v.first_name), v.id
    limit ${limit + 1}`.execute(db);
  return merged.rows;
}

/** The newest enrolment of each citizen with its programme, and the resource consultants on its team today. */
export async function latestEnrolments(db: Q, citizenIds: string[], today: string) {
  if (citizenIds.length === 0) return [];
  const enrolments = await db
    .selectFrom('enrolments as e')
    .innerJoin('programmes as p', 'p.id', 'e.programme_id')
    .select(['e.id', 'e.citizen_id', 'e.programme_id', 'p.name as programme_name', 'e.status', 'e.start_date'])
    .distinctOn('e.citizen_id')
    .where('e.citizen_id', 'in', citizenIds)
    .orderBy('e.citizen_id')
    .orderBy(sql`e.status = 'ended'`)
    .orderBy('e.start_date', 'desc')
    .execute();
  const consultants = await teamToday(db, enrolments.map((e) => e.id), today, ['resource_consultant']);
  return enrolments.map((e) => ({ ...e, consultants: consultants.filter((c) => c.enrolment_id === e.id) }));
}

export async function teamToday(db: Q, enrolmentIds: string[], today: string, roles?: TeamRole[]) {
  if (enrolmentIds.length === 0) return [];
  return db
    .selectFrom('team_members as tm')
    .innerJoin('users as u', 'u.id', 'tm.user_id')
    .leftJoin('users as s', 's.id', 'tm.substitute_for')
    .select(['tm.id', 'tm.enrolment_id', 'tm.user_id', 'u.name', 'tm.role', 'tm.kind', 'tm.substitute_for', 's.name as substitute_for_name', 'tm.valid_from', 'tm.valid_to'])
    .where('tm.enrolment_id', 'in', enrolmentIds)
    .where('tm.valid_from', '<=', today)
    .where((w) => w.or([w('tm.valid_to', 'is', null), w('tm.valid_to', '>=', today)]))
    .$if(!!roles, (q) => q.where('tm.role', 'in', roles!))
    .orderBy('tm.role')
    .orderBy('u.name')
    .execute();
}

/** The facts the access chokepoint needs about one citizen, in two queries. */
export async function citizenRelations(db: Q, citizenId: string, today: string) {
  const citizen = await db.selectFrom('citizens').select(['id', 'organisation_id', 'created_by']).where('id', '=', citizenId).executeTakeFirst();
  if (!citizen) return undefined;
  const rows = await db
    .selectFrom('enrolments as e')
    .innerJoin('programmes as p', 'p.id', 'e.programme_id')
    .leftJoin('team_members as tm', (j) =>
      j
        .onRef('tm.enrolment_id', '=', 'e.id')
        .on('tm.valid_from', '<=', today)
        .on((w) => w.or([w('tm.valid_to', 'is', null), w('tm.valid_to', '>=', today)])),
    )
    .select(['e.id', 'e.programme_id', 'p.consultants_see_all', 'tm.user_id'])
    .where('e.citizen_id', '=', citizenId)
    .execute();
  const byEnrolment = new Map<string, { programmeId: string; consultantsSeeAll: boolean; teamUserIds: string[] }>();
  for (const r of rows) {
    const e = byEnrolment.get(r.id) ?? { programmeId: r.programme_id, consultantsSeeAll: r.consultants_see_all, teamUserIds: [] };
    if (r.user_id) e.teamUserIds.push(r.user_id);
    byEnrolment.set(r.id, e);
  }
  return { organisationId: citizen.organisation_id, createdBy: citizen.created_by, enrolments: [...byEnrolment.values()] };
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


export function enrolmentsOf(db: Q, citizenId: string) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('programmes as p', 'p.id', 'e.programme_id')
    .selectAll('e')
    .select('p.name as programme_name')
    .where('e.citizen_id', '=', citizenId)
    .orderBy('e.start_date', 'desc')
    .execute();
}

export function statusPeriodsOf(db: Q, citizenId: string) {
  return db.selectFrom('status_periods').selectAll().where('citizen_id', '=', citizenId).orderBy('from_date', 'desc').execute();
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
  },
) {
  const note = await db
    .insertInto('notes')
    .values({ organisation_id: n.organisationId, citizen_id: n.citizenId, kind: n.kind, remark_on: n.remarkOn ?? null, sensitivity: n.sensitivity, source: n.source, author_id: n.authorId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('note_revisions').values({ note_id: note.id, revision: 1, body: n.body, written_by: n.authorId }).execute();
  return note;
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

export function programmeSettings(db: Q, programmeIds: string[]) {
  if (programmeIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('programmes').select(['id', 'consultants_see_all']).where('id', 'in', programmeIds).execute();
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

export function insertEvents(db: Q, rows: { organisation_id: string; citizen_id: string; kind: string; ref_id: string | null; actor_id: string; data: string }[]) {
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
  const [users, programmes] = await Promise.all([
    db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute(),
    db.selectFrom('programmes').select(['id', 'name']).where('id', 'in', ids).execute(),
  ]);
  return Object.fromEntries([...users, ...programmes].map((r) => [r.id, r.name]));
}

/** Locks the citizen's row: changes to the status history of one citizen run one at a time. */
export function lockCitizen(db: Q, citizenId: string) {
  return db.selectFrom('citizens').select('id').where('id', '=', citizenId).forUpdate().executeTakeFirstOrThrow();
}

export function latestStatusStart(db: Q, citizenId: string) {
  return db.selectFrom('status_periods').select('from_date').where('citizen_id', '=', citizenId).orderBy('from_date', 'desc').limit(1).executeTakeFirst();
}
