// Query budgets of register-linkage deliveries (see src/server/query-budget.test.ts).
import { DEMO_STUDY_ID } from '../../demo/demo-studies.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { login, TEST_CPR_KEY, type Session } from '../../testing/harness.ts';
import { exportDeps } from './exports.service.ts';
import { makeLinkage } from './linkage.service.ts';

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let pm: Session | undefined;
  const as = async () => (pm ??= ctx.as.projektleder ?? (await login(ctx.t.app, 'projektleder')));
  const deps = () => exportDeps(ctx.t.db.kysely, { cprKey: TEST_CPR_KEY, demo: true });
  async function made(): Promise<string> {
    const res = await (await as()).request({ method: 'POST', url: `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries`, payload: {} });
    if (res.statusCode !== 202) throw new Error(`could not ask for a delivery: ${res.statusCode} ${res.body}`);
    const { id } = res.json() as { id: string };
    await makeLinkage(deps(), id);
    return id;
  }
  const send = (method: 'GET' | 'POST', url: () => Promise<string>, body?: Record<string, unknown>) => async () => {
    const [s, u] = [await as(), await url()];
    return () => s.request({ method, url: u, ...(body === undefined ? {} : { payload: body }) });
  };
  return [
    // Session, begin, the study with the caller's part in it, the delivery row, the job, audit, commit.
    { operation: 'POST /api/studies/{id}/linkage-deliveries', user: 'projektleder', budget: 7, audit: 1, prepare: send('POST', async () => `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries`, {}) },
    // Session, begin, the study with the caller's part in it, one page, audit, commit.
    { operation: 'GET /api/studies/{id}/linkage-deliveries', user: 'projektleder', budget: 6, audit: 1, prepare: send('GET', async () => `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries`) },
    // Session, begin, the delivery with its study and the caller's part, audit, commit.
    { operation: 'GET /api/linkage-deliveries/{id}', user: 'projektleder', budget: 5, audit: 1, prepare: send('GET', async () => `/api/linkage-deliveries/${await made()}`) },
    // Session, begin, the delivery with its study and the caller's part, audit, commit (the zip is streamed from disk).
    { operation: 'GET /api/linkage-deliveries/{id}/download', user: 'projektleder', budget: 5, audit: 1, prepare: send('GET', async () => `/api/linkage-deliveries/${await made()}/download`) },
  ];
}
