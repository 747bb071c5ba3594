// Query budgets of this module's routes (see src/server/query-budget.test.ts).
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';

const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2];
let cvrBase = 4_210_000;

/** A fresh valid CVR number: a seven-digit base and the check digit that makes the weighted sum divisible by 11. */
function nextCvr(): string {
  for (;;) {
    const base = String(cvrBase++);
    const sum = [...base].reduce((s, c, i) => s + Number(c) * CVR_WEIGHTS[i]!, 0);
    const digit = (11 - (sum % 11)) % 11;
    if (digit < 10) return `${base}${digit}`;
  }
}

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const today = dateInCopenhagen();
  const monday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
  const rk1 = (opts: Parameters<BudgetContext['as'][string]['request']>[0]) => ctx.as.rk1!.request(opts);

  // One citizen for every case (the programme's capacity is shared with the other modules' cases), whose plan
  // exists before any case is measured: the first offer not registered in Min Plan creates it.
  let shared: Promise<string> | undefined;
  function citizen(): Promise<string> {
    shared ??= (async () => {
      const { id } = await ctx.newCitizen();
      const res = await rk1({ method: 'POST', url: `/api/citizens/${id}/upskilling`, payload: { kind: 'course', title: 'Planens første tilbud', provider: 'VUC', fromDate: today, status: 'planned', minPlan: 'no' } });
      if (res.statusCode !== 201) throw new Error(`could not create an upskilling: ${res.statusCode} ${res.body}`);
      return id;
    })();
    return shared;
  }

  async function company(): Promise<string> {
    const res = await rk1({ method: 'POST', url: '/api/companies', payload: { cvr: nextCvr(), name: `Budget Virksomhed ${cvrBase}`, contacts: [{ name: 'Kontakt' }] } });
    if (res.statusCode !== 201) throw new Error(`could not create a company: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }
  async function internship(): Promise<{ citizenId: string; id: string }> {
    const citizenId = await citizen();
    const payload = { companyId: await company(), purpose: 'gradual_return', fromDate: addDays(monday, -14), toDate: addDays(monday, 60), plannedWeeklyHours: 10 };
    const res = await rk1({ method: 'POST', url: `/api/citizens/${citizenId}/internships`, payload });
    if (res.statusCode !== 201) throw new Error(`could not create an internship: ${res.statusCode} ${res.body}`);
    return { citizenId, id: (res.json() as { id: string }).id };
  }
  async function upskilling(): Promise<{ citizenId: string; id: string }> {
    const citizenId = await citizen();
    const res = await rk1({ method: 'POST', url: `/api/citizens/${citizenId}/upskilling`, payload: { kind: 'course', title: 'Budgetkursus', provider: 'VUC', fromDate: today, status: 'planned' } });
    if (res.statusCode !== 201) throw new Error(`could not create an upskilling: ${res.statusCode} ${res.body}`);
    return { citizenId, id: (res.json() as { id: string }).id };
  }
  /** Reads the company page once, so the reference data its visibility rule needs is cached, as on a running server. */
  async function warmCompany(): Promise<string> {
    const id = await company();
    await rk1({ method: 'GET', url: `/api/companies/${id}` });
    return id;
  }

  return [
    // Session, begin, the CVR look-up, company and contacts in one insert, audit, commit.
    {
      operation: 'POST /api/companies',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const payload = { cvr: nextCvr(), name: 'Budget Byg ApS', contacts: [{ name: 'Anne' }, { name: 'Bo' }] };
        return () => rk1({ method: 'POST', url: '/api/companies', payload });
      },
    },
    // Session, begin, one page, audit, commit.
    { operation: 'GET /api/companies', user: 'rk1', budget: 5, audit: 1, prepare: async () => () => rk1({ method: 'GET', url: '/api/companies?q=budget' }) },
    // Session, begin, the company for the access check, the page in one statement, audit, commit.
    {
      operation: 'GET /api/companies/{id}',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const id = await warmCompany();
        return () => rk1({ method: 'GET', url: `/api/companies/${id}` });
      },
    },
    // Session, begin, company, update, audit, the page read back, commit.
    {
      operation: 'PATCH /api/companies/{id}',
      user: 'rk1',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const id = await warmCompany();
        return () => rk1({ method: 'PATCH', url: `/api/companies/${id}`, payload: { version: 1, industry: 'Byggeri' } });
      },
    },
    // Session, begin, company, insert, audit, commit.
    {
      operation: 'POST /api/companies/{id}/contacts',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const id = await company();
        return () => rk1({ method: 'POST', url: `/api/companies/${id}/contacts`, payload: { name: 'Ny Kontakt', role: 'Leder' } });
      },
    },
    // Session, begin, company, staff check, insert, audit, commit.
    {
      operation: 'POST /api/companies/{id}/meetings',
      user: 'rk1',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const id = await company();
        return () => rk1({ method: 'POST', url: `/api/companies/${id}/meetings`, payload: { heldOn: today, purpose: 'Forberedelse af praktik' } });
      },
    },
    // Session, begin, the citizen's relations, company and contact, insert, event; the Min Plan reminder opened in the
    // existing plan (open reminder?, open enrolment with plan, the task, plan revision, plan event); audit, commit.
    {
      operation: 'POST /api/citizens/{id}/internships',
      user: 'rk1',
      budget: 13,
      audit: 1,
      prepare: async () => {
        const citizenId = await citizen();
        const payload = { companyId: await company(), purpose: 'trial_before_hiring', fromDate: today, toDate: addDays(today, 56), plannedWeeklyHours: 15, minPlan: 'no' };
        return () => rk1({ method: 'POST', url: `/api/citizens/${citizenId}/internships`, payload });
      },
    },
    // Session, begin, relations, one page with weeks and follow-ups, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/internships',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { citizenId } = await internship();
        return () => rk1({ method: 'GET', url: `/api/citizens/${citizenId}/internships` });
      },
    },
    // Session, begin, internship (locked), relations, upsert of all weeks, their events, audit, the internship read back, commit.
    {
      operation: 'PUT /api/internships/{id}/weeks',
      user: 'rk1',
      budget: 9,
      audit: 1,
      prepare: async () => {
        const { id } = await internship();
        const weeks = [{ weekStart: addDays(monday, -14), hours: 10 }, { weekStart: addDays(monday, -7), hours: 15 }, { weekStart: monday, hours: 20 }];
        return () => rk1({ method: 'PUT', url: `/api/internships/${id}/weeks`, payload: { weeks } });
      },
    },
    // Session, begin, internship, relations, insert, event, audit, commit.
    {
      operation: 'POST /api/internships/{id}/follow-ups',
      user: 'rk1',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const { id } = await internship();
        return () => rk1({ method: 'POST', url: `/api/internships/${id}/follow-ups`, payload: { heldOn: today, note: 'Opfølgning' } });
      },
    },
    // Session, begin, internship, relations, update, the outcome's event, the Min Plan reminder closed (open reminder,
    // open enrolment with plan, task closed, revision, plan event), audit, read back, commit.
    {
      operation: 'PATCH /api/internships/{id}',
      user: 'rk1',
      budget: 14,
      audit: 1,
      prepare: async () => {
        const { id } = await internship();
        return () => rk1({ method: 'PATCH', url: `/api/internships/${id}`, payload: { version: 1, outcome: 'hired', minPlan: 'yes' } });
      },
    },
    // Session, begin, relations, insert, event, the Min Plan reminder opened (as for an internship), audit, commit.
    {
      operation: 'POST /api/citizens/{id}/upskilling',
      user: 'rk1',
      budget: 12,
      audit: 1,
      prepare: async () => {
        const citizenId = await citizen();
        const payload = { kind: 'education', title: 'HF-enkeltfag', provider: 'VUC Storstrøm', fromDate: today, status: 'planned', minPlan: 'no' };
        return () => rk1({ method: 'POST', url: `/api/citizens/${citizenId}/upskilling`, payload });
      },
    },
    // Session, begin, relations, one page, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/upskilling',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { citizenId } = await upskilling();
        return () => rk1({ method: 'GET', url: `/api/citizens/${citizenId}/upskilling` });
      },
    },
    // Session, begin, upskilling (locked), relations, update, event, the open reminder looked up (still 'no': kept), audit, read back, commit.
    {
      operation: 'PATCH /api/upskilling/{id}',
      user: 'rk1',
      budget: 10,
      audit: 1,
      prepare: async () => {
        const { id } = await upskilling();
        return () => rk1({ method: 'PATCH', url: `/api/upskilling/${id}`, payload: { version: 1, status: 'ongoing' } });
      },
    },
  ];
}
