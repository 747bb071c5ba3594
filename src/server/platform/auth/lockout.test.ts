// The lockout that keeps counting through its locks, wrong current passwords counting towards it, a lock ending
// the sessions, the per-address login throttle (counters in the database), TRUST_PROXY, and demo accounts
// outside demo mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { auditRows, login, TEST_CPR_KEY, TEST_SECRET, testApp, type TestContext } from '../../testing/harness.ts';
import { SESSION_COOKIE } from '../http.ts';
import { LOCKOUT } from './auth.service.ts';
import { lockDurationMs } from './auth.repository.ts';

let t: TestContext;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

// Each test logs in from its own address, so the per-address throttle of one test does not touch another.
const attempt = (username: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress, headers });

const lockedUntil = async (username: string) =>
  (await t.db.kysely.selectFrom('users').select('locked_until').where('username', '=', username).executeTakeFirstOrThrow()).locked_until;

/** Lets the current lock run out, as if its time had passed. */
const expireLock = (username: string) =>
  t.db.kysely.updateTable('users').set({ locked_until: new Date(Date.now() - 1000) }).where('username', '=', username).execute();

describe('account lockout', () => {
  it('keeps counting after the lock runs out: the next wrong password locks again, for twice as long', async () => {
    const ip = '192.0.2.11';
    for (let i = 0; i < 5; i++) await attempt('rk1', 'wrong', ip);
    const first = (await lockedUntil('rk1'))!.getTime() - Date.now();
    expect(first / 60_000).toBeGreaterThan(14);
    await expireLock('rk1');
    // Today's defect: the window started afresh at the lock, so five more guesses were free every 15 minutes.
    expect((await attempt('rk1', 'wrong', ip)).statusCode).toBe(401);
    const second = (await lockedUntil('rk1'))!.getTime() - Date.now();
    expect(second / 60_000).toBeGreaterThan(29);
    expect(second / 60_000).toBeLessThanOrEqual(30);
    // While locked, even the right password is refused.
    expect((await attempt('rk1', 'demo', ip)).statusCode).toBe(401);
    await expireLock('rk1');
    expect((await attempt('rk1', 'demo', ip)).statusCode).toBe(200);
    const row = await t.db.kysely.selectFrom('users').select(['failed_login_count', 'locked_until']).where('username', '=', 'rk1').executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_login_count: 0, locked_until: null });
  });

  it('escalates the lock up to a day', () => {
    expect([4, 5, 6, 7, 8, 30].map((n) => lockDurationMs(n, LOCKOUT) / 60_000)).toEqual([0, 15, 30, 60, 120, 24 * 60]);
  });

  it('a streak ends only a day after its last failure or lock', async () => {
    const ip = '192.0.2.12';
    for (let i = 0; i < 5; i++) await attempt('rk2', 'wrong', ip);
    // The lock ran out 23 hours ago: the streak is still open.
    const dayAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    await t.db.kysely.updateTable('users').set({ locked_until: dayAgo(23), last_failed_login_at: dayAgo(25) }).where('username', '=', 'rk2').execute();
    await attempt('rk2', 'wrong', ip);
    expect(await lockedUntil('rk2')).not.toBeNull();
    // A quiet day after the lock: counting starts again.
    await t.db.kysely.updateTable('users').set({ locked_until: dayAgo(25), last_failed_login_at: dayAgo(26) }).where('username', '=', 'rk2').execute();
    await attempt('rk2', 'wrong', ip);
    expect(await lockedUntil('rk2')).toBeNull();
  });

  it('a lock ends the account’s open sessions', async () => {
    const ip = '192.0.2.13';
    const victim = await login(t.app, 'rk3');
    for (let i = 0; i < 5; i++) await attempt('rk3', 'wrong', ip);
    expect((await victim.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
  });

  it('wrong current passwords in "change password" count towards the lock, which ends the session', async () => {
    const s = await login(t.app, 'sagsbehandler');
    const change = () => s.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'guess', newPassword: 'a-long-enough-passphrase' } });
    for (let i = 0; i < 4; i++) expect((await change()).statusCode).toBe(400);
    const fifth = await change();
    expect(fifth.statusCode).toBe(401);
    expect(await lockedUntil('sagsbehandler')).not.toBeNull();
    expect((await s.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await attempt('sagsbehandler', 'demo', '192.0.2.14')).statusCode).toBe(401);
    const rows = await auditRows(t.db, { action: 'change-password', actorUsername: 'sagsbehandler', outcome: 'failure' });
    expect(rows).toHaveLength(5);
    expect(rows.at(-1)!.criteria).toEqual({ reason: 'wrong_current_password', lockedNow: true });
  });
});

describe('per-address login throttle', () => {
  it('refuses logins from an address after 30 failures in 15 minutes, whatever the usernames, and not from others', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 30; i++) expect((await attempt(`guess-${i}`, 'wrong', ip)).statusCode).toBe(401);
    const throttled = await attempt('projektleder', 'demo', ip);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().error).toBe('too_many_attempts');
    expect((await attempt('projektleder', 'demo', '198.51.100.8')).statusCode).toBe(200);
    // The counters are in the database, so every instance sees them.
    const row = await t.db.kysely.selectFrom('login_throttle').selectAll().where('address', '=', ip).executeTakeFirstOrThrow();
    expect(row.failures).toBe(30);
    const denied = (await auditRows(t.db, { action: 'login', outcome: 'denied' })).at(-1)!;
    expect(denied.criteria).toMatchObject({ reason: 'address_throttled' });
    expect(JSON.stringify(await auditRows(t.db))).not.toContain('guess-');
    // The window passes.
    await t.db.kysely.updateTable('login_throttle').set({ window_start: new Date(Date.now() - 16 * 60_000) }).where('address', '=', ip).execute();
    expect((await attempt('projektleder', 'demo', ip)).statusCode).toBe(200);
  });

  it('counts the addresses of one IPv6 /64 together: a client cannot step past the throttle inside its own block', async () => {
    for (let i = 0; i < 30; i++) expect((await attempt(`v6-${i}`, 'wrong', `2001:db8:7:1::${(i + 1).toString(16)}`)).statusCode).toBe(401);
    expect((await attempt('projektleder', 'demo', '2001:db8:7:1:ffff::99')).statusCode).toBe(429);
    expect((await attempt('projektleder', 'demo', '2001:db8:7:2::1')).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: the address counted is the connection’s', async () => {
    await attempt('nobody', 'wrong', '203.0.113.50', { 'x-forwarded-for': '203.0.113.99' });
    const addresses = (await t.db.kysely.selectFrom('login_throttle').select('address').execute()).map((r) => r.address);
    expect(addresses).toContain('203.0.113.50');
    expect(addresses).not.toContain('203.0.113.99');
  });
});

describe('TRUST_PROXY', () => {
  it('honours X-Forwarded-For from a listed proxy only', async () => {
    const proxied = await testApp({ trustProxy: ['10.1.2.3', '10.9.0.0/16'] });
    try {
      const go = (remoteAddress: string, forwarded: string) =>
        proxied.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' }, remoteAddress, headers: { 'x-forwarded-for': forwarded } });
      await go('10.1.2.3', '203.0.113.1');
      await go('10.9.4.4', '203.0.113.2');
      // A proxy not on the list is not believed; its own address is counted.
      await go('10.8.0.1', '203.0.113.3');
      const addresses = (await proxied.db.kysely.selectFrom('login_throttle').select('address').orderBy('address').execute()).map((r) => r.address);
      expect(addresses).toEqual(['10.8.0.1', '203.0.113.1', '203.0.113.2']);
    } finally {
      await proxied.close();
    }
  });
});

describe('demo accounts outside demo mode', () => {
  it('cannot log in, and their sessions from a demo run end', async () => {
    const demoSession = await login(t.app, 'styregruppe');
    const live = await buildApp({
      db: t.db.kysely,
      engine: t.db.engine,
      config: { sessionSecret: TEST_SECRET, cprKey: TEST_CPR_KEY, cookieSecure: false, demo: false },
      state: { phase: 'ready' },
    });
    try {
      const res = await live.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'projektleder', password: 'demo' }, remoteAddress: '192.0.2.40' });
      expect(res.statusCode).toBe(401);
      const row = (await auditRows(t.db, { action: 'login', actorUsername: 'projektleder', outcome: 'failure' })).at(-1)!;
      expect(row.criteria).toMatchObject({ reason: 'demo_account' });
      const me = await live.inject({ method: 'GET', url: '/api/auth/me', cookies: { [SESSION_COOKIE]: demoSession.cookie } });
      expect(me.statusCode).toBe(401);
      // A user created outside the demo data logs in as usual.
      await t.db.kysely.updateTable('users').set({ is_demo: false }).where('username', '=', 'forsker').execute();
      expect((await live.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'forsker', password: 'demo' }, remoteAddress: '192.0.2.40' })).statusCode).toBe(200);
    } finally {
      await live.close();
    }
  });
});
