// Query budgets of progression measurement (see src/server/query-budget.test.ts).
import { PROGRAMME } from '../../demo/ids.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';

const WHO5 = { who5_cheerful: 3, who5_calm: 3, who5_active: 2, who5_rested: 3, who5_interest: 3 };
const LOW = { who5_cheerful: 1, who5_calm: 1, who5_active: 1, who5_rested: 2, who5_interest: 1 };
const CSV = [
  'Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels",Field Note,Text Validation Type OR Show Slider Number,Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,Field Annotation',
  'record_id,budget_form,,text,Record ID,,,,,,,,,,,,,',
  'sleep,budget_form,,radio,Hvordan har du sovet?,"1, Godt | 2, Middel | 3, Dårligt",,,,,,,y,,,,,',
].join('\n');

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const rk1 = () => ctx.as.rk1!;
  let serial = 0;

  async function submitted(answers = WHO5) {
    const citizen = await ctx.newCitizen();
    const res = await rk1().request({ method: 'POST', url: `/api/citizens/${citizen.id}/assessments`, payload: { instrumentCode: 'who5', answers } });
    if (res.statusCode !== 201) throw new Error(`could not answer: ${res.statusCode} ${res.body}`);
    return { citizenId: citizen.id, ...(res.json() as { id: string; version: number }) };
  }

  return [
    // Session, the instruments of the organisation and the shipped ones; not personal data, not audited.
    { operation: 'GET /api/instruments', user: 'rk1', budget: 2, audit: 0, prepare: async () => () => rk1().request({ method: 'GET', url: '/api/instruments' }) },
    // Session, the active version.
    { operation: 'GET /api/instruments/{code}', user: 'rk1', budget: 2, audit: 0, prepare: async () => () => rk1().request({ method: 'GET', url: '/api/instruments/who5' }) },
    // Session, the version, as a file.
    { operation: 'GET /api/instruments/{code}/export', user: 'admin', budget: 2, audit: 0, prepare: async () => () => ctx.as.admin!.request({ method: 'GET', url: '/api/instruments/who5/export?format=redcap' }) },
    // Session, begin, the latest version (locked), insert, audit, commit.
    {
      operation: 'POST /api/instruments',
      user: 'admin',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const code = `budget_json_${++serial}`;
        const payload = { code, title: { da: 'Budget', en: 'Budget' }, licence: 'Own', dataCategories: ['other'], healthData: false, items: [{ code: 'q1', text: { da: 'Spørgsmål', en: 'Question' }, respondent: 'citizen', required: true, answer: { kind: 'number', min: 0, max: 10, integer: true } }], scoring: null, alerts: [] };
        return () => ctx.as.admin!.request({ method: 'POST', url: '/api/instruments', payload });
      },
    },
    // Session, begin, per form: the latest version (locked), insert, audit; commit.
    {
      operation: 'POST /api/instruments/import',
      user: 'admin',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const csv = CSV.replaceAll('budget_form', `budget_form_${++serial}`);
        return () => ctx.as.admin!.request({ method: 'POST', url: '/api/instruments/import?licence=Egen&dataCategories=other&healthData=false', headers: { 'content-type': 'text/csv' }, payload: csv });
      },
    },
    // Session, begin, the version (locked), retire the active one, activate, audit, commit.
    {
      operation: 'POST /api/instruments/{code}/versions/{version}/approve',
      user: 'admin',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const csv = CSV.replaceAll('budget_form', `budget_approve_${++serial}`);
        const res = await ctx.as.admin!.request({ method: 'POST', url: '/api/instruments/import?licence=Egen&dataCategories=other&healthData=false', headers: { 'content-type': 'text/csv' }, payload: csv });
        const created = (res.json() as { instruments: { code: string; version: number }[] }).instruments[0]!;
        return () => ctx.as.admin!.request({ method: 'POST', url: `/api/instruments/${created.code}/versions/${created.version}/approve`, payload: { dpoConsulted: true, note: 'Databeskyttelsesrådgiveren er hørt' } });
      },
    },
    // Session, begin, the programme, the schedule with titles, commit.
    { operation: 'GET /api/programmes/{id}/measurement-schedule', user: 'projektleder', budget: 5, audit: 0, prepare: async () => () => ctx.as.projektleder!.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/measurement-schedule` }) },
    // Session, begin, the programme, the active instrument per entry (2), delete, insert, audit, commit; then the schedule
    // as read: begin, the programme, the schedule with titles, commit.
    {
      operation: 'PUT /api/programmes/{id}/measurement-schedule',
      user: 'projektleder',
      budget: 13,
      audit: 1,
      prepare: async () => () =>
        ctx.as.projektleder!.request({
          method: 'PUT',
          url: `/api/programmes/${PROGRAMME.paaVej}/measurement-schedule`,
          payload: { items: [{ instrumentCode: 'who5', atEnrolment: true, everyMonths: 3, windowDays: 14, atExit: true }, { instrumentCode: 'was', atEnrolment: true, everyMonths: 3, windowDays: 14, atExit: true }] },
        }),
    },
    // Session, begin, the programme, the update, audit, commit.
    { operation: 'PUT /api/programmes/{id}/acute-procedure', user: 'projektleder', budget: 6, audit: 1, prepare: async () => () => ctx.as.projektleder!.request({ method: 'PUT', url: `/api/programmes/${PROGRAMME.paaVej}/acute-procedure`, payload: { da: 'Ring 1813.', en: 'Call 1813.' } }) },
    // Session, begin, the citizen's relations, the team enrolment, the instrument, lock the enrolment, the draft, earlier
    // answers, insert, the previous value, alert tasks (2 fired: one insert), close the due task, the pair (read, upsert:
    // its triggers keep the cohort aggregates in the same statement), audit, commit.
    {
      operation: 'POST /api/citizens/{id}/assessments',
      variant: 'submitted with alerts',
      user: 'rk1',
      budget: 16,
      audit: 1,
      prepare: async () => {
        const citizen = await ctx.newCitizen();
        return () => rk1().request({ method: 'POST', url: `/api/citizens/${citizen.id}/assessments`, payload: { instrumentCode: 'who5', answers: LOW } });
      },
    },
    // A draft: no score, no pair, no tasks.
    {
      operation: 'POST /api/citizens/{id}/assessments',
      variant: 'draft',
      user: 'rk1',
      budget: 11,
      audit: 1,
      prepare: async () => {
        const citizen = await ctx.newCitizen();
        return () => rk1().request({ method: 'POST', url: `/api/citizens/${citizen.id}/assessments`, payload: { instrumentCode: 'who5', answers: { who5_cheerful: 2 }, draft: true } });
      },
    },
    // Session, begin, the citizen's relations, one page with instrument versions, authors and corrections, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/assessments',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { citizenId } = await submitted();
        return () => rk1().request({ method: 'GET', url: `/api/citizens/${citizenId}/assessments` });
      },
    },
    // Session, begin, the answer, the citizen's relations, its instrument version, corrections, author, audit, commit.
    {
      operation: 'GET /api/assessments/{id}',
      user: 'rk1',
      budget: 9,
      audit: 1,
      prepare: async () => {
        const { id } = await submitted();
        return () => rk1().request({ method: 'GET', url: `/api/assessments/${id}` });
      },
    },
    // A correction (no alert fires): session, begin, the answer (locked), relations, instrument version, the correction
    // row, update, the previous value, the pair (read, upsert, with the cohort aggregates by its triggers), audit, commit.
    {
      operation: 'PATCH /api/assessments/{id}',
      user: 'rk1',
      budget: 12,
      audit: 1,
      prepare: async () => {
        const { id, version } = await submitted();
        return () => rk1().request({ method: 'PATCH', url: `/api/assessments/${id}`, payload: { answers: { ...WHO5, who5_active: 3 }, version, reason: 'Rettet efter samtale' } });
      },
    },
    // Session, begin, the citizen's relations, one page of tasks, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/staff-tasks',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { citizenId } = await submitted(LOW);
        return () => rk1().request({ method: 'GET', url: `/api/citizens/${citizenId}/staff-tasks` });
      },
    },
    // Session, begin, the task (locked), the citizen's relations, update, audit, commit.
    {
      operation: 'PATCH /api/staff-tasks/{id}',
      user: 'rk1',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const { citizenId } = await submitted(LOW);
        const tasks = (await rk1().request({ method: 'GET', url: `/api/citizens/${citizenId}/staff-tasks` })).json() as { items: { id: string; version: number }[] };
        const task = tasks.items[0]!;
        return () => rk1().request({ method: 'PATCH', url: `/api/staff-tasks/${task.id}`, payload: { status: 'done', version: task.version } });
      },
    },
    // Session, begin, the programme, one page with each task's consultant, one insert of the audit rows (one per citizen
    // on the page), commit.
    { operation: 'GET /api/programmes/{id}/measurements-due', user: 'projektleder', budget: 6, audit: 1, prepare: async () => () => ctx.as.projektleder!.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/measurements-due` }) },
    // Session, begin, the programme, the instrument, the programme's cohort aggregate rows (not the pairs), the target
    // groups' labels, audit, commit.
    { operation: 'GET /api/programmes/{id}/progression', user: 'projektleder', budget: 8, audit: 1, prepare: async () => () => ctx.as.projektleder!.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/progression?instrumentCode=who5` }) },
    // Session, begin, the programme, one page of consultants with their pairs and due measurements, audit, commit.
    { operation: 'GET /api/programmes/{id}/progression/consultants', user: 'projektleder', budget: 6, audit: 1, prepare: async () => () => ctx.as.projektleder!.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/progression/consultants?instrumentCode=who5` }) },
  ];
}
