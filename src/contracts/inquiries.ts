// The single entry point (issue 10, point 7): municipal staff ask the region's liaison — about a named citizen
// only while consents cover both directions, otherwise as an anonymous case or a general question — and the
// liaison's and the clinician's home pages (point 10).
import { z } from 'zod';
import { Cursor, Id, Limit, Text, Version } from './common.ts';

export const InquiryKind = z.enum(['named', 'anonymous', 'general']);
export type InquiryKind = z.infer<typeof InquiryKind>;
export const InquiryStatus = z.enum(['new', 'in_progress', 'answered', 'closed']);
export type InquiryStatus = z.infer<typeof InquiryStatus>;

/** The region's categories (fixed codes, see the consents issue): what an answer with health information contains. */
export const HealthCategory = z.enum(['treatment_summary', 'work_considerations', 'support_needs', 'work_medication', 'crisis_plan', 'treatment_attendance', 'progression_measurements']);

export const CreateInquiryRequest = z
  .object({
    programmeId: Id,
    kind: InquiryKind,
    /** The municipality's record of the citizen: required for `named`, never sent otherwise. */
    citizenId: Id.optional(),
    subject: Text(200),
    body: Text(10_000),
  })
  .strict();
export type CreateInquiryRequest = z.infer<typeof CreateInquiryRequest>;

export const InquiryListQuery = z
  .object({
    /** The liaison's queue: one status (default: new and in progress). Ignored for the asker's own list. */
    status: InquiryStatus.optional(),
    cursor: Cursor.optional(),
    limit: Limit(20, 50),
  })
  .strict();

export const InquirySummary = z.object({
  id: Id,
  kind: InquiryKind,
  subject: z.string(),
  status: InquiryStatus,
  programmeId: Id,
  askingOrganisationName: z.string(),
  recipientOrganisationName: z.string(),
  askedById: Id,
  askedByName: z.string(),
  askedAt: z.string(),
  assignedToName: z.string().nullable(),
  firstAnswerAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** Named inquiries: the asker's record of the citizen and the name the question gave. */
  citizenId: z.string().nullable(),
  citizenName: z.string().nullable(),
  messageCount: z.number().int(),
  lastMessageAt: z.string(),
});
export type InquirySummary = z.infer<typeof InquirySummary>;

export const InquiryPage = z.object({
  /** `queue`: the liaison's organisation's queue; `asked`: the inquiries the caller asked. */
  view: z.enum(['queue', 'asked']),
  items: z.array(InquirySummary),
  nextCursor: z.string().nullable(),
});

export const InquiryMessage = z.object({
  id: Id,
  authorName: z.string(),
  organisationName: z.string(),
  /** True when written by the asking organisation (the question and the asker's replies). */
  fromAsker: z.boolean(),
  body: z.string(),
  healthInformation: z.boolean(),
  disclosureId: z.string().nullable(),
  createdAt: z.string(),
});
export type InquiryMessage = z.infer<typeof InquiryMessage>;

export const InquiryDetail = InquirySummary.extend({
  version: z.number().int(),
  /** For the liaison of a named inquiry: the region's own record of the person, when it has one. */
  regionCitizenId: z.string().nullable(),
  messages: z.array(InquiryMessage),
  /** What the caller may do next. */
  canAnswer: z.boolean(),
  canReply: z.boolean(),
  canTake: z.boolean(),
  canClose: z.boolean(),
});
export type InquiryDetail = z.infer<typeof InquiryDetail>;

export const InquiryAnswerRequest = z
  .object({
    body: Text(10_000),
    /** An answer with health information is a disclosure: it needs the patient's consent (or it is refused, 409). */
    healthInformation: z.boolean().default(false),
    categories: z.array(HealthCategory).max(7).default([]),
    version: Version,
  })
  .strict();

export const InquiryStatusRequest = z
  .object({
    /** `in_progress`: the liaison takes the inquiry; `closed`: the liaison or the asker closes it. */
    status: z.enum(['in_progress', 'closed']),
    version: Version,
  })
  .strict();

export const ResponseTimeMonth = z.object({
  /** YYYY-MM, the month the first answer was given (Copenhagen time). */
  month: z.string(),
  answered: z.number().int(),
  medianHours: z.number().nullable(),
  p90Hours: z.number().nullable(),
});
export type ResponseTimeMonth = z.infer<typeof ResponseTimeMonth>;

export const LiaisonOverview = z.object({
  queue: z.object({ new: z.number().int(), inProgress: z.number().int(), answered: z.number().int(), closed: z.number().int() }),
  waitingLongest: z.array(InquirySummary),
  /** The last six months, oldest first; the last one is this month. */
  responseTimes: z.array(ResponseTimeMonth),
  knowledgeTransfersToWrite: z.object({
    count: z.number().int(),
    items: z.array(z.object({ citizenId: Id, firstName: z.string(), lastName: z.string(), startDate: z.string() })),
  }),
  expiringConsents: z.array(
    z.object({
      id: Id,
      instrument: z.enum(['sdl_43', 'rsl_11a', 'fvl_28']),
      /** `given`: the region passes information on under it; `received`: the region receives under it. */
      direction: z.enum(['given', 'received']),
      citizenId: Id,
      firstName: z.string(),
      lastName: z.string(),
      validTo: z.string(),
      daysLeft: z.number().int(),
    }),
  ),
  openTasks: z.array(
    z.object({ id: Id, kind: z.string(), citizenId: z.string().nullable(), citizenName: z.string().nullable(), createdAt: z.string() }),
  ),
});
export type LiaisonOverview = z.infer<typeof LiaisonOverview>;

export const ClinicianPatientsQuery = z.object({ cursor: Cursor.optional(), limit: Limit(25, 100) }).strict();
export const ClinicianPatient = z.object({
  citizenId: Id,
  firstName: z.string(),
  lastName: z.string(),
  programmeId: Id,
  programmeName: z.string(),
  startDate: z.string(),
  status: z.string(),
  /** The latest end date of the valid fvl_28 consents that name the region: why the patient is listed. */
  consentValidTo: z.string(),
});
export type ClinicianPatient = z.infer<typeof ClinicianPatient>;
export const ClinicianPatientPage = z.object({ items: z.array(ClinicianPatient), nextCursor: z.string().nullable() });
