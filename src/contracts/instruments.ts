// Progression-measurement instruments as data: items, answer scales, branching, scoring, bands and alerts.
// The pure engine (src/server/modules/progression/engine.ts) evaluates them; the REDCap importer builds them.
import { z } from 'zod';
import { Int, Text } from './common.ts';

/** The bounds every definition and answer stays within, so that nothing a client sends is unbounded. */
export const MAX_ITEMS = 200;
export const MAX_OPTIONS = 20;
/** Nesting of and/or groups in a condition (a plain comparison is depth 0). */
export const MAX_CONDITION_DEPTH = 3;
/** Terms in one and/or group. */
export const MAX_CONDITION_TERMS = 10;
/** Every number in a definition or an answer lies within ± this. */
export const MAX_ABS_NUMBER = 1_000_000;

export const CODE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
/** An instrument, item, band, subscale or alert code: lower case, digits and underscore, at most 64 characters. */
export const Code = z.string().regex(CODE_PATTERN, 'a code: a–z first, then a–z, 0–9 or _, at most 64 characters');
/** A bounded finite number (Zod 4 refuses Infinity and NaN). */
export const Num = z.number().min(-MAX_ABS_NUMBER).max(MAX_ABS_NUMBER);
const BoundedInt = Int(-MAX_ABS_NUMBER, MAX_ABS_NUMBER);

const localText = (max: number) => z.object({ da: Text(max), en: Text(max) }).strict();
/** A text in Danish and English. */
export const LocalText = localText(2000);
export type LocalText = z.infer<typeof LocalText>;

export const Respondent = z.enum(['citizen', 'staff']);
export type Respondent = z.infer<typeof Respondent>;

export const DataCategory = z.enum(['wellbeing', 'work_ability', 'employment_progression', 'health', 'everyday_life', 'other']);
export type DataCategory = z.infer<typeof DataCategory>;

// ---------------------------------------------------------------------------------------------------------------
// Conditions (an item's showIf)

export const ConditionOp = z.enum(['=', '<>', '>', '<']);
export type Condition =
  | { item: string; op: z.infer<typeof ConditionOp>; value: number }
  | { and: Condition[] }
  | { or: Condition[] };

export const Comparison = z.object({ item: Code, op: ConditionOp, value: Num }).strict();

/**
 * Conditions are recursive. The schema is unrolled to MAX_CONDITION_DEPTH levels rather than built with z.lazy: a
 * lazy schema would descend as deep as the input goes before any depth check could run, so a deeply nested body
 * could exhaust the stack; the unrolled one stops parsing at the bound.
 */
function conditionAt(depth: number): z.ZodType<Condition> {
  if (depth === 0) return Comparison;
  const terms = z.array(conditionAt(depth - 1)).min(2).max(MAX_CONDITION_TERMS);
  return z.union([Comparison, z.object({ and: terms }).strict(), z.object({ or: terms }).strict()]);
}
export const Condition = conditionAt(MAX_CONDITION_DEPTH);

// ---------------------------------------------------------------------------------------------------------------
// Items

export const ChoiceOption = z.object({ value: BoundedInt, label: localText(500) }).strict();

export const ChoiceAnswer = z
  .object({ kind: z.literal('choice'), options: z.array(ChoiceOption).min(2).max(MAX_OPTIONS) })
  .strict()
  .superRefine((a, ctx) => {
    const seen = new Set<number>();
    a.options.forEach((o, i) => {
      if (seen.has(o.value)) ctx.addIssue({ code: 'custom', message: `the value ${o.value} is given twice`, path: ['options', i, 'value'] });
      seen.add(o.value);
    });
  });

export const NumberAnswer = z
  .object({
    kind: z.literal('number'),
    min: Num,
    max: Num,
    integer: z.boolean(),
    minLabel: localText(500).optional(),
    maxLabel: localText(500).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.min >= a.max) ctx.addIssue({ code: 'custom', message: 'min must be below max', path: ['max'] });
    if (a.integer && !Number.isInteger(a.min)) ctx.addIssue({ code: 'custom', message: 'an integer answer needs an integer min', path: ['min'] });
    if (a.integer && !Number.isInteger(a.max)) ctx.addIssue({ code: 'custom', message: 'an integer answer needs an integer max', path: ['max'] });
  });

export const AnswerScale = z.discriminatedUnion('kind', [ChoiceAnswer, NumberAnswer]);
export type AnswerScale = z.infer<typeof AnswerScale>;

/** What a REDCap round trip needs beyond the item itself (REDCap's field type and display details). */
export const RedcapField = z
  .object({
    fieldType: z.enum(['radio', 'dropdown', 'yesno', 'slider', 'text']),
    validation: z.enum(['integer', 'number']).optional(),
    sectionHeader: Text(2000).optional(),
    fieldNote: Text(1000).optional(),
    /** A slider's middle label (its left and right labels are the answer's minLabel and maxLabel). */
    sliderMiddle: Text(500).optional(),
    /** A slider that shows its number ("number" in REDCap's validation column). */
    sliderShowNumber: z.boolean().optional(),
    /** Field Annotation text kept for export (only action tags Bindeled honours are ever accepted). */
    annotation: Text(2000).optional(),
  })
  .strict();
export type RedcapField = z.infer<typeof RedcapField>;

export const InstrumentItem = z
  .object({
    code: Code,
    text: LocalText,
    respondent: Respondent,
    required: z.boolean(),
    answer: AnswerScale,
    /** Reverse-scored: the score uses min + max − value (the answer is stored as given). */
    reverse: z.boolean().optional(),
    /** Shown only when this holds; it may refer to earlier items only. */
    showIf: Condition.optional(),
    redcap: RedcapField.optional(),
  })
  .strict();
export type InstrumentItem = z.infer<typeof InstrumentItem>;

// ---------------------------------------------------------------------------------------------------------------
// Scoring

export const ScoringMethod = z.enum(['sum', 'mean']);
/** multiply: scaled = raw × factor; range: scaled = (raw − lo) / (hi − lo) × 100. */
export const Scale = z.union([z.object({ multiply: Num }).strict(), z.object({ range: z.tuple([Num, Num]) }).strict()]);
export type Scale = z.infer<typeof Scale>;

const ItemList = z.array(Code).min(1).max(MAX_ITEMS);

export const Subscale = z
  .object({ code: Code, label: localText(200), method: ScoringMethod, items: ItemList, scale: Scale.optional() })
  .strict();

/** Bands are inclusive: min ≤ value ≤ max, on the published (rounded) raw or scaled value. */
export const Band = z
  .object({ code: Code, label: localText(200), on: z.enum(['raw', 'scaled']), min: Num, max: Num })
  .strict();
export type Band = z.infer<typeof Band>;

export const ScoringRule = z
  .object({
    method: ScoringMethod,
    /** Default: every item of the instrument. */
    items: ItemList.optional(),
    scale: Scale.optional(),
    /** Mean only: how many of the items may be unanswered (or hidden) and the mean still computed. */
    maxMissing: Int(0, MAX_ITEMS).optional(),
    subscales: z.array(Subscale).max(20).optional(),
    bands: z.array(Band).max(20).optional(),
    /** The smallest change that counts as relevant, in scaled units (raw when the rule has no scale). */
    relevantChange: z.number().positive().max(MAX_ABS_NUMBER).optional(),
  })
  .strict();
export type ScoringRule = z.infer<typeof ScoringRule>;

// ---------------------------------------------------------------------------------------------------------------
// Alerts

export const AlertOp = z.enum(['<=', '<', '>=', '>']);
export type AlertCondition =
  | { score: 'raw' | 'scaled'; op: z.infer<typeof AlertOp>; value: number }
  | { anyItem: { items?: string[]; op: z.infer<typeof AlertOp>; value: number } }
  | { any: AlertCondition[] }
  | { all: AlertCondition[] };

const ScoreThreshold = z.object({ score: z.enum(['raw', 'scaled']), op: AlertOp, value: Num }).strict();
/** Any of the items (default: every item) answered with a value that meets the threshold, as given (before reversal). */
const ItemThreshold = z.object({ anyItem: z.object({ items: ItemList.optional(), op: AlertOp, value: Num }).strict() }).strict();

/** Unrolled like Condition, for the same reason. */
function alertConditionAt(depth: number): z.ZodType<AlertCondition> {
  if (depth === 0) return z.union([ScoreThreshold, ItemThreshold]);
  const terms = z.array(alertConditionAt(depth - 1)).min(1).max(MAX_CONDITION_TERMS);
  return z.union([ScoreThreshold, ItemThreshold, z.object({ any: terms }).strict(), z.object({ all: terms }).strict()]);
}
export const AlertCondition = alertConditionAt(MAX_CONDITION_DEPTH);

export const AlertRule = z.object({ code: Code, when: AlertCondition, task: localText(500) }).strict();
export type AlertRule = z.infer<typeof AlertRule>;

// ---------------------------------------------------------------------------------------------------------------
// The definition

type Issue = { message: string; path: (string | number)[] };

/** The lowest and highest value an item contributes to a score. */
export function itemRange(item: InstrumentItem): [number, number] {
  if (item.answer.kind === 'number') return [item.answer.min, item.answer.max];
  const values = item.answer.options.map((o) => o.value);
  return [Math.min(...values), Math.max(...values)];
}

function conditionIssues(c: Condition, path: (string | number)[], earlier: Map<string, InstrumentItem>, out: Issue[]) {
  if ('and' in c) return c.and.forEach((t, i) => conditionIssues(t, [...path, 'and', i], earlier, out));
  if ('or' in c) return c.or.forEach((t, i) => conditionIssues(t, [...path, 'or', i], earlier, out));
  const target = earlier.get(c.item);
  if (!target) return out.push({ message: `${c.item} is not an earlier item of this instrument`, path: [...path, 'item'] });
  if (target.answer.kind === 'choice' && (c.op === '=' || c.op === '<>') && !target.answer.options.some((o) => o.value === c.value)) {
    out.push({ message: `${c.value} is not one of the options of ${c.item}`, path: [...path, 'value'] });
  }
}

function itemListIssues(items: string[] | undefined, known: Set<string>, path: (string | number)[], out: Issue[]) {
  const seen = new Set<string>();
  items?.forEach((code, i) => {
    if (!known.has(code)) out.push({ message: `${code} is not an item of this instrument`, path: [...path, i] });
    else if (seen.has(code)) out.push({ message: `${code} is listed twice`, path: [...path, i] });
    seen.add(code);
  });
}

/** The scale must map every possible raw value into 0–100 (so bands and charts have a fixed frame). */
function scaleIssues(scale: Scale | undefined, method: 'sum' | 'mean', items: InstrumentItem[], path: (string | number)[], out: Issue[]) {
  if (!scale || !('range' in scale)) return;
  const [lo, hi] = scale.range;
  if (lo >= hi) return out.push({ message: 'the range must go from low to high', path: [...path, 'range'] });
  const ranges = items.map((i) => itemRange(i));
  const min = method === 'sum' ? ranges.reduce((s, r) => s + r[0], 0) : Math.min(...ranges.map((r) => r[0]));
  const max = method === 'sum' ? ranges.reduce((s, r) => s + r[1], 0) : Math.max(...ranges.map((r) => r[1]));
  if (min < lo || max > hi) out.push({ message: `the raw score can go from ${min} to ${max}, outside the range ${lo}–${hi}`, path: [...path, 'range'] });
}

function definitionIssues(def: InstrumentDefinitionShape): Issue[] {
  const out: Issue[] = [];
  const byCode = new Map<string, InstrumentItem>();
  def.items.forEach((item, i) => {
    if (byCode.has(item.code)) out.push({ message: `the item code ${item.code} is used twice`, path: ['items', i, 'code'] });
    if (item.showIf) conditionIssues(item.showIf, ['items', i, 'showIf'], byCode, out);
    const rc = item.redcap;
    if (rc) {
      const choice = rc.fieldType === 'radio' || rc.fieldType === 'dropdown' || rc.fieldType === 'yesno';
      if (choice !== (item.answer.kind === 'choice')) out.push({ message: `a REDCap ${rc.fieldType} field does not fit a ${item.answer.kind} answer`, path: ['items', i, 'redcap', 'fieldType'] });
      if (rc.fieldType === 'yesno' && (item.answer.kind !== 'choice' || item.answer.options.map((o) => o.value).sort().join() !== '0,1')) {
        out.push({ message: 'a yesno field has the options 1 and 0', path: ['items', i, 'redcap', 'fieldType'] });
      }
      if (rc.fieldType === 'slider' && item.answer.kind === 'number' && !item.answer.integer) out.push({ message: 'a slider gives integers', path: ['items', i, 'redcap', 'fieldType'] });
      if (rc.validation && rc.fieldType !== 'text') out.push({ message: 'a validation belongs to a text field', path: ['items', i, 'redcap', 'validation'] });
    }
    byCode.set(item.code, item);
  });
  const codes = new Set(byCode.keys());
  const itemsOf = (list: string[] | undefined) => (list ?? [...codes]).map((c) => byCode.get(c)).filter((i) => i !== undefined);

  const rule = def.scoring;
  if (rule) {
    itemListIssues(rule.items, codes, ['scoring', 'items'], out);
    scaleIssues(rule.scale, rule.method, itemsOf(rule.items), ['scoring', 'scale'], out);
    const scoredCount = (rule.items ?? [...codes]).length;
    if (rule.maxMissing !== undefined && rule.maxMissing > 0) {
      if (rule.method !== 'mean') out.push({ message: 'maxMissing applies to a mean only', path: ['scoring', 'maxMissing'] });
      else if (rule.maxMissing >= scoredCount) out.push({ message: 'at least one scored item must be answered', path: ['scoring', 'maxMissing'] });
    }
    const subCodes = new Set<string>();
    rule.subscales?.forEach((s, i) => {
      if (subCodes.has(s.code)) out.push({ message: `the subscale code ${s.code} is used twice`, path: ['scoring', 'subscales', i, 'code'] });
      subCodes.add(s.code);
      itemListIssues(s.items, codes, ['scoring', 'subscales', i, 'items'], out);
      scaleIssues(s.scale, s.method, itemsOf(s.items), ['scoring', 'subscales', i, 'scale'], out);
    });
    const bands = rule.bands ?? [];
    bands.forEach((b, i) => {
      if (b.min > b.max) out.push({ message: 'min must not be above max', path: ['scoring', 'bands', i, 'max'] });
      if (b.on === 'scaled' && !rule.scale) out.push({ message: 'a band on the scaled score needs a scale', path: ['scoring', 'bands', i, 'on'] });
      bands.slice(0, i).forEach((other, j) => {
        if (other.code === b.code) out.push({ message: `the band code ${b.code} is used twice`, path: ['scoring', 'bands', i, 'code'] });
        if (other.on !== b.on) out.push({ message: 'all bands are on the same score (raw or scaled)', path: ['scoring', 'bands', i, 'on'] });
        else if (b.min <= other.max && other.min <= b.max) out.push({ message: `overlaps band ${j} (${other.code})`, path: ['scoring', 'bands', i] });
      });
    });
  }

  const alertCodes = new Set<string>();
  const alertIssues = (c: AlertCondition, path: (string | number)[]) => {
    if ('any' in c) return c.any.forEach((t, i) => alertIssues(t, [...path, 'any', i]));
    if ('all' in c) return c.all.forEach((t, i) => alertIssues(t, [...path, 'all', i]));
    if ('anyItem' in c) return itemListIssues(c.anyItem.items, codes, [...path, 'anyItem', 'items'], out);
    if (!rule) out.push({ message: 'an unscored instrument has no score to compare', path: [...path, 'score'] });
    else if (c.score === 'scaled' && !rule.scale) out.push({ message: 'the scoring rule has no scale', path: [...path, 'score'] });
  };
  def.alerts?.forEach((a, i) => {
    if (alertCodes.has(a.code)) out.push({ message: `the alert code ${a.code} is used twice`, path: ['alerts', i, 'code'] });
    alertCodes.add(a.code);
    alertIssues(a.when, ['alerts', i, 'when']);
  });
  if (new Set(def.dataCategories).size !== def.dataCategories.length) out.push({ message: 'a data category is listed twice', path: ['dataCategories'] });
  return out;
}

const DefinitionShape = z
  .object({
    code: Code,
    title: localText(200),
    description: localText(4000).optional(),
    licence: Text(1000),
    dataCategories: z.array(DataCategory).min(1).max(DataCategory.options.length),
    /** Answers are health data (GDPR art. 9): seen by fewer roles. */
    healthData: z.boolean(),
    items: z.array(InstrumentItem).min(1).max(MAX_ITEMS),
    /** null: the instrument is unscored (e.g. imported from REDCap until a rule is added). */
    scoring: ScoringRule.nullable(),
    alerts: z.array(AlertRule).max(20).default([]),
  })
  .strict();
type InstrumentDefinitionShape = z.infer<typeof DefinitionShape>;

/** An instrument definition; cross references are checked, each issue with the path to where it is. */
export const InstrumentDefinition = DefinitionShape.superRefine((def, ctx) => {
  for (const issue of definitionIssues(def)) ctx.addIssue({ code: 'custom', ...issue });
});
export type InstrumentDefinition = z.infer<typeof InstrumentDefinition>;

// ---------------------------------------------------------------------------------------------------------------
// Answers and results

/** Answers by item code. */
export const Answers = z
  .record(Code, Num)
  .refine((a) => Object.keys(a).length <= MAX_ITEMS, { message: `at most ${MAX_ITEMS} answers` });
export type Answers = z.infer<typeof Answers>;

export const ScoreValue = z.object({ raw: z.number(), scaled: z.number().nullable() });
export const Score = z.object({
  raw: z.number(),
  scaled: z.number().nullable(),
  /** The code of the band the score falls in. */
  band: z.string().nullable(),
  subscales: z.record(z.string(), ScoreValue).optional(),
});
export type Score = z.infer<typeof Score>;

export const FiredAlert = z.object({ code: z.string(), task: LocalText });
export type FiredAlert = z.infer<typeof FiredAlert>;
