// Research exports ("Dataudtræk", issue 12 point 5): requested by a study's named researcher, made on the job queue
// (queued → running → scanning → ready | blocked), downloaded as a zip for 14 days.
import { z } from 'zod';
import { Cursor, Id, Limit, UserRef } from './common.ts';

export const ExportFormat = z.enum(['csv', 'redcap']);
export const ExportStatus = z.enum(['queued', 'running', 'scanning', 'ready', 'blocked']);

/** `{}`: every variable the study is approved for, as CSV. */
export const ExportRequest = z
  .object({
    /** A subset of the study's approved variables (`<file>.<variable>`); none: all of them. */
    variables: z.array(z.string().min(1).max(100)).min(1).max(200).optional(),
    format: ExportFormat.optional(),
  })
  .strict();
export type ExportRequest = z.infer<typeof ExportRequest>;

export const ExportCreated = z.object({ id: Id });

export const ExportAnonymisation = z.object({
  k: z.number().int(),
  /** 0: as agreed; higher: birth year in bands, dates coarser. */
  level: z.number().int(),
  generalised: z.array(z.string()),
  suppressedRecords: z.number().int(),
});

/** Why an export was blocked (for the study's programme managers and dpos): the file and variable, never the value. */
export const ExportBlocked = z.object({
  /** `study_ended`: the study passed its end date before the job ran, so its date offsets could no longer be derived. */
  reason: z.enum(['identifier_found', 'k_anonymity', 'study_ended']),
  kind: z.string().nullable(),
  file: z.string().nullable(),
  variable: z.string().nullable(),
});

export const StudyExport = z.object({
  id: Id,
  studyId: Id,
  format: ExportFormat,
  variables: z.array(z.string()),
  status: ExportStatus,
  progress: z.number().int(),
  /** Rows per file (once made). */
  rowCounts: z.record(z.string(), z.number().int()),
  anonymisation: ExportAnonymisation.nullable(),
  /** Only for the study's programme managers and dpos; null for researchers and while not blocked. */
  blocked: ExportBlocked.nullable(),
  requestedBy: UserRef,
  requestedAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** Expired or deleted: the download answers 410. */
  expired: z.boolean(),
  /** Whether the caller may download it now (a named researcher, ready, not expired). */
  canDownload: z.boolean(),
});
export type StudyExport = z.infer<typeof StudyExport>;

export const StudyExportPage = z.object({ items: z.array(StudyExport), nextCursor: z.string().nullable() });
export const StudyExportListQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();
