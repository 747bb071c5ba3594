// Query budgets of research exports (see src/server/query-budget.test.ts).
import { DEMO_STUDY_ID } from '../../demo/demo-studies.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { login, TEST_CPR_KEY, type Session } from '../../testing/harness.ts';
import { exportDeps, makePackage } from './exports.service.ts';

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let forsker: Session | undefined;
  const as = async () => (forsker ??= ctx.as.forsker ?? (await login(ctx.t.app, 'forsker')));
  // The app's export directory (the default under the system's temporary directory in tests).
  const deps = () => exportDeps(ctx.t.db.kysely, { cprKey: TEST_CPR_KEY, demo: true });
  async function made(): Promise<string> {
    const res = await (await as()).request({ method: 'POST', url: `/api/studies/${DEMO_STUDY_ID}/exports`, payload: {} });
    if (res.statusCode !== 202) throw new Error(`could not ask for an export: ${res.statusCode} ${res.body}`);
    const { id } = res.json() as { id: string };
    await makePackage(deps(), id);
    return id;
  }
  const send = (method: 'GET' | 'POST', url: () => Promise<string>, body?: Record<string, unknown>) => async () => {
    const [s, u] = [await as(), await url()];
    return () => s.request({ method, url: u, ...(body === undefined ? {} : { payload: body }) });
  };
  return [
    // Session, begin, the study with the caller's part in it, the export row, the job, audit, commit.
    { operation: 'POST /api/studies/{id}/exports', user: 'forsker', budget: 7, audit: 1, prepare: send('POST', async () => `/api/studies/${DEMO_STUDY_ID}/exports`, {}) },
    // Session, begin, the study with the caller's part in it, one page, audit, commit.
    { operation: 'GET /api/studies/{id}/exports', user: 'forsker', budget: 6, audit: 1, prepare: send('GET', async () => `/api/studies/${DEMO_STUDY_ID}/exports`) },
    // Session, begin, the export with its study and the caller's part, audit, commit.
    { operation: 'GET /api/exports/{id}', user: 'forsker', budget: 5, audit: 1, prepare: send('GET', async () => `/api/exports/${await made()}`) },
    // Session, begin, the export with its study and the caller's part, audit, commit (the zip is streamed from disk).
    { operation: 'GET /api/exports/{id}/download', user: 'forsker', budget: 5, audit: 1, prepare: send('GET', async () => `/api/exports/${await made()}/download`) },
  ];
}
