// The portal's own session: a cookie apart from the staff session's, its own table, the same idle and absolute
// timeouts as staff sessions, and the level of assurance the login reached. The hooks keep the two realms apart:
// /api/portal/ routes see only a portal session, every other route only a staff session; and they guard the
// level of assurance (deny by default: a portal route not listed as open at "low" needs "substantial").
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { hashToken, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../platform/auth/auth.service.ts';
import { recordAudit, recordAuditMany, type AuditAction, type AuditEntry } from '../../platform/audit/audit.ts';
import { markAudited } from '../../platform/audit/refusals.ts';
import { DomainError, Forbidden, Unauthenticated } from '../../platform/errors.ts';
import type { AppDeps, TypedApp } from '../../platform/http.ts';
import * as repo from './portal.repository.ts';

export const PORTAL_PREFIX = '/api/portal/';
export const PORTAL_COOKIE = 'bindeled_portal';
/** With Secure cookies the `__Host-` prefix makes the browser insist on Secure, Path=/ and no Domain. */
export const SECURE_PORTAL_COOKIE = `__Host-${PORTAL_COOKIE}`;
const TOUCH_INTERVAL_MS = 30_000;

/** Portal routes open without a portal session. */
export const PORTAL_PUBLIC = new Set([
  '/api/portal/login/code',
  '/api/portal/login',
  '/api/portal/session',
  '/api/portal/login/mitid',
  '/api/portal/login/mitid/callback',
  '/api/portal/calendar-feed/:token.ics',
]);
/** Portal routes that need no CSRF token (no session yet; the MitID routes are GET navigations, bound by their state). */
export const PORTAL_CSRF_EXEMPT = new Set(['/api/portal/login/code', '/api/portal/login', '/api/portal/login/mitid', '/api/portal/login/mitid/callback']);
/** Portal routes a low-assurance session (a one-time code) may use; every other portal route needs "substantial". */
// The due questionnaires and the answer to one are open at "low" (issue 11: a code login may answer a new
// questionnaire without seeing earlier answers); neither route ever returns an earlier answer or a score.
// A withdrawal request (staff confirm it) names no consent and is open at "low" too.
export const LOW_ASSURANCE_ROUTES = new Set(['/api/portal/logout', '/api/portal/summary', '/api/portal/questionnaires', '/api/portal/questionnaires/:id/answers', '/api/portal/withdrawal-requests']);

export interface PortalSession {
  idHash: string;
  accountId: string;
  assurance: 'low' | 'substantial';
  csrfToken: string;
  firstName: string;
  /** The organisations' records of the person that are open to the portal (invited). */
  records: repo.LinkedRecord[];
  /** The MitID transaction the session was made by (null after a one-time code login), e.g. to confirm a consent with. */
  mitid?: repo.MitIdTransaction | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    portalSession: PortalSession | null;
  }
}

export function portalCookieName(config: { cookieSecure: boolean }): string {
  return config.cookieSecure ? SECURE_PORTAL_COOKIE : PORTAL_COOKIE;
}

export function setPortalCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(portalCookieName({ cookieSecure: secure }), token, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

export function clearPortalCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(portalCookieName({ cookieSecure: secure }), { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

export const newToken = () => randomBytes(32).toString('base64url');

/** How a portal account appears in the audit log: no staff user, the role `citizen`, the account's id. */
export function citizenActor(accountId: string): Pick<AuditEntry, 'actor' | 'actorUsername' | 'actorRoles' | 'actorOrganisationId'> {
  return { actor: null, actorUsername: `portal:${accountId}`, actorRoles: ['citizen'], actorOrganisationId: null };
}

/** One audit row per organisation's record the action concerns, so each controller's log holds its own. */
export function citizenAuditRows(
  accountId: string,
  records: repo.LinkedRecord[],
  row: { action: AuditAction; resourceType: string; outcome: AuditEntry['outcome']; criteria?: Record<string, unknown> | null; purpose?: AuditEntry['purpose'] },
): AuditEntry[] {
  const base = { ...citizenActor(accountId), action: row.action, purpose: row.purpose ?? 'self_service', resourceType: row.resourceType, resourceId: accountId, outcome: row.outcome, criteria: row.criteria ?? null };
  if (records.length === 0) return [{ ...base, organisationId: null, citizenId: null }];
  return records.map((r) => ({ ...base, organisationId: r.organisationId, citizenId: r.citizenId }));
}

export async function createPortalSession(db: Kysely<Database>, accountId: string, assurance: 'low' | 'substantial', now: Date, mitid?: repo.MitIdTransaction) {
  const sessionToken = newToken();
  const csrfToken = newToken();
  await repo.insertSession(db, { idHash: hashToken(sessionToken), accountId, assurance, csrfToken, now, expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS), mitid });
  return { sessionToken, csrfToken };
}

/** Finds the live portal session for a cookie; an idle or expired one is removed (and its end logged) and gives null. */
export async function resolvePortalSession(db: Kysely<Database>, token: string, now = new Date()): Promise<PortalSession | null> {
  const idHash = hashToken(token);
  const row = await repo.findSession(db, idHash);
  if (!row) return null;
  const records = row.records ?? [];
  const expired = row.expires_at <= now;
  if (expired || now.getTime() - row.last_seen_at.getTime() > SESSION_IDLE_MS || records.length === 0) {
    await db.transaction().execute(async (tx) => {
      const deleted = await repo.deleteSession(tx, idHash);
      if (deleted.every((r) => Number(r.numDeletedRows) === 0)) return;
      const reason = records.length === 0 ? 'no_records' : expired ? 'expired' : 'idle';
      await recordAuditMany(tx, citizenAuditRows(row.account_id, records, { action: 'logout', resourceType: 'portal_session', outcome: 'denied', criteria: { reason }, purpose: 'authentication' }));
    });
    return null;
  }
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) await repo.touchSession(db, idHash, now);
  const mitid = row.login_method === 'mitid' ? { sid: row.mitid_sid, transactionId: row.mitid_transaction_id, authTime: row.mitid_auth_time ? new Date(row.mitid_auth_time) : null, idToken: row.mitid_id_token } : null;
  return { idHash, accountId: row.account_id, assurance: row.assurance, csrfToken: row.csrf_token, firstName: row.first_name ?? '', records, mitid };
}

/** Ends idle and expired portal sessions, and forgets login codes older than a day (the throttles look back an hour). */
export async function cleanUpPortalLogins(db: Kysely<Database>, now: Date): Promise<void> {
  await repo.deleteExpired(db, now, SESSION_IDLE_MS);
  await repo.deleteOldCodes(db, new Date(now.getTime() - 24 * 3_600_000));
}

export function requirePortalSession(request: FastifyRequest): PortalSession {
  if (!request.portalSession) throw new Unauthenticated('Log in to the portal first');
  return request.portalSession;
}

/** A portal session whose login does not reach the level a route needs (a one-time code is "low"). */
export class AssuranceTooLow extends DomainError {
  constructor() {
    super(403, 'assurance_too_low', 'This needs a login at a higher level of assurance (MitID)');
  }
}

/**
 * The level-of-assurance guard, for any portal route: refuses (403 `assurance_too_low`, audited with the citizen as
 * actor) when the session's level is below the one asked for.
 */
export async function requireAssurance(db: Kysely<Database>, request: FastifyRequest, needed: 'low' | 'substantial'): Promise<PortalSession> {
  const session = requirePortalSession(request);
  if (needed === 'low' || session.assurance === 'substantial') return session;
  const error = new AssuranceTooLow();
  await recordAuditMany(
    db,
    citizenAuditRows(session.accountId, session.records, {
      action: request.method === 'GET' ? 'read' : 'update',
      resourceType: 'portal',
      outcome: 'denied',
      criteria: { reason: 'assurance_too_low', assurance: session.assurance, route: request.routeOptions.url ?? null },
    }),
  );
  markAudited(error);
  throw error;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const isPortalUrl = (url: string) => url.startsWith(PORTAL_PREFIX);

/** The portal realm's hooks: its session, its login requirement, its level of assurance and its CSRF check. */
export function portalHooks(app: TypedApp, deps: AppDeps): void {
  const cookieName = portalCookieName(deps.config);
  app.decorateRequest('portalSession', null);

  app.addHook('onRequest', async (request) => {
    if (!isPortalUrl(request.url)) return;
    const token = request.cookies[cookieName];
    if (token) request.portalSession = await resolvePortalSession(deps.db, token, new Date());
  });

  app.addHook('preValidation', async (request) => {
    const route = request.routeOptions.url;
    if (!route || !isPortalUrl(route) || PORTAL_PUBLIC.has(route)) return;
    if (!request.portalSession) throw new Unauthenticated('Log in to the portal first');
    // Deny by default: a route nobody listed as open at "low" needs "substantial".
    await requireAssurance(deps.db, request, LOW_ASSURANCE_ROUTES.has(route) ? 'low' : 'substantial');
  });

  app.addHook('preHandler', async (request) => {
    const route = request.routeOptions.url;
    if (!route || !isPortalUrl(route) || request.method === 'GET' || request.method === 'HEAD') return;
    if (PORTAL_CSRF_EXEMPT.has(route) || !request.portalSession) return;
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameToken(sent, request.portalSession.csrfToken)) {
      const error = new Forbidden('Missing or wrong CSRF token (send the csrfToken in the x-csrf-token header)', { reason: 'csrf' });
      const s = request.portalSession;
      await recordAudit(deps.db, { ...citizenAuditRows(s.accountId, s.records, { action: 'update', resourceType: 'portal_session', outcome: 'denied', criteria: { reason: 'csrf', route }, purpose: 'authentication' })[0]! });
      markAudited(error);
      throw error;
    }
  });
}
