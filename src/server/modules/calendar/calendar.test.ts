// The staff calendar, Min dag, the double-booking check and the personal iCalendar feed, through the HTTP API
// (and the check directly). The feed is read back with an independent parser (ical.js).
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { loggerOptions } from '../../platform/logging.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { checkDoubleBooking, doubleBookingWarnings, overlappingAppointments } from './calendar.service.ts';

let t: TestContext;
let rk1: Session;
let rk3: Session;
const log: string[] = [];
const RK1 = userId(4);
const RK3 = userId(6);
const today = dateInCopenhagen();
let serial = 7100;

/** Citizens: one on rk1's team, one on rk3's team only (rk1 does not see them). */
const mine = { id: '', enrolmentId: '', planId: '' };
const foreign = { id: '', enrolmentId: '', planId: '' };

async function createCitizen(s: Session, consultant: string, lastName: string) {
  const res = await s.request({
    method: 'POST',
    url: '/api/citizens',
    payload: {
      cpr: `720188-${serial++}`,
      firstName: 'Kalender',
      lastName,
      enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2020-01-10', benefitCode: 'kontanthjaelp', consultantIds: [consultant] },
    },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  const body = res.json() as { id: string; enrolmentId: string };
  const plan = await t.db.owner
    .insertInto('plans')
    .values({ organisation_id: ORG.naestved, citizen_id: body.id, enrolment_id: body.enrolmentId, coordinator_id: consultant, created_by: consultant })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: body.id, enrolmentId: body.enrolmentId, planId: plan.id };
}

/** An instant from a Copenhagen wall-clock time on a date, computed independently of the code under test (fixed offsets). */
function cph(date: string, time: string, offsetHours: 1 | 2): Date {
  return new Date(Date.parse(`${date}T${time}:00Z`) - offsetHours * 3_600_000);
}

/** Copenhagen's UTC offset on a date at noon, from Intl (for instants on ordinary days). */
function offsetOn(date: string): 1 | 2 {
  const noon = new Date(`${date}T12:00:00Z`);
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', hourCycle: 'h23' }).format(noon));
  return (hour - 12) as 1 | 2;
}
const at = (date: string, time: string) => cph(date, time, offsetOn(date));

async function conversation(values: { citizenId: string; startsAt: Date; minutes?: number; place?: string; placeText?: string | null; status?: string; staff?: string[]; note?: string | null }) {
  const row = await t.db.owner
    .insertInto('conversations')
    .values({
      organisation_id: ORG.naestved,
      citizen_id: values.citizenId,
      starts_at: values.startsAt,
      duration_minutes: values.minutes ?? 60,
      place: (values.place ?? 'walk_and_talk') as 'walk_and_talk',
      place_text: values.placeText ?? null,
      status: (values.status ?? 'planned') as 'planned',
      staff_ids: values.staff ?? [RK1],
      note: values.note ?? null,
      created_by: RK1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function meeting(citizen: typeof mine, startsAt: Date, place: string, staff: string[], status = 'planned') {
  const row = await t.db.owner
    .insertInto('network_meetings')
    .values({ organisation_id: ORG.naestved, citizen_id: citizen.id, plan_id: citizen.planId, starts_at: startsAt, duration_minutes: 90, place: place as 'office', place_text: 'Psykiatrisk Center Nord, Afsnit 3', status: status as 'planned', created_by: RK1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.owner
    .insertInto('meeting_participants')
    .values([{ meeting_id: row.id, position: 0, kind: 'citizen' }, ...staff.map((u, i) => ({ meeting_id: row.id, position: i + 1, kind: 'staff' as const, user_id: u }))])
    .execute();
  return row.id;
}

async function course(leader: string, sessions: Date[]) {
  const c = await t.db.owner
    .insertInto('group_courses')
    .values({ organisation_id: ORG.naestved, programme_id: PROGRAMME.paaVej, title: 'Krop og trivsel', capacity: 12, created_by: leader })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db.owner.insertInto('group_course_leaders').values({ course_id: c.id, user_id: leader }).execute();
  const rows = await t.db.owner
    .insertInto('group_sessions')
    .values(sessions.map((s, i) => ({ organisation_id: ORG.naestved, course_id: c.id, number: i + 1, starts_at: s, duration_minutes: 90 })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  t = await testApp({ logger: loggerOptions('info', { write: (line: string) => void log.push(line) }) });
  rk1 = await login(t.app, 'rk1');
  rk3 = await login(t.app, 'rk3');
  Object.assign(mine, await createCitizen(rk1, RK1, 'Kalendersen'));
  Object.assign(foreign, await createCitizen(rk3, RK3, 'Fremmedsen'));
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/calendar', () => {
  const day = addDays(today, 400); // a week of its own, far from the demo's and the other tests' rows
  it("lists the caller's appointments with place categories, naming only citizens the caller may see", async () => {
    const c1 = await conversation({ citizenId: mine.id, startsAt: at(day, '09:00'), place: 'citizen_home', placeText: 'Hjemme hos borgeren' });
    const c2 = await conversation({ citizenId: foreign.id, startsAt: at(day, '13:00'), place: 'phone_video', staff: [RK3, RK1] });
    const c3 = await conversation({ citizenId: mine.id, startsAt: at(addDays(day, 1), '09:00'), place: 'conversation_room', status: 'cancelled' });
    await conversation({ citizenId: mine.id, startsAt: at(day, '11:00'), staff: [RK3] }); // not rk1's
    const m1 = await meeting(mine, at(addDays(day, 2), '10:00'), 'psychiatry', [RK1, RK3]);
    const [s1] = await course(RK1, [at(addDays(day, 3), '13:00')]);
    await t.db.owner.updateTable('plans').set({ next_follow_up: addDays(day, 4) }).where('id', '=', mine.planId).execute();

    const res = await rk1.request({ method: 'GET', url: `/api/calendar?from=${day}&to=${addDays(day, 6)}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.truncated).toBe(false);
    expect(body.items.map((e: { kind: string; id: string }) => [e.kind, e.id])).toEqual([
      ['conversation', c1],
      ['conversation', c2],
      ['conversation', c3],
      ['network_meeting', m1],
      ['group_session', s1],
      ['follow_up', mine.planId],
    ]);
    const [e1, e2, e3, e4, e5, e6] = body.items;
    expect(e1).toMatchObject({ place: 'out', status: 'planned', date: day, startsAt: at(day, '09:00').toISOString(), endsAt: at(day, '10:00').toISOString(), citizen: { id: mine.id, name: 'Kalender Kalendersen' } });
    // rk1 took part, but the citizen is on rk3's team only: an appointment without name or id.
    expect(e2).toMatchObject({ place: 'remote', citizen: null });
    expect(e3).toMatchObject({ place: 'office', status: 'cancelled' });
    expect(e4).toMatchObject({ place: 'out', citizen: { id: mine.id } });
    expect(e5).toMatchObject({ place: 'office', courseTitle: 'Krop og trivsel', citizen: null });
    expect(e6).toMatchObject({ startsAt: null, endsAt: null, date: addDays(day, 4), place: null, citizen: { id: mine.id } });
    expect(JSON.stringify(body)).not.toContain('Hjemme hos borgeren');
    expect(JSON.stringify(body)).not.toContain('Fremmedsen');

    const rows = (await auditRows(t.db, { actorUsername: 'rk1', action: 'read' })).filter((r) => r.resource_type === 'calendar');
    expect(rows.at(-1)).toMatchObject({ outcome: 'success', resource_id: RK1, citizen_id: null, purpose: 'case_work' });
    expect(rows.at(-1)!.criteria).toEqual({ from: day, to: addDays(day, 6), count: 6 });
  });

  it('takes the own userId, refuses another user’s calendar (404, audited) and nobody logged in (401)', async () => {
    expect((await rk1.request({ method: 'GET', url: `/api/calendar?from=${today}&to=${today}&userId=${RK1}` })).statusCode).toBe(200);
    const other = await rk1.request({ method: 'GET', url: `/api/calendar?from=${today}&to=${today}&userId=${RK3}` });
    expect(other.statusCode).toBe(404);
    const denied = await auditRows(t.db, { actorUsername: 'rk1', outcome: 'denied' });
    expect(denied.at(-1)).toMatchObject({ resource_type: 'calendar', resource_id: RK3 });
    expect((await t.app.inject({ method: 'GET', url: `/api/calendar?from=${today}&to=${today}` })).statusCode).toBe(401);
  });

  it('answers 400, never 500, for ranges over 366 days, reversed ranges and dates out of bounds', async () => {
    const get = (q: string) => rk1.request({ method: 'GET', url: `/api/calendar?${q}` });
    expect((await get('from=2024-01-01&to=2024-12-31')).statusCode).toBe(200); // 366 days
    const long = await get('from=2025-01-01&to=2026-01-02');
    expect(long.statusCode).toBe(400);
    expect(long.json().message).toContain('366 days');
    expect((await get('from=2026-02-01&to=2026-01-01')).statusCode).toBe(400);
    for (const q of ['from=1899-12-31&to=1900-01-05', 'from=2100-12-30&to=2101-01-01', 'from=2026-02-30&to=2026-03-01', 'from=x&to=y', 'from=2026-01-01', `from=${today}&to=${today}&userId=nope`, `from=${today}&to=${today}&extra=1`]) {
      expect((await get(q)).statusCode, q).toBe(400);
    }
    expect((await get('from=1900-01-01&to=1900-01-07')).statusCode).toBe(200);
    expect((await get('from=2100-12-25&to=2100-12-31')).statusCode).toBe(200);
  });
});

describe('overlappingAppointments', () => {
  const day = addDays(today, 420);
  it('finds the users’ overlapping conversations, meetings and sessions, not cancelled ones, not the one being changed', async () => {
    const c = await conversation({ citizenId: mine.id, startsAt: at(day, '10:00'), minutes: 60 });
    await conversation({ citizenId: mine.id, startsAt: at(day, '10:15'), minutes: 30, status: 'cancelled' });
    const m = await meeting(mine, at(day, '12:00'), 'office', [RK3]);
    const [s] = await course(RK3, [at(day, '15:00')]);
    const check = (users: string[], from: string, to: string, except?: string) => overlappingAppointments(t.db.kysely, users, at(day, from), at(day, to), except);

    const hit = await check([RK1], '10:30', '11:30');
    expect(hit).toEqual([{ userId: RK1, kind: 'conversation', id: c, startsAt: at(day, '10:00').toISOString(), endsAt: at(day, '11:00').toISOString() }]);
    expect(await check([RK1], '11:00', '12:00')).toEqual([]); // touching is not overlapping
    expect(await check([RK1], '09:00', '10:00')).toEqual([]);
    expect(await check([RK1], '10:30', '11:30', c)).toEqual([]);
    expect((await check([RK1, RK3], '09:30', '16:00')).map((o) => [o.userId, o.kind, o.id])).toEqual([
      [RK1, 'conversation', c],
      [RK3, 'network_meeting', m],
      [RK3, 'group_session', s],
    ]);
    expect(await check([userId(5)], '00:00', '23:00')).toEqual([]);

    const warnings = doubleBookingWarnings(hit, { [RK1]: 'Lone Madsen' });
    expect(warnings).toEqual([
      {
        code: 'double_booking',
        message: expect.stringContaining('Lone Madsen'),
        data: { userId: RK1, userName: 'Lone Madsen', kind: 'conversation', startsAt: hit[0]!.startsAt, endsAt: hit[0]!.endsAt },
      },
    ]);

    // The booking services' one call: 409 `warnings` unless acknowledged, then the warnings for the notices.
    const booking = { userIds: [RK1, RK3], startsAt: at(day, '10:30'), endsAt: at(day, '11:00') };
    await expect(t.db.kysely.transaction().execute((tx) => checkDoubleBooking(tx, { ...booking, acknowledged: false }))).rejects.toMatchObject({ status: 409, code: 'warnings', warnings });
    expect(await t.db.kysely.transaction().execute((tx) => checkDoubleBooking(tx, { ...booking, acknowledged: true }))).toEqual(warnings);
    expect(await t.db.kysely.transaction().execute((tx) => checkDoubleBooking(tx, { ...booking, startsAt: at(day, '20:00'), endsAt: at(day, '21:00'), acknowledged: false }))).toEqual([]);
  });
});

/** The last Sunday of a month, as a date. */
function lastSunday(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0));
  d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  return d.toISOString().slice(0, 10);
}

describe('the personal iCalendar feed', () => {
  let url = '';
  let path = '';
  let token = '';
  const marks = { conversations: [] as string[], cancelled: '', meeting: '' };
  // The daylight-saving change within the feed's window (30 days back, 200 ahead).
  const year = Number(today.slice(0, 4));
  const change = [lastSunday(year - 1, 10), lastSunday(year, 3), lastSunday(year, 10), lastSunday(year + 1, 3), lastSunday(year + 1, 10)].find(
    (d) => d >= addDays(today, -25) && d <= addDays(today, 195),
  )!;
  const spring = change.slice(5, 7) === '03';
  const before = cph(addDays(change, -1), '10:00', spring ? 1 : 2);
  const after = cph(addDays(change, 1), '10:00', spring ? 2 : 1);

  beforeAll(async () => {
    marks.conversations.push(await conversation({ citizenId: mine.id, startsAt: before, place: 'citizen_home', placeText: 'Vestergade 17, 2. th', note: 'Fortrolig samtale om medicin' }));
    marks.conversations.push(await conversation({ citizenId: mine.id, startsAt: after, place: 'drop_in_centre', placeText: 'Værestedet Solsikken' }));
    marks.cancelled = await conversation({ citizenId: mine.id, startsAt: at(addDays(today, 3), '14:07'), place: 'phone_video', status: 'cancelled' });
    marks.meeting = await meeting(mine, at(addDays(today, 5), '09:00'), 'psychiatry', [RK1]);
    await conversation({ citizenId: mine.id, startsAt: at(addDays(today, 6), '09:00'), place: 'conversation_room' });
    await t.db.owner.updateTable('plans').set({ next_follow_up: addDays(today, 7) }).where('id', '=', mine.planId).execute();
  });

  it('creates a secret address, stored only as a hash, valid 12 months', async () => {
    const state0 = (await rk1.request({ method: 'GET', url: '/api/calendar/feed' })).json();
    expect(state0).toEqual({ enabled: true, active: false, createdAt: null, expiresAt: null });
    const res = await rk1.request({ method: 'POST', url: '/api/calendar/feed' });
    expect(res.statusCode).toBe(201);
    url = res.json().url;
    const match = /^http:\/\/[^/]+(\/api\/calendar\/feed\/([A-Za-z0-9_-]{43})\.ics)$/.exec(url);
    expect(match).not.toBeNull();
    path = match![1]!;
    token = match![2]!;
    const row = await t.db.kysely.selectFrom('calendar_feeds').selectAll().where('user_id', '=', RK1).executeTakeFirstOrThrow();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toContain(token);
    const months = (new Date(row.expires_at).getTime() - Date.now()) / (86_400_000 * 30.4);
    expect(months).toBeGreaterThan(11.8);
    expect(months).toBeLessThan(12.2);
    const state = (await rk1.request({ method: 'GET', url: '/api/calendar/feed' })).json();
    expect(state).toMatchObject({ enabled: true, active: true });
  });

  it('answers valid iCalendar: VTIMEZONE, times across the daylight-saving change, "Aftale", place categories, CANCELLED, no personal data', async () => {
    const res = await t.app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const text = res.body;
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);

    const root = new ICAL.Component(ICAL.parse(text));
    const vtimezone = root.getFirstSubcomponent('vtimezone')!;
    expect(vtimezone.getFirstPropertyValue('tzid')).toBe('Europe/Copenhagen');
    ICAL.TimezoneService.register(vtimezone);
    const events = root.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.length).toBeGreaterThanOrEqual(6);
    for (const e of events) {
      expect(e.summary).toBe('Aftale');
      expect(e.description ?? null).toBeNull();
      expect(e.uid).toMatch(/^[0-9a-f-]{36}@bindeled$/);
      const location = e.location ?? null;
      expect([null, 'Kontor', 'Ude', 'Telefon/video']).toContain(location);
      expect(e.component.getFirstPropertyValue('dtstamp')?.toString()).toMatch(/Z$/);
    }
    // The two conversations around the daylight-saving change: 10:00 local both, one hour apart in UTC.
    const local = events.filter((e) => !e.startDate.isDate && [before.getTime(), after.getTime()].includes(e.startDate.toJSDate().getTime()));
    expect(local.map((e) => e.startDate.toJSDate().toISOString())).toEqual([before.toISOString(), after.toISOString()]);
    for (const e of local) {
      expect(e.startDate.zone.tzid).toBe('Europe/Copenhagen');
      expect([e.startDate.hour, e.startDate.minute]).toEqual([10, 0]);
      expect(e.endDate.toJSDate().getTime() - e.startDate.toJSDate().getTime()).toBe(3_600_000);
      expect(e.location).toBe('Ude'); // the citizen's home and a drop-in centre are just "out"
    }
    const cancelled = events.filter((e) => e.startDate.toJSDate().getTime() === at(addDays(today, 3), '14:07').getTime());
    expect(cancelled.map((e) => [e.component.getFirstPropertyValue('status'), e.location])).toEqual([['CANCELLED', 'Telefon/video']]);
    const office = events.filter((e) => e.startDate.toJSDate().getTime() === at(addDays(today, 6), '09:00').getTime());
    expect(office.map((e) => [e.component.getFirstPropertyValue('status'), e.location])).toContainEqual(['CONFIRMED', 'Kontor']);
    // The follow-up is a date.
    expect(events.filter((e) => e.startDate.isDate).map((e) => e.startDate.toString())).toContain(addDays(today, 7));

    for (const secret of ['Kalendersen', 'Kalender ', 'Vestergade', 'Solsikken', 'Psykiatrisk', 'medicin', 'Fortrolig', mine.id, mine.planId, marks.meeting, ...marks.conversations, 'DESCRIPTION', 'ATTENDEE', 'ORGANIZER']) {
      expect(text, secret).not.toContain(secret);
    }

    // UIDs are stable from one fetch to the next.
    const again = new ICAL.Component(ICAL.parse((await t.app.inject({ method: 'GET', url: path })).body));
    expect(again.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('uid')).sort()).toEqual(events.map((e) => e.uid).sort());
  });

  it('audits every fetch as the owner, without the token, and keeps the token out of the application log', async () => {
    const rows = (await auditRows(t.db)).filter((r) => r.resource_type === 'calendar_feed' && r.action === 'read');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      expect(r).toMatchObject({ actor_user_id: RK1, actor_username: 'rk1', purpose: 'case_work', outcome: 'success', resource_id: RK1, organisation_id: ORG.naestved });
      expect(JSON.stringify(r)).not.toContain(token);
    }
    expect(log.length).toBeGreaterThan(0);
    expect(log.join('\n')).not.toContain(token);
    expect(log.join('\n')).toContain('/api/calendar/feed/:token.ics');
  });

  it('404 for an unknown token, a malformed one (400), a replaced one, after revocation, after expiry, and with the setting off', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/calendar/feed/${'A'.repeat(43)}.ics` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/calendar/feed/short.ics' })).statusCode).toBe(400);

    const replaced = await rk1.request({ method: 'POST', url: '/api/calendar/feed' });
    const newPath = new URL(replaced.json().url).pathname;
    expect(newPath).not.toBe(path);
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: newPath })).statusCode).toBe(200);

    expect((await rk1.request({ method: 'DELETE', url: '/api/calendar/feed' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: newPath })).statusCode).toBe(404);
    expect((await rk1.request({ method: 'GET', url: '/api/calendar/feed' })).json().active).toBe(false);
    expect((await auditRows(t.db, { actorUsername: 'rk1', action: 'delete' })).at(-1)).toMatchObject({ resource_type: 'calendar_feed' });

    const third = new URL((await rk1.request({ method: 'POST', url: '/api/calendar/feed' })).json().url).pathname;
    expect((await t.app.inject({ method: 'GET', url: third })).statusCode).toBe(200);
    await t.db.owner.updateTable('calendar_feeds').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', RK1).execute();
    expect((await t.app.inject({ method: 'GET', url: third })).statusCode).toBe(404);

    const fourth = new URL((await rk1.request({ method: 'POST', url: '/api/calendar/feed' })).json().url).pathname;
    await t.db.owner.updateTable('organisations').set({ calendar_feed_enabled: false }).where('id', '=', ORG.naestved).execute();
    try {
      expect((await t.app.inject({ method: 'GET', url: fourth })).statusCode).toBe(404);
      const refused = await rk1.request({ method: 'POST', url: '/api/calendar/feed' });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toBe('feed_disabled');
      expect((await rk1.request({ method: 'GET', url: '/api/calendar/feed' })).json()).toMatchObject({ enabled: false, active: false });
    } finally {
      await t.db.owner.updateTable('organisations').set({ calendar_feed_enabled: true }).where('id', '=', ORG.naestved).execute();
    }
    expect((await t.app.inject({ method: 'GET', url: fourth })).statusCode).toBe(200);
  });

  it('lets an admin switch the organisation setting (audited), and nobody else', async () => {
    const url = (await rk1.request({ method: 'POST', url: '/api/calendar/feed' })).json().url as string;
    const feedPath = new URL(url).pathname;
    const admin = await login(t.app, 'admin');
    expect((await rk1.request({ method: 'PUT', url: '/api/organisation/calendar-feed', payload: { enabled: false } })).statusCode).toBe(404);
    expect((await admin.request({ method: 'PUT', url: '/api/organisation/calendar-feed', payload: { enabled: 'no' } })).statusCode).toBe(400);
    const off = await admin.request({ method: 'PUT', url: '/api/organisation/calendar-feed', payload: { enabled: false } });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toEqual({ enabled: false });
    expect((await t.app.inject({ method: 'GET', url: feedPath })).statusCode).toBe(404);
    expect((await auditRows(t.db, { actorUsername: 'admin', action: 'update' })).at(-1)).toMatchObject({ resource_type: 'organisation', resource_id: ORG.naestved, purpose: 'administration', criteria: { calendarFeedEnabled: false } });
    expect((await admin.request({ method: 'PUT', url: '/api/organisation/calendar-feed', payload: { enabled: true } })).json()).toEqual({ enabled: true });
    expect((await t.app.inject({ method: 'GET', url: feedPath })).statusCode).toBe(200);
  });

  it('needs a session and the CSRF token to create or stop a feed', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/calendar/feed' })).statusCode).toBe(401);
    expect((await rk1.request({ method: 'POST', url: '/api/calendar/feed', headers: { 'x-csrf-token': 'wrong' } })).statusCode).toBe(403);
    expect((await rk1.request({ method: 'DELETE', url: '/api/calendar/feed', headers: { 'x-csrf-token': 'wrong' } })).statusCode).toBe(403);
  });
});

describe('GET /api/me/day', () => {
  it("shows today's appointments, my open tasks, overdue tasks of my citizens and the next step per citizen", async () => {
    const now = new Date();
    const later = new Date(Math.max(now.getTime() + 60_000, Math.min(now.getTime() + 3_600_000, Date.parse(`${today}T21:00:00Z`))));
    const c = await conversation({ citizenId: mine.id, startsAt: later, minutes: 30 });
    const task = (values: { title: string; owner: string | null; due: string | null; plan?: string; status?: 'open' | 'done' }) =>
      t.db.owner
        .insertInto('plan_tasks')
        .values({
          organisation_id: ORG.naestved,
          plan_id: values.plan ?? mine.planId,
          title: values.title,
          owner_kind: values.owner ? 'staff' : 'citizen',
          owner_user_id: values.owner,
          due_date: values.due,
          status: values.status ?? 'open',
          created_by: RK1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    // Old due dates, so they come first among the demo's tasks (each list holds 50).
    const own = await task({ title: 'Ring til praktikstedet', owner: RK1, due: '2001-01-10' });
    await task({ title: 'Færdig opgave', owner: RK1, due: addDays(today, 1), status: 'done' });
    const overdue = await task({ title: 'Søg tre stillinger', owner: null, due: '2001-01-15' });
    const foreignTask = await task({ title: 'Hemmelig opgave', owner: RK1, due: '2001-01-12', plan: foreign.planId });

    const res = await rk1.request({ method: 'GET', url: '/api/me/day' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.today).toBe(today);
    expect(body.weekStart <= today && today <= body.weekEnd).toBe(true);
    expect(body.todayItems.map((e: { id: string }) => e.id)).toContain(c);
    expect(body.todayItems.find((e: { id: string }) => e.id === c).citizen).toEqual({ id: mine.id, name: 'Kalender Kalendersen' });
    expect(body.weekItems.length).toBeGreaterThanOrEqual(body.todayItems.length);
    expect(body.myTasks.items.find((x: { id: string }) => x.id === own.id)).toMatchObject({ title: 'Ring til praktikstedet', citizen: { id: mine.id } });
    expect(body.myTasks.items.some((x: { title: string | null }) => x.title === 'Færdig opgave')).toBe(false);
    // A task of mine in a plan I can no longer see: no title, no citizen.
    expect(body.myTasks.items.find((x: { id: string }) => x.id === foreignTask.id)).toEqual({ id: foreignTask.id, title: null, dueDate: '2001-01-12', ownerKind: 'staff', ownerName: null, citizen: null });
    expect(body.overdueTasks.items.find((x: { id: string }) => x.id === overdue.id)).toMatchObject({ title: 'Søg tre stillinger', ownerKind: 'citizen', citizen: { id: mine.id } });
    const step = body.nextSteps.items.find((s: { citizen: { id: string } }) => s.citizen.id === mine.id);
    expect(step).toMatchObject({ kind: 'task', date: '2001-01-10', title: 'Ring til praktikstedet' });
    expect(body.nextSteps.items.some((s: { citizen: { id: string } }) => s.citizen.id === foreign.id)).toBe(false);
    expect(body.nextSteps.more).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(body)).not.toContain('Hemmelig');

    const row = (await auditRows(t.db, { actorUsername: 'rk1', action: 'read' })).filter((r) => r.resource_type === 'my_day').at(-1)!;
    expect(row.criteria).toEqual({
      today,
      appointments: body.weekItems.length,
      myTasks: body.myTasks.items.length,
      overdueTasks: body.overdueTasks.items.length,
      citizens: body.nextSteps.items.length,
      teamTasks: body.teamTasks.items.length,
    });
  });
});
