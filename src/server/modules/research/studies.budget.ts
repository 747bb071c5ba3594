// Query budgets of studies and the research codebook (see src/server/query-budget.test.ts).
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { login, type Session } from '../../testing/harness.ts';

const FORSKER = userId(12);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const sessions: Record<string, Session> = {};
  const as = async (user: string) => (sessions[user] ??= ctx.as[user] ?? (await login(ctx.t.app, user)));
  const payload = {
    programmeId: PROGRAMME.paaVej,
    title: 'Budgetundersøgelse',
    partnerName: 'VIVE',
    partnerRole: 'controller',
    legalBasis: ['gdpr_6_1_e'],
    checklist: { thirdCountry: false, biologicalMaterial: false, journalPublication: false },
    purpose: 'Måling af effekt.',
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    variables: ['enrolments.pseudonym', 'status_weeks.benefit'],
    datePrecision: 'month',
    dpiaReference: 'DPIA-B',
    organisationIds: [ORG.naestved],
  };
  /** An approved study past its end date, awaiting the partner's confirmation. */
  async function endedStudy() {
    const id = await study({ researcher: true, advice: true });
    const res = await (await as('projektleder')).request({ method: 'POST', url: `/api/studies/${id}/approve` });
    if (res.statusCode !== 200) throw new Error(`could not approve the study: ${res.statusCode} ${res.body}`);
    await ctx.t.db.owner.updateTable('studies').set({ starts_on: '2025-01-01', ends_on: '2025-12-31' }).where('id', '=', id).execute();
    return id;
  }
  async function study(steps: { researcher?: boolean; advice?: boolean } = {}) {
    const pm = await as('projektleder');
    const res = await pm.request({ method: 'POST', url: '/api/studies', payload });
    if (res.statusCode !== 201) throw new Error(`could not record a study: ${res.statusCode} ${res.body}`);
    const id = (res.json() as { id: string }).id;
    if (steps.researcher) await pm.request({ method: 'POST', url: `/api/studies/${id}/researchers`, payload: { userId: FORSKER } });
    if (steps.advice) await (await as('dpo')).request({ method: 'POST', url: `/api/studies/${id}/dpo-advice`, payload: { advice: 'Anbefales.' } });
    return id;
  }
  const send = (user: string, method: 'GET' | 'POST', url: () => Promise<string>, body?: Record<string, unknown>) => async () => {
    const [s, u] = [await as(user), await url()];
    return () => s.request({ method, url: u, ...(body === undefined ? {} : { payload: body }) });
  };

  return [
    // Session, the national code lists (no personal data: not audited).
    { operation: 'GET /api/research/codebook', user: 'forsker', budget: 2, audit: 0, prepare: send('forsker', 'GET', async () => '/api/research/codebook') },
    // Session, begin, the included organisations with the programme, the study, its organisations, audit, the study as read, commit.
    { operation: 'POST /api/studies', user: 'projektleder', budget: 8, audit: 1, prepare: send('projektleder', 'POST', async () => '/api/studies', payload) },
    // Session, begin, one page, audit, commit.
    { operation: 'GET /api/studies', user: 'forsker', budget: 5, audit: 1, prepare: send('forsker', 'GET', async () => '/api/studies') },
    // Session, begin, the study with its organisations and researchers, audit, commit.
    { operation: 'GET /api/studies/{id}', user: 'forsker', budget: 5, audit: 1, prepare: send('forsker', 'GET', async () => `/api/studies/${await study({ researcher: true })}`) },
    // Session, begin, the study, the researchers to choose from, audit, commit.
    { operation: 'GET /api/studies/{id}/researcher-options', user: 'projektleder', budget: 6, audit: 1, prepare: send('projektleder', 'GET', async () => `/api/studies/${await study()}/researcher-options`) },
    // Session, begin, the study, the researcher's role, the insert, audit, the study as read, commit.
    { operation: 'POST /api/studies/{id}/researchers', user: 'projektleder', budget: 8, audit: 1, prepare: send('projektleder', 'POST', async () => `/api/studies/${await study()}/researchers`, { userId: FORSKER }) },
    // Session, begin, the study, the advice, audit, the study as read, commit.
    { operation: 'POST /api/studies/{id}/dpo-advice', user: 'dpo', budget: 7, audit: 1, prepare: send('dpo', 'POST', async () => `/api/studies/${await study()}/dpo-advice`, { advice: 'Anbefales.' }) },
    // Session, begin, the study, the organisation's approval, the study's status, audit, the study as read, commit.
    // Session, begin, the study, the confirmation, audit, the study as read, commit.
    {
      operation: 'POST /api/studies/{id}/end-confirmation',
      user: 'projektleder',
      budget: 7,
      audit: 1,
      prepare: send('projektleder', 'POST', async () => `/api/studies/${await endedStudy()}/end-confirmation`, { kind: 'archived', archiveReference: 'RUC arkiv 2026/17' }),
    },
    { operation: 'POST /api/studies/{id}/approve', user: 'projektleder', budget: 8, audit: 1, prepare: send('projektleder', 'POST', async () => `/api/studies/${await study({ researcher: true, advice: true })}/approve`) },
  ];
}
