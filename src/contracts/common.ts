// Schemas shared by several contracts: ids, dates, errors, pages.
import { z } from 'zod';
import { ROLE_NAMES } from './roles.ts';


export const Id = z.uuid();
export const IsoDate = z.iso.date();

export const Warning = z.object({
  code: z.string(),
  message: z.string(),
  /** The figures behind the warning, for the UI's own sentence (e.g. a period, a count and a capacity). */
  data: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type Warning = z.infer<typeof Warning>;

export const ErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  /** With 409 `warnings`: what the caller must acknowledge to go ahead. */
  warnings: z.array(Warning).optional(),
  /** With 409 on a duplicate: the existing record, where the caller may see it. */
  existingId: z.string().optional(),
  /** With 409 on a duplicate the caller may not see: whom in the organisation to contact about it. */
  contacts: z.array(z.object({ name: z.string(), role: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const RoleName = z.enum(ROLE_NAMES);
export type RoleName = z.infer<typeof RoleName>;


export const OrganisationKind = z.enum(['municipality', 'region', 'research', 'company', 'foundation']);

export const OrganisationRef = z.object({ id: Id, name: z.string(), kind: OrganisationKind });
export type OrganisationRef = z.infer<typeof OrganisationRef>;

export const CodeRef = z.object({ code: z.string(), label: z.object({ da: z.string(), en: z.string() }) });
export type CodeRef = z.infer<typeof CodeRef>;

export const UserRef = z.object({ id: Id, name: z.string() });
