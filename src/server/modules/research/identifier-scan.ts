// The identifier scan of a research export before release: every cell of every data file is checked for CPR
// numbers, e-mail addresses and phone numbers by pattern, and for the names and contact details of the export's
// own citizens (read from the citizens table). A hit names the kind, the file and the variable — never the value.
// The scanner is a plain object over cells and rows, tested on its own; the export runs it over the written files.

export type HitKind = 'cpr' | 'email' | 'phone' | 'name' | 'contact';
export interface IdentifierHit {
  kind: HitKind;
  file: string;
  variable: string;
  /** The data row (1 = the first after the header). */
  row: number;
}

/** ddmmyy-nnnn or ddmmyynnnn with a plausible day and month, not inside a longer number. */
const CPR = /(?<![\d])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[- ]?\d{4}(?!\d)/;
const EMAIL = /[^\s@,;<>"]+@[^\s@,;<>"]+\.[a-z]{2,}/i;
/** Eight digits (optionally +45/0045 and spaces between pairs or fours), not part of a date or a longer number. */
const PHONE = /(?<![\d-])(?:(?:\+|00)45 ?)?\d{2} ?\d{2} ?\d{2} ?\d{2}(?![\d-])/;

export interface KnownIdentifiers {
  /** First and last names (and each part of them), lower case. */
  names: Set<string>;
  /** E-mail addresses, phone numbers (last eight digits) and addresses, normalised. */
  contacts: Set<string>;
}

export const emptyKnown = (): KnownIdentifiers => ({ names: new Set(), contacts: new Set() });

const normalise = (v: string) => v.trim().toLowerCase().replace(/\s+/g, ' ');
const phoneDigits = (v: string) => v.replace(/\D/g, '').slice(-8);

/** Adds one citizen's names and contact details to what the scan looks for. */
export function addCitizen(known: KnownIdentifiers, c: { first_name: string; last_name: string; email: string | null; phone: string | null; address: string | null }): void {
  for (const part of `${c.first_name} ${c.last_name}`.split(/[^\p{L}'’]+/u)) if (part.length >= 2) known.names.add(part.toLowerCase());
  if (c.email) known.contacts.add(normalise(c.email));
  if (c.phone && phoneDigits(c.phone).length === 8) known.contacts.add(phoneDigits(c.phone));
  if (c.address) known.contacts.add(normalise(c.address));
}

/** What a cell holds that identifies a person, or null. */
export function scanCell(value: string, known: KnownIdentifiers): HitKind | null {
  if (value === '') return null;
  if (CPR.test(value)) return 'cpr';
  if (EMAIL.test(value)) return 'email';
  if (PHONE.test(value)) return 'phone';
  const whole = normalise(value);
  if (known.contacts.has(whole) || (/\d/.test(value) && known.contacts.has(phoneDigits(value)))) return 'contact';
  for (const word of value.split(/[^\p{L}'’]+/u)) if (word.length >= 2 && known.names.has(word.toLowerCase())) return 'name';
  return null;
}

/** Columns the export makes itself from the study key (their letter runs could look like short names: skipped). */
export const GENERATED_COLUMNS: ReadonlySet<string> = new Set(['pseudonym', 'record_id']);

/** Scans rows of one file (the header names the variables); the first hit, or null. */
export function scanRows(file: string, header: string[], rows: Iterable<string[]>, known: KnownIdentifiers, firstRow = 1, variableOf: (column: string) => { file: string; variable: string } = (c) => ({ file, variable: c })): IdentifierHit | null {
  let n = firstRow;
  for (const row of rows) {
    for (let i = 0; i < row.length; i += 1) {
      if (GENERATED_COLUMNS.has(header[i] ?? '')) continue;
      const kind = scanCell(row[i] ?? '', known);
      if (kind) return { kind, ...variableOf(header[i] ?? `column ${i + 1}`), row: n };
    }
    n += 1;
  }
  return null;
}

/**
 * How many distinct cell values one scan remembers the verdict of. An export's cells repeat (codes, dates, small
 * numbers): a remembered value costs one lookup instead of the patterns and the name split. When full the memo
 * starts over (bounded memory, the same verdicts).
 */
export const MEMO_CELLS = 100_000;

/** The scan of one export, cell by cell as the files are written: `scanCell` with a bounded memo of verdicts. */
export class CellScanner {
  private readonly verdicts = new Map<string, HitKind | null>();
  constructor(
    private readonly known: KnownIdentifiers,
    private readonly bound = MEMO_CELLS,
  ) {}

  scan(value: string): HitKind | null {
    if (value === '') return null;
    let kind = this.verdicts.get(value);
    if (kind === undefined) {
      if (this.verdicts.size >= this.bound) this.verdicts.clear();
      kind = scanCell(value, this.known);
      this.verdicts.set(value, kind);
    }
    return kind;
  }
}
