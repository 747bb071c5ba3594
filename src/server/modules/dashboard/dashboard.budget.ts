// Query budgets of the steering dashboard (see src/server/query-budget.test.ts).
import { PROGRAMME } from '../../demo/ids.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { login, type Session } from '../../testing/harness.ts';

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const sessions: Record<string, Session> = {};
  const as = async (user: string) => (sessions[user] ??= ctx.as[user] ?? (await login(ctx.t.app, user)));
  const line = async () =>
    (await ctx.t.db.owner.selectFrom('programme_budget_lines').select('id').where('programme_id', '=', PROGRAMME.paaVej).orderBy('year').executeTakeFirstOrThrow()).id;
  return [
    // Session, begin, the programme's facts (phases, targets, budget, evaluation in one), enrolment by month, target
    // groups, outcomes, activities by month and kind, self-support at 26 and 52 weeks, inquiries, audit, commit.
    {
      operation: 'GET /api/programmes/{id}/dashboard',
      user: 'styregruppe',
      budget: 11,
      audit: 1,
      prepare: async () => {
        const s = await as('styregruppe');
        return () => s.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/dashboard` });
      },
    },
    // Session, begin, the line with its programme's organisation, the update, audit, commit.
    {
      operation: 'PUT /api/programmes/{id}/budget-lines/{lineId}/spent',
      user: 'projektleder',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const [s, id] = [await as('projektleder'), await line()];
        return () => s.request({ method: 'PUT', url: `/api/programmes/${PROGRAMME.paaVej}/budget-lines/${id}/spent`, payload: { spentOere: 1_000_000 } });
      },
    },
  ];
}
