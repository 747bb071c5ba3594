// Company meetings attended by the liaison (issue 10 point 9): the region's record of a meeting with a company
// (referred to by CVR, as the municipality's company register knows it) and, per patient, what the company was
// told — an oral disclosure to a third party, on an sdl_43 consent naming that company, never a diagnosis.
import { z } from 'zod';
import { COMPANY_CONSENT_CATEGORIES } from './consents.ts';
import { Cursor, DateInput, Id, IsoDate, Limit, Text, UserRef } from './common.ts';
import { Gap } from './disclosures.ts';

export const CompanyCategory = z.enum(COMPANY_CONSENT_CATEGORIES);

export const CreateCompanyMeetingRequest = z
  .object({
    programmeId: Id,
    /** 8 digits; the modulus-11 check is the service's (400 naming companyCvr). */
    companyCvr: z.string().regex(/^[0-9]{8}$/, 'a CVR number: 8 digits'),
    companyName: Text(200),
    heldOn: DateInput,
    /** Who took part (names and roles, e.g. "Liaison, the company's HR partner, the citizen's manager"). */
    attendees: Text(1000),
    purpose: Text(1000),
  })
  .strict();
export type CreateCompanyMeetingRequest = z.infer<typeof CreateCompanyMeetingRequest>;

export const CreateCompanyMeetingItemRequest = z
  .object({
    /** The region's own record of the patient. */
    citizenId: Id,
    categories: z.array(CompanyCategory).min(1).max(2),
    /** What the company was told: what the citizen needs at work — never a diagnosis (400 naming the word). */
    told: Text(2000),
  })
  .strict();
export type CreateCompanyMeetingItemRequest = z.infer<typeof CreateCompanyMeetingItemRequest>;

export const CompanyMeetingItem = z.object({
  id: Id,
  meetingId: Id,
  citizen: z.object({ id: Id, name: z.string() }),
  categories: z.array(z.string()),
  told: z.string(),
  /** The oral disclosure's basis: the consents that covered it when it was recorded. */
  consentIds: z.array(Id),
  decidedBy: UserRef,
  channel: z.string(),
  disclosedAt: z.string(),
});
export type CompanyMeetingItem = z.infer<typeof CompanyMeetingItem>;

export const CompanyMeeting = z.object({
  id: Id,
  programme: z.object({ id: Id, name: z.string() }),
  company: z.object({ cvr: z.string(), name: z.string() }),
  heldOn: IsoDate,
  attendees: z.string(),
  purpose: z.string(),
  createdBy: UserRef,
  createdAt: z.string(),
  itemCount: z.number().int(),
});
export type CompanyMeeting = z.infer<typeof CompanyMeeting>;

export const CompanyMeetingDetail = CompanyMeeting.extend({ items: z.array(CompanyMeetingItem) });
export type CompanyMeetingDetail = z.infer<typeof CompanyMeetingDetail>;

export const CompanyMeetingPage = z.object({ items: z.array(CompanyMeeting), nextCursor: z.string().nullable() });
export type CompanyMeetingPage = z.infer<typeof CompanyMeetingPage>;
export const CompanyMeetingListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();

/** 409: no valid sdl_43 consent names this company for every category (the same shape as a refused disclosure). */
export const CompanyDisclosureRefused = z.object({ error: z.string(), message: z.string(), gaps: z.array(Gap) });

/** What companies were told about one patient (the region's record; region staff only). */
export const PatientCompanyDisclosure = CompanyMeetingItem.extend({
  company: z.object({ cvr: z.string(), name: z.string() }),
  heldOn: IsoDate,
});
export const PatientCompanyDisclosurePage = z.object({ items: z.array(PatientCompanyDisclosure), nextCursor: z.string().nullable() });
export const PatientCompanyDisclosureQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();

/** The region's patients in the liaison's programmes, to pick whom an item is about. */
export const LiaisonPatientChoices = z.object({ items: z.array(z.object({ id: Id, name: z.string() })) });
