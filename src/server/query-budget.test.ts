// Query budgets: the number of SQL statements one request sends (transaction control and the audit row
// included), for every operation of the API, on both engines. A change that adds a statement to a route
// fails here and must say why, by raising the budget in this table; a new operation without a row fails
// the completeness check against the OpenAPI document.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME, userId } from './demo/ids.ts';
import { addDays, dateInCopenhagen } from './platform/dates.ts';
import { login, testApp, type InjectResponse, type Session, type TestContext } from './testing/harness.ts';
import type { BudgetCase, BudgetContext } from './testing/budget.ts';
import { budgetCases as planCases } from './modules/plan/plan.budget.ts';
import { budgetCases as companyCases } from './modules/companies/companies.budget.ts';
import { budgetCases as courseCases } from './modules/courses/courses.budget.ts';
import { budgetCases as calendarCases } from './modules/calendar/calendar.budget.ts';
import { budgetCases as progressionCases } from './modules/progression/progression.budget.ts';
import { budgetCases as transitionCases } from './modules/transitions/transitions.budget.ts';
import { budgetCases as consentCases } from './modules/consents/consents.budget.ts';
import { budgetCases as disclosureCases } from './modules/disclosures/disclosures.budget.ts';
import { budgetCases as inquiryCases } from './modules/inquiries/inquiries.budget.ts';
import { budgetCases as consultationCases } from './modules/consultations/consultations.budget.ts';
import { budgetCases as liaisonCompanyCases } from './modules/liaison-companies/liaison-companies.budget.ts';
import { budgetCases as portalCases } from './modules/portal/portal.budget.ts';
import { budgetCases as mitIdCases, budgetMitIdSettings } from './modules/portal/mitid.budget.ts';
import { budgetCases as accessLogCases } from './modules/access-log/access-log.budget.ts';
import { budgetCases as portalPlanCases } from './modules/portal/portal-plan.budget.ts';
import { budgetCases as portalConsentCases } from './modules/portal/portal-consents.budget.ts';
import { budgetCases as portalQuestionnaireCases } from './modules/portal/portal-questionnaires.budget.ts';
import { budgetCases as reminderCases } from './modules/portal/reminders.budget.ts';
import { budgetCases as liaisonTeamCases } from './modules/citizens/liaison-team.budget.ts';
import { budgetCases as studyCases } from './modules/research/studies.budget.ts';
import { budgetCases as exportCases } from './modules/research/exports.budget.ts';
import { budgetCases as dashboardCases } from './modules/dashboard/dashboard.budget.ts';
import { budgetCases as accessRequestCases } from './modules/access-requests/access-requests.budget.ts';
import { budgetCases as portalRemarkCases } from './modules/portal/portal-remarks.budget.ts';
import { budgetCases as studyQuestionnaireCases } from './modules/research/study-questionnaires.budget.ts';
import { budgetCases as linkageCases } from './modules/research/linkage.budget.ts';

let t: TestContext;
const as: Record<string, Session> = {};
/** A demo citizen on rk1's caseload, only read here. */
let readCitizenId: string;
/** A citizen of rk1's own, created for the writes, so the reads above see unchanged data. */
let writeCitizen: { id: string; cpr: string; enrolmentId: string };
/** An organisation's own code, relabelled by the code-value case. */
let ownCodeId: string;
const today = dateInCopenhagen();
const RK1 = userId(4);
const RK3 = userId(6);
const RK4 = userId(7);
const STYREGRUPPE = userId(11);

/** Fictitious replacement numbers (day + 60), so no real person's number is used. */
let serial = 2000;
const nextCpr = () => `730388-${String(serial++).padStart(4, '0')}`;
let sequence = 0;
const next = () => ++sequence;

async function createCitizen(s: Session, consultantId: string | null): Promise<{ id: string; cpr: string; enrolmentId: string | null }> {
  const cpr = nextCpr();
  const enrolment = consultantId ? { programmeId: PROGRAMME.paaVej, startDate: '2020-03-01', benefitCode: 'kontanthjaelp', consultantIds: [consultantId] } : undefined;
  // The activity modules' cases create more citizens than the programme's capacity: the set-up confirms that warning.
  const res = await s.request({ method: 'POST', url: '/api/citizens', payload: { cpr, firstName: 'Budget', lastName: 'Borger', enrolment, acknowledgeWarnings: true } });
  if (res.statusCode !== 201) throw new Error(`could not create a citizen: ${res.statusCode} ${res.body}`);
  const body = res.json() as { id: string; enrolmentId: string | null };
  return { id: body.id, cpr, enrolmentId: body.enrolmentId };
}

async function createNote(s: Session, citizenId: string): Promise<string> {
  const res = await s.request({ method: 'POST', url: `/api/citizens/${citizenId}/notes`, payload: { kind: 'journal', body: 'Samtale om praktik.' } });
  if (res.statusCode !== 201) throw new Error(`could not write a note: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

beforeAll(async () => {
  // The MitID routes' cases start the demo's test identity provider when they first run (see mitid.budget.ts).
  t = await testApp({ mitid: budgetMitIdSettings });
  for (const username of ['rk1', 'rk3', 'admin', 'dpo', 'projektleder', 'jobkonsulent', 'sagsbehandler']) as[username] = await login(t.app, username);
  const list = await as.rk1!.request({ method: 'GET', url: '/api/citizens?scope=mine' });
  readCitizenId = (list.json() as { items: { id: string }[] }).items[0]!.id;
  const created = await createCitizen(as.rk1!, RK1);
  writeCitizen = { ...created, enrolmentId: created.enrolmentId! };
  const code = await as.admin!.request({ method: 'POST', url: '/api/code-lists/referral_source', payload: { code: 'budget_kilde', labelDa: 'Lokal kilde', labelEn: 'Local source' } });
  ownCodeId = (code.json() as { id: string }).id;
});
afterAll(async () => {
  await t.close();
});

type Case = BudgetCase;

const by = (user: string, opts: InjectOptions) => async () => () => as[user]!.request(opts);
const anonymous = (opts: InjectOptions) => async () => () => t.app.inject(opts);

async function versionOf(table: 'citizens' | 'enrolments' | 'code_values' | 'programmes' | 'users', id: string): Promise<number> {
  return (await t.db.kysely.selectFrom(table).select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
}

/** The current password of the user whose case changes it; no other case uses that user. */
let behandlerPassword = 'demo';

/**
 * Today's statement counts; the request-path work lowers them, never raises them silently. Reads come
 * first, then writes on data of their own, so no case changes what a later case reads.
 */
const coreCases: Case[] = [
  { operation: 'GET /api/health', user: null, budget: 0, audit: 0, prepare: anonymous({ method: 'GET', url: '/api/health' }) },
  { operation: 'GET /api/auth/me', user: 'rk1', budget: 1, audit: 0, prepare: by('rk1', { method: 'GET', url: '/api/auth/me' }) },
  { operation: 'GET /api/auth/session', user: 'rk1', budget: 1, audit: 0, prepare: by('rk1', { method: 'GET', url: '/api/auth/session' }) },
  { operation: 'GET /api/programmes', user: 'projektleder', budget: 5, audit: 1, prepare: by('projektleder', { method: 'GET', url: '/api/programmes' }) },
  // Session, begin, the programme, then partners, phases, targets, target groups, budget lines and the active count one statement each, audit, commit.
  { operation: 'GET /api/programmes/{id}', user: 'projektleder', budget: 11, audit: 1, prepare: by('projektleder', { method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` }) },
  { operation: 'GET /api/programmes/{id}/staff', user: 'rk1', budget: 6, audit: 1, prepare: by('rk1', { method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/staff` }) },
  { operation: 'GET /api/programmes/{id}/caseloads', user: 'projektleder', budget: 8, audit: 1, prepare: by('projektleder', { method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/caseloads` }) },
  { operation: 'GET /api/citizens', user: 'rk1', budget: 5, audit: 1, prepare: by('rk1', { method: 'GET', url: '/api/citizens' }) },
  // A consultant's search filters their own caseload by name: no candidate step. Every search's audit statement also
  // writes one row per citizen found (docs/decisions/0032): still one statement, so the counts are unchanged.
  { operation: 'POST /api/citizens/search', variant: 'name', user: 'rk1', budget: 5, audit: 1, prepare: by('rk1', { method: 'POST', url: '/api/citizens/search', payload: { q: 'an' } }) },
  // Someone who sees a whole programme: the trigram index's candidates, checked for visibility, come first.
  { operation: 'POST /api/citizens/search', variant: 'name, whole programme', user: 'projektleder', budget: 6, audit: 1, prepare: by('projektleder', { method: 'POST', url: '/api/citizens/search', payload: { q: 'han' } }) },
  {
    operation: 'POST /api/citizens/search',
    variant: 'full CPR',
    user: 'rk1',
    budget: 5,
    audit: 1,
    prepare: async () => () => as.rk1!.request({ method: 'POST', url: '/api/citizens/search', payload: { q: writeCitizen.cpr } }),
  },
  { operation: 'GET /api/citizens/{id}', user: 'rk1', budget: 6, audit: 1, prepare: async () => () => as.rk1!.request({ method: 'GET', url: `/api/citizens/${readCitizenId}` }) },
  { operation: 'GET /api/citizens/{id}/notes', user: 'rk1', budget: 7, audit: 1, prepare: async () => () => as.rk1!.request({ method: 'GET', url: `/api/citizens/${readCitizenId}/notes` }) },
  { operation: 'GET /api/citizens/{id}/timeline', user: 'rk1', budget: 7, audit: 1, prepare: async () => () => as.rk1!.request({ method: 'GET', url: `/api/citizens/${readCitizenId}/timeline` }) },
  { operation: 'GET /api/code-lists/{list}', user: 'rk1', budget: 1, audit: 0, prepare: by('rk1', { method: 'GET', url: '/api/code-lists/benefit' }) },
  { operation: 'GET /api/users', user: 'admin', budget: 6, audit: 1, prepare: by('admin', { method: 'GET', url: '/api/users' }) },
  { operation: 'GET /api/users/options', user: 'admin', budget: 4, audit: 0, prepare: by('admin', { method: 'GET', url: '/api/users/options' }) },
  // Reads the user, then again in the list's shape (user and roles).
  { operation: 'GET /api/users/{id}', user: 'admin', budget: 7, audit: 1, prepare: by('admin', { method: 'GET', url: `/api/users/${RK1}` }) },
  { operation: 'GET /api/audit', user: 'dpo', budget: 6, audit: 1, prepare: by('dpo', { method: 'GET', url: '/api/audit' }) },

  // Writes, each on data of its own.
  // Duplicate check, programme, partners, the team's roles, active count; citizen, event, audit; open-enrolment check, enrolment, team member, two events; first status period (check, insert, event); audit.
  {
    operation: 'POST /api/citizens',
    variant: 'with enrolment',
    user: 'rk1',
    budget: 20,
    audit: 2,
    prepare: async () => {
      const payload = { cpr: nextCpr(), firstName: 'Ny', lastName: 'Borger', enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2020-03-01', benefitCode: 'kontanthjaelp', consultantIds: [RK1] } };
      return () => as.rk1!.request({ method: 'POST', url: '/api/citizens', payload });
    },
  },
  // Access, citizen, update, event, audit, then the citizen page read back for the answer.
  {
    operation: 'PATCH /api/citizens/{id}',
    user: 'rk1',
    budget: 9,
    audit: 1,
    prepare: async () => {
      const payload = { version: await versionOf('citizens', writeCitizen.id), phone: `+45 20 00 ${String(next()).padStart(2, '0')} 00` };
      return () => as.rk1!.request({ method: 'PATCH', url: `/api/citizens/${writeCitizen.id}`, payload });
    },
  },
  { operation: 'POST /api/citizens/{id}/reveal-cpr', user: 'rk1', budget: 6, audit: 1, prepare: async () => () => as.rk1!.request({ method: 'POST', url: `/api/citizens/${writeCitizen.id}/reveal-cpr` }) },
  // Access, citizen locked, latest period, close the open one, insert, event, audit, then the citizen page read back.
  {
    operation: 'POST /api/citizens/{id}/status-periods',
    user: 'rk1',
    budget: 10,
    audit: 1,
    prepare: async () => {
      const payload = { benefitCode: 'kontanthjaelp', activity: 'internship', weeklyHours: 10 + next(), fromDate: addDays('2021-01-01', 7 * next()) };
      return () => as.rk1!.request({ method: 'POST', url: `/api/citizens/${writeCitizen.id}/status-periods`, payload });
    },
  },
  {
    operation: 'POST /api/citizens/{id}/notes',
    user: 'rk1',
    budget: 6,
    audit: 1,
    prepare: async () => () => as.rk1!.request({ method: 'POST', url: `/api/citizens/${writeCitizen.id}/notes`, payload: { kind: 'journal', body: 'Samtale om praktik.' } }),
  },
  {
    operation: 'POST /api/notes/{id}/corrections',
    user: 'rk1',
    budget: 9,
    audit: 1,
    prepare: async () => {
      const noteId = await createNote(as.rk1!, writeCitizen.id);
      return () => as.rk1!.request({ method: 'POST', url: `/api/notes/${noteId}/corrections`, payload: { version: 1, body: 'Samtale om praktik i en butik.', reason: 'Præcisering' } });
    },
  },
  {
    operation: 'POST /api/notes/{id}/remarks',
    user: 'rk1',
    budget: 7,
    audit: 1,
    prepare: async () => {
      const noteId = await createNote(as.rk1!, writeCitizen.id);
      return () => as.rk1!.request({ method: 'POST', url: `/api/notes/${noteId}/remarks`, payload: { body: 'Jeg var nervøs.', receivedVia: 'Mundtligt ved samtale' } });
    },
  },
  // Access, programme, partners, the team's roles, active count, open-enrolment check, enrolment, team member, two events, first status period (check, insert, event), audit.
  {
    operation: 'POST /api/programmes/{id}/enrolments',
    user: 'rk1',
    budget: 17,
    audit: 1,
    prepare: async () => {
      const citizen = await createCitizen(as.rk1!, null);
      const payload = { citizenId: citizen.id, startDate: '2020-05-01', benefitCode: 'sygedagpenge', consultantIds: [RK1] };
      return () => as.rk1!.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/enrolments`, payload });
    },
  },
  // Enrolment, access, update, event, audit, then the citizen page read back.
  {
    operation: 'PATCH /api/enrolments/{id}',
    user: 'rk1',
    budget: 9,
    audit: 1,
    prepare: async () => {
      const enrolment = await t.db.kysely.selectFrom('enrolments').select(['version', 'status']).where('id', '=', writeCitizen.enrolmentId).executeTakeFirstOrThrow();
      const payload = { version: enrolment.version, status: enrolment.status === 'active' ? 'paused' : 'active' };
      return () => as.rk1!.request({ method: 'PATCH', url: `/api/enrolments/${writeCitizen.enrolmentId}`, payload });
    },
  },
  {
    operation: 'POST /api/programmes/{id}/caseloads/handover',
    user: 'projektleder',
    budget: 10,
    audit: 1,
    prepare: async () => {
      // rk3's fresh citizen goes to rk4 for two weeks; each request covers its own period.
      await createCitizen(as.rk3!, RK3);
      const validFrom = addDays(today, 30 * next());
      const payload = { fromUserId: RK3, toUserId: RK4, kind: 'substitute', validFrom, validTo: addDays(validFrom, 14) };
      return () => as.projektleder!.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/caseloads/handover`, payload });
    },
  },
  {
    operation: 'POST /api/code-lists/{list}',
    user: 'admin',
    budget: 6,
    audit: 1,
    prepare: async () => {
      const n = next();
      const payload = { code: `budget_${n}`, labelDa: `Lokal kode ${n}`, labelEn: `Local code ${n}` };
      return () => as.admin!.request({ method: 'POST', url: '/api/code-lists/referral_source', payload });
    },
  },
  {
    operation: 'PATCH /api/code-values/{id}',
    user: 'admin',
    budget: 6,
    audit: 1,
    prepare: async () => {
      const payload = { version: await versionOf('code_values', ownCodeId), labelDa: `Lokal kilde ${next()}` };
      return () => as.admin!.request({ method: 'PATCH', url: `/api/code-values/${ownCodeId}`, payload });
    },
  },
  // Programme, update, audit, then the programme read back as GET /api/programmes/{id} reads it (eight statements and its own read audit row).
  {
    operation: 'PATCH /api/programmes/{id}',
    user: 'projektleder',
    budget: 14,
    audit: 2,
    prepare: async () => {
      const programme = await t.db.kysely.selectFrom('programmes').select(['version', 'caseload_ceiling']).where('id', '=', PROGRAMME.paaVej).executeTakeFirstOrThrow();
      const payload = { version: programme.version, caseloadCeiling: programme.caseload_ceiling === 25 ? 26 : 25 };
      return () => as.projektleder!.request({ method: 'PATCH', url: `/api/programmes/${PROGRAMME.paaVej}`, payload });
    },
  },
  // Username check, the organisation's programmes, user, clearing roles (none yet), roles, audit, user and roles read back.
  {
    operation: 'POST /api/users',
    user: 'admin',
    budget: 11,
    audit: 1,
    prepare: async () => {
      const payload = { username: `budget${next()}`, name: 'Emil Krogh', initialPassword: 'korrekt hest batteri', roles: [{ role: 'resource_consultant', programmeId: PROGRAMME.paaVej }] };
      return () => as.admin!.request({ method: 'POST', url: '/api/users', payload });
    },
  },
  // User and roles, update, audit, user and roles read back.
  {
    operation: 'PATCH /api/users/{id}',
    user: 'admin',
    budget: 9,
    audit: 1,
    prepare: async () => {
      const payload = { version: await versionOf('users', STYREGRUPPE), email: `poul${next()}@example.invalid` };
      return () => as.admin!.request({ method: 'PATCH', url: `/api/users/${STYREGRUPPE}`, payload });
    },
  },

  // Sessions: users no other case needs, since these end or replace sessions.
  // User and address throttle before the transaction; user locked, failures reset, session, roles, audit; organisation and roles again for the answer.
  { operation: 'POST /api/auth/login', user: null, budget: 11, audit: 1, prepare: anonymous({ method: 'POST', url: '/api/auth/login', payload: { username: 'jobkonsulent', password: 'demo' } }) },
  {
    operation: 'POST /api/auth/logout',
    user: 'liaison',
    budget: 5,
    audit: 1,
    prepare: async () => {
      const session = await login(t.app, 'liaison');
      return () => session.request({ method: 'POST', url: '/api/auth/logout' });
    },
  },
  {
    operation: 'POST /api/auth/password',
    user: 'behandler',
    budget: 7,
    audit: 1,
    prepare: async () => {
      const session = await login(t.app, 'behandler', behandlerPassword);
      const newPassword = `en lang ny sætning ${next()}`;
      return async () => {
        const res = await session.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: behandlerPassword, newPassword } });
        if (res.statusCode === 204) behandlerPassword = newPassword;
        return res;
      };
    },
  },
];

/** The activity modules' rows, each kept beside its module. */
const context: BudgetContext = {
  get t() {
    return t;
  },
  as,
  get readCitizenId() {
    return readCitizenId;
  },
  async newCitizen() {
    const created = await createCitizen(as.rk1!, RK1);
    return { id: created.id, enrolmentId: created.enrolmentId! };
  },
};
const cases: Case[] = [
  ...coreCases,
  ...planCases(context),
  ...companyCases(context),
  ...courseCases(context),
  ...calendarCases(context),
  ...progressionCases(context),
  ...transitionCases(context),
  ...consentCases(context),
  ...disclosureCases(context),
  ...inquiryCases(context),
  ...consultationCases(context),
  ...liaisonCompanyCases(context),
  ...portalCases(context),
  ...mitIdCases(context),
  ...accessLogCases(context),
  ...portalPlanCases(context),
  ...portalConsentCases(context),
  ...portalQuestionnaireCases(context),
  ...reminderCases(context),
  ...liaisonTeamCases(context),
  ...studyCases(context),
  ...exportCases(context),
  ...linkageCases(context),
  ...dashboardCases(context),
  ...accessRequestCases(context),
  ...portalRemarkCases(context),
  ...studyQuestionnaireCases(context),
];

const isAuditRow = (statement: string) => /^\s*insert into "audit_log"/i.test(statement);

describe('query budget per route', () => {
  for (const c of cases) {
    it(`${c.operation}${c.variant ? ` (${c.variant})` : ''} as ${c.user ?? 'nobody'}: exactly ${c.budget} statements (a change either way updates the table)`, async () => {
      // Counted on a warm instance (reference data cached, as after the first request of any user): the
      // same kind of request is sent once before, itself valid, then a fresh one is counted.
      const warm = await (await c.prepare())();
      const succeeded = (status: number) => (c.status === undefined ? status < 300 : status === c.status);
      expect(succeeded(warm.statusCode), `${warm.statusCode} ${warm.body}`).toBe(true);
      const send = await c.prepare();
      let response: InjectResponse | undefined;
      const statements = await t.db.statementsDuring(async () => {
        response = await send();
      });
      expect(succeeded(response!.statusCode), `${response!.statusCode} ${response!.body}`).toBe(true);
      if (c.location) expect(response!.headers.location).toBe(c.location);
      expect(statements.length, statements.join('\n')).toBe(c.budget);
      expect(statements.filter(isAuditRow), statements.join('\n')).toHaveLength(c.audit);
    });
  }

  it('has a budget for every operation in the OpenAPI document, and none for an operation that is gone', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThan(30);
    const budgeted = new Set(cases.map((c) => c.operation));
    expect(documented.filter((op) => !budgeted.has(op)).sort()).toEqual([]);
    expect([...budgeted].filter((op) => !documented.includes(op)).sort()).toEqual([]);
  });

  it('counts the audit row among the statements of an audited read', async () => {
    await as.rk1!.request({ method: 'GET', url: `/api/citizens/${readCitizenId}` });
    const statements = await t.db.statementsDuring(() => as.rk1!.request({ method: 'GET', url: `/api/citizens/${readCitizenId}` }));
    expect(statements.filter(isAuditRow)).toHaveLength(1);
    const words = statements.map((s) => s.trim().split(/\s+/)[0]!.toLowerCase());
    // The audit row is written inside the request's transaction, before it commits.
    expect(words.indexOf('begin')).toBeLessThan(statements.findIndex(isAuditRow));
    expect(statements.findIndex(isAuditRow)).toBeLessThan(words.lastIndexOf('commit'));
  });

  it('counts every statement, transaction control included', async () => {
    const statements = await t.db.statementsDuring(() => t.db.kysely.transaction().execute((tx) => tx.selectFrom('organisations').select('id').execute()));
    expect(statements.map((s) => s.trim().split(/\s+/)[0]!.toLowerCase())).toEqual(['begin', 'select', 'commit']);
  });
});
