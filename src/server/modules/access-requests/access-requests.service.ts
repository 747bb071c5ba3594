// Access requests as cases (issue 11, "Indsigt"; docs/decisions/0035). The citizen asks once; each organisation
// holding a record of the person gets its own case and decides on its own data. Deadline one month from receipt,
// extendable once (up to three months from receipt) with notice inside the first month; after 7 working days
// without a decision the citizen is owed an interim notice (staff record it, the queue flags the case). The
// responsible unit (the citizen's team) handles the case; the organisation's dpo follows it.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type {
  AccessCase,
  AccessPackageDownload,
  AccessQueue,
  DecisionInput,
  ExtensionInput,
  InterimNoticeInput,
  NewAccessRequestAnswer,
  PortalAccessCase,
  PortalAccessCaseList,
  RedactionsInput,
  TextHitsInput,
} from '../../../contracts/access-requests.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, decide, type Resource } from '../../platform/access/access.ts';
import { CITIZEN_RELATION, POLICY } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany, type AuditEntry } from '../../platform/audit/audit.ts';
import { markAudited } from '../../platform/audit/refusals.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, DomainError, Invalid, NotFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isUuid } from '../../platform/pagination.ts';
import { MAX_DATE, MIN_DATE } from '../../../contracts/common.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { publicHoliday } from '../courses/schedule.ts';
import { citizenAuditRows, type PortalSession } from '../portal/portal.session.ts';
import * as repo from './access-requests.repository.ts';
import type { TextHit } from './free-text.ts';
import { buildPackage, type PackageOptions } from './package.ts';

type Tx = Transaction<Database>;
export const INTERIM_WORKING_DAYS = 7;

/** The same day of the month `months` later; a day the month lacks becomes its last day (as PostgreSQL does). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** Danish working days: weekends and public holidays skipped. */
export function addWorkingDays(iso: string, days: number): string {
  let date = iso;
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !publicHoliday(date)) left -= 1;
  }
  return date;
}

function status(r: { decided_at: Date | null; released_at: Date | null }): 'received' | 'decided' | 'released' {
  return r.released_at ? 'released' : r.decided_at ? 'decided' : 'received';
}

function needsInterim(r: { received_on: string; decided_at: Date | null; interim_noticed_at: Date | null }, today: string): boolean {
  return !r.decided_at && !r.interim_noticed_at && today > addWorkingDays(r.received_on, INTERIM_WORKING_DAYS);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toPortalCase(r: repo.CaseRow): PortalAccessCase {
  return {
    id: r.id,
    organisation: { id: r.organisation_id, name: r.organisation_name },
    text: r.request_text,
    receivedOn: r.received_on,
    deadline: r.deadline,
    extension: r.extension_reason ? { extendedTo: r.deadline, reason: r.extension_reason } : null,
    interimNotice: r.interim_noticed_at && r.interim_reason && r.interim_expected_on ? { reason: r.interim_reason, expectedOn: r.interim_expected_on, givenAt: r.interim_noticed_at.toISOString() } : null,
    status: status(r),
    // The decision reaches the citizen with its release.
    decision: r.released_at && r.decision && r.decided_at ? { outcome: r.decision, reasons: r.decision_reasons ?? '', complaintGuidance: r.complaint_guidance ?? '', decidedAt: r.decided_at.toISOString() } : null,
    releasedAt: iso(r.released_at),
  };
}

// The citizen's side.

export async function askForAccess(db: Kysely<Database>, session: PortalSession, input: { text?: string | null }): Promise<NewAccessRequestAnswer> {
  return db.transaction().execute(async (tx) => {
    const receivedOn = dateInCopenhagen();
    const groupId = randomUUID();
    const text = input.text?.trim() ? input.text.trim() : null;
    const deadline = addMonths(receivedOn, 1);
    await repo.insertCases(
      tx,
      session.records.map((r) => ({ requestGroupId: groupId, organisationId: r.organisationId, citizenId: r.citizenId, accountId: session.accountId, text, receivedOn, deadline })),
    );
    const cases = await repo.casesOfGroup(tx, groupId);
    await recordAuditMany(
      tx,
      citizenAuditRows(session.accountId, session.records, { action: 'create', resourceType: 'access_request', outcome: 'success', criteria: { requestGroupId: groupId, everything: text === null } }),
    );
    return { requestGroupId: groupId, cases: cases.map(toPortalCase) };
  });
}

/** Microseconds since 1970 (the case's time of receipt) and the case's id. */
const isCursor = (v: unknown): v is { us: string; id: string } => {
  if (typeof v !== 'object' || v === null) return false;
  const { us, id } = v as { us?: unknown; id?: unknown };
  return typeof us === 'string' && /^[0-9]{1,17}$/.test(us) && isUuid(id);
};

export async function myAccessCases(db: Kysely<Database>, session: PortalSession, query: { cursor?: string; limit: number }): Promise<PortalAccessCaseList> {
  const after = decodeCursor(query.cursor, isCursor);
  return db.transaction().execute(async (tx) => {
    const rows = await repo.casesOfCitizen(tx, session.records.map((r) => r.citizenId), after ?? null, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'access_request', outcome: 'success', criteria: { count: page.length } }));
    return { items: page.map(toPortalCase), nextCursor: rows.length > query.limit && last ? encodeCursor({ us: last.received_us, id: last.id }) : null };
  });
}

/** The released package of one of the citizen's own cases; anything else (another person's, not released) → 404, audited. */
export async function myPackage(db: Kysely<Database>, session: PortalSession, caseId: string): Promise<AccessPackageDownload> {
  const found = await db.transaction().execute(async (tx) => {
    const p = await repo.releasedPackage(tx, caseId);
    const own = p ? session.records.find((r) => r.citizenId === p.citizen_id) : undefined;
    if (!p || !own || !p.released_at || !p.html || !p.json) return { refused: p ? (own ? 'not released' : 'not own') : 'unknown id', ok: null };
    await recordAuditMany(
      tx,
      citizenAuditRows(session.accountId, [own], { action: 'export', resourceType: 'access_package', outcome: 'success' }).map((row) => ({ ...row, resourceId: caseId })),
    );
    return { refused: null, ok: { caseId, organisation: p.organisation_name, releasedAt: p.released_at.toISOString(), html: p.html, json: p.json } };
  });
  if (found.ok) return found.ok;
  const error = new NotFound();
  await recordAuditMany(db, citizenAuditRows(session.accountId, session.records, { action: 'export', resourceType: 'access_package', outcome: 'denied', criteria: { reason: found.refused, caseId } }));
  markAudited(error);
  throw error;
}

// The staff side.

const isQueueCursor = (v: unknown): v is { deadline: string; id: string } => {
  if (typeof v !== 'object' || v === null) return false;
  const { deadline, id } = v as { deadline?: unknown; id?: unknown };
  return typeof deadline === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(deadline) && deadline >= MIN_DATE && deadline <= MAX_DATE && isUuid(id);
};

const isDpo = (actor: Actor) => actor.roles.some((g) => g.programmeId === null && g.role === 'dpo');

function resourceOf(r: { id: string; organisation_id: string; citizen_id: string; created_by: string; enrolments: repo.StaffCaseRow['enrolments'] }): Resource {
  return { type: 'access_request', id: r.id, organisationId: r.organisation_id, citizenId: r.citizen_id, citizen: { createdBy: r.created_by, enrolments: r.enrolments } };
}

/** Whether the actor handles the case (its responsible unit), follows it (the dpo), or neither. */
function relationTo(actor: Actor, resource: Resource): 'handle' | 'follow' | null {
  if (decide(actor, 'access-request:handle', resource).allowed) return 'handle';
  if (decide(actor, 'access-request:follow', resource).allowed) return 'follow';
  return null;
}

/** The chokepoint's rule for the queue as the query's condition (see `decide`, scope citizen-team). */
export function queueAccess(actor: Actor): repo.QueueAccess {
  if (isDpo(actor) && decide(actor, 'access-request:follow', { type: 'access_request', organisationId: actor.organisationId }).allowed) return { all: true };
  const handles = POLICY['access-request:handle'].roles as readonly string[];
  const programmeIds = actor.roles.filter((g) => g.programmeId !== null && handles.includes(g.role) && CITIZEN_RELATION[g.role] !== undefined).map((g) => g.programmeId!);
  return { all: false, userId: actor.userId, programmeIds: [...new Set(programmeIds)] };
}

export async function accessQueue(db: Kysely<Database>, actor: Actor, query: { cursor?: string; limit: number; released: 'true' | 'false' }): Promise<AccessQueue> {
  const after = decodeCursor(query.cursor, isQueueCursor);
  return inTransaction(db, async (tx) => {
    const today = dateInCopenhagen();
    const rows = await repo.queue(tx, actor.organisationId, query.released === 'true', queueAccess(actor), today, after ?? null, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    // The query holds the chokepoint's condition (so pages are full); the chokepoint still decides each row.
    const visible = page.filter((r) => relationTo(actor, { ...resourceOf({ ...r, organisation_id: actor.organisationId }) }) !== null);
    await recordAuditMany(
      tx,
      visible.map((r) => ({ actor, organisationId: actor.organisationId, action: 'read', purpose: isDpo(actor) ? 'supervision' : 'case_work', resourceType: 'access_request_queue', resourceId: r.id, citizenId: r.citizen_id, outcome: 'success' }) satisfies AuditEntry),
    );
    return {
      items: visible.map((r) => ({
        id: r.id,
        citizen: { id: r.citizen_id, name: `${r.first_name} ${r.last_name}` },
        receivedOn: r.received_on,
        deadline: r.deadline,
        extended: r.extension_reason !== null,
        status: status(r),
        packageState: r.package_state,
        needsInterimNotice: needsInterim(r, today),
        overdue: !r.released_at && today > r.deadline,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ deadline: last.deadline, id: last.id }) : null,
    };
  });
}

/** Whether the actor may advise on the case: the dpo of its organisation (`access-request:follow`). */
const mayAdvise = (actor: Actor, resource: Resource) => isDpo(actor) && decide(actor, 'access-request:follow', resource).allowed;

/**
 * Loads the case and asks the chokepoint; `need` 'handle' refuses the dpo's follow-only relation, 'advise' refuses
 * everyone but the dpo.
 */
async function loadCase(tx: Tx, actor: Actor, caseId: string, need: 'handle' | 'read' | 'advise', auditAction: AuditEntry['action']) {
  const today = dateInCopenhagen();
  const r = await repo.caseForStaff(tx, caseId, today);
  const resource: Resource = r ? resourceOf(r) : { type: 'access_request', id: caseId, organisationId: actor.organisationId };
  const relation = r ? relationTo(actor, resource) : null;
  if (!r || !relation || (need === 'handle' && relation !== 'handle') || (need === 'advise' && !mayAdvise(actor, resource))) {
    throw new AccessDenied({
      actor,
      organisationId: r?.organisation_id ?? null,
      action: auditAction,
      purpose: 'case_work',
      resourceType: 'access_request',
      resourceId: caseId,
      citizenId: r?.citizen_id ?? null,
      outcome: 'denied',
      criteria: { permission: need === 'handle' ? 'access-request:handle' : 'access-request:follow', reason: r ? (need === 'advise' ? 'not the dpo' : 'no relation') : 'unknown id' },
    });
  }
  return { r, relation, today, canAdvise: mayAdvise(actor, resource) };
}

function audit(actor: Actor, r: repo.StaffCaseRow, action: AuditEntry['action'], relation: 'handle' | 'follow', criteria: Record<string, unknown> | null = null): AuditEntry {
  return { actor, organisationId: r.organisation_id, action, purpose: relation === 'follow' ? 'supervision' : 'case_work', resourceType: 'access_request', resourceId: r.id, citizenId: r.citizen_id, outcome: 'success', criteria };
}

async function toCase(tx: Tx, r: repo.StaffCaseRow, relation: 'handle' | 'follow', today: string, canAdvise: boolean): Promise<AccessCase> {
  const found = await repo.candidates(tx, r.citizen_id);
  const redact = new Set(r.redactions);
  const withheld = new Map(r.withheld.map((w) => [`${w.table}:${w.id}`, w.personalData]));
  const canExtend = !r.extension_reason && !r.decided_at && today <= r.first_deadline;
  return {
    id: r.id,
    organisation: { id: r.organisation_id, name: r.organisation_name },
    citizen: { id: r.citizen_id, name: `${r.first_name} ${r.last_name}` },
    text: r.request_text,
    receivedOn: r.received_on,
    deadline: r.deadline,
    canExtendUntil: canExtend ? addMonths(r.received_on, 3) : null,
    extension: r.extension_reason && r.extension_noticed_at ? { extendedTo: r.deadline, reason: r.extension_reason, noticedAt: r.extension_noticed_at.toISOString() } : null,
    interimDueOn: addWorkingDays(r.received_on, INTERIM_WORKING_DAYS),
    needsInterimNotice: needsInterim(r, today),
    interimNotice: r.interim_noticed_at && r.interim_reason && r.interim_expected_on ? { reason: r.interim_reason, expectedOn: r.interim_expected_on, givenAt: r.interim_noticed_at.toISOString(), by: r.interim_by } : null,
    status: status(r),
    canHandle: relation === 'handle',
    canAdvise: canAdvise && !r.released_at,
    advice: r.advice.map((a) => ({ id: a.id, text: a.text, by: a.by, at: new Date(a.at).toISOString() })),
    textHits: r.text_hits.map((h) => ({ key: h.key, section: h.title, column: h.column, kind: h.kind, excerpt: h.excerpt, resolution: h.resolution })),
    unresolvedTextHits: r.text_hits.filter((h) => h.resolution === null).length,
    groupParticipantsRedacted: true,
    redactionCandidates: found
      .filter((c) => c.kind !== 'note')
      .map((c) => ({ key: c.key, kind: c.kind as 'meeting_attendee' | 'company_contact', name: c.name, role: c.role, redact: redact.has(c.key) })),
    withholdCandidates: found
      .filter((c) => c.kind === 'note')
      .map((c) => ({ key: c.key, kind: 'note' as const, createdAt: c.created_at.toISOString(), excerpt: c.name, withheld: withheld.has(c.key), personalData: withheld.get(c.key) ?? null })),
    package: { state: r.package_state, progress: r.package_progress, generatedAt: iso(r.package_generated_at), sections: r.package_sections, rows: r.package_rows },
    decision: r.decision && r.decided_at ? { outcome: r.decision, reasons: r.decision_reasons ?? '', complaintGuidance: r.complaint_guidance ?? '', decidedAt: r.decided_at.toISOString(), by: r.decided_by_name } : null,
    releasedAt: iso(r.released_at),
    version: r.version,
  };
}

export async function accessCase(db: Kysely<Database>, actor: Actor, caseId: string): Promise<AccessCase> {
  return inTransaction(db, async (tx) => {
    const { r, relation, today, canAdvise } = await loadCase(tx, actor, caseId, 'read', 'read');
    await recordAudit(tx, audit(actor, r, 'read', relation));
    return toCase(tx, r, relation, today, canAdvise);
  });
}

/** The dpo's advice on an open case (e.g. on the redaction and the withheld documents), kept with who and when. */
export async function giveAdvice(db: Kysely<Database>, actor: Actor, caseId: string, text: string): Promise<AccessCase> {
  return inTransaction(db, async (tx) => {
    const { r, today } = await loadCase(tx, actor, caseId, 'advise', 'create');
    if (r.released_at) throw new Conflict('The case is released', [{ path: 'id', message: 'released' }]);
    const adviceId = await repo.insertAdvice(tx, caseId, actor.userId, text);
    await recordAudit(tx, { ...audit(actor, r, 'create', 'follow'), resourceType: 'access_request_advice', resourceId: adviceId, criteria: { caseId } });
    const fresh = await repo.caseForStaff(tx, caseId, today);
    return toCase(tx, fresh!, 'follow', today, true);
  });
}

/** Runs one change of a handled case: checks, the change (stale version → 409), audit, and answers the case. */
async function change(
  db: Kysely<Database>,
  actor: Actor,
  caseId: string,
  version: number,
  what: string,
  work: (tx: Tx, r: repo.StaffCaseRow, today: string) => Promise<Record<string, unknown>>,
  action: AuditEntry['action'] = 'update',
): Promise<AccessCase> {
  return inTransaction(db, async (tx) => {
    const { r, today, canAdvise } = await loadCase(tx, actor, caseId, 'handle', action);
    if (r.version !== version) throw new Conflict('The case was changed by someone else; reload it', [{ path: 'version', message: 'stale' }]);
    const set = await work(tx, r, today);
    const updated = await repo.updateCase(tx, caseId, version, set as never);
    if (!updated) throw new Conflict('The case was changed by someone else; reload it', [{ path: 'version', message: 'stale' }]);
    await recordAudit(tx, audit(actor, r, action, 'handle', { change: what }));
    const fresh = await repo.caseForStaff(tx, caseId, today);
    return toCase(tx, fresh!, 'handle', today, canAdvise);
  });
}

function assertOpen(r: repo.StaffCaseRow) {
  if (r.released_at) throw new Conflict('The case is released', [{ path: 'id', message: 'released' }]);
}

export function setRedactions(db: Kysely<Database>, actor: Actor, caseId: string, input: z.infer<typeof RedactionsInput>) {
  return change(db, actor, caseId, input.version, 'redactions', async (tx, r) => {
    assertOpen(r);
    const found = await repo.candidates(tx, r.citizen_id);
    const people = new Set(found.filter((c) => c.kind !== 'note').map((c) => c.key));
    const notes = new Set(found.filter((c) => c.kind === 'note').map((c) => c.key));
    const badRedaction = input.redact.findIndex((k) => !people.has(k));
    if (badRedaction >= 0) throw new Invalid('Not a person on this case', [{ path: `redact.${badRedaction}`, message: 'unknown' }]);
    const badWithheld = input.withheld.findIndex((w) => !notes.has(w.key));
    if (badWithheld >= 0) throw new Invalid('Not a document on this case', [{ path: `withheld.${badWithheld}.key`, message: 'unknown' }]);
    // A package made before the change no longer matches the redaction step: it must be made again.
    await repo.deletePackage(tx, caseId);
    const withheld = input.withheld.map((w) => {
      const [table, id] = w.key.split(':') as [string, string];
      return { table, id, personalData: w.personalData };
    });
    return { redactions: JSON.stringify([...new Set(input.redact)]), withheld: JSON.stringify(withheld), package_state: 'none', package_progress: 0, package_generated_at: null };
  });
}

/**
 * The caseworker's choice for names and CPR numbers of others found in the package's free text: redact (replaced in
 * the package, which is then made again) or keep (it is not about anyone else). A change of what is redacted discards
 * the made package.
 */
export function resolveTextHits(db: Kysely<Database>, actor: Actor, caseId: string, input: z.infer<typeof TextHitsInput>) {
  return change(db, actor, caseId, input.version, 'text_hits', async (tx, r) => {
    assertOpen(r);
    const known = new Map(r.text_hits.map((h) => [h.key, h]));
    const bad = input.resolutions.findIndex((x) => !known.has(x.key));
    if (bad >= 0) throw new Invalid('Not a hit on this case', [{ path: `resolutions.${bad}.key`, message: 'unknown' }]);
    const chosen = new Map(input.resolutions.map((x) => [x.key, x.resolution]));
    const next: TextHit[] = r.text_hits.map((h) => ({ ...h, resolution: chosen.get(h.key) ?? h.resolution }));
    const redactedBefore = r.text_hits.filter((h) => h.resolution === 'redact').map((h) => h.key).sort().join();
    const redactedNow = next.filter((h) => h.resolution === 'redact').map((h) => h.key).sort().join();
    if (redactedBefore === redactedNow) return { text_hits: JSON.stringify(next) };
    await repo.deletePackage(tx, caseId);
    return { text_hits: JSON.stringify(next), package_state: 'none', package_progress: 0, package_generated_at: null };
  });
}

/** 409: the package's free text names someone else, and the caseworker has not chosen what to do with it. */
export class UnresolvedFreeText extends DomainError {
  constructor(count: number) {
    super(409, 'unresolved_free_text', `${count} name(s) or CPR number(s) of others in the package's free text must be redacted or kept before release`, [
      { path: 'textHits', message: 'unresolved' },
    ]);
  }
}

export function requestPackage(db: Kysely<Database>, actor: Actor, caseId: string, version: number) {
  return change(
    db,
    actor,
    caseId,
    version,
    'package',
    async (tx, r) => {
      assertOpen(r);
      if (r.package_state === 'queued' || r.package_state === 'running') throw new Conflict('The package is being made', [{ path: 'id', message: 'in progress' }]);
      const jobId = await repo.enqueuePackageJob(tx, caseId);
      return { package_state: 'queued', package_progress: 0, package_job_id: jobId };
    },
    'export',
  );
}

export function extendDeadline(db: Kysely<Database>, actor: Actor, caseId: string, input: z.infer<typeof ExtensionInput>) {
  return change(db, actor, caseId, input.version, 'extension', async (_tx, r, today) => {
    if (r.extension_reason) throw new Conflict('The deadline was extended once already', [{ path: 'extendTo', message: 'already extended' }]);
    if (r.decided_at) throw new Conflict('The case is decided', [{ path: 'id', message: 'decided' }]);
    if (today > r.first_deadline) throw new Invalid('Notice of an extension must be given within the first month', [{ path: 'extendTo', message: 'too late' }]);
    const latest = addMonths(r.received_on, 3);
    if (input.extendTo <= r.first_deadline || input.extendTo > latest) throw new Invalid(`The new deadline must be after ${r.first_deadline} and no later than ${latest}`, [{ path: 'extendTo', message: 'out of range' }]);
    return { deadline: input.extendTo, extension_reason: input.reason, extension_noticed_at: new Date() };
  });
}

export function recordInterimNotice(db: Kysely<Database>, actor: Actor, caseId: string, input: z.infer<typeof InterimNoticeInput>) {
  return change(db, actor, caseId, input.version, 'interim_notice', async (_tx, r, today) => {
    if (r.decided_at) throw new Conflict('The case is decided', [{ path: 'id', message: 'decided' }]);
    if (input.expectedOn < today || input.expectedOn > r.deadline) throw new Invalid(`The expected date must be from today to the deadline (${r.deadline})`, [{ path: 'expectedOn', message: 'out of range' }]);
    return { interim_reason: input.reason, interim_expected_on: input.expectedOn, interim_noticed_at: new Date(), interim_noticed_by: actor.userId };
  });
}

export function recordDecision(db: Kysely<Database>, actor: Actor, caseId: string, input: z.infer<typeof DecisionInput>) {
  return change(db, actor, caseId, input.version, 'decision', async (_tx, r) => {
    assertOpen(r);
    if (input.outcome !== 'refused' && r.package_state !== 'done') throw new Conflict('Make the package before deciding to give access', [{ path: 'outcome', message: 'no package' }]);
    return { decision: input.outcome, decision_reasons: input.reasons, complaint_guidance: input.complaintGuidance, decided_at: new Date(), decided_by: actor.userId };
  });
}

export function release(db: Kysely<Database>, actor: Actor, caseId: string, version: number) {
  return change(
    db,
    actor,
    caseId,
    version,
    'release',
    async (_tx, r) => {
      assertOpen(r);
      if (!r.decided_at) throw new Conflict('Record the decision first', [{ path: 'id', message: 'not decided' }]);
      if (r.decision !== 'refused' && r.package_state !== 'done') throw new Conflict('The package is not made', [{ path: 'id', message: 'no package' }]);
      const open = r.text_hits.filter((h) => h.resolution === null).length;
      if (r.decision !== 'refused' && open > 0) throw new UnresolvedFreeText(open);
      return { released_at: new Date(), released_by: actor.userId };
    },
    'export',
  );
}

/** The package job: builds the package with its progress on the case; a failure marks the case and lets pg-boss retry. */
export async function generatePackage(db: Kysely<Database>, data: unknown, options: PackageOptions = {}): Promise<{ requestId: string }> {
  const requestId = (data as { requestId?: unknown } | null)?.requestId;
  if (typeof requestId !== 'string') throw new Error('package job without a request id');
  await repo.setPackageState(db, requestId, 'running', 1);
  try {
    const built = await buildPackage(db, requestId, (percent) => repo.setProgress(db, requestId, percent).then(() => undefined), options);
    const c = await db.selectFrom('access_requests').select(['organisation_id', 'citizen_id']).where('id', '=', requestId).executeTakeFirstOrThrow();
    await db.transaction().execute(async (tx) => {
      await repo.savePackage(tx, requestId, built.html, built.json);
      await repo.saveTextHits(tx, requestId, built.hits);
      await repo.setPackageState(tx, requestId, 'done', 100);
      await recordAudit(tx, {
        actor: null,
        actorUsername: `job:${repo.PACKAGE_JOB}`,
        organisationId: c.organisation_id,
        action: 'export',
        purpose: 'case_work',
        resourceType: 'access_package',
        resourceId: requestId,
        citizenId: c.citizen_id,
        outcome: 'success',
        criteria: { sections: built.json.sections.length, textHits: built.hits.length },
      });
    });
  } catch (error) {
    await repo.setPackageState(db, requestId, 'failed', 0);
    throw error;
  }
  return { requestId };
}
