// SQL of the portal's "Min plan" changes and "Mine aftaler": the citizen's task (reached only through the records
// the session holds), marking it done, comments, the appointments of the records and the citizen's own feed.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database>;

export interface CitizenTaskRow {
  id: string;
  plan_id: string;
  organisation_id: string;
  citizen_id: string;
  owner_kind: 'citizen' | 'staff' | 'outside';
  status: 'open' | 'done' | 'cancelled';
  reminder: boolean;
  enrolment_open: boolean;
  completed_at: Date | null;
  my_comments: number;
}

/**
 * A task in a plan of one of the given records (by its primary key, then the plan's citizen checked), with the
 * number of comments this account wrote on it; locked for a change when asked.
 */
export async function taskOfRecords(db: Q, taskId: string, citizenIds: string[], accountId: string, lock: boolean): Promise<CitizenTaskRow | undefined> {
  const { rows } = await sql<CitizenTaskRow>`
    select t.id, t.plan_id, t.organisation_id, p.citizen_id, t.owner_kind, t.status, t.min_plan_offer_kind is not null as reminder,
           e.status <> 'ended' as enrolment_open, t.completed_at,
           (select count(*)::int from plan_task_comments k where k.plan_id = t.plan_id and k.task_id = t.id and k.author_account_id = ${accountId}) as my_comments
      from plan_tasks t join plans p on p.id = t.plan_id join enrolments e on e.id = p.enrolment_id
     where t.id = ${taskId} and p.citizen_id = any(${citizenIds}::uuid[])
     ${lock ? sql`for update of t` : sql``}`.execute(db);
  return rows[0];
}

/** Marks an open task done by the citizen; undefined when it was not open. */
export async function markDoneByCitizen(db: Q, taskId: string, accountId: string, now: Date) {
  return db
    .updateTable('plan_tasks')
    .set((eb) => ({ status: 'done' as const, completed_at: now, completed_by_account: accountId, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', taskId)
    .where('status', '=', 'open')
    .returning(['id', 'completed_at'])
    .executeTakeFirst();
}

export async function insertCitizenComment(db: Q, row: { organisationId: string; citizenId: string; planId: string; taskId: string; accountId: string; text: string }) {
  return db
    .insertInto('plan_task_comments')
    .values({
      organisation_id: row.organisationId,
      citizen_id: row.citizenId,
      plan_id: row.planId,
      task_id: row.taskId,
      author_kind: 'citizen',
      author_user_id: null,
      author_account_id: row.accountId,
      text: row.text,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

export interface AppointmentRow {
  kind: 'conversation' | 'network_meeting' | 'group_session';
  id: string;
  starts_at: Date;
  duration_minutes: number;
  status: string;
  place: string;
  organisation: string;
  outside_roles: string[];
  staff_roles: (string | null)[];
}

export interface AppointmentCursor {
  at: string;
  id: string;
}

/**
 * The appointments of the records: conversations, network meetings and the sessions of the group courses they take
 * part in, each from the record's own index (citizen id, start). `upcoming`: planned ones not yet over, after the
 * cursor; otherwise every one starting in [from, to) (for the feed, cancelled ones too). In time order, at most
 * `limit` rows, with the staff by role (their team role for the citizen, else their programme role) and outside
 * participants by their recorded role; never a name.
 */
export async function appointmentsOf(
  db: Q,
  citizenIds: string[],
  window: { upcoming: true; now: Date; after?: AppointmentCursor } | { upcoming: false; from: Date; to: Date },
  limit: number,
): Promise<AppointmentRow[]> {
  const ids = sql`${citizenIds}::uuid[]`;
  // Nothing lasts more than 600 minutes (a check in the schema), so "not yet over" stays a range on the start.
  const range = (column: string) =>
    window.upcoming
      ? sql`${sql.raw(column)}.status = 'planned' and ${sql.raw(column)}.starts_at > ${new Date(window.now.getTime() - 600 * 60_000)}
            and ${sql.raw(column)}.starts_at + ${sql.raw(column)}.duration_minutes * interval '1 minute' > ${window.now}`
      : sql`${sql.raw(column)}.starts_at >= ${window.from} and ${sql.raw(column)}.starts_at < ${window.to}`;
  const after = window.upcoming && window.after ? sql`where (a.starts_at, a.id) > (${new Date(window.after.at)}, ${window.after.id}::uuid)` : sql``;
  const { rows } = await sql<AppointmentRow>`
    with appts as (
      select 'conversation' as kind, c.id, c.citizen_id, c.starts_at, c.duration_minutes, c.status, c.place::text as place,
             c.staff_ids, array[]::text[] as outside_roles
        from conversations c
       where c.citizen_id = any(${ids}) and ${range('c')}
      union all
      select 'network_meeting', m.id, m.citizen_id, m.starts_at, m.duration_minutes, m.status, m.place::text,
             array(select mp.user_id from meeting_participants mp where mp.meeting_id = m.id and mp.kind = 'staff' order by mp.position),
             array(select pp.role from meeting_participants mp join plan_participants pp on pp.id = mp.plan_participant_id
                    where mp.meeting_id = m.id and mp.kind = 'outside' order by mp.position)
        from network_meetings m
       where m.citizen_id = any(${ids}) and ${range('m')}
      union all
      select 'group_session', s.id, gp.citizen_id, s.starts_at, s.duration_minutes, s.status, 'group',
             array(select l.user_id from group_course_leaders l where l.course_id = s.course_id order by l.user_id), array[]::text[]
        from group_participants gp join group_sessions s on s.course_id = gp.course_id
       where gp.citizen_id = any(${ids}) and gp.left_at is null and ${range('s')}
    )
    select a.kind, a.id, a.starts_at, a.duration_minutes, a.status, a.place, o.name as organisation, a.outside_roles,
           coalesce((select json_agg(coalesce(
                       (select tm.role from team_members tm join enrolments e on e.id = tm.enrolment_id
                         where e.citizen_id = a.citizen_id and tm.user_id = x.uid
                         order by (tm.valid_to is null) desc, tm.valid_from desc limit 1),
                       (select r.role from user_roles r
                         where r.user_id = x.uid and r.role in ('resource_consultant', 'caseworker', 'job_consultant', 'liaison', 'programme_manager')
                         order by r.role limit 1)) order by x.ord)
                       from unnest(a.staff_ids) with ordinality as x(uid, ord)), '[]'::json) as staff_roles
      from (select * from appts a ${after} order by a.starts_at, a.id limit ${limit}) a
      join citizens c on c.id = a.citizen_id join organisations o on o.id = c.organisation_id
     order by a.starts_at, a.id`.execute(db);
  return rows;
}

// ---- The citizen's own feed ----

export interface FeedStateRow {
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

export function feedState(db: Q, accountId: string): Promise<FeedStateRow | undefined> {
  return db.selectFrom('portal_calendar_feeds').select(['created_at', 'expires_at', 'revoked_at']).where('account_id', '=', accountId).executeTakeFirst();
}

/** A new token for the account's feed (any earlier one stops working); whether a live one was replaced. */
export async function saveFeed(db: Q, accountId: string, tokenHash: string, now: Date, expiresAt: Date): Promise<boolean> {
  const { rows } = await sql<{ replaced: boolean }>`
    with old as (select revoked_at is null and expires_at > ${now} as live from portal_calendar_feeds where account_id = ${accountId})
    insert into portal_calendar_feeds (account_id, token_hash, created_at, expires_at, revoked_at)
    values (${accountId}, ${tokenHash}, ${now}, ${expiresAt}, null)
    on conflict (account_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at,
                                           expires_at = excluded.expires_at, revoked_at = null
    returning coalesce((select live from old), false) as replaced`.execute(db);
  return rows[0]?.replaced ?? false;
}

export async function revokeFeed(db: Q, accountId: string, now: Date): Promise<number> {
  const result = await db.updateTable('portal_calendar_feeds').set({ revoked_at: now }).where('account_id', '=', accountId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The account of a live feed token (by its hash) with the records it reaches, in one statement. */
export async function feedOwner(db: Q, tokenHash: string, now: Date) {
  const { rows } = await sql<{ account_id: string; records: { citizenId: string; organisationId: string }[] | null }>`
    select f.account_id,
           (select json_agg(json_build_object('citizenId', l.citizen_id, 'organisationId', l.organisation_id) order by l.first_invited_at)
              from portal_links l where l.account_id = f.account_id) as records
      from portal_calendar_feeds f
     where f.token_hash = ${tokenHash} and f.revoked_at is null and f.expires_at > ${now}`.execute(db);
  return rows[0];
}
