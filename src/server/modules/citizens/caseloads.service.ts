// Caseloads per resource consultant for the programme manager, and handing a caseload over, for good or
// to a substitute for a period that ends by itself.
import type { z } from 'zod';
import type { HandoverRequest } from '../../../contracts/citizens.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany } from '../../platform/audit/audit.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { Invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import type { CitizenDeps } from './citizens.service.ts';
import * as repo from './citizens.repository.ts';

/** The IPS model's guidance: at most 20 citizens per employment specialist. */
export const RECOMMENDED_CASELOAD = 20;

async function requireProgramme(tx: Parameters<Parameters<typeof inTransaction>[1]>[0], actor: Actor, programmeId: string, permission: 'caseload:read' | 'caseload:handover', action: 'read' | 'update') {
  const programme = await repo.programmeForEnrolment(tx, programmeId);
  if (!programme) {
    throw new AccessDenied({ actor, organisationId: null, action, purpose: 'programme_management', resourceType: 'caseload', resourceId: programmeId, outcome: 'denied', criteria: { reason: 'unknown id' } });
  }
  requireAccess(actor, permission, { type: 'caseload', id: programmeId, organisationId: programme.organisation_id, programmeId }, { action, purpose: 'programme_management' });
  return programme;
}

export async function caseloads(deps: CitizenDeps, actor: Actor, programmeId: string) {
  return inTransaction(deps.db, async (tx) => {
    const programme = await requireProgramme(tx, actor, programmeId, 'caseload:read', 'read');
    const today = dateInCopenhagen();
    const [counts, substitutes, active] = await Promise.all([
      repo.caseloadCounts(tx, programmeId, today),
      repo.substitutesToday(tx, programmeId, today),
      repo.activeCount(tx, programmeId),
    ]);
    await recordAudit(tx, { actor, organisationId: programme.organisation_id, action: 'read', purpose: 'programme_management', resourceType: 'caseload', resourceId: programmeId, outcome: 'success' });
    return {
      programmeId,
      ceiling: programme.caseload_ceiling,
      recommendedMax: RECOMMENDED_CASELOAD,
      capacity: programme.capacity,
      activeInProgramme: active,
      consultants: counts.map((c) => ({
        user: { id: c.id, name: c.name },
        active: Number(c.active),
        paused: Number(c.paused),
        referred: Number(c.referred),
        substituteFor: substitutes.filter((s) => s.user_id === c.id).map((s) => ({ id: s.substitute_for!, name: s.substitute_for_name })),
      })),
    };
  });
}

export async function handOver(deps: CitizenDeps, actor: Actor, programmeId: string, input: z.infer<typeof HandoverRequest>) {
  return inTransaction(deps.db, async (tx) => {
    await requireProgramme(tx, actor, programmeId, 'caseload:handover', 'update');
    const staff = await repo.programmeStaff(tx, programmeId, await repo.partnerOrganisationIds(tx, programmeId), [input.fromUserId, input.toUserId]);
    // The receiver works for the organisation whose citizens these are.
    const isConsultant = (id: string) => staff.some((s) => s.user_id === id && s.role === 'resource_consultant' && s.organisation_id === actor.organisationId);
    if (!isConsultant(input.toUserId)) throw new Invalid('The receiver is not a resource consultant in the programme', [{ path: 'toUserId', message: 'not_resource_consultant_in_programme' }]);
    if (input.validTo && input.validTo < input.validFrom) throw new Invalid('The end is before the start', [{ path: 'validTo', message: 'before_start' }]);
    const caseload = await repo.caseloadOf(tx, programmeId, actor.organisationId, input.fromUserId, input.validFrom);
    if (input.kind === 'permanent') {
      // The old membership ends the day before; one that only starts that day ends the same day.
      for (const m of caseload) await repo.endMemberships(tx, [m.member_id], m.valid_from >= input.validFrom ? m.valid_from : addDays(input.validFrom, -1));
    }
    await repo.insertTeamMembers(
      tx,
      caseload.map((m) => ({
        organisation_id: m.organisation_id,
        enrolment_id: m.enrolment_id,
        user_id: input.toUserId,
        role: 'resource_consultant' as const,
        kind: input.kind,
        substitute_for: input.kind === 'substitute' ? input.fromUserId : null,
        valid_from: input.validFrom,
        valid_to: input.kind === 'substitute' ? input.validTo! : null,
        created_by: actor.userId,
      })),
    );
    const data = JSON.stringify({ handover: input.kind, from: input.fromUserId, to: input.toUserId, validFrom: input.validFrom, validTo: input.validTo ?? null });
    await repo.insertEvents(tx, caseload.map((m) => ({ organisation_id: m.organisation_id, citizen_id: m.citizen_id, kind: 'team.changed', ref_id: m.enrolment_id, actor_id: actor.userId, data })));
    await recordAuditMany(
      tx,
      caseload.map((m) => ({
        actor,
        organisationId: m.organisation_id,
        action: 'update' as const,
        purpose: 'programme_management' as const,
        resourceType: 'team',
        resourceId: m.enrolment_id,
        citizenId: m.citizen_id,
        outcome: 'success' as const,
        criteria: { handover: input.kind, from: input.fromUserId, to: input.toUserId },
      })),
    );
    return { enrolmentsHandedOver: caseload.length };
  });
}
