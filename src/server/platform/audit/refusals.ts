// Every refusal that concerns personal data or a session leaves an audit row. A service's refusal inside a
// transaction carries its own row (written after the rollback); any other 403 — a failed CSRF check, a
// temporary password, a refusal thrown outside a transaction — gets a generic denied row here, in its own
// transaction, from the app's error path.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DomainError } from '../errors.ts';
import { recordAudit, type AuditAction, type AuditEntry } from './audit.ts';

const AUDITED = Symbol('audited');

/** Marks an error whose audit row has been written, so the error path does not write a second one. */
export function markAudited(error: unknown): void {
  if (typeof error === 'object' && error !== null) (error as { [AUDITED]?: boolean })[AUDITED] = true;
}

function isAudited(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [AUDITED]?: boolean })[AUDITED] === true;
}

const ACTION_OF_METHOD: Record<string, AuditAction> = { GET: 'read', HEAD: 'read', POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

/** The denied row for a 403 that no service audited. */
export function refusalEntry(request: FastifyRequest, error: DomainError & { reason?: string; auditAfterRollback?: AuditEntry }): AuditEntry {
  if (error.auditAfterRollback) return error.auditAfterRollback;
  const session = request.session;
  return {
    actor: session?.actor ?? null,
    organisationId: session?.actor.organisationId ?? null,
    action: ACTION_OF_METHOD[request.method] ?? 'read',
    purpose: 'authentication',
    resourceType: 'session',
    resourceId: session?.actor.userId ?? null,
    outcome: 'denied',
    // The route pattern, never the URL: a URL may carry a search text.
    criteria: { reason: error.reason ?? error.code, method: request.method, route: request.routeOptions.url ?? null },
  };
}

export async function auditRefusal(db: Kysely<Database>, request: FastifyRequest, error: DomainError): Promise<void> {
  if (error.status !== 403 || isAudited(error)) return;
  await recordAudit(db, refusalEntry(request, error));
  markAudited(error);
}
