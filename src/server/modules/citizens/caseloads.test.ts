// Caseloads per consultant for the programme manager, and handing a caseload over for good or to a
// substitute for a period that ends by itself; plus the citizen access rules by role and organisation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
let projektleder: Session;
const today = dateInCopenhagen();
const RK = { rk1: userId(4), rk2: userId(5), rk3: userId(6), rk4: userId(7) };
let serial = 5000;

async function enrolFor(s: Session, consultant: string, extra: Record<string, unknown> = {}) {
  const res = await s.request({
    method: 'POST',
    url: '/api/citizens',
    payload: {
      cpr: `7201${String(80 + (serial % 10)).padStart(2, '0')}-${serial++}`,
      firstName: 'Case',
      lastName: `Load${serial}`,
      enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2020-01-10', benefitCode: 'kontanthjaelp', consultantIds: [consultant], ...extra },
    },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().id as string;
}

beforeAll(async () => {
  t = await testApp();
  projektleder = await login(t.app, 'projektleder');
});
afterAll(async () => {
  await t.close();
});

describe('caseloads', () => {
  it('counts each consultant’s citizens against the ceiling with the IPS hint', async () => {
    const rk3 = await login(t.app, 'rk3');
    const before = (await projektleder.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/caseloads` })).json();
    const rk3Before = before.consultants.find((c: { user: { id: string } }) => c.user.id === RK.rk3).active;
    await enrolFor(rk3, RK.rk3);
    await enrolFor(rk3, RK.rk3);
    const res = await projektleder.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/caseloads` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ ceiling: 25, recommendedMax: 20, capacity: 100 });
    expect(body.consultants.map((c: { user: { id: string } }) => c.user.id)).toEqual(expect.arrayContaining(Object.values(RK)));
    expect(body.consultants.find((c: { user: { id: string } }) => c.user.id === RK.rk3).active).toBe(rk3Before + 2);
    const rk1 = await login(t.app, 'rk1');
    expect((await rk1.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/caseloads` })).statusCode).toBe(404);
  });

  it('hands a caseload to a substitute for a period: visible during it, not after it', async () => {
    const rk4 = await login(t.app, 'rk4');
    const rk2 = await login(t.app, 'rk2');
    const id = await enrolFor(rk4, RK.rk4);
    expect((await rk2.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(404);
    const res = await projektleder.request({
      method: 'POST',
      url: `/api/programmes/${PROGRAMME.paaVej}/caseloads/handover`,
      payload: { fromUserId: RK.rk4, toUserId: RK.rk2, kind: 'substitute', validFrom: addDays(today, -1), validTo: addDays(today, 14) },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().enrolmentsHandedOver).toBeGreaterThanOrEqual(1);
    expect((await rk2.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(200);
    const page = (await rk2.request({ method: 'GET', url: `/api/citizens/${id}` })).json();
    expect(page.enrolments[0].team).toEqual(expect.arrayContaining([expect.objectContaining({ user: expect.objectContaining({ id: RK.rk2 }), kind: 'substitute', substituteFor: expect.objectContaining({ id: RK.rk4 }) })]));
    // rk4 keeps the caseload meanwhile.
    expect((await rk4.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(200);
    const audits = await auditRows(t.db, { actorUsername: 'projektleder', action: 'update' });
    expect(audits.some((a) => a.citizen_id === id && a.resource_type === 'team')).toBe(true);

    // A substitution that has run out gives nothing.
    const id2 = await enrolFor(rk4, RK.rk4);
    await t.db.kysely.updateTable('team_members').set({ valid_from: addDays(today, -30), valid_to: addDays(today, -1) }).where('kind', '=', 'substitute').execute();
    expect((await rk2.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(404);
    expect((await rk2.request({ method: 'GET', url: `/api/citizens/${id2}` })).statusCode).toBe(404);
  });

  it('hands a caseload over for good: the new consultant has it, the old one no longer', async () => {
    const rk3 = await login(t.app, 'rk3');
    const rk1 = await login(t.app, 'rk1');
    const id = await enrolFor(rk3, RK.rk3);
    const res = await projektleder.request({
      method: 'POST',
      url: `/api/programmes/${PROGRAMME.paaVej}/caseloads/handover`,
      payload: { fromUserId: RK.rk3, toUserId: RK.rk1, kind: 'permanent', validFrom: today },
    });
    expect(res.statusCode, res.body).toBe(200);
    const mine = (await rk1.request({ method: 'GET', url: '/api/citizens?scope=mine&limit=100' })).json().items.map((c: { id: string }) => c.id);
    expect(mine).toContain(id);
    await t.db.kysely.updateTable('team_members').set({ valid_from: addDays(today, -10) }).where('user_id', '=', RK.rk3).where('valid_to', '=', addDays(today, -1)).execute();
    expect((await rk3.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(404);
  });

  it('rejects a substitute without an end date and a receiver who is not a consultant', async () => {
    const noEnd = await projektleder.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/caseloads/handover`, payload: { fromUserId: RK.rk1, toUserId: RK.rk2, kind: 'substitute', validFrom: today } });
    expect(noEnd.statusCode).toBe(400);
    const notConsultant = await projektleder.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/caseloads/handover`, payload: { fromUserId: RK.rk1, toUserId: userId(8), kind: 'permanent', validFrom: today } });
    expect(notConsultant.json().issues).toEqual([{ path: 'toUserId', message: 'not_resource_consultant_in_programme' }]);
  });
});

describe('citizen access by role and organisation', () => {
  let id: string;
  let teamNote: string;
  beforeAll(async () => {
    const rk1 = await login(t.app, 'rk1');
    id = await enrolFor(rk1, RK.rk1, { caseworkerId: userId(8) });
    teamNote = (await rk1.request({ method: 'POST', url: `/api/citizens/${id}/notes`, payload: { kind: 'journal', body: 'Note' } })).json().id;
  });

  const expected: Record<string, number> = {
    rk1: 200, // on the team
    rk2: 404, // another consultant's caseload, programme does not open all
    sagsbehandler: 200, // on the team as caseworker
    jobkonsulent: 404, // not on the team
    projektleder: 200, // programme manager sees the programme's citizens
    styregruppe: 404,
    forsker: 404,
    admin: 404,
    dpo: 404,
    liaison: 404, // another organisation: no consent yet
    behandler: 404,
    nordfyn: 404,
    regionsdpo: 404,
  };

  it.each(Object.entries(expected))('%s reading the citizen page, timeline, notes and CPR gets %i, and a refusal changes nothing', async (username, status) => {
    const s = await login(t.app, username);
    const countEvents = async () => (await t.db.kysely.selectFrom('citizen_events').select('id').where('citizen_id', '=', id).execute()).length;
    const before = await countEvents();
    for (const url of [`/api/citizens/${id}`, `/api/citizens/${id}/timeline`, `/api/citizens/${id}/notes`]) {
      expect((await s.request({ method: 'GET', url })).statusCode, url).toBe(status);
    }
    expect((await s.request({ method: 'POST', url: `/api/citizens/${id}/reveal-cpr` })).statusCode).toBe(status);
    if (status === 404) {
      const writes = [
        s.request({ method: 'POST', url: `/api/citizens/${id}/notes`, payload: { kind: 'journal', body: 'x' } }),
        s.request({ method: 'PATCH', url: `/api/citizens/${id}`, payload: { version: 1, phone: '1' } }),
        s.request({ method: 'POST', url: `/api/citizens/${id}/status-periods`, payload: { benefitCode: 'kontanthjaelp', fromDate: '2021-01-01' } }),
        s.request({ method: 'POST', url: `/api/notes/${teamNote}/corrections`, payload: { version: 1, body: 'x', reason: 'y' } }),
      ];
      for (const res of await Promise.all(writes)) expect(res.statusCode).toBe(404);
      expect(await countEvents()).toBe(before);
      const denied = await auditRows(t.db, { actorUsername: username, outcome: 'denied' });
      expect(denied.filter((r) => r.resource_id === id || r.resource_id === teamNote).length).toBeGreaterThanOrEqual(8);
    }
  });

  it('answers 401 on every citizen route without a session', async () => {
    for (const [method, url] of [
      ['GET', '/api/citizens'],
      ['POST', '/api/citizens/search'],
      ['GET', `/api/citizens/${id}`],
      ['GET', `/api/citizens/${id}/timeline`],
      ['POST', `/api/citizens/${id}/reveal-cpr`],
      ['POST', '/api/citizens'],
      ['PATCH', `/api/citizens/${id}`],
      ['POST', `/api/citizens/${id}/status-periods`],
      ['GET', `/api/citizens/${id}/notes`],
      ['POST', `/api/citizens/${id}/notes`],
      ['POST', `/api/notes/${teamNote}/corrections`],
      ['POST', `/api/notes/${teamNote}/remarks`],
      ['POST', `/api/programmes/${PROGRAMME.paaVej}/enrolments`],
      ['PATCH', `/api/enrolments/${id}`],
      ['GET', `/api/programmes/${PROGRAMME.paaVej}/caseloads`],
      ['POST', `/api/programmes/${PROGRAMME.paaVej}/caseloads/handover`],
      ['GET', '/api/code-lists/benefit'],
      ['POST', '/api/code-lists/benefit'],
      ['PATCH', `/api/code-values/${id}`],
    ] as const) {
      // An empty body: a logged-out caller gets 401 before any validation would answer 400.
      expect((await t.app.inject({ method, url, payload: method === 'GET' ? undefined : {} })).statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('refuses enrolment changes, re-enrolment and remarks to staff without a relation, changing nothing', async () => {
    const enrolmentId = (await t.db.kysely.selectFrom('enrolments').select(['id', 'version']).where('citizen_id', '=', id).executeTakeFirstOrThrow());
    for (const username of ['rk2', 'nordfyn', 'liaison', 'styregruppe']) {
      const s = await login(t.app, username);
      const end = await s.request({ method: 'PATCH', url: `/api/enrolments/${enrolmentId.id}`, payload: { version: enrolmentId.version, status: 'paused' } });
      expect(end.statusCode, username).toBe(404);
      const again = await s.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/enrolments`, payload: { citizenId: id, startDate: '2020-02-01', benefitCode: 'kontanthjaelp' } });
      expect(again.statusCode, username).toBe(404);
      const remark = await s.request({ method: 'POST', url: `/api/notes/${teamNote}/remarks`, payload: { body: 'x', receivedVia: 'y' } });
      expect(remark.statusCode, username).toBe(404);
    }
    const after = await t.db.kysely.selectFrom('enrolments').select(['status', 'version']).where('id', '=', enrolmentId.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'active', version: enrolmentId.version });
    expect(await t.db.kysely.selectFrom('enrolments').select('id').where('citizen_id', '=', id).execute()).toHaveLength(1);
    expect(await t.db.kysely.selectFrom('notes').select('id').where('remark_on', '=', teamNote).execute()).toEqual([]);
  });

  it('lets only an admin change a local code, and only of the own organisation', async () => {
    const admin = await login(t.app, 'admin');
    const added = (await admin.request({ method: 'POST', url: '/api/code-lists/referral_source', payload: { code: 'lokal_test', labelDa: 'Lokal', labelEn: 'Local' } })).json();
    for (const username of ['rk1', 'projektleder', 'dpo', 'regionsdpo']) {
      const s = await login(t.app, username);
      const res = await s.request({ method: 'PATCH', url: `/api/code-values/${added.id}`, payload: { version: added.version, labelDa: 'Ændret' } });
      expect(res.statusCode, username).toBe(404);
    }
    const row = await t.db.kysely.selectFrom('code_values').select('label_da').where('id', '=', added.id).executeTakeFirstOrThrow();
    expect(row.label_da).toBe('Lokal');
  });

  it('lets no one without a case role create citizens', async () => {
    for (const username of ['styregruppe', 'forsker', 'admin', 'dpo', 'behandler']) {
      const s = await login(t.app, username);
      const res = await s.request({ method: 'POST', url: '/api/citizens', payload: { cpr: '670780-1111', firstName: 'A', lastName: 'B' } });
      expect(res.statusCode, username).toBe(404);
    }
  });

  it('opens all the programme’s citizens to its consultants when the programme says so', async () => {
    const rk2 = await login(t.app, 'rk2');
    await t.db.kysely.updateTable('programmes').set({ consultants_see_all: true }).where('id', '=', PROGRAMME.paaVej).execute();
    try {
      expect((await rk2.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(200);
      expect((await rk2.request({ method: 'POST', url: '/api/citizens/search', payload: { q: (await rk2.request({ method: 'GET', url: `/api/citizens/${id}` })).json().lastName.toLowerCase() } })).json().items).toHaveLength(1);
    } finally {
      await t.db.kysely.updateTable('programmes').set({ consultants_see_all: false }).where('id', '=', PROGRAMME.paaVej).execute();
    }
  });
});
