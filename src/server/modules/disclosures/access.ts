// What the disclosure routes need to know of one record of a person, in one statement: the owner and its
// kind, the keyed CPR hash (the only link to the other organisation's record), the relations the chokepoint
// decides on and, for a disclosure, the recipient organisation's own record of the same person.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, decide, requireAccess, type CitizenRelations, type Resource } from '../../platform/access/access.ts';
import type { Action } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditAction } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { enrolmentRelations } from '../citizens/citizens.repository.ts';

type Tx = Transaction<Database>;
export const PURPOSE = 'case_work' as const;

export interface PersonRecord {
  id: string;
  organisationId: string;
  organisationName: string;
  organisationKind: string;
  name: string;
  personHash: string;
  relations: CitizenRelations;
  /** The recipient organisation's record of the same person, when one was asked for. */
  recipient: { organisationName: string | null; organisationKind: string | null; citizenId: string | null } | null;
  today: string;
}

export async function personRecord(tx: Tx, actor: Actor, citizenId: string, auditAction: AuditAction, recipientOrganisationId?: string): Promise<PersonRecord> {
  const today = dateInCopenhagen();
  const recipient = recipientOrganisationId ?? null;
  const { rows } = await sql<{
    organisation_id: string;
    organisation_name: string;
    organisation_kind: string;
    created_by: string;
    cpr_hash: string;
    name: string;
    enrolments: CitizenRelations['enrolments'];
    recipient_name: string | null;
    recipient_kind: string | null;
    recipient_citizen_id: string | null;
  }>`
    select c.organisation_id, o.name as organisation_name, o.kind as organisation_kind, c.created_by, c.cpr_hash,
           c.first_name || ' ' || c.last_name as name,
           ${enrolmentRelations(today)} as enrolments,
           (select r.name from organisations r where r.id = ${recipient}::uuid) as recipient_name,
           (select r.kind from organisations r where r.id = ${recipient}::uuid) as recipient_kind,
           (select t.id from citizens t where t.organisation_id = ${recipient}::uuid and t.cpr_hash = c.cpr_hash) as recipient_citizen_id
      from citizens c join organisations o on o.id = c.organisation_id
     where c.id = ${citizenId}`.execute(tx);
  const row = rows[0];
  if (!row) {
    throw new AccessDenied({ actor, organisationId: null, action: auditAction, purpose: PURPOSE, resourceType: 'citizen', resourceId: citizenId, outcome: 'denied', criteria: { reason: 'unknown id' } });
  }
  return {
    id: citizenId,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    organisationKind: row.organisation_kind,
    name: row.name,
    personHash: row.cpr_hash,
    relations: { createdBy: row.created_by, enrolments: row.enrolments },
    recipient: recipient ? { organisationName: row.recipient_name, organisationKind: row.recipient_kind, citizenId: row.recipient_citizen_id } : null,
    today,
  };
}

export function citizenResource(p: PersonRecord): Resource {
  return { type: 'citizen', id: p.id, citizenId: p.id, organisationId: p.organisationId, citizen: p.relations };
}

/** Asks the chokepoint; a refusal is an audited 404. */
export function requirePerson(actor: Actor, p: PersonRecord, permission: Action, auditAction: AuditAction): void {
  requireAccess(actor, permission, citizenResource(p), { action: auditAction, purpose: PURPOSE });
}

export function allows(actor: Actor, p: PersonRecord, permission: Action): boolean {
  return decide(actor, permission, citizenResource(p)).allowed;
}
