// The data-protection officer's audit search: own organisation only, filters, newest first, and itself logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME } from '../../demo/ids.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
let dpo: Session;
beforeAll(async () => {
  t = await testApp();
  const rk1 = await login(t.app, 'rk1');
  await rk1.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` });
  await rk1.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.fremskudt}` });
  const liaison = await login(t.app, 'liaison');
  await liaison.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.fremskudt}` });
  await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'rk2', password: 'wrong' } });
  dpo = await login(t.app, 'dpo');
});
afterAll(async () => {
  await t.close();
});

type Row = { seq: number; actorUsername: string; action: string; outcome: string; resourceType: string };

describe('audit search', () => {
  it('shows the own organisation’s rows newest first, not the other organisation’s', async () => {
    const res = await dpo.request({ method: 'GET', url: '/api/audit?limit=200' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Row[];
    const seqs = items.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const users = new Set(items.map((r) => r.actorUsername));
    expect(users).toContain('rk1');
    expect(users).not.toContain('liaison');
    expect(items.some((r) => r.actorUsername === 'rk1' && r.outcome === 'denied')).toBe(true);
    expect(items.some((r) => r.actorUsername === 'rk2' && r.action === 'login' && r.outcome === 'failure')).toBe(true);
  });

  it('names the organisation and roles of whoever logged in', async () => {
    const logins = (await dpo.request({ method: 'GET', url: '/api/audit?action=login&actor=rk1&outcome=success' })).json().items as (Row & { actorOrganisation: string; actorRoles: string[] })[];
    expect(logins[0]).toMatchObject({ actorOrganisation: 'Næstved Kommune', actorRoles: ['resource_consultant'] });
    const failed = (await dpo.request({ method: 'GET', url: '/api/audit?action=login&actor=rk2&outcome=failure' })).json().items as (Row & { actorOrganisation: string })[];
    expect(failed[0]!.actorOrganisation).toBe('Næstved Kommune');
  });

  it('filters by actor, action and outcome, and pages with a cursor', async () => {
    const denied = (await dpo.request({ method: 'GET', url: '/api/audit?actor=RK1&outcome=denied' })).json().items as Row[];
    expect(denied.length).toBe(1);
    expect(denied[0]).toMatchObject({ actorUsername: 'rk1', outcome: 'denied', resourceType: 'programme' });
    const first = (await dpo.request({ method: 'GET', url: '/api/audit?limit=2' })).json();
    expect(first.items).toHaveLength(2);
    const second = (await dpo.request({ method: 'GET', url: `/api/audit?limit=2&cursor=${first.nextCursor}` })).json();
    expect(second.items[0].seq).toBeLessThan(first.items[1].seq);
    const logins = (await dpo.request({ method: 'GET', url: '/api/audit?action=login&limit=200' })).json().items as Row[];
    expect(logins.every((r) => r.action === 'login')).toBe(true);
    const future = (await dpo.request({ method: 'GET', url: '/api/audit?from=2099-01-01' })).json();
    expect(future.items).toEqual([]);
  });

  it('logs each search of the log with its criteria', async () => {
    await dpo.request({ method: 'GET', url: '/api/audit?actor=rk1&outcome=denied' });
    const last = (await auditRows(t.db, { actorUsername: 'dpo', action: 'search' })).at(-1)!;
    expect(last).toMatchObject({ resource_type: 'audit_log', purpose: 'supervision', outcome: 'success' });
    expect(last.criteria).toMatchObject({ actor: 'rk1', outcome: 'denied' });
  });

  it('rejects bad filters with 400', async () => {
    for (const q of ['from=23-11-2026', 'outcome=maybe', 'limit=0', 'citizenId=123', 'cursor=abc', 'unknown=1']) {
      const res = await dpo.request({ method: 'GET', url: `/api/audit?${q}` });
      expect(res.statusCode, q).toBe(400);
    }
  });

  it('the region’s dpo sees the liaison’s work, and of Næstved’s staff only their attempts on the region’s data', async () => {
    const regionsdpo = await login(t.app, 'regionsdpo');
    const items = (await regionsdpo.request({ method: 'GET', url: '/api/audit?limit=200' })).json().items as (Row & { resourceId: string })[];
    expect(items.some((r) => r.actorUsername === 'liaison' && r.action === 'read')).toBe(true);
    const fromNaestved = items.filter((r) => r.actorUsername === 'rk1');
    expect(fromNaestved).toHaveLength(1);
    expect(fromNaestved[0]).toMatchObject({ outcome: 'denied', resourceType: 'programme', resourceId: PROGRAMME.fremskudt });
    expect(items.some((r) => r.actorUsername === 'rk2')).toBe(false);
  });
});
