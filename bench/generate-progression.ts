// Benchmark data for the cohort view: WHO-5 answers for every enrolment of a programme — `measurements` per
// enrolment, three months apart from the start, with scores, bands and alerts as the shipped definition gives
// them (the scores follow a seeded trajectory per enrolment) — and the baseline/latest pairs the answer's
// transaction keeps, with the programme's cohort aggregates (summed by the pair table's triggers as the rebuild
// inserts the pairs). One statement per step, on the server.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/server/db/schema.ts';
import { rebuildAssessmentPairs } from '../src/server/modules/progression/assessments.service.ts';

export async function generateProgression(db: Kysely<Database>, opts: { programmeId: string; measurements: number }): Promise<{ assessments: number; pairs: number }> {
  const who5 = await db.selectFrom('instruments').select('id').where('code', '=', 'who5').where('organisation_id', 'is', null).where('status', '=', 'active').executeTakeFirstOrThrow();
  // raw = a baseline of 6–17 plus 0–2 points per measurement, at most 25; items spread evenly; bands and alerts
  // by the WHO-5 rules (scaled > 50 good, 29–50 low, ≤ 28 very low; an item at 0–1 also fires who5_low).
  const inserted = await sql<{ n: number }>`
    with answers as (
      select e.id as enrolment_id, e.citizen_id, e.organisation_id, e.programme_id, e.created_by, k,
             (e.start_date + (k * 91) * interval '1 day' + interval '10 hours') as at,
             least(25, 6 + (abs(hashtext(e.id::text)) % 12) + k * (abs(hashtext(e.id::text || 'step')) % 3)) as raw
        from enrolments e cross join generate_series(0, ${opts.measurements - 1}) as k
       where e.programme_id = ${opts.programmeId}
    ), inserted as (
      insert into assessments (organisation_id, citizen_id, enrolment_id, programme_id, instrument_id, instrument_code, occasion, status,
                               answers, raw, scaled, band, alerts, answered_at, answered_with, created_by, created_at, updated_at)
      select organisation_id, citizen_id, enrolment_id, programme_id, ${who5.id}, 'who5', case when k = 0 then 'baseline' else 'follow_up' end, 'submitted',
             jsonb_build_object('who5_cheerful', raw / 5 + (case when raw % 5 > 0 then 1 else 0 end), 'who5_calm', raw / 5 + (case when raw % 5 > 1 then 1 else 0 end),
                                'who5_active', raw / 5 + (case when raw % 5 > 2 then 1 else 0 end), 'who5_rested', raw / 5 + (case when raw % 5 > 3 then 1 else 0 end),
                                'who5_interest', raw / 5),
             raw, raw * 4, case when raw * 4 > 50 then 'good' when raw * 4 > 28 then 'low' else 'very_low' end,
             case when raw * 4 <= 28 then array['who5_low', 'who5_very_low'] when raw * 4 <= 50 or raw / 5 <= 1 then array['who5_low'] else array[]::text[] end,
             at, 'with_citizen', created_by, at, at
        from answers
      returning 1
    )
    select count(*)::int as n from inserted`.execute(db);
  await rebuildAssessmentPairs(db);
  // Statistics for the planner, as autovacuum would gather them after such a load.
  await sql`analyze assessments`.execute(db);
  await sql`analyze assessment_pairs`.execute(db);
  await sql`analyze cohort_aggregates`.execute(db);
  await sql`analyze staff_tasks`.execute(db);
  await sql`analyze team_members`.execute(db);
  await sql`analyze enrolments`.execute(db);
  const pairs = await sql<{ n: number }>`select count(*)::int as n from assessment_pairs where programme_id = ${opts.programmeId}`.execute(db);
  return { assessments: inserted.rows[0]!.n, pairs: pairs.rows[0]!.n };
}
