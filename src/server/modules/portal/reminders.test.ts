// Reminders (issue 11, item 3; docs/decisions/0037), on both engines: the citizen's opt-in in the portal; the due job
// finds an appointment tomorrow, a task of the citizen's due tomorrow and a waiting questionnaire, for those who opted
// in only; each reminder is sent once (a repeated due run or a repeated send job sends nothing more); a failed
// delivery is retried by the queue; a kind switched off before the send is not sent; the text is exactly the neutral
// sentence; every send is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userId } from '../../demo/ids.ts';
import { addDays, copenhagenTime, dateInCopenhagen } from '../../platform/dates.ts';
import { senderNameProblem } from '../../platform/config.ts';
import { startJobQueue } from '../../platform/jobs.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { outboxDelivery, type Delivery } from './delivery.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';
import { checkReminderSender, findDueReminders, REMINDER_SEND_JOB, reminderJobs, sendReminder } from './reminders.ts';

const RK1 = userId(4);
let t: TestContext;
let rk1: Session;
let n = 0;
const address = () => `198.51.100.${100 + (++n % 100)}`;

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
});
afterAll(async () => {
  await t.close();
});

const tomorrow = () => addDays(dateInCopenhagen(), 1);

interface Fixture {
  citizenId: string;
  email: string;
  phone: string;
  s: PortalSession;
}

/** A citizen of rk1's with an appointment tomorrow, a task of their own due tomorrow and a questionnaire waiting. */
async function citizenWithThingsDue(): Promise<Fixture> {
  const k = ++n;
  const email = `portal.reminder.${k}@example.invalid`;
  const phone = `2${String(1000000 + k).slice(-7)}`;
  const c = await portalCitizen(rk1, RK1, { email, phone });
  const patch = await rk1.request({
    method: 'PATCH',
    url: `/api/citizens/${c.id}/plan`,
    payload: { version: 0, coordinatorId: RK1, tasks: { add: [{ title: 'Skriv en ansøgning', owner: { kind: 'citizen' }, dueDate: tomorrow() }] } },
  });
  expect(patch.statusCode, patch.body).toBe(200);
  const booked = await rk1.request({
    method: 'POST',
    url: `/api/citizens/${c.id}/conversations`,
    payload: { startsAt: copenhagenTime(tomorrow(), '10:00').toISOString(), durationMinutes: 45, place: 'library', status: 'planned', staffIds: [RK1], acknowledgeWarnings: true },
  });
  expect(booked.statusCode, booked.body).toBe(201);
  const enrolment = await t.db.kysely.selectFrom('enrolments').select(['id', 'organisation_id', 'programme_id']).where('citizen_id', '=', c.id).executeTakeFirstOrThrow();
  await t.db.owner
    .insertInto('staff_tasks')
    .values({ organisation_id: enrolment.organisation_id, citizen_id: c.id, enrolment_id: enrolment.id, programme_id: enrolment.programme_id, kind: 'measurement_due', rule: 'schedule', instrument_code: 'who5', text_da: 'WHO-5', text_en: 'WHO-5', due_date: dateInCopenhagen(), status: 'open' })
    .execute();
  expect((await invite(rk1, c.id)).statusCode).toBe(200);
  const s = await portalLoginAs(t, email, email, address());
  await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
  return { citizenId: c.id, email, phone: `45${phone}`, s };
}

const optIn = (f: Fixture, body: { channel: 'email' | 'sms'; appointment: boolean; task: boolean; questionnaire: boolean }) =>
  f.s.request({ method: 'PUT', url: '/api/portal/reminders', payload: body });

/** A queue stand-in that keeps the jobs the due run inserts. */
function fakeBoss() {
  const jobs: { name: string; data?: object }[] = [];
  return { jobs, insert: async (list: { name: string; data?: object }[]) => void jobs.push(...list) };
}

const outboxTo = (recipient: string) => t.db.kysely.selectFrom('portal_outbox').select(['channel', 'recipient', 'subject', 'body', 'sender']).where('recipient', '=', recipient).where('sender', 'is not', null).orderBy('seq').execute();
const remindersOf = async (f: Fixture) => {
  const account = await t.db.kysely.selectFrom('portal_links').select('account_id').where('citizen_id', '=', f.citizenId).executeTakeFirstOrThrow();
  return t.db.kysely.selectFrom('portal_reminders').selectAll().where('account_id', '=', account.account_id).orderBy('kind').execute();
};

describe('reminder settings', () => {
  it('are off until the citizen opts in; show the contacts on file partly hidden; are audited; refuse a channel without a contact', async () => {
    const f = await citizenWithThingsDue();
    const first = await f.s.request({ method: 'GET', url: '/api/portal/reminders' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ channel: null, appointment: false, task: false, questionnaire: false, email: `p•••@example.invalid`, phone: `•••• ${f.phone.slice(-4, -2)} ${f.phone.slice(-2)}` });
    const set = await optIn(f, { channel: 'sms', appointment: true, task: false, questionnaire: true });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ channel: 'sms', appointment: true, task: false, questionnaire: true });
    expect((await f.s.request({ method: 'GET', url: '/api/portal/reminders' })).json()).toMatchObject({ channel: 'sms', appointment: true, task: false, questionnaire: true });
    // Without a CSRF token: refused.
    expect((await f.s.request({ method: 'PUT', url: '/api/portal/reminders', headers: { 'x-csrf-token': 'wrong' }, payload: { channel: 'email', appointment: true, task: true, questionnaire: true } })).statusCode).toBe(403);
    const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'outcome', 'actor_roles', 'criteria']).where('citizen_id', '=', f.citizenId).where('resource_type', '=', 'portal_reminder_settings').orderBy('seq').execute();
    expect(audit.map((a) => [a.action, a.outcome, a.actor_roles])).toEqual([['read', 'success', ['citizen']], ['update', 'success', ['citizen']], ['read', 'success', ['citizen']]]);

    const noPhone = await portalCitizen(rk1, RK1, { email: `portal.reminder.nophone.${++n}@example.invalid` });
    expect((await invite(rk1, noPhone.id)).statusCode).toBe(200);
    const s = await portalLoginAs(t, `portal.reminder.nophone.${n}@example.invalid`, `portal.reminder.nophone.${n}@example.invalid`, address());
    await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
    const refused = await s.request({ method: 'PUT', url: '/api/portal/reminders', payload: { channel: 'sms', appointment: true, task: false, questionnaire: false } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toBe('no_contact_on_file');
    const denied = await t.db.kysely.selectFrom('audit_log').select(['outcome', 'criteria']).where('citizen_id', '=', noPhone.id).where('resource_type', '=', 'portal_reminder_settings').execute();
    expect(denied.map((d) => [d.outcome, (d.criteria as { reason: string }).reason])).toEqual([['denied', 'no_contact_on_file']]);
    // A low-assurance session may not.
    await t.db.owner.updateTable('portal_sessions').set({ assurance: 'low' }).where('csrf_token', '=', s.csrf).execute();
    expect((await s.request({ method: 'GET', url: '/api/portal/reminders' })).json().error).toBe('assurance_too_low');
  });

  it('takes only the four fields, each a boolean or a known channel', async () => {
    const f = await citizenWithThingsDue();
    for (const payload of [{}, { channel: 'post', appointment: true, task: true, questionnaire: true }, { channel: 'email', appointment: 'yes', task: true, questionnaire: true }, { channel: 'email', appointment: true, task: true, questionnaire: true, text: 'x' }]) {
      expect((await optIn(f, payload as never)).statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});

describe('the reminder jobs', () => {
  it('find what is due for those who opted in only, per kind chosen; a second run makes nothing more', async () => {
    const on = await citizenWithThingsDue();
    const taskOnly = await citizenWithThingsDue();
    const off = await citizenWithThingsDue();
    expect((await optIn(on, { channel: 'email', appointment: true, task: true, questionnaire: true })).statusCode).toBe(200);
    expect((await optIn(taskOnly, { channel: 'sms', appointment: false, task: true, questionnaire: false })).statusCode).toBe(200);
    expect((await optIn(off, { channel: 'sms', appointment: false, task: false, questionnaire: false })).statusCode).toBe(200);
    const boss = fakeBoss();
    const made = await findDueReminders(t.db.kysely, boss);
    expect(boss.jobs.map((j) => j.name)).toEqual(made.map(() => REMINDER_SEND_JOB));
    expect(boss.jobs.map((j) => (j.data as { id: string }).id).sort()).toEqual([...made].sort());
    expect((await remindersOf(on)).map((r) => [r.kind, r.subject_key.split(':')[0]])).toEqual([
      ['appointment', 'appointment'],
      ['questionnaire', 'questionnaire'],
      ['task', 'task'],
    ]);
    expect((await remindersOf(on)).find((r) => r.kind === 'appointment')!.subject_key).toBe(`appointment:${tomorrow()}`);
    expect((await remindersOf(taskOnly)).map((r) => r.kind)).toEqual(['task']);
    expect(await remindersOf(off)).toEqual([]);
    // Idempotent: the same things due make no new reminder and no new job.
    const again = fakeBoss();
    const mine = new Set((await remindersOf(on)).map((r) => r.id));
    expect((await findDueReminders(t.db.kysely, again)).filter((id) => mine.has(id))).toEqual([]);
    // Nothing due the day after: an appointment two days ahead is not "tomorrow".
    const later = fakeBoss();
    const inTwoDays = new Date(Date.now() + 86_400_000);
    expect((await findDueReminders(t.db.kysely, later, inTwoDays)).filter((id) => mine.has(id))).toEqual([]);
  });

  it('send exactly the neutral sentence from the neutral sender, once, audited; a repeated job sends nothing more', async () => {
    const f = await citizenWithThingsDue();
    expect((await optIn(f, { channel: 'email', appointment: true, task: true, questionnaire: true })).statusCode).toBe(200);
    await findDueReminders(t.db.kysely, fakeBoss());
    const reminders = await remindersOf(f);
    expect(reminders).toHaveLength(3);
    const delivery = outboxDelivery();
    for (const r of reminders) expect(await sendReminder(t.db.kysely, delivery, 'Min plan', r.id)).toBe('sent');
    for (const r of reminders) expect(await sendReminder(t.db.kysely, delivery, 'Min plan', r.id)).toBe('already_done');
    const sent = await outboxTo(f.email);
    // Exactly these three, nothing else: no place, no role, no programme, no name.
    expect(sent).toEqual([
      { channel: 'email', recipient: f.email, subject: 'Påmindelse', body: 'Du har en aftale i morgen – se Min plan', sender: 'Min plan' },
      { channel: 'email', recipient: f.email, subject: 'Påmindelse', body: 'Du har et spørgeskema, der venter – se Min plan', sender: 'Min plan' },
      { channel: 'email', recipient: f.email, subject: 'Påmindelse', body: 'Du har en opgave med frist i morgen – se Min plan', sender: 'Min plan' },
    ]);
    const rows = await remindersOf(f);
    expect(rows.every((r) => r.sent_at !== null && r.channel === 'email' && r.attempts === 1 && r.skipped === null)).toBe(true);
    const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'outcome', 'actor_username', 'actor_roles', 'organisation_id', 'resource_id', 'criteria']).where('citizen_id', '=', f.citizenId).where('resource_type', '=', 'portal_reminder').orderBy('seq').execute();
    expect(audit.map((a) => [a.action, a.outcome, a.actor_username, a.actor_roles, a.resource_id, (a.criteria as { kind: string }).kind])).toEqual(
      reminders.map((r) => ['read', 'success', 'system:reminders', ['system'], r.id, r.kind]),
    );
    // By SMS: the number on file, the same sentence.
    const g = await citizenWithThingsDue();
    expect((await optIn(g, { channel: 'sms', appointment: true, task: false, questionnaire: false })).statusCode).toBe(200);
    await findDueReminders(t.db.kysely, fakeBoss());
    const [sms] = await remindersOf(g);
    expect(await sendReminder(t.db.kysely, delivery, 'Min plan', sms!.id)).toBe('sent');
    expect(await outboxTo(g.phone)).toEqual([{ channel: 'sms', recipient: g.phone, subject: 'Påmindelse', body: 'Du har en aftale i morgen – se Min plan', sender: 'Min plan' }]);
  });

  it('respect an opt-out made after the reminder was found: nothing is sent, the row says why', async () => {
    const f = await citizenWithThingsDue();
    expect((await optIn(f, { channel: 'email', appointment: true, task: false, questionnaire: false })).statusCode).toBe(200);
    await findDueReminders(t.db.kysely, fakeBoss());
    const [r] = await remindersOf(f);
    expect((await optIn(f, { channel: 'email', appointment: false, task: false, questionnaire: false })).statusCode).toBe(200);
    expect(await sendReminder(t.db.kysely, outboxDelivery(), 'Min plan', r!.id)).toBe('opted_out');
    expect(await outboxTo(f.email)).toHaveLength(0);
    expect((await remindersOf(f))[0]).toMatchObject({ skipped: 'opted_out', sent_at: null });
    expect(await sendReminder(t.db.kysely, outboxDelivery(), 'Min plan', r!.id)).toBe('already_done');
  });

  it('retry through the job queue when the delivery fails, and send once when it works again', async () => {
    const f = await citizenWithThingsDue();
    expect((await optIn(f, { channel: 'email', appointment: true, task: false, questionnaire: false })).statusCode).toBe(200);
    await findDueReminders(t.db.kysely, fakeBoss());
    const [r] = await remindersOf(f);
    const outbox = outboxDelivery();
    let calls = 0;
    const flaky: Delivery = {
      ...outbox,
      async sendNow(tx, message) {
        calls += 1;
        if (calls === 1) throw new Error('the provider is down');
        await outbox.sendNow(tx, message);
      },
    };
    const queue = await startJobQueue(t.db.kysely, reminderJobs(t.db.kysely, flaky, 'Min plan'), { log: { info: () => {}, error: () => {} }, pollingIntervalSeconds: 0.5, schedule: false });
    try {
      const jobId = await queue.boss.send(REMINDER_SEND_JOB, { id: r!.id }, { retryLimit: 3, retryDelay: 1 });
      let state: string | undefined;
      for (let i = 0; i < 160 && state !== 'completed' && state !== 'failed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        state = (await queue.boss.getJobById(REMINDER_SEND_JOB, jobId!))?.state;
      }
      expect(state).toBe('completed');
    } finally {
      await queue.stop();
    }
    expect(calls).toBe(2);
    expect((await outboxTo(f.email)).map((m) => m.body)).toEqual(['Du har en aftale i morgen – se Min plan']);
    expect((await remindersOf(f))[0]).toMatchObject({ attempts: 2, channel: 'email' });
    const audit = await t.db.kysely.selectFrom('audit_log').select(['outcome', 'criteria']).where('citizen_id', '=', f.citizenId).where('resource_type', '=', 'portal_reminder').orderBy('seq').execute();
    expect(audit.map((a) => [a.outcome, (a.criteria as { reason?: string }).reason ?? null])).toEqual([['failure', 'delivery_failed'], ['success', null]]);
  });
});

describe('the sender name', () => {
  it('is neutral or refused: never psychiatry, never a programme, at most an SMS sender id', async () => {
    expect(senderNameProblem('Min plan')).toBeNull();
    expect(senderNameProblem('Psykiatrien')).toMatch(/neutral/);
    expect(senderNameProblem('Region Psykiatri')).not.toBeNull();
    expect(senderNameProblem('En meget lang afsender')).toMatch(/11/);
    expect(senderNameProblem('Job <x>')).not.toBeNull();
    expect(senderNameProblem('På vej', ['På vej til arbejde'])).toMatch(/programme/);
    await expect(checkReminderSender(t.db.kysely, 'Min plan', senderNameProblem)).resolves.toBeUndefined();
    const programme = await t.db.kysely.selectFrom('programmes').select('name').executeTakeFirstOrThrow();
    await expect(checkReminderSender(t.db.kysely, programme.name.slice(0, 11).trim(), senderNameProblem)).rejects.toThrow(/REMINDER_SENDER_NAME/);
  });
});
