// Oral advice and case consultations (issue 10, point 6): the liaison's record of attending a municipal meeting or
// sparring and what was said there (a named item is an oral disclosure under consents both ways; an anonymous
// case names nobody), and the municipality's note duty it leaves (offentlighedsloven § 13).
import { z } from 'zod';
import { Cursor, DateTimeInput, Id, Limit, Text, Version } from './common.ts';
import { HealthCategory } from './inquiries.ts';

export const ConsultationKind = z.enum(['network_meeting', 'case_conference', 'anonymous']);
export type ConsultationKind = z.infer<typeof ConsultationKind>;
export const ConsultationStatus = z.enum(['open', 'stopped_recognised']);

/** One agenda item: about a named patient (the region's record) or an anonymous case. */
export const ConsultationItemRequest = z
  .object({
    kind: z.enum(['named', 'anonymous']),
    /** Named: the region's own record of the patient. */
    citizenId: Id.optional(),
    /** Named: the municipal participants it was said to (each a participant of the consultation). */
    saidTo: z.array(Id).max(10).optional(),
    /** Named: the categories of health information that were passed on. */
    categories: z.array(HealthCategory).max(7).optional(),
    /** Named, optional: the municipality's network meeting of the citizen where it was said. */
    networkMeetingId: Id.optional(),
    /** Anonymous: the case as told, without names, CPR numbers or other identifying details. */
    description: Text(1000).optional(),
    /** What the liaison said. */
    advice: Text(4000),
  })
  .strict();
export type ConsultationItemRequest = z.infer<typeof ConsultationItemRequest>;

export const CreateConsultationRequest = z
  .object({
    programmeId: Id,
    municipalityId: Id,
    kind: ConsultationKind,
    heldAt: DateTimeInput,
    place: Text(200).optional(),
    /** Municipal staff who took part (users of the municipality with a case role in the programme). */
    participantIds: z.array(Id).max(20),
    /** Anyone else, as text (no citizen names). */
    otherParticipants: Text(1000).optional(),
    items: z.array(ConsultationItemRequest).max(10),
  })
  .strict();
export type CreateConsultationRequest = z.infer<typeof CreateConsultationRequest>;

export const RecogniseRequest = z.object({ version: Version }).strict();

export const ConsultationListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();

export const ConsultationItem = z.object({
  id: Id,
  kind: z.enum(['named', 'anonymous']),
  citizenId: z.string().nullable(),
  citizenName: z.string().nullable(),
  disclosureId: z.string().nullable(),
  description: z.string().nullable(),
  advice: z.string(),
  categories: z.array(z.string()),
  saidTo: z.array(z.object({ id: Id, name: z.string() })),
  networkMeetingId: z.string().nullable(),
  createdAt: z.string(),
});
export type ConsultationItem = z.infer<typeof ConsultationItem>;

export const ConsultationSummary = z.object({
  id: Id,
  programmeId: Id,
  municipality: z.object({ id: Id, name: z.string() }),
  kind: ConsultationKind,
  heldAt: z.string(),
  place: z.string().nullable(),
  status: ConsultationStatus,
  itemCount: z.number().int(),
  namedCount: z.number().int(),
  createdByName: z.string(),
});
export type ConsultationSummary = z.infer<typeof ConsultationSummary>;

export const ConsultationDetail = ConsultationSummary.extend({
  participants: z.array(z.object({ id: Id, name: z.string() })),
  otherParticipants: z.string().nullable(),
  recognisedAt: z.string().nullable(),
  version: z.number().int(),
  items: z.array(ConsultationItem),
  /** Anonymous advice may still be recorded: not stopped on recognition, and not a network meeting about one citizen. */
  canAddAnonymous: z.boolean(),
});
export type ConsultationDetail = z.infer<typeof ConsultationDetail>;

export const ConsultationPage = z.object({ items: z.array(ConsultationSummary), nextCursor: z.string().nullable() });

export const DutyStatus = z.enum(['pending', 'noted', 'not_relevant']);
export type DutyStatus = z.infer<typeof DutyStatus>;

/** The municipality's duty: note the external professional assessment received orally, or mark it not relevant. */
export const ConsultationDuty = z.object({
  id: Id,
  citizenId: Id,
  citizenName: z.string(),
  fromOrganisationName: z.string(),
  saidByName: z.string(),
  heldAt: z.string(),
  networkMeetingId: z.string().nullable(),
  networkMeetingAt: z.string().nullable(),
  receivedDisclosureId: Id,
  advice: z.string(),
  categories: z.array(z.string()),
  assignedTo: z.array(z.object({ id: Id, name: z.string() })),
  status: DutyStatus,
  noteId: z.string().nullable(),
  reason: z.string().nullable(),
  resolvedByName: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ConsultationDuty = z.infer<typeof ConsultationDuty>;

export const DutyPage = z.object({ items: z.array(ConsultationDuty), nextCursor: z.string().nullable() });
export const DutyListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();

export const ResolveDutyRequest = z
  .object({
    resolution: z.enum(['note', 'not_relevant']),
    /** The note of the external professional assessment, or why it is not relevant to the case. */
    text: Text(4000),
  })
  .strict();
export type ResolveDutyRequest = z.infer<typeof ResolveDutyRequest>;

/** What the liaison's form offers: per programme the municipalities taking part and their case staff. */
export const ConsultationOptions = z.object({
  programmes: z.array(
    z.object({
      id: Id,
      name: z.string(),
      municipalities: z.array(z.object({ id: Id, name: z.string(), staff: z.array(z.object({ id: Id, name: z.string(), roles: z.array(z.string()) })) })),
    }),
  ),
});
export type ConsultationOptions = z.infer<typeof ConsultationOptions>;
