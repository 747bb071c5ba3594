// The application's database role: on PostgreSQL it may insert and read audit rows but never change or
// delete them, nor checkpoints, signed heads, purge records or the owner's settings, nor change what
// seals them. On PGlite there is one role (the owner), so the guarantee there is detection.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDb } from '../testing/harness.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { ownsAuditLog } from './roles.ts';

let db: TestDb;
beforeAll(async () => {
  db = await freshDatabase();
  await recordAudit(db.kysely, { actor: null, organisationId: null, action: 'read', purpose: 'case_work', resourceType: 't', outcome: 'success' });
  await sql`select * from audit_seal(now(), 10)`.execute(db.kysely);
});
afterAll(async () => {
  await db.drop();
});

const forbidden: [string, string][] = [
  ['update an audit row', `update audit_log set action = 'x'`],
  ['delete an audit row', `delete from audit_log`],
  ['truncate the audit log', `truncate audit_log`],
  ['mark a checkpoint purged', `update audit_checkpoints set purged_at = now()`],
  ['delete a checkpoint', `delete from audit_checkpoints`],
  ['change a signed head', `update audit_heads set chain_no = 0`],
  ['delete a signed head', `delete from audit_heads`],
  ['write a purge record', `insert into audit_purges (segment, row_count, last_hash, purged_at, key_id, signature) values ('2000-01', 0, 'x', now(), 'k', 'x')`],
  ['change the retention period', `update audit_settings set value = '1'::jsonb`],
  ['move the legacy head boundary', `update audit_settings set value = '999999'::jsonb where key = 'legacy_heads_through'`],
  ['move the hash boundary', `update audit_settings set value = '999999'::jsonb where key = 'sql_hash_from'`],
  ['switch off the guards', `alter table audit_log disable trigger user`],
  ['drop a guard', `drop trigger audit_log_append_only on audit_log`],
  ['replace the sealing function', `create or replace function audit_row_hash(r audit_log, p_chain_no bigint, p_segment text, p_prev text) returns text language sql as $$ select 'x' $$`],
  ['replace the purge function', `create or replace function audit_purge_segment(p_segment text, p_purged_at timestamptz, p_retention_days integer, p_key_id text, p_signature text) returns bigint language sql as $$ select 0::bigint $$`],
  ['replace a guard function', `create or replace function audit_log_guard() returns trigger language plpgsql as $$ begin return new; end $$`],
  ['become the owner', `set role postgres`],
];

describe('the application role', () => {
  it('inserts, reads and seals audit rows through the owner functions', async () => {
    // The template holds audit rows of its own (the demo's), and earlier tests here write some: count from here.
    const before = (await db.kysely.selectFrom('audit_log').select('seq').execute()).length;
    await recordAudit(db.kysely, { actor: null, organisationId: null, action: 'read', purpose: 'case_work', resourceType: 't', outcome: 'success' });
    const { rows } = await sql<{ sealed: number }>`select sealed from audit_seal(now(), 10)`.execute(db.kysely);
    expect(rows[0]!.sealed).toBe(1);
    expect(await db.kysely.selectFrom('audit_log').select('seq').execute()).toHaveLength(before + 1);
    // The sealing time cannot be pushed into the future (which would block sealing for real time).
    await expect(sql`select * from audit_seal(now() + interval '40 days', 10)`.execute(db.kysely)).rejects.toThrow(/future/);
  });

  if (process.env.TEST_ENGINE === 'postgres') {
    it('does not own the audit log on PostgreSQL', async () => {
      expect(await ownsAuditLog(db.kysely)).toBe(false);
      expect(await ownsAuditLog(db.owner)).toBe(true);
    });

    it.each(forbidden)('gets permission denied to %s on PostgreSQL', async (_what, statement) => {
      await expect(sql.raw(statement).execute(db.kysely)).rejects.toThrow(/permission denied|must be owner|must be member/);
    });
  } else {
    it('is the owner on PGlite, so the guards and verification are what protect the log', async () => {
      expect(await ownsAuditLog(db.kysely)).toBe(true);
      await expect(sql.raw(`update audit_log set action = 'x'`).execute(db.kysely)).rejects.toThrow(/sealed audit row cannot change/);
      await expect(sql.raw(`delete from audit_log`).execute(db.kysely)).rejects.toThrow(/append-only/);
    });
  }
});
