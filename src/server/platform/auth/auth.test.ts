// Login, sessions, lockout, expiry, CSRF and password change, through the real HTTP app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, login, sessionCookieFrom, testApp, type TestContext } from '../../testing/harness.ts';
import { buildApp } from '../../app.ts';
import { TEST_CPR_KEY, TEST_SECRET } from '../../testing/harness.ts';
import { SESSION_COOKIE } from '../http.ts';

let t: TestContext;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const loginBody = (username: string, password: string) => ({ method: 'POST' as const, url: '/api/auth/login', payload: { username, password } });

describe('the session cookie', () => {
  it('is __Host- prefixed, Secure, Path=/ and without Domain when cookies are Secure, and only that name is read', async () => {
    const secure = await buildApp({ db: t.db.kysely, engine: t.db.engine, config: { sessionSecret: TEST_SECRET, cprKey: TEST_CPR_KEY, cookieSecure: true, demo: true }, state: { phase: 'ready' } });
    try {
      const res = await secure.inject(loginBody('styregruppe', 'demo'));
      expect(res.statusCode).toBe(200);
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/^__Host-bindeled_session=[^;]+; /);
      expect(setCookie).toMatch(/; Secure/);
      expect(setCookie).toMatch(/; Path=\/(;|$)/);
      expect(setCookie).not.toMatch(/Domain=/i);
      const token = res.cookies.find((c) => c.name === '__Host-bindeled_session')!.value;
      const me = await secure.inject({ method: 'GET', url: '/api/auth/me', cookies: { '__Host-bindeled_session': token } });
      expect(me.statusCode).toBe(200);
      // The unprefixed name could be set by a sibling subdomain or over plain HTTP: it is not read.
      const plain = await secure.inject({ method: 'GET', url: '/api/auth/me', cookies: { [SESSION_COOKIE]: token } });
      expect(plain.statusCode).toBe(401);
      const doc = (await secure.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      expect(doc.components.securitySchemes.session.name).toBe('__Host-bindeled_session');
    } finally {
      await secure.close();
    }
  });
});

describe('GET /api/auth/session', () => {
  it('answers 200 with user null and the demo flag when nobody is logged in, where /me keeps its 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/session' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: null, demo: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const stale = await t.app.inject({ method: 'GET', url: '/api/auth/session', cookies: { [SESSION_COOKIE]: 'not-a-session' } });
    expect(stale.json()).toEqual({ user: null, demo: true });
  });

  it('answers the logged-in user and the CSRF token', async () => {
    const s = await login(t.app, 'forsker');
    const res = await s.request({ method: 'GET', url: '/api/auth/session' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { id: s.userId, username: 'forsker' }, csrfToken: s.csrf, demo: true });
  });
});

describe('login', () => {
  it('returns the user with organisation and roles, a csrf token, and an HttpOnly SameSite=Strict cookie', async () => {
    const res = await t.app.inject(loginBody('projektleder', 'demo'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'projektleder', name: 'Karen Winther', organisation: { name: 'Næstved Kommune', kind: 'municipality' } });
    expect(body.user.roles).toEqual([{ role: 'programme_manager', programmeId: expect.any(String), programmeName: 'På vej til arbejde' }]);
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toContain(`${SESSION_COOKIE}=`);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const rows = await auditRows(t.db, { action: 'login', actorUsername: 'projektleder', outcome: 'success' });
    expect(rows).toHaveLength(1);
  });

  it('stores only a hash of the session id, never the cookie value', async () => {
    const s = await login(t.app, 'rk1');
    const stored = await t.db.kysely.selectFrom('sessions').select('id_hash').execute();
    expect(stored.map((r) => r.id_hash)).not.toContain(s.cookie);
  });

  it('answers an unknown user, a wrong password and a locked account with the same status and body', async () => {
    const unknown = await t.app.inject(loginBody('nobody-here', 'demo'));
    const wrong = await t.app.inject(loginBody('rk2', 'not-the-password'));
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toBe(unknown.body);
    for (let i = 0; i < 4; i++) await t.app.inject(loginBody('rk2', 'still-wrong'));
    const locked = await t.app.inject(loginBody('rk2', 'demo'));
    expect(locked.statusCode).toBe(401);
    expect(locked.body).toBe(unknown.body);
    const failures = await auditRows(t.db, { action: 'login', actorUsername: 'rk2', outcome: 'failure' });
    expect(failures).toHaveLength(6);
    expect(failures.at(-1)!.criteria).toMatchObject({ reason: 'locked' });
    // An unknown username is recorded as unknown, never as typed (it may be a password typed in the wrong field).
    const unknownRow = (await auditRows(t.db, { action: 'login', outcome: 'failure' })).find((r) => r.criteria?.reason === 'unknown_user')!;
    expect(unknownRow).toMatchObject({ actor_username: null, actor_user_id: null, organisation_id: null });
    const everything = JSON.stringify(await auditRows(t.db));
    expect(everything).not.toContain('nobody-here');
  });

  it('locks an account for 15 minutes after 5 failures, then lets the right password in', async () => {
    for (let i = 0; i < 5; i++) expect((await t.app.inject(loginBody('rk3', 'wrong'))).statusCode).toBe(401);
    const user = await t.db.kysely.selectFrom('users').select('locked_until').where('username', '=', 'rk3').executeTakeFirstOrThrow();
    const minutes = (user.locked_until!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    expect((await t.app.inject(loginBody('rk3', 'demo'))).statusCode).toBe(401);
    // The lock runs out.
    await t.db.kysely.updateTable('users').set({ locked_until: new Date(Date.now() - 1000) }).where('username', '=', 'rk3').execute();
    expect((await t.app.inject(loginBody('rk3', 'demo'))).statusCode).toBe(200);
  });

  it('does not count failures older than 24 hours towards the lock', async () => {
    for (let i = 0; i < 4; i++) await t.app.inject(loginBody('rk4', 'wrong'));
    await t.db.kysely
      .updateTable('users')
      .set({ failed_login_window_start: new Date(Date.now() - 25 * 3_600_000), last_failed_login_at: new Date(Date.now() - 25 * 3_600_000) })
      .where('username', '=', 'rk4')
      .execute();
    await t.app.inject(loginBody('rk4', 'wrong'));
    expect((await t.app.inject(loginBody('rk4', 'demo'))).statusCode).toBe(200);
  });

  it('rotates the session id at login: the cookie sent before login stops working', async () => {
    const first = await login(t.app, 'jobkonsulent');
    const res = await t.app.inject({ ...loginBody('jobkonsulent', 'demo'), cookies: { [SESSION_COOKIE]: first.cookie } });
    expect(res.statusCode).toBe(200);
    expect(sessionCookieFrom(res)).not.toBe(first.cookie);
    expect((await first.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
  });

  it('rejects malformed input with 400 naming the fields, unknown fields included', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'y', admin: true } });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().issues)).toContain('admin');
    const wrongType = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 5 } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['body.username', 'body.password']));
    const badJson = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(badJson.statusCode).toBe(400);
    const huge = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'a', password: 'x'.repeat(300_000) } });
    expect(huge.statusCode).toBe(413);
  });
});

describe('session', () => {
  it('me answers 401 without a session and the user with a csrf token inside one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const s = await login(t.app, 'sagsbehandler');
    const me = await s.request({ method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { username: 'sagsbehandler' }, csrfToken: s.csrf });
  });

  it('expires after 30 minutes idle', async () => {
    const s = await login(t.app, 'styregruppe');
    await t.db.kysely.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('user_id', '=', s.userId).execute();
    expect((await s.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    // The refused session is logged once, with why; the next request with the same cookie names no session.
    const refused = () => auditRows(t.db, { action: 'logout', outcome: 'denied' }).then((rows) => rows.filter((r) => r.resource_id === s.userId));
    expect((await refused()).map((r) => r.criteria)).toEqual([{ reason: 'idle' }]);
    expect((await s.request({ method: 'GET', url: '/api/citizens' })).statusCode).toBe(401);
    expect(await refused()).toHaveLength(1);
  });

  it('expires 12 hours after login however active', async () => {
    const s = await login(t.app, 'forsker');
    await t.db.kysely.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', s.userId).execute();
    expect((await s.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const refused = await auditRows(t.db, { action: 'logout', outcome: 'denied' });
    expect(refused.filter((r) => r.resource_id === s.userId).map((r) => r.criteria)).toEqual([{ reason: 'expired' }]);
  });

  it('logout ends the session and is audited', async () => {
    const s = await login(t.app, 'behandler');
    expect((await s.request({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await s.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect(await auditRows(t.db, { action: 'logout', actorUsername: 'behandler' })).toHaveLength(1);
  });
});

describe('csrf', () => {
  it('refuses a state-changing request without the token or with a wrong one, and accepts the right one', async () => {
    const s = await login(t.app, 'liaison');
    const cookies = { [SESSION_COOKIE]: s.cookie };
    const none = await t.app.inject({ method: 'POST', url: '/api/auth/logout', cookies });
    expect(none.statusCode).toBe(403);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/logout', cookies, headers: { 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.statusCode).toBe(403);
    // Each failed check is audited as a denied request of that session.
    const denied = await auditRows(t.db, { actorUsername: 'liaison', outcome: 'denied' });
    expect(denied).toHaveLength(2);
    expect(denied[0]).toMatchObject({ resource_type: 'session', resource_id: s.userId, purpose: 'authentication', criteria: { reason: 'csrf', method: 'POST', route: '/api/auth/logout' } });
    expect((await s.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    expect((await s.request({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
  });
});

describe('change password', () => {
  it('requires the current password, 12 characters, and no part of the own name', async () => {
    const s = await login(t.app, 'nordfyn');
    const change = (currentPassword: string, newPassword: string) =>
      s.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword, newPassword } });
    const wrongCurrent = await change('nope', 'a-long-enough-passphrase');
    expect(wrongCurrent.statusCode).toBe(400);
    expect(wrongCurrent.json().issues).toEqual([{ path: 'currentPassword', message: 'wrong_current_password' }]);
    expect((await change('demo', 'short')).json().issues).toEqual([{ path: 'newPassword', message: 'too_short' }]);
    expect((await change('demo', 'rikke-is-my-name-2026')).json().issues).toEqual([{ path: 'newPassword', message: 'contains_name' }]);
    expect((await change('demo', 'Svendsen-forever-and-ever')).json().issues).toEqual([{ path: 'newPassword', message: 'contains_name' }]);
    expect((await change('demo', 'grøn hest på bakken 7')).statusCode).toBe(204);
    expect((await t.app.inject(loginBody('nordfyn', 'demo'))).statusCode).toBe(401);
    expect((await t.app.inject(loginBody('nordfyn', 'grøn hest på bakken 7'))).statusCode).toBe(200);
    expect(await auditRows(t.db, { action: 'change-password', actorUsername: 'nordfyn', outcome: 'success' })).toHaveLength(1);
  });
});
