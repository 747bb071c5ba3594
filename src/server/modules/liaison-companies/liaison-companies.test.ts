// Company meetings the liaison attends, on both engines: a consent may name a company (sdl_43, workplace
// categories only); an item of what the company was told is refused with 409 and a denied audit row for each
// gap (no consent, another company, withdrawn, another category), accepted under a consent naming the company
// (the region's record of the oral disclosure and a journal task); a diagnosis is refused 400 naming it;
// municipal staff never reach the meetings (audited 404).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { insertConsent, insertPair, type Pair } from '../disclosures/test-support.ts';
import { diagnosisIn } from './diagnosis.ts';

let t: TestContext;
let liaison: Session;
let nordfyn: Session;
const LIAISON = userId(13);
const today = dateInCopenhagen();
const CVR = '11234569';
const OTHER_CVR = '12469136';

/** An sdl_43 consent from the region naming a company, inserted as a row (the consents route is tested below). */
async function companyConsent(pair: Pair, over: { cvr?: string; categories?: string[]; withdrawnOn?: string } = {}) {
  const id = await insertConsent(t.db.owner, pair, { categories: over.categories ?? ['work_considerations', 'support_needs'], withdrawnOn: over.withdrawnOn });
  await t.db.owner
    .updateTable('consents')
    .set({ recipient_organisation_id: null, recipient_company_cvr: over.cvr ?? CVR, recipient_company_name: 'Fiktiv Maskinfabrik ApS', recipient_roles: ['company'] })
    .where('id', '=', id)
    .execute();
  return id;
}

async function meeting(cvr = CVR) {
  const res = await liaison.request({
    method: 'POST',
    url: '/api/liaison/company-meetings',
    payload: { programmeId: PROGRAMME.fremskudt, companyCvr: cvr, companyName: 'Fiktiv Maskinfabrik ApS', heldOn: today, attendees: 'Liaison, HR-partner, nærmeste leder', purpose: 'Opstart af praktik' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; company: { cvr: string }; items: unknown[] };
}

const tell = (s: Session, meetingId: string, citizenId: string, over: Record<string, unknown> = {}) =>
  s.request({ method: 'POST', url: `/api/liaison/company-meetings/${meetingId}/items`, payload: { citizenId, categories: ['work_considerations'], told: 'Har brug for korte pauser og faste arbejdstider.', ...over } });

const deniedItemRows = (citizenId: string) =>
  t.db.owner.selectFrom('audit_log').selectAll().where('resource_type', '=', 'company_disclosure').where('outcome', '=', 'denied').where('citizen_id', '=', citizenId).execute();

beforeAll(async () => {
  t = await testApp();
  [liaison, nordfyn] = (await Promise.all(['liaison', 'nordfyn'].map((u) => login(t.app, u)))) as [Session, Session];
});
afterAll(async () => {
  await t.close();
});

describe('a consent naming a company', () => {
  const sitting = (pair: Pair, item: Record<string, unknown>) => ({
    givenOn: today,
    validFrom: today,
    validTo: addDays(today, 180),
    givenBy: 'citizen',
    givenHow: 'written',
    copyGiven: true,
    items: [{ instrument: 'sdl_43', categories: ['work_considerations'], sourceOrganisationId: ORG.paOdense, recipientCompany: { cvr: CVR, name: 'Fiktiv Maskinfabrik ApS' }, purpose: 'Praktik i virksomheden', programmeId: PROGRAMME.fremskudt, ...item }],
  });
  const record = (pair: Pair, item: Record<string, unknown>) => liaison.request({ method: 'POST', url: `/api/citizens/${pair.regionId}/consents`, payload: sitting(pair, item) });
  const issues = (body: string) => ((JSON.parse(body) as { issues?: { path: string; message: string }[] }).issues ?? []).map((i) => `${i.path}:${i.message}`);

  it('is recorded on the region’s record for sdl_43 and shown with the company’s name and CVR', async () => {
    const pair = await insertPair(t.db.owner);
    const res = await record(pair, {});
    expect(res.statusCode, res.body).toBe(201);
    const { ids, tasks } = res.json() as { ids: string[]; tasks: { kind: string; organisationId: string }[] };
    expect(tasks).toEqual([expect.objectContaining({ kind: 'journal_consent', organisationId: ORG.paOdense })]);
    const list = await liaison.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/consents` });
    const shown = (list.json() as { items: { id: string; recipient: unknown; recipientCompany: unknown }[] }).items.find((c) => c.id === ids[0]);
    expect(shown).toMatchObject({ recipient: null, recipientCompany: { cvr: CVR, name: 'Fiktiv Maskinfabrik ApS' } });
    // Withdrawing it tells no organisation (a company is none) and leaves the journal task.
    const withdrawn = await liaison.request({ method: 'POST', url: `/api/consents/${ids[0]}/withdraw`, payload: { withdrawnOn: today, how: 'written' } });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect((withdrawn.json() as { tasks: { kind: string }[] }).tasks.map((x) => x.kind)).toEqual(['journal_withdrawal']);
  });

  it('refuses a category a workplace may not hear, naming it, and the other wrong shapes', async () => {
    const pair = await insertPair(t.db.owner);
    for (const category of ['treatment_summary', 'work_medication', 'crisis_plan', 'treatment_attendance', 'progression_measurements']) {
      const res = await record(pair, { categories: ['work_considerations', category] });
      expect(res.statusCode).toBe(400);
      expect(issues(res.body)).toEqual([`items.0.categories:not_for_company:${category}`]);
      expect(res.body).toContain(category);
    }
    expect(issues((await record(pair, { recipientCompany: { cvr: '12345678', name: 'X' } })).body)).toEqual(['items.0.recipientCompany.cvr:invalid_cvr']);
    expect(issues((await record(pair, { recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'] })).body)).toEqual(['items.0.recipientCompany:two_recipients']);
    expect(issues((await record(pair, { recipientCompany: null })).body)).toEqual(['items.0.recipientOrganisationId:blanket_consent']);
    expect(issues((await record(pair, { instrument: 'rsl_11a', caseReference: 'Sag 1' })).body)).toEqual(['items.0.recipientCompany:company_only_sdl_43']);
    // An organisation recipient still needs its roles.
    expect(issues((await record(pair, { recipientCompany: null, recipientOrganisationId: ORG.nordfyn })).body)).toEqual(['items.0.recipientRoles:required']);
  });
});

describe('what a company was told, per patient', () => {
  it('refuses without a covering consent — 409 naming the gap, with a denied audit row', async () => {
    const m = await meeting();
    const cases: [string, (pair: Pair) => Promise<unknown>, string][] = [
      ['no consent', async () => undefined, 'no_consent'],
      ['a consent naming another company', (pair) => companyConsent(pair, { cvr: OTHER_CVR }), 'other_recipient'],
      ['a consent naming the municipality', (pair) => insertConsent(t.db.owner, pair), 'other_recipient'],
      ['a withdrawn consent', (pair) => companyConsent(pair, { withdrawnOn: addDays(today, -1) }), 'withdrawn'],
      ['a consent for another category', (pair) => companyConsent(pair, { categories: ['support_needs'] }), 'other_category'],
    ];
    for (const [, arrange, reason] of cases) {
      const pair = await insertPair(t.db.owner);
      await arrange(pair);
      const res = await tell(liaison, m.id, pair.regionId);
      expect(res.statusCode, `${reason}: ${res.body}`).toBe(409);
      const body = res.json() as { error: string; gaps: { instrument: string; category: string; role: string; reason: string }[] };
      expect(body.error).toBe('not_covered');
      expect(body.gaps).toEqual([expect.objectContaining({ instrument: 'sdl_43', category: 'work_considerations', role: 'company', reason })]);
      const denied = await deniedItemRows(pair.regionId);
      expect(denied).toHaveLength(1);
      expect(denied[0]!.organisation_id).toBe(ORG.paOdense);
      expect(JSON.stringify(denied[0]!.criteria)).toContain(reason);
    }
    const items = await t.db.owner.selectFrom('liaison_company_meeting_items').select('id').where('meeting_id', '=', m.id).execute();
    expect(items).toEqual([]);
  });

  it('records the oral disclosure under a consent naming the company and leaves the journal task', async () => {
    const pair = await insertPair(t.db.owner);
    const consentId = await companyConsent(pair);
    const m = await meeting();
    const res = await tell(liaison, m.id, pair.regionId, { categories: ['work_considerations', 'support_needs'] });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json() as { id: string; consentIds: string[]; channel: string; decidedBy: { id: string } };
    expect(item).toMatchObject({ consentIds: [consentId], channel: 'meeting', decidedBy: { id: LIAISON } });
    const stored = await t.db.owner.selectFrom('liaison_company_meeting_items').selectAll().where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ organisation_id: ORG.paOdense, citizen_id: pair.regionId, consent_ids: [consentId], decided_by: LIAISON, channel: 'meeting' });
    const task = await t.db.owner.selectFrom('crossing_tasks').selectAll().where('company_meeting_item_id', '=', item.id).executeTakeFirstOrThrow();
    expect(task).toMatchObject({ organisation_id: ORG.paOdense, citizen_id: pair.regionId, kind: 'journal_oral_disclosure', status: 'open' });
    const audit = await t.db.owner.selectFrom('audit_log').selectAll().where('resource_type', '=', 'company_disclosure').where('resource_id', '=', item.id).execute();
    expect(audit.map((a) => a.outcome)).toEqual(['success']);

    // The meeting shows it; the region's record of the patient lists what companies were told.
    const detail = await liaison.request({ method: 'GET', url: `/api/liaison/company-meetings/${m.id}` });
    expect((detail.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([item.id]);
    const told = await liaison.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/company-disclosures` });
    expect(told.statusCode).toBe(200);
    expect((told.json() as { items: { id: string; company: { cvr: string } }[] }).items).toEqual([expect.objectContaining({ id: item.id, company: { cvr: CVR, name: 'Fiktiv Maskinfabrik ApS' } })]);

    // Withdrawn, the next item is refused.
    await t.db.owner.updateTable('consents').set({ withdrawn_at: new Date(), withdrawn_on: today, withdrawn_how: 'written' }).where('id', '=', consentId).execute();
    expect((await tell(liaison, m.id, pair.regionId)).statusCode).toBe(409);
  });

  it('refuses a diagnosis in what was told, naming it, before anything is saved', async () => {
    const pair = await insertPair(t.db.owner);
    await companyConsent(pair);
    const m = await meeting();
    for (const [text, word] of [
      ['Hun har skizofreni og brug for pauser.', 'skizofreni'],
      ['Diagnosen er F32.1, så korte dage.', 'F32.1'],
      ['Han har ADHD og brug for ro.', 'ADHD'],
      ['Recovering from a psychosis.', 'psychosis'],
    ]) {
      const res = await tell(liaison, m.id, pair.regionId, { told: text });
      expect(res.statusCode, text).toBe(400);
      const body = res.json() as { message: string; issues: { path: string; message: string }[] };
      expect(body.issues).toEqual([{ path: 'told', message: `diagnosis:${word}` }]);
      expect(body.message).toContain(word);
    }
    expect(await t.db.owner.selectFrom('liaison_company_meeting_items').select('id').where('meeting_id', '=', m.id).execute()).toEqual([]);
  });

  it('checks the meeting’s own facts: a valid CVR, not in the future', async () => {
    const bad = await liaison.request({ method: 'POST', url: '/api/liaison/company-meetings', payload: { programmeId: PROGRAMME.fremskudt, companyCvr: '12345678', companyName: 'X', heldOn: today, attendees: 'a', purpose: 'b' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('companyCvr');
    const future = await liaison.request({ method: 'POST', url: '/api/liaison/company-meetings', payload: { programmeId: PROGRAMME.fremskudt, companyCvr: CVR, companyName: 'X', heldOn: addDays(today, 2), attendees: 'a', purpose: 'b' } });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('heldOn');
  });

  it('lists the region’s meetings latest first with a keyset', async () => {
    await meeting();
    await meeting();
    const first = await liaison.request({ method: 'GET', url: '/api/liaison/company-meetings?limit=1' });
    expect(first.statusCode).toBe(200);
    const page = first.json() as { items: { id: string }[]; nextCursor: string | null };
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const second = await liaison.request({ method: 'GET', url: `/api/liaison/company-meetings?limit=1&cursor=${page.nextCursor}` });
    expect((second.json() as { items: { id: string }[] }).items[0]!.id).not.toBe(page.items[0]!.id);
  });
});

describe('municipal staff', () => {
  it('never reach the meetings nor the region’s record of what was told (audited 404)', async () => {
    const m = await meeting();
    const pair = await insertPair(t.db.owner);
    const attempts = [
      nordfyn.request({ method: 'GET', url: '/api/liaison/company-meetings' }),
      nordfyn.request({ method: 'GET', url: `/api/liaison/company-meetings/${m.id}` }),
      tell(nordfyn, m.id, pair.regionId),
      nordfyn.request({ method: 'POST', url: '/api/liaison/company-meetings', payload: { programmeId: PROGRAMME.fremskudt, companyCvr: CVR, companyName: 'X', heldOn: today, attendees: 'a', purpose: 'b' } }),
      nordfyn.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/company-disclosures` }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.statusCode, res.body).toBe(404);
    const denied = await t.db.owner.selectFrom('audit_log').select(['resource_type', 'outcome']).where('actor_user_id', '=', userId(15)).where('outcome', '=', 'denied').where('resource_type', 'in', ['company_meeting', 'citizen']).execute();
    expect(denied.filter((r) => r.resource_type === 'company_meeting').length).toBeGreaterThanOrEqual(4);
  });
});

describe('the diagnosis check', () => {
  it('lets plain words about needs at work through', () => {
    expect(diagnosisIn('Har brug for korte pauser, faste opgaver og en rolig plads. Fri til samtaler tirsdag.')).toBeNull();
    expect(diagnosisIn('Needs a quiet desk and written instructions; addresses issues early.')).toBeNull();
    expect(diagnosisIn('Depressionen fylder mindre nu')).toBe('Depressionen');
    expect(diagnosisIn('f20 ')).toBe('f20');
  });
});
