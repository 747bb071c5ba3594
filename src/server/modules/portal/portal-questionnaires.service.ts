// "Spørgeskemaer" for the citizen: the questionnaires due for me and my answer to one (at either level of assurance:
// a new answer shows nothing of earlier ones), and at level "substantial" my progression and my earlier answers. An
// answer goes through the same path as staff answers (assessments.service.ts storeAnswer: validation, scoring,
// alerts, the due measurement closed), recorded as given by the citizen in the portal and audited with the citizen as
// actor. Any id that is not a due questionnaire of the session's records answers 404, and the refusal is audited.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { InstrumentDefinition, InstrumentItem } from '../../../contracts/instruments.ts';
import type {
  PortalAnswerHistory,
  PortalAnswerHistoryQuery,
  PortalAnswerReceipt,
  PortalAnswerRequest,
  PortalProgression,
  PortalProgressionInstrument,
  PortalQuestion,
  PortalQuestionnaireList,
  PortalTrend,
} from '../../../contracts/portal-questionnaires.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditMany, type AuditAction, type AuditEntry } from '../../platform/audit/audit.ts';
import { Conflict, NotFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isIsoTimestamp, isUuid } from '../../platform/pagination.ts';
import { comparable, storeAnswer } from '../progression/assessments.service.ts';
import { isRelevantChange } from '../progression/engine.ts';
import { activeInstrument } from '../progression/instruments.service.ts';
import type { LinkedRecord } from './portal.repository.ts';
import { citizenAuditRows, type PortalSession } from './portal.session.ts';
import { audited } from './portal-plan.service.ts';
import * as repo from './portal-questionnaires.repository.ts';

type Definition = z.infer<typeof InstrumentDefinition>;
/** Open due measurements are one per instrument and record; the schedule holds at most 20 instruments. */
const MAX_DUE = 40;
const POINTS_PER_INSTRUMENT = 12;
const MAX_INSTRUMENTS = 20;

const citizenIds = (session: PortalSession) => session.records.map((r) => r.citizenId);

function question(item: InstrumentItem): PortalQuestion {
  const a = item.answer;
  return a.kind === 'choice'
    ? { code: item.code, text: item.text, required: item.required, kind: 'choice', options: a.options, min: null, max: null, minLabel: null, maxLabel: null }
    : { code: item.code, text: item.text, required: item.required, kind: 'number', options: [], min: a.min, max: a.max, minLabel: a.minLabel ?? null, maxLabel: a.maxLabel ?? null };
}

/** The questionnaires due for me, with their questions; never an earlier answer or score. */
export async function dueQuestionnaires(db: Kysely<Database>, session: PortalSession): Promise<PortalQuestionnaireList> {
  return db.transaction().execute(async (tx) => {
    const rows = await repo.dueOf(tx, citizenIds(session), MAX_DUE);
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_questionnaires', outcome: 'success', criteria: { count: rows.length, assurance: session.assurance } }));
    return {
      items: rows.map((r) => ({
        id: r.id,
        instrumentCode: r.instrument_code,
        instrumentVersion: r.instrument_version,
        title: r.definition.title,
        description: r.definition.description ?? null,
        dueDate: r.due_date,
        questions: r.definition.items.map(question),
      })),
    };
  });
}

export class QuestionnaireAnswered extends Conflict {
  constructor() {
    super('The questionnaire has been answered already', [{ path: 'id', message: 'already_answered' }]);
  }
}

export class QuestionnaireChanged extends Conflict {
  constructor() {
    super('The questionnaire has changed since you opened it; open it again', [{ path: 'instrumentVersion', message: 'changed' }]);
  }
}

function answerAudit(session: PortalSession, records: LinkedRecord[], action: AuditAction, outcome: AuditEntry['outcome'], questionnaireId: string, criteria: Record<string, unknown>): AuditEntry[] {
  return citizenAuditRows(session.accountId, records, { action, resourceType: 'assessment', outcome, criteria: { questionnaireId, assurance: session.assurance, ...criteria } });
}

/** My answer to a questionnaire due for me: stored as the staff path stores answers, the receipt without a score. */
export async function answerQuestionnaire(db: Kysely<Database>, session: PortalSession, id: string, input: PortalAnswerRequest): Promise<PortalAnswerReceipt> {
  return audited<PortalAnswerReceipt>(db, async (tx, refuse) => {
    const task = await repo.dueTaskOfRecords(tx, id, citizenIds(session));
    const instrument = task ? await activeInstrument(tx, task.organisation_id, task.instrument_code) : undefined;
    if (!task || !instrument || !repo.isCitizenAnswerable(instrument.definition)) {
      const records = task ? [{ citizenId: task.citizen_id, organisationId: task.organisation_id }] : session.records;
      return refuse(new NotFound('No such questionnaire'), answerAudit(session, records, 'create', 'denied', id, { reason: task ? 'not_citizen_answerable' : 'unknown_questionnaire' }));
    }
    const record = [{ citizenId: task.citizen_id, organisationId: task.organisation_id }];
    if (task.status !== 'open') return refuse(new QuestionnaireAnswered(), answerAudit(session, record, 'create', 'failure', id, { reason: 'already_answered' }));
    if (instrument.version !== input.instrumentVersion) return refuse(new QuestionnaireChanged(), answerAudit(session, record, 'create', 'failure', id, { reason: 'instrument_changed' }));
    const stored = await storeAnswer(
      tx,
      { organisationId: task.organisation_id, citizenId: task.citizen_id, enrolment: { id: task.enrolment_id, programme_id: task.programme_id, status: task.enrolment_status }, instrument },
      { kind: 'citizen', accountId: session.accountId },
      { answers: input.answers, draft: false },
    );
    await recordAuditMany(
      tx,
      answerAudit(session, record, 'create', 'success', id, { instrument: instrument.code, version: instrument.version, occasion: stored.occasion, alerts: stored.alerts.length }).map((row) => ({ ...row, resourceId: stored.row.id })),
    );
    return { ok: true, value: { received: true as const, answeredAt: new Date(stored.row.answered_at).toISOString() } };
  });
}

/** The highest value of the instrument's compared score: 100 when it scales, else the top of its bands. */
function axisMax(def: Definition): number | null {
  const scoring = def.scoring;
  if (!scoring) return null;
  if (scoring.scale) return 100;
  const tops = (scoring.bands ?? []).map((b) => b.max);
  return tops.length > 0 ? Math.max(...tops) : null;
}

function trendOf(def: Definition, before: repo.SeriesRow | undefined, latest: repo.SeriesRow): PortalTrend | null {
  if (!before || before.raw === null || latest.raw === null) return null;
  const from = comparable(before);
  const to = comparable(latest);
  if (from === null || to === null) return null;
  if (!isRelevantChange(def, { raw: before.raw, scaled: before.scaled, band: before.band }, { raw: latest.raw, scaled: latest.scaled, band: latest.band })) return 'same';
  return to > from ? 'up' : 'down';
}

/** My progression: per instrument my latest answers (oldest first) and whether the latest moved relevantly. */
export async function progression(db: Kysely<Database>, session: PortalSession): Promise<PortalProgression> {
  return db.transaction().execute(async (tx) => {
    const rows = await repo.seriesOf(tx, citizenIds(session), POINTS_PER_INSTRUMENT, MAX_INSTRUMENTS);
    const byCode = new Map<string, repo.SeriesRow[]>();
    for (const row of rows) byCode.set(row.instrument_code, [...(byCode.get(row.instrument_code) ?? []), row]);
    const instruments: PortalProgressionInstrument[] = [];
    for (const [code, series] of byCode) {
      const latest = series[series.length - 1]!;
      const points = series.flatMap((r) => {
        const value = comparable(r);
        return value === null ? [] : [{ answeredAt: new Date(r.answered_at).toISOString(), value }];
      });
      instruments.push({ instrumentCode: code, title: latest.title, max: axisMax(latest.definition), points, trend: trendOf(latest.definition, series[series.length - 2], latest) });
    }
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_progression', outcome: 'success', criteria: { instruments: instruments.length } }));
    return { instruments };
  });
}

type HistoryCursor = { at: string; id: string };
const isHistoryCursor = (v: unknown): v is HistoryCursor => typeof v === 'object' && v !== null && isIsoTimestamp((v as HistoryCursor).at) && isUuid((v as HistoryCursor).id);

/** My earlier answers, newest first, a page at a time (keyset on the time answered and the id). */
export async function answerHistory(db: Kysely<Database>, session: PortalSession, query: PortalAnswerHistoryQuery): Promise<PortalAnswerHistory> {
  const after = decodeCursor(query.cursor, isHistoryCursor);
  return db.transaction().execute(async (tx) => {
    const rows = await repo.answersOf(tx, citizenIds(session), session.accountId, after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_answers', outcome: 'success', criteria: { count: page.length, page: after ? 'next' : 'first' } }));
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ id: r.id, instrumentCode: r.instrument_code, title: r.title, answeredAt: new Date(r.answered_at).toISOString(), value: comparable(r), byMe: r.by_me })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: new Date(last.answered_at).toISOString(), id: last.id }) : null,
    };
  });
}
