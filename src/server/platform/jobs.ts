// The job queue (pg-boss 10) on the application's own database, on both engines. pg-boss talks to the
// database through the application's Kysely instance: on PGlite that goes through the same mutex as every
// request (one connection; a job's statement can never land inside a request's transaction), and a
// statement without parameters goes through the simple protocol, which pg-boss's multi-statement schema
// work needs. Its schema is created by migration 0011; a later pg-boss release migrates it at start.
import type { FastifyBaseLogger } from 'fastify';
import { CompiledQuery, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { Database } from '../db/schema.ts';

export const JOB_SCHEMA = 'pgboss';

/** A pg-boss database adapter over Kysely. */
export function kyselyAdapter(db: Kysely<Database>): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] };
    },
  } as PgBoss.Db;
}

export interface JobDefinition {
  name: string;
  /** A cron expression (Europe/Copenhagen) for recurring work; none for jobs only sent. */
  cron?: string;
  /** Also run once as the queue starts (e.g. to compute what is due after a restart). */
  runAtStart?: boolean;
  /** `boss`: to send further jobs (e.g. one per message), inside the handler's own transaction where it gives `db`. */
  handler: (data: unknown, context: { boss: PgBoss }) => Promise<unknown>;
}

export interface JobQueue {
  boss: PgBoss;
  /** Stops the workers and the schedules, letting a running job finish. */
  stop(): Promise<void>;
}

export interface JobQueueOptions {
  log: Pick<FastifyBaseLogger, 'error' | 'info'>;
  /** How often workers ask for jobs; pg-boss's minimum is 0.5 s. */
  pollingIntervalSeconds?: number;
  /** Recurring schedules (off in tests that drive jobs themselves). */
  schedule?: boolean;
}

export async function startJobQueue(db: Kysely<Database>, jobs: JobDefinition[], opts: JobQueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    db: kyselyAdapter(db),
    schema: JOB_SCHEMA,
    migrate: true,
    supervise: true,
    schedule: opts.schedule ?? true,
    // Completed jobs are kept a week for the operator; failed ones a month.
    deleteAfterDays: 7,
    retentionDays: 30,
  });
  boss.on('error', (err) => opts.log.error({ err }, 'job queue error'));
  await boss.start();
  for (const job of jobs) {
    // A queue is a partition of pg-boss's job table, which only the schema's owner may attach: queues are
    // created by the migrations (see 0011), never here.
    if (!(await boss.getQueue(job.name))) throw new Error(`job queue ${job.name} does not exist: add it in a migration`);
    await boss.work(job.name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 1 }, async ([item]) => {
      const started = Date.now();
      const result = await job.handler(item?.data, { boss });
      opts.log.info(`job ${job.name} done in ${Date.now() - started} ms`);
      return result;
    });
    if (job.cron && (opts.schedule ?? true)) await boss.schedule(job.name, job.cron, {}, { tz: 'Europe/Copenhagen' });
    if (job.runAtStart) await boss.send(job.name, {}, { singletonKey: 'start' });
  }
  return {
    boss,
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
