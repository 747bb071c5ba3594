// Rules that close gaps found in review: partner organisations do not steer the lead's cases, a lock holds
// against parallel guesses, CPR numbers typed oddly never reach the log, look-ups by duplicate are logged,
// odd dates and crafted cursors get 400 (never 500), and the status history stays one period at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { encodeCursor } from '../../platform/pagination.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { maskDigitRuns } from './citizens.service.ts';

let t: TestContext;
let rk1: Session;
beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
});
afterAll(async () => {
  await t.close();
});

async function addUser(username: string, organisationId: string, roles: { role: string; programmeId: string | null }[]) {
  const [u] = await t.db.kysely.insertInto('users').values({ organisation_id: organisationId, username, name: `Test ${username}`, password_hash: await hashPassword('demo') }).returning('id').execute();
  if (roles.length) await t.db.kysely.insertInto('user_roles').values(roles.map((r) => ({ user_id: u!.id, organisation_id: organisationId, role: r.role, programme_id: r.programmeId }))).execute();
  return u!.id;
}

async function newCitizen(s: Session, cpr: string, extra: Record<string, unknown> = {}) {
  const res = await s.request({
    method: 'POST',
    url: '/api/citizens',
    payload: { cpr, firstName: 'Hærdet', lastName: 'Testesen', enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2020-02-01', benefitCode: 'kontanthjaelp', consultantIds: [userId(4)], ...extra } },
  });
  return res;
}

describe('a programme manager of a partner organisation', () => {
  it('cannot change the programme settings, read caseloads or hand over the lead organisation’s citizens', async () => {
    await addUser('regionpm', ORG.regionSjaelland, [{ role: 'programme_manager', programmeId: PROGRAMME.paaVej }]);
    const pm = await login(t.app, 'regionpm');
    const before = await t.db.kysely.selectFrom('team_members').select('id').execute();
    const patch = await pm.request({ method: 'PATCH', url: `/api/programmes/${PROGRAMME.paaVej}`, payload: { version: 1, consultantsSeeAll: true } });
    expect(patch.statusCode).toBe(404);
    expect((await pm.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/caseloads` })).statusCode).toBe(404);
    const handover = await pm.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/caseloads/handover`, payload: { fromUserId: userId(4), toUserId: userId(5), kind: 'permanent', validFrom: '2026-01-01' } });
    expect(handover.statusCode).toBe(404);
    expect(await t.db.kysely.selectFrom('team_members').select('id').execute()).toHaveLength(before.length);
    const programme = await t.db.kysely.selectFrom('programmes').select('consultants_see_all').where('id', '=', PROGRAMME.paaVej).executeTakeFirstOrThrow();
    expect(programme.consultants_see_all).toBe(false);
  });
});

describe('team members', () => {
  it('come from the organisation that owns the case; a region user cannot be a resource consultant on it', async () => {
    const regionConsultant = await addUser('regionrk', ORG.regionSjaelland, [{ role: 'resource_consultant', programmeId: PROGRAMME.paaVej }]);
    const res = await newCitizen(rk1, '670788-1001', { consultantIds: [regionConsultant] });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('enrolment.consultantIds.0');
  });
});

describe('login lockout', () => {
  it('holds against many parallel wrong passwords: the right one is refused afterwards', async () => {
    await Promise.all(Array.from({ length: 12 }, () => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'rk4', password: 'wrong' } })));
    const user = await t.db.kysely.selectFrom('users').select('locked_until').where('username', '=', 'rk4').executeTakeFirstOrThrow();
    expect(user.locked_until!.getTime()).toBeGreaterThan(Date.now());
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'rk4', password: 'demo' } })).statusCode).toBe(401);
  });
});

describe('CPR numbers in searches', () => {
  it('finds a number typed with a space or dots, and logs it masked', async () => {
    const id = (await newCitizen(rk1, '690789-2002')).json().id;
    for (const q of ['690789 2002', '69.07.89-2002']) {
      const res = await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { q } });
      expect(res.json().items.map((c: { id: string }) => c.id), q).toEqual([id]);
    }
    const rows = await auditRows(t.db, { actorUsername: 'rk1', action: 'search' });
    expect(JSON.stringify(rows)).not.toContain('2002');
  });

  it('masks a number inside a name search before it is logged', async () => {
    await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { q: 'Jensen 010190-1234' } });
    const last = (await auditRows(t.db, { actorUsername: 'rk1', action: 'search' })).at(-1)!;
    expect(last.criteria).toMatchObject({ q: 'Jensen 010190-xxxx' });
    expect(maskDigitRuns('born 01 01 90 1234, tel 12345')).toBe('born 010190-xxxx, tel 12345');
  });

  it('answers a 29 February birth date in any century without error', async () => {
    for (const q of ['290200', '290201', '890200']) {
      const res = await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { q } });
      expect(res.statusCode, q).toBe(200);
    }
  });
});

describe('duplicates', () => {
  it('logs the look-up that a duplicate answer amounts to', async () => {
    await newCitizen(rk1, '700790-3003');
    const rk2 = await login(t.app, 'rk2');
    const res = await rk2.request({ method: 'POST', url: '/api/citizens', payload: { cpr: '700790-3003', firstName: 'A', lastName: 'B' } });
    expect(res.statusCode).toBe(409);
    const rows = await auditRows(t.db, { actorUsername: 'rk2', action: 'cpr-lookup' });
    expect(rows.at(-1)).toMatchObject({ outcome: 'denied', resource_type: 'citizen', criteria: { reason: 'duplicate_cpr', cpr: '700790-xxxx', linked: false } });
  });
});

describe('crafted cursors', () => {
  it('get 400, never 500', async () => {
    const id = (await newCitizen(rk1, '710791-4004')).json().id;
    const bad = [
      ['GET', `/api/citizens?cursor=${encodeCursor({ l: 'a', f: 'b', id: 'x' })}`],
      ['GET', `/api/citizens/${id}/timeline?cursor=${encodeCursor({ at: 'nonsense', id })}`],
      ['GET', `/api/citizens/${id}/timeline?cursor=${encodeCursor({ at: '2026-01-01T00:00:00Z', id: 'zz' })}`],
    ] as const;
    for (const [method, url] of bad) expect((await rk1.request({ method, url })).statusCode, url).toBe(400);
    const admin = await login(t.app, 'admin');
    expect((await admin.request({ method: 'GET', url: `/api/users?cursor=${encodeCursor({ name: 'a', id: 'zz' })}` })).statusCode).toBe(400);
    const dpo = await login(t.app, 'dpo');
    expect((await dpo.request({ method: 'GET', url: '/api/audit?cursor=99999999999999999999999' })).statusCode).toBe(400);
  });
});

describe('status history', () => {
  it('takes a new period only after the latest one, so there is one status at a time', async () => {
    const id = (await newCitizen(rk1, '720792-5005')).json().id;
    const same = await rk1.request({ method: 'POST', url: `/api/citizens/${id}/status-periods`, payload: { benefitCode: 'sygedagpenge', fromDate: '2020-02-01' } });
    expect(same.statusCode).toBe(409);
    expect(same.json().issues).toEqual([{ path: 'fromDate', message: 'not_after_latest_period' }]);
    const earlier = await rk1.request({ method: 'POST', url: `/api/citizens/${id}/status-periods`, payload: { benefitCode: 'sygedagpenge', fromDate: '2019-12-01' } });
    expect(earlier.statusCode).toBe(409);
    const later = await rk1.request({ method: 'POST', url: `/api/citizens/${id}/status-periods`, payload: { benefitCode: 'sygedagpenge', fromDate: '2020-06-01' } });
    expect(later.statusCode).toBe(201);
    const open = later.json().statusPeriods.filter((p: { toDate: string | null }) => p.toDate === null);
    expect(open).toHaveLength(1);
  });
});

describe('a citizen not yet enrolled', () => {
  it('stays visible to its creator only while the creator holds a case role', async () => {
    const id = (await rk1.request({ method: 'POST', url: '/api/citizens', payload: { cpr: '730793-6006', firstName: 'Uden', lastName: 'Forløb' } })).json().id;
    expect((await rk1.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(200);
    await t.db.kysely.updateTable('user_roles').set({ role: 'steering_group' }).where('user_id', '=', userId(4)).execute();
    try {
      const again = await login(t.app, 'rk1');
      expect((await again.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(404);
      expect((await again.request({ method: 'GET', url: '/api/citizens' })).json().items).toEqual([]);
    } finally {
      await t.db.kysely.updateTable('user_roles').set({ role: 'resource_consultant' }).where('user_id', '=', userId(4)).execute();
    }
  });
});
