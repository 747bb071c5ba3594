// Reference data (code lists, programme settings) is cached in memory per reference version: a change made
// through one instance is seen by the very next request on another, and a cached read sends no statement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { PROGRAMME } from '../../demo/ids.ts';
import { VersionedCache } from '../../platform/reference-cache.ts';
import { login, testApp, TEST_CPR_KEY, TEST_SECRET, type Session, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
let other: Awaited<ReturnType<typeof buildApp>>;
/** rk1 on the first instance; admin and the programme manager on the second. */
let rk1: Session;
let admin: Session;
let pm: Session;

beforeAll(async () => {
  t = await testApp();
  other = await buildApp({
    db: t.db.kysely,
    engine: t.db.engine,
    config: { sessionSecret: TEST_SECRET, cprKey: TEST_CPR_KEY, cookieSecure: false, demo: true },
    state: { phase: 'ready' },
  });
  rk1 = await login(t.app, 'rk1');
  admin = await login(other, 'admin');
  pm = await login(other, 'projektleder');
});
afterAll(async () => {
  await other.close();
  await t.close();
});

const codes = async (s: Session, list: string) =>
  ((await s.request({ method: 'GET', url: `/api/code-lists/${list}` })).json() as { items: { code: string; label: { da: string } }[] }).items;

describe('reference data across two instances', () => {
  it('serves a code list from memory once read, with the session statement alone', async () => {
    await codes(rk1, 'referral_source');
    const statements = await t.db.statementsDuring(() => codes(rk1, 'referral_source'));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/from "?sessions"?/i);
  });

  it('shows a code added through the other instance on the very next request', async () => {
    const before = await codes(rk1, 'referral_source');
    expect(before.map((c) => c.code)).not.toContain('ref_cache_test');
    const added = await admin.request({ method: 'POST', url: '/api/code-lists/referral_source', payload: { code: 'ref_cache_test', labelDa: 'Cache-test', labelEn: 'Cache test' } });
    expect(added.statusCode, added.body).toBe(201);
    const after = await codes(rk1, 'referral_source');
    expect(after.map((c) => c.code)).toContain('ref_cache_test');

    const relabel = await admin.request({ method: 'PATCH', url: `/api/code-values/${(added.json() as { id: string }).id}`, payload: { version: 1, labelDa: 'Nyt navn' } });
    expect(relabel.statusCode, relabel.body).toBe(200);
    expect((await codes(rk1, 'referral_source')).find((c) => c.code === 'ref_cache_test')?.label.da).toBe('Nyt navn');
  });

  it('applies a programme setting changed through the other instance to the next list', async () => {
    const mine = async () => ((await rk1.request({ method: 'GET', url: '/api/citizens?scope=all&limit=100' })).json() as { items: unknown[] }).items.length;
    const teamOnly = await mine();
    const current = (await pm.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` })).json() as { version: number };
    const on = await pm.request({ method: 'PATCH', url: `/api/programmes/${PROGRAMME.paaVej}`, payload: { version: current.version, consultantsSeeAll: true } });
    expect(on.statusCode, on.body).toBe(200);
    const everyone = await mine();
    expect(everyone).toBeGreaterThan(teamOnly);
    const off = await pm.request({ method: 'PATCH', url: `/api/programmes/${PROGRAMME.paaVej}`, payload: { version: current.version + 1, consultantsSeeAll: false } });
    expect(off.statusCode, off.body).toBe(200);
    expect(await mine()).toBe(teamOnly);
  });

  it('sees a change written straight into the database (a migration, an operator) through the trigger', async () => {
    await codes(rk1, 'benefit');
    await t.db.owner.updateTable('code_values').set({ label_da: 'Direkte ændret' }).where('list', '=', 'benefit').where('code', '=', 'kontanthjaelp').execute();
    expect((await codes(rk1, 'benefit')).find((c) => c.code === 'kontanthjaelp')?.label.da).toBe('Direkte ændret');
  });
});

describe('VersionedCache', () => {
  it('loads again when the version moves on, keeps a newer copy for an older reader, and caches nothing without a version', async () => {
    const cache = new VersionedCache<number>(2);
    let loads = 0;
    const load = (value: number) => async () => {
      loads += 1;
      return value;
    };
    expect(await cache.get('a', 1, load(10))).toBe(10);
    expect(await cache.get('a', 1, load(11))).toBe(10);
    expect(await cache.get('a', 2, load(12))).toBe(12);
    expect(await cache.get('a', 1, load(13))).toBe(12);
    expect(await cache.get('a', undefined, load(14))).toBe(14);
    expect(loads).toBe(3);
    await cache.get('b', 1, load(20));
    await cache.get('c', 1, load(30));
    expect(cache.size).toBe(2);
  });
});
