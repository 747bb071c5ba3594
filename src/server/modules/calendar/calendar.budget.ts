// Query budgets of this module's routes (see src/server/query-budget.test.ts).
import { ORG, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { sendAs } from '../../testing/budget.ts';

const RK1 = userId(4);
const RK3 = userId(6);

/** A planned conversation of `staff` with a citizen of rk1's, an hour from now, so the reads have a row to name. */
async function appointment(ctx: BudgetContext, staff: string) {
  const citizenId = ctx.readCitizenId;
  await ctx.t.db.owner
    .insertInto('conversations')
    .values({
      organisation_id: ORG.naestved,
      citizen_id: citizenId,
      starts_at: new Date(Date.now() + 3_600_000),
      duration_minutes: 30,
      place: 'walk_and_talk',
      status: 'planned',
      staff_ids: [staff],
      created_by: staff,
    })
    .execute();
}

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const today = dateInCopenhagen();
  return [
    // Session, begin, the entries (one union over conversations, meetings, sessions, follow-ups), the citizens' names and relations, audit, commit.
    {
      operation: 'GET /api/calendar',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        await appointment(ctx, RK1);
        return () => ctx.as.rk1!.request({ method: 'GET', url: `/api/calendar?from=${today}&to=${addDays(today, 27)}` });
      },
    },
    // Session, begin, the week's entries, my tasks, overdue tasks, next steps, the team's internal tasks (alerts and due
    // measurements), the citizens' names and relations, audit, commit.
    { operation: 'GET /api/me/day', user: 'rk1', budget: 10, audit: 1, prepare: sendAs(ctx, 'rk1', { method: 'GET', url: '/api/me/day' }) },
    // Session, the organisation's setting with the own feed.
    { operation: 'GET /api/calendar/feed', user: 'rk1', budget: 2, audit: 0, prepare: sendAs(ctx, 'rk1', { method: 'GET', url: '/api/calendar/feed' }) },
    // Session, begin, the setting, the upsert of the hash, audit, commit.
    { operation: 'POST /api/calendar/feed', user: 'rk1', budget: 6, audit: 1, prepare: sendAs(ctx, 'rk1', { method: 'POST', url: '/api/calendar/feed' }) },
    // Session, begin, the revocation, audit, commit.
    { operation: 'DELETE /api/calendar/feed', user: 'rk1', budget: 5, audit: 1, prepare: sendAs(ctx, 'rk1', { method: 'DELETE', url: '/api/calendar/feed' }) },
    // Session, begin, the setting, audit, commit.
    { operation: 'PUT /api/organisation/calendar-feed', user: 'admin', budget: 5, audit: 1, prepare: sendAs(ctx, 'admin', { method: 'PUT', url: '/api/organisation/calendar-feed', payload: { enabled: true } }) },
    // No session: begin, the owner by the token's hash, the entries, their UIDs (made on first sight), audit, commit.
    {
      operation: 'GET /api/calendar/feed/{token}.ics',
      user: null,
      budget: 6,
      audit: 1,
      prepare: async () => {
        await appointment(ctx, RK3);
        const created = await ctx.as.rk3!.request({ method: 'POST', url: '/api/calendar/feed' });
        if (created.statusCode !== 201) throw new Error(`could not create a feed: ${created.statusCode} ${created.body}`);
        const path = new URL((created.json() as { url: string }).url).pathname;
        return () => ctx.t.app.inject({ method: 'GET', url: path });
      },
    },
  ];
}
