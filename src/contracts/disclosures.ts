// Contracts of knowledge transfers (the region's structured summary for the jobcenter, versioned), explicit
// disclosures (a snapshot passed on under consent or a sundhedsloven §43 stk. 2 ground), the region dpo's
// review list of exceptions, and the municipality's marked health-information panel.
import { z } from 'zod';
import { Cursor, DateInput, Id, Limit, Text } from './common.ts';
import { CHANNELS, EXCEPTION_GROUNDS, QUESTION_CODES, RECIPIENT_ROLES, REGION_CATEGORY_CODES } from './disclosure-codes.ts';

export { CHANNELS, EXCEPTION_GROUNDS, QUESTION_CODES, RECIPIENT_ROLES, REGION_CATEGORY_CODES };

export const QuestionCode = z.enum(QUESTION_CODES);
export const RegionCategory = z.enum(REGION_CATEGORY_CODES);
export const RecipientRole = z.enum(RECIPIENT_ROLES);
export const Channel = z.enum(CHANNELS);
export const ExceptionGround = z.enum(EXCEPTION_GROUNDS);
export const GAP_REASONS = ['no_consent', 'expired', 'withdrawn', 'not_yet_valid', 'other_category', 'other_source', 'other_recipient', 'other_role'] as const;

const unique = (list: readonly unknown[]) => new Set(list).size === list.length;

export const KnowledgeTransferAnswerInput = z.object({ question: QuestionCode, text: Text(5000), category: RegionCategory }).strict();
export const CreateKnowledgeTransferRequest = z
  .object({
    sourceTeam: Text(200),
    writtenOn: DateInput,
    answers: z.array(KnowledgeTransferAnswerInput).min(1).max(4).refine((list) => unique(list.map((a) => a.question)), { message: 'each question at most once' }),
  })
  .strict();

export const KnowledgeTransferAnswer = z.object({ question: z.string(), text: z.string(), category: z.string() });
export const KnowledgeTransfer = z.object({
  id: Id,
  citizenId: Id,
  version: z.number().int(),
  sourceTeam: z.string(),
  writtenOn: z.string(),
  answers: z.array(KnowledgeTransferAnswer),
  createdBy: z.object({ id: Id, name: z.string() }),
  createdAt: z.string(),
});
export type KnowledgeTransfer = z.infer<typeof KnowledgeTransfer>;
/** With the patient's name (the region's record), so the page needs no second request. */
export const KnowledgeTransferList = z.object({ citizen: z.object({ id: Id, name: z.string() }), items: z.array(KnowledgeTransfer), nextCursor: z.string().nullable() });
export const ListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 100) }).strict();

export const ExceptionInput = z.object({ ground: ExceptionGround, justification: Text(2000, 10) }).strict();
export const CreateDisclosureRequest = z
  .object({
    knowledgeTransferId: Id,
    /** The answers passed on; all of the version's answers when left out. */
    questions: z.array(QuestionCode).min(1).max(4).refine(unique, { message: 'each question at most once' }).optional(),
    recipientOrganisationId: Id,
    recipientRoles: z.array(RecipientRole).min(1).max(4).refine(unique, { message: 'each role at most once' }),
    channel: Channel,
    /** True when the municipality asked for the information: its rsl_11a consent is needed too. */
    requested: z.boolean().default(false),
    /** A ground of sundhedsloven §43 stk. 2 instead of consent (clinicians only). */
    exception: ExceptionInput.optional(),
  })
  .strict();

export const NoticeRequest = z
  .object({ patientToldOn: DateInput.optional(), notToldReason: Text(2000, 5).optional() })
  .strict()
  .refine((v) => (v.patientToldOn === undefined) !== (v.notToldReason === undefined), { message: 'either the date the patient was told or the reason for not telling' });

export const Gap = z.object({ instrument: z.string(), category: z.string(), role: z.string(), reason: z.string(), consentId: z.string().nullable() });
export type Gap = z.infer<typeof Gap>;
/** 409 on a disclosure no consent covers: every category, instrument and reason. */
export const DisclosureRefused = z.object({ error: z.string(), message: z.string(), gaps: z.array(Gap) });
export type DisclosureRefused = z.infer<typeof DisclosureRefused>;

export const Basis = z.object({
  kind: z.enum(['consent', 'exception']),
  consentIds: z.array(z.string()),
  exceptionGround: z.string().nullable(),
});

export const Disclosure = z.object({
  id: Id,
  citizenId: Id,
  citizenName: z.string(),
  fromOrganisation: z.object({ id: Id, name: z.string() }),
  toOrganisation: z.object({ id: Id, name: z.string() }),
  recipientRoles: z.array(z.string()),
  knowledgeTransferId: z.string().nullable(),
  categories: z.array(z.string()),
  snapshot: z.record(z.string(), z.unknown()),
  basis: Basis,
  justification: z.string().nullable(),
  noticeRequired: z.boolean(),
  patientToldOn: z.string().nullable(),
  notToldReason: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  /** Who decided (on the municipality's side only the name it received). */
  decidedBy: z.object({ id: z.string().nullable(), name: z.string() }),
  channel: z.string(),
  disclosedAt: z.string(),
});
export type Disclosure = z.infer<typeof Disclosure>;
export const DisclosureList = z.object({ items: z.array(Disclosure), nextCursor: z.string().nullable() });

/** What the municipality received, as kept in its own case. */
export const ReceivedDisclosure = z.object({
  id: Id,
  disclosureId: Id,
  fromOrganisation: z.object({ id: Id, name: z.string() }),
  disclosedAt: z.string(),
  disclosedBy: z.string(),
  channel: z.string(),
  categories: z.array(z.string()),
  snapshot: z.record(z.string(), z.unknown()),
  basis: Basis,
  /** The day the consent it was received under was withdrawn, if it since was. */
  consentWithdrawnAt: z.string().nullable(),
  receivedAt: z.string(),
});
export type ReceivedDisclosure = z.infer<typeof ReceivedDisclosure>;
export const ReceivedDisclosureList = z.object({ items: z.array(ReceivedDisclosure), nextCursor: z.string().nullable() });

export const ConsentStatus = z.enum(['valid', 'withdrawn', 'expired', 'none']);
export type ConsentStatus = z.infer<typeof ConsentStatus>;
export const HealthInformation = z.object({
  items: z.array(ReceivedDisclosure),
  nextCursor: z.string().nullable(),
  /** The caller's organisation's sdl_43 consent from the person: valid, the latest one withdrawn or expired, or none. */
  consentStatus: ConsentStatus,
  /** The consent the status is about (the valid one, or the latest). */
  consentId: z.string().nullable(),
  consentValidTo: z.string().nullable(),
  consentWithdrawnOn: z.string().nullable(),
});
export type HealthInformation = z.infer<typeof HealthInformation>;
