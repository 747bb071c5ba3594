// The instrument engine against hand-computed cases: the shipped instruments (every band and boundary, alerts),
// reverse items, missing and hidden items, branching, means with missing items, range scaling and subscales,
// and the definition's cross-reference checks.
import { describe, expect, it } from 'vitest';
import { Answers, InstrumentDefinition } from '../../../contracts/instruments.ts';
import { BUILTIN_INSTRUMENTS, JOB_PROGRESSION, WAS, WHO5 } from './builtin.ts';
import { firedAlerts, isRelevantChange, score, validateAnswers, visibleItems } from './engine.ts';

const WHO5_CODES = WHO5.items.map((i) => i.code);
/** WHO-5 answers from five item values in order. */
const who5 = (...values: number[]): Answers => Object.fromEntries(values.map((v, i) => [WHO5_CODES[i], v]));
const alertCodes = (def: InstrumentDefinition, a: Answers) => firedAlerts(def, a, score(def, a)).map((f) => f.code);

describe('the shipped instruments', () => {
  it('are valid definitions that parse to themselves, with the fixed codes', () => {
    expect(BUILTIN_INSTRUMENTS.map((d) => d.code)).toEqual(['who5', 'was', 'jobprogression']);
    for (const def of BUILTIN_INSTRUMENTS) expect(InstrumentDefinition.parse(def)).toEqual(def);
  });

  it('never use a diagnostic word in anything shown (titles, descriptions, items, options, bands, tasks)', () => {
    const texts: string[] = [];
    const add = (t: { da: string; en: string } | undefined) => t && texts.push(t.da, t.en);
    for (const def of BUILTIN_INSTRUMENTS) {
      add(def.title);
      add(def.description);
      for (const item of def.items) {
        add(item.text);
        if (item.answer.kind === 'choice') item.answer.options.forEach((o) => add(o.label));
        else {
          add(item.answer.minLabel);
          add(item.answer.maxLabel);
        }
      }
      def.scoring?.bands?.forEach((b) => add(b.label));
      def.scoring?.subscales?.forEach((s) => add(s.label));
      def.alerts.forEach((a) => add(a.task));
    }
    expect(texts.length).toBeGreaterThan(80);
    const forbidden = /depress|diagnos|sygdom|lidelse|disorder|illness|disease|psykiatri|psychiatr|angst|anxiety/i;
    expect(texts.filter((t) => forbidden.test(t))).toEqual([]);
    // Also the codes, which reach logs and exports.
    const codes = BUILTIN_INSTRUMENTS.flatMap((d) => [d.code, ...d.items.map((i) => i.code), ...(d.scoring?.bands ?? []).map((b) => b.code), ...d.alerts.map((a) => a.code)]);
    expect(codes.filter((c) => forbidden.test(c))).toEqual([]);
  });
});

describe('WHO-5', () => {
  it('scores raw 0–25, scaled × 4, with the bands at their boundaries', () => {
    expect(score(WHO5, who5(0, 0, 0, 0, 0))).toEqual({ raw: 0, scaled: 0, band: 'very_low' });
    expect(score(WHO5, who5(2, 2, 1, 1, 1))).toEqual({ raw: 7, scaled: 28, band: 'very_low' });
    expect(score(WHO5, who5(2, 2, 2, 1, 1))).toEqual({ raw: 8, scaled: 32, band: 'low' });
    expect(score(WHO5, who5(3, 3, 2, 2, 2))).toEqual({ raw: 12, scaled: 48, band: 'low' });
    expect(score(WHO5, who5(3, 3, 3, 2, 2))).toEqual({ raw: 13, scaled: 52, band: 'good' });
    expect(score(WHO5, who5(5, 5, 5, 5, 5))).toEqual({ raw: 25, scaled: 100, band: 'good' });
  });

  it('labels its bands neutrally', () => {
    expect(WHO5.scoring!.bands!.map((b) => [b.code, b.label.da, b.label.en])).toEqual([
      ['good', 'god trivsel', 'good well-being'],
      ['low', 'lav trivsel', 'low well-being'],
      ['very_low', 'meget lav trivsel', 'very low well-being'],
    ]);
  });

  it('raw 12 → 48 fires who5_low only', () => {
    expect(alertCodes(WHO5, who5(3, 3, 2, 2, 2))).toEqual(['who5_low']);
  });

  it('raw 13 → 52 is good and fires nothing, unless an item is at 0 or 1', () => {
    expect(alertCodes(WHO5, who5(3, 3, 3, 2, 2))).toEqual([]);
    const withOne = who5(5, 4, 2, 1, 1); // 13
    expect(score(WHO5, withOne)).toEqual({ raw: 13, scaled: 52, band: 'good' });
    expect(alertCodes(WHO5, withOne)).toEqual(['who5_low']);
    expect(alertCodes(WHO5, who5(5, 5, 3, 0, 0))).toEqual(['who5_low']);
    expect(alertCodes(WHO5, who5(5, 5, 5, 5, 2))).toEqual([]);
  });

  it('raw 7 → 28 is very low and fires both alerts with their neutral tasks', () => {
    const a = who5(2, 2, 1, 1, 1);
    expect(firedAlerts(WHO5, a, score(WHO5, a))).toEqual([
      { code: 'who5_low', task: { da: 'Lav trivsel — tal med borgeren om, hvordan det går', en: expect.any(String) } },
      { code: 'who5_very_low', task: { da: 'Meget lav trivsel — tal med borgeren om kontakt til egen læge', en: expect.any(String) } },
    ]);
    // raw 8 → 32: above the lower threshold.
    expect(alertCodes(WHO5, who5(2, 2, 2, 1, 1))).toEqual(['who5_low']);
  });

  it('a relevant change is 10 scaled points either way', () => {
    const s = (raw: number) => ({ raw, scaled: raw * 4, band: null });
    expect(isRelevantChange(WHO5, s(10), s(13))).toBe(true); // 40 → 52
    expect(isRelevantChange(WHO5, s(13), s(10))).toBe(true);
    expect(isRelevantChange(WHO5, s(10), s(12))).toBe(false); // 40 → 48
    expect(isRelevantChange(WHO5, null, s(12))).toBe(false);
    expect(isRelevantChange(WAS, { raw: 2, scaled: 20, band: null }, { raw: 9, scaled: 90, band: null })).toBe(false); // no size given
  });

  it('a submission must answer all five items; a draft may stop half-way; values are 0–5 integers', () => {
    expect(validateAnswers(WHO5, who5(3, 3, 3, 2, 2), { draft: false })).toEqual({ ok: true });
    expect(validateAnswers(WHO5, who5(3, 3), { draft: false })).toEqual({
      ok: false,
      errors: [{ item: 'who5_active', code: 'missing' }, { item: 'who5_rested', code: 'missing' }, { item: 'who5_interest', code: 'missing' }],
    });
    expect(validateAnswers(WHO5, who5(3, 3), { draft: true })).toEqual({ ok: true });
    expect(validateAnswers(WHO5, who5(3, 6), { draft: true })).toEqual({ ok: false, errors: [{ item: 'who5_calm', code: 'out_of_range' }] });
    expect(validateAnswers(WHO5, who5(-1), { draft: true })).toEqual({ ok: false, errors: [{ item: 'who5_cheerful', code: 'out_of_range' }] });
    expect(validateAnswers(WHO5, who5(2.5), { draft: true })).toEqual({ ok: false, errors: [{ item: 'who5_cheerful', code: 'not_integer' }] });
    expect(validateAnswers(WHO5, { ...who5(3, 3, 3, 3, 3), who5_extra: 1, constructor: 2 }, { draft: false })).toEqual({
      ok: false,
      errors: [{ item: 'who5_extra', code: 'unknown_item' }, { item: 'constructor', code: 'unknown_item' }],
    });
  });

  it('a draft has no score until every item is answered', () => {
    expect(score(WHO5, who5(3, 3, 3, 3))).toBeNull();
    expect(alertCodes(WHO5, who5(1))).toEqual(['who5_low']); // an item at 1 fires on its own
  });
});

describe('Work Ability Score', () => {
  const was = (v: number) => ({ was_score: v });
  it('scaled = raw × 10; bands poor 0–5, moderate 6–7, good 8–10 on the raw score', () => {
    expect([0, 5, 6, 7, 8, 10].map((v) => score(WAS, was(v)))).toEqual([
      { raw: 0, scaled: 0, band: 'poor' },
      { raw: 5, scaled: 50, band: 'poor' },
      { raw: 6, scaled: 60, band: 'moderate' },
      { raw: 7, scaled: 70, band: 'moderate' },
      { raw: 8, scaled: 80, band: 'good' },
      { raw: 10, scaled: 100, band: 'good' },
    ]);
    expect(firedAlerts(WAS, was(0), score(WAS, was(0)))).toEqual([]);
  });

  it('accepts integers 0–10 only', () => {
    expect(validateAnswers(WAS, was(10), { draft: false })).toEqual({ ok: true });
    expect(validateAnswers(WAS, was(11), { draft: false })).toEqual({ ok: false, errors: [{ item: 'was_score', code: 'out_of_range' }] });
    expect(validateAnswers(WAS, was(7.5), { draft: false })).toEqual({ ok: false, errors: [{ item: 'was_score', code: 'not_integer' }] });
    expect(validateAnswers(WAS, {}, { draft: false })).toEqual({ ok: false, errors: [{ item: 'was_score', code: 'missing' }] });
    expect(validateAnswers(WAS, {}, { draft: true })).toEqual({ ok: true });
  });
});

describe('employment progression', () => {
  const jp = (values: number[], staff?: number): Answers => ({
    ...Object.fromEntries(values.map((v, i) => [JOB_PROGRESSION.items[i]!.code, v])),
    ...(staff === undefined ? {} : { jp_staff_belief: staff }),
  });

  it('scores the mean of the five citizen items, 1–5 → 0–100, and the staff view as a subscale', () => {
    // mean 1 → 0; staff 5 → 100
    expect(score(JOB_PROGRESSION, jp([1, 1, 1, 1, 1], 5))).toEqual({ raw: 1, scaled: 0, band: 'low', subscales: { staff_view: { raw: 5, scaled: 100 } } });
    // sum 13 → mean 2.6 → (2.6 − 1) / 4 × 100 = 40 (lowest middle); staff 3 → 50
    expect(score(JOB_PROGRESSION, jp([3, 3, 3, 2, 2], 3))).toEqual({ raw: 2.6, scaled: 40, band: 'middle', subscales: { staff_view: { raw: 3, scaled: 50 } } });
    // sum 12 → mean 2.4 → 35 (highest low)
    expect(score(JOB_PROGRESSION, jp([3, 3, 2, 2, 2], 1))?.scaled).toBe(35);
    expect(score(JOB_PROGRESSION, jp([3, 3, 2, 2, 2], 1))?.band).toBe('low');
    // sum 19 → 3.8 → 70 (lowest high); sum 18 → 3.6 → 65 (middle)
    expect(score(JOB_PROGRESSION, jp([4, 4, 4, 4, 3]))).toEqual({ raw: 3.8, scaled: 70, band: 'high', subscales: {} });
    expect(score(JOB_PROGRESSION, jp([4, 4, 4, 3, 3]))?.band).toBe('middle');
    expect(score(JOB_PROGRESSION, jp([5, 5, 5, 5, 5]))).toMatchObject({ raw: 5, scaled: 100, band: 'high' });
    expect(firedAlerts(JOB_PROGRESSION, jp([1, 1, 1, 1, 1], 1), score(JOB_PROGRESSION, jp([1, 1, 1, 1, 1], 1)))).toEqual([]);
  });

  it('the citizen answers the citizen items only; staff with the citizen answer all six', () => {
    expect(validateAnswers(JOB_PROGRESSION, jp([3, 3, 3, 3, 3]), { draft: false, respondent: 'citizen' })).toEqual({ ok: true });
    expect(validateAnswers(JOB_PROGRESSION, jp([3, 3, 3, 3, 3], 4), { draft: false, respondent: 'citizen' })).toEqual({
      ok: false,
      errors: [{ item: 'jp_staff_belief', code: 'other_respondent' }],
    });
    expect(validateAnswers(JOB_PROGRESSION, jp([3, 3, 3, 3, 3]), { draft: false })).toEqual({ ok: false, errors: [{ item: 'jp_staff_belief', code: 'missing' }] });
    expect(validateAnswers(JOB_PROGRESSION, jp([], 4), { draft: false, respondent: 'staff' })).toEqual({ ok: true });
    expect(validateAnswers(JOB_PROGRESSION, jp([0]), { draft: true })).toEqual({ ok: false, errors: [{ item: 'jp_health', code: 'out_of_range' }] });
  });
});

/** A small instrument that exercises what the shipped ones do not. */
const custom = (over: Partial<InstrumentDefinition> = {}): InstrumentDefinition =>
  InstrumentDefinition.parse({
    code: 'custom',
    title: { da: 'Prøve', en: 'Test' },
    licence: 'test',
    dataCategories: ['other'],
    healthData: false,
    items: [
      { code: 'q1', text: { da: 'Et', en: 'One' }, respondent: 'citizen', required: true, answer: { kind: 'number', min: 1, max: 4, integer: true } },
      { code: 'q2', text: { da: 'To', en: 'Two' }, respondent: 'citizen', required: true, reverse: true, answer: { kind: 'number', min: 1, max: 4, integer: true } },
      { code: 'q3', text: { da: 'Tre', en: 'Three' }, respondent: 'citizen', required: false, answer: { kind: 'number', min: 0, max: 10, integer: false } },
      {
        code: 'has_job',
        text: { da: 'Job?', en: 'Job?' },
        respondent: 'citizen',
        required: true,
        answer: { kind: 'choice', options: [{ value: 1, label: { da: 'Ja', en: 'Yes' } }, { value: 0, label: { da: 'Nej', en: 'No' } }] },
      },
      { code: 'hours', text: { da: 'Timer', en: 'Hours' }, respondent: 'citizen', required: true, showIf: { item: 'has_job', op: '=', value: 1 }, answer: { kind: 'number', min: 0, max: 60, integer: true } },
      {
        code: 'long_hours',
        text: { da: 'Lange', en: 'Long' },
        respondent: 'citizen',
        required: true,
        showIf: { or: [{ item: 'hours', op: '>', value: 37 }, { and: [{ item: 'q1', op: '<', value: 2 }, { item: 'q2', op: '<>', value: 4 }] }] },
        answer: { kind: 'number', min: 0, max: 1, integer: true },
      },
    ],
    scoring: { method: 'mean', items: ['q1', 'q2', 'q3'], scale: { range: [0, 10] }, maxMissing: 1, relevantChange: 5 },
    ...over,
  });

describe('reverse items, means with missing items, range scaling', () => {
  it('scores a reverse item as min + max − value', () => {
    // q2 = 1 reversed → 4; mean(2, 4, 3) = 3 → 30 on 0–10
    expect(score(custom(), { q1: 2, q2: 1, q3: 3, has_job: 0 })).toEqual({ raw: 3, scaled: 30, band: null });
    // q2 = 4 reversed → 1
    expect(score(custom(), { q1: 2, q2: 4, q3: 3, has_job: 0 })).toEqual({ raw: 2, scaled: 20, band: null });
  });

  it('computes the mean with up to maxMissing items missing, and null beyond', () => {
    // one missing: mean(2, 4) = 3
    expect(score(custom(), { q1: 2, q2: 1 })).toEqual({ raw: 3, scaled: 30, band: null });
    expect(score(custom(), { q1: 2 })).toBeNull();
  });

  it('rounds raw to 2 and scaled to 1 decimal', () => {
    // q2 = 3 reversed → 2: mean(1, 2, 0.2) = 3.2 / 3 = 1.0666… → raw 1.07, scaled 10.666… → 10.7
    expect(score(custom(), { q1: 1, q2: 3, q3: 0.2 })).toEqual({ raw: 1.07, scaled: 10.7, band: null });
    // q2 = 1 reversed → 4: mean(4, 4, 0.1) = 2.7 → 27 (no binary noise left)
    expect(score(custom(), { q1: 4, q2: 1, q3: 0.1 })).toEqual({ raw: 2.7, scaled: 27, band: null });
  });

  it('sum needs every item; multiply scales; bands on raw', () => {
    const def = custom({
      scoring: {
        method: 'sum',
        items: ['q1', 'q2'],
        scale: { multiply: 2.5 },
        bands: [
          { code: 'lo', label: { da: 'Lav', en: 'Low' }, on: 'raw', min: 2, max: 4 },
          { code: 'hi', label: { da: 'Høj', en: 'High' }, on: 'raw', min: 5, max: 8 },
        ],
      },
    });
    expect(score(def, { q1: 1, q2: 4 })).toEqual({ raw: 2, scaled: 5, band: 'lo' });
    expect(score(def, { q1: 1, q2: 3 })).toEqual({ raw: 3, scaled: 7.5, band: 'lo' });
    expect(score(def, { q1: 4, q2: 3 })).toEqual({ raw: 6, scaled: 15, band: 'hi' });
    expect(score(def, { q1: 4 })).toBeNull();
  });

  it('is null for an unscored instrument', () => {
    const def = custom({ scoring: null });
    expect(score(def, { q1: 1, q2: 1, q3: 1 })).toBeNull();
    expect(firedAlerts(def, { q1: 1 }, null)).toEqual([]);
  });

  it('a relevant change without a scale is in raw units', () => {
    const def = custom({ scoring: { method: 'sum', items: ['q1'], relevantChange: 2 } });
    expect(isRelevantChange(def, { raw: 1, scaled: null, band: null }, { raw: 3, scaled: null, band: null })).toBe(true);
    expect(isRelevantChange(def, { raw: 1, scaled: null, band: null }, { raw: 2, scaled: null, band: null })).toBe(false);
  });
});

describe('branching', () => {
  const base = { q1: 3, q2: 3, has_job: 0 };
  it('shows an item only while its condition on earlier answers holds', () => {
    expect(visibleItems(custom(), base).map((i) => i.code)).toEqual(['q1', 'q2', 'q3', 'has_job']);
    expect(visibleItems(custom(), { ...base, has_job: 1 }).map((i) => i.code)).toEqual(['q1', 'q2', 'q3', 'has_job', 'hours']);
    expect(visibleItems(custom(), { ...base, has_job: 1, hours: 40 }).map((i) => i.code)).toContain('long_hours');
    // and-branch: q1 < 2 and q2 <> 4
    expect(visibleItems(custom(), { q1: 1, q2: 3 }).map((i) => i.code)).toContain('long_hours');
    expect(visibleItems(custom(), { q1: 1, q2: 4 }).map((i) => i.code)).not.toContain('long_hours');
  });

  it('a condition on an unanswered or hidden item is false, even <>', () => {
    // q2 unanswered: "q2 <> 4" is false
    expect(visibleItems(custom(), { q1: 1 }).map((i) => i.code)).not.toContain('long_hours');
    // hours answered but hidden (has_job = 0): its value does not show long_hours
    expect(visibleItems(custom(), { ...base, hours: 40 }).map((i) => i.code)).not.toContain('long_hours');
  });

  it('a hidden item is not required, and an answer to it is refused', () => {
    expect(validateAnswers(custom(), base, { draft: false })).toEqual({ ok: true });
    expect(validateAnswers(custom(), { ...base, has_job: 1 }, { draft: false })).toEqual({ ok: false, errors: [{ item: 'hours', code: 'missing' }] });
    expect(validateAnswers(custom(), { ...base, has_job: 1, hours: 20 }, { draft: false })).toEqual({ ok: true });
    expect(validateAnswers(custom(), { ...base, has_job: 1, hours: 40 }, { draft: false })).toEqual({ ok: false, errors: [{ item: 'long_hours', code: 'missing' }] });
    expect(validateAnswers(custom(), { ...base, hours: 20 }, { draft: false })).toEqual({ ok: false, errors: [{ item: 'hours', code: 'hidden' }] });
    expect(validateAnswers(custom(), { ...base, hours: 20 }, { draft: true })).toEqual({ ok: false, errors: [{ item: 'hours', code: 'hidden' }] });
  });

  it('a scored item hidden by branching counts as missing, and anyItem alerts ignore hidden answers', () => {
    const def = custom({
      scoring: { method: 'sum', items: ['hours'] },
      alerts: [{ code: 'many_hours', when: { anyItem: { items: ['hours'], op: '>=', value: 50 } }, task: { da: 'Tal om timer', en: 'Talk about hours' } }],
    });
    expect(score(def, { has_job: 1, hours: 55 })).toEqual({ raw: 55, scaled: null, band: null });
    expect(alertCodes(def, { has_job: 1, hours: 55 })).toEqual(['many_hours']);
    expect(score(def, { has_job: 0, hours: 55 })).toBeNull();
    expect(alertCodes(def, { has_job: 0, hours: 55 })).toEqual([]);
  });

  it('alert conditions combine with any and all, on raw and scaled scores', () => {
    const def = custom({
      alerts: [
        { code: 'both', when: { all: [{ score: 'raw', op: '<', value: 2 }, { anyItem: { items: ['q1'], op: '<=', value: 1 } }] }, task: { da: 'a', en: 'a' } },
        { code: 'high', when: { score: 'scaled', op: '>', value: 30 }, task: { da: 'b', en: 'b' } },
      ],
    });
    expect(alertCodes(def, { q1: 1, q2: 4, q3: 1 })).toEqual(['both']); // mean(1, 1, 1) = 1
    expect(alertCodes(def, { q1: 2, q2: 4, q3: 0 })).toEqual([]); // mean(2, 1, 0) = 1, q1 = 2
    expect(alertCodes(def, { q1: 4, q2: 1, q3: 4 })).toEqual(['high']); // mean 4 → 40
  });
});

describe('definition checks name where the problem is', () => {
  const issues = (over: Record<string, unknown>) => {
    const r = InstrumentDefinition.safeParse({ ...custom(), ...over });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const items = custom().items;

  it('showIf may refer to earlier items only, and to existing options', () => {
    const later = [items[0]!, { ...items[1]!, showIf: { item: 'q3', op: '=', value: 1 } }, items[2]!];
    expect(issues({ items: later, scoring: null })).toEqual(['items.1.showIf.item: q3 is not an earlier item of this instrument']);
    const self = [items[0]!, { ...items[1]!, showIf: { and: [{ item: 'q1', op: '>', value: 1 }, { item: 'q2', op: '=', value: 1 }] } }];
    expect(issues({ items: self, scoring: null })).toEqual(['items.1.showIf.and.1.item: q2 is not an earlier item of this instrument']);
    const badOption = [...items.slice(0, 4), { ...items[4]!, showIf: { item: 'has_job', op: '=', value: 2 } }];
    expect(issues({ items: badOption, scoring: null })).toEqual(['items.4.showIf.value: 2 is not one of the options of has_job']);
  });

  it('refuses duplicate codes and options, bad ranges and deep conditions', () => {
    expect(issues({ items: [items[0]!, items[0]!], scoring: null })).toEqual(['items.1.code: the item code q1 is used twice']);
    const dupOption = { ...items[3]!, answer: { kind: 'choice', options: [{ value: 1, label: { da: 'a', en: 'a' } }, { value: 1, label: { da: 'b', en: 'b' } }] } };
    expect(issues({ items: [dupOption], scoring: null })).toEqual(['items.0.answer.options.1.value: the value 1 is given twice']);
    expect(issues({ items: [{ ...items[0]!, answer: { kind: 'number', min: 3, max: 3, integer: true } }], scoring: null })).toEqual(['items.0.answer.max: min must be below max']);
    const cmp = { item: 'q1', op: '=', value: 1 };
    const deep = { and: [cmp, { or: [cmp, { and: [cmp, { or: [cmp, cmp] }] }] }] };
    expect(issues({ items: [items[0]!, { ...items[1]!, showIf: deep }], scoring: null })).not.toEqual([]);
  });

  it('checks scoring items, scales, maxMissing, bands and alerts', () => {
    expect(issues({ scoring: { method: 'sum', items: ['q1', 'nope'] } })).toEqual(['scoring.items.1: nope is not an item of this instrument']);
    expect(issues({ scoring: { method: 'sum', items: ['q1'], maxMissing: 1 } })).toEqual(['scoring.maxMissing: maxMissing applies to a mean only']);
    expect(issues({ scoring: { method: 'mean', items: ['q1', 'q2'], scale: { range: [1, 3] } } })).toEqual(['scoring.scale.range: the raw score can go from 1 to 4, outside the range 1–3']);
    const band = (code: string, min: number, max: number, on = 'raw') => ({ code, label: { da: code, en: code }, on, min, max });
    expect(issues({ scoring: { method: 'sum', items: ['q1'], bands: [band('a', 0, 2), band('b', 2, 4)] } })).toEqual(['scoring.bands.1: overlaps band 0 (a)']);
    expect(issues({ scoring: { method: 'sum', items: ['q1'], bands: [band('a', 0, 2, 'scaled')] } })).toEqual(['scoring.bands.0.on: a band on the scaled score needs a scale']);
    expect(issues({ scoring: { method: 'sum', items: ['q1'], subscales: [{ code: 's', label: { da: 's', en: 's' }, method: 'sum', items: ['zz'] }] } })).toEqual([
      'scoring.subscales.0.items.0: zz is not an item of this instrument',
    ]);
    const alert = (when: unknown) => [{ code: 'x', when, task: { da: 't', en: 't' } }];
    expect(issues({ scoring: null, alerts: alert({ score: 'raw', op: '<', value: 1 }) })).toEqual(['alerts.0.when.score: an unscored instrument has no score to compare']);
    expect(issues({ scoring: null, alerts: alert({ anyItem: { items: ['q1'], op: '<', value: 1 } }) })).toEqual([]);
    expect(issues({ scoring: { method: 'sum', items: ['q1'] }, alerts: alert({ any: [{ score: 'scaled', op: '<', value: 1 }] }) })).toEqual(['alerts.0.when.any.0.score: the scoring rule has no scale']);
    expect(issues({ alerts: alert({ anyItem: { items: ['zz'], op: '<', value: 1 } }) })).toEqual(['alerts.0.when.anyItem.items.0: zz is not an item of this instrument']);
  });

  it('bounds every number and string', () => {
    expect(issues({ items: [{ ...items[0]!, answer: { kind: 'number', min: 0, max: 1e7, integer: true } }], scoring: null })).not.toEqual([]);
    expect(issues({ licence: 'x'.repeat(1001) })).not.toEqual([]);
    expect(issues({ code: 'Has Space' })).not.toEqual([]);
    expect(issues({ items: Array.from({ length: 201 }, (_, i) => ({ ...items[0]!, code: `q${i}` })), scoring: null })).not.toEqual([]);
  });
});

describe('the answers contract', () => {
  it('takes item codes and bounded finite numbers, at most 200 of them', () => {
    expect(Answers.safeParse({ who5_calm: 3, was_score: 2.5 }).success).toBe(true);
    expect(Answers.safeParse({ 'Not a code': 1 }).success).toBe(false);
    expect(Answers.safeParse({ a: 1e7 }).success).toBe(false);
    expect(Answers.safeParse({ a: '3' }).success).toBe(false);
    expect(Answers.safeParse(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`a${i}`, 1]))).success).toBe(false);
  });
});
