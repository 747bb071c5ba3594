// The programme's cohort view of one instrument: baseline → latest paired change (mean, 95 % confidence
// interval, n), the distribution over bands at baseline and now, by target group, and — for the programme
// manager only — by consultant. It reads the programme's rows of cohort_aggregates (counts and sums per
// grouping, kept by the pair table's triggers in the answer's transaction, migration 0012): a few dozen rows
// whatever the number of citizens, never the pairs or the answers. The steering group and researchers get the
// same shapes through the one suppression module; the programme manager of the owning organisation gets exact
// figures. The figures per consultant (about employees, the programme manager only) come by their own paginated
// request, so the view's cost does not grow with the number of consultants.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isShortString, isUuid } from '../../platform/pagination.ts';
import { AccessDenied } from '../../platform/access/access.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { activeInstrument } from './instruments.service.ts';
import { tQuantile } from './stats.ts';
import { suppressCount, suppressStat, suppressTable, type Audience, type Cell } from './suppression.ts';

const round = (v: number | null, digits = 1) => (v === null || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits);

export type AggregateRow = { dim: 'all' | 'baseline' | 'latest' | 'group' | 'consultant'; key: string | null; measured: number; pairs: number; mean_baseline: number | null; mean_latest: number | null; mean_change: number | null; sd: number | null; improved: number; worsened: number };

/**
 * The programme's aggregate rows of an instrument (by the primary key's prefix): overall, baseline band, latest
 * band, target group and consultant (the last two as they stood at each pair's latest measurement). Means from
 * the sums; the sample standard deviation of the change from the exact numeric sums, n·Σc² − (Σc)² over
 * n(n − 1), clamped at 0.
 */
export async function aggregateRows(db: Kysely<Database> | Transaction<Database>, programmeId: string, instrumentCode: string, opts: { consultants: boolean } = { consultants: true }): Promise<AggregateRow[]> {
  const { rows } = await sql<AggregateRow>`
    select dim, key, measured, pairs,
           (sum_baseline / nullif(n_baseline, 0))::float8 as mean_baseline,
           (sum_latest / nullif(n_latest, 0))::float8 as mean_latest,
           (sum_change / nullif(n_change, 0))::float8 as mean_change,
           case when n_change >= 2
                then sqrt(greatest(0, n_change::numeric * sum_change_sq - sum_change * sum_change) / (n_change::numeric * (n_change - 1)))::float8 end as sd,
           improved, worsened
      from cohort_aggregates
     where programme_id = ${programmeId} and instrument_code = ${instrumentCode} and measured > 0
       ${opts.consultants ? sql`` : sql`and dim in ('all', 'baseline', 'latest', 'group')`}`.execute(db);
  return rows;
}

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

    // Not the rows per consultant: one per consultant, thousands in a large programme (their own request reads a page).
    const rows = await aggregateRows(tx, programmeId, instrumentCode, { consultants: false });
    const o = rows.find((r) => r.dim === 'all') ?? { dim: 'all' as const, key: null, measured: 0, pairs: 0, mean_baseline: null, mean_latest: null, mean_change: null, sd: null, improved: 0, worsened: 0 };
    const groupRows = rows.filter((r) => r.dim === 'group' && r.pairs > 0).sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
    const labels = groupRows.length
      ? await tx.selectFrom('code_values').select(['code', 'label_da', 'label_en']).where('list', '=', 'benefit').where('organisation_id', 'is', null).where('code', 'in', groupRows.map((g) => g.key ?? '')).execute()
      : [];
    const groups = groupRows.map((g) => {
      const label = labels.find((l) => l.code === g.key);
      return { code: g.key ?? '', label_da: label?.label_da ?? null, label_en: label?.label_en ?? null, n: g.pairs, mean_change: g.mean_change, latest_mean: g.mean_latest };
    });

    const opts = { audience };
    const ci = o.pairs >= 2 && o.sd !== null && o.mean_change !== null ? tQuantile(0.975, o.pairs - 1) * (o.sd / Math.sqrt(o.pairs)) : null;
    // A statistic of the pairs: suppressed with a small group, null when there is nothing to compute.
    const stat = (v: number | null): Cell | null => suppressStat(o.pairs, round(v), opts);
    // Improved / unchanged / worsened: one row whose total is the number of pairs.
    const movement = suppressTable({ cells: [[o.improved, o.pairs - o.improved - o.worsened, o.worsened]], rowTotals: true, ...opts });
    const bandCount = (dim: 'baseline' | 'latest') => bandsDef.map((b) => rows.find((r) => r.dim === dim && r.key === b.code)?.measured ?? 0);
    const distribution = suppressTable({ cells: [bandCount('baseline'), bandCount('latest')], rowTotals: true, ...opts });
    const groupTable = suppressTable({ cells: [groups.map((g) => g.n)], rowTotals: true, ...opts });
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
      byTargetGroup: groups.map((g, i) => ({
        code: g.code,
        label: { da: g.label_da ?? g.code, en: g.label_en ?? g.code },
        n: groupTable.cells[0]![i]!,
        // A group's means only where its count is shown: with the overall mean published, the mean of a group
        // hidden only to protect another would give away the hidden groups' combined change.
        meanChange: typeof groupTable.cells[0]![i] === 'number' ? round(g.mean_change) : { suppressed: true as const },
        latestMean: typeof groupTable.cells[0]![i] === 'number' ? round(g.latest_mean) : { suppressed: true as const },
      })),
      consultantFigures: audience === 'exact',
    };
  });
}

type ConsultantCursor = { n: string; id: string };
const isConsultantCursor = (v: unknown): v is ConsultantCursor => typeof v === 'object' && v !== null && isShortString((v as ConsultantCursor).n) && isUuid((v as ConsultantCursor).id);

/**
 * The programme manager's figures per consultant, one page in name order: everyone holding the resource
 * consultant role in the programme and everyone the instrument's pairs name (a consultant who has left keeps
 * their figures), each with the number of pairs and mean change (from the aggregate rows) and the open
 * measurements due and overdue on their current caseload (their team rows today, then each enrolment's open
 * due tasks by index). One statement for the page, whatever the programme's size.
 */
export async function cohortConsultants(db: Kysely<Database>, actor: Actor, programmeId: string, query: { instrumentCode: string; cursor?: string; limit: number }) {
  const after = decodeCursor(query.cursor, isConsultantCursor);
  return inTransaction(db, async (tx) => {
    const programme = await tx.selectFrom('programmes').select(['organisation_id']).where('id', '=', programmeId).executeTakeFirst();
    if (!programme) throw new NotFound('No such programme');
    const resource = { type: 'programme', id: programmeId, organisationId: programme.organisation_id, programmeId };
    requireAccess(actor, 'progression:cohort', resource, { action: 'read', purpose: 'programme_management' });
    const manager = actor.organisationId === programme.organisation_id && actor.roles.some((g) => g.programmeId === programmeId && g.role === 'programme_manager');
    if (!manager) {
      throw new AccessDenied({ actor, organisationId: programme.organisation_id, action: 'read', purpose: 'programme_management', resourceType: 'progression_consultants', resourceId: programmeId, outcome: 'denied', criteria: { reason: 'figures per employee: programme manager only' } });
    }
    const today = dateInCopenhagen();
    const { rows } = await sql<{ id: string; name: string; sort_name: string; pairs: number | null; mean_change: number | null; due: number; overdue: number }>`
      with candidates as (
        select r.user_id as id from user_roles r where r.programme_id = ${programmeId} and r.role = 'resource_consultant'
        union
        select a.key::uuid from cohort_aggregates a
         where a.programme_id = ${programmeId} and a.instrument_code = ${query.instrumentCode} and a.dim = 'consultant' and a.key <> '' and a.pairs > 0
      ), page as (
        select u.id, u.name, lower(u.name) as sort_name
          from candidates c join users u on u.id = c.id
         where ${after ? sql`(lower(u.name), u.id) > (${after.n}, ${after.id}::uuid)` : sql`true`}
         order by lower(u.name), u.id
         limit ${query.limit + 1}
      )
      select p.id, p.name, p.sort_name, a.pairs, a.mean_change, d.due, d.overdue
        from page p
        left join lateral (
          select ca.pairs, (ca.sum_change / nullif(ca.n_change, 0))::float8 as mean_change
            from cohort_aggregates ca
           where ca.programme_id = ${programmeId} and ca.instrument_code = ${query.instrumentCode} and ca.dim = 'consultant' and ca.key = p.id::text
        ) a on true
        cross join lateral (
          select count(*)::int as due, count(*) filter (where t.window_end < ${today})::int as overdue
            from team_members tm
            join staff_tasks t on t.enrolment_id = tm.enrolment_id and t.status = 'open' and t.kind = 'measurement_due'
                              and t.instrument_code = ${query.instrumentCode} and t.programme_id = ${programmeId}
           where tm.user_id = p.id and tm.role = 'resource_consultant' and tm.kind = 'permanent'
             and tm.valid_from <= ${today} and (tm.valid_to is null or tm.valid_to >= ${today})
        ) d
       order by p.sort_name, p.id`.execute(tx);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, {
      actor,
      organisationId: programme.organisation_id,
      action: 'read',
      purpose: 'programme_management',
      resourceType: 'progression_consultants',
      resourceId: programmeId,
      outcome: 'success',
      criteria: { instrument: query.instrumentCode, consultants: page.length },
    });
    return {
      computedAt: new Date().toISOString(),
      items: page.map((r) => ({ consultant: { id: r.id, name: r.name }, n: r.pairs ?? 0, meanChange: round(r.mean_change), due: r.due, overdue: r.overdue })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ n: last.sort_name, id: last.id }) : null,
    };
  });
}
