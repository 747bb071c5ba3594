// Consents and shared access, on both engines: one sitting (the combined pair, fvl_28), the blanket and oral
// rules, the caps, replacement, withdrawal with its journal task and notice, the tasks and the expiring list;
// shared access allowed only while a valid fvl_28 consent covers it, refused for each gap with an audit row on
// the municipality's side, and ended by a withdrawal between two requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, PROGRAMME } from '../../demo/ids.ts';
import { regionCitizenId } from '../../demo/demo-crossing.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { clearConsentsOf, NORDFYN, sharedPerson } from './consents.fixtures.ts';
import { addMonths } from './consents.service.ts';

let t: TestContext;
let liaison: Session;
let nordfyn: Session;
let behandler: Session;
const today = dateInCopenhagen();

/** The person the tests work on: the region's record and the municipality's, consents of the demo removed. */
let regionId: string;
let municipalId: string;
let personHash: string;

async function clearConsents() {
  await clearConsentsOf(t, personHash);
}

beforeAll(async () => {
  t = await testApp();
  liaison = await login(t.app, 'liaison');
  nordfyn = await login(t.app, 'nordfyn');
  behandler = await login(t.app, 'behandler');
  ({ regionId, municipalId, personHash } = await sharedPerson(t, 1));
  await clearConsents();
});
afterAll(async () => {
  await t.close();
});

const combined = (over: Record<string, unknown> = {}, item: Record<string, unknown> = {}) => ({
  givenOn: today,
  validFrom: today,
  validTo: addDays(today, 180),
  givenBy: 'citizen',
  givenHow: 'written',
  copyGiven: true,
  items: [
    { instrument: 'sdl_43', categories: ['work_considerations', 'support_needs'], sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], purpose: 'Beskæftigelsesindsats i Fremskudt', programmeId: PROGRAMME.fremskudt, ...item },
    { instrument: 'rsl_11a', categories: ['work_considerations', 'support_needs'], sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], purpose: 'Beskæftigelsesindsats i Fremskudt', programmeId: PROGRAMME.fremskudt, caseReference: 'Sag 2026-0042' },
  ],
  ...over,
});

const fvl28 = (categories: string[], over: Record<string, unknown> = {}, item: Record<string, unknown> = {}) => ({
  givenOn: today,
  validFrom: today,
  validTo: addDays(today, 90),
  givenBy: 'citizen',
  givenHow: 'written',
  copyGiven: true,
  items: [{ instrument: 'fvl_28', categories, sourceOrganisationId: ORG.nordfyn, recipientOrganisationId: ORG.paOdense, recipientRoles: ['liaison'], purpose: 'Fremskudt: psykiatriens socialrådgiver læser med', programmeId: PROGRAMME.fremskudt, ...item }],
  ...over,
});

async function record(s: Session, citizenId: string, body: unknown) {
  return s.request({ method: 'POST', url: `/api/citizens/${citizenId}/consents`, payload: body as object });
}
async function listOf(s: Session, citizenId: string) {
  const res = await s.request({ method: 'GET', url: `/api/citizens/${citizenId}/consents` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { id: string; instrument: string; state: string; supersededBy: string | null; form: { title: { da: string } }; withdrawal: unknown }[] };
}
const issuePaths = (body: string) => (JSON.parse(body) as { issues?: { path: string; message: string }[] }).issues?.map((i) => `${i.path}:${i.message}`) ?? [];

describe('recording consents', () => {
  it('records the combined pair in one sitting, with the current form, and leaves the region a journal task', async () => {
    const res = await record(liaison, regionId, combined());
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { ids: string[]; tasks: { kind: string; organisationId: string }[] };
    expect(body.ids).toHaveLength(2);
    expect(body.tasks).toEqual([expect.objectContaining({ kind: 'journal_consent', organisationId: ORG.paOdense })]);
    const rows = await t.db.kysely.selectFrom('consents').select(['organisation_id', 'citizen_id', 'person_hash', 'form_id', 'instrument']).where('id', 'in', body.ids).execute();
    expect(rows.every((r) => r.organisation_id === ORG.paOdense && r.citizen_id === regionId && r.person_hash === personHash)).toBe(true);
    const task = await t.db.kysely.selectFrom('crossing_tasks').selectAll().where('consent_id', 'in', body.ids).executeTakeFirstOrThrow();
    expect(task).toMatchObject({ organisation_id: ORG.paOdense, citizen_id: regionId, kind: 'journal_consent', status: 'open' });

    const own = await listOf(liaison, regionId);
    expect(own.items.map((i) => [i.instrument, i.state]).sort()).toEqual([['rsl_11a', 'valid'], ['sdl_43', 'valid']]);
    expect(own.items[0]!.form.title.da).toMatch(/Samtykke/);
    // The recipient sees them on its own record of the person.
    const theirs = await listOf(nordfyn, municipalId);
    expect(theirs.items.map((i) => i.id).sort()).toEqual([...body.ids].sort());
    const audit = await t.db.kysely.selectFrom('audit_log').select(['organisation_id', 'resource_id']).where('action', '=', 'create').where('resource_type', '=', 'consent').where('resource_id', 'in', body.ids).execute();
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.organisation_id === ORG.paOdense)).toBe(true);
  });

  it('refuses a blanket consent, naming the field', async () => {
    const noCategory = await record(liaison, regionId, combined({}, { categories: [] }));
    expect(noCategory.statusCode).toBe(400);
    expect(issuePaths(noCategory.body)).toEqual(['items.0.categories:blanket_consent']);
    const noRecipient = await record(liaison, regionId, combined({}, { recipientOrganisationId: null }));
    expect(noRecipient.statusCode).toBe(400);
    expect(issuePaths(noRecipient.body)).toEqual(['items.0.recipientOrganisationId:blanket_consent']);
    const noEnd = await record(liaison, regionId, combined({ validTo: null }));
    expect(noEnd.statusCode).toBe(400);
    expect(issuePaths(noEnd.body)).toEqual(['validTo:blanket_consent']);
  });

  it('refuses an oral consent without a reason and a witness, and takes it with both', async () => {
    const bare = await record(liaison, regionId, combined({ givenHow: 'oral', oralReason: 'Kunne ikke skrive under (brækket hånd)' }));
    expect(bare.statusCode).toBe(400);
    expect(issuePaths(bare.body)).toEqual(['witness:required_for_oral']);
    const guardian = await record(liaison, regionId, combined({ givenBy: 'guardian' }));
    expect(issuePaths(guardian.body)).toEqual(['givenByName:required']);
    const ok = await record(liaison, regionId, fvl28(['notes'], { givenHow: 'oral', oralReason: 'Telefonsamtale', witness: 'Kollega Hans' }));
    expect(ok.statusCode, ok.body).toBe(201);
    await clearConsents();
  });

  it('keeps to the programme maximum, the one-year lapse of sdl_43, and the right side’s categories and organisations', async () => {
    const long = await record(liaison, regionId, combined({ validTo: addDays(addMonths(today, 12), 1) }));
    expect(issuePaths(long.body)).toContain('validTo:over_programme_maximum');
    const given = addDays(today, -60);
    const lapse = await record(liaison, regionId, combined({ givenOn: given, validFrom: today, validTo: addMonths(today, 11) }));
    expect(issuePaths(lapse.body)).toEqual(['validTo:over_one_year']);
    // The same dates are fine for the municipal consent, which has no one-year rule of its own.
    const fine = await record(liaison, regionId, fvl28(['notes'], { givenOn: given, validFrom: today, validTo: addMonths(today, 11) }));
    expect(fine.statusCode, fine.body).toBe(201);
    const wrongSide = await record(liaison, regionId, combined({}, { categories: ['municipal_plan'] }));
    expect(issuePaths(wrongSide.body)).toEqual(['items.0.categories:wrong_side']);
    const wrongSource = await record(liaison, regionId, fvl28(['notes'], {}, { sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn }));
    expect(issuePaths(wrongSource.body)).toEqual(['items.0.sourceOrganisationId:source_must_be_municipality']);
    const noCase = await record(liaison, regionId, { ...combined(), items: [{ ...combined().items[1], caseReference: null }] });
    expect(issuePaths(noCase.body)).toEqual(['items.0.caseReference:required_for_rsl_11a']);
    const future = await record(liaison, regionId, combined({ givenOn: addDays(today, 1), validFrom: addDays(today, 1) }));
    expect(issuePaths(future.body)).toEqual(['givenOn:in_future']);
    await clearConsents();
  });

  it('never edits a consent: a replacement marks the old one replaced in the same transaction', async () => {
    const first = (await record(liaison, regionId, combined())).json() as { ids: string[] };
    const sdl = (await listOf(liaison, regionId)).items.find((i) => i.instrument === 'sdl_43')!;
    const res = await record(liaison, regionId, { ...combined(), items: [{ ...combined().items[0], categories: ['work_considerations'], replacesId: sdl.id }] });
    expect(res.statusCode, res.body).toBe(201);
    const newId = (res.json() as { ids: string[] }).ids[0]!;
    const after = await listOf(liaison, regionId);
    expect(after.items.find((i) => i.id === sdl.id)).toMatchObject({ state: 'replaced', supersededBy: newId });
    expect(after.items.find((i) => i.id === newId)).toMatchObject({ state: 'valid' });
    const again = await record(liaison, regionId, { ...combined(), items: [{ ...combined().items[0], replacesId: sdl.id }] });
    expect(again.statusCode).toBe(409);
    // Another kind of consent cannot be replaced by this one.
    const otherKind = await record(liaison, regionId, fvl28(['notes'], {}, { replacesId: first.ids[1] }));
    expect(issuePaths(otherKind.body)).toEqual(['items.0.replacesId:unknown']);
    await clearConsents();
  });

  it('keeps other organisations and other roles out (404, audited)', async () => {
    const res = await record(nordfyn, regionId, combined());
    expect(res.statusCode).toBe(404);
    const rk1 = await login(t.app, 'rk1');
    expect((await rk1.request({ method: 'GET', url: `/api/citizens/${regionId}/consents` })).statusCode).toBe(404);
    const denied = await t.db.kysely.selectFrom('audit_log').select(['organisation_id', 'actor_username']).where('outcome', '=', 'denied').where('citizen_id', '=', regionId).execute();
    expect(denied).toEqual(expect.arrayContaining([expect.objectContaining({ actor_username: 'nordfyn', organisation_id: ORG.paOdense })]));
  });
});

describe('withdrawal and the tasks it leaves', () => {
  it('withdraws at once, tells the other controller, leaves a journal task, and refuses a second withdrawal', async () => {
    const { ids } = (await record(liaison, regionId, combined())).json() as { ids: string[] };
    const sdl = (await listOf(liaison, regionId)).items.find((i) => i.instrument === 'sdl_43')!;
    const future = await liaison.request({ method: 'POST', url: `/api/consents/${sdl.id}/withdraw`, payload: { withdrawnOn: addDays(today, 1), how: 'written' } });
    expect(issuePaths(future.body)).toEqual(['withdrawnOn:in_future']);
    const res = await liaison.request({ method: 'POST', url: `/api/consents/${sdl.id}/withdraw`, payload: { withdrawnOn: today, how: 'oral', note: 'Ringede og trak samtykket tilbage' } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { tasks: { kind: string; organisationId: string }[] };
    expect(body.tasks.map((x) => `${x.kind}@${x.organisationId}`).sort()).toEqual([`consent_withdrawn_notice@${ORG.nordfyn}`, `journal_withdrawal@${ORG.paOdense}`]);
    expect((await listOf(nordfyn, municipalId)).items.find((i) => i.id === sdl.id)).toMatchObject({ state: 'withdrawn' });
    const twice = await liaison.request({ method: 'POST', url: `/api/consents/${sdl.id}/withdraw`, payload: { withdrawnOn: today, how: 'written' } });
    expect(twice.statusCode).toBe(409);

    // The municipality's notice names its own record of the person; marking it done once.
    const tasks = await nordfyn.request({ method: 'GET', url: '/api/crossing-tasks' });
    expect(tasks.statusCode, tasks.body).toBe(200);
    const notice = (tasks.json() as { items: { id: string; kind: string; citizen: { id: string } | null; consent: { id: string } | null }[] }).items.find((x) => x.consent?.id === sdl.id)!;
    expect(notice).toMatchObject({ kind: 'consent_withdrawn_notice', citizen: { id: municipalId } });
    expect((await nordfyn.request({ method: 'POST', url: `/api/crossing-tasks/${notice.id}/done` })).statusCode).toBe(200);
    expect((await nordfyn.request({ method: 'POST', url: `/api/crossing-tasks/${notice.id}/done` })).statusCode).toBe(409);
    // The region's tasks are not the municipality's to close.
    const regionTasks = (await liaison.request({ method: 'GET', url: '/api/crossing-tasks' })).json() as { items: { id: string; kind: string; consent: { id: string } | null }[] };
    const journal = regionTasks.items.filter((x) => x.consent && ids.includes(x.consent.id)).map((x) => x.kind).sort();
    expect(journal).toEqual(['journal_consent', 'journal_withdrawal']);
    expect((await nordfyn.request({ method: 'POST', url: `/api/crossing-tasks/${regionTasks.items[0]!.id}/done` })).statusCode).toBe(404);
    await clearConsents();
  });

  it('lists valid consents ending within 30 days, for both sides', async () => {
    await record(liaison, regionId, combined({ validTo: addDays(today, 10) }));
    const far = (await record(nordfyn, municipalId, fvl28(['notes'], { validTo: addDays(today, 200) }))).json() as { ids: string[] };
    const expiring = await liaison.request({ method: 'GET', url: '/api/consents/expiring?limit=100' });
    expect(expiring.statusCode, expiring.body).toBe(200);
    const mine = (expiring.json() as { items: { citizen: { id: string }; instrument: string; daysLeft: number; id: string }[] }).items.filter((i) => i.citizen.id === regionId);
    expect(mine.map((i) => [i.instrument, i.daysLeft]).sort()).toEqual([['rsl_11a', 10], ['sdl_43', 10]]);
    expect(mine.map((i) => i.id)).not.toContain(far.ids[0]);
    const forms = await liaison.request({ method: 'GET', url: '/api/consent-forms' });
    expect((forms.json() as { items: { instrument: string }[] }).items.map((f) => f.instrument).sort()).toEqual(['fvl_28', 'rsl_11a', 'sdl_43']);
    await clearConsents();
  });
});

describe('shared access: the liaison reads the municipal record only while a valid fvl_28 consent covers it', () => {
  async function shared(s: Session = liaison) {
    return s.request({ method: 'GET', url: `/api/citizens/${municipalId}/shared-record` });
  }
  async function lastShared(outcome: 'success' | 'denied') {
    return t.db.kysely.selectFrom('audit_log').select(['organisation_id', 'criteria', 'actor_username']).where('resource_type', '=', 'shared_record').where('outcome', '=', outcome).orderBy('seq', 'desc').executeTakeFirstOrThrow();
  }
  async function insertDirect(over: Record<string, unknown>) {
    const form = await t.db.kysely.selectFrom('consent_forms').select('id').where('instrument', '=', 'fvl_28').executeTakeFirstOrThrow();
    await t.db.owner
      .insertInto('consents')
      .values({
        organisation_id: ORG.nordfyn,
        citizen_id: municipalId,
        person_hash: personHash,
        instrument: 'fvl_28',
        categories: ['municipal_plan'],
        source_organisation_id: ORG.nordfyn,
        recipient_organisation_id: ORG.paOdense,
        recipient_roles: ['liaison'],
        programme_id: PROGRAMME.fremskudt,
        purpose: 'Test',
        given_on: today,
        valid_from: today,
        valid_to: addDays(today, 30),
        given_by: 'citizen',
        given_how: 'written',
        form_id: form.id,
        created_by: NORDFYN,
        ...over,
      })
      .execute();
  }

  it('shows nothing without a consent: every municipal route 404, the shared record 404 audited on the municipality', async () => {
    for (const path of ['', '/plan', '/notes', '/conversations', '/network-meetings', '/consents']) {
      expect((await liaison.request({ method: 'GET', url: `/api/citizens/${municipalId}${path}` })).statusCode, path).toBe(404);
    }
    expect((await shared()).statusCode).toBe(404);
    const row = await lastShared('denied');
    expect(row.organisation_id).toBe(ORG.nordfyn);
    expect(row.criteria).toMatchObject({ gaps: expect.arrayContaining([expect.objectContaining({ reason: 'no_consent' })]) });
    const records = await liaison.request({ method: 'GET', url: `/api/citizens/${regionId}/municipal-records` });
    expect(records.json()).toEqual({ items: [] });
  });

  it('opens the covered sections only, audited on the municipality with the consent ids; a withdrawal between two requests ends it', async () => {
    const res = await record(nordfyn, municipalId, fvl28(['municipal_plan', 'activities']));
    expect(res.statusCode, res.body).toBe(201);
    const consentId = (res.json() as { ids: string[]; tasks: unknown[] }).ids[0]!;
    expect((res.json() as { tasks: unknown[] }).tasks).toEqual([]);

    const first = await shared();
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json() as { categories: string[]; plan: unknown; activities: unknown[] | null; notes: unknown[] | null; consentIds: string[] };
    expect(body.categories).toEqual(['municipal_plan', 'activities']);
    expect(body.plan).not.toBeNull();
    expect(body.activities).not.toBeNull();
    expect(body.notes).toBeNull();
    expect(body.consentIds).toEqual([consentId]);
    const row = await lastShared('success');
    expect(row).toMatchObject({ organisation_id: ORG.nordfyn, actor_username: 'liaison', criteria: expect.objectContaining({ basis: 'consent', consentIds: [consentId] }) });
    const records = (await liaison.request({ method: 'GET', url: `/api/citizens/${regionId}/municipal-records` })).json() as { items: { citizenId: string; categories: string[] }[] };
    expect(records.items).toEqual([expect.objectContaining({ citizenId: municipalId, categories: ['municipal_plan', 'activities'] })]);

    // Only the liaison's role: the clinician of the same organisation, and the municipality itself through this door, get 404.
    expect((await shared(behandler)).statusCode).toBe(404);
    expect((await shared(nordfyn)).statusCode).toBe(404);

    const withdrawn = await nordfyn.request({ method: 'POST', url: `/api/consents/${consentId}/withdraw`, payload: { withdrawnOn: today, how: 'written' } });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect((withdrawn.json() as { tasks: { kind: string; organisationId: string }[] }).tasks).toEqual([expect.objectContaining({ kind: 'consent_withdrawn_notice', organisationId: ORG.paOdense })]);
    expect((await shared()).statusCode).toBe(404);
    expect((await lastShared('denied')).criteria).toMatchObject({ gaps: expect.arrayContaining([expect.objectContaining({ reason: 'withdrawn', consentId })]) });
    expect(((await liaison.request({ method: 'GET', url: `/api/citizens/${regionId}/municipal-records` })).json() as { items: unknown[] }).items).toEqual([]);
    await clearConsents();
  });

  const gaps: [string, Record<string, unknown>, string][] = [
    ['expired', { given_on: addDays(today, -60), valid_from: addDays(today, -60), valid_to: addDays(today, -1) }, 'expired'],
    ['not yet valid', { valid_from: addDays(today, 5) }, 'not_yet_valid'],
    ['another category', { categories: ['progression_measurements'] }, 'other_category'],
    ['another role', { recipient_roles: ['clinician'] }, 'other_role'],
    ['another recipient', { recipient_organisation_id: ORG.regionSjaelland }, 'other_recipient'],
    ['withdrawn', { withdrawn_at: new Date(), withdrawn_on: today, withdrawn_how: 'written' }, 'withdrawn'],
  ];
  for (const [name, over, reason] of gaps) {
    it(`refuses under a consent for ${name} (404, audited on the municipality: ${reason})`, async () => {
      await insertDirect(over);
      expect((await shared()).statusCode).toBe(404);
      const row = await lastShared('denied');
      expect(row.organisation_id).toBe(ORG.nordfyn);
      expect(row.criteria).toMatchObject({ gaps: expect.arrayContaining([expect.objectContaining({ category: 'municipal_plan', reason })]) });
      await clearConsents();
    });
  }
});

describe('demo consents', () => {
  it('hold every state for the Nordfyn patients, none for the first patient (kept for the browser test), and open tasks', async () => {
    const rows = await t.db.kysely.selectFrom('consents').select(['id', 'instrument', 'valid_from', 'valid_to', 'withdrawn_at', 'superseded_at', 'person_hash', 'categories']).select((eb) => eb.fn<string>('to_char', [eb.ref('valid_to'), eb.val('YYYY-MM-DD')]).as('to')).execute();
    const state = (r: (typeof rows)[number]) => (r.withdrawn_at ? 'withdrawn' : r.superseded_at ? 'replaced' : r.to < today ? 'expired' : 'valid');
    const states = new Set(rows.map(state));
    expect([...states].sort()).toEqual(['expired', 'replaced', 'valid', 'withdrawn']);
    expect(rows.some((r) => state(r) === 'valid' && r.to <= addDays(today, 30))).toBe(true);
    expect(rows.some((r) => r.instrument === 'fvl_28' && r.categories.length === 1)).toBe(true);
    const first = await t.db.kysely.selectFrom('citizens').select('cpr_hash').where('id', '=', regionCitizenId(1)).executeTakeFirstOrThrow();
    expect(rows.filter((r) => r.person_hash === first.cpr_hash)).toEqual([]);
    const expiring = await liaison.request({ method: 'GET', url: '/api/consents/expiring' });
    expect((expiring.json() as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });
});
