// The audit chain: sealing in SQL, signed heads and checkpoints, retention purges with signed purge
// records, halting on a cut or rewritten tail, anchors, key rotation, and detection of tampering by
// someone holding the application's database login (and, where the database cannot refuse, the owner's).
import { createHmac } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_AUDIT_KEYS, TEST_AUDIT_SECRET, TEST_SECRET, type TestDb } from '../../testing/harness.ts';
import { recordAudit } from './audit.ts';
import {
  acceptAuditBreak,
  AuditNotHaltedError,
  anchorLine,
  anchorSources,
  auditSealingState,
  legacyRowHash,
  purgeExpiredAuditSegments,
  sealAuditLog,
  segmentOf,
  setAuditRetention,
  verifyAuditLog,
  type SignedHead,
} from './chain.ts';
import { auditKeyRing, legacySigningKey, signAudit } from './keys.ts';

let db: TestDb;
beforeEach(async () => {
  db = await freshDatabase();
  // The template's demo data holds an audit row of its own (the read a demo citizen's look-up question is about):
  // every test here starts from an empty, never sealed log.
  await asOwner('delete from audit_log');
});
afterEach(async () => {
  await db.drop();
});

const keys = TEST_AUDIT_KEYS;

async function write(n: number, action: 'read' | 'search' = 'read', conn = db) {
  for (let i = 0; i < n; i++) {
    await recordAudit(conn.kysely, {
      actor: null,
      actorUsername: `user${i}`,
      organisationId: null,
      action,
      purpose: 'case_work',
      resourceType: 'test',
      resourceId: String(i),
      outcome: 'success',
      criteria: { b: i, a: 'x', nested: { æøå: 'Ærø 😀', n: 1.5 } },
    });
  }
}

async function seal(now?: Date, conn = db) {
  const result = await sealAuditLog(conn.kysely, { keys, now });
  if (result.status !== 'sealed') throw new Error(`sealing ${result.status}`);
  return result;
}

/** Tampering as the schema owner would: around every trigger on the audit tables. */
async function asOwner(work: string, conn = db) {
  const tables = ['audit_log', 'audit_checkpoints', 'audit_heads', 'audit_purges'];
  await sql
    .raw(`${tables.map((t) => `alter table ${t} disable trigger user;`).join(' ')} ${work}; ${tables.map((t) => `alter table ${t} enable trigger user;`).join(' ')}`)
    .execute(conn.owner);
}

function monthsAgo(days: number): Date {
  return new Date(Date.now() - days * 86_400_000);
}

describe('audit chain', () => {
  it('seals rows in order and verifies, reporting unsealed rows until they are sealed', async () => {
    await write(5);
    let report = await verifyAuditLog(db.kysely, { keys });
    expect(report.unsealedRows).toBe(5);
    expect((await seal()).sealed).toBe(5);
    await write(3);
    expect((await seal()).sealed).toBe(3);
    report = await verifyAuditLog(db.kysely, { keys });
    expect(report).toMatchObject({ ok: true, checkedRows: 8, unsealedRows: 0, firstBroken: null });
  });

  it('refuses to change or delete a row through SQL', async () => {
    await write(1);
    await seal();
    await expect(sql`update audit_log set action = 'delete'`.execute(db.kysely)).rejects.toThrow(/sealed audit row|append-only|permission denied/);
    await expect(sql`delete from audit_log`.execute(db.kysely)).rejects.toThrow(/append-only|permission denied/);
  });

  it('refuses to change the content of an unsealed row', async () => {
    await write(1);
    await expect(sql`update audit_log set outcome = 'denied'`.execute(db.kysely)).rejects.toThrow(/append-only|permission denied/);
  });

  it('names the first edited row', async () => {
    await write(6);
    await seal();
    const rows = await db.kysely.selectFrom('audit_log').select(['seq', 'chain_no']).orderBy('chain_no').execute();
    const target = rows[3]!;
    await asOwner(`update audit_log set actor_username = 'someone-else' where seq = ${target.seq}`);
    const report = await verifyAuditLog(db.kysely, { keys });
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: target.seq, chainNo: target.chain_no });
    expect(report.firstBroken!.reason).toMatch(/edited/);
  });

  it('names a deleted row in the middle and at the end', async () => {
    await write(6);
    await seal();
    const rows = await db.kysely.selectFrom('audit_log').select(['seq', 'chain_no']).orderBy('chain_no').execute();
    await asOwner(`delete from audit_log where seq = ${rows[2]!.seq}`);
    let report = await verifyAuditLog(db.kysely, { keys });
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ chainNo: rows[2]!.chain_no });
    expect(report.firstBroken!.reason).toMatch(/missing/);

    const db2 = await freshDatabase();
    try {
      await write(2, 'read', db2);
      await seal(undefined, db2);
      const last = await db2.kysely.selectFrom('audit_log').select('seq').orderBy('chain_no', 'desc').limit(1).executeTakeFirstOrThrow();
      await asOwner(`delete from audit_log where seq = ${last.seq}`, db2);
      report = await verifyAuditLog(db2.kysely, { keys });
      expect(report.ok).toBe(false);
      expect(report.firstBroken!.reason).toMatch(/deleted at the end/);
    } finally {
      await db2.drop();
    }
  });

  it('rejects checkpoints signed with another key', async () => {
    await write(2);
    await seal(new Date('2026-01-15T10:00:00Z'));
    await write(1);
    await seal(new Date('2026-02-01T10:00:00Z'));
    expect((await verifyAuditLog(db.kysely, { keys })).ok).toBe(true);
    const other = await verifyAuditLog(db.kysely, { keys: auditKeyRing({ auditKey: 'another-key-another-key-another-key-0123' }) });
    expect(other.ok).toBe(false);
    expect(other.firstBroken!.reason).toMatch(/signature/);
  });

  it('closes a segment per month and purges whole segments past retention while the rest still verifies', async () => {
    const old = monthsAgo(130);
    const recent = monthsAgo(35);
    await write(3);
    await seal(old);
    await write(2);
    await seal(recent);
    await write(2);
    await seal();
    const checkpoints = await db.kysely.selectFrom('audit_checkpoints').select(['segment', 'row_count']).orderBy('segment').execute();
    // The demo data has no audit rows, so the counts are exactly ours.
    expect(checkpoints).toEqual([
      { segment: segmentOf(old), row_count: 3 },
      { segment: segmentOf(recent), row_count: 2 },
    ]);

    await setAuditRetention(db.owner, 60);
    const purged = await purgeExpiredAuditSegments(db.kysely, { keys, retentionDays: 60 });
    expect(purged).toEqual([segmentOf(old)]);
    expect(await db.kysely.selectFrom('audit_log').select('seq').where('segment', '=', segmentOf(old)).execute()).toHaveLength(0);
    const record = await db.kysely.selectFrom('audit_purges').selectAll().executeTakeFirstOrThrow();
    expect(record).toMatchObject({ segment: segmentOf(old), row_count: 3, key_id: keys.current.id });
    await seal();
    const report = await verifyAuditLog(db.kysely, { keys });
    expect(report.ok).toBe(true);
    expect(report.segments).toEqual([
      { segment: segmentOf(old), status: 'purged' },
      { segment: segmentOf(recent), status: 'verified' },
      { segment: segmentOf(new Date()), status: 'open' },
    ]);
    // The purge is itself logged, as the newest row.
    const lastRow = await db.kysely.selectFrom('audit_log').select(['action', 'resource_id']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(lastRow).toEqual({ action: 'purge', resource_id: segmentOf(old) });
  });

  it('purges only closed segments past the retention period read from the owner-written settings', async () => {
    await write(2);
    await seal(monthsAgo(35));
    await write(1);
    await seal();
    const closed = segmentOf(monthsAgo(35));
    const signature = 'a'.repeat(64);
    // The default test retention (1825 days) has not run out; nor has a 60-day one for this segment.
    await expect(sql`select audit_purge_segment(${closed}, now(), 1825, ${keys.current.id}, ${signature})`.execute(db.kysely)).rejects.toThrow(/within the retention period/);
    await setAuditRetention(db.owner, 60);
    await expect(sql`select audit_purge_segment(${closed}, now(), 60, ${keys.current.id}, ${signature})`.execute(db.kysely)).rejects.toThrow(/within the retention period/);
    await expect(sql`select audit_purge_segment(${segmentOf(new Date())}, now(), 60, ${keys.current.id}, ${signature})`.execute(db.kysely)).rejects.toThrow(/not closed/);
    expect(await purgeExpiredAuditSegments(db.kysely, { keys, retentionDays: 60 })).toEqual([]);
    // The application's login cannot shorten the retention period.
    if (db.engine === 'postgres') {
      await expect(sql`update audit_settings set value = '1'::jsonb where key = 'retention_days'`.execute(db.kysely)).rejects.toThrow(/permission denied/);
    }
  });

  it('purges by the configured retention period, not one the stored setting was shortened to, and signs the period with the purge', async () => {
    await write(3);
    await seal(monthsAgo(130));
    await write(1);
    await seal();
    const segment = segmentOf(monthsAgo(130));
    // Where the application's login owns the schema (always on PGlite), it can shorten the stored period.
    await setAuditRetention(db.owner, 1);
    expect(await purgeExpiredAuditSegments(db.kysely, { keys, retentionDays: 1825 })).toEqual([]);
    expect(await db.kysely.selectFrom('audit_log').select('seq').where('segment', '=', segment).execute()).toHaveLength(3);
    // The SQL function refuses a period shorter than the stored one as well.
    await setAuditRetention(db.owner, 60);
    await expect(sql`select audit_purge_segment(${segment}, now(), 1, ${keys.current.id}, ${'a'.repeat(64)})`.execute(db.kysely)).rejects.toThrow(/shorter than the stored one/);
    // A purge made under a short configured period carries it, and verifying against a longer one fails.
    expect(await purgeExpiredAuditSegments(db.kysely, { keys, retentionDays: 60 })).toEqual([segment]);
    expect(await db.kysely.selectFrom('audit_purges').select('retention_days').executeTakeFirstOrThrow()).toEqual({ retention_days: 60 });
    expect((await verifyAuditLog(db.kysely, { keys, retentionDays: 60 })).ok).toBe(true);
    const report = await verifyAuditLog(db.kysely, { keys, retentionDays: 1825 });
    expect(report.ok).toBe(false);
    expect(report.firstBroken!.reason).toMatch(/retention period of 60 days, shorter than the configured 1825/);
  });

  it('fails a purge made before the end of the retention period it is signed with', async () => {
    await write(3);
    await seal(monthsAgo(130));
    await write(1);
    await seal();
    const segment = segmentOf(monthsAgo(130));
    await setAuditRetention(db.owner, 60);
    expect(await purgeExpiredAuditSegments(db.kysely, { keys, retentionDays: 60 })).toEqual([segment]);
    // Even signed with the key, a record claiming the long period cannot hide that it came too early.
    const purge = await db.kysely.selectFrom('audit_purges').selectAll().executeTakeFirstOrThrow();
    const { signature } = signAudit(keys, 'purge', [segment, purge.row_count, purge.last_hash, new Date(purge.purged_at).toISOString(), 1825]);
    await asOwner(`update audit_purges set retention_days = 1825, signature = '${signature}'`);
    const report = await verifyAuditLog(db.kysely, { keys });
    expect(report.ok).toBe(false);
    expect(report.firstBroken!.reason).toMatch(/purged before its retention period of 1825 days ran out/);
    // A record from before the period was signed (four parts) is checked against the configured period.
    const old = signAudit(keys, 'purge', [segment, purge.row_count, purge.last_hash, new Date(purge.purged_at).toISOString()]);
    await asOwner(`update audit_purges set retention_days = null, signature = '${old.signature}'`);
    expect((await verifyAuditLog(db.kysely, { keys, retentionDays: 60 })).ok).toBe(true);
    expect((await verifyAuditLog(db.kysely, { keys, retentionDays: 1825 })).firstBroken!.reason).toMatch(/purged before its retention period of 1825 days/);
    expect((await verifyAuditLog(db.kysely, { keys })).firstBroken!.reason).toMatch(/names no retention period/);
  });

  it('refuses to truncate the audit tables', async () => {
    await write(2);
    await seal();
    for (const table of ['audit_log', 'audit_checkpoints', 'audit_heads', 'audit_purges', 'audit_settings']) {
      await expect(sql.raw(`truncate ${table} cascade`).execute(db.owner)).rejects.toThrow(/cannot be truncated/);
    }
    await expect(sql`truncate audit_log, audit_heads, audit_checkpoints, audit_purges`.execute(db.kysely)).rejects.toThrow(/cannot be truncated|permission denied/);
    expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: true, checkedRows: 2 });
  });

  it('refuses a checkpoint that does not match the rows of a segment before the head', async () => {
    await write(3);
    await seal(monthsAgo(35));
    await write(2);
    await seal();
    const head = await db.kysely.selectFrom('audit_log').select(['chain_no', 'hash', 'segment']).orderBy('chain_no', 'desc').limit(1).executeTakeFirstOrThrow();
    const insert = (cp: { segment: string; first: number; last: number; count: number; prev: string; hash: string }) =>
      sql`insert into audit_checkpoints (segment, first_chain_no, last_chain_no, row_count, prev_hash, last_hash, key_id, signature)
          values (${cp.segment}, ${cp.first}, ${cp.last}, ${cp.count}, ${cp.prev}, ${cp.hash}, ${keys.current.id}, ${'a'.repeat(64)})`.execute(db.kysely);
    // A checkpoint far in the future at the head would make every later seal fail.
    await expect(insert({ segment: '9999-12', first: 4, last: head.chain_no!, count: 2, prev: 'x', hash: head.hash! })).rejects.toThrow(/must match the sealed rows/);
    const rows = await db.kysely.selectFrom('audit_log').select(['chain_no', 'prev_hash', 'hash']).where('segment', '=', head.segment).orderBy('chain_no').execute();
    const exact = { segment: head.segment!, first: rows[0]!.chain_no!, last: head.chain_no!, count: rows.length, prev: rows[0]!.prev_hash!, hash: head.hash! };
    // The open segment (that of the head) cannot be closed from outside...
    await expect(insert(exact)).rejects.toThrow(/before the head of the chain/);
    await expect(insert({ ...exact, count: exact.count + 1 })).rejects.toThrow(/must match the sealed rows/);
    await expect(insert({ ...exact, hash: 'f'.repeat(64) })).rejects.toThrow(/must match the sealed rows/);
    // ...and the sealer still seals.
    await write(1);
    expect((await seal()).sealed).toBe(1);
    expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: true });
  });

  it('does not let anyone delete rows of a segment that is not purged, even with the purge flag set', async () => {
    await write(2);
    await seal();
    const segment = segmentOf(new Date());
    await expect(
      db.kysely.transaction().execute(async (tx) => {
        await sql`select set_config('bindeled.audit_purge', ${segment}, true)`.execute(tx);
        await sql`delete from audit_log`.execute(tx);
      }),
    ).rejects.toThrow(/append-only|permission denied/);
  });

  it('detects a faked purge: a closed month marked purged and single rows deleted under the purge flag', async () => {
    await write(4);
    await seal(monthsAgo(40));
    await write(1);
    await seal();
    const segment = segmentOf(monthsAgo(40));
    const victim = await db.kysely.selectFrom('audit_log').select('seq').where('segment', '=', segment).orderBy('seq').offset(1).limit(1).executeTakeFirstOrThrow();
    const attack = async (conn: TestDb['kysely']) => {
      await sql`update audit_checkpoints set purged_at = now() where segment = ${segment}`.execute(conn);
      await conn.transaction().execute(async (tx) => {
        await sql`select set_config('bindeled.audit_purge', 'on', true)`.execute(tx);
        await sql`delete from audit_log where seq = ${victim.seq}`.execute(tx);
      });
    };
    // With the application's login the database refuses it...
    await expect(attack(db.kysely)).rejects.toThrow(/permission denied|can only be marked purged/);
    expect((await verifyAuditLog(db.kysely, { keys })).ok).toBe(true);
    // ...and done as the owner, around the triggers, verification fails.
    await asOwner(`update audit_checkpoints set purged_at = now() where segment = '${segment}'; delete from audit_log where seq = ${victim.seq}`);
    const report = await verifyAuditLog(db.kysely, { keys });
    expect(report.ok).toBe(false);
    expect(report.firstBroken!.reason).toMatch(/marked purged but has no signed purge record/);

    // Deleting all of the segment's rows as well is no better: there is no signed purge record.
    await asOwner(`delete from audit_log where segment = '${segment}'`);
    expect((await verifyAuditLog(db.kysely, { keys })).firstBroken!.reason).toMatch(/no signed purge record/);
  });

  it('fails verification when a purged segment still holds rows', async () => {
    await write(3);
    await seal(monthsAgo(130));
    await write(1);
    await seal();
    const segment = segmentOf(monthsAgo(130));
    await setAuditRetention(db.owner, 60);
    const kept = await db.kysely.selectFrom('audit_log').selectAll().where('segment', '=', segment).orderBy('seq').limit(1).executeTakeFirstOrThrow();
    expect(await purgeExpiredAuditSegments(db.kysely, { keys, retentionDays: 60 })).toEqual([segment]);
    // Put one row back, as a restore of part of an old copy would.
    await asOwner(
      `insert into audit_log (seq, occurred_at, actor_roles, action, purpose, resource_type, outcome, chain_no, segment, prev_hash, hash) overriding system value
       values (${kept.seq}, now(), '{}', 'read', 'case_work', 'test', 'success', ${kept.chain_no}, '${segment}', '${kept.prev_hash}', '${kept.hash}')`,
    );
    const report = await verifyAuditLog(db.kysely, { keys });
    expect(report.ok).toBe(false);
    expect(report.firstBroken!.reason).toMatch(/marked purged but 1 of its rows remain/);
  });

  it('chains a row that commits after later rows were sealed, without leaving a gap', async () => {
    await write(2);
    const late = db.kysely.transaction().execute(async (tx) => {
      await recordAudit(tx, { actor: null, organisationId: null, action: 'read', purpose: 'case_work', resourceType: 'late', outcome: 'success' });
      // Give the sealer a chance to run while this transaction is open (on PostgreSQL; PGlite serialises).
      await new Promise((r) => setTimeout(r, 50));
    });
    await write(1);
    await Promise.all([late, sealAuditLog(db.kysely, { keys })]);
    await seal();
    const report = await verifyAuditLog(db.kysely, { keys });
    expect(report).toMatchObject({ ok: true, checkedRows: 4, unsealedRows: 0 });
  });
});

describe('the sealer continues from the signed head', () => {
  it('halts instead of re-signing when the last sealed rows were deleted, until a break is accepted', async () => {
    await write(5);
    await seal();
    const tail = await db.kysely.selectFrom('audit_log').select('seq').orderBy('chain_no', 'desc').limit(2).execute();
    await asOwner(`delete from audit_log where seq in (${tail.map((r) => r.seq).join(',')})`);
    await write(1);
    const result = await sealAuditLog(db.kysely, { keys });
    expect(result).toMatchObject({ status: 'halted', reason: 'table_differs_from_signed_head' });
    expect(await auditSealingState(db.kysely)).toMatchObject({ state: 'halted', reason: 'table_differs_from_signed_head' });
    // Nothing was sealed over the cut, and verification still names it.
    expect((await verifyAuditLog(db.kysely, { keys })).firstBroken!.reason).toMatch(/deleted at the end/);
    expect(await db.kysely.selectFrom('audit_log').select('seq').where('chain_no', 'is', null).execute()).toHaveLength(1);
    // Clearing the halt flag is not enough: the sealer checks the table against the signed head again.
    await sql`delete from app_state where key = 'audit_sealing'`.execute(db.kysely);
    expect((await sealAuditLog(db.kysely, { keys })).status).toBe('halted');

    const accepted = await acceptAuditBreak(db.kysely, { keys, reason: 'restored after disk failure, rows 4-5 lost' });
    expect(accepted).toMatchObject({ wasHalted: true, previous: { chainNo: 5 }, head: { chainNo: 3, kind: 'accept-break' } });
    expect(await auditSealingState(db.kysely)).toEqual({ state: 'ok' });
    expect((await seal()).sealed).toBe(2); // the waiting row and the accept-break row
    const report = await verifyAuditLog(db.kysely, { keys });
    expect(report).toMatchObject({ ok: true, unsealedRows: 0 });
    expect(report.acceptedBreaks).toEqual([expect.objectContaining({ chainNo: 3, reason: 'restored after disk failure, rows 4-5 lost' })]);
    const row = await db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'accept-break').executeTakeFirstOrThrow();
    expect(row.criteria).toMatchObject({ reason: 'restored after disk failure, rows 4-5 lost', previousChainNo: 5, chainNo: 3, osUser: userInfo().username, host: hostname(), forced: false });
    // Sealing is no longer halted: a further accept-break is refused unless forced.
    await expect(acceptAuditBreak(db.kysely, { keys, reason: 'nothing is broken here' })).rejects.toThrow(AuditNotHaltedError);
    expect(await acceptAuditBreak(db.kysely, { keys, reason: 'signing the current end on purpose', force: true })).toMatchObject({ wasHalted: false });
  });

  it('halts when the signed head does not verify', async () => {
    await write(2);
    await seal();
    await asOwner(`update audit_heads set signature = repeat('0', 64)`);
    await write(1);
    expect(await sealAuditLog(db.kysely, { keys })).toMatchObject({ status: 'halted', reason: 'signed_head_invalid' });
  });

  it('detects a database restored to an older head with the anchor lines', async () => {
    await write(3);
    const early = (await seal()).head!;
    const lines = [anchorLine(keys, early, new Date())];
    await write(2);
    const later = (await seal()).head!;
    lines.push(anchorLine(keys, later, new Date()));
    const anchors = anchorSources('anchor.jsonl', `${lines.join('\n')}\n`);
    expect(await verifyAuditLog(db.kysely, { keys, anchors })).toMatchObject({ ok: true, anchors: { checked: 2 } });

    // An older copy: the last two rows and the newest head are gone; the database agrees with itself.
    await asOwner(`delete from audit_log where chain_no > ${early.chainNo}; delete from audit_heads where chain_no > ${early.chainNo}`);
    expect((await verifyAuditLog(db.kysely, { keys })).ok).toBe(true);
    const report = await verifyAuditLog(db.kysely, { keys, anchors });
    expect(report.ok).toBe(false);
    expect(report.firstBroken!.reason).toMatch(/anchor anchor.jsonl:2 records chain number 5, but the chain ends at 3/);

    const forged = anchorSources('forged.jsonl', anchorLine(auditKeyRing({ auditKey: 'not-the-audit-key-not-the-audit-key-0' }), later, new Date()));
    expect((await verifyAuditLog(db.kysely, { keys, anchors: forged })).firstBroken!.reason).toMatch(/invalid signature/);
  });

  it('detects a replayed older signed head', async () => {
    await write(2);
    await seal();
    await write(2);
    await seal();
    const first = await db.kysely.selectFrom('audit_heads').selectAll().orderBy('id').limit(1).executeTakeFirstOrThrow();
    const { id: _id, ...copy } = first;
    await db.kysely.insertInto('audit_heads').values(copy).execute();
    const report = await verifyAuditLog(db.kysely, { keys });
    expect(report.ok).toBe(false);
    expect(report.firstBroken!.reason).toMatch(/goes back|replayed|does not match|not sealed/);
  });
});

describe('chain fields', () => {
  it('cannot pull an unsealed row out of the chain by setting its hash', async () => {
    await write(2);
    const row = await db.kysely.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await expect(sql`update audit_log set hash = repeat('0', 64) where seq = ${row.seq}`.execute(db.kysely)).rejects.toThrow(
      /only by audit_seal|permission denied/,
    );
    const withFlag = db.kysely.transaction().execute(async (tx) => {
      await sql`select set_config('bindeled.audit_sealing', 'on', true)`.execute(tx);
      await sql`update audit_log set hash = repeat('0', 64) where seq = ${row.seq}`.execute(tx);
    });
    if (db.engine === 'postgres') {
      await expect(withFlag).rejects.toThrow(/permission denied/);
    } else {
      // One role on the embedded database: it cannot refuse its owner, but the row is not out of the chain.
      await withFlag;
      expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: false, firstBroken: { seq: row.seq } });
    }
    expect((await seal()).sealed).toBe(2);
    expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: true, checkedRows: 2, unsealedRows: 0 });
    await expect(sql`insert into audit_log (action, purpose, resource_type, outcome, hash) values ('read', 'case_work', 't', 'success', 'x')`.execute(db.kysely)).rejects.toThrow(
      /cannot carry chain fields/,
    );
  });

  it('seals a row whose hash was set around the guard, and reports a row with chain fields outside the chain', async () => {
    await write(3);
    const rows = await db.kysely.selectFrom('audit_log').select('seq').orderBy('seq').execute();
    await asOwner(`update audit_log set hash = repeat('0', 64) where seq = ${rows[1]!.seq}`);
    expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: false, firstBroken: { seq: rows[1]!.seq } });
    expect((await seal()).sealed).toBe(3);
    expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: true, checkedRows: 3 });

    await write(1);
    const stray = await db.kysely.selectFrom('audit_log').select('seq').where('chain_no', 'is', null).executeTakeFirstOrThrow();
    await asOwner(`update audit_log set chain_no = 999, segment = '2020-01', prev_hash = repeat('0', 64), hash = repeat('1', 64) where seq = ${stray.seq}`);
    const report = await verifyAuditLog(db.kysely, { keys });
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: stray.seq, reason: expect.stringMatching(/chain fields but is not in the chain/) });
  });
});

describe('keys', () => {
  it('verifies what a previous key signed, and rejects it once the key is gone', async () => {
    const oldKey = 'the-old-audit-key-the-old-audit-key-0123';
    const oldRing = auditKeyRing({ auditKey: oldKey });
    await write(2);
    await sealAuditLog(db.kysely, { keys: oldRing, now: monthsAgo(40) });
    await write(1);
    const rotated = auditKeyRing({ auditKey: TEST_AUDIT_SECRET, auditPreviousKeys: [oldKey] });
    expect((await sealAuditLog(db.kysely, { keys: rotated })).status).toBe('sealed');
    expect((await verifyAuditLog(db.kysely, { keys: rotated })).ok).toBe(true);
    const heads = await db.kysely.selectFrom('audit_heads').select('key_id').orderBy('id').execute();
    expect(heads.map((h) => h.key_id)).toEqual([oldRing.current.id, rotated.current.id]);
    const withoutOld = await verifyAuditLog(db.kysely, { keys: auditKeyRing({ auditKey: TEST_AUDIT_SECRET }) });
    expect(withoutOld.firstBroken!.reason).toMatch(new RegExp(`invalid signature \\(key ${oldRing.current.id}\\)`));
  });

  it('keeps verifying rows and the head sealed before sealing moved into SQL, under key id legacy', async () => {
    // Rows sealed by the earlier application code: hashed in JavaScript, head signed with the key from SESSION_SECRET.
    await write(3);
    await asOwner(`update audit_settings set value = '4'::jsonb where key = 'sql_hash_from'`);
    const rows = await db.kysely.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const segment = segmentOf(new Date());
    let prev = '0'.repeat(64);
    const updates: string[] = [];
    rows.forEach((row, i) => {
      const hash = legacyRowHash(row, i + 1, segment, prev);
      updates.push(`update audit_log set chain_no = ${i + 1}, segment = '${segment}', prev_hash = '${prev}', hash = '${hash}' where seq = ${row.seq}`);
      prev = hash;
    });
    const legacyKey = legacySigningKey(TEST_SECRET);
    const signature = createHmac('sha256', legacyKey).update(['head', 3, prev].join('|')).digest('hex');
    updates.push(`insert into audit_heads (chain_no, hash, kind, signed_at, key_id, signature) values (3, '${prev}', 'seal', now(), 'legacy', '${signature}')`);
    // As migration 0007 records it: the last head the legacy key signed.
    updates.push(`update audit_settings set value = to_jsonb((select max(id) from audit_heads)) where key = 'legacy_heads_through'`);
    await asOwner(updates.join('; '));

    expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: true, checkedRows: 3 });
    // With `legacy` retired, a chain whose newest head only the legacy key signed does not verify...
    const retired = auditKeyRing({ auditKey: TEST_AUDIT_SECRET, sessionSecret: TEST_SECRET, auditLegacyVerify: false });
    expect((await verifyAuditLog(db.kysely, { keys: retired })).firstBroken!.reason).toMatch(/invalid signature \(key legacy\)/);

    await write(2);
    expect((await seal()).sealed).toBe(2);
    expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: true, checkedRows: 5, legacyUnchecked: 0 });
    // ...and once a head signed with AUDIT_KEY covers the older rows, the legacy signatures are not needed.
    expect(await verifyAuditLog(db.kysely, { keys: retired })).toMatchObject({ ok: true, checkedRows: 5, legacyUnchecked: 1 });
    // A forged legacy head (e.g. from a leaked SESSION_SECRET) cannot be the newest one.
    const forged = createHmac('sha256', legacyKey).update(['head', 5, 'f'.repeat(64)].join('|')).digest('hex');
    await asOwner(`insert into audit_heads (chain_no, hash, kind, signed_at, key_id, signature) values (5, '${'f'.repeat(64)}', 'seal', now(), 'legacy', '${forged}')`);
    expect((await verifyAuditLog(db.kysely, { keys: retired })).ok).toBe(false);
  });

  it('accepts the legacy key only on the plain seal heads from before key ids', async () => {
    await write(3);
    await asOwner(`update audit_settings set value = '4'::jsonb where key = 'sql_hash_from'`);
    const rows = await db.kysely.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const segment = segmentOf(new Date());
    let prev = '0'.repeat(64);
    const updates: string[] = [];
    rows.forEach((row, i) => {
      const hash = legacyRowHash(row, i + 1, segment, prev);
      updates.push(`update audit_log set chain_no = ${i + 1}, segment = '${segment}', prev_hash = '${prev}', hash = '${hash}' where seq = ${row.seq}`);
      prev = hash;
    });
    const signature = createHmac('sha256', legacySigningKey(TEST_SECRET)).update(['head', 3, prev].join('|')).digest('hex');
    updates.push(`insert into audit_heads (chain_no, hash, kind, signed_at, key_id, signature) values (3, '${prev}', 'seal', now() - interval '1 day', 'legacy', '${signature}')`);
    updates.push(`update audit_settings set value = to_jsonb((select max(id) from audit_heads)) where key = 'legacy_heads_through'`);
    await asOwner(updates.join('; '));
    expect(await verifyAuditLog(db.kysely, { keys })).toMatchObject({ ok: true, checkedRows: 3 });

    // The legacy signature covers only chain number and hash: a copy of that head as an accepted break,
    // signed "now", would otherwise verify and hide every anchor line older than it.
    await asOwner(
      `insert into audit_heads (chain_no, hash, kind, reason, signed_at, key_id, signature)
         select chain_no, hash, 'accept-break', 'maintenance', now(), key_id, signature from audit_heads where key_id = 'legacy'`,
    );
    const report = await verifyAuditLog(db.kysely, { keys });
    expect(report.ok).toBe(false);
    expect(report.firstBroken!.reason).toMatch(/legacy key/);
    await write(1);
    expect(await sealAuditLog(db.kysely, { keys })).toMatchObject({ status: 'halted', reason: 'signed_head_invalid' });
  });

  it('does not accept a later plain seal head under the legacy key either', async () => {
    await write(1);
    await seal();
    const head = await db.kysely.selectFrom('audit_heads').selectAll().executeTakeFirstOrThrow();
    const signature = createHmac('sha256', legacySigningKey(TEST_SECRET)).update(['head', head.chain_no, head.hash].join('|')).digest('hex');
    await asOwner(`insert into audit_heads (chain_no, hash, kind, signed_at, key_id, signature) values (${head.chain_no}, '${head.hash}', 'seal', now(), 'legacy', '${signature}')`);
    expect((await verifyAuditLog(db.kysely, { keys })).firstBroken!.reason).toMatch(/legacy key/);
  });

  it('signs every head with the current key id', async () => {
    await write(1);
    const head: SignedHead | null = (await seal()).head;
    expect(head).toMatchObject({ chainNo: 1, keyId: keys.current.id, kind: 'seal' });
  });
});
