// Query budgets of the citizen's access log (docs/decisions/0032; see src/server/query-budget.test.ts): the portal's
// page and question, the dpo's queue, answer and deferral. Statement counts and audit statements are exact.
import { userId } from '../../demo/ids.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from '../portal/portal.fixtures.ts';

const RK1 = userId(4);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let n = 0;
  const address = () => `203.0.113.${200 + (++n % 50)}`;
  /** A citizen of rk1's own, invited and logged in (raised to "substantial" unless asked otherwise), read once by rk1. */
  async function citizen(level: 'low' | 'substantial' = 'substantial'): Promise<{ id: string; portal: PortalSession; entryId: string }> {
    const email = `budget.log.${++n}@example.invalid`;
    const c = await portalCitizen(ctx.as.rk1!, RK1, { email });
    const res = await invite(ctx.as.rk1!, c.id);
    if (res.statusCode !== 200) throw new Error(`could not invite: ${res.statusCode} ${res.body}`);
    const portal = await portalLoginAs(ctx.t, email, email, address());
    if (level === 'substantial') await ctx.t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', portal.csrf).execute();
    await ctx.as.rk1!.request({ method: 'GET', url: `/api/citizens/${c.id}` });
    const seq = await ctx.t.db.kysely.selectFrom('audit_log').select('seq').where('citizen_id', '=', c.id).where('actor_username', '=', 'rk1').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    return { id: c.id, portal, entryId: String(seq.seq) };
  }
  async function question(): Promise<string> {
    const c = await citizen();
    const res = await c.portal.request({ method: 'POST', url: `/api/portal/access-log/${c.entryId}/questions`, payload: {} });
    if (res.statusCode !== 201) throw new Error(`could not ask: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }
  return [
    // The portal session, begin, the page (every record's newest rows, organisations and questions) in one statement,
    // audit (one row per record), commit.
    {
      operation: 'GET /api/portal/access-log',
      user: null,
      variant: 'a session at level "substantial"',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const c = await citizen();
        return () => c.portal.request({ method: 'GET', url: '/api/portal/access-log' });
      },
    },
    // The portal session, begin, the entry as the log shows it, the question, audit, commit.
    {
      operation: 'POST /api/portal/access-log/{entryId}/questions',
      user: null,
      variant: 'a session at level "substantial"',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const c = await citizen();
        return () => c.portal.request({ method: 'POST', url: `/api/portal/access-log/${c.entryId}/questions`, payload: {} });
      },
    },
    // Session, begin, the queue with each question's audit row in one statement, audit (one row per question), commit.
    {
      operation: 'GET /api/lookup-questions',
      user: 'dpo',
      budget: 5,
      audit: 1,
      prepare: async () => {
        await question();
        return () => ctx.as.dpo!.request({ method: 'GET', url: '/api/lookup-questions' });
      },
    },
    // Session, begin, the question locked, the answer, audit, commit.
    {
      operation: 'POST /api/lookup-questions/{id}/answer',
      user: 'dpo',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const id = await question();
        return () => ctx.as.dpo!.request({ method: 'POST', url: `/api/lookup-questions/${id}/answer`, payload: { answer: 'Din ressourcekonsulent.' } });
      },
    },
    // Session, begin, the audit row, the deferral, audit, commit.
    {
      operation: 'POST /api/audit/{seq}/notice-deferral',
      user: 'dpo',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const c = await citizen();
        return () => ctx.as.dpo!.request({ method: 'POST', url: `/api/audit/${c.entryId}/notice-deferral`, payload: { ground: 'dbl_22', reason: 'Budget' } });
      },
    },
    // Session, begin, the deferral locked, lifted, audit, commit.
    {
      operation: 'POST /api/audit-notice-deferrals/{id}/lift',
      user: 'dpo',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const c = await citizen();
        const res = await ctx.as.dpo!.request({ method: 'POST', url: `/api/audit/${c.entryId}/notice-deferral`, payload: { ground: 'dbl_22', reason: 'Budget' } });
        if (res.statusCode !== 201) throw new Error(`could not defer: ${res.statusCode} ${res.body}`);
        const id = (res.json() as { id: string }).id;
        return () => ctx.as.dpo!.request({ method: 'POST', url: `/api/audit-notice-deferrals/${id}/lift` });
      },
    },
    // Session, begin, the organisation's deferrals (one indexed range), audit (one row per deferral), commit.
    {
      operation: 'GET /api/audit-notice-deferrals',
      user: 'dpo',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const c = await citizen();
        const res = await ctx.as.dpo!.request({ method: 'POST', url: `/api/audit/${c.entryId}/notice-deferral`, payload: { ground: 'dbl_22', reason: 'Budget', until: '2099-12-31' } });
        if (res.statusCode !== 201) throw new Error(`could not defer: ${res.statusCode} ${res.body}`);
        return () => ctx.as.dpo!.request({ method: 'GET', url: '/api/audit-notice-deferrals?limit=5' });
      },
    },
  ];
}
