// Query budgets of the transition checklist (see src/server/query-budget.test.ts).
import { regionCitizenId } from '../../demo/demo-crossing.ts';
import { PROGRAMME } from '../../demo/ids.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { login, type Session } from '../../testing/harness.ts';

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let session: Session | null = null;
  const liaison = async () => (session ??= await login(ctx.t.app, 'liaison'));
  // Region patients of the demo, each opened once by these cases (the tests of the module use others).
  let n = 30;
  async function opened() {
    const s = await liaison();
    const res = await s.request({ method: 'POST', url: `/api/citizens/${regionCitizenId(++n)}/transition`, payload: { programmeId: PROGRAMME.fremskudt } });
    if (res.statusCode !== 201) throw new Error(`could not open a transition: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string; version: number; citizenId: string };
  }
  return [
    // Session, begin, the citizen's relations, the checklist with its derived steps, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/transition',
      user: 'liaison',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const s = await liaison();
        return () => s.request({ method: 'GET', url: `/api/citizens/${regionCitizenId(2)}/transition` });
      },
    },
    // Session, begin, the citizen's relations, insert, audit, the checklist as read, commit.
    {
      operation: 'POST /api/citizens/{id}/transition',
      user: 'liaison',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const s = await liaison();
        const id = regionCitizenId(++n);
        return () => s.request({ method: 'POST', url: `/api/citizens/${id}/transition`, payload: { programmeId: PROGRAMME.fremskudt } });
      },
    },
    // Session, begin, the checklist (locked), the citizen's relations, update, audit, the checklist as read, commit.
    {
      operation: 'PATCH /api/transitions/{id}',
      user: 'liaison',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const s = await liaison();
        const tr = await opened();
        return () => s.request({ method: 'PATCH', url: `/api/transitions/${tr.id}`, payload: { version: tr.version, note: 'Kontakt aftalt' } });
      },
    },
    // Session, begin, the page with the derived steps, audit, commit.
    {
      operation: 'GET /api/transitions',
      user: 'liaison',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const s = await liaison();
        return () => s.request({ method: 'GET', url: '/api/transitions' });
      },
    },
  ];
}
