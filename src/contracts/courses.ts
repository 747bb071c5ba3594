// Group courses (gruppeforløb): the course, its generated sessions, participants and attendance.
import { z } from 'zod';
import { Cursor, Id, Int, Limit, OptionalText, Text, UserRef, Version } from './common.ts';

export const CourseTopic = z.enum(['physical_health', 'mental_health', 'tools_and_mindsets', 'other']);
export type CourseTopic = z.infer<typeof CourseTopic>;
export const MinPlanStatus = z.enum(['yes', 'no', 'not_relevant']);
export const AttendanceStatus = z.enum(['attended', 'excused', 'absent']);
export type AttendanceStatus = z.infer<typeof AttendanceStatus>;
export const SessionStatus = z.enum(['planned', 'cancelled']);

/** Courses are planned within these years, so that 52 sessions four weeks apart still end before 2100. */
export const EARLIEST_COURSE_DATE = '2000-01-01';
export const LATEST_COURSE_DATE = '2094-12-31';
const CourseDate = z.iso
  .date()
  .refine((d) => d >= EARLIEST_COURSE_DATE && d <= LATEST_COURSE_DATE, { message: `a date from ${EARLIEST_COURSE_DATE} to ${LATEST_COURSE_DATE}` });
/** A wall-clock time in Copenhagen, 00:00–23:59. */
export const ClockTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time as HH:MM');

export const ScheduleRequest = z
  .object({
    firstDate: CourseDate,
    time: ClockTime,
    sessions: Int(1, 52),
    intervalWeeks: Int(1, 4).default(1),
    durationMinutes: Int(15, 480),
  })
  .strict();
export type ScheduleRequest = z.infer<typeof ScheduleRequest>;

export const SkippedDate = z.object({ date: z.string(), holiday: z.object({ da: z.string(), en: z.string() }) });
export const PlannedSession = z.object({ number: z.number().int(), date: z.string(), startsAt: z.string(), durationMinutes: z.number().int() });
export const SchedulePreview = z.object({ sessions: z.array(PlannedSession), skipped: z.array(SkippedDate) });
export type SchedulePreview = z.infer<typeof SchedulePreview>;

export const CreateCourseRequest = z
  .object({
    title: Text(200),
    description: OptionalText(4000),
    topics: z.array(CourseTopic).max(4).default([]),
    capacity: Int(1, 200),
    location: OptionalText(200),
    leaderIds: z.array(Id).min(1).max(10),
    schedule: ScheduleRequest,
    /** What each new place starts as: a place is registered in the citizen's own Min Plan, and changed per participant. */
    minPlan: MinPlanStatus.default('no'),
  })
  .strict();
export type CreateCourseRequest = z.input<typeof CreateCourseRequest>;

export const Session = z.object({
  id: Id,
  number: z.number().int(),
  startsAt: z.string(),
  /** The session's date in Copenhagen. */
  date: z.string(),
  durationMinutes: z.number().int(),
  status: SessionStatus,
  /** Held: not cancelled and its day has come (attendance may be taken). */
  held: z.boolean(),
  version: z.number().int(),
  /** Leaders only: attended / recorded for this session; null without records. */
  rate: z.number().nullable().optional(),
});
export type Session = z.infer<typeof Session>;

export const CreateCourseResponse = z.object({ id: Id, sessions: z.array(Session), skipped: z.array(SkippedDate) });

export const CourseSummary = z.object({
  id: Id,
  title: z.string(),
  topics: z.array(CourseTopic),
  capacity: z.number().int(),
  location: z.string().nullable(),
  leaders: z.array(UserRef),
  sessionCount: z.number().int(),
  firstSessionAt: z.string().nullable(),
  lastSessionAt: z.string().nullable(),
  participantCount: z.number().int(),
  /** attended / recorded over the course's held sessions; null before any record. */
  attendanceRate: z.number().nullable(),
  isLeader: z.boolean(),
});
export type CourseSummary = z.infer<typeof CourseSummary>;
export const CoursePage = z.object({ items: z.array(CourseSummary), nextCursor: z.string().nullable() });
export const CourseListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();

export const Participant = z.object({
  citizenId: Id,
  firstName: z.string(),
  lastName: z.string(),
  addedAt: z.string(),
  leftAt: z.string().nullable(),
  attended: z.number().int(),
  excused: z.number().int(),
  absent: z.number().int(),
  /** attended / (held sessions with a record for this participant); null without records. */
  rate: z.number().nullable(),
  /** This place registered in the citizen's Min Plan; while `no`, a task in the citizen's plan reminds the caseworker. */
  minPlan: MinPlanStatus,
  /** The place's version, sent back when its Min Plan status is changed. */
  version: z.number().int(),
});
export type Participant = z.infer<typeof Participant>;

/** Marks a place registered in Min Plan (or not relevant, or back to not registered); send the version read. */
export const UpdateParticipantRequest = z.object({ version: Version, minPlan: MinPlanStatus }).strict();
export const UpdateParticipantResponse = z.object({ citizenId: Id, minPlan: MinPlanStatus, version: z.number().int(), minPlanReminder: z.enum(['opened', 'closed', 'none']) });

export const AttendanceRecord = z.object({ sessionId: Id, citizenId: Id, status: AttendanceStatus });

export const CourseDetail = z.object({
  id: Id,
  programmeId: Id,
  title: z.string(),
  description: z.string().nullable(),
  topics: z.array(CourseTopic),
  capacity: z.number().int(),
  location: z.string().nullable(),
  minPlan: MinPlanStatus,
  leaders: z.array(UserRef),
  sessions: z.array(Session),
  participantCount: z.number().int(),
  attendanceRate: z.number().nullable(),
  isLeader: z.boolean(),
  /** May move or cancel sessions (course:manage). */
  canManage: z.boolean(),
  /** Leaders only: every participant, current and former, and the attendance grid. */
  participants: z.array(Participant).optional(),
  attendance: z.array(AttendanceRecord).optional(),
  version: z.number().int(),
});
export type CourseDetail = z.infer<typeof CourseDetail>;

export const UpdateSessionRequest = z
  .object({
    version: Version,
    date: CourseDate.optional(),
    time: ClockTime.optional(),
    durationMinutes: Int(15, 480).optional(),
    status: SessionStatus.optional(),
  })
  .strict()
  .refine((b) => (b.date === undefined) === (b.time === undefined), { message: 'give both date and time to move a session', path: ['time'] });

export const SessionParams = z.object({ id: Id, sessionId: Id }).strict();
export const ParticipantParams = z.object({ id: Id, citizenId: Id }).strict();

export const AddParticipantsRequest = z
  .object({ citizenIds: z.array(Id).min(1).max(50) })
  .strict()
  .refine((b) => new Set(b.citizenIds).size === b.citizenIds.length, { message: 'each citizen once', path: ['citizenIds'] });

export const AttendanceRequest = z
  .object({ entries: z.array(z.object({ citizenId: Id, status: AttendanceStatus }).strict()).min(1).max(200) })
  .strict()
  .refine((b) => new Set(b.entries.map((e) => e.citizenId)).size === b.entries.length, { message: 'each citizen once', path: ['entries'] });
export type AttendanceRequest = z.infer<typeof AttendanceRequest>;

/** A citizen's own courses: their own attendance only, never the other participants. */
export const CitizenCourse = z.object({
  id: Id,
  programmeId: Id,
  title: z.string(),
  joinedAt: z.string(),
  leftAt: z.string().nullable(),
  sessions: z.array(z.object({ id: Id, number: z.number().int(), startsAt: z.string(), status: SessionStatus, held: z.boolean(), attendance: AttendanceStatus.nullable() })),
  attended: z.number().int(),
  recorded: z.number().int(),
  rate: z.number().nullable(),
});
export type CitizenCourse = z.infer<typeof CitizenCourse>;
export const CitizenCourseList = z.object({ items: z.array(CitizenCourse) });

