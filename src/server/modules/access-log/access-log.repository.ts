// SQL of the citizen's access log (docs/decisions/0032), read from the audit log itself. The conditions that decide
// which rows the citizen sees are written literally (never as parameters), the same as the predicate of the partial
// index audit_log_citizen_view, so the planner proves that index usable for every execution.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Others' successful uses of a record: the partial index's predicate, verbatim. */
const VISIBLE = sql`a.outcome = 'success' and not (a.actor_roles @> '{citizen}'::text[])`;
/** No lawful deferral of the notice stands (docs/decisions/0032). */
const NOT_DEFERRED = sql`not exists (select 1 from audit_notice_deferrals d where d.audit_seq = a.seq and d.lifted_at is null
                                        and (d.until is null or d.until >= (now() at time zone 'Europe/Copenhagen')::date))`;

export interface AccessLogRow {
  seq: number;
  occurred_at: Date;
  actor_roles: string[];
  action: string;
  purpose: string;
  resource_type: string;
  organisation: string | null;
  q_id: string | null;
  q_asked_at: Date | null;
  q_answer: string | null;
  q_answered_at: Date | null;
}

/**
 * One page, newest first, over the citizen's records: per record the newest rows below the cursor (one short range
 * of audit_log_citizen_view each), merged. One statement.
 */
export function accessLogPageSql(accountId: string, citizenIds: string[], before: number | null, take: number) {
  const below = before === null ? sql`` : sql`and a.seq < ${before}`;
  return sql<AccessLogRow>`
    select x.seq, x.occurred_at, x.actor_roles, x.action, x.purpose, x.resource_type,
           coalesce(ao.name, o.name) as organisation,
           q.id as q_id, q.asked_at as q_asked_at, q.answer as q_answer, q.answered_at as q_answered_at
      from unnest(${citizenIds}::uuid[]) as c(id)
      cross join lateral (
        select a.seq, a.occurred_at, a.actor_roles, a.action, a.purpose, a.resource_type, a.organisation_id, a.actor_organisation_id
          from audit_log a
         where a.citizen_id = c.id and ${VISIBLE} ${below} and ${NOT_DEFERRED}
         order by a.seq desc
         limit ${take}
      ) x
      left join organisations ao on ao.id = x.actor_organisation_id
      left join organisations o on o.id = x.organisation_id
      left join lookup_questions q on q.account_id = ${accountId} and q.audit_seq = x.seq
     order by x.seq desc
     limit ${take}`;
}

/**
 * One page, newest first, over the citizen's records: per record the newest rows below the cursor (one short range
 * of audit_log_citizen_view each), merged. One statement.
 */
export async function accessLogPage(db: Q, accountId: string, citizenIds: string[], before: number | null, take: number): Promise<AccessLogRow[]> {
  const { rows } = await accessLogPageSql(accountId, citizenIds, before, take).execute(db);
  return rows;
}

/** The entry a question is about, if the citizen's log shows it (same conditions as the page). */
export async function visibleEntry(db: Q, citizenIds: string[], seq: number) {
  const { rows } = await sql<{ seq: number; citizen_id: string; organisation_id: string | null; actor_organisation_id: string | null }>`
    select a.seq, a.citizen_id, a.organisation_id, a.actor_organisation_id
      from audit_log a
     where a.seq = ${seq} and a.citizen_id = any(${citizenIds}::uuid[]) and ${VISIBLE} and ${NOT_DEFERRED}`.execute(db);
  return rows[0];
}

export async function insertQuestion(db: Q, q: { organisationId: string; citizenId: string; accountId: string; auditSeq: number; message: string | null }) {
  return db
    .insertInto('lookup_questions')
    .values({ organisation_id: q.organisationId, citizen_id: q.citizenId, account_id: q.accountId, audit_seq: q.auditSeq, message: q.message })
    .onConflict((oc) => oc.columns(['account_id', 'audit_seq']).doNothing())
    .returning(['id', 'asked_at', 'answer', 'answered_at'])
    .executeTakeFirst();
}

export async function questionOf(db: Q, accountId: string, auditSeq: number) {
  return db
    .selectFrom('lookup_questions')
    .select(['id', 'asked_at', 'answer', 'answered_at'])
    .where('account_id', '=', accountId)
    .where('audit_seq', '=', auditSeq)
    .executeTakeFirstOrThrow();
}

export interface QuestionCursor {
  at: string;
  id: string;
}

/** The organisation's questions, newest first, with the entry each is about (null once purged). One statement. */
export async function questionQueue(db: Q, organisationId: string, state: 'open' | 'all', after: QuestionCursor | null, take: number) {
  let query = db
    .selectFrom('lookup_questions as q')
    .leftJoin('audit_log as a', 'a.seq', 'q.audit_seq')
    .select([
      'q.id',
      'q.asked_at',
      'q.citizen_id',
      'q.message',
      'q.audit_seq',
      'q.answer',
      'q.answered_at',
      'a.seq',
      'a.occurred_at',
      'a.actor_username',
      'a.actor_roles',
      'a.action',
      'a.purpose',
      'a.resource_type',
    ])
    .where('q.organisation_id', '=', organisationId);
  if (state === 'open') query = query.where('q.answered_at', 'is', null);
  if (after) query = query.where((eb) => eb.or([eb('q.asked_at', '<', new Date(after.at)), eb.and([eb('q.asked_at', '=', new Date(after.at)), eb('q.id', '<', after.id)])]));
  return query.orderBy('q.asked_at', 'desc').orderBy('q.id', 'desc').limit(take).execute();
}

/** The question, locked for the answer. */
export async function questionForAnswer(db: Q, id: string) {
  return db.selectFrom('lookup_questions').select(['id', 'organisation_id', 'citizen_id', 'audit_seq', 'answered_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function answerQuestion(db: Q, id: string, answer: string, userId: string, now: Date) {
  return db
    .updateTable('lookup_questions')
    .set({ answer, answered_at: now, answered_by: userId })
    .where('id', '=', id)
    .returning(['id', 'asked_at', 'citizen_id', 'message', 'audit_seq', 'answer', 'answered_at'])
    .executeTakeFirstOrThrow();
}

/** The audit row a dpo defers the notice of: it must be in the dpo's organisation's log and about a citizen. */
export async function auditRowForDeferral(db: Q, seq: number) {
  return db.selectFrom('audit_log').select(['seq', 'organisation_id', 'actor_organisation_id', 'citizen_id']).where('seq', '=', seq).executeTakeFirst();
}

export async function insertDeferral(db: Q, d: { auditSeq: number; organisationId: string; citizenId: string; ground: 'sdl_43_4' | 'dbl_22'; reason: string; userId: string; until: string | null }) {
  return db
    .insertInto('audit_notice_deferrals')
    .values({ audit_seq: d.auditSeq, organisation_id: d.organisationId, citizen_id: d.citizenId, ground: d.ground, reason: d.reason, deferred_by: d.userId, until: d.until })
    .onConflict((oc) => oc.column('audit_seq').where('lifted_at', 'is', null).doNothing())
    .returning(['id', 'audit_seq', 'ground', 'deferred_at', 'lifted_at', 'until'])
    .executeTakeFirst();
}

export async function deferralForLift(db: Q, id: string) {
  return db.selectFrom('audit_notice_deferrals').select(['id', 'audit_seq', 'organisation_id', 'citizen_id', 'ground', 'deferred_at', 'lifted_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function liftDeferral(db: Q, id: string, userId: string, now: Date) {
  return db
    .updateTable('audit_notice_deferrals')
    .set({ lifted_at: now, lifted_by: userId })
    .where('id', '=', id)
    .returning(['id', 'audit_seq', 'ground', 'deferred_at', 'lifted_at', 'until'])
    .executeTakeFirstOrThrow();
}

export interface DeferralCursor {
  at: string;
  id: string;
}

/** The organisation's deferrals, newest first; `active`: not lifted and not past their last day. One statement. */
export async function deferrals(db: Q, organisationId: string, state: 'active' | 'all', after: DeferralCursor | null, take: number, today: string) {
  let query = db
    .selectFrom('audit_notice_deferrals as d')
    .select(['d.id', 'd.audit_seq', 'd.citizen_id', 'd.ground', 'd.reason', 'd.deferred_at', 'd.lifted_at', 'd.until'])
    .where('d.organisation_id', '=', organisationId);
  if (state === 'active') query = query.where('d.lifted_at', 'is', null).where((eb) => eb.or([eb('d.until', 'is', null), eb('d.until', '>=', today)]));
  if (after) query = query.where((eb) => eb.or([eb('d.deferred_at', '<', new Date(after.at)), eb.and([eb('d.deferred_at', '=', new Date(after.at)), eb('d.id', '<', after.id)])]));
  return query.orderBy('d.deferred_at', 'desc').orderBy('d.id', 'desc').limit(take).execute();
}
