// Small-cell suppression for aggregate views (docs/decisions/0022-small-cell-suppression.md).
//
// One module for every aggregate shown to the steering group and to researchers: the progression cohort
// view (issue 9) and the steering dashboard (issue 12). It knows nothing about the database or HTTP; callers
// count, then pass the counts through here with the audience of the request. The programme manager gets
// the same shapes with exact figures (`audience: 'exact'`).
//
// Rules for the `suppressed` audience (threshold T, 5 unless told):
// - primary: a count below T is suppressed, zero included, unless the caller marks the cell a structural
//   zero (zero by construction, e.g. a combination that cannot occur); totals below T likewise;
// - complementary: no suppressed figure may be derivable from what is published. The table with its totals
//   is a set of linear equations (every row and column adds up); a reader also knows that counts are whole
//   and not negative, and (conservatively) that a primary cell is below T and a complementary one is not.
//   A suppressed figure is safe when a second completion of the table exists that agrees with everything
//   published and gives it another value; further cells are suppressed until every suppressed figure is safe;
// - shares: a share is published only when its numerator and denominator would be, and never as 0 % or
//   100 % (unless the zero is structural); a share of a two-way split only when both parts reach T;
// - means and other statistics of a group below T are suppressed.

/**
 * What the API returns in place of a hidden figure. The screen shows "< 5" for a primary one and a neutral
 * mark for a complementary one (see `SuppressedTable.complementary`).
 */
export interface Suppressed {
  readonly suppressed: true;
}

export type Cell = number | Suppressed;

/** Who reads the figures: the programme manager gets `exact`; the steering group and researchers `suppressed`. */
export type Audience = 'exact' | 'suppressed';

export const SUPPRESSION_THRESHOLD = 5;

const SUPPRESSED: Suppressed = Object.freeze({ suppressed: true as const });

export interface SuppressionOptions {
  /** Counts below this are suppressed (default 5). A positive whole number. */
  threshold?: number;
  /** Default `suppressed`: only the programme manager's views pass `exact`. */
  audience?: Audience;
}

export function isSuppressed(value: unknown): value is Suppressed {
  return typeof value === 'object' && value !== null && (value as { suppressed?: unknown }).suppressed === true;
}

/** Suppresses a single published count (one figure with no totals around it). */
export function suppressCount(n: number, options: number | SuppressionOptions = {}): Cell {
  const { threshold, audience } = resolve(options);
  assertCount(n, 'count');
  if (audience === 'exact' || n >= threshold) return n;
  return SUPPRESSED;
}

/**
 * A share of a two-way split (numerator in the group, the rest not), as a fraction 0–1. It is published
 * only when both parts of the split are at least the threshold: the share and the published group size
 * give back the numerator, and the rest is a count of citizens as well. Hence 0 % and 100 % are never
 * published, nor is any share of a group below the threshold (both parts cannot then reach it).
 * For a split over several categories use `shareTable`, where the rest is not a single figure.
 */
export function suppressShare(numerator: number, denominator: number, options: number | SuppressionOptions = {}): number | Suppressed | null {
  const { threshold, audience } = resolve(options);
  assertCount(numerator, 'numerator');
  assertCount(denominator, 'denominator');
  if (numerator > denominator) throw new RangeError(`numerator ${numerator} exceeds denominator ${denominator}`);
  if (denominator === 0) return audience === 'exact' ? null : SUPPRESSED;
  if (audience === 'exact') return numerator / denominator;
  if (numerator < threshold || denominator - numerator < threshold) return SUPPRESSED;
  return numerator / denominator;
}

/**
 * A mean or other statistic of a group of `n`: suppressed when the group is below the threshold. The
 * value may be anything (a number, or an object such as a paired-change summary).
 */
export function suppressStat<T>(n: number, value: T, options: number | SuppressionOptions = {}): T | Suppressed {
  const { threshold, audience } = resolve(options);
  assertCount(n, 'n');
  if (audience === 'exact' || n >= threshold) return value;
  return SUPPRESSED;
}

export interface TableInput extends SuppressionOptions {
  /** Counts, rows × columns; every row the same length. A 1-D distribution is one row (with `rowTotals`). */
  cells: readonly (readonly number[])[];
  /** Publish each row's total (the sum of its cells). */
  rowTotals?: boolean;
  /** Publish each column's total. */
  colTotals?: boolean;
  /** Publish the grand total. */
  grandTotal?: boolean;
  /** Cells that are zero by construction, as [row, column]; they are published as 0 and protect nothing. */
  structuralZeros?: readonly (readonly [number, number])[];
}

export type TablePosition =
  | { kind: 'cell'; row: number; col: number }
  | { kind: 'rowTotal'; row: number }
  | { kind: 'colTotal'; col: number }
  | { kind: 'grandTotal' };

export interface SuppressedTable {
  cells: Cell[][];
  /** Present when asked for. */
  rowTotals?: Cell[];
  colTotals?: Cell[];
  grandTotal?: Cell;
  /**
   * Figures hidden only to protect others (their true value is at least the threshold), so that a screen
   * can mark them differently from "< 5". Empty for the exact audience.
   */
  complementary: TablePosition[];
  /**
   * True when no pattern of hidden figures could protect the small ones while telling them apart from the
   * complementary ones (tiny tables where almost everything is below the threshold): every figure but the
   * structural zeros is then hidden, none is listed as complementary, and a screen shows every hidden
   * figure with the same neutral mark (not "< 5", which would not hold for all of them).
   */
  masked: boolean;
}

/**
 * Suppresses a table of counts with its totals (totals are the sums of the cells). See the file header for
 * the rules. The result has the input's shape.
 */
export function suppressTable(input: TableInput): SuppressedTable {
  const { threshold, audience } = resolve(input);
  const grid = new Grid(input, threshold);
  if (audience === 'suppressed') grid.protect();
  return grid.output(audience);
}

export interface ShareTableInput extends SuppressionOptions {
  /** Counts, rows × columns; each row's denominator is its total, so the columns must cover the group. */
  cells: readonly (readonly number[])[];
  /** Publish column totals as well. */
  colTotals?: boolean;
  grandTotal?: boolean;
  structuralZeros?: readonly (readonly [number, number])[];
}

export interface ShareTable {
  /** The counts with their row totals (the denominators), suppressed as `suppressTable` does. */
  counts: SuppressedTable & { rowTotals: Cell[] };
  /** Each cell's share of its row total, 0–1; `null` for the exact audience when the row is empty. */
  shares: (number | Suppressed | null)[][];
}

/**
 * Shares per row (each cell over its row total) next to the suppressed counts. A share is suppressed when
 * its cell or its row total is, and a 0 % or 100 % share is suppressed unless the zero is structural.
 */
export function shareTable(input: ShareTableInput): ShareTable {
  const { audience } = resolve(input);
  const counts = suppressTable({ ...input, rowTotals: true }) as ShareTable['counts'];
  const structural = structuralSet(input.structuralZeros);
  const shares = input.cells.map((row, r) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((value, c): number | Suppressed | null => {
      if (audience === 'exact') return total === 0 ? null : value / total;
      const shownCell = counts.cells[r]![c]!;
      const shownTotal = counts.rowTotals[r]!;
      if (isSuppressed(shownCell) || isSuppressed(shownTotal) || total === 0) return SUPPRESSED;
      if (value === 0 && structural.has(key(r, c))) return 0;
      if (value === 0 || value === total) return SUPPRESSED;
      return value / total;
    });
  });
  return { counts, shares };
}

// ---------------------------------------------------------------------------------------------------------
// The table as a graph.
//
// Extend the R × C table with its totals to an (R+1) × (C+1) array y: y[r][c] = cell, y[r][C] = −row total,
// y[R][c] = −column total, y[R][C] = grand total. Then every row and every column of y adds up to zero, and
// those are all the linear relations a reader has. Think of the R+1 rows and C+1 columns as the nodes of a
// bipartite graph and of every figure the reader does not know (suppressed, or a total that is not shown
// at all) as an edge between its row and its column. Changing the values along a cycle of such edges by
// +1, −1, +1, … keeps every row and column sum, so the reader cannot tell the completions apart; and every
// change that keeps the sums is a sum of such cycles. A hidden figure is therefore derivable exactly when it
// lies on no cycle whose change keeps every figure in its known range (not negative; below T for a primary
// one; at least T for a complementary one). Orient each edge: row→column when its y may go up by one,
// column→row when it may go down. Then a hidden figure is safe iff a directed path closes a cycle through it.
// Complementary suppression looks for the cheapest such path when there is none, where a published cell
// costs its value, a row or column total more than all cells together and the grand total twice that, and
// suppresses what lies on it.
// ---------------------------------------------------------------------------------------------------------

type State = 'published' | 'structural' | 'primary' | 'complementary' | 'hidden';

interface Entry {
  /** Row node (0..R) and column node (0..C) in the extended array. */
  i: number;
  j: number;
  value: number;
  /** +1 for cells and the grand total, −1 for row and column totals (they enter y negated). */
  sign: 1 | -1;
  state: State;
  position: TablePosition | null;
}

class Grid {
  readonly rows: number;
  readonly cols: number;
  readonly entries: Entry[] = [];
  /** Set when the whole table had to be hidden without telling primary from complementary figures. */
  masked = false;
  private readonly at: Entry[][];

  constructor(
    private readonly input: TableInput,
    private readonly threshold: number,
  ) {
    const cells = input.cells;
    this.rows = cells.length;
    this.cols = cells[0]?.length ?? 0;
    for (const [r, row] of cells.entries()) {
      if (row.length !== this.cols) throw new RangeError(`row ${r} has ${row.length} cells, row 0 has ${this.cols}`);
      for (const [c, v] of row.entries()) assertCount(v, `cell [${r}][${c}]`);
    }
    const structural = structuralSet(input.structuralZeros);
    for (const k of structural) {
      const [r, c] = k.split(':').map(Number) as [number, number];
      const v = cells[r]?.[c];
      if (v === undefined) throw new RangeError(`structural zero [${r}][${c}] is outside the table`);
      if (v !== 0) throw new RangeError(`structural zero [${r}][${c}] holds ${v}`);
    }
    const R = this.rows;
    const C = this.cols;
    this.at = Array.from({ length: R + 1 }, () => new Array<Entry>(C + 1));
    const add = (i: number, j: number, value: number, sign: 1 | -1, shown: boolean, position: TablePosition, isStructural = false) => {
      const state: State = !shown ? 'hidden' : isStructural ? 'structural' : value < threshold ? 'primary' : 'published';
      const e: Entry = { i, j, value, sign, state, position };
      this.entries.push(e);
      this.at[i]![j] = e;
    };
    // A total over structural zeros only is itself zero by construction (every reader can add it up).
    let grand = 0;
    let grandStructural = true;
    const colSum = new Array<number>(C).fill(0);
    const colStructural = new Array<boolean>(C).fill(true);
    for (let r = 0; r < R; r++) {
      let rowSum = 0;
      let rowStructural = true;
      for (let c = 0; c < C; c++) {
        const v = cells[r]![c]!;
        const isStructural = structural.has(key(r, c));
        rowSum += v;
        colSum[c]! += v;
        rowStructural &&= isStructural;
        colStructural[c] = colStructural[c]! && isStructural;
        add(r, c, v, 1, true, { kind: 'cell', row: r, col: c }, isStructural);
      }
      grand += rowSum;
      grandStructural &&= rowStructural;
      add(r, C, rowSum, -1, input.rowTotals === true, { kind: 'rowTotal', row: r }, rowStructural);
    }
    for (let c = 0; c < C; c++) add(R, c, colSum[c]!, -1, input.colTotals === true, { kind: 'colTotal', col: c }, colStructural[c]);
    add(R, C, grand, 1, input.grandTotal === true, { kind: 'grandTotal' }, grandStructural);
  }

  /** Can the entry's y change by `dy` (+1 or −1) within what a reader knows about it? */
  private canMove(e: Entry, dy: 1 | -1, asState: State = e.state): boolean {
    const next = e.value + dy * e.sign;
    if (next < 0) return false;
    if (asState === 'primary') return next < this.threshold;
    if (asState === 'complementary') return next >= this.threshold;
    return asState === 'hidden';
  }

  private unknown(e: Entry): boolean {
    return e.state === 'primary' || e.state === 'complementary' || e.state === 'hidden';
  }

  private get nodeCount(): number {
    return this.rows + 1 + this.cols + 1;
  }

  private colNode(j: number): number {
    return this.rows + 1 + j;
  }

  /** Directed arcs over the unknown entries: [from, to, entry]. */
  private arcs(): [number, number, Entry][][] {
    const out: [number, number, Entry][][] = Array.from({ length: this.nodeCount }, () => []);
    for (const e of this.entries) {
      if (!this.unknown(e)) continue;
      const rowNode = e.i;
      const colNode = this.colNode(e.j);
      if (this.canMove(e, 1)) out[rowNode]!.push([rowNode, colNode, e]);
      if (this.canMove(e, -1)) out[colNode]!.push([colNode, rowNode, e]);
    }
    return out;
  }

  private reachable(adj: [number, number, Entry][][], from: number, to: number, skip: Entry): boolean {
    const seen = new Uint8Array(this.nodeCount);
    const stack = [from];
    seen[from] = 1;
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === to) return true;
      for (const [, next, e] of adj[n]!) {
        if (e === skip || seen[next]) continue;
        seen[next] = 1;
        stack.push(next);
      }
    }
    return false;
  }

  /** Is the hidden entry `e` on a cycle of changes that keeps everything published? */
  isSafe(e: Entry, adj = this.arcs()): boolean {
    const rowNode = e.i;
    const colNode = this.colNode(e.j);
    if (this.canMove(e, 1) && this.reachable(adj, colNode, rowNode, e)) return true;
    if (this.canMove(e, -1) && this.reachable(adj, rowNode, colNode, e)) return true;
    return false;
  }

  private allSafe(): boolean {
    const adj = this.arcs();
    // A hidden total that nobody sees needs no protection; everything suppressed does.
    return this.entries.every((e) => (e.state !== 'primary' && e.state !== 'complementary') || this.isSafe(e, adj));
  }

  /**
   * The cost of suppressing a published entry: its value for a cell; more than all cells together for a row
   * or column total; twice that for the grand total, the programme's n, which views should keep longest.
   */
  private cost(e: Entry, totalCost: number): number {
    if (e.position?.kind === 'cell') return e.value;
    return e.position?.kind === 'grandTotal' ? 2 * totalCost : totalCost;
  }

  /**
   * Cheapest directed path from `from` to `to` that avoids `skip`, where unknown entries are free and a
   * published (non-structural) entry may be used at its cost as if it were complementary.
   */
  private cheapestPath(from: number, to: number, skip: Entry): Entry[] | null {
    const grandValue = this.at[this.rows]![this.cols]!.value;
    const totalCost = grandValue + 1;
    const adj: [number, Entry, number][][] = Array.from({ length: this.nodeCount }, () => []);
    for (const e of this.entries) {
      if (e === skip || e.state === 'structural') continue;
      const asState: State = e.state === 'published' ? 'complementary' : e.state;
      const cost = e.state === 'published' ? this.cost(e, totalCost) : 0;
      const rowNode = e.i;
      const colNode = this.colNode(e.j);
      if (this.canMove(e, 1, asState)) adj[rowNode]!.push([colNode, e, cost]);
      if (this.canMove(e, -1, asState)) adj[colNode]!.push([rowNode, e, cost]);
    }
    // Dijkstra; the graph is small (rows + columns + 2 nodes).
    const dist = new Array<number>(this.nodeCount).fill(Infinity);
    const via = new Array<[number, Entry] | undefined>(this.nodeCount);
    const done = new Uint8Array(this.nodeCount);
    dist[from] = 0;
    for (;;) {
      let n = -1;
      for (let k = 0; k < this.nodeCount; k++) if (!done[k] && dist[k]! < Infinity && (n < 0 || dist[k]! < dist[n]!)) n = k;
      if (n < 0) return null;
      if (n === to) break;
      done[n] = 1;
      for (const [next, e, cost] of adj[n]!) {
        const d = dist[n]! + cost;
        if (d < dist[next]!) {
          dist[next] = d;
          via[next] = [n, e];
        }
      }
    }
    const path: Entry[] = [];
    for (let n = to; n !== from; ) {
      const [prev, e] = via[n]!;
      path.push(e);
      n = prev;
    }
    return path;
  }

  private pathCost(path: Entry[]): number {
    const totalCost = this.at[this.rows]![this.cols]!.value + 1;
    return path.reduce((sum, e) => sum + (e.state === 'published' ? this.cost(e, totalCost) : 0), 0);
  }

  /** Adds complementary suppressions until every suppressed figure is safe, then drops needless ones. */
  protect(): void {
    for (const e of this.entries) {
      if (e.state !== 'primary') continue;
      const adj = this.arcs();
      if (this.isSafe(e, adj)) continue;
      const rowNode = e.i;
      const colNode = this.colNode(e.j);
      const candidates: Entry[][] = [];
      if (this.canMove(e, 1)) {
        const p = this.cheapestPath(colNode, rowNode, e);
        if (p) candidates.push(p);
      }
      if (this.canMove(e, -1)) {
        const p = this.cheapestPath(rowNode, colNode, e);
        if (p) candidates.push(p);
      }
      candidates.sort((a, b) => this.pathCost(a) - this.pathCost(b));
      const best = candidates[0];
      if (!best) {
        // No cycle can free this figure: what a reader knows about the hidden figures around it (below T,
        // or at least T) pins it down, e.g. a tiny table where every cell is below T. Hide the whole table
        // and stop telling small figures from complementary ones; a reader then knows only that counts are
        // not negative, and every figure lies on the cycle through its row total, column total and grand
        // total, all moving up.
        for (const x of this.entries) if (x.state !== 'structural') x.state = 'hidden';
        this.masked = true;
        return;
      }
      for (const x of best) if (x.state === 'published') x.state = 'complementary';
    }
    // The greedy pass may hide more than needed once later paths overlap earlier ones: try to publish each
    // complementary figure again, the costliest first, and keep it published when everything stays safe.
    const totalCost = this.at[this.rows]![this.cols]!.value + 1;
    const extra = this.entries.filter((e) => e.state === 'complementary').sort((a, b) => this.cost(b, totalCost) - this.cost(a, totalCost));
    for (const e of extra) {
      e.state = 'published';
      if (!this.allSafe()) e.state = 'complementary';
    }
  }

  output(audience: Audience): SuppressedTable {
    const show = (e: Entry): Cell => (audience === 'exact' || e.state === 'published' || e.state === 'structural' ? e.value : SUPPRESSED);
    const R = this.rows;
    const C = this.cols;
    const result: SuppressedTable = {
      cells: Array.from({ length: R }, (_, r) => Array.from({ length: C }, (_, c) => show(this.at[r]![c]!))),
      complementary: audience === 'exact' ? [] : this.entries.filter((e) => e.state === 'complementary').map((e) => e.position!),
      masked: audience !== 'exact' && this.masked,
    };
    if (this.input.rowTotals) result.rowTotals = Array.from({ length: R }, (_, r) => show(this.at[r]![C]!));
    if (this.input.colTotals) result.colTotals = Array.from({ length: C }, (_, c) => show(this.at[R]![c]!));
    if (this.input.grandTotal) result.grandTotal = show(this.at[R]![C]!);
    return result;
  }
}

function key(r: number, c: number): string {
  return `${r}:${c}`;
}

function structuralSet(list: TableInput['structuralZeros']): Set<string> {
  return new Set((list ?? []).map(([r, c]) => key(r, c)));
}

function resolve(options: number | SuppressionOptions): Required<SuppressionOptions> {
  const o = typeof options === 'number' ? { threshold: options } : options;
  const threshold = o.threshold ?? SUPPRESSION_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError(`threshold must be a positive whole number, got ${threshold}`);
  const audience = o.audience ?? 'suppressed';
  if (audience !== 'exact' && audience !== 'suppressed') throw new RangeError(`unknown audience ${String(audience)}`);
  return { threshold, audience };
}

function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${n}`);
}
