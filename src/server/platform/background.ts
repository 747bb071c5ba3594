// Periodic work of a running server: seal the audit chain (and anchor its signed head outside the
// database), purge audit segments past retention, and remove expired sessions. Each loop waits for its
// previous run, so runs never overlap.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { anchorLine, haltAuditSealing, purgeExpiredAuditSegments, sealAuditLog, type SealResult } from './audit/chain.ts';
import type { AuditKeyRing } from './audit/keys.ts';
import { deleteExpiredSessions, deleteStaleLoginThrottles } from './auth/auth.repository.ts';
import { cleanUpPortalLogins } from '../modules/portal/portal.session.ts';
import { ADDRESS_THROTTLE, SESSION_IDLE_MS } from './auth/auth.service.ts';
import type { AppState } from './http.ts';
import { AUDIT_RETENTION_MIN_DAYS } from './config.ts';

export interface BackgroundOptions {
  /** Signs the audit chain's heads, checkpoints, purge records and anchor lines. */
  auditKeys: AuditKeyRing;
  /** The configured retention period in days (AUDIT_RETENTION_DAYS); decides which segments are purged. */
  auditRetentionDays: number;
  /** Where the sealing instance appends the signed head (AUDIT_ANCHOR_FILE); none when unset. */
  auditAnchorFile?: string;
  /** Receives `audit: 'ok' | 'halted'` for /api/health. */
  state?: AppState;
  log: FastifyBaseLogger;
}

/** At least this often the signed head is appended to the anchor file, also when it did not change. */
export const ANCHOR_EVERY_MS = 60_000;

function loop(name: string, everyMs: number, work: () => Promise<unknown>, log: FastifyBaseLogger) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = work()
      .catch((err: unknown) => log.error({ err }, `${name} failed`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  timer = setTimeout(tick, 0);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

/** Sealing that fails this many ticks in a row (about ten seconds) halts like a broken chain. */
export const SEAL_FAILURES_BEFORE_HALT = 10;

const HALT_MESSAGES: Record<string, string> = {
  sealing_keeps_failing: 'audit sealing halted: sealing failed on every attempt for a while; nothing more is sealed until `npm run audit:accept-break` (investigate first)',
};

/**
 * Seals, reports a halt once (fatal, no personal data), and appends the signed head to the anchor file.
 * A sealing error that persists for SEAL_FAILURES_BEFORE_HALT consecutive ticks becomes a persisted halt.
 */
export function auditSealer(db: Kysely<Database>, opts: Omit<BackgroundOptions, 'auditRetentionDays'>) {
  let halted = false;
  let anchored: { chainNo: number; hash: string; at: number } | null = null;
  let failures = 0;
  return async (): Promise<SealResult> => {
    let result: SealResult;
    try {
      result = await sealAuditLog(db, { keys: opts.auditKeys });
      failures = 0;
    } catch (error) {
      failures += 1;
      if (failures < SEAL_FAILURES_BEFORE_HALT) throw error;
      opts.log.error({ err: error }, 'audit sealing failed');
      result = await haltAuditSealing(db, { keys: opts.auditKeys, reason: 'sealing_keeps_failing' });
    }
    if (result.status === 'busy') return result;
    if (result.status === 'halted') {
      if (!halted) {
        opts.log.fatal(
          { auditSealing: 'halted', reason: result.reason },
          HALT_MESSAGES[result.reason] ??
            'audit sealing halted: the audit table does not match its signed head; nothing more is sealed until `npm run audit:accept-break` (investigate first)',
        );
      }
      halted = true;
    } else {
      if (halted) opts.log.warn({ auditSealing: 'ok' }, 'audit sealing resumed after an accepted break');
      halted = false;
    }
    if (opts.state) opts.state.audit = halted ? 'halted' : 'ok';
    const head = result.head;
    if (opts.auditAnchorFile && head) {
      const now = Date.now();
      if (!anchored || anchored.chainNo !== head.chainNo || anchored.hash !== head.hash || now - anchored.at >= ANCHOR_EVERY_MS) {
        await mkdir(dirname(opts.auditAnchorFile), { recursive: true });
        await appendFile(opts.auditAnchorFile, `${anchorLine(opts.auditKeys, head, new Date(now))}\n`, { mode: 0o600 });
        anchored = { chainNo: head.chainNo, hash: head.hash, at: now };
      }
    }
    return result;
  };
}

export function startBackgroundWork(db: Kysely<Database>, opts: BackgroundOptions): () => Promise<void> {
  // Fail closed even when the configuration was built around loadConfig: no purge under a period shorter than a year.
  if (!Number.isSafeInteger(opts.auditRetentionDays) || opts.auditRetentionDays < AUDIT_RETENTION_MIN_DAYS) {
    throw new Error(`the audit retention period must be at least ${AUDIT_RETENTION_MIN_DAYS} days`);
  }
  const seal = auditSealer(db, opts);
  const stops = [
    loop('audit sealing', 1_000, seal, opts.log),
    loop('audit retention', 3_600_000, () => purgeExpiredAuditSegments(db, { keys: opts.auditKeys, retentionDays: opts.auditRetentionDays }), opts.log),
    loop('session cleanup', 600_000, () => deleteExpiredSessions(db, new Date(), SESSION_IDLE_MS), opts.log),
    loop('login throttle cleanup', 600_000, () => deleteStaleLoginThrottles(db, new Date(), ADDRESS_THROTTLE.windowMs), opts.log),
    loop('portal session cleanup', 600_000, () => cleanUpPortalLogins(db, new Date()), opts.log),
  ];
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
    // A last seal, so rows written just before shutdown are chained.
    await seal();
  };
}
