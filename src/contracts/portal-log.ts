// The citizen's access log ("Hvem har set mine oplysninger", docs/decisions/0032): every use of the citizen's data by
// others, read from the audit log itself; the citizen's questions about a look-up and the dpo's answers; and the
// dpo's deferral of a notice (sundhedsloven §43 stk. 4, databeskyttelsesloven §22).
import { z } from 'zod';
import { DateInput, Id, Limit, Text } from './common.ts';

/** What was done with the data, in the citizen's words. */
export const ACCESS_KINDS = ['read', 'search_hit', 'change', 'disclosure', 'export'] as const;
export const AccessKind = z.enum(ACCESS_KINDS);
export type AccessKind = z.infer<typeof AccessKind>;

/** Why, as the audit row records it. */
export const ACCESS_PURPOSES = ['authentication', 'case_work', 'programme_management', 'administration', 'supervision', 'research', 'self_service', 'retention', 'other'] as const;
export const AccessPurpose = z.enum(ACCESS_PURPOSES);
export type AccessPurpose = z.infer<typeof AccessPurpose>;

/** An entry of the log (the audit row's sequence number, as digits). */
export const EntryId = z.string().regex(/^[1-9][0-9]{0,14}$/, 'an entry id from the access log');

export const AccessLogQuery = z
  .object({
    /** The `nextCursor` of the page before. */
    cursor: EntryId.optional(),
    limit: Limit(20, 50),
  })
  .strict();
export type AccessLogQuery = z.infer<typeof AccessLogQuery>;

export const LookupQuestionState = z.object({
  id: Id,
  askedAt: z.string(),
  /** The organisation's decision, once made. */
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
});
export type LookupQuestionState = z.infer<typeof LookupQuestionState>;

export const AccessLogEntry = z.object({
  /** The entry's id (digits), for a question about it. */
  id: z.string(),
  /** ISO 8601, UTC. */
  occurredAt: z.string(),
  /** The organisation whose staff (or system) used the data; never the employee. */
  organisation: z.string().nullable(),
  /** The roles the employee held at the time (code names); never a name or a username. */
  roles: z.array(z.string()),
  purpose: AccessPurpose,
  kind: AccessKind,
  /** The citizen's question about this entry, if asked. */
  question: LookupQuestionState.nullable(),
});
export type AccessLogEntry = z.infer<typeof AccessLogEntry>;

export const AccessLogPage = z.object({
  items: z.array(AccessLogEntry),
  nextCursor: z.string().nullable(),
});
export type AccessLogPage = z.infer<typeof AccessLogPage>;

export const AskLookupQuestion = z
  .object({
    /** Optional words of the citizen's own. */
    message: Text(1000).nullable().optional(),
  })
  .strict();
export type AskLookupQuestion = z.infer<typeof AskLookupQuestion>;

export const EntryParams = z.object({ entryId: EntryId });

// The staff side: the dpo's queue and answer.

export const LookupQuestionQuery = z
  .object({
    /** `open`: not yet answered (the default); `all`. */
    state: z.enum(['open', 'all']).default('open'),
    cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'a cursor from nextCursor').optional(),
    limit: Limit(20, 100),
  })
  .strict();
export type LookupQuestionQuery = z.infer<typeof LookupQuestionQuery>;

export const LookupQuestionItem = z.object({
  id: Id,
  askedAt: z.string(),
  citizenId: Id,
  message: z.string().nullable(),
  /** The entry asked about, as the dpo's own log shows it; null when the row has since been purged. */
  entry: z
    .object({
      seq: z.number().int(),
      occurredAt: z.string(),
      actorUsername: z.string().nullable(),
      actorRoles: z.array(z.string()),
      action: z.string(),
      purpose: z.string(),
      resourceType: z.string(),
    })
    .nullable(),
  entrySeq: z.number().int(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
});
export type LookupQuestionItem = z.infer<typeof LookupQuestionItem>;

export const LookupQuestionPage = z.object({ items: z.array(LookupQuestionItem), nextCursor: z.string().nullable() });
export type LookupQuestionPage = z.infer<typeof LookupQuestionPage>;

export const AnswerLookupQuestion = z.object({ answer: Text(4000) }).strict();
export type AnswerLookupQuestion = z.infer<typeof AnswerLookupQuestion>;

export const DeferNotice = z
  .object({
    ground: z.enum(['sdl_43_4', 'dbl_22']),
    reason: Text(2000),
    /** The last day of the deferral: the entry shows in the citizen's log from the day after (none: until lifted). */
    until: DateInput.nullable().optional(),
  })
  .strict();
export type DeferNotice = z.infer<typeof DeferNotice>;

export const Deferral = z.object({
  id: Id,
  auditSeq: z.number().int(),
  ground: z.enum(['sdl_43_4', 'dbl_22']),
  deferredAt: z.string(),
  liftedAt: z.string().nullable(),
  /** The last day of the deferral (YYYY-MM-DD); null: until lifted. */
  until: z.string().nullable(),
});
export type Deferral = z.infer<typeof Deferral>;

export const DeferralQuery = z
  .object({
    /** `active`: not lifted and not past its last day (the default); `all`. */
    state: z.enum(['active', 'all']).default('active'),
    cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'a cursor from nextCursor').optional(),
    limit: Limit(20, 100),
  })
  .strict();
export type DeferralQuery = z.infer<typeof DeferralQuery>;

export const DeferralItem = Deferral.extend({
  citizenId: Id,
  reason: z.string(),
  /** Whether the deferral still hides the entry from the citizen. */
  active: z.boolean(),
});
export type DeferralItem = z.infer<typeof DeferralItem>;

export const DeferralPage = z.object({ items: z.array(DeferralItem), nextCursor: z.string().nullable() });
export type DeferralPage = z.infer<typeof DeferralPage>;
