// Min plan and Mine aftaler in the portal, on both engines: the citizen marks their own task done and comments on a
// task (staff see both on the plan), only in their own plan (another person's task answers 404, audited), only at
// level "substantial"; the upcoming appointments by role and kind of place, a page at a time; and the citizen's own
// calendar feed with the staff feed's neutral content, renewed and stopped by the citizen.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenId } from '../../demo/demo-citizens.ts';
import { DEMO_PORTAL_TASK } from '../../demo/demo-portal-plan.ts';
import { DEMO_PORTAL_CONTACTS } from '../../demo/demo-portal.ts';
import { userId } from '../../demo/ids.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';

const RK1 = userId(4);
let t: TestContext;
let rk1: Session;
let n = 0;
const address = () => `198.51.100.${++n}`;

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
});
afterAll(async () => {
  await t.close();
});

interface Fixture {
  citizenId: string;
  s: PortalSession;
  mine: string;
  staffs: string;
}

const inDays = (days: number, hour = 10) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

/** A citizen of rk1's with a plan (a goal, a task of their own and one of rk1's), invited and logged in. */
async function citizenWithPlan(opts: { substantial?: boolean; appointments?: number } = {}): Promise<Fixture> {
  const email = `portal.plan.${++n}@example.invalid`;
  const c = await portalCitizen(rk1, RK1, { email });
  const patch = await rk1.request({
    method: 'PATCH',
    url: `/api/citizens/${c.id}/plan`,
    payload: {
      version: 0,
      goal: { kind: 'job', text: 'Job i en butik' },
      coordinatorId: RK1,
      goals: { add: [{ lifeArea: 'health', text: 'Gå en tur hver dag' }] },
      tasks: { add: [{ title: 'Skriv en ansøgning', owner: { kind: 'citizen' } }, { title: 'Ring til butikken', owner: { kind: 'staff', userId: RK1 } }] },
    },
  });
  expect(patch.statusCode, patch.body).toBe(200);
  for (let i = 0; i < (opts.appointments ?? 0); i++) {
    const booked = await rk1.request({ method: 'POST', url: `/api/citizens/${c.id}/conversations`, payload: { startsAt: inDays(3 + i, 9 + (n % 8)), durationMinutes: 45, place: 'library', status: 'planned', staffIds: [RK1], acknowledgeWarnings: true } });
    expect(booked.statusCode, booked.body).toBe(201);
  }
  expect((await invite(rk1, c.id)).statusCode).toBe(200);
  const s = await portalLoginAs(t, email, email, address());
  if (opts.substantial !== false) await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
  const tasks = await t.db.kysely.selectFrom('plan_tasks as t').innerJoin('plans as p', 'p.id', 't.plan_id').select(['t.id', 't.owner_kind']).where('p.citizen_id', '=', c.id).execute();
  return { citizenId: c.id, s, mine: tasks.find((x) => x.owner_kind === 'citizen')!.id, staffs: tasks.find((x) => x.owner_kind === 'staff')!.id };
}

const auditOf = (citizenId: string, resourceType: string) =>
  t.db.kysely.selectFrom('audit_log').select(['action', 'outcome', 'actor_roles', 'actor_user_id', 'resource_id', 'criteria']).where('citizen_id', '=', citizenId).where('resource_type', '=', resourceType).orderBy('seq').execute();

describe('Min plan', () => {
  it('shows the goal, the goals, the tasks with ids, the coordinator and the team by role with how to reach them', async () => {
    const f = await citizenWithPlan();
    const res = await f.s.request({ method: 'GET', url: '/api/portal/plan' });
    expect(res.statusCode, res.body).toBe(200);
    const [plan] = res.json().plans;
    expect(plan).toMatchObject({ open: true, goal: { kind: 'job', text: 'Job i en butik' }, goals: [{ lifeArea: 'health', text: 'Gå en tur hver dag' }] });
    expect(plan.tasks).toEqual([
      { id: f.mine, title: 'Skriv en ansøgning', ownerKind: 'citizen', ownerName: null, dueDate: null, status: 'open', doneByMe: false, comments: [] },
      { id: f.staffs, title: 'Ring til butikken', ownerKind: 'staff', ownerName: 'Lone Madsen', dueDate: null, status: 'open', doneByMe: false, comments: [] },
    ]);
    expect(plan.coordinator).toMatchObject({ name: 'Lone Madsen', role: 'resource_consultant' });
    expect(plan.team).toEqual([expect.objectContaining({ role: 'resource_consultant', name: 'Lone Madsen' })]);
  });

  it('marks my own task done: staff see it on the plan and the timeline, audited with the citizen as actor; again is the same answer', async () => {
    const f = await citizenWithPlan();
    const res = await f.s.request({ method: 'POST', url: `/api/portal/tasks/${f.mine}/done` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: f.mine, status: 'done' });
    const again = await f.s.request({ method: 'POST', url: `/api/portal/tasks/${f.mine}/done` });
    expect(again.statusCode).toBe(200);
    expect(again.json().completedAt).toBe(res.json().completedAt);
    const staffPlan = await rk1.request({ method: 'GET', url: `/api/citizens/${f.citizenId}/plan` });
    const task = staffPlan.json().tasks.find((x: { id: string }) => x.id === f.mine);
    expect(task).toMatchObject({ status: 'done', completedByCitizen: true });
    const mine = (await f.s.request({ method: 'GET', url: '/api/portal/plan' })).json().plans[0].tasks.find((x: { id: string }) => x.id === f.mine);
    expect(mine).toMatchObject({ status: 'done', doneByMe: true });
    const timeline = await rk1.request({ method: 'GET', url: `/api/citizens/${f.citizenId}/timeline` });
    expect(timeline.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'portal.task_done', refId: f.mine })]));
    const audit = await auditOf(f.citizenId, 'plan_task');
    expect(audit.map((a) => [a.action, a.outcome, a.actor_roles, a.actor_user_id, a.resource_id, a.criteria])).toEqual([
      ['update', 'success', ['citizen'], null, f.mine, { taskId: f.mine, status: 'done', changed: true }],
      ['update', 'success', ['citizen'], null, f.mine, { taskId: f.mine, status: 'done', changed: false }],
    ]);
  });

  it("refuses a task the plan gives to staff with 403 not_your_task, audited, and leaves it open", async () => {
    const f = await citizenWithPlan();
    const res = await f.s.request({ method: 'POST', url: `/api/portal/tasks/${f.staffs}/done` });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('not_your_task');
    const row = await t.db.kysely.selectFrom('plan_tasks').select(['status']).where('id', '=', f.staffs).executeTakeFirstOrThrow();
    expect(row.status).toBe('open');
    expect((await auditOf(f.citizenId, 'plan_task')).map((a) => [a.outcome, (a.criteria as { reason: string }).reason])).toEqual([['denied', 'not_citizen_task']]);
  });

  it("answers 404 for another citizen's task and an unknown id (done and comment), audited as denied, and changes nothing", async () => {
    const me = await citizenWithPlan();
    const other = await citizenWithPlan();
    for (const id of [other.mine, other.staffs, randomUUID()]) {
      expect((await me.s.request({ method: 'POST', url: `/api/portal/tasks/${id}/done` })).statusCode).toBe(404);
      expect((await me.s.request({ method: 'POST', url: `/api/portal/tasks/${id}/comments`, payload: { text: 'Hej' } })).statusCode).toBe(404);
    }
    expect((await t.db.kysely.selectFrom('plan_tasks').select('status').where('id', '=', other.mine).executeTakeFirstOrThrow()).status).toBe('open');
    expect(await t.db.kysely.selectFrom('plan_task_comments').select('id').where('citizen_id', '=', other.citizenId).execute()).toEqual([]);
    // The refusals are in my log, none in the other person's.
    const denied = await auditOf(me.citizenId, 'plan_task');
    expect(denied).toHaveLength(6);
    expect(denied.every((d) => d.outcome === 'denied' && (d.criteria as { reason: string }).reason === 'unknown_task')).toBe(true);
    expect(await auditOf(other.citizenId, 'plan_task')).toEqual([]);
  });

  it('takes a comment on a task, shown to staff beside the task; bounds the text; the audit row holds no words', async () => {
    const f = await citizenWithPlan();
    const res = await f.s.request({ method: 'POST', url: `/api/portal/tasks/${f.staffs}/comments`, payload: { text: '  Jeg har ringet selv.  ' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ author: 'me', authorName: null, text: 'Jeg har ringet selv.' });
    for (const text of ['', '   ', 'x'.repeat(1001), 'a\u0000b']) {
      expect((await f.s.request({ method: 'POST', url: `/api/portal/tasks/${f.staffs}/comments`, payload: { text } })).statusCode, JSON.stringify(text)).toBe(400);
    }
    expect((await f.s.request({ method: 'POST', url: `/api/portal/tasks/${f.staffs}/comments`, payload: { text: 'x'.repeat(1000) } })).statusCode).toBe(201);
    const staffPlan = await rk1.request({ method: 'GET', url: `/api/citizens/${f.citizenId}/plan` });
    const task = staffPlan.json().tasks.find((x: { id: string }) => x.id === f.staffs);
    expect(task.comments).toHaveLength(2);
    expect(task.comments[0]).toMatchObject({ author: 'citizen', authorName: null, text: 'Jeg har ringet selv.' });
    const mine = (await f.s.request({ method: 'GET', url: '/api/portal/plan' })).json().plans[0].tasks.find((x: { id: string }) => x.id === f.staffs);
    expect(mine.comments[0]).toMatchObject({ author: 'me', text: 'Jeg har ringet selv.' });
    const audit = await auditOf(f.citizenId, 'plan_task_comment');
    expect(audit.map((a) => [a.action, a.outcome, a.actor_roles])).toEqual([
      ['create', 'success', ['citizen']],
      ['create', 'success', ['citizen']],
    ]);
    expect(JSON.stringify(audit)).not.toContain('ringet');
  });

  it('needs its CSRF token for a change', async () => {
    const f = await citizenWithPlan();
    const res = await f.s.request({ method: 'POST', url: `/api/portal/tasks/${f.mine}/done`, headers: { 'x-csrf-token': 'wrong' } });
    expect(res.statusCode).toBe(403);
    expect((await t.db.kysely.selectFrom('plan_tasks').select('status').where('id', '=', f.mine).executeTakeFirstOrThrow()).status).toBe('open');
  });

  it('refuses every route of Min plan and Mine aftaler with 403 assurance_too_low to a code login, audited', async () => {
    const f = await citizenWithPlan({ substantial: false });
    const calls = [
      { method: 'POST' as const, url: `/api/portal/tasks/${f.mine}/done` },
      { method: 'POST' as const, url: `/api/portal/tasks/${f.mine}/comments`, payload: { text: 'Hej' } },
      { method: 'GET' as const, url: '/api/portal/appointments' },
      { method: 'GET' as const, url: '/api/portal/calendar-feed' },
      { method: 'POST' as const, url: '/api/portal/calendar-feed' },
      { method: 'DELETE' as const, url: '/api/portal/calendar-feed' },
    ];
    for (const call of calls) {
      const res = await f.s.request(call);
      expect(res.statusCode, call.url).toBe(403);
      expect(res.json().error).toBe('assurance_too_low');
    }
    const denied = await t.db.kysely.selectFrom('audit_log').select('criteria').where('citizen_id', '=', f.citizenId).where('outcome', '=', 'denied').execute();
    expect(denied).toHaveLength(calls.length);
    expect((await t.db.kysely.selectFrom('plan_tasks').select('status').where('id', '=', f.mine).executeTakeFirstOrThrow()).status).toBe('open');
  });
});

describe('Mine aftaler', () => {
  it('lists my upcoming appointments by time, kind of place and role, a page at a time, without names; audited', async () => {
    const f = await citizenWithPlan({ appointments: 3 });
    const other = await citizenWithPlan({ appointments: 1 });
    // A past appointment and a cancelled one are not upcoming.
    await rk1.request({ method: 'POST', url: `/api/citizens/${f.citizenId}/conversations`, payload: { startsAt: inDays(-2), durationMinutes: 30, place: 'phone_video', status: 'held' } });
    const first = await f.s.request({ method: 'GET', url: '/api/portal/appointments?limit=2' });
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    expect(page1.items[0]).toMatchObject({ kind: 'conversation', place: 'out', with: [{ kind: 'staff', role: 'resource_consultant' }] });
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = (await f.s.request({ method: 'GET', url: `/api/portal/appointments?limit=2&cursor=${page1.nextCursor}` })).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const starts = [...page1.items, ...second.items].map((a: { startsAt: string }) => a.startsAt);
    expect(starts).toEqual([...starts].sort());
    expect(new Date(starts[0]!).getTime()).toBeGreaterThan(Date.now());
    // Nobody's name, nor the place's own kind (a library), nor the other citizen's appointment.
    const body = first.body + JSON.stringify(second);
    expect(body).not.toMatch(/Lone|Madsen|library|bibliotek/i);
    const otherStarts = (await other.s.request({ method: 'GET', url: '/api/portal/appointments' })).json().items.map((a: { startsAt: string }) => a.startsAt);
    expect(otherStarts).toHaveLength(1);
    expect(await auditOf(f.citizenId, 'portal_appointments')).toHaveLength(2);
    expect((await f.s.request({ method: 'GET', url: '/api/portal/appointments?cursor=bm90LWEtY3Vyc29y' })).statusCode).toBe(400);
    expect((await f.s.request({ method: 'GET', url: '/api/portal/appointments?limit=51' })).statusCode).toBe(400);
  });

  it('gives me my own calendar feed with neutral content; renewing and stopping it end the old address', async () => {
    const f = await citizenWithPlan({ appointments: 2 });
    expect((await f.s.request({ method: 'GET', url: '/api/portal/calendar-feed' })).json()).toEqual({ active: false, createdAt: null, expiresAt: null });
    const created = await f.s.request({ method: 'POST', url: '/api/portal/calendar-feed' });
    expect(created.statusCode, created.body).toBe(201);
    const url = new URL(created.json().url);
    expect(url.pathname).toMatch(/^\/api\/portal\/calendar-feed\/[A-Za-z0-9_-]{43}\.ics$/);
    const token = url.pathname.split('/').pop()!.replace('.ics', '');
    // Only the hash is stored.
    expect(JSON.stringify(await t.db.kysely.selectFrom('portal_calendar_feeds').selectAll().execute())).not.toContain(token);
    expect((await f.s.request({ method: 'GET', url: '/api/portal/calendar-feed' })).json().active).toBe(true);

    // No cookie: the token is the credential.
    const feed = await t.app.inject({ method: 'GET', url: url.pathname });
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(feed.body.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(feed.body.match(/SUMMARY:Aftale/g)).toHaveLength(2);
    expect(feed.body).toContain('LOCATION:Ude');
    expect(feed.body).not.toMatch(/DESCRIPTION|Lone|Madsen|På vej|library|bibliotek|Portal|Borgersen|Skriv en ansøgning/i);
    // The entries' UIDs are not the ones a staff feed shows.
    const staffUids = (await t.db.kysely.selectFrom('calendar_uids').select('uid').execute()).map((u) => u.uid);
    for (const uid of staffUids) expect(feed.body).not.toContain(uid);
    const reads = await auditOf(f.citizenId, 'portal_calendar_feed');
    expect(reads.map((r) => [r.action, r.actor_roles])).toEqual([
      ['read', ['citizen']],
      ['create', ['citizen']],
      ['read', ['citizen']],
      ['read', ['citizen']],
    ]);

    const renewed = await f.s.request({ method: 'POST', url: '/api/portal/calendar-feed' });
    expect((await t.app.inject({ method: 'GET', url: url.pathname })).statusCode).toBe(404);
    const newPath = new URL(renewed.json().url).pathname;
    expect((await t.app.inject({ method: 'GET', url: newPath })).statusCode).toBe(200);
    expect((await f.s.request({ method: 'DELETE', url: '/api/portal/calendar-feed' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: newPath })).statusCode).toBe(404);
    expect((await f.s.request({ method: 'GET', url: '/api/portal/calendar-feed' })).json().active).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: '/api/portal/calendar-feed/not-a-token.ics' })).statusCode).toBe(400);
  });
});

describe('the demo portal citizens', () => {
  it('have a task of their own with a comment from staff, and a planned conversation ahead', async () => {
    const ids = DEMO_PORTAL_CONTACTS.map((d) => citizenId(d.citizen));
    const tasks = await t.db.kysely
      .selectFrom('plan_tasks as t')
      .innerJoin('plans as p', 'p.id', 't.plan_id')
      .innerJoin('plan_task_comments as k', 'k.task_id', 't.id')
      .select(['p.citizen_id', 't.owner_kind', 't.status', 'k.author_kind'])
      .where('t.title', '=', DEMO_PORTAL_TASK)
      .where('p.citizen_id', 'in', ids)
      .orderBy('p.citizen_id')
      .execute();
    expect(tasks).toEqual(ids.map((citizen_id) => ({ citizen_id, owner_kind: 'citizen', status: 'open', author_kind: 'staff' })));
    const ahead = await t.db.kysely.selectFrom('conversations').select('citizen_id').distinct().where('citizen_id', 'in', ids).where('status', '=', 'planned').where('starts_at', '>', new Date()).execute();
    expect(ahead).toHaveLength(ids.length);
  });
});
