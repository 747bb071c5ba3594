// Oral advice and case consultations through the HTTP API (both engines): named items only under consents both
// ways (refusals name the gaps and are audited), the oral disclosure's three traces (the municipality's received
// snapshot, the region's journal task, the municipality's note duty), resolving the duty, who may do what, and the
// anonymous consultation stopped on recognition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { makePerson, recordConsent, type Person } from '../inquiries/inquiries.fixtures.ts';

let t: TestContext;
let nordfyn: Session;
let liaison: Session;
const NORDFYN = userId(15);

let serial = 5100;
const newPerson = (lastName: string) => makePerson(t, nordfyn, `730393-${String(serial++).padStart(4, '0')}`, lastName);
async function consentsBothWays(p: Person) {
  await recordConsent(t, p, 'fvl_28');
  await recordConsent(t, p, 'sdl_43');
  await recordConsent(t, p, 'rsl_11a');
}

const HELD_AT = '2026-11-20T09:00:00+01:00';
const named = (p: Person, extra: Record<string, unknown> = {}) => ({ kind: 'named', citizenId: p.regionId, saidTo: [NORDFYN], categories: ['work_considerations'], advice: 'Korte arbejdsdage i starten; pauser efter behov.', ...extra });
const anonymous = (advice = 'Tal om søvn og dagsrytme før praktikstart.') => ({ kind: 'anonymous', description: 'Ung mand, angst, vil gerne i praktik.', advice });
const create = (s: Session, payload: Record<string, unknown>) =>
  s.request({ method: 'POST', url: '/api/consultations', payload: { programmeId: PROGRAMME.fremskudt, municipalityId: ORG.nordfyn, kind: 'network_meeting', heldAt: HELD_AT, participantIds: [NORDFYN], items: [], ...payload } });

beforeAll(async () => {
  t = await testApp();
  nordfyn = await login(t.app, 'nordfyn');
  liaison = await login(t.app, 'liaison');
});
afterAll(async () => {
  await t.close();
});

describe('a named item', () => {
  it('is refused without consents both ways, naming what is missing; nothing is saved and the refusal is audited', async () => {
    const p = await newPerson('Udensamtykke');
    const before = await t.db.owner.selectFrom('consultations').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await create(liaison, { items: [named(p)] });
    expect(res.statusCode).toBe(409);
    const issues = (res.json().issues as { path: string; message: string }[]).map((i) => `${i.path}:${i.message}`);
    expect(issues).toEqual(['consent.fvl_28:no_consent', 'consent.sdl_43:no_consent']);
    const after = await t.db.owner.selectFrom('consultations').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const denied = (await auditRows(t.db, { actorUsername: 'liaison', outcome: 'denied' })).filter((r) => r.resource_type === 'consultation' && r.citizen_id === p.regionId);
    expect(denied).toHaveLength(1);
    expect(JSON.stringify(denied[0]!.criteria)).toContain('no_consent');
  });

  it('is refused when the municipality’s consent is there but not the patient’s for the category said', async () => {
    const p = await newPerson('Kategori');
    await consentsBothWays(p);
    const res = await create(liaison, { items: [named(p, { categories: ['crisis_plan'] })] });
    expect(res.statusCode).toBe(409);
    const issues = (res.json().issues as { path: string; message: string }[]).map((i) => `${i.path}:${i.message}`);
    expect(issues).toEqual(['consent.sdl_43:other_category (crisis_plan)', 'consent.rsl_11a:other_category (crisis_plan)']);
  });

  it('with consents both ways is an oral disclosure: the municipal snapshot, the journal task and the note duty', async () => {
    const p = await newPerson('Mødedeltager');
    await consentsBothWays(p);
    const res = await create(liaison, { place: 'Jobcenter Nordfyn', otherParticipants: 'Mentor fra praktikstedet', items: [named(p)] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.status).toBe('open');
    expect(body.participants).toEqual([{ id: NORDFYN, name: expect.any(String) }]);
    expect(body.items).toHaveLength(1);
    const item = body.items[0];
    expect(item).toMatchObject({ kind: 'named', citizenId: p.regionId, categories: ['work_considerations'], saidTo: [{ id: NORDFYN }] });
    expect(item.disclosureId).toEqual(expect.any(String));

    const disclosure = await t.db.owner.selectFrom('disclosures').selectAll().where('id', '=', item.disclosureId).executeTakeFirstOrThrow();
    expect(disclosure).toMatchObject({ channel: 'meeting', basis: 'consent', citizen_id: p.regionId, recipient_organisation_id: ORG.nordfyn, recipient_roles: ['caseworker'] });
    const task = await t.db.owner.selectFrom('crossing_tasks').selectAll().where('disclosure_id', '=', item.disclosureId).executeTakeFirstOrThrow();
    expect(task).toMatchObject({ kind: 'journal_oral_disclosure', organisation_id: ORG.paOdense, citizen_id: p.regionId, status: 'open' });

    const panel = await nordfyn.request({ method: 'GET', url: `/api/citizens/${p.municipalId}/health-information` });
    expect(panel.statusCode).toBe(200);
    const received = panel.json().items.find((r: { disclosureId: string }) => r.disclosureId === item.disclosureId);
    expect(received).toMatchObject({ channel: 'meeting', categories: ['work_considerations'], snapshot: { kind: 'oral_advice', advice: named(p).advice } });

    const mine = await nordfyn.request({ method: 'GET', url: '/api/consultation-duties' });
    expect(mine.statusCode).toBe(200);
    const duty = mine.json().items.find((d: { citizenId: string }) => d.citizenId === p.municipalId);
    expect(duty).toMatchObject({ status: 'pending', advice: named(p).advice, assignedTo: [{ id: NORDFYN }], receivedDisclosureId: received.id });
    const onCitizen = await nordfyn.request({ method: 'GET', url: `/api/citizens/${p.municipalId}/consultation-duties` });
    expect(onCitizen.json().items.map((d: { id: string }) => d.id)).toEqual([duty.id]);
    const reads = (await auditRows(t.db, { actorUsername: 'nordfyn', action: 'read' })).filter((r) => r.resource_type === 'consultation_duty');
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(reads[reads.length - 1]!.criteria)).toContain(received.id);

    // The liaison's own reads.
    const one = await liaison.request({ method: 'GET', url: `/api/consultations/${body.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json().items[0].citizenName).toContain('Mødedeltager');
    const list = await liaison.request({ method: 'GET', url: '/api/consultations?limit=50' });
    expect(list.json().items.map((c: { id: string }) => c.id)).toContain(body.id);
  });

  it('is refused when said to someone who is not a municipal participant', async () => {
    const p = await newPerson('Forkertmodtager');
    await consentsBothWays(p);
    const res = await create(liaison, { participantIds: [], items: [named(p)] });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([{ path: 'items.0.saidTo.0', message: 'not_a_participant' }]);
    const stranger = await create(liaison, { participantIds: [userId(13)], items: [] });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().issues).toEqual([{ path: 'participantIds.0', message: 'not_programme_staff' }]);
  });
});

describe('the municipal note duty', () => {
  async function pendingDuty(lastName: string) {
    const p = await newPerson(lastName);
    await consentsBothWays(p);
    const res = await create(liaison, { items: [named(p)] });
    expect(res.statusCode).toBe(201);
    const duties = await nordfyn.request({ method: 'GET', url: `/api/citizens/${p.municipalId}/consultation-duties` });
    return { p, duty: duties.json().items[0] as { id: string; status: string } };
  }

  it('is resolved by writing the note of the external assessment, as a real citizen note; only once', async () => {
    const { p, duty } = await pendingDuty('Notat');
    const res = await nordfyn.request({ method: 'POST', url: `/api/consultation-duties/${duty.id}/resolve`, payload: { resolution: 'note', text: 'Psykiatrien anbefaler korte dage i praktikken de første uger.' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'noted', resolvedByName: expect.any(String) });
    const notes = await nordfyn.request({ method: 'GET', url: `/api/citizens/${p.municipalId}/notes` });
    const note = notes.json().items.find((n: { id: string }) => n.id === res.json().noteId);
    expect(note).toMatchObject({ kind: 'external_assessment', body: 'Psykiatrien anbefaler korte dage i praktikken de første uger.' });
    expect(note.source).toContain('Psykiatrisk Afdeling Odense (sparring');
    const again = await nordfyn.request({ method: 'POST', url: `/api/consultation-duties/${duty.id}/resolve`, payload: { resolution: 'not_relevant', text: 'x' } });
    expect(again.statusCode).toBe(409);
    const mine = await nordfyn.request({ method: 'GET', url: '/api/consultation-duties?limit=50' });
    expect(mine.json().items.map((d: { id: string }) => d.id)).not.toContain(duty.id);
  });

  it('is resolved by marking it not relevant to the case, with the reason', async () => {
    const { duty } = await pendingDuty('Ikkerelevant');
    const res = await nordfyn.request({ method: 'POST', url: `/api/consultation-duties/${duty.id}/resolve`, payload: { resolution: 'not_relevant', text: 'Rådgivningen angik ikke beskæftigelsessagen.' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'not_relevant', reason: 'Rådgivningen angik ikke beskæftigelsessagen.', noteId: null });
  });

  it('is not the liaison’s to read or resolve', async () => {
    const { duty, p } = await pendingDuty('Regionenlæserikke');
    expect((await liaison.request({ method: 'GET', url: `/api/citizens/${p.municipalId}/consultation-duties` })).statusCode).toBe(404);
    expect((await liaison.request({ method: 'GET', url: '/api/consultation-duties' })).statusCode).toBe(404);
    expect((await liaison.request({ method: 'POST', url: `/api/consultation-duties/${duty.id}/resolve`, payload: { resolution: 'note', text: 'x' } })).statusCode).toBe(404);
  });
});

describe('who records consultations', () => {
  it('municipal staff never create or read one (404, audited)', async () => {
    const res = await create(nordfyn, { items: [anonymous()] });
    expect(res.statusCode).toBe(404);
    const denied = (await auditRows(t.db, { actorUsername: 'nordfyn', outcome: 'denied' })).filter((r) => r.resource_type === 'consultation' && r.action === 'create');
    expect(denied.length).toBeGreaterThanOrEqual(1);
    const own = await create(liaison, { kind: 'case_conference', items: [anonymous()] });
    expect((await nordfyn.request({ method: 'GET', url: `/api/consultations/${own.json().id}` })).statusCode).toBe(404);
    expect((await nordfyn.request({ method: 'GET', url: '/api/consultations' })).statusCode).toBe(404);
  });
});

describe('an anonymous case consultation', () => {
  it('stops when the liaison recognises the person: further advice 409, a named item only under consents both ways', async () => {
    const res = await create(liaison, { kind: 'anonymous', participantIds: [NORDFYN], items: [anonymous()] });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ kind: 'anonymous', status: 'open', canAddAnonymous: true, namedCount: 0, itemCount: 1 });
    const more = await liaison.request({ method: 'POST', url: `/api/consultations/${c.id}/items`, payload: anonymous('Overvej en mentor.') });
    expect(more.statusCode).toBe(201);
    const stopped = await liaison.request({ method: 'POST', url: `/api/consultations/${c.id}/recognised`, payload: { version: more.json().version } });
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json()).toMatchObject({ status: 'stopped_recognised', canAddAnonymous: false, recognisedAt: expect.any(String) });
    const refused = await liaison.request({ method: 'POST', url: `/api/consultations/${c.id}/items`, payload: anonymous('Endnu et råd.') });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().issues).toEqual([{ path: 'status', message: 'stopped_recognised' }]);

    const p = await newPerson('Genkendt');
    const noConsent = await liaison.request({ method: 'POST', url: `/api/consultations/${c.id}/items`, payload: named(p) });
    expect(noConsent.statusCode).toBe(409);
    await consentsBothWays(p);
    const converted = await liaison.request({ method: 'POST', url: `/api/consultations/${c.id}/items`, payload: named(p) });
    expect(converted.statusCode).toBe(201);
    expect(converted.json()).toMatchObject({ status: 'stopped_recognised', namedCount: 1, itemCount: 3 });
    const disclosure = await t.db.owner.selectFrom('disclosures').select('channel').where('id', '=', converted.json().items[2].disclosureId).executeTakeFirstOrThrow();
    expect(disclosure.channel).toBe('oral');
  });

  it('names nobody when recorded (a named item at creation is refused)', async () => {
    const p = await newPerson('Anonym');
    const res = await create(liaison, { kind: 'anonymous', items: [named(p)] });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toContainEqual({ path: 'items.0.kind', message: 'anonymous_consultation_names_nobody' });
    const mixed = await create(liaison, { kind: 'anonymous', items: [{ ...anonymous(), citizenId: p.regionId }] });
    expect(mixed.statusCode).toBe(400);
  });
});

describe('the demo data', () => {
  it('holds consultations in every state, named items only under consents both ways and never for the browser tests’ patients', async () => {
    const db = t.db.owner;
    const demo = <T extends { id: string }>(rows: T[]) => rows.filter((r) => r.id.startsWith('00000000-0000-4000-8000-0000006'));
    const all = demo(await db.selectFrom('consultations').select(['id', 'kind', 'status']).execute());
    expect(all.filter((c) => c.kind === 'anonymous').map((c) => c.status).sort()).toEqual(['open', 'stopped_recognised']);
    const duties = demo(await db.selectFrom('consultation_duties').select(['id', 'status', 'citizen_id', 'network_meeting_id']).execute());
    expect(duties.map((d) => d.status).sort()).toEqual(['not_relevant', 'noted', 'pending']);
    expect(duties.find((d) => d.status === 'pending')!.network_meeting_id).not.toBeNull();
    const items = demo(await db.selectFrom('consultation_items').select(['id', 'citizen_id', 'disclosure_id']).where('kind', '=', 'named').execute());
    expect(items).toHaveLength(3);
    const reserved = ['1', '2', '20'].map((n) => `00000000-0000-4000-8000-${String(50 * 10_000 + Number(n)).padStart(12, '0')}`);
    for (const item of items) expect(reserved).not.toContain(item.citizen_id);
    // The liaison sees them through the route; nordfyn has the pending one on the own list.
    const list = await liaison.request({ method: 'GET', url: '/api/consultations?limit=50' });
    expect(list.json().items.length).toBeGreaterThanOrEqual(5);
    const mine = await nordfyn.request({ method: 'GET', url: '/api/consultation-duties?limit=50' });
    expect(mine.json().items.some((d: { networkMeetingAt: string | null }) => d.networkMeetingAt !== null)).toBe(true);
  });
});

describe('the form options', () => {
  it('offer the liaison the programme’s municipalities with their case staff; nobody else', async () => {
    const res = await liaison.request({ method: 'GET', url: '/api/consultations/options' });
    expect(res.statusCode).toBe(200);
    const programme = res.json().programmes.find((p: { id: string }) => p.id === PROGRAMME.fremskudt);
    const nordfynOrg = programme.municipalities.find((m: { id: string }) => m.id === ORG.nordfyn);
    expect(nordfynOrg.staff.map((s: { id: string }) => s.id)).toContain(NORDFYN);
    expect((await nordfyn.request({ method: 'GET', url: '/api/consultations/options' })).statusCode).toBe(404);
  });
});
