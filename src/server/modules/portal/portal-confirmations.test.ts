// Consents staff prepare with the citizen, confirmed in the portal with MitID, and the withdrawal request a citizen
// sends after a code login (decision record 0036), on both engines. A prepared consent grants nothing: the region
// liaison's shared read is refused until the citizen confirms; the confirmation stores the MitID transaction's
// identifiers on the consent. The withdrawal request withdraws nothing until staff confirm it, which withdraws
// through the consents module (the liaison's next read is refused). Another person's ids → 404, audited.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { clearConsentsOf, NORDFYN, sharedPerson } from '../consents/consents.fixtures.ts';
import type { ConsentPreparationList } from '../../../contracts/consents.ts';
import type { PortalPreparationList, WithdrawalRequestList } from '../../../contracts/portal-confirmations.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';

let t: TestContext;
let liaison: Session;
let nordfyn: Session;
let rk1: Session;
const today = dateInCopenhagen();
const EMAIL = 'bekraeft.samtykke@example.invalid';

let regionId: string;
let municipalId: string;
let personHash: string;
let address = 0;
const nextAddress = () => `198.51.100.${150 + ++address}`;

beforeAll(async () => {
  t = await testApp();
  liaison = await login(t.app, 'liaison');
  nordfyn = await login(t.app, 'nordfyn');
  rk1 = await login(t.app, 'rk1');
  ({ regionId, municipalId, personHash } = await sharedPerson(t, 3));
  // Start without the demo's consents of this person.
  await clearConsentsOf(t, personHash);
  await t.db.owner.updateTable('citizens').set({ email: EMAIL }).where('cpr_hash', '=', personHash).execute();
  for (const [s, id] of [[nordfyn, municipalId], [liaison, regionId]] as const) expect((await invite(s, id)).statusCode).toBe(200);
});
afterAll(async () => {
  await t.close();
});

const sessions: Partial<Record<'low' | 'substantial' | 'mitid', PortalSession>> = {};
async function citizen(level: 'low' | 'substantial' | 'mitid' = 'mitid'): Promise<PortalSession> {
  const known = sessions[level];
  if (known) return known;
  const s = await portalLoginAs(t, EMAIL, EMAIL, nextAddress());
  if (level === 'substantial') await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
  if (level === 'mitid') {
    await t.db.owner
      .updateTable('portal_sessions')
      .set({ assurance: 'substantial', login_method: 'mitid', mitid_sid: 'sid-test-1', mitid_transaction_id: 'mitid-tx-4711', mitid_auth_time: new Date('2026-01-02T03:04:05Z') })
      .where('csrf_token', '=', s.csrf)
      .execute();
  }
  sessions[level] = s;
  return s;
}

const fvl28 = { instrument: 'fvl_28', categories: ['municipal_plan'], sourceOrganisationId: ORG.nordfyn, recipientOrganisationId: ORG.paOdense, recipientRoles: ['liaison'], purpose: 'Psykiatriens medarbejder læser med', programmeId: PROGRAMME.fremskudt };
const prepare = async (s: Session, citizenId: string, items: unknown[], validTo: string | null = addDays(today, 90)) => s.request({ method: 'POST', url: `/api/citizens/${citizenId}/consent-preparations`, payload: { validFrom: today, validTo, items } });
const confirm = (s: PortalSession, id: string) => s.request({ method: 'POST', url: `/api/portal/consent-preparations/${id}/confirm` });
const sharedRead = () => liaison.request({ method: 'GET', url: `/api/citizens/${municipalId}/shared-record` });
const citizenAudit = (resourceType: string, outcome: 'success' | 'denied') =>
  t.db.kysely.selectFrom('audit_log').selectAll().where('resource_type', '=', resourceType).where('outcome', '=', outcome).where('actor_roles', '@>', sql<string[]>`array['citizen']`).orderBy('seq').execute();

let preparedId: string;
let consentId: string;

describe('a consent staff prepared with the citizen', () => {
  it('is checked like a sitting (a blanket one is refused) and grants nothing until confirmed: the liaison’s shared read is refused', async () => {
    expect((await prepare(nordfyn, municipalId, [fvl28], null)).statusCode).toBe(400);
    const res = await prepare(nordfyn, municipalId, [fvl28]);
    expect(res.statusCode, res.body).toBe(201);
    preparedId = (res.json() as { id: string }).id;
    const staff = (await nordfyn.request({ method: 'GET', url: `/api/citizens/${municipalId}/consent-preparations` })).json() as ConsentPreparationList;
    expect(staff.items).toMatchObject([{ id: preparedId, state: 'awaiting', instruments: ['fvl_28'] }]);
    // No consent exists: the crossing check finds nothing.
    expect(await t.db.kysely.selectFrom('consents').select('id').where('person_hash', '=', personHash).execute()).toEqual([]);
    const refused = await sharedRead();
    expect(refused.statusCode).toBe(404);
    const refusal = await t.db.kysely.selectFrom('audit_log').select(['criteria']).where('resource_type', '=', 'shared_record').where('outcome', '=', 'denied').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.stringify(refusal.criteria)).toContain('no_consent');
    const mine = (await (await citizen()).request({ method: 'GET', url: '/api/portal/consents' })).json() as { items: unknown[] };
    expect(mine.items).toEqual([]);
  });

  it('is listed for the citizen with what it would cover, from whom to whom, until when, without a staff name', async () => {
    const res = await (await citizen()).request({ method: 'GET', url: '/api/portal/consent-preparations' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as PortalPreparationList;
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ id: preparedId, organisation: expect.stringMatching(/Nordfyn/) });
    expect(body.items[0]!.items[0]).toMatchObject({ instrument: 'fvl_28', categories: ['municipal_plan'], recipientRoles: ['liaison'], validTo: addDays(today, 90), source: expect.stringMatching(/Nordfyn/) });
    expect(body.items[0]!.items[0]!.consequence.da.length).toBeGreaterThan(10);
    const name = (await t.db.kysely.selectFrom('users').select('name').where('id', '=', NORDFYN).executeTakeFirstOrThrow()).name;
    expect(JSON.stringify(body)).not.toContain(name);
  });

  it('needs level "substantial" (403 assurance_too_low) and a MitID login (403 mitid_required, audited)', async () => {
    const low = await citizen('low');
    expect((await low.request({ method: 'GET', url: '/api/portal/consent-preparations' })).json().error).toBe('assurance_too_low');
    expect((await confirm(low, preparedId)).json().error).toBe('assurance_too_low');
    const before = (await citizenAudit('consent', 'denied')).length;
    const res = await confirm(await citizen('substantial'), preparedId);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('mitid_required');
    const denied = (await citizenAudit('consent', 'denied')).slice(before);
    expect(denied.map((d) => [d.citizen_id, (d.criteria as { reason: string }).reason])).toEqual([[municipalId, 'mitid_required']]);
  });

  it('refuses another person’s preparation and an unknown id with 404, audited', async () => {
    const other = await portalCitizen(rk1, userId(4), { email: 'anden.person@example.invalid' });
    const theirs = await prepare(rk1, other.id, [{ ...fvl28, sourceOrganisationId: ORG.naestved, recipientOrganisationId: ORG.regionSjaelland, programmeId: PROGRAMME.paaVej }]);
    expect(theirs.statusCode, theirs.body).toBe(201);
    const theirId = (theirs.json() as { id: string }).id;
    const s = await citizen();
    const before = (await citizenAudit('consent', 'denied')).length;
    for (const id of [theirId, '00000000-0000-4000-8000-999999999999']) {
      const res = await confirm(s, id);
      expect(res.statusCode).toBe(404);
    }
    const denied = (await citizenAudit('consent', 'denied')).slice(before);
    expect(denied.map((d) => d.resource_id)).toEqual([theirId, theirId, '00000000-0000-4000-8000-999999999999', '00000000-0000-4000-8000-999999999999']);
    expect((await t.db.kysely.selectFrom('consent_preparations').select('confirmed_at').where('id', '=', theirId).executeTakeFirstOrThrow()).confirmed_at).toBeNull();
  });

  it('the citizen confirms it with MitID: the consent holds from today with the transaction’s identifiers, and the liaison’s next read is allowed', async () => {
    const s = await citizen();
    const before = (await citizenAudit('consent', 'success')).length;
    const res = await confirm(s, preparedId);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { consentIds: string[]; confirmedOn: string };
    expect(body.confirmedOn).toBe(today);
    [consentId] = body.consentIds as [string];
    const row = await t.db.kysely.selectFrom('consents').selectAll().where('id', '=', consentId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ given_how: 'portal', given_by: 'citizen', preparation_id: preparedId, mitid_transaction_id: 'mitid-tx-4711', mitid_sid: 'sid-test-1', created_by: NORDFYN, citizen_id: municipalId });
    expect(new Date(row.mitid_auth_time!).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect((await sharedRead()).statusCode).toBe(200);
    const audit = (await citizenAudit('consent', 'success')).slice(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ citizen_id: municipalId, resource_id: preparedId });
    // Confirmed once: a second confirmation is 409; the list no longer offers it; staff no longer see it awaiting.
    expect((await confirm(s, preparedId)).statusCode).toBe(409);
    expect(((await s.request({ method: 'GET', url: '/api/portal/consent-preparations' })).json() as PortalPreparationList).items).toEqual([]);
    expect(((await nordfyn.request({ method: 'GET', url: `/api/citizens/${municipalId}/consent-preparations` })).json() as ConsentPreparationList).items).toEqual([]);
  });

  it('staff cancel one still awaiting; the citizen can no longer confirm it (409)', async () => {
    const res = await prepare(nordfyn, municipalId, [{ ...fvl28, categories: ['activities'] }]);
    const id = (res.json() as { id: string }).id;
    expect((await liaison.request({ method: 'POST', url: `/api/consent-preparations/${id}/cancel` })).statusCode).toBe(404);
    expect((await nordfyn.request({ method: 'POST', url: `/api/consent-preparations/${id}/cancel` })).statusCode).toBe(200);
    expect((await nordfyn.request({ method: 'POST', url: `/api/consent-preparations/${id}/cancel` })).statusCode).toBe(409);
    expect((await confirm(await citizen(), id)).statusCode).toBe(409);
  });
});

describe('the withdrawal request after a code login', () => {
  const send = (s: PortalSession, payload: object) => s.request({ method: 'POST', url: '/api/portal/withdrawal-requests', payload });
  let municipalRequest: string;

  it('is open at level "low", bounded, needs the CSRF token, and withdraws nothing by itself', async () => {
    const low = await citizen('low');
    expect((await send(low, { message: 'x'.repeat(1001) })).statusCode).toBe(400);
    expect((await send(low, { consentId })).statusCode).toBe(400);
    expect((await low.request({ method: 'POST', url: '/api/portal/withdrawal-requests', payload: {}, headers: { 'x-csrf-token': '' } })).statusCode).toBe(403);
    const before = (await citizenAudit('withdrawal_request', 'success')).length;
    const res = await send(low, { message: 'Jeg vil ikke have, at psykiatrien læser med.' });
    expect(res.statusCode, res.body).toBe(201);
    const rows = await t.db.kysely.selectFrom('consent_withdrawal_requests').selectAll().where('citizen_id', 'in', [municipalId, regionId]).execute();
    expect(rows.map((r) => r.citizen_id).sort()).toEqual([municipalId, regionId].sort());
    const audit = (await citizenAudit('withdrawal_request', 'success')).slice(before);
    expect(audit.map((a) => a.citizen_id).sort()).toEqual([municipalId, regionId].sort());
    expect(JSON.stringify(audit)).not.toContain('psykiatrien læser');
    expect((await t.db.kysely.selectFrom('consents').select('withdrawn_at').where('id', '=', consentId).executeTakeFirstOrThrow()).withdrawn_at).toBeNull();
    // The code login still sees no consent.
    expect((await low.request({ method: 'GET', url: '/api/portal/consents' })).statusCode).toBe(403);
  });

  it('staff see it on the record; confirming it withdraws through the consents module, and the liaison’s next read is refused', async () => {
    const list = (await nordfyn.request({ method: 'GET', url: `/api/citizens/${municipalId}/withdrawal-requests` })).json() as WithdrawalRequestList;
    expect(list.items).toMatchObject([{ state: 'open', message: 'Jeg vil ikke have, at psykiatrien læser med.', handledBy: null }]);
    municipalRequest = list.items[0]!.id;
    // Not the region's staff on the municipality's request.
    expect((await liaison.request({ method: 'POST', url: `/api/withdrawal-requests/${municipalRequest}/handle`, payload: { outcome: 'withdraw' } })).statusCode).toBe(404);
    // A consent of anybody else cannot be named.
    const other = await t.db.kysely.selectFrom('consents').select('id').where('person_hash', '<>', personHash).limit(1).executeTakeFirstOrThrow();
    expect((await nordfyn.request({ method: 'POST', url: `/api/withdrawal-requests/${municipalRequest}/handle`, payload: { outcome: 'withdraw', consentIds: [other.id] } })).statusCode).toBe(400);
    expect((await sharedRead()).statusCode).toBe(200);
    const res = await nordfyn.request({ method: 'POST', url: `/api/withdrawal-requests/${municipalRequest}/handle`, payload: { outcome: 'withdraw' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'withdrawn', withdrawnConsentIds: [consentId] });
    const row = await t.db.kysely.selectFrom('consents').select(['withdrawn_how', 'withdrawn_recorded_by', 'withdrawn_on']).where('id', '=', consentId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ withdrawn_how: 'portal', withdrawn_recorded_by: NORDFYN });
    expect((await sharedRead()).statusCode).toBe(404);
    const tasks = await t.db.kysely.selectFrom('crossing_tasks').select(['organisation_id', 'kind']).where('consent_id', '=', consentId).execute();
    expect(tasks).toEqual([{ organisation_id: ORG.paOdense, kind: 'consent_withdrawn_notice' }]);
    expect((await nordfyn.request({ method: 'POST', url: `/api/withdrawal-requests/${municipalRequest}/handle`, payload: { outcome: 'contacted' } })).statusCode).toBe(409);
  });

  it('the region handles its own copy: nothing left to withdraw (409), so it closes it as contacted', async () => {
    const list = (await liaison.request({ method: 'GET', url: `/api/citizens/${regionId}/withdrawal-requests` })).json() as WithdrawalRequestList;
    const id = list.items[0]!.id;
    const none = await liaison.request({ method: 'POST', url: `/api/withdrawal-requests/${id}/handle`, payload: { outcome: 'withdraw' } });
    expect(none.statusCode).toBe(409);
    const res = await liaison.request({ method: 'POST', url: `/api/withdrawal-requests/${id}/handle`, payload: { outcome: 'contacted', note: 'Ringet op' } });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await liaison.request({ method: 'GET', url: `/api/citizens/${regionId}/withdrawal-requests` })).json() as WithdrawalRequestList;
    expect(after.items[0]).toMatchObject({ id, state: 'contacted', handledBy: { name: expect.any(String) } });
  });

  it('limits open requests (429 too_many_requests, audited)', async () => {
    const low = await citizen('low');
    let status = 201;
    for (let n = 0; n < 6 && status === 201; n += 1) status = (await send(low, {})).statusCode;
    expect(status).toBe(429);
    expect((await citizenAudit('withdrawal_request', 'denied')).map((d) => (d.criteria as { reason: string }).reason)).toContain('too_many_requests');
  });
});
