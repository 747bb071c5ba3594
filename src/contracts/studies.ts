// Studies (issue 12 point 3): research agreements under which pseudonymised data about a programme's citizens may
// leave for a research partner, and the codebook their variables are chosen from.
import { z } from 'zod';
import { Cursor, DateInput, Id, IsoDate, Limit, OptionalText, Text, UserRef } from './common.ts';

export const PartnerRole = z.enum(['controller', 'processor']);
/** GDPR art. 6(1)(e) (a task in the public interest) always; databeskyttelsesloven §10 where sensitive data is included. */
export const LegalBasis = z.enum(['gdpr_6_1_e', 'dbl_10']);
export const DatePrecision = z.enum(['month', 'shifted']);
export const StudyStatus = z.enum(['awaiting_approval', 'approved']);
/** What the partner confirmed at the study's end: the data deleted, or archived (under an archive reference). */
export const EndConfirmationKind = z.enum(['deleted', 'archived']);

/**
 * The databeskyttelseslov §10 stk. 3 checklist: any "yes" means the Data Protection Agency's permission is needed
 * before the data is disclosed (its reference recorded on the study).
 */
const ChecklistShape = z.object({
  /** The data is to be transferred to a country outside the EU/EEA. */
  thirdCountry: z.boolean(),
  /** The data concerns biological material. */
  biologicalMaterial: z.boolean(),
  /** The disclosure is for publication in a recognised scientific journal or the like. */
  journalPublication: z.boolean(),
});
/** In a request: nothing but the three answers. */
export const PermissionChecklist = ChecklistShape.strict();

export const CreateStudyRequest = z
  .object({
    programmeId: Id,
    title: Text(200),
    partnerName: Text(200),
    partnerRole: PartnerRole,
    /** The data-processing agreement's reference: required when the partner is a processor. */
    dpaReference: OptionalText(200),
    legalBasis: z.array(LegalBasis).min(1).max(2),
    checklist: PermissionChecklist,
    /** The Data Protection Agency's permission (journal number), when the checklist needs it. */
    permissionReference: OptionalText(200),
    purpose: Text(4000),
    startsOn: DateInput,
    endsOn: DateInput,
    /** Variable names from the codebook (`<file>.<variable>`). */
    variables: z.array(z.string().min(1).max(100)).min(1).max(200),
    datePrecision: DatePrecision,
    dpiaReference: Text(200),
    /** The municipal organisations of the programme whose data is included (region data never is). */
    organisationIds: z.array(Id).min(1).max(10),
    /** Register linkage: the data is also delivered keyed by CPR number to Danmarks Statistik's research service (decision 0044). */
    registerLinkage: z.boolean().optional(),
    /** The reference of the agreement with Danmarks Statistik (its project number): required with register linkage. */
    dstReference: OptionalText(200),
  })
  .strict();
export type CreateStudyRequest = z.infer<typeof CreateStudyRequest>;

export const StudyOrganisation = z.object({
  id: Id,
  name: z.string(),
  dpoAdvice: z.string().nullable(),
  dpoAdvisedBy: UserRef.nullable(),
  dpoAdvisedAt: z.string().nullable(),
  approvedBy: UserRef.nullable(),
  approvedAt: z.string().nullable(),
});

/** A research-only questionnaire of the study: an instrument of the catalogue, pinned to the version added. */
export const StudyQuestionnaire = z.object({
  id: Id,
  instrumentCode: z.string(),
  instrumentVersion: z.number().int(),
  title: z.object({ da: z.string(), en: z.string() }),
  /** Health data: the study needs databeskyttelsesloven §10 among its legal bases. */
  healthData: z.boolean(),
  addedBy: UserRef,
  addedAt: z.string(),
});

export const Study = z.object({
  id: Id,
  programme: z.object({ id: Id, name: z.string() }),
  /** The organisation that recorded the study: its programme manager names the researchers. */
  organisationId: Id,
  title: z.string(),
  partnerName: z.string(),
  partnerRole: PartnerRole,
  dpaReference: z.string().nullable(),
  legalBasis: z.array(LegalBasis),
  checklist: ChecklistShape,
  /** Whether the checklist needs the Data Protection Agency's permission. */
  permissionNeeded: z.boolean(),
  permissionReference: z.string().nullable(),
  purpose: z.string(),
  startsOn: IsoDate,
  endsOn: IsoDate,
  variables: z.array(z.string()),
  datePrecision: DatePrecision,
  dpiaReference: z.string(),
  status: StudyStatus,
  approvedAt: z.string().nullable(),
  createdBy: UserRef,
  createdAt: z.string(),
  organisations: z.array(StudyOrganisation),
  researchers: z.array(UserRef),
  /** Research-only questionnaires the citizen answers alone in the portal (their answers are never shown to staff). */
  questionnaires: z.array(StudyQuestionnaire),
  /** Register linkage through Danmarks Statistik's research service, with the DST agreement's reference (project number). */
  registerLinkage: z.boolean(),
  dstReference: z.string().nullable(),
  /** The study is past its end date: no exports, packages deleted, date offsets no longer derived. */
  ended: z.boolean(),
  /** The partner's confirmation at the end: the data deleted or archived (with the archive's reference); null while awaited. */
  endConfirmation: z
    .object({ kind: EndConfirmationKind, archiveReference: z.string().nullable(), recordedBy: UserRef, recordedAt: z.string() })
    .nullable(),
});
export type Study = z.infer<typeof Study>;

export const StudySummary = Study.pick({ id: true, programme: true, title: true, partnerName: true, startsOn: true, endsOn: true, status: true, createdAt: true });
export const StudyPage = z.object({ items: z.array(StudySummary), nextCursor: z.string().nullable() });
export const StudyListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();

export const AddResearcherRequest = z.object({ userId: Id }).strict();
/** The most researchers a programme has to choose from on one study (a programme has a handful). */
export const MAX_RESEARCHER_OPTIONS = 200;
/** The programme's active researchers not yet named on the study, by name. */
export const ResearcherOptions = z.object({ items: z.array(UserRef) });
export const AddStudyQuestionnaireRequest = z.object({ instrumentCode: z.string().min(1).max(100) }).strict();
/** The active instruments of the catalogue a citizen answers alone, not yet on the study. */
export const StudyQuestionnaireOptions = z.object({
  items: z.array(z.object({ code: z.string(), version: z.number().int(), title: z.object({ da: z.string(), en: z.string() }), healthData: z.boolean() })),
});
export const DpoAdviceRequest = z.object({ advice: Text(4000) }).strict();

export const VariableType = z.enum(['pseudonym', 'integer', 'number', 'date', 'year', 'code']);
export const CodebookVariable = z.object({
  /** `<file>.<variable>`, as a study names it. */
  name: z.string(),
  file: z.string(),
  variable: z.string(),
  type: VariableType,
  unit: z.string().nullable(),
  label: z.object({ da: z.string(), en: z.string() }),
  /** Where the value comes from in Bindeled. */
  source: z.string(),
  /** Health data (databeskyttelsesloven §10 needed as a legal basis). */
  sensitive: z.boolean(),
  /** Always part of its file (the pseudonym, the row's date). */
  always: z.boolean(),
  codes: z.array(z.object({ code: z.string(), label: z.object({ da: z.string(), en: z.string() }) })),
});
export type CodebookVariable = z.infer<typeof CodebookVariable>;
export const Codebook = z.object({ files: z.array(z.object({ name: z.string(), label: z.object({ da: z.string(), en: z.string() }) })), variables: z.array(CodebookVariable) });
export type Codebook = z.infer<typeof Codebook>;

/** The partner's confirmation at the study's end (recorded by the recording organisation's programme manager). */
export const EndConfirmationRequest = z
  .object({
    kind: EndConfirmationKind,
    /** Where the data was archived (e.g. the archive's case or accession number): required for `archived`, refused for `deleted`. */
    archiveReference: OptionalText(200),
  })
  .strict();
export type EndConfirmationRequest = z.infer<typeof EndConfirmationRequest>;
