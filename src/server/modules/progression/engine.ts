// The instrument engine: which items are shown, whether answers are acceptable, the score, the alerts that fire
// and whether a change is relevant. Pure functions of a definition (src/contracts/instruments.ts) and answers;
// no database, no clock.
//
// Decisions:
// - A condition on a hidden or unanswered item is false (so `<>` on an unanswered item is false too).
// - Answers to hidden items are refused ('hidden'), in drafts as in submissions: the answering screen drops an
//   answer when its item is hidden again, and nothing is stored that the citizen was never asked.
// - The score uses only visible answered items; anyItem alerts compare the answer as given (before reversal).
// - Rounding: raw to 2 decimals (a mean), scaled to 1 decimal. Bands and alerts compare the rounded values, so a
//   band always agrees with the number on the screen.
// - A score that cannot be computed (a sum with an item unanswered, a mean with more than maxMissing unanswered)
//   is null, like an unscored instrument's; a subscale that cannot be computed is left out of `subscales`.
import type {
  AlertCondition,
  Answers,
  Band,
  Condition,
  FiredAlert,
  InstrumentDefinition,
  InstrumentItem,
  Scale,
  Score,
} from '../../../contracts/instruments.ts';
import { itemRange } from '../../../contracts/instruments.ts';

/** Whose items a submission covers: staff answering with the citizen cover both. */
export type AnsweringRespondent = 'citizen' | 'staff' | 'both';
export type AnswerErrorCode = 'unknown_item' | 'out_of_range' | 'not_integer' | 'missing' | 'hidden' | 'other_respondent';
export type AnswerError = { item: string; code: AnswerErrorCode };
export type AnswerValidation = { ok: true } | { ok: false; errors: AnswerError[] };

/** The answer to an item; own properties only, so an item code such as `constructor` never reads the prototype. */
function answerOf(answers: Answers, code: string): number | undefined {
  return Object.hasOwn(answers, code) ? answers[code] : undefined;
}

function holds(c: Condition, shown: ReadonlyMap<string, number>): boolean {
  if ('and' in c) return c.and.every((t) => holds(t, shown));
  if ('or' in c) return c.or.some((t) => holds(t, shown));
  const v = shown.get(c.item);
  if (v === undefined) return false;
  switch (c.op) {
    case '=': return v === c.value;
    case '<>': return v !== c.value;
    case '>': return v > c.value;
    case '<': return v < c.value;
  }
}

/** The items shown for these answers, in order. A condition sees only the answers to items shown before it. */
export function visibleItems(def: InstrumentDefinition, answers: Answers): InstrumentItem[] {
  const shown = new Map<string, number>();
  const visible: InstrumentItem[] = [];
  for (const item of def.items) {
    if (item.showIf && !holds(item.showIf, shown)) continue;
    visible.push(item);
    const v = answerOf(answers, item.code);
    if (v !== undefined) shown.set(item.code, v);
  }
  return visible;
}

function valueError(item: InstrumentItem, v: number): AnswerErrorCode | null {
  const a = item.answer;
  if (!Number.isFinite(v)) return 'out_of_range';
  if ((a.kind === 'choice' || a.integer) && !Number.isInteger(v)) return 'not_integer';
  if (a.kind === 'choice') return a.options.some((o) => o.value === v) ? null : 'out_of_range';
  return v < a.min || v > a.max ? 'out_of_range' : null;
}

/**
 * Checks answers against the definition. A draft may leave items out; a submission must answer every visible
 * required item of the respondent. Every answer must be in range and to a visible item of the respondent.
 * At most one error per item, in the instrument's order (unknown items last).
 */
export function validateAnswers(
  def: InstrumentDefinition,
  answers: Answers,
  opts: { draft: boolean; respondent?: AnsweringRespondent },
): AnswerValidation {
  const respondent = opts.respondent ?? 'both';
  const visible = new Set(visibleItems(def, answers).map((i) => i.code));
  const errors: AnswerError[] = [];
  for (const item of def.items) {
    const v = answerOf(answers, item.code);
    const mine = respondent === 'both' || item.respondent === respondent;
    let code: AnswerErrorCode | null = null;
    if (v !== undefined) {
      if (!mine) code = 'other_respondent';
      else if (!visible.has(item.code)) code = 'hidden';
      else code = valueError(item, v);
    } else if (!opts.draft && mine && item.required && visible.has(item.code)) {
      code = 'missing';
    }
    if (code) errors.push({ item: item.code, code });
  }
  const known = new Set(def.items.map((i) => i.code));
  for (const key of Object.keys(answers)) if (!known.has(key)) errors.push({ item: key, code: 'unknown_item' });
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

/** Rounds half away from zero after removing binary noise (so 60.00000000001 and 12.4999999999 behave). */
function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const clean = Number((x * f).toPrecision(12));
  return (Math.sign(clean) * Math.round(Math.abs(clean))) / f + 0;
}

function applyScale(raw: number, scale: Scale | undefined): number | null {
  if (!scale) return null;
  if ('multiply' in scale) return round(raw * scale.multiply, 1);
  const [lo, hi] = scale.range;
  return round(((raw - lo) / (hi - lo)) * 100, 1);
}

type Part = { method: 'sum' | 'mean'; items: string[]; scale?: Scale; maxMissing?: number };

/** One score over some items from the scored values; null when too many are unanswered. */
function compute(part: Part, values: ReadonlyMap<string, number>): { raw: number; scaled: number | null } | null {
  const answered = part.items.map((c) => values.get(c)).filter((v) => v !== undefined);
  const missing = part.items.length - answered.length;
  const allowed = part.method === 'mean' ? (part.maxMissing ?? 0) : 0;
  if (answered.length === 0 || missing > allowed) return null;
  const sum = answered.reduce((s, v) => s + v, 0);
  const exact = part.method === 'sum' ? sum : sum / answered.length;
  // The scaled score is computed from the exact raw score, then both are rounded.
  return { raw: round(exact, 2), scaled: applyScale(exact, part.scale) };
}

function bandOf(bands: Band[] | undefined, s: { raw: number; scaled: number | null }): string | null {
  for (const b of bands ?? []) {
    const v = b.on === 'raw' ? s.raw : s.scaled;
    if (v !== null && v >= b.min && v <= b.max) return b.code;
  }
  return null;
}

/** The values that count for scoring: visible answered items, reverse items as min + max − value. */
function scoredValues(def: InstrumentDefinition, answers: Answers): Map<string, number> {
  const values = new Map<string, number>();
  for (const item of visibleItems(def, answers)) {
    const v = answerOf(answers, item.code);
    if (v === undefined) continue;
    const [min, max] = itemRange(item);
    values.set(item.code, item.reverse ? min + max - v : v);
  }
  return values;
}

/** The score, or null when the instrument is unscored or the answers do not suffice (see the top of the file). */
export function score(def: InstrumentDefinition, answers: Answers): Score | null {
  const rule = def.scoring;
  if (!rule) return null;
  const values = scoredValues(def, answers);
  const total = compute({ ...rule, items: rule.items ?? def.items.map((i) => i.code) }, values);
  if (!total) return null;
  const result: Score = { ...total, band: bandOf(rule.bands, total) };
  if (rule.subscales?.length) {
    result.subscales = {};
    for (const s of rule.subscales) {
      const sub = compute(s, values);
      if (sub) result.subscales[s.code] = sub;
    }
  }
  return result;
}

function meets(v: number, op: '<=' | '<' | '>=' | '>', threshold: number): boolean {
  switch (op) {
    case '<=': return v <= threshold;
    case '<': return v < threshold;
    case '>=': return v >= threshold;
    case '>': return v > threshold;
  }
}

function fires(c: AlertCondition, def: InstrumentDefinition, shownAnswers: ReadonlyMap<string, number>, s: Score | null): boolean {
  if ('any' in c) return c.any.some((t) => fires(t, def, shownAnswers, s));
  if ('all' in c) return c.all.every((t) => fires(t, def, shownAnswers, s));
  if ('anyItem' in c) {
    const codes = c.anyItem.items ?? def.items.map((i) => i.code);
    return codes.some((code) => {
      const v = shownAnswers.get(code);
      return v !== undefined && meets(v, c.anyItem.op, c.anyItem.value);
    });
  }
  const v = s === null ? null : c.score === 'raw' ? s.raw : s.scaled;
  return v !== null && meets(v, c.op, c.value);
}

/** The alert rules that fire, in the definition's order. Pass the score `score()` gave for the same answers. */
export function firedAlerts(def: InstrumentDefinition, answers: Answers, s: Score | null): FiredAlert[] {
  const shownAnswers = new Map<string, number>();
  for (const item of visibleItems(def, answers)) {
    const v = answerOf(answers, item.code);
    if (v !== undefined) shownAnswers.set(item.code, v);
  }
  return def.alerts.filter((a) => fires(a.when, def, shownAnswers, s)).map((a) => ({ code: a.code, task: a.task }));
}

/**
 * Whether the change from one score to another is at least the definition's relevant change (either way), on the
 * scaled score when the rule has a scale and on the raw score otherwise. False when either score is missing or the
 * definition names no relevant change.
 */
export function isRelevantChange(def: InstrumentDefinition, before: Score | null, after: Score | null): boolean {
  const size = def.scoring?.relevantChange;
  if (size === undefined || !before || !after) return false;
  const scaled = def.scoring?.scale !== undefined;
  const a = scaled ? before.scaled : before.raw;
  const b = scaled ? after.scaled : after.raw;
  if (a === null || b === null) return false;
  return Math.abs(round(b - a, 2)) >= size;
}
