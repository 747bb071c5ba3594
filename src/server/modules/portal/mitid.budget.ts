// Query budgets of the portal's MitID login (see src/server/query-budget.test.ts). The demo's test identity
// provider is started on loopback port 0 when the first case is prepared; the browser's part at the provider is not
// counted, only the app's request. The provider reads the person's CPR number through the same database connection
// when it issues the id token during the callback's code exchange: that statement is the provider's (a broker's
// would not be ours), and it is counted here because the connection is shared.
import { afterAll } from 'vitest';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { userId } from '../../demo/ids.ts';
import type { TestIdp } from './test-idp.ts';
import { attachTestIdp, pendingMitIdSettings, sendCallback, throughTestIdp } from './mitid.fixtures.ts';
import { invite, portalCitizen } from './portal.fixtures.ts';

const RK1 = userId(4);
/** Given to the budget table's testApp; filled in when the provider starts. */
export const budgetMitIdSettings = pendingMitIdSettings();

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let idp: Promise<TestIdp> | undefined;
  const provider = () => (idp ??= attachTestIdp(ctx.t, budgetMitIdSettings));
  afterAll(async () => {
    await (await idp)?.close();
  });
  let n = 0;
  async function invitedName(): Promise<string> {
    const lastName = `Budgetmitid${String.fromCharCode(97 + (++n % 26))}${n}`;
    const c = await portalCitizen(ctx.as.rk1!, RK1, { firstName: 'Bente', lastName, email: `budget.mitid.${n}@example.invalid` });
    const res = await invite(ctx.as.rk1!, c.id);
    if (res.statusCode !== 200) throw new Error(`could not invite: ${res.statusCode} ${res.body}`);
    return `Bente ${lastName}`;
  }
  return [
    // The login in flight kept (old ones removed in the same statement).
    {
      operation: 'GET /api/portal/login/mitid',
      user: null,
      budget: 1,
      audit: 0,
      status: 302,
      prepare: async () => {
        await provider();
        return () => ctx.t.app.inject({ method: 'GET', url: '/api/portal/login/mitid' });
      },
    },
    // The login in flight used up, the provider's read of the CPR number (see above), begin, the account by the
    // CPR hash with its records, the session, the account's login with its records, audit, commit.
    {
      operation: 'GET /api/portal/login/mitid/callback',
      variant: 'an invited person at level "substantial"',
      user: null,
      budget: 8,
      audit: 1,
      status: 302,
      location: '/portal',
      prepare: async () => {
        await provider();
        const flow = await throughTestIdp(ctx.t, { name: await invitedName() });
        return () => sendCallback(ctx.t, flow);
      },
    },
    // The login in flight used up, the provider's read (none: nobody to read), begin, no account, audit, commit.
    {
      operation: 'GET /api/portal/login/mitid/callback',
      variant: 'a person without a portal account',
      user: null,
      budget: 5,
      audit: 1,
      status: 302,
      location: '/portal?login=not_invited',
      prepare: async () => {
        await provider();
        const flow = await throughTestIdp(ctx.t, { name: null });
        return () => sendCallback(ctx.t, flow);
      },
    },
    // The login in flight used up (none: it was used), audit.
    {
      operation: 'GET /api/portal/login/mitid/callback',
      variant: 'a replayed callback',
      user: null,
      budget: 2,
      audit: 1,
      status: 302,
      location: '/portal?login=expired',
      prepare: async () => {
        await provider();
        const flow = await throughTestIdp(ctx.t, { name: null });
        await sendCallback(ctx.t, flow);
        return () => sendCallback(ctx.t, flow);
      },
    },
  ];
}
