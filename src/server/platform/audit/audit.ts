// Writes audit rows inside the caller's transaction; the sealer chains them afterwards.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { roleNames, type Actor } from '../actor.ts';

export type AuditAction =
  | 'read'
  | 'search'
  | 'create'
  | 'update'
  | 'delete'
  | 'export'
  | 'login'
  | 'logout'
  | 'change-password'
  | 'reveal-cpr'
  | 'purge'
  | 'accept-break'
  // An answer that told the caller whether a CPR number is on file (e.g. a refused duplicate).
  | 'cpr-lookup'
  // An administrator gave or took a role, or chose a user's (temporary) password.
  | 'grant-role'
  | 'revoke-role'
  | 'reset-password';

export type AuditPurpose =
  | 'authentication'
  | 'case_work'
  | 'programme_management'
  | 'administration'
  | 'supervision'
  | 'research'
  | 'self_service'
  | 'retention';

export interface AuditEntry {
  actor: Actor | null;
  /** Used when there is no logged-in actor, e.g. a failed login. */
  actorUsername?: string;
  /** With `actorUsername`, when the attempt names a known user of this organisation. */
  actorOrganisationId?: string | null;
  /** The roles of an actor who is no staff member (e.g. `citizen` for the portal's own account). */
  actorRoles?: string[];
  /** The data controller whose log this row belongs to. */
  organisationId: string | null;
  action: AuditAction;
  purpose: AuditPurpose;
  resourceType: string;
  resourceId?: string | null;
  citizenId?: string | null;
  outcome: 'success' | 'denied' | 'failure';
  criteria?: Record<string, unknown> | null;
}

export type Executor = Kysely<Database> | Transaction<Database>;

export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await recordAuditMany(tx, [entry]);
}

/** One insert for many rows, e.g. one row per citizen concerned by a bulk action. */
export async function recordAuditMany(tx: Executor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const at = new Date();
  await tx
    .insertInto('audit_log')
    .values(entries.map((entry) => ({
      occurred_at: at,
      organisation_id: entry.organisationId,
      actor_user_id: entry.actor?.userId ?? null,
      actor_username: entry.actor?.username ?? entry.actorUsername ?? null,
      actor_organisation_id: entry.actor?.organisationId ?? entry.actorOrganisationId ?? null,
      actor_roles: entry.actor ? roleNames(entry.actor) : (entry.actorRoles ?? []),
      action: entry.action,
      purpose: entry.purpose,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId ?? null,
      citizen_id: entry.citizenId ?? null,
      outcome: entry.outcome,
      criteria: entry.criteria ? JSON.stringify(entry.criteria) : null,
    })))
    .execute();
}
