// REDCap data dictionaries: each supported field type, each refused feature named by row and column, the record
// id field, HTML in labels, header variants, and the round trip import → export → import.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { InstrumentDefinition, type Condition } from '../../../contracts/instruments.ts';
import { BUILTIN_INSTRUMENTS, WAS } from './builtin.ts';
import { exportJson, exportRedcap, importRedcap, parseBranching, plainText } from './redcap.ts';

const HEADER = [
  'Variable / Field Name',
  'Form Name',
  'Section Header',
  'Field Type',
  'Field Label',
  'Choices, Calculations, OR Slider Labels',
  'Field Note',
  'Text Validation Type OR Show Slider Number',
  'Text Validation Min',
  'Text Validation Max',
  'Identifier?',
  'Branching Logic (Show field only if...)',
  'Required Field?',
  'Custom Alignment',
  'Question Number (surveys only)',
  'Matrix Group Name',
  'Matrix Ranking?',
  'Field Annotation',
] as const;
const KEYS = ['field', 'form', 'section', 'type', 'label', 'choices', 'note', 'validation', 'min', 'max', 'identifier', 'branching', 'required', 'alignment', 'question', 'matrix', 'ranking', 'annotation'] as const;
type Cells = Partial<Record<(typeof KEYS)[number], string>>;

const RECORD_ID: Cells = { field: 'record_id', form: 'baseline', type: 'text', label: 'Record ID' };
/** A dictionary with REDCap's header and the record id field first. */
const dict = (rows: Cells[], header: readonly string[] = HEADER) => stringify([header, ...[RECORD_ID, ...rows].map((r) => KEYS.map((k) => r[k] ?? ''))]);
const OPTS = { licence: 'Free for research', dataCategories: ['other' as const], healthData: false };
const refusal = (rows: Cells[]) => {
  const r = importRedcap(dict(rows), OPTS);
  if (r.ok) throw new Error('expected a refusal');
  return r.errors.map(({ row, column, feature }) => ({ row, column, feature }));
};

const REPRESENTATIVE: Cells[] = [
  { field: 'mood', form: 'baseline', section: '<b>Humør</b>', type: 'radio', label: 'Hvordan har du det <i>i dag</i>?', choices: '1, Godt | 2, Middel | 3, Dårligt', note: 'Vælg ét svar', required: 'y', alignment: 'RH' },
  { field: 'sleeps_well', form: 'baseline', type: 'yesno', label: 'Sover du godt?', required: 'y' },
  { field: 'sleep_hours', form: 'baseline', type: 'text', label: 'Hvor mange timer sover du?', validation: 'integer', min: '0', max: '24', branching: "[sleeps_well] = '0'", required: 'y' },
  { field: 'pain', form: 'baseline', type: 'slider', label: 'Smerte', choices: 'Ingen | Nogen | Meget', validation: 'number' },
  {
    field: 'energy',
    form: 'baseline',
    type: 'dropdown',
    label: 'Energi',
    choices: '0, Ingen | 1, Lidt | 2, Meget',
    branching: "[mood] <> '3' AND ([pain] > 50 or [sleep_hours] < \"6\")",
    annotation: 'Asked since 2024',
  },
  { field: 'weight', form: 'followup', type: 'text', label: 'Vægt i kg', validation: 'number', min: '30.5', max: '250', required: 'y', annotation: '@FORCE-MINMAX' },
  { field: 'steps', form: 'followup', type: 'slider', label: 'Skridt', min: '0', max: '10', branching: '[weight] >= 100' },
];

describe('importing a REDCap data dictionary', () => {
  const result = importRedcap(dict(REPRESENTATIVE), OPTS);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const [baseline, followup] = result.instruments;

  it('makes one unscored instrument per form, skipping the record id field', () => {
    expect(result.instruments.map((d) => [d.code, d.title.da, d.items.map((i) => i.code)])).toEqual([
      ['baseline', 'Baseline', ['mood', 'sleeps_well', 'sleep_hours', 'pain', 'energy']],
      ['followup', 'Followup', ['weight', 'steps']],
    ]);
    expect(baseline).toMatchObject({ licence: 'Free for research', dataCategories: ['other'], healthData: false, scoring: null, alerts: [] });
    for (const def of result.instruments) expect(InstrumentDefinition.parse(def)).toEqual(def);
  });

  it('reads radio choices into both languages, with the section header and field note, HTML stripped', () => {
    expect(baseline!.items[0]).toEqual({
      code: 'mood',
      text: { da: 'Hvordan har du det i dag?', en: 'Hvordan har du det i dag?' },
      respondent: 'citizen',
      required: true,
      answer: {
        kind: 'choice',
        options: [
          { value: 1, label: { da: 'Godt', en: 'Godt' } },
          { value: 2, label: { da: 'Middel', en: 'Middel' } },
          { value: 3, label: { da: 'Dårligt', en: 'Dårligt' } },
        ],
      },
      redcap: { fieldType: 'radio', sectionHeader: 'Humør', fieldNote: 'Vælg ét svar' },
    });
  });

  it('reads yesno as 1 Ja / 0 Nej', () => {
    expect(baseline!.items[1]!.answer).toEqual({ kind: 'choice', options: [{ value: 1, label: { da: 'Ja', en: 'Yes' } }, { value: 0, label: { da: 'Nej', en: 'No' } }] });
    expect(baseline!.items[1]!.redcap).toEqual({ fieldType: 'yesno' });
  });

  it('reads integer and number text fields with their bounds, and branching', () => {
    expect(baseline!.items[2]).toMatchObject({ answer: { kind: 'number', min: 0, max: 24, integer: true }, showIf: { item: 'sleeps_well', op: '=', value: 0 }, redcap: { fieldType: 'text', validation: 'integer' } });
    expect(followup!.items[0]).toMatchObject({ answer: { kind: 'number', min: 30.5, max: 250, integer: false }, redcap: { fieldType: 'text', validation: 'number', annotation: '@FORCE-MINMAX' } });
  });

  it('reads a slider as 0–100 by default or min/max, with its left, middle and right labels', () => {
    expect(baseline!.items[3]).toMatchObject({
      required: false,
      answer: { kind: 'number', min: 0, max: 100, integer: true, minLabel: { da: 'Ingen', en: 'Ingen' }, maxLabel: { da: 'Meget', en: 'Meget' } },
      redcap: { fieldType: 'slider', sliderMiddle: 'Nogen', sliderShowNumber: true },
    });
    expect(followup!.items[1]!.answer).toEqual({ kind: 'number', min: 0, max: 10, integer: true });
  });

  it('reads dropdowns, and/or with parentheses, quoted and unquoted numbers, and >= as "> or ="', () => {
    expect(baseline!.items[4]).toMatchObject({
      answer: { kind: 'choice', options: [{ value: 0 }, { value: 1 }, { value: 2 }] },
      showIf: { and: [{ item: 'mood', op: '<>', value: 3 }, { or: [{ item: 'pain', op: '>', value: 50 }, { item: 'sleep_hours', op: '<', value: 6 }] }] },
      redcap: { fieldType: 'dropdown', annotation: 'Asked since 2024' },
    });
    expect(followup!.items[1]!.showIf).toEqual({ or: [{ item: 'weight', op: '>', value: 100 }, { item: 'weight', op: '=', value: 100 }] });
  });

  it('round trip: import → export → import gives the same instruments', () => {
    const csv = exportRedcap(result.instruments);
    expect(csv.split('\n')[0]).toBe(stringify([HEADER]).trim());
    expect(csv.split('\n')[1]).toMatch(/^record_id,baseline,,text,Record ID,/);
    const again = importRedcap(csv, OPTS);
    expect(again).toEqual({ ok: true, instruments: result.instruments });
    // And once more, from the second export.
    expect(exportRedcap(again.ok ? again.instruments : [])).toBe(csv);
  });
});

describe('exporting', () => {
  it('the shipped instruments re-import without error, unscored, with the same items and options', () => {
    for (const lang of ['da', 'en'] as const) {
      const back = importRedcap(exportRedcap([...BUILTIN_INSTRUMENTS], lang), OPTS);
      if (!back.ok) throw new Error(JSON.stringify(back.errors));
      expect(back.instruments.map((d) => d.code)).toEqual(['who5', 'was', 'jobprogression']);
      back.instruments.forEach((def, n) => {
        const original = BUILTIN_INSTRUMENTS[n]!;
        expect(def.scoring).toBeNull();
        expect(def.alerts).toEqual([]);
        expect(def.items.map((i) => [i.code, i.text[lang], i.required])).toEqual(original.items.map((i) => [i.code, i.text[lang], i.required]));
        def.items.forEach((item, k) => {
          const o = original.items[k]!;
          if (o.answer.kind === 'choice') expect(item.answer).toEqual({ kind: 'choice', options: o.answer.options.map((x) => ({ value: x.value, label: { da: x.label[lang], en: x.label[lang] } })) });
        });
      });
    }
  });

  it('writes a labelled integer scale (WAS) as a slider with its range and labels', () => {
    const [, row] = exportRedcap([WAS], 'en').trim().split('\n').slice(1);
    expect(row).toBe('was_score,was,,slider,Imagine that your work ability at its best is worth 10 points. How many points would you give your work ability today?,Cannot work at all |  | Work ability at its best,,,0,10,,,y,,,,,');
  });

  it('escapes < > & in labels and writes branching REDCap reads back', () => {
    const def = InstrumentDefinition.parse({
      code: 'esc',
      title: { da: 'E', en: 'E' },
      licence: 'x',
      dataCategories: ['other'],
      healthData: false,
      items: [
        { code: 'a', text: { da: 'Mindst 3 & højst <5>', en: 'x' }, respondent: 'staff', required: false, answer: { kind: 'number', min: -2, max: 2.5, integer: false } },
        { code: 'b', text: { da: 'B', en: 'B' }, respondent: 'citizen', required: true, showIf: { or: [{ and: [{ item: 'a', op: '>', value: -1 }, { item: 'a', op: '<', value: 1 }] }, { item: 'a', op: '=', value: 2 }] }, answer: { kind: 'number', min: 0, max: 3, integer: true } },
      ],
      scoring: null,
    });
    const csv = exportRedcap([def]);
    expect(csv).toContain('Mindst 3 &amp; højst &lt;5&gt;');
    expect(csv).toContain("([a] > -1 and [a] < 1) or [a] = '2'");
    const back = importRedcap(csv, OPTS);
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect(back.instruments[0]!.items[0]!.text.da).toBe('Mindst 3 & højst <5>');
    expect(back.instruments[0]!.items[1]!.showIf).toEqual(def.items[1]!.showIf);
    expect(JSON.parse(exportJson(def))).toEqual(def);
  });

  it('refuses instruments sharing a field name, and picks another record id name when record_id is taken', () => {
    expect(() => exportRedcap([BUILTIN_INSTRUMENTS[0]!, BUILTIN_INSTRUMENTS[0]!])).toThrow(/unique field names/);
    const def = InstrumentDefinition.parse({ ...WAS, items: [{ ...WAS.items[0]!, code: 'record_id' }], scoring: null });
    expect(exportRedcap([def]).split('\n')[1]).toMatch(/^record_id_1,was,/);
  });
});

describe('refusing what Bindeled cannot honour, naming row, column and feature', () => {
  const base: Cells = { field: 'q', form: 'f', type: 'radio', label: 'Q', choices: '1, A | 2, B' };
  const T = 'Field Type';
  const V = 'Text Validation Type OR Show Slider Number';
  it.each([
    [{ type: 'calc', choices: 'sum([a])' }, T, 'calc'],
    [{ type: 'checkbox' }, T, 'checkbox'],
    [{ type: 'file', choices: '' }, T, 'file'],
    [{ type: 'descriptive', choices: '' }, T, 'descriptive'],
    [{ type: 'notes', choices: '' }, T, 'notes'],
    [{ type: 'sql', choices: 'select 1' }, T, 'sql'],
    [{ type: 'truefalse', choices: '' }, T, 'truefalse'],
    [{ type: 'text', choices: '' }, T, 'free_text'],
    [{ type: 'text', choices: '', validation: 'date_ymd' }, V, 'date_validation'],
    [{ type: 'text', choices: '', validation: 'email' }, V, 'text_validation'],
    [{ type: 'text', choices: '', validation: 'integer', min: '0' }, 'Text Validation Max', 'unbounded_number'],
    [{ type: 'text', choices: '', validation: 'number', max: '5' }, 'Text Validation Min', 'unbounded_number'],
    [{ type: 'text', choices: '', validation: 'integer', min: '0', max: '2.5' }, 'Text Validation Min', 'bound'],
    [{ type: 'slider', choices: 'a | b | c | d' }, 'Choices, Calculations, OR Slider Labels', 'slider_labels'],
    [{ choices: 'a, A | b, B' }, 'Choices, Calculations, OR Slider Labels', 'choice_code'],
    [{ choices: '1, A' }, 'Choices, Calculations, OR Slider Labels', 'choices'],
    [{ choices: '1, A | 1, B' }, 'Choices, Calculations, OR Slider Labels', 'choices'],
    [{ choices: '1, A | 2, Hej [name]' }, 'Choices, Calculations, OR Slider Labels', 'piping'],
    [{ label: 'Hvordan går det, [first_name]?' }, 'Field Label', 'piping'],
    [{ note: 'Se [record-name]' }, 'Field Note', 'piping'],
    [{ matrix: 'grid1' }, 'Matrix Group Name', 'matrix'],
    [{ ranking: 'y' }, 'Matrix Ranking?', 'matrix'],
    [{ annotation: '@HIDDEN' }, 'Field Annotation', 'action_tag'],
    [{ annotation: 'Note @CALCTEXT(if([a]=1,"x","y"))' }, 'Field Annotation', 'action_tag'],
    [{ identifier: 'y' }, 'Identifier?', 'identifier'],
    [{ label: 'Q<script>alert(1)</script>' }, 'Field Label', 'html'],
    [{ choices: '1, A | 2, <style>b{}</style>B' }, 'Choices, Calculations, OR Slider Labels', 'html'],
    [{ label: 'x'.repeat(10_001) }, 'Field Label', 'size'],
    [{ label: '' }, 'Field Label', 'label'],
    [{ field: 'Q-1' }, 'Variable / Field Name', 'field_name'],
    [{ form: 'Form 1' }, 'Form Name', 'form_name'],
    [{ label: 'x'.repeat(2001) }, 'Field Label', 'invalid'],
  ] as [Cells, string, string][])('%o → %s: %s', (over, column, feature) => {
    expect(refusal([{ field: 'first', form: 'f', type: 'yesno', label: 'First' }, { ...base, ...over }])).toEqual([{ row: 4, column, feature }]);
  });

  const B = 'Branching Logic (Show field only if...)';
  it.each([
    ["datediff([first], 'today', 'd') > 3", 'branching_function'],
    ["sum([first]) > 1", 'branching_function'],
    ["[event_1_arm_1][first] = '1'", 'branching_event'],
    ["[first(1)] = '1'", 'branching_checkbox'],
    ["[first:value] = '1'", 'branching_smart_variable'],
    ["[first] = 'yes'", 'branching_text_value'],
    ["[first] = '1' &&", 'branching_syntax'],
    ["([first] = '1'", 'branching_syntax'],
    ["[later] = '1'", 'branching_reference'],
    ["[q] = '1'", 'branching_reference'],
    ["[other_form] = '1'", 'branching_reference'],
    ["[first] = '1' and ([first] = '1' or ([first] = '0' and ([first] = '1' or ([first] = '0' and [first] = '1'))))", 'branching_depth'],
    [`${'('.repeat(1000)}[first] = '1'`, 'branching_depth'],
    [`[first] = '1'${" or [first] = '1'".repeat(200)}`, 'branching_size'],
  ])('branching %s → %s', (logic, feature) => {
    const rows: Cells[] = [
      { field: 'other_form', form: 'e', type: 'yesno', label: 'Other' },
      { field: 'first', form: 'f', type: 'yesno', label: 'First' },
      { ...base, branching: logic },
      { field: 'later', form: 'f', type: 'yesno', label: 'Later' },
    ];
    expect(refusal(rows)).toEqual([{ row: 5, column: B, feature }]);
  });

  it('reports every refusal at once, at the row a spreadsheet shows even after a multi-line cell', () => {
    expect(
      refusal([
        { field: 'a', form: 'f', type: 'yesno', label: 'Line one\nline two\nline three' },
        { field: 'b', form: 'f', type: 'calc', label: 'B', choices: '[a] + 1' },
        { field: 'c', form: 'f', type: 'yesno', label: 'C', identifier: 'y' },
        { field: 'a', form: 'g', type: 'yesno', label: 'Again' },
      ]),
    ).toEqual([
      { row: 4, column: 'Field Type', feature: 'calc' },
      { row: 5, column: 'Identifier?', feature: 'identifier' },
      { row: 6, column: 'Variable / Field Name', feature: 'field_name' },
    ]);
  });

  it('skips only a first field that looks like the record id', () => {
    // A required first text field is no record id: it is free text and refused.
    const required = stringify([HEADER, KEYS.map((k) => ({ ...RECORD_ID, required: 'y' } as Cells)[k] ?? ''), KEYS.map((k) => base[k] ?? '')]);
    const r = importRedcap(required, OPTS);
    expect(r.ok ? [] : r.errors.map((e) => [e.row, e.column, e.feature])).toEqual([[2, 'Field Type', 'free_text']]);
    // A dictionary whose first field is a question keeps it.
    const noRecordId = stringify([HEADER, KEYS.map((k) => base[k] ?? '')]);
    const q = importRedcap(noRecordId, OPTS);
    expect(q.ok && q.instruments[0]!.items.map((i) => i.code)).toEqual(['q']);
    // Nothing but the record id.
    expect(importRedcap(dict([]), OPTS)).toMatchObject({ ok: false, errors: [{ row: 1, feature: 'empty' }] });
  });

  it('refuses unknown and missing columns in the header, and unreadable CSV', () => {
    expect(importRedcap(dict([base], [...HEADER.slice(0, 17), 'Colour']), OPTS)).toEqual({
      ok: false,
      errors: [{ row: 1, column: 'Colour', feature: 'unknown_column', message: expect.any(String) }],
    });
    const noForm = stringify([['Variable / Field Name', 'Field Type', 'Field Label'], ['q', 'yesno', 'Q']]);
    expect(importRedcap(noForm, OPTS)).toMatchObject({ ok: false, errors: [{ row: 1, column: 'Form Name', feature: 'missing_column' }] });
    const broken = `${stringify([HEADER])}q,f,,yesno,"Q\n`;
    expect(importRedcap(broken, OPTS)).toMatchObject({ ok: false, errors: [{ row: 2, feature: 'csv' }] });
    const ragged = `${stringify([HEADER])}q,f,,yesno,Q\n`;
    expect(importRedcap(ragged, OPTS)).toMatchObject({ ok: false, errors: [{ row: 2, feature: 'csv' }] });
  });
});

describe('tolerated variants', () => {
  it('accepts header names in any case, the API names and older short names, and a semicolon-separated file', () => {
    const rows: Cells[] = [{ field: 'q', form: 'f', type: 'RADIO', label: 'Q', choices: '1, A|2, B', required: 'Y' }];
    const upper = importRedcap(dict(rows, HEADER.map((h) => h.toUpperCase())), OPTS);
    const api = importRedcap(dict(rows, KEYS.map((k) => ({ field: 'field_name', form: 'form_name', section: 'section_header', type: 'field_type', label: 'field_label', choices: 'select_choices_or_calculations', note: 'field_note', validation: 'text_validation_type_or_show_slider_number', min: 'text_validation_min', max: 'text_validation_max', identifier: 'identifier', branching: 'branching_logic', required: 'required_field', alignment: 'custom_alignment', question: 'question_number', matrix: 'matrix_group_name', ranking: 'matrix_ranking', annotation: 'field_annotation' })[k])), OPTS);
    const old = importRedcap(stringify([['Variable / Field Name', 'Form Name', 'Field Type', 'Field Label', 'Choices OR Calculations', 'Text Validation Type', 'Branching Logic', 'Required Field?'], ['q', 'f', 'radio', 'Q', '1, A|2, B', '', '', 'y']]), OPTS);
    const semicolon = importRedcap(stringify([HEADER, KEYS.map((k) => rows[0]![k] ?? '')], { delimiter: ';' }), OPTS);
    for (const r of [upper, api, old, semicolon]) {
      expect(r).toMatchObject({ ok: true, instruments: [{ code: 'f', items: [{ code: 'q', required: true, answer: { options: [{ value: 1 }, { value: 2 }] } }] }] });
    }
  });

  it('strips HTML from labels: tags, line breaks, entities', () => {
    expect(plainText('<div class="rich-text-field-label"><p><strong>Hvor</strong> ofte&nbsp;har du haft det godt?</p></div>')).toBe('Hvor ofte har du haft det godt?');
    expect(plainText('Linje et<br>linje to<br/>  linje   tre')).toBe('Linje et\nlinje to\nlinje tre');
    expect(plainText('A &lt;b&gt; &amp;amp; &#229;&#xE6;<!-- note -->')).toBe('A <b> &amp; åæ');
    expect(plainText('3 < 5 and 7 > 2')).toBe('3 < 5 and 7 > 2');
  });

  it('parses branching with !=, upper-case operators and nested groups without flattening them', () => {
    expect(parseBranching("[a] != '2'")).toEqual({ item: 'a', op: '<>', value: 2 });
    expect(parseBranching('[a] <= -1.5')).toEqual({ or: [{ item: 'a', op: '<', value: -1.5 }, { item: 'a', op: '=', value: -1.5 }] });
    expect(parseBranching("[a] = '1' OR [b] = '2' or [c] = 3")).toEqual({ or: [{ item: 'a', op: '=', value: 1 }, { item: 'b', op: '=', value: 2 }, { item: 'c', op: '=', value: 3 }] });
    expect(parseBranching("([a] = 1 and [b] = 2) and [c] = 3")).toEqual({ and: [{ and: [{ item: 'a', op: '=', value: 1 }, { item: 'b', op: '=', value: 2 }] }, { item: 'c', op: '=', value: 3 }] });
    expect(parseBranching("[a] = 1 or [b] = 2 and [c] = 3")).toEqual({ or: [{ item: 'a', op: '=', value: 1 }, { and: [{ item: 'b', op: '=', value: 2 }, { item: 'c', op: '=', value: 3 }] }] });
    expect(parseBranching("(([a] = 1))")).toEqual({ item: 'a', op: '=', value: 1 });
  });
});

describe('robustness', () => {
  it('answers every input with a result, never an exception', () => {
    const cellChars = fc.constantFrom(...'ab1,;"\n|[]()<>=\'@-_ &#x0'.split(''), 'and', 'or', 'radio', 'text', 'integer', '<br>', '<b>', '&amp;');
    const cell = fc.array(cellChars, { maxLength: 12 }).map((parts) => parts.join(''));
    const rowOf = fc.array(cell, { minLength: 18, maxLength: 18 });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.array(rowOf, { maxLength: 6 }).map((rows) => stringify([HEADER, ...rows]))), (csv) => {
        const r = importRedcap(csv, OPTS);
        if (r.ok) for (const d of r.instruments) expect(InstrumentDefinition.safeParse(d).success).toBe(true);
        else expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it('strips hostile HTML in linear time (an unbounded tag pattern would take seconds here)', () => {
    const started = performance.now();
    expect(plainText('<a'.repeat(100_000))).toHaveLength(200_000);
    expect(plainText(`A${'<!--'.repeat(50_000)}`)).toBe('A');
    expect(plainText('A<!-- x -->B<!-- y')).toBe('AB');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('branching survives export and import for any condition within the bounds', () => {
    const items = ['a', 'b', 'c'];
    const cmp = fc.record({
      item: fc.constantFrom(...items),
      op: fc.constantFrom('=', '<>', '>', '<'),
      value: fc.oneof(fc.integer({ min: -100, max: 100 }), fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v))),
    }) as fc.Arbitrary<Condition>;
    const tree = fc.letrec<{ c: Condition }>((tie) => ({
      c: fc.oneof(
        { depthSize: 'small', maxDepth: 3 },
        cmp,
        fc.array(tie('c'), { minLength: 2, maxLength: 3 }).map((and) => ({ and })),
        fc.array(tie('c'), { minLength: 2, maxLength: 3 }).map((or) => ({ or })),
      ),
    })).c;
    const numberItem = (code: string) => ({ code, text: { da: code, en: code }, respondent: 'citizen', required: false, answer: { kind: 'number', min: -1000, max: 1000, integer: false } });
    fc.assert(
      fc.property(tree, (showIf) => {
        const parsed = InstrumentDefinition.safeParse({
          code: 'prop',
          title: { da: 'P', en: 'P' },
          licence: 'x',
          dataCategories: ['other'],
          healthData: false,
          items: [...items.map(numberItem), { ...numberItem('d'), showIf }],
          scoring: null,
        });
        fc.pre(parsed.success); // deeper than the bound: not a definition
        const def = parsed.data!;
        const back = importRedcap(exportRedcap([def]), OPTS);
        expect(back.ok && back.instruments[0]!.items[3]!.showIf).toEqual(showIf);
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});
