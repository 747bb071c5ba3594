// Network meetings: who took part, the minutes, and the plan changes agreed there, saved with the meeting in
// one transaction. Outside participants (a relative, an employer) take part only with the citizen's consent
// recorded on the meeting; Bindeled keeps their name, role and contact, nothing more.
import type { z } from 'zod';
import type { CreateMeetingRequest, MeetingListQuery } from '../../../contracts/plan.ts';
import type { Warning } from '../../../contracts/common.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { Invalid, type FieldIssue } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isIsoTimestamp, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { recordEvent } from '../citizens/citizens.repository.ts';
import { checkDoubleBooking } from '../calendar/calendar.service.ts';
import { applyPlanChanges, commit, lockPlan, openCitizen, type PlanDeps } from './plan.service.ts';
import * as repo from './plan.repository.ts';

const PURPOSE = 'case_work' as const;

export function isTimeCursor(v: unknown): v is repo.TimeCursor {
  const c = v as repo.TimeCursor;
  return typeof c === 'object' && c !== null && isUuid(c.id) && isIsoTimestamp(c.at);
}

/** The checks that need no database: consent for outside people, one citizen entry, what a planned meeting may hold. */
function checkMeetingInput(input: z.infer<typeof CreateMeetingRequest>): void {
  const issues: FieldIssue[] = [];
  input.participants.forEach((p, i) => {
    if (p.kind !== 'outside') return;
    if (!p.consent) issues.push({ path: `participants.${i}.consent`, message: 'consent_required' });
    if (!p.participantId && (!p.name || !p.role)) issues.push({ path: `participants.${i}.name`, message: 'name_and_role_required' });
    if (p.participantId && (p.name || p.role || p.contact)) issues.push({ path: `participants.${i}.participantId`, message: 'existing_participant_takes_no_details' });
  });
  if (input.participants.filter((p) => p.kind === 'citizen').length > 1) issues.push({ path: 'participants', message: 'citizen_once' });
  const staffIds = input.participants.flatMap((p) => (p.kind === 'staff' ? [p.userId] : []));
  if (new Set(staffIds).size !== staffIds.length) issues.push({ path: 'participants', message: 'staff_twice' });
  if (input.status === 'planned' && input.plan) issues.push({ path: 'plan', message: 'plan_changes_need_a_held_meeting' });
  if (input.status === 'planned' && input.meetingId) issues.push({ path: 'meetingId', message: 'only_a_held_meeting_completes_a_planned_one' });
  if (input.status === 'planned' && input.minutes) issues.push({ path: 'minutes', message: 'minutes_need_a_held_meeting' });
  if (input.status === 'planned' && input.nextMeeting) issues.push({ path: 'nextMeeting', message: 'book_from_a_held_meeting' });
  if (input.nextMeeting && Date.parse(input.nextMeeting.startsAt) <= Date.parse(input.startsAt)) issues.push({ path: 'nextMeeting.startsAt', message: 'after_this_meeting' });
  if (issues.length > 0) {
    const consent = issues.some((i) => i.message === 'consent_required');
    throw new Invalid(consent ? "An outside participant may take part only with the citizen's consent, naming the person, their role and the topics" : 'The meeting cannot be saved as sent', issues);
  }
}

export async function createMeeting(deps: PlanDeps, actor: Actor, citizenId: string, input: z.infer<typeof CreateMeetingRequest>) {
  checkMeetingInput(input);
  return inTransaction(deps.db, async (tx) => {
    const access = await openCitizen(tx, actor, citizenId, 'citizen:write-case', 'create');
    const target = await lockPlan(tx, actor, access, citizenId, input.enrolmentId, 'create');

    const staffIds = input.participants.flatMap((p) => (p.kind === 'staff' ? [p.userId] : []));
    const staff = new Set((await repo.programmeStaff(tx, target.organisationId, target.programmeId, staffIds)).map((u) => u.id));
    const issues: FieldIssue[] = [];
    input.participants.forEach((p, i) => {
      if (p.kind === 'staff' && !staff.has(p.userId)) issues.push({ path: `participants.${i}.userId`, message: 'not_programme_staff' });
    });
    const existingIds = input.participants.flatMap((p) => (p.kind === 'outside' && p.participantId ? [p.participantId] : []));
    const existing = new Set((await repo.participantsOfPlan(tx, target.planId, existingIds)).map((x) => x.id));
    input.participants.forEach((p, i) => {
      if (p.kind === 'outside' && p.participantId && !existing.has(p.participantId)) issues.push({ path: `participants.${i}.participantId`, message: 'unknown_participant' });
    });
    let planned: Awaited<ReturnType<typeof repo.plannedMeeting>>;
    if (input.meetingId) {
      planned = await repo.plannedMeeting(tx, input.meetingId, citizenId);
      if (!planned || planned.status !== 'planned' || planned.plan_id !== target.planId) issues.push({ path: 'meetingId', message: 'no_planned_meeting' });
    }
    if (issues.length > 0) throw new Invalid('The meeting cannot be saved as sent', issues);

    // Booking ahead (this meeting as planned, or the next one) warns when a staff participant is already booked then.
    const notices: Warning[] = [];
    const booking = (startsAt: string, minutes: number) => {
      const from = new Date(startsAt);
      return checkDoubleBooking(tx, { userIds: staffIds, startsAt: from, endsAt: new Date(from.getTime() + minutes * 60_000), acknowledged: input.acknowledgeWarnings });
    };
    if (staffIds.length > 0 && input.status === 'planned') notices.push(...(await booking(input.startsAt, input.durationMinutes)));
    if (staffIds.length > 0 && input.nextMeeting) notices.push(...(await booking(input.nextMeeting.startsAt, input.nextMeeting.durationMinutes)));

    // New outside participants join the plan, with the consent the citizen gave for them.
    const newOutside = input.participants.flatMap((p) => (p.kind === 'outside' && !p.participantId ? [p] : []));
    const inserted = await repo.insertParticipants(
      tx,
      newOutside.map((p) => ({ organisationId: target.organisationId, planId: target.planId, name: p.name!, role: p.role!, contact: p.contact ?? null, topics: p.consent!.topics, recordedBy: actor.userId })),
    );
    const newIds = inserted.map((r) => r.id);

    const meetingRow = { startsAt: input.startsAt, durationMinutes: input.durationMinutes, place: input.place, placeText: input.placeText ?? null, minutes: input.minutes ?? null };
    let meetingId: string;
    if (planned) {
      await repo.holdMeeting(tx, planned.id, meetingRow);
      meetingId = planned.id;
    } else {
      meetingId = (await repo.insertMeeting(tx, { ...meetingRow, organisationId: target.organisationId, citizenId, planId: target.planId, status: input.status, bookedFrom: null, createdBy: actor.userId })).id;
    }
    let n = 0;
    const participantRows = input.participants.map((p) => ({
      meetingId,
      kind: p.kind,
      userId: p.kind === 'staff' ? p.userId : null,
      participantId: p.kind === 'outside' ? (p.participantId ?? newIds[n++]!) : null,
      role: p.kind === 'staff' ? (p.role ?? null) : null,
    }));
    await repo.insertMeetingParticipants(tx, participantRows);

    let planResult: { planId: string; revision: number; version: number } | null = null;
    const extra = newIds.length > 0 ? { participantsAdded: newIds.length } : {};
    if (input.plan) {
      planResult = await applyPlanChanges(tx, actor, target, input.plan, { meetingId, prefix: 'plan.', newParticipantIds: newIds, extraSummary: extra });
    } else if (newIds.length > 0) {
      planResult = await commit(tx, actor, target, extra, meetingId);
    }

    let nextMeetingId: string | null = null;
    if (input.nextMeeting) {
      const next = input.nextMeeting;
      nextMeetingId = (
        await repo.insertMeeting(tx, {
          organisationId: target.organisationId,
          citizenId,
          planId: target.planId,
          startsAt: next.startsAt,
          durationMinutes: next.durationMinutes,
          place: next.place,
          placeText: next.placeText ?? null,
          status: 'planned',
          minutes: null,
          bookedFrom: meetingId,
          createdBy: actor.userId,
        })
      ).id;
      // The next meeting invites the same people.
      await repo.insertMeetingParticipants(tx, participantRows.map((r) => ({ ...r, meetingId: nextMeetingId! })));
    }

    await recordEvent(tx, {
      organisationId: target.organisationId,
      citizenId,
      kind: input.status === 'held' ? 'meeting.held' : 'meeting.planned',
      refId: meetingId,
      actorId: actor.userId,
      data: {
        startsAt: input.startsAt,
        place: input.place,
        participants: input.participants.length,
        goalsAdded: input.plan?.goals?.add.length ?? 0,
        tasksAdded: input.plan?.tasks?.add.length ?? 0,
        ...(input.nextMeeting ? { nextMeetingAt: input.nextMeeting.startsAt } : {}),
      },
    });
    await recordAudit(tx, {
      actor,
      organisationId: target.organisationId,
      action: planned ? 'update' : 'create',
      purpose: PURPOSE,
      resourceType: 'network_meeting',
      resourceId: meetingId,
      citizenId,
      outcome: 'success',
      criteria: { status: input.status, outsideParticipants: newOutside.length + existingIds.length, planRevision: planResult?.revision ?? null, nextMeetingId, ...(notices.length ? { acknowledgedWarnings: notices.map((n) => n.code) } : {}) },
    });
    return { id: meetingId, nextMeetingId, plan: planResult, notices };
  });
}

export async function listMeetings(deps: PlanDeps, actor: Actor, citizenId: string, query: z.infer<typeof MeetingListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await openCitizen(tx, actor, citizenId, 'citizen:read', 'read');
    const after = decodeCursor(query.cursor, isTimeCursor);
    const rows = await repo.meetingsOf(tx, citizenId, after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'network_meeting', citizenId, outcome: 'success', criteria: { count: page.length, cursor: query.cursor ? 'next' : null } });
    return {
      items: page.map((m) => ({
        id: m.id,
        startsAt: m.starts_at,
        durationMinutes: m.duration_minutes,
        place: m.place as 'office',
        placeText: m.place_text,
        status: m.status,
        minutes: m.minutes,
        participants: m.participants,
        createdBy: { id: m.created_by, name: m.created_by_name },
        version: m.version,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.starts_at, id: last.id }) : null,
    };
  });
}
