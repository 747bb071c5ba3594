// Cohort statistics: t quantiles against published table values, paired change against hand-computed
// cases, numerical soundness with large offsets, and band counts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandDistribution, logGamma, pairedChange, regularizedBeta, tCdf, tQuantile } from './stats.ts';

describe('t distribution', () => {
  it('matches the two-sided 95 % critical values of the t table', () => {
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [5, 2.571],
      [10, 2.228],
      [30, 2.042],
      [120, 1.98],
      [1000, 1.962],
    ];
    for (const [df, value] of table) expect(tQuantile(0.975, df)).toBeCloseTo(value, 3);
    // Towards the normal distribution.
    expect(tQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
  });

  it('has the closed forms of 1 and 2 degrees of freedom and is symmetric', () => {
    // df 1 is the Cauchy distribution: F(t) = ½ + atan(t)/π. df 2: F(t) = ½ + t / (2·sqrt(2 + t²)).
    for (const t of [-3, -0.5, 0, 0.7, 4, 40]) {
      expect(tCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(tCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
    expect(tQuantile(0.995, 1)).toBeCloseTo(Math.tan(Math.PI * 0.495), 6);
    expect(tQuantile(0.025, 7)).toBeCloseTo(-tQuantile(0.975, 7), 12);
    expect(tQuantile(0.5, 4)).toBe(0);
  });

  it('inverts its own CDF', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 500 }), (p, df) => {
        expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses p outside (0, 1) and a non-positive df', () => {
    expect(() => tQuantile(1, 5)).toThrow(/p must/);
    expect(() => tQuantile(0, 5)).toThrow(/p must/);
    expect(() => tQuantile(0.9, 0)).toThrow(/df must/);
  });

  it('the helpers agree with known values', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 11);
    // Γ(x + 1) = x·Γ(x), from ½ up to 100½.
    let sum = 0.5 * Math.log(Math.PI);
    for (let k = 0; k < 100; k++) sum += Math.log(k + 0.5);
    expect(logGamma(100.5)).toBeCloseTo(sum, 9);
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b.
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedBeta(0.6, 3, 1)).toBeCloseTo(0.216, 12);
    expect(regularizedBeta(0.2, 1, 4)).toBeCloseTo(1 - 0.8 ** 4, 12);
  });
});

describe('pairedChange', () => {
  it('computes means, the change, its sd and a t interval by hand', () => {
    // Changes 1, 3, 0, 4: mean 2, sd sqrt(((−1)² + 1² + (−2)² + 2²) / 3) = sqrt(10/3).
    const r = pairedChange([
      { baseline: 40, latest: 41 },
      { baseline: 52, latest: 55 },
      { baseline: 60, latest: 60 },
      { baseline: 28, latest: 32 },
    ]);
    expect(r.n).toBe(4);
    expect(r.meanBaseline).toBeCloseTo(45, 12);
    expect(r.meanLatest).toBeCloseTo(47, 12);
    expect(r.meanChange).toBeCloseTo(2, 12);
    expect(r.sd).toBeCloseTo(Math.sqrt(10 / 3), 12);
    const half = 3.182446305 * (Math.sqrt(10 / 3) / 2);
    expect(r.ci95![0]).toBeCloseTo(2 - half, 6);
    expect(r.ci95![1]).toBeCloseTo(2 + half, 6);
  });

  it('has no interval below two pairs, and no means for none', () => {
    expect(pairedChange([])).toEqual({ n: 0, meanBaseline: null, meanLatest: null, meanChange: null, sd: null, ci95: null });
    expect(pairedChange([{ baseline: 10, latest: 14 }])).toEqual({ n: 1, meanBaseline: 10, meanLatest: 14, meanChange: 4, sd: null, ci95: null });
  });

  it('identical changes give sd 0 and an interval of one point', () => {
    const r = pairedChange(Array.from({ length: 10 }, (_, k) => ({ baseline: k, latest: k + 8 })));
    expect(r.sd).toBe(0);
    expect(r.ci95).toEqual([8, 8]);
  });

  it('stays accurate when the values are large compared with their spread', () => {
    // A naive sum of squares loses every digit here; Welford keeps them.
    const big = 1e9;
    const r = pairedChange([
      { baseline: big, latest: big + 1 },
      { baseline: big, latest: big + 3 },
      { baseline: big, latest: big },
      { baseline: big, latest: big + 4 },
    ]);
    expect(r.meanChange).toBeCloseTo(2, 9);
    expect(r.sd).toBeCloseTo(Math.sqrt(10 / 3), 9);
  });

  it('agrees with a two-pass computation on random data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ baseline: fc.integer({ min: 0, max: 100 }), latest: fc.integer({ min: 0, max: 100 }) }), { minLength: 2, maxLength: 200 }),
        (pairs) => {
          const r = pairedChange(pairs);
          const d = pairs.map((p) => p.latest - p.baseline);
          const mean = d.reduce((a, b) => a + b, 0) / d.length;
          const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
          expect(r.meanChange).toBeCloseTo(mean, 9);
          expect(r.sd).toBeCloseTo(sd, 9);
          expect(r.meanLatest! - r.meanBaseline!).toBeCloseTo(mean, 9);
          expect(r.ci95![0]).toBeLessThanOrEqual(r.meanChange! + 1e-9);
          expect(r.ci95![1]).toBeGreaterThanOrEqual(r.meanChange! - 1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses values that are not finite numbers', () => {
    expect(() => pairedChange([{ baseline: NaN, latest: 1 }])).toThrow(/finite/);
  });
});

describe('bandDistribution', () => {
  it('counts per band in the bands’ order, with zero bands and values outside every band', () => {
    // The Work Ability Score's bands.
    const bands = [
      { code: 'poor', min: 0, max: 5 },
      { code: 'moderate', min: 6, max: 7 },
      { code: 'good', min: 8, max: 10 },
    ];
    expect(bandDistribution([0, 5, 6, 8, 10, 10, 11, 5.5], bands)).toEqual({
      counts: [
        { code: 'poor', count: 2 },
        { code: 'moderate', count: 1 },
        { code: 'good', count: 3 },
      ],
      outside: 2,
      n: 8,
    });
    expect(bandDistribution([], bands).counts.map((c) => c.count)).toEqual([0, 0, 0]);
  });

  it('puts a value on a shared boundary in the first band that holds it', () => {
    const bands = [
      { code: 'low', min: 0, max: 50 },
      { code: 'high', min: 50, max: 100 },
    ];
    expect(bandDistribution([50], bands).counts).toEqual([
      { code: 'low', count: 1 },
      { code: 'high', count: 0 },
    ]);
  });
});
