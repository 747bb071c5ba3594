// Calendar contracts: the staff calendar for a range, Min dag, and the personal iCalendar feed.
import { z } from 'zod';
import { StaffTask } from './progression.ts';
import { DateInput, Id, IsoDate } from './common.ts';

/** The longest range one calendar request covers, in days (both ends included). */
export const MAX_RANGE_DAYS = 366;
/** The most entries one calendar answer holds; `truncated` says when a range held more. */
export const MAX_ENTRIES = 1000;

export const CalendarQuery = z
  .object({
    from: DateInput,
    to: DateInput,
    /** Whose calendar: only the caller's own for now. */
    userId: Id.optional(),
  })
  .strict();
export type CalendarQuery = z.infer<typeof CalendarQuery>;

export const EntryKind = z.enum(['conversation', 'network_meeting', 'group_session', 'follow_up']);
export type EntryKind = z.infer<typeof EntryKind>;

/** Where, as a category only: the office, out (a walk, a library, a company, the citizen's home …) or by phone/video. */
export const PlaceCategory = z.enum(['office', 'out', 'remote']);
export type PlaceCategory = z.infer<typeof PlaceCategory>;

export const CalendarEntry = z.object({
  kind: EntryKind,
  id: Id,
  /** An instant (ISO 8601, UTC) for timed entries; null for a follow-up, which is a date. */
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  /** The local date (Europe/Copenhagen) the entry falls on. */
  date: IsoDate,
  status: z.enum(['planned', 'held', 'no_show', 'cancelled']),
  place: PlaceCategory.nullable(),
  /** The citizen, only where the caller may still see them; otherwise null and the entry reads "Aftale". */
  citizen: z.object({ id: Id, name: z.string() }).nullable(),
  /** The group course's title for a session. */
  courseTitle: z.string().nullable(),
});
export type CalendarEntry = z.infer<typeof CalendarEntry>;

export const CalendarResponse = z.object({
  from: IsoDate,
  to: IsoDate,
  items: z.array(CalendarEntry),
  /** True when the range held more than the answer carries (see MAX_ENTRIES): ask for a shorter range. */
  truncated: z.boolean(),
});
export type CalendarResponse = z.infer<typeof CalendarResponse>;

export const FeedState = z.object({
  /** Whether the organisation offers the feed at all. */
  enabled: z.boolean(),
  /** Whether the caller has a live feed address (created, not revoked, not expired). */
  active: z.boolean(),
  createdAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type FeedState = z.infer<typeof FeedState>;

export const FeedCreated = z.object({
  /** The feed's address, shown once: the token in it is kept only as a hash. */
  url: z.string(),
  expiresAt: z.string(),
});
export type FeedCreated = z.infer<typeof FeedCreated>;

/** The token in the feed's path: 32 random bytes, base64url (43 characters). */
export const FeedParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a feed token') }).strict();

export const DayTask = z.object({
  id: Id,
  /** The task's title; null when the caller can no longer see the citizen's case. */
  title: z.string().nullable(),
  dueDate: IsoDate.nullable(),
  ownerKind: z.enum(['citizen', 'staff', 'outside']),
  /** The staff member who owns it (overdue tasks of others). */
  ownerName: z.string().nullable(),
  citizen: z.object({ id: Id, name: z.string() }).nullable(),
});
export type DayTask = z.infer<typeof DayTask>;

export const NextStep = z.object({
  citizen: z.object({ id: Id, name: z.string() }),
  kind: z.enum(['conversation', 'network_meeting', 'task', 'follow_up']).nullable(),
  /** The local date of the next step; null when the citizen has none. */
  date: IsoDate.nullable(),
  /** For an appointment, its start (ISO 8601). */
  startsAt: z.string().nullable(),
  /** For a task, its title. */
  title: z.string().nullable(),
});
export type NextStep = z.infer<typeof NextStep>;

/** The most rows of each Min dag list; `more` counts the rest. */
export const DAY_LIST_CAP = 50;

export const MyDay = z.object({
  today: IsoDate,
  weekStart: IsoDate,
  weekEnd: IsoDate,
  /** Today's appointments, and the whole week's (today's included). */
  todayItems: z.array(CalendarEntry),
  weekItems: z.array(CalendarEntry),
  myTasks: z.object({ items: z.array(DayTask), more: z.number().int() }),
  overdueTasks: z.object({ items: z.array(DayTask), more: z.number().int() }),
  /** Per citizen of the caller's caseload; citizens with no next step first. */
  nextSteps: z.object({ items: z.array(NextStep), more: z.number().int() }),
  /**
   * Internal tasks of the citizens on whose team the caller is as resource consultant or caseworker: alerts
   * from progression answers (first) and measurements due within two weeks or overdue.
   */
  teamTasks: z.object({ items: z.array(StaffTask), more: z.number().int() }),
});
export type MyDay = z.infer<typeof MyDay>;

/** The organisation's setting: whether its staff may subscribe to their calendar feed. */
export const FeedSetting = z.object({ enabled: z.boolean() }).strict();
/** The setting as answered (responses are open objects, as everywhere in the API). */
export const FeedSettingAnswer = z.object({ enabled: z.boolean() });
export type FeedSetting = z.infer<typeof FeedSetting>;
