// The steering dashboard on both engines, over a programme made for the test with figures known by hand: the
// programme manager sees them exactly; the steering group never sees a count below 5, a 0 % or 100 % share, or a
// figure that gives a hidden one back; everyone else gets 404, audited; the period's bounds answer 400; the
// programme manager records spending against the budget.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_OUTCOMES, type Dashboard } from '../../../contracts/dashboard.ts';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { shareTable, suppressCount, suppressTable } from '../progression/suppression.ts';
import { refreshCountedDays } from './counted-days.ts';
import { monthEnd, OUTCOME_OF_EXIT } from './dashboard.service.ts';

let t: TestContext;
let rk1: Session;
let manager: Session;
let steering: Session;
let programmeId: string;
let lineId: string;
const RK1 = userId(4);
const SAGSBEHANDLER = userId(8);
const PERIOD = '?from=2026-01-01&to=2026-06-30';
let serial = 8100;
const nextCpr = () => `120390-${String(serial++).padStart(4, '0')}`;

interface Enrolment {
  start: string;
  benefit: string;
  end?: string;
  exit?: string;
}

/** A citizen of the test programme: created through the API in the demo programme, then moved with its facts. */
async function enrol(e: Enrolment): Promise<{ citizenId: string }> {
  const res = await rk1.request({
    method: 'POST',
    url: '/api/citizens',
    payload: { cpr: nextCpr(), firstName: 'Overblik', lastName: 'Borger', acknowledgeWarnings: true, enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2026-01-05', benefitCode: 'kontanthjaelp', consultantIds: [RK1], caseworkerId: SAGSBEHANDLER } },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  const { id, enrolmentId } = res.json() as { id: string; enrolmentId: string };
  await t.db.owner
    .updateTable('enrolments')
    .set({ programme_id: programmeId, start_date: e.start, benefit_code: e.benefit, status: e.end ? 'ended' : 'active', end_date: e.end ?? null, exit_outcome: e.exit ?? null })
    .where('id', '=', enrolmentId)
    .execute();
  return { citizenId: id };
}

const many = (n: number, e: Enrolment) => Promise.all(Array.from({ length: n }, () => enrol(e)));

async function get(s: Session, query = PERIOD) {
  return s.request({ method: 'GET', url: `/api/programmes/${programmeId}/dashboard${query}` });
}

const hidden = { suppressed: true };

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
  const owner = t.db.owner;
  const p = await owner
    .insertInto('programmes')
    .values({ organisation_id: ORG.naestved, name: 'Overblik-testforløb', starts_on: '2025-09-01', ends_on: '2027-08-31', capacity: 20 })
    .returning('id')
    .executeTakeFirstOrThrow();
  programmeId = p.id;
  const pm = await owner.selectFrom('users').select(['id', 'organisation_id']).where('username', '=', 'projektleder').executeTakeFirstOrThrow();
  const sg = await owner.selectFrom('users').select(['id', 'organisation_id']).where('username', '=', 'styregruppe').executeTakeFirstOrThrow();
  await owner
    .insertInto('user_roles')
    .values([
      { user_id: pm.id, organisation_id: pm.organisation_id, role: 'programme_manager', programme_id: programmeId },
      { user_id: sg.id, organisation_id: sg.organisation_id, role: 'steering_group', programme_id: programmeId },
    ])
    .execute();
  await owner.insertInto('programme_targets').values([
    { programme_id: programmeId, outcome: 'job', target_percent: 20 },
    { programme_id: programmeId, outcome: 'education', target_percent: 15 },
  ]).execute();
  await owner.insertInto('programme_target_groups').values([
    { programme_id: programmeId, benefit_code: 'kontanthjaelp', planned_count: 10 },
    { programme_id: programmeId, benefit_code: 'uddannelseshjaelp', planned_count: 5 },
  ]).execute();
  await owner.insertInto('programme_phases').values([
    { programme_id: programmeId, position: 1, name_da: 'Opstart', name_en: 'Start-up', responsible: null, starts_on: '2025-09-01', ends_on: '2025-12-31' },
    { programme_id: programmeId, position: 2, name_da: 'Drift', name_en: 'Running', responsible: 'Projektleder', starts_on: '2026-01-01', ends_on: '2027-08-31' },
  ]).execute();
  lineId = (await owner.insertInto('programme_budget_lines').values({ programme_id: programmeId, year: 2026, purpose: 'Konsulenter', funder: null, amount_oere: 100_000_000 }).returning('id').executeTakeFirstOrThrow()).id;
  await owner.insertInto('programme_evaluations').values({ programme_id: programmeId, label: 'Midtvejsevaluering', reported_on: '2026-05-01', citizens: 98, job_percent: '17.0', education_percent: '10.0', internship_percent: '19.0' }).execute();

  // Before the period: 4 on ressourceforløb, one of whom ended before it (not a participant of the period).
  await many(3, { start: '2025-10-01', benefit: 'ressourceforloeb' });
  await enrol({ start: '2025-10-01', benefit: 'ressourceforloeb', end: '2025-12-15', exit: 'andet' });
  // January: 6 on kontanthjælp; 2 into a job in April, 1 into education and 1 drop-out in May.
  const jan = [
    ...(await many(2, { start: '2026-01-10', benefit: 'kontanthjaelp', end: '2026-04-15', exit: 'ordinaert_job' })),
    await enrol({ start: '2026-01-10', benefit: 'kontanthjaelp', end: '2026-05-01', exit: 'uddannelse' }),
    await enrol({ start: '2026-01-10', benefit: 'kontanthjaelp', end: '2026-05-20', exit: 'frafald' }),
    ...(await many(2, { start: '2026-01-10', benefit: 'kontanthjaelp' })),
  ];
  // February: 2 on uddannelseshjælp; March: 5 on kontanthjælp.
  await many(2, { start: '2026-02-05', benefit: 'uddannelseshjaelp' });
  const mar = await many(5, { start: '2026-03-03', benefit: 'kontanthjaelp' });

  // The two who found a job are self-supporting from June (26 weeks after 10 January is 11 July; everyone who
  // started in the period is 26 weeks past the start today, nobody 52).
  for (const c of jan.slice(0, 2)) {
    await owner.insertInto('status_periods').values({ organisation_id: ORG.naestved, citizen_id: c.citizenId, benefit_code: 'selvforsoergende', activity: 'ordinary_job', weekly_hours: 37, from_date: '2026-06-01', to_date: null, note: null, created_by: RK1 }).execute();
  }
  // 7 walk-and-talk conversations in March, 1 conversation in the office in April (held); 1 cancelled (not counted).
  const conversation = (citizenId: string, at: string, place: 'walk_and_talk' | 'conversation_room', status: 'held' | 'cancelled' = 'held') => ({
    organisation_id: ORG.naestved, citizen_id: citizenId, starts_at: new Date(at), duration_minutes: 45, place, place_text: null, status, staff_ids: [RK1], created_by: RK1,
  });
  await owner.insertInto('conversations').values([
    ...mar.slice(0, 5).map((c, i) => conversation(c.citizenId, `2026-03-1${i}T09:00:00Z`, 'walk_and_talk')),
    conversation(jan[4]!.citizenId, '2026-03-20T09:00:00Z', 'walk_and_talk'),
    conversation(jan[5]!.citizenId, '2026-03-31T21:30:00Z', 'walk_and_talk'), // 23:30 in Copenhagen: still March
    conversation(jan[5]!.citizenId, '2026-04-02T09:00:00Z', 'conversation_room'),
    conversation(jan[5]!.citizenId, '2026-04-03T09:00:00Z', 'conversation_room', 'cancelled'),
  ]).execute();
  // 6 general inquiries to the liaison, answered after 1, 2, 3, 4 and 5 hours; one still open.
  const liaison = await owner.selectFrom('users').select('id').where('username', '=', 'liaison').executeTakeFirstOrThrow();
  await owner.insertInto('inquiries').values(
    [1, 2, 3, 4, 5, null].map((h, i) => ({
      organisation_id: ORG.naestved,
      recipient_organisation_id: ORG.naestved,
      programme_id: programmeId,
      kind: 'general' as const,
      citizen_id: null,
      subject: `Spørgsmål ${i}`,
      status: h === null ? ('new' as const) : ('answered' as const),
      asked_by: RK1,
      asked_at: new Date(`2026-02-0${i + 1}T08:00:00Z`),
      first_answer_at: h === null ? null : new Date(Date.parse(`2026-02-0${i + 1}T08:00:00Z`) + h * 3_600_000),
      assigned_to: liaison.id,
    })),
  ).execute();

  manager = await login(t.app, 'projektleder');
  steering = await login(t.app, 'styregruppe');
});

afterAll(async () => {
  await t.close();
});

describe('the programme manager', () => {
  it('sees the exact figures of the period', async () => {
    const res = await get(manager);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json() as Dashboard;
    expect(d.audience).toBe('exact');
    expect(d.period).toEqual({ from: '2026-01-01', to: '2026-06-30', countedUntil: '2026-06-30' });
    expect(Date.parse(d.computedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(d.enrolment.capacity).toBe(20);
    expect(d.enrolment.months).toEqual([
      { month: '2026-01', active: 9, started: 6 },
      { month: '2026-02', active: 11, started: 2 },
      { month: '2026-03', active: 16, started: 5 },
      { month: '2026-04', active: 14, started: 0 },
      { month: '2026-05', active: 12, started: 0 },
      { month: '2026-06', active: 12, started: 0 },
    ]);
    expect(d.enrolment.started).toBe(13);
    expect(d.targetGroups.rows.map((r) => [r.benefitCode, r.planned, r.actual])).toEqual([
      ['kontanthjaelp', 10, 11],
      ['uddannelseshjaelp', 5, 2],
    ]);
    expect(d.targetGroups.rows[0]!.label).toEqual({ da: 'Kontanthjælp', en: expect.any(String) });
    expect([d.targetGroups.plannedTotal, d.targetGroups.actualTotal]).toEqual([15, 13]);
    expect(d.outcomes.participants).toBe(16);
    expect(d.outcomes.rows).toEqual([
      { outcome: 'job', count: 2, share: 2 / 16, targetPercent: 20 },
      { outcome: 'education', count: 1, share: 1 / 16, targetPercent: 15 },
      { outcome: 'internship', count: 0, share: 0, targetPercent: null },
      { outcome: 'other', count: 1, share: 1 / 16, targetPercent: null },
      { outcome: 'not_ended', count: 12, share: 12 / 16, targetPercent: null },
    ]);
    expect(d.outcomes.evaluation).toEqual({ label: 'Midtvejsevaluering', reportedOn: '2026-05-01', citizens: 98, jobPercent: 17, educationPercent: 10, internshipPercent: 19 });
    expect(d.activities.kinds).toEqual(['walk_and_talk', 'conversation', 'group_attendance', 'network_meeting', 'internship', 'upskilling']);
    expect(d.activities.months.find((m) => m.month === '2026-03')).toEqual({ month: '2026-03', counts: [7, 0, 0, 0, 0, 0], total: 7 });
    expect(d.activities.months.find((m) => m.month === '2026-04')).toEqual({ month: '2026-04', counts: [0, 1, 0, 0, 0, 0], total: 1 });
    expect(d.activities.totals).toEqual([7, 1, 0, 0, 0, 0]);
    expect(d.activities.total).toBe(8);
    expect(d.selfSupport).toEqual([
      { weeks: 26, eligible: 13, selfSupporting: 2, share: 2 / 13 },
      { weeks: 52, eligible: 0, selfSupporting: 0, share: null },
    ]);
    expect(d.inquiries).toEqual({ asked: 6, answered: 5, medianHoursToAnswer: 3 });
    expect(d.phases.map((p) => [p.name.da, p.current])).toEqual([
      ['Opstart', false],
      ['Drift', true],
    ]);
    expect(d.budget).toEqual([{ id: lineId, year: 2026, purpose: 'Konsulenter', funder: null, amountOere: 100_000_000, spentOere: null, spentRecordedAt: null }]);
  });

  it("defaults to the programme's period, counted up to today", async () => {
    const res = await get(manager, '');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json() as Dashboard;
    expect(d.period.from).toBe('2025-09-01');
    expect(d.period.to).toBe('2027-08-31');
    expect(d.period.countedUntil <= '2027-08-31').toBe(true);
    expect(d.enrolment.months[0]!.month).toBe('2025-09');
    expect(d.enrolment.months.at(-1)!.month).toBe(d.period.countedUntil.slice(0, 7));
    // The four who started in October 2025 count now too.
    expect(d.enrolment.started).toBe(17);
  });

  it('records the spending against a budget line; the dashboard shows it', async () => {
    const res = await manager.request({ method: 'PUT', url: `/api/programmes/${programmeId}/budget-lines/${lineId}/spent`, payload: { spentOere: 45_000_000 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: lineId, spentOere: 45_000_000 });
    const d = (await get(manager)).json() as Dashboard;
    expect(d.budget[0]!.spentOere).toBe(45_000_000);
    expect(d.budget[0]!.spentRecordedAt).not.toBeNull();
    // The steering group reads it, but cannot record it; a line of another programme is not found.
    expect(((await get(steering)).json() as Dashboard).budget[0]!.spentOere).toBe(45_000_000);
    expect((await steering.request({ method: 'PUT', url: `/api/programmes/${programmeId}/budget-lines/${lineId}/spent`, payload: { spentOere: 1 } })).statusCode).toBe(404);
    expect((await manager.request({ method: 'PUT', url: `/api/programmes/${PROGRAMME.paaVej}/budget-lines/${lineId}/spent`, payload: { spentOere: 1 } })).statusCode).toBe(404);
    for (const bad of [-1, 1.5, 100_000_000_001, '1000']) {
      const r = await manager.request({ method: 'PUT', url: `/api/programmes/${programmeId}/budget-lines/${lineId}/spent`, payload: { spentOere: bad } });
      expect(r.statusCode, String(bad)).toBe(400);
    }
    const cleared = await manager.request({ method: 'PUT', url: `/api/programmes/${programmeId}/budget-lines/${lineId}/spent`, payload: { spentOere: null } });
    expect(cleared.json()).toMatchObject({ spentOere: null, spentRecordedAt: null });
    const audit = await t.db.owner.selectFrom('audit_log').select(['outcome', 'actor_username']).where('resource_type', '=', 'programme_budget_line').where('resource_id', '=', lineId).execute();
    expect(audit.filter((a) => a.outcome === 'success')).toHaveLength(2);
    expect(audit.filter((a) => a.outcome === 'denied').map((a) => a.actor_username)).toContain('styregruppe');
  });
});

describe("the demo's Fremskudt programme", () => {
  it('has a programme manager who sees its budget against the spending recorded for both years', async () => {
    const s = await login(t.app, 'regionsprojektleder');
    const res = await s.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.fremskudt}/dashboard` });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json() as Dashboard;
    expect(d.audience).toBe('exact');
    expect(d.budget.map((b) => [b.year, b.amountOere, b.spentOere])).toEqual([
      [2019, 4_000_000, 2_130_000],
      [2020, 16_000_000, 17_185_000],
    ]);
    expect(d.budget.every((b) => b.spentRecordedAt !== null)).toBe(true);
  });
});

describe('the steering group', () => {
  it('never sees a small cell, a 0 % or 100 % share, or a figure that gives a hidden one back', async () => {
    const res = await get(steering);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json() as Dashboard;
    expect(d.audience).toBe('suppressed');
    // Active counts are single figures, all at least 5 here.
    expect(d.enrolment.months.map((m) => m.active)).toEqual([9, 11, 16, 14, 12, 12]);
    // Starts: 2 in February and the empty months are hidden; with 6, 5 and the total 13 published, the hidden
    // months sum to 2 — but which month holds them is not given away.
    expect(d.enrolment.months.map((m) => m.started)).toEqual([6, hidden, 5, hidden, hidden, hidden]);
    expect(d.enrolment.started).toBe(13);
    // Target groups: 2 on uddannelseshjælp is hidden, and so is either kontanthjælp's 11 or the total.
    const [kh, uh] = d.targetGroups.rows;
    expect(uh!.actual).toEqual(hidden);
    expect(typeof kh!.actual === 'number' && typeof d.targetGroups.actualTotal === 'number').toBe(false);
    expect(kh!.planned).toBe(10);
    // Outcomes: every count below 5 hidden with its share; the split never lets one be computed.
    const byOutcome = Object.fromEntries(d.outcomes.rows.map((r) => [r.outcome, r]));
    for (const o of ['job', 'education', 'internship', 'other'] as const) {
      expect(byOutcome[o]!.count, o).toEqual(hidden);
      expect(byOutcome[o]!.share, o).toEqual(hidden);
    }
    // With the participants and the not-ended published, only the hidden cells' sum (4) is known: at least two
    // cells share it, so no single one is given back.
    expect(d.outcomes.rows.filter((r) => typeof r.count !== 'number').length).toBeGreaterThanOrEqual(2);
    expect(d.outcomes.rows[0]!.targetPercent).toBe(20);
    // Activities: 7 walk-and-talks in March may show; the single office conversation may not.
    const april = d.activities.months.find((m) => m.month === '2026-04')!;
    expect(april.counts[1]).toEqual(hidden);
    // Self-support: 2 of 13 is hidden (a part below 5), the 13 eligible shows; nobody yet at 52 weeks.
    expect(d.selfSupport[0]).toEqual({ weeks: 26, eligible: 13, selfSupporting: hidden, share: hidden });
    expect(d.selfSupport[1]).toEqual({ weeks: 52, eligible: hidden, selfSupporting: hidden, share: hidden });
    // Inquiries: 6 asked shows; 5 answered of 6 leaves 1 unanswered, so the answered count is hidden; the median of 5 shows.
    expect(d.inquiries).toEqual({ asked: 6, answered: hidden, medianHoursToAnswer: 3 });

    // Whatever is published is never a count below 5 in any table, nor a share of 0 or 1.
    const cells = [
      ...d.enrolment.months.flatMap((m) => [m.active, m.started]),
      d.enrolment.started,
      ...d.targetGroups.rows.map((r) => r.actual),
      d.targetGroups.actualTotal,
      ...d.outcomes.rows.map((r) => r.count),
      d.outcomes.participants,
      ...d.activities.months.flatMap((m) => [...m.counts, m.total]),
      ...d.activities.totals,
      d.activities.total,
      ...d.selfSupport.flatMap((s) => [s.eligible, s.selfSupporting]),
      d.inquiries.asked,
      d.inquiries.answered,
    ];
    for (const c of cells) if (typeof c === 'number') expect(c).toBeGreaterThanOrEqual(5);
    for (const s of [...d.outcomes.rows.map((r) => r.share), ...d.selfSupport.map((s) => s.share)]) {
      if (typeof s === 'number') expect(s > 0 && s < 1).toBe(true);
    }
  });
});

describe('access and bounds', () => {
  it('answers 404 to anyone else, and to an unknown programme, audited', async () => {
    for (const who of ['rk1', 'forsker', 'dpo', 'liaison']) {
      const s = who === 'rk1' ? rk1 : await login(t.app, who);
      const res = await get(s);
      expect(res.statusCode, `${who}: ${res.body}`).toBe(404);
    }
    const unknown = await manager.request({ method: 'GET', url: '/api/programmes/00000000-0000-4000-8000-00000000dead/dashboard' });
    expect(unknown.statusCode).toBe(404);
    const denied = await t.db.owner.selectFrom('audit_log').select(['actor_username', 'resource_id']).where('resource_type', '=', 'programme_dashboard').where('outcome', '=', 'denied').execute();
    expect(denied.map((d) => d.actor_username)).toEqual(expect.arrayContaining(['rk1', 'forsker', 'dpo', 'liaison', 'projektleder']));
    const read = await t.db.owner.selectFrom('audit_log').select(['criteria']).where('resource_type', '=', 'programme_dashboard').where('outcome', '=', 'success').where('actor_username', '=', 'styregruppe').execute();
    expect(read[0]!.criteria).toMatchObject({ audience: 'suppressed', from: '2026-01-01', to: '2026-06-30' });
  });

  it('answers 400 to a period that ends before it starts, spans more than 120 months, or is no date', async () => {
    for (const q of ['?from=2026-06-01&to=2026-01-01', '?from=2000-01-01&to=2010-01-01', '?from=2026-13-01', '?to=1800-01-01', '?from=x', '?other=1']) {
      const res = await get(manager, q);
      expect(res.statusCode, `${q}: ${res.body}`).toBe(400);
    }
    // Exactly 120 months is allowed.
    expect((await get(manager, '?from=2017-01-01&to=2026-12-31')).statusCode).toBe(200);
  });
});

describe('activities counted by the refresh job (docs/decisions/0043)', () => {
  const withoutTime = (d: Dashboard) => ({ ...d.activities, countedAt: null });

  it('gives the same figures from the counted days as counted live, and says when it counted', async () => {
    const live = (await get(manager)).json() as Dashboard;
    expect(live.activities.countedAt).toBeNull();
    const before = Date.now();
    const result = await refreshCountedDays(t.db.kysely, { programmeId });
    expect(result.programmes).toBe(1);
    // March: walk and talk on 5 days (10–14 March) and 2 more days (20, 31 March); April: 1 conversation day.
    expect(result.activityDays).toBe(8);
    const stored = await t.db.owner.selectFrom('dashboard_activity_days').select(['day', 'kind', 'n']).where('programme_id', '=', programmeId).orderBy('day').execute();
    expect(stored.map((r) => [r.day, r.kind, r.n])).toContainEqual(['2026-03-31', 'walk_and_talk', 1]);
    expect(stored.reduce((sum, r) => sum + r.n, 0)).toBe(8);
    const counted = (await get(manager)).json() as Dashboard;
    expect(withoutTime(counted)).toEqual(withoutTime(live));
    expect(counted.selfSupport).toEqual(live.selfSupport);
    expect(counted.selfSupport[0]).toMatchObject({ weeks: 26, eligible: 13, selfSupporting: 2 });
    expect(Date.parse(counted.activities.countedAt!)).toBeGreaterThanOrEqual(before - 1000);
    // The steering group's suppressed view is the same from the counted days too.
    const steeringCounted = (await get(steering)).json() as Dashboard;
    expect(steeringCounted.activities.months.find((m) => m.month === '2026-04')!.counts[1]).toEqual(hidden);
  });

  it('counts today live at once; a late record of an earlier day comes with the next run', async () => {
    const today = dateInCopenhagen();
    const period = `?from=2026-01-01&to=${today}`;
    const total = async () => ((await get(manager, period)).json() as Dashboard).activities.total as number;
    const citizen = await t.db.owner.selectFrom('enrolments').select('citizen_id').where('programme_id', '=', programmeId).where('status', '=', 'active').executeTakeFirstOrThrow();
    const conversation = (at: Date) => ({
      organisation_id: ORG.naestved, citizen_id: citizen.citizen_id, starts_at: at, duration_minutes: 30, place: 'conversation_room' as const, place_text: null, status: 'held' as const, staff_ids: [RK1], created_by: RK1,
    });
    await refreshCountedDays(t.db.kysely, { programmeId });
    const start = await total();
    // Now (today, after the counted days): counted on the next request.
    await t.db.owner.insertInto('conversations').values(conversation(new Date())).execute();
    expect(await total()).toBe(start + 1);
    // A conversation recorded today for a day already counted: not yet, then after the next run.
    await t.db.owner.insertInto('conversations').values(conversation(new Date('2026-05-12T08:00:00Z'))).execute();
    expect(await total()).toBe(start + 1);
    await refreshCountedDays(t.db.kysely, { programmeId });
    expect(await total()).toBe(start + 2);

    // An enrolment that is 26 weeks past its start today (after the counted days) is counted at once.
    const eligible = async () => ((await get(manager, period)).json() as Dashboard).selfSupport[0]!.eligible as number;
    const before = await eligible();
    await enrol({ start: addDays(today, -26 * 7), benefit: 'kontanthjaelp' });
    expect(await eligible()).toBe(before + 1);
    await refreshCountedDays(t.db.kysely, { programmeId });
    expect(await eligible()).toBe(before + 1);
  });
});

describe('enrolment over the months', () => {
  it('counts a citizen with overlapping enrolments once, and back-to-back ones without a gap', async () => {
    const active = async () => ((await get(manager)).json() as Dashboard).enrolment.months.map((m) => m.active as number);
    const before = await active();
    const { citizenId } = await enrol({ start: '2026-02-10', benefit: 'kontanthjaelp', end: '2026-05-15', exit: 'andet' });
    const second = { organisation_id: ORG.naestved, citizen_id: citizenId, programme_id: programmeId, benefit_code: 'kontanthjaelp', status: 'ended' as const, exit_outcome: 'andet', created_by: RK1 };
    // Overlapping the first (March–April), and one that starts the day the first ends (to the end of June).
    await t.db.owner.insertInto('enrolments').values([
      { ...second, start_date: '2026-03-01', end_date: '2026-04-20' },
      { ...second, start_date: '2026-05-15', end_date: '2026-06-30' },
    ]).execute();
    const after = await active();
    // January–June: not yet, then one citizen at every month's end up to May; 30 June is the last one's end.
    expect(after.map((n, i) => n - before[i]!)).toEqual([0, 1, 1, 1, 1, 0]);
  });
});

describe('enrolment figures kept by the trigger (docs/decisions/0045)', () => {
  const PERIODS = [PERIOD, '', '?from=2026-02-15&to=2026-05-10'];

  /** The enrolment figures counted from the enrolments themselves, as the dashboard counted them before 0045. */
  async function live(from: string, until: string, months: { month: string; d: string }[]) {
    const e = sql`select citizen_id, start_date, end_date, status, benefit_code, exit_outcome from enrolments where programme_id = ${programmeId} and status <> 'referred'`;
    const { rows: monthly } = await sql<{ month: string; active: number; started: number }>`
      select m.month,
             (select count(distinct x.citizen_id) from (${e}) x where x.start_date <= m.d::date and (x.end_date is null or x.end_date > m.d::date))::int as active,
             (select count(*) from (${e}) x where x.start_date between ${from}::date and ${until}::date and to_char(x.start_date, 'YYYY-MM') = m.month)::int as started
        from json_to_recordset(${JSON.stringify(months)}::json) as m (month text, d text) order by m.month`.execute(t.db.owner);
    const { rows: groups } = await sql<{ code: string; n: number }>`
      select benefit_code as code, count(*)::int as n from (${e}) x where x.start_date between ${from}::date and ${until}::date group by 1`.execute(t.db.owner);
    const { rows: split } = await sql<{ outcome: string | null; n: number }>`
      select case when x.status = 'ended' and x.end_date <= ${until}::date then x.exit_outcome end as outcome, count(*)::int as n
        from (${e}) x where x.start_date <= ${until}::date and (x.end_date is null or x.end_date >= ${from}::date) group by 1`.execute(t.db.owner);
    const outcomes = Object.fromEntries(DASHBOARD_OUTCOMES.map((o) => [o, 0]));
    for (const r of split) outcomes[r.outcome === null ? 'not_ended' : (OUTCOME_OF_EXIT[r.outcome] ?? 'other')]! += r.n;
    return { monthly, groups: Object.fromEntries(groups.map((g) => [g.code, g.n])), outcomes: DASHBOARD_OUTCOMES.map((o) => outcomes[o]!) };
  }

  /** The dashboard's enrolment figures equal the live ones, exactly for the manager and suppressed alike for the steering group. */
  async function expectLiveFigures(step: string) {
    for (const query of PERIODS) {
      const exact = (await get(manager, query)).json() as Dashboard;
      const months = exact.enrolment.months.map((m) => ({ month: m.month, d: monthEnd(m.month) < exact.period.countedUntil ? monthEnd(m.month) : exact.period.countedUntil }));
      const l = await live(exact.period.from, exact.period.countedUntil, months);
      const where = `${step} ${query}`;
      expect(exact.enrolment.months, where).toEqual(l.monthly);
      expect(Object.fromEntries(exact.targetGroups.rows.filter((r) => r.actual !== 0).map((r) => [r.benefitCode, r.actual])), where).toEqual(l.groups);
      expect(exact.outcomes.rows.map((r) => r.count), where).toEqual(l.outcomes);
      const suppressed = (await get(steering, query)).json() as Dashboard;
      const opts = { audience: 'suppressed' as const };
      const starts = suppressTable({ cells: [l.monthly.map((m) => m.started)], rowTotals: true, ...opts });
      expect(suppressed.enrolment.months, where).toEqual(l.monthly.map((m, i) => ({ month: m.month, active: suppressCount(m.active, opts), started: starts.cells[0]![i] })));
      expect(suppressed.enrolment.started, where).toEqual(starts.rowTotals![0]);
      const groups = suppressTable({ cells: [exact.targetGroups.rows.map((r) => r.actual as number)], rowTotals: true, ...opts });
      expect(suppressed.targetGroups.rows.map((r) => r.actual), where).toEqual(groups.cells[0]);
      const outcomes = shareTable({ cells: [l.outcomes], ...opts });
      expect(suppressed.outcomes.rows.map((r) => [r.count, r.share]), where).toEqual(outcomes.counts.cells[0]!.map((c, i) => [c, outcomes.shares[0]![i]]));
    }
    // The kept counts are what a full recount of the programme's enrolments gives.
    const { rows: drift } = await sql<{ day: string; measure: string; code: string; kept: number; counted: number }>`
      with kept as (select day, measure, code, n from dashboard_enrolment_days where programme_id = ${programmeId} and n <> 0),
      counted as (select day, measure, code, sum(n)::int as n from dashboard_enrolment_facts(array(select e from enrolments e where e.programme_id = ${programmeId})) group by 1, 2, 3 having sum(n) <> 0)
      select coalesce(k.day, c.day)::text as day, coalesce(k.measure, c.measure) as measure, coalesce(k.code, c.code) as code, k.n as kept, c.n as counted
        from kept k full join counted c on c.day = k.day and c.measure = k.measure and c.code = k.code
       where k.n is distinct from c.n`.execute(t.db.owner);
    expect(drift, step).toEqual([]);
  }

  it('equal the live count through overlapping, back-to-back, ended, backdated, moved and deleted enrolments', async () => {
    const owner = t.db.owner;
    await expectLiveFigures('as loaded');
    const row = (citizenId: string, start: string, end: string | null, benefit = 'kontanthjaelp', exit = 'andet') => ({
      organisation_id: ORG.naestved, citizen_id: citizenId, programme_id: programmeId, benefit_code: benefit, start_date: start,
      status: end ? ('ended' as const) : ('active' as const), end_date: end, exit_outcome: end ? exit : null, created_by: RK1,
    });
    // One citizen: two overlapping enrolments, one inside the other, and one back to back after them, in one statement.
    const a = await enrol({ start: '2026-02-01', benefit: 'uddannelseshjaelp', end: '2026-03-10', exit: 'uddannelse' });
    await owner.insertInto('enrolments').values([row(a.citizenId, '2026-02-20', '2026-04-01'), row(a.citizenId, '2026-02-25', '2026-03-01'), row(a.citizenId, '2026-04-01', null, 'ressourceforloeb')]).execute();
    await expectLiveFigures('overlapping and back to back');
    // The open one ends after the count (today's change), with a job.
    await owner.updateTable('enrolments').set({ status: 'ended', end_date: '2026-05-02', exit_outcome: 'ordinaert_job' }).where('citizen_id', '=', a.citizenId).where('status', '=', 'active').execute();
    await expectLiveFigures('ended after');
    // The first is backdated to before the period and its gap closed; another citizen's start is backdated a month.
    await owner.updateTable('enrolments').set({ start_date: '2025-11-15' }).where('citizen_id', '=', a.citizenId).where('start_date', '=', '2026-02-01').execute();
    const some = await owner.selectFrom('enrolments').select(['id', 'start_date']).where('programme_id', '=', programmeId).where('start_date', '=', '2026-03-03').executeTakeFirstOrThrow();
    await owner.updateTable('enrolments').set({ start_date: '2026-02-03', benefit_code: 'ledighedsydelse' }).where('id', '=', some.id).execute();
    await expectLiveFigures('backdated');
    // A referral counts nowhere until it becomes an enrolment; one moves to another programme and back.
    const b = await enrol({ start: '2026-03-15', benefit: 'kontanthjaelp' });
    await owner.updateTable('enrolments').set({ status: 'referred' }).where('citizen_id', '=', b.citizenId).execute();
    await expectLiveFigures('referred');
    await owner.updateTable('enrolments').set({ status: 'active' }).where('citizen_id', '=', b.citizenId).execute();
    await owner.updateTable('enrolments').set({ programme_id: PROGRAMME.paaVej }).where('citizen_id', '=', b.citizenId).execute();
    await expectLiveFigures('moved away');
    await owner.updateTable('enrolments').set({ programme_id: programmeId }).where('citizen_id', '=', b.citizenId).execute();
    await expectLiveFigures('moved back');
    // Everything of a citizen with several enrolments is deleted (children first), and with it their counts.
    await owner.deleteFrom('team_members').where('enrolment_id', 'in', owner.selectFrom('enrolments').select('id').where('citizen_id', '=', a.citizenId)).execute();
    for (const table of ['citizen_events', 'status_periods', 'enrolments'] as const) await owner.deleteFrom(table).where('citizen_id', '=', a.citizenId).execute();
    await owner.deleteFrom('citizens').where('id', '=', a.citizenId).execute();
    await expectLiveFigures('citizen deleted');
    // A count back at zero (the backdated start's old day) is tidied by the refresh job.
    const zeros = () => owner.selectFrom('dashboard_enrolment_days').select('day').where('programme_id', '=', programmeId).where('n', '=', 0).execute();
    expect((await zeros()).length).toBeGreaterThan(0);
    await refreshCountedDays(t.db.kysely, { programmeId });
    expect(await zeros()).toEqual([]);
    await expectLiveFigures('after the refresh job');
  });
});
