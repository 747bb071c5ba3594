// An organisation's admin manages its own staff: list, create, change, deactivate, assign roles.
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { CreateUserRequest, StaffUser, UpdateUserRequest, UserListQuery } from '../../../contracts/users.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor, Role } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany, type AuditAction } from '../../platform/audit/audit.ts';
import { deleteSessionsOfUser } from '../../platform/auth/auth.repository.ts';
import { hashPassword, passwordProblem } from '../../platform/auth/passwords.ts';
import { Conflict, Forbidden, Invalid } from '../../platform/errors.ts';
import { maskCprLike } from '../../platform/masking.ts';
import { decodeCursor, encodeCursor, isShortString, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import * as repo from './users.repository.ts';

const purpose = 'administration' as const;
const orgResource = (actor: Actor) => ({ type: 'user', organisationId: actor.organisationId });

function isUserCursor(v: unknown): v is repo.UserCursor {
  return typeof v === 'object' && v !== null && isShortString((v as repo.UserCursor).name) && isUuid((v as repo.UserCursor).id);
}

async function withRoles(tx: Transaction<Database>, rows: repo.StaffUserRow[]): Promise<StaffUser[]> {
  const roles = await repo.rolesOfUsers(tx, rows.map((r) => r.id));
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    name: u.name,
    email: u.email,
    active: u.active,
    lockedUntil: u.locked_until && u.locked_until > new Date() ? u.locked_until.toISOString() : null,
    version: u.version,
    roles: roles
      .filter((r) => r.user_id === u.id)
      .map((r) => ({ role: r.role as Role, programmeId: r.programme_id, programmeName: r.programme_name })),
  }));
}

export async function listUsers(db: Kysely<Database>, actor: Actor, query: z.infer<typeof UserListQuery>) {
  return inTransaction(db, async (tx) => {
    requireAccess(actor, 'user:read', orgResource(actor), { action: 'search', purpose });
    const after = decodeCursor(query.cursor, isUserCursor);
    const rows = await repo.listUsers(tx, actor.organisationId, { q: query.q, after, limit: query.limit });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'search',
      purpose,
      resourceType: 'user',
      outcome: 'success',
      criteria: { q: query.q ? maskCprLike(query.q) : null, cursor: query.cursor ? 'next' : null, found: page.map((u) => u.id) },
    });
    return {
      items: await withRoles(tx, page),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null,
    };
  });
}

export async function userOptions(db: Kysely<Database>, actor: Actor) {
  return inTransaction(db, async (tx) => {
    requireAccess(actor, 'user:read', orgResource(actor), { action: 'read', purpose });
    const programmes = await repo.programmesOfOrganisation(tx, actor.organisationId);
    return { programmes };
  });
}

async function checkRoles(tx: Transaction<Database>, actor: Actor, roles: { programmeId: string | null }[]) {
  const allowed = new Set((await repo.programmesOfOrganisation(tx, actor.organisationId)).map((p) => p.id));
  const bad = roles.findIndex((r) => r.programmeId !== null && !allowed.has(r.programmeId));
  if (bad >= 0) {
    throw new Invalid('Roles can only be given in programmes your organisation takes part in', [
      { path: `roles.${bad}.programmeId`, message: 'not a programme of your organisation' },
    ]);
  }
}

function checkPassword(password: string, user: { username: string; name: string }, path: string) {
  const problem = passwordProblem(password, user);
  if (problem) throw new Invalid('The password does not meet the rules', [{ path, message: problem }]);
}

function audited(actor: Actor, action: AuditAction, userId: string, criteria: Record<string, unknown>) {
  return { actor, organisationId: actor.organisationId, action, purpose, resourceType: 'user', resourceId: userId, outcome: 'success' as const, criteria };
}

type RoleKey = { role: string; programmeId: string | null };
const roleKey = (r: RoleKey) => `${r.role}|${r.programmeId ?? ''}`;

/** One row per role given or taken and per password chosen, so the dpo's log lists them as their own category. */
function accountChanges(actor: Actor, userId: string, username: string, before: RoleKey[], after: RoleKey[], password: 'initial' | 'reset' | null) {
  const had = new Set(before.map(roleKey));
  const has = new Set(after.map(roleKey));
  const unique = (list: RoleKey[]) => [...new Map(list.map((r) => [roleKey(r), r])).values()];
  return [
    ...unique(after).filter((r) => !had.has(roleKey(r))).map((r) => audited(actor, 'grant-role', userId, { username, role: r.role, programmeId: r.programmeId })),
    ...unique(before).filter((r) => !has.has(roleKey(r))).map((r) => audited(actor, 'revoke-role', userId, { username, role: r.role, programmeId: r.programmeId })),
    ...(password ? [audited(actor, 'reset-password', userId, { username, initial: password === 'initial', temporary: true })] : []),
  ];
}

/** Separation of duties: an administrator cannot give themself roles nor choose their own password here. */
function ownAccountRefusal(actor: Actor, id: string, reason: 'own_roles' | 'own_password') {
  return new Forbidden(
    reason === 'own_roles' ? 'You cannot change your own roles; another administrator must' : 'Change your own password under "Change password"',
    { audit: { actor, organisationId: actor.organisationId, action: 'update', purpose, resourceType: 'user', resourceId: id, outcome: 'denied', criteria: { reason } } },
  );
}

export async function createUser(db: Kysely<Database>, actor: Actor, input: z.infer<typeof CreateUserRequest>) {
  checkPassword(input.initialPassword, input, 'initialPassword');
  const passwordHash = await hashPassword(input.initialPassword);
  return inTransaction(db, async (tx) => {
    requireAccess(actor, 'user:create', orgResource(actor), { action: 'create', purpose });
    if (await repo.usernameTaken(tx, input.username)) {
      throw new Conflict('The username is taken', [{ path: 'username', message: 'taken' }]);
    }
    await checkRoles(tx, actor, input.roles);
    const { id } = await repo.insertUser(tx, {
      organisationId: actor.organisationId,
      username: input.username,
      name: input.name,
      email: input.email ?? null,
      passwordHash,
    });
    await repo.replaceRoles(tx, id, actor.organisationId, input.roles);
    await recordAuditMany(tx, [audited(actor, 'create', id, { roles: input.roles }), ...accountChanges(actor, id, input.username, [], input.roles, 'initial')]);
    return (await withRoles(tx, await repo.staffUserRows(tx, [id])))[0]!;
  });
}

export async function updateUser(db: Kysely<Database>, actor: Actor, id: string, input: z.infer<typeof UpdateUserRequest>) {
  const passwordHash = input.newPassword ? await hashPassword(input.newPassword) : undefined;
  return inTransaction(db, async (tx) => {
    const target = await repo.userInOrganisation(tx, id);
    const resource = { type: 'user', id, organisationId: target?.organisation_id ?? '' };
    if (!target) throw new AccessDenied({ actor, organisationId: actor.organisationId, action: 'update', purpose, resourceType: 'user', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
    requireAccess(actor, input.roles ? 'user:assign-role' : 'user:update', resource, { action: 'update', purpose });
    if (input.active === false && id === actor.userId) {
      throw new Invalid('You cannot deactivate your own account', [{ path: 'active', message: 'own account' }]);
    }
    const rolesBefore = (await repo.rolesOfUsers(tx, [id])).map((r) => ({ role: r.role, programmeId: r.programme_id }));
    if (id === actor.userId) {
      if (input.newPassword !== undefined) throw ownAccountRefusal(actor, id, 'own_password');
      const same = (a: RoleKey[], b: RoleKey[]) => new Set(a.map(roleKey)).size === new Set(b.map(roleKey)).size && b.every((r) => a.some((x) => roleKey(x) === roleKey(r)));
      if (input.roles && !same(rolesBefore, input.roles)) throw ownAccountRefusal(actor, id, 'own_roles');
    }
    if (input.newPassword) checkPassword(input.newPassword, { username: target.username, name: input.name ?? target.name }, 'newPassword');
    if (input.roles) await checkRoles(tx, actor, input.roles);
    const version = await repo.updateUser(tx, id, input.version, { name: input.name, email: input.email, active: input.active, passwordHash });
    if (version === undefined) {
      throw new Conflict('Someone else changed this user in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    }
    if (input.roles) await repo.replaceRoles(tx, id, actor.organisationId, input.roles);
    if (input.active === false || input.newPassword) await deleteSessionsOfUser(tx, id);
    const changed = Object.keys(input).filter((k) => k !== 'version' && k !== 'newPassword');
    await recordAuditMany(tx, [
      audited(actor, 'update', id, { changed: input.newPassword ? [...changed, 'password'] : changed, ...(input.roles ? { roles: input.roles } : {}) }),
      ...accountChanges(actor, id, target.username, rolesBefore, input.roles ?? rolesBefore, input.newPassword ? 'reset' : null),
    ]);
    return (await withRoles(tx, await repo.staffUserRows(tx, [id])))[0]!;
  });
}

export async function getUser(db: Kysely<Database>, actor: Actor, id: string) {
  return inTransaction(db, async (tx) => {
    const target = await repo.userInOrganisation(tx, id);
    if (!target) throw new AccessDenied({ actor, organisationId: actor.organisationId, action: 'read', purpose, resourceType: 'user', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
    requireAccess(actor, 'user:read', { type: 'user', id, organisationId: target.organisation_id }, { action: 'read', purpose });
    await recordAudit(tx, audited(actor, 'read', id, {}));
    return (await withRoles(tx, await repo.staffUserRows(tx, [id])))[0]!;
  });
}
