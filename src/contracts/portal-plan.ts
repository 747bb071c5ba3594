// The citizen portal's "Min plan" changes and "Mine aftaler": marking one's own task done, a comment on a task,
// the upcoming appointments (time, kind of place, with whom by role) and the citizen's own iCalendar feed.
import { z } from 'zod';
import { Cursor, Id, Limit, Text } from './common.ts';
import { PlaceCategory } from './calendar.ts';

/** The longest comment a citizen may write on a task. */
export const MAX_TASK_COMMENT = 1000;
/** The most comments one citizen may write on one task. */
export const MAX_COMMENTS_PER_TASK = 100;

export const PortalTaskParams = z.object({ id: Id }).strict();

export const PortalTaskDone = z.object({ id: Id, status: z.enum(['done']), completedAt: z.string() });
export type PortalTaskDone = z.infer<typeof PortalTaskDone>;

export const PortalTaskCommentRequest = z.object({ text: Text(MAX_TASK_COMMENT) }).strict();
export type PortalTaskCommentRequest = z.infer<typeof PortalTaskCommentRequest>;

export const PortalTaskComment = z.object({
  id: Id,
  /** "me": the citizen wrote it; "staff": a member of staff. */
  author: z.enum(['me', 'staff']),
  /** The staff member's name (staff names are shown on the plan); null for the citizen's own. */
  authorName: z.string().nullable(),
  text: z.string(),
  createdAt: z.string(),
});
export type PortalTaskComment = z.infer<typeof PortalTaskComment>;

export const PortalAppointmentsQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();
export type PortalAppointmentsQuery = z.infer<typeof PortalAppointmentsQuery>;

/** Who takes part besides the citizen, by role only (never a name): a member of staff, or an outside participant. */
export const AppointmentWith = z.object({
  kind: z.enum(['staff', 'outside']),
  /** For staff, a role code (resource_consultant, caseworker, job_consultant, liaison, programme_manager) or null; for an outside participant, the role as recorded. */
  role: z.string().nullable(),
});

export const PortalAppointment = z.object({
  kind: z.enum(['conversation', 'network_meeting', 'group_session']),
  /** ISO 8601, UTC. */
  startsAt: z.string(),
  endsAt: z.string(),
  /** The kind of place only: the office, out, or by phone/video. */
  place: PlaceCategory,
  organisation: z.string(),
  with: z.array(AppointmentWith),
});
export type PortalAppointment = z.infer<typeof PortalAppointment>;

export const PortalAppointmentList = z.object({ items: z.array(PortalAppointment), nextCursor: z.string().nullable() });
export type PortalAppointmentList = z.infer<typeof PortalAppointmentList>;

export const PortalFeedState = z.object({
  /** Whether the citizen has a live feed address (created, not revoked, not expired). */
  active: z.boolean(),
  createdAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type PortalFeedState = z.infer<typeof PortalFeedState>;

export const PortalFeedCreated = z.object({
  /** The feed's secret address, shown once: only a hash of its token is kept. */
  url: z.string(),
  expiresAt: z.string(),
});
export type PortalFeedCreated = z.infer<typeof PortalFeedCreated>;
