// SQL for users' credentials, lockout counters, roles and sessions.
import type { Kysely } from 'kysely';
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

export async function recordFailedLogin(db: Q, userId: string, now: Date, policy: { maxFailures: number; windowMs: number; lockMs: number }) {
  const user = await db
    .selectFrom('users')
    .select(['failed_login_count', 'failed_login_window_start', 'locked_until'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  // A lock set by a concurrent attempt stands: failures that raced with it neither lift nor shorten it.
  if (user.locked_until && user.locked_until > now) return { locked: true };
  const windowOpen = user.failed_login_window_start && now.getTime() - user.failed_login_window_start.getTime() < policy.windowMs;
  const count = windowOpen ? user.failed_login_count + 1 : 1;
  const locks = count >= policy.maxFailures;
  await db
    .updateTable('users')
    .set({
      failed_login_count: locks ? 0 : count,
      failed_login_window_start: locks ? null : windowOpen ? user.failed_login_window_start : now,
      locked_until: locks ? new Date(now.getTime() + policy.lockMs) : null,
    })
    .where('id', '=', userId)
    .execute();
  return { locked: locks };
}

export function clearFailedLogins(db: Q, userId: string) {
  return db
    .updateTable('users')
    .set({ failed_login_count: 0, failed_login_window_start: null, locked_until: null })
    .where('id', '=', userId)
    .execute();
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

export function findSession(db: Q, idHash: string) {
  return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
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

export function setPassword(db: Q, userId: string, passwordHash: string, now: Date) {
  return db
    .updateTable('users')
    .set((eb) => ({ password_hash: passwordHash, password_changed_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', userId)
    .execute();
}

/** Whether the account is locked now, read under a row lock so a concurrent failure is seen. */
export async function lockedNow(db: Q, userId: string, now: Date): Promise<boolean> {
  const row = await db.selectFrom('users').select('locked_until').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
  return !!row.locked_until && row.locked_until > now;
}
