// SQL for the staff calendar, Min dag and the feed. Every query starts from the user's own rows through an
// index: conversations by the GIN index on staff_ids, meetings by meeting_participants_user, sessions by
// group_course_leaders_user, follow-ups by plans_coordinator_follow_up, tasks by plan_tasks_owner, and the
// caseload by team_members (user_id).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { enrolmentRelations } from '../citizens/citizens.repository.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type EntryKind = 'conversation' | 'network_meeting' | 'group_session' | 'follow_up';

export interface EntryRow {
  kind: EntryKind;
  id: string;
  /** Timed entries; null for a follow-up, which is a date. */
  starts_at: Date | null;
  duration_minutes: number | null;
  status: string;
  place: string | null;
  citizen_id: string | null;
  /** The course's title for a group session (not personal data). */
  label: string | null;
  on_date: string | null;
}

/**
 * The user's entries from `from` (inclusive) to `to` (exclusive), follow-ups on the dates `fromDate`..`toDate`;
 * at most `limit` rows in time order.
 */
export async function entriesOf(db: Q, userId: string, from: Date, to: Date, fromDate: string, toDate: string, limit: number): Promise<EntryRow[]> {
  const { rows } = await sql<EntryRow>`
    select * from (
      select 'conversation' as kind, c.id, c.starts_at, c.duration_minutes, c.status, c.place, c.citizen_id,
             null::text as label, null::text as on_date
        from conversations c
       where c.staff_ids @> array[${userId}]::uuid[] and c.starts_at >= ${from} and c.starts_at < ${to}
      union all
      select 'network_meeting', m.id, m.starts_at, m.duration_minutes, m.status, m.place, m.citizen_id, null, null
        from network_meetings m
       where m.id in (select mp.meeting_id from meeting_participants mp where mp.user_id = ${userId} and mp.kind = 'staff')
         and m.starts_at >= ${from} and m.starts_at < ${to}
      union all
      select 'group_session', s.id, s.starts_at, s.duration_minutes, s.status, 'group', null, gc.title, null
        from group_course_leaders l
        join group_sessions s on s.course_id = l.course_id
        join group_courses gc on gc.id = l.course_id
       where l.user_id = ${userId} and s.starts_at >= ${from} and s.starts_at < ${to}
      union all
      select 'follow_up', p.id, null, null, 'planned', null, p.citizen_id, null, p.next_follow_up::text
        from plans p
        join enrolments e on e.id = p.enrolment_id
       where p.coordinator_id = ${userId} and p.next_follow_up >= ${fromDate} and p.next_follow_up <= ${toDate}
         and e.status <> 'ended'
    ) entries
    order by coalesce(starts_at, on_date::timestamp at time zone 'Europe/Copenhagen'), kind, id
    limit ${limit}`.execute(db);
  return rows;
}

export interface CitizenRelationRow {
  id: string;
  first_name: string;
  last_name: string;
  organisation_id: string;
  created_by: string;
  enrolments: { programmeId: string; consultantsSeeAll: boolean; teamUserIds: string[] }[];
}

/** What the access chokepoint needs about several citizens (as citizens.repository's citizenRelations), with their names. */
export async function citizensWithRelations(db: Q, ids: string[], today: string): Promise<CitizenRelationRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<CitizenRelationRow>`
    select c.id, c.first_name, c.last_name, c.organisation_id, c.created_by,
           ${enrolmentRelations(today)} as enrolments
      from citizens c
     where c.id = any(${ids}::uuid[])`.execute(db);
  return rows;
}

export interface TaskRow {
  id: string;
  title: string;
  due_date: string | null;
  citizen_id: string;
  owner_kind: 'citizen' | 'staff' | 'outside';
  owner_name: string | null;
  total: number;
}

/** Open tasks the user owns, the soonest due first (undated last). */
export async function openTasksOwnedBy(db: Q, userId: string, limit: number): Promise<TaskRow[]> {
  const { rows } = await sql<TaskRow>`
    select t.id, t.title, t.due_date::text as due_date, p.citizen_id, t.owner_kind, null::text as owner_name,
           count(*) over ()::int as total
      from plan_tasks t join plans p on p.id = t.plan_id
     where t.owner_user_id = ${userId} and t.status = 'open'
     order by t.due_date nulls last, t.id
     limit ${limit}`.execute(db);
  return rows;
}

/** Citizens whose team the user is on today, with an enrolment that has not ended. */
const caseload = (userId: string, today: string) => sql`
  select distinct e.citizen_id
    from team_members tm join enrolments e on e.id = tm.enrolment_id
   where tm.user_id = ${userId} and tm.valid_from <= ${today} and (tm.valid_to is null or tm.valid_to >= ${today})
     and e.status <> 'ended'`;

/** Open tasks past their due date in the plans of the user's citizens, owned by someone else. */
export async function overdueTasksOfCaseload(db: Q, userId: string, today: string, limit: number): Promise<TaskRow[]> {
  const { rows } = await sql<TaskRow>`
    select t.id, t.title, t.due_date::text as due_date, p.citizen_id, t.owner_kind,
           case when t.owner_kind = 'staff' then u.name end as owner_name,
           count(*) over ()::int as total
      from plans p
      join plan_tasks t on t.plan_id = p.id
      left join users u on u.id = t.owner_user_id
     where p.citizen_id in (${caseload(userId, today)})
       and t.status = 'open' and t.due_date < ${today}
       and t.owner_user_id is distinct from ${userId}
     order by t.due_date, t.id
     limit ${limit}`.execute(db);
  return rows;
}

export interface NextStepRow {
  citizen_id: string;
  next_conversation: Date | null;
  next_meeting: Date | null;
  next_task_due: string | null;
  next_task_title: string | null;
  follow_up: string | null;
  /** The earliest of the above as a Copenhagen date; null when the citizen has no next step. */
  step_date: string | null;
  total: number;
}

/** Per citizen of the caseload: the next planned appointment, the next open task and the plan's follow-up. Citizens without any come first. */
export async function nextSteps(db: Q, userId: string, today: string, now: Date, limit: number): Promise<NextStepRow[]> {
  const { rows } = await sql<NextStepRow>`
    with mine as (${caseload(userId, today)}),
    steps as (
      select m.citizen_id,
             (select min(c.starts_at) from conversations c
               where c.citizen_id = m.citizen_id and c.status = 'planned' and c.starts_at >= ${now}) as next_conversation,
             (select min(n.starts_at) from network_meetings n
               where n.citizen_id = m.citizen_id and n.status = 'planned' and n.starts_at >= ${now}) as next_meeting,
             t.due_date as next_task_due, t.title as next_task_title,
             (select min(p.next_follow_up) from plans p join enrolments e on e.id = p.enrolment_id
               where p.citizen_id = m.citizen_id and e.status <> 'ended' and p.next_follow_up >= ${today}) as follow_up
        from mine m
        left join lateral (
          select t.due_date, t.title from plans p join plan_tasks t on t.plan_id = p.id
           where p.citizen_id = m.citizen_id and t.status = 'open' and t.due_date is not null
           order by t.due_date, t.id limit 1) t on true
    )
    select citizen_id, next_conversation, next_meeting, next_task_due::text as next_task_due, next_task_title,
           follow_up::text as follow_up,
           least((next_conversation at time zone 'Europe/Copenhagen')::date, (next_meeting at time zone 'Europe/Copenhagen')::date,
                 next_task_due, follow_up)::text as step_date,
           count(*) over ()::int as total
      from steps
     order by step_date nulls first, citizen_id
     limit ${limit}`.execute(db);
  return rows;
}

export interface FeedOwnerRow {
  user_id: string;
  username: string;
  name: string;
  organisation_id: string;
  roles: { role: string; programmeId: string | null }[];
}

/** The owner of a live feed token (by its hash): unexpired, not revoked, an active user, the organisation's setting on. */
export async function feedOwner(db: Q, tokenHash: string, now: Date): Promise<FeedOwnerRow | undefined> {
  const { rows } = await sql<FeedOwnerRow>`
    select f.user_id, u.username, u.name, u.organisation_id,
           coalesce((select json_agg(json_build_object('role', r.role, 'programmeId', r.programme_id))
                       from user_roles r where r.user_id = u.id), '[]'::json) as roles
      from calendar_feeds f
      join users u on u.id = f.user_id
      join organisations o on o.id = f.organisation_id
     where f.token_hash = ${tokenHash} and f.revoked_at is null and f.expires_at > ${now}
       and u.active and o.calendar_feed_enabled and u.organisation_id = f.organisation_id`.execute(db);
  return rows[0];
}

/** The random UID of each entry, made on first sight and kept. */
export async function uidsFor(db: Q, refIds: string[]): Promise<Map<string, string>> {
  if (refIds.length === 0) return new Map();
  const { rows } = await sql<{ ref_id: string; uid: string }>`
    with wanted as (select distinct unnest(${refIds}::uuid[]) as ref_id),
    made as (
      insert into calendar_uids (ref_id) select ref_id from wanted
      on conflict (ref_id) do nothing
      returning ref_id, uid)
    select ref_id, uid from made
    union all
    select u.ref_id, u.uid from calendar_uids u join wanted w on w.ref_id = u.ref_id`.execute(db);
  return new Map(rows.map((r) => [r.ref_id, r.uid]));
}

export interface FeedStateRow {
  enabled: boolean;
  created_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export async function feedState(db: Q, userId: string, organisationId: string): Promise<FeedStateRow> {
  const { rows } = await sql<FeedStateRow>`
    select o.calendar_feed_enabled as enabled, f.created_at, f.expires_at, f.revoked_at
      from organisations o
      left join calendar_feeds f on f.user_id = ${userId} and f.organisation_id = o.id
     where o.id = ${organisationId}`.execute(db);
  return rows[0] ?? { enabled: false, created_at: null, expires_at: null, revoked_at: null };
}

export async function saveFeed(db: Q, userId: string, organisationId: string, tokenHash: string, expiresAt: Date): Promise<void> {
  await db
    .insertInto('calendar_feeds')
    .values({ user_id: userId, organisation_id: organisationId, token_hash: tokenHash, expires_at: expiresAt })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ organisation_id: organisationId, token_hash: tokenHash, created_at: sql`now()`, expires_at: expiresAt, revoked_at: null }),
    )
    .execute();
}

/** Revokes the user's feed; the number of feeds revoked (0 when there was none live). */
export async function revokeFeed(db: Q, userId: string, now: Date): Promise<number> {
  const result = await db.updateTable('calendar_feeds').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface OverlapRow {
  user_id: string;
  kind: 'conversation' | 'network_meeting' | 'group_session';
  id: string;
  starts_at: Date;
  duration_minutes: number;
}

/**
 * Appointments of the users that overlap [startsAt, endsAt): conversations and meetings they take part in,
 * sessions they lead; cancelled ones do not count. No appointment lasts more than 600 minutes (a check in
 * the schema), so the start-time range stays index-friendly.
 */
export async function overlapping(db: Q, userIds: string[], startsAt: Date, endsAt: Date, exceptId: string | null): Promise<OverlapRow[]> {
  if (userIds.length === 0) return [];
  const earliest = new Date(startsAt.getTime() - 600 * 60_000);
  const { rows } = await sql<OverlapRow>`
    select * from (
      select u.user_id, 'conversation' as kind, c.id, c.starts_at, c.duration_minutes
        from conversations c cross join lateral unnest(c.staff_ids) as u(user_id)
       where c.staff_ids && ${userIds}::uuid[] and u.user_id = any(${userIds}::uuid[]) and c.status <> 'cancelled'
         and c.starts_at >= ${earliest} and c.starts_at < ${endsAt}
      union all
      select distinct mp.user_id, 'network_meeting', m.id, m.starts_at, m.duration_minutes
        from meeting_participants mp join network_meetings m on m.id = mp.meeting_id
       where mp.user_id = any(${userIds}::uuid[]) and mp.kind = 'staff' and m.status <> 'cancelled'
         and m.starts_at >= ${earliest} and m.starts_at < ${endsAt}
      union all
      select l.user_id, 'group_session', s.id, s.starts_at, s.duration_minutes
        from group_course_leaders l join group_sessions s on s.course_id = l.course_id
       where l.user_id = any(${userIds}::uuid[]) and s.status <> 'cancelled'
         and s.starts_at >= ${earliest} and s.starts_at < ${endsAt}
    ) o
    where o.starts_at + o.duration_minutes * interval '1 minute' > ${startsAt}
      and (${exceptId}::uuid is null or o.id <> ${exceptId}::uuid)
    order by o.starts_at, o.user_id, o.id`.execute(db);
  return rows;
}
