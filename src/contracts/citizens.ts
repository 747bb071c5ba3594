// Contracts for citizens, enrolments, team, status history, journal notes and the timeline.
import { z } from 'zod';
import { CodeRef, Cursor, DateInput, Id, Int, IsoDate, Limit, OptionalText, Text, UserRef, Version, Warning } from './common.ts';

const Code = z.string().regex(/^[a-z0-9_]+$/, 'a code from the code list').max(60);

export const EnrolmentStatus = z.enum(['referred', 'active', 'paused', 'ended']);
export type EnrolmentStatus = z.infer<typeof EnrolmentStatus>;
export const TeamRole = z.enum(['resource_consultant', 'caseworker', 'job_consultant', 'liaison']);
export const PreferredContact = z.enum(['phone', 'sms', 'email', 'letter', 'digital_post']);

export const EnrolmentInput = z
  .object({
    startDate: DateInput,
    benefitCode: Code,
    visitationCode: Code.nullable().optional(),
    referralSource: Code.nullable().optional(),
    referralDate: DateInput.nullable().optional(),
    referralReason: OptionalText(2000),
    status: z.enum(['referred', 'active']).default('active'),
    consultantIds: z.array(Id).max(4).default([]),
    caseworkerId: Id.nullable().optional(),
    jobConsultantId: Id.nullable().optional(),
    liaisonId: Id.nullable().optional(),
  })
  .strict();

export const CreateEnrolmentRequest = EnrolmentInput.extend({
  citizenId: Id,
  acknowledgeWarnings: z.boolean().default(false),
}).strict();

export const CreateCitizenRequest = z
  .object({
    cpr: Text(20),
    firstName: Text(100),
    lastName: Text(100),
    phone: OptionalText(40),
    email: z.email().max(200).nullable().optional(),
    address: OptionalText(300),
    preferredContact: PreferredContact.nullable().optional(),
    note: OptionalText(2000),
    enrolment: EnrolmentInput.extend({ programmeId: Id }).strict().optional(),
    acknowledgeWarnings: z.boolean().default(false),
  })
  .strict();

export const CreateCitizenResponse = z.object({
  id: Id,
  cprMasked: z.string(),
  enrolmentId: Id.nullable(),
  notices: z.array(Warning),
});

export const UpdateCitizenRequest = z
  .object({
    version: Version,
    firstName: Text(100).optional(),
    lastName: Text(100).optional(),
    phone: OptionalText(40),
    email: z.email().max(200).nullable().optional(),
    address: OptionalText(300),
    preferredContact: PreferredContact.nullable().optional(),
    note: OptionalText(2000),
  })
  .strict();

export const TeamMember = z.object({
  id: Id,
  user: UserRef,
  role: TeamRole,
  kind: z.enum(['permanent', 'substitute']),
  substituteFor: UserRef.nullable(),
  validFrom: IsoDate,
  validTo: IsoDate.nullable(),
});

export const Enrolment = z.object({
  id: Id,
  programme: z.object({ id: Id, name: z.string() }),
  status: EnrolmentStatus,
  startDate: IsoDate,
  endDate: IsoDate.nullable(),
  benefit: CodeRef,
  visitation: CodeRef.nullable(),
  referralSource: CodeRef.nullable(),
  referralDate: IsoDate.nullable(),
  referralReason: z.string().nullable(),
  exitOutcome: CodeRef.nullable(),
  team: z.array(TeamMember),
  version: z.number().int(),
});
export type Enrolment = z.infer<typeof Enrolment>;

export const CitizenSummary = z.object({
  id: Id,
  firstName: z.string(),
  lastName: z.string(),
  cprMasked: z.string(),
  /** Null when the stored birth date cannot give an age (the record is shown degraded, never fails the list). */
  age: z.number().int().nullable(),
  isDemo: z.boolean(),
  enrolment: z
    .object({ id: Id, programmeId: Id, programmeName: z.string(), status: EnrolmentStatus, startDate: IsoDate, consultants: z.array(UserRef) })
    .nullable(),
});
export type CitizenSummary = z.infer<typeof CitizenSummary>;

export const CitizenPage = z.object({ items: z.array(CitizenSummary), nextCursor: z.string().nullable() });

export const StatusPeriod = z.object({
  id: Id,
  benefit: CodeRef,
  activity: z.enum(['ordinary_job', 'wage_subsidy', 'fleksjob', 'internship', 'education']).nullable(),
  weeklyHours: z.number().nullable(),
  fromDate: IsoDate,
  toDate: IsoDate.nullable(),
  note: z.string().nullable(),
});

/** Weeks self-supporting, and weeks with working hours (internship weeks included) with their sum. */
const WeeksFigures = z.object({ selfSupporting: z.number().int(), known: z.number().int(), weeksWithHours: z.number().int(), hours: z.number() });
export const SelfSupport = z.object({
  computedOn: IsoDate,
  last26: WeeksFigures,
  last52: WeeksFigures,
});

export const CitizenDetail = z.object({
  id: Id,
  firstName: z.string(),
  lastName: z.string(),
  cprMasked: z.string(),
  cprIsReplacement: z.boolean(),
  birthDate: IsoDate,
  age: z.number().int().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  preferredContact: PreferredContact.nullable(),
  note: z.string().nullable(),
  isDemo: z.boolean(),
  organisation: z.object({ id: Id, name: z.string() }),
  enrolments: z.array(Enrolment),
  statusPeriods: z.array(StatusPeriod),
  selfSupport: SelfSupport,
  /** Hours reached in internships per week (the week's Monday), newest first, the last year. */
  internshipWeeks: z.array(z.object({ weekStart: IsoDate, hours: z.number() })),
  version: z.number().int(),
});
export type CitizenDetail = z.infer<typeof CitizenDetail>;

export const CitizenListQuery = z
  .object({
    scope: z.enum(['mine', 'all']).default('all'),
    cursor: Cursor.optional(),
    limit: Limit(25),
  })
  .strict();

export const CitizenSearchRequest = z
  .object({
    q: Text(100, 0).optional(),
    programmeId: Id.optional(),
    consultantId: Id.optional(),
    status: EnrolmentStatus.optional(),
    cursor: Cursor.optional(),
    limit: Int(1, 100).default(25),
  })
  .strict();
export type CitizenSearchRequest = z.infer<typeof CitizenSearchRequest>;

export const RevealCprResponse = z.object({ cpr: z.string() });

export const UpdateEnrolmentRequest = z
  .object({
    version: Version,
    status: EnrolmentStatus.optional(),
    endDate: DateInput.nullable().optional(),
    exitOutcome: Code.nullable().optional(),
  })
  .strict();

export const CreateStatusPeriodRequest = z
  .object({
    benefitCode: Code,
    activity: z.enum(['ordinary_job', 'wage_subsidy', 'fleksjob', 'internship', 'education']).nullable().optional(),
    weeklyHours: z.number().min(0).max(80).nullable().optional(),
    fromDate: DateInput,
    toDate: DateInput.nullable().optional(),
    note: OptionalText(1000),
  })
  .strict();

export const NoteKind = z.enum(['journal', 'external_assessment', 'citizen_remark']);

export const CreateNoteRequest = z
  .object({
    kind: z.enum(['journal', 'external_assessment']),
    body: Text(20_000),
    sensitivity: z.enum(['normal', 'sensitive']).default('normal'),
    source: OptionalText(300),
    /**
     * Keep the note internal although the citizen's programme shows notes to citizens in the portal. Only an
     * ordinary (`normal`) journal note of the municipality is ever shown; everything else stays internal anyway.
     */
    internal: z.boolean().default(false),
  })
  .strict();

export const CorrectNoteRequest = z
  .object({ version: Version, body: Text(20_000), reason: Text(500) })
  .strict();

export const CitizenRemarkRequest = z
  .object({
    body: Text(20_000),
    /** How the citizen gave the remark, e.g. "Mundtligt ved samtale 23.11.2026" or "Brev". */
    receivedVia: Text(300),
  })
  .strict();

export const Note = z.object({
  id: Id,
  kind: NoteKind,
  remarkOn: Id.nullable(),
  sensitivity: z.enum(['normal', 'sensitive']),
  source: z.string().nullable(),
  author: UserRef,
  createdAt: z.string(),
  body: z.string(),
  revisions: z.array(z.object({ revision: z.number().int(), body: z.string(), reason: z.string().nullable(), writtenBy: UserRef, writtenAt: z.string() })),
  version: z.number().int(),
  /** Shown to the citizen in the portal ("Mine bemærkninger"). */
  citizenVisible: z.boolean(),
  /** The citizen's own remarks on the note, written in the portal (oldest first); the note itself is unchanged. */
  portalRemarks: z.array(z.object({ id: Id, body: z.string(), writtenAt: z.string() })),
});
export type Note = z.infer<typeof Note>;

export const NoteList = z.object({ items: z.array(Note), nextCursor: z.string().nullable() });
export const NoteListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20) }).strict();

export const TimelineKind = z.enum(['citizen', 'enrolment', 'team', 'status', 'note', 'plan', 'meeting', 'conversation', 'course', 'internship', 'upskilling']);
export const TimelineQuery = z
  .object({
    kind: z.union([TimelineKind, z.array(TimelineKind).max(10)]).optional(),
    cursor: Cursor.optional(),
    limit: Limit(30),
  })
  .strict();

export const TimelineItem = z.object({
  id: Id,
  occurredAt: z.string(),
  kind: z.string(),
  refId: Id.nullable(),
  actor: UserRef.nullable(),
  data: z.record(z.string(), z.unknown()),
});
export const TimelinePage = z.object({
  items: z.array(TimelineItem),
  /** Names of the users and programmes the page's events refer to by id (team changes, handovers, enrolments). */
  names: z.record(z.string(), z.string()),
  nextCursor: z.string().nullable(),
});

export const CitizenParams = z.object({ id: Id }).strict();

export const HandoverRequest = z
  .object({
    fromUserId: Id,
    toUserId: Id,
    kind: z.enum(['permanent', 'substitute']),
    validFrom: DateInput,
    validTo: DateInput.nullable().optional(),
  })
  .strict()
  .refine((h) => h.kind === 'permanent' || !!h.validTo, { message: 'a substitute needs an end date', path: ['validTo'] })
  .refine((h) => h.fromUserId !== h.toUserId, { message: 'hand over to someone else', path: ['toUserId'] });

export const HandoverResponse = z.object({ enrolmentsHandedOver: z.number().int() });

export const Caseload = z.object({
  programmeId: Id,
  ceiling: z.number().int(),
  recommendedMax: z.number().int(),
  consultants: z.array(z.object({ user: UserRef, active: z.number().int(), paused: z.number().int(), referred: z.number().int(), substituteFor: z.array(UserRef) })),
  capacity: z.number().int(),
  activeInProgramme: z.number().int(),
});

export const CodeListQuery = z.object({ on: DateInput.optional(), includeEnded: z.coerce.boolean().default(false) }).strict();
export const CodeListParams = z.object({ list: z.enum(['visitation', 'benefit', 'exit_outcome', 'referral_source']) }).strict();
export const CodeValue = z.object({
  id: Id,
  code: z.string(),
  label: z.object({ da: z.string(), en: z.string() }),
  validFrom: IsoDate,
  validTo: IsoDate.nullable(),
  national: z.boolean(),
  version: z.number().int(),
});
export const CodeValueList = z.object({ items: z.array(CodeValue) });
export const CreateCodeValueRequest = z
  .object({ code: Code, labelDa: Text(200), labelEn: Text(200), validFrom: DateInput.optional(), validTo: DateInput.nullable().optional() })
  .strict();
export const UpdateCodeValueRequest = z
  .object({ version: Version, labelDa: Text(200).optional(), labelEn: Text(200).optional(), validTo: DateInput.nullable().optional() })
  .strict();
