// Query budgets of the consent, crossing-task and shared-access routes (see src/server/query-budget.test.ts).
import { ORG, PROGRAMME } from '../../demo/ids.ts';
import { regionCitizenId } from '../../demo/demo-crossing.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, type Session } from '../../testing/harness.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const today = dateInCopenhagen();
  const sessions: Record<string, Session> = {};
  const as = async (username: string) => (sessions[username] ??= await login(ctx.t.app, username));
  /** The region's record of the first Nordfyn patient (the demo gives it no consents) and the municipality's. */
  const regionId = regionCitizenId(1);
  async function municipalTwin(): Promise<string> {
    const region = await ctx.t.db.kysely.selectFrom('citizens').select('cpr_hash').where('id', '=', regionId).executeTakeFirstOrThrow();
    const twin = await ctx.t.db.kysely.selectFrom('citizens').select('id').where('cpr_hash', '=', region.cpr_hash).where('organisation_id', '=', ORG.nordfyn).executeTakeFirstOrThrow();
    return twin.id;
  }
  const pair = {
    givenOn: today,
    validFrom: today,
    validTo: addDays(today, 20),
    givenBy: 'citizen',
    givenHow: 'written',
    copyGiven: true,
    items: [
      { instrument: 'sdl_43', categories: ['work_considerations'], sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], purpose: 'Budget', programmeId: PROGRAMME.fremskudt },
      { instrument: 'rsl_11a', categories: ['work_considerations'], sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], purpose: 'Budget', programmeId: PROGRAMME.fremskudt, caseReference: 'Sag 1' },
    ],
  };
  const sharedAll = {
    ...pair,
    items: [{ instrument: 'fvl_28', categories: ['municipal_plan', 'activities', 'notes'], sourceOrganisationId: ORG.nordfyn, recipientOrganisationId: ORG.paOdense, recipientRoles: ['liaison'], purpose: 'Budget', programmeId: PROGRAMME.fremskudt }],
  };
  async function recordPair(): Promise<string[]> {
    const res = await (await as('liaison')).request({ method: 'POST', url: `/api/citizens/${regionId}/consents`, payload: pair });
    if (res.statusCode !== 201) throw new Error(`could not record consents: ${res.statusCode} ${res.body}`);
    return (res.json() as { ids: string[] }).ids;
  }
  return [
    // Session, begin, the record with its relations and hash, the sitting's programme, forms and organisations in one
    // statement, the consents, the journal task, audit (one statement for both), commit.
    {
      operation: 'POST /api/citizens/{id}/consents',
      variant: 'the combined pair sdl_43 + rsl_11a',
      user: 'liaison',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const s = await as('liaison');
        return () => s.request({ method: 'POST', url: `/api/citizens/${regionId}/consents`, payload: pair });
      },
    },
    // Session, begin, the record, the consents with forms and names in one statement, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/consents',
      user: 'liaison',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const s = await as('liaison');
        return () => s.request({ method: 'GET', url: `/api/citizens/${regionId}/consents` });
      },
    },
    // Session, begin, the consent, the caller's record, the withdrawal, the other controller's record, the journal
    // task and the notice in one insert, audit, commit.
    {
      operation: 'POST /api/consents/{id}/withdraw',
      user: 'liaison',
      budget: 9,
      audit: 1,
      prepare: async () => {
        const [sdl] = await recordPair();
        const s = await as('liaison');
        return () => s.request({ method: 'POST', url: `/api/consents/${sdl}/withdraw`, payload: { withdrawnOn: today, how: 'written' } });
      },
    },
    // Session, begin, the current forms, commit (not personal data: no audit row).
    {
      operation: 'GET /api/consent-forms',
      user: 'liaison',
      budget: 4,
      audit: 0,
      prepare: async () => {
        const s = await as('liaison');
        return () => s.request({ method: 'GET', url: '/api/consent-forms' });
      },
    },
    // Session, begin, the expiring consents of the people the caller reaches, audit, commit.
    {
      operation: 'GET /api/consents/expiring',
      user: 'liaison',
      budget: 5,
      audit: 1,
      prepare: async () => {
        await recordPair();
        const s = await as('liaison');
        return () => s.request({ method: 'GET', url: '/api/consents/expiring' });
      },
    },
    {
      operation: 'GET /api/crossing-tasks',
      user: 'liaison',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const s = await as('liaison');
        return () => s.request({ method: 'GET', url: '/api/crossing-tasks' });
      },
    },
    // Session, begin, the task, the record it is about, the update, audit, commit.
    {
      operation: 'POST /api/crossing-tasks/{id}/done',
      user: 'liaison',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const [sdl] = await recordPair();
        const task = await ctx.t.db.kysely.selectFrom('crossing_tasks').select('id').where('consent_id', '=', sdl!).executeTakeFirstOrThrow();
        const s = await as('liaison');
        return () => s.request({ method: 'POST', url: `/api/crossing-tasks/${task.id}/done` });
      },
    },
    // Session, begin, the region's record, the person's consents (the one consent query), the municipal records
    // they point to with their relations, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/municipal-records',
      user: 'liaison',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const s = await as('liaison');
        const res = await s.request({ method: 'POST', url: `/api/citizens/${regionId}/consents`, payload: sharedAll });
        if (res.statusCode !== 201) throw new Error(`could not record fvl_28: ${res.statusCode} ${res.body}`);
        return () => s.request({ method: 'GET', url: `/api/citizens/${regionId}/municipal-records` });
      },
    },
    // Session, begin, the municipal record, the person's consents (the one consent query, decided in the chokepoint
    // per section), the plan, conversations, meetings, internships, notes and their text, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/shared-record',
      user: 'liaison',
      budget: 12,
      audit: 1,
      prepare: async () => {
        const s = await as('liaison');
        const res = await s.request({ method: 'POST', url: `/api/citizens/${regionId}/consents`, payload: sharedAll });
        if (res.statusCode !== 201) throw new Error(`could not record fvl_28: ${res.statusCode} ${res.body}`);
        const municipalId = await municipalTwin();
        return () => s.request({ method: 'GET', url: `/api/citizens/${municipalId}/shared-record` });
      },
    },
  ];
}
