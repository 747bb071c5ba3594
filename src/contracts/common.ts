// Schemas shared by several contracts: ids, dates, errors, pages.
import { z } from 'zod';

export const Id = z.uuid();
export const IsoDate = z.iso.date();

export const ErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const RoleName = z.enum([
  'citizen',
  'resource_consultant',
  'caseworker',
  'job_consultant',
  'liaison',
  'clinician',
  'programme_manager',
  'steering_group',
  'researcher',
  'company_contact',
  'admin',
  'dpo',
]);
export type RoleName = z.infer<typeof RoleName>;

export const OrganisationKind = z.enum(['municipality', 'region', 'research', 'company', 'foundation']);

export const OrganisationRef = z.object({ id: Id, name: z.string(), kind: OrganisationKind });
export type OrganisationRef = z.infer<typeof OrganisationRef>;
