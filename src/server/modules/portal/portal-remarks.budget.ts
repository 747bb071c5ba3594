// Query budgets of the portal's "Mine bemærkninger", the consent staff prepare for the citizen to confirm, and the
// withdrawal request (see src/server/query-budget.test.ts; decision record 0036). Each case logs in a citizen of
// rk1's own (invited; a code login, raised to "substantial" on the row where the route needs it).
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';

const RK1 = userId(4);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let n = 0;
  const address = () => `203.0.113.${100 + (++n % 50)}`;
  async function citizenWithNote(level: 'low' | 'substantial' = 'substantial'): Promise<{ session: PortalSession; citizenId: string; noteId: string }> {
    const email = `budget.remarks.${++n}@example.invalid`;
    const rk1 = ctx.as.rk1!;
    const c = await portalCitizen(rk1, RK1, { email });
    const invited = await invite(rk1, c.id);
    if (invited.statusCode !== 200) throw new Error(`could not invite: ${invited.statusCode} ${invited.body}`);
    await ctx.t.db.owner.updateTable('programmes').set({ show_notes_to_citizen: true }).where('id', '=', PROGRAMME.paaVej).execute();
    const note = await rk1.request({ method: 'POST', url: `/api/citizens/${c.id}/notes`, payload: { kind: 'journal', body: 'Et notat til budgettet.' } });
    if (note.statusCode !== 201) throw new Error(`could not write a note: ${note.statusCode} ${note.body}`);
    const session = await portalLoginAs(ctx.t, email, email, address());
    if (level === 'substantial') {
      await ctx.t.db.owner
        .updateTable('portal_sessions')
        .set({ assurance: 'substantial', login_method: 'mitid', mitid_sid: 'budget-sid', mitid_transaction_id: `budget-tx-${n}`, mitid_auth_time: new Date() })
        .where('csrf_token', '=', session.csrf)
        .execute();
    }
    return { session, citizenId: c.id, noteId: (note.json() as { id: string }).id };
  }
  async function prepared(): Promise<{ session: PortalSession; citizenId: string; preparationId: string }> {
    const { session, citizenId } = await citizenWithNote();
    const today = dateInCopenhagen();
    const res = await ctx.as.rk1!.request({ method: 'POST', url: `/api/citizens/${citizenId}/consent-preparations`, payload: preparation(today) });
    if (res.statusCode !== 201) throw new Error(`could not prepare a consent: ${res.statusCode} ${res.body}`);
    return { session, citizenId, preparationId: (res.json() as { id: string }).id };
  }
  const preparation = (today: string) => ({
    validFrom: today,
    validTo: addDays(today, 90),
    items: [{ instrument: 'fvl_28', categories: ['municipal_plan'], sourceOrganisationId: ORG.naestved, recipientOrganisationId: ORG.regionSjaelland, recipientRoles: ['clinician'], purpose: 'Budget', programmeId: PROGRAMME.paaVej }],
  });
  async function requested(withConsent: boolean): Promise<{ requestId: string; citizenId: string }> {
    const { session, citizenId, preparationId } = await prepared();
    if (withConsent) {
      const confirmed = await session.request({ method: 'POST', url: `/api/portal/consent-preparations/${preparationId}/confirm` });
      if (confirmed.statusCode !== 200) throw new Error(`could not confirm: ${confirmed.statusCode} ${confirmed.body}`);
    }
    const sent = await session.request({ method: 'POST', url: '/api/portal/withdrawal-requests', payload: { message: 'Stop' } });
    if (sent.statusCode !== 201) throw new Error(`could not send a request: ${sent.statusCode} ${sent.body}`);
    const row = await ctx.t.db.owner.selectFrom('consent_withdrawal_requests').select('id').where('citizen_id', '=', citizenId).executeTakeFirstOrThrow();
    return { requestId: row.id, citizenId };
  }
  return [
    // Staff: the session, begin, the record with its relations, the awaiting count, the sitting's facts, the preparation, audit, commit.
    {
      operation: 'POST /api/citizens/{id}/consent-preparations',
      user: 'rk1',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const { citizenId } = await citizenWithNote();
        return () => ctx.as.rk1!.request({ method: 'POST', url: `/api/citizens/${citizenId}/consent-preparations`, payload: preparation(dateInCopenhagen()) });
      },
    },
    // Staff: the session, begin, the record, the awaiting preparations, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/consent-preparations',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { citizenId } = await prepared();
        return () => ctx.as.rk1!.request({ method: 'GET', url: `/api/citizens/${citizenId}/consent-preparations` });
      },
    },
    // Staff: the session, begin, the preparation (locked), the record, the cancellation, audit, commit.
    {
      operation: 'POST /api/consent-preparations/{id}/cancel',
      user: 'rk1',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const { preparationId } = await prepared();
        return () => ctx.as.rk1!.request({ method: 'POST', url: `/api/consent-preparations/${preparationId}/cancel` });
      },
    },
    // The portal session, begin, the awaiting preparations with what they cover in one statement, audit, commit.
    {
      operation: 'GET /api/portal/consent-preparations',
      user: null,
      variant: 'a MitID session',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { session } = await prepared();
        return () => session.request({ method: 'GET', url: '/api/portal/consent-preparations' });
      },
    },
    // The portal session, begin, the preparation (mine, locked), the consents, the region's journal task (none
    // for fvl_28), the preparation marked confirmed, audit, commit.
    {
      operation: 'POST /api/portal/consent-preparations/{id}/confirm',
      user: null,
      variant: 'a MitID session',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const { session, preparationId } = await prepared();
        return () => session.request({ method: 'POST', url: `/api/portal/consent-preparations/${preparationId}/confirm` });
      },
    },
    // The portal session, begin, the requests (one per record) with their timeline events in one statement, audit, commit.
    {
      operation: 'POST /api/portal/withdrawal-requests',
      user: null,
      variant: 'a code login (level "low")',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { session } = await citizenWithNote('low');
        return () => session.request({ method: 'POST', url: '/api/portal/withdrawal-requests', payload: { message: 'Jeg vil trække mit samtykke tilbage.' } });
      },
    },
    // Staff: the session, begin, the record, the requests, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/withdrawal-requests',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { citizenId } = await requested(false);
        return () => ctx.as.rk1!.request({ method: 'GET', url: `/api/citizens/${citizenId}/withdrawal-requests` });
      },
    },
    // Staff: the session, begin, the request (locked), the record, the standing consents (locked), the withdrawal,
    // the other organisation's record, the notice task, the request marked handled, audit (request and consent in
    // one insert), commit.
    {
      operation: 'POST /api/withdrawal-requests/{id}/handle',
      user: 'rk1',
      variant: 'withdraw the one standing consent',
      budget: 11,
      audit: 1,
      prepare: async () => {
        const { requestId } = await requested(true);
        return () => ctx.as.rk1!.request({ method: 'POST', url: `/api/withdrawal-requests/${requestId}/handle`, payload: { outcome: 'withdraw' } });
      },
    },
    // The portal session, begin, the shown notes with their current text and remarks in one statement, audit, commit.
    {
      operation: 'GET /api/portal/notes',
      user: null,
      variant: 'a session at level "substantial"',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { session } = await citizenWithNote();
        return () => session.request({ method: 'GET', url: '/api/portal/notes' });
      },
    },
    // The portal session, begin, the note (shown, mine, locked) with the remark and its timeline event in one statement, audit, commit.
    {
      operation: 'POST /api/portal/notes/{id}/remarks',
      user: null,
      variant: 'a session at level "substantial"',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { session, noteId } = await citizenWithNote();
        return () => session.request({ method: 'POST', url: `/api/portal/notes/${noteId}/remarks`, payload: { body: 'Min bemærkning.' } });
      },
    },
  ];
}
