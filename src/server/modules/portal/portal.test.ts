// The citizen portal's foundation on both engines: staff invite through the chokepoint (team only, refused without
// contact details), the one-time code login never tells whether a contact is known, codes expire, allow five tries
// and are throttled, a shared contact needs the birth date, the portal and staff sessions never open each other's
// routes, a low-assurance session reads only the summary, and the demo outbox exists only in demo mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userId } from '../../demo/ids.ts';
import { citizenId } from '../../demo/demo-citizens.ts';
import { DEMO_PORTAL_CONTACTS } from '../../demo/demo-portal.ts';
import { loggerOptions } from '../../platform/logging.ts';
import { SESSION_COOKIE } from '../../platform/http.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { normalisePhone, parseContact } from './contact.ts';
import { liveDelivery, type Transport } from './delivery.ts';
import {
  birthDateOf,
  codeIn,
  invite,
  lastMessageTo,
  messageCount,
  portalCitizen,
  portalLogin,
  portalLoginAs,
  requestCode,
  sessionOf,
} from './portal.fixtures.ts';
import { PORTAL_COOKIE } from './portal.session.ts';

const RK1 = userId(4);
let t: TestContext;
let rk1: Session;
let rk3: Session;
const logLines: string[] = [];
let address = 0;
/** A client address of its own per test, so the per-address throttles of one test never reach another. */
const nextAddress = () => `192.0.2.${++address}`;

beforeAll(async () => {
  t = await testApp({ logger: loggerOptions('info', { write: (line: string) => void logLines.push(line) }) });
  [rk1, rk3] = (await Promise.all(['rk1', 'rk3'].map((u) => login(t.app, u)))) as [Session, Session];
});
afterAll(async () => {
  await t.close();
});

async function invitedCitizen(details: { email?: string | null; phone?: string | null; firstName?: string }) {
  const c = await portalCitizen(rk1, RK1, details);
  const res = await invite(rk1, c.id);
  expect(res.statusCode, res.body).toBe(200);
  return c;
}

describe('contact details as the code login matches them', () => {
  it('normalises a number the way the database does, and tells e-mail from phone', async () => {
    const forms = ['+45 20 11 22 33', '0045 20112233', '20 11 22 33', '(+45) 20-11-22-33'];
    for (const f of forms) expect(normalisePhone(f)).toBe('4520112233');
    expect(parseContact(' Anna.Hansen@Example.Invalid ')).toEqual({ kind: 'email', value: 'anna.hansen@example.invalid' });
    expect(parseContact('2011 2233')).toEqual({ kind: 'phone', value: '4520112233' });
    expect(parseContact('not a contact')).toBeNull();
    expect(parseContact('123')).toBeNull();
    const c = await portalCitizen(rk1, RK1, { phone: '(+45) 20-11-22-33', email: 'Anna.Hansen@Example.Invalid' });
    const row = await t.db.kysely.selectFrom('citizens').select(['contact_phone', 'contact_email']).where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ contact_phone: '4520112233', contact_email: 'anna.hansen@example.invalid' });
  });
});

describe('staff invite a citizen to the portal', () => {
  it('sends an invitation to the e-mail on file, shows the status, and audits it', async () => {
    const c = await portalCitizen(rk1, RK1, { email: 'invite.me@example.invalid' });
    const before = await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}/portal-invitation` });
    expect(before.json()).toEqual({ state: 'not_invited', invitedAt: null, lastLoginAt: null, contact: { email: true, phone: false } });
    const res = await invite(rk1, c.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'invited', channel: 'email', contact: { email: true, phone: false } });
    const message = await lastMessageTo(t, 'invite.me@example.invalid');
    expect(message?.body).toContain('/portal');
    // Neutral words: the message names no programme and no organisation.
    expect(message?.body).not.toMatch(/psykiatri|På vej|Næstved|jobcent/i);
    const after = await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}/portal-invitation` });
    expect(after.json().state).toBe('invited');
    const audit = await t.db.kysely.selectFrom('audit_log').selectAll().where('resource_type', '=', 'portal_invitation').where('citizen_id', '=', c.id).execute();
    expect(audit.map((a) => [a.actor_username, a.outcome, a.criteria])).toEqual([['rk1', 'success', { channel: 'email' }]]);
  });

  it('sends by SMS when the citizen prefers text messages and a number is on file', async () => {
    const c = await portalCitizen(rk1, RK1, { email: 'prefers.sms@example.invalid', phone: '+45 21 00 00 01' });
    await t.db.owner.updateTable('citizens').set({ preferred_contact: 'sms' }).where('id', '=', c.id).execute();
    const res = await invite(rk1, c.id);
    expect(res.json().channel).toBe('sms');
    expect((await lastMessageTo(t, '4521000001'))?.channel).toBe('sms');
  });

  it('is refused with 409 naming what is missing when no contact details are on file, audited, nothing sent', async () => {
    const c = await portalCitizen(rk1, RK1, {});
    const messages = await messageCount(t);
    const res = await invite(rk1, c.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'no_contact_details', issues: [{ path: 'contact', message: 'missing' }] });
    expect(await messageCount(t)).toBe(messages);
    expect(await t.db.kysely.selectFrom('portal_links').select('citizen_id').where('citizen_id', '=', c.id).execute()).toEqual([]);
    const audit = await t.db.kysely.selectFrom('audit_log').selectAll().where('resource_type', '=', 'portal_invitation').where('citizen_id', '=', c.id).execute();
    expect(audit.map((a) => [a.outcome, a.criteria])).toEqual([['failure', { reason: 'no_contact_details' }]]);
  });

  it('is refused with 404 to staff who are not on the citizen team, audited as denied', async () => {
    const c = await portalCitizen(rk1, RK1, { email: 'not.your.team@example.invalid' });
    const res = await invite(rk3, c.id);
    expect(res.statusCode).toBe(404);
    const status = await rk3.request({ method: 'GET', url: `/api/citizens/${c.id}/portal-invitation` });
    expect(status.statusCode).toBe(404);
    expect(await messageCount(t, 'not.your.team@example.invalid')).toBe(0);
    const denied = await t.db.kysely.selectFrom('audit_log').selectAll().where('actor_username', '=', 'rk3').where('citizen_id', '=', c.id).where('outcome', '=', 'denied').execute();
    expect(denied.map((d) => (d.criteria as { permission: string }).permission).sort()).toEqual(['portal:invite', 'portal:status']);
  });
});

describe('the one-time code login', () => {
  it('answers an unknown contact exactly as a known one, and sends nothing to it', async () => {
    await invitedCitizen({ email: 'known@example.invalid' });
    const before = await messageCount(t);
    const known = await requestCode(t, 'known@example.invalid', nextAddress());
    const unknown = await requestCode(t, 'unknown@example.invalid', nextAddress());
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(unknown.headers['set-cookie']).toBeUndefined();
    expect(await messageCount(t)).toBe(before + 1);
    expect(await messageCount(t, 'unknown@example.invalid')).toBe(0);
    // The unknown attempt is logged without the address typed.
    const rows = await t.db.kysely.selectFrom('audit_log').selectAll().where('resource_type', '=', 'portal_login_code').where('outcome', '=', 'failure').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain('unknown@example.invalid');
  });

  it('logs in with the code: 200 with the CSRF token and level "low", a portal cookie apart from the staff one, audited with the citizen as actor', async () => {
    const c = await invitedCitizen({ email: 'logs.in@example.invalid', firstName: 'Lise' });
    const ip = nextAddress();
    await requestCode(t, 'Logs.In@Example.invalid', ip);
    const message = await lastMessageTo(t, 'logs.in@example.invalid');
    expect(message?.body).toMatch(/\b[0-9]{6}\b/);
    const res = await portalLogin(t, { contact: 'logs.in@example.invalid', code: codeIn(message!.body) }, ip);
    expect(res.statusCode, res.body).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual(['assurance', 'csrfToken']);
    expect(res.json().assurance).toBe('low');
    const cookie = res.cookies.find((k) => k.name === PORTAL_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(res.cookies.some((k) => k.name === SESSION_COOKIE)).toBe(false);
    const s = sessionOf(t, res);
    const session = await s.request({ method: 'GET', url: '/api/portal/session' });
    expect(session.json()).toMatchObject({ citizen: { firstName: 'Lise' }, assurance: 'low', csrfToken: s.csrf });
    const status = await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}/portal-invitation` });
    expect(status.json().state).toBe('logged_in');
    const rows = await t.db.kysely.selectFrom('audit_log').selectAll().where('resource_type', '=', 'portal_session').where('action', '=', 'login').where('citizen_id', '=', c.id).where('outcome', '=', 'success').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_roles).toEqual(['citizen']);
    expect(rows[0]!.actor_username).toMatch(/^portal:[0-9a-f-]{36}$/);
    expect(rows[0]!.actor_user_id).toBeNull();
    // A code works once.
    const again = await portalLogin(t, { contact: 'logs.in@example.invalid', code: codeIn(message!.body) }, ip);
    expect(again.statusCode).toBe(401);
  });

  it('refuses an expired code', async () => {
    await invitedCitizen({ email: 'expires@example.invalid' });
    const ip = nextAddress();
    await requestCode(t, 'expires@example.invalid', ip);
    const code = codeIn((await lastMessageTo(t, 'expires@example.invalid'))!.body);
    // Eleven minutes later: the code was valid for ten.
    await t.db.owner
      .updateTable('portal_login_codes')
      .set({ created_at: new Date(Date.now() - 11 * 60_000), expires_at: new Date(Date.now() - 60_000) })
      .where('used_at', 'is', null)
      .where('created_at', '>', new Date(Date.now() - 60_000))
      .execute();
    const res = await portalLogin(t, { contact: 'expires@example.invalid', code }, ip);
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('login_failed');
  });

  it('allows five tries per code: after five wrong codes the right one is refused too', async () => {
    await invitedCitizen({ phone: '+45 22 00 00 05' });
    const ip = nextAddress();
    await requestCode(t, '22 00 00 05', ip);
    const code = codeIn((await lastMessageTo(t, '4522000005'))!.body);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await portalLogin(t, { contact: '22000005', code: wrong }, ip)).statusCode).toBe(401);
    const right = await portalLogin(t, { contact: '22000005', code }, ip);
    expect(right.statusCode).toBe(401);
    expect(right.body).toBe((await portalLogin(t, { contact: '22000005', code: wrong }, ip)).body);
  });

  it('sends at most five codes an hour to one contact, answering the same after that', async () => {
    await invitedCitizen({ email: 'throttled@example.invalid' });
    for (let i = 0; i < 7; i++) expect((await requestCode(t, 'throttled@example.invalid', nextAddress())).statusCode).toBe(202);
    expect(await messageCount(t, 'throttled@example.invalid')).toBe(1 + 5);
    const denied = await t.db.kysely.selectFrom('audit_log').select('criteria').where('resource_type', '=', 'portal_login_code').where('outcome', '=', 'denied').execute();
    expect(denied.filter((d) => (d.criteria as { reason: string }).reason === 'contact_throttled')).toHaveLength(2);
  });

  it('throttles code requests per address (429, whatever the contact) and per person over all their contacts', async () => {
    const ip = nextAddress();
    for (let i = 0; i < 20; i++) expect((await requestCode(t, `nobody${i}@example.invalid`, ip)).statusCode).toBe(202);
    const throttled = await requestCode(t, 'nobody@example.invalid', ip);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().error).toBe('too_many_attempts');
    // One person with an e-mail and a number: eight codes an hour in all.
    await invitedCitizen({ email: 'two.ways@example.invalid', phone: '+45 23 00 00 02' });
    for (let i = 0; i < 5; i++) await requestCode(t, 'two.ways@example.invalid', nextAddress());
    for (let i = 0; i < 5; i++) await requestCode(t, '23000002', nextAddress());
    expect((await messageCount(t, 'two.ways@example.invalid')) + (await messageCount(t, '4523000002'))).toBe(1 + 8);
  });

  it('asks for the birth date when several people share the contact, and logs in the one it names', async () => {
    const first = await invitedCitizen({ email: 'family@example.invalid', firstName: 'Anders' });
    const second = await invitedCitizen({ email: 'family@example.invalid', firstName: 'Birgit' });
    const ip = nextAddress();
    const before = await messageCount(t, 'family@example.invalid');
    await requestCode(t, 'family@example.invalid', ip);
    expect(await messageCount(t, 'family@example.invalid')).toBe(before + 1);
    const code = codeIn((await lastMessageTo(t, 'family@example.invalid'))!.body);
    // Only after the right code does the answer say that a birth date is needed.
    const wrongCode = await portalLogin(t, { contact: 'family@example.invalid', code: code === '000000' ? '111111' : '000000' }, ip);
    expect(wrongCode.json().error).toBe('login_failed');
    const ask = await portalLogin(t, { contact: 'family@example.invalid', code }, ip);
    expect(ask.statusCode).toBe(409);
    expect(ask.json()).toMatchObject({ error: 'birth_date_required', issues: [{ path: 'birthDate', message: 'required' }] });
    const wrongDate = await portalLogin(t, { contact: 'family@example.invalid', code, birthDate: '1950-01-01' }, ip);
    expect(wrongDate.statusCode).toBe(401);
    const res = await portalLogin(t, { contact: 'family@example.invalid', code, birthDate: birthDateOf(second.cpr) }, ip);
    expect(res.statusCode, res.body).toBe(200);
    const session = await sessionOf(t, res).request({ method: 'GET', url: '/api/portal/session' });
    expect(session.json().citizen.firstName).toBe('Birgit');
    expect(first.id).not.toBe(second.id);
  });

  it('never writes the contact or the code to the application log', async () => {
    const text = logLines.join('\n');
    for (const secret of ['logs.in@example.invalid', 'family@example.invalid', '4522000005', '22000005']) expect(text).not.toContain(secret);
    // A six-digit code may occur by chance inside a timestamp, a duration or a request id: those machine fields are
    // left out, and the code is looked for as a number of its own.
    const machineFields = new Set(['time', 'pid', 'reqId', 'responseTime']);
    const content = logLines
      .map((line) => JSON.stringify(JSON.parse(line), (key, value: unknown) => (machineFields.has(key) ? undefined : value)))
      .join('\n');
    expect(content).toContain('/api/portal/login/code');
    const codes = await t.db.kysely.selectFrom('portal_outbox').select('body').execute();
    const sent = codes.filter((c) => /^Din kode/.test(c.body));
    expect(sent.length).toBeGreaterThan(0);
    for (const { body } of sent) expect(content).not.toMatch(new RegExp(`(?<!\\d)${codeIn(body)}(?!\\d)`));
  });
});

describe('portal sessions and staff sessions', () => {
  it('a portal session reaches no staff route, and a staff session no portal route', async () => {
    await invitedCitizen({ email: 'realms@example.invalid' });
    const portal = await portalLoginAs(t, 'realms@example.invalid', 'realms@example.invalid', nextAddress());
    expect((await portal.request({ method: 'GET', url: '/api/citizens' })).statusCode).toBe(401);
    expect((await portal.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await portal.request({ method: 'GET', url: '/api/auth/session' })).json().user).toBeNull();
    expect((await rk1.request({ method: 'GET', url: '/api/portal/summary' })).statusCode).toBe(401);
    expect((await rk1.request({ method: 'GET', url: '/api/portal/session' })).json()).toMatchObject({ citizen: null, assurance: null });
    expect((await rk1.request({ method: 'POST', url: '/api/portal/logout' })).statusCode).toBe(401);
  });

  it('a low-assurance session reads the summary, gets 403 assurance_too_low on case content (audited), and needs its CSRF token to log out', async () => {
    const c = await invitedCitizen({ email: 'summary@example.invalid' });
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000);
    const booked = await rk1.request({ method: 'POST', url: `/api/citizens/${c.id}/conversations`, payload: { startsAt: inTwoDays.toISOString(), durationMinutes: 45, place: 'library', status: 'planned', staffIds: [RK1], acknowledgeWarnings: true } });
    expect(booked.statusCode, booked.body).toBe(201);
    const conversation = await t.db.kysely.selectFrom('conversations').select('starts_at').where('citizen_id', '=', c.id).executeTakeFirstOrThrow();
    const s = await portalLoginAs(t, 'summary@example.invalid', 'summary@example.invalid', nextAddress());
    const summary = await s.request({ method: 'GET', url: '/api/portal/summary' });
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json()).toEqual({ nextAppointmentAt: new Date(conversation.starts_at).toISOString(), questionnaireWaiting: false });
    const plan = await s.request({ method: 'GET', url: '/api/portal/plan' });
    expect(plan.statusCode).toBe(403);
    expect(plan.json().error).toBe('assurance_too_low');
    const denied = await t.db.kysely.selectFrom('audit_log').selectAll().where('citizen_id', '=', c.id).where('outcome', '=', 'denied').execute();
    expect(denied.map((d) => [d.actor_roles, (d.criteria as { reason: string }).reason])).toEqual([[['citizen'], 'assurance_too_low']]);
    expect((await s.request({ method: 'POST', url: '/api/portal/logout', headers: { 'x-csrf-token': 'wrong' } })).statusCode).toBe(403);
    const out = await s.request({ method: 'POST', url: '/api/portal/logout' });
    expect(out.statusCode).toBe(200);
    // A one-time code login: only the portal's session ends; there is no broker to log out of.
    expect(out.json()).toEqual({ brokerLogoutUrl: null });
    expect((await s.request({ method: 'GET', url: '/api/portal/summary' })).statusCode).toBe(401);
  });

  it('a session at level "substantial" passes the same guard and reads the plan', async () => {
    await invitedCitizen({ email: 'substantial@example.invalid' });
    const s = await portalLoginAs(t, 'substantial@example.invalid', 'substantial@example.invalid', nextAddress());
    // No login gives "substantial" yet (MitID comes later): the level is set on the session row for this test.
    await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
    const plan = await s.request({ method: 'GET', url: '/api/portal/plan' });
    expect(plan.statusCode, plan.body).toBe(200);
    expect(Array.isArray(plan.json().plans)).toBe(true);
  });
});

describe('the demo citizens in the portal', () => {
  it('are invited with the contacts the README lists, the family address shared by the two people born on the dates it gives', async () => {
    const rows = await t.db.kysely
      .selectFrom('portal_links as l')
      .innerJoin('citizens as c', 'c.id', 'l.citizen_id')
      .select(['c.id', 'c.email', 'c.phone', 'c.birth_date', 'l.channel'])
      .where('l.citizen_id', 'in', DEMO_PORTAL_CONTACTS.map((d) => citizenId(d.citizen)))
      .orderBy('c.id')
      .execute();
    expect(rows.map((r) => r.id)).toEqual(DEMO_PORTAL_CONTACTS.map((d) => citizenId(d.citizen)));
    expect(rows.map((r) => r.channel)).toEqual(['email', 'sms', 'email', 'email']);
    expect(rows.filter((r) => r.email === 'familien.demo@example.invalid').map((r) => r.birth_date)).toEqual(['1969-02-18', '1982-08-06']);
    expect(rows[1]!.phone).toBe('+45 20 64 00 02');
  });
});

describe('the demo outbox page', () => {
  it('lists the messages newest first, each with its recipient before its text, without a login', async () => {
    await invitedCitizen({ email: 'outbox.first@example.invalid' });
    await invitedCitizen({ email: 'outbox.second@example.invalid' });
    const res = await t.app.inject({ method: 'GET', url: '/demo/outbox' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.body;
    expect(html.indexOf('outbox.second@example.invalid')).toBeLessThan(html.indexOf('outbox.first@example.invalid'));
    const item = html.slice(html.indexOf('outbox.second@example.invalid'));
    expect(item.indexOf('outbox.second@example.invalid')).toBeLessThan(item.indexOf('Min plan'));
  });

  it('does not exist outside demo mode, where code login without SMTP is refused and says so', async () => {
    const live = await testApp({ demo: false });
    try {
      const page = await live.app.inject({ method: 'GET', url: '/demo/outbox' });
      expect(page.statusCode).toBe(404);
      const code = await live.app.inject({ method: 'POST', url: '/api/portal/login/code', payload: { contact: 'someone@example.invalid' } });
      expect(code.statusCode).toBe(503);
      expect(code.json()).toMatchObject({ error: 'delivery_unavailable' });
      expect(code.json().message).toContain('SMTP');
    } finally {
      await live.close();
    }
  });
});

describe('the SMTP adapter', () => {
  it('sends through the transport without waiting, and logs a failure without the address or the text', async () => {
    const sent: { to: string; from: string; text: string }[] = [];
    const errors: unknown[] = [];
    const transport: Transport = {
      async sendMail(mail) {
        sent.push(mail);
        if (mail.to.startsWith('fails')) throw Object.assign(new Error(`550 mailbox ${mail.to} unavailable`), { code: 'EENVELOPE', responseCode: 550 });
      },
    };
    const delivery = liveDelivery({ transport, from: 'Min plan <no-reply@example.invalid>', log: { error: (obj: unknown) => void errors.push(obj) } });
    expect(delivery.canSend('email')).toBe(true);
    expect(delivery.canSend('sms')).toBe(false);
    await delivery.send(t.db.kysely, { channel: 'email', recipient: 'ok@example.invalid', subject: 'Emne', text: 'Din kode er 123456' });
    await delivery.send(t.db.kysely, { channel: 'email', recipient: 'fails@example.invalid', subject: 'Emne', text: 'Din kode er 654321' });
    await delivery.flush();
    expect(sent.map((m) => [m.to, m.from])).toEqual([
      ['ok@example.invalid', 'Min plan <no-reply@example.invalid>'],
      ['fails@example.invalid', 'Min plan <no-reply@example.invalid>'],
    ]);
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors)).not.toMatch(/fails@|654321/);
    await expect(delivery.send(t.db.kysely, { channel: 'sms', recipient: '4520000000', subject: '', text: 'x' })).rejects.toMatchObject({ code: 'delivery_unavailable' });
  });
});
