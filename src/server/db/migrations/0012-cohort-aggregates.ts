// The cohort view's figures per programme and instrument, kept as sums rather than computed from every
// enrolment's pair on each read: one row per grouping (overall, baseline band, latest band, target group,
// consultant) with counts and sums from which the view derives means, the standard deviation of the change and
// the improved / worsened counts. The pair table's statement-level triggers keep them in the transaction that
// changes a pair — the old rows' contribution subtracted, the new rows' added, from the transition tables — so
// every path that writes pairs (an answer, a correction, a rebuild, a recomputed movement) keeps them exact.
// Sums are numeric: adding and subtracting is exact and order-independent, so they never drift, and the
// variance comes from exact sums. Whether a pair improved or worsened is kept on the pair (`movement`,
// src/server/modules/progression/movement.ts) so that the counts are sums too. Decision 0024.
import { sql, type Kysely } from 'kysely';

/** One statement adding the contribution of `source` (rows of assessment_pairs with a `sign` of 1 or -1). */
const applyContributions = (source: string) => `
  insert into cohort_aggregates as a (programme_id, instrument_code, dim, key, measured, pairs, n_baseline, sum_baseline,
                                      n_latest, sum_latest, n_change, sum_change, sum_change_sq, improved, worsened)
  select d.programme_id, d.instrument_code, x.dim, x.key,
         sum(d.sign)::int, sum(d.sign * d.paired)::int,
         sum(d.sign * (d.b is not null)::int)::int, coalesce(sum(d.sign * d.b), 0),
         sum(d.sign * (d.l is not null)::int)::int, coalesce(sum(d.sign * d.l), 0),
         sum(d.sign * (d.c is not null)::int)::int, coalesce(sum(d.sign * d.c), 0), coalesce(sum(d.sign * d.c * d.c), 0),
         sum(d.sign * (d.movement = 1)::int)::int, sum(d.sign * (d.movement = -1)::int)::int
    from (select s.sign, s.programme_id, s.instrument_code, s.baseline_band, s.latest_band, s.benefit_code, s.consultant_id,
                 (s.measurements >= 2)::int as paired,
                 case when s.measurements >= 2 then s.baseline_value::numeric end as b,
                 case when s.measurements >= 2 then s.latest_value::numeric end as l,
                 case when s.measurements >= 2 then (s.latest_value - s.baseline_value)::numeric end as c,
                 case when s.measurements >= 2 then s.movement else 0 end as movement
            from (${source}) s) d
   cross join lateral (values ('all', ''), ('baseline', coalesce(d.baseline_band, '')), ('latest', coalesce(d.latest_band, '')),
                              ('group', coalesce(d.benefit_code, '')), ('consultant', coalesce(d.consultant_id::text, ''))) as x (dim, key)
   group by d.programme_id, d.instrument_code, x.dim, x.key
  -- A change that leaves a grouping's figures as they were does not touch (or lock) its row.
  having sum(d.sign) <> 0 or sum(d.sign * d.paired) <> 0 or coalesce(sum(d.sign * d.b), 0) <> 0 or coalesce(sum(d.sign * d.l), 0) <> 0
      or coalesce(sum(d.sign * d.c), 0) <> 0 or coalesce(sum(d.sign * d.c * d.c), 0) <> 0 or sum(d.sign * (d.b is not null)::int) <> 0
      or sum(d.sign * (d.l is not null)::int) <> 0 or sum(d.sign * (d.c is not null)::int) <> 0
      or sum(d.sign * (d.movement = 1)::int) <> 0 or sum(d.sign * (d.movement = -1)::int) <> 0
  -- Rows are locked in key order, so two transactions touching the same programme never deadlock.
   order by d.programme_id, d.instrument_code, x.dim, x.key
  on conflict (programme_id, instrument_code, dim, key) do update
     set measured = a.measured + excluded.measured, pairs = a.pairs + excluded.pairs,
         n_baseline = a.n_baseline + excluded.n_baseline, sum_baseline = a.sum_baseline + excluded.sum_baseline,
         n_latest = a.n_latest + excluded.n_latest, sum_latest = a.sum_latest + excluded.sum_latest,
         n_change = a.n_change + excluded.n_change, sum_change = a.sum_change + excluded.sum_change,
         sum_change_sq = a.sum_change_sq + excluded.sum_change_sq,
         improved = a.improved + excluded.improved, worsened = a.worsened + excluded.worsened`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
-- Improved (1), worsened (-1) or neither (0) against the relevant change of the instrument version active for
-- the programme's organisation; only meaningful with two or more measurements.
alter table assessment_pairs add column movement smallint not null default 0 check (movement between -1 and 1);
update assessment_pairs p
   set movement = case when p.measurements >= 2 and p.latest_value - p.baseline_value >= r.v then 1
                       when p.measurements >= 2 and p.baseline_value - p.latest_value >= r.v then -1 else 0 end
  from (select pp.programme_id, pp.instrument_code,
               (select (i.definition #>> '{scoring,relevantChange}')::float8 from instruments i
                 where (i.organisation_id is null or i.organisation_id = pr.organisation_id) and i.code = pp.instrument_code and i.status = 'active'
                 order by i.version desc limit 1) as v
          from (select distinct programme_id, instrument_code from assessment_pairs) pp join programmes pr on pr.id = pp.programme_id) r
 where r.programme_id = p.programme_id and r.instrument_code = p.instrument_code;

-- dim: 'all' (key ''), 'baseline' / 'latest' (key: the band), 'group' (key: the target group's benefit code),
-- 'consultant' (key: the user id); key '' where the pair has none. measured: pairs with one measurement or more;
-- pairs: with two or more, which the sums cover (n_*: how many of those have the value, as avg() counts).
-- A grouping whose pairs all left stays as a row of zeros.
create table cohort_aggregates (
  programme_id uuid not null references programmes (id),
  instrument_code text not null,
  dim text not null check (dim in ('all', 'baseline', 'latest', 'group', 'consultant')),
  key text not null,
  measured integer not null,
  pairs integer not null,
  n_baseline integer not null,
  sum_baseline numeric not null,
  n_latest integer not null,
  sum_latest numeric not null,
  n_change integer not null,
  sum_change numeric not null,
  sum_change_sq numeric not null,
  improved integer not null,
  worsened integer not null,
  primary key (programme_id, instrument_code, dim, key)
);

${applyContributions('select 1 as sign, * from assessment_pairs')};

create function cohort_aggregates_apply() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then
    ${applyContributions('select 1 as sign, * from new_pairs')};
  elsif tg_op = 'DELETE' then
    ${applyContributions('select -1 as sign, * from old_pairs')};
  else
    ${applyContributions('select -1 as sign, * from old_pairs union all select 1 as sign, * from new_pairs')};
  end if;
  return null;
end
$fn$;
create trigger assessment_pairs_aggregate_insert after insert on assessment_pairs
  referencing new table as new_pairs for each statement execute function cohort_aggregates_apply();
create trigger assessment_pairs_aggregate_update after update on assessment_pairs
  referencing old table as old_pairs new table as new_pairs for each statement execute function cohort_aggregates_apply();
create trigger assessment_pairs_aggregate_delete after delete on assessment_pairs
  referencing old table as old_pairs for each statement execute function cohort_aggregates_apply();
`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0012-cohort-aggregates cannot be rolled back');
}
