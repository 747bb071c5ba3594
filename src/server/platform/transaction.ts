// Runs a service's unit of work in one transaction; an access refusal rolls it back, is audited
// on its own, and answers 404.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AccessDenied } from './access/access.ts';
import { recordAudit } from './audit/audit.ts';
import { NotFound } from './errors.ts';

export async function inTransaction<T>(db: Kysely<Database>, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (error instanceof AccessDenied) {
      await recordAudit(db, error.audit);
      throw new NotFound();
    }
    throw error;
  }
}
