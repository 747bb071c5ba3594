// Research-only questionnaires in the citizen portal (issue 12 point 4; decision 0040). A citizen with a MitID session
// who is enrolled (active or paused) in the programme of an approved study, in one of the study's organisations, and
// while the study runs, sees the study's questionnaires with its purpose and partner; answers each once, says no
// thanks (never asked again) or deletes their answers. The answers belong to the study's controller: they are kept in
// `study_answers`, never in `assessments`, so no staff route reads them, no alert fires, no task opens and nothing of
// the case changes. Only the validation and scoring of the instrument engine (pure functions) are reused, never
// storeAnswer's side effects. Every read, answer and refusal is audited with the citizen as actor, purpose research,
// without the answer's id or values. The export reads the answers through `studyAnswerBatches`.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { InstrumentDefinition, InstrumentItem } from '../../../contracts/instruments.ts';
import type { PortalQuestion } from '../../../contracts/portal-questionnaires.ts';
import type {
  PortalResearchAnswerRequest,
  PortalResearchList,
  PortalResearchReceipt,
  PortalResearchState,
  PortalResearchStudy,
} from '../../../contracts/portal-research.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditMany, type AuditAction, type AuditEntry } from '../../platform/audit/audit.ts';
import { Conflict, Invalid, NotFound, type DomainError } from '../../platform/errors.ts';
import { score as scoreOf, validateAnswers } from '../progression/engine.ts';
import type { LinkedRecord } from '../portal/portal.repository.ts';
import { citizenAuditRows, type PortalSession } from '../portal/portal.session.ts';
import { audited, type Outcome } from '../portal/portal-plan.service.ts';

type Definition = z.infer<typeof InstrumentDefinition>;
type Tx = Transaction<Database>;
type Q = Kysely<Database> | Tx;

/** A citizen is in a handful of studies at most; the list stops here. */
const MAX_QUESTIONNAIRES = 50;
const RESOURCE = 'study_questionnaire';

const citizenIds = (session: PortalSession) => session.records.map((r) => r.citizenId);

function question(item: InstrumentItem): PortalQuestion {
  const a = item.answer;
  return a.kind === 'choice'
    ? { code: item.code, text: item.text, required: item.required, kind: 'choice', options: a.options, min: null, max: null, minLabel: null, maxLabel: null }
    : { code: item.code, text: item.text, required: item.required, kind: 'number', options: [], min: a.min, max: a.max, minLabel: a.minLabel ?? null, maxLabel: a.maxLabel ?? null };
}

interface OpenRow {
  study_id: string;
  title: string;
  purpose: string;
  partner_name: string;
  ends_on: string;
  id: string;
  instrument_id: string;
  instrument_code: string;
  definition: Definition;
  citizen_id: string;
  organisation_id: string;
  status: 'answered' | 'declined' | 'withdrawn' | null;
  answered_at: Date | string | null;
}

/**
 * The questionnaires of the approved, running studies of the records' programmes, each with the record it is asked
 * through (the earliest enrolment, active or paused, in the study's programme in an included organisation) and my
 * answer's state. One statement.
 */
function questionnairesOf(db: Q, ids: string[], accountId: string, only: string | null, cap: number) {
  return sql<OpenRow>`
    select s.id as study_id, s.title, s.purpose, s.partner_name, s.ends_on::text as ends_on,
           q.id, q.instrument_id, q.instrument_code, i.definition, e.citizen_id, e.organisation_id, a.status, a.answered_at
      from studies s
      join study_questionnaires q on q.study_id = s.id
      join instruments i on i.id = q.instrument_id
      cross join lateral (
        select e.citizen_id, e.organisation_id from enrolments e
         where e.citizen_id = any(${ids}::uuid[]) and e.programme_id = s.programme_id and e.status in ('active', 'paused')
           and exists (select 1 from study_organisations so where so.study_id = s.id and so.organisation_id = e.organisation_id)
         order by e.start_date, e.id limit 1) e
      left join study_answers a on a.questionnaire_id = q.id and a.portal_account_id = ${accountId}
     where s.status = 'approved'
       and (now() at time zone 'Europe/Copenhagen')::date between s.starts_on and s.ends_on
       ${only ? sql`and q.id = ${only}` : sql``}
     order by s.approved_at, s.id, q.added_at, q.id
     limit ${cap}`.execute(db);
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** My research questionnaires, by study, with the study's purpose and partner; questions only while open. */
export async function listResearch(db: Kysely<Database>, session: PortalSession): Promise<PortalResearchList> {
  return db.transaction().execute(async (tx) => {
    const { rows } = await questionnairesOf(tx, citizenIds(session), session.accountId, null, MAX_QUESTIONNAIRES);
    const studies = new Map<string, PortalResearchStudy>();
    for (const r of rows) {
      let study = studies.get(r.study_id);
      if (!study) studies.set(r.study_id, (study = { id: r.study_id, title: r.title, purpose: r.purpose, partnerName: r.partner_name, endsOn: r.ends_on, questionnaires: [] }));
      const state: PortalResearchState = r.status ?? 'open';
      study.questionnaires.push({
        id: r.id,
        instrumentCode: r.instrument_code,
        title: r.definition.title,
        description: r.definition.description ?? null,
        state,
        answeredAt: state === 'open' ? null : iso(r.answered_at),
        questions: state === 'open' ? r.definition.items.map(question) : [],
      });
    }
    await recordAuditMany(
      tx,
      citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_research', outcome: 'success', purpose: 'research', criteria: { questionnaires: rows.length } }),
    );
    return { studies: [...studies.values()] };
  });
}

function audit(session: PortalSession, records: LinkedRecord[], action: AuditAction, outcome: AuditEntry['outcome'], questionnaireId: string, criteria: Record<string, unknown>): AuditEntry[] {
  // Never the answer's id or values: the row says which questionnaire and what step, no more.
  return citizenAuditRows(session.accountId, records, { action, resourceType: RESOURCE, outcome, purpose: 'research', criteria: { questionnaireId, ...criteria } }).map((row) => ({
    ...row,
    resourceId: questionnaireId,
  }));
}

export class AlreadyAnswered extends Conflict {
  constructor(state: string) {
    super('You have answered this questionnaire already, or said no thanks', [{ path: 'id', message: state === 'answered' ? 'already_answered' : `already_${state}` }]);
  }
}

type Refuse<T> = (error: DomainError, rows: AuditEntry[]) => Promise<Outcome<T>>;

/** The questionnaire as asked of me now, or the refusal (404, audited on all my records) when it is not. */
async function openFor<T>(tx: Tx, session: PortalSession, id: string, action: AuditAction, refuse: Refuse<T>): Promise<{ ok: false; refused: Outcome<T> } | { ok: true; row: OpenRow; record: LinkedRecord[] }> {
  const { rows } = await questionnairesOf(tx, citizenIds(session), session.accountId, id, 1);
  const row = rows[0];
  if (!row) return { ok: false, refused: await refuse(new NotFound('No such questionnaire'), audit(session, session.records, action, 'denied', id, { reason: 'unknown_questionnaire' })) };
  return { ok: true, row, record: [{ citizenId: row.citizen_id, organisationId: row.organisation_id }] };
}

/** My answer to a research questionnaire: validated and scored by the instrument engine, stored for the study only. */
export async function answerResearch(db: Kysely<Database>, session: PortalSession, id: string, input: PortalResearchAnswerRequest): Promise<PortalResearchReceipt> {
  return audited<PortalResearchReceipt>(db, async (tx, refuse) => {
    const found = await openFor<PortalResearchReceipt>(tx, session, id, 'create', refuse);
    if (!found.ok) return found.refused;
    const { row, record } = found;
    if (row.status) return refuse(new AlreadyAnswered(row.status), audit(session, record, 'create', 'failure', id, { reason: `already_${row.status}` }));
    const checked = validateAnswers(row.definition, input.answers, { draft: false, respondent: 'citizen' });
    if (!checked.ok) {
      throw new Invalid(
        `The answer to ${checked.errors[0]!.item} is not accepted (${checked.errors[0]!.code})`,
        checked.errors.map((e) => ({ path: `answers.${e.item}`, message: e.code, code: e.code })),
      );
    }
    const score = scoreOf(row.definition, input.answers);
    const inserted = await sql<{ answered_at: Date }>`
      insert into study_answers (study_id, questionnaire_id, citizen_id, portal_account_id, instrument_id, instrument_code, status, answers, raw, scaled)
      values (${row.study_id}, ${id}, ${row.citizen_id}, ${session.accountId}, ${row.instrument_id}, ${row.instrument_code}, 'answered',
              ${JSON.stringify(input.answers)}::jsonb, ${score?.raw ?? null}, ${score?.scaled ?? null})
      on conflict do nothing
      returning answered_at`.execute(tx);
    const answered = inserted.rows[0];
    // A second answer in a race with the first: the first stands.
    if (!answered) return refuse(new AlreadyAnswered('answered'), audit(session, record, 'create', 'failure', id, { reason: 'already_answered' }));
    await recordAuditMany(tx, audit(session, record, 'create', 'success', id, { studyId: row.study_id, step: 'answer', instrument: row.instrument_code }));
    return { ok: true, value: { id, state: 'answered' as const, answeredAt: iso(answered.answered_at) } };
  });
}

/** "Nej tak": recorded, so the questionnaire is not asked again. Saying it twice gives the same answer. */
export async function declineResearch(db: Kysely<Database>, session: PortalSession, id: string): Promise<PortalResearchReceipt> {
  return audited<PortalResearchReceipt>(db, async (tx, refuse) => {
    const found = await openFor<PortalResearchReceipt>(tx, session, id, 'create', refuse);
    if (!found.ok) return found.refused;
    const { row, record } = found;
    if (row.status === 'declined') {
      await recordAuditMany(tx, audit(session, record, 'create', 'success', id, { studyId: row.study_id, step: 'decline', changed: false }));
      return { ok: true, value: { id, state: 'declined' as const, answeredAt: iso(row.answered_at) } };
    }
    if (row.status) return refuse(new AlreadyAnswered(row.status), audit(session, record, 'create', 'failure', id, { reason: `already_${row.status}` }));
    const inserted = await sql<{ answered_at: Date }>`
      insert into study_answers (study_id, questionnaire_id, citizen_id, portal_account_id, instrument_id, instrument_code, status)
      values (${row.study_id}, ${id}, ${row.citizen_id}, ${session.accountId}, ${row.instrument_id}, ${row.instrument_code}, 'declined')
      on conflict do nothing
      returning answered_at`.execute(tx);
    const declined = inserted.rows[0];
    if (!declined) return refuse(new AlreadyAnswered('answered'), audit(session, record, 'create', 'failure', id, { reason: 'already_answered' }));
    await recordAuditMany(tx, audit(session, record, 'create', 'success', id, { studyId: row.study_id, step: 'decline' }));
    return { ok: true, value: { id, state: 'declined' as const, answeredAt: iso(declined.answered_at) } };
  });
}

export class NotAnswered extends Conflict {
  constructor() {
    super('There are no answers of yours to delete', [{ path: 'id', message: 'not_answered' }]);
  }
}

/**
 * Deletes my answers (the values and the score; the row stays as "withdrawn" so the questionnaire is not asked again),
 * whether or not I am still in the programme. An export already delivered to the partner keeps them: the portal says
 * so. Deleting twice gives the same answer.
 */
export async function withdrawResearch(db: Kysely<Database>, session: PortalSession, id: string): Promise<PortalResearchReceipt> {
  return audited<PortalResearchReceipt>(db, async (tx, refuse) => {
    const { rows } = await sql<{ id: string; status: 'answered' | 'declined' | 'withdrawn'; study_id: string; citizen_id: string; organisation_id: string }>`
      select a.id, a.status, a.study_id, a.citizen_id, c.organisation_id
        from study_answers a join citizens c on c.id = a.citizen_id
       where a.questionnaire_id = ${id} and a.portal_account_id = ${session.accountId}
         and a.citizen_id = any(${citizenIds(session)}::uuid[])
       for update of a`.execute(tx);
    const row = rows[0];
    if (!row) return refuse(new NotFound('No answers of yours to this questionnaire'), audit(session, session.records, 'delete', 'denied', id, { reason: 'unknown_questionnaire' }));
    const record = [{ citizenId: row.citizen_id, organisationId: row.organisation_id }];
    if (row.status === 'declined') return refuse(new NotAnswered(), audit(session, record, 'delete', 'failure', id, { reason: 'not_answered' }));
    if (row.status === 'answered') {
      await sql`update study_answers set status = 'withdrawn', answers = null, raw = null, scaled = null, withdrawn_at = now() where id = ${row.id}`.execute(tx);
    }
    await recordAuditMany(tx, audit(session, record, 'delete', 'success', id, { studyId: row.study_id, step: 'withdraw', changed: row.status === 'answered' }));
    return { ok: true, value: { id, state: 'withdrawn' as const, answeredAt: null } };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The export's hook

/** One answer as the export writes it (before pseudonymisation: the export keys `citizenId` with the study key). */
export interface StudyAnswerRow {
  citizenId: string;
  instrument: string;
  instrumentVersion: number;
  answeredAt: Date;
  /** Item code → the answer given. */
  items: Record<string, number>;
  /** The instrument's score where it scores (raw; scaled where it scales). */
  score: { raw: number; scaled: number | null } | null;
}

/**
 * The study's answers (not those declined or deleted), in keyset batches by the answer's id: one indexed statement
 * per batch, never the whole table in memory. For the export job (decision 0040: the file `research_answers`).
 */
export async function* studyAnswerBatches(db: Q, studyId: string, batchSize = 5000): AsyncGenerator<StudyAnswerRow[]> {
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: { id: string; citizen_id: string; instrument_code: string; version: number; answered_at: Date; answers: Record<string, number>; raw: number | null; scaled: number | null }[] } = await sql<{
      id: string;
      citizen_id: string;
      instrument_code: string;
      version: number;
      answered_at: Date;
      answers: Record<string, number>;
      raw: number | null;
      scaled: number | null;
    }>`
      select a.id, a.citizen_id, a.instrument_code, i.version, a.answered_at, a.answers, a.raw, a.scaled
        from study_answers a join instruments i on i.id = a.instrument_id
       where a.study_id = ${studyId} and a.status = 'answered'
         ${after ? sql`and a.id > ${after}::uuid` : sql``}
       order by a.id
       limit ${batchSize}`.execute(db);
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      citizenId: r.citizen_id,
      instrument: r.instrument_code,
      instrumentVersion: r.version,
      answeredAt: new Date(r.answered_at),
      items: r.answers,
      score: r.raw === null ? null : { raw: r.raw, scaled: r.scaled },
    }));
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}
