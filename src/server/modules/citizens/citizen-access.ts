// The citizen side of the access chokepoint: what a caller may see (for list queries) and the check for
// one citizen (for everything else). Both derive from the same policy table.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess, type CitizenRelations } from '../../platform/access/access.ts';
import { CITIZEN_RELATION, POLICY, type Action } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditAction } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import * as repo from './citizens.repository.ts';
import type { ReferenceData } from './reference-data.ts';

type Tx = Transaction<Database>;
const PURPOSE = 'case_work' as const;

export async function visibilityScope(tx: Tx, reference: ReferenceData, actor: Actor, today: string): Promise<repo.VisibilityScope> {
  const seeAll = await reference.consultantsSeeAll(tx, actor.referenceVersion);
  const wide = new Set<string>();
  const team = new Set<string>();
  for (const g of actor.roles) {
    if (!g.programmeId) continue;
    const relation = CITIZEN_RELATION[g.role];
    if (relation === 'programme' || (relation === 'team-or-setting' && seeAll.has(g.programmeId))) wide.add(g.programmeId);
    if (relation === 'team' || relation === 'team-or-setting') team.add(g.programmeId);
  }
  const caseRoles: readonly string[] = POLICY['citizen:read'].roles;
  const ownUnenrolled = actor.roles.some((g) => g.programmeId !== null && caseRoles.includes(g.role));
  return { userId: actor.userId, organisationId: actor.organisationId, wideProgrammeIds: [...wide], teamProgrammeIds: [...team], ownUnenrolled, today };
}

/**
 * Loads what the chokepoint needs and asks it; unknown ids are refused the same way as foreign ones.
 * With `programmeId`, only a relation through that programme counts (changing one programme's enrolment).
 */
export async function requireCitizenAccess(tx: Tx, actor: Actor, citizenId: string, permission: Action, auditAction: AuditAction, programmeId?: string) {
  const today = dateInCopenhagen();
  const rel = await repo.citizenRelations(tx, citizenId, today);
  if (!rel) {
    throw new AccessDenied({ actor, organisationId: null, action: auditAction, purpose: PURPOSE, resourceType: 'citizen', resourceId: citizenId, outcome: 'denied', criteria: { reason: 'unknown id' } });
  }
  const enrolments = programmeId ? rel.enrolments.filter((e) => e.programmeId === programmeId) : rel.enrolments;
  const relations: CitizenRelations = { createdBy: rel.createdBy, enrolments };
  requireAccess(actor, permission, { type: 'citizen', id: citizenId, citizenId, organisationId: rel.organisationId, citizen: relations }, { action: auditAction, purpose: PURPOSE });
  return { organisationId: rel.organisationId, relations, today };
}

