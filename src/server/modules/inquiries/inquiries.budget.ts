// Query budgets of the inquiries module's routes (see src/server/query-budget.test.ts).
import { ORG, PROGRAMME } from '../../demo/ids.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { login, type Session } from '../../testing/harness.ts';
import { makePerson, recordConsent } from './inquiries.fixtures.ts';

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const sessions: Record<string, Session> = {};
  /** The region's and Nordfyn's demo users, logged in once (not counted). */
  const as = async (username: 'nordfyn' | 'liaison') => (sessions[username] ??= await login(ctx.t.app, username));
  /** A clinician of its own (the core cases change the demo clinician's password). */
  async function clinician() {
    if (sessions.clinician) return sessions.clinician;
    const user = await ctx.t.db.owner
      .insertInto('users')
      .values({ organisation_id: ORG.paOdense, username: 'budgetbehandler', name: 'Budget Behandler', password_hash: await hashPassword('budget-budget-1'), is_demo: true } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.t.db.owner.insertInto('user_roles').values({ user_id: (user as { id: string }).id, organisation_id: ORG.paOdense, role: 'clinician', programme_id: PROGRAMME.fremskudt }).execute();
    return (sessions.clinician = await login(ctx.t.app, 'budgetbehandler', 'budget-budget-1'));
  }
  let serial = 6100;
  async function namedPerson() {
    const person = await makePerson(ctx.t, await as('nordfyn'), `720392-${String(serial++).padStart(4, '0')}`, 'Budget');
    await recordConsent(ctx.t, person, 'fvl_28');
    await recordConsent(ctx.t, person, 'sdl_43');
    await recordConsent(ctx.t, person, 'rsl_11a', { categories: ['work_considerations'] });
    return person;
  }
  async function inquiry(kind: 'general' | 'named' = 'general') {
    const payload = kind === 'named' ? { kind, citizenId: (await namedPerson()).municipalId } : { kind };
    const res = await (await as('nordfyn')).request({ method: 'POST', url: '/api/inquiries', payload: { programmeId: PROGRAMME.fremskudt, subject: 'Budget', body: 'Et spørgsmål.', ...payload } });
    if (res.statusCode !== 201) throw new Error(`could not ask: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string; version: number };
  }
  const post = (username: 'nordfyn' | 'liaison', url: string, payload: Record<string, unknown>) => async () => {
    const s = await as(username);
    return () => s.request({ method: 'POST', url, payload });
  };

  return [
    // Session, begin, programme with its psychiatry partner, inquiry with its first message, audit, commit.
    {
      operation: 'POST /api/inquiries',
      variant: 'general',
      user: 'nordfyn',
      budget: 6,
      audit: 1,
      prepare: post('nordfyn', '/api/inquiries', { programmeId: PROGRAMME.fremskudt, kind: 'general', subject: 'Budget', body: 'Et generelt spørgsmål.' }),
    },
    // … plus the citizen's relations, its CPR hash and the person's consents (one indexed query).
    {
      operation: 'POST /api/inquiries',
      variant: 'named',
      user: 'nordfyn',
      budget: 9,
      audit: 1,
      prepare: async () => {
        const person = await namedPerson();
        const s = await as('nordfyn');
        return () => s.request({ method: 'POST', url: '/api/inquiries', payload: { programmeId: PROGRAMME.fremskudt, kind: 'named', citizenId: person.municipalId, subject: 'Budget', body: 'Et spørgsmål.' } });
      },
    },
    // Session, begin, one page with names and message counts, audit, commit.
    {
      operation: 'GET /api/inquiries',
      variant: 'queue',
      user: 'liaison',
      budget: 5,
      audit: 1,
      prepare: async () => {
        await inquiry();
        const s = await as('liaison');
        return () => s.request({ method: 'GET', url: '/api/inquiries' });
      },
    },
    {
      operation: 'GET /api/inquiries',
      variant: 'asked',
      user: 'nordfyn',
      budget: 5,
      audit: 1,
      prepare: async () => {
        const s = await as('nordfyn');
        return () => s.request({ method: 'GET', url: '/api/inquiries' });
      },
    },
    // Session, begin, inquiry, thread, audit, commit.
    {
      operation: 'GET /api/inquiries/{id}',
      user: 'liaison',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const q = await inquiry();
        const s = await as('liaison');
        return () => s.request({ method: 'GET', url: `/api/inquiries/${q.id}` });
      },
    },
    // Session, begin, inquiry (locked), message with the new state, inquiry and thread read back, audit, commit.
    {
      operation: 'POST /api/inquiries/{id}/answers',
      variant: 'answer',
      user: 'liaison',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const q = await inquiry();
        return post('liaison', `/api/inquiries/${q.id}/answers`, { body: 'Et svar.', version: q.version })();
      },
    },
    // … plus the CPR hash, the consents (one query), the disclosure with the received snapshot and the region's audit row.
    {
      operation: 'POST /api/inquiries/{id}/answers',
      variant: 'answer with health information',
      user: 'liaison',
      budget: 12,
      audit: 2,
      prepare: async () => {
        const q = await inquiry('named');
        return post('liaison', `/api/inquiries/${q.id}/answers`, { body: 'Tåler ikke stress.', healthInformation: true, categories: ['work_considerations'], version: q.version })();
      },
    },
    // The asker's reply in a named inquiry: the municipality's consent is checked again (CPR hash, consents).
    {
      operation: 'POST /api/inquiries/{id}/answers',
      variant: 'named reply',
      user: 'nordfyn',
      budget: 10,
      audit: 1,
      prepare: async () => {
        const q = await inquiry('named');
        return post('nordfyn', `/api/inquiries/${q.id}/answers`, { body: 'En tilføjelse.', version: q.version })();
      },
    },
    // Session, begin, inquiry (locked), update, inquiry and thread read back, audit, commit.
    {
      operation: 'POST /api/inquiries/{id}/status',
      user: 'liaison',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const q = await inquiry();
        return post('liaison', `/api/inquiries/${q.id}/status`, { status: 'in_progress', version: q.version })();
      },
    },
    // Session, begin, queue counts, waiting longest, response times, knowledge transfers to write, expiring consents, open tasks, audit, commit.
    {
      operation: 'GET /api/liaison/overview',
      user: 'liaison',
      budget: 10,
      audit: 1,
      prepare: async () => {
        const s = await as('liaison');
        return () => s.request({ method: 'GET', url: '/api/liaison/overview' });
      },
    },
    // Session, begin, one page (the fvl_28 condition in the same statement), audit, commit.
    {
      operation: 'GET /api/clinician/patients',
      user: 'budgetbehandler',
      budget: 5,
      audit: 1,
      prepare: async () => {
        await namedPerson();
        const s = await clinician();
        return () => s.request({ method: 'GET', url: '/api/clinician/patients' });
      },
    },
  ];
}
