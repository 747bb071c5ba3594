// Follow-ups of access requests on both engines (docs/decisions/0041): the staff queue's access condition is part of
// its query, so a page is always full and "next" is right; the citizen's cases page by keyset; the dpo's advice; other
// people's names and CPR numbers in the package's free text are flagged and block the release until resolved.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessCase, AccessQueue, NewAccessRequestAnswer, PortalAccessCaseList } from '../../../contracts/access-requests.ts';
import { userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, TEST_CPR_KEY, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { cprVault } from '../citizens/cpr-vault.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from '../portal/portal.fixtures.ts';
import { addMonths, generatePackage } from './access-requests.service.ts';

let t: TestContext;
let rk1: Session;
let projektleder: Session;
const RK1 = userId(4);
const today = dateInCopenhagen();
let address = 0;
const nextAddress = () => `198.51.100.${100 + ++address}`;

async function substantial(email: string): Promise<PortalSession> {
  const s = await portalLoginAs(t, email, email, nextAddress());
  await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
  return s;
}

/** A portal citizen of rk1's own, invited and logged in at level "substantial". */
async function portalPerson(email: string, names: { firstName?: string; lastName?: string } = {}) {
  const c = await portalCitizen(rk1, RK1, { email, ...names });
  expect((await invite(rk1, c.id)).statusCode).toBe(200);
  return { ...c, session: await substantial(email) };
}

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
  projektleder = await login(t.app, 'projektleder');
});
afterAll(async () => {
  await t.close();
});

async function queuePages(s: Session, limit: number): Promise<AccessQueue[]> {
  const pages: AccessQueue[] = [];
  let cursor: string | null = null;
  do {
    const res = await s.request({ method: 'GET', url: `/api/access-requests?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as AccessQueue;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

describe('the staff queue', () => {
  it('gives full pages of the caller’s cases only, with more cases than a page and some not the caller’s', async () => {
    const asker = await portalPerson('queue.asker@example.invalid');
    const res = await asker.session.request({ method: 'POST', url: '/api/portal/access-requests', payload: {} });
    expect(res.statusCode, res.body).toBe(201);
    const accountId = (await t.db.kysely.selectFrom('access_requests').select('account_id').where('id', '=', (res.json() as NewAccessRequestAnswer).cases[0]!.id).executeTakeFirstOrThrow()).account_id;
    // Næstved's citizens with an enrolment: on rk1's team today or not.
    const { rows } = await sql<{ id: string; organisation_id: string; mine: boolean }>`
      select c.id, c.organisation_id,
             exists (select 1 from enrolments e join team_members tm on tm.enrolment_id = e.id
                      where e.citizen_id = c.id and tm.user_id = ${RK1} and tm.valid_from <= ${today} and (tm.valid_to is null or tm.valid_to >= ${today})) as mine
        from citizens c
       where c.organisation_id = (select organisation_id from users where id = ${RK1})
         and exists (select 1 from enrolments e where e.citizen_id = c.id)
         and c.id <> ${asker.id}
       order by c.id`.execute(t.db.owner);
    const mine = rows.filter((r) => r.mine).slice(0, 6);
    const others = rows.filter((r) => !r.mine).slice(0, 9);
    expect(mine.length).toBe(6);
    expect(others.length).toBe(9);
    // Interleave the deadlines so that every page would hold cases of others if the query did not exclude them.
    const people = [...mine, ...others].map((p, i) => ({ ...p, day: addDays(today, -((i * 7) % 15)) }));
    const inserted = await t.db.owner
      .insertInto('access_requests')
      .values(
        people.map((p) => ({
          request_group_id: crypto.randomUUID(),
          organisation_id: p.organisation_id,
          citizen_id: p.id,
          account_id: accountId,
          received_on: p.day,
          first_deadline: addMonths(p.day, 1),
          deadline: addMonths(p.day, 1),
        })),
      )
      .returning(['id', 'citizen_id'])
      .execute();
    const mineIds = new Set(inserted.filter((r) => mine.some((m) => m.id === r.citizen_id)).map((r) => r.id));
    const othersIds = new Set(inserted.filter((r) => others.some((m) => m.id === r.citizen_id)).map((r) => r.id));
    // rk1's queue: the asker's own case too (rk1 is on its team), so 7 cases of rk1's in pages of 2.
    const pages = await queuePages(rk1, 2);
    const items = pages.flatMap((p) => p.items.map((i) => i.id));
    expect(pages.slice(0, -1).every((p) => p.items.length === 2), 'every page but the last is full').toBe(true);
    expect(pages.at(-1)!.items.length).toBeGreaterThan(0);
    expect(new Set(items).size).toBe(items.length);
    for (const id of mineIds) expect(items).toContain(id);
    for (const id of othersIds) expect(items).not.toContain(id);
    // Ordered by deadline, then id, across pages.
    const all = pages.flatMap((p) => p.items);
    for (let i = 1; i < all.length; i += 1) expect(all[i - 1]!.deadline <= all[i]!.deadline).toBe(true);
  });

  it('keeps out cases of citizens whose team the caller is on without a role that handles cases in that programme', async () => {
    // The programme manager put on three teams (a role the queue's rule does not count): the old filter after the
    // query gave empty pages with a "next"; now the query finds nothing.
    const cases = await t.db.kysely
      .selectFrom('enrolments as e')
      .innerJoin('citizens as c', 'c.id', 'e.citizen_id')
      .select(['e.citizen_id', 'e.id as enrolment_id', 'c.organisation_id'])
      .where('c.organisation_id', '=', sql<string>`(select organisation_id from users where id = ${RK1})`)
      .orderBy('e.id')
      .limit(3)
      .execute();
    expect(cases.length).toBe(3);
    const account = await t.db.kysely.selectFrom('portal_accounts').select('id').limit(1).executeTakeFirstOrThrow();
    await t.db.owner
      .insertInto('access_requests')
      .values(
        cases.map((c) => ({
          request_group_id: crypto.randomUUID(),
          organisation_id: c.organisation_id,
          citizen_id: c.citizen_id,
          account_id: account.id,
          received_on: today,
          first_deadline: addMonths(today, 1),
          deadline: addMonths(today, 1),
        })),
      )
      .execute();
    await t.db.owner
      .insertInto('team_members')
      .values(
        cases.map((c) => ({
          organisation_id: sql<string>`(select organisation_id from enrolments where id = ${c.enrolment_id})` as never,
          enrolment_id: c.enrolment_id,
          user_id: projektleder.userId,
          role: 'resource_consultant',
          valid_from: addDays(today, -1),
          created_by: RK1,
        })),
      )
      .execute();
    const pages = await queuePages(projektleder, 1);
    expect(pages).toEqual([{ items: [], nextCursor: null }]);
  });
});

describe('the citizen’s cases in the portal', () => {
  it('page newest first by keyset, ties on the time of receipt broken by id, with no case twice or missing', async () => {
    const p = await portalPerson('insight.pages@example.invalid');
    const first = await p.session.request({ method: 'POST', url: '/api/portal/access-requests', payload: {} });
    expect(first.statusCode, first.body).toBe(201);
    const own = await t.db.kysely.selectFrom('access_requests').selectAll().where('citizen_id', '=', p.id).executeTakeFirstOrThrow();
    // 24 more: groups of four received at the same moment, to the microsecond (as the cases of one request are).
    const more = Array.from({ length: 24 }, (_, i) => ({
      request_group_id: crypto.randomUUID(),
      organisation_id: own.organisation_id,
      citizen_id: p.id,
      account_id: own.account_id,
      received_at: sql<Date>`now() - ${1 + Math.floor(i / 4)}::int * interval '1 hour'` as never,
      received_on: own.received_on,
      first_deadline: own.first_deadline,
      deadline: own.deadline,
    }));
    await t.db.owner.insertInto('access_requests').values(more).execute();
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const res = await p.session.request({ method: 'GET', url: `/api/portal/access-requests?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as PortalAccessCaseList;
      sizes.push(page.items.length);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([20, 5]);
    expect(new Set(seen).size).toBe(25);
    const expected = await t.db.kysely.selectFrom('access_requests').select('id').where('citizen_id', '=', p.id).orderBy('received_at', 'desc').orderBy('id', 'desc').execute();
    expect(seen).toEqual(expected.map((r) => r.id));
    // Smaller pages across a tie: still every case once.
    const small: string[] = [];
    cursor = null;
    do {
      const page = (await p.session.request({ method: 'GET', url: `/api/portal/access-requests?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` })).json() as PortalAccessCaseList;
      small.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(small).toEqual(seen);
  });
});

describe('the dpo’s advice', () => {
  it('is given by the dpo only, on an open case, shown with who and when to the case’s team; audited; refused after release', async () => {
    const dpo = await login(t.app, 'dpo');
    const p = await portalPerson('advice.asker@example.invalid');
    const asked = await p.session.request({ method: 'POST', url: '/api/portal/access-requests', payload: {} });
    const caseId = (asked.json() as NewAccessRequestAnswer).cases[0]!.id;
    const before = (await dpo.request({ method: 'GET', url: `/api/access-requests/${caseId}` })).json() as AccessCase;
    expect(before).toMatchObject({ canHandle: false, canAdvise: true, advice: [] });
    expect((await rk1.request({ method: 'GET', url: `/api/access-requests/${caseId}` })).json()).toMatchObject({ canHandle: true, canAdvise: false });

    const res = await dpo.request({ method: 'POST', url: `/api/access-requests/${caseId}/advice`, payload: { text: '  Udelad navnet på mødedeltageren, og giv oplysningerne i notatet.  ' } });
    expect(res.statusCode, res.body).toBe(201);
    const given = (res.json() as AccessCase).advice;
    expect(given).toHaveLength(1);
    expect(given[0]).toMatchObject({ text: 'Udelad navnet på mødedeltageren, og giv oplysningerne i notatet.', by: 'Henrik Dahl' });
    expect(Math.abs(Date.parse(given[0]!.at) - Date.now())).toBeLessThan(60_000);
    // The case's team sees it.
    const seen = (await rk1.request({ method: 'GET', url: `/api/access-requests/${caseId}` })).json() as AccessCase;
    expect(seen.advice).toEqual(given);
    const audit = await t.db.kysely.selectFrom('audit_log').select(['actor_username', 'action', 'purpose', 'citizen_id', 'resource_id', 'outcome']).where('resource_type', '=', 'access_request_advice').where('outcome', '=', 'success').execute();
    expect(audit).toEqual([{ actor_username: 'dpo', action: 'create', purpose: 'supervision', citizen_id: p.id, resource_id: given[0]!.id, outcome: 'success' }]);

    // The caseworker may not advise (404, audited); an empty text is refused.
    expect((await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/advice`, payload: { text: 'Mit eget råd' } })).statusCode).toBe(404);
    const denied = await t.db.kysely.selectFrom('audit_log').select(['actor_username', 'outcome']).where('resource_id', '=', caseId).where('outcome', '=', 'denied').execute();
    expect(denied).toEqual([{ actor_username: 'rk1', outcome: 'denied' }]);
    expect((await dpo.request({ method: 'POST', url: `/api/access-requests/${caseId}/advice`, payload: { text: '   ' } })).statusCode).toBe(400);

    // Released: no more advice.
    let c = seen;
    c = (await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/decision`, payload: { version: c.version, outcome: 'refused', reasons: 'Afslag.', complaintGuidance: 'Klag til Datatilsynet.' } })).json() as AccessCase;
    expect(c.advice).toEqual(given);
    const released = await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/release`, payload: { version: c.version } });
    expect(released.statusCode, released.body).toBe(200);
    expect((await dpo.request({ method: 'GET', url: `/api/access-requests/${caseId}` })).json()).toMatchObject({ canAdvise: false });
    expect((await dpo.request({ method: 'POST', url: `/api/access-requests/${caseId}/advice`, payload: { text: 'For sent' } })).statusCode).toBe(409);
  });
});

describe('names and CPR numbers of others in the package’s free text', () => {
  it('are flagged in the redaction step; release is refused until each is redacted or kept; a redaction is applied when the package is made', async () => {
    const p = await portalPerson('freetext.asker@example.invalid', { firstName: 'Asta', lastName: 'Frimann' });
    const other = await portalCitizen(rk1, RK1, { firstName: 'Bodil', lastName: 'Kragh-Sørensen' });
    const otherDigits = other.cpr.replace('-', '');
    const own = p.cpr;
    const note = `Samtale med Asta Frimann (${own}). Hun nævnte at hun bor sammen med bodil  kragh-sørensen, cpr ${otherDigits}. Mødet var godt.`;
    const wrote = await rk1.request({ method: 'POST', url: `/api/citizens/${p.id}/notes`, payload: { kind: 'journal', body: note } });
    expect(wrote.statusCode, wrote.body).toBe(201);
    const asked = await p.session.request({ method: 'POST', url: '/api/portal/access-requests', payload: {} });
    const caseId = (asked.json() as NewAccessRequestAnswer).cases[0]!.id;
    const get = async () => (await rk1.request({ method: 'GET', url: `/api/access-requests/${caseId}` })).json() as AccessCase;
    const cprHash = cprVault(TEST_CPR_KEY).lookupHash;
    const make = async () => {
      const c = await get();
      expect((await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/package`, payload: { version: c.version } })).statusCode).toBe(200);
      await generatePackage(t.db.kysely, { requestId: caseId }, { cprHash });
      return get();
    };

    let c = await make();
    // The other citizen's name (any case, any spacing) and CPR number; not the citizen's own name or number.
    expect(c.textHits.map((h) => [h.kind, h.section, h.resolution]).sort()).toEqual([
      ['cpr', 'Notatets tekst (alle udgaver)', null],
      ['name', 'Notatets tekst (alle udgaver)', null],
    ]);
    expect(c.unresolvedTextHits).toBe(2);
    const nameHit = c.textHits.find((h) => h.kind === 'name')!;
    const cprHit = c.textHits.find((h) => h.kind === 'cpr')!;
    expect(nameHit.excerpt).toContain('bodil  kragh-sørensen'.replace('  ', ' '));
    // The excerpt never shows a whole CPR number.
    expect(cprHit.excerpt).not.toContain(otherDigits);
    expect(cprHit.excerpt).toContain(`${otherDigits.slice(0, 6)}-xxxx`);

    c = (await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/decision`, payload: { version: c.version, outcome: 'partial', reasons: 'Oplysninger om en anden er udeladt.', complaintGuidance: 'Klag til Datatilsynet.' } })).json() as AccessCase;
    const refused = await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/release`, payload: { version: c.version } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'unresolved_free_text' });
    expect(refused.json().message).toMatch(/2 name\(s\) or CPR number\(s\)/);

    // Keeping one changes nothing in the package; still one open.
    let res = await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/text-hits`, payload: { version: c.version, resolutions: [{ key: nameHit.key, resolution: 'keep' }] } });
    expect(res.statusCode, res.body).toBe(200);
    c = res.json() as AccessCase;
    expect(c).toMatchObject({ unresolvedTextHits: 1, package: { state: 'done' } });
    expect((await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/release`, payload: { version: c.version } })).statusCode).toBe(409);
    // An unknown key is refused.
    expect((await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/text-hits`, payload: { version: c.version, resolutions: [{ key: 'nope', resolution: 'keep' }] } })).statusCode).toBe(400);

    // Redacting both discards the package; made again, neither is in it, and the choices stay.
    res = await rk1.request({
      method: 'POST',
      url: `/api/access-requests/${caseId}/text-hits`,
      payload: { version: c.version, resolutions: [{ key: nameHit.key, resolution: 'redact' }, { key: cprHit.key, resolution: 'redact' }] },
    });
    c = res.json() as AccessCase;
    expect(c).toMatchObject({ unresolvedTextHits: 0, package: { state: 'none' } });
    c = await make();
    expect(c.textHits.map((h) => h.resolution)).toEqual(['redact', 'redact']);
    const stored = await t.db.kysely.selectFrom('access_packages').select(['html', sql<string>`json::text`.as('json')]).where('request_id', '=', caseId).executeTakeFirstOrThrow();
    const everything = (stored.html + stored.json).toLocaleLowerCase('da');
    expect(everything).not.toContain('kragh-sørensen');
    expect(everything).not.toContain(otherDigits);
    expect(everything).toContain('asta frimann');
    expect(stored.json).toContain('[Udeladt]');

    c = (await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/decision`, payload: { version: c.version, outcome: 'partial', reasons: 'Oplysninger om en anden er udeladt.', complaintGuidance: 'Klag til Datatilsynet.' } })).json() as AccessCase;
    const released = await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/release`, payload: { version: c.version } });
    expect(released.statusCode, released.body).toBe(200);
  });
});
