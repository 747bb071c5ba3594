// Progression measurement on both engines: answering (drafts, submissions, bounds naming the item),
// scores and alerts (one open task per rule), corrections with history, versions, who sees answers, the
// audit rows (refusals too), the scheduled due list through the job queue, and the cohort view with its
// suppression for the steering group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { startJobQueue } from '../../platform/jobs.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { DUE_MEASUREMENTS_JOB, progressionJobs } from './jobs.ts';
import { computeDueMeasurements, currentOccasion } from './tasks.service.ts';

let t: TestContext;
let rk1: Session;
let rk2: Session;
let caseworker: Session;
let jobConsultant: Session;
let manager: Session;
let steering: Session;
let admin: Session;
const RK1 = userId(4);
const SAGSBEHANDLER = userId(8);
const JOBKONSULENT = userId(9);

let serial = 5200;
const nextCpr = () => `740388-${String(serial++).padStart(4, '0')}`;

async function newCitizen(opts: { startDate?: string; benefitCode?: string } = {}): Promise<string> {
  const res = await rk1.request({
    method: 'POST',
    url: '/api/citizens',
    payload: {
      cpr: nextCpr(),
      firstName: 'Måling',
      lastName: 'Borger',
      acknowledgeWarnings: true,
      enrolment: { programmeId: PROGRAMME.paaVej, startDate: opts.startDate ?? '2026-01-05', benefitCode: opts.benefitCode ?? 'kontanthjaelp', consultantIds: [RK1], caseworkerId: SAGSBEHANDLER, jobConsultantId: JOBKONSULENT },
    },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

const who5 = (a: number, b: number, c: number, d: number, e: number) => ({ who5_cheerful: a, who5_calm: b, who5_active: c, who5_rested: d, who5_interest: e });

async function answer(s: Session, citizenId: string, payload: Record<string, unknown>) {
  return s.request({ method: 'POST', url: `/api/citizens/${citizenId}/assessments`, payload });
}

beforeAll(async () => {
  t = await testApp();
  [rk1, rk2, caseworker, jobConsultant, manager, steering, admin] = (await Promise.all(
    ['rk1', 'rk2', 'sagsbehandler', 'jobkonsulent', 'projektleder', 'styregruppe', 'admin'].map((u) => login(t.app, u)),
  )) as [Session, Session, Session, Session, Session, Session, Session];
});
afterAll(async () => {
  await t.close();
});

describe('instruments', () => {
  it('lists the shipped instruments and gives WHO-5 with its items in order', async () => {
    const list = await rk1.request({ method: 'GET', url: '/api/instruments' });
    expect(list.statusCode).toBe(200);
    const codes = (list.json() as { items: { code: string; status: string }[] }).items.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['who5', 'was', 'jobprogression']));
    const one = await rk1.request({ method: 'GET', url: '/api/instruments/who5' });
    expect(one.statusCode).toBe(200);
    const body = one.json() as { code: string; version: number; items: { code: string }[]; scored: boolean };
    expect(body.items.map((i) => i.code)).toEqual(['who5_cheerful', 'who5_calm', 'who5_active', 'who5_rested', 'who5_interest']);
    expect(body.scored).toBe(true);
    expect((await rk1.request({ method: 'GET', url: '/api/instruments/nope' })).statusCode).toBe(404);
  });
});

describe('answering WHO-5', () => {
  it('scores a submitted answer on the server, returns the band and no alert for good well-being', async () => {
    const citizenId = await newCitizen();
    const res = await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(4, 4, 3, 4, 3) });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.score).toMatchObject({ raw: 18, scaled: 72, band: 'good' });
    expect(body.alerts).toEqual([]);
    expect(body.occasion).toBe('baseline');
    expect(body.change).toBeNull();
  });

  it('refuses an incomplete or out-of-range submission with 400 naming the item, and saves nothing', async () => {
    const citizenId = await newCitizen();
    const missing = await answer(rk1, citizenId, { instrumentCode: 'who5', answers: { who5_cheerful: 3, who5_calm: 3, who5_active: 3, who5_rested: 3 } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'answers.who5_interest', message: 'missing' })]));
    const range = await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(3, 3, 3, 3, 6) });
    expect(range.statusCode).toBe(400);
    expect(range.json().issues[0]).toMatchObject({ path: 'answers.who5_interest', message: 'out_of_range' });
    const huge = await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(3, 3, 3, 3, 1e12) });
    expect(huge.statusCode).toBe(400);
    const list = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/assessments` });
    expect(list.json().items).toEqual([]);
  });

  it('saves a partial draft, continues it, and submits it as one answer', async () => {
    const citizenId = await newCitizen();
    const first = await answer(rk1, citizenId, { instrumentCode: 'who5', answers: { who5_cheerful: 2 }, draft: true });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ status: 'draft', score: null, alerts: [] });
    const again = await answer(rk1, citizenId, { instrumentCode: 'who5', answers: { who5_cheerful: 2, who5_calm: 3 }, draft: true });
    expect(again.json().id).toBe(first.json().id);
    const submitted = await rk1.request({ method: 'PATCH', url: `/api/assessments/${first.json().id}`, payload: { answers: who5(2, 3, 3, 3, 3), version: again.json().version, draft: false } });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', score: { raw: 14, scaled: 56, band: 'good' } });
    const list = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/assessments` })).json();
    expect(list.items).toHaveLength(1);
  });

  it('fires both alert rules for very low well-being and opens one internal task per rule, never two', async () => {
    const citizenId = await newCitizen();
    const low = await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(1, 1, 2, 1, 1) });
    expect(low.statusCode, low.body).toBe(201);
    expect(low.json().score).toMatchObject({ raw: 6, scaled: 24, band: 'very_low' });
    expect(low.json().alerts.map((a: { code: string }) => a.code).sort()).toEqual(['who5_low', 'who5_very_low']);
    expect(low.json().alerts[0].task.da).not.toMatch(/depression|diagnos/i);
    const again = await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(1, 2, 2, 1, 1), occasion: 'extra' });
    expect(again.json().alerts).toHaveLength(2);
    const tasks = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/staff-tasks` })).json();
    const alerts = tasks.items.filter((x: { kind: string }) => x.kind === 'alert');
    expect(alerts.map((a: { rule: string }) => a.rule).sort()).toEqual(['who5_low', 'who5_very_low']);
    // Not in the plan the citizen sees.
    const plan = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/plan` })).json();
    expect(JSON.stringify(plan)).not.toMatch(/trivsel/i);
    // On Min dag of the team's consultant, alerts first.
    const day = (await rk1.request({ method: 'GET', url: '/api/me/day' })).json();
    expect(day.teamTasks.items.some((x: { citizen: { id: string }; kind: string }) => x.citizen.id === citizenId && x.kind === 'alert')).toBe(true);
    // Closing one lets the rule open a new task next time.
    const task = alerts[0];
    const closed = await rk1.request({ method: 'PATCH', url: `/api/staff-tasks/${task.id}`, payload: { status: 'done', note: 'Talt med borgeren', version: task.version } });
    expect(closed.statusCode, closed.body).toBe(200);
    await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(1, 1, 1, 1, 1), occasion: 'extra' });
    const after = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/staff-tasks` })).json();
    expect(after.items.filter((x: { kind: string; rule: string }) => x.kind === 'alert' && x.rule === task.rule)).toHaveLength(1);
  });

  it('reports a relevant change against the previous measurement', async () => {
    const citizenId = await newCitizen();
    await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(2, 2, 2, 2, 2) });
    const next = await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(3, 3, 3, 3, 2) });
    expect(next.json().occasion).toBe('follow_up');
    expect(next.json().change).toEqual({ from: 40, to: 56, relevant: true });
    const small = await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(3, 3, 3, 3, 3) });
    expect(small.json().change).toEqual({ from: 56, to: 60, relevant: false });
  });

  it('corrects a submitted answer only with a reason, keeping the earlier answers', async () => {
    const citizenId = await newCitizen();
    const created = (await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(3, 3, 3, 3, 3) })).json();
    const noReason = await rk1.request({ method: 'PATCH', url: `/api/assessments/${created.id}`, payload: { answers: who5(3, 3, 3, 3, 4), version: created.version } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().issues[0].path).toBe('reason');
    const fixed = await rk1.request({ method: 'PATCH', url: `/api/assessments/${created.id}`, payload: { answers: who5(3, 3, 3, 3, 4), version: created.version, reason: 'Borgeren mente 4 ved sidste spørgsmål' } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().score.raw).toBe(16);
    const stale = await rk1.request({ method: 'PATCH', url: `/api/assessments/${created.id}`, payload: { answers: who5(3, 3, 3, 3, 5), version: created.version, reason: 'igen' } });
    expect(stale.statusCode).toBe(409);
    const detail = (await rk1.request({ method: 'GET', url: `/api/assessments/${created.id}` })).json();
    expect(detail.corrected).toBe(true);
    expect(detail.answers.who5_interest).toBe(4);
    expect(detail.corrections).toHaveLength(1);
    expect(detail.corrections[0]).toMatchObject({ reason: 'Borgeren mente 4 ved sidste spørgsmål', previousAnswers: { who5_interest: 3 }, previousScore: { raw: 15 } });
    expect(detail.instrument.items).toHaveLength(5);
  });

  it('answers the staff item of the employment-progression instrument together with the citizen', async () => {
    const citizenId = await newCitizen();
    const instrument = (await rk1.request({ method: 'GET', url: '/api/instruments/jobprogression' })).json();
    const answers = Object.fromEntries(instrument.items.map((i: { code: string }) => [i.code, 3]));
    const res = await answer(rk1, citizenId, { instrumentCode: 'jobprogression', answers });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().score.scaled).toBe(50);
  });
});

describe('the demo answers', () => {
  it('read back through the API like answers given there (list and detail of every instrument)', async () => {
    const rows = await t.db.kysely
      .selectFrom('assessments as a')
      .innerJoin('team_members as tm', 'tm.enrolment_id', 'a.enrolment_id')
      .select(['a.id', 'a.citizen_id', 'a.instrument_code'])
      .where('tm.user_id', '=', RK1)
      .where('tm.valid_to', 'is', null)
      .orderBy('a.answered_at', 'desc')
      .limit(200)
      .execute();
    for (const code of ['who5', 'was', 'jobprogression']) {
      const row = rows.find((r) => r.instrument_code === code);
      expect(row, code).toBeDefined();
      const list = await rk1.request({ method: 'GET', url: `/api/citizens/${row!.citizen_id}/assessments?instrumentCode=${code}` });
      expect(list.statusCode, list.body).toBe(200);
      const detail = await rk1.request({ method: 'GET', url: `/api/assessments/${row!.id}` });
      expect(detail.statusCode, detail.body).toBe(200);
      expect(Object.keys(detail.json().answers).length).toBeGreaterThan(0);
    }
  });
});

describe('who sees answers', () => {
  it('lets the team caseworker read, refuses the job consultant, another consultant, the manager and the steering group, each refusal audited', async () => {
    const citizenId = await newCitizen();
    const created = (await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(3, 3, 3, 3, 3) })).json();
    expect((await caseworker.request({ method: 'GET', url: `/api/citizens/${citizenId}/assessments` })).statusCode).toBe(200);
    for (const s of [jobConsultant, rk2, manager, steering, admin]) {
      const list = await s.request({ method: 'GET', url: `/api/citizens/${citizenId}/assessments` });
      expect(list.statusCode, s.username).toBe(404);
      const one = await s.request({ method: 'GET', url: `/api/assessments/${created.id}` });
      expect(one.statusCode, s.username).toBe(404);
      const write = await answer(s, citizenId, { instrumentCode: 'who5', answers: who5(3, 3, 3, 3, 3) });
      expect(write.statusCode, s.username).toBe(404);
      const denied = await auditRows(t.db, { actorUsername: s.username, outcome: 'denied' });
      expect(denied.filter((r) => r.resource_type === 'citizen' && r.citizen_id === citizenId).length, s.username).toBeGreaterThanOrEqual(2);
    }
    // The job consultant still reads the citizen's page: only the answers are closed.
    expect((await jobConsultant.request({ method: 'GET', url: `/api/citizens/${citizenId}` })).statusCode).toBe(200);
  });

  it('audits every answer and read without scores in the audit criteria', async () => {
    const citizenId = await newCitizen();
    await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(2, 2, 2, 2, 2) });
    await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/assessments?instrumentCode=who5` });
    const rows = (await auditRows(t.db, { actorUsername: 'rk1' })).filter((r) => r.resource_type === 'assessment' && r.citizen_id === citizenId);
    expect(rows.map((r) => r.action)).toEqual(['create', 'read']);
    expect(JSON.stringify(rows.map((r) => r.criteria))).not.toMatch(/"raw"|"scaled"|40/);
  });

  it('paginates the list with a cursor', async () => {
    const citizenId = await newCitizen();
    for (let i = 0; i < 3; i++) await answer(rk1, citizenId, { instrumentCode: 'was', answers: { was_score: 5 + i }, occasion: 'extra' });
    const first = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/assessments?limit=2` })).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/assessments?limit=2&cursor=${first.nextCursor}` })).json();
    expect(second.items).toHaveLength(1);
    expect(second.items[0].score.raw).toBe(5);
    expect((await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/assessments?limit=1000` })).statusCode).toBe(400);
  });
});

describe('the schedule and the due list', () => {
  it('computes the current occasion: baseline, follow-ups every N months within the window, exit', () => {
    const s = { at_enrolment: true, every_months: 3, window_days: 14, at_exit: true };
    expect(currentOccasion(s, { start_date: '2026-01-05', end_date: null }, '2026-01-10')).toMatchObject({ occasion: 'baseline', date: '2026-01-05', windowEnd: '2026-01-19' });
    expect(currentOccasion(s, { start_date: '2026-01-05', end_date: null }, '2026-03-22')).toMatchObject({ occasion: 'follow_up', number: 1, date: '2026-04-05' });
    expect(currentOccasion(s, { start_date: '2026-01-05', end_date: null }, '2026-03-21')).toMatchObject({ occasion: 'baseline' });
    expect(currentOccasion(s, { start_date: '2026-01-31', end_date: null }, '2026-04-30')).toMatchObject({ occasion: 'follow_up', date: '2026-04-30' });
    expect(currentOccasion(s, { start_date: '2026-01-05', end_date: '2026-07-01' }, '2026-06-20')).toMatchObject({ occasion: 'exit', date: '2026-07-01' });
    expect(currentOccasion({ ...s, at_enrolment: false }, { start_date: '2026-01-05', end_date: null }, '2026-01-10')).toBeNull();
  });

  it('the programme manager sets the schedule; others may not; bad input is refused', async () => {
    const denied = await rk1.request({ method: 'PUT', url: `/api/programmes/${PROGRAMME.paaVej}/measurement-schedule`, payload: { items: [] } });
    expect(denied.statusCode).toBe(404);
    const bad = await manager.request({ method: 'PUT', url: `/api/programmes/${PROGRAMME.paaVej}/measurement-schedule`, payload: { items: [{ instrumentCode: 'who5', atEnrolment: true, everyMonths: 99, windowDays: 14, atExit: true }] } });
    expect(bad.statusCode).toBe(400);
    const unknown = await manager.request({ method: 'PUT', url: `/api/programmes/${PROGRAMME.paaVej}/measurement-schedule`, payload: { items: [{ instrumentCode: 'nope', atEnrolment: true, everyMonths: 3, windowDays: 14, atExit: true }] } });
    expect(unknown.statusCode).toBe(400);
    const ok = await manager.request({ method: 'PUT', url: `/api/programmes/${PROGRAMME.paaVej}/measurement-schedule`, payload: { items: [{ instrumentCode: 'who5', atEnrolment: true, everyMonths: 3, windowDays: 14, atExit: true }, { instrumentCode: 'was', atEnrolment: true, everyMonths: 3, windowDays: 14, atExit: true }] } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().items.map((i: { instrumentCode: string }) => i.instrumentCode)).toEqual(['who5', 'was']);
    const procedure = await manager.request({ method: 'PUT', url: `/api/programmes/${PROGRAMME.paaVej}/acute-procedure`, payload: { da: 'Ring til den psykiatriske akutmodtagelse.', en: 'Call the psychiatric emergency unit.' } });
    expect(procedure.statusCode).toBe(200);
  });

  it('opens a due task per scheduled instrument through the job queue, closes it when answered, and shows it on Min dag', async () => {
    const today = dateInCopenhagen();
    const citizenId = await newCitizen({ startDate: addDays(today, -3) });
    const queue = await startJobQueue(t.db.kysely, progressionJobs(t.db.kysely), { log: { info: () => {}, error: () => {} }, pollingIntervalSeconds: 0.5, schedule: false });
    try {
      const jobId = await queue.boss.send(DUE_MEASUREMENTS_JOB, {});
      expect(jobId).toBeTruthy();
      let state: string | undefined;
      for (let i = 0; i < 120 && state !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        state = (await queue.boss.getJobById(DUE_MEASUREMENTS_JOB, jobId!))?.state;
        if (state === 'failed') throw new Error('the due-measurement job failed');
      }
      expect(state).toBe('completed');
    } finally {
      await queue.stop();
    }
    const tasks = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/staff-tasks` })).json();
    const due = tasks.items.filter((x: { kind: string }) => x.kind === 'measurement_due');
    expect(due.map((x: { instrumentCode: string }) => x.instrumentCode).sort()).toEqual(['was', 'who5']);
    expect(due[0]).toMatchObject({ dueDate: addDays(today, -3), overdue: false });
    const day = (await rk1.request({ method: 'GET', url: '/api/me/day' })).json();
    expect(day.teamTasks.items.some((x: { citizen: { id: string }; kind: string }) => x.citizen.id === citizenId && x.kind === 'measurement_due')).toBe(true);
    // The programme manager's due list names the consultant.
    const list = (await manager.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/measurements-due?consultantId=${RK1}&limit=100` })).json();
    expect(list.items.some((x: { citizen: { id: string }; consultant: { id: string } }) => x.citizen.id === citizenId && x.consultant.id === RK1)).toBe(true);
    expect((await rk1.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/measurements-due` })).statusCode).toBe(404);
    // Pages in due-date order, without overlap; a forged cursor is refused, not a 500.
    const page1 = (await manager.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/measurements-due?limit=3` })).json();
    const page2 = (await manager.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/measurements-due?limit=3&cursor=${page1.nextCursor}` })).json();
    expect(page1.items).toHaveLength(3);
    const ids = [...page1.items, ...page2.items].map((x: { id: string }) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    const dates = [...page1.items, ...page2.items].map((x: { dueDate: string }) => x.dueDate);
    expect(dates).toEqual([...dates].sort());
    const forged = Buffer.from(JSON.stringify({ due: '2026-13-45', id: RK1 })).toString('base64url');
    expect((await manager.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/measurements-due?cursor=${forged}` })).statusCode).toBe(400);
    // Answering closes the due task; running the job again does not reopen it.
    await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(3, 3, 3, 3, 3) });
    await computeDueMeasurements(t.db.kysely, today);
    const open = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/staff-tasks` })).json();
    expect(open.items.filter((x: { kind: string }) => x.kind === 'measurement_due').map((x: { instrumentCode: string }) => x.instrumentCode)).toEqual(['was']);
    // A window that has closed makes it overdue.
    await computeDueMeasurements(t.db.kysely, addDays(today, 20));
    const overdue = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/staff-tasks` })).json();
    expect(overdue.items.find((x: { instrumentCode: string }) => x.instrumentCode === 'was').windowEnd).toBe(addDays(today, 11));
  });
});

describe('the cohort view', () => {
  it('gives the programme manager exact figures with a confidence interval and per consultant; the steering group suppressed cells', async () => {
    // Six citizens of one target group, each with a baseline and a later measurement.
    for (let i = 0; i < 6; i++) {
      const citizenId = await newCitizen({ benefitCode: 'ressourceforloeb' });
      await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(2, 2, 2, 2, 2) });
      await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(3, 3, 3, 2, 2 + (i % 2)) });
    }
    // Two of another target group: a cell below 5.
    for (let i = 0; i < 2; i++) {
      const citizenId = await newCitizen({ benefitCode: 'ledighedsydelse' });
      await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(2, 2, 2, 2, 2) });
      await answer(rk1, citizenId, { instrumentCode: 'who5', answers: who5(2, 2, 2, 2, 3) });
    }
    const exact = await manager.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/progression?instrumentCode=who5` });
    expect(exact.statusCode, exact.body).toBe(200);
    const e = exact.json();
    expect(e.audience).toBe('exact');
    expect(typeof e.pairs).toBe('number');
    expect(e.pairs).toBeGreaterThanOrEqual(8);
    expect(e.change.ciLow).toBeLessThan(e.change.meanChange);
    expect(e.change.ciHigh).toBeGreaterThan(e.change.meanChange);
    expect(e.consultantFigures).toBe(true);
    // Figures per consultant by their own paginated request: every page in name order, no one twice.
    const seen: { consultant: { id: string; name: string }; n: number }[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/programmes/${PROGRAMME.paaVej}/progression/consultants?instrumentCode=who5&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await manager.request({ method: 'GET', url });
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json() as { items: { consultant: { id: string; name: string }; n: number }[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(1);
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor && seen.length < 50);
    expect(new Set(seen.map((c) => c.consultant.id)).size).toBe(seen.length);
    expect(seen.find((c) => c.consultant.id === RK1)!.n).toBeGreaterThanOrEqual(8);
    const bad = await manager.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/progression/consultants?cursor=bm90LWpzb24` });
    expect(bad.statusCode).toBe(400);
    const small = e.byTargetGroup.find((g: { code: string }) => g.code === 'ledighedsydelse');
    expect(typeof small.n).toBe('number');

    const hidden = (await steering.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/progression?instrumentCode=who5` })).json();
    expect(hidden.audience).toBe('suppressed');
    expect(hidden.consultantFigures).toBe(false);
    // Figures per employee are the programme manager's only: the steering group is refused, and the refusal is audited.
    const refused = await steering.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/progression/consultants` });
    expect(refused.statusCode).toBe(404);
    const refusals = (await auditRows(t.db, { outcome: 'denied' })).filter((r) => r.resource_type === 'progression_consultants' && r.resource_id === PROGRAMME.paaVej);
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    const smallHidden = hidden.byTargetGroup.find((g: { code: string }) => g.code === 'ledighedsydelse');
    expect(smallHidden.n).toEqual({ suppressed: true });
    expect(smallHidden.meanChange).toEqual({ suppressed: true });
    // The complementary rule: with the total shown, a second cell of the row is hidden too.
    const hiddenCells = hidden.byTargetGroup.filter((g: { n: unknown }) => typeof g.n !== 'number');
    expect(hiddenCells.length === 0 || hiddenCells.length >= 2 || typeof hidden.pairs !== 'number').toBe(true);
    // No published count below 5 anywhere.
    const counts = [hidden.citizensMeasured, hidden.pairs, hidden.change.improved, hidden.change.unchanged, hidden.change.worsened, ...hidden.bandDistribution.baseline, ...hidden.bandDistribution.latest, ...hidden.byTargetGroup.map((g: { n: unknown }) => g.n)];
    for (const c of counts) if (typeof c === 'number') expect(c).toBeGreaterThanOrEqual(5);

    expect((await rk1.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/progression` })).statusCode).toBe(404);
    const audit = await auditRows(t.db, { actorUsername: 'styregruppe' });
    expect(audit.some((r) => r.resource_type === 'progression_cohort')).toBe(true);
  });
});
