// Opens the database: embedded PGlite in a data directory, or PostgreSQL when a URL is given.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, Migrator, PostgresDialect, type KyselyConfig } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.ts';
import { preparingPool } from './pg-prepared.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';
import { syncBuiltinInstruments } from '../modules/progression/instruments.service.ts';

export type Engine = 'pglite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  engine: Engine;
  /** The embedded instance, for dumps and clones; absent on PostgreSQL. */
  pglite?: PGlite;
  close(): Promise<void>;
}

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** The same JavaScript types from both engines: dates as 'YYYY-MM-DD', bigint and numeric as numbers. */
const parsers = {
  [DATE_OID]: (v: string) => v,
  [INT8_OID]: (v: string) => Number(v),
  [NUMERIC_OID]: (v: string) => Number(v),
};

/**
 * Called with every statement sent and its parameters, transaction control included (tests count a request's
 * statements with it; the HTTP benchmark replays them). Parameters may be personal data: never log them.
 */
export type StatementListener = (sql: string, parameters: readonly unknown[], durationMs?: number) => void;

function statementLog(onStatement: StatementListener | undefined): KyselyConfig['log'] {
  if (!onStatement) return undefined;
  return (event) => {
    if (event.level === 'query') onStatement(event.query.sql, event.query.parameters, event.queryDurationMillis);
  };
}

export async function openPglite(dataDir: string | undefined, loadDataDir?: Blob, onStatement?: StatementListener): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({ dataDir, loadDataDir, parsers, extensions: { pg_trgm } });
  await pglite.waitReady;
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log: statementLog(onStatement) });
  return {
    kysely,
    engine: 'pglite',
    pglite,
    async close() {
      await kysely.destroy();
    },
  };
}

export async function openPostgres(
  url: string,
  poolSize = 10,
  onIdleError: (err: Error) => void = () => {},
  onStatement?: StatementListener,
): Promise<Db> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      const parser = parsers[oid as keyof typeof parsers];
      if (parser) return parser;
      return pg.types.getTypeParser(oid, format);
    },
  };
  // JIT compilation off for the application's sessions (docs/decisions/0043): its queries are short or counted ahead,
  // and compiling a plan that crosses the cost threshold took longer (50–150 ms) than running it.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: types as pg.CustomTypesConfig, options: '-c jit=off' });
  // An idle connection that the server closes is dropped from the pool; without a listener it would crash the process.
  pool.on('error', onIdleError);
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }), log: statementLog(onStatement) });
  return {
    kysely,
    engine: 'postgres',
    async close() {
      await kysely.destroy();
    },
  };
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; onIdleError?: (err: Error) => void }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, 10, opts.onIdleError) : openPglite(opts.dataDir);
}

export async function migrateToLatest(kysely: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({
    db: kysely,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
  // The shipped instruments are data kept in step with the code (a changed definition is a new version).
  await syncBuiltinInstruments(kysely);
}
