// Query budgets of research-only questionnaires (see src/server/query-budget.test.ts): the study's programme manager
// adding them, and the citizen's portal "Forskning". Each portal case prepares a citizen of rk1's own (enrolled in
// "På vej til arbejde" in Næstved), invited and logged in, and uses one approved, running study with two research
// questionnaires (prepared once, not counted).
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { login, type Session } from '../../testing/harness.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from '../portal/portal.fixtures.ts';

const RK1 = userId(4);
const FORSKER = userId(12);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const sessions: Record<string, Session> = {};
  const as = async (user: string) => (sessions[user] ??= ctx.as[user] ?? (await login(ctx.t.app, user)));
  const today = dateInCopenhagen();
  const payload = {
    programmeId: PROGRAMME.paaVej,
    title: 'Budget: forskningsspørgeskema',
    partnerName: 'VIVE',
    partnerRole: 'controller',
    legalBasis: ['gdpr_6_1_e', 'dbl_10'],
    checklist: { thirdCountry: false, biologicalMaterial: false, journalPublication: false },
    purpose: 'Måling af arbejdsevne.',
    startsOn: addDays(today, -10),
    endsOn: addDays(today, 300),
    variables: ['enrolments.pseudonym'],
    datePrecision: 'month',
    dpiaReference: 'DPIA-B',
    organisationIds: [ORG.naestved],
  };
  async function study(): Promise<string> {
    const res = await (await as('projektleder')).request({ method: 'POST', url: '/api/studies', payload });
    if (res.statusCode !== 201) throw new Error(`could not record a study: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }
  let running: Promise<{ was: string; who5: string }> | undefined;
  /** One approved, running study with WAS and WHO-5 as research questionnaires. */
  const approved = () =>
    (running ??= (async () => {
      const pm = await as('projektleder');
      const id = await study();
      let last: { questionnaires: { id: string; instrumentCode: string }[] } | undefined;
      for (const code of ['was', 'who5']) last = (await pm.request({ method: 'POST', url: `/api/studies/${id}/questionnaires`, payload: { instrumentCode: code } })).json();
      await pm.request({ method: 'POST', url: `/api/studies/${id}/researchers`, payload: { userId: FORSKER } });
      await (await as('dpo')).request({ method: 'POST', url: `/api/studies/${id}/dpo-advice`, payload: { advice: 'Anbefales.' } });
      const res = await pm.request({ method: 'POST', url: `/api/studies/${id}/approve` });
      if (res.statusCode !== 200) throw new Error(`could not approve: ${res.statusCode} ${res.body}`);
      const q = Object.fromEntries(last!.questionnaires.map((x) => [x.instrumentCode, x.id]));
      return { was: q.was!, who5: q.who5! };
    })());
  let n = 0;
  async function citizen(assurance: 'low' | 'substantial' = 'substantial'): Promise<PortalSession> {
    const email = `budget.research.${++n}@example.invalid`;
    const rk1 = ctx.as.rk1!;
    const c = await portalCitizen(rk1, RK1, { email });
    const invited = await invite(rk1, c.id);
    if (invited.statusCode !== 200) throw new Error(`could not invite: ${invited.statusCode} ${invited.body}`);
    const s = await portalLoginAs(ctx.t, email, email, `203.0.113.${60 + n}`);
    if (assurance === 'substantial') await ctx.t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
    return s;
  }
  const answer = (s: PortalSession, id: string) => s.request({ method: 'POST', url: `/api/portal/research/${id}/answers`, payload: { answers: { was_score: 6 } } });

  return [
    // Session, begin, the study, the catalogue's instruments not on it, audit, commit.
    {
      operation: 'GET /api/studies/{id}/questionnaire-options',
      user: 'projektleder',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const [pm, id] = [await as('projektleder'), await study()];
        return () => pm.request({ method: 'GET', url: `/api/studies/${id}/questionnaire-options` });
      },
    },
    // Session, begin, the study, the instrument in the catalogue, the insert, audit, the study as read, commit.
    {
      operation: 'POST /api/studies/{id}/questionnaires',
      user: 'projektleder',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const [pm, id] = [await as('projektleder'), await study()];
        return () => pm.request({ method: 'POST', url: `/api/studies/${id}/questionnaires`, payload: { instrumentCode: 'was' } });
      },
    },
    // The portal session, begin, the questionnaires of my programme's running studies with my answers, audit, commit.
    {
      operation: 'GET /api/portal/research',
      user: null,
      variant: 'a citizen at level "substantial"',
      budget: 5,
      audit: 1,
      prepare: async () => {
        await approved();
        const s = await citizen();
        return () => s.request({ method: 'GET', url: '/api/portal/research' });
      },
    },
    // The portal session, the refusal's audit row.
    {
      operation: 'GET /api/portal/research',
      user: null,
      variant: 'a citizen at level "low" (403 assurance_too_low)',
      status: 403,
      budget: 2,
      audit: 1,
      prepare: async () => {
        const s = await citizen('low');
        return () => s.request({ method: 'GET', url: '/api/portal/research' });
      },
    },
    // The portal session, begin, the questionnaire as asked of me, the insert, audit, commit. No alert, no task, no pair.
    {
      operation: 'POST /api/portal/research/{id}/answers',
      user: null,
      variant: 'a citizen enrolled in the programme',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { was } = await approved();
        const s = await citizen();
        return () => answer(s, was);
      },
    },
    // The portal session, begin, not asked of me, the refusal's audit row, commit.
    {
      operation: 'POST /api/portal/research/{id}/answers',
      user: null,
      variant: 'a questionnaire not asked of me (404)',
      status: 404,
      budget: 5,
      audit: 1,
      prepare: async () => {
        const s = await citizen();
        const pm = await as('projektleder');
        const awaiting = await study();
        const res = await pm.request({ method: 'POST', url: `/api/studies/${awaiting}/questionnaires`, payload: { instrumentCode: 'was' } });
        const id = (res.json() as { questionnaires: { id: string }[] }).questionnaires[0]!.id;
        return () => answer(s, id);
      },
    },
    // The portal session, begin, the questionnaire as asked of me, the insert, audit, commit.
    {
      operation: 'POST /api/portal/research/{id}/decline',
      user: null,
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { who5 } = await approved();
        const s = await citizen();
        return () => s.request({ method: 'POST', url: `/api/portal/research/${who5}/decline` });
      },
    },
    // The portal session, begin, my answer (locked), the deletion, audit, commit.
    {
      operation: 'DELETE /api/portal/research/{id}/answers',
      user: null,
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { was } = await approved();
        const s = await citizen();
        const res = await answer(s, was);
        if (res.statusCode !== 201) throw new Error(`could not answer: ${res.statusCode} ${res.body}`);
        return () => s.request({ method: 'DELETE', url: `/api/portal/research/${was}/answers` });
      },
    },
  ];
}
