// The k-anonymity step of research exports (k ≥ 5). The quasi-identifiers are those of the enrolments file that the
// study releases: birth year, sex, benefit at the start and the start date (always, at the agreed precision). A
// first pass counts every equivalence class at each generalisation level; the lowest level at which at most 5 % of
// the records sit in classes smaller than k is chosen, and those records' quasi-identifiers are suppressed (birth
// year, sex and benefit left empty, dates to the year). More than half the records to suppress, or fewer than k
// records at all, refuses the export. Pure functions over hand-made data in the tests.

export const K = 5;
/** The share of records that may be suppressed at the chosen level. */
export const MAX_SUPPRESSED_SHARE = 0.05;
/** Above this share the export is refused: the data would say too little (narrow the variables instead). */
export const REFUSE_SUPPRESSED_SHARE = 0.5;

export type DatePrecision = 'month' | 'shifted';
type DateGrain = 'day' | 'month' | 'quarter' | 'year';
type BirthGrain = 'year' | 'band5' | 'band10';

/** A record's quasi-identifiers before generalisation; null where the study does not release the variable. */
export interface QuasiIdentifiers {
  birthYear: number | null;
  sex: string | null;
  benefit: string | null;
  /** The start date as released before generalisation: the true date (month precision) or the shifted one, YYYY-MM-DD. */
  start: string;
}

export interface Released {
  birthYear: string | null;
  sex: string | null;
  benefit: string | null;
  start: string;
}

const BIRTH: BirthGrain[] = ['year', 'band5', 'band10', 'band10'];
const DATES: Record<DatePrecision, DateGrain[]> = { month: ['month', 'quarter', 'year', 'year'], shifted: ['day', 'month', 'quarter', 'year'] };
export const LEVELS = 4;

/** A date (YYYY-MM-DD) at a grain: the day, `YYYY-MM`, `YYYY-Qn` or `YYYY`. */
export function dateAt(date: string, grain: DateGrain): string {
  if (grain === 'day') return date;
  if (grain === 'month') return date.slice(0, 7);
  if (grain === 'quarter') return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
  return date.slice(0, 4);
}

function birthAt(year: number, grain: BirthGrain): string {
  if (grain === 'year') return String(year);
  const width = grain === 'band5' ? 5 : 10;
  const from = Math.floor(year / width) * width;
  return `${from}-${from + width - 1}`;
}

export function dateGrain(precision: DatePrecision, level: number): DateGrain {
  return DATES[precision][level]!;
}

/** The quasi-identifiers at a generalisation level. */
export function generalise(q: QuasiIdentifiers, precision: DatePrecision, level: number): Released {
  return {
    birthYear: q.birthYear === null ? null : birthAt(q.birthYear, BIRTH[level]!),
    sex: q.sex,
    benefit: q.benefit,
    start: dateAt(q.start, DATES[precision][level]!),
  };
}

/**
 * Local suppression, step by step: a record still in a class smaller than k loses sex, then the benefit, then the
 * birth year, and last its start date as well. An empty value stands for any value (the usual reading of local
 * suppression), so a record's class at a depth counts every record that agrees on what is left.
 */
export const DEPTHS = 5;
const BLANKED: (keyof Released)[][] = [[], ['sex'], ['sex', 'benefit'], ['sex', 'benefit', 'birthYear'], ['sex', 'benefit', 'birthYear', 'start']];

function blank(r: Released, depth: number): Released {
  const out = { ...r };
  for (const k of BLANKED[depth]!) if (out[k] !== null) out[k] = '';
  return out;
}

/** A record's exact quasi-identifiers as one key (unambiguous whatever the values hold). */
const exactKey = (q: QuasiIdentifiers) => JSON.stringify([q.birthYear, q.sex, q.benefit, q.start]);
const classKey = (r: Released) => `${r.birthYear ?? '·'}|${r.sex ?? '·'}|${r.benefit ?? '·'}|${r.start}`;

export interface AnonymisationPlan {
  k: number;
  level: number;
  precision: DatePrecision;
  records: number;
  /** Records that lost at least one quasi-identifier. */
  suppressedRecords: number;
  /** What was done, in words (generalisations beyond the agreement, values suppressed per variable). */
  generalised: string[];
  refused: boolean;
  /** What is released for a record, and whether any of its quasi-identifiers was suppressed. */
  release(q: QuasiIdentifiers): Released & { suppressed: boolean };
}

/**
 * Counts the equivalence classes as records stream past, then chooses the level. A record adds one to its class of
 * exact quasi-identifiers only (no record is kept): the classes at every level and suppression depth are worked out
 * from those counts when the plan is made, so memory grows with the number of distinct classes, not of records.
 */
export class AnonymityPlanner {
  /** The exact classes (level 0, nothing blanked) with their records. */
  private readonly exact = new Map<string, { n: number; q: QuasiIdentifiers }>();
  private counts: Map<string, number>[][] = [];
  /** The classes at depth 0 per level, with their released values (to work out each class's depth). */
  private classes: Map<string, { n: number; released: Released }>[] = [];
  private records = 0;
  constructor(private readonly precision: DatePrecision) {}

  add(q: QuasiIdentifiers): void {
    this.records += 1;
    const key = exactKey(q);
    const c = this.exact.get(key);
    if (c) c.n += 1;
    else this.exact.set(key, { n: 1, q: { ...q } });
  }

  /** Every level's and depth's class counts, from the exact classes. */
  private count(): void {
    this.counts = Array.from({ length: LEVELS }, () => Array.from({ length: DEPTHS }, () => new Map<string, number>()));
    this.classes = Array.from({ length: LEVELS }, () => new Map());
    for (const { n, q } of this.exact.values()) {
      for (let level = 0; level < LEVELS; level += 1) {
        const released = generalise(q, this.precision, level);
        for (let depth = 0; depth < DEPTHS; depth += 1) {
          const key = classKey(blank(released, depth));
          const counts = this.counts[level]![depth]!;
          counts.set(key, (counts.get(key) ?? 0) + n);
        }
        const key = classKey(released);
        const c = this.classes[level]!.get(key);
        if (c) c.n += n;
        else this.classes[level]!.set(key, { n, released });
      }
    }
  }

  private depthOf(level: number, released: Released): number {
    for (let depth = 0; depth < DEPTHS; depth += 1) if ((this.counts[level]![depth]!.get(classKey(blank(released, depth))) ?? 0) >= K) return depth;
    return DEPTHS - 1;
  }

  plan(present: { birthYear: boolean }): AnonymisationPlan {
    this.count();
    const perLevel = Array.from({ length: LEVELS }, (_, level) => {
      const atDepth = new Array<number>(DEPTHS).fill(0);
      for (const c of this.classes[level]!.values()) atDepth[this.depthOf(level, c.released)]! += c.n;
      return atDepth;
    });
    const suppressedAt = (level: number) => this.records - perLevel[level]![0]!;
    let level = 0;
    let best = Number.POSITIVE_INFINITY;
    for (let l = 0; l < LEVELS; l += 1) {
      if (suppressedAt(l) <= this.records * MAX_SUPPRESSED_SHARE) {
        level = l;
        break;
      }
      if (suppressedAt(l) < best) {
        best = suppressedAt(l);
        level = l;
      }
    }
    const atDepth = perLevel[level]!;
    const precision = this.precision;
    const generalised: string[] = [];
    if (present.birthYear && BIRTH[level] !== 'year') generalised.push(`birth_year → ${BIRTH[level] === 'band5' ? '5-year bands' : '10-year bands'}`);
    if (DATES[precision][level] !== DATES[precision][0]) generalised.push(`dates of the enrolments file → ${DATES[precision][level]}`);
    const names = ['sex', 'benefit_at_start', 'birth_year', 'start_date'];
    for (let depth = 1; depth < DEPTHS; depth += 1) {
      const n = atDepth.slice(depth).reduce((a, b) => a + b, 0);
      if (n > 0) generalised.push(`${names[depth - 1]} suppressed in ${n} records`);
    }
    const depthOf = (r: Released) => this.depthOf(level, r);
    // Every record of a class is released alike: worked out once per class (as many as the planner counted).
    const byClass = new Map<string, Released & { suppressed: boolean }>();
    return {
      k: K,
      level,
      precision,
      records: this.records,
      suppressedRecords: this.records - atDepth[0]!,
      generalised,
      // Fewer than k records, or more than half of them left with no quasi-identifier at all: the data would say too little.
      refused: this.records < K || atDepth[DEPTHS - 1]! > this.records * REFUSE_SUPPRESSED_SHARE,
      release(q) {
        const key = exactKey(q);
        let out = byClass.get(key);
        if (!out) {
          const r = generalise(q, precision, level);
          const depth = depthOf(r);
          out = { ...blank(r, depth), suppressed: depth > 0 };
          byClass.set(key, out);
        }
        return { ...out };
      },
    };
  }
}
