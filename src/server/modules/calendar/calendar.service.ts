// The staff calendar, Min dag and the personal iCalendar feed. Every function runs in one transaction and
// writes one audit row; citizens appear by name only where the caller may still see them (the citizen
// access rules, decided per citizen from one query), otherwise as "Aftale" without name.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  DAY_LIST_CAP,
  MAX_ENTRIES,
  MAX_RANGE_DAYS,
  type CalendarEntry,
  type CalendarQuery,
  type CalendarResponse,
  type DayTask,
  type FeedCreated,
  type FeedState,
  type MyDay,
  type NextStep,
  type PlaceCategory,
} from '../../../contracts/calendar.ts';
import type { Warning } from '../../../contracts/common.ts';
import type { Database } from '../../db/schema.ts';
import { decide, requireAccess } from '../../platform/access/access.ts';
import type { Actor, Role } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { DomainError, Invalid, NotFound } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { NeedsAcknowledgement } from '../citizens/citizens.service.ts';
import * as repo from './calendar.repository.ts';
import { renderFeed } from './ical.ts';
import { daysBetween, mondayOf, startOfDay } from './time.ts';
import { openTeamTasks, toTask } from '../progression/tasks.service.ts';

type Tx = Transaction<Database>;
const PURPOSE = 'case_work' as const;

/** How long a feed address lives. */
export const FEED_LIFETIME_MONTHS = 12;
/** The feed's window around today: long enough back for the recent past, ahead past the next daylight-saving change. */
export const FEED_DAYS_BACK = 30;
export const FEED_DAYS_AHEAD = 200;

/** Where an appointment is, as the category the calendar shows; sensitive places (home, drop-in, psychiatry) are just "out". */
export function placeCategory(kind: repo.EntryKind, place: string | null): PlaceCategory | null {
  if (kind === 'follow_up') return null;
  if (kind === 'group_session') return 'office';
  if (place === 'conversation_room' || place === 'office' || place === 'jobcentre') return 'office';
  if (place === 'phone_video' || place === 'video') return 'remote';
  return 'out';
}

const fullName = (c: { first_name: string; last_name: string }) => `${c.first_name} ${c.last_name}`;

/** Names of the citizens the caller may still read, from one query; the rest are left out. */
async function visibleCitizens(tx: Tx, actor: Actor, ids: Iterable<string>, today: string): Promise<Map<string, { id: string; name: string }>> {
  const rows = await repo.citizensWithRelations(tx, [...new Set(ids)], today);
  const visible = new Map<string, { id: string; name: string }>();
  for (const c of rows) {
    const decision = decide(actor, 'citizen:read', {
      type: 'citizen',
      id: c.id,
      citizenId: c.id,
      organisationId: c.organisation_id,
      citizen: { createdBy: c.created_by, enrolments: c.enrolments },
    });
    if (decision.allowed) visible.set(c.id, { id: c.id, name: fullName(c) });
  }
  return visible;
}

function toEntry(row: repo.EntryRow, citizens: Map<string, { id: string; name: string }>): CalendarEntry {
  const startsAt = row.starts_at ? new Date(row.starts_at) : null;
  const endsAt = startsAt && row.duration_minutes ? new Date(startsAt.getTime() + row.duration_minutes * 60_000) : null;
  return {
    kind: row.kind,
    id: row.id,
    startsAt: startsAt?.toISOString() ?? null,
    endsAt: endsAt?.toISOString() ?? null,
    date: startsAt ? dateInCopenhagen(startsAt) : row.on_date!,
    status: row.status as CalendarEntry['status'],
    place: placeCategory(row.kind, row.place),
    citizen: row.citizen_id ? (citizens.get(row.citizen_id) ?? null) : null,
    courseTitle: row.label,
  };
}

async function entriesFor(tx: Tx, actor: Actor, userId: string, from: string, to: string, today: string) {
  const rows = await repo.entriesOf(tx, userId, startOfDay(from), startOfDay(addDays(to, 1)), from, to, MAX_ENTRIES + 1);
  const truncated = rows.length > MAX_ENTRIES;
  const kept = rows.slice(0, MAX_ENTRIES);
  const citizens = await visibleCitizens(tx, actor, kept.flatMap((r) => (r.citizen_id ? [r.citizen_id] : [])), today);
  return { items: kept.map((r) => toEntry(r, citizens)), truncated };
}

export async function calendar(db: Kysely<Database>, actor: Actor, query: CalendarQuery): Promise<CalendarResponse> {
  const { from, to } = query;
  if (from > to) throw new Invalid('`from` must not be after `to`', [{ path: 'querystring.from', message: 'after to' }]);
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
    throw new Invalid(`A calendar range covers at most ${MAX_RANGE_DAYS} days`, [{ path: 'querystring.to', message: `more than ${MAX_RANGE_DAYS} days after from` }]);
  }
  const userId = query.userId ?? actor.userId;
  return inTransaction(db, async (tx) => {
    requireAccess(actor, 'calendar:read', { type: 'calendar', id: userId, organisationId: actor.organisationId, userId }, { action: 'read', purpose: PURPOSE });
    const today = dateInCopenhagen();
    const { items, truncated } = await entriesFor(tx, actor, userId, from, to, today);
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'read',
      purpose: PURPOSE,
      resourceType: 'calendar',
      resourceId: userId,
      outcome: 'success',
      criteria: { from, to, count: items.length },
    });
    return { from, to, items, truncated };
  });
}

function task(row: repo.TaskRow, citizens: Map<string, { id: string; name: string }>): DayTask {
  const citizen = citizens.get(row.citizen_id) ?? null;
  return { id: row.id, title: citizen ? row.title : null, dueDate: row.due_date, ownerKind: row.owner_kind, ownerName: citizen ? row.owner_name : null, citizen };
}

function nextStep(row: repo.NextStepRow, citizen: { id: string; name: string }): NextStep {
  const candidates: { kind: NextStep['kind']; date: string; startsAt: string | null; title: string | null; at: number }[] = [];
  const timed = (kind: 'conversation' | 'network_meeting', at: Date | null) => {
    if (at) candidates.push({ kind, date: dateInCopenhagen(new Date(at)), startsAt: new Date(at).toISOString(), title: null, at: new Date(at).getTime() });
  };
  timed('conversation', row.next_conversation);
  timed('network_meeting', row.next_meeting);
  if (row.next_task_due) candidates.push({ kind: 'task', date: row.next_task_due, startsAt: null, title: row.next_task_title, at: startOfDay(row.next_task_due).getTime() });
  if (row.follow_up) candidates.push({ kind: 'follow_up', date: row.follow_up, startsAt: null, title: null, at: startOfDay(row.follow_up).getTime() });
  candidates.sort((a, b) => a.at - b.at);
  const first = candidates[0];
  return { citizen, kind: first?.kind ?? null, date: first?.date ?? null, startsAt: first?.startsAt ?? null, title: first?.title ?? null };
}

/** Min dag: today and this week (Monday–Sunday, Copenhagen), my open tasks, overdue tasks in my citizens' plans, the next step per citizen. */
export async function myDay(db: Kysely<Database>, actor: Actor, now: Date = new Date()): Promise<MyDay> {
  const today = dateInCopenhagen(now);
  const weekStart = mondayOf(today);
  const weekEnd = addDays(weekStart, 6);
  return inTransaction(db, async (tx) => {
    const entries = await repo.entriesOf(tx, actor.userId, startOfDay(weekStart), startOfDay(addDays(weekEnd, 1)), weekStart, weekEnd, MAX_ENTRIES);
    const mine = await repo.openTasksOwnedBy(tx, actor.userId, DAY_LIST_CAP);
    const overdue = await repo.overdueTasksOfCaseload(tx, actor.userId, today, DAY_LIST_CAP);
    const steps = await repo.nextSteps(tx, actor.userId, today, now, DAY_LIST_CAP);
    const teamTasks = await openTeamTasks(tx, actor.userId, today, DAY_LIST_CAP);
    const ids = [...entries.flatMap((e) => (e.citizen_id ? [e.citizen_id] : [])), ...mine.map((t) => t.citizen_id), ...overdue.map((t) => t.citizen_id), ...steps.map((s) => s.citizen_id)];
    const citizens = await visibleCitizens(tx, actor, ids, today);
    const weekItems = entries.map((e) => toEntry(e, citizens));
    const nextItems = steps.flatMap((s) => {
      const citizen = citizens.get(s.citizen_id);
      return citizen ? [nextStep(s, citizen)] : [];
    });
    const more = (rows: { total: number }[]) => Math.max(0, (rows[0]?.total ?? 0) - rows.length);
    const result: MyDay = {
      today,
      weekStart,
      weekEnd,
      todayItems: weekItems.filter((e) => e.date === today),
      weekItems,
      myTasks: { items: mine.map((t) => task(t, citizens)), more: more(mine) },
      overdueTasks: { items: overdue.map((t) => task(t, citizens)), more: more(overdue) },
      nextSteps: { items: nextItems, more: more(steps) },
      teamTasks: { items: teamTasks.map((t) => toTask(t, today)), more: more(teamTasks) },
    };
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'read',
      purpose: PURPOSE,
      resourceType: 'my_day',
      resourceId: actor.userId,
      outcome: 'success',
      criteria: {
        today,
        appointments: weekItems.length,
        myTasks: result.myTasks.items.length,
        overdueTasks: result.overdueTasks.items.length,
        citizens: nextItems.length,
        teamTasks: teamTasks.length,
      },
    });
    return result;
  });
}

// ---- The personal feed ----

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function addMonths(at: Date, months: number): Date {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

export class FeedDisabled extends DomainError {
  constructor() {
    super(409, 'feed_disabled', 'The organisation does not offer calendar feeds');
  }
}

export async function feedState(db: Kysely<Database>, actor: Actor, now: Date = new Date()): Promise<FeedState> {
  const row = await repo.feedState(db, actor.userId, actor.organisationId);
  const active = row.enabled && !!row.expires_at && !row.revoked_at && new Date(row.expires_at) > now;
  return {
    enabled: row.enabled,
    active,
    createdAt: active && row.created_at ? new Date(row.created_at).toISOString() : null,
    expiresAt: active && row.expires_at ? new Date(row.expires_at).toISOString() : null,
  };
}

/** The organisation's feed setting (admin). Switched off, every feed of the organisation answers 404 until it is on again. */
export async function setFeedSetting(db: Kysely<Database>, actor: Actor, enabled: boolean): Promise<{ enabled: boolean }> {
  return inTransaction(db, async (tx) => {
    const organisationId = actor.organisationId;
    requireAccess(actor, 'organisation:configure', { type: 'organisation', id: organisationId, organisationId }, { action: 'update', purpose: 'administration' });
    await tx.updateTable('organisations').set({ calendar_feed_enabled: enabled }).where('id', '=', organisationId).execute();
    await recordAudit(tx, {
      actor,
      organisationId,
      action: 'update',
      purpose: 'administration',
      resourceType: 'organisation',
      resourceId: organisationId,
      outcome: 'success',
      criteria: { calendarFeedEnabled: enabled },
    });
    return { enabled };
  });
}

/** A new secret address; any earlier one stops working. Only the token's SHA-256 is stored. */
export async function createFeed(db: Kysely<Database>, actor: Actor, origin: string, now: Date = new Date()): Promise<FeedCreated> {
  return inTransaction(db, async (tx) => {
    const state = await repo.feedState(tx, actor.userId, actor.organisationId);
    if (!state.enabled) throw new FeedDisabled();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = addMonths(now, FEED_LIFETIME_MONTHS);
    await repo.saveFeed(tx, actor.userId, actor.organisationId, hashToken(token), expiresAt);
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'create',
      purpose: 'self_service',
      resourceType: 'calendar_feed',
      resourceId: actor.userId,
      outcome: 'success',
      criteria: { expiresAt: expiresAt.toISOString(), replaced: !!state.expires_at && !state.revoked_at },
    });
    return { url: `${origin}/api/calendar/feed/${token}.ics`, expiresAt: expiresAt.toISOString() };
  });
}

export async function revokeFeed(db: Kysely<Database>, actor: Actor, now: Date = new Date()): Promise<void> {
  await inTransaction(db, async (tx) => {
    const revoked = await repo.revokeFeed(tx, actor.userId, now);
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'delete',
      purpose: 'self_service',
      resourceType: 'calendar_feed',
      resourceId: actor.userId,
      outcome: 'success',
      criteria: { revoked },
    });
  });
}

/**
 * The feed for a token: the owner's appointments in the window, as iCalendar without personal data.
 * An unknown, expired or revoked token, an inactive owner or the organisation's setting off: 404.
 */
export async function feedCalendar(db: Kysely<Database>, token: string, now: Date = new Date()): Promise<string> {
  return inTransaction(db, async (tx) => {
    const owner = await repo.feedOwner(tx, hashToken(token), now);
    if (!owner) throw new NotFound();
    const actor: Actor = {
      userId: owner.user_id,
      username: owner.username,
      name: owner.name,
      organisationId: owner.organisation_id,
      roles: owner.roles.map((r) => ({ role: r.role as Role, programmeId: r.programmeId })),
    };
    const today = dateInCopenhagen(now);
    const from = addDays(today, -FEED_DAYS_BACK);
    const to = addDays(today, FEED_DAYS_AHEAD);
    const rows = await repo.entriesOf(tx, owner.user_id, startOfDay(from), startOfDay(addDays(to, 1)), from, to, MAX_ENTRIES);
    const uids = await repo.uidsFor(tx, rows.map((r) => r.id));
    const ics = renderFeed(
      rows.map((r) => ({ uid: uids.get(r.id)!, row: r, place: placeCategory(r.kind, r.place) })),
      now,
    );
    await recordAudit(tx, {
      actor,
      organisationId: owner.organisation_id,
      action: 'read',
      purpose: PURPOSE,
      resourceType: 'calendar_feed',
      resourceId: owner.user_id,
      outcome: 'success',
      criteria: { from, to, count: rows.length },
    });
    return ics;
  });
}

// ---- Double booking ----

export interface Overlap {
  userId: string;
  kind: 'conversation' | 'network_meeting' | 'group_session';
  id: string;
  startsAt: string;
  endsAt: string;
}

/**
 * The users' appointments (conversations, network meetings, sessions they lead; not cancelled ones) that
 * overlap [startsAt, endsAt), leaving out `exceptId` (the appointment being changed). For the services that
 * book conversations and meetings: turn the result into 409 `warnings` with `doubleBookingWarnings` unless the
 * user acknowledged them.
 */
export async function overlappingAppointments(tx: Tx | Kysely<Database>, userIds: string[], startsAt: Date, endsAt: Date, exceptId?: string): Promise<Overlap[]> {
  const rows = await repo.overlapping(tx, [...new Set(userIds)], startsAt, endsAt, exceptId ?? null);
  return rows.map((r) => {
    const start = new Date(r.starts_at);
    return { userId: r.user_id, kind: r.kind, id: r.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + r.duration_minutes * 60_000).toISOString() };
  });
}

/** One `double_booking` warning per overlapping appointment (no citizen in it: the other appointment may be another team's). */
export function doubleBookingWarnings(overlaps: Overlap[], names: Record<string, string> = {}): Warning[] {
  return overlaps.map((o) => ({
    code: 'double_booking',
    message: `${names[o.userId] ?? 'A participant'} already has an appointment from ${o.startsAt} to ${o.endsAt}`,
    data: { userId: o.userId, ...(names[o.userId] ? { userName: names[o.userId]! } : {}), kind: o.kind, startsAt: o.startsAt, endsAt: o.endsAt },
  }));
}

/**
 * For the booking services: with overlaps and no acknowledgement, 409 `warnings` (`double_booking`, naming the
 * staff member); acknowledged, the warnings are returned for the answer's notices. One statement when nothing
 * overlaps, one more for the names when something does.
 */
export async function checkDoubleBooking(
  tx: Tx,
  booking: { userIds: string[]; startsAt: Date; endsAt: Date; exceptId?: string; acknowledged: boolean },
): Promise<Warning[]> {
  const overlaps = await overlappingAppointments(tx, booking.userIds, booking.startsAt, booking.endsAt, booking.exceptId);
  if (overlaps.length === 0) return [];
  const users = await tx.selectFrom('users').select(['id', 'name']).where('id', 'in', [...new Set(overlaps.map((o) => o.userId))]).execute();
  const warnings = doubleBookingWarnings(overlaps, Object.fromEntries(users.map((u) => [u.id, u.name])));
  if (!booking.acknowledged) throw new NeedsAcknowledgement(warnings);
  return warnings;
}
