// Who is making a request: the logged-in staff member with organisation and roles per programme.
import { RoleName } from '../../contracts/common.ts';

/** The role code names of DOMAIN.md; the list itself lives in the shared contracts. */
export const ROLES = RoleName.options;
export type Role = (typeof ROLES)[number];


export type RoleGrant = { role: Role; programmeId: string | null };

export interface Actor {
  userId: string;
  username: string;
  name: string;
  organisationId: string;
  roles: RoleGrant[];
  /**
   * The database's reference version, read with the session: reference data cached under it is current for
   * this request. Absent outside a request, where nothing is cached.
   */
  referenceVersion?: number;
}

export function roleNames(actor: Actor): string[] {
  return [...new Set(actor.roles.map((r) => r.role))].sort();
}

/** Roles an admin can give staff; citizens and company contacts are not staff. */
export const ASSIGNABLE_ROLES = ROLES.filter((r) => r !== 'citizen' && r !== 'company_contact');
