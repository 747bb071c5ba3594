// Programme routes: the list a member sees, one programme's facts as the seeds give them, bad input, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME } from '../../demo/ids.ts';
import { auditRows, login, testApp, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

describe('programmes', () => {
  it('lists only the programmes the user has a role in, with the roles', async () => {
    const s = await login(t.app, 'projektleder');
    const res = await s.request({ method: 'GET', url: '/api/programmes' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { id: PROGRAMME.paaVej, name: 'På vej til arbejde', startsOn: '2017-08-01', endsOn: '2021-07-31', capacity: 100, myRoles: ['programme_manager'], isDemo: true },
    ]);
    const admin = await login(t.app, 'admin');
    expect((await admin.request({ method: 'GET', url: '/api/programmes' })).json().items).toEqual([]);
  });

  it('gives På vej til arbejde with partners, the ½ + 3 + ½ year phases, capacity, targets and budget', async () => {
    const s = await login(t.app, 'rk1');
    const res = await s.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.capacity).toBe(100);
    expect(p.activeCitizens).toEqual(expect.any(Number));
    expect(p.owner.name).toBe('Næstved Kommune');
    expect(p.partners.map((x: { name: string; role: string }) => `${x.role}:${x.name}`)).toEqual(
      expect.arrayContaining(['lead:Næstved Kommune', 'partner:Region Sjælland, Psykiatrien', expect.stringMatching(/^research:VIVE/), 'funder:Den A.P. Møllerske Støttefond']),
    );
    expect(p.phases.map((ph: { name: { da: string }; startsOn: string; endsOn: string }) => [ph.name.da, ph.startsOn, ph.endsOn])).toEqual([
      ['Opstartsfase', '2017-08-01', '2018-01-31'],
      ['Projektfase', '2018-02-01', '2021-01-31'],
      ['Evalueringsfase', '2021-02-01', '2021-07-31'],
    ]);
    expect(p.targets).toEqual([
      { outcome: 'education', targetPercent: 15 },
      { outcome: 'job', targetPercent: 20 },
    ]);
    expect(p.budgetLines.map((b: { amountOere: number }) => b.amountOere)).toEqual([940_000_000]);
    expect(p.myRoles).toEqual(['resource_consultant']);
  });

  it('gives the Nordfyn programme its period, timeline rows, planned counts by benefit and budget', async () => {
    const s = await login(t.app, 'liaison');
    const p = (await s.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.fremskudt}` })).json();
    expect([p.startsOn, p.endsOn]).toEqual(['2019-11-01', '2020-08-31']);
    expect(p.phases).toHaveLength(5);
    expect(p.phases[0].name.da).toBe('Rekruttering af socialrådgiver med psykiatrifaglig baggrund');
    expect(Object.fromEntries(p.targetGroups.map((g: { benefitCode: string; plannedCount: number }) => [g.benefitCode, g.plannedCount]))).toEqual({
      ressourceforloeb: 10,
      kontanthjaelp: 10,
      uddannelseshjaelp: 30,
      jobafklaringsforloeb: 20,
      ledighedsydelse: 10,
    });
    expect(p.budgetLines.map((b: { year: number; amountOere: number }) => [b.year, b.amountOere])).toEqual([
      [2019, 4_000_000],
      [2020, 16_000_000],
    ]);
  });

  it('lists the programme’s case staff for choosing a team', async () => {
    const s = await login(t.app, 'rk1');
    const staff = (await s.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/staff` })).json().items as { name: string; roles: string[] }[];
    expect(staff.map((x) => x.name)).toEqual(expect.arrayContaining(['Lone Madsen', 'Mette Frandsen', 'Thomas Berg']));
    expect(staff.find((x) => x.name === 'Mette Frandsen')!.roles).toEqual(['caseworker']);
    expect(staff.map((x) => x.name)).not.toContain('Karen Winther');
  });

  it('audits reading a programme', async () => {
    const s = await login(t.app, 'styregruppe');
    await s.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` });
    const rows = await auditRows(t.db, { actorUsername: 'styregruppe', action: 'read' });
    expect(rows.some((r) => r.resource_type === 'programme' && r.resource_id === PROGRAMME.paaVej && r.outcome === 'success')).toBe(true);
  });

  it('answers 400 naming the parameter for an id that is not a uuid, and 404 for an unknown route', async () => {
    const s = await login(t.app, 'rk2');
    const res = await s.request({ method: 'GET', url: '/api/programmes/not-a-uuid' });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('params.id');
    const unknown = await s.request({ method: 'GET', url: '/api/programmes-nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not_found', message: 'No such route' });
  });
});

describe('programme settings', () => {
  it('lets the programme manager set the caseload ceiling and open all citizens to consultants, with a version', async () => {
    const pm = await login(t.app, 'projektleder');
    const current = (await pm.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` })).json();
    const res = await pm.request({ method: 'PATCH', url: `/api/programmes/${PROGRAMME.paaVej}`, payload: { version: current.version, caseloadCeiling: 20, consultantsSeeAll: true } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ caseloadCeiling: 20, consultantsSeeAll: true, version: current.version + 1 });
    const stale = await pm.request({ method: 'PATCH', url: `/api/programmes/${PROGRAMME.paaVej}`, payload: { version: current.version, caseloadCeiling: 30 } });
    expect(stale.statusCode).toBe(409);
    for (const username of ['rk1', 'styregruppe', 'admin', 'liaison']) {
      const s = await login(t.app, username);
      const denied = await s.request({ method: 'PATCH', url: `/api/programmes/${PROGRAMME.paaVej}`, payload: { version: current.version + 1, caseloadCeiling: 5 } });
      expect(denied.statusCode, username).toBe(404);
    }
    const after = (await pm.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` })).json();
    expect(after.caseloadCeiling).toBe(20);
  });
});
