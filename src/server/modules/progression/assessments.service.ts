// Answering an instrument with (or about) a citizen: drafts, submissions scored on the server from the
// instrument version answered, alerts that open one internal staff task per rule, corrections with their
// reason and history, and the baseline/latest pair per enrolment that the cohort view reads.
// Answers are health data of the organisation that collected them: the team's resource consultant and
// caseworker only (policy `assessment:*`, scope `citizen-team`).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { InstrumentDefinition } from '../../../contracts/instruments.ts';
import type { AssessmentListQuery, CreateAssessmentRequest, UpdateAssessmentRequest } from '../../../contracts/progression.ts';
import type { AssessmentOccasion, Database } from '../../db/schema.ts';
import { AccessDenied } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { Conflict, Invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isIsoTimestamp, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { requireCitizenAccess } from '../citizens/citizen-access.ts';
import { firedAlerts, isRelevantChange, score as scoreOf, validateAnswers } from './engine.ts';
import { activeInstrument, full, instrumentsByIds, type InstrumentRow } from './instruments.service.ts';
import { movementOf, relevantChangeFor } from './movement.ts';

type Tx = Transaction<Database>;
type Definition = z.infer<typeof InstrumentDefinition>;
type Score = NonNullable<ReturnType<typeof scoreOf>>;
const PURPOSE = 'case_work' as const;

export interface AssessmentDeps {
  db: Kysely<Database>;
}

/** The value a cohort compares: the scaled score where the instrument scales, else the raw one. */
export const comparable = (s: { raw: number | null; scaled: number | null } | null) => (s ? (s.scaled ?? s.raw) : null);

function answerErrors(def: Definition, answers: Record<string, number>, draft: boolean, respondent?: 'citizen') {
  const result = validateAnswers(def, answers, { draft, respondent });
  if (result.ok) return;
  const first = result.errors[0]!;
  throw new Invalid(
    `The answer to ${first.item} is not accepted (${first.code})`,
    result.errors.map((e) => ({ path: `answers.${e.item}`, message: e.code, code: e.code })),
  );
}

/** The enrolment an answer belongs to: the one named, or the actor's team's open one. */
async function enrolmentFor(tx: Tx, actor: Actor, citizenId: string, enrolmentId: string | undefined, today: string) {
  const rows = await tx
    .selectFrom('enrolments as e')
    .innerJoin('team_members as tm', 'tm.enrolment_id', 'e.id')
    .select(['e.id', 'e.programme_id', 'e.status', 'e.start_date', 'e.end_date'])
    .where('e.citizen_id', '=', citizenId)
    .where('tm.user_id', '=', actor.userId)
    .where('tm.role', 'in', ['resource_consultant', 'caseworker'])
    .where('tm.valid_from', '<=', today)
    .where((eb) => eb.or([eb('tm.valid_to', 'is', null), eb('tm.valid_to', '>=', today)]))
    .$if(enrolmentId !== undefined, (q) => q.where('e.id', '=', enrolmentId!))
    .orderBy(sql`e.status = 'ended'`)
    .orderBy('e.start_date', 'desc')
    .limit(1)
    .execute();
  const row = rows[0];
  if (!row) throw new Invalid('The citizen has no enrolment on whose team you are', [{ path: enrolmentId ? 'enrolmentId' : 'citizen', message: 'no_team_enrolment' }]);
  return row;
}

/** The enrolment's resource consultant today (the latest permanent one when a team has several). */
const CURRENT_CONSULTANT = (enrolment: ReturnType<typeof sql>) => sql`
  select tm.user_id from team_members tm
   where tm.enrolment_id = ${enrolment} and tm.role = 'resource_consultant' and tm.kind = 'permanent'
     and tm.valid_from <= (now() at time zone 'Europe/Copenhagen')::date
     and (tm.valid_to is null or tm.valid_to >= (now() at time zone 'Europe/Copenhagen')::date)
   order by tm.valid_from desc, tm.user_id limit 1`;

/**
 * Re-reads the first and the latest submitted measurement of an enrolment and instrument into the pair, with
 * its movement against the active version's relevant change. The pair table's triggers (migration 0012) move
 * the pair's old contribution out of the programme's cohort aggregates and its new one in, in this statement.
 */
async function refreshPair(tx: Tx, enrolmentId: string, code: string) {
  const firstAndLast = await sql<{ id: string; answered_at: Date; raw: number | null; scaled: number | null; band: string | null; organisation_id: string; programme_id: string; citizen_id: string; n: number; which: string }>`
    (select id, answered_at, raw, scaled, band, organisation_id, programme_id, citizen_id,
            count(*) over () as n, 'first' as which
       from assessments where enrolment_id = ${enrolmentId} and instrument_code = ${code} and status = 'submitted'
      order by answered_at, id limit 1)
    union all
    (select id, answered_at, raw, scaled, band, organisation_id, programme_id, citizen_id, 0 as n, 'last' as which
       from assessments where enrolment_id = ${enrolmentId} and instrument_code = ${code} and status = 'submitted'
      order by answered_at desc, id desc limit 1)`.execute(tx);
  const first = firstAndLast.rows.find((r) => r.which === 'first');
  const last = firstAndLast.rows.find((r) => r.which === 'last');
  if (!first || !last) {
    await tx.deleteFrom('assessment_pairs').where('enrolment_id', '=', enrolmentId).where('instrument_code', '=', code).execute();
    return;
  }
  const measurements = Number(first.n);
  const baseline = comparable(first);
  const latest = comparable(last);
  const values = {
    organisation_id: first.organisation_id,
    programme_id: first.programme_id,
    citizen_id: first.citizen_id,
    measurements,
    baseline_id: first.id,
    baseline_at: first.answered_at,
    baseline_value: baseline,
    baseline_band: first.band,
    latest_id: last.id,
    latest_at: last.answered_at,
    latest_value: latest,
    latest_band: last.band,
    benefit_code: sql<string | null>`(select benefit_code from enrolments where id = ${enrolmentId})`,
    consultant_id: sql<string | null>`(${CURRENT_CONSULTANT(sql`${enrolmentId}::uuid`)})`,
    movement: movementOf(sql`${measurements}::int`, sql`${baseline}::float8`, sql`${latest}::float8`, relevantChangeFor(sql`${first.programme_id}::uuid`, sql`${code}::text`)),
  };
  await tx
    .insertInto('assessment_pairs')
    .values({ enrolment_id: enrolmentId, instrument_code: code, ...values })
    .onConflict((oc) => oc.columns(['enrolment_id', 'instrument_code']).doUpdateSet(values))
    .execute();
}

/**
 * Builds every pair from the answers in one statement (loading demo or benchmark data in bulk), and with them
 * the cohort aggregates (cleared first, then summed afresh by the pair table's insert trigger over all the new
 * pairs at once); the application itself keeps each pair in the answer's transaction (refreshPair).
 */
const PAIR_SOURCE = sql.raw('id, enrolment_id, instrument_code, organisation_id, programme_id, citizen_id, answered_at, band, coalesce(scaled, raw)::float8 as value');

export async function rebuildAssessmentPairs(db: Kysely<Database> | Transaction<Database>) {
  await sql`delete from assessment_pairs`.execute(db);
  await sql`delete from cohort_aggregates`.execute(db);
  // The relevant change once per programme and instrument (a handful of rows), not looked up per pair.
  const relevant = sql`(select v from relevance where relevance.programme_id = f.programme_id and relevance.instrument_code = f.instrument_code)`;
  await sql`
    with relevance as materialized (
      select pp.programme_id, pp.instrument_code, ${relevantChangeFor(sql.ref('pp.programme_id'), sql.ref('pp.instrument_code'))} as v
        from (select distinct programme_id, instrument_code from assessments where status = 'submitted') pp)
    insert into assessment_pairs (enrolment_id, instrument_code, organisation_id, programme_id, citizen_id, measurements,
                                  baseline_id, baseline_at, baseline_value, baseline_band, latest_id, latest_at, latest_value, latest_band,
                                  benefit_code, consultant_id, movement)
    select f.enrolment_id, f.instrument_code, f.organisation_id, f.programme_id, f.citizen_id, c.n,
           f.id, f.answered_at, f.value, f.band, l.id, l.answered_at, l.value, l.band,
           (select benefit_code from enrolments where id = f.enrolment_id), (${CURRENT_CONSULTANT(sql`f.enrolment_id`)}),
           ${movementOf(sql.ref('c.n'), sql.ref('f.value'), sql.ref('l.value'), relevant)}
      -- Only the columns the pair keeps (not the answers), so that sorting a million answers stays small.
      from (select distinct on (enrolment_id, instrument_code) ${PAIR_SOURCE} from assessments where status = 'submitted' and raw is not null
             order by enrolment_id, instrument_code, answered_at, id) f
      join (select distinct on (enrolment_id, instrument_code) ${PAIR_SOURCE} from assessments where status = 'submitted' and raw is not null
             order by enrolment_id, instrument_code, answered_at desc, id desc) l using (enrolment_id, instrument_code)
      join (select enrolment_id, instrument_code, count(*)::int as n from assessments where status = 'submitted'
             group by enrolment_id, instrument_code) c using (enrolment_id, instrument_code)`.execute(db);
}

/** Opens one internal task per alert rule that fired, unless one is open for the citizen already. */
async function openAlertTasks(tx: Tx, row: { organisation_id: string; citizen_id: string; enrolment_id: string; programme_id: string; instrument_code: string }, assessmentId: string, alerts: { code: string; task: { da: string; en: string } }[]) {
  if (alerts.length === 0) return;
  await tx
    .insertInto('staff_tasks')
    .values(
      alerts.map((a) => ({
        organisation_id: row.organisation_id,
        citizen_id: row.citizen_id,
        enrolment_id: row.enrolment_id,
        programme_id: row.programme_id,
        kind: 'alert' as const,
        rule: a.code,
        instrument_code: row.instrument_code,
        text_da: a.task.da,
        text_en: a.task.en,
        assessment_id: assessmentId,
        status: 'open' as const,
      })),
    )
    .onConflict((oc) => oc.columns(['citizen_id', 'kind', 'rule']).where(sql.ref('status'), '=', sql.lit('open')).doNothing())
    .execute();
}

/** A submission answers the measurement that was due for this instrument. */
async function closeDueTask(tx: Tx, enrolmentId: string, code: string, closedBy: string | null) {
  await tx
    .updateTable('staff_tasks')
    .set({ status: 'done', closed_at: new Date(), closed_by: closedBy, close_note: 'answered', version: sql`version + 1` })
    .where('enrolment_id', '=', enrolmentId)
    .where('kind', '=', 'measurement_due')
    .where('instrument_code', '=', code)
    .where('status', '=', 'open')
    .execute();
}

async function previousValue(tx: Tx, enrolmentId: string, code: string, exceptId: string) {
  const row = await tx
    .selectFrom('assessments')
    .select(['raw', 'scaled'])
    .where('enrolment_id', '=', enrolmentId)
    .where('instrument_code', '=', code)
    .where('status', '=', 'submitted')
    .where('id', '!=', exceptId)
    .orderBy('answered_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && row.raw !== null ? { raw: row.raw, scaled: row.scaled, band: null } : null;
}

function changeFrom(def: Definition, before: Score | null, score: Score | null) {
  const from = comparable(before);
  const to = comparable(score);
  if (from === null || to === null) return null;
  return { from, to, relevant: isRelevantChange(def, before, score) };
}

function response(row: { id: string; status: 'draft' | 'submitted'; occasion: AssessmentOccasion; answered_at: Date | string; version: number }, instrument: InstrumentRow, score: Score | null, alerts: { code: string; task: { da: string; en: string } }[], change: ReturnType<typeof changeFrom>) {
  return {
    id: row.id,
    status: row.status,
    instrumentCode: instrument.code,
    instrumentVersion: instrument.version,
    occasion: row.occasion,
    answeredAt: new Date(row.answered_at).toISOString(),
    score,
    alerts,
    change,
    version: row.version,
  };
}

const scoreColumns = (score: Score | null) => ({
  raw: score?.raw ?? null,
  scaled: score?.scaled ?? null,
  band: score?.band ?? null,
  subscales: score?.subscales ? JSON.stringify(score.subscales) : null,
});

/** Who gives an answer: a staff member (with the citizen or alone), or the citizen in the portal. */
export type AnswerAuthor = { kind: 'staff'; userId: string; answeredWith: 'with_citizen' | 'staff_only' } | { kind: 'citizen'; accountId: string };

/** What an answer is about: the citizen's record, the enrolment it is measured in and the instrument version answered. */
export interface AnswerTarget {
  organisationId: string;
  citizenId: string;
  enrolment: { id: string; programme_id: string; status: string };
  instrument: InstrumentRow;
}

/**
 * The one path every new answer takes, whoever gives it: validated against the instrument (a citizen answers the
 * citizen's items only), scored on the server, its alerts opening staff tasks, the due measurement closed and the
 * baseline/latest pair kept — all in the caller's transaction. A staff member continues their open draft; a
 * citizen's answer is always a new submission (a staff draft stays as it was).
 */
export async function storeAnswer(tx: Tx, target: AnswerTarget, author: AnswerAuthor, input: { answers: Record<string, number>; draft: boolean; occasion?: AssessmentOccasion }) {
  const { organisationId, citizenId, enrolment, instrument } = target;
  const def = instrument.definition;
  const draft = author.kind === 'staff' && input.draft;
  answerErrors(def, input.answers, draft, author.kind === 'citizen' ? 'citizen' : undefined);
  // Serialises answers of one enrolment (the draft, the pair, the alert tasks).
  await tx.selectFrom('enrolments').select('id').where('id', '=', enrolment.id).forUpdate().execute();
  const existingDraft =
    author.kind === 'staff'
      ? await tx
          .selectFrom('assessments')
          .select(['id', 'occasion'])
          .where('enrolment_id', '=', enrolment.id)
          .where('instrument_code', '=', instrument.code)
          .where('status', '=', 'draft')
          .executeTakeFirst()
      : undefined;
  const earlier = await tx
    .selectFrom('assessments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('enrolment_id', '=', enrolment.id)
    .where('instrument_code', '=', instrument.code)
    .where('status', '=', 'submitted')
    .executeTakeFirstOrThrow();
  const occasion: AssessmentOccasion = input.occasion ?? existingDraft?.occasion ?? (Number(earlier.n) === 0 ? 'baseline' : enrolment.status === 'ended' ? 'exit' : 'follow_up');
  const score = draft ? null : scoreOf(def, input.answers);
  const alerts = draft ? [] : firedAlerts(def, input.answers, score);
  const now = new Date();
  const values = {
    instrument_id: instrument.id,
    occasion,
    status: draft ? ('draft' as const) : ('submitted' as const),
    answers: JSON.stringify(input.answers),
    ...scoreColumns(score),
    alerts: alerts.map((a) => a.code),
    answered_at: now,
    answered_with: author.kind === 'staff' ? author.answeredWith : ('citizen_portal' as const),
    updated_at: now,
  };
  const authorColumns = author.kind === 'staff' ? { created_by: author.userId, answered_by_account: null } : { created_by: null, answered_by_account: author.accountId };
  const row = existingDraft
    ? await tx.updateTable('assessments').set({ ...values, version: sql`version + 1` }).where('id', '=', existingDraft.id).returning(['id', 'status', 'occasion', 'answered_at', 'version']).executeTakeFirstOrThrow()
    : await tx
        .insertInto('assessments')
        .values({ ...values, ...authorColumns, organisation_id: organisationId, citizen_id: citizenId, enrolment_id: enrolment.id, programme_id: enrolment.programme_id, instrument_code: instrument.code })
        .returning(['id', 'status', 'occasion', 'answered_at', 'version'])
        .executeTakeFirstOrThrow();
  let change = null;
  if (!draft) {
    const before = await previousValue(tx, enrolment.id, instrument.code, row.id);
    change = changeFrom(def, before, score);
    await openAlertTasks(tx, { organisation_id: organisationId, citizen_id: citizenId, enrolment_id: enrolment.id, programme_id: enrolment.programme_id, instrument_code: instrument.code }, row.id, alerts);
    await closeDueTask(tx, enrolment.id, instrument.code, author.kind === 'staff' ? author.userId : null);
    // Last before the audit row and the commit: the pair's triggers lock the programme's aggregate rows.
    if (score) await refreshPair(tx, enrolment.id, instrument.code);
  }
  return { row, score, alerts, change, draft, occasion, continuedDraft: existingDraft !== undefined };
}

export async function createAssessment(deps: AssessmentDeps, actor: Actor, citizenId: string, input: z.infer<typeof CreateAssessmentRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId, today } = await requireCitizenAccess(tx, actor, citizenId, 'assessment:write', 'create');
    const enrolment = await enrolmentFor(tx, actor, citizenId, input.enrolmentId, today);
    const instrument = await activeInstrument(tx, organisationId, input.instrumentCode);
    if (!instrument) throw new Invalid('No active instrument with that code', [{ path: 'instrumentCode', message: 'unknown_instrument' }]);
    const stored = await storeAnswer(
      tx,
      { organisationId, citizenId, enrolment, instrument },
      { kind: 'staff', userId: actor.userId, answeredWith: input.answeredWith ?? 'with_citizen' },
      { answers: input.answers, draft: input.draft === true, occasion: input.occasion },
    );
    await recordAudit(tx, {
      actor,
      organisationId,
      action: stored.continuedDraft ? 'update' : 'create',
      purpose: PURPOSE,
      resourceType: 'assessment',
      resourceId: stored.row.id,
      citizenId,
      outcome: 'success',
      criteria: { instrument: instrument.code, version: instrument.version, draft: stored.draft, occasion: stored.occasion, alerts: stored.alerts.length },
    });
    return response(stored.row, instrument, stored.score, stored.alerts, stored.change);
  });
}

type ListCursor = { at: string; id: string };
const isListCursor = (v: unknown): v is ListCursor => typeof v === 'object' && v !== null && isIsoTimestamp((v as ListCursor).at) && isUuid((v as ListCursor).id);

export async function listAssessments(deps: AssessmentDeps, actor: Actor, citizenId: string, query: z.infer<typeof AssessmentListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'assessment:read', 'read');
    const after = decodeCursor(query.cursor, isListCursor);
    const rows = await tx
      .selectFrom('assessments as a')
      .innerJoin('instruments as i', 'i.id', 'a.instrument_id')
      .leftJoin('users as u', 'u.id', 'a.created_by')
      .select([
        'a.id',
        'a.instrument_code',
        'i.version as instrument_version',
        sql<{ da: string; en: string }>`i.definition -> 'title'`.as('title'),
        'a.status',
        'a.occasion',
        'a.answered_at',
        'a.answered_with',
        'a.raw',
        'a.scaled',
        'a.band',
        'a.subscales',
        'a.alerts',
        'a.created_by',
        'u.name as created_by_name',
        'a.version',
        sql<boolean>`exists (select 1 from assessment_corrections c where c.assessment_id = a.id)`.as('corrected'),
      ])
      .where('a.citizen_id', '=', citizenId)
      .$if(query.instrumentCode !== undefined, (q) => q.where('a.instrument_code', '=', query.instrumentCode!))
      .$if(after !== undefined, (q) => q.where(sql<boolean>`(a.answered_at, a.id) < (${after!.at}::timestamptz, ${after!.id}::uuid)`))
      .orderBy('a.answered_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'assessment', citizenId, outcome: 'success', criteria: { count: page.length, instrument: query.instrumentCode ?? null, cursor: query.cursor ? 'next' : null } });
    return {
      items: page.map((r) => ({
        id: r.id,
        instrumentCode: r.instrument_code,
        instrumentVersion: r.instrument_version,
        title: r.title,
        status: r.status,
        occasion: r.occasion,
        answeredAt: new Date(r.answered_at).toISOString(),
        answeredWith: r.answered_with,
        score: r.raw === null ? null : { raw: r.raw, scaled: r.scaled, band: r.band, ...(r.subscales ? { subscales: r.subscales } : {}) },
        alerts: r.alerts,
        corrected: r.corrected,
        createdBy: r.created_by && r.created_by_name ? { id: r.created_by, name: r.created_by_name } : null,
        version: r.version,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: new Date(last.answered_at).toISOString(), id: last.id }) : null,
    };
  });
}

async function assessmentRow(tx: Tx, actor: Actor, id: string, action: 'read' | 'update', forUpdate = false) {
  const row = await tx
    .selectFrom('assessments')
    .selectAll()
    .where('id', '=', id)
    .$if(forUpdate, (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row) {
    throw new AccessDenied({ actor, organisationId: null, action, purpose: PURPOSE, resourceType: 'assessment', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
  }
  return row;
}

export async function getAssessment(deps: AssessmentDeps, actor: Actor, id: string) {
  return inTransaction(deps.db, async (tx) => {
    const row = await assessmentRow(tx, actor, id, 'read');
    const { organisationId } = await requireCitizenAccess(tx, actor, row.citizen_id, 'assessment:read', 'read');
    const instrument = (await instrumentsByIds(tx, [row.instrument_id])).get(row.instrument_id)!;
    const corrections = await tx
      .selectFrom('assessment_corrections as c')
      .innerJoin('users as u', 'u.id', 'c.corrected_by')
      .select(['c.reason', 'c.corrected_at', 'c.corrected_by', 'u.name', 'c.previous_answers', 'c.previous_raw', 'c.previous_scaled', 'c.previous_band'])
      .where('c.assessment_id', '=', id)
      .orderBy('c.corrected_at')
      .limit(200)
      .execute();
    // An answer the citizen gave in the portal has no staff author.
    const author = row.created_by ? await tx.selectFrom('users').select('name').where('id', '=', row.created_by).executeTakeFirstOrThrow() : null;
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'assessment', resourceId: id, citizenId: row.citizen_id, outcome: 'success' });
    return {
      id: row.id,
      instrumentCode: row.instrument_code,
      instrumentVersion: instrument.version,
      title: instrument.definition.title,
      status: row.status,
      occasion: row.occasion,
      answeredAt: new Date(row.answered_at).toISOString(),
      answeredWith: row.answered_with,
      score: row.raw === null ? null : { raw: row.raw, scaled: row.scaled, band: row.band, ...(row.subscales ? { subscales: row.subscales } : {}) },
      alerts: row.alerts,
      corrected: corrections.length > 0,
      createdBy: row.created_by && author ? { id: row.created_by, name: author.name } : null,
      version: row.version,
      answers: row.answers,
      instrument: full(instrument),
      corrections: corrections.map((c) => ({
        reason: c.reason,
        correctedAt: new Date(c.corrected_at).toISOString(),
        correctedBy: { id: c.corrected_by, name: c.name },
        previousAnswers: c.previous_answers,
        previousScore: c.previous_raw === null ? null : { raw: c.previous_raw, scaled: c.previous_scaled, band: c.previous_band },
      })),
    };
  });
}

/** Continues or submits a draft, or corrects a submitted answer (with a reason; the earlier answers are kept). */
export async function updateAssessment(deps: AssessmentDeps, actor: Actor, id: string, input: z.infer<typeof UpdateAssessmentRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const row = await assessmentRow(tx, actor, id, 'update', true);
    const { organisationId } = await requireCitizenAccess(tx, actor, row.citizen_id, 'assessment:write', 'update');
    if (row.version !== input.version) throw new Conflict('The answer was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    const instrument = (await instrumentsByIds(tx, [row.instrument_id])).get(row.instrument_id)!;
    const def = instrument.definition;
    const correcting = row.status === 'submitted';
    if (correcting && !input.reason) throw new Invalid('Say why the answer is corrected', [{ path: 'reason', message: 'required_for_correction' }]);
    if (correcting && input.draft === true) throw new Invalid('A submitted answer cannot become a draft again', [{ path: 'draft', message: 'already_submitted' }]);
    const draft = !correcting && input.draft !== false;
    answerErrors(def, input.answers, draft);
    const score = draft ? null : scoreOf(def, input.answers);
    const alerts = draft ? [] : firedAlerts(def, input.answers, score);
    if (correcting) {
      await tx
        .insertInto('assessment_corrections')
        .values({ organisation_id: organisationId, assessment_id: id, reason: input.reason!, previous_answers: JSON.stringify(row.answers), previous_raw: row.raw, previous_scaled: row.scaled, previous_band: row.band, corrected_by: actor.userId })
        .execute();
    }
    const now = new Date();
    const updated = await tx
      .updateTable('assessments')
      .set({
        answers: JSON.stringify(input.answers),
        status: draft ? 'draft' : 'submitted',
        ...scoreColumns(score),
        alerts: alerts.map((a) => a.code),
        // A correction keeps the time the answer was given; submitting a draft is the time it was given.
        ...(correcting ? {} : { answered_at: now }),
        updated_at: now,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .returning(['id', 'status', 'occasion', 'answered_at', 'version'])
      .executeTakeFirstOrThrow();
    let change = null;
    if (!draft) {
      const before = await previousValue(tx, row.enrolment_id, row.instrument_code, id);
      change = changeFrom(def, before, score);
      await openAlertTasks(tx, row, id, alerts);
      if (!correcting) await closeDueTask(tx, row.enrolment_id, row.instrument_code, actor.userId);
      // Last before the audit row and the commit: the pair's triggers lock the programme's aggregate rows.
      await refreshPair(tx, row.enrolment_id, row.instrument_code);
    }
    await recordAudit(tx, {
      actor,
      organisationId,
      action: 'update',
      purpose: PURPOSE,
      resourceType: 'assessment',
      resourceId: id,
      citizenId: row.citizen_id,
      outcome: 'success',
      criteria: { instrument: row.instrument_code, correction: correcting, draft, alerts: alerts.length },
    });
    return response(updated, instrument, score, alerts, change);
  });
}
