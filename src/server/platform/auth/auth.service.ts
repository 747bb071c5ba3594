// Login, logout, session resolution and password change: the rules of staff authentication.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionUser } from '../../../contracts/auth.ts';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { DomainError, Invalid, Unauthenticated } from '../errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import * as repo from './auth.repository.ts';
import { throttleBlock } from './address.ts';

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** last_seen_at is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 30_000;
/**
 * Five wrong passwords lock the account for 15 minutes; the streak keeps counting through the lock, so each
 * further wrong password locks again for twice as long (up to a day). It ends after a day without failures.
 */
export const LOCKOUT: repo.LockoutPolicy = { maxFailures: 5, windowMs: 24 * 3_600_000, lockMs: 15 * 60_000, maxLockMs: 24 * 3_600_000 };
/** Failed logins from one address (whatever the usernames) before its logins are refused for the window. */
export const ADDRESS_THROTTLE: repo.ThrottlePolicy = { maxFailures: 30, windowMs: 15 * 60_000 };

/** One answer for unknown user, wrong password and locked account, so none can be told apart. */
export class LoginFailed extends DomainError {
  constructor() {
    super(401, 'login_failed', 'Login failed: the username or password is wrong, or the account is temporarily locked.');
  }
}

/** The password was set by an administrator; only the password change (and me, session, logout) is open. */
export class PasswordChangeRequired extends DomainError {
  constructor() {
    super(403, 'password_change_required', 'Choose your own password first (POST /api/auth/password)');
  }
}

/** Too many failed logins from the caller's address; says nothing about any account. */
export class TooManyAttempts extends DomainError {
  constructor() {
    super(429, 'too_many_attempts', 'Too many failed logins from this address; try again later.');
  }
}

const token = () => randomBytes(32).toString('base64url');
export const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

async function sessionUser(
  db: Kysely<Database>,
  user: { id: string; username: string; name: string; organisation_id: string; password_must_change: boolean },
): Promise<SessionUser> {
  const [organisation, roles] = await Promise.all([repo.organisationById(db, user.organisation_id), repo.rolesOf(db, user.id)]);
  return { id: user.id, username: user.username, name: user.name, organisation, roles, passwordChangeRequired: user.password_must_change };
}

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  user: SessionUser;
}

export async function login(
  db: Kysely<Database>,
  input: {
    username: string;
    password: string;
    previousSessionToken?: string;
    /** The client's address (behind a trusted proxy, the one it forwarded), for the per-address throttle. */
    address: string;
    /** Demo accounts log in only while the server runs in demo mode. */
    demoMode: boolean;
  },
  now = new Date(),
): Promise<LoginResult> {
  const user = await repo.findUserByUsername(db, input.username);
  // An unknown username is logged as unknown, never as typed: people type their password into that field.
  const who = { actor: null, actorUsername: user?.username, actorOrganisationId: user?.organisation_id ?? null, organisationId: user?.organisation_id ?? null };
  const block = throttleBlock(input.address);
  if (await repo.addressThrottled(db, block, now, ADDRESS_THROTTLE)) {
    await recordAudit(db, { ...who, action: 'login', purpose: 'authentication', resourceType: 'session', resourceId: user?.id ?? null, outcome: 'denied', criteria: { reason: 'address_throttled', knownUser: !!user } });
    throw new TooManyAttempts();
  }
  const locked = !!user?.locked_until && user.locked_until > now;
  const demoLocked = !!user?.is_demo && !input.demoMode;
  const usable = !!user && user.active && !demoLocked;
  const passwordOk = await verifyPassword(usable ? user.password_hash : null, input.password);

  if (!user || !usable || locked || !passwordOk) {
    await db.transaction().execute(async (tx) => {
      let lockedNow = false;
      if (user && usable && !locked) {
        lockedNow = (await repo.recordFailedLogin(tx, user.id, now, LOCKOUT)).lockedNow;
        // A lock ends the account's open sessions: whoever is guessing may already be inside.
        if (lockedNow) await repo.deleteSessionsOfUser(tx, user.id);
      }
      await repo.recordAddressFailure(tx, block, now, ADDRESS_THROTTLE);
      await recordAudit(tx, {
        ...who,
        action: 'login',
        purpose: 'authentication',
        resourceType: 'session',
        resourceId: user?.id ?? null,
        outcome: 'failure',
        criteria: {
          reason: !user ? 'unknown_user' : demoLocked ? 'demo_account' : !user.active ? 'inactive' : locked ? 'locked' : 'wrong_password',
          lockedNow,
        },
      });
    });
    throw new LoginFailed();
  }

  const sessionToken = token();
  const csrfToken = token();
  const lockedMeanwhile = await db.transaction().execute(async (tx) => {
    // Parallel guesses may have locked the account while this password was being checked.
    if (await repo.lockedNow(tx, user.id, now)) return true;
    if (input.previousSessionToken) await repo.deleteSession(tx, hashToken(input.previousSessionToken));
    await repo.clearFailedLogins(tx, user.id);
    await repo.insertSession(tx, {
      idHash: hashToken(sessionToken),
      userId: user.id,
      organisationId: user.organisation_id,
      csrfToken,
      now,
      expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    });
    await recordAudit(tx, {
      actor: { userId: user.id, username: user.username, name: user.name, organisationId: user.organisation_id, roles: await repo.rolesOf(tx, user.id) },
      organisationId: user.organisation_id,
      action: 'login',
      purpose: 'authentication',
      resourceType: 'session',
      resourceId: user.id,
      outcome: 'success',
    });
    return false;
  });
  if (lockedMeanwhile) {
    await recordAudit(db, {
      actor: null,
      actorUsername: user.username,
      actorOrganisationId: user.organisation_id,
      organisationId: user.organisation_id,
      action: 'login',
      purpose: 'authentication',
      resourceType: 'session',
      resourceId: user.id,
      outcome: 'failure',
      criteria: { reason: 'locked' },
    });
    throw new LoginFailed();
  }
  return { sessionToken, csrfToken, user: await sessionUser(db, user) };
}

export interface ResolvedSession {
  actor: Actor;
  user: SessionUser;
  csrfToken: string;
  idHash: string;
}

/** Finds the live session for a cookie token; an idle or expired session is removed and gives null. */
export async function resolveSession(db: Kysely<Database>, sessionToken: string, now = new Date(), demoMode = false): Promise<ResolvedSession | null> {
  const idHash = hashToken(sessionToken);
  // One statement for session, user, organisation and roles: a revocation (logout, role change, lock, password
  // change) is seen by the very next request on every instance, since nothing of it is cached.
  const session = await repo.findSessionWithUser(db, idHash);
  if (!session) return null;
  const lastSeen = new Date(session.last_seen_at);
  const expiresAt = new Date(session.expires_at);
  if (expiresAt <= now || now.getTime() - lastSeen.getTime() > SESSION_IDLE_MS) {
    await endRefusedSession(db, session, expiresAt <= now ? 'expired' : 'idle');
    return null;
  }
  // A demo account's session (from a run in demo mode) ends when the server runs without demo mode.
  if (!session.active || (session.is_demo && !demoMode)) {
    await endRefusedSession(db, session, !session.active ? 'inactive_user' : 'demo_account');
    return null;
  }
  if (now.getTime() - lastSeen.getTime() > TOUCH_INTERVAL_MS) await repo.touchSession(db, idHash, now);
  const roles = session.roles ?? [];
  const sessionUserValue: SessionUser = {
    id: session.user_id,
    username: session.username,
    name: session.name,
    organisation: { id: session.user_organisation_id, name: session.organisation_name, kind: session.organisation_kind as SessionUser['organisation']['kind'] },
    roles,
    passwordChangeRequired: session.password_must_change,
  };
  const actor: Actor = {
    userId: session.user_id,
    username: session.username,
    name: session.name,
    organisationId: session.user_organisation_id,
    roles: roles.map((r) => ({ role: r.role, programmeId: r.programmeId })),
    referenceVersion: Number(session.reference_version),
  };
  return { actor, user: sessionUserValue, csrfToken: session.csrf_token, idHash };
}

/**
 * A request came with a session that may no longer be used: the session ends, and the refusal is logged (once,
 * since the session is gone afterwards). A cookie that names no session at all is not logged: it names no one.
 */
async function endRefusedSession(
  db: Kysely<Database>,
  session: { id_hash: string; user_id: string; organisation_id: string },
  reason: 'expired' | 'idle' | 'inactive_user' | 'demo_account',
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const deleted = await repo.deleteSession(tx, session.id_hash);
    // A parallel request with the same cookie already ended it and logged the refusal.
    if (deleted.every((r) => Number(r.numDeletedRows) === 0)) return;
    await recordAudit(tx, {
      actor: null,
      actorOrganisationId: session.organisation_id,
      organisationId: session.organisation_id,
      action: 'logout',
      purpose: 'authentication',
      resourceType: 'session',
      resourceId: session.user_id,
      outcome: 'denied',
      criteria: { reason },
    });
  });
}

export async function logout(db: Kysely<Database>, session: ResolvedSession): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await repo.deleteSession(tx, session.idHash);
    await recordAudit(tx, {
      actor: session.actor,
      organisationId: session.actor.organisationId,
      action: 'logout',
      purpose: 'authentication',
      resourceType: 'session',
      resourceId: session.actor.userId,
      outcome: 'success',
    });
  });
}

export async function changePassword(
  db: Kysely<Database>,
  session: ResolvedSession,
  input: { currentPassword: string; newPassword: string },
  now = new Date(),
): Promise<void> {
  const user = await repo.findUserById(db, session.actor.userId);
  if (!user) throw new Invalid('Unknown user');
  const currentOk = await verifyPassword(user.password_hash, input.currentPassword);
  const audit = (outcome: 'success' | 'failure', reason?: string) => ({
    actor: session.actor,
    organisationId: session.actor.organisationId,
    action: 'change-password' as const,
    purpose: 'authentication' as const,
    resourceType: 'user',
    resourceId: user.id,
    outcome,
    criteria: reason ? { reason } : null,
  });
  if (!currentOk) {
    // A wrong current password is a guess like a failed login, and counts towards the same lock.
    const lockedNow = await db.transaction().execute(async (tx) => {
      const result = await repo.recordFailedLogin(tx, user.id, now, LOCKOUT);
      if (result.locked) await repo.deleteSessionsOfUser(tx, user.id);
      await recordAudit(tx, { ...audit('failure', 'wrong_current_password'), criteria: { reason: 'wrong_current_password', lockedNow: result.lockedNow } });
      return result.locked;
    });
    if (lockedNow) throw new Unauthenticated('The account is locked; log in again later');
    throw new Invalid('The current password is wrong', [{ path: 'currentPassword', message: 'wrong_current_password' }]);
  }
  const problem = input.newPassword === input.currentPassword ? 'same_as_current' : passwordProblem(input.newPassword, user);
  if (problem) {
    await recordAudit(db, audit('failure', problem));
    throw new Invalid('The new password does not meet the rules', [{ path: 'newPassword', message: problem }]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (tx) => {
    await repo.setPassword(tx, user.id, passwordHash, now);
    await repo.deleteSessionsOfUser(tx, user.id, session.idHash);
    await recordAudit(tx, audit('success'));
  });
}
