// Query budgets of the liaison's company meetings (see src/server/query-budget.test.ts).
import { PROGRAMME } from '../../demo/ids.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { login, type Session } from '../../testing/harness.ts';
import { insertConsent, insertPair } from '../disclosures/test-support.ts';

const CVR = '13703701';

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let liaisonSession: Session | undefined;
  const liaison = async () => (liaisonSession ??= await login(ctx.t.app, 'liaison'));
  const today = dateInCopenhagen();
  const meetingPayload = { programmeId: PROGRAMME.fremskudt, companyCvr: CVR, companyName: 'Budget Værksted ApS', heldOn: today, attendees: 'Liaison, leder', purpose: 'Budget' };
  async function meeting() {
    const res = await (await liaison()).request({ method: 'POST', url: '/api/liaison/company-meetings', payload: meetingPayload });
    if (res.statusCode !== 201) throw new Error(`could not record a meeting: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }
  /** A patient of the liaison's, with an sdl_43 consent naming the meeting's company. */
  async function patient() {
    const pair = await insertPair(ctx.t.db.owner);
    const id = await insertConsent(ctx.t.db.owner, pair);
    await ctx.t.db.owner.updateTable('consents').set({ recipient_organisation_id: null, recipient_company_cvr: CVR, recipient_company_name: 'Budget Værksted ApS', recipient_roles: ['company'] }).where('id', '=', id).execute();
    return pair.regionId;
  }
  const send = (method: 'GET' | 'POST', url: () => Promise<string>, payload?: () => Promise<Record<string, unknown>>) => async () => {
    const s = await liaison();
    const [u, p] = [await url(), payload ? await payload() : undefined];
    return () => s.request({ method, url: u, ...(p ? { payload: p } : {}) });
  };

  return [
    // Session, begin, the insert (with the check that the caller's region is in the programme), audit, the row as read, commit.
    { operation: 'POST /api/liaison/company-meetings', user: 'liaison', budget: 6, audit: 1, prepare: send('POST', async () => '/api/liaison/company-meetings', async () => meetingPayload) },
    // Session, begin, one page, audit, commit.
    { operation: 'GET /api/liaison/company-meetings', user: 'liaison', budget: 5, audit: 1, prepare: send('GET', async () => '/api/liaison/company-meetings') },
    // Session, begin, the meeting, its items, audit, commit.
    { operation: 'GET /api/liaison/company-meetings/{id}', user: 'liaison', budget: 6, audit: 1, prepare: send('GET', async () => `/api/liaison/company-meetings/${await meeting()}`) },
    // Session, begin, the meeting, the patients, audit, commit.
    { operation: 'GET /api/liaison/company-meetings/{id}/patients', user: 'liaison', budget: 6, audit: 1, prepare: send('GET', async () => `/api/liaison/company-meetings/${await meeting()}/patients`) },
    // Session, begin, the meeting, the patient's record, the person's consents (one indexed query), the item, the journal task, audit, commit.
    {
      operation: 'POST /api/liaison/company-meetings/{id}/items',
      user: 'liaison',
      budget: 9,
      audit: 1,
      prepare: async () => {
        const [id, citizenId] = [await meeting(), await patient()];
        return send('POST', async () => `/api/liaison/company-meetings/${id}/items`, async () => ({ citizenId, categories: ['work_considerations'], told: 'Korte pauser.' }))();
      },
    },
    // Session, begin, the patient's record, one page, audit, commit.
    { operation: 'GET /api/citizens/{id}/company-disclosures', user: 'liaison', budget: 6, audit: 1, prepare: send('GET', async () => `/api/citizens/${await patient()}/company-disclosures`) },
  ];
}
