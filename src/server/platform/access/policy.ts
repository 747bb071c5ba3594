// The access policy as data: which roles may do what, in which scope. Anything not listed is denied.
import type { Role } from '../actor.ts';

/**
 * Scopes:
 * - `organisation`: an organisation-wide role (admin, dpo) in the organisation that owns the resource.
 * - `programme`: a role in the programme the resource belongs to (programme facts are not personal data,
 *   so partners from every organisation in the programme read them).
 * - `self`: the actor's own account.
 */
export type Scope = 'organisation' | 'programme' | 'self';

export interface Rule {
  roles: readonly Role[] | 'any';
  scope: Scope;
}

const PROGRAMME_MEMBERS: readonly Role[] = [
  'resource_consultant',
  'caseworker',
  'job_consultant',
  'liaison',
  'clinician',
  'programme_manager',
  'steering_group',
  'researcher',
];

export const POLICY = {
  'programme:read': { roles: PROGRAMME_MEMBERS, scope: 'programme' },
  'user:read': { roles: ['admin'], scope: 'organisation' },
  'user:create': { roles: ['admin'], scope: 'organisation' },
  'user:update': { roles: ['admin'], scope: 'organisation' },
  'user:assign-role': { roles: ['admin'], scope: 'organisation' },
  'audit:read': { roles: ['dpo'], scope: 'organisation' },
  'account:change-password': { roles: 'any', scope: 'self' },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;
