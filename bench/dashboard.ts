// Benchmark: the steering dashboard ("Overblik", docs/decisions/0038) of a programme with BENCH_CITIZENS (default
// 200,000) citizens and BENCH_ACTIVITIES (default 20,000,000) held conversations on PostgreSQL 15 answers in under
// 300 ms. Starts a throwaway PostgreSQL (or uses BENCH_DATABASE_URL, an empty database), migrates, loads the demo's
// organisations and users, then a four-year programme (2022–2025) with the citizens, one enrolment each (starts
// spread over the period, 60 % ended with an exit outcome, the job exits self-supporting after), two status
// periods each, and the conversations spread over each enrolment. Times the dashboard for the programme manager
// (exact) and the steering group (suppressed), before and after the activity refresh job has counted the days, and
// prints every statement's median (BENCH_EXPLAIN=1: and the plans of the three slowest). BENCH_SKIP_LIVE=1 leaves out
// the run before the job's first count; BENCH_REUSE=1 with BENCH_DATABASE_URL times an earlier run's programme again
// (same data, this checkout's code and schema). Not part of `npm test`. Run: npx tsx bench/dashboard.ts
import { sql } from 'kysely';
import pgClient from 'pg';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../scripts/pg-throwaway.ts';
import { migrateToLatest, openPostgres, type Db } from '../src/server/db/connect.ts';
import { loadDemoData } from '../src/server/demo/demo-data.ts';
import { ORG, userId } from '../src/server/demo/ids.ts';
import { dashboard } from '../src/server/modules/dashboard/dashboard.service.ts';
import { refreshCountedDays } from '../src/server/modules/dashboard/counted-days.ts';
import type { Actor } from '../src/server/platform/actor.ts';

const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 200_000);
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 20_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_MS = 300;
const out = (line = '') => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

let pg: ThrowawayPostgres | undefined;
let db: Db | undefined;
const statements: { sql: string; parameters: readonly unknown[]; ms: number }[] = [];
let recording = false;
try {
  const url = process.env.BENCH_DATABASE_URL ?? (pg = await startThrowawayPostgres()).url;
  db = await openPostgres(url, 4, () => {}, (text, parameters, ms) => {
    if (recording) statements.push({ sql: text, parameters, ms: ms ?? 0 });
  });
  const k = db.kysely;
  let t0 = performance.now();
  await migrateToLatest(k);
  out(`migrated in ${Math.round(performance.now() - t0)} ms`);
  // BENCH_REUSE=1 with BENCH_DATABASE_URL: the database already holds an earlier run's programme; time it again (after
  // migrating it to this checkout's schema), so that two versions of the code are measured on the same data.
  const reused = process.env.BENCH_REUSE ? await k.selectFrom('programmes').select('id').where('name', '=', 'Overblik-benchmark').executeTakeFirst() : undefined;
  const programmeId = reused?.id ?? (await generate());
  const pm = await k.selectFrom('users').select(['id', 'username', 'name', 'organisation_id']).where('username', '=', 'projektleder').executeTakeFirstOrThrow();
  const sg = await k.selectFrom('users').select(['id', 'username', 'name', 'organisation_id']).where('username', '=', 'styregruppe').executeTakeFirstOrThrow();
  const counts = await sql<{ c: string; e: string; v: string }>`
    select (select count(*) from citizens) as c, (select count(*) from enrolments) as e, (select count(*) from conversations) as v`.execute(k);
  const c = counts.rows[0]!;
  out(`${reused ? 'reused' : 'generated'}: ${Number(c.c).toLocaleString('en')} citizens, ${Number(c.e).toLocaleString('en')} enrolments, ${Number(c.v).toLocaleString('en')} conversations`);

  async function generate(): Promise<string> {
    await loadDemoData(k, { cprKey: 'bench-cpr-key-bench-cpr-key-bench-cpr-key', withoutCitizens: true });
    const creator = userId(4);
    const programme = await k
      .insertInto('programmes')
      .values({ organisation_id: ORG.naestved, name: 'Overblik-benchmark', starts_on: '2022-01-01', ends_on: '2025-12-31', capacity: CITIZENS })
      .returning('id')
      .executeTakeFirstOrThrow();
    const programmeId = programme.id;
    const pm = await k.selectFrom('users').select(['id', 'organisation_id']).where('username', '=', 'projektleder').executeTakeFirstOrThrow();
    const sg = await k.selectFrom('users').select(['id', 'organisation_id']).where('username', '=', 'styregruppe').executeTakeFirstOrThrow();
    await k
      .insertInto('user_roles')
      .values([
        { user_id: pm.id, organisation_id: pm.organisation_id, role: 'programme_manager', programme_id: programmeId },
        { user_id: sg.id, organisation_id: sg.organisation_id, role: 'steering_group', programme_id: programmeId },
      ])
      .execute();
    await k.insertInto('programme_targets').values([
      { programme_id: programmeId, outcome: 'job', target_percent: 20 },
      { programme_id: programmeId, outcome: 'education', target_percent: 15 },
    ]).execute();
    out(`loaded the demo's organisations and users in ${Math.round(performance.now() - t0)} ms`);

    t0 = performance.now();
    const BATCH = 50_000;
    for (let from = 1; from <= CITIZENS; from += BATCH) {
      const to = Math.min(CITIZENS, from + BATCH - 1);
      await sql`
        insert into citizens (id, organisation_id, cpr_encrypted, cpr_hash, birth_date, first_name, last_name, search_name, created_by)
        select md5('bench-citizen-' || i)::uuid, ${ORG.naestved}::uuid, 'bench', md5('bench-cpr-' || i), date '1965-01-01' + (i % 14000),
               'Bench', 'Borger ' || i, 'bench borger ' || i, ${creator}::uuid
          from generate_series(${from}::int, ${to}::int) i`.execute(k);
      // Starts spread over the period's first 1,300 days; 60 % ended 120–900 days later (never after the period).
      await sql`
        insert into enrolments (id, organisation_id, citizen_id, programme_id, benefit_code, start_date, status, end_date, exit_outcome, created_by)
        select md5('bench-enrolment-' || i)::uuid, ${ORG.naestved}::uuid, md5('bench-citizen-' || i)::uuid, ${programmeId}::uuid,
               (array['kontanthjaelp', 'uddannelseshjaelp', 'ressourceforloeb', 'jobafklaringsforloeb', 'ledighedsydelse'])[1 + i % 5],
               s.start, case when s.ended then 'ended' else 'active' end, case when s.ended then s.stop end,
               case when s.ended then (array['ordinaert_job', 'uddannelse', 'frafald', 'anden_ydelse', 'behandlingsbehov'])[1 + (i / 7) % 5] end,
               ${creator}::uuid
          from generate_series(${from}::int, ${to}::int) i,
               lateral (select date '2022-01-01' + ((i::bigint * 7919) % 1300)::int as start) d,
               lateral (select d.start, least(d.start + 120 + ((i::bigint * 104729) % 780)::int, date '2025-12-30') as stop, i % 10 < 6 as ended) s`.execute(k);
      await sql`
        insert into status_periods (organisation_id, citizen_id, benefit_code, from_date, to_date, created_by)
        select e.organisation_id, e.citizen_id, e.benefit_code, e.start_date, e.end_date, ${creator}::uuid
          from enrolments e where e.id in (select md5('bench-enrolment-' || i)::uuid from generate_series(${from}::int, ${to}::int) i)`.execute(k);
      await sql`
        insert into status_periods (organisation_id, citizen_id, benefit_code, activity, weekly_hours, from_date, created_by)
        select e.organisation_id, e.citizen_id, 'selvforsoergende', 'ordinary_job', 30, e.end_date + 1, ${creator}::uuid
          from enrolments e
         where e.id in (select md5('bench-enrolment-' || i)::uuid from generate_series(${from}::int, ${to}::int) i) and e.exit_outcome = 'ordinaert_job'`.execute(k);
  }
  out(`inserted ${CITIZENS.toLocaleString('en')} citizens, their enrolments and status periods in ${Math.round(performance.now() - t0)} ms`);

  // Conversations: ACTIVITIES / CITIZENS per citizen, spread evenly over the enrolment (or up to the period's end).
  t0 = performance.now();
  const perCitizen = Math.max(1, Math.round(ACTIVITIES / CITIZENS));
  const CITIZENS_PER_BATCH = Math.max(1, Math.floor(1_000_000 / perCitizen));
  for (let from = 1; from <= CITIZENS; from += CITIZENS_PER_BATCH) {
    const to = Math.min(CITIZENS, from + CITIZENS_PER_BATCH - 1);
    await sql`
      insert into conversations (organisation_id, citizen_id, starts_at, duration_minutes, place, status, staff_ids, created_by)
      select e.organisation_id, e.citizen_id,
             (e.start_date + (n * (coalesce(e.end_date, date '2025-12-30') - e.start_date)) / ${perCitizen}::int + time '09:00') at time zone 'Europe/Copenhagen',
             45, case when n % 3 = 0 then 'walk_and_talk' else 'conversation_room' end,
             case when n % 11 = 0 then 'cancelled' else 'held' end, array[${creator}::uuid], ${creator}::uuid
        from enrolments e, generate_series(0, ${perCitizen - 1}::int) n
       where e.id in (select md5('bench-enrolment-' || i)::uuid from generate_series(${from}::int, ${to}::int) i)`.execute(k);
    if (((from - 1) / CITIZENS_PER_BATCH) % 5 === 0) out(`  conversations for citizens up to ${to.toLocaleString('en')} (${Math.round((performance.now() - t0) / 1000)} s)`);
  }
  await sql`analyze`.execute(k);
  out(`inserted and analyzed the conversations in ${Math.round(performance.now() - t0)} ms`);
  return programmeId;
  }

  const actor = (u: typeof pm, role: 'programme_manager' | 'steering_group'): Actor => ({ userId: u.id, username: u.username, name: u.name, organisationId: u.organisation_id, roles: [{ role, programmeId }] });
  const manager = actor(pm, 'programme_manager');
  const steering = actor(sg, 'steering_group');

  const time = async (label: string, who: Actor) => {
    for (let i = 0; i < 2; i += 1) await dashboard(k, who, programmeId, {});
    const ms: number[] = [];
    statements.length = 0;
    recording = true;
    for (let i = 0; i < RUNS; i += 1) {
      const s = performance.now();
      await dashboard(k, who, programmeId, {});
      ms.push(performance.now() - s);
    }
    recording = false;
    const m = median(ms);
    out(`${label}: median ${m.toFixed(1)} ms, p95 ${p95(ms).toFixed(1)} ms over ${RUNS} runs ${m < TARGET_MS ? 'OK' : `OVER ${TARGET_MS} ms`}`);
    const bySql = new Map<string, { ms: number[]; parameters: readonly unknown[] }>();
    for (const st of statements) bySql.set(st.sql, { ms: [...(bySql.get(st.sql)?.ms ?? []), st.ms], parameters: st.parameters });
    // Every statement of a request with its median: the parts of the dashboard's time.
    const slow = [...bySql.entries()].map(([text, x]) => ({ text, m: median(x.ms), parameters: x.parameters })).sort((a, b) => b.m - a.m);
    for (const s of slow) out(`    ${s.m.toFixed(1).padStart(8)} ms  ${s.text.replace(/\s+/g, ' ').slice(0, 110)}`);
    // BENCH_EXPLAIN=1: the plans of the three slowest statements, with the parameters they ran with.
    if (process.env.BENCH_EXPLAIN) {
      const client = new pgClient.Client({ connectionString: url, options: '-c jit=off' });
      await client.connect();
      for (const st of slow.slice(0, 3)) {
        if (!/^\s*(select|with)/i.test(st.text)) continue;
        out(`    plan of: ${st.text.replace(/\s+/g, ' ').slice(0, 90)}`);
        const plan = await client.query(`explain (analyze, buffers) ${st.text}`, st.parameters as unknown[]);
        for (const r of plan.rows as { 'QUERY PLAN': string }[]) out(`      ${r['QUERY PLAN']}`);
      }
      await client.end();
    }
  };

  // BENCH_SKIP_LIVE=1: leave out the figures before the refresh job's first run (minutes with millions of activities).
  if (!process.env.BENCH_SKIP_LIVE) {
    out('\nwithout counted activity days (every figure counted live):');
    await time('programme manager (exact)', manager);
    await time('steering group (suppressed)', steering);
  }

  // The job counts through yesterday, as its hourly run does (BENCH_REFRESH_TODAY to count as of another day).
  t0 = performance.now();
  const refreshed = await refreshCountedDays(k, process.env.BENCH_REFRESH_TODAY ? { today: process.env.BENCH_REFRESH_TODAY } : {});
  out(`\nthe refresh job counted ${refreshed.activityDays.toLocaleString('en')} activity days and ${refreshed.supportDays.toLocaleString('en')} start days in ${Math.round(performance.now() - t0)} ms`);
  await time('programme manager (exact)', manager);
  await time('steering group (suppressed)', steering);
} finally {
  await db?.close();
  pg?.stop();
}
