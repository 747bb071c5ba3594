// The single entry point through the HTTP API (both engines): named inquiries only while consents cover both
// directions, anonymous and general ones, who sees what (audited refusals), the state machine, answers with
// health information as disclosures, response times on hand-made data, and the region staff's home pages.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { monthStart } from './home.service.ts';
import { makePerson, recordConsent, type ConsentOptions, type Person } from './inquiries.fixtures.ts';

let t: TestContext;
let nordfyn: Session;
let nordfyn2: Session;
let liaison: Session;
let behandler: Session;
let rk1: Session;
const NORDFYN = userId(15);
const today = dateInCopenhagen();

let serial = 4100;
const newPerson = (lastName: string) => makePerson(t, nordfyn, `710391-${String(serial++).padStart(4, '0')}`, lastName);
const consent = (p: Person, instrument: 'sdl_43' | 'rsl_11a' | 'fvl_28', o: ConsentOptions = {}) => recordConsent(t, p, instrument, o);

const ask = (s: Session, payload: Record<string, unknown>) =>
  s.request({ method: 'POST', url: '/api/inquiries', payload: { programmeId: PROGRAMME.fremskudt, subject: 'Spørgsmål', body: 'Hvordan kan vi bedst tilrettelægge praktikken?', ...payload } });

async function general(subject = 'Generelt spørgsmål'): Promise<{ id: string; version: number }> {
  const res = await ask(nordfyn, { kind: 'general', subject });
  expect(res.statusCode).toBe(201);
  return res.json();
}

beforeAll(async () => {
  t = await testApp();
  nordfyn = await login(t.app, 'nordfyn');
  liaison = await login(t.app, 'liaison');
  behandler = await login(t.app, 'behandler');
  rk1 = await login(t.app, 'rk1');
  // A second Nordfyn caseworker in the programme: same organisation, not the asker.
  const user = await t.db.owner
    .insertInto('users')
    .values({ organisation_id: ORG.nordfyn, username: 'nordfyn2', name: 'Anden Sagsbehandler', password_hash: await hashPassword('demo-demo-demo'), is_demo: true } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.owner.insertInto('user_roles').values({ user_id: (user as { id: string }).id, organisation_id: ORG.nordfyn, role: 'caseworker', programme_id: PROGRAMME.fremskudt }).execute();
  nordfyn2 = await login(t.app, 'nordfyn2', 'demo-demo-demo');
});
afterAll(async () => {
  await t.close();
});

describe('a named inquiry', () => {
  it('is refused without consents both ways, naming what is missing, and the refusal is audited', async () => {
    const p = await newPerson('Udensamtykke');
    const res = await ask(nordfyn, { kind: 'named', citizenId: p.municipalId });
    expect(res.statusCode).toBe(409);
    const paths = (res.json().issues as { path: string; message: string }[]).map((i) => `${i.path}:${i.message}`);
    expect(paths).toEqual(['consent.fvl_28:no_consent', 'consent.sdl_43:no_consent']);
    const denied = (await auditRows(t.db, { actorUsername: 'nordfyn', outcome: 'denied' })).filter((r) => r.resource_type === 'inquiry' && r.citizen_id === p.municipalId);
    expect(denied).toHaveLength(1);
    expect(await t.db.kysely.selectFrom('inquiries').select('id').where('citizen_id', '=', p.municipalId).execute()).toHaveLength(0);
  });

  it('is refused with only one direction', async () => {
    const onlyMunicipal = await newPerson('Kunkommune');
    await consent(onlyMunicipal, 'fvl_28');
    let res = await ask(nordfyn, { kind: 'named', citizenId: onlyMunicipal.municipalId });
    expect(res.statusCode).toBe(409);
    expect(res.json().issues).toEqual([{ path: 'consent.sdl_43', message: 'no_consent' }]);

    const onlyRegion = await newPerson('Kunregion');
    await consent(onlyRegion, 'sdl_43');
    res = await ask(nordfyn, { kind: 'named', citizenId: onlyRegion.municipalId });
    expect(res.statusCode).toBe(409);
    expect(res.json().issues).toEqual([{ path: 'consent.fvl_28', message: 'no_consent' }]);

    // A withdrawn municipal consent and one for another role name their reason.
    const lapsed = await newPerson('Tilbagekaldt');
    await consent(lapsed, 'fvl_28', { withdrawn: true });
    await consent(lapsed, 'sdl_43', { roles: ['job_consultant'] });
    res = await ask(nordfyn, { kind: 'named', citizenId: lapsed.municipalId });
    expect(res.statusCode).toBe(409);
    expect((res.json().issues as { path: string; message: string }[]).map((i) => `${i.path}:${i.message.split(' ')[0]}`)).toEqual(['consent.fvl_28:withdrawn', 'consent.sdl_43:other_role']);
  });

  it('is sent with both, lands in the liaison\u2019s queue with the name, and carries the consent ids', async () => {
    const p = await newPerson('Medsamtykke');
    const fvl = await consent(p, 'fvl_28');
    const sdl = await consent(p, 'sdl_43');
    const res = await ask(nordfyn, { kind: 'named', citizenId: p.municipalId, subject: 'Om praktik' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ kind: 'named', status: 'new', citizenId: p.municipalId, citizenName: 'Henvendelse Medsamtykke', recipientOrganisationName: 'Psykiatrisk Afdeling Odense' });
    const row = await t.db.kysely.selectFrom('inquiries').select(['consent_ids', 'recipient_organisation_id']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect([...row.consent_ids].sort()).toEqual([fvl, sdl].sort());
    expect(row.recipient_organisation_id).toBe(ORG.paOdense);

    const queue = await liaison.request({ method: 'GET', url: '/api/inquiries?limit=50' });
    expect(queue.statusCode).toBe(200);
    expect(queue.json().view).toBe('queue');
    expect(queue.json().items.map((i: { id: string }) => i.id)).toContain(created.id);
    const detail = await liaison.request({ method: 'GET', url: `/api/inquiries/${created.id}` });
    expect(detail.json()).toMatchObject({ regionCitizenId: p.regionId, canAnswer: true, canTake: true, canReply: false });
    expect(detail.json().messages[0]).toMatchObject({ fromAsker: true, body: 'Hvordan kan vi bedst tilrettelægge praktikken?' });
  });
});

describe('anonymous and general inquiries', () => {
  it('need no consent, name nobody, and refuse a citizen id', async () => {
    const anonymous = await ask(nordfyn, { kind: 'anonymous', subject: 'Borger med angst', body: 'En borger i 30’erne med angst: hvordan kan vi starte blidt?' });
    expect(anonymous.statusCode).toBe(201);
    expect(anonymous.json()).toMatchObject({ kind: 'anonymous', citizenId: null, citizenName: null });
    const p = await newPerson('Anonym');
    expect((await ask(nordfyn, { kind: 'anonymous', citizenId: p.municipalId })).statusCode).toBe(400);
    expect((await ask(nordfyn, { kind: 'named' })).statusCode).toBe(400);
    expect((await ask(nordfyn, { kind: 'general' })).statusCode).toBe(201);
  });

  it('cannot be asked by the liaison, the clinician or staff outside the programme', async () => {
    for (const s of [liaison, behandler, rk1]) expect((await ask(s, { kind: 'general' })).statusCode).toBe(404);
  });
});

describe('who sees an inquiry', () => {
  it('its asker and the receiving liaison; other municipal staff, the clinician and another organisation get an audited 404', async () => {
    const q = await general('Synlighed');
    expect((await nordfyn.request({ method: 'GET', url: `/api/inquiries/${q.id}` })).statusCode).toBe(200);
    expect((await liaison.request({ method: 'GET', url: `/api/inquiries/${q.id}` })).statusCode).toBe(200);
    for (const s of [nordfyn2, behandler, rk1]) {
      const res = await s.request({ method: 'GET', url: `/api/inquiries/${q.id}` });
      expect(res.statusCode).toBe(404);
      const denied = (await auditRows(t.db, { actorUsername: s.username, outcome: 'denied' })).filter((r) => r.resource_id === q.id);
      expect(denied.length).toBeGreaterThanOrEqual(1);
    }
    // Answering is refused the same way.
    expect((await nordfyn2.request({ method: 'POST', url: `/api/inquiries/${q.id}/answers`, payload: { body: 'Hej', version: q.version } })).statusCode).toBe(404);
    // Lists: the asker sees their own; another caseworker sees none of them.
    const mine = await nordfyn.request({ method: 'GET', url: '/api/inquiries' });
    expect(mine.json().view).toBe('asked');
    expect(mine.json().items.map((i: { id: string }) => i.id)).toContain(q.id);
    const theirs = await nordfyn2.request({ method: 'GET', url: '/api/inquiries' });
    expect(theirs.json().items).toEqual([]);
    expect((await behandler.request({ method: 'GET', url: '/api/inquiries' })).statusCode).toBe(404);
  });

  it('pages the queue with a keyset, oldest first', async () => {
    for (let i = 0; i < 3; i++) await general(`Side ${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let previous = '';
    do {
      const res = await liaison.request({ method: 'GET', url: `/api/inquiries?limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { id: string; askedAt: string }[]; nextCursor: string | null };
      for (const item of body.items) {
        expect(item.askedAt >= previous).toBe(true);
        previous = item.askedAt;
        seen.push(item.id);
      }
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await liaison.request({ method: 'GET', url: '/api/inquiries?cursor=bm9wZQ' })).statusCode).toBe(400);
  });
});

describe('the state machine', () => {
  it('takes, answers, replies, answers again and closes', async () => {
    let q = await general('Forløb');
    const take = await liaison.request({ method: 'POST', url: `/api/inquiries/${q.id}/status`, payload: { status: 'in_progress', version: q.version } });
    expect(take.statusCode).toBe(200);
    expect(take.json()).toMatchObject({ status: 'in_progress', assignedToName: 'Camilla Juhl', canTake: false });
    q = take.json();
    // The asker cannot take it.
    expect((await nordfyn.request({ method: 'POST', url: `/api/inquiries/${q.id}/status`, payload: { status: 'in_progress', version: q.version } })).statusCode).toBe(404);
    // A stale version is refused.
    expect((await liaison.request({ method: 'POST', url: `/api/inquiries/${q.id}/answers`, payload: { body: 'Svar', version: q.version - 1 } })).statusCode).toBe(409);
    const answer = await liaison.request({ method: 'POST', url: `/api/inquiries/${q.id}/answers`, payload: { body: 'Start med korte dage.', version: q.version } });
    expect(answer.statusCode).toBe(201);
    expect(answer.json()).toMatchObject({ status: 'answered', messageCount: 2 });
    const firstAnswerAt = answer.json().firstAnswerAt as string;
    expect(firstAnswerAt).not.toBeNull();
    q = answer.json();
    const seen = await nordfyn.request({ method: 'GET', url: `/api/inquiries/${q.id}` });
    expect(seen.json().messages.map((m: { fromAsker: boolean; body: string }) => [m.fromAsker, m.body])).toEqual([
      [true, 'Hvordan kan vi bedst tilrettelægge praktikken?'],
      [false, 'Start med korte dage.'],
    ]);
    const reply = await nordfyn.request({ method: 'POST', url: `/api/inquiries/${q.id}/answers`, payload: { body: 'Tak — og hvis hun bliver syg?', version: q.version } });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().status).toBe('in_progress');
    q = reply.json();
    // The asker never sends health information.
    expect((await nordfyn.request({ method: 'POST', url: `/api/inquiries/${q.id}/answers`, payload: { body: 'x', healthInformation: true, categories: ['crisis_plan'], version: q.version } })).statusCode).toBe(400);
    const again = await liaison.request({ method: 'POST', url: `/api/inquiries/${q.id}/answers`, payload: { body: 'Så aftal en plan.', version: q.version } });
    expect(again.json()).toMatchObject({ status: 'answered', firstAnswerAt });
    q = again.json();
    const close = await nordfyn.request({ method: 'POST', url: `/api/inquiries/${q.id}/status`, payload: { status: 'closed', version: q.version } });
    expect(close.statusCode).toBe(200);
    expect(close.json()).toMatchObject({ status: 'closed', canClose: false, canAnswer: false });
    q = close.json();
    expect((await liaison.request({ method: 'POST', url: `/api/inquiries/${q.id}/answers`, payload: { body: 'Sent svar', version: q.version } })).statusCode).toBe(409);
    const closedQueue = await liaison.request({ method: 'GET', url: '/api/inquiries?status=closed&limit=50' });
    expect(closedQueue.json().items.map((i: { id: string }) => i.id)).toContain(q.id);
  });
});

describe('an answer with health information', () => {
  it('is refused in an anonymous or general inquiry', async () => {
    const anonymous = (await ask(nordfyn, { kind: 'anonymous', body: 'En borger med psykose …' })).json();
    const res = await liaison.request({ method: 'POST', url: `/api/inquiries/${anonymous.id}/answers`, payload: { body: 'Jeg kender personen …', healthInformation: true, categories: ['treatment_summary'], version: anonymous.version } });
    expect(res.statusCode).toBe(409);
    expect(res.json().issues[0].message).toBe('not_in_anonymous_inquiry');
    expect((await liaison.request({ method: 'POST', url: `/api/inquiries/${anonymous.id}/answers`, payload: { body: 'x', healthInformation: true, version: anonymous.version } })).statusCode).toBe(400);
  });

  it('is a disclosure: refused (audited) without the municipality\u2019s rsl_11a or outside the sdl_43 categories, recorded on both sides when covered', async () => {
    const p = await newPerson('Videregivelse');
    await consent(p, 'fvl_28');
    await consent(p, 'sdl_43', { categories: ['work_considerations'] });
    let q = (await ask(nordfyn, { kind: 'named', citizenId: p.municipalId })).json();
    let res = await liaison.request({ method: 'POST', url: `/api/inquiries/${q.id}/answers`, payload: { body: 'Hun tåler ikke stress.', healthInformation: true, categories: ['work_considerations', 'crisis_plan'], version: q.version } });
    expect(res.statusCode).toBe(409);
    const issues = (res.json().issues as { path: string; message: string }[]).map((i) => `${i.path}:${i.message}`);
    expect(issues).toContain('consent.sdl_43:other_category (crisis_plan)');
    expect(issues).toContain('consent.rsl_11a:no_consent (work_considerations)');
    const denied = (await auditRows(t.db, { actorUsername: 'liaison', outcome: 'denied' })).filter((r) => r.resource_type === 'disclosure' && r.citizen_id === p.regionId);
    expect(denied).toHaveLength(1);
    expect(denied[0]!.organisation_id).toBe(ORG.paOdense);

    await consent(p, 'rsl_11a', { categories: ['work_considerations'] });
    res = await liaison.request({ method: 'POST', url: `/api/inquiries/${q.id}/answers`, payload: { body: 'Hun tåler ikke stress.', healthInformation: true, categories: ['work_considerations'], version: q.version } });
    expect(res.statusCode).toBe(201);
    q = res.json();
    const message = q.messages[1];
    expect(message).toMatchObject({ healthInformation: true });
    expect(message.disclosureId).toBeTruthy();
    const disclosure = await t.db.kysely.selectFrom('disclosures').selectAll().where('id', '=', message.disclosureId).executeTakeFirstOrThrow();
    expect(disclosure).toMatchObject({ organisation_id: ORG.paOdense, citizen_id: p.regionId, recipient_organisation_id: ORG.nordfyn, recipient_citizen_id: p.municipalId, basis: 'consent', channel: 'digital' });
    const received = await t.db.kysely.selectFrom('received_disclosures').selectAll().where('disclosure_id', '=', message.disclosureId).executeTakeFirstOrThrow();
    expect(received).toMatchObject({ organisation_id: ORG.nordfyn, citizen_id: p.municipalId, disclosed_by_name: 'Camilla Juhl' });
    const regionLog = (await auditRows(t.db, { actorUsername: 'liaison', action: 'create' })).filter((r) => r.resource_type === 'disclosure' && r.outcome === 'success');
    expect(regionLog.at(-1)).toMatchObject({ organisation_id: ORG.paOdense, citizen_id: p.regionId });
    // The municipality's read of the answer is logged with its basis.
    await nordfyn.request({ method: 'GET', url: `/api/inquiries/${q.id}` });
    const read = (await auditRows(t.db, { actorUsername: 'nordfyn', action: 'read' })).filter((r) => r.resource_id === q.id).at(-1)!;
    expect(read.organisation_id).toBe(ORG.nordfyn);
    expect(JSON.stringify(read.criteria)).toContain(message.disclosureId);
  });
});

describe('response times', () => {
  it('give the median and the 90th percentile per month of the first answer', async () => {
    await sql`delete from inquiry_messages`.execute(t.db.owner);
    await sql`delete from inquiries`.execute(t.db.owner);
    const insert = async (hoursToAnswer: number | null, answeredAt: string) => {
      await sql`insert into inquiries (organisation_id, recipient_organisation_id, programme_id, kind, subject, status, asked_by, asked_at, first_answer_at)
                values (${ORG.nordfyn}, ${ORG.paOdense}, ${PROGRAMME.fremskudt}, 'general', 'Måling', ${hoursToAnswer === null ? 'new' : 'answered'}, ${NORDFYN},
                        ${answeredAt}::timestamptz - make_interval(hours => ${hoursToAnswer ?? 1}), ${hoursToAnswer === null ? null : answeredAt}::timestamptz)`.execute(t.db.owner);
    };
    const now = new Date(Date.now() - 60_000).toISOString();
    for (const h of [1, 2, 3, 4, 10]) await insert(h, now);
    await insert(null, now);
    const lastMonth = `${monthStart(today, 1)}T12:00:00+01:00`;
    for (const h of [24, 48]) await insert(h, lastMonth);
    const res = await liaison.request({ method: 'GET', url: '/api/liaison/overview' });
    expect(res.statusCode).toBe(200);
    const months = res.json().responseTimes as { month: string; answered: number; medianHours: number | null; p90Hours: number | null }[];
    expect(months).toHaveLength(6);
    expect(months[5]).toEqual({ month: today.slice(0, 7), answered: 5, medianHours: 3, p90Hours: 7.6 });
    expect(months[4]).toEqual({ month: monthStart(today, 1).slice(0, 7), answered: 2, medianHours: 36, p90Hours: 45.6 });
    expect(months[0]).toMatchObject({ answered: 0, medianHours: null });
    expect(res.json().queue).toEqual({ new: 1, inProgress: 0, answered: 7, closed: 0 });
    expect(res.json().waitingLongest).toHaveLength(1);
  });

  it('month starts across a year', () => {
    expect(monthStart('2026-02-14', 5)).toBe('2025-09-01');
    expect(monthStart('2026-12-02', 0)).toBe('2026-12-01');
    expect(monthStart('2026-01-31', 1)).toBe('2025-12-01');
  });
});

describe('the home pages', () => {
  it('the liaison\u2019s overview lists consents expiring within 30 days and knowledge transfers to write', async () => {
    const p = await newPerson('Udløber');
    const soon = await consent(p, 'sdl_43', { validTo: addDays(today, 10) });
    const later = await consent(p, 'fvl_28', { validTo: addDays(today, 60) });
    const res = await liaison.request({ method: 'GET', url: '/api/liaison/overview' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const expiring = body.expiringConsents as { id: string; direction: string; daysLeft: number; citizenId: string }[];
    expect(expiring.find((c) => c.id === soon)).toMatchObject({ direction: 'given', daysLeft: 10, citizenId: p.regionId });
    expect(expiring.find((c) => c.id === later)).toBeUndefined();
    expect(body.knowledgeTransfersToWrite.count).toBeGreaterThanOrEqual(1);
    expect((await nordfyn.request({ method: 'GET', url: '/api/liaison/overview' })).statusCode).toBe(404);
  });

  it('the clinician sees a patient only while a valid fvl_28 consent names the region', async () => {
    const p = await newPerson('Behandlerliste');
    const listed = async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await behandler.request({ method: 'GET', url: `/api/clinician/patients?limit=100${cursor ? `&cursor=${cursor}` : ''}` });
        expect(res.statusCode).toBe(200);
        ids.push(...res.json().items.map((i: { citizenId: string }) => i.citizenId));
        cursor = res.json().nextCursor;
      } while (cursor);
      return ids;
    };
    await consent(p, 'sdl_43');
    expect(await listed()).not.toContain(p.regionId);
    await consent(p, 'fvl_28', { withdrawn: true });
    expect(await listed()).not.toContain(p.regionId);
    await consent(p, 'fvl_28', { validFrom: addDays(today, -400), validTo: addDays(today, -1) });
    expect(await listed()).not.toContain(p.regionId);
    await consent(p, 'fvl_28');
    expect(await listed()).toContain(p.regionId);
    expect((await liaison.request({ method: 'GET', url: '/api/clinician/patients' })).statusCode).toBe(404);
    expect((await nordfyn.request({ method: 'GET', url: '/api/clinician/patients' })).statusCode).toBe(404);
  });
});
