// Consents that let information cross between two data controllers (sundhedsloven §43, retssikkerhedsloven
// §11a, the municipal disclosure consent under GDPR art. 9(2)(a) cf. forvaltningsloven §28), their withdrawal,
// the tasks a crossing leaves, and the liaison's shared access to the municipal record while a consent covers it.
import { z } from 'zod';
import { Plan } from './plan.ts';
import { Cursor, DateInput, Id, IsoDate, Limit, OptionalText, RoleName, Text, UserRef } from './common.ts';

export const ConsentInstrument = z.enum(['sdl_43', 'rsl_11a', 'fvl_28']);
export type ConsentInstrument = z.infer<typeof ConsentInstrument>;

/** Category codes are fixed (the consents issue): what the region may pass on, and what the municipality may. */
export const REGION_CONSENT_CATEGORIES = ['treatment_summary', 'work_considerations', 'support_needs', 'work_medication', 'crisis_plan', 'treatment_attendance', 'progression_measurements'] as const;
export const MUNICIPAL_CONSENT_CATEGORIES = ['municipal_plan', 'activities', 'notes', 'progression_measurements'] as const;
export const ConsentCategory = z.enum([...new Set([...REGION_CONSENT_CATEGORIES, ...MUNICIPAL_CONSENT_CATEGORIES])] as [string, ...string[]]);

export const ConsentState = z.enum(['valid', 'expired', 'withdrawn', 'replaced', 'not_yet_valid']);
export type ConsentState = z.infer<typeof ConsentState>;
export const GivenBy = z.enum(['citizen', 'guardian', 'power_of_attorney']);
/** Staff record a signed form or an oral consent (with its reason and witness); the portal is the citizen's own. */
export const GivenHowInput = z.enum(['written', 'oral']);
export const GivenHow = z.enum(['written', 'oral', 'portal']);

const Unit = OptionalText(200);

/** The categories a workplace may hear (issue 10 point 9): what the citizen needs at work — never a diagnosis. */
export const COMPANY_CONSENT_CATEGORIES = ['work_considerations', 'support_needs'] as const;
/** A company as recipient: its CVR number (8 digits; the modulus-11 check is the service's) and its name. */
export const CompanyRecipient = z.object({ cvr: z.string().regex(/^[0-9]{8}$/, 'a CVR number: 8 digits'), name: Text(200) }).strict();
const CompanyRef = z.object({ cvr: z.string(), name: z.string() });

export const ConsentItemInput = z
  .object({
    instrument: ConsentInstrument,
    /** At least one: a consent without a category is a blanket consent and is refused (400 naming the field). */
    categories: z.array(ConsentCategory).max(12),
    sourceOrganisationId: Id,
    sourceUnit: Unit,
    /** Required: a consent without a recipient is a blanket consent (400 naming the field). */
    recipientOrganisationId: Id.nullable().optional(),
    /**
     * Instead of an organisation, an sdl_43 consent may name a company (by CVR, with its name) the liaison tells
     * what the citizen needs at work: only the categories work_considerations and support_needs.
     */
    recipientCompany: CompanyRecipient.nullable().optional(),
    recipientUnit: Unit,
    /** The recipient's roles: required when an organisation is named; a company's people are not platform roles. */
    recipientRoles: z.array(RoleName).min(1).max(8).optional(),
    purpose: Text(500),
    programmeId: Id,
    /** The municipal case the information is obtained for (required for rsl_11a: a specific consent). */
    caseReference: OptionalText(200),
    /** The consent this one replaces (never edited: the old one is marked replaced). */
    replacesId: Id.nullable().optional(),
  })
  .strict();
export type ConsentItemInput = z.infer<typeof ConsentItemInput>;

/** One sitting: the shared facts once, then one to three consents (the usual pair is sdl_43 + rsl_11a). */
export const CreateConsentsRequest = z
  .object({
    givenOn: DateInput,
    validFrom: DateInput,
    /** Required: a consent without an end date is a blanket consent (400 naming the field). */
    validTo: DateInput.nullable().optional(),
    givenBy: GivenBy,
    givenByName: OptionalText(200),
    capacityNote: OptionalText(1000),
    givenHow: GivenHowInput,
    oralReason: OptionalText(1000),
    witness: OptionalText(200),
    copyGiven: z.boolean(),
    items: z.array(ConsentItemInput).min(1).max(3),
  })
  .strict();
export type CreateConsentsRequest = z.infer<typeof CreateConsentsRequest>;

/**
 * A consent staff prepare with the citizen in a conversation, for the citizen to confirm in the portal with MitID
 * (given by the citizen themself, in the portal, dated the day it is confirmed).
 */
export const PrepareConsentsRequest = z
  .object({
    validFrom: DateInput,
    /** Required: a consent without an end date is a blanket consent (400 naming the field). */
    validTo: DateInput.nullable().optional(),
    items: z.array(ConsentItemInput).min(1).max(3),
  })
  .strict();
export type PrepareConsentsRequest = z.infer<typeof PrepareConsentsRequest>;

/** A prepared consent as staff see it: awaiting the citizen's confirmation, confirmed (with the consents it became) or cancelled. */
export const ConsentPreparation = z.object({
  id: Id,
  state: z.enum(['awaiting', 'confirmed', 'cancelled']),
  instruments: z.array(ConsentInstrument),
  preparedAt: z.string(),
  preparedBy: z.object({ id: Id, name: z.string() }),
  confirmedAt: z.string().nullable(),
  consentIds: z.array(Id),
});
export type ConsentPreparation = z.infer<typeof ConsentPreparation>;
export const ConsentPreparationList = z.object({ items: z.array(ConsentPreparation) });
export type ConsentPreparationList = z.infer<typeof ConsentPreparationList>;

export const CreateConsentsResponse = z.object({
  ids: z.array(Id),
  /** The tasks the sitting left (e.g. enter the sdl_43 consent in the patient journal). */
  tasks: z.array(z.object({ id: Id, kind: z.string(), organisationId: Id })),
});

const Localised = z.object({ da: z.string(), en: z.string() });
export const ConsentForm = z.object({
  id: Id,
  instrument: ConsentInstrument,
  version: z.number().int(),
  title: Localised,
  text: Localised,
  consequence: Localised,
});
export type ConsentForm = z.infer<typeof ConsentForm>;
export const ConsentFormList = z.object({ items: z.array(ConsentForm) });

const OrgRef = z.object({ id: Id, name: z.string() });

export const Consent = z.object({
  id: Id,
  instrument: ConsentInstrument,
  state: ConsentState,
  categories: z.array(z.string()),
  source: OrgRef,
  sourceUnit: z.string().nullable(),
  /** The organisation named as recipient; null when the consent names a company instead. */
  recipient: OrgRef.nullable(),
  recipientCompany: CompanyRef.nullable(),
  recipientUnit: z.string().nullable(),
  recipientRoles: z.array(z.string()),
  programme: OrgRef,
  purpose: z.string(),
  caseReference: z.string().nullable(),
  givenOn: IsoDate,
  validFrom: IsoDate,
  validTo: IsoDate,
  givenBy: GivenBy,
  givenByName: z.string().nullable(),
  capacityNote: z.string().nullable(),
  givenHow: GivenHow,
  oralReason: z.string().nullable(),
  witness: z.string().nullable(),
  copyGiven: z.boolean(),
  form: ConsentForm,
  recordedBy: z.object({ organisation: OrgRef, user: UserRef }),
  /** The organisation's own record of the person this consent was recorded on. */
  citizenId: Id,
  createdAt: z.string(),
  replacesId: Id.nullable(),
  supersededAt: z.string().nullable(),
  supersededBy: Id.nullable(),
  withdrawal: z
    .object({ withdrawnOn: IsoDate, at: z.string(), how: GivenHow, note: z.string().nullable(), recordedBy: UserRef.nullable() })
    .nullable(),
});
export type Consent = z.infer<typeof Consent>;

export const ConsentList = z.object({ items: z.array(Consent), nextCursor: z.string().nullable() });
export type ConsentList = z.infer<typeof ConsentList>;
export const ConsentListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(50) }).strict();

export const WithdrawConsentRequest = z
  .object({
    /** The day the citizen withdrew it: not in the future. The withdrawal takes effect at once. */
    withdrawnOn: DateInput,
    how: GivenHowInput,
    note: OptionalText(1000),
  })
  .strict();
export const WithdrawConsentResponse = z.object({
  id: Id,
  withdrawnOn: IsoDate,
  withdrawnAt: z.string(),
  tasks: z.array(z.object({ id: Id, kind: z.string(), organisationId: Id })),
});

export const ExpiringConsent = z.object({
  id: Id,
  instrument: ConsentInstrument,
  validTo: IsoDate,
  daysLeft: z.number().int(),
  categories: z.array(z.string()),
  source: OrgRef,
  recipient: OrgRef.nullable(),
  recipientCompany: CompanyRef.nullable(),
  citizen: z.object({ id: Id, name: z.string() }),
});
export const ExpiringConsentList = z.object({ items: z.array(ExpiringConsent), nextCursor: z.string().nullable() });
export const PageQuery = z.object({ cursor: Cursor.optional(), limit: Limit(50) }).strict();

export const CrossingTaskKind = z.enum(['journal_consent', 'journal_withdrawal', 'journal_oral_disclosure', 'consent_withdrawn_notice', 'consent_given_notice']);
export const CrossingTask = z.object({
  id: Id,
  kind: CrossingTaskKind,
  createdAt: z.string(),
  citizen: z.object({ id: Id, name: z.string() }).nullable(),
  consent: z.object({ id: Id, instrument: ConsentInstrument, withdrawnOn: IsoDate.nullable(), recordedBy: OrgRef }).nullable(),
  disclosureId: Id.nullable(),
});
export const CrossingTaskList = z.object({ items: z.array(CrossingTask), nextCursor: z.string().nullable() });

// ---------------------------------------------------------------------------------------------------------------
// Shared access: the liaison reads the municipal record while a valid fvl_28 consent covers it.

export const MunicipalRecords = z.object({
  items: z.array(
    z.object({
      organisation: OrgRef,
      citizenId: Id,
      categories: z.array(z.string()),
      consentIds: z.array(Id),
      validTo: IsoDate,
    }),
  ),
});

export const SharedActivity = z.object({
  kind: z.enum(['conversation', 'network_meeting', 'internship']),
  id: Id,
  date: z.string(),
  status: z.string(),
  title: z.string(),
  text: z.string().nullable(),
});
export const SharedNote = z.object({ id: Id, kind: z.string(), createdAt: z.string(), author: UserRef, body: z.string() });

export const SharedRecord = z.object({
  citizenId: Id,
  organisation: OrgRef,
  firstName: z.string(),
  lastName: z.string(),
  /** The categories a valid fvl_28 consent covers for the caller today; only these sections are filled. */
  categories: z.array(z.string()),
  consentIds: z.array(Id),
  plan: Plan.nullable(),
  activities: z.array(SharedActivity).nullable(),
  notes: z.array(SharedNote).nullable(),
});
export type SharedRecord = z.infer<typeof SharedRecord>;
