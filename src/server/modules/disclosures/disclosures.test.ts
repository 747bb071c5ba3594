// Knowledge transfers and explicit disclosures on both engines: versions; a disclosure refused for each gap
// (with the region's denied audit row); disclosed under consent into the municipality's own record; the
// exception of sundhedsloven §43 stk. 2 only by a clinician, the notice rule and the dpo's review list;
// withdrawal blocks the next disclosure while what was received stays, marked; municipal staff never
// disclose; the health-information panel's consent status in each state.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, userId } from '../../demo/ids.ts';
import { regionCitizenId } from '../../demo/demo-crossing.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { insertConsent, insertPair, type ConsentOver } from './test-support.ts';

let t: TestContext;
let liaison: Session;
let clinician: Session;
let nordfyn: Session;
let regionDpo: Session;
const LIAISON = userId(13);
const today = dateInCopenhagen();

const newPair = (opts?: { municipal?: boolean }) => insertPair(t.db.owner, opts);
const consent = (pair: Awaited<ReturnType<typeof newPair>>, over?: ConsentOver) => insertConsent(t.db.owner, pair, over);

const ANSWERS = [
  { question: 'offers', text: 'Korte forløb, gerne formiddag.', category: 'work_considerations' },
  { question: 'support', text: 'Fast kontaktperson og forberedelse af nye situationer.', category: 'support_needs' },
  { question: 'expectations', text: 'Op til 10 timer om ugen i starten.', category: 'work_considerations' },
  { question: 'companies', text: 'Rolig arbejdsplads, klare aftaler.', category: 'work_considerations' },
];

async function knowledgeTransfer(s: Session, regionId: string, answers = ANSWERS) {
  const res = await s.request({ method: 'POST', url: `/api/citizens/${regionId}/knowledge-transfers`, payload: { sourceTeam: 'Psykoseteamet, PA Odense', writtenOn: today, answers } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
}

function disclose(s: Session, regionId: string, ktId: string, over: Record<string, unknown> = {}) {
  return s.request({ method: 'POST', url: `/api/citizens/${regionId}/disclosures`, payload: { knowledgeTransferId: ktId, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], channel: 'digital', ...over } });
}

const deniedDisclosureRows = async (citizenId: string) =>
  t.db.owner.selectFrom('audit_log').selectAll().where('resource_type', '=', 'disclosure').where('outcome', '=', 'denied').where('citizen_id', '=', citizenId).execute();

beforeAll(async () => {
  t = await testApp();
  [liaison, clinician, nordfyn, regionDpo] = (await Promise.all(['liaison', 'behandler', 'nordfyn', 'regionsdpo'].map((u) => login(t.app, u)))) as [Session, Session, Session, Session];
});
afterAll(async () => {
  await t.close();
});

describe('knowledge transfers', () => {
  it('are versioned per patient, listed newest first and read one by one by the region', async () => {
    const pair = await newPair();
    const v1 = await knowledgeTransfer(liaison, pair.regionId);
    const v2 = await knowledgeTransfer(clinician, pair.regionId, ANSWERS.slice(0, 2));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const list = await liaison.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/knowledge-transfers?limit=1` });
    expect(list.statusCode).toBe(200);
    const page = list.json() as { items: { version: number }[]; nextCursor: string | null };
    expect(page.items.map((i) => i.version)).toEqual([2]);
    const next = await liaison.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/knowledge-transfers?limit=1&cursor=${page.nextCursor}` });
    expect((next.json() as { items: { version: number }[] }).items.map((i) => i.version)).toEqual([1]);
    const one = await liaison.request({ method: 'GET', url: `/api/knowledge-transfers/${v1.id}` });
    expect(one.statusCode).toBe(200);
    expect((one.json() as { answers: { question: string }[] }).answers.map((a) => a.question)).toEqual(['offers', 'support', 'expectations', 'companies']);
    // The municipality never reads the region's record; the refusal is audited.
    expect((await nordfyn.request({ method: 'GET', url: `/api/knowledge-transfers/${v1.id}` })).statusCode).toBe(404);
    expect((await nordfyn.request({ method: 'POST', url: `/api/citizens/${pair.regionId}/knowledge-transfers`, payload: { sourceTeam: 'x', writtenOn: today, answers: ANSWERS } })).statusCode).toBe(404);
  });

  it('refuses a category that is not the region’s and the same question twice', async () => {
    const pair = await newPair();
    const bad = await liaison.request({ method: 'POST', url: `/api/citizens/${pair.regionId}/knowledge-transfers`, payload: { sourceTeam: 'x', writtenOn: today, answers: [{ question: 'offers', text: 'x', category: 'municipal_plan' }] } });
    expect(bad.statusCode).toBe(400);
    const twice = await liaison.request({ method: 'POST', url: `/api/citizens/${pair.regionId}/knowledge-transfers`, payload: { sourceTeam: 'x', writtenOn: today, answers: [ANSWERS[0], ANSWERS[0]] } });
    expect(twice.statusCode).toBe(400);
  });
});

describe('a disclosure is refused for each gap, with an audit row', () => {
  const cases: [string, ConsentOver[], Record<string, unknown>, { instrument: string; reason: string }][] = [
    ['no consent', [], {}, { instrument: 'sdl_43', reason: 'no_consent' }],
    ['expired', [{ validFrom: addDays(today, -400), validTo: addDays(today, -1) }], {}, { instrument: 'sdl_43', reason: 'expired' }],
    ['withdrawn', [{ withdrawnOn: addDays(today, -2) }], {}, { instrument: 'sdl_43', reason: 'withdrawn' }],
    ['other category', [{ categories: ['crisis_plan'] }], {}, { instrument: 'sdl_43', reason: 'other_category' }],
    ['other source', [{ source: ORG.regionSjaelland }], {}, { instrument: 'sdl_43', reason: 'other_source' }],
    ['other recipient organisation', [{ recipient: ORG.naestved }], {}, { instrument: 'sdl_43', reason: 'other_recipient' }],
    ['other role', [{ roles: ['job_consultant'] }], {}, { instrument: 'sdl_43', reason: 'other_role' }],
    ['rsl_11a missing on a requested disclosure', [{}], { requested: true }, { instrument: 'rsl_11a', reason: 'no_consent' }],
  ];
  for (const [name, consents, over, gap] of cases) {
    it(name, async () => {
      const pair = await newPair();
      for (const c of consents) await consent(pair, c);
      const kt = await knowledgeTransfer(liaison, pair.regionId);
      const res = await disclose(liaison, pair.regionId, kt.id, over);
      expect(res.statusCode, res.body).toBe(409);
      const body = res.json() as { error: string; gaps: { instrument: string; category: string; role: string; reason: string }[] };
      expect(body.error).toBe('not_covered');
      expect(body.gaps.length).toBeGreaterThan(0);
      expect(body.gaps).toContainEqual(expect.objectContaining({ ...gap, role: 'caseworker' }));
      // Every category the snapshot holds is named.
      expect(new Set(body.gaps.filter((g) => g.instrument === gap.instrument).map((g) => g.category))).toEqual(new Set(['work_considerations', 'support_needs']));
      const denied = await deniedDisclosureRows(pair.regionId);
      expect(denied).toHaveLength(1);
      expect(denied[0]!.organisation_id).toBe(ORG.paOdense);
      expect(JSON.stringify(denied[0]!.criteria)).toContain(gap.reason);
      expect(await t.db.owner.selectFrom('disclosures').select('id').where('citizen_id', '=', pair.regionId).execute()).toHaveLength(0);
      expect(await t.db.owner.selectFrom('received_disclosures').select('id').where('citizen_id', '=', pair.municipalId).execute()).toHaveLength(0);
    });
  }

  it('names a missing record of the person in the recipient organisation', async () => {
    const pair = await newPair({ municipal: false });
    const kt = await knowledgeTransfer(liaison, pair.regionId);
    const res = await disclose(liaison, pair.regionId, kt.id);
    expect(res.statusCode).toBe(409);
    expect((res.json() as { error: string }).error).toBe('no_recipient_record');
    expect(await deniedDisclosureRows(pair.regionId)).toHaveLength(1);
  });
});

describe('a disclosure under consent', () => {
  it('stores the snapshot on both sides; withdrawal blocks the next one while the received one stays, marked', async () => {
    const pair = await newPair();
    const sdl = await consent(pair);
    const rsl = await consent(pair, { instrument: 'rsl_11a' });
    const kt = await knowledgeTransfer(liaison, pair.regionId);
    const res = await disclose(liaison, pair.regionId, kt.id, { questions: ['support'], requested: true, channel: 'meeting' });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json() as { id: string; basis: { kind: string; consentIds: string[] }; categories: string[]; snapshot: { answers: { question: string }[] }; status: string };
    expect(made.basis.kind).toBe('consent');
    expect(new Set(made.basis.consentIds)).toEqual(new Set([sdl, rsl]));
    expect(made.categories).toEqual(['support_needs']);
    expect(made.snapshot.answers.map((a) => a.question)).toEqual(['support']);
    expect(made.status).toBe('closed');
    const made_audit = await t.db.owner.selectFrom('audit_log').selectAll().where('resource_type', '=', 'disclosure').where('resource_id', '=', made.id).execute();
    expect(made_audit).toHaveLength(1);
    expect(made_audit[0]!.organisation_id).toBe(ORG.paOdense);

    // The municipality's panel: what, when, from whom, under which consent.
    const panel = await nordfyn.request({ method: 'GET', url: `/api/citizens/${pair.municipalId}/health-information` });
    expect(panel.statusCode, panel.body).toBe(200);
    const info = panel.json() as { items: { disclosureId: string; disclosedBy: string; basis: { consentIds: string[] }; consentWithdrawnAt: string | null; fromOrganisation: { name: string } }[]; consentStatus: string };
    expect(info.consentStatus).toBe('valid');
    expect(info.items).toHaveLength(1);
    expect(info.items[0]).toMatchObject({ disclosureId: made.id, disclosedBy: 'Camilla Juhl', consentWithdrawnAt: null, fromOrganisation: { name: 'Psykiatrisk Afdeling Odense' } });
    const read = await t.db.owner.selectFrom('audit_log').selectAll().where('resource_type', '=', 'received_disclosure').where('citizen_id', '=', pair.municipalId).execute();
    expect(read).toHaveLength(1);
    expect(read[0]!.organisation_id).toBe(ORG.nordfyn);
    expect(read[0]!.criteria).toMatchObject({ basis: 'consent', consentIds: expect.arrayContaining([sdl, rsl]) });

    // Both sides list it: the region on its record, the municipality on its own.
    const regionList = await liaison.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/disclosures` });
    expect((regionList.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([made.id]);
    const municipalList = await nordfyn.request({ method: 'GET', url: `/api/citizens/${pair.municipalId}/disclosures` });
    expect((municipalList.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([made.id]);
    const dpoList = await regionDpo.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/disclosures` });
    expect(dpoList.statusCode).toBe(200);
    expect((await nordfyn.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/disclosures` })).statusCode).toBe(404);

    // The patient withdraws the sdl_43 consent.
    await t.db.owner.updateTable('consents').set({ withdrawn_at: new Date(), withdrawn_on: today, withdrawn_how: 'written', withdrawn_recorded_by: LIAISON }).where('id', '=', sdl).execute();
    const again = await disclose(liaison, pair.regionId, kt.id);
    expect(again.statusCode).toBe(409);
    expect((again.json() as { gaps: { reason: string }[] }).gaps.map((g) => g.reason)).toContain('withdrawn');
    const after = (await nordfyn.request({ method: 'GET', url: `/api/citizens/${pair.municipalId}/health-information` })).json() as typeof info;
    expect(after.consentStatus).toBe('withdrawn');
    expect(after.items).toHaveLength(1);
    expect(after.items[0]!.consentWithdrawnAt).toBe(today);
  });

  it('is never made by municipal staff: their attempt is a 404, audited', async () => {
    const pair = await newPair();
    await consent(pair);
    const kt = await knowledgeTransfer(liaison, pair.regionId);
    const before = await t.db.owner.selectFrom('audit_log').select('seq').where('actor_username', '=', 'nordfyn').where('outcome', '=', 'denied').execute();
    expect((await disclose(nordfyn, pair.regionId, kt.id)).statusCode).toBe(404);
    expect((await disclose(nordfyn, pair.municipalId, kt.id)).statusCode).toBe(404);
    const after = await t.db.owner.selectFrom('audit_log').select('seq').where('actor_username', '=', 'nordfyn').where('outcome', '=', 'denied').execute();
    expect(after.length - before.length).toBe(2);
    expect(await t.db.owner.selectFrom('disclosures').select('id').where('citizen_id', '=', pair.regionId).execute()).toHaveLength(0);
  });
});

describe('an exception of sundhedsloven § 43, stk. 2', () => {
  it('only by a clinician; under nr. 2 it stays open until the patient is told; the dpo sees every exception', async () => {
    const pair = await newPair();
    const kt = await knowledgeTransfer(liaison, pair.regionId);
    const exception = { ground: 'vital_interest', justification: 'Akut risiko for borgerens helbred ved praktikstart.' };
    const byLiaison = await disclose(liaison, pair.regionId, kt.id, { exception });
    expect(byLiaison.statusCode).toBe(403);
    const denied = await deniedDisclosureRows(pair.regionId);
    expect(denied).toHaveLength(1);
    expect(denied[0]!.criteria).toMatchObject({ reason: 'exception_not_clinician' });

    const byClinician = await disclose(clinician, pair.regionId, kt.id, { exception });
    expect(byClinician.statusCode, byClinician.body).toBe(201);
    const made = byClinician.json() as { id: string; status: string; noticeRequired: boolean; basis: { kind: string; exceptionGround: string } };
    expect(made).toMatchObject({ status: 'open', noticeRequired: true, basis: { kind: 'exception', exceptionGround: 'vital_interest' } });

    const byLaw = await disclose(clinician, pair.regionId, kt.id, { exception: { ground: 'required_by_law', justification: 'Oplysningspligt efter lov om social service § 153.' } });
    expect(byLaw.statusCode).toBe(201);
    expect((byLaw.json() as { status: string }).status).toBe('closed');

    // The notice: a date or a reason, not both, not neither; a second notice is a conflict.
    expect((await clinician.request({ method: 'POST', url: `/api/disclosures/${made.id}/notice`, payload: {} })).statusCode).toBe(400);
    expect((await nordfyn.request({ method: 'POST', url: `/api/disclosures/${made.id}/notice`, payload: { patientToldOn: today } })).statusCode).toBe(404);
    const told = await clinician.request({ method: 'POST', url: `/api/disclosures/${made.id}/notice`, payload: { patientToldOn: today } });
    expect(told.statusCode, told.body).toBe(200);
    expect(told.json()).toMatchObject({ status: 'closed', patientToldOn: today });
    expect((await clinician.request({ method: 'POST', url: `/api/disclosures/${made.id}/notice`, payload: { notToldReason: 'Ikke muligt at komme i kontakt' } })).statusCode).toBe(409);
    expect((await clinician.request({ method: 'POST', url: `/api/disclosures/${(byLaw.json() as { id: string }).id}/notice`, payload: { patientToldOn: today } })).statusCode).toBe(409);

    const review = await regionDpo.request({ method: 'GET', url: '/api/disclosures/exceptions?limit=100' });
    expect(review.statusCode).toBe(200);
    const ids = (review.json() as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([made.id, (byLaw.json() as { id: string }).id]));
    expect((await liaison.request({ method: 'GET', url: '/api/disclosures/exceptions' })).statusCode).toBe(404);
    expect((await nordfyn.request({ method: 'GET', url: '/api/disclosures/exceptions' })).statusCode).toBe(404);

    // Received under an exception: the municipality sees the ground.
    const panel = (await nordfyn.request({ method: 'GET', url: `/api/citizens/${pair.municipalId}/health-information` })).json() as { items: { basis: { kind: string; exceptionGround: string } }[]; consentStatus: string };
    expect(panel.items.map((i) => i.basis.exceptionGround).sort()).toEqual(['required_by_law', 'vital_interest']);
    expect(panel.consentStatus).toBe('none');
  });
});

describe('the health-information panel', () => {
  it.each([
    ['none', [] as ConsentOver[]],
    ['valid', [{ withdrawnOn: addDays(today, -40), validFrom: addDays(today, -100) }, {}]],
    ['withdrawn', [{ withdrawnOn: addDays(today, -3) }]],
    ['expired', [{ validFrom: addDays(today, -400), validTo: addDays(today, -10) }]],
  ])('says %s', async (status, consents) => {
    const pair = await newPair();
    for (const c of consents) await consent(pair, c);
    const res = await nordfyn.request({ method: 'GET', url: `/api/citizens/${pair.municipalId}/health-information` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ items: [], consentStatus: status });
  });

  it('is the municipality’s own: not on the region’s record, not for the region’s staff', async () => {
    const pair = await newPair();
    expect((await nordfyn.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/health-information` })).statusCode).toBe(404);
    expect((await liaison.request({ method: 'GET', url: `/api/citizens/${pair.municipalId}/health-information` })).statusCode).toBe(404);
    expect((await liaison.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/health-information` })).statusCode).toBe(404);
  });
});


describe('the demo', () => {
  it('has knowledge transfers for the region’s patients (none for the browser test’s), each disclosure received, and one exception on the dpo’s list', async () => {
    const transfers = await t.db.owner.selectFrom('knowledge_transfers').select('citizen_id').where(sql`id::text`, 'like', '00000000-0000-4000-8000-00000054%').execute();
    expect(transfers.length).toBeGreaterThan(5);
    expect(transfers.map((k) => k.citizen_id)).not.toContain(regionCitizenId(1));
    const made = await t.db.owner.selectFrom('disclosures').select(['id', 'citizen_id']).where(sql`id::text`, 'like', '00000000-0000-4000-8000-00000055%').execute();
    const received = await t.db.owner.selectFrom('received_disclosures').select('disclosure_id').where(sql`id::text`, 'like', '00000000-0000-4000-8000-00000056%').execute();
    expect(received.map((r) => r.disclosure_id).sort()).toEqual(made.map((d) => d.id).sort());
    expect(made.map((d) => d.citizen_id)).not.toContain(regionCitizenId(1));
    const review = (await regionDpo.request({ method: 'GET', url: '/api/disclosures/exceptions' })).json() as { items: { id: string; basis: { exceptionGround: string }; status: string }[] };
    expect(review.items.filter((d) => d.id.startsWith('00000000-0000-4000-8000-00000055'))).toEqual([expect.objectContaining({ basis: expect.objectContaining({ exceptionGround: 'vital_interest' }), status: 'open' })]);
  });
});
