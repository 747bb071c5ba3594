// Studies (research agreements) on both engines: the codebook holds no direct identifier and takes its code
// labels from the database; a study is recorded complete or refused with 400 naming what is wrong (region data,
// a variable not in the codebook, health data without databeskyttelsesloven §10, a processor without an agreement);
// approval waits for the own dpo's advice, the Data Protection Agency's permission where the §10 stk. 3 checklist
// needs it and a named researcher (409 naming each, audited); a researcher sees only the studies naming them; the
// steering group and case staff get 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STUDY_ID } from '../../demo/demo-studies.ts';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
const as: Record<string, Session> = {};
const FORSKER = userId(12);

const base = {
  programmeId: PROGRAMME.paaVej,
  title: 'Effekt af På vej til arbejde',
  partnerName: 'VIVE',
  partnerRole: 'controller',
  legalBasis: ['gdpr_6_1_e'],
  checklist: { thirdCountry: false, biologicalMaterial: false, journalPublication: false },
  purpose: 'At måle effekten på tilknytningen til arbejdsmarkedet.',
  startsOn: '2026-01-01',
  endsOn: '2027-12-31',
  variables: ['enrolments.pseudonym', 'enrolments.birth_year', 'status_weeks.benefit'],
  datePrecision: 'month',
  dpiaReference: 'DPIA-2026-07',
  organisationIds: [ORG.naestved],
};

const create = (over: Record<string, unknown> = {}, who = 'projektleder') => as[who]!.request({ method: 'POST', url: '/api/studies', payload: { ...base, ...over } });
async function study(over: Record<string, unknown> = {}) {
  const res = await create(over);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string };
}
const post = (who: string, url: string, payload?: Record<string, unknown>) => as[who]!.request({ method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
const get = (who: string, url: string) => as[who]!.request({ method: 'GET', url });
const issuesOf = (body: string) => ((JSON.parse(body) as { issues?: { path: string; message: string }[] }).issues ?? []).map((i) => i.message);

beforeAll(async () => {
  t = await testApp();
  for (const u of ['projektleder', 'dpo', 'regionsdpo', 'forsker', 'styregruppe', 'rk1', 'liaison']) as[u] = await login(t.app, u);
});
afterAll(async () => {
  await t?.close();
});

describe('the codebook', () => {
  it('lists the variables per file with labels in both languages, codes from the database, and no direct identifier', async () => {
    const res = await as.forsker!.request({ method: 'GET', url: '/api/research/codebook' });
    expect(res.statusCode, res.body).toBe(200);
    const book = res.json() as { files: { name: string }[]; variables: { name: string; file: string; type: string; sensitive: boolean; codes: { code: string; label: { da: string; en: string } }[] }[] };
    expect(book.files.map((f) => f.name)).toEqual(['enrolments', 'activities', 'assessments', 'status_weeks']);
    for (const file of book.files) expect(book.variables.filter((v) => v.file === file.name).map((v) => v.name)).toContain(`${file.name}.pseudonym`);
    expect(book.variables.filter((v) => /name|cpr|address|email|phone|birth_date|note|text/i.test(v.name))).toEqual([]);
    const benefit = book.variables.find((v) => v.name === 'status_weeks.benefit')!;
    expect(benefit.codes).toContainEqual({ code: 'kontanthjaelp', label: { da: 'Kontanthjælp', en: 'Social assistance' } });
    expect(book.variables.filter((v) => v.sensitive).every((v) => v.file === 'assessments')).toBe(true);
    expect(book.variables.some((v) => v.sensitive)).toBe(true);
  });

  it('needs a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/research/codebook' })).statusCode).toBe(401);
  });
});

describe('recording a study', () => {
  it('records a complete study awaiting approval, with its organisation, and audits it', async () => {
    const res = await create();
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json() as { id: string; status: string; permissionNeeded: boolean; organisations: { id: string; dpoAdvice: string | null; approvedAt: string | null }[]; researchers: unknown[]; variables: string[] };
    expect(s.status).toBe('awaiting_approval');
    expect(s.permissionNeeded).toBe(false);
    expect(s.organisations).toEqual([expect.objectContaining({ id: ORG.naestved, dpoAdvice: null, approvedAt: null })]);
    expect(s.researchers).toEqual([]);
    expect(s.variables).toEqual(['enrolments.birth_year', 'enrolments.pseudonym', 'status_weeks.benefit']);
    const audit = await t.db.owner.selectFrom('audit_log').select(['action', 'outcome', 'purpose']).where('resource_type', '=', 'study').where('resource_id', '=', s.id).execute();
    expect(audit).toEqual([{ action: 'create', outcome: 'success', purpose: 'research' }]);
  });

  it('refuses region data, organisations outside the programme, variables not in the codebook, health data without §10 and a processor without an agreement', async () => {
    const region = await create({ organisationIds: [ORG.naestved, ORG.regionSjaelland] });
    expect(region.statusCode, region.body).toBe(400);
    expect(issuesOf(region.body)).toEqual(['region_data_excluded']);
    const outside = await create({ organisationIds: [ORG.naestved, ORG.nordfyn] });
    expect(issuesOf(outside.body)).toEqual(['not_in_programme']);
    const unknown = await create({ variables: ['enrolments.first_name'] });
    expect(unknown.statusCode).toBe(400);
    expect(issuesOf(unknown.body)).toEqual(['not_in_codebook: enrolments.first_name']);
    const health = await create({ variables: ['assessments.pseudonym', 'assessments.scaled_score'] });
    expect(issuesOf(health.body)).toEqual(['dbl_10_required_for: assessments.scaled_score']);
    const withBasis = await create({ variables: ['assessments.pseudonym', 'assessments.scaled_score'], legalBasis: ['gdpr_6_1_e', 'dbl_10'] });
    expect(withBasis.statusCode, withBasis.body).toBe(201);
    const processor = await create({ partnerRole: 'processor' });
    expect(issuesOf(processor.body)).toEqual(['required_for_processor']);
    const backwards = await create({ startsOn: '2027-01-01', endsOn: '2026-01-01' });
    expect(issuesOf(backwards.body)).toEqual(['before_start']);
    const notOwn = await create({ organisationIds: [ORG.regionSjaelland] });
    expect(issuesOf(notOwn.body)).toContain('own_organisation_required');
  });

  it('is for a programme manager only: others get 404 and a denied audit row', async () => {
    for (const who of ['rk1', 'styregruppe', 'forsker', 'dpo', 'liaison']) {
      const res = await create({}, who);
      expect(res.statusCode, `${who}: ${res.body}`).toBe(404);
    }
    const denied = await t.db.owner.selectFrom('audit_log').select(['actor_user_id']).where('resource_type', '=', 'study').where('action', '=', 'create').where('outcome', '=', 'denied').execute();
    expect(denied.map((d) => d.actor_user_id)).toEqual(expect.arrayContaining([userId(4), userId(11), FORSKER, userId(2), userId(13)]));
  });
});

describe('advice, researchers and approval', () => {
  it('approves only after the dpo advice and a named researcher; 409 names what is missing and is audited', async () => {
    const s = await study();
    const early = await post('projektleder', `/api/studies/${s.id}/approve`);
    expect(early.statusCode, early.body).toBe(409);
    expect(issuesOf(early.body)).toEqual(['dpo_advice_missing', 'no_researcher']);
    const refusal = await t.db.owner.selectFrom('audit_log').select(['criteria']).where('resource_id', '=', s.id).where('action', '=', 'update').where('outcome', '=', 'denied').execute();
    expect(refusal).toHaveLength(1);
    expect(refusal[0]!.criteria).toMatchObject({ step: 'approval', missing: ['dpo_advice_missing', 'no_researcher'] });

    const options = await get('projektleder', `/api/studies/${s.id}/researcher-options`);
    expect(options.statusCode, options.body).toBe(200);
    expect(options.json()).toEqual({ items: [{ id: FORSKER, name: 'Ida Bech' }] });
    // Only the recording organisation's programme manager chooses; a researcher not named, or the dpo, gets 404,
    // audited as a refusal.
    expect((await get('forsker', `/api/studies/${s.id}/researcher-options`)).statusCode).toBe(404);
    expect((await get('dpo', `/api/studies/${s.id}/researcher-options`)).statusCode).toBe(404);
    const refusedOptions = await t.db.owner.selectFrom('audit_log').select(['actor_user_id']).where('resource_id', '=', s.id).where('action', '=', 'read').where('outcome', '=', 'denied').execute();
    expect(refusedOptions.map((r) => r.actor_user_id).sort()).toEqual([FORSKER, userId(2)].sort());
    const notResearcher = await post('projektleder', `/api/studies/${s.id}/researchers`, { userId: userId(4) });
    expect(issuesOf(notResearcher.body)).toEqual(['not_a_researcher_of_the_programme']);
    const named = await post('projektleder', `/api/studies/${s.id}/researchers`, { userId: FORSKER });
    expect(named.statusCode, named.body).toBe(200);
    expect((named.json() as { researchers: { id: string; name: string }[] }).researchers).toEqual([{ id: FORSKER, name: 'Ida Bech' }]);
    // Once named, a researcher is no longer offered.
    expect((await get('projektleder', `/api/studies/${s.id}/researcher-options`)).json()).toEqual({ items: [] });

    const advice = await post('dpo', `/api/studies/${s.id}/dpo-advice`, { advice: 'Datasættet er pseudonymiseret; k ≥ 5 på baggrundsvariable. Anbefales.' });
    expect(advice.statusCode, advice.body).toBe(200);
    expect((advice.json() as { organisations: { dpoAdvisedBy: { id: string } | null }[] }).organisations[0]!.dpoAdvisedBy?.id).toBe(userId(2));

    const approved = await post('projektleder', `/api/studies/${s.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    const body = approved.json() as { status: string; approvedAt: string | null; organisations: { approvedBy: { id: string } | null }[] };
    expect(body.status).toBe('approved');
    expect(body.approvedAt).not.toBeNull();
    expect(body.organisations[0]!.approvedBy?.id).toBe(userId(10));

    // Approved is final: no more researchers, no second approval, no advice after it.
    expect((await post('projektleder', `/api/studies/${s.id}/researchers`, { userId: FORSKER })).statusCode).toBe(409);
    expect(issuesOf((await post('projektleder', `/api/studies/${s.id}/approve`)).body)).toEqual(['already_approved']);
    expect((await post('dpo', `/api/studies/${s.id}/dpo-advice`, { advice: 'Igen.' })).statusCode).toBe(409);
  });

  it("needs the Data Protection Agency's permission when the §10 stk. 3 checklist says so", async () => {
    const s = await study({ checklist: { thirdCountry: true, biologicalMaterial: false, journalPublication: false } });
    await post('projektleder', `/api/studies/${s.id}/researchers`, { userId: FORSKER });
    await post('dpo', `/api/studies/${s.id}/dpo-advice`, { advice: 'Overførsel til tredjeland kræver tilladelse.' });
    const refused = await post('projektleder', `/api/studies/${s.id}/approve`);
    expect(refused.statusCode).toBe(409);
    expect(issuesOf(refused.body)).toEqual(['permission_missing']);
    const withPermission = await study({ checklist: { thirdCountry: true, biologicalMaterial: false, journalPublication: false }, permissionReference: 'Datatilsynet 2026-41-0001' });
    await post('projektleder', `/api/studies/${withPermission.id}/researchers`, { userId: FORSKER });
    await post('dpo', `/api/studies/${withPermission.id}/dpo-advice`, { advice: 'Tilladelsen foreligger.' });
    expect((await post('projektleder', `/api/studies/${withPermission.id}/approve`)).statusCode).toBe(200);
  });

  it("the dpo advises for their own organisation only: another organisation's dpo gets 404", async () => {
    const s = await study();
    expect((await post('regionsdpo', `/api/studies/${s.id}/dpo-advice`, { advice: 'Nej.' })).statusCode).toBe(404);
    expect((await post('styregruppe', `/api/studies/${s.id}/approve`)).statusCode).toBe(404);
    expect((await post('forsker', `/api/studies/${s.id}/approve`)).statusCode).toBe(404);
  });
});

describe('the demo study', () => {
  it("is VIVE's approved effect study, advised on by the dpo, with forsker named and only codebook variables", async () => {
    const res = await as.forsker!.request({ method: 'GET', url: `/api/studies/${DEMO_STUDY_ID}` });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as { status: string; partnerName: string; legalBasis: string[]; variables: string[]; researchers: { id: string }[]; organisations: { dpoAdvice: string | null; approvedAt: string | null }[] };
    expect(s.status).toBe('approved');
    expect(s.partnerName).toMatch(/^VIVE/);
    expect(s.researchers.map((r) => r.id)).toEqual([FORSKER]);
    expect(s.organisations.every((o) => o.dpoAdvice !== null && o.approvedAt !== null)).toBe(true);
    const book = (await as.forsker!.request({ method: 'GET', url: '/api/research/codebook' })).json() as { variables: { name: string; sensitive: boolean }[] };
    const names = new Set(book.variables.map((v) => v.name));
    expect(s.variables.filter((v) => !names.has(v))).toEqual([]);
    // Health data among the variables, so databeskyttelsesloven §10 is among the bases.
    expect(s.variables.some((v) => book.variables.find((b) => b.name === v)!.sensitive)).toBe(true);
    expect(s.legalBasis).toContain('dbl_10');
  });
});

describe('who sees a study', () => {
  it('a researcher sees only the studies naming them; the steering group and case staff see none', async () => {
    const s = await study({ title: 'Kun for navngivne forskere' });
    const before = await as.forsker!.request({ method: 'GET', url: '/api/studies?limit=50' });
    expect(before.statusCode, before.body).toBe(200);
    expect((before.json() as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(s.id);
    expect((await as.forsker!.request({ method: 'GET', url: `/api/studies/${s.id}` })).statusCode).toBe(404);

    await post('projektleder', `/api/studies/${s.id}/researchers`, { userId: FORSKER });
    const after = await as.forsker!.request({ method: 'GET', url: '/api/studies?limit=50' });
    expect((after.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(s.id);
    const detail = await as.forsker!.request({ method: 'GET', url: `/api/studies/${s.id}` });
    expect(detail.statusCode, detail.body).toBe(200);

    for (const who of ['styregruppe', 'rk1', 'regionsdpo']) {
      expect((await as[who]!.request({ method: 'GET', url: `/api/studies/${s.id}` })).statusCode, who).toBe(404);
    }
    expect((await as.styregruppe!.request({ method: 'GET', url: '/api/studies' })).statusCode).toBe(404);
    const dpoList = await as.dpo!.request({ method: 'GET', url: '/api/studies?limit=50' });
    expect((dpoList.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(s.id);
  });

  it('pages newest first with a cursor', async () => {
    const ids = [(await study({ title: 'Side 1' })).id, (await study({ title: 'Side 2' })).id, (await study({ title: 'Side 3' })).id];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await as.projektleder!.request({ method: 'GET', url: `/api/studies?limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: { id: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.indexOf(ids[2]!)).toBeLessThan(seen.indexOf(ids[1]!));
    expect(seen.indexOf(ids[1]!)).toBeLessThan(seen.indexOf(ids[0]!));
  });
});
