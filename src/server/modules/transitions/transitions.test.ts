// The transition checklist on both engines: opened on the region's record, steps recorded with their bounds,
// consents and knowledge transfer steps read from those records, completion only with every step done, one
// open at a time; municipal staff and the municipal record stay out of it, refusals audited.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGION_STAFF } from '../../demo/demo-crossing.ts';
import { insertPair, type Pair } from '../disclosures/test-support.ts';
import { ORG, PROGRAMME } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
let liaison: Session;
let clinician: Session;
let nordfyn: Session;
const today = dateInCopenhagen();
/** A person of the test's own (both records, no consents, no knowledge transfer): demo data never touches them. */
let pair: Pair;
let PATIENT: string;

type Item = { code: string; done: boolean; on: string | null; source: string };
type T = { id: string; status: string; version: number; done: number; items: Item[]; citizenName: string };
const item = (tr: T, code: string) => tr.items.find((i) => i.code === code)!;

async function deniedRows(resourceType: string, username: string) {
  return t.db.kysely.selectFrom('audit_log').selectAll().where('resource_type', '=', resourceType).where('actor_username', '=', username).where('outcome', '=', 'denied').execute();
}

beforeAll(async () => {
  t = await testApp();
  [liaison, clinician, nordfyn] = (await Promise.all(['liaison', 'behandler', 'nordfyn'].map((u) => login(t.app, u)))) as [Session, Session, Session];
  pair = await insertPair(t.db.owner);
  PATIENT = pair.regionId;
});
afterAll(async () => {
  await t.close();
});

describe('transition from treatment', () => {
  let tr: T;

  it('opens one checklist on the region record, with six steps and none done yet', async () => {
    const none = await liaison.request({ method: 'GET', url: `/api/citizens/${PATIENT}/transition` });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ transition: null });
    const res = await liaison.request({ method: 'POST', url: `/api/citizens/${PATIENT}/transition`, payload: { programmeId: PROGRAMME.fremskudt } });
    expect(res.statusCode).toBe(201);
    tr = res.json();
    expect(tr.status).toBe('open');
    expect(tr.items.map((i) => i.code)).toEqual(['contact_made', 'consents_obtained', 'knowledge_transfer_written', 'knowledge_transfer_disclosed', 'first_meeting_booked', 'psychiatry_contact']);
    expect(tr.done).toBe(0);
    const again = await liaison.request({ method: 'POST', url: `/api/citizens/${PATIENT}/transition`, payload: { programmeId: PROGRAMME.fremskudt } });
    expect(again.statusCode).toBe(409);
    expect(again.json().issues).toEqual([{ path: 'citizenId', message: 'transition_open' }]);
  });

  it('records steps with dates, refusing future dates, dates before the opening and stale versions', async () => {
    const future = await liaison.request({ method: 'PATCH', url: `/api/transitions/${tr.id}`, payload: { version: tr.version, contactMadeOn: addDays(today, 1) } });
    expect(future.statusCode).toBe(400);
    expect(future.json().issues).toEqual([{ path: 'contactMadeOn', message: 'in_future' }]);
    const before = await liaison.request({ method: 'PATCH', url: `/api/transitions/${tr.id}`, payload: { version: tr.version, firstMeetingBookedOn: addDays(today, -1) } });
    expect(before.statusCode).toBe(400);
    expect(before.json().issues).toEqual([{ path: 'firstMeetingBookedOn', message: 'before_opened' }]);
    const res = await liaison.request({ method: 'PATCH', url: `/api/transitions/${tr.id}`, payload: { version: tr.version, contactMadeOn: today, firstMeetingBookedOn: today, psychiatryContact: { name: 'Niels Overgaard', on: today } } });
    expect(res.statusCode).toBe(200);
    const updated: T = res.json();
    expect(updated.version).toBe(tr.version + 1);
    expect(item(updated, 'contact_made')).toEqual({ code: 'contact_made', done: true, on: today, source: 'recorded' });
    expect(item(updated, 'psychiatry_contact')).toMatchObject({ done: true, on: today });
    expect(updated.done).toBe(3);
    const stale = await liaison.request({ method: 'PATCH', url: `/api/transitions/${tr.id}`, payload: { version: tr.version, note: 'x' } });
    expect(stale.statusCode).toBe(409);
    tr = updated;
  });

  it('completes only when every step is done, naming the steps left', async () => {
    const res = await liaison.request({ method: 'PATCH', url: `/api/transitions/${tr.id}`, payload: { version: tr.version, status: 'completed' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().issues).toEqual([
      { path: 'items.consents_obtained', message: 'not_done' },
      { path: 'items.knowledge_transfer_written', message: 'not_done' },
      { path: 'items.knowledge_transfer_disclosed', message: 'not_done' },
    ]);
  });

  it('reads consents, the knowledge transfer and its disclosure from their own records', async () => {
    const db = t.db.owner;
    const patient = { cpr_hash: pair.hash };
    const twin = { id: pair.municipalId };
    const forms = new Map((await db.selectFrom('consent_forms').select(['id', 'instrument']).execute()).map((f) => [f.instrument, f.id]));
    const base = { citizen_id: PATIENT, person_hash: patient.cpr_hash, programme_id: PROGRAMME.fremskudt, purpose: 'Fremskudt', given_on: today, valid_from: today, valid_to: addDays(today, 300), given_by: 'citizen' as const, given_how: 'written' as const, created_by: REGION_STAFF.liaison };
    // Only the region-to-municipality consent: one direction is not enough.
    await db.insertInto('consents').values({ ...base, organisation_id: ORG.paOdense, instrument: 'sdl_43', categories: ['work_considerations'], source_organisation_id: ORG.paOdense, recipient_organisation_id: ORG.nordfyn, recipient_roles: ['caseworker'], form_id: forms.get('sdl_43')! }).execute();
    let res = await liaison.request({ method: 'GET', url: `/api/citizens/${PATIENT}/transition` });
    expect(item(res.json().transition, 'consents_obtained').done).toBe(false);
    await db.insertInto('consents').values({ ...base, organisation_id: ORG.paOdense, instrument: 'fvl_28', categories: ['municipal_plan'], source_organisation_id: ORG.nordfyn, recipient_organisation_id: ORG.paOdense, recipient_roles: ['liaison'], form_id: forms.get('fvl_28')! }).execute();
    const kt = await db
      .insertInto('knowledge_transfers')
      .values({ organisation_id: ORG.paOdense, citizen_id: PATIENT, version: 1, source_team: 'OP-team Odense', written_on: today, answers: JSON.stringify([{ question: 'support', text: 'Faste aftaler', category: 'support_needs' }]), created_by: REGION_STAFF.liaison })
      .returning('id')
      .executeTakeFirstOrThrow();
    res = await liaison.request({ method: 'GET', url: `/api/citizens/${PATIENT}/transition` });
    let current: T = res.json().transition;
    expect(item(current, 'consents_obtained')).toEqual({ code: 'consents_obtained', done: true, on: today, source: 'derived' });
    expect(item(current, 'knowledge_transfer_written')).toMatchObject({ done: true, on: today });
    expect(item(current, 'knowledge_transfer_disclosed').done).toBe(false);
    await sql`insert into disclosures (organisation_id, citizen_id, recipient_organisation_id, recipient_citizen_id, recipient_roles, knowledge_transfer_id, categories, snapshot, basis, consent_ids, status, decided_by, channel)
              select ${ORG.paOdense}, ${PATIENT}, ${ORG.nordfyn}, ${twin.id}, '{caseworker}', ${kt.id}, '{support_needs}', '{}'::jsonb, 'consent', array_agg(id), 'closed', ${REGION_STAFF.liaison}, 'digital'
                from consents where citizen_id = ${PATIENT} and instrument = 'sdl_43'`.execute(db);
    res = await clinician.request({ method: 'GET', url: `/api/citizens/${PATIENT}/transition` });
    expect(res.statusCode).toBe(200);
    current = res.json().transition;
    expect(current.done).toBe(6);
    const done = await clinician.request({ method: 'PATCH', url: `/api/transitions/${current.id}`, payload: { version: current.version, status: 'completed' } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', closedOn: today });
    const closed = await liaison.request({ method: 'PATCH', url: `/api/transitions/${current.id}`, payload: { version: current.version + 1, note: 'efter' } });
    expect(closed.statusCode).toBe(409);
  });

  it('lists open transitions oldest first with keyset pages, for the liaison and the clinician only', async () => {
    const mine: string[] = [];
    for (const days of [3000, 2999, 2998]) {
      // Opened long ago (before any demo transition), so they come first, oldest first.
      const own = await insertPair(t.db.owner);
      const res = await liaison.request({ method: 'POST', url: `/api/citizens/${own.regionId}/transition`, payload: { programmeId: PROGRAMME.fremskudt, openedOn: addDays(today, -days) } });
      expect(res.statusCode).toBe(201);
      mine.push(res.json().id);
    }
    const seen: T[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await liaison.request({ method: 'GET', url: `/api/transitions?limit=2${cursor ? `&after=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: T[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(seen.slice(0, 3).map((i) => i.id)).toEqual(mine);
    expect(new Set(seen.map((i) => i.id)).size).toBe(seen.length);
    expect(seen.every((i) => i.status === 'open')).toBe(true);
    const bad = await liaison.request({ method: 'GET', url: '/api/transitions?after=bm90LWEtY3Vyc29y' });
    expect(bad.statusCode).toBe(400);
    const municipal = await nordfyn.request({ method: 'GET', url: '/api/transitions' });
    expect(municipal.statusCode).toBe(404);
    expect(await deniedRows('transition', 'nordfyn')).toHaveLength(1);
  });

  it('keeps municipal staff off the region record and the liaison off the municipal record, audited', async () => {
    const other = await insertPair(t.db.owner);
    const twin = { id: other.municipalId };
    expect((await nordfyn.request({ method: 'GET', url: `/api/citizens/${other.regionId}/transition` })).statusCode).toBe(404);
    expect((await nordfyn.request({ method: 'POST', url: `/api/citizens/${other.regionId}/transition`, payload: { programmeId: PROGRAMME.fremskudt } })).statusCode).toBe(404);
    expect((await liaison.request({ method: 'POST', url: `/api/citizens/${twin.id}/transition`, payload: { programmeId: PROGRAMME.fremskudt } })).statusCode).toBe(404);
    expect((await liaison.request({ method: 'PATCH', url: '/api/transitions/00000000-0000-4000-8000-000000000000', payload: { version: 1, note: 'x' } })).statusCode).toBe(404);
    expect(await deniedRows('citizen', 'nordfyn')).toHaveLength(2);
    expect((await deniedRows('citizen', 'liaison')).length).toBe(1);
    expect(await deniedRows('transition', 'liaison')).toHaveLength(1);
  });
});
