// Access requests (issue 11, "Indsigt"): the citizen's request in the portal, one case per organisation, the
// staff's queue and case (deadline, interim notice, redaction step, package job, decision, release), and the
// citizen's view of the cases with the released package.
import { z } from 'zod';
import { Cursor, DateInput, Id, IsoDate, Limit, OptionalText, Text, Version } from './common.ts';

export const AccessDecision = z.enum(['full', 'partial', 'refused']);
export const PackageState = z.enum(['none', 'queued', 'running', 'done', 'failed']);
/** Where a case stands, for the queue and the portal. */
export const AccessCaseStatus = z.enum(['received', 'decided', 'released']);

export const NewAccessRequest = z
  .object({
    /** What the citizen wants to see; empty or absent means everything. */
    text: OptionalText(2000),
  })
  .strict();

/** One organisation's case as the citizen sees it: no staff names. */
export const PortalAccessCase = z.object({
  id: Id,
  organisation: z.object({ id: Id, name: z.string() }),
  text: z.string().nullable(),
  receivedOn: IsoDate,
  deadline: IsoDate,
  extension: z.object({ extendedTo: IsoDate, reason: z.string() }).nullable(),
  interimNotice: z.object({ reason: z.string(), expectedOn: IsoDate, givenAt: z.string() }).nullable(),
  status: AccessCaseStatus,
  decision: z.object({ outcome: AccessDecision, reasons: z.string(), complaintGuidance: z.string(), decidedAt: z.string() }).nullable(),
  releasedAt: z.string().nullable(),
});
export type PortalAccessCase = z.infer<typeof PortalAccessCase>;

export const PortalAccessCaseList = z.object({ items: z.array(PortalAccessCase), nextCursor: z.string().nullable() });
export type PortalAccessCaseList = z.infer<typeof PortalAccessCaseList>;
export const PortalAccessCaseQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();

export const NewAccessRequestAnswer = z.object({ requestGroupId: Id, cases: z.array(PortalAccessCase) });
export type NewAccessRequestAnswer = z.infer<typeof NewAccessRequestAnswer>;

/** The released package: readable HTML and the same data as JSON text, for the browser to save. */
export const AccessPackageDownload = z.object({ caseId: Id, organisation: z.string(), releasedAt: z.string(), html: z.string(), json: z.string() });
export type AccessPackageDownload = z.infer<typeof AccessPackageDownload>;

// Staff side.

export const AccessQueueItem = z.object({
  id: Id,
  citizen: z.object({ id: Id, name: z.string() }),
  receivedOn: IsoDate,
  /** The deadline in force (the extended one when extended). */
  deadline: IsoDate,
  extended: z.boolean(),
  status: AccessCaseStatus,
  packageState: PackageState,
  /** 7 working days have passed without a decision and no interim notice was given yet. */
  needsInterimNotice: z.boolean(),
  overdue: z.boolean(),
});
export type AccessQueueItem = z.infer<typeof AccessQueueItem>;
export const AccessQueue = z.object({ items: z.array(AccessQueueItem), nextCursor: z.string().nullable() });
export type AccessQueue = z.infer<typeof AccessQueue>;
export const AccessQueueQuery = z.object({ cursor: Cursor.optional(), limit: Limit(50, 100), released: z.enum(['false', 'true']).default('false') }).strict();

/** A person the case's records name besides the citizen and staff: staff tick whom to redact. */
export const RedactionCandidate = z.object({
  key: z.string(),
  kind: z.enum(['meeting_attendee', 'company_contact']),
  name: z.string(),
  role: z.string().nullable(),
  redact: z.boolean(),
});
/** A document that may be withheld as an internal working document (its personal data still given). */
export const WithholdCandidate = z.object({
  key: z.string(),
  kind: z.enum(['note']),
  createdAt: z.string(),
  excerpt: z.string(),
  withheld: z.boolean(),
  personalData: z.string().nullable(),
});

/** The dpo's advice on the case: who gave it and when. */
export const AccessAdvice = z.object({ id: Id, text: z.string(), by: z.string().nullable(), at: z.string() });
export type AccessAdvice = z.infer<typeof AccessAdvice>;

/** A name or CPR number of someone else in the package's free text: the caseworker redacts it or keeps it. */
export const TextHitItem = z.object({
  key: z.string(),
  /** The package section it is in. */
  section: z.string(),
  column: z.string(),
  kind: z.enum(['name', 'cpr']),
  /** The text around it (CPR numbers masked). */
  excerpt: z.string(),
  resolution: z.enum(['redact', 'keep']).nullable(),
});

export const AccessCase = z.object({
  id: Id,
  organisation: z.object({ id: Id, name: z.string() }),
  citizen: z.object({ id: Id, name: z.string() }),
  text: z.string().nullable(),
  receivedOn: IsoDate,
  deadline: IsoDate,
  /** The latest date the deadline may be extended to (three months from receipt), while extension is possible. */
  canExtendUntil: IsoDate.nullable(),
  extension: z.object({ extendedTo: IsoDate, reason: z.string(), noticedAt: z.string() }).nullable(),
  interimDueOn: IsoDate,
  needsInterimNotice: z.boolean(),
  interimNotice: z.object({ reason: z.string(), expectedOn: IsoDate, givenAt: z.string(), by: z.string().nullable() }).nullable(),
  status: AccessCaseStatus,
  /** Whether the actor may act on the case (the responsible unit) or only follow it (the dpo). */
  canHandle: z.boolean(),
  /** Whether the actor may give advice (the dpo, until the case is released). */
  canAdvise: z.boolean(),
  /** The dpo's advice, oldest first. */
  advice: z.array(AccessAdvice),
  /** Fellow group participants are always left out (never read into the package). */
  groupParticipantsRedacted: z.boolean(),
  redactionCandidates: z.array(RedactionCandidate),
  /** Names of other citizens and CPR numbers not the citizen's own, found in the package's free text when it was made. */
  textHits: z.array(TextHitItem),
  /** Hits without a choice yet: the case cannot be released while there are any (409 unresolved_free_text). */
  unresolvedTextHits: z.number().int(),
  withholdCandidates: z.array(WithholdCandidate),
  package: z.object({ state: PackageState, progress: z.number().int(), generatedAt: z.string().nullable(), sections: z.number().int().nullable(), rows: z.number().int().nullable() }),
  decision: z.object({ outcome: AccessDecision, reasons: z.string(), complaintGuidance: z.string(), decidedAt: z.string(), by: z.string().nullable() }).nullable(),
  releasedAt: z.string().nullable(),
  version: z.number().int(),
});
export type AccessCase = z.infer<typeof AccessCase>;

export const RedactionsInput = z
  .object({
    version: Version,
    redact: z.array(z.string().max(100)).max(500),
    withheld: z.array(z.object({ key: z.string().max(100), personalData: Text(4000) }).strict()).max(500),
  })
  .strict();
export const VersionInput = z.object({ version: Version }).strict();
export const AdviceInput = z.object({ text: Text(4000) }).strict();
export const TextHitsInput = z
  .object({
    version: Version,
    resolutions: z.array(z.object({ key: z.string().max(64), resolution: z.enum(['redact', 'keep']) }).strict()).max(500),
  })
  .strict();
export const ExtensionInput = z.object({ version: Version, extendTo: DateInput, reason: Text(2000) }).strict();
export const InterimNoticeInput = z.object({ version: Version, reason: Text(2000), expectedOn: DateInput }).strict();
export const DecisionInput = z.object({ version: Version, outcome: AccessDecision, reasons: Text(8000), complaintGuidance: Text(8000) }).strict();
