// Query budgets of the consultations module's routes (see src/server/query-budget.test.ts).
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { login, type Session } from '../../testing/harness.ts';
import { makePerson, recordConsent } from '../inquiries/inquiries.fixtures.ts';

const NORDFYN = userId(15);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const sessions: Record<string, Session> = {};
  const as = async (username: 'nordfyn' | 'liaison') => (sessions[username] ??= await login(ctx.t.app, username));
  let serial = 6600;
  async function namedPerson() {
    const person = await makePerson(ctx.t, await as('nordfyn'), `740394-${String(serial++).padStart(4, '0')}`, 'Sparring');
    await recordConsent(ctx.t, person, 'fvl_28');
    await recordConsent(ctx.t, person, 'sdl_43');
    await recordConsent(ctx.t, person, 'rsl_11a');
    return person;
  }
  const base = { programmeId: PROGRAMME.fremskudt, municipalityId: ORG.nordfyn, heldAt: '2026-11-20T09:00:00+01:00', participantIds: [NORDFYN] };
  const anonymousItem = { kind: 'anonymous', description: 'Kvinde, depression, vil gerne tilbage til kontorarbejde.', advice: 'Start med få timer.' };
  const namedItem = (regionId: string) => ({ kind: 'named', citizenId: regionId, saidTo: [NORDFYN], categories: ['work_considerations'], advice: 'Pauser efter behov.' });
  async function consultation(kind: 'anonymous' | 'case_conference' = 'anonymous') {
    const res = await (await as('liaison')).request({ method: 'POST', url: '/api/consultations', payload: { ...base, kind, items: [anonymousItem] } });
    if (res.statusCode !== 201) throw new Error(`could not record a consultation: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string; version: number };
  }
  async function duty() {
    const person = await namedPerson();
    const res = await (await as('liaison')).request({ method: 'POST', url: '/api/consultations', payload: { ...base, kind: 'network_meeting', items: [namedItem(person.regionId)] } });
    if (res.statusCode !== 201) throw new Error(`could not record a consultation: ${res.statusCode} ${res.body}`);
    const duties = await (await as('nordfyn')).request({ method: 'GET', url: `/api/citizens/${person.municipalId}/consultation-duties` });
    return { person, dutyId: (duties.json() as { items: { id: string }[] }).items[0]!.id };
  }
  const send = (username: 'nordfyn' | 'liaison', method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => async () => {
    const s = await as(username);
    return () => s.request({ method, url, ...(payload ? { payload } : {}) });
  };

  return [
    // Session, begin, programme and municipality, participants, consultation, item, read back (consultation, items), audit, commit.
    {
      operation: 'POST /api/consultations',
      variant: 'anonymous item',
      user: 'liaison',
      budget: 10,
      audit: 1,
      prepare: send('liaison', 'POST', '/api/consultations', { ...base, kind: 'anonymous', items: [anonymousItem] }),
    },
    // … a named item instead: the region's record with the municipality's, the person's consents, the disclosure act
    // (which reads the consents again, writes the snapshot on both sides and its audit row), then item, journal task
    // and note duty in one statement.
    {
      operation: 'POST /api/consultations',
      variant: 'named item',
      user: 'liaison',
      budget: 15,
      audit: 2,
      prepare: async () => {
        const person = await namedPerson();
        const s = await as('liaison');
        return () => s.request({ method: 'POST', url: '/api/consultations', payload: { ...base, kind: 'network_meeting', items: [namedItem(person.regionId)] } });
      },
    },
    // Session, begin, one page with names and counts, audit, commit.
    {
      operation: 'GET /api/consultations',
      user: 'liaison',
      budget: 5,
      audit: 1,
      prepare: async () => {
        await consultation();
        return (await send('liaison', 'GET', '/api/consultations'))();
      },
    },
    // Session, begin, programmes with their municipalities and staff, audit, commit.
    { operation: 'GET /api/consultations/options', user: 'liaison', budget: 5, audit: 1, prepare: send('liaison', 'GET', '/api/consultations/options') },
    // Session, begin, consultation (access), consultation and items (read back), audit, commit.
    {
      operation: 'GET /api/consultations/{id}',
      user: 'liaison',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const c = await consultation();
        return (await send('liaison', 'GET', `/api/consultations/${c.id}`))();
      },
    },
    // Session, begin, consultation locked, item, version, read back (2), audit, commit.
    {
      operation: 'POST /api/consultations/{id}/items',
      variant: 'anonymous',
      user: 'liaison',
      budget: 9,
      audit: 1,
      prepare: async () => {
        const c = await consultation('case_conference');
        return (await send('liaison', 'POST', `/api/consultations/${c.id}/items`, anonymousItem))();
      },
    },
    {
      operation: 'POST /api/consultations/{id}/items',
      variant: 'named',
      user: 'liaison',
      budget: 15,
      audit: 2,
      prepare: async () => {
        const c = await consultation('case_conference');
        const person = await namedPerson();
        return (await send('liaison', 'POST', `/api/consultations/${c.id}/items`, namedItem(person.regionId)))();
      },
    },
    // Session, begin, consultation locked, status, read back (2), audit, commit.
    {
      operation: 'POST /api/consultations/{id}/recognised',
      user: 'liaison',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const c = await consultation();
        return (await send('liaison', 'POST', `/api/consultations/${c.id}/recognised`, { version: c.version }))();
      },
    },
    // Session, begin, one page of duties with the received snapshots, audit, commit.
    {
      operation: 'GET /api/consultation-duties',
      user: 'nordfyn',
      budget: 5,
      audit: 1,
      prepare: async () => {
        await duty();
        return (await send('nordfyn', 'GET', '/api/consultation-duties'))();
      },
    },
    // Session, begin, the citizen's relations, one page, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/consultation-duties',
      user: 'nordfyn',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { person } = await duty();
        return (await send('nordfyn', 'GET', `/api/citizens/${person.municipalId}/consultation-duties`))();
      },
    },
    // Session, begin, duty locked, the citizen's relations, note (one statement), duty, read back, audit, commit.
    {
      operation: 'POST /api/consultation-duties/{id}/resolve',
      variant: 'note',
      user: 'nordfyn',
      budget: 9,
      audit: 1,
      prepare: async () => {
        const { dutyId } = await duty();
        return (await send('nordfyn', 'POST', `/api/consultation-duties/${dutyId}/resolve`, { resolution: 'note', text: 'Psykiatrien anbefaler pauser efter behov.' }))();
      },
    },
    {
      operation: 'POST /api/consultation-duties/{id}/resolve',
      variant: 'not relevant',
      user: 'nordfyn',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const { dutyId } = await duty();
        return (await send('nordfyn', 'POST', `/api/consultation-duties/${dutyId}/resolve`, { resolution: 'not_relevant', text: 'Angik ikke sagen.' }))();
      },
    },
  ];
}
