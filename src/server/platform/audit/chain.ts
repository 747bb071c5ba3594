// The tamper-evident chain over the audit log. Sealing and purging run in SQL functions owned by the
// schema owner (migration 0004), which compute every hash; this module signs what they produce (heads,
// checkpoints, purge records, anchor lines) with the audit key, halts sealing when the table disagrees
// with the signed head, and verifies the whole chain naming the first broken row.
import { createHash } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditHeadsTable, AuditLogTable, Database } from '../../db/schema.ts';
import { recordAudit, type Executor } from './audit.ts';
import { LEGACY_KEY_ID, signAudit, verifyAudit, type AuditKeyRing } from './keys.ts';

export const GENESIS_HASH = '0'.repeat(64);
const SEAL_BATCH = 1000;
const SEAL_LOCK_ID = 731_004_221;
const SEALING_STATE_KEY = 'audit_sealing';

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

/** The hash of rows sealed before the sealing moved into SQL (chain numbers below `sql_hash_from`). */
export function legacyRowHash(row: AuditRow, chainNo: number, segment: string, prevHash: string): string {
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

/** The columns as text exactly as audit_row_hash() renders them; verification hashes them here, not in SQL. */
interface RowText {
  t_seq: string;
  t_at: string;
  t_org: string | null;
  t_actor: string | null;
  t_actor_org: string | null;
  t_roles: string;
  t_citizen: string | null;
  t_criteria: string | null;
}

function hashField(v: string | null): string {
  return v === null ? '-' : `${Buffer.byteLength(v, 'utf8')}:${v}`;
}

/** The same hash as the SQL function audit_row_hash(), computed independently of the database. */
export function sqlRowHash(row: AuditRow & RowText, chainNo: number, segment: string, prevHash: string): string {
  const content = [
    'v2',
    hashField(String(chainNo)),
    hashField(segment),
    hashField(prevHash),
    hashField(row.t_seq),
    hashField(row.t_at),
    hashField(row.t_org),
    hashField(row.t_actor),
    hashField(row.actor_username),
    hashField(row.t_actor_org),
    hashField(row.t_roles),
    hashField(row.action),
    hashField(row.purpose),
    hashField(row.resource_type),
    hashField(row.resource_id),
    hashField(row.t_citizen),
    hashField(row.outcome),
    hashField(row.t_criteria),
  ].join('|');
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Signed heads

export interface SignedHead {
  chainNo: number;
  hash: string;
  kind: 'seal' | 'accept-break';
  reason: string | null;
  signedAt: Date;
  keyId: string;
}

type HeadRow = Selectable<AuditHeadsTable>;

function headParts(h: { chain_no: number; hash: string; kind: string; reason: string | null; signed_at: Date }): (string | number)[] {
  return [h.kind, h.chain_no, h.hash, new Date(h.signed_at).toISOString(), h.reason ?? ''];
}

/**
 * A legacy signature covers only (chain number, hash), so it vouches for nothing else: it is accepted
 * only on a plain seal head that migration 0004 brought over (id up to `legacy_heads_through`).
 */
function legacyHeadAllowed(h: HeadRow, legacyThrough: number): boolean {
  return h.kind === 'seal' && h.reason === null && h.id <= legacyThrough;
}

function headValid(keys: AuditKeyRing, h: HeadRow, legacyThrough: number): boolean {
  if (h.key_id === LEGACY_KEY_ID && !legacyHeadAllowed(h, legacyThrough)) return false;
  return verifyAudit(keys, 'head', headParts(h), h.key_id, h.signature, ['head', h.chain_no, h.hash]);
}

/** The id of the last head signed with the legacy key at migration (0 when there was none). */
async function legacyHeadsThrough(db: Executor): Promise<number> {
  const row = await db.selectFrom('audit_settings').select('value').where('key', '=', 'legacy_heads_through').executeTakeFirst();
  return typeof row?.value === 'number' ? row.value : 0;
}

function toSignedHead(h: HeadRow): SignedHead {
  return { chainNo: h.chain_no, hash: h.hash, kind: h.kind, reason: h.reason, signedAt: new Date(h.signed_at), keyId: h.key_id };
}

async function latestHeadRow(tx: Executor): Promise<HeadRow | undefined> {
  return tx.selectFrom('audit_heads').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
}

async function storeSignedHead(
  tx: Executor,
  keys: AuditKeyRing,
  head: { chainNo: number; hash: string; kind: 'seal' | 'accept-break'; reason: string | null },
): Promise<SignedHead> {
  const signedAt = new Date();
  const row = { chain_no: head.chainNo, hash: head.hash, kind: head.kind, reason: head.reason, signed_at: signedAt };
  const { keyId, signature } = signAudit(keys, 'head', headParts(row));
  await tx.insertInto('audit_heads').values({ ...row, key_id: keyId, signature }).execute();
  return { chainNo: head.chainNo, hash: head.hash, kind: head.kind, reason: head.reason, signedAt, keyId };
}

interface TableHead {
  chain_no: number;
  hash: string;
  segment: string | null;
}

async function tableHead(tx: Executor): Promise<TableHead> {
  const { rows } = await sql<TableHead>`select chain_no, hash, segment from audit_table_head()`.execute(tx);
  const r = rows[0]!;
  return { chain_no: Number(r.chain_no), hash: r.hash, segment: r.segment };
}

// ---------------------------------------------------------------------------------------------
// Halted sealing

export type HaltReason = 'table_differs_from_signed_head' | 'signed_head_invalid' | 'sealing_keeps_failing';

export type SealingState = { state: 'ok' } | { state: 'halted'; since: string; reason: HaltReason };

/** Whether sealing is halted; persisted, so every instance and a restart see it. */
export async function auditSealingState(db: Executor): Promise<SealingState> {
  const row = await db.selectFrom('app_state').select('value').where('key', '=', SEALING_STATE_KEY).executeTakeFirst();
  const v = row?.value as SealingState | undefined;
  return v?.state === 'halted' ? v : { state: 'ok' };
}

async function persistHalt(db: Executor, reason: HaltReason): Promise<SealingState> {
  const current = await auditSealingState(db);
  if (current.state === 'halted') return current;
  const value: SealingState = { state: 'halted', since: new Date().toISOString(), reason };
  const json = JSON.stringify(value);
  await db
    .insertInto('app_state')
    .values({ key: SEALING_STATE_KEY, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: new Date() }))
    .execute();
  return value;
}

/**
 * Halts sealing for a reason found outside sealAuditLog (sealing that fails tick after tick); persisted
 * like any halt, so only `audit:accept-break` resumes it.
 */
export async function haltAuditSealing(db: Kysely<Database>, opts: { keys: AuditKeyRing; reason: HaltReason }): Promise<SealResult> {
  const state = await persistHalt(db, opts.reason);
  return { status: 'halted', reason: state.state === 'halted' ? state.reason : opts.reason, head: await validLatestHead(db, opts.keys) };
}

class Halt extends Error {
  constructor(readonly reason: HaltReason) {
    super(reason);
  }
}

async function closeSegment(tx: Executor, keys: AuditKeyRing, segment: string): Promise<void> {
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
  const { keyId, signature } = signAudit(keys, 'checkpoint', checkpointParts(cp));
  await tx.insertInto('audit_checkpoints').values({ ...cp, key_id: keyId, signature }).execute();
}

function checkpointParts(cp: { segment: string; first_chain_no: number; last_chain_no: number; row_count: number; prev_hash: string; last_hash: string }) {
  return [cp.segment, cp.first_chain_no, cp.last_chain_no, cp.row_count, cp.prev_hash, cp.last_hash];
}

export type SealResult =
  | { status: 'sealed'; sealed: number; head: SignedHead | null }
  /** Another instance holds the seal lock. */
  | { status: 'busy' }
  | { status: 'halted'; reason: HaltReason; head: SignedHead | null };

/**
 * Chains every unsealed row after the SIGNED head. When the table's head is not the signed head (rows
 * cut or rewritten at the end, a head replaced) or the signed head does not verify, nothing is sealed
 * and sealing halts until `audit:accept-break`. Rows are numbered at sealing, so a transaction that
 * commits late is chained when it appears instead of leaving a hole.
 */
export async function sealAuditLog(db: Kysely<Database>, opts: { keys: AuditKeyRing; now?: Date }): Promise<SealResult> {
  const now = opts.now ?? new Date();
  const segment = segmentOf(now);
  try {
    return await db.transaction().execute(async (tx): Promise<SealResult> => {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${SEAL_LOCK_ID}) as locked`.execute(tx);
      // Only the instance holding the lock reports a halt (and so appends anchor lines while halted).
      if (!rows[0]?.locked) return { status: 'busy' };
      const halted = await auditSealingState(tx);
      if (halted.state === 'halted') return { status: 'halted', reason: halted.reason, head: await validLatestHead(tx, opts.keys) };
      const signedRow = await latestHeadRow(tx);
      if (signedRow && !headValid(opts.keys, signedRow, await legacyHeadsThrough(tx))) throw new Halt('signed_head_invalid');
      const signed = signedRow ? toSignedHead(signedRow) : null;
      let head = { chainNo: signed?.chainNo ?? 0, hash: signed?.hash ?? GENESIS_HASH };
      const table = await tableHead(tx);
      if (table.chain_no !== head.chainNo || table.hash !== head.hash) throw new Halt('table_differs_from_signed_head');
      if (table.segment && table.segment < segment) await closeSegment(tx, opts.keys, table.segment);
      let sealed = 0;
      for (;;) {
        const batch = await sql<{ from_chain_no: number; from_hash: string; sealed: number; to_chain_no: number; to_hash: string }>`
          select from_chain_no, from_hash, sealed, to_chain_no, to_hash from audit_seal(${now}, ${SEAL_BATCH})`.execute(tx);
        const r = batch.rows[0]!;
        if (Number(r.from_chain_no) !== head.chainNo || r.from_hash !== head.hash) throw new Halt('table_differs_from_signed_head');
        sealed += Number(r.sealed);
        head = { chainNo: Number(r.to_chain_no), hash: r.to_hash };
        if (Number(r.sealed) < SEAL_BATCH) break;
      }
      const current = sealed > 0 ? await storeSignedHead(tx, opts.keys, { ...head, kind: 'seal', reason: null }) : signed;
      return { status: 'sealed', sealed, head: current };
    });
  } catch (error) {
    if (!(error instanceof Halt)) throw error;
    const state = await persistHalt(db, error.reason);
    return { status: 'halted', reason: state.state === 'halted' ? state.reason : error.reason, head: await validLatestHead(db, opts.keys) };
  }
}

async function validLatestHead(db: Executor, keys: AuditKeyRing): Promise<SignedHead | null> {
  const row = await latestHeadRow(db);
  return row && headValid(keys, row, await legacyHeadsThrough(db)) ? toSignedHead(row) : null;
}

/** acceptAuditBreak was asked to accept a break while sealing is not halted, without `force`. */
export class AuditNotHaltedError extends Error {
  constructor() {
    super('audit sealing is not halted; there is no break to accept (use --force to sign the current table end anyway)');
  }
}

/** Who runs the command: the operating-system user and host, recorded with the accepted break. */
function operator(): { osUser: string; host: string } {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers).
  }
  return { osUser, host: hostname() };
}

/**
 * Accepts the table as it stands: signs a new head over its current end, writes an audit row with the
 * reason and who ran it, and lifts the halt. The only way to resume sealing after a halt; refused when
 * sealing is not halted unless `force` is given.
 */
export async function acceptAuditBreak(
  db: Kysely<Database>,
  opts: { keys: AuditKeyRing; reason: string; force?: boolean },
): Promise<{ previous: SignedHead | null; head: SignedHead; wasHalted: boolean }> {
  const reason = opts.reason.trim();
  if (reason.length < 5 || reason.length > 1000) throw new Error('the reason must be 5 to 1000 characters');
  const by = operator();
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${SEAL_LOCK_ID})`.execute(tx);
    const state = await auditSealingState(tx);
    if (state.state !== 'halted' && !opts.force) throw new AuditNotHaltedError();
    const previousRow = await latestHeadRow(tx);
    const previous = previousRow ? toSignedHead(previousRow) : null;
    const table = await tableHead(tx);
    const head = await storeSignedHead(tx, opts.keys, { chainNo: table.chain_no, hash: table.hash, kind: 'accept-break', reason });
    await recordAudit(tx, {
      actor: null,
      actorUsername: 'system',
      organisationId: null,
      action: 'accept-break',
      purpose: 'supervision',
      resourceType: 'audit_chain',
      resourceId: String(table.chain_no),
      outcome: 'success',
      criteria: {
        reason,
        osUser: by.osUser,
        host: by.host,
        forced: state.state !== 'halted',
        previousChainNo: previous?.chainNo ?? null,
        previousHeadValid: previousRow ? headValid(opts.keys, previousRow, await legacyHeadsThrough(tx)) : null,
        chainNo: table.chain_no,
        haltedSince: state.state === 'halted' ? state.since : null,
      },
    });
    const value = JSON.stringify({ state: 'ok', acceptedAt: head.signedAt.toISOString() });
    await tx
      .insertInto('app_state')
      .values({ key: SEALING_STATE_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
      .execute();
    return { previous, head, wasHalted: state.state === 'halted' };
  });
}

// ---------------------------------------------------------------------------------------------
// Retention

/** Writes the retention period where only the schema owner can (call with the owner's connection). */
export async function setAuditRetention(ownerDb: Executor, retentionDays: number): Promise<void> {
  const value = JSON.stringify(retentionDays);
  await ownerDb
    .insertInto('audit_settings')
    .values({ key: 'retention_days', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
    .execute();
}

export async function auditRetentionDays(db: Executor): Promise<number | null> {
  const row = await db.selectFrom('audit_settings').select('value').where('key', '=', 'retention_days').executeTakeFirst();
  return typeof row?.value === 'number' ? row.value : null;
}

function purgeParts(p: { segment: string; row_count: number; last_hash: string; purged_at: Date; retention_days: number | null }) {
  const parts: (string | number)[] = [p.segment, p.row_count, p.last_hash, new Date(p.purged_at).toISOString()];
  // Records made before the retention period was signed with them have four parts.
  if (p.retention_days !== null) parts.push(p.retention_days);
  return parts;
}

const DAY_MS = 86_400_000;

/**
 * Purges whole closed segments past the configured retention period (AUDIT_RETENTION_DAYS, never a value
 * read from the database, which the application's own login may be able to change).
 * audit_purge_segment() also requires the period in audit_settings to have run out, deletes all of a
 * segment's rows and keeps a purge record signed here with the retention period; the purge is logged.
 */
export async function purgeExpiredAuditSegments(db: Kysely<Database>, opts: { keys: AuditKeyRing; retentionDays: number }): Promise<string[]> {
  const retentionDays = opts.retentionDays;
  if (!Number.isSafeInteger(retentionDays) || retentionDays < 1) throw new Error('the audit retention period must be a whole number of days');
  const now = Date.now();
  const candidates = await db.selectFrom('audit_checkpoints').select('segment').where('purged_at', 'is', null).orderBy('segment').execute();
  const expired = candidates.map((c) => c.segment).filter((s) => segmentEnd(s).getTime() + retentionDays * DAY_MS <= now);
  for (const segment of expired) {
    await db.transaction().execute(async (tx) => {
      const cp = await tx.selectFrom('audit_checkpoints').select(['row_count', 'last_hash']).where('segment', '=', segment).executeTakeFirstOrThrow();
      const purgedAt = new Date();
      const record = { segment, row_count: cp.row_count, last_hash: cp.last_hash, purged_at: purgedAt, retention_days: retentionDays };
      const { keyId, signature } = signAudit(opts.keys, 'purge', purgeParts(record));
      await sql`select audit_purge_segment(${segment}, ${purgedAt}, ${retentionDays}::integer, ${keyId}, ${signature})`.execute(tx);
      await recordAudit(tx, {
        actor: null,
        actorUsername: 'system',
        organisationId: null,
        action: 'purge',
        purpose: 'retention',
        resourceType: 'audit_segment',
        resourceId: segment,
        outcome: 'success',
        criteria: { retentionDays, rowCount: cp.row_count },
      });
    });
  }
  return expired;
}

// ---------------------------------------------------------------------------------------------
// Anchor lines: the signed head, outside the database

export interface AnchorEntry {
  chainNo: number;
  hash: string;
  at: string;
  keyId: string;
  signature: string;
}

export function anchorLine(keys: AuditKeyRing, head: { chainNo: number; hash: string }, at: Date): string {
  const iso = at.toISOString();
  const { keyId, signature } = signAudit(keys, 'anchor', [head.chainNo, head.hash, iso]);
  const entry: AnchorEntry = { chainNo: head.chainNo, hash: head.hash, at: iso, keyId, signature };
  return JSON.stringify(entry);
}

export interface AnchorSource {
  /** Where the line came from, for the report: file name and line number. */
  where: string;
  text: string;
}

/** The non-empty lines of anchor files, each named by file and line number. */
export function anchorSources(file: string, content: string): AnchorSource[] {
  return content
    .split('\n')
    .map((text, i) => ({ where: `${file}:${i + 1}`, text: text.trim() }))
    .filter((l) => l.text !== '');
}

// ---------------------------------------------------------------------------------------------
// Verification

export interface VerifyReport {
  ok: boolean;
  checkedRows: number;
  segments: { segment: string; status: 'verified' | 'purged' | 'open' | 'broken' }[];
  unsealedRows: number;
  acceptedBreaks: { chainNo: number; signedAt: string; reason: string | null }[];
  anchors: { checked: number; beforeAcceptedBreak: number };
  /** Signatures with key id `legacy` accepted unchecked because the legacy key is retired (see below). */
  legacyUnchecked: number;
  firstBroken: { seq: number | null; chainNo: number | null; reason: string } | null;
}

const chainFieldSet = sql<boolean>`(chain_no is not null or segment is not null or prev_hash is not null or hash is not null)`;

/**
 * Walks checkpoints, purge records, every remaining row, the signed heads and (when given) anchor
 * lines; stops at the first break and names it. Hashes are recomputed here, never trusted from SQL.
 */
export interface VerifyOptions {
  keys: AuditKeyRing;
  anchors?: AnchorSource[];
  /**
   * The configured retention period (AUDIT_RETENTION_DAYS): a purge signed with a shorter one fails, and
   * a purge record without one is checked against it (without it, such a record fails).
   */
  retentionDays?: number;
}

export async function verifyAuditLog(db: Kysely<Database>, opts: VerifyOptions): Promise<VerifyReport> {
  // One snapshot, so rows the running server seals meanwhile do not look like rows outside the chain.
  return db.transaction().setIsolationLevel('repeatable read').execute((tx) => verifySnapshot(tx, opts));
}

async function verifySnapshot(db: Executor, opts: VerifyOptions): Promise<VerifyReport> {
  const keys = opts.keys;
  const report: VerifyReport = {
    ok: true,
    checkedRows: 0,
    segments: [],
    unsealedRows: 0,
    acceptedBreaks: [],
    anchors: { checked: 0, beforeAcceptedBreak: 0 },
    legacyUnchecked: 0,
    firstBroken: null,
  };
  const fail = (seq: number | null, chainNo: number | null, reason: string): VerifyReport => {
    report.ok = false;
    report.firstBroken = { seq, chainNo, reason };
    return report;
  };

  const unsealed = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll().as('n'))
    .where(sql<boolean>`not ${chainFieldSet}`)
    .executeTakeFirstOrThrow();
  report.unsealedRows = Number(unsealed.n);

  // With the legacy key retired (AUDIT_LEGACY_VERIFY=false), a `legacy` signature is not checked; it is
  // accepted only while the newest head is signed with a current or previous key: that head commits, by
  // the hash chain the walk below checks link by link, to every row and segment end before it.
  const heads = await db.selectFrom('audit_heads').selectAll().orderBy('id').execute();
  const legacyThrough = await legacyHeadsThrough(db);
  const newest = heads[heads.length - 1];
  const legacyCovered = !keys.verifiers.has(LEGACY_KEY_ID) && newest !== undefined && newest.key_id !== LEGACY_KEY_ID && headValid(keys, newest, legacyThrough);
  const signatureOk = (valid: boolean, keyId: string): boolean => {
    if (valid) return true;
    if (keyId === LEGACY_KEY_ID && legacyCovered) {
      report.legacyUnchecked += 1;
      return true;
    }
    return false;
  };

  const boundary = await db.selectFrom('audit_settings').select('value').where('key', '=', 'sql_hash_from').executeTakeFirst();
  const sqlHashFrom = typeof boundary?.value === 'number' ? boundary.value : 1;

  const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().orderBy('first_chain_no').execute();
  const purges = new Map((await db.selectFrom('audit_purges').selectAll().execute()).map((p) => [p.segment, p]));
  let expectedPrev = GENESIS_HASH;
  let expectedChainNo = 1;

  const walk = async (segment: string, fromChainNo: number, toChainNo: number | null): Promise<string | null> => {
    let prev = expectedPrev;
    let next = fromChainNo;
    for (;;) {
      let q = db
        .selectFrom('audit_log')
        .selectAll()
        .select([
          sql<string>`seq::text`.as('t_seq'),
          sql<string>`to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('t_at'),
          sql<string | null>`organisation_id::text`.as('t_org'),
          sql<string | null>`actor_user_id::text`.as('t_actor'),
          sql<string | null>`actor_organisation_id::text`.as('t_actor_org'),
          sql<string>`actor_roles::text`.as('t_roles'),
          sql<string | null>`citizen_id::text`.as('t_citizen'),
          sql<string | null>`criteria::text`.as('t_criteria'),
        ])
        .where('segment', '=', segment)
        .where('chain_no', '>=', next)
        .orderBy('chain_no')
        .limit(SEAL_BATCH);
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
        const expected = next < sqlHashFrom ? legacyRowHash(row, next, segment, prev) : sqlRowHash(row, next, segment, prev);
        if (expected !== row.hash) {
          fail(row.seq, row.chain_no, 'content does not match its hash (edited)');
          return null;
        }
        prev = row.hash;
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
    if (!signatureOk(verifyAudit(keys, 'checkpoint', checkpointParts(cp), cp.key_id, cp.signature, checkpointParts(cp)), cp.key_id)) {
      return fail(null, cp.first_chain_no, `checkpoint ${cp.segment} has an invalid signature (key ${cp.key_id})`);
    }
    if (cp.prev_hash !== expectedPrev || cp.first_chain_no !== expectedChainNo) {
      return fail(null, cp.first_chain_no, `checkpoint ${cp.segment} does not continue the previous segment`);
    }
    const purge = purges.get(cp.segment);
    if (cp.purged_at || purge) {
      if (!purge) return fail(null, cp.first_chain_no, `segment ${cp.segment} is marked purged but has no signed purge record`);
      if (!cp.purged_at) return fail(null, cp.first_chain_no, `segment ${cp.segment} has a purge record but is not marked purged`);
      if (!verifyAudit(keys, 'purge', purgeParts(purge), purge.key_id, purge.signature)) {
        return fail(null, cp.first_chain_no, `the purge record of segment ${cp.segment} has an invalid signature (key ${purge.key_id})`);
      }
      if (purge.row_count !== cp.row_count || purge.last_hash !== cp.last_hash || new Date(purge.purged_at).getTime() !== new Date(cp.purged_at).getTime()) {
        return fail(null, cp.first_chain_no, `the purge record of segment ${cp.segment} does not match its checkpoint`);
      }
      const days = purge.retention_days ?? opts.retentionDays;
      if (days === undefined) return fail(null, cp.first_chain_no, `the purge record of segment ${cp.segment} names no retention period and none is configured`);
      if (opts.retentionDays !== undefined && days < opts.retentionDays) {
        return fail(null, cp.first_chain_no, `segment ${cp.segment} was purged under a retention period of ${days} days, shorter than the configured ${opts.retentionDays}`);
      }
      if (new Date(purge.purged_at).getTime() < segmentEnd(cp.segment).getTime() + days * DAY_MS) {
        return fail(null, cp.first_chain_no, `segment ${cp.segment} was purged before its retention period of ${days} days ran out`);
      }
      const left = await db.selectFrom('audit_log').select(['seq', 'chain_no']).where('segment', '=', cp.segment).orderBy('seq').execute();
      if (left.length > 0) {
        report.segments.push({ segment: cp.segment, status: 'broken' });
        return fail(left[0]!.seq, left[0]!.chain_no, `segment ${cp.segment} is marked purged but ${left.length} of its rows remain (a faked purge)`);
      }
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
  for (const segment of purges.keys()) {
    if (!checkpoints.some((c) => c.segment === segment)) return fail(null, null, `purge record for segment ${segment} without a checkpoint`);
  }

  let previousChainNo = -1;
  for (const h of heads) {
    if (h.key_id === LEGACY_KEY_ID && !legacyHeadAllowed(h, legacyThrough)) {
      return fail(null, h.chain_no, `signed head ${h.id} claims the legacy key, which signed only the heads from before key ids`);
    }
    if (!signatureOk(headValid(keys, h, legacyThrough), h.key_id)) return fail(null, h.chain_no, `signed head ${h.id} has an invalid signature (key ${h.key_id})`);
    if (h.kind === 'seal' && h.chain_no < previousChainNo) {
      return fail(null, h.chain_no, `signed head ${h.id} goes back from chain number ${previousChainNo} to ${h.chain_no} (replayed)`);
    }
    if (h.kind === 'accept-break') report.acceptedBreaks.push({ chainNo: h.chain_no, signedAt: new Date(h.signed_at).toISOString(), reason: h.reason });
    previousChainNo = h.chain_no;
  }
  const latest = heads[heads.length - 1];

  // A row with chain fields but no chain number, or numbered beyond the signed head, is outside the chain.
  const outside = await db
    .selectFrom('audit_log')
    .select(['seq', 'chain_no'])
    .where((eb) => eb.or([eb.and([eb('chain_no', 'is', null), chainFieldSet]), eb('chain_no', '>', latest?.chain_no ?? 0)]))
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  if (outside) return fail(outside.seq, outside.chain_no, 'a row carries chain fields but is not in the chain');

  const open = await db.selectFrom('audit_log').select('segment').distinct().where('chain_no', '>=', expectedChainNo).execute();
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

  // Every row that carries a chain field must be one the walk checked (purged segments hold none).
  const withChainFields = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where(chainFieldSet).executeTakeFirstOrThrow();
  if (Number(withChainFields.n) !== report.checkedRows) {
    const stray = await db
      .selectFrom('audit_log')
      .select(['seq', 'chain_no'])
      .where(chainFieldSet)
      .where((eb) =>
        eb.or([
          eb('chain_no', 'is', null),
          eb('hash', 'is', null),
          eb('segment', 'is', null),
          eb('prev_hash', 'is', null),
          eb('chain_no', '>', headChainNo),
        ]),
      )
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    return fail(stray?.seq ?? null, stray?.chain_no ?? null, 'a row carries chain fields but is not in the chain');
  }

  if (latest) {
    if (latest.chain_no > headChainNo) return fail(null, headChainNo + 1, `rows after chain number ${headChainNo} are missing (deleted at the end)`);
    if (latest.chain_no < headChainNo) return fail(null, latest.chain_no + 1, `rows after chain number ${latest.chain_no} were not sealed by this server`);
    if (latest.hash !== headHash) return fail(null, headChainNo, 'the last row does not match the signed head');
  } else if (headChainNo > 0) {
    return fail(null, null, 'the signed head of the chain is missing');
  }

  const lastBreak = heads.filter((h) => h.kind === 'accept-break').map((h) => new Date(h.signed_at).getTime()).reduce((a, b) => Math.max(a, b), -Infinity);
  for (const source of opts.anchors ?? []) {
    let entry: AnchorEntry;
    try {
      entry = JSON.parse(source.text) as AnchorEntry;
    } catch {
      return fail(null, null, `anchor ${source.where} is not a JSON line`);
    }
    if (!Number.isSafeInteger(entry.chainNo) || entry.chainNo < 0 || typeof entry.hash !== 'string' || typeof entry.at !== 'string' || typeof entry.keyId !== 'string' || typeof entry.signature !== 'string') {
      return fail(null, null, `anchor ${source.where} is not an anchor entry`);
    }
    if (!verifyAudit(keys, 'anchor', [entry.chainNo, entry.hash, entry.at], entry.keyId, entry.signature)) {
      return fail(null, entry.chainNo, `anchor ${source.where} has an invalid signature (key ${entry.keyId})`);
    }
    if (new Date(entry.at).getTime() <= lastBreak) {
      report.anchors.beforeAcceptedBreak += 1;
      continue;
    }
    report.anchors.checked += 1;
    if (entry.chainNo > headChainNo) {
      return fail(null, entry.chainNo, `anchor ${source.where} records chain number ${entry.chainNo}, but the chain ends at ${headChainNo} (an older copy of the database, or rows cut from the end)`);
    }
    if (entry.chainNo === 0) continue;
    const row = await db.selectFrom('audit_log').select(['seq', 'hash']).where('chain_no', '=', entry.chainNo).executeTakeFirst();
    if (row) {
      if (row.hash !== entry.hash) return fail(row.seq, entry.chainNo, `anchor ${source.where} records another hash for chain number ${entry.chainNo} (the chain was rewritten)`);
      continue;
    }
    const cp = checkpoints.find((c) => c.first_chain_no <= entry.chainNo && entry.chainNo <= c.last_chain_no);
    if (!cp?.purged_at) return fail(null, entry.chainNo, `anchor ${source.where} records chain number ${entry.chainNo}, which the table does not hold`);
    if (cp.last_chain_no === entry.chainNo && cp.last_hash !== entry.hash) {
      return fail(null, entry.chainNo, `anchor ${source.where} records another hash for chain number ${entry.chainNo} (the chain was rewritten)`);
    }
  }
  return report;
}
