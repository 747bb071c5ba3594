// Runs a service's unit of work in one transaction; an access refusal rolls it back, is audited
// on its own, and answers 404. Other errors may carry an audit entry to write after the rollback.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AccessDenied } from './access/access.ts';
import { recordAudit, type AuditEntry } from './audit/audit.ts';
import { NotFound } from './errors.ts';
import { markAudited } from './audit/refusals.ts';

export async function inTransaction<T>(db: Kysely<Database>, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (error instanceof AccessDenied) {
      await recordAudit(db, error.audit);
      throw new NotFound();
    }
    // A refusal that itself tells something about a person (e.g. "this CPR number is on file") is logged too.
    const audit = (error as { auditAfterRollback?: AuditEntry }).auditAfterRollback;
    if (audit) {
      await recordAudit(db, audit);
      markAudited(error);
    }
    throw error;
  }
}
