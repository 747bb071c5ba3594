// The citizen's access log on both engines (docs/decisions/0032): a staff read shows on the citizen's next request
// with organisation, role and purpose and never the employee; another citizen's uses never show; the citizen's own
// portal actions (reading the log included) never show; search hits show; keyset pages; the look-up question goes to
// the dpo and its answer back to the citizen; a deferred notice hides the entry until lifted. The index's query plan
// is checked on PostgreSQL alone, in access-log.index.postgres.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLogEntry, AccessLogPage, LookupQuestionPage } from '../../../contracts/portal-log.ts';
import { ORG, userId } from '../../demo/ids.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from '../portal/portal.fixtures.ts';

const RK1 = userId(4);
let t: TestContext;
let rk1: Session;
let dpo: Session;
let regionsdpo: Session;
let address = 0;
const nextAddress = () => `198.51.100.${++address}`;
let serial = 0;

interface Citizen {
  id: string;
  cpr: string;
  portal: PortalSession;
}

async function invitedCitizen(level: 'low' | 'substantial' = 'substantial'): Promise<Citizen> {
  const email = `access.log.${++serial}@example.invalid`;
  const c = await portalCitizen(rk1, RK1, { email, firstName: 'Logga', lastName: `Borgersen${serial}` });
  const res = await invite(rk1, c.id);
  expect(res.statusCode, res.body).toBe(200);
  const portal = await portalLoginAs(t, email, email, nextAddress());
  if (level === 'substantial') await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', portal.csrf).execute();
  return { ...c, portal };
}

async function log(c: Citizen, query = ''): Promise<AccessLogPage> {
  const res = await c.portal.request({ method: 'GET', url: `/api/portal/access-log${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as AccessLogPage;
}

async function everything(c: Citizen): Promise<AccessLogEntry[]> {
  const all: AccessLogEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: AccessLogPage = await log(c, `?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

beforeAll(async () => {
  t = await testApp();
  [rk1, dpo, regionsdpo] = (await Promise.all(['rk1', 'dpo', 'regionsdpo'].map((u) => login(t.app, u)))) as [Session, Session, Session];
});
afterAll(async () => {
  await t.close();
});

describe('the access log', () => {
  it('answers 403 assurance_too_low to a one-time code login, audited', async () => {
    const c = await invitedCitizen('low');
    const res = await c.portal.request({ method: 'GET', url: '/api/portal/access-log' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('assurance_too_low');
    const denied = await t.db.kysely.selectFrom('audit_log').select('criteria').where('citizen_id', '=', c.id).where('outcome', '=', 'denied').execute();
    expect(denied.map((r) => r.criteria)).toContainEqual(expect.objectContaining({ reason: 'assurance_too_low', route: '/api/portal/access-log' }));
  });

  it("shows a staff read on the citizen's next request, with organisation, role and purpose, and never the employee", async () => {
    const c = await invitedCitizen();
    const before = await log(c);
    expect((await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}` })).statusCode).toBe(200);
    const after = await log(c);
    const newest = after.items[0]!;
    expect(newest).toMatchObject({ organisation: 'Næstved Kommune', roles: ['resource_consultant'], purpose: 'case_work', kind: 'read', question: null });
    expect(Date.now() - Date.parse(newest.occurredAt)).toBeLessThan(60_000);
    expect(newest.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(after.items.length).toBe(before.items.length + 1);
    const body = JSON.stringify(after);
    for (const secret of ['rk1', 'Lone Madsen', RK1, 'portal:']) expect(body).not.toContain(secret);
  });

  it("never shows the citizen's own portal actions, however often the log is read, but audits each read", async () => {
    const c = await invitedCitizen();
    const first = await everything(c);
    for (let i = 0; i < 3; i += 1) await log(c);
    expect(await everything(c)).toEqual(first);
    expect(first.every((e) => !e.roles.includes('citizen'))).toBe(true);
    const own = await t.db.kysely.selectFrom('audit_log').select('criteria').where('citizen_id', '=', c.id).where('resource_type', '=', 'portal_access_log').execute();
    expect(own.length).toBeGreaterThanOrEqual(5);
  });

  it("never shows another citizen's entries, and refuses a question about one (404, audited)", async () => {
    const a = await invitedCitizen();
    const b = await invitedCitizen();
    await rk1.request({ method: 'GET', url: `/api/citizens/${a.id}` });
    const aEntry = (await log(a)).items[0]!;
    const bIds = (await everything(b)).map((e) => e.id);
    expect(bIds).not.toContain(aEntry.id);
    const seqsOfA = (await t.db.kysely.selectFrom('audit_log').select('seq').where('citizen_id', '=', a.id).execute()).map((r) => String(r.seq));
    for (const id of bIds) expect(seqsOfA).not.toContain(id);
    const refused = await b.portal.request({ method: 'POST', url: `/api/portal/access-log/${aEntry.id}/questions`, payload: {} });
    expect(refused.statusCode).toBe(404);
    const audit = await t.db.kysely.selectFrom('audit_log').select('criteria').where('citizen_id', '=', b.id).where('resource_type', '=', 'lookup_question').where('outcome', '=', 'denied').execute();
    expect(audit.map((r) => r.criteria)).toContainEqual({ reason: 'unknown_entry', entry: Number(aEntry.id) });
  });

  it('shows a search that returned the citizen as a search hit (one audit row per citizen found, in the same statement)', async () => {
    const c = await invitedCitizen();
    const res = await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { q: c.cpr } });
    expect(res.json().items.map((i: { id: string }) => i.id)).toEqual([c.id]);
    const rows = await t.db.kysely.selectFrom('audit_log').select(['citizen_id', 'criteria']).where('actor_username', '=', 'rk1').where('action', '=', 'search').orderBy('seq', 'desc').limit(2).execute();
    // The search's own row is last; the hit row names the citizen.
    expect(rows[0]!.citizen_id).toBeNull();
    expect(rows[0]!.criteria).toMatchObject({ found: [c.id] });
    expect(rows[1]).toEqual({ citizen_id: c.id, criteria: { hit: true } });
    expect((await log(c)).items[0]).toMatchObject({ kind: 'search_hit', organisation: 'Næstved Kommune', roles: ['resource_consultant'], purpose: 'case_work' });
    // A name search returning several citizens writes one hit row each.
    const many = await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { q: 'Logga', limit: 100 } });
    const found = many.json().items.map((i: { id: string }) => i.id) as string[];
    expect(found.length).toBeGreaterThan(1);
    const hitRows = await t.db.kysely.selectFrom('audit_log').select('citizen_id').where('actor_username', '=', 'rk1').where('action', '=', 'search').where('citizen_id', 'is not', null).orderBy('seq', 'desc').limit(found.length).execute();
    expect(hitRows.map((r) => r.citizen_id).sort()).toEqual([...found].sort());
  });

  it('pages newest first with a keyset cursor, without gaps or repeats', async () => {
    const c = await invitedCitizen();
    for (let i = 0; i < 5; i += 1) await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}` });
    const all = await everything(c);
    expect(all.length).toBeGreaterThanOrEqual(6);
    const paged: AccessLogEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: AccessLogPage = await log(c, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
    const ids = paged.map((e) => Number(e.id));
    expect([...ids].sort((x, y) => y - x)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await c.portal.request({ method: 'GET', url: '/api/portal/access-log?cursor=abc' })).statusCode).toBe(400);
    expect((await c.portal.request({ method: 'GET', url: '/api/portal/access-log?limit=51' })).statusCode).toBe(400);
  });

  it("shows uses in both organisations' logs, each under its own organisation", async () => {
    const c = await invitedCitizen();
    // The same person's record in another organisation, opened to the portal by that organisation.
    const other = await t.db.owner
      .insertInto('citizens')
      .values({
        organisation_id: ORG.nordfyn,
        cpr_encrypted: 'x',
        cpr_hash: (await t.db.kysely.selectFrom('citizens').select('cpr_hash').where('id', '=', c.id).executeTakeFirstOrThrow()).cpr_hash,
        birth_date: '1986-01-01',
        cpr_is_replacement: true,
        first_name: 'Logga',
        last_name: 'Nordfyn',
        search_name: 'logga nordfyn',
        created_by: userId(15),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const link = await t.db.kysely.selectFrom('portal_links').select('account_id').where('citizen_id', '=', c.id).executeTakeFirstOrThrow();
    await t.db.owner
      .insertInto('portal_links')
      .values({ account_id: link.account_id, organisation_id: ORG.nordfyn, citizen_id: other.id, first_invited_at: new Date(), invited_at: new Date(), invited_by: userId(15), channel: 'email' })
      .execute();
    await recordAudit(t.db.kysely, {
      actor: { userId: userId(15), username: 'nordfyn', name: 'Rikke Svendsen', organisationId: ORG.nordfyn, roles: [{ role: 'caseworker', programmeId: null }] },
      organisationId: ORG.nordfyn,
      action: 'update',
      purpose: 'case_work',
      resourceType: 'citizen',
      resourceId: other.id,
      citizenId: other.id,
      outcome: 'success',
    });
    await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}` });
    const items = (await log(c)).items;
    expect(items[0]).toMatchObject({ organisation: 'Næstved Kommune', kind: 'read' });
    expect(items[1]).toMatchObject({ organisation: 'Nordfyns Kommune', roles: ['caseworker'], kind: 'change', purpose: 'case_work' });
    expect(JSON.stringify(items)).not.toMatch(/Rikke|Svendsen|nordfyn"/);
  });
});

describe('asking who made a look-up', () => {
  it("goes to the dpo of the employee's organisation, who answers; the citizen sees the answer", async () => {
    const c = await invitedCitizen();
    await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}` });
    const entry = (await log(c)).items[0]!;
    const asked = await c.portal.request({ method: 'POST', url: `/api/portal/access-log/${entry.id}/questions`, payload: { message: 'Hvem var det?' } });
    expect(asked.statusCode, asked.body).toBe(201);
    const again = await c.portal.request({ method: 'POST', url: `/api/portal/access-log/${entry.id}/questions`, payload: {} });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(asked.json().id);
    // The CSRF token is required.
    const noCsrf = await c.portal.request({ method: 'POST', url: `/api/portal/access-log/${entry.id}/questions`, payload: {}, headers: { 'x-csrf-token': 'wrong' } });
    expect(noCsrf.statusCode).toBe(403);
    expect((await log(c)).items.find((e) => e.id === entry.id)?.question).toMatchObject({ id: asked.json().id, answer: null });

    const queue = await dpo.request({ method: 'GET', url: '/api/lookup-questions' });
    expect(queue.statusCode, queue.body).toBe(200);
    const item = (queue.json() as LookupQuestionPage).items.find((i) => i.id === asked.json().id);
    expect(item).toMatchObject({ citizenId: c.id, message: 'Hvem var det?', entrySeq: Number(entry.id), entry: { actorUsername: 'rk1', action: 'read' }, answer: null });
    // Each question listed is a read of that citizen's data, audited.
    const read = await t.db.kysely.selectFrom('audit_log').select('seq').where('actor_username', '=', 'dpo').where('resource_type', '=', 'lookup_question').where('citizen_id', '=', c.id).execute();
    expect(read.length).toBeGreaterThan(0);

    // Not the caseworker, not another organisation's dpo: 404, audited as refused.
    expect((await rk1.request({ method: 'GET', url: '/api/lookup-questions' })).statusCode).toBe(404);
    expect((await regionsdpo.request({ method: 'POST', url: `/api/lookup-questions/${asked.json().id}/answer`, payload: { answer: 'Nej' } })).statusCode).toBe(404);
    const refusals = await t.db.kysely.selectFrom('audit_log').select(['actor_username', 'criteria']).where('resource_type', '=', 'lookup_question').where('outcome', '=', 'denied').where('actor_username', 'in', ['rk1', 'regionsdpo']).execute();
    expect(refusals.map((r) => r.actor_username).sort()).toEqual(['regionsdpo', 'rk1']);

    const answer = 'Opslaget blev lavet af din ressourcekonsulent i forbindelse med din plan.';
    const answered = await dpo.request({ method: 'POST', url: `/api/lookup-questions/${asked.json().id}/answer`, payload: { answer } });
    expect(answered.statusCode, answered.body).toBe(200);
    expect((await dpo.request({ method: 'POST', url: `/api/lookup-questions/${asked.json().id}/answer`, payload: { answer } })).statusCode).toBe(409);
    const shown = (await everything(c)).find((e) => e.id === entry.id)!;
    expect(shown.question).toMatchObject({ answer, answeredAt: expect.any(String) });
    const open = (await dpo.request({ method: 'GET', url: '/api/lookup-questions?state=open' })).json() as LookupQuestionPage;
    expect(open.items.map((i) => i.id)).not.toContain(asked.json().id);
  });

  it('pages the queue with a keyset cursor', async () => {
    const c = await invitedCitizen();
    for (let i = 0; i < 3; i += 1) await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}` });
    const entries = (await log(c)).items.slice(0, 3);
    for (const e of entries) expect((await c.portal.request({ method: 'POST', url: `/api/portal/access-log/${e.id}/questions`, payload: {} })).statusCode).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await dpo.request({ method: 'GET', url: `/api/lookup-questions?state=all&limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as LookupQuestionPage;
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });
});

describe('a deferred notice', () => {
  it('hides the entry from the citizen until the dpo lifts the deferral', async () => {
    const c = await invitedCitizen();
    await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}` });
    const entry = (await log(c)).items[0]!;
    expect((await rk1.request({ method: 'POST', url: `/api/audit/${entry.id}/notice-deferral`, payload: { ground: 'sdl_43_4', reason: 'Hensyn til patienten' } })).statusCode).toBe(404);
    expect((await regionsdpo.request({ method: 'POST', url: `/api/audit/${entry.id}/notice-deferral`, payload: { ground: 'sdl_43_4', reason: 'Hensyn til patienten' } })).statusCode).toBe(404);
    const deferred = await dpo.request({ method: 'POST', url: `/api/audit/${entry.id}/notice-deferral`, payload: { ground: 'sdl_43_4', reason: 'Hensyn til patienten' } });
    expect(deferred.statusCode, deferred.body).toBe(201);
    expect((await dpo.request({ method: 'POST', url: `/api/audit/${entry.id}/notice-deferral`, payload: { ground: 'dbl_22', reason: 'Igen' } })).statusCode).toBe(409);
    const hidden = await everything(c);
    expect(hidden.map((e) => e.id)).not.toContain(entry.id);
    // Nothing in the log tells that something was deferred.
    expect(hidden.some((e) => e.kind === 'change' && e.roles.includes('dpo'))).toBe(false);
    expect((await c.portal.request({ method: 'POST', url: `/api/portal/access-log/${entry.id}/questions`, payload: {} })).statusCode).toBe(404);
    const lifted = await dpo.request({ method: 'POST', url: `/api/audit-notice-deferrals/${deferred.json().id}/lift` });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect((await everything(c)).map((e) => e.id)).toContain(entry.id);
  });

  it('with a last day: hidden until that day, shown after it; the dpo lists the deferrals, active or all, of the own organisation only', async () => {
    const c = await invitedCitizen();
    await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}` });
    await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}/notes` });
    const [newer, older] = (await log(c)).items;
    const today = new Date().toISOString().slice(0, 10);
    const past = await dpo.request({ method: 'POST', url: `/api/audit/${older!.id}/notice-deferral`, payload: { ground: 'dbl_22', reason: 'Udløbet', until: '2020-01-31' } });
    expect(past.statusCode, past.body).toBe(201);
    expect(past.json().until).toBe('2020-01-31');
    const future = await dpo.request({ method: 'POST', url: `/api/audit/${newer!.id}/notice-deferral`, payload: { ground: 'sdl_43_4', reason: 'Hensyn', until: '2099-06-30' } });
    expect(future.statusCode, future.body).toBe(201);
    const shown = (await everything(c)).map((e) => e.id);
    expect(shown).toContain(older!.id);
    expect(shown).not.toContain(newer!.id);
    expect((await dpo.request({ method: 'POST', url: `/api/audit/${newer!.id}/notice-deferral`, payload: { ground: 'dbl_22', reason: 'x', until: '1800-01-01' } })).statusCode).toBe(400);
    const active = await dpo.request({ method: 'GET', url: '/api/audit-notice-deferrals?limit=100' });
    expect(active.statusCode, active.body).toBe(200);
    const ids = active.json().items.map((d: { id: string }) => d.id);
    expect(ids).toContain(future.json().id);
    expect(ids).not.toContain(past.json().id);
    expect(active.json().items.find((d: { id: string }) => d.id === future.json().id)).toMatchObject({ citizenId: c.id, ground: 'sdl_43_4', reason: 'Hensyn', until: '2099-06-30', active: true, liftedAt: null });
    const all = (await dpo.request({ method: 'GET', url: '/api/audit-notice-deferrals?state=all&limit=100' })).json();
    expect(all.items.find((d: { id: string }) => d.id === past.json().id)).toMatchObject({ active: false, until: '2020-01-31' });
    expect(today >= '2020-01-31').toBe(true);
    // Another organisation's dpo sees none of them; staff without the dpo role get 404.
    const region = (await regionsdpo.request({ method: 'GET', url: '/api/audit-notice-deferrals?state=all&limit=100' })).json();
    expect(region.items.map((d: { id: string }) => d.id)).not.toContain(future.json().id);
    expect((await rk1.request({ method: 'GET', url: '/api/audit-notice-deferrals' })).statusCode).toBe(404);
    // The list's reads never show in the citizen's log.
    expect((await everything(c)).some((e) => e.roles.includes('dpo'))).toBe(false);
  });
});
