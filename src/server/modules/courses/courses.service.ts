// Group course rules: who creates and sees a course, who sees its participants (its leaders only), enrolment
// within capacity, attendance for the whole group at once, and the rates (docs/decisions/0019-group-courses.md).
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type {
  AddParticipantsRequest,
  AttendanceRequest,
  CitizenCourse,
  CourseDetail,
  CourseListQuery,
  CourseSummary,
  CourseTopic,
  CreateCourseRequest,
  ScheduleRequest,
  SchedulePreview,
  Session,
  UpdateParticipantRequest,
  UpdateSessionRequest,
} from '../../../contracts/courses.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, decide, requireAccess } from '../../platform/access/access.ts';
import { POLICY } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany, type AuditAction } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { requireCitizenAccess } from '../citizens/citizen-access.ts';
import { syncMinPlanReminder } from '../plan/min-plan.ts';
import * as repo from './courses.repository.ts';
import { copenhagenTime, planSessions } from './schedule.ts';

type Tx = Transaction<Database>;
export interface CourseDeps {
  db: Kysely<Database>;
}

const PURPOSE = 'case_work' as const;
const RESOURCE = 'group_course';

const iso = (v: Date | string) => new Date(v).toISOString();
/** attended / recorded, rounded to three decimals; null when nothing is recorded. */
export const rate = (attended: number, recorded: number): number | null => (recorded === 0 ? null : Math.round((attended / recorded) * 1000) / 1000);

function denied(actor: Actor, action: AuditAction, courseId: string, organisationId: string | null, reason: string): AccessDenied {
  return new AccessDenied({ actor, organisationId, action, purpose: PURPOSE, resourceType: RESOURCE, resourceId: courseId, outcome: 'denied', criteria: { reason } });
}

function sessionView(s: repo.SessionRow, today: string): Session {
  const date = dateInCopenhagen(new Date(s.starts_at));
  return { id: s.id, number: s.number, startsAt: iso(s.starts_at), date, durationMinutes: s.duration_minutes, status: s.status, held: s.status === 'planned' && date <= today, version: s.version };
}

export async function previewSchedule(deps: CourseDeps, actor: Actor, programmeId: string, schedule: ScheduleRequest): Promise<SchedulePreview> {
  return inTransaction(deps.db, async (tx) => {
    await requireManage(tx, actor, programmeId, 'read');
    const plan = planSessions(schedule);
    return { sessions: plan.sessions.map((s) => ({ ...s, startsAt: s.startsAt.toISOString() })), skipped: plan.skipped };
  });
}

async function requireManage(tx: Tx, actor: Actor, programmeId: string, action: AuditAction) {
  const programme = await repo.programmeOwner(tx, programmeId);
  if (!programme) throw denied(actor, action, programmeId, null, 'unknown programme');
  requireAccess(actor, 'course:manage', { type: RESOURCE, organisationId: programme.organisation_id, programmeId }, { action, purpose: PURPOSE });
  return programme;
}

/** Leaders: the owning organisation's case staff in the programme. The region's staff need the consent issue first. */
async function checkLeaders(tx: Tx, programmeId: string, organisationId: string, leaderIds: string[]) {
  const unique = [...new Set(leaderIds)];
  const found = await repo.leaderCandidates(tx, programmeId, unique);
  const caseRoles: readonly string[] = POLICY['course:read'].roles;
  const issues: { path: string; message: string }[] = [];
  let otherOrganisation = false;
  unique.forEach((id) => {
    const user = found.find((u) => u.id === id);
    const index = leaderIds.indexOf(id);
    if (!user || !user.roles.some((r) => caseRoles.includes(r))) {
      issues.push({ path: `leaderIds.${index}`, message: 'not_programme_staff' });
    } else if (user.organisation_id !== organisationId) {
      otherOrganisation = true;
      issues.push({ path: `leaderIds.${index}`, message: 'other_organisation' });
    }
  });
  if (otherOrganisation) {
    throw new Invalid(
      'A leader employed by another organisation (e.g. the region) would see who takes part; that needs the citizens\u2019 consent, which Bindeled cannot record yet (the consent issue). Choose leaders from the organisation that owns the programme.',
      issues,
    );
  }
  if (issues.length) throw new Invalid('Every leader must be a member of the programme\u2019s staff', issues);
  return unique;
}

export async function createCourse(deps: CourseDeps, actor: Actor, programmeId: string, input: z.infer<typeof CreateCourseRequest>) {
  const plan = planSessions(input.schedule);
  return inTransaction(deps.db, async (tx) => {
    const programme = await requireManage(tx, actor, programmeId, 'create');
    const leaderIds = await checkLeaders(tx, programmeId, programme.organisation_id, input.leaderIds);
    const rows = await repo.insertCourse(tx, {
      organisationId: programme.organisation_id,
      programmeId,
      title: input.title,
      description: input.description ?? null,
      topics: [...new Set(input.topics)],
      capacity: input.capacity,
      location: input.location ?? null,
      minPlan: input.minPlan,
      createdBy: actor.userId,
      leaderIds,
      sessions: plan.sessions,
    });
    const courseId = rows[0]!.course_id;
    await recordAudit(tx, { actor, organisationId: programme.organisation_id, action: 'create', purpose: PURPOSE, resourceType: RESOURCE, resourceId: courseId, outcome: 'success', criteria: { sessions: rows.length } });
    const today = dateInCopenhagen();
    return { id: courseId, sessions: rows.sort((a, b) => a.number - b.number).map((s) => sessionView(s, today)), skipped: plan.skipped };
  });
}

function isCourseCursor(v: unknown): v is repo.CourseCursor {
  const c = v as repo.CourseCursor;
  return typeof c === 'object' && c !== null && isUuid(c.id) && typeof c.us === 'string' && /^-?[0-9]{1,16}$/.test(c.us);
}

export async function listCourses(deps: CourseDeps, actor: Actor, programmeId: string, query: z.infer<typeof CourseListQuery>): Promise<{ items: CourseSummary[]; nextCursor: string | null }> {
  return inTransaction(deps.db, async (tx) => {
    const programme = await repo.programmeOwner(tx, programmeId);
    if (!programme) throw denied(actor, 'read', programmeId, null, 'unknown programme');
    requireAccess(actor, 'course:read', { type: RESOURCE, organisationId: programme.organisation_id, programmeId }, { action: 'read', purpose: PURPOSE });
    const after = decodeCursor(query.cursor, isCourseCursor);
    const rows = await repo.coursesOf(tx, programmeId, after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId: programme.organisation_id, action: 'read', purpose: PURPOSE, resourceType: RESOURCE, outcome: 'success', criteria: { list: 'programme', programmeId, count: page.length, cursor: query.cursor ? 'next' : null } });
    return {
      items: page.map((c) => ({
        id: c.id,
        title: c.title,
        topics: c.topics as CourseTopic[],
        capacity: c.capacity,
        location: c.location,
        leaders: c.leaders,
        sessionCount: c.session_count,
        firstSessionAt: c.first_at ? iso(c.first_at) : null,
        lastSessionAt: c.last_at ? iso(c.last_at) : null,
        participantCount: c.participant_count,
        attendanceRate: rate(c.attended, c.recorded),
        isLeader: c.leaders.some((l) => l.id === actor.userId),
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ us: last.created_us, id: last.id }) : null,
    };
  });
}

/** Reads a course the caller may see (course:read in its programme), or refuses as unknown. */
async function readableCourse(tx: Tx, actor: Actor, courseId: string, action: AuditAction) {
  const course = await repo.courseById(tx, courseId);
  if (!course) throw denied(actor, action, courseId, null, 'unknown id');
  requireAccess(actor, 'course:read', { type: RESOURCE, id: courseId, organisationId: course.organisation_id, programmeId: course.programme_id }, { action, purpose: PURPOSE });
  return course;
}

export async function getCourse(deps: CourseDeps, actor: Actor, courseId: string): Promise<CourseDetail> {
  return inTransaction(deps.db, async (tx) => {
    const course = await readableCourse(tx, actor, courseId, 'read');
    const today = dateInCopenhagen();
    const sessions = await repo.sessionsOf(tx, courseId);
    const isLeader = course.leaders.some((l) => l.id === actor.userId);
    const canManage = decide(actor, 'course:manage', { type: RESOURCE, organisationId: course.organisation_id, programmeId: course.programme_id }).allowed;
    const detail: CourseDetail = {
      id: course.id,
      programmeId: course.programme_id,
      title: course.title,
      description: course.description,
      topics: course.topics as CourseTopic[],
      capacity: course.capacity,
      location: course.location,
      minPlan: course.min_plan,
      leaders: course.leaders,
      sessions: sessions.map((s) => sessionView(s, today)),
      participantCount: course.participant_count,
      attendanceRate: rate(course.attended, course.recorded),
      isLeader,
      canManage,
      version: course.version,
    };
    if (!isLeader) {
      await recordAudit(tx, { actor, organisationId: course.organisation_id, action: 'read', purpose: PURPOSE, resourceType: RESOURCE, resourceId: courseId, outcome: 'success', criteria: { participants: false } });
      return detail;
    }
    const participants = await repo.participantsOf(tx, courseId);
    const attendance = await repo.attendanceOf(tx, courseId);
    const planned = new Set(sessions.filter((s) => s.status === 'planned').map((s) => s.id));
    const counted = attendance.filter((a) => planned.has(a.session_id));
    detail.participants = participants.map((p) => {
      const own = counted.filter((a) => a.citizen_id === p.citizen_id);
      const attended = own.filter((a) => a.status === 'attended').length;
      return {
        citizenId: p.citizen_id,
        firstName: p.first_name,
        lastName: p.last_name,
        addedAt: iso(p.added_at),
        leftAt: p.left_at ? iso(p.left_at) : null,
        attended,
        excused: own.filter((a) => a.status === 'excused').length,
        absent: own.filter((a) => a.status === 'absent').length,
        rate: rate(attended, own.length),
        minPlan: p.min_plan,
        version: p.version,
      };
    });
    detail.sessions = detail.sessions.map((s) => {
      const own = counted.filter((a) => a.session_id === s.id);
      return { ...s, rate: rate(own.filter((a) => a.status === 'attended').length, own.length) };
    });
    detail.attendance = attendance.map((a) => ({ sessionId: a.session_id, citizenId: a.citizen_id, status: a.status }));
    // The list reveals who takes part: one row per participant, in their own log.
    await recordAuditMany(tx, [
      { actor, organisationId: course.organisation_id, action: 'read', purpose: PURPOSE, resourceType: RESOURCE, resourceId: courseId, outcome: 'success', criteria: { participants: true, count: participants.length } },
      ...participants.map((p) => ({
        actor,
        organisationId: course.organisation_id,
        action: 'read' as const,
        purpose: PURPOSE,
        resourceType: RESOURCE,
        resourceId: courseId,
        citizenId: p.citizen_id,
        outcome: 'success' as const,
        criteria: { participantList: true },
      })),
    ]);
    return detail;
  });
}

/** A change only the course's leaders make (participants, attendance); anyone else is refused as unknown. */
async function leaderCourse(tx: Tx, actor: Actor, courseId: string, action: AuditAction) {
  const course = await repo.courseForChange(tx, courseId);
  if (!course) throw denied(actor, action, courseId, null, 'unknown id');
  requireAccess(actor, 'course:read', { type: RESOURCE, id: courseId, organisationId: course.organisation_id, programmeId: course.programme_id }, { action, purpose: PURPOSE });
  if (!course.leader_ids.includes(actor.userId)) throw denied(actor, action, courseId, course.organisation_id, 'not a leader');
  return course;
}

export async function updateSession(deps: CourseDeps, actor: Actor, courseId: string, sessionId: string, input: z.infer<typeof UpdateSessionRequest>): Promise<Session> {
  return inTransaction(deps.db, async (tx) => {
    const course = await repo.courseForChange(tx, courseId);
    if (!course) throw denied(actor, 'update', courseId, null, 'unknown id');
    requireAccess(actor, 'course:manage', { type: RESOURCE, id: courseId, organisationId: course.organisation_id, programmeId: course.programme_id }, { action: 'update', purpose: PURPOSE });
    const session = await repo.sessionOf(tx, courseId, sessionId);
    if (!session) throw new NotFound('No such session in this course');
    if (session.version !== input.version) throw new Conflict('The session was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    const startsAt = input.date && input.time ? copenhagenTime(input.date, input.time) : undefined;
    const moves = startsAt !== undefined && startsAt.getTime() !== new Date(session.starts_at).getTime();
    if (session.records > 0 && (moves || input.status === 'cancelled')) {
      throw new Conflict('Attendance has been taken for this session, so it can no longer be moved or cancelled', [{ path: input.status === 'cancelled' ? 'status' : 'date', message: 'attendance_taken' }]);
    }
    const updated = await repo.updateSession(tx, sessionId, input.version, { startsAt, durationMinutes: input.durationMinutes, status: input.status });
    if (!updated) throw new Conflict('The session was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    await recordAudit(tx, {
      actor,
      organisationId: course.organisation_id,
      action: 'update',
      purpose: PURPOSE,
      resourceType: RESOURCE,
      resourceId: courseId,
      outcome: 'success',
      criteria: { sessionId, number: session.number, moved: moves, status: updated.status },
    });
    return sessionView(updated, dateInCopenhagen());
  });
}

export async function addParticipants(deps: CourseDeps, actor: Actor, courseId: string, input: z.infer<typeof AddParticipantsRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const course = await leaderCourse(tx, actor, courseId, 'update');
    for (const citizenId of input.citizenIds) {
      await requireCitizenAccess(tx, actor, citizenId, 'citizen:write-case', 'update', course.programme_id);
    }
    const enrolled = await repo.openEnrolled(tx, course.programme_id, input.citizenIds);
    const issues = input.citizenIds.flatMap((id, i) => (enrolled.has(id) ? [] : [{ path: `citizenIds.${i}`, message: 'not_enrolled' }]));
    if (issues.length) throw new Invalid('Only citizens with an open enrolment in the course\u2019s programme can take part', issues);
    const fresh = input.citizenIds.filter((id) => !course.current_ids.includes(id));
    const total = course.current_ids.length + fresh.length;
    if (total > course.capacity) {
      const room = Math.max(0, course.capacity - course.current_ids.length);
      throw new Conflict(`The course has room for ${room} more participant${room === 1 ? '' : 's'} (capacity ${course.capacity}); ${fresh.length} were chosen`, [
        { path: 'citizenIds', message: 'capacity' },
      ]);
    }
    if (fresh.length) {
      const places = await repo.addParticipants(tx, { courseId, organisationId: course.organisation_id, citizenIds: fresh, addedBy: actor.userId, title: course.title, minPlan: course.min_plan });
      // A place not yet in the citizen's Min Plan opens the reminder in their plan; a registered one has nothing to remind of.
      const reminders = new Map<string, 'opened' | 'closed' | 'none'>();
      for (const place of places) {
        const offer = { organisationId: course.organisation_id, citizenId: place.citizen_id, kind: 'group_course' as const, id: courseId, title: course.title, minPlan: place.min_plan };
        reminders.set(place.citizen_id, place.min_plan === 'no' ? await syncMinPlanReminder(tx, actor, offer) : 'none');
      }
      await recordAuditMany(
        tx,
        fresh.map((citizenId) => ({
          actor,
          organisationId: course.organisation_id,
          action: 'update' as const,
          purpose: PURPOSE,
          resourceType: RESOURCE,
          resourceId: courseId,
          citizenId,
          outcome: 'success' as const,
          criteria: { participant: 'added', minPlanReminder: reminders.get(citizenId) ?? 'none' },
        })),
      );
    }
    return { added: fresh.length, participantCount: total };
  });
}

export async function removeParticipant(deps: CourseDeps, actor: Actor, courseId: string, citizenId: string) {
  return inTransaction(deps.db, async (tx) => {
    const course = await leaderCourse(tx, actor, courseId, 'update');
    const removed = await repo.removeParticipant(tx, { courseId, organisationId: course.organisation_id, citizenId, actorId: actor.userId, title: course.title });
    if (!removed) throw new NotFound('The citizen is not a participant of this course');
    // The place is gone, so its reminder has nothing left to register: closed as cancelled, the revision saying the citizen left.
    const minPlanReminder = await syncMinPlanReminder(tx, actor, { organisationId: course.organisation_id, citizenId, kind: 'group_course', id: courseId, title: course.title, minPlan: removed.min_plan, ended: true });
    await recordAudit(tx, { actor, organisationId: course.organisation_id, action: 'update', purpose: PURPOSE, resourceType: RESOURCE, resourceId: courseId, citizenId, outcome: 'success', criteria: { participant: 'left', minPlanReminder } });
  });
}

/**
 * A current participant's place registered in Min Plan (or not relevant, or back to not registered), by the course's
 * leaders with write access to the citizen, as when they enrol them; the reminder in the citizen's plan follows.
 */
export async function updateParticipant(deps: CourseDeps, actor: Actor, courseId: string, citizenId: string, input: z.infer<typeof UpdateParticipantRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const course = await leaderCourse(tx, actor, courseId, 'update');
    if (!course.current_ids.includes(citizenId)) throw new NotFound('The citizen is not a current participant of this course');
    await requireCitizenAccess(tx, actor, citizenId, 'citizen:write-case', 'update', course.programme_id);
    const updated = await repo.updateParticipantMinPlan(tx, courseId, citizenId, input.version, input.minPlan);
    if (!updated) throw new Conflict('The participant was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    const minPlanReminder = await syncMinPlanReminder(tx, actor, { organisationId: course.organisation_id, citizenId, kind: 'group_course', id: courseId, title: course.title, minPlan: updated.min_plan });
    await recordAudit(tx, {
      actor,
      organisationId: course.organisation_id,
      action: 'update',
      purpose: PURPOSE,
      resourceType: RESOURCE,
      resourceId: courseId,
      citizenId,
      outcome: 'success',
      criteria: { participant: 'min_plan', minPlan: updated.min_plan, minPlanReminder },
    });
    return { citizenId, minPlan: updated.min_plan, version: updated.version, minPlanReminder };
  });
}

export async function takeAttendance(deps: CourseDeps, actor: Actor, courseId: string, sessionId: string, input: AttendanceRequest) {
  return inTransaction(deps.db, async (tx) => {
    const course = await leaderCourse(tx, actor, courseId, 'update');
    const session = await repo.sessionOf(tx, courseId, sessionId);
    if (!session) throw new NotFound('No such session in this course');
    if (session.status === 'cancelled') throw new Conflict('The session is cancelled', [{ path: 'sessionId', message: 'cancelled' }]);
    const date = dateInCopenhagen(new Date(session.starts_at));
    if (date > dateInCopenhagen()) throw new Conflict('Attendance can be taken from the day of the session', [{ path: 'sessionId', message: 'not_yet' }]);
    const issues = input.entries.flatMap((e, i) => (course.current_ids.includes(e.citizenId) ? [] : [{ path: `entries.${i}.citizenId`, message: 'not_participant' }]));
    if (issues.length) throw new Invalid('Attendance is taken for the course\u2019s current participants only', issues);
    const before = new Map((await repo.sessionAttendance(tx, sessionId)).map((a) => [a.citizen_id, a.status]));
    const changes = input.entries.filter((e) => before.get(e.citizenId) !== e.status).map((e) => ({ ...e, isNew: !before.has(e.citizenId) }));
    if (changes.length) {
      await repo.saveAttendance(tx, {
        organisationId: course.organisation_id,
        sessionId,
        recordedBy: actor.userId,
        changes,
        event: { courseId, courseTitle: course.title, sessionNumber: session.number, sessionDate: date },
      });
    }
    await recordAuditMany(
      tx,
      input.entries.map((e) => ({
        actor,
        organisationId: course.organisation_id,
        action: 'update' as const,
        purpose: PURPOSE,
        resourceType: RESOURCE,
        resourceId: courseId,
        citizenId: e.citizenId,
        outcome: 'success' as const,
        criteria: { sessionId, number: session.number, changed: changes.some((c) => c.citizenId === e.citizenId) },
      })),
    );
    const after = new Map(before);
    for (const e of input.entries) after.set(e.citizenId, e.status);
    const records = [...after.entries()].map(([citizenId, status]) => ({ citizenId, status }));
    return { sessionId, entries: records, changed: changes.length, rate: rate(records.filter((r) => r.status === 'attended').length, records.length) };
  });
}

export async function coursesOfCitizen(deps: CourseDeps, actor: Actor, citizenId: string): Promise<{ items: CitizenCourse[] }> {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:read', 'read');
    const rows = await repo.coursesOfCitizen(tx, citizenId);
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: RESOURCE, citizenId, outcome: 'success', criteria: { list: 'citizen', count: rows.length } });
    const today = dateInCopenhagen();
    return {
      items: rows.map((c) => {
        const sessions = c.sessions.map((s) => ({
          id: s.id,
          number: s.number,
          startsAt: iso(s.starts_at),
          status: s.status,
          held: s.status === 'planned' && dateInCopenhagen(new Date(s.starts_at)) <= today,
          attendance: s.attendance,
        }));
        const recorded = sessions.filter((s) => s.status === 'planned' && s.attendance !== null);
        const attended = recorded.filter((s) => s.attendance === 'attended').length;
        return { id: c.id, programmeId: c.programme_id, title: c.title, joinedAt: iso(c.added_at), leftAt: c.left_at ? iso(c.left_at) : null, sessions, attended, recorded: recorded.length, rate: rate(attended, recorded.length) };
      }),
    };
  });
}
