// Group courses through the HTTP API: creation with generated sessions, who sees participants (leaders only),
// enrolment within capacity, attendance for the whole group, rates, the citizen's own view, timeline and audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCourseId } from '../../demo/demo-courses.ts';
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
let rk1: Session;
let rk2: Session;
let projektleder: Session;
let styregruppe: Session;
let nordfyn: Session;
let sagsbehandler: Session;
const RK1 = userId(4);
const RK2 = userId(5);
const SAGSBEHANDLER = userId(8);
const STYREGRUPPE = userId(11);
const LIAISON_REGION = userId(13);
const today = dateInCopenhagen();

let serial = 3000;
const nextCpr = () => `690590-${String(serial++).padStart(4, '0')}`;

async function newCitizen(s: Session, consultantId: string, lastName = 'Deltager'): Promise<string> {
  const res = await s.request({
    method: 'POST',
    url: '/api/citizens',
    payload: { cpr: nextCpr(), firstName: 'Kursus', lastName, enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2020-03-01', benefitCode: 'kontanthjaelp', consultantIds: [consultantId] } },
  });
  if (res.statusCode !== 201) throw new Error(`could not create a citizen: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

function course(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Mestring i hverdagen',
    description: 'Otte gange med værktøjer til at håndtere hverdagen.',
    topics: ['mental_health', 'tools_and_mindsets'],
    capacity: 12,
    location: 'Psykiatriens Hus, lokale 2',
    leaderIds: [RK1],
    // Started three weeks ago, so three sessions are held.
    schedule: { firstDate: addDays(today, -21), time: '10:00', sessions: 8, intervalWeeks: 1, durationMinutes: 90 },
    minPlan: 'no',
    ...overrides,
  };
}

async function createCourse(s: Session, overrides: Record<string, unknown> = {}) {
  const res = await s.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload: course(overrides) });
  if (res.statusCode !== 201) throw new Error(`could not create a course: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; sessions: { id: string; number: number; date: string; held: boolean; version: number; status: string }[] };
}

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
  rk2 = await login(t.app, 'rk2');
  projektleder = await login(t.app, 'projektleder');
  styregruppe = await login(t.app, 'styregruppe');
  nordfyn = await login(t.app, 'nordfyn');
  sagsbehandler = await login(t.app, 'sagsbehandler');
});
afterAll(async () => {
  await t.close();
});

describe('creating a course', () => {
  it('creates eight weekly sessions at 10:00 Copenhagen time and lists the skipped holidays', async () => {
    const res = await rk1.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload: course({ schedule: { firstDate: '2024-03-14', time: '10:00', sessions: 8, durationMinutes: 90 } }) });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.sessions.map((s: { date: string }) => s.date)).toEqual(['2024-03-14', '2024-03-21', '2024-04-04', '2024-04-11', '2024-04-18', '2024-04-25', '2024-05-02', '2024-05-16']);
    expect(body.skipped.map((s: { date: string; holiday: { da: string } }) => [s.date, s.holiday.da])).toEqual([['2024-03-28', 'Skærtorsdag'], ['2024-05-09', 'Kristi Himmelfartsdag']]);
    expect(body.sessions[0].startsAt).toBe('2024-03-14T09:00:00.000Z');
    expect(body.sessions[2].startsAt).toBe('2024-04-04T08:00:00.000Z'); // summer time
    const rows = await t.db.kysely.selectFrom('group_sessions').select(['number', 'duration_minutes']).where('course_id', '=', body.id).orderBy('number').execute();
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.duration_minutes === 90)).toBe(true);
    const leaders = await t.db.kysely.selectFrom('group_course_leaders').select('user_id').where('course_id', '=', body.id).execute();
    expect(leaders).toEqual([{ user_id: RK1 }]);
    const audit = (await auditRows(t.db, { action: 'create', actorUsername: 'rk1' })).filter((r) => r.resource_type === 'group_course' && r.resource_id === body.id);
    expect(audit).toHaveLength(1);
  });

  it('previews the sessions without saving anything', async () => {
    const before = await t.db.kysely.selectFrom('group_courses').select('id').execute();
    const res = await rk1.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses/preview`, payload: { firstDate: '2023-04-28', time: '13:00', sessions: 3, durationMinutes: 60 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().skipped).toEqual([{ date: '2023-05-05', holiday: { da: 'Store Bededag', en: expect.any(String) } }]);
    expect(res.json().sessions.map((s: { date: string }) => s.date)).toEqual(['2023-04-28', '2023-05-12', '2023-05-19']);
    expect(await t.db.kysely.selectFrom('group_courses').select('id').execute()).toHaveLength(before.length);
  });

  it('answers 400, never 500, for dates, times, sessions and capacity out of bounds', async () => {
    const bad = [
      { schedule: { firstDate: '2024-02-30', time: '10:00', sessions: 8, durationMinutes: 90 } },
      { schedule: { firstDate: '2099-01-01', time: '10:00', sessions: 52, intervalWeeks: 4, durationMinutes: 90 } },
      { schedule: { firstDate: '1899-12-31', time: '10:00', sessions: 8, durationMinutes: 90 } },
      { schedule: { firstDate: '2026-01-05', time: '24:00', sessions: 8, durationMinutes: 90 } },
      { schedule: { firstDate: '2026-01-05', time: '9:00', sessions: 8, durationMinutes: 90 } },
      { schedule: { firstDate: '2026-01-05', time: '10:00', sessions: 0, durationMinutes: 90 } },
      { schedule: { firstDate: '2026-01-05', time: '10:00', sessions: 53, durationMinutes: 90 } },
      { schedule: { firstDate: '2026-01-05', time: '10:00', sessions: 8, intervalWeeks: 5, durationMinutes: 90 } },
      { schedule: { firstDate: '2026-01-05', time: '10:00', sessions: 8, durationMinutes: 100000 } },
      { capacity: 0 },
      { capacity: 201 },
      { capacity: 2.5 },
      { title: '' },
      { title: 'x'.repeat(201) },
      { topics: ['astrology'] },
      { leaderIds: [] },
      { leaderIds: ['not-a-uuid'] },
      { minPlan: 'maybe' },
      { unknown: true },
    ];
    for (const overrides of bad) {
      const res = await rk1.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload: course(overrides) });
      expect(res.statusCode, JSON.stringify(overrides)).toBe(400);
    }
  });

  it('refuses a leader from another organisation with a message about consent, and one outside the programme', async () => {
    const region = await rk1.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload: course({ leaderIds: [RK1, LIAISON_REGION] }) });
    expect(region.statusCode).toBe(400);
    // The liaison in the demo belongs to another programme; a region employee in this programme gets the consent message.
    expect(region.json().issues).toEqual([{ path: 'leaderIds.1', message: 'not_programme_staff' }]);
    const regionUser = '00000000-0000-4000-8000-000000099001';
    await t.db.owner.insertInto('users').values({ id: regionUser, organisation_id: '00000000-0000-4000-8000-000000000102', username: 'regionrk', name: 'Region Konsulent', password_hash: 'x', is_demo: true }).execute();
    await t.db.owner.insertInto('user_roles').values({ user_id: regionUser, organisation_id: '00000000-0000-4000-8000-000000000102', role: 'liaison', programme_id: PROGRAMME.paaVej }).execute();
    const consent = await rk1.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload: course({ leaderIds: [RK1, regionUser] }) });
    expect(consent.statusCode).toBe(400);
    expect(consent.json().message).toMatch(/consent/);
    expect(consent.json().issues).toEqual([{ path: 'leaderIds.1', message: 'other_organisation' }]);
    const steering = await rk1.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload: course({ leaderIds: [STYREGRUPPE] }) });
    expect(steering.statusCode).toBe(400);
  });

  it('lets resource consultants and the programme manager create courses; others get 404, logged out 401', async () => {
    expect((await projektleder.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload: course({ leaderIds: [RK2] }) })).statusCode).toBe(201);
    for (const s of [sagsbehandler, styregruppe, nordfyn]) {
      const res = await s.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload: course() });
      expect(res.statusCode, s.username).toBe(404);
    }
    const denied = await auditRows(t.db, { actorUsername: 'nordfyn', outcome: 'denied' });
    expect(denied.some((r) => r.resource_type === 'group_course' && r.action === 'create')).toBe(true);
    const anonymous = await t.app.inject({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload: course() });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('participants, attendance and who sees what', () => {
  let courseId: string;
  let sessions: { id: string; number: number; held: boolean; version: number }[];
  const citizens: string[] = [];
  let outsider: string;

  beforeAll(async () => {
    const created = await createCourse(rk1, { capacity: 5, leaderIds: [RK1, SAGSBEHANDLER] });
    courseId = created.id;
    sessions = created.sessions;
    for (let i = 0; i < 4; i++) citizens.push(await newCitizen(rk1, RK1, `Deltager${i}`));
    outsider = await newCitizen(rk2, RK2, 'Udenfor');
  });

  it('enrols four citizens, writes course.joined on each timeline and one audit row per citizen', async () => {
    const res = await rk1.request({ method: 'POST', url: `/api/group-courses/${courseId}/participants`, payload: { citizenIds: citizens } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ added: 4, participantCount: 4 });
    const events = await t.db.kysely.selectFrom('citizen_events').select(['citizen_id', 'data']).where('kind', '=', 'course.joined').where('ref_id', '=', courseId).execute();
    expect(events.map((e) => e.citizen_id).sort()).toEqual([...citizens].sort());
    expect(events[0]!.data).toEqual({ courseId, courseTitle: 'Mestring i hverdagen' });
    const audit = (await auditRows(t.db, { actorUsername: 'rk1', action: 'update' })).filter((r) => r.resource_id === courseId);
    expect(audit.map((r) => r.citizen_id).sort()).toEqual([...citizens].sort());
    // Enrolling again is harmless.
    expect((await rk1.request({ method: 'POST', url: `/api/group-courses/${courseId}/participants`, payload: { citizenIds: [citizens[0]] } })).json()).toEqual({ added: 0, participantCount: 4 });
  });

  it('refuses a citizen the leader does not reach (404, nothing added), and more than the capacity (409)', async () => {
    const res = await rk1.request({ method: 'POST', url: `/api/group-courses/${courseId}/participants`, payload: { citizenIds: [outsider] } });
    expect(res.statusCode).toBe(404);
    const extra1 = await newCitizen(rk1, RK1, 'Ekstra1');
    const extra2 = await newCitizen(rk1, RK1, 'Ekstra2');
    const full = await rk1.request({ method: 'POST', url: `/api/group-courses/${courseId}/participants`, payload: { citizenIds: [extra1, extra2] } });
    expect(full.statusCode).toBe(409);
    expect(full.json().message).toBe('The course has room for 1 more participant (capacity 5); 2 were chosen');
    expect((await t.db.kysely.selectFrom('group_participants').select('citizen_id').where('course_id', '=', courseId).execute())).toHaveLength(4);
    const dup = await rk1.request({ method: 'POST', url: `/api/group-courses/${courseId}/participants`, payload: { citizenIds: [extra1, extra1] } });
    expect(dup.statusCode).toBe(400);
    const tooMany = await rk1.request({ method: 'POST', url: `/api/group-courses/${courseId}/participants`, payload: { citizenIds: Array.from({ length: 51 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`) } });
    expect(tooMany.statusCode).toBe(400);
  });

  it('refuses a citizen without an open enrolment in the programme', async () => {
    const ended = await newCitizen(rk1, RK1, 'Afsluttet');
    await t.db.owner.updateTable('enrolments').set({ status: 'ended', end_date: '2020-06-01', exit_outcome: 'other' }).where('citizen_id', '=', ended).execute();
    const res = await rk1.request({ method: 'POST', url: `/api/group-courses/${courseId}/participants`, payload: { citizenIds: [ended] } });
    expect([400, 404]).toContain(res.statusCode);
  });

  it('takes attendance for the whole group at once and gives the rates', async () => {
    const held = sessions.filter((s) => s.held);
    expect(held.length).toBeGreaterThanOrEqual(3); // 21 days ago, 14, 7 and today (a holiday may move one)
    const [a, b, c, d] = citizens as [string, string, string, string];
    const first = await rk1.request({
      method: 'PUT',
      url: `/api/group-courses/${courseId}/sessions/${held[0]!.id}/attendance`,
      payload: { entries: [{ citizenId: a, status: 'attended' }, { citizenId: b, status: 'attended' }, { citizenId: c, status: 'excused' }, { citizenId: d, status: 'absent' }] },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ changed: 4, rate: 0.5 });
    const second = await rk1.request({
      method: 'PUT',
      url: `/api/group-courses/${courseId}/sessions/${held[1]!.id}/attendance`,
      payload: { entries: [{ citizenId: a, status: 'attended' }, { citizenId: b, status: 'absent' }, { citizenId: c, status: 'attended' }] },
    });
    expect(second.json()).toMatchObject({ changed: 3, rate: 0.667 });
    const detail = (await rk1.request({ method: 'GET', url: `/api/group-courses/${courseId}` })).json();
    const byId = Object.fromEntries(detail.participants.map((p: { citizenId: string; rate: number | null; attended: number; excused: number; absent: number }) => [p.citizenId, p]));
    // a: 2/2, b: 1/2, c: 1/2 (excused counts as not attended), d: 0/1 (no record for session 2 → not counted).
    expect(byId[a]).toMatchObject({ attended: 2, excused: 0, absent: 0, rate: 1 });
    expect(byId[b]).toMatchObject({ attended: 1, absent: 1, rate: 0.5 });
    expect(byId[c]).toMatchObject({ attended: 1, excused: 1, rate: 0.5 });
    expect(byId[d]).toMatchObject({ attended: 0, absent: 1, rate: 0 });
    // Course: 4 attended of 7 records.
    expect(detail.attendanceRate).toBe(0.571);
    expect(detail.sessions[0].rate).toBe(0.5);
    expect(detail.sessions[1].rate).toBe(0.667);
    expect(detail.sessions[2].rate).toBeNull();
    expect(detail.attendance).toHaveLength(7);
  });

  it('keeps one timeline event per citizen and session: a changed status updates it', async () => {
    const session = sessions[0]!;
    const a = citizens[0]!;
    const before = await t.db.kysely.selectFrom('citizen_events').select(['id', 'data']).where('kind', '=', 'course.attendance').where('citizen_id', '=', a).where('ref_id', '=', session.id).execute();
    expect(before).toHaveLength(1);
    expect(before[0]!.data).toMatchObject({ courseId, courseTitle: 'Mestring i hverdagen', sessionNumber: 1, sessionDate: addDays(today, -21), status: 'attended' });
    const res = await rk1.request({ method: 'PUT', url: `/api/group-courses/${courseId}/sessions/${session.id}/attendance`, payload: { entries: [{ citizenId: a, status: 'excused' }] } });
    expect(res.json().changed).toBe(1);
    const after = await t.db.kysely.selectFrom('citizen_events').select(['id', 'data']).where('kind', '=', 'course.attendance').where('citizen_id', '=', a).where('ref_id', '=', session.id).execute();
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(before[0]!.id);
    expect(after[0]!.data).toMatchObject({ status: 'excused', sessionNumber: 1 });
    // The timeline through the API filters it as a course event.
    const timeline = (await rk1.request({ method: 'GET', url: `/api/citizens/${a}/timeline?kind=course` })).json();
    expect(timeline.items.map((i: { kind: string }) => i.kind).sort()).toEqual(['course.attendance', 'course.attendance', 'course.joined']);
    await rk1.request({ method: 'PUT', url: `/api/group-courses/${courseId}/sessions/${session.id}/attendance`, payload: { entries: [{ citizenId: a, status: 'attended' }] } });
  });

  it('refuses attendance with a reason, for a future session, for a non-participant and for an unknown status', async () => {
    const url = `/api/group-courses/${courseId}/sessions/${sessions[0]!.id}/attendance`;
    expect((await rk1.request({ method: 'PUT', url, payload: { entries: [{ citizenId: citizens[0], status: 'excused', reason: 'syg' }] } })).statusCode).toBe(400);
    expect((await rk1.request({ method: 'PUT', url, payload: { entries: [{ citizenId: citizens[0], status: 'late' }] } })).statusCode).toBe(400);
    expect((await rk1.request({ method: 'PUT', url, payload: { entries: [] } })).statusCode).toBe(400);
    expect((await rk1.request({ method: 'PUT', url, payload: { entries: [{ citizenId: citizens[0], status: 'attended' }, { citizenId: citizens[0], status: 'absent' }] } })).statusCode).toBe(400);
    const notIn = await rk1.request({ method: 'PUT', url, payload: { entries: [{ citizenId: outsider, status: 'attended' }] } });
    expect(notIn.statusCode).toBe(400);
    expect(notIn.json().issues).toEqual([{ path: 'entries.0.citizenId', message: 'not_participant' }]);
    const future = await rk1.request({ method: 'PUT', url: `/api/group-courses/${courseId}/sessions/${sessions[7]!.id}/attendance`, payload: { entries: [{ citizenId: citizens[0], status: 'attended' }] } });
    expect(future.statusCode).toBe(409);
    const wrongCourse = await rk1.request({ method: 'PUT', url: `/api/group-courses/${courseId}/sessions/${courseId}/attendance`, payload: { entries: [{ citizenId: citizens[0], status: 'attended' }] } });
    expect(wrongCourse.statusCode).toBe(404);
  });

  it('shows the participants only to leaders (one audit row per participant); another consultant sees a count', async () => {
    const before = (await auditRows(t.db, { actorUsername: 'sagsbehandler', action: 'read' })).length;
    const leader = (await sagsbehandler.request({ method: 'GET', url: `/api/group-courses/${courseId}` })).json();
    expect(leader.isLeader).toBe(true);
    expect(leader.participants).toHaveLength(4);
    const rows = (await auditRows(t.db, { actorUsername: 'sagsbehandler', action: 'read' })).slice(before);
    expect(rows.filter((r) => r.citizen_id !== null).map((r) => r.citizen_id).sort()).toEqual([...citizens].sort());
    expect(rows.every((r) => r.resource_type === 'group_course' && r.resource_id === courseId)).toBe(true);

    const other = await rk2.request({ method: 'GET', url: `/api/group-courses/${courseId}` });
    expect(other.statusCode).toBe(200);
    const body = other.json();
    expect(body).toMatchObject({ isLeader: false, participantCount: 4, canManage: true });
    expect(body.participants).toBeUndefined();
    expect(body.attendance).toBeUndefined();
    expect(body.sessions[0].rate).toBeUndefined();
    expect(other.body).not.toContain(citizens[0]);
    const rk2Rows = (await auditRows(t.db, { actorUsername: 'rk2', action: 'read' })).filter((r) => r.resource_id === courseId);
    expect(rk2Rows).toHaveLength(1);
    expect(rk2Rows[0]!.citizen_id).toBeNull();
  });

  it('refuses the steering group, another organisation and unknown ids with 404 (audited), and logged-out callers with 401', async () => {
    for (const s of [styregruppe, nordfyn]) {
      expect((await s.request({ method: 'GET', url: `/api/group-courses/${courseId}` })).statusCode, s.username).toBe(404);
      expect((await s.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses` })).statusCode, s.username).toBe(404);
    }
    const denied = await auditRows(t.db, { actorUsername: 'styregruppe', outcome: 'denied' });
    expect(denied.some((r) => r.resource_type === 'group_course' && r.resource_id === courseId)).toBe(true);
    expect((await rk1.request({ method: 'GET', url: `/api/group-courses/00000000-0000-4000-8000-000000099999` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/group-courses/${courseId}` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses` })).statusCode).toBe(401);
  });

  it('lets only leaders enrol and take attendance: another consultant is refused with 404 and nothing changes', async () => {
    const extra = await newCitizen(rk2, RK2, 'Rk2Borger');
    expect((await rk2.request({ method: 'POST', url: `/api/group-courses/${courseId}/participants`, payload: { citizenIds: [extra] } })).statusCode).toBe(404);
    const put = await rk2.request({ method: 'PUT', url: `/api/group-courses/${courseId}/sessions/${sessions[2]!.id}/attendance`, payload: { entries: [{ citizenId: citizens[0], status: 'attended' }] } });
    expect(put.statusCode).toBe(404);
    expect((await rk2.request({ method: 'DELETE', url: `/api/group-courses/${courseId}/participants/${citizens[0]}` })).statusCode).toBe(404);
    expect(await t.db.kysely.selectFrom('group_attendance').select('citizen_id').where('session_id', '=', sessions[2]!.id).execute()).toEqual([]);
  });

  it("shows the citizen's own courses and attendance to the citizen's team, never the other participants", async () => {
    const res = await rk1.request({ method: 'GET', url: `/api/citizens/${citizens[1]}/group-courses` });
    expect(res.statusCode).toBe(200);
    const [own] = res.json().items;
    expect(own).toMatchObject({ id: courseId, title: 'Mestring i hverdagen', attended: 1, recorded: 2, rate: 0.5 });
    expect(own.sessions.slice(0, 3).map((s: { attendance: string | null }) => s.attendance)).toEqual(['attended', 'absent', null]);
    for (const other of [citizens[0], citizens[2], citizens[3]]) expect(res.body).not.toContain(other);
    expect((await rk2.request({ method: 'GET', url: `/api/citizens/${citizens[1]}/group-courses` })).statusCode).toBe(404);
    expect((await nordfyn.request({ method: 'GET', url: `/api/citizens/${citizens[1]}/group-courses` })).statusCode).toBe(404);
    const audit = (await auditRows(t.db, { actorUsername: 'rk1', action: 'read' })).filter((r) => r.resource_type === 'group_course' && r.citizen_id === citizens[1]);
    expect(audit.length).toBeGreaterThan(0);
  });

  it('lets a participant leave: kept with the date, course.left on the timeline, no longer in attendance', async () => {
    const d = citizens[3]!;
    const res = await rk1.request({ method: 'DELETE', url: `/api/group-courses/${courseId}/participants/${d}` });
    expect(res.statusCode).toBe(204);
    const row = await t.db.kysely.selectFrom('group_participants').select('left_at').where('course_id', '=', courseId).where('citizen_id', '=', d).executeTakeFirstOrThrow();
    expect(row.left_at).not.toBeNull();
    expect(await t.db.kysely.selectFrom('citizen_events').select('id').where('kind', '=', 'course.left').where('citizen_id', '=', d).execute()).toHaveLength(1);
    const detail = (await rk1.request({ method: 'GET', url: `/api/group-courses/${courseId}` })).json();
    expect(detail.participantCount).toBe(3);
    expect(detail.participants.find((p: { citizenId: string }) => p.citizenId === d).leftAt).not.toBeNull();
    const put = await rk1.request({ method: 'PUT', url: `/api/group-courses/${courseId}/sessions/${sessions[0]!.id}/attendance`, payload: { entries: [{ citizenId: d, status: 'attended' }] } });
    expect(put.statusCode).toBe(400);
    expect((await rk1.request({ method: 'DELETE', url: `/api/group-courses/${courseId}/participants/${d}` })).statusCode).toBe(404);
  });

  it('moves and cancels a session with its version; a stale version is 409, a session with attendance cannot move', async () => {
    const future = sessions[6]!;
    const moved = await projektleder.request({ method: 'PATCH', url: `/api/group-courses/${courseId}/sessions/${future.id}`, payload: { version: future.version, date: addDays(today, 30), time: '14:00' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ date: addDays(today, 30), version: future.version + 1 });
    const stale = await rk1.request({ method: 'PATCH', url: `/api/group-courses/${courseId}/sessions/${future.id}`, payload: { version: future.version, status: 'cancelled' } });
    expect(stale.statusCode).toBe(409);
    const cancelled = await rk1.request({ method: 'PATCH', url: `/api/group-courses/${courseId}/sessions/${future.id}`, payload: { version: future.version + 1, status: 'cancelled' } });
    expect(cancelled.json().status).toBe('cancelled');
    const taken = await rk1.request({ method: 'PATCH', url: `/api/group-courses/${courseId}/sessions/${sessions[0]!.id}`, payload: { version: sessions[0]!.version, status: 'cancelled' } });
    expect(taken.statusCode).toBe(409);
    expect((await rk1.request({ method: 'PATCH', url: `/api/group-courses/${courseId}/sessions/${future.id}`, payload: { version: 1, date: '2026-13-01', time: '10:00' } })).statusCode).toBe(400);
    expect((await rk1.request({ method: 'PATCH', url: `/api/group-courses/${courseId}/sessions/${future.id}`, payload: { version: 1, date: addDays(today, 3) } })).statusCode).toBe(400);
    expect((await sagsbehandler.request({ method: 'PATCH', url: `/api/group-courses/${courseId}/sessions/${future.id}`, payload: { version: 3, status: 'planned' } })).statusCode).toBe(404);
    const cancelledAttendance = await rk1.request({ method: 'PUT', url: `/api/group-courses/${courseId}/sessions/${future.id}/attendance`, payload: { entries: [{ citizenId: citizens[0], status: 'attended' }] } });
    expect(cancelledAttendance.statusCode).toBe(409);
  });
});

describe('the programme list', () => {
  it('pages through the courses newest first with counts and rates', async () => {
    for (let i = 0; i < 3; i++) await createCourse(rk1, { title: `Side ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/programmes/${PROGRAMME.paaVej}/group-courses?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await rk2.request({ method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: { id: string; participantCount: number; sessionCount: number }[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((c) => c.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    const all = await t.db.kysely.selectFrom('group_courses').select('id').where('programme_id', '=', PROGRAMME.paaVej).execute();
    expect(new Set(seen).size).toBe(all.length);
    expect(seen).toHaveLength(all.length);
    const first = (await rk2.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses?limit=1` })).json();
    expect(first.items[0].title).toBe('Side 2');
    expect(first.items[0]).toMatchObject({ sessionCount: 8, participantCount: 0, attendanceRate: null, isLeader: false });
    expect((await rk2.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses?cursor=bm9wZQ` })).statusCode).toBe(400);
    expect((await rk2.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses?limit=51` })).statusCode).toBe(400);
    const audit = (await auditRows(t.db, { actorUsername: 'rk2', action: 'read' })).filter((r) => r.resource_type === 'group_course' && r.resource_id === null);
    expect(audit.length).toBeGreaterThanOrEqual(pages);
  });
});

describe('demo courses', () => {
  it('has a finished and a running course of eight sessions with attendance, led by rk1 and rk2', async () => {
    const finished = (await rk1.request({ method: 'GET', url: `/api/group-courses/${demoCourseId(1)}` })).json();
    expect(finished.sessions).toHaveLength(8);
    expect(finished.sessions.every((s: { held: boolean }) => s.held)).toBe(true);
    expect(finished.participants.length).toBeGreaterThanOrEqual(4);
    expect(finished.attendance).toHaveLength(8 * finished.participants.length);
    expect(finished.attendanceRate).toBeGreaterThan(0.5);
    expect(finished.attendanceRate).toBeLessThan(1);
    const running = (await rk2.request({ method: 'GET', url: `/api/group-courses/${demoCourseId(2)}` })).json();
    expect(running.sessions).toHaveLength(8);
    const held = running.sessions.filter((s: { date: string }) => s.date < today).length;
    expect(held).toBeGreaterThanOrEqual(3);
    expect(held).toBeLessThan(8);
    expect(running.attendance).toHaveLength(held * running.participants.length);
    // rk1 leads only the first: the second shows a count.
    const asRk1 = (await rk1.request({ method: 'GET', url: `/api/group-courses/${demoCourseId(2)}` })).json();
    expect(asRk1.participants).toBeUndefined();
    expect(asRk1.participantCount).toBe(running.participants.length);
    // The participants are the leader's own citizens, and each sees their own attendance on the citizen page.
    const one = running.participants[0].citizenId;
    const own = (await rk2.request({ method: 'GET', url: `/api/citizens/${one}/group-courses` })).json();
    expect(own.items.find((c: { id: string }) => c.id === demoCourseId(2)).recorded).toBe(held);
  });
});

describe("the Min Plan reminder of a participant's place", () => {
  let courseId: string;
  let title: string;

  /** The citizen's reminder tasks for this course, as the plan lists them (status and offer). */
  async function reminders(citizenId: string, offerId = courseId) {
    const res = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/plan` });
    expect(res.statusCode, res.body).toBe(200);
    const plan = res.json() as { tasks: { title: string; status: string; minPlanOffer: { kind: string; id: string } | null }[]; offers: { kind: string; id: string; minPlan: string }[] };
    return { tasks: plan.tasks.filter((x) => x.minPlanOffer?.id === offerId), offers: plan.offers.filter((o) => o.id === offerId) };
  }

  async function place(citizenId: string) {
    const detail = (await rk1.request({ method: 'GET', url: `/api/group-courses/${courseId}` })).json() as { participants: { citizenId: string; minPlan: string; version: number }[] };
    return detail.participants.find((p) => p.citizenId === citizenId)!;
  }

  const add = (citizenIds: string[]) => rk1.request({ method: 'POST', url: `/api/group-courses/${courseId}/participants`, payload: { citizenIds } });
  const mark = (citizenId: string, version: number, minPlan: string) => rk1.request({ method: 'PATCH', url: `/api/group-courses/${courseId}/participants/${citizenId}`, payload: { version, minPlan } });

  beforeAll(async () => {
    title = 'Min Plan-forløb';
    courseId = (await createCourse(rk1, { title, capacity: 6 })).id;
  });

  it("opens one reminder in each new participant's plan, owned like the internship's, and lists the place as not registered", async () => {
    const a = await newCitizen(rk1, RK1, 'MinPlanA');
    const b = await newCitizen(rk1, RK1, 'MinPlanB');
    const res = await add([a, b]);
    expect(res.statusCode, res.body).toBe(200);
    for (const id of [a, b]) {
      const r = await reminders(id);
      expect(r.tasks).toEqual([expect.objectContaining({ title, status: 'open', minPlanOffer: { kind: 'group_course', id: courseId } })]);
      expect(r.offers).toEqual([expect.objectContaining({ kind: 'group_course', minPlan: 'no' })]);
    }
    const audit = (await auditRows(t.db, { actorUsername: 'rk1', action: 'update' })).filter((r) => r.resource_id === courseId && r.citizen_id === a);
    expect(audit.map((r) => r.criteria)).toContainEqual({ participant: 'added', minPlanReminder: 'opened' });
    // Enrolling the same citizen again opens nothing more.
    expect((await add([a])).json()).toEqual({ added: 0, participantCount: 2 });
    expect((await reminders(a)).tasks).toHaveLength(1);
  });

  it('closes the reminder as done when the place is registered, as cancelled when not relevant, and reopens it on "no"', async () => {
    const c = await newCitizen(rk1, RK1, 'MinPlanC');
    await add([c]);
    const before = await place(c);
    expect(before).toEqual(expect.objectContaining({ minPlan: 'no', version: 1 }));
    const yes = await mark(c, before.version, 'yes');
    expect(yes.statusCode, yes.body).toBe(200);
    expect(yes.json()).toEqual({ citizenId: c, minPlan: 'yes', version: 2, minPlanReminder: 'closed' });
    expect((await reminders(c)).tasks).toEqual([expect.objectContaining({ status: 'done' })]);
    expect((await reminders(c)).offers).toEqual([expect.objectContaining({ minPlan: 'yes' })]);
    // A stale version changes nothing.
    const stale = await mark(c, 1, 'no');
    expect(stale.statusCode).toBe(409);
    expect((await place(c)).minPlan).toBe('yes');
    expect((await mark(c, 2, 'no')).json().minPlanReminder).toBe('opened');
    expect((await mark(c, 3, 'not_relevant')).json().minPlanReminder).toBe('closed');
    const tasks = (await reminders(c)).tasks.map((x) => x.status).sort();
    expect(tasks).toEqual(['cancelled', 'done']);
    const audit = (await auditRows(t.db, { actorUsername: 'rk1', action: 'update' })).filter((r) => r.resource_id === courseId && r.citizen_id === c);
    expect(audit.map((r) => r.criteria)).toContainEqual({ participant: 'min_plan', minPlan: 'yes', minPlanReminder: 'closed' });
  });

  it('closes the reminder when the participant leaves (the revision says why), and opens one again when they rejoin', async () => {
    const d = await newCitizen(rk1, RK1, 'MinPlanD');
    await add([d]);
    expect((await rk1.request({ method: 'DELETE', url: `/api/group-courses/${courseId}/participants/${d}` })).statusCode).toBe(204);
    const closed = await t.db.kysely
      .selectFrom('plan_tasks as pt')
      .innerJoin('plans as p', 'p.id', 'pt.plan_id')
      .select(['pt.status'])
      .where('p.citizen_id', '=', d)
      .where('pt.min_plan_offer_id', '=', courseId)
      .execute();
    expect(closed).toEqual([{ status: 'cancelled' }]);
    const revisions = (await rk1.request({ method: 'GET', url: `/api/citizens/${d}/plan/history` })).json() as { items: { summary: Record<string, unknown> }[] };
    expect(revisions.items.map((r) => r.summary)).toContainEqual({ minPlanReminder: 'offer_ended', offerKind: 'group_course' });
    // The left place is no longer an offer of the plan.
    expect((await reminders(d)).offers).toEqual([]);
    // A leaver's place cannot be marked.
    expect((await mark(d, 2, 'yes')).statusCode).toBe(404);
    // Rejoining (the place kept 'no') opens exactly one reminder again.
    await add([d]);
    const r = await reminders(d);
    expect(r.tasks.filter((x) => x.status === 'open')).toHaveLength(1);
    expect(r.tasks.filter((x) => x.status === 'cancelled')).toHaveLength(1);
  });

  it('keeps a registered place quiet: no reminder on joining a course whose places start as registered', async () => {
    const registered = await createCourse(rk1, { title: 'Registreret forløb', minPlan: 'yes' });
    const e = await newCitizen(rk1, RK1, 'MinPlanE');
    await rk1.request({ method: 'POST', url: `/api/group-courses/${registered.id}/participants`, payload: { citizenIds: [e] } });
    expect((await reminders(e, registered.id)).tasks).toEqual([]);
    expect((await reminders(e, registered.id)).offers).toEqual([expect.objectContaining({ minPlan: 'yes' })]);
  });

  it("lets only the course's leaders mark a place; another consultant and an unknown citizen get 404, bad input 400", async () => {
    const f = await newCitizen(rk1, RK1, 'MinPlanF');
    await add([f]);
    const other = await rk2.request({ method: 'PATCH', url: `/api/group-courses/${courseId}/participants/${f}`, payload: { version: 1, minPlan: 'yes' } });
    expect(other.statusCode).toBe(404);
    expect((await mark('00000000-0000-4000-8000-000000000001', 1, 'yes')).statusCode).toBe(404);
    expect((await mark(f, 1, 'maybe')).statusCode).toBe(400);
    expect((await rk1.request({ method: 'PATCH', url: `/api/group-courses/${courseId}/participants/${f}`, payload: { minPlan: 'yes' } })).statusCode).toBe(400);
    expect((await place(f)).minPlan).toBe('no');
    expect((await reminders(f)).tasks).toEqual([expect.objectContaining({ status: 'open' })]);
  });

  it("keeps the reminders of one citizen's course place and internship apart", async () => {
    const g = await newCitizen(rk1, RK1, 'MinPlanG');
    await add([g]);
    const cvr = '38500112';
    const company = await rk1.request({ method: 'POST', url: '/api/companies', payload: { cvr, name: 'Kursus Praktik ApS' } });
    expect(company.statusCode, company.body).toBe(201);
    const internship = await rk1.request({
      method: 'POST',
      url: `/api/citizens/${g}/internships`,
      payload: { companyId: company.json().id, purpose: 'trial_before_hiring', fromDate: today, toDate: addDays(today, 28), plannedWeeklyHours: 10, minPlan: 'no' },
    });
    expect(internship.statusCode, internship.body).toBe(201);
    const internshipId = internship.json().id as string;
    expect((await reminders(g, internshipId)).tasks).toEqual([expect.objectContaining({ status: 'open', minPlanOffer: { kind: 'internship', id: internshipId } })]);
    // Registering the course place closes only its own reminder.
    await mark(g, 1, 'yes');
    expect((await reminders(g)).tasks).toEqual([expect.objectContaining({ status: 'done' })]);
    expect((await reminders(g, internshipId)).tasks).toEqual([expect.objectContaining({ status: 'open' })]);
    const patched = await rk1.request({ method: 'PATCH', url: `/api/internships/${internshipId}`, payload: { version: 1, minPlan: 'yes' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await reminders(g, internshipId)).tasks).toEqual([expect.objectContaining({ status: 'done' })]);
  });
});
