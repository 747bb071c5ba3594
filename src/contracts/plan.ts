// The plan ("forløbsplan"), network meetings that change it, and individual conversations.
import { z } from 'zod';
import { Cursor, DateInput, DateTimeInput, Id, Int, IsoDate, Limit, OptionalText, Text, UserRef, Version, Warning } from './common.ts';

export const LifeArea = z.enum(['work', 'education', 'health', 'everyday_life', 'finances', 'network', 'housing']);
export type LifeArea = z.infer<typeof LifeArea>;
export const GoalStatus = z.enum(['active', 'achieved', 'changed', 'dropped']);
export const TaskStatus = z.enum(['open', 'done', 'cancelled']);
export const OverallGoalKind = z.enum(['job', 'education']);
export const MinPlanStatus = z.enum(['yes', 'no', 'not_relevant']);
export const OfferKind = z.enum(['internship', 'upskilling', 'group_course']);
export const MeetingPlace = z.enum(['office', 'citizen_home', 'jobcentre', 'psychiatry', 'company', 'video', 'other']);
export const ConversationPlace = z.enum(['walk_and_talk', 'conversation_room', 'library', 'drop_in_centre', 'citizen_home', 'phone_video', 'other']);
export const ConversationStatus = z.enum(['planned', 'held', 'no_show', 'cancelled']);
/** What an outside participant may hear about: the citizen names the topics when consenting. */
export const ConsentTopic = z.enum(['work', 'education', 'health', 'everyday_life', 'finances', 'network', 'housing', 'practical_support']);

// ---------------------------------------------------------------------------------------------------------------
// Reading the plan

export const PlanParticipant = z.object({
  id: Id,
  name: z.string(),
  role: z.string(),
  contact: z.string().nullable(),
  consentTopics: z.array(z.string()),
});

export const TaskOwner = z.object({
  kind: z.enum(['citizen', 'staff', 'outside']),
  user: UserRef.nullable(),
  participant: z.object({ id: Id, name: z.string(), role: z.string() }).nullable(),
});

export const MeetingRef = z.object({ id: Id, startsAt: z.string() });

export const PlanGoal = z.object({
  id: Id,
  lifeArea: LifeArea,
  text: z.string(),
  targetDate: IsoDate.nullable(),
  status: GoalStatus,
  setInMeeting: MeetingRef.nullable(),
  changedInMeeting: MeetingRef.nullable(),
  version: z.number().int(),
});

export const PlanTask = z.object({
  id: Id,
  goalId: Id.nullable(),
  title: z.string(),
  owner: TaskOwner,
  dueDate: IsoDate.nullable(),
  status: TaskStatus,
  /** Set on the reminder Bindeled opens itself until an offer is registered in Min Plan on Jobnet. */
  minPlanOffer: z.object({ kind: OfferKind, id: Id }).nullable(),
  createdInMeeting: MeetingRef.nullable(),
  version: z.number().int(),
  /** The citizen marked the task done in the portal (Min plan). */
  completedByCitizen: z.boolean(),
  /** Comments on the task, oldest first: the citizen's from the portal, or staff's (with the name). */
  comments: z.array(z.object({ id: Id, author: z.enum(['citizen', 'staff']), authorName: z.string().nullable(), text: z.string(), createdAt: z.string() })),
});

export const PlanOffer = z.object({ kind: OfferKind, id: Id, title: z.string(), minPlan: MinPlanStatus });

export const MeetingSummary = z.object({ id: Id, startsAt: z.string(), durationMinutes: z.number().int(), status: z.enum(['planned', 'held', 'cancelled']), place: MeetingPlace });

export const Plan = z.object({
  citizenId: Id,
  /** The enrolment the plan belongs to; null when the citizen has no enrolment the caller reaches. */
  enrolmentId: Id.nullable(),
  programme: z.object({ id: Id, name: z.string() }).nullable(),
  enrolmentStatus: z.enum(['referred', 'active', 'paused', 'ended']).nullable(),
  /** Null until the first change: the plan is then empty. */
  planId: Id.nullable(),
  /** The plan's revision: 0 for an empty plan, raised by every change. */
  revision: z.number().int(),
  /** Send back with a change; 0 while no plan exists. */
  version: z.number().int(),
  goal: z.object({ kind: OverallGoalKind.nullable(), text: z.string().nullable(), targetDate: IsoDate.nullable() }),
  coordinator: UserRef.nullable(),
  nextFollowUp: IsoDate.nullable(),
  goals: z.array(PlanGoal),
  tasks: z.array(PlanTask),
  participants: z.array(PlanParticipant),
  offers: z.array(PlanOffer),
  /** The latest held meetings and the planned ones (at most 10). */
  meetings: z.array(MeetingSummary),
  updatedAt: z.string().nullable(),
  /** The other enrolments of the citizen the caller reaches, for "earlier plans". */
  otherEnrolments: z.array(z.object({ id: Id, programmeName: z.string(), startDate: IsoDate, status: z.enum(['referred', 'active', 'paused', 'ended']) })),
});
export type Plan = z.infer<typeof Plan>;

export const PlanQuery = z.object({ enrolmentId: Id.optional() }).strict();

export const PlanHistoryQuery = z.object({ enrolmentId: Id.optional(), cursor: Cursor.optional(), limit: Limit(20) }).strict();

export const PlanRevision = z.object({
  revision: z.number().int(),
  changedAt: z.string(),
  changedBy: UserRef,
  meeting: MeetingRef.nullable(),
  /** What changed, as codes and counts for the UI's own sentence. */
  summary: z.record(z.string(), z.unknown()),
});
export const PlanHistory = z.object({ items: z.array(PlanRevision), nextCursor: z.string().nullable() });

export const PlanRevisionParams = z.object({ id: Id, revision: z.coerce.number().int().min(1).max(1_000_000) }).strict();
export const PlanSnapshot = z.object({ revision: z.number().int(), changedAt: z.string(), changedBy: UserRef, meeting: MeetingRef.nullable(), snapshot: z.record(z.string(), z.unknown()) });

// ---------------------------------------------------------------------------------------------------------------
// Changing the plan (on its own, or as part of a network meeting)

/** A goal added now; tasks added in the same change refer to it by its place in `goals.add`. */
export const NewGoal = z.object({ lifeArea: LifeArea, text: Text(500), targetDate: DateInput.nullable().optional() }).strict();
export const GoalChange = z
  .object({ id: Id, version: Version, status: GoalStatus.optional(), text: Text(500).optional(), targetDate: DateInput.nullable().optional() })
  .strict();

export const NewTaskOwner = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('citizen') }).strict(),
  z.object({ kind: z.literal('staff'), userId: Id }).strict(),
  /** An outside participant already in the plan, or (in a meeting) one of the meeting's new outside participants by position. */
  z.object({ kind: z.literal('outside'), participantId: Id.optional(), participantIndex: Int(0, 19).optional() }).strict(),
]);

export const NewTask = z
  .object({
    title: Text(300),
    owner: NewTaskOwner,
    dueDate: DateInput.nullable().optional(),
    goalId: Id.optional(),
    /** The place in `goals.add` of a goal added in the same change. */
    goalIndex: Int(0, 49).optional(),
  })
  .strict();
export const TaskChange = z.object({ id: Id, version: Version, status: TaskStatus.optional(), dueDate: DateInput.nullable().optional(), title: Text(300).optional() }).strict();

export const PlanChanges = z
  .object({
    /** The plan's version as read (0 while the plan is empty). */
    version: Int(0, 2_147_483_647),
    goal: z.object({ kind: OverallGoalKind.nullable(), text: OptionalText(500), targetDate: DateInput.nullable().optional() }).strict().optional(),
    coordinatorId: Id.nullable().optional(),
    nextFollowUp: DateInput.nullable().optional(),
    goals: z.object({ add: z.array(NewGoal).max(50).default([]), change: z.array(GoalChange).max(100).default([]) }).strict().optional(),
    tasks: z.object({ add: z.array(NewTask).max(100).default([]), change: z.array(TaskChange).max(200).default([]) }).strict().optional(),
  })
  .strict();
export type PlanChanges = z.infer<typeof PlanChanges>;

export const UpdatePlanRequest = PlanChanges.extend({ enrolmentId: Id.optional() }).strict();

export const PlanChangeResponse = z.object({ planId: Id, revision: z.number().int(), version: z.number().int() });

// ---------------------------------------------------------------------------------------------------------------
// Network meetings

export const MeetingParticipantInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('citizen') }).strict(),
  z.object({ kind: z.literal('staff'), userId: Id, role: Text(100).optional() }).strict(),
  z
    .object({
      kind: z.literal('outside'),
      /** Someone already in the plan; else name, role and contact are given. */
      participantId: Id.optional(),
      name: Text(200).optional(),
      role: Text(100).optional(),
      contact: OptionalText(200),
      /** The citizen's consent to this person taking part, with the topics allowed. Required. */
      consent: z.object({ given: z.literal(true), topics: z.array(ConsentTopic).min(1).max(8) }).strict().optional(),
    })
    .strict(),
]);

const MeetingTime = {
  startsAt: DateTimeInput,
  durationMinutes: Int(5, 600).default(60),
  place: MeetingPlace,
  placeText: OptionalText(200),
};

export const CreateMeetingRequest = z
  .object({
    ...MeetingTime,
    /** A planned meeting of this citizen now being recorded as held. */
    meetingId: Id.optional(),
    status: z.enum(['planned', 'held']),
    enrolmentId: Id.optional(),
    participants: z.array(MeetingParticipantInput).min(1).max(20),
    minutes: OptionalText(20_000),
    /** The plan changes agreed in the meeting; saved in the same transaction (held meetings only). */
    plan: PlanChanges.optional(),
    /** Book the next meeting from this one. */
    nextMeeting: z.object(MeetingTime).strict().optional(),
    acknowledgeWarnings: z.boolean().default(false),
  })
  .strict();
export type CreateMeetingRequest = z.infer<typeof CreateMeetingRequest>;

export const CreateMeetingResponse = z.object({
  id: Id,
  nextMeetingId: Id.nullable(),
  plan: PlanChangeResponse.nullable(),
  notices: z.array(Warning),
});

export const MeetingParticipant = z.object({
  kind: z.enum(['citizen', 'staff', 'outside']),
  user: UserRef.nullable(),
  participant: z.object({ id: Id, name: z.string(), role: z.string() }).nullable(),
  role: z.string().nullable(),
});

export const Meeting = z.object({
  id: Id,
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  place: MeetingPlace,
  placeText: z.string().nullable(),
  status: z.enum(['planned', 'held', 'cancelled']),
  minutes: z.string().nullable(),
  participants: z.array(MeetingParticipant),
  createdBy: UserRef,
  version: z.number().int(),
});
export const MeetingList = z.object({ items: z.array(Meeting), nextCursor: z.string().nullable() });
export const MeetingListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();

// ---------------------------------------------------------------------------------------------------------------
// Individual conversations

export const CreateConversationRequest = z
  .object({
    startsAt: DateTimeInput,
    durationMinutes: Int(5, 600).default(60),
    place: ConversationPlace,
    placeText: OptionalText(200),
    status: ConversationStatus.exclude(['cancelled']),
    /** Staff who took part; the caller when empty. */
    staffIds: z.array(Id).max(10).default([]),
    themes: z.array(Text(100)).max(10).default([]),
    note: OptionalText(20_000),
    acknowledgeWarnings: z.boolean().default(false),
  })
  .strict();
export type CreateConversationRequest = z.infer<typeof CreateConversationRequest>;

export const UpdateConversationRequest = z
  .object({
    version: Version,
    status: ConversationStatus.optional(),
    startsAt: DateTimeInput.optional(),
    durationMinutes: Int(5, 600).optional(),
    place: ConversationPlace.optional(),
    placeText: OptionalText(200),
    themes: z.array(Text(100)).max(10).optional(),
    note: OptionalText(20_000),
    acknowledgeWarnings: z.boolean().default(false),
  })
  .strict();

export const Conversation = z.object({
  id: Id,
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  place: ConversationPlace,
  placeText: z.string().nullable(),
  status: ConversationStatus,
  staff: z.array(UserRef),
  themes: z.array(z.string()),
  note: z.string().nullable(),
  createdBy: UserRef,
  version: z.number().int(),
});
export const ConversationList = z.object({ items: z.array(Conversation), nextCursor: z.string().nullable() });
export const ConversationListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();
export const CreatedWithNotices = z.object({ id: Id, notices: z.array(Warning) });
