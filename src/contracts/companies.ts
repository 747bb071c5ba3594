// Contracts for companies (CVR register of the organisation), internships with weekly hours, and upskilling.
import { z } from 'zod';
import { isValidCvr } from './cvr.ts';
import { Cursor, DateInput, Id, IsoDate, Limit, OptionalText, Text, UserRef, Version } from './common.ts';

export { isValidCvr };

export const Cvr = z
  .string()
  .trim()
  .regex(/^[0-9]{8}$/, '8 digits')
  .refine(isValidCvr, { message: 'not a valid CVR number (check digit)' });

const Hours = (min: number, max: number) =>
  z
    .number()
    .min(min)
    .max(max)
    .refine((h) => Math.round(h * 10) / 10 === h, { message: 'at most one decimal' });

export const ContactInput = z
  .object({
    name: Text(200),
    role: OptionalText(200),
    phone: OptionalText(40),
    email: z.email().max(200).nullable().optional(),
  })
  .strict();

export const CreateCompanyRequest = z
  .object({
    cvr: Cvr,
    name: Text(200),
    address: OptionalText(300),
    industry: OptionalText(200),
    contacts: z.array(ContactInput).max(20).default([]),
  })
  .strict();
export type CreateCompanyRequest = z.infer<typeof CreateCompanyRequest>;

export const UpdateCompanyRequest = z
  .object({
    version: Version,
    name: Text(200).optional(),
    address: OptionalText(300),
    industry: OptionalText(200),
  })
  .strict();

export const CompanyListQuery = z
  .object({
    /** Words of the name, or the first digits of the CVR number. */
    q: Text(100, 0).optional(),
    cursor: Cursor.optional(),
    limit: Limit(25),
  })
  .strict();

export const CompanySummary = z.object({
  id: Id,
  cvr: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  industry: z.string().nullable(),
  isFictitious: z.boolean(),
});
export type CompanySummary = z.infer<typeof CompanySummary>;
export const CompanyPage = z.object({ items: z.array(CompanySummary), nextCursor: z.string().nullable() });

export const CompanyContact = z.object({ id: Id, name: z.string(), role: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() });
export type CompanyContact = z.infer<typeof CompanyContact>;

export const CompanyMeeting = z.object({
  id: Id,
  heldOn: IsoDate,
  staff: z.array(UserRef),
  purpose: z.string(),
  outcome: z.string().nullable(),
  createdBy: UserRef,
});
export type CompanyMeeting = z.infer<typeof CompanyMeeting>;

export const CreateCompanyMeetingRequest = z
  .object({
    heldOn: DateInput,
    /** Staff of the organisation who took part; the caller when left out. */
    staffIds: z.array(Id).min(1).max(10).optional(),
    purpose: Text(1000),
    outcome: OptionalText(2000),
  })
  .strict();

export const InternshipPurpose = z.enum(['gradual_return', 'trial_before_hiring', 'other']);
export const InternshipOutcome = z.enum(['hired', 'extended', 'ended_as_planned', 'ended_early']);
export const MinPlan = z.enum(['yes', 'no', 'not_relevant']);

export const CompanyInternship = z.object({
  id: Id,
  citizen: z.object({ id: Id, name: z.string() }),
  purpose: InternshipPurpose,
  fromDate: IsoDate,
  toDate: IsoDate,
  outcome: InternshipOutcome.nullable(),
});

export const CompanyDetail = CompanySummary.extend({
  contacts: z.array(CompanyContact),
  meetings: z.array(CompanyMeeting),
  /** Internships of citizens the caller may see. */
  internships: z.array(CompanyInternship),
  /** Internships at the company of citizens the caller may not see: only their number. */
  otherInternships: z.number().int(),
  version: z.number().int(),
});
export type CompanyDetail = z.infer<typeof CompanyDetail>;

export const CreatedResponse = z.object({ id: Id });

// ---------------------------------------------------------------------------------------------------------------
// Internships

export const CreateInternshipRequest = z
  .object({
    companyId: Id,
    contactId: Id.nullable().optional(),
    purpose: InternshipPurpose,
    purposeText: OptionalText(500),
    fromDate: DateInput,
    toDate: DateInput,
    plannedWeeklyHours: Hours(0.5, 60),
    minPlan: MinPlan.default('no'),
  })
  .strict()
  .refine((i) => i.toDate >= i.fromDate, { message: 'the last day comes on or after the first', path: ['toDate'] })
  .refine((i) => i.purpose !== 'other' || !!i.purposeText, { message: 'describe the purpose', path: ['purposeText'] });
export type CreateInternshipRequest = z.infer<typeof CreateInternshipRequest>;

export const InternshipWeek = z.object({ weekStart: IsoDate, hours: z.number() });
export const InternshipFollowUp = z.object({ id: Id, heldOn: IsoDate, note: z.string(), createdBy: UserRef });

export const Internship = z.object({
  id: Id,
  citizenId: Id,
  company: z.object({ id: Id, name: z.string(), cvr: z.string() }),
  contact: z.object({ id: Id, name: z.string() }).nullable(),
  purpose: InternshipPurpose,
  purposeText: z.string().nullable(),
  fromDate: IsoDate,
  toDate: IsoDate,
  plannedWeeklyHours: z.number(),
  minPlan: MinPlan,
  outcome: InternshipOutcome.nullable(),
  outcomeReason: z.string().nullable(),
  weeks: z.array(InternshipWeek),
  followUps: z.array(InternshipFollowUp),
  version: z.number().int(),
});
export type Internship = z.infer<typeof Internship>;

export const InternshipList = z.object({ items: z.array(Internship), nextCursor: z.string().nullable() });
export const ActivityListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();

export const PutInternshipWeeksRequest = z
  .object({
    weeks: z
      .array(z.object({ weekStart: DateInput, hours: Hours(0, 80) }).strict())
      .min(1)
      .max(60),
  })
  .strict();

export const CreateFollowUpRequest = z.object({ heldOn: DateInput, note: Text(5000) }).strict();

export const UpdateInternshipRequest = z
  .object({
    version: Version,
    outcome: InternshipOutcome.nullable().optional(),
    outcomeReason: OptionalText(1000),
    toDate: DateInput.optional(),
    minPlan: MinPlan.optional(),
  })
  .strict()
  .refine((u) => u.outcome !== 'ended_early' || !!u.outcomeReason, { message: 'say why it ended early', path: ['outcomeReason'] });

// ---------------------------------------------------------------------------------------------------------------
// Upskilling

export const UpskillingKind = z.enum(['course', 'certificate', 'education']);
export const UpskillingStatus = z.enum(['planned', 'ongoing', 'completed', 'dropped']);

export const CreateUpskillingRequest = z
  .object({
    kind: UpskillingKind,
    title: Text(200),
    provider: Text(200),
    fromDate: DateInput,
    toDate: DateInput.nullable().optional(),
    status: UpskillingStatus,
    outcome: OptionalText(1000),
    goalId: Id.nullable().optional(),
    minPlan: MinPlan.default('no'),
  })
  .strict()
  .refine((u) => !u.toDate || u.toDate >= u.fromDate, { message: 'the last day comes on or after the first', path: ['toDate'] });
export type CreateUpskillingRequest = z.infer<typeof CreateUpskillingRequest>;

export const UpdateUpskillingRequest = z
  .object({
    version: Version,
    title: Text(200).optional(),
    provider: Text(200).optional(),
    fromDate: DateInput.optional(),
    toDate: DateInput.nullable().optional(),
    status: UpskillingStatus.optional(),
    outcome: OptionalText(1000),
    goalId: Id.nullable().optional(),
    minPlan: MinPlan.optional(),
  })
  .strict();

export const Upskilling = z.object({
  id: Id,
  citizenId: Id,
  kind: UpskillingKind,
  title: z.string(),
  provider: z.string(),
  fromDate: IsoDate,
  toDate: IsoDate.nullable(),
  status: UpskillingStatus,
  outcome: z.string().nullable(),
  goal: z.object({ id: Id, text: z.string() }).nullable(),
  minPlan: MinPlan,
  version: z.number().int(),
});
export type Upskilling = z.infer<typeof Upskilling>;
export const UpskillingList = z.object({ items: z.array(Upskilling), nextCursor: z.string().nullable() });
