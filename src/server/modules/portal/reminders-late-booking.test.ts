// Reminders for a booking made after the evening's last run (docs/decisions/0037, refined in 0041), on both engines:
// the hourly daytime job also catches what is on today, so an appointment for tomorrow booked in the evening is
// reminded of in the morning ("i dag"); a day reminded of the evening before is never reminded of again; an
// appointment less than an hour ahead gets none; a reminder whose day has passed is not sent; never at night.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userId } from '../../demo/ids.ts';
import { addDays, copenhagenTime, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { outboxDelivery } from './delivery.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';
import { findDueReminders, REMINDERS_DUE_JOB, reminderJobs, sendReminder } from './reminders.ts';

const RK1 = userId(4);
let t: TestContext;
let rk1: Session;
let n = 0;
const address = () => `198.51.100.${150 + (++n % 50)}`;
/** The day of the appointments: tomorrow as the clock runs (bookings must be in the future). */
const day = addDays(dateInCopenhagen(), 1);
const eveningBefore = copenhagenTime(addDays(day, -1), '19:20');
const morning = copenhagenTime(day, '09:20');

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
});
afterAll(async () => {
  await t.close();
});

interface Person {
  id: string;
  email: string;
  s: PortalSession;
}

async function person(): Promise<Person> {
  const email = `late.booking.${++n}@example.invalid`;
  const c = await portalCitizen(rk1, RK1, { email });
  expect((await invite(rk1, c.id)).statusCode).toBe(200);
  const s = await portalLoginAs(t, email, email, address());
  await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
  const opted = await s.request({ method: 'PUT', url: '/api/portal/reminders', payload: { channel: 'email', appointment: true, task: true, questionnaire: false } });
  expect(opted.statusCode, opted.body).toBe(200);
  return { id: c.id, email, s };
}

async function book(p: Person, time: string) {
  const res = await rk1.request({
    method: 'POST',
    url: `/api/citizens/${p.id}/conversations`,
    payload: { startsAt: copenhagenTime(day, time).toISOString(), durationMinutes: 30, place: 'library', status: 'planned', staffIds: [RK1], acknowledgeWarnings: true },
  });
  expect(res.statusCode, res.body).toBe(201);
}

const fakeBoss = () => ({ insert: async () => {} });

async function remindersOf(p: Person) {
  const link = await t.db.kysely.selectFrom('portal_links').select('account_id').where('citizen_id', '=', p.id).executeTakeFirstOrThrow();
  return t.db.kysely.selectFrom('portal_reminders').selectAll().where('account_id', '=', link.account_id).orderBy('created_at').execute();
}
const sentTo = (p: Person) => t.db.kysely.selectFrom('portal_outbox').select('body').where('recipient', '=', p.email).where('sender', 'is not', null).orderBy('seq').execute();

describe('a booking made after the evening’s last run', () => {
  it('is reminded of the next morning as "i dag", once; a day reminded of the evening before is not reminded of again', async () => {
    const early = await person();
    const late = await person();
    const tooSoon = await person();
    await book(early, '10:00');
    await findDueReminders(t.db.kysely, fakeBoss(), eveningBefore);
    expect((await remindersOf(early)).map((r) => r.subject_key)).toEqual([`appointment:${day}`]);
    expect(await remindersOf(late)).toEqual([]);

    // Booked after the last run of the evening: for the afternoon, for a time less than an hour after the first run.
    await book(late, '14:00');
    await book(tooSoon, '10:00');
    await book(early, '15:00');
    const plan = await rk1.request({
      method: 'PATCH',
      url: `/api/citizens/${late.id}/plan`,
      payload: { version: 0, coordinatorId: RK1, tasks: { add: [{ title: 'Ring til tandlægen', owner: { kind: 'citizen' }, dueDate: day }] } },
    });
    expect(plan.statusCode, plan.body).toBe(200);

    await findDueReminders(t.db.kysely, fakeBoss(), morning);
    expect((await remindersOf(late)).map((r) => r.subject_key).sort()).toEqual([`appointment:${day}`, `task:${day}`]);
    expect((await remindersOf(early)).map((r) => r.subject_key)).toEqual([`appointment:${day}`]);
    expect(await remindersOf(tooSoon)).toEqual([]);
    // Every later run of the day: nothing new.
    await findDueReminders(t.db.kysely, fakeBoss(), copenhagenTime(day, '10:20'));
    expect(await remindersOf(late)).toHaveLength(2);

    const delivery = outboxDelivery();
    for (const r of await remindersOf(late)) expect(await sendReminder(t.db.kysely, delivery, 'Min plan', r.id, copenhagenTime(day, '09:21'))).toBe('sent');
    expect((await sentTo(late)).map((m) => m.body).sort()).toEqual(['Du har en aftale i dag – se Min plan', 'Du har en opgave med frist i dag – se Min plan']);
    // The evening's reminder, sent the evening before, says "i morgen".
    const [evening] = await remindersOf(early);
    expect(await sendReminder(t.db.kysely, delivery, 'Min plan', evening!.id, copenhagenTime(addDays(day, -1), '19:21'))).toBe('sent');
    expect((await sentTo(early)).map((m) => m.body)).toEqual(['Du har en aftale i morgen – se Min plan']);
  });

  it('is not sent once its day has passed (a retry that came too late), and says why', async () => {
    const p = await person();
    await book(p, '16:00');
    await findDueReminders(t.db.kysely, fakeBoss(), eveningBefore);
    const [r] = await remindersOf(p);
    expect(await sendReminder(t.db.kysely, outboxDelivery(), 'Min plan', r!.id, copenhagenTime(addDays(day, 1), '09:20'))).toBe('passed');
    expect(await sentTo(p)).toEqual([]);
    expect((await remindersOf(p))[0]).toMatchObject({ skipped: 'passed', sent_at: null });
  });

  it('never runs at night: the due job runs hourly from 9:20 to 19:20 only', () => {
    const due = reminderJobs(t.db.kysely, outboxDelivery(), 'Min plan').find((j) => j.name === REMINDERS_DUE_JOB)!;
    expect(due.cron).toBe('20 9-19 * * *');
  });
});
