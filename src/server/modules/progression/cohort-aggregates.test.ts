// The cohort view reads per-programme aggregate rows kept by the pair table's triggers (migration 0012). On both
// engines: after answers, corrections (a baseline moving to another band, a change falling below the relevant
// change), a consultant handover, a change of target group, a single measurement and a draft, and after an
// organisation's instrument gets a version with another relevant change, the aggregate rows equal the one-scan
// grouping of the pairs the view used before, and the view's exact figures are those computed from that
// grouping; removing every pair brings every aggregate back to exactly zero (the sums never drift).
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { aggregateRows, type AggregateRow } from './cohort.service.ts';
import { tQuantile } from './stats.ts';

let t: TestContext;
let rk1: Session;
let rk2: Session;
let manager: Session;
let admin: Session;
const RK1 = userId(4);
const RK2 = userId(5);
const SAGSBEHANDLER = userId(8);

let serial = 6100;
const nextCpr = () => `750388-${String(serial++).padStart(4, '0')}`;
const who5 = (a: number, b: number, c: number, d: number, e: number) => ({ who5_cheerful: a, who5_calm: b, who5_active: c, who5_rested: d, who5_interest: e });
/** WHO-5 with every item at v (raw 5v, scaled 20v). */
const flat = (v: number) => who5(v, v, v, v, v);

async function newCitizen(benefitCode = 'kontanthjaelp'): Promise<{ id: string; enrolmentId: string }> {
  const res = await rk1.request({
    method: 'POST',
    url: '/api/citizens',
    payload: { cpr: nextCpr(), firstName: 'Kohorte', lastName: 'Borger', acknowledgeWarnings: true, enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2026-01-05', benefitCode, consultantIds: [RK1], caseworkerId: SAGSBEHANDLER } },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json() as { id: string; enrolmentId: string };
}

async function answer(s: Session, citizenId: string, instrumentCode: string, answers: Record<string, number>, extra: Record<string, unknown> = {}) {
  const res = await s.request({ method: 'POST', url: `/api/citizens/${citizenId}/assessments`, payload: { instrumentCode, answers, ...extra } });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number; score: { band: string | null } | null };
}

async function correct(s: Session, a: { id: string; version: number }, answers: Record<string, number>) {
  const res = await s.request({ method: 'PATCH', url: `/api/assessments/${a.id}`, payload: { answers, version: a.version, reason: 'Rettet efter samtale' } });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number };
}

/** The cohort view's earlier query: one grouping-sets scan of the programme's pairs, with the active version's relevant change. */
async function groupedPairs(db: Kysely<Database>, programmeId: string, code: string): Promise<AggregateRow[]> {
  const { rows: active } = await sql<{ relevant: number | null }>`
    select (i.definition #>> '{scoring,relevantChange}')::float8 as relevant from instruments i join programmes p on p.id = ${programmeId}
     where (i.organisation_id is null or i.organisation_id = p.organisation_id) and i.code = ${code} and i.status = 'active'
     order by i.version desc limit 1`.execute(db);
  const relevant = active[0]?.relevant ?? null;
  const { rows } = await sql<AggregateRow>`
    select case when grouping(baseline_band) = 0 then 'baseline' when grouping(latest_band) = 0 then 'latest'
                when grouping(benefit_code) = 0 then 'group' when grouping(consultant_id) = 0 then 'consultant' else 'all' end as dim,
           coalesce(case when grouping(baseline_band) = 0 then baseline_band when grouping(latest_band) = 0 then latest_band
                         when grouping(benefit_code) = 0 then benefit_code else consultant_id::text end, '') as key,
           count(*)::int as measured,
           count(*) filter (where measurements >= 2)::int as pairs,
           avg(baseline_value) filter (where measurements >= 2)::float8 as mean_baseline,
           avg(latest_value) filter (where measurements >= 2)::float8 as mean_latest,
           avg(latest_value - baseline_value) filter (where measurements >= 2)::float8 as mean_change,
           stddev_samp(latest_value - baseline_value) filter (where measurements >= 2)::float8 as sd,
           count(*) filter (where measurements >= 2 and latest_value - baseline_value >= ${relevant ?? 0} and ${relevant !== null})::int as improved,
           count(*) filter (where measurements >= 2 and baseline_value - latest_value >= ${relevant ?? 0} and ${relevant !== null})::int as worsened
      from assessment_pairs
     where programme_id = ${programmeId} and instrument_code = ${code}
     group by grouping sets ((), (baseline_band), (latest_band), (benefit_code), (consultant_id))`.execute(db);
  return rows;
}

const byKey = (rows: AggregateRow[]) => new Map(rows.map((r) => [`${r.dim}:${r.key ?? ''}`, r]));
const close = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

/** The aggregate rows equal the grouping of the pairs: counts exactly, means and sd to 1e-9. */
async function expectAggregatesMatchPairs(code: string): Promise<AggregateRow[]> {
  const expected = byKey(await groupedPairs(t.db.kysely, PROGRAMME.paaVej, code));
  const actual = byKey(await aggregateRows(t.db.kysely, PROGRAMME.paaVej, code));
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, e] of expected) {
    const a = actual.get(k)!;
    expect({ k, measured: a.measured, pairs: a.pairs, improved: a.improved, worsened: a.worsened }).toEqual({ k, measured: e.measured, pairs: e.pairs, improved: e.improved, worsened: e.worsened });
    for (const f of ['mean_baseline', 'mean_latest', 'mean_change', 'sd'] as const) {
      expect(close(a[f], e[f]), `${k} ${f}: ${a[f]} against ${e[f]}`).toBe(true);
    }
  }
  return [...expected.values()];
}

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** The manager's (exact) view equals the figures computed from the grouping of the pairs. */
async function expectViewMatchesPairs(code: string) {
  const rows = await expectAggregatesMatchPairs(code);
  const res = await manager.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/progression?instrumentCode=${code}` });
  expect(res.statusCode, res.body).toBe(200);
  const view = res.json();
  const o = rows.find((r) => r.dim === 'all')!;
  const ci = o.pairs >= 2 && o.sd !== null && o.mean_change !== null ? tQuantile(0.975, o.pairs - 1) * (o.sd / Math.sqrt(o.pairs)) : null;
  expect(view.citizensMeasured).toBe(o.measured);
  expect(view.pairs).toBe(o.pairs);
  expect(view.change).toEqual({
    n: o.pairs,
    meanBaseline: round1(o.mean_baseline),
    meanLatest: round1(o.mean_latest),
    meanChange: round1(o.mean_change),
    ciLow: ci === null ? null : round1(o.mean_change! - ci),
    ciHigh: ci === null ? null : round1(o.mean_change! + ci),
    improved: o.improved,
    unchanged: o.pairs - o.improved - o.worsened,
    worsened: o.worsened,
  });
  const bands = (view.bands as { code: string }[]).map((b) => b.code);
  const count = (dim: string, band: string) => rows.find((r) => r.dim === dim && r.key === band)?.measured ?? 0;
  expect(view.bandDistribution.baseline).toEqual(bands.map((b) => count('baseline', b)));
  expect(view.bandDistribution.latest).toEqual(bands.map((b) => count('latest', b)));
  const groups = rows.filter((r) => r.dim === 'group' && r.pairs > 0).sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
  expect(view.byTargetGroup.map((g: { code: string; n: number; meanChange: number; latestMean: number }) => [g.code, g.n, g.meanChange, g.latestMean])).toEqual(
    groups.map((g) => [g.key, g.pairs, round1(g.mean_change), round1(g.mean_latest)]),
  );
  const consultants = new Map(rows.filter((r) => r.dim === 'consultant' && r.key).map((r) => [r.key!, r]));
  const byConsultant: { consultant: { id: string }; n: number; meanChange: number | null }[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/programmes/${PROGRAMME.paaVej}/progression/consultants?instrumentCode=${code}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await manager.request({ method: 'GET', url });
    expect(page.statusCode, page.body).toBe(200);
    const body = page.json() as { items: typeof byConsultant; nextCursor: string | null };
    byConsultant.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  view.byConsultant = byConsultant;
  for (const c of byConsultant) {
    const r = consultants.get(c.consultant.id);
    expect([c.consultant.id, c.n, c.meanChange]).toEqual([c.consultant.id, r?.pairs ?? 0, round1(r?.mean_change ?? null)]);
  }
  for (const r of consultants.values()) if (r.pairs > 0) expect(view.byConsultant.some((c: { consultant: { id: string } }) => c.consultant.id === r.key)).toBe(true);
  return view;
}

beforeAll(async () => {
  t = await testApp();
  [rk1, rk2, manager, admin] = (await Promise.all(['rk1', 'rk2', 'projektleder', 'admin'].map((u) => login(t.app, u)))) as [Session, Session, Session, Session];
});
afterAll(async () => {
  await t.close();
});

describe('the cohort aggregates', () => {
  it('hold the demo data as loaded (the rebuild fills them in one pass)', async () => {
    const rows = await expectAggregatesMatchPairs('who5');
    expect(rows.find((r) => r.dim === 'all')!.pairs).toBeGreaterThan(10);
    await expectViewMatchesPairs('who5');
    await expectViewMatchesPairs('was');
  });

  it('follow answers, corrections, a band move, a handover and a change of target group, and the view with them', async () => {
    const before = (await aggregateRows(t.db.kysely, PROGRAMME.paaVej, 'who5')).find((r) => r.dim === 'all')!;
    // Six citizens with a baseline and a follow-up: improved, flat, worsened.
    const citizens = [];
    for (let i = 0; i < 6; i++) {
      const c = await newCitizen();
      const baseline = await answer(rk1, c.id, 'who5', flat(2));
      const latest = await answer(rk1, c.id, 'who5', [flat(3), flat(2), flat(1), who5(3, 3, 3, 2, 2), who5(2, 2, 2, 2, 3), flat(4)][i]!);
      citizens.push({ ...c, baseline, latest });
    }
    // One with a single measurement (measured, not a pair), one with a draft only (neither).
    const single = await newCitizen('ledighedsydelse');
    await answer(rk1, single.id, 'who5', flat(1));
    const drafted = await newCitizen();
    await answer(rk1, drafted.id, 'who5', { who5_cheerful: 2 }, { draft: true });
    let view = await expectViewMatchesPairs('who5');
    const after = (await aggregateRows(t.db.kysely, PROGRAMME.paaVej, 'who5')).find((r) => r.dim === 'all')!;
    expect([after.measured - before.measured, after.pairs - before.pairs]).toEqual([7, 6]);
    expect(after.improved - before.improved).toBe(3);

    // A correction moves a baseline from 'low' (40) to 'very_low' (20): the baseline band counts move with it.
    // a: +20 (improved), b: 0, c2: −20 (worsened), d: +12 (improved), e: +4, f: +40 (latest 'good').
    const [a, b, c2, d, e, f] = citizens as [(typeof citizens)[0], (typeof citizens)[0], (typeof citizens)[0], (typeof citizens)[0], (typeof citizens)[0], (typeof citizens)[0]];
    const lowBefore = view.bandDistribution.baseline[view.bands.findIndex((x: { code: string }) => x.code === 'low')];
    const veryLowBefore = view.bandDistribution.baseline[view.bands.findIndex((x: { code: string }) => x.code === 'very_low')];
    expect(a.baseline.score?.band).toBe('low');
    await correct(rk1, a.baseline, flat(1));
    view = await expectViewMatchesPairs('who5');
    expect(view.bandDistribution.baseline[view.bands.findIndex((x: { code: string }) => x.code === 'low')]).toBe(lowBefore - 1);
    expect(view.bandDistribution.baseline[view.bands.findIndex((x: { code: string }) => x.code === 'very_low')]).toBe(veryLowBefore + 1);

    // A correction takes d's latest answer from improved (+12) to below the relevant change (+4), and f's latest
    // from 'good' to 'low' (a latest band move).
    const improvedBefore = view.change.improved;
    const goodBefore = view.bandDistribution.latest[view.bands.findIndex((x: { code: string }) => x.code === 'good')];
    await correct(rk1, d.latest, who5(2, 2, 2, 2, 3));
    await correct(rk1, f.latest, flat(2));
    view = await expectViewMatchesPairs('who5');
    expect(view.change.improved).toBe(improvedBefore - 2);
    expect(view.bandDistribution.latest[view.bands.findIndex((x: { code: string }) => x.code === 'good')]).toBe(goodBefore - 2);

    // Handover: rk2 takes over b's enrolment from today (rk1's membership ends yesterday), then measures b again.
    const today = dateInCopenhagen();
    await t.db.kysely.updateTable('team_members').set({ valid_to: addDays(today, -1) }).where('enrolment_id', '=', b.enrolmentId).where('user_id', '=', RK1).execute();
    const org = await t.db.kysely.selectFrom('enrolments').select('organisation_id').where('id', '=', b.enrolmentId).executeTakeFirstOrThrow();
    await t.db.kysely
      .insertInto('team_members')
      .values({ organisation_id: org.organisation_id, enrolment_id: b.enrolmentId, user_id: RK2, role: 'resource_consultant', kind: 'permanent', valid_from: today, created_by: RK1 })
      .execute();
    const rk2Before = (await aggregateRows(t.db.kysely, PROGRAMME.paaVej, 'who5')).find((r) => r.dim === 'consultant' && r.key === RK2)?.pairs ?? 0;
    await answer(rk2, b.id, 'who5', flat(4));
    view = await expectViewMatchesPairs('who5');
    const rk2Row = (await aggregateRows(t.db.kysely, PROGRAMME.paaVej, 'who5')).find((r) => r.dim === 'consultant' && r.key === RK2)!;
    expect(rk2Row.pairs).toBe(rk2Before + 1);
    expect(view.byConsultant.find((x: { consultant: { id: string } }) => x.consultant.id === RK2).n).toBe(rk2Before + 1);

    // The target group changes, then a correction refreshes the pair: it moves from one group to the other.
    const groupsBefore = new Map((await aggregateRows(t.db.kysely, PROGRAMME.paaVej, 'who5')).filter((r) => r.dim === 'group').map((r) => [r.key, r.pairs]));
    await t.db.kysely.updateTable('enrolments').set({ benefit_code: 'ledighedsydelse' }).where('id', '=', e.enrolmentId).execute();
    await correct(rk1, e.latest, who5(3, 2, 2, 2, 3));
    view = await expectViewMatchesPairs('who5');
    const groupsAfter = new Map((await aggregateRows(t.db.kysely, PROGRAMME.paaVej, 'who5')).filter((r) => r.dim === 'group').map((r) => [r.key, r.pairs]));
    expect(groupsAfter.get('kontanthjaelp')).toBe(groupsBefore.get('kontanthjaelp')! - 1);
    expect(groupsAfter.get('ledighedsydelse')).toBe((groupsBefore.get('ledighedsydelse') ?? 0) + 1);

    // Another measurement of c2 and a draft for it change nothing but c2's pair.
    await answer(rk1, c2.id, 'who5', flat(5));
    await answer(rk1, c2.id, 'who5', { who5_cheerful: 1 }, { draft: true });
    await expectViewMatchesPairs('who5');
  });

  it("count improved and worsened against an organisation's new version's relevant change", async () => {
    const code = `kohorte_${Date.now().toString(36)}`;
    const definition = (relevantChange: number) => ({
      code,
      title: { da: 'Kohorte', en: 'Cohort' },
      licence: 'Own',
      dataCategories: ['other'],
      healthData: false,
      items: [{ code: 'q1', text: { da: 'Spørgsmål', en: 'Question' }, respondent: 'citizen', required: true, answer: { kind: 'number', min: 0, max: 10, integer: true } }],
      scoring: {
        method: 'sum',
        scale: { multiply: 0.1 },
        bands: [
          { code: 'lav', label: { da: 'Lav', en: 'Low' }, on: 'raw', min: 0, max: 4 },
          { code: 'hoej', label: { da: 'Høj', en: 'High' }, on: 'raw', min: 5, max: 10 },
        ],
        relevantChange,
      },
      alerts: [],
    });
    const publish = async (relevantChange: number) => {
      const created = await admin.request({ method: 'POST', url: '/api/instruments', payload: definition(relevantChange) });
      expect(created.statusCode, created.body).toBe(201);
      const { version } = created.json() as { version: number };
      const approved = await admin.request({ method: 'POST', url: `/api/instruments/${code}/versions/${version}/approve`, payload: { dpoConsulted: true, note: 'Databeskyttelsesrådgiveren er hørt' } });
      expect(approved.statusCode, approved.body).toBe(200);
    };
    await publish(0.2);
    // Changes of +0.1 … +0.5 and -0.3 (fractional scaled values: the sums are not whole numbers).
    for (const [from, to] of [[2, 3], [2, 4], [2, 5], [3, 6], [4, 9], [6, 3], [5, 5]] as const) {
      const c = await newCitizen();
      await answer(rk1, c.id, code, { q1: from });
      await answer(rk1, c.id, code, { q1: to });
    }
    let view = await expectViewMatchesPairs(code);
    expect([view.change.improved, view.change.worsened, view.relevantChange]).toEqual([4, 1, 0.2]);
    await publish(0.35);
    view = await expectViewMatchesPairs(code);
    expect([view.change.improved, view.change.worsened, view.relevantChange]).toEqual([1, 0, 0.35]);
  });

  it('come back to exactly zero when every pair is removed (no drift from adding and subtracting)', async () => {
    const rolledBack = new Error('roll back');
    await expect(
      t.db.kysely.transaction().execute(async (tx) => {
        await sql`delete from assessment_pairs`.execute(tx);
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from cohort_aggregates
           where measured <> 0 or pairs <> 0 or n_baseline <> 0 or n_latest <> 0 or n_change <> 0 or improved <> 0 or worsened <> 0
              or sum_baseline <> 0 or sum_latest <> 0 or sum_change <> 0 or sum_change_sq <> 0`.execute(tx);
        expect(rows[0]!.n).toBe(0);
        const { rows: all } = await sql<{ n: number }>`select count(*)::int as n from cohort_aggregates`.execute(tx);
        expect(all[0]!.n).toBeGreaterThan(10);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    await expectViewMatchesPairs('who5');
  });
});
