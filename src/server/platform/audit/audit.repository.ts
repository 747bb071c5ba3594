// SQL for searching an organisation's audit log, newest first.
import type { Kysely } from 'kysely';
import type { AuditQuery } from '../../../contracts/audit.ts';
import type { Database } from '../../db/schema.ts';

/** Rows about the organisation's data, or done by its staff. */
export function searchAudit(db: Kysely<Database>, organisationId: string, q: AuditQuery) {
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('organisations as o', 'o.id', 'a.actor_organisation_id')
    .select([
      'a.seq',
      'a.occurred_at',
      'a.actor_username',
      'o.name as actor_organisation',
      'a.actor_roles',
      'a.action',
      'a.purpose',
      'a.resource_type',
      'a.resource_id',
      'a.citizen_id',
      'a.outcome',
      'a.criteria',
      'a.hash',
    ])
    .where((eb) => eb.or([eb('a.organisation_id', '=', organisationId), eb('a.actor_organisation_id', '=', organisationId)]));
  if (q.from) query = query.where('a.occurred_at', '>=', new Date(`${q.from}T00:00:00Z`));
  if (q.to) query = query.where('a.occurred_at', '<', new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000));
  if (q.action) query = query.where('a.action', '=', q.action);
  if (q.outcome) query = query.where('a.outcome', '=', q.outcome);
  if (q.actor) query = query.where((eb) => eb(eb.fn('lower', ['a.actor_username']), '=', q.actor!.toLowerCase()));
  if (q.citizenId) query = query.where('a.citizen_id', '=', q.citizenId);
  if (q.category === 'accounts') query = query.where('a.action', 'in', ['grant-role', 'revoke-role', 'reset-password']);
  if (q.category === 'hidden-cpr-lookups') query = query.where('a.action', '=', 'cpr-lookup').where('a.outcome', '=', 'denied');
  if (q.cursor) query = query.where('a.seq', '<', Number(q.cursor));
  return query.orderBy('a.seq', 'desc').limit(q.limit + 1).execute();
}
