// Periodic work of a running server: seal the audit chain, purge audit segments past retention,
// and remove expired sessions. Each loop waits for its previous run, so runs never overlap.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { auditSigningKey, purgeExpiredAuditSegments, sealAuditLog } from './audit/chain.ts';
import { deleteExpiredSessions, deleteStaleLoginThrottles } from './auth/auth.repository.ts';
import { ADDRESS_THROTTLE, SESSION_IDLE_MS } from './auth/auth.service.ts';

export interface BackgroundOptions {
  sessionSecret: string;
  auditRetentionDays: number;
  log: FastifyBaseLogger;
}

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

export function startBackgroundWork(db: Kysely<Database>, opts: BackgroundOptions): () => Promise<void> {
  const key = auditSigningKey(opts.sessionSecret);
  const stops = [
    loop('audit sealing', 1_000, () => sealAuditLog(db, { key }), opts.log),
    loop('audit retention', 3_600_000, () => purgeExpiredAuditSegments(db, { retentionDays: opts.auditRetentionDays }), opts.log),
    loop('session cleanup', 600_000, () => deleteExpiredSessions(db, new Date(), SESSION_IDLE_MS), opts.log),
    loop('login throttle cleanup', 600_000, () => deleteStaleLoginThrottles(db, new Date(), ADDRESS_THROTTLE.windowMs), opts.log),
  ];
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
    // A last seal, so rows written just before shutdown are chained.
    await sealAuditLog(db, { key });
  };
}
