// Cohort statistics for the progression view: paired change from baseline to latest with a 95 % confidence
// interval (Student's t), and counts per band. Pure functions; suppression for the steering group is applied
// afterwards by the caller (suppression.ts: `suppressStat`, `suppressTable`).

export interface Pair {
  baseline: number;
  latest: number;
}

export interface PairedChange {
  n: number;
  /** `null` when n = 0. */
  meanBaseline: number | null;
  meanLatest: number | null;
  meanChange: number | null;
  /** Sample standard deviation of the changes (n − 1 in the denominator); `null` when n < 2. */
  sd: number | null;
  /** 95 % confidence interval of the mean change, t distribution with n − 1 degrees of freedom; `null` when n < 2. */
  ci95: [number, number] | null;
}

/**
 * Mean baseline, mean latest and mean change of paired measurements, with the change's standard deviation
 * and 95 % confidence interval. Uses Welford's running mean and variance, which stay accurate when the
 * values are large compared with their spread.
 */
export function pairedChange(pairs: readonly Pair[]): PairedChange {
  let n = 0;
  let meanB = 0;
  let meanL = 0;
  let meanD = 0;
  let m2 = 0;
  for (const { baseline, latest } of pairs) {
    if (!Number.isFinite(baseline) || !Number.isFinite(latest)) throw new RangeError('pairedChange: every value must be a finite number');
    n++;
    const d = latest - baseline;
    meanB += (baseline - meanB) / n;
    meanL += (latest - meanL) / n;
    const delta = d - meanD;
    meanD += delta / n;
    m2 += delta * (d - meanD);
  }
  if (n === 0) return { n, meanBaseline: null, meanLatest: null, meanChange: null, sd: null, ci95: null };
  if (n === 1) return { n, meanBaseline: meanB, meanLatest: meanL, meanChange: meanD, sd: null, ci95: null };
  const sd = Math.sqrt(Math.max(0, m2) / (n - 1));
  const half = tQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { n, meanBaseline: meanB, meanLatest: meanL, meanChange: meanD, sd, ci95: [meanD - half, meanD + half] };
}

export interface Band {
  code: string;
  /** Inclusive bounds. */
  min: number;
  max: number;
}

export interface BandDistribution {
  /** One entry per band, in the bands' order, zero counts included (the caller suppresses). */
  counts: { code: string; count: number }[];
  /** Values in no band (e.g. between integer bands, or out of range). */
  outside: number;
  n: number;
}

/** Counts values per band; a value counts in the first band whose inclusive range holds it. */
export function bandDistribution(values: readonly number[], bands: readonly Band[]): BandDistribution {
  const counts = bands.map((b) => ({ code: b.code, count: 0 }));
  let outside = 0;
  for (const v of values) {
    const k = bands.findIndex((b) => v >= b.min && v <= b.max);
    if (k < 0) outside++;
    else counts[k]!.count++;
  }
  return { counts, outside, n: values.length };
}

// ---------------------------------------------------------------------------------------------------------
// Student's t distribution. The CDF goes through the regularized incomplete beta function:
// for t ≥ 0, P(T ≤ t) = 1 − ½·I_x(ν/2, ½) with x = ν / (ν + t²). The quantile is found by bisection.
// ---------------------------------------------------------------------------------------------------------

/** The p-quantile of Student's t with `df` degrees of freedom (df > 0, 0 < p < 1). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must lie in (0, 1), got ${p}`);
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`tQuantile: df must be positive, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // The continued fraction converges quickly for x below (a + 1) / (a + b + 2); above it, use the symmetry
  // I_x(a, b) = 1 − I_{1−x}(b, a).
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b) - Math.log(a);
  return Math.exp(logFront) * betaContinuedFraction(x, a, b);
}

/**
 * The continued fraction 1 / (1 + d1 / (1 + d2 / (1 + …))) of the incomplete beta function, with
 * d(2m+1) = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and d(2m) = m(b−m)x / ((a+2m−1)(a+2m)),
 * evaluated from the front by the modified Lentz method.
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const eps = 1e-15;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    // Even step.
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= d * c;
    // Odd step.
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    result *= step;
    if (Math.abs(step - 1) < eps) return result;
  }
  return result;
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * ln Γ(x) for x > 0: shift x up past 15 with Γ(x) = Γ(x + 1) / x, then Stirling's series
 * ln Γ(z) ≈ (z − ½) ln z − z + ½ ln 2π + 1/(12z) − 1/(360z³) + 1/(1260z⁵) − 1/(1680z⁷), whose error is
 * below 1e-14 there.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be positive, got ${x}`);
  let shift = 0;
  let z = x;
  while (z < 15) {
    shift += Math.log(z);
    z += 1;
  }
  const z2 = z * z;
  const series = 1 / (12 * z) - 1 / (360 * z * z2) + 1 / (1260 * z * z2 * z2) - 1 / (1680 * z * z2 * z2 * z2);
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series - shift;
}
