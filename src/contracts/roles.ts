// The role code names of DOMAIN.md, as plain constants: the UI imports them without pulling in zod.
export const ROLE_NAMES = [
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
] as const;

/** Roles held for a whole organisation; every other role is held within a programme. */
export const ORGANISATION_ROLES: readonly (typeof ROLE_NAMES)[number][] = ['admin', 'dpo'];
