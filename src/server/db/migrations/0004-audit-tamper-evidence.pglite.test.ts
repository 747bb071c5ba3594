// Upgrading a database whose audit chain was sealed before sealing moved into SQL: the old rows, the old
// checkpoint and the old signed head keep verifying (key id `legacy`), and sealing continues after them.
import { createHmac } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openPglite } from '../connect.ts';
import { migrations } from './index.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { GENESIS_HASH, legacyRowHash, sealAuditLog, verifyAuditLog } from '../../platform/audit/chain.ts';
import { auditKeyRing, legacySigningKey } from '../../platform/audit/keys.ts';

const SESSION_SECRET = 'an-old-session-secret-an-old-session-secret';
const sign = (parts: (string | number)[]) => createHmac('sha256', legacySigningKey(SESSION_SECRET)).update(parts.join('|')).digest('hex');

describe('migration 0004 on a chain sealed by the earlier code', () => {
  it('keeps the legacy rows, checkpoint and head verifying and seals on after them', async () => {
    const db = await openPglite(undefined);
    try {
      const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
      const before = await migrator.migrateTo('0003-national-code-lists');
      expect(before.error).toBeUndefined();

      // Five rows sealed as the earlier code did: three in January (closed, checkpoint), two in February.
      for (let i = 0; i < 5; i++) {
        await recordAudit(db.kysely, { actor: null, actorUsername: `u${i}`, organisationId: null, action: 'read', purpose: 'case_work', resourceType: 't', resourceId: String(i), outcome: 'success', criteria: { i } });
      }
      const rows = await db.kysely.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      let prev = GENESIS_HASH;
      const hashes: string[] = [];
      for (const [i, row] of rows.entries()) {
        const segment = i < 3 ? '2026-01' : '2026-02';
        const hash = legacyRowHash(row, i + 1, segment, prev);
        await sql`update audit_log set chain_no = ${i + 1}, segment = ${segment}, prev_hash = ${prev}, hash = ${hash} where seq = ${row.seq}`.execute(db.kysely);
        hashes.push(hash);
        prev = hash;
      }
      const cp = { segment: '2026-01', first_chain_no: 1, last_chain_no: 3, row_count: 3, prev_hash: GENESIS_HASH, last_hash: hashes[2]! };
      await db.kysely.insertInto('audit_checkpoints').values({ ...cp, signature: sign([cp.segment, 1, 3, 3, cp.prev_hash, cp.last_hash]) } as never).execute();
      const head = JSON.stringify({ chainNo: 5, hash: prev, signature: sign(['head', 5, prev]) });
      await db.kysely.insertInto('app_state').values({ key: 'audit_head', value: head }).execute();

      await migrateToLatest(db.kysely);
      const keys = auditKeyRing({ auditKey: 'the-new-audit-key-the-new-audit-key-01', sessionSecret: SESSION_SECRET });
      expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: true, checkedRows: 5 });
      expect(await db.kysely.selectFrom('audit_heads').select(['chain_no', 'key_id']).execute()).toEqual([{ chain_no: 5, key_id: 'legacy' }]);

      await recordAudit(db.kysely, { actor: null, organisationId: null, action: 'read', purpose: 'case_work', resourceType: 't', outcome: 'success' });
      const sealed = await sealAuditLog(db.kysely, { keys, now: new Date('2026-02-20T00:00:00Z') });
      expect(sealed).toMatchObject({ status: 'sealed', sealed: 1, head: { chainNo: 6, keyId: keys.current.id } });
      expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: true, checkedRows: 6 });
      // With the legacy key retired, the old checkpoint and head are accepted unchecked under the newest
      // head, which AUDIT_KEY signed; a key that signed nothing here verifies nothing.
      const withoutLegacy = auditKeyRing({ auditKey: 'the-new-audit-key-the-new-audit-key-01', sessionSecret: SESSION_SECRET, auditLegacyVerify: false });
      expect(await verifyAuditLog(db.kysely, { keys: withoutLegacy })).toMatchObject({ ok: true, legacyUnchecked: 2 });
      expect((await verifyAuditLog(db.kysely, { keys: auditKeyRing({ auditKey: 'another-key-another-key-another-key-0' }) })).ok).toBe(false);
    } finally {
      await db.close();
    }
  }, 120_000); // migrates a new embedded database twice over: slow on a busy machine
});
