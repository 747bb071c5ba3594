// Contracts for the data-protection officer's search of the audit log.
import { z } from 'zod';
import { DateInput, Id, Limit, Text } from './common.ts';

export const AUDIT_CATEGORIES = ['accounts', 'hidden-cpr-lookups'] as const;

export const AuditQuery = z
  .object({
    from: DateInput.optional(),
    to: DateInput.optional(),
    action: Text(40, 0).optional(),
    outcome: z.enum(['success', 'denied', 'failure']).optional(),
    actor: Text(100, 0).optional(),
    citizenId: Id.optional(),
    /** `accounts`: roles given or taken and passwords chosen by an administrator; `hidden-cpr-lookups`: CPR look-ups that found someone the caller may not see. */
    category: z.enum(AUDIT_CATEGORIES).optional(),
    cursor: z.string().regex(/^\d{1,15}$/).optional(),
    limit: Limit(50, 200),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditRow = z.object({
  seq: z.number().int(),
  occurredAt: z.string(),
  actorUsername: z.string().nullable(),
  actorOrganisation: z.string().nullable(),
  actorRoles: z.array(z.string()),
  action: z.string(),
  purpose: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  citizenId: z.string().nullable(),
  outcome: z.enum(['success', 'denied', 'failure']),
  criteria: z.record(z.string(), z.unknown()).nullable(),
  sealed: z.boolean(),
});
export type AuditRow = z.infer<typeof AuditRow>;

export const AuditPage = z.object({
  items: z.array(AuditRow),
  nextCursor: z.string().nullable(),
  /** 'halted' when the audit chain stopped sealing because the table no longer matches its signed head. */
  sealing: z.enum(['ok', 'halted']),
});
