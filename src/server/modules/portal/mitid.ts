// The portal's MitID login through an OpenID Connect broker (docs/decisions/0029): authorization code with PKCE,
// state and nonce (openid-client). The state, nonce and PKCE verifier stay on the server for ten minutes, in a row
// keyed by the state's hash that the callback removes as it reads it (a callback works once); the browser holds only
// the state, in an httpOnly cookie that binds the callback to the browser that started the login. The person is
// found by the keyed hash of the id token's CPR claim; the level-of-assurance claim must say "substantial". Every
// outcome is audited, with the citizen as actor once the person is known.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import * as client from 'openid-client';
import type { MitIdCallbackQuery, MitIdFailure } from '../../../contracts/portal.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit, recordAuditMany, type AuditEntry } from '../../platform/audit/audit.ts';
import { hashToken } from '../../platform/auth/auth.service.ts';
import type { MitIdSettings } from '../../platform/config.ts';
import { cprVault } from '../citizens/cpr-vault.ts';
import { citizenAuditRows, createPortalSession } from './portal.session.ts';
import * as repo from './portal.repository.ts';

export const MITID_LOGIN_ROUTE = '/api/portal/login/mitid';
export const MITID_CALLBACK_ROUTE = '/api/portal/login/mitid/callback';
/** How long a started login may take before its callback is refused as expired. */
export const MITID_LOGIN_VALID_MS = 10 * 60_000;
const STATE_COOKIE = 'bindeled_mitid';

/** The state cookie: `__Secure-` with Secure cookies; only sent to the MitID routes; Lax, so the broker's redirect back brings it. */
export function mitIdCookieName(secure: boolean): string {
  return secure ? `__Secure-${STATE_COOKIE}` : STATE_COOKIE;
}
export const mitIdCookieOptions = (secure: boolean) => ({ httpOnly: true, sameSite: 'lax' as const, secure, path: MITID_LOGIN_ROUTE });

export interface MitIdDeps {
  db: Kysely<Database>;
  /** Read at each login: the broker, or the demo's test identity provider (undefined: no MitID login). */
  settings: () => MitIdSettings | undefined;
  cprKey: string;
  /** The portal's address; the callback is `${publicUrl}/api/portal/login/mitid/callback`. */
  publicUrl: string;
  log: FastifyBaseLogger;
}

export const callbackUrl = (publicUrl: string) => `${publicUrl}${MITID_CALLBACK_ROUTE}`;

/** The broker's metadata, found once per issuer (again after a failure). */
const discovered = new WeakMap<MitIdSettings, { issuer: string; config: Promise<client.Configuration> }>();

function configurationFor(settings: MitIdSettings): Promise<client.Configuration> {
  const cached = discovered.get(settings);
  if (cached && cached.issuer === settings.issuer) return cached.config;
  const config = client
    .discovery(new URL(settings.issuer), settings.clientId, undefined, client.ClientSecretBasic(settings.clientSecret), {
      execute: settings.allowHttp ? [client.allowInsecureRequests] : [],
      timeout: 10,
    })
    .then((c) => {
      c.timeout = 10;
      return c;
    });
  config.catch(() => discovered.delete(settings));
  discovered.set(settings, { issuer: settings.issuer, config });
  return config;
}

export const portalWith = (reason: MitIdFailure) => `/portal?login=${reason}`;

// The id token is kept with the session only for the broker's logout (its id_token_hint). It carries the CPR number, so
// it is stored encrypted (AES-256-GCM, a key of its own derived from CPR_KEY) and goes with the session.
const idTokenKey = (cprKey: string) => Buffer.from(hkdfSync('sha256', cprKey, 'bindeled', 'mitid-id-token', 32));

export function sealIdToken(cprKey: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', idTokenKey(cprKey), iv);
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function openIdToken(cprKey: string, sealed: string): string | null {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !body) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', idTokenKey(cprKey), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** Where the portal returns after the broker's logout (registered with the broker as a post-logout redirect). */
export const portalAfterLogout = (publicUrl: string) => `${publicUrl}/portal`;

/**
 * The broker's end-session address for a session made by MitID (RP-initiated logout), when the broker advertises
 * an end_session_endpoint; null otherwise (then only the portal's own session ends). Never throws: a broker that
 * cannot be reached leaves the citizen logged out of the portal, and the failure is logged without details.
 */
export async function brokerLogoutUrl(deps: Pick<MitIdDeps, 'settings' | 'cprKey' | 'publicUrl' | 'log'>, sealedIdToken: string | null | undefined): Promise<string | null> {
  const settings = deps.settings();
  if (!settings) return null;
  try {
    const config = await configurationFor(settings);
    if (!config.serverMetadata().end_session_endpoint) return null;
    const idToken = sealedIdToken ? openIdToken(deps.cprKey, sealedIdToken) : null;
    return client.buildEndSessionUrl(config, { post_logout_redirect_uri: portalAfterLogout(deps.publicUrl), ...(idToken ? { id_token_hint: idToken } : {}) }).href;
  } catch (err) {
    deps.log.warn({ name: (err as { name?: string }).name }, "MitID: the broker's logout address could not be found");
    return null;
  }
}

/** Starts a login: keeps the state, nonce and verifier, and gives the broker's address and the state for the cookie. */
export async function startLogin(deps: MitIdDeps, now = new Date()): Promise<{ location: string; state: string | null }> {
  const settings = deps.settings();
  if (!settings) return { location: portalWith('unavailable'), state: null };
  let config: client.Configuration;
  try {
    config = await configurationFor(settings);
  } catch (err) {
    deps.log.error({ err }, 'MitID: the broker could not be reached (discovery failed)');
    return { location: portalWith('failed'), state: null };
  }
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = client.randomPKCECodeVerifier();
  const challenge = await client.calculatePKCECodeChallenge(verifier);
  await sql`
    with gone as (delete from portal_mitid_logins where expires_at <= ${now})
    insert into portal_mitid_logins (state_hash, nonce, code_verifier, created_at, expires_at)
    values (${hashToken(state)}, ${nonce}, ${verifier}, ${now}, ${new Date(now.getTime() + MITID_LOGIN_VALID_MS)})`.execute(deps.db);
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(deps.publicUrl),
    scope: settings.scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    // Every login is a new MitID authentication: the portal is used on shared phones and library computers.
    prompt: 'login',
  });
  return { location: url.href, state };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const anonymous = (outcome: AuditEntry['outcome'], criteria: Record<string, unknown>): AuditEntry => ({
  actor: null,
  actorRoles: ['citizen'],
  organisationId: null,
  action: 'login',
  purpose: 'authentication',
  resourceType: 'portal_session',
  outcome,
  criteria: { method: 'mitid', ...criteria },
});

export type CallbackResult = { ok: true; sessionToken: string } | { ok: false; reason: MitIdFailure };

/** The person's account and the records open to the portal, by the keyed hash of the CPR number. */
async function accountByPersonHash(db: Kysely<Database>, personHash: string) {
  const { rows } = await sql<{ id: string; records: { citizenId: string; organisationId: string }[] | null }>`
    select a.id,
           (select json_agg(json_build_object('citizenId', l.citizen_id, 'organisationId', l.organisation_id) order by l.first_invited_at)
              from portal_links l where l.account_id = a.id) as records
      from portal_accounts a
     where a.person_hash = ${personHash}`.execute(db);
  return rows[0];
}

const stringClaim = (value: unknown) => (typeof value === 'string' && value ? value.slice(0, 500) : null);

const CPR = /^([0-9]{6})-?([0-9]{4})$/;

/** Ends a login: checks the state, exchanges the code, finds the person, and makes a session at level "substantial". */
export async function finishLogin(
  deps: MitIdDeps,
  input: { query: MitIdCallbackQuery; rawQuery: string; cookieState: string | undefined; previousSessionHash: string | undefined },
  now = new Date(),
): Promise<CallbackResult> {
  const fail = async (reason: MitIdFailure, detail: string, extra: Record<string, unknown> = {}): Promise<CallbackResult> => {
    await recordAudit(deps.db, anonymous('failure', { reason: detail, ...extra }));
    return { ok: false, reason };
  };
  const settings = deps.settings();
  if (!settings) return fail('unavailable', 'not_configured');
  const { query } = input;
  if (!query.state) return fail('failed', 'missing_state');
  // The cookie is gone after ten minutes or in another browser: the login must start again from this one.
  if (!input.cookieState) return fail('expired', 'no_state_cookie');
  if (!sameToken(query.state, input.cookieState)) return fail('failed', 'state_mismatch');

  const row = await deps.db.deleteFrom('portal_mitid_logins').where('state_hash', '=', hashToken(query.state)).returning(['nonce', 'code_verifier', 'expires_at']).executeTakeFirst();
  // Used already (a replayed callback), or cleaned away.
  if (!row) return fail('expired', 'unknown_state');
  if (row.expires_at <= now) return fail('expired', 'expired');
  if (query.error) return fail(query.error === 'access_denied' ? 'cancelled' : 'failed', query.error === 'access_denied' ? 'cancelled' : 'broker_error', { error: query.error.slice(0, 100) });

  let claims: client.IDToken;
  let idToken: string | null = null;
  try {
    const config = await configurationFor(settings);
    const current = new URL(callbackUrl(deps.publicUrl));
    current.search = input.rawQuery;
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: row.code_verifier,
      expectedState: query.state,
      expectedNonce: row.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims()!;
    idToken = tokens.id_token ?? null;
  } catch (err) {
    const e = err as { code?: string; error?: string; name?: string };
    // The broker's error code only: never the token, the code or the claims.
    deps.log.warn({ code: e.code, error: e.error, name: e.name }, 'MitID: the code exchange or the id token was refused');
    return fail('failed', 'token_exchange', { error: String(e.error ?? e.code ?? e.name ?? 'unknown').slice(0, 100) });
  }

  const cpr = CPR.exec(String(claims[settings.cprClaim] ?? ''));
  if (!cpr) return fail('failed', 'no_cpr_claim');
  const personHash = cprVault(deps.cprKey).lookupHash(`${cpr[1]}${cpr[2]}`);
  const substantial = claims[settings.loaClaim] === settings.loaSubstantial;
  const mitid: repo.MitIdTransaction = {
    sid: stringClaim(claims.sid),
    transactionId: stringClaim(claims['mitid.transaction_id']) ?? stringClaim(claims.jti),
    authTime: typeof claims.auth_time === 'number' ? new Date(claims.auth_time * 1000) : null,
    idToken: idToken ? sealIdToken(deps.cprKey, idToken) : null,
  };

  return deps.db.transaction().execute(async (tx): Promise<CallbackResult> => {
    const account = await accountByPersonHash(tx, personHash);
    const records = account?.records ?? [];
    if (!account || records.length === 0) {
      await recordAudit(tx, anonymous('denied', { reason: 'not_invited' }));
      return { ok: false, reason: 'not_invited' };
    }
    if (!substantial) {
      await recordAuditMany(
        tx,
        citizenAuditRows(account.id, records, { action: 'login', resourceType: 'portal_session', outcome: 'denied', criteria: { method: 'mitid', reason: 'assurance_too_low' }, purpose: 'authentication' }),
      );
      return { ok: false, reason: 'assurance_too_low' };
    }
    if (input.previousSessionHash) await repo.deleteSession(tx, input.previousSessionHash);
    const { sessionToken } = await createPortalSession(tx, account.id, 'substantial', now, mitid);
    const linked = await repo.recordLogin(tx, account.id, now);
    await recordAuditMany(
      tx,
      citizenAuditRows(account.id, linked, { action: 'login', resourceType: 'portal_session', outcome: 'success', criteria: { method: 'mitid', assurance: 'substantial' }, purpose: 'authentication' }),
    );
    return { ok: true, sessionToken };
  });
}
