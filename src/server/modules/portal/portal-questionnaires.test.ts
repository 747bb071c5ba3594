// Spørgeskemaer in the portal, on both engines: the citizen sees the questionnaires due for them (only instruments
// they answer alone) and answers one through the same path as staff (scored, alerts opened, the due measurement
// closed), recorded as answered by the citizen; staff see the answer in the citizen's assessments; a low-assurance
// session may answer a new questionnaire but not read progression or earlier answers; any other citizen's id
// answers 404 and every read, answer and refusal is audited with the citizen as actor.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenId } from '../../demo/demo-citizens.ts';
import { DEMO_QUESTIONNAIRE_CITIZENS } from '../../demo/demo-portal-questionnaires.ts';
import { userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';

const RK1 = userId(4);
let t: TestContext;
let rk1: Session;
let n = 0;
const address = () => `198.51.100.${150 + ++n}`;

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
});
afterAll(async () => {
  await t.close();
});

const who5 = (v: number) => ({ who5_cheerful: v, who5_calm: v, who5_active: v, who5_rested: v, who5_interest: v });

/** Opens a due measurement of an instrument for the citizen's enrolment, as the scheduled job does. */
async function dueTask(citizenId: string, code: string): Promise<string> {
  const e = await t.db.kysely.selectFrom('enrolments').select(['id', 'organisation_id', 'programme_id']).where('citizen_id', '=', citizenId).executeTakeFirstOrThrow();
  const today = dateInCopenhagen();
  const row = await t.db.kysely
    .insertInto('staff_tasks')
    .values({ organisation_id: e.organisation_id, citizen_id: citizenId, enrolment_id: e.id, programme_id: e.programme_id, kind: 'measurement_due', rule: `due:${code}`, instrument_code: code, text_da: `${code}: måling`, text_en: `${code}: measurement`, due_date: today, window_end: addDays(today, 14), status: 'open' } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function citizen(opts: { substantial?: boolean } = {}): Promise<{ id: string; s: PortalSession }> {
  const email = `portal.questionnaires.${++n}@example.invalid`;
  const c = await portalCitizen(rk1, RK1, { email });
  expect((await invite(rk1, c.id)).statusCode).toBe(200);
  const s = await portalLoginAs(t, email, email, address());
  if (opts.substantial !== false) await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
  return { id: c.id, s };
}

const answer = (s: PortalSession, id: string, answers: Record<string, number>, instrumentVersion = 1) =>
  s.request({ method: 'POST', url: `/api/portal/questionnaires/${id}/answers`, payload: { instrumentVersion, answers } });

const auditOf = (citizenId: string, resourceType: string) =>
  t.db.kysely.selectFrom('audit_log').select(['action', 'outcome', 'actor_roles', 'actor_user_id', 'actor_username', 'resource_id', 'criteria']).where('citizen_id', '=', citizenId).where('resource_type', '=', resourceType).orderBy('seq').execute();

describe('questionnaires due for me', () => {
  it('lists only due instruments the citizen answers alone, with their questions and nothing of earlier answers', async () => {
    const c = await citizen();
    await rk1.request({ method: 'POST', url: `/api/citizens/${c.id}/assessments`, payload: { instrumentCode: 'who5', answers: who5(2) } });
    const who5Task = await dueTask(c.id, 'who5');
    await dueTask(c.id, 'jobprogression');
    const res = await c.s.request({ method: 'GET', url: '/api/portal/questionnaires' });
    expect(res.statusCode, res.body).toBe(200);
    const { items } = res.json();
    expect(items.map((q: { id: string; instrumentCode: string }) => [q.id, q.instrumentCode])).toEqual([[who5Task, 'who5']]);
    expect(items[0].questions).toHaveLength(5);
    expect(items[0].questions[0]).toMatchObject({ code: 'who5_cheerful', kind: 'choice', required: true });
    expect(items[0].questions[0].options).toHaveLength(6);
    expect(res.body).not.toMatch(/score|scaled|band/);
    const audit = await auditOf(c.id, 'portal_questionnaires');
    expect(audit).toMatchObject([{ action: 'read', outcome: 'success', actor_roles: ['citizen'], actor_user_id: null }]);
  });

  it('the summary says a questionnaire waits only when one the citizen can answer is due', async () => {
    const c = await citizen();
    await dueTask(c.id, 'jobprogression');
    expect((await c.s.request({ method: 'GET', url: '/api/portal/summary' })).json().questionnaireWaiting).toBe(false);
    const task = await dueTask(c.id, 'was');
    expect((await c.s.request({ method: 'GET', url: '/api/portal/summary' })).json().questionnaireWaiting).toBe(true);
    expect((await answer(c.s, task, { was_score: 7 })).statusCode).toBe(201);
    expect((await c.s.request({ method: 'GET', url: '/api/portal/summary' })).json().questionnaireWaiting).toBe(false);
  });
});

describe('answering', () => {
  it('stores the answer through the staff path: scored, alert opened, due task closed, seen by staff as answered by the citizen', async () => {
    const c = await citizen();
    const task = await dueTask(c.id, 'who5');
    const res = await answer(c.s, task, who5(1));
    expect(res.statusCode, res.body).toBe(201);
    expect(Object.keys(res.json()).sort()).toEqual(['answeredAt', 'received']);
    const closed = await t.db.kysely.selectFrom('staff_tasks').select(['status', 'closed_by', 'close_note']).where('id', '=', task).executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'done', closed_by: null, close_note: 'answered' });
    // WHO-5 of 20 (raw 5): the engine's alerts open the team's tasks, as for an answer given with staff.
    const alerts = await t.db.kysely.selectFrom('staff_tasks').select('rule').where('citizen_id', '=', c.id).where('kind', '=', 'alert').where('status', '=', 'open').execute();
    expect(alerts.map((a) => a.rule)).toContain('who5_very_low');
    const staff = await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}/assessments` });
    expect(staff.statusCode, staff.body).toBe(200);
    const [item] = staff.json().items;
    expect(item).toMatchObject({ instrumentCode: 'who5', status: 'submitted', occasion: 'baseline', answeredWith: 'citizen_portal', createdBy: null, score: { raw: 5, scaled: 20, band: 'very_low' } });
    const detail = await rk1.request({ method: 'GET', url: `/api/assessments/${item.id}` });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ answeredWith: 'citizen_portal', createdBy: null, answers: who5(1) });
    const audit = await auditOf(c.id, 'assessment');
    expect(audit[0]).toMatchObject({ action: 'create', outcome: 'success', actor_roles: ['citizen'], actor_user_id: null, resource_id: item.id, criteria: { questionnaireId: task, instrument: 'who5', alerts: 2 } });
    expect(audit[0]!.actor_username).toMatch(/^portal:/);
  });

  it('refuses answers the instrument does not accept (400 naming the item), a second answer (409) and a stale version (409)', async () => {
    const c = await citizen();
    const task = await dueTask(c.id, 'who5');
    const missing = await answer(c.s, task, { who5_cheerful: 3 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues.map((f: { path: string }) => f.path)).toContain('answers.who5_calm');
    expect((await answer(c.s, task, { ...who5(3), who5_calm: 9 })).statusCode).toBe(400);
    expect((await answer(c.s, task, { ...who5(3), nope: 1 })).statusCode).toBe(400);
    expect((await answer(c.s, task, who5(3), 99)).statusCode).toBe(409);
    expect((await answer(c.s, task, who5(3))).statusCode).toBe(201);
    const again = await answer(c.s, task, who5(3));
    expect(again.statusCode).toBe(409);
    expect(again.json().issues).toEqual([{ path: 'id', message: 'already_answered' }]);
    const count = await t.db.kysely.selectFrom('assessments').select((eb) => eb.fn.countAll<number>().as('n')).where('citizen_id', '=', c.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("another citizen's questionnaire, an instrument with staff items and an unknown id answer 404, audited; nothing changes", async () => {
    const me = await citizen();
    const other = await citizen();
    const theirs = await dueTask(other.id, 'who5');
    const staffItems = await dueTask(me.id, 'jobprogression');
    for (const id of [theirs, staffItems, randomUUID()]) {
      const res = await answer(me.s, id, who5(3));
      expect(res.statusCode, id).toBe(404);
    }
    expect((await t.db.kysely.selectFrom('staff_tasks').select('status').where('id', '=', theirs).executeTakeFirstOrThrow()).status).toBe('open');
    const count = await t.db.kysely.selectFrom('assessments').select((eb) => eb.fn.countAll<number>().as('n')).where('citizen_id', 'in', [me.id, other.id]).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    // The refusals are in my record's log (never in the other citizen's).
    const mine = await auditOf(me.id, 'assessment');
    expect(mine.map((r) => [r.outcome, (r.criteria as { reason: string }).reason])).toEqual([
      ['denied', 'unknown_questionnaire'],
      ['denied', 'not_citizen_answerable'],
      ['denied', 'unknown_questionnaire'],
    ]);
    expect(await auditOf(other.id, 'assessment')).toEqual([]);
  });
});

describe('progression and earlier answers', () => {
  it('shows my answers per instrument oldest first with the trend, and pages my earlier answers newest first', async () => {
    const c = await citizen();
    expect((await rk1.request({ method: 'POST', url: `/api/citizens/${c.id}/assessments`, payload: { instrumentCode: 'who5', answers: who5(2) } })).statusCode).toBe(201);
    expect((await rk1.request({ method: 'POST', url: `/api/citizens/${c.id}/assessments`, payload: { instrumentCode: 'jobprogression', answers: { jp_health: 3, jp_everyday: 3, jp_job_belief: 3, jp_cooperation: 3, jp_job_search: 3, jp_staff_belief: 2 } } })).statusCode).toBe(201);
    expect((await answer(c.s, await dueTask(c.id, 'who5'), who5(4))).statusCode).toBe(201);
    const res = await c.s.request({ method: 'GET', url: '/api/portal/questionnaires/progression' });
    expect(res.statusCode, res.body).toBe(200);
    // The instrument with the staff member's view is not shown to the citizen.
    expect(res.json().instruments).toHaveLength(1);
    expect(res.json().instruments[0]).toMatchObject({ instrumentCode: 'who5', max: 100, trend: 'up', points: [{ value: 40 }, { value: 80 }] });
    const first = await c.s.request({ method: 'GET', url: '/api/portal/questionnaires/history?limit=1' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().items).toMatchObject([{ instrumentCode: 'who5', value: 80, byMe: true }]);
    const second = await c.s.request({ method: 'GET', url: `/api/portal/questionnaires/history?limit=1&cursor=${first.json().nextCursor}` });
    expect(second.json()).toMatchObject({ items: [{ instrumentCode: 'who5', value: 40, byMe: false }], nextCursor: null });
    expect((await c.s.request({ method: 'GET', url: '/api/portal/questionnaires/history?cursor=bm9wZQ' })).statusCode).toBe(400);
    expect((await c.s.request({ method: 'GET', url: '/api/portal/questionnaires/history?limit=51' })).statusCode).toBe(400);
    expect((await auditOf(c.id, 'portal_progression')).map((r) => r.outcome)).toEqual(['success']);
    expect((await auditOf(c.id, 'portal_answers')).length).toBe(2);
  });

  it("never shows another citizen's answers", async () => {
    const other = await citizen();
    expect((await answer(other.s, await dueTask(other.id, 'who5'), who5(4))).statusCode).toBe(201);
    const me = await citizen();
    expect((await me.s.request({ method: 'GET', url: '/api/portal/questionnaires/progression' })).json()).toEqual({ instruments: [] });
    expect((await me.s.request({ method: 'GET', url: '/api/portal/questionnaires/history' })).json()).toEqual({ items: [], nextCursor: null });
    expect((await me.s.request({ method: 'GET', url: '/api/portal/questionnaires' })).json()).toEqual({ items: [] });
  });
});

describe('at level "low" (a one-time code)', () => {
  it('answers a due questionnaire and gets a receipt, but progression and earlier answers are 403 assurance_too_low (audited)', async () => {
    const c = await citizen({ substantial: false });
    const task = await dueTask(c.id, 'who5');
    const list = await c.s.request({ method: 'GET', url: '/api/portal/questionnaires' });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((q: { id: string }) => q.id)).toEqual([task]);
    const res = await answer(c.s, task, who5(3));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toMatch(/score|scaled|band|raw/);
    for (const url of ['/api/portal/questionnaires/progression', '/api/portal/questionnaires/history']) {
      const denied = await c.s.request({ method: 'GET', url });
      expect(denied.statusCode, url).toBe(403);
      expect(denied.json().error).toBe('assurance_too_low');
    }
    const refusals = await auditOf(c.id, 'portal');
    expect(refusals.map((r) => [r.outcome, (r.criteria as { route: string }).route])).toEqual([
      ['denied', '/api/portal/questionnaires/progression'],
      ['denied', '/api/portal/questionnaires/history'],
    ]);
    // Staff see it like any other answer.
    const staff = await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}/assessments` });
    expect(staff.json().items).toMatchObject([{ answeredWith: 'citizen_portal', createdBy: null }]);
  });

  it('needs the CSRF token to answer', async () => {
    const c = await citizen({ substantial: false });
    const task = await dueTask(c.id, 'who5');
    const res = await c.s.request({ method: 'POST', url: `/api/portal/questionnaires/${task}/answers`, payload: { instrumentVersion: 1, answers: who5(3) }, headers: { 'x-csrf-token': 'wrong' } });
    expect(res.statusCode).toBe(403);
    expect((await t.db.kysely.selectFrom('staff_tasks').select('status').where('id', '=', task).executeTakeFirstOrThrow()).status).toBe('open');
  });
});

describe('demo', () => {
  it('the demo portal citizens 41 and 42 have a due WHO-5 and earlier answers; 41 gave the latest in the portal', async () => {
    for (const n of DEMO_QUESTIONNAIRE_CITIZENS) {
      const due = await t.db.kysely.selectFrom('staff_tasks').select('id').where('citizen_id', '=', citizenId(n)).where('kind', '=', 'measurement_due').where('instrument_code', '=', 'who5').where('status', '=', 'open').execute();
      expect(due, `citizen ${n}`).toHaveLength(1);
      const answers = await t.db.kysely.selectFrom('assessments').select(['answered_with', 'created_by', 'answered_by_account']).where('citizen_id', '=', citizenId(n)).where('instrument_code', '=', 'who5').where('status', '=', 'submitted').orderBy('answered_at').execute();
      expect(answers.length, `citizen ${n}`).toBeGreaterThanOrEqual(2);
      if (n === 41) expect(answers[answers.length - 1]).toMatchObject({ answered_with: 'citizen_portal', created_by: null });
    }
  });
});
