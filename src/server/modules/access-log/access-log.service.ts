// The citizen's access log (docs/decisions/0032): others' uses of the citizen's records, read from the audit log
// itself, never naming the employee; the citizen's question about a look-up and the dpo's answer; and the dpo's
// deferral of a notice. The citizen's own portal actions (reading this log included) are audited like any citizen
// action but never shown here.
import type { Kysely } from 'kysely';
import type { AccessKind, AccessLogEntry, AccessLogPage, AccessLogQuery, AccessPurpose, Deferral, DeferralPage, DeferralQuery, LookupQuestionPage, LookupQuestionQuery, LookupQuestionState } from '../../../contracts/portal-log.ts';
import { ACCESS_PURPOSES } from '../../../contracts/portal-log.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany } from '../../platform/audit/audit.ts';
import { markAudited } from '../../platform/audit/refusals.ts';
import { Conflict, NotFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isIsoTimestamp, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { citizenAuditRows, type PortalSession } from '../portal/portal.session.ts';
import * as repo from './access-log.repository.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

/** What an audit row's action means to the citizen. */
export function kindOf(action: string, resourceType: string): AccessKind {
  if (action === 'search' && resourceType === 'citizen') return 'search_hit';
  if (action === 'export') return 'export';
  if (resourceType === 'disclosure' && action === 'create') return 'disclosure';
  if (action === 'create' || action === 'update' || action === 'delete' || action === 'purge') return 'change';
  return 'read';
}

const PURPOSES = new Set<string>(ACCESS_PURPOSES);
const purposeOf = (p: string): AccessPurpose => (PURPOSES.has(p) ? (p as AccessPurpose) : 'other');

function questionState(r: { q_id: string | null; q_asked_at: Date | null; q_answer: string | null; q_answered_at: Date | null }): LookupQuestionState | null {
  if (!r.q_id || !r.q_asked_at) return null;
  return { id: r.q_id, askedAt: iso(r.q_asked_at), answer: r.q_answer, answeredAt: r.q_answered_at ? iso(r.q_answered_at) : null };
}

/** One page of the log, newest first; audited as a citizen read (one row per record, which the log never shows). */
export async function accessLog(db: Kysely<Database>, session: PortalSession, query: AccessLogQuery): Promise<AccessLogPage> {
  return db.transaction().execute(async (tx) => {
    const before = query.cursor ? Number(query.cursor) : null;
    const rows = await repo.accessLogPage(tx, session.accountId, session.records.map((r) => r.citizenId), before, query.limit + 1);
    const page = rows.slice(0, query.limit);
    await recordAuditMany(
      tx,
      citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_access_log', outcome: 'success', criteria: { count: page.length, cursor: before === null ? null : 'next' } }),
    );
    const items: AccessLogEntry[] = page.map((r) => ({
      id: String(r.seq),
      occurredAt: iso(r.occurred_at),
      organisation: r.organisation,
      roles: r.actor_roles.filter((role) => role !== 'citizen'),
      purpose: purposeOf(r.purpose),
      kind: kindOf(r.action, r.resource_type),
      question: questionState(r),
    }));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? String(last.seq) : null };
  });
}

/**
 * The citizen asks who made the look-up of one entry: a question to the organisation whose staff made it (its dpo
 * decides). Asking twice gives the same question. An entry the citizen's log does not show is 404, audited.
 */
export async function askQuestion(db: Kysely<Database>, session: PortalSession, entryId: string, message: string | null | undefined): Promise<{ created: boolean; question: LookupQuestionState }> {
  const seq = Number(entryId);
  const ids = session.records.map((r) => r.citizenId);
  const result = await db.transaction().execute(async (tx) => {
    const entry = await repo.visibleEntry(tx, ids, seq);
    if (!entry) return null;
    const record = session.records.find((r) => r.citizenId === entry.citizen_id)!;
    const organisationId = entry.actor_organisation_id ?? entry.organisation_id ?? record.organisationId;
    const inserted = await repo.insertQuestion(tx, { organisationId, citizenId: entry.citizen_id, accountId: session.accountId, auditSeq: seq, message: message ?? null });
    const row = inserted ?? (await repo.questionOf(tx, session.accountId, seq));
    await recordAuditMany(
      tx,
      citizenAuditRows(session.accountId, [record], { action: 'create', resourceType: 'lookup_question', outcome: 'success', criteria: { entry: seq, organisationId, repeated: !inserted } }),
    );
    return { created: !!inserted, question: { id: row.id, askedAt: iso(row.asked_at), answer: row.answer, answeredAt: row.answered_at ? iso(row.answered_at) : null } };
  });
  if (result) return result;
  await recordAuditMany(db, citizenAuditRows(session.accountId, session.records, { action: 'create', resourceType: 'lookup_question', outcome: 'denied', criteria: { reason: 'unknown_entry', entry: seq } }));
  const error = new NotFound();
  markAudited(error);
  throw error;
}

const isQuestionCursor = (v: unknown): v is repo.QuestionCursor => {
  const c = v as repo.QuestionCursor;
  return typeof c === 'object' && c !== null && isIsoTimestamp(c.at) && isUuid(c.id);
};

/** The dpo's queue of the organisation's look-up questions, newest first; each question listed is audited as a read. */
export async function questionQueue(db: Kysely<Database>, actor: Actor, query: LookupQuestionQuery): Promise<LookupQuestionPage> {
  return inTransaction(db, async (tx) => {
    requireAccess(actor, 'lookup-question:read', { type: 'lookup_question', organisationId: actor.organisationId }, { action: 'read', purpose: 'supervision' });
    const after = decodeCursor(query.cursor, isQuestionCursor) ?? null;
    const rows = await repo.questionQueue(tx, actor.organisationId, query.state, after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const base = { actor, organisationId: actor.organisationId, action: 'read' as const, purpose: 'supervision' as const, resourceType: 'lookup_question', outcome: 'success' as const };
    await recordAuditMany(
      tx,
      page.length === 0
        ? [{ ...base, criteria: { state: query.state, count: 0 } }]
        : page.map((r) => ({ ...base, resourceId: r.id, citizenId: r.citizen_id, criteria: { state: query.state, entry: Number(r.audit_seq) } })),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        askedAt: iso(r.asked_at),
        citizenId: r.citizen_id,
        message: r.message,
        entrySeq: Number(r.audit_seq),
        entry:
          r.seq !== null && r.occurred_at !== null
            ? { seq: Number(r.seq), occurredAt: iso(r.occurred_at), actorUsername: r.actor_username, actorRoles: r.actor_roles ?? [], action: r.action ?? '', purpose: r.purpose ?? '', resourceType: r.resource_type ?? '' }
            : null,
        answer: r.answer,
        answeredAt: r.answered_at ? iso(r.answered_at) : null,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: iso(last.asked_at), id: last.id }) : null,
    };
  });
}

/** The dpo's decision on a question; the citizen sees it beside the entry. Answered once. */
export async function answerQuestion(db: Kysely<Database>, actor: Actor, id: string, answer: string, now = new Date()): Promise<LookupQuestionState> {
  return inTransaction(db, async (tx) => {
    const q = await repo.questionForAnswer(tx, id);
    if (!q) {
      throw new AccessDenied({ actor, organisationId: actor.organisationId, action: 'update', purpose: 'supervision', resourceType: 'lookup_question', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    requireAccess(actor, 'lookup-question:answer', { type: 'lookup_question', id, organisationId: q.organisation_id, citizenId: q.citizen_id }, { action: 'update', purpose: 'supervision' });
    if (q.answered_at) throw new Conflict('The question has been answered');
    const row = await repo.answerQuestion(tx, id, answer, actor.userId, now);
    await recordAudit(tx, { actor, organisationId: q.organisation_id, action: 'update', purpose: 'supervision', resourceType: 'lookup_question', resourceId: id, citizenId: q.citizen_id, outcome: 'success', criteria: { entry: Number(q.audit_seq) } });
    return { id: row.id, askedAt: iso(row.asked_at), answer: row.answer, answeredAt: row.answered_at ? iso(row.answered_at) : null };
  });
}

const dateOnly = (d: string | Date | null): string | null => (d === null ? null : typeof d === 'string' ? d.slice(0, 10) : dateInCopenhagen(d));

function deferralOf(r: { id: string; audit_seq: number; ground: 'sdl_43_4' | 'dbl_22'; deferred_at: Date; lifted_at: Date | null; until: string | Date | null }): Deferral {
  return { id: r.id, auditSeq: Number(r.audit_seq), ground: r.ground, deferredAt: iso(r.deferred_at), liftedAt: r.lifted_at ? iso(r.lifted_at) : null, until: dateOnly(r.until) };
}

const isDeferralCursor = (v: unknown): v is repo.DeferralCursor => {
  const c = v as repo.DeferralCursor;
  return typeof c === 'object' && c !== null && isIsoTimestamp(c.at) && isUuid(c.id);
};

/** The dpo's list of the organisation's deferred notices, newest first; each listed is audited as a read (supervision). */
export async function deferralList(db: Kysely<Database>, actor: Actor, query: DeferralQuery, now = new Date()): Promise<DeferralPage> {
  return inTransaction(db, async (tx) => {
    requireAccess(actor, 'audit:defer-notice', { type: 'audit_notice_deferral', organisationId: actor.organisationId }, { action: 'read', purpose: 'supervision' });
    const today = dateInCopenhagen(now);
    const after = decodeCursor(query.cursor, isDeferralCursor) ?? null;
    const rows = await repo.deferrals(tx, actor.organisationId, query.state, after, query.limit + 1, today);
    const page = rows.slice(0, query.limit);
    // Like the deferral itself, the citizen is named in the criteria, not in citizen_id: the citizen's log must not show it.
    const base = { actor, organisationId: actor.organisationId, action: 'read' as const, purpose: 'supervision' as const, resourceType: 'audit_notice_deferral', citizenId: null, outcome: 'success' as const };
    await recordAuditMany(
      tx,
      page.length === 0 ? [{ ...base, criteria: { state: query.state, count: 0 } }] : page.map((r) => ({ ...base, resourceId: r.id, criteria: { state: query.state, entry: Number(r.audit_seq), citizenId: r.citizen_id } })),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r) => {
        const until = dateOnly(r.until);
        return { ...deferralOf(r), citizenId: r.citizen_id, reason: r.reason, active: r.lifted_at === null && (until === null || until >= today) };
      }),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: iso(last.deferred_at), id: last.id }) : null,
    };
  });
}

/**
 * The dpo defers the citizen's notice of one use (sundhedsloven §43 stk. 4, databeskyttelsesloven §22): the audit
 * row stays as it is; the citizen's log leaves it out until the deferral is lifted. Rows of the dpo's own
 * organisation's log about a citizen only; anything else is 404, audited. Its own audit row names the citizen in its
 * criteria, not in `citizen_id`: otherwise the citizen's log would show that something was deferred.
 */
export async function deferNotice(db: Kysely<Database>, actor: Actor, seq: number, input: { ground: 'sdl_43_4' | 'dbl_22'; reason: string; until?: string | null }): Promise<Deferral> {
  return inTransaction(db, async (tx) => {
    const row = await repo.auditRowForDeferral(tx, seq);
    const organisationId = row?.actor_organisation_id === actor.organisationId ? actor.organisationId : (row?.organisation_id ?? actor.organisationId);
    const citizenId = row?.citizen_id ?? null;
    if (!row || !citizenId) {
      throw new AccessDenied({ actor, organisationId: actor.organisationId, action: 'create', purpose: 'supervision', resourceType: 'audit_notice_deferral', resourceId: String(seq), outcome: 'denied', criteria: { reason: 'unknown entry' } });
    }
    requireAccess(actor, 'audit:defer-notice', { type: 'audit_notice_deferral', id: String(seq), organisationId, citizenId }, { action: 'create', purpose: 'supervision' });
    const inserted = await repo.insertDeferral(tx, { auditSeq: seq, organisationId, citizenId, ground: input.ground, reason: input.reason, userId: actor.userId, until: input.until ?? null });
    if (!inserted) throw new Conflict('The notice of this entry is deferred already');
    await recordAudit(tx, { actor, organisationId, action: 'create', purpose: 'supervision', resourceType: 'audit_notice_deferral', resourceId: inserted.id, citizenId: null, outcome: 'success', criteria: { entry: seq, ground: input.ground, until: input.until ?? null, citizenId } });
    return deferralOf(inserted);
  });
}

export async function liftDeferral(db: Kysely<Database>, actor: Actor, id: string, now = new Date()): Promise<Deferral> {
  return inTransaction(db, async (tx) => {
    const d = await repo.deferralForLift(tx, id);
    if (!d) {
      throw new AccessDenied({ actor, organisationId: actor.organisationId, action: 'update', purpose: 'supervision', resourceType: 'audit_notice_deferral', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    requireAccess(actor, 'audit:defer-notice', { type: 'audit_notice_deferral', id, organisationId: d.organisation_id, citizenId: d.citizen_id }, { action: 'update', purpose: 'supervision' });
    if (d.lifted_at) throw new Conflict('The deferral has been lifted already');
    const row = await repo.liftDeferral(tx, id, actor.userId, now);
    await recordAudit(tx, { actor, organisationId: d.organisation_id, action: 'update', purpose: 'supervision', resourceType: 'audit_notice_deferral', resourceId: id, citizenId: null, outcome: 'success', criteria: { entry: Number(d.audit_seq), lifted: true, citizenId: d.citizen_id } });
    return deferralOf(row);
  });
}
