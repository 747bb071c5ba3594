// Query budgets of the citizen portal's routes and of the staff side of it (see src/server/query-budget.test.ts).
// Portal requests are sent with the portal cookie of a session logged in while preparing (not counted), each
// case from an address of its own so that the per-address throttles of one case never reach another.
import { userId } from '../../demo/ids.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { invite, portalCitizen, portalLoginAs, requestCode, lastMessageTo, codeIn, portalLogin, type PortalSession } from './portal.fixtures.ts';

const RK1 = userId(4);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let n = 0;
  const address = () => `203.0.113.${++n}`;
  /** A citizen of rk1's own with an e-mail address of its own, invited. */
  async function invited(): Promise<{ id: string; email: string }> {
    const email = `budget.portal.${++n}@example.invalid`;
    const c = await portalCitizen(ctx.as.rk1!, RK1, { email });
    const res = await invite(ctx.as.rk1!, c.id);
    if (res.statusCode !== 200) throw new Error(`could not invite: ${res.statusCode} ${res.body}`);
    return { id: c.id, email };
  }
  async function session(): Promise<PortalSession> {
    const c = await invited();
    return portalLoginAs(ctx.t, c.email, c.email, address());
  }
  return [
    // Session, begin, the record with its relations, the record with its contact and status, the account, the link,
    // audit, the outbox (demo), commit.
    {
      operation: 'POST /api/citizens/{id}/portal-invitation',
      user: 'rk1',
      budget: 9,
      audit: 1,
      prepare: async () => {
        const c = await portalCitizen(ctx.as.rk1!, RK1, { email: `budget.invite.${++n}@example.invalid` });
        return () => invite(ctx.as.rk1!, c.id);
      },
    },
    // Session, begin, the record with its relations, the record with its contact and status, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/portal-invitation',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const c = await invited();
        return () => ctx.as.rk1!.request({ method: 'GET', url: `/api/citizens/${c.id}/portal-invitation` });
      },
    },
    // The address throttle, begin, its count, the invited records with this contact, the recent codes, the code,
    // audit, the outbox (demo), commit.
    {
      operation: 'POST /api/portal/login/code',
      variant: 'a known contact',
      user: null,
      budget: 9,
      audit: 1,
      prepare: async () => {
        const c = await invited();
        const from = address();
        return () => requestCode(ctx.t, c.email, from);
      },
    },
    // The address throttle, begin, its count, the (no) invited records, audit, commit.
    {
      operation: 'POST /api/portal/login/code',
      variant: 'an unknown contact',
      user: null,
      budget: 6,
      audit: 1,
      prepare: async () => {
        const from = address();
        return () => requestCode(ctx.t, `budget.nobody.${++n}@example.invalid`, from);
      },
    },
    // The address throttle, begin, the latest code, the invited records with this contact, the code used, the
    // session, the account's login with its records, audit, commit.
    {
      operation: 'POST /api/portal/login',
      user: null,
      budget: 9,
      audit: 1,
      prepare: async () => {
        const c = await invited();
        const from = address();
        await requestCode(ctx.t, c.email, from);
        const code = codeIn((await lastMessageTo(ctx.t, c.email))!.body);
        return () => portalLogin(ctx.t, { contact: c.email, code }, from);
      },
    },
    // The portal session with its records.
    {
      operation: 'GET /api/portal/session',
      user: null,
      variant: 'a citizen logged in with a code',
      budget: 1,
      audit: 0,
      prepare: async () => {
        const s = await session();
        return () => s.request({ method: 'GET', url: '/api/portal/session' });
      },
    },
    // The portal session, begin, the session deleted, audit, commit.
    {
      operation: 'POST /api/portal/logout',
      user: null,
      variant: 'a citizen logged in with a code',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const s = await session();
        return () => s.request({ method: 'POST', url: '/api/portal/logout' });
      },
    },
    // The portal session, begin, the next appointment and a waiting questionnaire in one statement, audit, commit.
    {
      operation: 'GET /api/portal/summary',
      user: null,
      variant: 'a citizen logged in with a code',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const s = await session();
        return () => s.request({ method: 'GET', url: '/api/portal/summary' });
      },
    },
    // The portal session, begin, the plans with goals and tasks in one statement, audit, commit.
    {
      operation: 'GET /api/portal/plan',
      user: null,
      variant: 'a session at level "substantial" (set on the row: no login gives it yet)',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const s = await session();
        await ctx.t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
        return () => s.request({ method: 'GET', url: '/api/portal/plan' });
      },
    },
  ];
}
