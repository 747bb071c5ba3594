// Small-cell suppression: hand-made tables (primary, complementary, the grand-total attack, 0 %/100 %), the
// exact audience, and property tests that check the result with two solvers written independently of the
// module's cycle search: linear algebra (no hidden figure follows from the equations) and, for small tables,
// an exhaustive search for a second completion of the table.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isSuppressed,
  shareTable,
  suppressCount,
  suppressShare,
  suppressStat,
  suppressTable,
  type Cell,
  type SuppressedTable,
  type TableInput,
} from './suppression.ts';

const S = { suppressed: true };
/** Runs per property test; raise it for a longer search (`SUPPRESSION_RUNS=20000`). */
const RUNS = Number(process.env.SUPPRESSION_RUNS ?? 400);
const PROPERTY_TIMEOUT = Math.max(30_000, RUNS * 50);

/** The table as a grid of strings for readable expectations: a number, or '·' for a hidden figure. */
function show(t: SuppressedTable): string[][] {
  const f = (c: Cell | undefined) => (c === undefined ? '' : isSuppressed(c) ? '·' : String(c));
  const rows = t.cells.map((row, r) => [...row.map(f), ...(t.rowTotals ? [f(t.rowTotals[r])] : [])]);
  if (t.colTotals || t.grandTotal !== undefined) rows.push([...(t.colTotals ?? t.cells[0]!.map(() => undefined)).map(f), f(t.grandTotal)]);
  return rows;
}

describe('primary suppression', () => {
  it('hides a count below 5, zero included, and publishes 5 and above', () => {
    expect(suppressCount(4)).toEqual(S);
    expect(suppressCount(0)).toEqual(S);
    expect(suppressCount(5)).toBe(5);
    expect(suppressCount(3, 3)).toBe(3);
    expect(suppressCount(3, { audience: 'exact' })).toBe(3);
  });

  it('publishes a table without totals cell by cell', () => {
    const t = suppressTable({ cells: [[3, 10], [0, 7]] });
    expect(t.cells).toEqual([[S, 10], [S, 7]]);
    expect(t.complementary).toEqual([]);
  });

  it('publishes a structural zero as 0 and hides an ordinary zero', () => {
    const t = suppressTable({ cells: [[0, 12, 0, 9]], rowTotals: true, structuralZeros: [[0, 0]] });
    // The ordinary zero needs a partner in the row, the smallest other cell; the structural zero cannot be
    // that partner (everyone knows it is 0).
    expect(show(t)).toEqual([['0', '12', '·', '·', '21']]);
  });

  it('refuses a structural zero on a cell that is not zero, ragged rows, negative and fractional counts', () => {
    expect(() => suppressTable({ cells: [[1, 2]], structuralZeros: [[0, 0]] })).toThrow(/structural zero/);
    expect(() => suppressTable({ cells: [[1, 2], [3]] })).toThrow(/row 1/);
    expect(() => suppressTable({ cells: [[-1]] })).toThrow(/whole number/);
    expect(() => suppressTable({ cells: [[1.5]] })).toThrow(/whole number/);
    expect(() => suppressTable({ cells: [[1]], threshold: 0 })).toThrow(/threshold/);
  });
});

describe('complementary suppression', () => {
  it('2 × 2 with totals: one cell of 3 takes a second cell in its row and its column (and so the fourth)', () => {
    const t = suppressTable({ cells: [[3, 10], [12, 20]], rowTotals: true, colTotals: true, grandTotal: true });
    // With every margin published the only cycle in a 2 × 2 table is all four cells; any fewer and the rest
    // follows from the totals.
    expect(show(t)).toEqual([
      ['·', '·', '13'],
      ['·', '·', '32'],
      ['15', '30', '45'],
    ]);
    expect(t.complementary).toEqual([
      { kind: 'cell', row: 0, col: 1 },
      { kind: 'cell', row: 1, col: 0 },
      { kind: 'cell', row: 1, col: 1 },
    ]);
  });

  it('3 × 3 with totals: the cheapest rectangle, each line with 0 or 2 hidden cells', () => {
    const t = suppressTable({ cells: [[3, 10, 20], [12, 25, 30], [40, 50, 60]], rowTotals: true, colTotals: true, grandTotal: true });
    expect(show(t)).toEqual([
      ['·', '·', '20', '33'],
      ['·', '·', '30', '67'],
      ['40', '50', '60', '150'],
      ['55', '85', '110', '250'],
    ]);
  });

  it('a distribution with its total: the next-smallest category hides with the small one', () => {
    expect(show(suppressTable({ cells: [[3, 10, 12]], rowTotals: true }))).toEqual([['·', '·', '12', '25']]);
    // Two small categories protect each other when their sum is not zero.
    expect(show(suppressTable({ cells: [[3, 1, 12]], rowTotals: true }))).toEqual([['·', '·', '12', '16']]);
  });

  it('two hidden zeros in a line are not enough: their sum (0) would show that both are 0', () => {
    // Row total 20 and published 20 would tell that the two hidden cells add up to 0.
    const t = suppressTable({ cells: [[20, 0, 0], [10, 8, 9]], rowTotals: true });
    expect(show(t)).toEqual([
      ['·', '·', '·', '20'],
      ['10', '8', '9', '27'],
    ]);
  });

  it('grand-total attack: a hidden row total is not left as grand total minus the other row totals', () => {
    const t = suppressTable({ cells: [[30, 10], [12, 20], [2, 2]], rowTotals: true, grandTotal: true });
    const shown = show(t);
    expect(shown[2]).toEqual(['·', '·', '·']);
    // Something else on the line "row totals add up to the grand total" is hidden as well.
    const hiddenOnGrandLine = [t.rowTotals![0], t.rowTotals![1], t.grandTotal].filter(isSuppressed).length;
    expect(hiddenOnGrandLine).toBeGreaterThanOrEqual(1);
    // And the grand total, the programme's n, is kept when a row total can go instead.
    expect(t.grandTotal).toBe(76);
    assertNoDerivableFigure({ cells: [[30, 10], [12, 20], [2, 2]], rowTotals: true, grandTotal: true }, t);
  });

  it('column totals against the grand total are a line too', () => {
    const input: TableInput = { cells: [[30, 2], [12, 1]], colTotals: true, grandTotal: true };
    const t = suppressTable(input);
    expect(t.colTotals![1]).toEqual(S);
    expect([t.colTotals![0], t.grandTotal].filter(isSuppressed)).toHaveLength(1);
    assertNoDerivableFigure(input, t);
  });

  it('a tiny table where the bounds alone pin figures down is hidden whole, without "< 5" marks', () => {
    // Found by the exhaustive property test (threshold 3). Had the screen said which hidden figures are
    // below 3 and which are 3 or more, the reader could solve it: cells ≤ 2, row totals 0 and 2 ≥ 3 and
    // column total 1 ≤ 2 leave x01 = x21 = 1, x00 = x20 = 2, x11 = 0.
    const input: TableInput = { cells: [[2, 1], [0, 0], [2, 1]], rowTotals: true, colTotals: true, threshold: 3 };
    const t = suppressTable(input);
    expect(t.masked).toBe(true);
    expect(t.complementary).toEqual([]);
    expect(show(t)).toEqual([
      ['·', '·', '·'],
      ['·', '·', '·'],
      ['·', '·', '·'],
      ['·', '·', ''],
    ]);
    assertNoDerivableFigure(input, t);
    expect(suppressTable({ cells: [[3, 10], [12, 20]], rowTotals: true, colTotals: true }).masked).toBe(false);
  });

  it('the exact audience gets every figure from the same function', () => {
    const t = suppressTable({ cells: [[3, 10], [12, 20]], rowTotals: true, colTotals: true, grandTotal: true, audience: 'exact' });
    expect(show(t)).toEqual([
      ['3', '10', '13'],
      ['12', '20', '32'],
      ['15', '30', '45'],
    ]);
    expect(t.complementary).toEqual([]);
  });
});

describe('shares (the 0 %/100 % rule)', () => {
  it('a group of 4 all in job: the share is hidden', () => {
    expect(suppressShare(4, 4)).toEqual(S);
    expect(suppressShare(4, 4, { audience: 'exact' })).toBe(1);
  });

  it('a group of 20 with 0 in job: hidden, because 0 % of a shown 20 publishes the count 0', () => {
    expect(suppressShare(0, 20)).toEqual(S);
  });

  it('a group of 20 all in job: hidden likewise (the 0 not in job)', () => {
    expect(suppressShare(20, 20)).toEqual(S);
  });

  it('a share is shown when both parts of the split reach the threshold', () => {
    expect(suppressShare(10, 20)).toBe(0.5);
    expect(suppressShare(5, 10)).toBe(0.5);
    expect(suppressShare(18, 20)).toEqual(S); // 2 not in job
    expect(suppressShare(3, 20)).toEqual(S);
    expect(suppressShare(0, 0)).toEqual(S);
    expect(suppressShare(0, 0, { audience: 'exact' })).toBeNull();
    expect(() => suppressShare(3, 2)).toThrow(/exceeds/);
  });

  it('shares per row follow the suppressed counts and never show 0 % or 100 % unless the zero is structural', () => {
    const input = {
      // job, education, other
      cells: [
        [4, 0, 0], // a group of 4, all in job
        [0, 8, 12], // a group of 20, none in job
        [6, 7, 7],
        [0, 0, 9], // the first two cannot happen in this row (structural)
      ],
      structuralZeros: [[3, 0], [3, 1]] as [number, number][],
    };
    const { counts, shares } = shareTable(input);
    expect(counts.rowTotals).toEqual([S, 20, 20, 9]);
    expect(shares[0]).toEqual([S, S, S]);
    expect(shares[1]![0]).toEqual(S);
    expect(shares[2]).toEqual([0.3, 0.35, 0.35]);
    expect(shares[3]!.slice(0, 2)).toEqual([0, 0]);
    // 9 of 9 in "other" with the rest structurally impossible is 100 % by construction, still not shown.
    expect(shares[3]![2]).toEqual(S);
    for (const [r, row] of shares.entries())
      for (const [c, share] of row.entries()) {
        if (isSuppressed(counts.cells[r]![c]) || isSuppressed(counts.rowTotals[r])) expect(share).toEqual(S);
        if (typeof share === 'number' && !(share === 0 && r === 3)) expect(share > 0 && share < 1).toBe(true);
      }
    const exact = shareTable({ ...input, audience: 'exact' });
    expect(exact.shares[0]).toEqual([1, 0, 0]);
  });
});

describe('statistics of a group', () => {
  it('suppresses a mean (or any summary) of a group below the threshold', () => {
    expect(suppressStat(4, 61.5)).toEqual(S);
    expect(suppressStat(5, 61.5)).toBe(61.5);
    expect(suppressStat(4, { mean: 3 }, { audience: 'exact' })).toEqual({ mean: 3 });
    expect(suppressStat(2, 1, 2)).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Independent checks.
// ---------------------------------------------------------------------------------------------------------

interface Figure {
  kind: 'cell' | 'rowTotal' | 'colTotal' | 'grandTotal';
  r: number;
  c: number;
  value: number;
  shown: Cell | undefined;
  complementary: boolean;
}

/** Every figure of the table (cells and totals, shown or not) with its true value. */
function figures(input: TableInput, t: SuppressedTable): Figure[] {
  const R = input.cells.length;
  const C = input.cells[0]?.length ?? 0;
  const isComp = (kind: Figure['kind'], r: number, c: number) =>
    t.complementary.some(
      (p) =>
        p.kind === kind &&
        (p.kind === 'cell' ? p.row === r && p.col === c : p.kind === 'rowTotal' ? p.row === r : p.kind === 'colTotal' ? p.col === c : true),
    );
  const out: Figure[] = [];
  let grand = 0;
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++) out.push({ kind: 'cell', r, c, value: input.cells[r]![c]!, shown: t.cells[r]![c], complementary: isComp('cell', r, c) });
  for (let r = 0; r < R; r++) {
    const v = input.cells[r]!.reduce((a, b) => a + b, 0);
    grand += v;
    out.push({ kind: 'rowTotal', r, c: C, value: v, shown: input.rowTotals ? t.rowTotals![r] : undefined, complementary: isComp('rowTotal', r, C) });
  }
  for (let c = 0; c < C; c++) {
    const v = input.cells.reduce((a, row) => a + row[c]!, 0);
    out.push({ kind: 'colTotal', r: R, c, value: v, shown: input.colTotals ? t.colTotals![c] : undefined, complementary: isComp('colTotal', R, c) });
  }
  out.push({ kind: 'grandTotal', r: R, c: C, value: grand, shown: input.grandTotal ? t.grandTotal : undefined, complementary: isComp('grandTotal', R, C) });
  return out;
}

/**
 * Linear algebra: the unknowns are the hidden figures (suppressed, or totals not shown); the equations say
 * each row and column adds up to its total. A hidden figure is derivable iff its unit vector lies in the
 * row space of the equations restricted to the unknowns (ranks compared by Gaussian elimination).
 */
function linearlyDerivable(input: TableInput, t: SuppressedTable): Figure[] {
  const R = input.cells.length;
  const C = input.cells[0]?.length ?? 0;
  const figs = figures(input, t);
  const unknown = figs.filter((f) => f.shown === undefined || isSuppressed(f.shown));
  const index = new Map(unknown.map((f, k) => [f, k]));
  const equations: number[][] = [];
  const line = (members: Figure[], total: Figure) => {
    const row = new Array<number>(unknown.length).fill(0);
    for (const m of members) if (index.has(m)) row[index.get(m)!] = 1;
    if (index.has(total)) row[index.get(total)!] = -1;
    if (row.some((v) => v !== 0)) equations.push(row);
  };
  const cell = (r: number, c: number) => figs.find((f) => f.kind === 'cell' && f.r === r && f.c === c)!;
  const rowTotal = (r: number) => figs.find((f) => f.kind === 'rowTotal' && f.r === r)!;
  const colTotal = (c: number) => figs.find((f) => f.kind === 'colTotal' && f.c === c)!;
  const grand = figs.find((f) => f.kind === 'grandTotal')!;
  for (let r = 0; r < R; r++) line(Array.from({ length: C }, (_, c) => cell(r, c)), rowTotal(r));
  for (let c = 0; c < C; c++) line(Array.from({ length: R }, (_, r) => cell(r, c)), colTotal(c));
  line(Array.from({ length: R }, (_, r) => rowTotal(r)), grand);
  line(Array.from({ length: C }, (_, c) => colTotal(c)), grand);
  const base = rank(equations);
  return unknown.filter((f) => f.shown !== undefined && rank([...equations, unknown.map((u) => (u === f ? 1 : 0))]) === base);
}

function rank(matrix: number[][]): number {
  const m = matrix.map((row) => [...row]);
  let rank = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && rank < m.length; c++) {
    let pivot = -1;
    for (let r = rank; r < m.length; r++) if (Math.abs(m[r]![c]!) > 1e-9) pivot = r;
    if (pivot < 0) continue;
    [m[rank], m[pivot]] = [m[pivot]!, m[rank]!];
    for (let r = 0; r < m.length; r++) {
      if (r === rank) continue;
      const factor = m[r]![c]! / m[rank]![c]!;
      if (factor !== 0) for (let k = c; k < cols; k++) m[r]![k]! -= factor * m[rank]![k]!;
    }
    rank++;
  }
  return rank;
}

/**
 * Exhaustive search (small tables): for a hidden figure, look for a second completion of the table — whole
 * non-negative counts that agree with every published cell and total, keep each primary figure below the
 * threshold and each complementary one at or above it — in which that figure has another value. Returns the
 * figures for which no such completion exists within 0..maxValue per cell.
 */
function exhaustivelyDerivable(input: TableInput, t: SuppressedTable, threshold: number, maxValue: number): Figure[] {
  const R = input.cells.length;
  const C = input.cells[0]?.length ?? 0;
  const figs = figures(input, t);
  const hidden = (f: Figure) => f.shown !== undefined && isSuppressed(f.shown);
  const allowed = (f: Figure, v: number) => {
    if (f.shown === undefined) return true;
    if (!isSuppressed(f.shown)) return v === f.value;
    // A masked table tells the reader nothing about its hidden figures.
    if (t.masked) return true;
    return f.complementary ? v >= threshold : v < threshold;
  };
  const cellFigs = figs.filter((f) => f.kind === 'cell');
  const free = cellFigs.filter(hidden);
  const totalsOf = (grid: number[][]) => {
    const values = new Map<Figure, number>();
    let g = 0;
    for (const f of figs) {
      if (f.kind === 'cell') values.set(f, grid[f.r]![f.c]!);
      else if (f.kind === 'rowTotal') values.set(f, grid[f.r]!.reduce((a, b) => a + b, 0));
      else if (f.kind === 'colTotal') values.set(f, grid.reduce((a, row) => a + row[f.c]!, 0));
    }
    for (const row of grid) for (const v of row) g += v;
    values.set(figs.find((f) => f.kind === 'grandTotal')!, g);
    return values;
  };
  const rowCap = (r: number) => {
    const f = figs.find((x) => x.kind === 'rowTotal' && x.r === r)!;
    return f.shown !== undefined && !isSuppressed(f.shown) ? f.value : Infinity;
  };
  const colCap = (c: number) => {
    const f = figs.find((x) => x.kind === 'colTotal' && x.c === c)!;
    return f.shown !== undefined && !isSuppressed(f.shown) ? f.value : Infinity;
  };
  const least = (x: Figure) => (x.complementary && !t.masked ? threshold : 0);
  const derivable: Figure[] = [];
  for (const target of figs.filter(hidden)) {
    // Hidden cells start at their least allowed value and are assigned one by one; a published row or
    // column total then bounds what the cells assigned so far, plus the least of the rest, may add up to.
    const grid = input.cells.map((row, r) => row.map((v, c) => (free.some((f) => f.r === r && f.c === c) ? least(free.find((f) => f.r === r && f.c === c)!) : v)));
    let found = false;
    const search = (k: number) => {
      if (k === free.length) {
        const values = totalsOf(grid);
        if (figs.every((f) => allowed(f, values.get(f)!)) && values.get(target) !== target.value) found = true;
        return;
      }
      const f = free[k]!;
      const order = [f.value, ...Array.from({ length: maxValue + 1 }, (_, v) => v).filter((v) => v !== f.value)];
      for (const v of order) {
        if (!allowed(f, v)) continue;
        grid[f.r]![f.c] = v;
        let rowSum = 0;
        for (let c = 0; c < C; c++) rowSum += grid[f.r]![c]!;
        let colSum = 0;
        for (let r = 0; r < R; r++) colSum += grid[r]![f.c]!;
        if (rowSum <= rowCap(f.r) && colSum <= colCap(f.c)) search(k + 1);
        if (found) return;
      }
      grid[f.r]![f.c] = least(f);
    };
    search(0);
    if (!found) derivable.push(target);
  }
  return derivable;
}

function assertNoDerivableFigure(input: TableInput, t: SuppressedTable) {
  expect(linearlyDerivable(input, t)).toEqual([]);
  if (input.cells.length * (input.cells[0]?.length ?? 0) <= 9) {
    const max = Math.max(0, ...input.cells.flat()) + 1;
    expect(exhaustivelyDerivable(input, t, input.threshold ?? 5, max)).toEqual([]);
  }
}

/** Random tables with many small counts, random margins and a few structural zeros. */
function tableArb(maxRows: number, maxCols: number, maxValue: number) {
  return fc
    .record({
      rows: fc.integer({ min: 1, max: maxRows }),
      cols: fc.integer({ min: 1, max: maxCols }),
      rowTotals: fc.boolean(),
      colTotals: fc.boolean(),
      grandTotal: fc.boolean(),
      threshold: fc.constantFrom(5, 5, 5, 3),
      seedValues: fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: maxValue })), { minLength: maxRows * maxCols, maxLength: maxRows * maxCols }),
      structuralPick: fc.array(fc.boolean(), { minLength: maxRows * maxCols, maxLength: maxRows * maxCols }),
    })
    .map(({ rows, cols, seedValues, structuralPick, ...rest }): TableInput => {
      const cells = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => seedValues[r * cols + c]!));
      const structuralZeros: [number, number][] = [];
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) if (cells[r]![c] === 0 && structuralPick[r * cols + c] && (r + c) % 3 === 0) structuralZeros.push([r, c]);
      return { cells, structuralZeros, ...rest };
    });
}

describe('properties of suppressed tables', () => {
  it('no published figure below the threshold (but structural zeros); every line with a shown total has 0 or ≥ 2 hidden figures; nothing derivable by linear algebra', () => {
    fc.assert(
      fc.property(tableArb(5, 5, 40), (input) => {
        const t = suppressTable(input);
        const T = input.threshold ?? 5;
        const figs = figures(input, t);
        const structural = new Set(input.structuralZeros!.map(([r, c]) => `${r}:${c}`));
        for (const f of figs) {
          if (typeof f.shown === 'number') {
            expect(f.shown).toBe(f.value);
            // Below the threshold only a structural zero, or a total over structural zeros alone.
            const over = figs.filter(
              (x) => x.kind === 'cell' && (f.kind === 'cell' ? x === f : f.kind === 'rowTotal' ? x.r === f.r : f.kind === 'colTotal' ? x.c === f.c : true),
            );
            if (!over.every((x) => structural.has(`${x.r}:${x.c}`))) expect(f.value).toBeGreaterThanOrEqual(T);
          }
          if (f.complementary) {
            expect(f.shown).toEqual(S);
            expect(f.value).toBeGreaterThanOrEqual(T);
          }
          if (f.kind === 'cell' && structural.has(`${f.r}:${f.c}`)) expect(f.shown).toBe(0);
        }
        // Lines: each row and column with its total; the row totals and the column totals with the grand total.
        const R = input.cells.length;
        const C = input.cells[0]!.length;
        const hiddenCount = (members: Figure[]) => members.filter((m) => isSuppressed(m.shown)).length;
        const lines: [Figure[], Figure][] = [];
        for (let r = 0; r < R; r++) lines.push([figs.filter((f) => f.kind === 'cell' && f.r === r), figs.find((f) => f.kind === 'rowTotal' && f.r === r)!]);
        for (let c = 0; c < C; c++) lines.push([figs.filter((f) => f.kind === 'cell' && f.c === c), figs.find((f) => f.kind === 'colTotal' && f.c === c)!]);
        const grand = figs.find((f) => f.kind === 'grandTotal')!;
        if (input.rowTotals) lines.push([figs.filter((f) => f.kind === 'rowTotal'), grand]);
        if (input.colTotals) lines.push([figs.filter((f) => f.kind === 'colTotal'), grand]);
        if (!input.rowTotals && !input.colTotals) lines.push([figs.filter((f) => f.kind === 'cell'), grand]);
        for (const [members, total] of lines) {
          if (typeof total.shown !== 'number') continue;
          expect(hiddenCount(members)).not.toBe(1);
        }
        expect(linearlyDerivable(input, t)).toEqual([]);
        // The exact audience gets the true figures in the same shape.
        const exact = suppressTable({ ...input, audience: 'exact' });
        for (const f of figures(input, exact)) if (f.shown !== undefined) expect(f.shown).toBe(f.value);
      }),
      { numRuns: RUNS },
    );
  }, PROPERTY_TIMEOUT);

  it('tables up to 3 × 3 with counts ≤ 8: every hidden figure has a second whole, non-negative completion', () => {
    fc.assert(
      fc.property(tableArb(3, 3, 8), (input) => {
        const t = suppressTable(input);
        expect(exhaustivelyDerivable(input, t, input.threshold ?? 5, 9)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, PROPERTY_TIMEOUT);
});
