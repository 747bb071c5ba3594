// The data-protection officer's search of the audit log; each search is itself logged.
import type { Kysely } from 'kysely';
import type { AuditQuery, AuditRow } from '../../../contracts/audit.ts';
import type { Database } from '../../db/schema.ts';
import { requireAccess } from '../access/access.ts';
import type { Actor } from '../actor.ts';
import { maskCprLike } from '../masking.ts';
import { inTransaction } from '../transaction.ts';
import { recordAudit } from './audit.ts';
import { auditSealingState } from './chain.ts';
import { searchAudit } from './audit.repository.ts';

export async function searchAuditLog(db: Kysely<Database>, actor: Actor, query: AuditQuery) {
  return inTransaction(db, async (tx) => {
    requireAccess(actor, 'audit:read', { type: 'audit_log', organisationId: actor.organisationId }, { action: 'search', purpose: 'supervision' });
    const rows = await searchAudit(tx, actor.organisationId, query);
    const page = rows.slice(0, query.limit);
    const { limit: _limit, ...criteria } = query;
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'search',
      purpose: 'supervision',
      resourceType: 'audit_log',
      citizenId: query.citizenId ?? null,
      outcome: 'success',
      // The free-text fields may hold a CPR number typed by mistake: stored masked.
      criteria: { ...criteria, ...(criteria.actor ? { actor: maskCprLike(criteria.actor) } : {}), ...(criteria.action ? { action: maskCprLike(criteria.action) } : {}), count: page.length },
    });
    const items: AuditRow[] = page.map((r) => ({
      seq: r.seq,
      occurredAt: new Date(r.occurred_at).toISOString(),
      actorUsername: r.actor_username,
      actorOrganisation: r.actor_organisation,
      actorRoles: r.actor_roles,
      action: r.action,
      purpose: r.purpose,
      resourceType: r.resource_type,
      resourceId: r.resource_id,
      citizenId: r.citizen_id,
      outcome: r.outcome,
      criteria: r.criteria,
      sealed: r.hash !== null,
    }));
    const last = page[page.length - 1];
    const sealing = (await auditSealingState(tx)).state;
    return { items, nextCursor: rows.length > query.limit && last ? String(last.seq) : null, sealing };
  });
}
