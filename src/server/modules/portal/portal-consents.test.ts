// The portal's "Mine samtykker" on both engines: the citizen reads the consents of their own records (both
// organisations, newest first, keyset pages) with the form's consequence text and no staff names; withdraws one
// with a receipt, through the consents module's withdrawal (the same tasks for both organisations), which ends the
// region liaison's shared access on the liaison's next request; another person's consent → 404, a second
// withdrawal → 409 already_withdrawn, a low-assurance session → 403 assurance_too_low, a missing CSRF token → 403;
// each read, withdrawal and refusal audited with the citizen as actor.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, PROGRAMME } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { clearConsentsOf, sharedPerson } from '../consents/consents.fixtures.ts';
import type { PortalConsentList, PortalWithdrawalReceipt } from '../../../contracts/portal-consents.ts';
import { invite, portalLoginAs, type PortalSession } from './portal.fixtures.ts';

let t: TestContext;
let liaison: Session;
let nordfyn: Session;
const today = dateInCopenhagen();
const EMAIL = 'mine.samtykker@example.invalid';

/** The person: the region's record and the municipality's (Nordfyn), both invited to the portal; the demo's consents removed. */
let regionId: string;
let municipalId: string;
let personHash: string;
let address = 0;
const nextAddress = () => `198.51.100.${++address}`;

beforeAll(async () => {
  t = await testApp();
  liaison = await login(t.app, 'liaison');
  nordfyn = await login(t.app, 'nordfyn');
  ({ regionId, municipalId, personHash } = await sharedPerson(t, 3));
  await clearConsentsOf(t, personHash);
  await t.db.owner.updateTable('citizens').set({ email: EMAIL }).where('cpr_hash', '=', personHash).execute();
  for (const [s, id] of [[nordfyn, municipalId], [liaison, regionId]] as const) {
    const res = await invite(s, id);
    expect(res.statusCode, res.body).toBe(200);
  }
});
afterAll(async () => {
  await t.close();
});

/** One session per level (codes to one contact are limited per hour). */
const sessions: Partial<Record<'low' | 'substantial', PortalSession>> = {};
async function citizen(level: 'low' | 'substantial' = 'substantial'): Promise<PortalSession> {
  const known = sessions[level];
  if (known) return known;
  const s = await portalLoginAs(t, EMAIL, EMAIL, nextAddress());
  // No login gives "substantial" before the MitID login is merged: the level is set on the session row.
  if (level === 'substantial') await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
  sessions[level] = s;
  return s;
}

async function recordConsents(s: Session, citizenId: string, body: unknown): Promise<string[]> {
  const res = await s.request({ method: 'POST', url: `/api/citizens/${citizenId}/consents`, payload: body as object });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { ids: string[] }).ids;
}

const sitting = (items: unknown[], validTo = addDays(today, 90)) => ({ givenOn: today, validFrom: today, validTo, givenBy: 'citizen', givenHow: 'written', copyGiven: true, items });
const fvl28 = (categories: string[]) =>
  sitting([{ instrument: 'fvl_28', categories, sourceOrganisationId: ORG.nordfyn, recipientOrganisationId: ORG.paOdense, recipientRoles: ['liaison'], purpose: 'Psykiatriens medarbejder læser med', programmeId: PROGRAMME.fremskudt }]);
const regionPair = () =>
  sitting([
    { instrument: 'sdl_43', categories: ['work_considerations'], sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], purpose: 'Beskæftigelse', programmeId: PROGRAMME.fremskudt },
    { instrument: 'rsl_11a', categories: ['work_considerations'], sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], purpose: 'Beskæftigelse', programmeId: PROGRAMME.fremskudt, caseReference: 'Sag 1' },
  ]);

const list = async (s: PortalSession, query = '') => {
  const res = await s.request({ method: 'GET', url: `/api/portal/consents${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as PortalConsentList;
};
const withdraw = (s: PortalSession, id: string, headers?: Record<string, string>) => s.request({ method: 'POST', url: `/api/portal/consents/${id}/withdraw`, headers });
const auditOf = (resourceType: string, outcome: 'success' | 'denied') =>
  t.db.kysely.selectFrom('audit_log').selectAll().where('resource_type', '=', resourceType).where('outcome', '=', outcome).where('actor_roles', '@>', sql<string[]>`array['citizen']`).orderBy('seq').execute();

let fvlId: string;
let pairIds: string[];

describe('Mine samtykker: the citizen reads the consents of their own records', () => {
  it('lists the consents of both organisations, newest first, with what they cover, from whom to whom, until when and the consequence text, audited', async () => {
    pairIds = await recordConsents(liaison, regionId, regionPair());
    [fvlId] = (await recordConsents(nordfyn, municipalId, fvl28(['municipal_plan', 'activities']))) as [string];
    const s = await citizen();
    const before = (await auditOf('portal_consents', 'success')).length;
    const body = await list(s);
    expect(body.nextCursor).toBeNull();
    // Newest first (the pair of one sitting shares its time: then by id).
    expect(body.items.map((i) => i.id)).toHaveLength(3);
    expect(body.items[0]!.id).toBe(fvlId);
    expect(body.items.slice(1).map((i) => i.id).sort()).toEqual([...pairIds].sort());
    const fvl = body.items[0]!;
    expect(fvl).toMatchObject({
      instrument: 'fvl_28',
      state: 'valid',
      categories: ['municipal_plan', 'activities'],
      recipientRoles: ['liaison'],
      validTo: addDays(today, 90),
      canWithdraw: true,
      withdrawal: null,
      recipientCompany: null,
      recordedBy: expect.stringMatching(/Nordfyn/),
    });
    expect(fvl.consequence.da).toMatch(/trækker det tilbage/);
    expect(fvl.source.name).toMatch(/Nordfyn/);
    expect(fvl.recipient?.name).toMatch(/Odense|Psykiatri/i);
    // Organisations only: no staff member's name or id anywhere in the answer.
    const users = await t.db.kysely.selectFrom('users').select(['id', 'name']).where('username', 'in', ['liaison', 'nordfyn']).execute();
    for (const u of users) {
      expect(JSON.stringify(body)).not.toContain(u.name);
      expect(JSON.stringify(body)).not.toContain(u.id);
    }
    const audit = (await auditOf('portal_consents', 'success')).slice(before);
    expect(audit.map((a) => a.organisation_id).sort()).toEqual([ORG.paOdense, ORG.nordfyn].sort());
    expect(audit.map((a) => a.citizen_id).sort()).toEqual([regionId, municipalId].sort());
    expect(audit.every((a) => a.actor_user_id === null && (a.criteria as { count: number }).count === 3)).toBe(true);
  });

  it('pages by keyset: the cursor leads on without repeats, and a forged cursor is 400', async () => {
    const s = await citizen();
    const first = await list(s, '?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await list(s, `?limit=2&cursor=${first.nextCursor!}`);
    expect(second.items).toHaveLength(1);
    expect([...first.items, ...second.items].map((i) => i.id).sort()).toEqual([fvlId, ...pairIds].sort());
    expect(second.nextCursor).toBeNull();
    expect((await s.request({ method: 'GET', url: '/api/portal/consents?cursor=bm9wZQ' })).statusCode).toBe(400);
    expect((await s.request({ method: 'GET', url: '/api/portal/consents?limit=51' })).statusCode).toBe(400);
  });

  it('shows only the records open to the portal: never another person’s consents', async () => {
    const s = await citizen();
    const ids = (await list(s)).items.map((i) => i.id);
    const mine = await t.db.kysely.selectFrom('consents').select('id').where('citizen_id', 'in', [regionId, municipalId]).execute();
    expect(ids.sort()).toEqual(mine.map((m) => m.id).sort());
    const others = await t.db.kysely.selectFrom('consents').select('id').where('person_hash', '<>', personHash).limit(1).execute();
    expect(others.length).toBe(1);
    expect(ids).not.toContain(others[0]!.id);
  });

  it('a low-assurance session gets 403 assurance_too_low on both routes, audited', async () => {
    const s = await citizen('low');
    const before = (await auditOf('portal', 'denied')).length;
    const read = await s.request({ method: 'GET', url: '/api/portal/consents' });
    expect(read.statusCode).toBe(403);
    expect(read.json().error).toBe('assurance_too_low');
    const change = await withdraw(s, fvlId);
    expect(change.statusCode).toBe(403);
    expect(change.json().error).toBe('assurance_too_low');
    const denied = (await auditOf('portal', 'denied')).slice(before);
    expect(denied.map((d) => (d.criteria as { reason: string }).reason)).toEqual(['assurance_too_low', 'assurance_too_low', 'assurance_too_low', 'assurance_too_low']);
    expect((await t.db.kysely.selectFrom('consents').select('withdrawn_at').where('id', '=', fvlId).executeTakeFirstOrThrow()).withdrawn_at).toBeNull();
  });
});

describe('the citizen withdraws a consent in the portal', () => {
  it('refuses another person’s consent and an unknown id with 404, audited, and changes nothing', async () => {
    const s = await citizen();
    const other = await t.db.kysely.selectFrom('consents').select('id').where('person_hash', '<>', personHash).where('withdrawn_at', 'is', null).limit(1).executeTakeFirstOrThrow();
    const before = (await auditOf('consent', 'denied')).length;
    const res = await withdraw(s, other.id);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('not_found');
    expect((await withdraw(s, '00000000-0000-4000-8000-999999999999')).statusCode).toBe(404);
    const denied = (await auditOf('consent', 'denied')).slice(before);
    expect(denied.map((d) => [d.resource_id, (d.criteria as { reason: string }).reason])).toEqual([
      [other.id, 'not own'],
      [other.id, 'not own'],
      ['00000000-0000-4000-8000-999999999999', 'unknown id'],
      ['00000000-0000-4000-8000-999999999999', 'unknown id'],
    ]);
    expect(denied.every((d) => [regionId, municipalId].includes(d.citizen_id!))).toBe(true);
    expect((await t.db.kysely.selectFrom('consents').select('withdrawn_at').where('id', '=', other.id).executeTakeFirstOrThrow()).withdrawn_at).toBeNull();
  });

  it('needs the CSRF token', async () => {
    const s = await citizen();
    expect((await withdraw(s, fvlId, { 'x-csrf-token': 'wrong' })).statusCode).toBe(403);
    expect((await t.db.kysely.selectFrom('consents').select('withdrawn_at').where('id', '=', fvlId).executeTakeFirstOrThrow()).withdrawn_at).toBeNull();
  });

  it('withdraws with a receipt; the region liaison’s next read of the shared record is refused; the organisations get their tasks; a second withdrawal is 409', async () => {
    // The liaison reads along while the fvl_28 consent covers it.
    const open = await liaison.request({ method: 'GET', url: `/api/citizens/${municipalId}/shared-record` });
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json().categories).toEqual(['municipal_plan', 'activities']);

    const s = await citizen();
    const res = await withdraw(s, fvlId);
    expect(res.statusCode, res.body).toBe(200);
    const receipt = res.json() as PortalWithdrawalReceipt;
    expect(receipt).toMatchObject({ consentId: fvlId, instrument: 'fvl_28', withdrawnOn: today, categories: ['municipal_plan', 'activities'] });
    expect(receipt.receiptId).toMatch(/^[0-9a-f-]{36}$/);
    expect(receipt.source).toMatch(/Nordfyn/);
    expect(receipt.consequence.da).toMatch(/trækker det tilbage/);
    expect(Math.abs(Date.parse(receipt.withdrawnAt) - Date.now())).toBeLessThan(60_000);

    // The very next request of the region's liaison: refused, audited on the municipality's side.
    const closed = await liaison.request({ method: 'GET', url: `/api/citizens/${municipalId}/shared-record` });
    expect(closed.statusCode).toBe(404);
    const refusal = await t.db.kysely.selectFrom('audit_log').select(['organisation_id', 'criteria']).where('resource_type', '=', 'shared_record').where('outcome', '=', 'denied').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(refusal.organisation_id).toBe(ORG.nordfyn);
    expect(JSON.stringify(refusal.criteria)).toContain('withdrawn');
    const records = (await liaison.request({ method: 'GET', url: `/api/citizens/${regionId}/municipal-records` })).json() as { items: unknown[] };
    expect(records.items).toEqual([]);

    // Stored as a portal withdrawal, no staff member, with the receipt.
    const row = await t.db.kysely.selectFrom('consents').select(['withdrawn_on', 'withdrawn_how', 'withdrawn_recorded_by', 'withdrawal_receipt_id']).where('id', '=', fvlId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ withdrawn_how: 'portal', withdrawn_recorded_by: null, withdrawal_receipt_id: receipt.receiptId });
    // The same tasks a withdrawal always leaves: both organisations are told (the citizen is neither of them).
    const tasks = await t.db.kysely.selectFrom('crossing_tasks').select(['organisation_id', 'citizen_id', 'kind']).where('consent_id', '=', fvlId).orderBy('organisation_id').execute();
    expect(tasks.map((x) => [x.organisation_id, x.citizen_id, x.kind]).sort()).toEqual(
      [
        [ORG.paOdense, regionId, 'consent_withdrawn_notice'],
        [ORG.nordfyn, municipalId, 'consent_withdrawn_notice'],
      ].sort(),
    );
    // Audited with the citizen as actor, on both organisations' records.
    const audit = (await auditOf('consent', 'success')).filter((a) => a.resource_id === fvlId);
    expect(audit.map((a) => a.organisation_id).sort()).toEqual([ORG.paOdense, ORG.nordfyn].sort());
    expect(audit.every((a) => (a.criteria as { receiptId: string }).receiptId === receipt.receiptId && a.actor_user_id === null)).toBe(true);

    // The list shows it withdrawn, with the receipt; a second withdrawal is 409 already_withdrawn, audited.
    const shown = (await list(s)).items.find((i) => i.id === fvlId)!;
    expect(shown).toMatchObject({ state: 'withdrawn', canWithdraw: false, withdrawal: { withdrawnOn: today, how: 'portal', receiptId: receipt.receiptId } });
    const again = await withdraw(s, fvlId);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'already_withdrawn', issues: [{ path: 'id', message: 'already_withdrawn' }] });
    const denied = (await auditOf('consent', 'denied')).filter((a) => a.resource_id === fvlId);
    expect(denied.map((d) => (d.criteria as { reason: string }).reason)).toContain('already_withdrawn');
    // Staff see the same withdrawal on their consent list.
    const staff = (await nordfyn.request({ method: 'GET', url: `/api/citizens/${municipalId}/consents` })).json() as { items: { id: string; state: string; withdrawal: { how: string; recordedBy: unknown } | null }[] };
    expect(staff.items.find((i) => i.id === fvlId)).toMatchObject({ state: 'withdrawn', withdrawal: { how: 'portal', recordedBy: null } });
  });

  it('an sdl_43 withdrawal leaves the region its journal task, as when staff record it', async () => {
    const s = await citizen();
    const res = await withdraw(s, pairIds[0]!);
    expect(res.statusCode, res.body).toBe(200);
    const tasks = await t.db.kysely.selectFrom('crossing_tasks').select(['organisation_id', 'kind']).where('consent_id', '=', pairIds[0]!).where('kind', '<>', 'journal_consent').execute();
    expect(tasks.map((x) => `${x.organisation_id}:${x.kind}`).sort()).toEqual(
      [`${ORG.paOdense}:journal_withdrawal`, `${ORG.paOdense}:consent_withdrawn_notice`, `${ORG.nordfyn}:consent_withdrawn_notice`].sort(),
    );
  });
});
