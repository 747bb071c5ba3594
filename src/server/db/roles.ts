// PostgreSQL privileges of the application's role: everything it needs on the domain tables, but on the
// audit tables only insert and select, and sealing and purging only through the owner's functions.
// Run on the schema owner's connection after the migrations (the grants cover tables added later too).
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

export async function grantApplicationRole(owner: Kysely<Database>, role: string): Promise<void> {
  if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(role)) throw new Error('the application role name is not a plain identifier');
  const r = sql.id(role);
  const statements = [
    sql`grant usage on schema public to ${r}`,
    sql`grant select, insert, update, delete on all tables in schema public to ${r}`,
    sql`grant usage, select on all sequences in schema public to ${r}`,
    sql`revoke update, delete, truncate, references, trigger on audit_log, audit_checkpoints, audit_heads from ${r}`,
    sql`revoke insert, update, delete, truncate, references, trigger on audit_purges, audit_settings from ${r}`,
    sql`revoke insert, update, delete, truncate on kysely_migration, kysely_migration_lock from ${r}`,
    // The job queue's schema: its tables, and creating a queue's partition when the application adds one.
    sql`grant usage, create on schema pgboss to ${r}`,
    sql`grant select, insert, update, delete on all tables in schema pgboss to ${r}`,
    sql`grant execute on all functions in schema pgboss to ${r}`,
    sql`grant execute on function audit_seal(timestamptz, integer), audit_purge_segment(text, timestamptz, integer, text, text), audit_table_head() to ${r}`,
  ];
  for (const statement of statements) await statement.execute(owner);
}

/** Whether the connected role owns the audit log (then the database cannot stop it from rewriting it). */
export async function ownsAuditLog(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ owns: boolean }>`select pg_has_role(current_user, (select relowner from pg_class where oid = 'audit_log'::regclass), 'USAGE') as owns`.execute(db);
  return rows[0]?.owns === true;
}
