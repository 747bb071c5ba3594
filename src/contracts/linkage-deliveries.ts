// Register-linkage deliveries (issue 12 point 6; decision 0044): a study marked for register linkage is delivered by
// each disclosing organisation, keyed by CPR number, to Danmarks Statistik's research service. Requested and fetched
// by the organisation's programme manager of the study's programme; never by the study's researchers.
import { z } from 'zod';
import { Cursor, Id, Limit, UserRef } from './common.ts';

export const LinkageStatus = z.enum(['queued', 'running', 'ready', 'failed']);

/** `{}`: every approved variable (without pseudonyms and without the research-only questionnaires). */
export const LinkageRequest = z.object({}).strict();
export const LinkageCreated = z.object({ id: Id });

export const LinkageDelivery = z.object({
  id: Id,
  studyId: Id,
  organisation: z.object({ id: Id, name: z.string() }),
  variables: z.array(z.string()),
  status: LinkageStatus,
  progress: z.number().int(),
  /** Rows per file (once made). */
  rowCounts: z.record(z.string(), z.number().int()),
  /** Why it was not made: `study_ended` or `not_approved`. */
  failure: z.string().nullable(),
  requestedBy: UserRef,
  requestedAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** Expired or deleted (or the study ended): the download answers 410. */
  expired: z.boolean(),
  /** Whether the caller may fetch it now for the hand-over to Danmarks Statistik. */
  canDownload: z.boolean(),
});
export type LinkageDelivery = z.infer<typeof LinkageDelivery>;

export const LinkageDeliveryPage = z.object({ items: z.array(LinkageDelivery), nextCursor: z.string().nullable() });
export const LinkageDeliveryListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();
