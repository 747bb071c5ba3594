// Benchmark: a citizen search answers in under 50 ms (median) with 200,000 citizens on PostgreSQL.
// Starts a throwaway PostgreSQL 15 (or uses BENCH_DATABASE_URL, which must point at an empty database),
// migrates, loads the demo data, generates BENCH_CITIZENS (default 200,000) citizens in "På vej til arbejde"
// spread over rk1–rk4 (with status histories, notes and timeline events), then times the search and list paths with warm-up. Case 7 is a rare surname late in
// the alphabet: the worst case for a plan that walks citizens_name in order. Not part of `npm test`.
// Run: npx tsx bench/citizen-search.ts
import { CompiledQuery, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type Transaction } from 'kysely';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../scripts/pg-throwaway.ts';
import { migrateToLatest, openPostgres, type Db } from '../src/server/db/connect.ts';
import type { Database } from '../src/server/db/schema.ts';
import { loadDemoData } from '../src/server/demo/demo-data.ts';
import { ORG, PROGRAMME, userId } from '../src/server/demo/ids.ts';
import { visibilityScope } from '../src/server/modules/citizens/citizen-access.ts';
import * as repo from '../src/server/modules/citizens/citizens.repository.ts';
import { listCitizens as listService, searchCitizens, type CitizenDeps } from '../src/server/modules/citizens/citizens.service.ts';
import { cprVault } from '../src/server/modules/citizens/cpr-vault.ts';
import type { Actor } from '../src/server/platform/actor.ts';
import { dateInCopenhagen } from '../src/server/platform/dates.ts';
import { generateCitizens } from './generate-citizens.ts';
import { ReferenceData } from '../src/server/modules/citizens/reference-data.ts';

const TARGET_MS = 50;
const COUNT = Number(process.env.BENCH_CITIZENS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const WARMUP = 5;
const LIMIT = 25;

const out = (line = '') => process.stdout.write(`${line}\n`);

const rk1: Actor = {
  userId: userId(4),
  username: 'rk1',
  name: 'Lone Madsen',
  organisationId: ORG.naestved,
  roles: [{ role: 'resource_consultant', programmeId: PROGRAMME.paaVej }],
};
const projektleder: Actor = {
  userId: userId(10),
  username: 'projektleder',
  name: 'Karen Winther',
  organisationId: ORG.naestved,
  roles: [{ role: 'programme_manager', programmeId: PROGRAMME.paaVej }],
};

/** Compiles a repository call without running it (DummyDriver), so the benchmark can EXPLAIN exactly the SQL under test. */
async function compiledSql(run: (db: Kysely<Database>) => Promise<unknown>): Promise<CompiledQuery> {
  const captured: CompiledQuery[] = [];
  const logging = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  await run(logging);
  await logging.destroy();
  const q = captured[0];
  if (!q) throw new Error('no query captured');
  return q;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

async function time(fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), p95: percentile(samples, 95) };
}

interface Case {
  name: string;
  /** What the target applies to: the whole service call (transaction, scope, query, summaries, audit) or the query. */
  run: () => Promise<unknown>;
  /** The repository query inside it, timed on its own and EXPLAINed. */
  query: (db: Kysely<Database>) => Promise<unknown>;
}

async function scopeOf(db: Kysely<Database>, actor: Actor, today: string) {
  return db.transaction().execute((tx: Transaction<Database>) => visibilityScope(tx, new ReferenceData(), actor, today));
}

let pg: ThrowawayPostgres | undefined;
let db: Db | undefined;
try {
  const url = process.env.BENCH_DATABASE_URL ?? (pg = await startThrowawayPostgres()).url;
  db = await openPostgres(url);
  const kysely = db.kysely;
  let t0 = performance.now();
  await migrateToLatest(kysely);
  await loadDemoData(kysely, { cprKey: 'bench-cpr-key-bench-cpr-key-bench-cpr-key', withoutCitizens: true });
  out(`migrated and loaded demo data in ${Math.round(performance.now() - t0)} ms`);

  t0 = performance.now();
  const vault = cprVault('bench-root-key-0123456789abcdef');
  const { citizens: made } = await generateCitizens(kysely, {
    count: COUNT,
    programmeId: PROGRAMME.paaVej,
    organisationId: ORG.naestved,
    consultants: { ids: [userId(4), userId(5), userId(6), userId(7)] },
    vault,
    seed: 20_170_801,
  });
  const rk1Count = made.filter((c) => c.consultantId === rk1.userId).length;
  const rk1Open = made.filter((c) => c.consultantId === rk1.userId && c.status !== 'ended').length;
  out(`generated ${made.length} citizens (rk1: ${rk1Count}, of which ${rk1Open} open) in ${Math.round(performance.now() - t0)} ms`);
  const sizes = await kysely
    .selectNoFrom((eb) => [
      eb.selectFrom('citizens').select((s) => s.fn.countAll<number>().as('n')).as('citizens'),
      eb.selectFrom('enrolments').select((s) => s.fn.countAll<number>().as('n')).as('enrolments'),
      eb.selectFrom('team_members').select((s) => s.fn.countAll<number>().as('n')).as('team_members'),
    ])
    .executeTakeFirstOrThrow();
  out(`tables: ${JSON.stringify(sizes)}`);

  const deps: CitizenDeps = { db: kysely, vault, reference: new ReferenceData() };
  const today = dateInCopenhagen();
  const rk1Scope = await scopeOf(kysely, rk1, today);
  const plScope = await scopeOf(kysely, projektleder, today);
  const target = made.find((c, i) => i > made.length / 2 && c.consultantId === rk1.userId)!;
  const firstPage = await listService(deps, projektleder, { scope: 'all', limit: LIMIT });
  if (!firstPage.nextCursor) throw new Error('expected a second page');
  const cursor = firstPage.nextCursor;
  const after = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as repo.CitizenCursor;

  // Sanity: the scoped queries see what they should.
  const jensRk1 = await searchCitizens(deps, rk1, { q: 'jens', limit: 100 });
  const cprHit = await repo.listCitizens(kysely, rk1Scope, 'all', { cprHash: target.cprHash }, undefined, LIMIT);
  if (cprHit.length !== 1 || cprHit[0]!.id !== target.id) throw new Error('CPR-hash lookup did not find the citizen');
  if (jensRk1.items.some((c) => !c.enrolment?.consultants.some((k) => k.id === rk1.userId))) throw new Error('rk1 sees a citizen outside her team');

  const cases: Case[] = [
    {
      name: "1 search 'jens' as rk1",
      run: () => searchCitizens(deps, rk1, { q: 'jens', limit: LIMIT }),
      query: (d) => repo.listCitizens(d, rk1Scope, 'all', { nameWords: ['jens'] }, undefined, LIMIT),
    },
    {
      name: "2 search 'hansen' as projektleder",
      run: () => searchCitizens(deps, projektleder, { q: 'hansen', limit: LIMIT }),
      query: (d) => repo.listCitizens(d, plScope, 'all', { nameWords: ['hansen'] }, undefined, LIMIT),
    },
    {
      name: '3 CPR-hash lookup as rk1 (query)',
      run: () => repo.listCitizens(kysely, rk1Scope, 'all', { cprHash: target.cprHash }, undefined, LIMIT),
      query: (d) => repo.listCitizens(d, rk1Scope, 'all', { cprHash: target.cprHash }, undefined, LIMIT),
    },
    {
      name: '4 list all, page 1, projektleder',
      run: () => listService(deps, projektleder, { scope: 'all', limit: LIMIT }),
      query: (d) => repo.listCitizens(d, plScope, 'all', {}, undefined, LIMIT),
    },
    {
      name: '5 list mine, page 1, rk1',
      run: () => listService(deps, rk1, { scope: 'mine', limit: LIMIT }),
      query: (d) => repo.listCitizens(d, rk1Scope, 'mine', {}, undefined, LIMIT),
    },
    {
      name: '6 list all, page 2 (cursor), projektleder',
      run: () => listService(deps, projektleder, { scope: 'all', cursor, limit: LIMIT }),
      query: (d) => repo.listCitizens(d, plScope, 'all', {}, after, LIMIT),
    },
    {
      name: "7 search 'østergaard' as projektleder",
      run: () => searchCitizens(deps, projektleder, { q: 'østergaard', limit: LIMIT }),
      query: (d) => repo.listCitizens(d, plScope, 'all', { nameWords: ['østergaard'] }, undefined, LIMIT),
    },
  ];

  const results: { c: Case; whole: { median: number; p95: number }; query: { median: number; p95: number } }[] = [];
  for (const c of cases) {
    const whole = await time(c.run);
    const query = await time(() => c.query(kysely));
    results.push({ c, whole, query });
  }

  out();
  out(`${COUNT} citizens, ${RUNS} runs after ${WARMUP} warm-up, limit ${LIMIT}; target: median < ${TARGET_MS} ms for the whole call`);
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (v: number) => v.toFixed(1).padStart(8);
  out(`${pad('case', 44)}${'median'.padStart(8)}${'p95'.padStart(8)}   ${'query med'.padStart(9)}${'p95'.padStart(8)}   verdict`);
  let failed = false;
  for (const r of results) {
    const over = r.whole.median > TARGET_MS;
    failed ||= over;
    out(`${pad(r.c.name, 44)}${num(r.whole.median)}${num(r.whole.p95)}   ${num(r.query.median).padStart(9)}${num(r.query.p95)}   ${over ? `OVER TARGET (${TARGET_MS} ms)` : 'within target'}`);
  }

  const slowest = results.reduce((a, b) => (b.whole.median > a.whole.median ? b : a));
  const compiled = await compiledSql(slowest.c.query);
  out();
  out(`EXPLAIN (ANALYZE, BUFFERS) of the slowest case, "${slowest.c.name}":`);
  out(compiled.sql);
  out(`parameters: ${JSON.stringify(compiled.parameters)}`);
  const plan = await kysely.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${compiled.sql}`, [...compiled.parameters]));
  for (const row of plan.rows) out(row['QUERY PLAN']);

  out();
  out(failed ? `OVER TARGET: at least one median above ${TARGET_MS} ms` : `all cases within target (${TARGET_MS} ms)`);
  process.exitCode = failed ? 1 : 0;
} finally {
  await db?.close();
  pg?.stop();
}
