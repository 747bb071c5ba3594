// The one access chokepoint: every read or write of protected data asks `decide`/`require` first.
// Deny by default; a refusal surfaces as 404 so that ids cannot be probed, and is audited.
import type { Actor } from '../actor.ts';
import type { AuditEntry } from '../audit/audit.ts';
import { CITIZEN_RELATION, POLICY, type Action, type Rule } from './policy.ts';

/** What the chokepoint needs to know of a citizen's case to decide. */
export interface CitizenRelations {
  createdBy: string;
  enrolments: {
    programmeId: string;
    /** Whether the programme lets its resource consultants see all its citizens. */
    consultantsSeeAll: boolean;
    /** Users on the team today, substitutes included. */
    teamUserIds: string[];
  }[];
}

export interface Resource {
  type: string;
  id?: string | null;
  /** The data controller that owns the record. */
  organisationId: string;
  /** The programme the record belongs to, where it belongs to one. */
  programmeId?: string | null;
  /** The user the record is, for `self` scope. */
  userId?: string | null;
  citizenId?: string | null;
  citizen?: CitizenRelations;
}

/**
 * Shared access across organisations (DOMAIN.md "two doors") plugs in here: a consent that covers the
 * actor, the resource and the purpose. No consent exists yet, so another organisation's personal data
 * stays closed.
 */
export type SharedAccessCheck = (actor: Actor, action: Action, resource: Resource) => boolean;
export const noSharedAccess: SharedAccessCheck = () => false;

export type Decision = { allowed: true; via: 'own-organisation' | 'programme' | 'self' | 'shared' } | { allowed: false; reason: string };

function rolesMatch(rule: Rule, role: string): boolean {
  return rule.roles === 'any' || (rule.roles as readonly string[]).includes(role);
}

export function decide(
  actor: Actor | null,
  action: Action,
  resource: Resource,
  sharedAccess: SharedAccessCheck = noSharedAccess,
): Decision {
  if (!actor) return { allowed: false, reason: 'not logged in' };
  const rule: Rule = POLICY[action];
  switch (rule.scope) {
    case 'self':
      return resource.userId === actor.userId ? { allowed: true, via: 'self' } : { allowed: false, reason: 'not own account' };
    case 'organisation': {
      const hasRole = actor.roles.some((g) => g.programmeId === null && rolesMatch(rule, g.role));
      if (!hasRole) return { allowed: false, reason: 'role' };
      if (actor.organisationId === resource.organisationId) return { allowed: true, via: 'own-organisation' };
      return sharedAccess(actor, action, resource) ? { allowed: true, via: 'shared' } : { allowed: false, reason: 'other organisation' };
    }
    case 'any-programme': {
      const member = actor.roles.some((g) => g.programmeId !== null && rolesMatch(rule, g.role));
      if (!member) return { allowed: false, reason: 'role' };
      return actor.organisationId === resource.organisationId ? { allowed: true, via: 'own-organisation' } : { allowed: false, reason: 'other organisation' };
    }
    case 'citizen':
    case 'citizen-team': {
      const c = resource.citizen;
      if (!c) return { allowed: false, reason: 'no citizen' };
      if (actor.organisationId !== resource.organisationId) {
        return sharedAccess(actor, action, resource) ? { allowed: true, via: 'shared' } : { allowed: false, reason: 'other organisation' };
      }
      if (c.enrolments.length === 0) {
        if (rule.scope === 'citizen-team') return { allowed: false, reason: 'not enrolled' };
        // Not yet enrolled: only the staff member who created the record, while they still hold a case role.
        const caseRole = actor.roles.some((g) => g.programmeId !== null && rolesMatch(rule, g.role));
        return c.createdBy === actor.userId && caseRole ? { allowed: true, via: 'own-organisation' } : { allowed: false, reason: 'not enrolled' };
      }
      const reaches = c.enrolments.some((e) =>
        actor.roles.some((g) => {
          if (g.programmeId !== e.programmeId || !rolesMatch(rule, g.role)) return false;
          const relation = CITIZEN_RELATION[g.role];
          const onTeam = e.teamUserIds.includes(actor.userId);
          if (rule.scope === 'citizen-team') return onTeam && relation !== undefined;
          return relation === 'programme' || (relation === 'team' && onTeam) || (relation === 'team-or-setting' && (onTeam || e.consultantsSeeAll));
        }),
      );
      return reaches ? { allowed: true, via: 'programme' } : { allowed: false, reason: 'no relation' };
    }
    case 'programme':
    case 'programme-owner': {
      if (!resource.programmeId) return { allowed: false, reason: 'no programme' };
      const member = actor.roles.some((g) => g.programmeId === resource.programmeId && rolesMatch(rule, g.role));
      if (!member) return { allowed: false, reason: 'not in programme' };
      if (rule.scope === 'programme-owner' && actor.organisationId !== resource.organisationId) return { allowed: false, reason: 'other organisation' };
      return { allowed: true, via: 'programme' };
    }
  }
}

/** Thrown by `requireAccess`; the transaction runner audits it as denied and answers 404. */
export class AccessDenied extends Error {
  constructor(readonly audit: AuditEntry) {
    super('access denied');
  }
}

export function requireAccess(
  actor: Actor | null,
  action: Action,
  resource: Resource,
  audit: Pick<AuditEntry, 'action' | 'purpose'>,
  sharedAccess: SharedAccessCheck = noSharedAccess,
): void {
  const decision = decide(actor, action, resource, sharedAccess);
  if (decision.allowed) return;
  throw new AccessDenied({
    actor,
    organisationId: resource.organisationId,
    action: audit.action,
    purpose: audit.purpose,
    resourceType: resource.type,
    resourceId: resource.id ?? null,
    citizenId: resource.citizenId ?? null,
    outcome: 'denied',
    criteria: { permission: action, reason: decision.reason },
  });
}
