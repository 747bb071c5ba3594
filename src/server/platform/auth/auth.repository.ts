// SQL for users' credentials, lockout counters, roles and sessions.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Role, RoleGrant } from '../actor.ts';

type Q = Kysely<Database>;

export function findUserByUsername(db: Q, username: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

export function findUserById(db: Q, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function rolesOf(db: Q, userId: string): Promise<(RoleGrant & { programmeName: string | null })[]> {
  const rows = await db
    .selectFrom('user_roles as r')
    .leftJoin('programmes as p', 'p.id', 'r.programme_id')
    .select(['r.role', 'r.programme_id', 'p.name as programme_name'])
    .where('r.user_id', '=', userId)
    .orderBy('p.name')
    .orderBy('r.role')
    .execute();
  return rows.map((r) => ({ role: r.role as Role, programmeId: r.programme_id, programmeName: r.programme_name }));
}

export function organisationById(db: Q, id: string) {
  return db.selectFrom('organisations').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirstOrThrow();
}

export interface LockoutPolicy {
  /** Failures in one streak before the first lock. */
  maxFailures: number;
  /** A streak ends when this long passes without a failure or lock (a lock does not restart it). */
  windowMs: number;
  /** The first lock; every further failure in the streak locks again for twice as long as the lock before. */
  lockMs: number;
  /** The longest lock. */
  maxLockMs: number;
}

/** How long the lock is after the `count`th failure of a streak (0 below the threshold). */
export function lockDurationMs(count: number, policy: LockoutPolicy): number {
  if (count < policy.maxFailures) return 0;
  const doublings = Math.min(count - policy.maxFailures, 20);
  return Math.min(policy.lockMs * 2 ** doublings, policy.maxLockMs);
}

/**
 * Counts one failed password (a login or a wrong current password) towards the account's streak. The streak
 * keeps counting through its locks, so after the first lock every further wrong guess locks again, for longer.
 */
export async function recordFailedLogin(db: Q, userId: string, now: Date, policy: LockoutPolicy) {
  const user = await db
    .selectFrom('users')
    .select(['failed_login_count', 'failed_login_window_start', 'last_failed_login_at', 'locked_until'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  // A lock set by a concurrent attempt stands: failures that raced with it neither lift nor shorten it.
  if (user.locked_until && user.locked_until > now) return { locked: true, lockedNow: false, count: user.failed_login_count };
  // The streak ends only after a quiet window that starts when its latest failure or lock is over.
  const quietSince = Math.max(
    (user.last_failed_login_at ?? user.failed_login_window_start)?.getTime() ?? -Infinity,
    user.locked_until?.getTime() ?? -Infinity,
  );
  const streakOpen = now.getTime() - quietSince < policy.windowMs;
  const count = streakOpen ? user.failed_login_count + 1 : 1;
  const lockMs = lockDurationMs(count, policy);
  await db
    .updateTable('users')
    .set({
      failed_login_count: count,
      failed_login_window_start: streakOpen ? user.failed_login_window_start : now,
      last_failed_login_at: now,
      locked_until: lockMs > 0 ? new Date(now.getTime() + lockMs) : null,
    })
    .where('id', '=', userId)
    .execute();
  return { locked: lockMs > 0, lockedNow: lockMs > 0, count };
}

export function clearFailedLogins(db: Q, userId: string) {
  return db
    .updateTable('users')
    .set({ failed_login_count: 0, failed_login_window_start: null, last_failed_login_at: null, locked_until: null })
    .where('id', '=', userId)
    .execute();
}

export interface ThrottlePolicy {
  /** Failed logins from one address within the window before its logins are refused. */
  maxFailures: number;
  windowMs: number;
}

/** Whether logins from this address are refused now (too many failures in the current window). */
export async function addressThrottled(db: Q, address: string, now: Date, policy: ThrottlePolicy): Promise<boolean> {
  const row = await db.selectFrom('login_throttle').select(['failures', 'window_start']).where('address', '=', address).executeTakeFirst();
  if (!row) return false;
  return now.getTime() - row.window_start.getTime() < policy.windowMs && row.failures >= policy.maxFailures;
}

/** Counts a failed login from an address; one statement, so concurrent instances never lose a count. */
export async function recordAddressFailure(db: Q, address: string, now: Date, policy: ThrottlePolicy): Promise<number> {
  const windowFloor = new Date(now.getTime() - policy.windowMs);
  const row = await db
    .insertInto('login_throttle')
    .values({ address, failures: 1, window_start: now })
    .onConflict((oc) =>
      oc.column('address').doUpdateSet({
        failures: sql<number>`case when login_throttle.window_start <= ${windowFloor} then 1 else login_throttle.failures + 1 end`,
        window_start: sql<Date>`case when login_throttle.window_start <= ${windowFloor} then ${now} else login_throttle.window_start end`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return row.failures;
}

/** Forgets the counters of addresses whose window has passed. */
export function deleteStaleLoginThrottles(db: Q, now: Date, windowMs: number) {
  return db.deleteFrom('login_throttle').where('window_start', '<=', new Date(now.getTime() - windowMs)).execute();
}

export function insertSession(
  db: Q,
  s: { idHash: string; userId: string; organisationId: string; csrfToken: string; now: Date; expiresAt: Date },
) {
  return db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      organisation_id: s.organisationId,
      csrf_token: s.csrfToken,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
    })
    .execute();
}

export interface LiveSessionRow {
  id_hash: string;
  user_id: string;
  organisation_id: string;
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
  username: string;
  name: string;
  user_organisation_id: string;
  active: boolean;
  is_demo: boolean;
  password_must_change: boolean;
  organisation_name: string;
  organisation_kind: string;
  roles: { role: Role; programmeId: string | null; programmeName: string | null }[] | null;
  reference_version: number;
}

/**
 * The session with its user, the user's organisation and roles, in one statement: every authenticated request
 * starts here. Roles are ordered as `rolesOf` orders them.
 */
export async function findSessionWithUser(db: Q, idHash: string): Promise<LiveSessionRow | undefined> {
  const { rows } = await sql<LiveSessionRow>`
    select s.id_hash, s.user_id, s.organisation_id, s.csrf_token, s.last_seen_at, s.expires_at,
           u.username, u.name, u.organisation_id as user_organisation_id, u.active, u.is_demo, u.password_must_change,
           o.name as organisation_name, o.kind as organisation_kind,
           (select json_agg(json_build_object('role', r.role, 'programmeId', r.programme_id, 'programmeName', p.name)
                            order by p.name, r.role)
              from user_roles r left join programmes p on p.id = r.programme_id
             where r.user_id = u.id) as roles,
           (select v.version from reference_version v where v.id = 1) as reference_version
      from sessions s
      join users u on u.id = s.user_id
      join organisations o on o.id = u.organisation_id
     where s.id_hash = ${idHash}`.execute(db);
  return rows[0];
}

export function touchSession(db: Q, idHash: string, now: Date) {
  return db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export function deleteSession(db: Q, idHash: string) {
  return db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export function deleteSessionsOfUser(db: Q, userId: string, exceptIdHash?: string) {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptIdHash) q = q.where('id_hash', '<>', exceptIdHash);
  return q.execute();
}

export function deleteExpiredSessions(db: Q, now: Date, idleMs: number) {
  return db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - idleMs))]))
    .execute();
}

/** The user's own new password: no longer temporary. */
export function setPassword(db: Q, userId: string, passwordHash: string, now: Date) {
  return db
    .updateTable('users')
    .set((eb) => ({ password_hash: passwordHash, password_changed_at: now, password_must_change: false, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', userId)
    .execute();
}

/** Whether the account is locked now, read under a row lock so a concurrent failure is seen. */
export async function lockedNow(db: Q, userId: string, now: Date): Promise<boolean> {
  const row = await db.selectFrom('users').select('locked_until').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
  return !!row.locked_until && row.locked_until > now;
}
