// Research-only questionnaires (issue 12 point 4, decision 0040), on both engines: a study's programme manager adds
// catalogue instruments before approval (health data needs §10; the partner must be the controller); a citizen with a
// MitID session enrolled in the study's programme in an included organisation answers them in the portal once, says no
// thanks or deletes the answers; the answers never reach assessments, tasks, alerts or any staff route; a code login
// gets 403, anyone else 404 (audited); the export reads them in keyset batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenId } from '../../demo/demo-citizens.ts';
import { DEMO_RESEARCH_ANSWERED_CITIZEN, DEMO_RESEARCH_OPEN_CITIZEN, DEMO_RESEARCH_QUESTIONNAIRE_ID } from '../../demo/demo-research.ts';
import { DEMO_STUDY_ID } from '../../demo/demo-studies.ts';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from '../portal/portal.fixtures.ts';
import { studyAnswerBatches } from './study-answers.service.ts';

let t: TestContext;
const as: Record<string, Session> = {};
const FORSKER = userId(12);
const RK1 = userId(4);
let n = 0;
const address = () => `198.51.100.${30 + ++n}`;
const today = dateInCopenhagen();

const base = {
  programmeId: PROGRAMME.paaVej,
  title: 'Trivsel i På vej til arbejde',
  partnerName: 'VIVE',
  partnerRole: 'controller',
  legalBasis: ['gdpr_6_1_e', 'dbl_10'],
  checklist: { thirdCountry: false, biologicalMaterial: false, journalPublication: false },
  purpose: 'At måle trivsel og arbejdsevne hos deltagerne.',
  startsOn: addDays(today, -10),
  endsOn: addDays(today, 300),
  variables: ['enrolments.pseudonym'],
  datePrecision: 'month',
  dpiaReference: 'DPIA-R-1',
  organisationIds: [ORG.naestved],
};

const post = (who: string, url: string, payload?: Record<string, unknown>) => as[who]!.request({ method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
const issuesOf = (body: string) => ((JSON.parse(body) as { issues?: { message: string }[] }).issues ?? []).map((i) => i.message);

async function study(over: Record<string, unknown> = {}): Promise<string> {
  const res = await post('projektleder', '/api/studies', { ...base, ...over });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

/** An approved, running study with the given research questionnaires; returns the study and its questionnaire ids by code. */
async function approvedStudy(codes: string[], over: Record<string, unknown> = {}) {
  const id = await study(over);
  for (const code of codes) expect((await post('projektleder', `/api/studies/${id}/questionnaires`, { instrumentCode: code })).statusCode).toBe(200);
  await post('projektleder', `/api/studies/${id}/researchers`, { userId: FORSKER });
  await post('dpo', `/api/studies/${id}/dpo-advice`, { advice: 'Anbefales.' });
  const approved = await post('projektleder', `/api/studies/${id}/approve`);
  expect(approved.statusCode, approved.body).toBe(200);
  const s = approved.json() as { questionnaires: { id: string; instrumentCode: string }[] };
  return { id, q: Object.fromEntries(s.questionnaires.map((q) => [q.instrumentCode, q.id])) as Record<string, string> };
}

async function citizen(opts: { substantial?: boolean } = {}): Promise<{ id: string; s: PortalSession }> {
  const email = `research.${++n}@example.invalid`;
  const c = await portalCitizen(as.rk1!, RK1, { email });
  expect((await invite(as.rk1!, c.id)).statusCode).toBe(200);
  const s = await portalLoginAs(t, email, email, address());
  if (opts.substantial !== false) await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
  return { id: c.id, s };
}

const who5 = (v: number) => ({ who5_cheerful: v, who5_calm: v, who5_active: v, who5_rested: v, who5_interest: v });
const answer = (s: PortalSession, id: string, answers: Record<string, number>) => s.request({ method: 'POST', url: `/api/portal/research/${id}/answers`, payload: { answers } });
const list = async (s: PortalSession) => {
  const res = await s.request({ method: 'GET', url: '/api/portal/research' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { studies: { id: string; purpose: string; partnerName: string; questionnaires: { id: string; state: string; questions: unknown[] }[] }[] };
};

beforeAll(async () => {
  t = await testApp();
  for (const u of ['projektleder', 'dpo', 'rk1', 'forsker']) as[u] = await login(t.app, u);
});
afterAll(async () => {
  await t?.close();
});

describe('adding research-only questionnaires to a study', () => {
  it('adds an instrument of the catalogue before approval, pinned to its version, shown on the study and audited', async () => {
    const id = await study();
    const options = await as.projektleder!.request({ method: 'GET', url: `/api/studies/${id}/questionnaire-options` });
    expect(options.statusCode, options.body).toBe(200);
    // Only instruments the citizen answers alone (not the employment-progression instrument with its staff item).
    expect((options.json() as { items: { code: string }[] }).items.map((i) => i.code)).toEqual(['was', 'who5']);
    const res = await post('projektleder', `/api/studies/${id}/questionnaires`, { instrumentCode: 'who5' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as { questionnaires: { instrumentCode: string; instrumentVersion: number; healthData: boolean; addedBy: { id: string }; title: { da: string } }[] };
    expect(s.questionnaires).toEqual([expect.objectContaining({ instrumentCode: 'who5', instrumentVersion: 1, healthData: true, addedBy: { id: userId(10), name: expect.any(String) }, title: expect.objectContaining({ da: 'WHO-5 Trivselsindeks' }) })]);
    expect(((await as.projektleder!.request({ method: 'GET', url: `/api/studies/${id}/questionnaire-options` })).json() as { items: { code: string }[] }).items.map((i) => i.code)).toEqual(['was']);
    expect(issuesOf((await post('projektleder', `/api/studies/${id}/questionnaires`, { instrumentCode: 'who5' })).body)).toEqual(['already_added']);
    const audit = await t.db.owner.selectFrom('audit_log').select(['criteria']).where('resource_id', '=', id).where('action', '=', 'update').where('outcome', '=', 'success').execute();
    expect(audit.map((a) => a.criteria)).toContainEqual({ questionnaireAdded: 'who5' });
  });

  it('refuses health data without §10 (400 naming it), a processor partner, an instrument with a staff item; only the programme manager; not after approval', async () => {
    const without = await study({ legalBasis: ['gdpr_6_1_e'] });
    const health = await post('projektleder', `/api/studies/${without}/questionnaires`, { instrumentCode: 'who5' });
    expect(health.statusCode).toBe(400);
    expect(issuesOf(health.body)).toEqual(['dbl_10_required_for: questionnaire who5']);
    const processor = await study({ partnerRole: 'processor', dpaReference: 'DBA-1' });
    expect(issuesOf((await post('projektleder', `/api/studies/${processor}/questionnaires`, { instrumentCode: 'was' })).body)).toEqual(['controller_partner_required']);
    const id = await study();
    expect(issuesOf((await post('projektleder', `/api/studies/${id}/questionnaires`, { instrumentCode: 'jobprogression' })).body)).toEqual(['unknown_instrument']);
    for (const who of ['rk1', 'forsker', 'dpo']) {
      expect((await post(who, `/api/studies/${id}/questionnaires`, { instrumentCode: 'was' })).statusCode, who).toBe(404);
      expect((await as[who]!.request({ method: 'GET', url: `/api/studies/${id}/questionnaire-options` })).statusCode, who).toBe(404);
    }
    const approved = await approvedStudy(['was']);
    expect((await post('projektleder', `/api/studies/${approved.id}/questionnaires`, { instrumentCode: 'who5' })).statusCode).toBe(409);
  });

  it("the demo study has the Work Ability Score as a research questionnaire", async () => {
    const res = await as.forsker!.request({ method: 'GET', url: `/api/studies/${DEMO_STUDY_ID}` });
    expect((res.json() as { questionnaires: { id: string; instrumentCode: string }[] }).questionnaires).toEqual([expect.objectContaining({ id: DEMO_RESEARCH_QUESTIONNAIRE_ID, instrumentCode: 'was' })]);
  });
});

describe('answering in the portal', () => {
  it('lists the questionnaire with the study purpose and partner; the answer is kept for the study only: no assessment, no alert, no task, nothing of the case changed', async () => {
    const { id: studyId, q } = await approvedStudy(['who5', 'was']);
    const c = await citizen();
    const listed = (await list(c.s)).studies.find((s) => s.id === studyId)!;
    expect(listed).toMatchObject({ purpose: base.purpose, partnerName: 'VIVE' });
    expect(listed.questionnaires.map((x) => [x.id, x.state, x.questions.length])).toEqual([
      [q.who5, 'open', 5],
      [q.was, 'open', 1],
    ]);
    const count = async (table: 'assessments' | 'staff_tasks' | 'assessment_pairs' | 'citizen_events') =>
      Number((await t.db.owner.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('citizen_id', '=', c.id).executeTakeFirstOrThrow()).n);
    const before = { a: await count('assessments'), t: await count('staff_tasks'), p: await count('assessment_pairs'), e: await count('citizen_events') };
    const enrolment = await t.db.owner.selectFrom('enrolments').select(['version', 'updated_at']).where('citizen_id', '=', c.id).executeTakeFirstOrThrow();

    // Very low well-being: in case work this opens the team's alert tasks; here nothing happens.
    const res = await answer(c.s, q.who5!, who5(0));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ id: q.who5, state: 'answered' });
    expect(res.body).not.toMatch(/score|scaled|band|raw/);
    expect({ a: await count('assessments'), t: await count('staff_tasks'), p: await count('assessment_pairs'), e: await count('citizen_events') }).toEqual(before);
    expect(await t.db.owner.selectFrom('enrolments').select(['version', 'updated_at']).where('citizen_id', '=', c.id).executeTakeFirstOrThrow()).toEqual(enrolment);
    const stored = await t.db.owner.selectFrom('study_answers').selectAll().where('citizen_id', '=', c.id).execute();
    expect(stored).toEqual([expect.objectContaining({ study_id: studyId, questionnaire_id: q.who5, status: 'answered', answers: who5(0), raw: 0, scaled: 0 })]);

    // Once per questionnaire: again → 409; the list no longer asks it.
    const again = await answer(c.s, q.who5!, who5(3));
    expect(again.statusCode).toBe(409);
    expect(issuesOf(again.body)).toEqual(['already_answered']);
    expect((await c.s.request({ method: 'POST', url: `/api/portal/research/${q.who5}/decline` })).statusCode).toBe(409);
    const after = (await list(c.s)).studies.find((s) => s.id === studyId)!;
    expect(after.questionnaires.find((x) => x.id === q.who5)).toMatchObject({ state: 'answered', questions: [] });

    // Audited with the citizen as actor, purpose research, without the answer's id or values.
    const audit = await t.db.owner.selectFrom('audit_log').select(['action', 'outcome', 'purpose', 'actor_roles', 'resource_id', 'criteria']).where('citizen_id', '=', c.id).where('resource_type', '=', 'study_questionnaire').orderBy('seq').execute();
    expect(audit.map((a) => [a.action, a.outcome, a.purpose, a.resource_id])).toEqual([
      ['create', 'success', 'research', q.who5],
      ['create', 'failure', 'research', q.who5],
      ['create', 'failure', 'research', q.who5],
    ]);
    expect(JSON.stringify(audit)).not.toContain(stored[0]!.id);
    expect(JSON.stringify(audit)).not.toContain('who5_cheerful');
  });

  it('is invisible on every staff route that shows the citizen’s data', async () => {
    const { q } = await approvedStudy(['who5']);
    const c = await citizen();
    expect((await answer(c.s, q.who5!, { who5_cheerful: 1, who5_calm: 4, who5_active: 1, who5_rested: 4, who5_interest: 1 })).statusCode).toBe(201);
    const row = await t.db.owner.selectFrom('study_answers').select(['id']).where('citizen_id', '=', c.id).executeTakeFirstOrThrow();
    const routes: [string, string][] = [
      ['rk1', `/api/citizens/${c.id}`],
      ['rk1', `/api/citizens/${c.id}/assessments`],
      ['rk1', `/api/citizens/${c.id}/plan`],
      ['rk1', `/api/citizens/${c.id}/timeline`],
      ['rk1', `/api/citizens/${c.id}/staff-tasks`],
      ['rk1', '/api/me/day'],
      ['projektleder', `/api/programmes/${PROGRAMME.paaVej}/progression`],
      ['projektleder', `/api/programmes/${PROGRAMME.paaVej}/dashboard`],
      ['dpo', `/api/audit?citizenId=${c.id}&limit=200`],
    ];
    for (const [who, url] of routes) {
      const res = await as[who]!.request({ method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBeLessThan(300);
      expect(res.body, url).not.toContain(row.id);
      expect(res.body, url).not.toMatch(/who5_cheerful|who5_calm/);
    }
    const assessments = (await as.rk1!.request({ method: 'GET', url: `/api/citizens/${c.id}/assessments` })).json() as { items: unknown[] };
    expect(assessments.items).toEqual([]);
    // The citizen's own portal views of case data do not show it either.
    for (const url of ['/api/portal/questionnaires/history', '/api/portal/questionnaires/progression']) {
      const res = await c.s.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain(row.id);
      expect(res.body, url).not.toMatch(/who5/);
    }
  });

  it('no thanks is recorded and not asked again; answers can be deleted (kept as withdrawn, out of the export)', async () => {
    const { id: studyId, q } = await approvedStudy(['who5', 'was']);
    const c = await citizen();
    const declined = await c.s.request({ method: 'POST', url: `/api/portal/research/${q.was}/decline` });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ state: 'declined' });
    expect((await c.s.request({ method: 'POST', url: `/api/portal/research/${q.was}/decline` })).statusCode).toBe(200);
    const answerAfter = await answer(c.s, q.was!, { was_score: 5 });
    expect(issuesOf(answerAfter.body)).toEqual(['already_declined']);
    expect((await c.s.request({ method: 'DELETE', url: `/api/portal/research/${q.was}/answers` })).statusCode).toBe(409);

    expect((await answer(c.s, q.who5!, who5(4))).statusCode).toBe(201);
    const other = await citizen();
    expect((await answer(other.s, q.who5!, who5(2))).statusCode).toBe(201);
    const deleted = await c.s.request({ method: 'DELETE', url: `/api/portal/research/${q.who5}/answers` });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(deleted.json()).toMatchObject({ state: 'withdrawn', answeredAt: null });
    expect((await c.s.request({ method: 'DELETE', url: `/api/portal/research/${q.who5}/answers` })).statusCode).toBe(200);
    const row = await t.db.owner.selectFrom('study_answers').select(['status', 'answers', 'raw', 'scaled']).where('citizen_id', '=', c.id).where('questionnaire_id', '=', q.who5!).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'withdrawn', answers: null, raw: null, scaled: null });
    expect((await answer(c.s, q.who5!, who5(4))).statusCode).toBe(409);
    // Another citizen's answers cannot be deleted (404: no answers of mine).
    const third = await citizen();
    expect((await third.s.request({ method: 'DELETE', url: `/api/portal/research/${q.who5}/answers` })).statusCode).toBe(404);

    // The export reads only the answers given and not deleted.
    const batches: { citizenId: string; instrument: string; items: Record<string, number>; score: unknown }[][] = [];
    for await (const batch of studyAnswerBatches(t.db.kysely, studyId, 1)) batches.push(batch);
    expect(batches.flat()).toEqual([expect.objectContaining({ citizenId: other.id, instrument: 'who5', instrumentVersion: 1, items: who5(2), score: { raw: 10, scaled: 40 } })]);
  });

  it('reads in keyset batches for the export', async () => {
    const { id: studyId, q } = await approvedStudy(['was']);
    const ids: string[] = [];
    for (const v of [3, 7, 9]) {
      const c = await citizen();
      ids.push(c.id);
      expect((await answer(c.s, q.was!, { was_score: v })).statusCode).toBe(201);
    }
    const sizes: number[] = [];
    const seen: string[] = [];
    for await (const batch of studyAnswerBatches(t.db.kysely, studyId, 2)) {
      sizes.push(batch.length);
      seen.push(...batch.map((r) => r.citizenId));
      for (const r of batch) expect(r.answeredAt).toBeInstanceOf(Date);
    }
    expect(sizes).toEqual([2, 1]);
    expect(seen.sort()).toEqual(ids.sort());
  });
});

describe('who is asked', () => {
  it('a code login (level "low") gets 403, audited', async () => {
    const { q } = await approvedStudy(['was']);
    const c = await citizen({ substantial: false });
    expect((await c.s.request({ method: 'GET', url: '/api/portal/research' })).statusCode).toBe(403);
    expect((await answer(c.s, q.was!, { was_score: 5 })).statusCode).toBe(403);
    const denied = await t.db.owner.selectFrom('audit_log').select(['criteria']).where('citizen_id', '=', c.id).where('outcome', '=', 'denied').execute();
    expect(denied.map((d) => (d.criteria as { reason: string }).reason)).toEqual(['assurance_too_low', 'assurance_too_low']);
  });

  it('a citizen not in the programme, a study not approved or not running: not listed, and 404 audited', async () => {
    const { id: studyId, q } = await approvedStudy(['was']);
    const outside = await citizen();
    await t.db.owner.updateTable('enrolments').set({ programme_id: PROGRAMME.fremskudt }).where('citizen_id', '=', outside.id).execute();
    expect((await list(outside.s)).studies.map((s) => s.id)).not.toContain(studyId);
    expect((await answer(outside.s, q.was!, { was_score: 5 })).statusCode).toBe(404);
    const refusal = await t.db.owner.selectFrom('audit_log').select(['action', 'outcome', 'criteria']).where('citizen_id', '=', outside.id).where('resource_type', '=', 'study_questionnaire').execute();
    expect(refusal).toEqual([{ action: 'create', outcome: 'denied', criteria: { questionnaireId: q.was, reason: 'unknown_questionnaire' } }]);

    const c = await citizen();
    // Awaiting approval.
    const awaiting = await study();
    const added = (await post('projektleder', `/api/studies/${awaiting}/questionnaires`, { instrumentCode: 'was' })).json() as { questionnaires: { id: string }[] };
    expect((await answer(c.s, added.questionnaires[0]!.id, { was_score: 5 })).statusCode).toBe(404);
    // Ended.
    const ended = await approvedStudy(['was'], { startsOn: addDays(today, -400), endsOn: addDays(today, -1) });
    expect((await list(c.s)).studies.map((s) => s.id)).not.toContain(ended.id);
    expect((await answer(c.s, ended.q.was!, { was_score: 5 })).statusCode).toBe(404);
    // An answer out of range is refused (400) and nothing is stored.
    expect((await answer(c.s, q.was!, { was_score: 11 })).statusCode).toBe(400);
    expect(await t.db.owner.selectFrom('study_answers').select('id').where('citizen_id', '=', c.id).execute()).toEqual([]);
  });

  it('in the demo, Amina (42) has the Work Ability Score to answer and Emil (41) has answered it', async () => {
    const open = await t.db.owner.selectFrom('study_answers').select('status').where('citizen_id', '=', citizenId(DEMO_RESEARCH_OPEN_CITIZEN)).execute();
    expect(open).toEqual([]);
    const enrolled = await t.db.owner.selectFrom('enrolments').select('status').where('citizen_id', '=', citizenId(DEMO_RESEARCH_OPEN_CITIZEN)).where('programme_id', '=', PROGRAMME.paaVej).execute();
    expect(enrolled.map((e) => e.status)).toContain('active');
    const answered = await t.db.owner.selectFrom('study_answers').select(['status', 'questionnaire_id']).where('citizen_id', '=', citizenId(DEMO_RESEARCH_ANSWERED_CITIZEN)).execute();
    expect(answered).toEqual([{ status: 'answered', questionnaire_id: DEMO_RESEARCH_QUESTIONNAIRE_ID }]);
  });
});
