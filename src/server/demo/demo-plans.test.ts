// The demo's plans, meetings and conversations: present for open enrolments, readable through the API in
// their documented shape, consistent (a revision per held meeting, the next meeting booked ahead), anchored
// to the load day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInCopenhagen } from '../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../testing/harness.ts';

let t: TestContext;
let rk1: Session;
beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
});
afterAll(async () => {
  await t.close();
});

describe('demo plans', () => {
  it('give open enrolments a plan with goals and tasks, a revision per held meeting and the next meeting booked', async () => {
    const plans = await t.db.kysely.selectFrom('plans').select(['id', 'revision', 'version']).execute();
    expect(plans.length).toBeGreaterThan(40);
    for (const plan of plans.slice(0, 20)) {
      const held = await t.db.kysely.selectFrom('network_meetings').select('id').where('plan_id', '=', plan.id).where('status', '=', 'held').execute();
      // A revision per held meeting, then one per Min Plan reminder opened for an offer.
      const revisions = await t.db.kysely.selectFrom('plan_revisions').select(['revision', 'meeting_id']).where('plan_id', '=', plan.id).orderBy('revision').execute();
      expect(revisions.map((r) => r.revision)).toEqual(revisions.map((_, i) => i + 1));
      expect(revisions.filter((r) => r.meeting_id !== null)).toHaveLength(held.length);
      expect(plan.revision).toBe(revisions.length);
      const planned = await t.db.kysely.selectFrom('network_meetings').select('starts_at').where('plan_id', '=', plan.id).where('status', '=', 'planned').execute();
      expect(planned).toHaveLength(1);
      expect(new Date(planned[0]!.starts_at).getTime()).toBeGreaterThan(Date.now() - 86_400_000);
    }
  });

  it('are what rk1 sees on their own citizens’ pages, in the documented shape', async () => {
    const mine = (await rk1.request({ method: 'GET', url: '/api/citizens?scope=mine&limit=100' })).json() as { items: { id: string }[] };
    let withGoals = 0;
    for (const c of mine.items.slice(0, 10)) {
      const res = await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}/plan` });
      expect(res.statusCode).toBe(200);
      if (res.json().goals.length > 0) withGoals++;
      const conversations = await rk1.request({ method: 'GET', url: `/api/citizens/${c.id}/conversations` });
      expect(conversations.statusCode).toBe(200);
    }
    expect(withGoals).toBeGreaterThan(3);
  });

  it('remind the caseworker of every open offer not yet registered in Min Plan', async () => {
    const offers = await t.db.kysely
      .selectFrom('internships as i')
      .innerJoin('enrolments as e', (j) => j.onRef('e.citizen_id', '=', 'i.citizen_id').on('e.status', '<>', 'ended'))
      .select('i.id')
      .where('i.min_plan', '=', 'no')
      .where('i.outcome', 'is', null)
      .execute();
    expect(offers.length).toBeGreaterThan(0);
    const reminders = await t.db.kysely.selectFrom('plan_tasks').select('min_plan_offer_id').where('min_plan_offer_kind', '=', 'internship').where('status', '=', 'open').execute();
    expect(new Set(reminders.map((r) => r.min_plan_offer_id))).toEqual(new Set(offers.map((o) => o.id)));
  });

  it("remind of every current course place not yet registered in Min Plan, in that citizen's own plan", async () => {
    const places = await t.db.kysely
      .selectFrom('group_participants as gp')
      .innerJoin('enrolments as e', (j) => j.onRef('e.citizen_id', '=', 'gp.citizen_id').on('e.status', '<>', 'ended'))
      .select(['gp.course_id', 'gp.citizen_id'])
      .where('gp.min_plan', '=', 'no')
      .where('gp.left_at', 'is', null)
      .execute();
    expect(places.length).toBeGreaterThan(0);
    const reminders = await t.db.kysely
      .selectFrom('plan_tasks as pt')
      .innerJoin('plans as p', 'p.id', 'pt.plan_id')
      .select(['pt.min_plan_offer_id', 'p.citizen_id'])
      .where('pt.min_plan_offer_kind', '=', 'group_course')
      .where('pt.status', '=', 'open')
      .execute();
    const key = (courseId: string | null, citizenId: string) => `${courseId}/${citizenId}`;
    expect(reminders.map((r) => key(r.min_plan_offer_id, r.citizen_id)).sort()).toEqual(places.map((p) => key(p.course_id, p.citizen_id)).sort());
  });

  it('hold conversations on weekdays, held ones before the load day and planned ones from it', async () => {
    const today = dateInCopenhagen();
    const rows = await t.db.kysely.selectFrom('conversations').select(['starts_at', 'status']).execute();
    expect(rows.length).toBeGreaterThan(300);
    for (const r of rows) {
      const day = dateInCopenhagen(new Date(r.starts_at));
      expect([0, 6]).not.toContain(new Date(`${day}T12:00:00Z`).getUTCDay());
      if (r.status === 'planned') expect(day >= today).toBe(true);
      else expect(day < today).toBe(true);
    }
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['held', 'no_show', 'planned']));
  });
});
