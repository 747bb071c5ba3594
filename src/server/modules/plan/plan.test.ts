// The plan, network meetings and conversations, on both engines: the plan as meetings shape it, its history,
// consent for outside participants, versions, bounds, the access table and the audit rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { syncMinPlanReminder } from './min-plan.ts';

let t: TestContext;
let rk1: Session;
const RK1 = userId(4);
const SAGSBEHANDLER = userId(8);
const JOBKONSULENT = userId(9);

let serial = 4100;
const nextCpr = () => `730388-${String(serial++).padStart(4, '0')}`;

/** A new citizen of rk1's, enrolled in "På vej til arbejde" with rk1 and the caseworker on the team. */
async function newCitizen(): Promise<string> {
  const res = await rk1.request({
    method: 'POST',
    url: '/api/citizens',
    payload: { cpr: nextCpr(), firstName: 'Plan', lastName: 'Borger', enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2020-02-01', benefitCode: 'kontanthjaelp', consultantIds: [RK1], caseworkerId: SAGSBEHANDLER } },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

async function planOf(s: Session, citizenId: string, query = '') {
  const res = await s.request({ method: 'GET', url: `/api/citizens/${citizenId}/plan${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The first meeting of the browser scenario: two goals, three tasks for three different participants. */
function firstMeeting(version: number) {
  return {
    startsAt: '2026-03-02T09:00:00+01:00',
    durationMinutes: 90,
    place: 'jobcentre',
    status: 'held',
    participants: [
      { kind: 'citizen' },
      { kind: 'staff', userId: RK1, role: 'Ressourcekonsulent' },
      { kind: 'staff', userId: SAGSBEHANDLER, role: 'Sagsbehandler' },
      { kind: 'outside', name: 'Eva Borger', role: 'Mor', contact: '20 30 40 50', consent: { given: true, topics: ['work', 'everyday_life'] } },
    ],
    minutes: 'Vi talte om praktik og en fast døgnrytme.',
    plan: {
      version,
      goal: { kind: 'job', text: 'Job i detailhandlen', targetDate: '2027-06-30' },
      coordinatorId: RK1,
      nextFollowUp: '2026-04-01',
      goals: {
        add: [
          { lifeArea: 'work', text: 'Praktik 10 timer om ugen', targetDate: '2026-06-01' },
          { lifeArea: 'everyday_life', text: 'Fast døgnrytme' },
        ],
      },
      tasks: {
        add: [
          { title: 'Finde en praktikplads', owner: { kind: 'staff', userId: SAGSBEHANDLER }, dueDate: '2026-04-01', goalIndex: 0 },
          { title: 'Stå op kl. 8 på hverdage', owner: { kind: 'citizen' }, goalIndex: 1 },
          { title: 'Vække om morgenen den første uge', owner: { kind: 'outside', participantIndex: 0 }, dueDate: '2026-03-09', goalIndex: 1 },
        ],
      },
    },
  };
}

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
});
afterAll(async () => {
  await t.close();
});

describe('the plan', () => {
  it('is empty until the first change, with the enrolment it belongs to', async () => {
    const citizenId = await newCitizen();
    const plan = await planOf(rk1, citizenId);
    expect(plan).toMatchObject({ citizenId, planId: null, revision: 0, version: 0, goals: [], tasks: [], programme: { id: PROGRAMME.paaVej } });
    expect(plan.enrolmentId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is shaped by a held network meeting in the same transaction, and keeps every revision after two meetings', async () => {
    const citizenId = await newCitizen();
    const res = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/network-meetings`, payload: firstMeeting(0) });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created.plan).toMatchObject({ revision: 1 });

    const plan = await planOf(rk1, citizenId);
    expect(plan.goal).toEqual({ kind: 'job', text: 'Job i detailhandlen', targetDate: '2027-06-30' });
    expect(plan.coordinator).toEqual({ id: RK1, name: 'Lone Madsen' });
    expect(plan.nextFollowUp).toBe('2026-04-01');
    expect(plan.goals.map((g: { text: string; status: string }) => [g.text, g.status])).toEqual([
      ['Praktik 10 timer om ugen', 'active'],
      ['Fast døgnrytme', 'active'],
    ]);
    expect(plan.goals[0].setInMeeting.id).toBe(created.id);
    const owners = plan.tasks.map((x: { title: string; owner: { kind: string; user: { name: string } | null; participant: { name: string } | null } }) => [x.title, x.owner.kind, x.owner.user?.name ?? x.owner.participant?.name ?? null]);
    expect(owners).toEqual(
      expect.arrayContaining([
        ['Finde en praktikplads', 'staff', 'Mette Frandsen'],
        ['Stå op kl. 8 på hverdage', 'citizen', null],
        ['Vække om morgenen den første uge', 'outside', 'Eva Borger'],
      ]),
    );
    expect(plan.participants).toEqual([expect.objectContaining({ name: 'Eva Borger', role: 'Mor', consentTopics: ['work', 'everyday_life'] })]);
    const task = plan.tasks.find((x: { title: string }) => x.title === 'Finde en praktikplads');
    expect(task.goalId).toBe(plan.goals[0].id);
    expect(plan.meetings).toEqual([expect.objectContaining({ id: created.id, status: 'held' })]);

    // The second meeting: the first goal achieved, a task done, a new task for the job consultant.
    const second = await rk1.request({
      method: 'POST',
      url: `/api/citizens/${citizenId}/network-meetings`,
      payload: {
        startsAt: '2026-04-06T13:00:00+02:00',
        place: 'office',
        status: 'held',
        participants: [{ kind: 'citizen' }, { kind: 'staff', userId: RK1 }, { kind: 'outside', participantId: plan.participants[0].id, consent: { given: true, topics: ['work'] } }],
        plan: {
          version: plan.version,
          goals: { change: [{ id: plan.goals[0].id, version: plan.goals[0].version, status: 'achieved' }] },
          tasks: { add: [{ title: 'Kontakt til butikken', owner: { kind: 'staff', userId: JOBKONSULENT }, goalId: plan.goals[0].id }], change: [{ id: task.id, version: task.version, status: 'done' }] },
        },
      },
    });
    expect(second.statusCode, second.body).toBe(201);
    const after = await planOf(rk1, citizenId);
    expect(after.revision).toBe(2);
    expect(after.goals[0]).toMatchObject({ status: 'achieved', changedInMeeting: { id: second.json().id } });
    expect(after.tasks.find((x: { id: string }) => x.id === task.id).status).toBe('done');

    const history = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/plan/history` });
    expect(history.statusCode).toBe(200);
    const items = history.json().items;
    expect(items.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(items[0]).toMatchObject({ changedBy: { id: RK1 }, meeting: { id: second.json().id }, summary: { goalsChanged: 1, tasksAdded: 1, tasksChanged: 1 } });
    expect(items[1]).toMatchObject({ meeting: { id: created.id }, summary: { goalsAdded: 2, tasksAdded: 3, participantsAdded: 1 } });

    // The first revision is kept as it stood: the goal was still active then.
    const first = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/plan/revisions/1` });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().snapshot.goals.map((g: { status: string }) => g.status)).toEqual(['active', 'active']);
    expect(first.json().snapshot.tasks).toHaveLength(3);

    const timeline = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/timeline?kind=plan&kind=meeting` });
    // Both events of one meeting carry the transaction's time; their order among themselves is not fixed.
    expect(timeline.json().items.map((e: { kind: string }) => e.kind).sort()).toEqual(['meeting.held', 'meeting.held', 'plan.changed', 'plan.changed']);
  });

  it("refuses an outside participant without the citizen's consent, and saves nothing", async () => {
    const citizenId = await newCitizen();
    const payload = firstMeeting(0);
    const { consent: _consent, ...withoutConsent } = payload.participants[3] as { consent: unknown };
    void _consent;
    payload.participants[3] = withoutConsent as never;
    const res = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/network-meetings`, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([{ path: 'participants.3.consent', message: 'consent_required' }]);
    expect(await t.db.kysely.selectFrom('network_meetings').select('id').where('citizen_id', '=', citizenId).execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom('plans').select('id').where('citizen_id', '=', citizenId).execute()).toEqual([]);
  });

  it('answers 409 to a change made on a stale version, and changes nothing', async () => {
    const citizenId = await newCitizen();
    const first = await rk1.request({ method: 'PATCH', url: `/api/citizens/${citizenId}/plan`, payload: { version: 0, goals: { add: [{ lifeArea: 'health', text: 'Gå en tur hver dag' }] } } });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ revision: 1, version: 2 });
    const stale = await rk1.request({ method: 'PATCH', url: `/api/citizens/${citizenId}/plan`, payload: { version: 0, goals: { add: [{ lifeArea: 'housing', text: 'Ny bolig' }] } } });
    expect(stale.statusCode).toBe(409);
    const plan = await planOf(rk1, citizenId);
    expect(plan.goals).toHaveLength(1);
    expect(plan.version).toBe(2);
  });

  it('names the field when a change cannot be made: unknown owner, a goal of another plan, nothing to change, bad dates', async () => {
    const citizenId = await newCitizen();
    const nobody = await rk1.request({ method: 'PATCH', url: `/api/citizens/${citizenId}/plan`, payload: { version: 0, coordinatorId: userId(11) } });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json().issues).toEqual([{ path: 'coordinatorId', message: 'not_programme_staff' }]);
    const empty = await rk1.request({ method: 'PATCH', url: `/api/citizens/${citizenId}/plan`, payload: { version: 0 } });
    expect(empty.statusCode).toBe(400);
    const badIndex = await rk1.request({ method: 'PATCH', url: `/api/citizens/${citizenId}/plan`, payload: { version: 0, tasks: { add: [{ title: 'X', owner: { kind: 'citizen' }, goalIndex: 3 }] } } });
    expect(badIndex.json().issues).toEqual([{ path: 'tasks.add.0.goalIndex', message: 'no_such_new_goal' }]);
    for (const dueDate of ['2026-02-30', '0001-01-01', '99999-01-01']) {
      const res = await rk1.request({ method: 'PATCH', url: `/api/citizens/${citizenId}/plan`, payload: { version: 0, tasks: { add: [{ title: 'X', owner: { kind: 'citizen' }, dueDate }] } } });
      expect(res.statusCode, dueDate).toBe(400);
    }
    const far = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/network-meetings`, payload: { ...firstMeeting(0), startsAt: '3026-03-02T09:00:00Z' } });
    expect(far.statusCode).toBe(400);
    const noZone = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/network-meetings`, payload: { ...firstMeeting(0), startsAt: '2026-03-02T09:00:00' } });
    expect(noZone.statusCode).toBe(400);
    expect(await t.db.kysely.selectFrom('plans').select('id').where('citizen_id', '=', citizenId).execute()).toEqual([]);
  });

  it('books the next meeting from a held one, and records that planned meeting as held later', async () => {
    const citizenId = await newCitizen();
    const res = await rk1.request({
      method: 'POST',
      url: `/api/citizens/${citizenId}/network-meetings`,
      payload: { startsAt: '2026-05-04T10:00:00+02:00', place: 'office', status: 'held', participants: [{ kind: 'citizen' }, { kind: 'staff', userId: RK1 }], nextMeeting: { startsAt: '2026-06-01T10:00:00+02:00', place: 'video' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const nextId = res.json().nextMeetingId;
    expect(nextId).toBeTruthy();
    const plan = await planOf(rk1, citizenId);
    expect(plan.meetings.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([
      [nextId, 'planned'],
      [res.json().id, 'held'],
    ]);
    const held = await rk1.request({
      method: 'POST',
      url: `/api/citizens/${citizenId}/network-meetings`,
      payload: { meetingId: nextId, startsAt: '2026-06-01T10:15:00+02:00', place: 'video', status: 'held', participants: [{ kind: 'citizen' }, { kind: 'staff', userId: RK1 }], minutes: 'Kort møde.' },
    });
    expect(held.statusCode, held.body).toBe(201);
    expect(held.json().id).toBe(nextId);
    const list = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/network-meetings?limit=1` });
    expect(list.json().items[0]).toMatchObject({ id: nextId, status: 'held', minutes: 'Kort møde.', startsAt: '2026-06-01T08:15:00.000Z' });
    const page2 = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/network-meetings?limit=1&cursor=${list.json().nextCursor}` });
    expect(page2.json().items.map((m: { id: string }) => m.id)).toEqual([res.json().id]);
    expect(page2.json().nextCursor).toBeNull();
  });
});

describe('conversations', () => {
  it('registers a walk and talk, lists it, and shows it on the timeline', async () => {
    const citizenId = await newCitizen();
    const res = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/conversations`, payload: { startsAt: '2026-03-10T10:00:00+01:00', durationMinutes: 45, place: 'walk_and_talk', status: 'held', themes: ['praktik'], note: 'God snak i skoven.' } });
    expect(res.statusCode, res.body).toBe(201);
    const list = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/conversations` });
    expect(list.json().items).toEqual([expect.objectContaining({ id: res.json().id, place: 'walk_and_talk', status: 'held', staff: [{ id: RK1, name: 'Lone Madsen' }], themes: ['praktik'], note: 'God snak i skoven.', startsAt: '2026-03-10T09:00:00.000Z' })]);
    const timeline = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/timeline?kind=conversation` });
    expect(timeline.json().items).toEqual([expect.objectContaining({ kind: 'conversation.held', refId: res.json().id })]);
  });

  it('records a planned conversation as a no-show, with the version read', async () => {
    const citizenId = await newCitizen();
    const res = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/conversations`, payload: { startsAt: '2026-12-20T10:00:00+01:00', place: 'library', status: 'planned' } });
    const id = res.json().id;
    const stale = await rk1.request({ method: 'PATCH', url: `/api/conversations/${id}`, payload: { version: 7, status: 'no_show' } });
    expect(stale.statusCode).toBe(409);
    const ok = await rk1.request({ method: 'PATCH', url: `/api/conversations/${id}`, payload: { version: 1, status: 'no_show' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const list = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/conversations` });
    expect(list.json().items[0]).toMatchObject({ status: 'no_show', version: 2 });
  });

  it('warns of a double booking when booking ahead, and saves when the user confirms', async () => {
    const citizenId = await newCitizen();
    const other = await newCitizen();
    const first = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/conversations`, payload: { startsAt: '2031-06-02T10:00:00+02:00', durationMinutes: 60, place: 'library', status: 'planned' } });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().notices).toEqual([]);
    const clash = { startsAt: '2031-06-02T10:30:00+02:00', durationMinutes: 30, place: 'walk_and_talk', status: 'planned' };
    const refused = await rk1.request({ method: 'POST', url: `/api/citizens/${other}/conversations`, payload: clash });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'warnings', warnings: [{ code: 'double_booking', data: { userId: RK1, userName: 'Lone Madsen', startsAt: '2031-06-02T08:00:00.000Z' } }] });
    expect(await t.db.kysely.selectFrom('conversations').select('id').where('citizen_id', '=', other).execute()).toEqual([]);
    const confirmed = await rk1.request({ method: 'POST', url: `/api/citizens/${other}/conversations`, payload: { ...clash, acknowledgeWarnings: true } });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect(confirmed.json().notices.map((n: { code: string }) => n.code)).toEqual(['double_booking']);
    // Recording what happened is no booking: a held conversation at the same time is saved without a warning.
    const held = await rk1.request({ method: 'POST', url: `/api/citizens/${other}/conversations`, payload: { ...clash, status: 'held' } });
    expect(held.statusCode).toBe(201);
    // Booking the next network meeting at that time warns as well.
    const meeting = await rk1.request({
      method: 'POST',
      url: `/api/citizens/${other}/network-meetings`,
      payload: { startsAt: '2031-05-05T10:00:00+02:00', place: 'office', status: 'held', participants: [{ kind: 'citizen' }, { kind: 'staff', userId: RK1 }], nextMeeting: { startsAt: '2031-06-02T09:30:00+02:00', durationMinutes: 60, place: 'office' } },
    });
    expect(meeting.statusCode).toBe(409);
    expect(meeting.json().warnings.map((w: { code: string }) => w.code)).toContain('double_booking');
  });

  it('asks where when the place is "other", and refuses staff of no programme', async () => {
    const citizenId = await newCitizen();
    const other = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/conversations`, payload: { startsAt: '2026-03-10T10:00:00+01:00', place: 'other', status: 'held' } });
    expect(other.statusCode).toBe(400);
    expect(other.json().issues).toEqual([{ path: 'placeText', message: 'required_for_other' }]);
    const admin = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/conversations`, payload: { startsAt: '2026-03-10T10:00:00+01:00', place: 'library', status: 'held', staffIds: [RK1, userId(1)] } });
    expect(admin.statusCode).toBe(400);
    expect(admin.json().issues).toEqual([{ path: 'staffIds.1', message: 'not_programme_staff' }]);
    for (const durationMinutes of [0, 601, 1.5]) {
      const res = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/conversations`, payload: { startsAt: '2026-03-10T10:00:00+01:00', place: 'library', status: 'held', durationMinutes } });
      expect(res.statusCode).toBe(400);
    }
  });
});

describe('who reaches the plan, meetings and conversations', () => {
  it('refuses everyone without a relation to the citizen with 404, audited, and changes nothing', async () => {
    const citizenId = await newCitizen();
    await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/network-meetings`, payload: firstMeeting(0) });
    const before = await t.db.kysely.selectFrom('plan_revisions').select('revision').execute();
    for (const username of ['rk3', 'nordfyn', 'styregruppe', 'forsker', 'admin', 'dpo', 'liaison']) {
      const s = await login(t.app, username);
      const calls = [
        { method: 'GET' as const, url: `/api/citizens/${citizenId}/plan` },
        { method: 'GET' as const, url: `/api/citizens/${citizenId}/plan/history` },
        { method: 'GET' as const, url: `/api/citizens/${citizenId}/network-meetings` },
        { method: 'GET' as const, url: `/api/citizens/${citizenId}/conversations` },
        { method: 'PATCH' as const, url: `/api/citizens/${citizenId}/plan`, payload: { version: 1, nextFollowUp: '2026-09-01' } },
        { method: 'POST' as const, url: `/api/citizens/${citizenId}/conversations`, payload: { startsAt: '2026-03-10T10:00:00+01:00', place: 'library', status: 'held' } },
        { method: 'POST' as const, url: `/api/citizens/${citizenId}/network-meetings`, payload: { ...firstMeeting(1), plan: undefined } },
      ];
      for (const call of calls) {
        const res = await s.request(call);
        expect(res.statusCode, `${username} ${call.method} ${call.url}`).toBe(404);
      }
      const denied = await auditRows(t.db, { actorUsername: username, outcome: 'denied' });
      expect(denied.length, username).toBeGreaterThanOrEqual(calls.length);
    }
    expect(await t.db.kysely.selectFrom('plan_revisions').select('revision').execute()).toHaveLength(before.length);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/citizens/${citizenId}/plan` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('lets the caseworker on the team and the programme manager read the plan, each read audited', async () => {
    const citizenId = await newCitizen();
    await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/network-meetings`, payload: firstMeeting(0) });
    for (const username of ['sagsbehandler', 'projektleder']) {
      const s = await login(t.app, username);
      const plan = await planOf(s, citizenId);
      expect(plan.goals).toHaveLength(2);
      const rows = await auditRows(t.db, { actorUsername: username, action: 'read' });
      expect(rows.filter((r) => r.resource_type === 'plan' && r.citizen_id === citizenId && r.outcome === 'success')).toHaveLength(1);
    }
  });

  it('answers 404 for an enrolment id that is not the citizen’s', async () => {
    const citizenId = await newCitizen();
    const other = await newCitizen();
    const otherPlan = await planOf(rk1, other);
    const res = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/plan?enrolmentId=${otherPlan.enrolmentId}` });
    expect(res.statusCode).toBe(404);
  });
});

describe('the Min Plan reminder', () => {
  it('opens a task for the caseworker while an offer is not registered, and closes it when it is', async () => {
    const citizenId = await newCitizen();
    const offerId = '00000000-0000-4000-8000-00000000beef';
    const actor = { userId: RK1, username: 'rk1', name: 'Lone Madsen', organisationId: (await t.db.kysely.selectFrom('citizens').select('organisation_id').where('id', '=', citizenId).executeTakeFirstOrThrow()).organisation_id, roles: [{ role: 'resource_consultant' as const, programmeId: PROGRAMME.paaVej }], referenceVersion: 0 };
    const offer = { organisationId: actor.organisationId, citizenId, kind: 'upskilling' as const, id: offerId, title: 'Truckcertifikat', minPlan: 'no' as const };
    expect(await t.db.kysely.transaction().execute((tx) => syncMinPlanReminder(tx, actor as never, offer))).toBe('opened');
    expect(await t.db.kysely.transaction().execute((tx) => syncMinPlanReminder(tx, actor as never, offer))).toBe('none');
    let plan = await planOf(rk1, citizenId);
    expect(plan.tasks).toEqual([expect.objectContaining({ title: 'Truckcertifikat', status: 'open', owner: expect.objectContaining({ kind: 'staff', user: { id: SAGSBEHANDLER, name: 'Mette Frandsen' } }), minPlanOffer: { kind: 'upskilling', id: offerId } })]);
    expect(await t.db.kysely.transaction().execute((tx) => syncMinPlanReminder(tx, actor as never, { ...offer, minPlan: 'yes' }))).toBe('closed');
    plan = await planOf(rk1, citizenId);
    expect(plan.tasks[0].status).toBe('done');
    expect(plan.revision).toBe(2);
  });
});
