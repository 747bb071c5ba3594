// The programme's cohort view of one instrument: baseline → latest paired change (mean, 95 % confidence
// interval, n), the distribution over bands at baseline and now, by target group, and — for the programme
// manager only — by consultant. It reads assessment_pairs (one row per enrolment, kept in the answer's
// transaction), never the answers themselves. The steering group and researchers get the same shapes
// through the one suppression module; the programme manager of the owning organisation gets exact figures.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { activeInstrument } from './instruments.service.ts';
import { tQuantile } from './stats.ts';
import { suppressCount, suppressStat, suppressTable, type Audience, type Cell } from './suppression.ts';

const round = (v: number | null, digits = 1) => (v === null || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits);

export async function cohortView(db: Kysely<Database>, actor: Actor, programmeId: string, instrumentCode: string) {
  return inTransaction(db, async (tx) => {
    const programme = await tx.selectFrom('programmes').select(['organisation_id']).where('id', '=', programmeId).executeTakeFirst();
    if (!programme) throw new NotFound('No such programme');
    requireAccess(actor, 'progression:cohort', { type: 'programme', id: programmeId, organisationId: programme.organisation_id, programmeId }, { action: 'read', purpose: 'programme_management' });
    const audience: Audience = actor.organisationId === programme.organisation_id && actor.roles.some((g) => g.programmeId === programmeId && g.role === 'programme_manager') ? 'exact' : 'suppressed';
    const instrument = await activeInstrument(tx, programme.organisation_id, instrumentCode);
    if (!instrument || !instrument.definition.scoring) throw new Invalid('No scored instrument with that code', [{ path: 'instrumentCode', message: 'unknown_instrument' }]);
    const scoring = instrument.definition.scoring;
    const relevant = scoring.relevantChange ?? null;
    const bandsDef = (scoring.bands ?? []).map((b) => ({ code: b.code, label: b.label, min: b.min, max: b.max }));

    const overall = await sql<{ measured: number; pairs: number; mean_baseline: number | null; mean_latest: number | null; mean_change: number | null; sd: number | null; improved: number; worsened: number }>`
      select count(*)::int as measured,
             count(*) filter (where measurements >= 2)::int as pairs,
             avg(baseline_value) filter (where measurements >= 2)::float8 as mean_baseline,
             avg(latest_value) filter (where measurements >= 2)::float8 as mean_latest,
             avg(latest_value - baseline_value) filter (where measurements >= 2)::float8 as mean_change,
             stddev_samp(latest_value - baseline_value) filter (where measurements >= 2)::float8 as sd,
             count(*) filter (where measurements >= 2 and latest_value - baseline_value >= ${relevant ?? 0} and ${relevant !== null})::int as improved,
             count(*) filter (where measurements >= 2 and baseline_value - latest_value >= ${relevant ?? 0} and ${relevant !== null})::int as worsened
        from assessment_pairs
       where programme_id = ${programmeId} and instrument_code = ${instrumentCode}`.execute(tx);
    const o = overall.rows[0]!;
    const bandRows = await sql<{ which: 'b' | 'l'; band: string | null; n: number }>`
      select 'b' as which, baseline_band as band, count(*)::int as n from assessment_pairs
       where programme_id = ${programmeId} and instrument_code = ${instrumentCode} group by baseline_band
      union all
      select 'l' as which, latest_band as band, count(*)::int as n from assessment_pairs
       where programme_id = ${programmeId} and instrument_code = ${instrumentCode} group by latest_band`.execute(tx);
    const groups = await sql<{ code: string; label_da: string | null; label_en: string | null; n: number; mean_change: number | null; latest_mean: number | null }>`
      select e.benefit_code as code, max(cv.label_da) as label_da, max(cv.label_en) as label_en,
             count(*)::int as n,
             avg(p.latest_value - p.baseline_value)::float8 as mean_change,
             avg(p.latest_value)::float8 as latest_mean
        from assessment_pairs p
        join enrolments e on e.id = p.enrolment_id
        left join code_values cv on cv.list = 'benefit' and cv.code = e.benefit_code and cv.organisation_id is null
       where p.programme_id = ${programmeId} and p.instrument_code = ${instrumentCode} and p.measurements >= 2
       group by e.benefit_code
       order by e.benefit_code`.execute(tx);

    let byConsultant = null;
    if (audience === 'exact') {
      const today = dateInCopenhagen();
      const rows = await sql<{ id: string; name: string; n: number; mean_change: number | null; due: number; overdue: number }>`
        with mine as (
          select distinct on (tm.enrolment_id) tm.enrolment_id, tm.user_id
            from team_members tm join enrolments e on e.id = tm.enrolment_id
           where e.programme_id = ${programmeId} and tm.role = 'resource_consultant' and tm.kind = 'permanent'
             and tm.valid_from <= ${today} and (tm.valid_to is null or tm.valid_to >= ${today})
           order by tm.enrolment_id, tm.valid_from desc
        ),
        changes as (
          select m.user_id, count(*)::int as n, avg(p.latest_value - p.baseline_value)::float8 as mean_change
            from assessment_pairs p join mine m on m.enrolment_id = p.enrolment_id
           where p.programme_id = ${programmeId} and p.instrument_code = ${instrumentCode} and p.measurements >= 2
           group by m.user_id
        ),
        due as (
          select m.user_id, count(*)::int as due, count(*) filter (where t.window_end < ${today})::int as overdue
            from staff_tasks t join mine m on m.enrolment_id = t.enrolment_id
           where t.programme_id = ${programmeId} and t.kind = 'measurement_due' and t.status = 'open' and t.instrument_code = ${instrumentCode}
           group by m.user_id
        )
        select u.id, u.name, coalesce(c.n, 0) as n, c.mean_change, coalesce(d.due, 0) as due, coalesce(d.overdue, 0) as overdue
          from users u
          left join changes c on c.user_id = u.id
          left join due d on d.user_id = u.id
         where c.user_id is not null or d.user_id is not null
         order by u.name, u.id`.execute(tx);
      byConsultant = rows.rows.map((r) => ({ consultant: { id: r.id, name: r.name }, n: r.n, meanChange: round(r.mean_change), due: r.due, overdue: r.overdue }));
    }

    const opts = { audience };
    const ci = o.pairs >= 2 && o.sd !== null && o.mean_change !== null ? tQuantile(0.975, o.pairs - 1) * (o.sd / Math.sqrt(o.pairs)) : null;
    // A statistic of the pairs: suppressed with a small group, null when there is nothing to compute.
    const stat = (v: number | null): Cell | null => suppressStat(o.pairs, round(v), opts);
    // Improved / unchanged / worsened: one row whose total is the number of pairs.
    const movement = suppressTable({ cells: [[o.improved, o.pairs - o.improved - o.worsened, o.worsened]], rowTotals: true, ...opts });
    const bandCount = (which: 'b' | 'l') => bandsDef.map((b) => bandRows.rows.find((r) => r.which === which && r.band === b.code)?.n ?? 0);
    const distribution = suppressTable({ cells: [bandCount('b'), bandCount('l')], rowTotals: true, ...opts });
    const groupTable = suppressTable({ cells: [groups.rows.map((g) => g.n)], rowTotals: true, ...opts });
    const measured = suppressCount(o.measured, opts);

    await recordAudit(tx, {
      actor,
      organisationId: programme.organisation_id,
      action: 'read',
      purpose: 'programme_management',
      resourceType: 'progression_cohort',
      resourceId: programmeId,
      outcome: 'success',
      criteria: { instrument: instrumentCode, audience },
    });
    return {
      programmeId,
      instrumentCode,
      title: instrument.definition.title,
      audience,
      computedAt: new Date().toISOString(),
      bands: bandsDef,
      relevantChange: relevant,
      citizensMeasured: measured,
      pairs: groupTable.rowTotals![0]!,
      change: {
        n: movement.rowTotals![0]!,
        meanBaseline: stat(o.mean_baseline),
        meanLatest: stat(o.mean_latest),
        meanChange: stat(o.mean_change),
        ciLow: ci === null ? null : stat(o.mean_change! - ci),
        ciHigh: ci === null ? null : stat(o.mean_change! + ci),
        improved: movement.cells[0]![0]!,
        unchanged: movement.cells[0]![1]!,
        worsened: movement.cells[0]![2]!,
      },
      bandDistribution: { baseline: distribution.cells[0]!, latest: distribution.cells[1]!, baselineTotal: distribution.rowTotals![0]!, latestTotal: distribution.rowTotals![1]! },
      byTargetGroup: groups.rows.map((g, i) => ({
        code: g.code,
        label: { da: g.label_da ?? g.code, en: g.label_en ?? g.code },
        n: groupTable.cells[0]![i]!,
        // A group's means only where its count is shown: with the overall mean published, the mean of a group
        // hidden only to protect another would give away the hidden groups' combined change.
        meanChange: typeof groupTable.cells[0]![i] === 'number' ? round(g.mean_change) : { suppressed: true as const },
        latestMean: typeof groupTable.cells[0]![i] === 'number' ? round(g.latest_mean) : { suppressed: true as const },
      })),
      byConsultant,
    };
  });
}
