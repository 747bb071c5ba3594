// Query budgets of access requests (see src/server/query-budget.test.ts). Each case asks for access as a citizen of
// rk1's own (invited, a code login raised to "substantial" on the row), so the staff cases act on a fresh case of
// the "På vej til arbejde" team.
import type { NewAccessRequestAnswer } from '../../../contracts/access-requests.ts';
import { userId } from '../../demo/ids.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from '../portal/portal.fixtures.ts';
import { generatePackage } from './access-requests.service.ts';

const RK1 = userId(4);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let n = 0;
  const address = () => `203.0.113.${100 + (++n % 50)}`;
  async function citizen(): Promise<PortalSession> {
    const email = `budget.indsigt.${++n}@example.invalid`;
    const c = await portalCitizen(ctx.as.rk1!, RK1, { email });
    const invited = await invite(ctx.as.rk1!, c.id);
    if (invited.statusCode !== 200) throw new Error(`could not invite: ${invited.statusCode} ${invited.body}`);
    const session = await portalLoginAs(ctx.t, email, email, address());
    await ctx.t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', session.csrf).execute();
    return session;
  }
  async function caseOf(): Promise<{ session: PortalSession; caseId: string }> {
    const session = await citizen();
    const res = await session.request({ method: 'POST', url: '/api/portal/access-requests', payload: {} });
    if (res.statusCode !== 201) throw new Error(`could not ask for access: ${res.statusCode} ${res.body}`);
    return { session, caseId: (res.json() as NewAccessRequestAnswer).cases[0]!.id };
  }
  const versionOf = async (id: string) => (await ctx.t.db.kysely.selectFrom('access_requests').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
  const staff = (path: string, body: (version: number) => Record<string, unknown>, before?: (caseId: string) => Promise<void>) => async () => {
    const { caseId } = await caseOf();
    await before?.(caseId);
    const version = await versionOf(caseId);
    return () => ctx.as.rk1!.request({ method: 'POST', url: `/api/access-requests/${caseId}/${path}`, payload: body(version) });
  };
  const packaged = async (caseId: string) => {
    const version = await versionOf(caseId);
    await ctx.as.rk1!.request({ method: 'POST', url: `/api/access-requests/${caseId}/package`, payload: { version } });
    await generatePackage(ctx.t.db.kysely, { requestId: caseId });
  };
  const decided = async (caseId: string) => {
    await packaged(caseId);
    const version = await versionOf(caseId);
    await ctx.as.rk1!.request({ method: 'POST', url: `/api/access-requests/${caseId}/decision`, payload: { version, outcome: 'full', reasons: 'Fuld indsigt.', complaintGuidance: 'Klag til Datatilsynet.' } });
  };
  return [
    // The portal session, begin, one insert of the cases, the cases with their organisations, audit, commit.
    {
      operation: 'POST /api/portal/access-requests',
      user: null,
      variant: 'a session at level "substantial"',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const session = await citizen();
        return () => session.request({ method: 'POST', url: '/api/portal/access-requests', payload: { text: 'Alt' } });
      },
    },
    // The portal session, begin, the cases of the records, audit, commit.
    {
      operation: 'GET /api/portal/access-requests',
      user: null,
      variant: 'a session at level "substantial"',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { session } = await caseOf();
        return () => session.request({ method: 'GET', url: '/api/portal/access-requests' });
      },
    },
    // The portal session, begin, the case with its package, audit, commit.
    {
      operation: 'GET /api/portal/access-requests/{id}/package',
      user: null,
      variant: 'a released package',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { session, caseId } = await caseOf();
        await decided(caseId);
        await ctx.as.rk1!.request({ method: 'POST', url: `/api/access-requests/${caseId}/release`, payload: { version: await versionOf(caseId) } });
        return () => session.request({ method: 'GET', url: `/api/portal/access-requests/${caseId}/package` });
      },
    },
    // Session, begin, the queue page with each citizen's relations, audit (a row per case), commit.
    {
      operation: 'GET /api/access-requests',
      user: 'rk1',
      budget: 5,
      audit: 1,
      prepare: async () => {
        await caseOf();
        return () => ctx.as.rk1!.request({ method: 'GET', url: '/api/access-requests' });
      },
    },
    // Session, begin, the case with its relations, audit, the redaction candidates, commit.
    {
      operation: 'GET /api/access-requests/{id}',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { caseId } = await caseOf();
        return () => ctx.as.rk1!.request({ method: 'GET', url: `/api/access-requests/${caseId}` });
      },
    },
    // Session, begin, the case, the candidates (checked), the old package removed, the update, audit, the case again, the candidates, commit.
    { operation: 'POST /api/access-requests/{id}/redactions', user: 'rk1', budget: 10, audit: 1, prepare: staff('redactions', (version) => ({ version, redact: [], withheld: [] })) },
    // Session, begin, the case, the job, the update, audit, the case again, the candidates, commit.
    { operation: 'POST /api/access-requests/{id}/package', user: 'rk1', budget: 9, audit: 1, prepare: staff('package', (version) => ({ version })) },
    // Session, begin, the case, the update, audit, the case again, the candidates, commit.
    {
      operation: 'POST /api/access-requests/{id}/extension',
      user: 'rk1',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const { caseId } = await caseOf();
        const row = await ctx.t.db.kysely.selectFrom('access_requests').select(['version', 'first_deadline']).where('id', '=', caseId).executeTakeFirstOrThrow();
        const extendTo = new Date(`${row.first_deadline}T00:00:00Z`);
        extendTo.setUTCDate(extendTo.getUTCDate() + 20);
        return () => ctx.as.rk1!.request({ method: 'POST', url: `/api/access-requests/${caseId}/extension`, payload: { version: row.version, extendTo: extendTo.toISOString().slice(0, 10), reason: 'Mange oplysninger' } });
      },
    },
    {
      operation: 'POST /api/access-requests/{id}/interim-notice',
      user: 'rk1',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const { caseId } = await caseOf();
        const row = await ctx.t.db.kysely.selectFrom('access_requests').select(['version', 'deadline']).where('id', '=', caseId).executeTakeFirstOrThrow();
        return () => ctx.as.rk1!.request({ method: 'POST', url: `/api/access-requests/${caseId}/interim-notice`, payload: { version: row.version, reason: 'Vi samler oplysninger.', expectedOn: row.deadline } });
      },
    },
    {
      operation: 'POST /api/access-requests/{id}/decision',
      user: 'rk1',
      budget: 8,
      audit: 1,
      prepare: staff('decision', (version) => ({ version, outcome: 'full', reasons: 'Fuld indsigt.', complaintGuidance: 'Klag til Datatilsynet.' }), packaged),
    },
    { operation: 'POST /api/access-requests/{id}/release', user: 'rk1', budget: 8, audit: 1, prepare: staff('release', (version) => ({ version }), decided) },
    // Session, begin, the case (with its free-text hits), the update, audit, the case again, the candidates, commit.
    { operation: 'POST /api/access-requests/{id}/text-hits', user: 'rk1', budget: 8, audit: 1, prepare: staff('text-hits', (version) => ({ version, resolutions: [] }), packaged) },
    // Session, begin, the case (advice included), the advice, audit, the case again, the candidates, commit.
    {
      operation: 'POST /api/access-requests/{id}/advice',
      user: 'dpo',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const { caseId } = await caseOf();
        return () => ctx.as.dpo!.request({ method: 'POST', url: `/api/access-requests/${caseId}/advice`, payload: { text: 'Overvej at udelade navnet på mødedeltageren.' } });
      },
    },
  ];
}
