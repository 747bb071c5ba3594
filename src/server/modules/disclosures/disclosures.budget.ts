// Query budgets of knowledge transfers, disclosures and the health-information panel (see src/server/query-budget.test.ts).
import { sql } from 'kysely';
import { ORG } from '../../demo/ids.ts';
import { login, type Session } from '../../testing/harness.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';
import { insertConsent, insertPair, type Pair } from './test-support.ts';

const ANSWERS = [
  { question: 'offers', text: 'Korte forløb.', category: 'work_considerations' },
  { question: 'support', text: 'Fast kontaktperson.', category: 'support_needs' },
];

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const sessions: Record<string, Session> = {};
  const as = async (user: string) => (sessions[user] ??= await login(ctx.t.app, user));
  let shared: { pair: Pair; ktId: string } | undefined;

  /** A person with both records, a valid sdl_43 consent and a knowledge transfer; a disclosure made to the municipality. */
  async function disclosed() {
    if (shared) return shared;
    const db = ctx.t.db.owner;
    const pair = await insertPair(db);
    await insertConsent(db, pair);
    const liaison = await as('liaison');
    const kt = await liaison.request({ method: 'POST', url: `/api/citizens/${pair.regionId}/knowledge-transfers`, payload: { sourceTeam: 'Psykoseteamet', writtenOn: '2026-01-10', answers: ANSWERS } });
    if (kt.statusCode !== 201) throw new Error(`${kt.statusCode} ${kt.body}`);
    const ktId = (kt.json() as { id: string }).id;
    const made = await liaison.request({ method: 'POST', url: `/api/citizens/${pair.regionId}/disclosures`, payload: { knowledgeTransferId: ktId, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], channel: 'digital' } });
    if (made.statusCode !== 201) throw new Error(`${made.statusCode} ${made.body}`);
    shared = { pair, ktId };
    return shared;
  }

  /** An open disclosure under stk. 2 nr. 2 (written as a row: the case is about the notice). */
  async function openException(): Promise<string> {
    const { pair, ktId } = await disclosed();
    const { rows } = await sql<{ id: string }>`
      insert into disclosures (organisation_id, citizen_id, recipient_organisation_id, recipient_citizen_id, recipient_roles, knowledge_transfer_id, categories, snapshot,
                               basis, exception_ground, justification, notice_required, status, decided_by, channel)
      values (${ORG.paOdense}, ${pair.regionId}, ${ORG.nordfyn}, ${pair.municipalId}, '{caseworker}', ${ktId}, '{support_needs}', '{}'::jsonb,
              'exception', 'vital_interest', 'Akut risiko ved praktikstart.', true, 'open', (select id from users where username = 'behandler'), 'oral')
      returning id`.execute(ctx.t.db.owner);
    return rows[0]!.id;
  }

  return [
    // Session, begin, the record (owner, relations, hash), insert with the next version, audit, commit.
    {
      operation: 'POST /api/citizens/{id}/knowledge-transfers',
      user: 'liaison',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { pair } = await disclosed();
        const s = await as('liaison');
        return () => s.request({ method: 'POST', url: `/api/citizens/${pair.regionId}/knowledge-transfers`, payload: { sourceTeam: 'Psykoseteamet', writtenOn: '2026-01-10', answers: ANSWERS } });
      },
    },
    // Session, begin, the record, the page, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/knowledge-transfers',
      user: 'liaison',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { pair } = await disclosed();
        const s = await as('liaison');
        return () => s.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/knowledge-transfers` });
      },
    },
    // Session, begin, the version, the record, audit, commit.
    {
      operation: 'GET /api/knowledge-transfers/{id}',
      user: 'liaison',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { ktId } = await disclosed();
        const s = await as('liaison');
        return () => s.request({ method: 'GET', url: `/api/knowledge-transfers/${ktId}` });
      },
    },
    // Session, begin, the record with the recipient's record of the person, the version, the person's consents (one indexed query), both rows in one statement, audit, commit.
    {
      operation: 'POST /api/citizens/{id}/disclosures',
      user: 'liaison',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const { pair, ktId } = await disclosed();
        const s = await as('liaison');
        return () => s.request({ method: 'POST', url: `/api/citizens/${pair.regionId}/disclosures`, payload: { knowledgeTransferId: ktId, questions: ['support'], recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], channel: 'meeting' } });
      },
    },
    // Session, begin, the record, the page, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/disclosures',
      user: 'liaison',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const { pair } = await disclosed();
        const s = await as('liaison');
        return () => s.request({ method: 'GET', url: `/api/citizens/${pair.regionId}/disclosures` });
      },
    },
    // Session, begin, the disclosure locked, the record, update, read back, audit, commit.
    {
      operation: 'POST /api/disclosures/{id}/notice',
      user: 'liaison',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const id = await openException();
        const s = await as('liaison');
        return () => s.request({ method: 'POST', url: `/api/disclosures/${id}/notice`, payload: { notToldReason: 'Borgeren er indlagt og kan ikke kontaktes.' } });
      },
    },
    // Session, begin, the page, audit, commit.
    {
      operation: 'GET /api/disclosures/exceptions',
      user: 'regionsdpo',
      budget: 5,
      audit: 1,
      prepare: async () => {
        await openException();
        const s = await as('regionsdpo');
        return () => s.request({ method: 'GET', url: '/api/disclosures/exceptions' });
      },
    },
    // Session, begin, the record, the received page, the person's consents (one indexed query), audit, commit.
    {
      operation: 'GET /api/citizens/{id}/health-information',
      user: 'nordfyn',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const { pair } = await disclosed();
        const s = await as('nordfyn');
        return () => s.request({ method: 'GET', url: `/api/citizens/${pair.municipalId}/health-information` });
      },
    },
  ];
}
