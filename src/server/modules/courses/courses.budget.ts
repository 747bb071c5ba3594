// Query budgets of this module's routes (see src/server/query-budget.test.ts).
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  void ctx;
  return [];
}
