// Query budgets of the portal's Min plan changes and Mine aftaler (see src/server/query-budget.test.ts). Each case
// prepares a citizen of rk1's own with a plan (a task of their own) and a planned conversation, invited and logged
// in at level "substantial" (set on the session row; not counted).
import { userId } from '../../demo/ids.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';

const RK1 = userId(4);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let n = 0;
  async function citizen(): Promise<{ s: PortalSession; taskId: string }> {
    const email = `budget.myplan.${++n}@example.invalid`;
    const rk1 = ctx.as.rk1!;
    const c = await portalCitizen(rk1, RK1, { email });
    const patch = await rk1.request({ method: 'PATCH', url: `/api/citizens/${c.id}/plan`, payload: { version: 0, tasks: { add: [{ title: 'Skriv en ansøgning', owner: { kind: 'citizen' } }] } } });
    if (patch.statusCode !== 200) throw new Error(`could not plan: ${patch.statusCode} ${patch.body}`);
    const startsAt = new Date(Date.now() + (2 + n) * 86_400_000).toISOString();
    const booked = await rk1.request({ method: 'POST', url: `/api/citizens/${c.id}/conversations`, payload: { startsAt, durationMinutes: 45, place: 'library', status: 'planned', staffIds: [RK1], acknowledgeWarnings: true } });
    if (booked.statusCode !== 201) throw new Error(`could not book: ${booked.statusCode} ${booked.body}`);
    const invited = await invite(rk1, c.id);
    if (invited.statusCode !== 200) throw new Error(`could not invite: ${invited.statusCode} ${invited.body}`);
    const s = await portalLoginAs(ctx.t, email, email, `203.0.113.${100 + n}`);
    await ctx.t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
    const task = await ctx.t.db.kysely.selectFrom('plan_tasks as t').innerJoin('plans as p', 'p.id', 't.plan_id').select('t.id').where('p.citizen_id', '=', c.id).executeTakeFirstOrThrow();
    return { s, taskId: task.id };
  }
  return [
    // The portal session, begin, the task in my records (locked), the change, the timeline event, audit, commit.
    {
      operation: 'POST /api/portal/tasks/{id}/done',
      user: null,
      variant: 'a citizen at level "substantial"',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const { s, taskId } = await citizen();
        return () => s.request({ method: 'POST', url: `/api/portal/tasks/${taskId}/done` });
      },
    },
    // The portal session, begin, the task in my records with my comment count, the comment, the timeline event, audit, commit.
    {
      operation: 'POST /api/portal/tasks/{id}/comments',
      user: null,
      variant: 'a citizen at level "substantial"',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const { s, taskId } = await citizen();
        return () => s.request({ method: 'POST', url: `/api/portal/tasks/${taskId}/comments`, payload: { text: 'Det går fint' } });
      },
    },
    // The portal session, begin, the appointments with roles and organisation in one statement, audit, commit.
    {
      operation: 'GET /api/portal/appointments',
      user: null,
      variant: 'a citizen at level "substantial"',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { s } = await citizen();
        return () => s.request({ method: 'GET', url: '/api/portal/appointments' });
      },
    },
    // The portal session, begin, the feed's row, audit, commit.
    {
      operation: 'GET /api/portal/calendar-feed',
      user: null,
      variant: 'a citizen at level "substantial"',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { s } = await citizen();
        return () => s.request({ method: 'GET', url: '/api/portal/calendar-feed' });
      },
    },
    // The portal session, begin, the upsert of the hash (telling whether a live one was replaced), audit, commit.
    {
      operation: 'POST /api/portal/calendar-feed',
      user: null,
      variant: 'a citizen at level "substantial"',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { s } = await citizen();
        return () => s.request({ method: 'POST', url: '/api/portal/calendar-feed' });
      },
    },
    // The portal session, begin, the revocation, audit, commit.
    {
      operation: 'DELETE /api/portal/calendar-feed',
      user: null,
      variant: 'a citizen at level "substantial"',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { s } = await citizen();
        return () => s.request({ method: 'DELETE', url: '/api/portal/calendar-feed' });
      },
    },
    // No session: begin, the account and its records by the token's hash, the appointments, their UIDs, audit, commit.
    {
      operation: 'GET /api/portal/calendar-feed/{token}.ics',
      user: null,
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { s } = await citizen();
        const created = await s.request({ method: 'POST', url: '/api/portal/calendar-feed' });
        if (created.statusCode !== 201) throw new Error(`could not create a feed: ${created.statusCode} ${created.body}`);
        const path = new URL((created.json() as { url: string }).url).pathname;
        return () => ctx.t.app.inject({ method: 'GET', url: path });
      },
    },
  ];
}
