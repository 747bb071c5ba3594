// The steering dashboard ("Overblik", issue 12 point 1; docs/decisions/0038): a programme's figures for a period,
// counted in SQL (no personal data leaves the database, only counts), then passed through the one suppression
// module with the audience of the request: exact for the programme manager of the owning organisation, small
// cells hidden for the steering group (and for a programme manager of a partner organisation).
//
// What is published and why, so that no hidden figure can be derived from the rest:
// - enrolment: the active count at each month's end (single figures) and the starts per month with their total;
//   ends per month are not published (active(m) − active(m−1) = starts − ends would give a hidden start back);
// - target groups: the period's starts by benefit with their total (the same total as the starts');
// - outcomes: the period's participants split into job, education, internship, other exit and not ended — a
//   complete split, so the share table protects it as a whole;
// - activities: months × kinds with row and column totals and the grand total, one protected table;
// - self-support at 26 and 52 weeks, inquiries: single counts and shares of two-way splits, a median only of a
//   group the audience may see.
import { sql, type Kysely, type Transaction } from 'kysely';
import { DASHBOARD_ACTIVITY_KINDS, DASHBOARD_OUTCOMES, MAX_DASHBOARD_MONTHS, type Dashboard, type DashboardQuery, type RecordSpendingRequest } from '../../../contracts/dashboard.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { addDays, copenhagenTime, dateInCopenhagen } from '../../platform/dates.ts';
import { Invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { activitySource, supportSource } from './counted-days.ts';
import { shareTable, suppressCount, suppressShare, suppressStat, suppressTable, type Audience, type Cell } from '../progression/suppression.ts';

type Tx = Transaction<Database>;
const PURPOSE = 'programme_management' as const;

/** Exit outcomes (the national code list) grouped as the programme's targets count them. */
export const OUTCOME_OF_EXIT: Record<string, 'job' | 'education' | 'internship'> = {
  ordinaert_job: 'job',
  job_med_loentilskud: 'job',
  fleksjob: 'job',
  uddannelse: 'education',
  praktik_fortsaetter: 'internship',
};

interface Facts {
  organisation_id: string;
  starts_on: string;
  ends_on: string;
  capacity: number;
  phases: { name_da: string; name_en: string; responsible: string | null; starts_on: string; ends_on: string }[];
  targets: { outcome: 'job' | 'education' | 'internship'; target_percent: number }[];
  budget: { id: string; year: number; purpose: string; funder: string | null; amount_oere: number | string; spent_oere: number | string | null; spent_recorded_at: string | null }[];
  evaluation: { label: string; reported_on: string; citizens: number; job_percent: number | string | null; education_percent: number | string | null; internship_percent: number | string | null } | null;
  /** When the refresh job last counted the programme's activities per day (null: not yet; all counted live). */
  activities_counted_at: Date | string | null;
}

/** The programme's facts in one statement: period, capacity, phases, targets, budget and the newest evaluation. */
async function facts(tx: Tx, programmeId: string): Promise<Facts | undefined> {
  const { rows } = await sql<Facts>`
    select p.organisation_id, p.starts_on::text as starts_on, p.ends_on::text as ends_on, p.capacity,
           coalesce((select json_agg(json_build_object('name_da', ph.name_da, 'name_en', ph.name_en, 'responsible', ph.responsible,
                                                       'starts_on', ph.starts_on, 'ends_on', ph.ends_on) order by ph.position)
                       from programme_phases ph where ph.programme_id = p.id), '[]'::json) as phases,
           coalesce((select json_agg(json_build_object('outcome', t.outcome, 'target_percent', t.target_percent) order by t.outcome)
                       from programme_targets t where t.programme_id = p.id), '[]'::json) as targets,
           coalesce((select json_agg(json_build_object('id', b.id, 'year', b.year, 'purpose', b.purpose, 'funder', b.funder, 'amount_oere', b.amount_oere,
                                                       'spent_oere', b.spent_oere, 'spent_recorded_at', b.spent_recorded_at) order by b.year, b.purpose, b.id)
                       from programme_budget_lines b where b.programme_id = p.id), '[]'::json) as budget,
           (select json_build_object('label', e.label, 'reported_on', e.reported_on, 'citizens', e.citizens, 'job_percent', e.job_percent,
                                     'education_percent', e.education_percent, 'internship_percent', e.internship_percent)
              from programme_evaluations e where e.programme_id = p.id order by e.reported_on desc, e.created_at desc limit 1) as evaluation,
           (select k.counted_at from dashboard_activity_counts k where k.programme_id = p.id) as activities_counted_at
      from programmes p where p.id = ${programmeId}`.execute(tx);
  return rows[0];
}

const num = (v: number | string | null) => (v === null ? null : Number(v));

/** The months from one date's month to another's, as 'YYYY-MM'. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endKey = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= endKey) return out;
    m += 1;
    if (m === 13) [y, m] = [y + 1, 1];
  }
}

function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The last day of a 'YYYY-MM' month. */
export const monthEnd = (month: string) => addDays(`${nextMonth(month)}-01`, -1);

/**
 * The asked period (the programme's by default) and what is counted of it: the days up to today (a future month
 * has nothing to count yet), month by month.
 */
function period(f: Facts, query: DashboardQuery, today: string): { from: string; to: string; until: string; months: string[] } {
  const from = query.from ?? f.starts_on;
  const to = query.to ?? f.ends_on;
  if (from > to) throw new Invalid('The period must end after it starts', [{ path: 'to', message: 'before_from' }]);
  if (monthsBetween(from, to).length > MAX_DASHBOARD_MONTHS) throw new Invalid(`The period can span at most ${MAX_DASHBOARD_MONTHS} months`, [{ path: 'to', message: 'period_too_long' }]);
  const until = to < today ? to : today;
  return { from, to, until, months: from <= until ? monthsBetween(from, until) : [] };
}

export async function dashboard(db: Kysely<Database>, actor: Actor, programmeId: string, query: DashboardQuery): Promise<Dashboard> {
  return inTransaction(db, async (tx) => {
    const f = await facts(tx, programmeId);
    if (!f) {
      throw new AccessDenied({ actor, organisationId: null, action: 'read', purpose: PURPOSE, resourceType: 'programme_dashboard', resourceId: programmeId, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    requireAccess(actor, 'programme:dashboard', { type: 'programme_dashboard', id: programmeId, organisationId: f.organisation_id, programmeId }, { action: 'read', purpose: PURPOSE });
    const audience: Audience = actor.organisationId === f.organisation_id && actor.roles.some((g) => g.programmeId === programmeId && g.role === 'programme_manager') ? 'exact' : 'suppressed';
    const opts = { audience };
    const today = dateInCopenhagen();
    const { from, to, until, months } = period(f, query, today);
    // Instants bounding the period's days in Copenhagen, for the activities stored as moments.
    const fromAt = copenhagenTime(from, '00:00');
    const untilAt = copenhagenTime(addDays(until, 1), '00:00');

    // Enrolment: active at each month's end (or on the last counted day) and starts per month, from the day counts the
    // enrolments' trigger keeps (docs/decisions/0045): each citizen's enrolments merged into spells (overlapping ones
    // count the citizen once), +1 at a spell's start and −1 at its end, summed up to each month's end.
    const ends = months.map((m) => (monthEnd(m) < until ? monthEnd(m) : until));
    const { rows: monthly } = await sql<{ month: string; active: number; started: number }>`
      with d as materialized (
        select day, measure, n from dashboard_enrolment_days
         where programme_id = ${programmeId} and day <= ${until}::date and measure in ('spell', 'start')),
      running as materialized (select day, sum(sum(n)) over (order by day) as active from d where measure = 'spell' group by day),
      starts as materialized (
        select to_char(day, 'YYYY-MM') as month, sum(n)::int as n from d where measure = 'start' and day >= ${from}::date group by 1)
      select m.month,
             coalesce((select r.active from running r where r.day <= m.d order by r.day desc limit 1), 0)::int as active,
             coalesce((select st.n from starts st where st.month = m.month), 0)::int as started
        from unnest(${months}::text[], ${ends}::date[]) as m (month, d)
       order by m.month`.execute(tx);
    const startsTable = suppressTable({ cells: [monthly.map((r) => r.started)], rowTotals: true, ...opts });

    // Target groups: the period's starts by benefit against the plan.
    const { rows: groups } = await sql<{ code: string; planned: number | null; n: number; label_da: string | null; label_en: string | null }>`
      select coalesce(g.benefit_code, a.benefit_code) as code, g.planned_count as planned, coalesce(a.n, 0)::int as n, cv.label_da, cv.label_en
        from (select benefit_code, planned_count from programme_target_groups where programme_id = ${programmeId}) g
        full join (select code as benefit_code, sum(n)::int as n from dashboard_enrolment_days
                    where programme_id = ${programmeId} and measure = 'start' and day between ${from}::date and ${until}::date
                    group by code having sum(n) > 0) a on a.benefit_code = g.benefit_code
        left join code_values cv on cv.list = 'benefit' and cv.organisation_id is null and cv.code = coalesce(g.benefit_code, a.benefit_code)
       order by g.planned_count desc nulls last, coalesce(g.benefit_code, a.benefit_code)`.execute(tx);
    const groupTable = suppressTable({ cells: [groups.map((g) => g.n)], rowTotals: true, ...opts });

    // Outcomes: every participant of the period (started by its end, not ended before it) in exactly one column: the
    // period's exits by outcome, and the rest not ended (started by the end less ended by the end), from the day counts.
    const { rows: exits } = await sql<{ exit_outcome: string | null; ended: boolean; n: number }>`
      with d as materialized (
        select day, measure, code, n from dashboard_enrolment_days
         where programme_id = ${programmeId} and day <= ${until}::date and measure in ('start', 'exit'))
      select code as exit_outcome, true as ended, sum(n)::int as n from d where measure = 'exit' and day >= ${from}::date group by code
      union all
      select null, false, (coalesce(sum(n) filter (where measure = 'start'), 0) - coalesce(sum(n) filter (where measure = 'exit'), 0))::int from d`.execute(tx);
    const split = Object.fromEntries(DASHBOARD_OUTCOMES.map((o) => [o, 0])) as Record<(typeof DASHBOARD_OUTCOMES)[number], number>;
    for (const r of exits) {
      const column = !r.ended ? 'not_ended' : (OUTCOME_OF_EXIT[r.exit_outcome ?? ''] ?? 'other');
      split[column] += r.n;
    }
    const outcomeTable = shareTable({ cells: [DASHBOARD_OUTCOMES.map((o) => split[o])], ...opts });

    // Activities by month and kind: the days the refresh job counted (docs/decisions/0043), and the days after them
    // counted now; when the job has not yet counted the programme, every day is counted now.
    const counted = sql<string>`(select k.counted_through from dashboard_activity_counts k where k.programme_id = ${programmeId})`;
    const liveFrom = sql<string>`greatest(${from}::date, coalesce(${counted} + 1, ${from}::date))`;
    const { rows: acts } = await sql<{ month: string; kind: string; n: number }>`
      select to_char(x.day, 'YYYY-MM') as month, x.kind, sum(x.n)::int as n
        from (select d.day, d.kind, d.n from dashboard_activity_days d
               where d.programme_id = ${programmeId} and d.day >= ${from}::date and d.day <= least(${until}::date, ${counted})
              union all
              select a.day, a.kind, 1 from (${activitySource(programmeId, liveFrom, sql<string>`${until}::date`)}) a) x
       group by 1, 2`.execute(tx);
    const byMonth = new Map(months.map((m) => [m, DASHBOARD_ACTIVITY_KINDS.map(() => 0)]));
    for (const a of acts) {
      const row = byMonth.get(a.month);
      const col = DASHBOARD_ACTIVITY_KINDS.indexOf(a.kind as (typeof DASHBOARD_ACTIVITY_KINDS)[number]);
      if (row && col >= 0) row[col] = (row[col] ?? 0) + a.n;
    }
    // With no month counted yet (a period in the future) the totals come from one empty row.
    const grid = months.length ? months.map((m) => byMonth.get(m)!) : [DASHBOARD_ACTIVITY_KINDS.map(() => 0)];
    const activityTable = suppressTable({ cells: grid, rowTotals: true, colTotals: true, grandTotal: true, ...opts });

    // Self-support 26 and 52 weeks after start: the status on that day (the newest period covering it); the start days
    // the refresh job counted, and the enrolments that reached the day since, counted now.
    const liveSupportFrom = sql<string>`greatest(${from}::date, coalesce(${counted} + 1 - w.weeks * 7, ${from}::date))`;
    const { rows: support } = await sql<{ weeks: number; eligible: number; self: number }>`
      select w.weeks, coalesce(sum(x.eligible), 0)::int as eligible, coalesce(sum(x.self), 0)::int as self
        from (values (26), (52)) as w (weeks)
        left join (select d.weeks, d.eligible, d.self from dashboard_support_days d
                    where d.programme_id = ${programmeId} and d.start_day between ${from}::date and ${until}::date
                   union all
                   select s.weeks, 1, case when s.self then 1 else 0 end
                     from (${supportSource(programmeId, liveSupportFrom, sql<string>`${until}::date`, sql<string>`${today}::date`)}) s) x on x.weeks = w.weeks
       group by w.weeks order by w.weeks`.execute(tx);

    // Inquiries to the liaison asked in the period.
    const { rows: inq } = await sql<{ asked: number; answered: number; median: number | null }>`
      select count(*)::int as asked, count(first_answer_at)::int as answered,
             (percentile_cont(0.5) within group (order by extract(epoch from first_answer_at - asked_at) / 3600.0)
                filter (where first_answer_at is not null))::float8 as median
        from inquiries where programme_id = ${programmeId} and asked_at >= ${fromAt} and asked_at < ${untilAt}`.execute(tx);
    const inquiry = inq[0] ?? { asked: 0, answered: 0, median: null };

    await recordAudit(tx, {
      actor,
      organisationId: f.organisation_id,
      action: 'read',
      purpose: PURPOSE,
      resourceType: 'programme_dashboard',
      resourceId: programmeId,
      outcome: 'success',
      criteria: { from, to, audience },
    });

    const target = (o: string) => f.targets.find((t) => t.outcome === o)?.target_percent ?? null;
    const answeredShare = suppressShare(inquiry.answered, inquiry.asked, opts);
    return {
      programmeId,
      audience,
      computedAt: new Date().toISOString(),
      period: { from, to, countedUntil: until },
      enrolment: {
        capacity: f.capacity,
        months: monthly.map((r, i) => ({ month: r.month, active: suppressCount(r.active, opts), started: startsTable.cells[0]![i]! })),
        started: startsTable.rowTotals![0]!,
      },
      targetGroups: {
        rows: groups.map((g, i) => ({ benefitCode: g.code, label: { da: g.label_da ?? g.code, en: g.label_en ?? g.code }, planned: g.planned, actual: groupTable.cells[0]![i]! })),
        plannedTotal: groups.reduce((s, g) => s + (g.planned ?? 0), 0),
        actualTotal: groupTable.rowTotals![0]!,
      },
      outcomes: {
        participants: outcomeTable.counts.rowTotals[0]!,
        rows: DASHBOARD_OUTCOMES.map((o, i) => ({
          outcome: o,
          count: outcomeTable.counts.cells[0]![i]!,
          share: outcomeTable.shares[0]![i]!,
          targetPercent: o === 'job' || o === 'education' || o === 'internship' ? num(target(o)) : null,
        })),
        evaluation: f.evaluation && {
          label: f.evaluation.label,
          reportedOn: f.evaluation.reported_on,
          citizens: f.evaluation.citizens,
          jobPercent: num(f.evaluation.job_percent),
          educationPercent: num(f.evaluation.education_percent),
          internshipPercent: num(f.evaluation.internship_percent),
        },
      },
      activities: {
        kinds: [...DASHBOARD_ACTIVITY_KINDS],
        months: months.map((m, i) => ({ month: m, counts: activityTable.cells[i]!, total: activityTable.rowTotals![i]! })),
        totals: activityTable.colTotals!,
        total: activityTable.grandTotal!,
        countedAt: f.activities_counted_at === null ? null : new Date(f.activities_counted_at).toISOString(),
      },
      selfSupport: support.map((s) => {
        const share = suppressShare(s.self, s.eligible, opts);
        return { weeks: s.weeks, eligible: suppressCount(s.eligible, opts), selfSupporting: hiddenWith(share, s.self, opts), share };
      }),
      inquiries: {
        asked: suppressCount(inquiry.asked, opts),
        answered: hiddenWith(answeredShare, inquiry.answered, opts),
        medianHoursToAnswer: inquiry.median === null ? null : suppressStat(inquiry.answered, Math.round(inquiry.median * 10) / 10, opts),
      },
      phases: f.phases.map((p) => ({ name: { da: p.name_da, en: p.name_en }, responsible: p.responsible, startsOn: p.starts_on, endsOn: p.ends_on, current: p.starts_on <= today && today <= p.ends_on })),
      budget: f.budget.map((b) => ({
        id: b.id,
        year: b.year,
        purpose: b.purpose,
        funder: b.funder,
        amountOere: Number(b.amount_oere),
        spentOere: num(b.spent_oere),
        spentRecordedAt: b.spent_recorded_at === null ? null : new Date(b.spent_recorded_at).toISOString(),
      })),
    };
  });
}

/**
 * The numerator of a two-way split is published only with its share: when the share is hidden (a part below the
 * threshold), the count beside it would give the share back from the published whole.
 */
function hiddenWith(share: Cell | null, n: number, opts: { audience: Audience }): Cell {
  if (opts.audience === 'exact') return n;
  return share !== null && typeof share === 'number' ? n : { suppressed: true };
}

/** The programme manager of the owning organisation records the spending against a budget line. */
export async function recordSpending(db: Kysely<Database>, actor: Actor, programmeId: string, lineId: string, body: RecordSpendingRequest) {
  return inTransaction(db, async (tx) => {
    const line = await tx
      .selectFrom('programme_budget_lines as b')
      .innerJoin('programmes as p', 'p.id', 'b.programme_id')
      .select(['p.organisation_id'])
      .where('b.id', '=', lineId)
      .where('b.programme_id', '=', programmeId)
      .executeTakeFirst();
    if (!line) {
      throw new AccessDenied({ actor, organisationId: null, action: 'update', purpose: PURPOSE, resourceType: 'programme_budget_line', resourceId: lineId, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    requireAccess(actor, 'programme:budget', { type: 'programme_budget_line', id: lineId, organisationId: line.organisation_id, programmeId }, { action: 'update', purpose: PURPOSE });
    const spent = body.spentOere;
    const row = await tx
      .updateTable('programme_budget_lines')
      .set({ spent_oere: spent, spent_recorded_by: spent === null ? null : actor.userId, spent_recorded_at: spent === null ? null : new Date() })
      .where('id', '=', lineId)
      .returning(['id', 'year', 'purpose', 'funder', 'amount_oere', 'spent_oere', 'spent_recorded_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, { actor, organisationId: line.organisation_id, action: 'update', purpose: PURPOSE, resourceType: 'programme_budget_line', resourceId: lineId, outcome: 'success', criteria: { spentOere: spent } });
    return {
      id: row.id,
      year: row.year,
      purpose: row.purpose,
      funder: row.funder,
      amountOere: Number(row.amount_oere),
      spentOere: num(row.spent_oere),
      spentRecordedAt: row.spent_recorded_at === null ? null : new Date(row.spent_recorded_at).toISOString(),
    };
  });
}
