// Benchmark: the citizen's access log page (docs/decisions/0032) with BENCH_AUDIT_ROWS (default 5,000,000) audit rows
// on PostgreSQL 15 answers in under 100 ms, and what the search-hit rows cost the search's audit insert.
// Starts a throwaway PostgreSQL (or uses BENCH_DATABASE_URL, an empty database), migrates, loads the demo's
// organisations, fills audit_log with rows over 200,000 records (a third of them citizens' own portal actions, some
// refusals), gives one record 3,000 staff uses and 20,000 of its own portal reads (a citizen who reads the log a lot),
// then times the first page, a deep page and the plan; then times the search's audit insert with 0, 25 and 100 hits.
// Not part of `npm test`. Run: npx tsx bench/access-log.ts
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../scripts/pg-throwaway.ts';
import { migrateToLatest, openPostgres, type Db } from '../src/server/db/connect.ts';
import { loadDemoData } from '../src/server/demo/demo-data.ts';
import { ORG, PROGRAMME, userId } from '../src/server/demo/ids.ts';
import { accessLogPage, accessLogPageSql } from '../src/server/modules/access-log/access-log.repository.ts';
import type { Actor } from '../src/server/platform/actor.ts';
import { recordAuditMany, type AuditEntry } from '../src/server/platform/audit/audit.ts';

const ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? 5_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const TARGET_MS = 100;
const out = (line = '') => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

const rk1: Actor = { userId: userId(4), username: 'rk1', name: 'Lone Madsen', organisationId: ORG.naestved, roles: [{ role: 'resource_consultant', programmeId: PROGRAMME.paaVej }] };

let pg: ThrowawayPostgres | undefined;
let db: Db | undefined;
try {
  const url = process.env.BENCH_DATABASE_URL ?? (pg = await startThrowawayPostgres()).url;
  db = await openPostgres(url);
  const k = db.kysely;
  let t0 = performance.now();
  await migrateToLatest(k);
  await loadDemoData(k, { cprKey: 'bench-cpr-key-bench-cpr-key-bench-cpr-key', withoutCitizens: true });
  out(`migrated and loaded the demo's organisations in ${Math.round(performance.now() - t0)} ms`);

  t0 = performance.now();
  const BATCH = 500_000;
  for (let from = 0; from < ROWS; from += BATCH) {
    const to = Math.min(ROWS, from + BATCH) - 1;
    await sql`
      insert into audit_log (occurred_at, organisation_id, actor_username, actor_organisation_id, actor_roles, action, purpose, resource_type, citizen_id, outcome)
      select now() - make_interval(secs => (${ROWS} - i) * 6),
             ${ORG.naestved}::uuid,
             case when i % 3 = 0 then 'portal:x' else 'rk' || (i % 4 + 1) end,
             case when i % 3 = 0 then null else ${ORG.naestved}::uuid end,
             case when i % 3 = 0 then '{citizen}'::text[] else '{resource_consultant}'::text[] end,
             case when i % 7 = 0 then 'update' when i % 11 = 0 then 'search' else 'read' end,
             case when i % 3 = 0 then 'self_service' else 'case_work' end,
             'citizen',
             case when i % 20 = 0 then null else md5((i % 200000)::text)::uuid end,
             case when i % 50 = 0 then 'denied' else 'success' end
        from generate_series(${from}::int, ${to}::int) i`.execute(k);
  }
  out(`inserted ${ROWS.toLocaleString('en')} audit rows in ${Math.round(performance.now() - t0)} ms`);

  const target = randomUUID();
  const other = randomUUID();
  t0 = performance.now();
  await sql`
    insert into audit_log (occurred_at, organisation_id, actor_username, actor_organisation_id, actor_roles, action, purpose, resource_type, citizen_id, outcome)
    select now() - make_interval(secs => (23000 - i) * 60), ${ORG.naestved}::uuid,
           case when i % 8 = 0 then 'rk1' else 'portal:target' end,
           case when i % 8 = 0 then ${ORG.naestved}::uuid else null end,
           case when i % 8 = 0 then '{resource_consultant}'::text[] else '{citizen}'::text[] end,
           'read', case when i % 8 = 0 then 'case_work' else 'self_service' end, 'citizen', ${target}::uuid, 'success'
      from generate_series(1, 23000) i`.execute(k);
  await sql`analyze audit_log`.execute(k);
  out(`the target record: 23,000 rows (about 2,900 staff uses, 20,100 of its own portal reads), analyzed in ${Math.round(performance.now() - t0)} ms`);
  const total = await sql<{ n: string }>`select count(*) as n from audit_log`.execute(k);
  out(`audit_log holds ${Number(total.rows[0]!.n).toLocaleString('en')} rows`);

  const account = randomUUID();
  const ids = [target, other];
  const time = async (label: string, before: number | null) => {
    for (let i = 0; i < 5; i += 1) await accessLogPage(k, account, ids, before, 21);
    const ms: number[] = [];
    let n = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const s = performance.now();
      n = (await accessLogPage(k, account, ids, before, 21)).length;
      ms.push(performance.now() - s);
    }
    const m = median(ms);
    out(`${label}: ${n} rows, median ${m.toFixed(2)} ms, p95 ${p95(ms).toFixed(2)} ms ${m < TARGET_MS ? 'OK' : `OVER ${TARGET_MS} ms`}`);
  };
  await time('first page (20 + 1)', null);
  const middle = await sql<{ seq: number }>`select seq from audit_log where citizen_id = ${target}::uuid and actor_roles = '{resource_consultant}' order by seq limit 1 offset 1400`.execute(k);
  await time('a page half-way down', Number(middle.rows[0]!.seq));
  const plan = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${accessLogPageSql(account, ids, null, 21)}`.execute(k);
  out('\nplan of the first page:');
  for (const r of plan.rows) out(`    ${r['QUERY PLAN']}`);

  out('\nthe search audit insert (one statement) with 0, 25 and 100 search-hit rows:');
  for (const hits of [0, 25, 100]) {
    const entries = (): AuditEntry[] => {
      const base = { actor: rk1, organisationId: ORG.naestved, action: 'search' as const, purpose: 'case_work' as const, resourceType: 'citizen', outcome: 'success' as const };
      const found = Array.from({ length: hits }, () => randomUUID());
      return [...found.map((id) => ({ ...base, resourceId: id, citizenId: id, criteria: { hit: true } })), { ...base, criteria: { q: 'an', found } }];
    };
    for (let i = 0; i < 10; i += 1) await k.transaction().execute((tx) => recordAuditMany(tx, entries()));
    const ms: number[] = [];
    for (let i = 0; i < RUNS * 2; i += 1) {
      const e = entries();
      const s = performance.now();
      await k.transaction().execute((tx) => recordAuditMany(tx, e));
      ms.push(performance.now() - s);
    }
    out(`  ${String(hits).padStart(3)} hits: median ${median(ms).toFixed(2)} ms, p95 ${p95(ms).toFixed(2)} ms (insert and commit)`);
  }
  const size = await sql<{ bytes: number }>`select avg(pg_column_size(a.*))::int as bytes from (select * from audit_log where criteria = '{"hit": true}'::jsonb limit 1000) a`.execute(k);
  out(`  a hit row: about ${size.rows[0]!.bytes} bytes in the heap, plus one entry in each of the table's indexes`);
} finally {
  await db?.close();
  pg?.stop();
}
