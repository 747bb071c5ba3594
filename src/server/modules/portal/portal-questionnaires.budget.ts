// Query budgets of the portal's Spørgeskemaer (see src/server/query-budget.test.ts). Each case prepares a citizen of
// rk1's own, invited and logged in (at level "substantial" set on the session row, or "low" as the code login
// gives), with a due WHO-5 opened as the scheduled job opens it (not counted).
import { userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';

const RK1 = userId(4);
const WHO5_GOOD = { who5_cheerful: 3, who5_calm: 3, who5_active: 3, who5_rested: 3, who5_interest: 3 };

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  let n = 0;
  async function citizen(assurance: 'low' | 'substantial'): Promise<{ s: PortalSession; taskId: string }> {
    const email = `budget.questionnaires.${++n}@example.invalid`;
    const rk1 = ctx.as.rk1!;
    const c = await portalCitizen(rk1, RK1, { email });
    const invited = await invite(rk1, c.id);
    if (invited.statusCode !== 200) throw new Error(`could not invite: ${invited.statusCode} ${invited.body}`);
    const e = await ctx.t.db.kysely.selectFrom('enrolments').select(['id', 'organisation_id', 'programme_id']).where('citizen_id', '=', c.id).executeTakeFirstOrThrow();
    const today = dateInCopenhagen();
    const task = await ctx.t.db.kysely
      .insertInto('staff_tasks')
      .values({ organisation_id: e.organisation_id, citizen_id: c.id, enrolment_id: e.id, programme_id: e.programme_id, kind: 'measurement_due', rule: 'due:who5', instrument_code: 'who5', text_da: 'WHO-5', text_en: 'WHO-5', due_date: today, window_end: addDays(today, 14), status: 'open' } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const s = await portalLoginAs(ctx.t, email, email, `203.0.113.${150 + n}`);
    if (assurance === 'substantial') await ctx.t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
    return { s, taskId: task.id };
  }
  const answer = (s: PortalSession, taskId: string) => s.request({ method: 'POST', url: `/api/portal/questionnaires/${taskId}/answers`, payload: { instrumentVersion: 1, answers: WHO5_GOOD } });
  return [
    // The portal session, begin, the due questionnaires with their active instrument in one statement, audit, commit.
    {
      operation: 'GET /api/portal/questionnaires',
      user: null,
      variant: 'a citizen at level "low"',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { s } = await citizen('low');
        return () => s.request({ method: 'GET', url: '/api/portal/questionnaires' });
      },
    },
    // The portal session, begin, the due task in my records (locked), the instrument, then the staff path: lock the
    // enrolment, earlier answers, insert, the previous value, close the due task, the pair (read, upsert); audit, commit.
    {
      operation: 'POST /api/portal/questionnaires/{id}/answers',
      user: null,
      variant: 'a citizen at level "low", no alert fires',
      budget: 13,
      audit: 1,
      prepare: async () => {
        const { s, taskId } = await citizen('low');
        return () => answer(s, taskId);
      },
    },
    // The portal session, begin, no such task in my records, the refusal's audit row, commit.
    {
      operation: 'POST /api/portal/questionnaires/{id}/answers',
      user: null,
      variant: "another citizen's questionnaire (404)",
      status: 404,
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { s } = await citizen('substantial');
        const { taskId } = await citizen('low');
        return () => answer(s, taskId);
      },
    },
    // The portal session, begin, my latest answers per instrument in one statement, audit, commit.
    {
      operation: 'GET /api/portal/questionnaires/progression',
      user: null,
      variant: 'a citizen at level "substantial" with an answer',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { s, taskId } = await citizen('substantial');
        const res = await answer(s, taskId);
        if (res.statusCode !== 201) throw new Error(`could not answer: ${res.statusCode} ${res.body}`);
        return () => s.request({ method: 'GET', url: '/api/portal/questionnaires/progression' });
      },
    },
    // The portal session, the refusal's audit row (no transaction: nothing else is read).
    {
      operation: 'GET /api/portal/questionnaires/progression',
      user: null,
      variant: 'a citizen at level "low" (403 assurance_too_low)',
      status: 403,
      budget: 2,
      audit: 1,
      prepare: async () => {
        const { s } = await citizen('low');
        return () => s.request({ method: 'GET', url: '/api/portal/questionnaires/progression' });
      },
    },
    // The portal session, begin, a page of my answers, audit, commit.
    {
      operation: 'GET /api/portal/questionnaires/history',
      user: null,
      variant: 'a citizen at level "substantial" with an answer',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const { s, taskId } = await citizen('substantial');
        const res = await answer(s, taskId);
        if (res.statusCode !== 201) throw new Error(`could not answer: ${res.statusCode} ${res.body}`);
        return () => s.request({ method: 'GET', url: '/api/portal/questionnaires/history' });
      },
    },
  ];
}
