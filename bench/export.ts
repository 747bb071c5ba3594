// Benchmark: the research export (docs/decisions/0039, 0046) on PostgreSQL 15 streams at least 50,000 rows per second
// with the process's memory below 300 MB, and fails (exit code 1) when it does not, or when the export is not ready.
// Starts a throwaway PostgreSQL (or uses BENCH_DATABASE_URL), migrates, loads the demo's organisations and users,
// generates BENCH_CITIZENS citizens (default 200,000) in "På vej til arbejde" with their enrolment and status history
// (bench/generate-citizens.ts) and BENCH_ACTIVITIES conversations each (default 100, i.e. 20 million), records an
// approved study releasing every non-health variable (sex included, so every CPR number is decrypted), then builds
// the export in this process and reports rows per second, the package's size, the peak resident memory (sampled every
// 50 ms, with the V8 heap at the peak, and the kernel's high-water mark) and the load average at the start and end.
// A database generated before (BENCH_DATABASE_URL holding the 'Bench' study) is used as it is, so a before and an
// after run on the same data; BENCH_GENERATE_ONLY=1 only generates. Not part of `npm test`.
// Run: npx tsx bench/export.ts   (small: BENCH_CITIZENS=2000 BENCH_ACTIVITIES=20)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../scripts/pg-throwaway.ts';
import { migrateToLatest, openPostgres, type Db } from '../src/server/db/connect.ts';
import { loadDemoData } from '../src/server/demo/demo-data.ts';
import { ORG, PROGRAMME, userId } from '../src/server/demo/ids.ts';
import { cprVault } from '../src/server/modules/citizens/cpr-vault.ts';
import { buildExport } from '../src/server/modules/research/export-package.ts';
import { dateInCopenhagen } from '../src/server/platform/dates.ts';
import { generateCitizens } from './generate-citizens.ts';

const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 200_000);
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 100);
const CPR_KEY = 'bench-cpr-key-bench-cpr-key-bench-cpr-key';
const RESEARCH_KEY = 'bench-research-key-bench-research-key-0000';
const TARGET_ROWS_PER_SECOND = 50_000;
const TARGET_MB = 300;
const out = (line = '') => process.stdout.write(`${line}\n`);

let pg: ThrowawayPostgres | undefined;
let db: Db | undefined;
const dir = mkdtempSync(join(tmpdir(), 'bindeled-bench-export-'));
try {
  const url = process.env.BENCH_DATABASE_URL ?? (pg = await startThrowawayPostgres()).url;
  db = await openPostgres(url);
  const k = db.kysely;
  const today = dateInCopenhagen();
  const variables = [
    'enrolments.pseudonym', 'enrolments.birth_year', 'enrolments.sex', 'enrolments.start_date', 'enrolments.end_date', 'enrolments.status',
    'enrolments.benefit_at_start', 'enrolments.exit_outcome', 'activities.pseudonym', 'activities.date', 'activities.kind', 'activities.place',
    'activities.duration_minutes', 'activities.attended', 'status_weeks.pseudonym', 'status_weeks.week', 'status_weeks.benefit', 'status_weeks.activity',
    'status_weeks.weekly_hours',
  ];
  // A database a previous run generated (BENCH_DATABASE_URL) is used as it is: the same data for a before and an after.
  const { rows: existing } = await sql<{ id: string }>`
    select s.id from studies s where s.title = 'Bench' limit 1`.execute(k).catch(() => ({ rows: [] as { id: string }[] }));
  let studyId = existing[0]?.id;
  const reused = studyId !== undefined;
  if (studyId) {
    out(`reusing the generated data of ${url.replace(/\/\/[^@]*@/, '//')} (study ${studyId})`);
  } else {
    let t0 = performance.now();
    await migrateToLatest(k);
    await loadDemoData(k, { cprKey: CPR_KEY, withoutCitizens: true });
    out(`migrated and loaded the demo's organisations in ${Math.round(performance.now() - t0)} ms`);

    t0 = performance.now();
    await generateCitizens(k, { count: CITIZENS, programmeId: PROGRAMME.paaVej, organisationId: ORG.naestved, consultants: { ids: [userId(4), userId(5)] }, vault: cprVault(CPR_KEY), seed: 20_261_203 });
    // The generator's phone numbers run from 20000000 up: the 10-year band "2000-2009" read as digits is one of them,
    // and the identifier scan (rightly, being cautious) blocks on it. Numbers from 90000000 up look like no band.
    await sql`update citizens set phone = '+45 9' || substr(phone, 6) where phone like '+45 2%'`.execute(k);
    out(`generated ${CITIZENS} citizens in ${Math.round(performance.now() - t0)} ms`);
    t0 = performance.now();
    const chunk = 10;
    for (let from = 1; from <= ACTIVITIES; from += chunk) {
      await sql`
        insert into conversations (organisation_id, citizen_id, starts_at, duration_minutes, place, status, staff_ids, created_by)
        select e.organisation_id, e.citizen_id, e.start_date + g * interval '3 days' + interval '9 hours', 30 + (g % 4) * 15,
               (array['walk_and_talk', 'conversation_room', 'library', 'phone_video'])[1 + g % 4], case when g % 9 = 0 then 'no_show' else 'held' end,
               array[${userId(4)}]::uuid[], ${userId(4)}
          from enrolments e cross join generate_series(${from}::int, ${Math.min(ACTIVITIES, from + chunk - 1)}::int) g
         where e.programme_id = ${PROGRAMME.paaVej}`.execute(k);
    }
    await sql`analyze`.execute(k);
    out(`generated ${CITIZENS * ACTIVITIES} conversations in ${Math.round(performance.now() - t0)} ms`);

    // Starts 30 days ago and runs 300 days: a reused database stays valid for months.
    const { rows } = await sql<{ id: string }>`
      insert into studies (programme_id, organisation_id, title, partner_name, partner_role, legal_basis, third_country, biological_material,
                           journal_publication, purpose, starts_on, ends_on, variables, date_precision, dpia_reference, status, approved_at, created_by)
      values (${PROGRAMME.paaVej}, ${ORG.naestved}, 'Bench', 'VIVE', 'controller', array['gdpr_6_1_e']::text[], false, false, false, 'Bench.',
              ${today}::date - 30, ${today}::date + 300, ${variables}::text[], 'month', 'DPIA-BENCH', 'approved', now(), ${userId(10)})
      returning id`.execute(k);
    studyId = rows[0]!.id;
    await sql`insert into study_organisations (study_id, organisation_id, dpo_advised_at, dpo_advice, dpo_advised_by, approved_by, approved_at) values (${studyId}, ${ORG.naestved}, now(), 'Ok.', ${userId(2)}, ${userId(10)}, now())`.execute(k);
  }
  if (process.env.BENCH_GENERATE_ONLY === '1') {
    await db.close();
    pg?.stop();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
  out(`load average at the start of the export: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  let peak = process.memoryUsage().rss;
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak) [peak, atPeak] = [m.rss, m];
  }, 50);
  const before = process.memoryUsage().rss;
  const beforeHeap = process.memoryUsage().heapTotal;
  const marks: { status: string; percent: number; at: number }[] = [];
  const t0 = performance.now();
  const result = await buildExport(k, {
    exportId: '00000000-0000-4000-8000-00000000be01',
    study: { id: studyId, title: 'Bench', partnerName: 'VIVE', programmeId: PROGRAMME.paaVej, programmeName: 'På vej til arbejde', organisationIds: [ORG.naestved], organisationNames: ['Næstved Kommune'], startsOn: today, endsOn: today, datePrecision: 'month', hasQuestionnaires: false },
    variables,
    format: 'csv',
    researchKey: RESEARCH_KEY,
    cprKey: CPR_KEY,
    dir,
    today,
    progress: async (status, percent) => void marks.push({ status, percent, at: performance.now() - t0 }),
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const total = Object.values(result.rowCounts).reduce((a, b) => a + b, 0);
  const scanningAt = marks.find((m) => m.status === 'scanning')?.at ?? seconds * 1000;
  out(`export: ${result.status}${result.blocked ? ` (${JSON.stringify(result.blocked)})` : ''}, rows ${JSON.stringify(result.rowCounts)}, ${Math.round((result.sizeBytes ?? 0) / 1024)} KiB zipped`);
  out(`  k-anonymity: ${JSON.stringify(result.anonymisation)}`);
  out(`  writing the files: ${(scanningAt / 1000).toFixed(1)} s; the whole export (k-anonymity pass, files, scan, zip): ${seconds.toFixed(1)} s`);
  const rate = Math.round(total / seconds);
  out(`  ${rate} rows/s overall (target ≥ ${TARGET_ROWS_PER_SECOND}): ${rate >= TARGET_ROWS_PER_SECOND ? 'met' : 'NOT met'}`);
  // The kernel's high-water mark catches a peak between two samples; it covers the whole process, so it counts only
  // when this run did not generate the data itself.
  const sampled = Math.round(peak / 1024 / 1024);
  if (reused) peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  const mb = Math.round(peak / 1024 / 1024);
  const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  out(`  resident memory sampled every 50 ms: peak ${sampled} MB (V8 heap ${mib(atPeak.heapTotal)}, of it used ${mib(atPeak.heapUsed)}; outside the heap ${mib(atPeak.external)}, of it buffers ${mib(atPeak.arrayBuffers)}); the process's high-water mark: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  out(`  peak resident memory ${mb} MB (before the export ${Math.round(before / 1024 / 1024)} MB, V8 heap ${Math.round(beforeHeap / 1024 / 1024)} MB; target < ${TARGET_MB}): ${mb < TARGET_MB ? 'met' : 'NOT met'}`);
  out(`load average at the end of the export: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  // The bound is a check: missing either target fails the run.
  if (result.status !== 'ready' || rate < TARGET_ROWS_PER_SECOND || mb >= TARGET_MB) process.exitCode = 1;
} finally {
  await db?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
}
