// "Min plan" changes and "Mine aftaler" for the citizen (level "substantial": the portal's guard sees to it). A
// citizen reaches only tasks and appointments of the records their session holds; any other id answers 404, and
// the refusal is audited like every change and read. The citizen's own iCalendar feed follows the staff feed's
// neutral rules (ical.ts): "Aftale", the kind of place and the time only.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { MAX_COMMENTS_PER_TASK, type PortalAppointmentList, type PortalAppointmentsQuery, type PortalFeedCreated, type PortalFeedState, type PortalTaskComment, type PortalTaskDone } from '../../../contracts/portal-plan.ts';
import type { PlaceCategory } from '../../../contracts/calendar.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditMany, type AuditAction, type AuditEntry } from '../../platform/audit/audit.ts';
import { markAudited } from '../../platform/audit/refusals.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { DomainError, NotFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { recordEvent } from '../citizens/citizens.repository.ts';
import { uidsFor, type EntryRow } from '../calendar/calendar.repository.ts';
import { FEED_DAYS_AHEAD, FEED_DAYS_BACK, FEED_LIFETIME_MONTHS, placeCategory } from '../calendar/calendar.service.ts';
import { renderFeed } from '../calendar/ical.ts';
import { startOfDay } from '../calendar/time.ts';
import type { LinkedRecord } from './portal.repository.ts';
import { citizenAuditRows, type PortalSession } from './portal.session.ts';
import * as repo from './portal-plan.repository.ts';

/** The feed's route pattern: public, the token in the path is the credential. */
export const PORTAL_FEED_ROUTE = '/api/portal/calendar-feed/:token.ics';
const MAX_FEED_ENTRIES = 1000;

export class NotYourTask extends DomainError {
  constructor() {
    super(403, 'not_your_task', 'Only a task that is yours can be marked done here; ask the person who owns it');
  }
}

export class TaskClosed extends DomainError {
  constructor(reason: 'task_cancelled' | 'enrolment_ended') {
    super(409, reason, reason === 'task_cancelled' ? 'The task was cancelled' : 'The plan belongs to an ended course and can no longer be changed');
  }
}

export class TooManyComments extends DomainError {
  constructor() {
    super(409, 'too_many_comments', `At most ${MAX_COMMENTS_PER_TASK} comments on one task`);
  }
}

/** Audit rows about one task: the record it belongs to, or every record of the session when no task was found. */
function taskAudit(session: PortalSession, records: LinkedRecord[], action: AuditAction, outcome: AuditEntry['outcome'], taskId: string, criteria: Record<string, unknown>): AuditEntry[] {
  return citizenAuditRows(session.accountId, records, { action, resourceType: 'plan_task', outcome, criteria: { taskId, ...criteria } }).map((row) => ({ ...row, resourceId: taskId }));
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: DomainError };

/** Runs a change whose refusals are audited inside the same transaction (kept), then thrown. */
export async function audited<T>(db: Kysely<Database>, work: (tx: Transaction<Database>, refuse: (error: DomainError, rows: AuditEntry[]) => Promise<Outcome<T>>) => Promise<Outcome<T>>): Promise<T> {
  const outcome = await db.transaction().execute((tx) =>
    work(tx, async (error, rows) => {
      await recordAuditMany(tx, rows);
      markAudited(error);
      return { ok: false, error };
    }),
  );
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

const recordOf = (task: repo.CitizenTaskRow): LinkedRecord[] => [{ citizenId: task.citizen_id, organisationId: task.organisation_id }];

/** The citizen marks their own open task done; a task already done stays as it is (the answer is the same). */
export async function markTaskDone(db: Kysely<Database>, session: PortalSession, taskId: string, now = new Date()): Promise<PortalTaskDone> {
  return audited<PortalTaskDone>(db, async (tx, refuse) => {
    const task = await repo.taskOfRecords(tx, taskId, session.records.map((r) => r.citizenId), session.accountId, true);
    if (!task || task.reminder) return refuse(new NotFound('No such task'), taskAudit(session, task ? recordOf(task) : session.records, 'update', 'denied', taskId, { reason: 'unknown_task' }));
    if (task.owner_kind !== 'citizen') return refuse(new NotYourTask(), taskAudit(session, recordOf(task), 'update', 'denied', taskId, { reason: 'not_citizen_task' }));
    if (!task.enrolment_open || task.status === 'cancelled') {
      const reason = task.status === 'cancelled' ? 'task_cancelled' : 'enrolment_ended';
      return refuse(new TaskClosed(reason), taskAudit(session, recordOf(task), 'update', 'failure', taskId, { reason }));
    }
    if (task.status === 'done') {
      await recordAuditMany(tx, taskAudit(session, recordOf(task), 'update', 'success', taskId, { status: 'done', changed: false }));
      return { ok: true, value: { id: task.id, status: 'done', completedAt: (task.completed_at ?? now).toISOString() } };
    }
    const done = await repo.markDoneByCitizen(tx, task.id, session.accountId, now);
    await recordEvent(tx, { organisationId: task.organisation_id, citizenId: task.citizen_id, kind: 'portal.task_done', refId: task.id, actorId: null, data: { planId: task.plan_id } });
    await recordAuditMany(tx, taskAudit(session, recordOf(task), 'update', 'success', taskId, { status: 'done', changed: true }));
    return { ok: true, value: { id: task.id, status: 'done', completedAt: new Date(done?.completed_at ?? now).toISOString() } };
  });
}

/** A comment from the citizen on a task of their plan (any task they see), shown to staff beside the task. */
export async function commentOnTask(db: Kysely<Database>, session: PortalSession, taskId: string, text: string): Promise<PortalTaskComment> {
  return audited<PortalTaskComment>(db, async (tx, refuse) => {
    const task = await repo.taskOfRecords(tx, taskId, session.records.map((r) => r.citizenId), session.accountId, false);
    if (!task || task.reminder || task.status === 'cancelled') {
      return refuse(new NotFound('No such task'), taskAudit(session, task ? recordOf(task) : session.records, 'create', 'denied', taskId, { reason: 'unknown_task' }));
    }
    if (task.my_comments >= MAX_COMMENTS_PER_TASK) return refuse(new TooManyComments(), taskAudit(session, recordOf(task), 'create', 'failure', taskId, { reason: 'too_many_comments' }));
    const row = await repo.insertCitizenComment(tx, { organisationId: task.organisation_id, citizenId: task.citizen_id, planId: task.plan_id, taskId: task.id, accountId: session.accountId, text });
    await recordEvent(tx, { organisationId: task.organisation_id, citizenId: task.citizen_id, kind: 'portal.task_comment', refId: task.id, actorId: null, data: { planId: task.plan_id, commentId: row.id } });
    // The text is personal data of the citizen's own: the audit row names the comment, not its words.
    await recordAuditMany(tx, taskAudit(session, recordOf(task), 'create', 'success', taskId, { commentId: row.id, length: text.length }).map((r) => ({ ...r, resourceType: 'plan_task_comment' })));
    return { ok: true, value: { id: row.id, author: 'me' as const, authorName: null, text, createdAt: new Date(row.created_at).toISOString() } };
  });
}

function isAppointmentCursor(v: unknown): v is repo.AppointmentCursor {
  const c = v as repo.AppointmentCursor;
  return (
    typeof c === 'object' && c !== null && typeof c.at === 'string' && typeof c.id === 'string' &&
    /^[0-9a-f-]{36}$/i.test(c.id) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(c.at) && !Number.isNaN(Date.parse(c.at))
  );
}

const endOf = (row: { starts_at: Date; duration_minutes: number }) => new Date(new Date(row.starts_at).getTime() + row.duration_minutes * 60_000);

/** The upcoming appointments of the citizen's records, soonest first, a page at a time (keyset on start and id). */
export async function appointments(db: Kysely<Database>, session: PortalSession, query: PortalAppointmentsQuery, now = new Date()): Promise<PortalAppointmentList> {
  const after = decodeCursor(query.cursor, isAppointmentCursor);
  return db.transaction().execute(async (tx) => {
    const rows = await repo.appointmentsOf(tx, session.records.map((r) => r.citizenId), { upcoming: true, now, after }, query.limit + 1);
    const page = rows.slice(0, query.limit);
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_appointments', outcome: 'success', criteria: { count: page.length, page: after ? 'next' : 'first' } }));
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        kind: r.kind,
        startsAt: new Date(r.starts_at).toISOString(),
        endsAt: endOf(r).toISOString(),
        place: placeCategory(r.kind, r.place) ?? 'out',
        organisation: r.organisation,
        with: [...r.staff_roles.map((role) => ({ kind: 'staff' as const, role })), ...r.outside_roles.map((role) => ({ kind: 'outside' as const, role }))],
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: new Date(last.starts_at).toISOString(), id: last.id }) : null,
    };
  });
}

// ---- The citizen's own feed ----

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function addMonths(at: Date, months: number): Date {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

export async function feedState(db: Kysely<Database>, session: PortalSession, now = new Date()): Promise<PortalFeedState> {
  return db.transaction().execute(async (tx) => {
    const row = await repo.feedState(tx, session.accountId);
    const active = !!row && !row.revoked_at && new Date(row.expires_at) > now;
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_calendar_feed', outcome: 'success', criteria: { active } }));
    return { active, createdAt: active ? new Date(row.created_at).toISOString() : null, expiresAt: active ? new Date(row.expires_at).toISOString() : null };
  });
}

/** A new secret address (valid 12 months); any earlier address stops working. Only the token's SHA-256 is kept. */
export async function createFeed(db: Kysely<Database>, session: PortalSession, origin: string, now = new Date()): Promise<PortalFeedCreated> {
  return db.transaction().execute(async (tx) => {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = addMonths(now, FEED_LIFETIME_MONTHS);
    const replaced = await repo.saveFeed(tx, session.accountId, hashToken(token), now, expiresAt);
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'create', resourceType: 'portal_calendar_feed', outcome: 'success', criteria: { expiresAt: expiresAt.toISOString(), replaced } }));
    return { url: `${origin}/api/portal/calendar-feed/${token}.ics`, expiresAt: expiresAt.toISOString() };
  });
}

export async function revokeFeed(db: Kysely<Database>, session: PortalSession, now = new Date()): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const revoked = await repo.revokeFeed(tx, session.accountId, now);
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'delete', resourceType: 'portal_calendar_feed', outcome: 'success', criteria: { revoked } }));
  });
}

/** The entry's UID in the citizen's feed: kept per appointment, and not the one the staff feed shows. */
const citizenUid = (accountId: string, uid: string) => createHash('sha256').update(`portal-feed\u0000${accountId}\u0000${uid}`).digest('hex').slice(0, 32);

/**
 * The feed for a token: the records' appointments from 30 days back to 200 ahead, as iCalendar with the staff feed's
 * neutral content ("Aftale", the kind of place, the time, the status). An unknown, expired or revoked token: 404.
 */
export async function feedCalendar(db: Kysely<Database>, token: string, now = new Date()): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const owner = await repo.feedOwner(tx, hashToken(token), now);
    if (!owner) throw new NotFound();
    const records = owner.records ?? [];
    const today = dateInCopenhagen(now);
    const from = addDays(today, -FEED_DAYS_BACK);
    const to = addDays(today, FEED_DAYS_AHEAD);
    const rows = records.length === 0 ? [] : await repo.appointmentsOf(tx, records.map((r) => r.citizenId), { upcoming: false, from: startOfDay(from), to: startOfDay(addDays(to, 1)) }, MAX_FEED_ENTRIES);
    const uids = await uidsFor(tx, rows.map((r) => r.id));
    const entries = rows.map((r) => {
      const row: EntryRow = { kind: r.kind, id: r.id, starts_at: r.starts_at, duration_minutes: r.duration_minutes, status: r.status, place: r.place, citizen_id: null, label: null, on_date: null };
      const place: PlaceCategory | null = placeCategory(r.kind, r.place);
      return { uid: citizenUid(owner.account_id, uids.get(r.id)!), row, place };
    });
    const ics = renderFeed(entries, now);
    await recordAuditMany(tx, citizenAuditRows(owner.account_id, records, { action: 'read', resourceType: 'portal_calendar_feed', outcome: 'success', criteria: { from, to, count: rows.length } }));
    return ics;
  });
}
