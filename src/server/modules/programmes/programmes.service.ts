// Programme rules: who sees which programme, and its facts as one document.
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { ProgrammeDetail, ProgrammeStaff, ProgrammeSummary, UpdateProgrammeSettingsRequest } from '../../../contracts/programmes.ts';
import { Conflict } from '../../platform/errors.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor, Role } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { inTransaction } from '../../platform/transaction.ts';
import * as repo from './programmes.repository.ts';

const AUDIT = { action: 'read', purpose: 'programme_management' } as const;

export async function listProgrammes(db: Kysely<Database>, actor: Actor): Promise<ProgrammeSummary[]> {
  return inTransaction(db, async (tx) => {
    const rows = await repo.programmesOfUser(tx, actor.userId);
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      ...AUDIT,
      resourceType: 'programme',
      outcome: 'success',
      criteria: { list: 'mine', count: rows.length },
    });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      capacity: r.capacity,
      myRoles: [...new Set(r.roles)].sort() as Role[],
      isDemo: r.is_demo,
    }));
  });
}

export async function getProgramme(db: Kysely<Database>, actor: Actor, id: string): Promise<ProgrammeDetail> {
  return inTransaction(db, (tx) => readProgramme(tx, actor, id));
}

async function readProgramme(tx: Transaction<Database>, actor: Actor, id: string): Promise<ProgrammeDetail> {
  const p = await repo.programmeById(tx, id);
  if (!p) {
    throw new AccessDenied({ actor, organisationId: null, ...AUDIT, resourceType: 'programme', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
  }
  requireAccess(actor, 'programme:read', { type: 'programme', id, organisationId: p.organisation_id, programmeId: id }, AUDIT);
  const facts = await repo.programmeFacts(tx, id);
  await recordAudit(tx, { actor, organisationId: p.organisation_id, ...AUDIT, resourceType: 'programme', resourceId: id, outcome: 'success' });
  return {
    id: p.id,
    name: p.name,
    summary: { da: p.summary_da, en: p.summary_en },
    owner: { id: p.organisation_id, name: p.owner_name, kind: p.owner_kind },
    startsOn: p.starts_on,
    endsOn: p.ends_on,
    capacity: p.capacity,
    activeCitizens: facts.activeCitizens,
    caseloadCeiling: p.caseload_ceiling,
    consultantsSeeAll: p.consultants_see_all,
    showNotesToCitizen: p.show_notes_to_citizen,
    version: p.version,
    isDemo: p.is_demo,
    myRoles: [...new Set(actor.roles.filter((g) => g.programmeId === id).map((g) => g.role))].sort(),
    partners: facts.partners.map((o) => ({ id: o.id, name: o.name, kind: o.kind, role: o.role })),
    phases: facts.phases.map((ph) => ({
      id: ph.id,
      position: ph.position,
      name: { da: ph.name_da, en: ph.name_en },
      responsible: ph.responsible,
      startsOn: ph.starts_on,
      endsOn: ph.ends_on,
    })),
    targets: facts.targets.map((t) => ({ outcome: t.outcome, targetPercent: Number(t.target_percent) })),
    targetGroups: facts.targetGroups.map((g) => ({ benefitCode: g.benefit_code, plannedCount: g.planned_count })),
    budgetLines: facts.budgetLines.map((b) => ({ id: b.id, year: b.year, purpose: b.purpose, funder: b.funder, amountOere: Number(b.amount_oere) })),
  };
}

/** The programme's case staff who can join the caller's teams (names and roles); members of the programme only. */
export async function getProgrammeStaff(db: Kysely<Database>, actor: Actor, id: string): Promise<ProgrammeStaff> {
  return inTransaction(db, async (tx) => {
    const p = await repo.programmeById(tx, id);
    if (!p) {
      throw new AccessDenied({ actor, organisationId: null, ...AUDIT, resourceType: 'programme_staff', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    requireAccess(actor, 'programme:read', { type: 'programme_staff', id, organisationId: p.organisation_id, programmeId: id }, AUDIT);
    const rows = await repo.programmeStaff(tx, id, actor.organisationId);
    await recordAudit(tx, { actor, organisationId: p.organisation_id, ...AUDIT, resourceType: 'programme_staff', resourceId: id, outcome: 'success' });
    return { items: rows.map((r) => ({ id: r.id, name: r.name, organisation: r.organisation, roles: [...new Set(r.roles)].sort() as Role[] })) };
  });
}

/** The programme manager sets the caseload ceiling and whether consultants see all the programme's citizens. */
export async function updateProgrammeSettings(db: Kysely<Database>, actor: Actor, id: string, input: z.infer<typeof UpdateProgrammeSettingsRequest>) {
  return inTransaction(db, async (tx) => {
    const p = await repo.programmeById(tx, id);
    const audit = { action: 'update', purpose: 'programme_management' } as const;
    if (!p) throw new AccessDenied({ actor, organisationId: null, ...audit, resourceType: 'programme', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
    requireAccess(actor, 'programme:configure', { type: 'programme', id, organisationId: p.organisation_id, programmeId: id }, audit);
    const updated = await repo.updateSettings(tx, id, input.version, {
      ...(input.caseloadCeiling !== undefined ? { caseload_ceiling: input.caseloadCeiling } : {}),
      ...(input.consultantsSeeAll !== undefined ? { consultants_see_all: input.consultantsSeeAll } : {}),
      ...(input.showNotesToCitizen !== undefined ? { show_notes_to_citizen: input.showNotesToCitizen } : {}),
    });
    if (!updated) throw new Conflict('The programme was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    await recordAudit(tx, { actor, organisationId: p.organisation_id, ...audit, resourceType: 'programme', resourceId: id, outcome: 'success', criteria: { fields: Object.keys(input).filter((k) => k !== 'version') } });
    return readProgramme(tx, actor, id);
  });
}
