// REDCap data dictionaries in and out. A research partner's instrument comes in unchanged where Bindeled can
// honour it, and is refused — naming the row, the column and the feature — where it cannot: an answer Bindeled
// could not validate, score or show as REDCap would must not be half-imported.
//
// Decisions:
// - One instrument per Form Name; its code is the form name, its title the form name made readable; unscored,
//   no alerts, every item answered by the citizen (REDCap knows no respondent, reverse scoring or scores).
// - REDCap has one language: the Field Label and choice labels go into both da and en.
// - HTML in labels, choices, notes and section headers is stripped (tags removed, <br> and block ends become line
//   breaks, entities decoded): Bindeled shows labels as text, never as HTML, and REDCap's rich-text editor wraps
//   even plain labels in tags, so refusing them would refuse most dictionaries. Export escapes & < > again.
//   Scripts, styles and embedded objects are refused rather than stripped: their content is no label.
// - Every cell, pattern and nesting is bounded (cells 10,000 characters, logic 2000, 8 parentheses deep), so a
//   hostile file is refused in linear time and never exhausts the stack.
// - The first field of a REDCap project is its record id. It is skipped when it is a text field without
//   validation and not required (what REDCap makes it); export writes one (`record_id`) first, so REDCap does not
//   take the first question as the record id.
// - A number answer needs bounds: a text field with integer/number validation without both min and max is refused.
// - Branching `>=` and `<=` are read as `(> or =)` and `(< or =)`; `!=` as `<>`.
// - Action tags are refused except @FORCE-MINMAX (Bindeled always enforces min and max) and @NOMISSING
//   (Bindeled has no missing-data codes); other annotation text is kept for export.
// - Display-only columns (Custom Alignment, Question Number) are accepted and not kept.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import {
  CODE_PATTERN,
  InstrumentDefinition,
  MAX_ABS_NUMBER,
  MAX_CONDITION_DEPTH,
  MAX_ITEMS,
  MAX_OPTIONS,
  type Condition,
  type DataCategory,
  type InstrumentItem,
  type RedcapField,
} from '../../../contracts/instruments.ts';

export type RedcapImportOptions = { licence: string; dataCategories: DataCategory[]; healthData: boolean };
/** row: as a spreadsheet shows it (the header is row 1); column: the header's name. */
export type RedcapError = { row: number; column: string; feature: string; message: string };
export type RedcapImportResult = { ok: true; instruments: InstrumentDefinition[] } | { ok: false; errors: RedcapError[] };

/** The dictionary's columns, REDCap's current header first; older and API (snake_case) names as aliases. */
const COLUMNS = {
  field: ['Variable / Field Name', 'field_name', 'Field Name', 'Variable Name'],
  form: ['Form Name', 'form_name'],
  section: ['Section Header', 'section_header'],
  type: ['Field Type', 'field_type'],
  label: ['Field Label', 'field_label'],
  choices: ['Choices, Calculations, OR Slider Labels', 'select_choices_or_calculations', 'Choices OR Calculations', 'Choices'],
  note: ['Field Note', 'field_note'],
  validation: ['Text Validation Type OR Show Slider Number', 'text_validation_type_or_show_slider_number', 'Text Validation Type'],
  min: ['Text Validation Min', 'text_validation_min'],
  max: ['Text Validation Max', 'text_validation_max'],
  identifier: ['Identifier?', 'identifier'],
  branching: ['Branching Logic (Show field only if...)', 'branching_logic', 'Branching Logic'],
  required: ['Required Field?', 'required_field'],
  alignment: ['Custom Alignment', 'custom_alignment'],
  question: ['Question Number (surveys only)', 'question_number', 'Question Number'],
  matrix: ['Matrix Group Name', 'matrix_group_name'],
  ranking: ['Matrix Ranking?', 'matrix_ranking'],
  annotation: ['Field Annotation', 'field_annotation'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED_COLUMNS: Column[] = ['field', 'form', 'type', 'label'];
const normalise = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');
const COLUMN_BY_NAME = new Map<string, Column>(
  (Object.entries(COLUMNS) as [Column, readonly string[]][]).flatMap(([col, names]) => names.map((n) => [normalise(n), col] as const)),
);

const MAX_ROWS = 5000;
/** A longer cell is refused before any pattern runs over it (labels are at most 2000 characters anyway). */
const MAX_CELL = 10_000;
const MAX_LOGIC = 2000;
const MAX_PARENTHESES = 8;
const MAX_ERRORS = 100;
const HONOURED_TAGS = new Set(['@FORCE-MINMAX', '@NOMISSING']);

// ---------------------------------------------------------------------------------------------------------------
// Text

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML comments removed by scanning (a pattern would rescan from every `<!--`); an unclosed one runs to the end. */
function withoutComments(html: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const start = html.indexOf('<!--', from);
    if (start < 0) return out + html.slice(from);
    out += html.slice(from, start);
    const end = html.indexOf('-->', start + 4);
    if (end < 0) return out;
    from = end + 3;
  }
}

/** Label HTML to plain text (see the decisions above). One pass decodes entities, so `&amp;lt;` stays `&lt;`. */
export function plainText(html: string): string {
  // Every pattern is bounded, so that a hostile cell costs linear time.
  const text = withoutComments(html)
    .replace(/<br\s{0,20}\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr)\s{0,20}>/gi, '\n')
    .replace(/<\/?[a-z][^<>]{0,1000}>/gi, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const cp = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** REDCap piping: [field], [field:label], [event][field], smart variables such as [record-name]. */
const PIPING = /\[[a-z0-9_:\-()]+\]/i;

const readable = (formName: string) => {
  const words = formName.replace(/_+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

// ---------------------------------------------------------------------------------------------------------------
// Branching logic

class Refusal extends Error {
  constructor(
    readonly feature: string,
    message: string,
  ) {
    super(message);
  }
}

type Token = { kind: 'field' | 'op' | 'value' | 'and' | 'or' | '(' | ')'; text: string; value?: number };

function tokenise(logic: string): Token[] {
  if (logic.length > MAX_LOGIC) throw new Refusal('branching_size', `branching logic of more than ${MAX_LOGIC} characters`);
  const tokens: Token[] = [];
  let open = 0;
  let i = 0;
  while (i < logic.length) {
    const rest = logic.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^\[([^\]]*)\]/.exec(rest))) {
      const name = m[1]!;
      if (logic[i + m[0].length] === '[') throw new Refusal('branching_event', `${m[0]}[…] refers to an event: longitudinal logic is not supported`);
      if (/\(.*\)/.test(name)) throw new Refusal('branching_checkbox', `${m[0]} is checkbox syntax: only single-value fields can be compared`);
      if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Refusal('branching_smart_variable', `${m[0]} is not a field name (smart variables and modifiers are not supported)`);
      tokens.push({ kind: 'field', text: name });
      i += m[0].length;
    } else if ((m = /^(<>|!=|>=|<=|=|>|<)/.exec(rest))) {
      tokens.push({ kind: 'op', text: m[1]! });
      i += m[0].length;
    } else if ((m = /^(['"])(.*?)\1/.exec(rest))) {
      const text = m[2]!.trim();
      if (!NUMBER.test(text)) throw new Refusal('branching_text_value', `${m[0]} is not a number: only numeric values can be compared`);
      tokens.push({ kind: 'value', text, value: Number(text) });
      i += m[0].length;
    } else if ((m = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?(?![\w.])/i.exec(rest))) {
      tokens.push({ kind: 'value', text: m[0], value: Number(m[0]) });
      i += m[0].length;
    } else if ((m = /^(and|or)(?![a-z0-9_])/i.exec(rest))) {
      tokens.push({ kind: m[1]!.toLowerCase() as 'and' | 'or', text: m[1]! });
      i += m[0].length;
    } else if ((m = /^([a-z_][a-z0-9_-]*)\s*\(/i.exec(rest))) {
      throw new Refusal('branching_function', `the function ${m[1]}() is not supported`);
    } else if (rest[0] === '(' || rest[0] === ')') {
      open += rest[0] === '(' ? 1 : -1;
      // Bounded here, before the recursive descent, so that no input can exhaust the stack.
      if (open > MAX_PARENTHESES) throw new Refusal('branching_depth', `more than ${MAX_PARENTHESES} nested parentheses`);
      tokens.push({ kind: rest[0], text: rest[0] });
      i += 1;
    } else {
      throw new Refusal('branching_syntax', `cannot read the logic at "${rest.slice(0, 20)}"`);
    }
  }
  return tokens;
}

/** Parses `[item] = 'n'` comparisons joined by and/or with parentheses; `and` binds tighter than `or`. */
export function parseBranching(logic: string): Condition {
  const tokens = tokenise(logic);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (kind: Token['kind'], what: string) => {
    const t = tokens[pos++];
    if (t?.kind !== kind) throw new Refusal('branching_syntax', `expected ${what}${t ? ` at "${t.text}"` : ' at the end'}`);
    return t;
  };
  const group = (kind: 'and' | 'or', term: () => Condition): Condition => {
    const terms = [term()];
    while (peek()?.kind === kind) {
      pos++;
      terms.push(term());
    }
    return terms.length === 1 ? terms[0]! : kind === 'and' ? { and: terms } : { or: terms };
  };
  const primary = (): Condition => {
    if (peek()?.kind === '(') {
      pos++;
      const inner = or();
      expect(')', 'a closing parenthesis');
      return inner;
    }
    const item = expect('field', 'a field such as [name]').text;
    const op = expect('op', 'a comparison (=, <>, >, <)').text;
    const value = expect('value', 'a number').value!;
    if (op === '>=' || op === '<=') return { or: [{ item, op: op[0] as '>' | '<', value }, { item, op: '=', value }] };
    return { item, op: op === '!=' ? '<>' : (op as '=' | '<>' | '>' | '<'), value };
  };
  const and = () => group('and', primary);
  const or = (): Condition => group('or', and);
  const result = or();
  if (pos < tokens.length) throw new Refusal('branching_syntax', `unexpected "${tokens[pos]!.text}"`);
  if (depth(result) > MAX_CONDITION_DEPTH) throw new Refusal('branching_depth', `the logic nests more than ${MAX_CONDITION_DEPTH} levels of and/or`);
  return result;
}

const depth = (c: Condition): number => ('and' in c ? 1 + Math.max(...c.and.map(depth)) : 'or' in c ? 1 + Math.max(...c.or.map(depth)) : 0);

function branchingText(c: Condition, nested = false): string {
  if ('and' in c || 'or' in c) {
    const [terms, word] = 'and' in c ? [c.and, ' and '] : [c.or, ' or '];
    const text = terms.map((t) => branchingText(t, true)).join(word);
    return nested ? `(${text})` : text;
  }
  return c.op === '=' || c.op === '<>' ? `[${c.item}] ${c.op} '${c.value}'` : `[${c.item}] ${c.op} ${c.value}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Import

type Row = { row: number; cell: (col: Column) => string };

/** A decimal number as REDCap writes it (an exponent is accepted too: JavaScript writes 1e-7 so). */
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function parseNumber(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const n = Number(text);
  return Math.abs(n) <= MAX_ABS_NUMBER ? n : null;
}

function yesNo(text: string, col: Column): boolean {
  const t = text.toLowerCase();
  if (t === '' || t === 'n' || t === 'no' || t === '0') return false;
  if (t === 'y' || t === 'yes' || t === '1') return true;
  throw new ColumnRefusal(col, 'yes_no', `"${text}" is neither y nor empty`);
}

class ColumnRefusal extends Refusal {
  constructor(
    readonly column: Column,
    feature: string,
    message: string,
  ) {
    super(feature, message);
  }
}

/** A label, note or header as plain text; piping refused. */
function labelText(r: Row, col: Column): string {
  const text = plainText(r.cell(col));
  if (PIPING.test(text)) throw new ColumnRefusal(col, 'piping', `piping (${PIPING.exec(text)![0]}) is not supported`);
  return text;
}

function choiceOptions(r: Row) {
  const raw = r.cell('choices');
  if (raw === '') throw new ColumnRefusal('choices', 'choices', 'a radio or dropdown field needs choices such as "1, Yes | 0, No"');
  const options = raw.split('|').map((part) => {
    const comma = part.indexOf(',');
    const code = (comma < 0 ? part : part.slice(0, comma)).trim();
    const value = /^-?\d+$/.test(code) ? parseNumber(code) : null;
    if (value === null) throw new ColumnRefusal('choices', 'choice_code', `the choice code "${code}" is not an integer: answers are numbers`);
    const label = plainText(part.slice(comma + 1));
    if (comma < 0 || label === '') throw new ColumnRefusal('choices', 'choices', `the choice ${code} has no label`);
    if (PIPING.test(label)) throw new ColumnRefusal('choices', 'piping', `piping (${PIPING.exec(label)![0]}) is not supported`);
    return { value, label: { da: label, en: label } };
  });
  if (options.length < 2 || options.length > MAX_OPTIONS) throw new ColumnRefusal('choices', 'choices', `a field needs 2 to ${MAX_OPTIONS} choices, not ${options.length}`);
  const values = options.map((o) => o.value);
  if (new Set(values).size !== values.length) throw new ColumnRefusal('choices', 'choices', 'a choice code is given twice');
  return options;
}

function bound(r: Row, col: 'min' | 'max', fallback?: number): number {
  const text = r.cell(col);
  if (text === '' && fallback !== undefined) return fallback;
  if (text === '') throw new ColumnRefusal(col, 'unbounded_number', `a number field needs both Text Validation Min and Max: answers need bounds`);
  const n = parseNumber(text);
  if (n === null) throw new ColumnRefusal(col, 'bound', `"${text}" is not a number within ±${MAX_ABS_NUMBER}`);
  return n;
}

const REFUSED_TYPES: Record<string, string> = {
  calc: 'calculated fields are not supported (scores are computed by Bindeled\'s scoring rule)',
  checkbox: 'checkbox fields (several answers to one question) are not supported',
  file: 'file upload fields are not supported',
  descriptive: 'descriptive text fields are not supported',
  notes: 'notes (free text) fields are not supported',
  sql: 'sql fields are not supported',
};

/** One dictionary row as an item (without showIf, which needs the earlier items). */
function itemFromRow(r: Row): InstrumentItem {
  const type = r.cell('type').toLowerCase();
  if (yesNo(r.cell('identifier'), 'identifier')) throw new ColumnRefusal('identifier', 'identifier', 'a field marked as an identifier is refused: Bindeled measures progression, it does not collect identifying data here');
  if (r.cell('matrix') !== '') throw new ColumnRefusal('matrix', 'matrix', 'matrix groups are not supported');
  if (yesNo(r.cell('ranking'), 'ranking')) throw new ColumnRefusal('ranking', 'matrix', 'matrix ranking is not supported');
  const annotation = r.cell('annotation');
  for (const m of annotation.matchAll(/(?:^|\s)(@[A-Z][A-Z0-9_-]*)/g)) {
    if (!HONOURED_TAGS.has(m[1]!)) throw new ColumnRefusal('annotation', 'action_tag', `the action tag ${m[1]} changes how the field behaves and is not supported`);
  }

  for (const col of ['label', 'choices', 'note', 'section'] as const) {
    if (/<(script|style|iframe|object|embed)\b/i.test(r.cell(col))) throw new ColumnRefusal(col, 'html', 'scripts, styles and embedded objects are refused (other HTML is stripped)');
  }
  const redcap: RedcapField = { fieldType: 'text' };
  let answer: InstrumentItem['answer'];
  const validation = r.cell('validation');
  switch (type) {
    case 'radio':
    case 'dropdown':
      redcap.fieldType = type;
      answer = { kind: 'choice', options: choiceOptions(r) };
      break;
    case 'yesno':
      redcap.fieldType = 'yesno';
      answer = { kind: 'choice', options: [{ value: 1, label: { da: 'Ja', en: 'Yes' } }, { value: 0, label: { da: 'Nej', en: 'No' } }] };
      break;
    case 'slider': {
      redcap.fieldType = 'slider';
      if (validation !== '' && validation.toLowerCase() !== 'number') throw new ColumnRefusal('validation', 'slider_validation', `a slider takes "number" (show the number) or nothing here, not "${validation}"`);
      if (validation !== '') redcap.sliderShowNumber = true;
      const labels = r.cell('choices') === '' ? [] : r.cell('choices').split('|').map((l) => plainText(l));
      if (labels.length > 3) throw new ColumnRefusal('choices', 'slider_labels', 'a slider has at most three labels: left | middle | right');
      if (labels.some((l) => PIPING.test(l))) throw new ColumnRefusal('choices', 'piping', 'piping in a slider label is not supported');
      const [left, middle, right] = labels;
      if (middle) redcap.sliderMiddle = middle;
      answer = {
        kind: 'number',
        min: bound(r, 'min', 0),
        max: bound(r, 'max', 100),
        integer: true,
        ...(left ? { minLabel: { da: left, en: left } } : {}),
        ...(right ? { maxLabel: { da: right, en: right } } : {}),
      };
      break;
    }
    case 'text': {
      const v = validation.toLowerCase();
      const integer = v === 'integer' || v === 'int';
      if (!integer && v !== 'number' && v !== 'float') {
        if (v === '') throw new ColumnRefusal('type', 'free_text', 'a text field without integer or number validation is free text, which is not supported');
        throw new ColumnRefusal('validation', /date|time/.test(v) ? 'date_validation' : 'text_validation', `the validation "${validation}" is not supported (integer or number only)`);
      }
      redcap.validation = integer ? 'integer' : 'number';
      answer = { kind: 'number', min: bound(r, 'min'), max: bound(r, 'max'), integer };
      if (integer && (!Number.isInteger(answer.min) || !Number.isInteger(answer.max))) throw new ColumnRefusal('min', 'bound', 'an integer field needs integer bounds');
      break;
    }
    default:
      throw new ColumnRefusal('type', type === '' ? 'field_type' : type, REFUSED_TYPES[type] ?? `the field type "${r.cell('type')}" is not supported`);
  }
  if (answer.kind === 'number' && answer.min >= answer.max) throw new ColumnRefusal('max', 'bound', 'Text Validation Max must be above Min');

  const label = labelText(r, 'label');
  if (label === '') throw new ColumnRefusal('label', 'label', 'a field needs a label');
  const sectionHeader = labelText(r, 'section');
  const fieldNote = labelText(r, 'note');
  if (sectionHeader) redcap.sectionHeader = sectionHeader;
  if (fieldNote) redcap.fieldNote = fieldNote;
  if (annotation.trim()) redcap.annotation = annotation.trim();
  return { code: r.cell('field'), text: { da: label, en: label }, respondent: 'citizen', required: yesNo(r.cell('required'), 'required'), answer, redcap };
}

/** The column an issue of the definition schema points at, from its path under items.N. */
function columnOf(path: PropertyKey[]): Column {
  const [key, sub] = [path[0], path[1]];
  if (key === 'code') return 'field';
  if (key === 'text') return 'label';
  if (key === 'showIf') return 'branching';
  if (key === 'required') return 'required';
  if (key === 'answer') return sub === 'min' ? 'min' : sub === 'max' ? 'max' : 'choices';
  if (key === 'redcap') return sub === 'sectionHeader' ? 'section' : sub === 'fieldNote' ? 'note' : sub === 'annotation' ? 'annotation' : 'type';
  return 'type';
}

function readCsv(csvText: string, delimiter: string): string[][] | RedcapError {
  try {
    return parse(csvText, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (e) {
    // csv-parse counts the records read before the broken one; the header is record 1.
    const records = (e as { records?: number }).records;
    return { row: (records ?? 0) + 1, column: '', feature: 'csv', message: `not a readable CSV file: ${(e as Error).message}` };
  }
}

/** Reads a REDCap data dictionary into one unscored instrument per form, or every refusal found. */
export function importRedcap(csvText: string, opts: RedcapImportOptions): RedcapImportResult {
  let records = readCsv(csvText, ',');
  const headerKnown = (r: string[][] | RedcapError) => Array.isArray(r) && (r[0] ?? []).some((h) => COLUMN_BY_NAME.get(normalise(h)) === 'form');
  // A dictionary saved by a spreadsheet set to Danish is separated by semicolons.
  if (!headerKnown(records) && /^[^\n]*;/.test(csvText)) {
    const semi = readCsv(csvText, ';');
    if (headerKnown(semi)) records = semi;
  }
  if (!Array.isArray(records)) return { ok: false, errors: [records] };
  const header = records[0] ?? [];
  const errors: RedcapError[] = [];
  const refuse = (row: number, column: string, feature: string, message: string) => {
    // The same problem once (e.g. a label too long in both languages, which are the same REDCap text).
    if (errors.length >= MAX_ERRORS || errors.some((e) => e.row === row && e.column === column && e.message === message)) return;
    errors.push({ row, column, feature, message });
  };

  const index = new Map<Column, number>();
  header.forEach((h, i) => {
    const col = COLUMN_BY_NAME.get(normalise(h));
    if (!col) refuse(1, h, 'unknown_column', `"${h}" is not a column of a REDCap data dictionary`);
    else if (index.has(col)) refuse(1, h, 'duplicate_column', `"${h}" appears twice`);
    else index.set(col, i);
  });
  for (const col of REQUIRED_COLUMNS) if (!index.has(col)) refuse(1, COLUMNS[col][0], 'missing_column', `the column "${COLUMNS[col][0]}" is missing`);
  if (records.length - 1 > MAX_ROWS) refuse(records.length, '', 'size', `at most ${MAX_ROWS} rows`);
  if (errors.length) return { ok: false, errors };
  const name = (col: Column) => (index.has(col) ? header[index.get(col)!]! : COLUMNS[col][0]);

  type Built = { item: InstrumentItem; row: number; branching: string };
  const forms = new Map<string, Built[]>();
  const fieldRows = new Map<string, number>();
  let first = true;
  records.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => c.trim() === '')) return;
    const isFirst = first;
    first = false;
    if (cells.length !== header.length) return refuse(row, '', 'csv', `the row has ${cells.length} cells, the header ${header.length}`);
    const long = cells.findIndex((c) => c.length > MAX_CELL);
    if (long >= 0) return refuse(row, header[long]!, 'size', `a cell of more than ${MAX_CELL} characters`);
    const r: Row = { row, cell: (col) => (index.has(col) ? (cells[index.get(col)!] ?? '').trim() : '') };
    // The record id field: REDCap's first field, a text field without validation, not required.
    if (isFirst && r.cell('type').toLowerCase() === 'text' && r.cell('validation') === '' && !/^y/i.test(r.cell('required'))) return;

    const field = r.cell('field');
    const form = r.cell('form');
    if (!CODE_PATTERN.test(field)) return refuse(row, name('field'), 'field_name', `"${field}" is not a field name Bindeled accepts (a–z first, then a–z, 0–9, _; at most 64 characters)`);
    if (!CODE_PATTERN.test(form)) return refuse(row, name('form'), 'form_name', `"${form}" is not a form name Bindeled accepts (a–z first, then a–z, 0–9, _; at most 64 characters)`);
    if (fieldRows.has(field)) return refuse(row, name('field'), 'field_name', `${field} is also the field of row ${fieldRows.get(field)}`);
    fieldRows.set(field, row);
    try {
      const item = itemFromRow(r);
      const list = forms.get(form) ?? [];
      if (list.length === 0) forms.set(form, list);
      list.push({ item, row, branching: r.cell('branching') });
    } catch (e) {
      if (!(e instanceof ColumnRefusal)) throw e;
      refuse(row, name(e.column), e.feature, e.message);
    }
  });

  const instruments: InstrumentDefinition[] = [];
  for (const [form, built] of forms) {
    const earlier = new Set<string>();
    for (const b of built) {
      if (b.branching) {
        try {
          const showIf = parseBranching(b.branching);
          const foreign = refsOf(showIf).find((ref) => !earlier.has(ref));
          if (foreign) throw new Refusal('branching_reference', `[${foreign}] is not an earlier field of the form ${form}: branching may refer to earlier fields of the same form only`);
          b.item.showIf = showIf;
        } catch (e) {
          if (!(e instanceof Refusal)) throw e;
          refuse(b.row, name('branching'), e.feature, e.message);
        }
      }
      earlier.add(b.item.code);
    }
    if (built.length > MAX_ITEMS) {
      refuse(built[MAX_ITEMS]!.row, name('form'), 'size', `a form may have at most ${MAX_ITEMS} fields`);
      continue;
    }
    const parsed = InstrumentDefinition.safeParse({
      code: form,
      title: { da: readable(form), en: readable(form) },
      licence: opts.licence,
      dataCategories: opts.dataCategories,
      healthData: opts.healthData,
      items: built.map((b) => b.item),
      scoring: null,
      alerts: [],
    });
    if (parsed.success) instruments.push(parsed.data);
    else {
      for (const issue of parsed.error.issues) {
        const [top, n, ...rest] = issue.path;
        const b = top === 'items' && typeof n === 'number' ? built[n] : undefined;
        // Issues outside the items concern the import's own options (licence, data categories).
        if (b) refuse(b.row, name(columnOf(rest)), 'invalid', issue.message);
        else refuse(built[0]!.row, name('form'), 'invalid', `${issue.path.join('.')}: ${issue.message}`);
      }
    }
  }
  if (errors.length) return { ok: false, errors };
  if (instruments.length === 0) return { ok: false, errors: [{ row: 1, column: '', feature: 'empty', message: 'the dictionary has no fields besides the record id' }] };
  return { ok: true, instruments };
}

const refsOf = (c: Condition): string[] => ('and' in c ? c.and.flatMap(refsOf) : 'or' in c ? c.or.flatMap(refsOf) : [c.item]);

// ---------------------------------------------------------------------------------------------------------------
// Export

/** A REDCap data dictionary's columns in REDCap's order, by their names in REDCap's own export. */
export const REDCAP_DICTIONARY_HEADER: readonly string[] = Object.values(COLUMNS).map((names) => names[0]);
const HEADER = [...REDCAP_DICTIONARY_HEADER];

function fieldType(item: InstrumentItem): RedcapField['fieldType'] {
  if (item.redcap) return item.redcap.fieldType;
  if (item.answer.kind === 'choice') return 'radio';
  // A labelled integer scale keeps its labels as a slider; other numbers are validated text.
  return item.answer.integer && (item.answer.minLabel || item.answer.maxLabel) ? 'slider' : 'text';
}

/**
 * The instruments as one REDCap data dictionary, texts in one language. Throws when two instruments share a
 * field name (REDCap field names are unique in a project). Scoring, alerts, respondents and reverse scoring have
 * no place in a dictionary and are left out.
 */
export function exportRedcap(defs: InstrumentDefinition[], lang: 'da' | 'en' = 'da'): string {
  const codes = new Set(defs.flatMap((d) => d.items.map((i) => i.code)));
  if (codes.size !== defs.reduce((n, d) => n + d.items.length, 0)) throw new Error('two of the instruments share an item code; REDCap needs unique field names');
  let recordId = 'record_id';
  for (let n = 1; codes.has(recordId); n++) recordId = `record_id_${n}`;
  const rows: string[][] = [HEADER];
  const row = (cells: Partial<Record<Column, string>>) => rows.push((Object.keys(COLUMNS) as Column[]).map((c) => cells[c] ?? ''));
  if (defs[0]) row({ field: recordId, form: defs[0].code, type: 'text', label: 'Record ID' });
  for (const def of defs) {
    for (const item of def.items) {
      const type = fieldType(item);
      const a = item.answer;
      const cells: Partial<Record<Column, string>> = {
        field: item.code,
        form: def.code,
        section: escapeHtml(item.redcap?.sectionHeader ?? ''),
        type,
        label: escapeHtml(item.text[lang]),
        note: escapeHtml(item.redcap?.fieldNote ?? ''),
        branching: item.showIf ? branchingText(item.showIf) : '',
        required: item.required ? 'y' : '',
        annotation: item.redcap?.annotation ?? '',
      };
      if (a.kind === 'choice' && type !== 'yesno') cells.choices = a.options.map((o) => `${o.value}, ${escapeHtml(o.label[lang])}`).join(' | ');
      if (a.kind === 'number' && type === 'slider') {
        const labels = [a.minLabel?.[lang] ?? '', item.redcap?.sliderMiddle ?? '', a.maxLabel?.[lang] ?? ''];
        cells.choices = labels.some((l) => l) ? labels.map(escapeHtml).join(' | ') : '';
        cells.validation = item.redcap?.sliderShowNumber ? 'number' : '';
        if (a.min !== 0 || a.max !== 100) [cells.min, cells.max] = [String(a.min), String(a.max)];
      }
      if (a.kind === 'number' && type === 'text') {
        cells.validation = a.integer ? 'integer' : 'number';
        [cells.min, cells.max] = [String(a.min), String(a.max)];
      }
      row(cells);
    }
  }
  return stringify(rows, { record_delimiter: 'unix' });
}

/** Bindeled's own JSON form of a definition (what POST /api/instruments takes). */
export function exportJson(def: InstrumentDefinition): string {
  return `${JSON.stringify(def, null, 2)}\n`;
}
