// Query budgets of the portal's "Mine samtykker" (see src/server/query-budget.test.ts). Each case logs in a
// citizen of rk1's own (invited, a code login raised to "substantial" on the row) with a consent rk1 recorded: the
// municipal disclosure consent (fvl_28) from Næstved to Region Sjælland in "På vej til arbejde".
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';

const RK1 = userId(4);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let n = 0;
  const address = () => `203.0.113.${200 + (++n % 50)}`;
  async function citizenWithConsent(): Promise<{ session: PortalSession; consentId: string }> {
    const email = `budget.consents.${++n}@example.invalid`;
    const rk1 = ctx.as.rk1!;
    const c = await portalCitizen(rk1, RK1, { email });
    const invited = await invite(rk1, c.id);
    if (invited.statusCode !== 200) throw new Error(`could not invite: ${invited.statusCode} ${invited.body}`);
    const today = dateInCopenhagen();
    const recorded = await rk1.request({
      method: 'POST',
      url: `/api/citizens/${c.id}/consents`,
      payload: {
        givenOn: today,
        validFrom: today,
        validTo: addDays(today, 90),
        givenBy: 'citizen',
        givenHow: 'written',
        copyGiven: true,
        items: [{ instrument: 'fvl_28', categories: ['municipal_plan'], sourceOrganisationId: ORG.naestved, recipientOrganisationId: ORG.regionSjaelland, recipientRoles: ['clinician'], purpose: 'Budget', programmeId: PROGRAMME.paaVej }],
      },
    });
    if (recorded.statusCode !== 201) throw new Error(`could not record a consent: ${recorded.statusCode} ${recorded.body}`);
    const session = await portalLoginAs(ctx.t, email, email, address());
    await ctx.t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', session.csrf).execute();
    return { session, consentId: (recorded.json() as { ids: string[] }).ids[0]! };
  }
  return [
    // The portal session with its records, begin, the consents of the records (with organisations, programme and
    // form) in one statement, audit (one row per record), commit.
    {
      operation: 'GET /api/portal/consents',
      user: null,
      variant: 'a session at level "substantial" (set on the row: no login gives it yet)',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { session } = await citizenWithConsent();
        return () => session.request({ method: 'GET', url: '/api/portal/consents' });
      },
    },
    // The portal session, begin, the consent (with what the receipt shows), the withdrawal, the other
    // organisation's record of the person (the region: none here), the notices to both organisations in one insert,
    // audit, commit.
    {
      operation: 'POST /api/portal/consents/{id}/withdraw',
      user: null,
      variant: 'a session at level "substantial" (set on the row: no login gives it yet)',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const { session, consentId } = await citizenWithConsent();
        return () => session.request({ method: 'POST', url: `/api/portal/consents/${consentId}/withdraw` });
      },
    },
  ];
}
