// The audit chain: sealing, signed segment checkpoints, retention purges, and detection of tampering.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_AUDIT_KEY, type TestDb } from '../../testing/harness.ts';
import { recordAudit } from './audit.ts';
import { auditSigningKey, purgeExpiredAuditSegments, sealAuditLog, verifyAuditLog } from './chain.ts';

let db: TestDb;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(async () => {
  await db.drop();
});

const key = TEST_AUDIT_KEY;

async function write(n: number, action: 'read' | 'search' = 'read') {
  for (let i = 0; i < n; i++) {
    await recordAudit(db.kysely, {
      actor: null,
      actorUsername: `user${i}`,
      organisationId: null,
      action,
      purpose: 'case_work',
      resourceType: 'test',
      resourceId: String(i),
      outcome: 'success',
      criteria: { b: i, a: 'x' },
    });
  }
}

/** Tampering as someone with direct database access would: around the append-only trigger. */
async function asSuperuser(work: string) {
  await sql.raw(`alter table audit_log disable trigger audit_log_append_only; ${work}; alter table audit_log enable trigger audit_log_append_only;`).execute(db.kysely);
}

describe('audit chain', () => {
  it('seals rows in order and verifies, reporting unsealed rows until they are sealed', async () => {
    await write(5);
    let report = await verifyAuditLog(db.kysely, { key });
    expect(report.unsealedRows).toBe(5);
    expect(await sealAuditLog(db.kysely, { key })).toBe(5);
    await write(3);
    expect(await sealAuditLog(db.kysely, { key })).toBe(3);
    report = await verifyAuditLog(db.kysely, { key });
    expect(report).toMatchObject({ ok: true, checkedRows: 8, unsealedRows: 0, firstBroken: null });
  });

  it('refuses to change or delete a row through SQL', async () => {
    await write(1);
    await sealAuditLog(db.kysely, { key });
    await expect(sql`update audit_log set action = 'delete'`.execute(db.kysely)).rejects.toThrow(/sealed audit row|append-only/);
    await expect(sql`delete from audit_log`.execute(db.kysely)).rejects.toThrow(/append-only/);
  });

  it('refuses to change the content of an unsealed row', async () => {
    await write(1);
    await expect(sql`update audit_log set outcome = 'denied'`.execute(db.kysely)).rejects.toThrow(/append-only/);
  });

  it('names the first edited row', async () => {
    await write(6);
    await sealAuditLog(db.kysely, { key });
    const rows = await db.kysely.selectFrom('audit_log').select(['seq', 'chain_no']).orderBy('chain_no').execute();
    const target = rows[3]!;
    await asSuperuser(`update audit_log set actor_username = 'someone-else' where seq = ${target.seq}`);
    const report = await verifyAuditLog(db.kysely, { key });
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: target.seq, chainNo: target.chain_no });
    expect(report.firstBroken!.reason).toMatch(/edited/);
  });

  it('names a deleted row in the middle and at the end', async () => {
    await write(6);
    await sealAuditLog(db.kysely, { key });
    const rows = await db.kysely.selectFrom('audit_log').select(['seq', 'chain_no']).orderBy('chain_no').execute();
    await asSuperuser(`delete from audit_log where seq = ${rows[2]!.seq}`);
    let report = await verifyAuditLog(db.kysely, { key });
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ chainNo: rows[2]!.chain_no });
    expect(report.firstBroken!.reason).toMatch(/missing/);

    const db2 = await freshDatabase();
    try {
      await recordAudit(db2.kysely, { actor: null, organisationId: null, action: 'read', purpose: 'case_work', resourceType: 't', outcome: 'success' });
      await recordAudit(db2.kysely, { actor: null, organisationId: null, action: 'read', purpose: 'case_work', resourceType: 't', outcome: 'success' });
      await sealAuditLog(db2.kysely, { key });
      const last = await db2.kysely.selectFrom('audit_log').select('seq').orderBy('chain_no', 'desc').limit(1).executeTakeFirstOrThrow();
      await sql.raw(`alter table audit_log disable trigger audit_log_append_only; delete from audit_log where seq = ${last.seq}; alter table audit_log enable trigger audit_log_append_only;`).execute(db2.kysely);
      report = await verifyAuditLog(db2.kysely, { key });
      expect(report.ok).toBe(false);
      expect(report.firstBroken!.reason).toMatch(/deleted at the end/);
    } finally {
      await db2.drop();
    }
  });

  it('rejects checkpoints signed with another key', async () => {
    await write(2);
    await sealAuditLog(db.kysely, { key, now: new Date('2026-01-15T10:00:00Z') });
    await write(1);
    await sealAuditLog(db.kysely, { key, now: new Date('2026-02-01T10:00:00Z') });
    expect((await verifyAuditLog(db.kysely, { key })).ok).toBe(true);
    const other = await verifyAuditLog(db.kysely, { key: auditSigningKey('another-secret-another-secret-another') });
    expect(other.ok).toBe(false);
    expect(other.firstBroken!.reason).toMatch(/signature/);
  });

  it('closes a segment per month and purges segments past retention while the rest still verifies', async () => {
    await write(3);
    await sealAuditLog(db.kysely, { key, now: new Date('2025-01-10T12:00:00Z') });
    await write(2);
    await sealAuditLog(db.kysely, { key, now: new Date('2025-02-10T12:00:00Z') });
    await write(2);
    await sealAuditLog(db.kysely, { key, now: new Date('2025-03-10T12:00:00Z') });
    const checkpoints = await db.kysely.selectFrom('audit_checkpoints').select(['segment', 'row_count']).orderBy('segment').execute();
    // The demo data has no audit rows, so the counts are exactly ours.
    expect(checkpoints).toEqual([
      { segment: '2025-01', row_count: 3 },
      { segment: '2025-02', row_count: 2 },
    ]);

    const purged = await purgeExpiredAuditSegments(db.kysely, { retentionDays: 30, now: new Date('2025-03-15T00:00:00Z') });
    expect(purged).toEqual(['2025-01']);
    expect(await db.kysely.selectFrom('audit_log').select('seq').where('segment', '=', '2025-01').execute()).toHaveLength(0);
    await sealAuditLog(db.kysely, { key, now: new Date('2025-03-15T00:00:01Z') });
    const report = await verifyAuditLog(db.kysely, { key });
    expect(report.ok).toBe(true);
    expect(report.segments).toEqual([
      { segment: '2025-01', status: 'purged' },
      { segment: '2025-02', status: 'verified' },
      { segment: '2025-03', status: 'open' },
    ]);
    // The purge is itself logged, as the newest row.
    const lastRow = await db.kysely.selectFrom('audit_log').select(['action', 'resource_id']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(lastRow).toEqual({ action: 'purge', resource_id: '2025-01' });
  });

  it('does not let anyone delete rows of a segment that is not purged, even with the purge flag set', async () => {
    await write(2);
    await sealAuditLog(db.kysely, { key });
    await expect(
      db.kysely.transaction().execute(async (tx) => {
        await sql`select set_config('bindeled.audit_purge', 'on', true)`.execute(tx);
        await sql`delete from audit_log`.execute(tx);
      }),
    ).rejects.toThrow(/append-only/);
  });

  it('chains a row that commits after later rows were sealed, without leaving a gap', async () => {
    await write(2);
    const late = db.kysely.transaction().execute(async (tx) => {
      await recordAudit(tx, { actor: null, organisationId: null, action: 'read', purpose: 'case_work', resourceType: 'late', outcome: 'success' });
      // Give the sealer a chance to run while this transaction is open (on PostgreSQL; PGlite serialises).
      await new Promise((r) => setTimeout(r, 50));
    });
    await write(1);
    await Promise.all([late, sealAuditLog(db.kysely, { key })]);
    await sealAuditLog(db.kysely, { key });
    const report = await verifyAuditLog(db.kysely, { key });
    expect(report).toMatchObject({ ok: true, checkedRows: 4, unsealedRows: 0 });
  });
});
