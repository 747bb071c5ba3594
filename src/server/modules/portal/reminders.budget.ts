// Query budgets of the citizen's reminder settings (see src/server/query-budget.test.ts). Each case logs in a
// citizen of rk1's own (invited, a code login raised to "substantial" on the row) with an e-mail address on file.
import { userId } from '../../demo/ids.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';

const RK1 = userId(4);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let n = 0;
  const address = () => `203.0.113.${150 + (++n % 40)}`;
  async function citizen(): Promise<PortalSession> {
    const email = `budget.reminders.${++n}@example.invalid`;
    const rk1 = ctx.as.rk1!;
    const c = await portalCitizen(rk1, RK1, { email });
    const invited = await invite(rk1, c.id);
    if (invited.statusCode !== 200) throw new Error(`could not invite: ${invited.statusCode} ${invited.body}`);
    const session = await portalLoginAs(ctx.t, email, email, address());
    await ctx.t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', session.csrf).execute();
    return session;
  }
  return [
    // The portal session, begin, the settings with the contacts on file in one statement, audit, commit.
    {
      operation: 'GET /api/portal/reminders',
      user: null,
      variant: 'a session at level "substantial" (set on the row: no login gives it yet)',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const s = await citizen();
        return () => s.request({ method: 'GET', url: '/api/portal/reminders' });
      },
    },
    // The portal session, begin, the settings with the contacts on file, the upsert, audit, commit.
    {
      operation: 'PUT /api/portal/reminders',
      user: null,
      variant: 'a session at level "substantial" (set on the row: no login gives it yet)',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const s = await citizen();
        return () => s.request({ method: 'PUT', url: '/api/portal/reminders', payload: { channel: 'email', appointment: true, task: true, questionnaire: false } });
      },
    },
  ];
}
