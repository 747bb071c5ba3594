// The tamper-evident chain over the audit log: sealing in chain order, signed segment checkpoints,
// retention purges of whole segments, and verification that names the first broken row.
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../../db/schema.ts';
import { recordAudit } from './audit.ts';

export const GENESIS_HASH = '0'.repeat(64);
const SEAL_BATCH = 1000;
const SEAL_LOCK_ID = 731_004_221;

export function auditSigningKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'bindeled', 'audit-checkpoint', 32));
}

/** Segments are calendar months (UTC) of the time a row was sealed. */
export function segmentOf(d: Date): string {
  return d.toISOString().slice(0, 7);
}

export function segmentEnd(segment: string): Date {
  const [y, m] = segment.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1));
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`)
    .join(',')}}`;
}

type AuditRow = Selectable<AuditLogTable>;

export function rowHash(row: AuditRow, chainNo: number, segment: string, prevHash: string): string {
  const content = stableStringify([
    chainNo,
    segment,
    prevHash,
    row.seq,
    new Date(row.occurred_at).toISOString(),
    row.organisation_id,
    row.actor_user_id,
    row.actor_username,
    row.actor_organisation_id,
    row.actor_roles,
    row.action,
    row.purpose,
    row.resource_type,
    row.resource_id,
    row.citizen_id,
    row.outcome,
    row.criteria,
  ]);
  return createHash('sha256').update(content).digest('hex');
}

function sign(key: Buffer, parts: (string | number)[]): string {
  return createHmac('sha256', key).update(parts.join('|')).digest('hex');
}

function checkpointSignature(
  key: Buffer,
  cp: { segment: string; first_chain_no: number; last_chain_no: number; row_count: number; prev_hash: string; last_hash: string },
): string {
  return sign(key, [cp.segment, cp.first_chain_no, cp.last_chain_no, cp.row_count, cp.prev_hash, cp.last_hash]);
}

type Head = { chainNo: number; hash: string; segment: string | null };

async function chainHead(tx: Kysely<Database>): Promise<Head> {
  const lastRow = await tx
    .selectFrom('audit_log')
    .select(['chain_no', 'hash', 'segment'])
    .where('chain_no', 'is not', null)
    .orderBy('chain_no', 'desc')
    .limit(1)
    .executeTakeFirst();
  const lastCp = await tx
    .selectFrom('audit_checkpoints')
    .select(['last_chain_no', 'last_hash'])
    .orderBy('last_chain_no', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (lastRow && (!lastCp || lastRow.chain_no! > lastCp.last_chain_no)) {
    return { chainNo: lastRow.chain_no!, hash: lastRow.hash!, segment: lastRow.segment };
  }
  if (lastCp) return { chainNo: lastCp.last_chain_no, hash: lastCp.last_hash, segment: null };
  return { chainNo: 0, hash: GENESIS_HASH, segment: null };
}

async function closeSegment(tx: Kysely<Database>, key: Buffer, segment: string): Promise<void> {
  const exists = await tx.selectFrom('audit_checkpoints').select('segment').where('segment', '=', segment).executeTakeFirst();
  if (exists) return;
  const bounds = await tx
    .selectFrom('audit_log')
    .select((eb) => [eb.fn.min('chain_no').as('first'), eb.fn.max('chain_no').as('last'), eb.fn.countAll().as('count')])
    .where('segment', '=', segment)
    .executeTakeFirstOrThrow();
  const first = Number(bounds.first);
  const last = Number(bounds.last);
  const firstRow = await tx.selectFrom('audit_log').select('prev_hash').where('chain_no', '=', first).executeTakeFirstOrThrow();
  const lastRow = await tx.selectFrom('audit_log').select('hash').where('chain_no', '=', last).executeTakeFirstOrThrow();
  const cp = {
    segment,
    first_chain_no: first,
    last_chain_no: last,
    row_count: Number(bounds.count),
    prev_hash: firstRow.prev_hash!,
    last_hash: lastRow.hash!,
  };
  await tx.insertInto('audit_checkpoints').values({ ...cp, signature: checkpointSignature(key, cp) }).execute();
}

async function storeSignedHead(tx: Kysely<Database>, key: Buffer, head: Head): Promise<void> {
  const value = JSON.stringify({ chainNo: head.chainNo, hash: head.hash, signature: sign(key, ['head', head.chainNo, head.hash]) });
  await tx
    .insertInto('app_state')
    .values({ key: 'audit_head', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
    .execute();
}

/**
 * Chains every unsealed row, in the order the rows are found (sequence order), after the current head.
 * Rows are numbered here rather than by their sequence, so a transaction that commits late is chained
 * when it appears instead of leaving a hole. Returns the number of rows sealed.
 */
export async function sealAuditLog(db: Kysely<Database>, opts: { key: Buffer; now?: Date }): Promise<number> {
  const now = opts.now ?? new Date();
  const segment = segmentOf(now);
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${SEAL_LOCK_ID})`.execute(tx);
    let head = await chainHead(tx);
    if (head.segment && head.segment !== segment) {
      await closeSegment(tx, opts.key, head.segment);
    }
    let sealed = 0;
    for (;;) {
      const rows = await tx.selectFrom('audit_log').selectAll().where('hash', 'is', null).orderBy('seq').limit(SEAL_BATCH).execute();
      if (rows.length === 0) break;
      const seqs: number[] = [];
      const chainNos: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        const chainNo = head.chainNo + 1;
        const hash = rowHash(row, chainNo, segment, head.hash);
        seqs.push(row.seq);
        chainNos.push(chainNo);
        prevs.push(head.hash);
        hashes.push(hash);
        head = { chainNo, hash, segment };
      }
      await sql`
        update audit_log a
           set chain_no = v.chain_no, segment = ${segment}, prev_hash = v.prev_hash, hash = v.hash
          from (select unnest(${seqs}::bigint[]) as seq, unnest(${chainNos}::bigint[]) as chain_no,
                       unnest(${prevs}::text[]) as prev_hash, unnest(${hashes}::text[]) as hash) v
         where a.seq = v.seq`.execute(tx);
      sealed += rows.length;
      if (rows.length < SEAL_BATCH) break;
    }
    if (sealed > 0) await storeSignedHead(tx, opts.key, head);
    return sealed;
  });
}

/** Deletes the rows of closed segments whose retention has run out; their checkpoints stay, marked purged. */
export async function purgeExpiredAuditSegments(
  db: Kysely<Database>,
  opts: { retentionDays: number; now?: Date },
): Promise<string[]> {
  const now = opts.now ?? new Date();
  const candidates = await db.selectFrom('audit_checkpoints').select('segment').where('purged_at', 'is', null).orderBy('segment').execute();
  const expired = candidates
    .map((c) => c.segment)
    .filter((s) => segmentEnd(s).getTime() + opts.retentionDays * 86_400_000 <= now.getTime());
  for (const segment of expired) {
    await db.transaction().execute(async (tx) => {
      await sql`select set_config('bindeled.audit_purge', 'on', true)`.execute(tx);
      await tx.updateTable('audit_checkpoints').set({ purged_at: now }).where('segment', '=', segment).execute();
      await tx.deleteFrom('audit_log').where('segment', '=', segment).execute();
      await recordAudit(tx, {
        actor: null,
        actorUsername: 'system',
        organisationId: null,
        action: 'purge',
        purpose: 'retention',
        resourceType: 'audit_segment',
        resourceId: segment,
        outcome: 'success',
        criteria: { retentionDays: opts.retentionDays },
      });
    });
  }
  return expired;
}

export interface VerifyReport {
  ok: boolean;
  checkedRows: number;
  segments: { segment: string; status: 'verified' | 'purged' | 'open' | 'broken' }[];
  unsealedRows: number;
  firstBroken: { seq: number | null; chainNo: number | null; reason: string } | null;
}

/** Walks the checkpoints and every remaining row; stops at the first break and names it. */
export async function verifyAuditLog(db: Kysely<Database>, opts: { key: Buffer }): Promise<VerifyReport> {
  const report: VerifyReport = { ok: true, checkedRows: 0, segments: [], unsealedRows: 0, firstBroken: null };
  const fail = (seq: number | null, chainNo: number | null, reason: string): VerifyReport => {
    report.ok = false;
    report.firstBroken = { seq, chainNo, reason };
    return report;
  };

  const unsealed = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('hash', 'is', null).executeTakeFirstOrThrow();
  report.unsealedRows = Number(unsealed.n);

  const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().orderBy('first_chain_no').execute();
  let expectedPrev = GENESIS_HASH;
  let expectedChainNo = 1;

  const walk = async (segment: string, fromChainNo: number, toChainNo: number | null): Promise<string | null> => {
    let prev = expectedPrev;
    let next = fromChainNo;
    for (;;) {
      let q = db.selectFrom('audit_log').selectAll().where('segment', '=', segment).where('chain_no', '>=', next).orderBy('chain_no').limit(SEAL_BATCH);
      if (toChainNo !== null) q = q.where('chain_no', '<=', toChainNo);
      const rows = await q.execute();
      for (const row of rows) {
        if (row.chain_no !== next) {
          fail(null, next, `row with chain number ${next} is missing (deleted) before sequence ${row.seq}`);
          return null;
        }
        if (row.prev_hash !== prev) {
          fail(row.seq, row.chain_no, 'link to the previous row does not match');
          return null;
        }
        if (rowHash(row, row.chain_no, segment, prev) !== row.hash) {
          fail(row.seq, row.chain_no, 'content does not match its hash (edited)');
          return null;
        }
        prev = row.hash!;
        next += 1;
        report.checkedRows += 1;
      }
      if (rows.length < SEAL_BATCH) break;
    }
    if (toChainNo !== null && next !== toChainNo + 1) {
      fail(null, next, `row with chain number ${next} is missing (deleted) at the end of segment ${segment}`);
      return null;
    }
    expectedChainNo = next;
    return prev;
  };

  for (const cp of checkpoints) {
    if (checkpointSignature(opts.key, cp) !== cp.signature) return fail(null, cp.first_chain_no, `checkpoint ${cp.segment} has an invalid signature`);
    if (cp.prev_hash !== expectedPrev || cp.first_chain_no !== expectedChainNo) {
      return fail(null, cp.first_chain_no, `checkpoint ${cp.segment} does not continue the previous segment`);
    }
    if (cp.purged_at) {
      report.segments.push({ segment: cp.segment, status: 'purged' });
    } else {
      const last = await walk(cp.segment, cp.first_chain_no, cp.last_chain_no);
      if (last === null) {
        report.segments.push({ segment: cp.segment, status: 'broken' });
        return report;
      }
      if (last !== cp.last_hash) {
        report.segments.push({ segment: cp.segment, status: 'broken' });
        return fail(null, cp.last_chain_no, `segment ${cp.segment} does not end in its checkpoint's hash`);
      }
      report.segments.push({ segment: cp.segment, status: 'verified' });
    }
    expectedPrev = cp.last_hash;
    expectedChainNo = cp.last_chain_no + 1;
  }

  const open = await db
    .selectFrom('audit_log')
    .select('segment')
    .distinct()
    .where('chain_no', '>=', expectedChainNo)
    .execute();
  if (open.length > 1) return fail(null, expectedChainNo, 'sealed rows after the last checkpoint span several segments');
  let headHash = expectedPrev;
  let headChainNo = expectedChainNo - 1;
  if (open[0]?.segment) {
    const last = await walk(open[0].segment, expectedChainNo, null);
    if (last === null) {
      report.segments.push({ segment: open[0].segment, status: 'broken' });
      return report;
    }
    report.segments.push({ segment: open[0].segment, status: 'open' });
    headHash = last;
    headChainNo = expectedChainNo - 1;
  }

  const stored = await db.selectFrom('app_state').select('value').where('key', '=', 'audit_head').executeTakeFirst();
  if (stored) {
    const head = stored.value as { chainNo: number; hash: string; signature: string };
    if (sign(opts.key, ['head', head.chainNo, head.hash]) !== head.signature) return fail(null, head.chainNo, 'the signed head of the chain is invalid');
    if (head.chainNo > headChainNo) return fail(null, headChainNo + 1, `rows after chain number ${headChainNo} are missing (deleted at the end)`);
    if (head.chainNo < headChainNo) return fail(null, head.chainNo + 1, `rows after chain number ${head.chainNo} were not sealed by this server`);
    if (head.hash !== headHash) return fail(null, headChainNo, 'the last row does not match the signed head');
  } else if (headChainNo > 0) {
    return fail(null, null, 'the signed head of the chain is missing');
  }
  return report;
}
