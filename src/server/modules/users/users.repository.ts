// SQL for staff users and role grants, always scoped to one organisation.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database>;

export interface UserCursor {
  name: string;
  id: string;
}

const STAFF_COLUMNS = ['id', 'username', 'name', 'email', 'active', 'locked_until', 'version'] as const;

export type StaffUserRow = Awaited<ReturnType<typeof staffUserRows>>[number];

export function staffUserRows(db: Q, ids: string[]) {
  return db.selectFrom('users').select(STAFF_COLUMNS).where('id', 'in', ids).execute();
}

export function listUsers(db: Q, organisationId: string, opts: { q?: string; after?: UserCursor; limit: number }) {
  let query = db
    .selectFrom('users')
    .select(STAFF_COLUMNS)
    .where('organisation_id', '=', organisationId);
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('name', 'ilike', like), eb('username', 'ilike', like)]));
  }
  if (opts.after) {
    const after = opts.after;
    query = query.where(sql<boolean>`(lower(name), id) > (lower(${after.name}), ${after.id}::uuid)`);
  }
  return query.orderBy(sql`lower(name)`).orderBy('id').limit(opts.limit + 1).execute();
}

export async function rolesOfUsers(db: Q, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('user_roles as r')
    .leftJoin('programmes as p', 'p.id', 'r.programme_id')
    .select(['r.user_id', 'r.role', 'r.programme_id', 'p.name as programme_name'])
    .where('r.user_id', 'in', userIds)
    .orderBy('p.name')
    .orderBy('r.role')
    .execute();
}

export function userInOrganisation(db: Q, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function usernameTaken(db: Q, username: string) {
  return db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

/** Programmes in which the organisation takes part, so its staff can hold roles there. */
export function programmesOfOrganisation(db: Q, organisationId: string) {
  return db
    .selectFrom('programmes as p')
    .innerJoin('programme_partners as pp', 'pp.programme_id', 'p.id')
    .select(['p.id', 'p.name'])
    .where('pp.organisation_id', '=', organisationId)
    .orderBy('p.name')
    .execute();
}

export function insertUser(
  db: Q,
  u: { organisationId: string; username: string; name: string; email: string | null; passwordHash: string },
) {
  return db
    .insertInto('users')
    // The administrator chose the password: it is temporary until the user changes it.
    .values({ organisation_id: u.organisationId, username: u.username, name: u.name, email: u.email, password_hash: u.passwordHash, password_must_change: true })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function replaceRoles(db: Q, userId: string, organisationId: string, roles: { role: string; programmeId: string | null }[]) {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roles.length === 0) return;
  await db
    .insertInto('user_roles')
    .values(roles.map((r) => ({ user_id: userId, organisation_id: organisationId, role: r.role, programme_id: r.programmeId })))
    .execute();
}

/** Updates when the version matches; returns the new version, or undefined on a stale version. */
export async function updateUser(
  db: Q,
  id: string,
  version: number,
  changes: { name?: string; email?: string | null; active?: boolean; passwordHash?: string },
) {
  const row = await db
    .updateTable('users')
    .set((eb) => ({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.active !== undefined ? { active: changes.active } : {}),
      ...(changes.passwordHash !== undefined
        ? {
            password_hash: changes.passwordHash,
            password_changed_at: new Date(),
            // Set by an administrator, so temporary until the user changes it.
            password_must_change: true,
            locked_until: null,
            failed_login_count: 0,
            failed_login_window_start: null,
            last_failed_login_at: null,
          }
        : {}),
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('version')
    .executeTakeFirst();
  return row?.version;
}
