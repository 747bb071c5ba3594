// The steering dashboard's enrolment figures kept per programme and day as the enrolments are written
// (docs/decisions/0045): starts by benefit, exits by outcome, and the +1/−1 of each citizen's merged enrolment spells,
// so that the enrolment curve, the target groups and the outcomes read a few thousand day rows instead of every
// enrolment. A statement trigger on `enrolments` recounts the citizens it touched — their enrolments in the
// programme before and after the statement — and adds the difference, so any change (new, ended, backdated,
// moved, deleted with its citizen) shows at once. Counts only, no personal data.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create table dashboard_enrolment_days (
  programme_id uuid not null references programmes (id) on delete cascade,
  day date not null,
  -- start: enrolments (not referrals) starting that day, code = benefit; exit: enrolments ended that day, code = exit
  -- outcome; spell: citizens whose spell in the programme starts (+) or ends (−) that day, code = ''.
  measure text not null check (measure in ('start', 'exit', 'spell')),
  code text not null,
  n integer not null,
  primary key (programme_id, day, measure, code)
);

-- What a set of enrolments adds to the day counts: the one definition used by the trigger (before and after a
-- statement) and by a full recount. A citizen's enrolments in a programme are merged into spells: one that starts on
-- or before the latest end so far continues the spell (overlapping and back-to-back enrolments count the citizen
-- once); the citizen is active from a spell's first day up to the day before its end.
create function dashboard_enrolment_facts(rows enrolments[])
returns table (programme_id uuid, day date, measure text, code text, n integer)
language sql stable as $fn$
  with e as (
    select r.programme_id, r.citizen_id, r.start_date as s, coalesce(r.end_date, 'infinity'::date) as f, r.end_date, r.benefit_code, r.exit_outcome
      from unnest(rows) r where r.status <> 'referred'),
  ordered as (
    select programme_id, citizen_id, s, f,
           max(f) over (partition by programme_id, citizen_id order by s, f rows between unbounded preceding and 1 preceding) as before_f
      from e),
  spells as (
    select programme_id, citizen_id, s, f,
           count(*) filter (where before_f is null or s > before_f) over (partition by programme_id, citizen_id order by s, f rows unbounded preceding) as spell
      from ordered),
  merged as (select programme_id, min(s) as s, max(f) as f from spells group by programme_id, citizen_id, spell)
  select programme_id, s, 'spell', '', 1 from merged
  union all select programme_id, f, 'spell', '', -1 from merged where f <> 'infinity'
  union all select programme_id, s, 'start', benefit_code, 1 from e
  union all select programme_id, end_date, 'exit', exit_outcome, 1 from e where end_date is not null
$fn$;

-- After each statement on enrolments: the (programme, citizen) pairs it touched, their enrolments now and as they
-- were before the statement (now, less the statement's new rows, plus its old ones), and the difference of their
-- facts added to the day counts (a count back at 0 stays until the hourly job tidies it). Concurrent writers to the
-- same pair wait for each other (the second then sees the first's rows), so the merge of their spells stays exact.
create function dashboard_enrolments_changed() returns trigger language plpgsql as $fn$
declare
  olds enrolments[] := '{}';
  news enrolments[] := '{}';
begin
  if tg_op <> 'INSERT' then select coalesce(array_agg(o), '{}') into olds from old_rows o; end if;
  if tg_op <> 'DELETE' then select coalesce(array_agg(x), '{}') into news from new_rows x; end if;
  perform pg_advisory_xact_lock(l.k)
     from (select distinct hashtextextended('dashboard ' || p.programme_id::text || ' ' || p.citizen_id::text, 0) as k
             from (select programme_id, citizen_id from unnest(olds) union all select programme_id, citizen_id from unnest(news)) p
            order by 1) l;
  with pairs as (
    select distinct programme_id, citizen_id from (select programme_id, citizen_id from unnest(olds) union all select programme_id, citizen_id from unnest(news)) p),
  now_rows as (
    select e from enrolments e where (e.programme_id, e.citizen_id) in (select programme_id, citizen_id from pairs)),
  before_rows as (
    select n.e from now_rows n where not exists (select 1 from unnest(news) x where x.id = (n.e).id)
    union all select o from unnest(olds) o),
  change as (
    select f.programme_id, f.day, f.measure, f.code, sum(f.n)::int as n
      from (select a.programme_id, a.day, a.measure, a.code, a.n from dashboard_enrolment_facts(array(select e from now_rows)) a
            union all
            select b.programme_id, b.day, b.measure, b.code, -b.n from dashboard_enrolment_facts(array(select e from before_rows)) b) f
     group by 1, 2, 3, 4 having sum(f.n) <> 0)
  insert into dashboard_enrolment_days as d (programme_id, day, measure, code, n)
  select programme_id, day, measure, code, n from change order by 1, 2, 3, 4
  on conflict (programme_id, day, measure, code) do update set n = d.n + excluded.n;
  return null;
end
$fn$;

create trigger dashboard_enrolments_inserted after insert on enrolments
  referencing new table as new_rows for each statement execute function dashboard_enrolments_changed();
create trigger dashboard_enrolments_updated after update on enrolments
  referencing old table as old_rows new table as new_rows for each statement execute function dashboard_enrolments_changed();
create trigger dashboard_enrolments_deleted after delete on enrolments
  referencing old table as old_rows for each statement execute function dashboard_enrolments_changed();

-- The enrolments already written.
insert into dashboard_enrolment_days (programme_id, day, measure, code, n)
select programme_id, day, measure, code, sum(n)::int from dashboard_enrolment_facts(array(select e from enrolments e))
 group by 1, 2, 3, 4 having sum(n) <> 0;
`).execute(db);
}
