// SQL for the plan (goals, tasks, outside participants, revisions), network meetings and conversations.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, LifeArea, MinPlan } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

const uuidArray = (ids: string[]) => sql`${ids}::uuid[]`;

/** A timestamptz as an ISO string in UTC, the same from both engines and every session time zone. */
const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export interface PlanRow {
  enrolment_id: string;
  programme_id: string;
  programme_name: string;
  enrolment_status: 'referred' | 'active' | 'paused' | 'ended';
  plan_id: string | null;
  revision: number | null;
  version: number | null;
  goal_kind: 'job' | 'education' | null;
  goal_text: string | null;
  goal_target_date: string | null;
  coordinator_id: string | null;
  coordinator_name: string | null;
  next_follow_up: string | null;
  updated_at: string | null;
  goals: {
    id: string;
    lifeArea: LifeArea;
    text: string;
    targetDate: string | null;
    status: 'active' | 'achieved' | 'changed' | 'dropped';
    setInMeeting: { id: string; startsAt: string } | null;
    changedInMeeting: { id: string; startsAt: string } | null;
    version: number;
  }[];
  tasks: {
    id: string;
    goalId: string | null;
    title: string;
    ownerKind: 'citizen' | 'staff' | 'outside';
    ownerUser: { id: string; name: string } | null;
    ownerParticipant: { id: string; name: string; role: string } | null;
    dueDate: string | null;
    status: 'open' | 'done' | 'cancelled';
    offerKind: 'internship' | 'upskilling' | 'group_course' | null;
    offerId: string | null;
    createdInMeeting: { id: string; startsAt: string } | null;
    version: number;
    completedByCitizen: boolean;
  }[];
  /** Comments on the plan's tasks (migration 0024), oldest first. */
  task_comments: { id: string; taskId: string; author: 'citizen' | 'staff'; authorName: string | null; text: string; createdAt: string }[];
  participants: { id: string; name: string; role: string; contact: string | null; consentTopics: string[] }[];
  offers: { kind: 'internship' | 'upskilling' | 'group_course'; id: string; title: string; minPlan: MinPlan }[];
  meetings: { id: string; startsAt: string; durationMinutes: number; status: 'planned' | 'held' | 'cancelled'; place: string }[];
  other_enrolments: { id: string; programmeName: string; startDate: string; status: 'referred' | 'active' | 'paused' | 'ended' }[];
}

const meetingRef = (column: string) =>
  sql.raw(`(select json_build_object('id', m.id, 'startsAt', ${`to_char(m.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`}) from network_meetings m where m.id = ${column})`);

/** The parts of a plan as JSON, for reading it and for the snapshot kept with every revision. */
const goalsJson = (planId: string) => sql`coalesce((select json_agg(json_build_object(
      'id', g.id, 'lifeArea', g.life_area, 'text', g.text, 'targetDate', g.target_date, 'status', g.status,
      'setInMeeting', ${meetingRef('g.set_in_meeting')}, 'changedInMeeting', ${meetingRef('g.changed_in_meeting')}, 'version', g.version)
      order by g.position, g.created_at, g.id)
    from plan_goals g where g.plan_id = ${sql.raw(planId)}), '[]'::json)`;

const tasksJson = (planId: string) => sql`coalesce((select json_agg(json_build_object(
      'id', t.id, 'goalId', t.goal_id, 'title', t.title, 'ownerKind', t.owner_kind,
      'ownerUser', case when u.id is null then null else json_build_object('id', u.id, 'name', u.name) end,
      'ownerParticipant', case when pp.id is null then null else json_build_object('id', pp.id, 'name', pp.name, 'role', pp.role) end,
      'dueDate', t.due_date, 'status', t.status, 'offerKind', t.min_plan_offer_kind, 'offerId', t.min_plan_offer_id,
      'createdInMeeting', ${meetingRef('t.created_in_meeting')}, 'version', t.version, 'completedByCitizen', t.completed_by_account is not null and t.status = 'done')
      order by (t.status = 'open') desc, t.due_date nulls last, t.created_at, t.id)
    from plan_tasks t left join users u on u.id = t.owner_user_id left join plan_participants pp on pp.id = t.owner_participant_id
    where t.plan_id = ${sql.raw(planId)}), '[]'::json)`;

const participantsJson = (planId: string) => sql`coalesce((select json_agg(json_build_object(
      'id', pp.id, 'name', pp.name, 'role', pp.role, 'contact', pp.contact, 'consentTopics', pp.consent_topics) order by pp.created_at, pp.id)
    from plan_participants pp where pp.plan_id = ${sql.raw(planId)}), '[]'::json)`;

/**
 * The plan of one enrolment the caller reaches, in one statement: the given enrolment, else the open one
 * started last, else the latest; with goals, tasks, participants, the citizen's offers and the meetings.
 * No row when the citizen has no enrolment in the given programmes.
 */
export async function readPlan(db: Q, citizenId: string, programmeIds: string[], enrolmentId: string | undefined): Promise<PlanRow | undefined> {
  const { rows } = await sql<PlanRow>`
    with reachable as (
      select e.id, e.programme_id, e.status, e.start_date, e.end_date, p.name as programme_name
        from enrolments e join programmes p on p.id = e.programme_id
       where e.citizen_id = ${citizenId} and e.programme_id = any(${uuidArray(programmeIds)})
    ), chosen as (
      select * from reachable
       where ${enrolmentId ?? null}::uuid is null or id = ${enrolmentId ?? null}::uuid
       order by (status <> 'ended') desc, start_date desc, id limit 1
    )
    select c.id as enrolment_id, c.programme_id, c.programme_name, c.status as enrolment_status,
           pl.id as plan_id, pl.revision, pl.version, pl.goal_kind, pl.goal_text, pl.goal_target_date,
           pl.coordinator_id, cu.name as coordinator_name, pl.next_follow_up, ${iso('pl.updated_at')} as updated_at,
           ${goalsJson('pl.id')} as goals,
           ${tasksJson('pl.id')} as tasks,
           coalesce((select json_agg(json_build_object('id', k.id, 'taskId', k.task_id, 'author', k.author_kind, 'authorName', ku.name, 'text', k.text,
                                                       'createdAt', to_char(k.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by k.created_at, k.id)
                       from plan_task_comments k left join users ku on ku.id = k.author_user_id where k.plan_id = pl.id), '[]'::json) as task_comments,
           ${participantsJson('pl.id')} as participants,
           (select coalesce(json_agg(o order by o.sort desc), '[]'::json) from (
              select 'internship' as kind, i.id, co.name as title, i.min_plan as "minPlan", i.from_date as sort
                from internships i join companies co on co.id = i.company_id
               where i.citizen_id = ${citizenId} and i.to_date >= c.start_date and (c.end_date is null or i.from_date <= c.end_date)
              union all
              select 'upskilling', us.id, us.title, us.min_plan, us.from_date
                from upskilling us
               where us.citizen_id = ${citizenId} and coalesce(us.to_date, us.from_date) >= c.start_date and (c.end_date is null or us.from_date <= c.end_date)
              union all
              select 'group_course', gc.id, gc.title, gp.min_plan, gp.added_at::date
                from group_participants gp join group_courses gc on gc.id = gp.course_id
               where gp.citizen_id = ${citizenId} and gc.programme_id = c.programme_id and gp.left_at is null
            ) o) as offers,
           (select coalesce(json_agg(json_build_object('id', m.id, 'startsAt', to_char(m.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                      'durationMinutes', m.duration_minutes, 'status', m.status, 'place', m.place) order by m.starts_at desc), '[]'::json)
              from (select * from network_meetings m0 where m0.plan_id = pl.id order by m0.starts_at desc limit 10) m) as meetings,
           (select coalesce(json_agg(json_build_object('id', r.id, 'programmeName', r.programme_name, 'startDate', r.start_date, 'status', r.status)
                      order by r.start_date desc), '[]'::json)
              from reachable r where r.id <> c.id) as other_enrolments
      from chosen c
      left join plans pl on pl.enrolment_id = c.id
      left join users cu on cu.id = pl.coordinator_id`.execute(db);
  return rows[0];
}

export interface PlanLockRow {
  id: string;
  organisation_id: string;
  citizen_id: string;
  enrolment_id: string;
  revision: number;
  version: number;
  coordinator_id: string | null;
}

/** The enrolment (of the citizen, in one of the programmes) with its plan locked for a change, or the enrolment alone. */
export async function enrolmentForChange(db: Q, citizenId: string, programmeIds: string[], enrolmentId: string | undefined) {
  const { rows } = await sql<{ enrolment_id: string; programme_id: string; status: string; plan_id: string | null; revision: number | null; version: number | null }>`
    select e.id as enrolment_id, e.programme_id, e.status, pl.id as plan_id, pl.revision, pl.version
      from enrolments e left join plans pl on pl.enrolment_id = e.id
     where e.citizen_id = ${citizenId} and e.programme_id = any(${uuidArray(programmeIds)})
       and (${enrolmentId ?? null}::uuid is null or e.id = ${enrolmentId ?? null}::uuid)
     order by (e.status <> 'ended') desc, e.start_date desc, e.id
     limit 1
       for update of e`.execute(db);
  return rows[0];
}

export async function insertPlan(db: Q, row: { organisationId: string; citizenId: string; enrolmentId: string; createdBy: string }) {
  return db
    .insertInto('plans')
    .values({ organisation_id: row.organisationId, citizen_id: row.citizenId, enrolment_id: row.enrolmentId, created_by: row.createdBy })
    .returning(['id', 'revision', 'version'])
    .executeTakeFirstOrThrow();
}

/** Active users of the organisation who hold a case role in the programme (or in any programme when none is given). */
export async function programmeStaff(db: Q, organisationId: string, programmeId: string | null, userIds: string[]) {
  if (userIds.length === 0) return [];
  const { rows } = await sql<{ id: string; name: string }>`
    select u.id, u.name from users u
     where u.id = any(${uuidArray(userIds)}) and u.organisation_id = ${organisationId} and u.active
       and exists (select 1 from user_roles r where r.user_id = u.id and r.programme_id is not null
                     and r.role in ('resource_consultant', 'caseworker', 'job_consultant', 'liaison', 'programme_manager')
                     and (${programmeId}::uuid is null or r.programme_id = ${programmeId}::uuid))`.execute(db);
  return rows;
}

export async function goalsOfPlan(db: Q, planId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('plan_goals').select(['id', 'version', 'status']).where('plan_id', '=', planId).where('id', 'in', ids).execute();
}

export async function tasksOfPlan(db: Q, planId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('plan_tasks').select(['id', 'version', 'status']).where('plan_id', '=', planId).where('id', 'in', ids).execute();
}

export async function participantsOfPlan(db: Q, planId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('plan_participants').select(['id']).where('plan_id', '=', planId).where('id', 'in', ids).execute();
}

export async function insertParticipants(db: Q, rows: { organisationId: string; planId: string; name: string; role: string; contact: string | null; topics: string[]; recordedBy: string }[]) {
  if (rows.length === 0) return [];
  return db
    .insertInto('plan_participants')
    .values(rows.map((r) => ({ organisation_id: r.organisationId, plan_id: r.planId, name: r.name, role: r.role, contact: r.contact, consent_topics: r.topics, consent_recorded_by: r.recordedBy })))
    .returning('id')
    .execute();
}

export async function insertGoals(db: Q, rows: { organisationId: string; planId: string; lifeArea: LifeArea; text: string; targetDate: string | null; meetingId: string | null; createdBy: string }[]) {
  if (rows.length === 0) return [];
  // Positions continue after the plan's existing goals, in the order given.
  const { rows: inserted } = await sql<{ id: string }>`
    insert into plan_goals (organisation_id, plan_id, life_area, text, target_date, status, position, set_in_meeting, created_by)
    select x.organisation_id, x.plan_id, x.life_area, x.text, x.target_date, 'active',
           coalesce((select max(position) from plan_goals where plan_id = x.plan_id), 0) + x.n, x.meeting_id, x.created_by
      from json_to_recordset(${JSON.stringify(rows.map((r, i) => ({ organisation_id: r.organisationId, plan_id: r.planId, life_area: r.lifeArea, text: r.text, target_date: r.targetDate, meeting_id: r.meetingId, created_by: r.createdBy, n: i + 1 })))}::json)
           as x(organisation_id uuid, plan_id uuid, life_area text, text text, target_date date, meeting_id uuid, created_by uuid, n integer)
     order by x.n
    returning id, position`.execute(db);
  return inserted;
}

/** Changes one goal when its version still matches; undefined when it does not. */
export async function changeGoal(db: Q, planId: string, change: { id: string; version: number; status?: string; text?: string; targetDate?: string | null }, meetingId: string | null) {
  return db
    .updateTable('plan_goals')
    .set((eb) => ({
      ...(change.status ? { status: change.status as 'active' } : {}),
      ...(change.text !== undefined ? { text: change.text } : {}),
      ...(change.targetDate !== undefined ? { target_date: change.targetDate } : {}),
      ...(meetingId ? { changed_in_meeting: meetingId } : {}),
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', change.id)
    .where('plan_id', '=', planId)
    .where('version', '=', change.version)
    .returning('id')
    .executeTakeFirst();
}

export async function insertTasks(
  db: Q,
  rows: {
    organisationId: string;
    planId: string;
    goalId: string | null;
    title: string;
    ownerKind: 'citizen' | 'staff' | 'outside';
    ownerUserId: string | null;
    ownerParticipantId: string | null;
    dueDate: string | null;
    meetingId: string | null;
    offerKind?: 'internship' | 'upskilling' | 'group_course' | null;
    offerId?: string | null;
    createdBy: string;
  }[],
) {
  if (rows.length === 0) return [];
  return db
    .insertInto('plan_tasks')
    .values(
      rows.map((r) => ({
        organisation_id: r.organisationId,
        plan_id: r.planId,
        goal_id: r.goalId,
        title: r.title,
        owner_kind: r.ownerKind,
        owner_user_id: r.ownerUserId,
        owner_participant_id: r.ownerParticipantId,
        due_date: r.dueDate,
        status: 'open' as const,
        min_plan_offer_kind: r.offerKind ?? null,
        min_plan_offer_id: r.offerId ?? null,
        created_in_meeting: r.meetingId,
        created_by: r.createdBy,
      })),
    )
    .returning('id')
    .execute();
}

export async function changeTask(db: Q, planId: string, change: { id: string; version: number; status?: 'open' | 'done' | 'cancelled'; title?: string; dueDate?: string | null }) {
  return db
    .updateTable('plan_tasks')
    .set((eb) => ({
      ...(change.status ? { status: change.status, completed_at: change.status === 'open' ? null : new Date() } : {}),
      ...(change.title !== undefined ? { title: change.title } : {}),
      ...(change.dueDate !== undefined ? { due_date: change.dueDate } : {}),
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', change.id)
    .where('plan_id', '=', planId)
    .where('version', '=', change.version)
    .returning('id')
    .executeTakeFirst();
}

export interface PlanFields {
  goalKind?: 'job' | 'education' | null;
  goalText?: string | null;
  goalTargetDate?: string | null;
  coordinatorId?: string | null;
  nextFollowUp?: string | null;
}

/**
 * Closes a change: the plan's own fields, its revision and version raised, and the revision row with the
 * whole plan as it now stands, in one statement. Undefined when the plan's version no longer matches.
 */
export async function commitRevision(
  db: Q,
  planId: string,
  expectedVersion: number,
  fields: PlanFields,
  revision: { changedBy: string; meetingId: string | null; summary: Record<string, unknown> },
) {
  const set = (column: string, value: unknown, present: boolean) => (present ? sql`, ${sql.raw(column)} = ${value}` : sql``);
  const { rows } = await sql<{ revision: number; version: number }>`
    with up as (
      update plans set revision = revision + 1, version = version + 1, updated_at = now()
        ${set('goal_kind', fields.goalKind ?? null, fields.goalKind !== undefined)}
        ${set('goal_text', fields.goalText ?? null, fields.goalText !== undefined)}
        ${set('goal_target_date', fields.goalTargetDate ?? null, fields.goalTargetDate !== undefined)}
        ${set('coordinator_id', fields.coordinatorId ?? null, fields.coordinatorId !== undefined)}
        ${set('next_follow_up', fields.nextFollowUp ?? null, fields.nextFollowUp !== undefined)}
       where id = ${planId} and version = ${expectedVersion}
      returning *
    )
    insert into plan_revisions (plan_id, revision, organisation_id, changed_by, meeting_id, summary, snapshot)
    select up.id, up.revision, up.organisation_id, ${revision.changedBy}, ${revision.meetingId}, ${JSON.stringify(revision.summary)}::jsonb,
           json_build_object(
             'goal', json_build_object('kind', up.goal_kind, 'text', up.goal_text, 'targetDate', up.goal_target_date),
             'coordinator', (select json_build_object('id', u.id, 'name', u.name) from users u where u.id = up.coordinator_id),
             'nextFollowUp', up.next_follow_up,
             'goals', ${goalsJson('up.id')},
             'tasks', ${tasksJson('up.id')},
             'participants', ${participantsJson('up.id')})::jsonb
      from up
    returning revision, (select version from up) as version`.execute(db);
  return rows[0];
}

export interface RevisionCursor {
  revision: number;
}

export async function planRevisions(db: Q, planId: string, before: number | undefined, limit: number) {
  let q = db
    .selectFrom('plan_revisions as r')
    .innerJoin('users as u', 'u.id', 'r.changed_by')
    .leftJoin('network_meetings as m', 'm.id', 'r.meeting_id')
    .select(['r.revision', 'r.changed_at', 'r.changed_by', 'u.name as changed_by_name', 'r.meeting_id', 'm.starts_at as meeting_starts_at', 'r.summary'])
    .where('r.plan_id', '=', planId);
  if (before !== undefined) q = q.where('r.revision', '<', before);
  return q.orderBy('r.revision', 'desc').limit(limit + 1).execute();
}

export async function planRevision(db: Q, planId: string, revision: number) {
  return db
    .selectFrom('plan_revisions as r')
    .innerJoin('users as u', 'u.id', 'r.changed_by')
    .leftJoin('network_meetings as m', 'm.id', 'r.meeting_id')
    .select(['r.revision', 'r.changed_at', 'r.changed_by', 'u.name as changed_by_name', 'r.meeting_id', 'm.starts_at as meeting_starts_at', 'r.snapshot'])
    .where('r.plan_id', '=', planId)
    .where('r.revision', '=', revision)
    .executeTakeFirst();
}

export async function planIdOf(db: Q, citizenId: string, programmeIds: string[], enrolmentId: string | undefined) {
  const { rows } = await sql<{ plan_id: string | null; enrolment_id: string }>`
    select pl.id as plan_id, e.id as enrolment_id
      from enrolments e left join plans pl on pl.enrolment_id = e.id
     where e.citizen_id = ${citizenId} and e.programme_id = any(${uuidArray(programmeIds)})
       and (${enrolmentId ?? null}::uuid is null or e.id = ${enrolmentId ?? null}::uuid)
     order by (e.status <> 'ended') desc, e.start_date desc, e.id
     limit 1`.execute(db);
  return rows[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Network meetings

export async function plannedMeeting(db: Q, meetingId: string, citizenId: string) {
  return db
    .selectFrom('network_meetings')
    .select(['id', 'plan_id', 'status', 'version'])
    .where('id', '=', meetingId)
    .where('citizen_id', '=', citizenId)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertMeeting(
  db: Q,
  row: { organisationId: string; citizenId: string; planId: string; startsAt: string; durationMinutes: number; place: string; placeText: string | null; status: 'planned' | 'held'; minutes: string | null; bookedFrom: string | null; createdBy: string },
) {
  return db
    .insertInto('network_meetings')
    .values({
      organisation_id: row.organisationId,
      citizen_id: row.citizenId,
      plan_id: row.planId,
      // Milliseconds at most, so a page cursor (an ISO string) names a row exactly.
      starts_at: new Date(row.startsAt),
      duration_minutes: row.durationMinutes,
      place: row.place as 'office',
      place_text: row.placeText,
      status: row.status,
      minutes: row.minutes,
      booked_from: row.bookedFrom,
      created_by: row.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function holdMeeting(db: Q, meetingId: string, row: { startsAt: string; durationMinutes: number; place: string; placeText: string | null; minutes: string | null }) {
  await db.deleteFrom('meeting_participants').where('meeting_id', '=', meetingId).execute();
  return db
    .updateTable('network_meetings')
    .set((eb) => ({ starts_at: new Date(row.startsAt), duration_minutes: row.durationMinutes, place: row.place as 'office', place_text: row.placeText, minutes: row.minutes, status: 'held', updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', meetingId)
    .where('status', '=', 'planned')
    .returning('id')
    .executeTakeFirst();
}

export async function insertMeetingParticipants(db: Q, rows: { meetingId: string; kind: 'citizen' | 'staff' | 'outside'; userId: string | null; participantId: string | null; role: string | null }[]) {
  if (rows.length === 0) return;
  await db
    .insertInto('meeting_participants')
    .values(rows.map((r, i) => ({ meeting_id: r.meetingId, position: i, kind: r.kind, user_id: r.userId, plan_participant_id: r.participantId, role: r.role })))
    .execute();
}

export interface TimeCursor {
  at: string;
  id: string;
}

const meetingParticipantsJson = sql`coalesce((select json_agg(json_build_object(
      'kind', mp.kind,
      'user', case when u.id is null then null else json_build_object('id', u.id, 'name', u.name) end,
      'participant', case when pp.id is null then null else json_build_object('id', pp.id, 'name', pp.name, 'role', pp.role) end,
      'role', mp.role) order by mp.position)
    from meeting_participants mp left join users u on u.id = mp.user_id left join plan_participants pp on pp.id = mp.plan_participant_id
    where mp.meeting_id = m.id), '[]'::json)`;

export async function meetingsOf(db: Q, citizenId: string, after: TimeCursor | undefined, limit: number) {
  const { rows } = await sql<{
    id: string;
    starts_at: string;
    duration_minutes: number;
    place: string;
    place_text: string | null;
    status: 'planned' | 'held' | 'cancelled';
    minutes: string | null;
    created_by: string;
    created_by_name: string;
    version: number;
    participants: { kind: 'citizen' | 'staff' | 'outside'; user: { id: string; name: string } | null; participant: { id: string; name: string; role: string } | null; role: string | null }[];
  }>`
    select m.id, ${iso('m.starts_at')} as starts_at, m.duration_minutes, m.place, m.place_text, m.status, m.minutes, m.created_by, cb.name as created_by_name, m.version,
           ${meetingParticipantsJson} as participants
      from network_meetings m join users cb on cb.id = m.created_by
     where m.citizen_id = ${citizenId}
       ${after ? sql`and (m.starts_at, m.id) < (${new Date(after.at)}, ${after.id}::uuid)` : sql``}
     order by m.starts_at desc, m.id desc
     limit ${limit + 1}`.execute(db);
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Conversations

export async function insertConversation(
  db: Q,
  row: { organisationId: string; citizenId: string; startsAt: string; durationMinutes: number; place: string; placeText: string | null; status: string; staffIds: string[]; themes: string[]; note: string | null; createdBy: string },
) {
  return db
    .insertInto('conversations')
    .values({
      organisation_id: row.organisationId,
      citizen_id: row.citizenId,
      // Milliseconds at most, so a page cursor (an ISO string) names a row exactly.
      starts_at: new Date(row.startsAt),
      duration_minutes: row.durationMinutes,
      place: row.place as 'other',
      place_text: row.placeText,
      status: row.status as 'held',
      staff_ids: row.staffIds,
      themes: row.themes,
      note: row.note,
      created_by: row.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function conversationById(db: Q, id: string) {
  return db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateConversation(
  db: Q,
  id: string,
  version: number,
  change: { status?: string; startsAt?: string; durationMinutes?: number; place?: string; placeText?: string | null; themes?: string[]; note?: string | null },
) {
  return db
    .updateTable('conversations')
    .set((eb) => ({
      ...(change.status !== undefined ? { status: change.status as 'held' } : {}),
      ...(change.startsAt !== undefined ? { starts_at: new Date(change.startsAt) } : {}),
      ...(change.durationMinutes !== undefined ? { duration_minutes: change.durationMinutes } : {}),
      ...(change.place !== undefined ? { place: change.place as 'other' } : {}),
      ...(change.placeText !== undefined ? { place_text: change.placeText } : {}),
      ...(change.themes !== undefined ? { themes: change.themes } : {}),
      ...(change.note !== undefined ? { note: change.note } : {}),
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(['id', 'version'])
    .executeTakeFirst();
}

export async function conversationsOf(db: Q, citizenId: string, after: TimeCursor | undefined, limit: number) {
  const { rows } = await sql<{
    id: string;
    starts_at: string;
    duration_minutes: number;
    place: string;
    place_text: string | null;
    status: 'planned' | 'held' | 'no_show' | 'cancelled';
    staff: { id: string; name: string }[];
    themes: string[];
    note: string | null;
    created_by: string;
    created_by_name: string;
    version: number;
  }>`
    select c.id, ${iso('c.starts_at')} as starts_at, c.duration_minutes, c.place, c.place_text, c.status, c.themes, c.note, c.created_by, cb.name as created_by_name, c.version,
           coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by array_position(c.staff_ids, u.id))
                       from users u where u.id = any(c.staff_ids)), '[]'::json) as staff
      from conversations c join users cb on cb.id = c.created_by
     where c.citizen_id = ${citizenId}
       ${after ? sql`and (c.starts_at, c.id) < (${new Date(after.at)}, ${after.id}::uuid)` : sql``}
     order by c.starts_at desc, c.id desc
     limit ${limit + 1}`.execute(db);
  return rows;
}

/** The open enrolment started last (in the given programmes), whose plan a Min Plan reminder goes into. */
export async function openEnrolmentWithPlan(db: Q, citizenId: string, today: string) {
  const { rows } = await sql<{ enrolment_id: string; programme_id: string; plan_id: string | null; version: number | null; coordinator_id: string | null; caseworker_id: string | null }>`
    select e.id as enrolment_id, e.programme_id, pl.id as plan_id, pl.version, pl.coordinator_id,
           (select tm.user_id from team_members tm
             where tm.enrolment_id = e.id and tm.role = 'caseworker' and tm.valid_from <= ${today}
               and (tm.valid_to is null or tm.valid_to >= ${today})
             order by tm.kind, tm.valid_from desc limit 1) as caseworker_id
      from enrolments e left join plans pl on pl.enrolment_id = e.id
     where e.citizen_id = ${citizenId} and e.status <> 'ended'
     order by e.start_date desc, e.id
     limit 1
       for update of e`.execute(db);
  return rows[0];
}

/**
 * The citizen's open reminder for an offer. An offer id alone does not name one reminder: a group course is one
 * offer for all its participants, so the reminder is looked up in the citizen's plans (by the index on the offer id).
 */
export async function openReminder(db: Q, citizenId: string, offerId: string) {
  return db
    .selectFrom('plan_tasks as t')
    .innerJoin('plans as p', 'p.id', 't.plan_id')
    .select(['t.id', 't.version', 't.plan_id'])
    .where('t.min_plan_offer_id', '=', offerId)
    .where('t.status', '=', 'open')
    .where('p.citizen_id', '=', citizenId)
    .orderBy('t.created_at', 'desc')
    .executeTakeFirst();
}
