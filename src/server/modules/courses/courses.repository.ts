// SQL for group courses: courses with leaders, sessions, participants, attendance and their timeline events.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database, MinPlan } from '../../db/schema.ts';

type Q = Kysely<Database>;
type Status = 'attended' | 'excused' | 'absent';

export function programmeOwner(db: Q, programmeId: string) {
  return db.selectFrom('programmes').select(['id', 'organisation_id']).where('id', '=', programmeId).executeTakeFirst();
}

/** The named users with their organisation and their roles in the programme (none when not in it). */
export function leaderCandidates(db: Q, programmeId: string, userIds: string[]) {
  return db
    .selectFrom('users as u')
    .leftJoin('user_roles as r', (j) => j.onRef('r.user_id', '=', 'u.id').on('r.programme_id', '=', programmeId))
    .select(['u.id', 'u.organisation_id', sql<string[]>`coalesce(array_agg(r.role) filter (where r.role is not null), '{}')`.as('roles')])
    .where('u.id', 'in', userIds)
    .groupBy(['u.id', 'u.organisation_id'])
    .execute();
}

export interface NewCourse {
  organisationId: string;
  programmeId: string;
  title: string;
  description: string | null;
  topics: string[];
  capacity: number;
  location: string | null;
  minPlan: MinPlan;
  createdBy: string;
  leaderIds: string[];
  sessions: { number: number; startsAt: Date; durationMinutes: number }[];
}

/** The course, its leaders and its sessions in one statement (data-modifying CTEs); returns the sessions. */
export async function insertCourse(db: Q, c: NewCourse) {
  const sessions = JSON.stringify(c.sessions.map((s) => ({ number: s.number, starts_at: s.startsAt.toISOString(), duration_minutes: s.durationMinutes })));
  const { rows } = await sql<{ course_id: string; id: string; number: number; starts_at: Date; duration_minutes: number; status: 'planned'; version: number }>`
    with course as (
      insert into group_courses (organisation_id, programme_id, title, description, topics, capacity, location, min_plan, created_by)
      values (${c.organisationId}, ${c.programmeId}, ${c.title}, ${c.description}, ${c.topics}::text[], ${c.capacity}, ${c.location}, ${c.minPlan}, ${c.createdBy})
      returning id
    ), leaders as (
      insert into group_course_leaders (course_id, user_id)
      select course.id, l from course, unnest(${c.leaderIds}::uuid[]) as l
    )
    insert into group_sessions (organisation_id, course_id, number, starts_at, duration_minutes)
    select ${c.organisationId}, course.id, s.number, s.starts_at, s.duration_minutes
      from course, jsonb_to_recordset(${sessions}::jsonb) as s(number int, starts_at timestamptz, duration_minutes int)
    returning course_id, id, number, starts_at, duration_minutes, status, version`.execute(db);
  return rows;
}

export interface CourseRow {
  id: string;
  organisation_id: string;
  programme_id: string;
  title: string;
  description: string | null;
  topics: string[];
  capacity: number;
  location: string | null;
  min_plan: MinPlan;
  version: number;
  leaders: { id: string; name: string }[];
  participant_count: number;
  attended: number;
  recorded: number;
}

const leadersJson = sql<{ id: string; name: string }[]>`coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name, u.id)
    from group_course_leaders l join users u on u.id = l.user_id where l.course_id = c.id), '[]'::json)`;
const participantCount = sql<number>`(select count(*) from group_participants p where p.course_id = c.id and p.left_at is null)::int`;
const attendedCount = sql<number>`(select count(*) filter (where a.status = 'attended') from group_attendance a join group_sessions s on s.id = a.session_id
    where s.course_id = c.id and s.status = 'planned')::int`;
const recordedCount = sql<number>`(select count(*) from group_attendance a join group_sessions s on s.id = a.session_id
    where s.course_id = c.id and s.status = 'planned')::int`;

/** A course with its leaders, current participant count and attendance totals. */
export async function courseById(db: Q, id: string): Promise<CourseRow | undefined> {
  const { rows } = await sql<CourseRow>`
    select c.id, c.organisation_id, c.programme_id, c.title, c.description, c.topics, c.capacity, c.location, c.min_plan, c.version,
           ${leadersJson} as leaders, ${participantCount} as participant_count, ${attendedCount} as attended, ${recordedCount} as recorded
      from group_courses c where c.id = ${id}`.execute(db);
  return rows[0];
}

/** A course's organisation, programme, title, capacity, Min Plan default, current participants and leaders: what a change checks. */
export async function courseForChange(db: Q, id: string) {
  const { rows } = await sql<{
    id: string;
    organisation_id: string;
    programme_id: string;
    title: string;
    capacity: number;
    min_plan: MinPlan;
    leader_ids: string[];
    current_ids: string[];
  }>`
    select c.id, c.organisation_id, c.programme_id, c.title, c.capacity, c.min_plan,
           coalesce((select array_agg(l.user_id) from group_course_leaders l where l.course_id = c.id), '{}') as leader_ids,
           coalesce((select array_agg(p.citizen_id) from group_participants p where p.course_id = c.id and p.left_at is null), '{}') as current_ids
      from group_courses c where c.id = ${id}`.execute(db);
  return rows[0];
}

export interface SessionRow {
  id: string;
  course_id: string;
  number: number;
  starts_at: Date;
  duration_minutes: number;
  status: 'planned' | 'cancelled';
  version: number;
}

export function sessionsOf(db: Q, courseId: string): Promise<SessionRow[]> {
  return db
    .selectFrom('group_sessions')
    .select(['id', 'course_id', 'number', 'starts_at', 'duration_minutes', 'status', 'version'])
    .where('course_id', '=', courseId)
    .orderBy('number')
    .execute() as Promise<SessionRow[]>;
}

/** One session of a course with the number of attendance records it has. */
export async function sessionOf(db: Q, courseId: string, sessionId: string) {
  const { rows } = await sql<SessionRow & { records: number }>`
    select s.id, s.course_id, s.number, s.starts_at, s.duration_minutes, s.status, s.version,
           (select count(*) from group_attendance a where a.session_id = s.id)::int as records
      from group_sessions s where s.id = ${sessionId} and s.course_id = ${courseId}`.execute(db);
  return rows[0];
}

export function updateSession(db: Q, sessionId: string, version: number, change: { startsAt?: Date; durationMinutes?: number; status?: 'planned' | 'cancelled' }) {
  return db
    .updateTable('group_sessions')
    .set((eb) => ({
      ...(change.startsAt ? { starts_at: change.startsAt } : {}),
      ...(change.durationMinutes ? { duration_minutes: change.durationMinutes } : {}),
      ...(change.status ? { status: change.status } : {}),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', sessionId)
    .where('version', '=', version)
    .returning(['id', 'course_id', 'number', 'starts_at', 'duration_minutes', 'status', 'version'])
    .executeTakeFirst() as Promise<SessionRow | undefined>;
}

export function participantsOf(db: Q, courseId: string) {
  return db
    .selectFrom('group_participants as p')
    .innerJoin('citizens as c', 'c.id', 'p.citizen_id')
    .select(['p.citizen_id', 'c.first_name', 'c.last_name', 'p.added_at', 'p.left_at', 'p.min_plan', 'p.version'])
    .where('p.course_id', '=', courseId)
    .orderBy('c.last_name')
    .orderBy('c.first_name')
    .orderBy('p.citizen_id')
    .execute();
}

export function attendanceOf(db: Q, courseId: string) {
  return db
    .selectFrom('group_attendance as a')
    .innerJoin('group_sessions as s', 's.id', 'a.session_id')
    .select(['a.session_id', 'a.citizen_id', 'a.status'])
    .where('s.course_id', '=', courseId)
    .execute();
}

export interface CourseCursor {
  /** created_at in microseconds since 1970 (exact). */
  us: string;
  id: string;
}

export interface CourseListRow {
  id: string;
  title: string;
  topics: string[];
  capacity: number;
  location: string | null;
  created_us: string;
  leaders: { id: string; name: string }[];
  session_count: number;
  first_at: Date | string | null;
  last_at: Date | string | null;
  participant_count: number;
  attended: number;
  recorded: number;
}

/** One page of a programme's courses, newest first, by the keyset (created_at, id); one row more than `limit`. */
export async function coursesOf(db: Q, programmeId: string, after: CourseCursor | undefined, limit: number): Promise<CourseListRow[]> {
  const keyset = after
    ? sql<SqlBool>`and (c.created_at, c.id) < (timestamptz 'epoch' + ${after.us}::bigint * interval '1 microsecond', ${after.id}::uuid)`
    : sql``;
  const { rows } = await sql<CourseListRow>`
    select c.id, c.title, c.topics, c.capacity, c.location,
           (extract(epoch from c.created_at) * 1000000)::bigint::text as created_us,
           ${leadersJson} as leaders,
           (select count(*) from group_sessions s where s.course_id = c.id and s.status = 'planned')::int as session_count,
           (select min(s.starts_at) from group_sessions s where s.course_id = c.id and s.status = 'planned') as first_at,
           (select max(s.starts_at) from group_sessions s where s.course_id = c.id and s.status = 'planned') as last_at,
           ${participantCount} as participant_count, ${attendedCount} as attended, ${recordedCount} as recorded
      from group_courses c
     where c.programme_id = ${programmeId} ${keyset}
     order by c.created_at desc, c.id desc
     limit ${limit + 1}`.execute(db);
  return rows;
}

/** The programme's open enrolments among the citizens named. */
export async function openEnrolled(db: Q, programmeId: string, citizenIds: string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('enrolments')
    .select('citizen_id')
    .where('programme_id', '=', programmeId)
    .where('citizen_id', 'in', citizenIds)
    .where('status', '<>', 'ended')
    .execute();
  return new Set(rows.map((r) => r.citizen_id));
}

/**
 * Adds participants and their `course.joined` events in one statement; returns each place's Min Plan status. A new
 * place starts as the course's setting; a former participant joining again keeps what their place said.
 */
export async function addParticipants(db: Q, p: { courseId: string; organisationId: string; citizenIds: string[]; addedBy: string; title: string; minPlan: MinPlan }) {
  const data = JSON.stringify({ courseId: p.courseId, courseTitle: p.title });
  const { rows } = await sql<{ citizen_id: string; min_plan: MinPlan }>`
    with added as (
      insert into group_participants (course_id, citizen_id, organisation_id, added_by, added_at, min_plan)
      select ${p.courseId}, c, ${p.organisationId}, ${p.addedBy}, now(), ${p.minPlan} from unnest(${p.citizenIds}::uuid[]) as c
      on conflict (course_id, citizen_id) do update set left_at = null, added_by = excluded.added_by, added_at = excluded.added_at,
                                                        version = group_participants.version + 1
      returning citizen_id, min_plan
    ), events as (
      insert into citizen_events (organisation_id, citizen_id, occurred_at, kind, ref_id, actor_id, data)
      select ${p.organisationId}, added.citizen_id, now(), 'course.joined', ${p.courseId}, ${p.addedBy}, ${data}::jsonb from added
    )
    select citizen_id, min_plan from added`.execute(db);
  return rows;
}

/** Changes a current participant's Min Plan status if the version matches; undefined when stale or not a current participant. */
export function updateParticipantMinPlan(db: Q, courseId: string, citizenId: string, version: number, minPlan: MinPlan) {
  return db
    .updateTable('group_participants')
    .set((eb) => ({ min_plan: minPlan, version: eb('version', '+', 1) }))
    .where('course_id', '=', courseId)
    .where('citizen_id', '=', citizenId)
    .where('left_at', 'is', null)
    .where('version', '=', version)
    .returning(['citizen_id', 'min_plan', 'version'])
    .executeTakeFirst();
}

/** Marks a current participant as left, with the `course.left` event; returns the place's Min Plan status, undefined when not a current participant. */
export async function removeParticipant(db: Q, p: { courseId: string; organisationId: string; citizenId: string; actorId: string; title: string }): Promise<{ min_plan: MinPlan } | undefined> {
  const data = JSON.stringify({ courseId: p.courseId, courseTitle: p.title });
  const { rows } = await sql<{ citizen_id: string; min_plan: MinPlan }>`
    with gone as (
      update group_participants set left_at = now(), version = version + 1
       where course_id = ${p.courseId} and citizen_id = ${p.citizenId} and left_at is null
      returning citizen_id, min_plan
    ), event as (
      insert into citizen_events (organisation_id, citizen_id, occurred_at, kind, ref_id, actor_id, data)
      select ${p.organisationId}, gone.citizen_id, now(), 'course.left', ${p.courseId}, ${p.actorId}, ${data}::jsonb from gone
    )
    select citizen_id, min_plan from gone`.execute(db);
  return rows[0];
}

export function sessionAttendance(db: Q, sessionId: string) {
  return db.selectFrom('group_attendance').select(['citizen_id', 'status']).where('session_id', '=', sessionId).execute();
}

/**
 * Writes the session's new and changed attendance with their timeline events in one statement: a new record
 * adds a `course.attendance` event, a changed one updates that citizen's event for the session (one per session).
 */
export async function saveAttendance(
  db: Q,
  a: { organisationId: string; sessionId: string; recordedBy: string; changes: { citizenId: string; status: Status; isNew: boolean }[]; event: Record<string, unknown> },
) {
  const changes = JSON.stringify(a.changes.map((c) => ({ citizen_id: c.citizenId, status: c.status, is_new: c.isNew })));
  const event = JSON.stringify(a.event);
  await sql`
    with x as (
      select * from jsonb_to_recordset(${changes}::jsonb) as x(citizen_id uuid, status text, is_new boolean)
    ), saved as (
      insert into group_attendance (session_id, citizen_id, organisation_id, status, recorded_by, recorded_at)
      select ${a.sessionId}, x.citizen_id, ${a.organisationId}, x.status, ${a.recordedBy}, now() from x
      on conflict (session_id, citizen_id) do update set status = excluded.status, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at
      returning citizen_id
    ), added as (
      insert into citizen_events (organisation_id, citizen_id, occurred_at, kind, ref_id, actor_id, data)
      select ${a.organisationId}, x.citizen_id, now(), 'course.attendance', ${a.sessionId}, ${a.recordedBy},
             ${event}::jsonb || jsonb_build_object('status', x.status)
        from x where x.is_new
    )
    update citizen_events e
       set data = e.data || jsonb_build_object('status', x.status, 'changedAt', now()), actor_id = ${a.recordedBy}
      from x
     where not x.is_new and e.citizen_id = x.citizen_id and e.kind = 'course.attendance' and e.ref_id = ${a.sessionId}`.execute(db);
}

/** The citizen's courses with every session and the citizen's own attendance (never anyone else's). */
export async function coursesOfCitizen(db: Q, citizenId: string) {
  const { rows } = await sql<{
    id: string;
    programme_id: string;
    title: string;
    added_at: Date | string;
    left_at: Date | string | null;
    sessions: { id: string; number: number; starts_at: string; status: 'planned' | 'cancelled'; attendance: Status | null }[];
  }>`
    select c.id, c.programme_id, c.title, p.added_at, p.left_at,
           coalesce((select json_agg(json_build_object('id', s.id, 'number', s.number, 'starts_at', s.starts_at, 'status', s.status,
                                                       'attendance', a.status) order by s.number)
                       from group_sessions s
                       left join group_attendance a on a.session_id = s.id and a.citizen_id = p.citizen_id
                      where s.course_id = c.id), '[]'::json) as sessions
      from group_participants p join group_courses c on c.id = p.course_id
     where p.citizen_id = ${citizenId}
     order by p.added_at desc, c.id
     limit 100`.execute(db);
  return rows;
}
