// Names and CPR numbers of others in the package's free text (docs/decisions/0041). Rows are selected by the citizen's
// own id, but what staff wrote in them (notes, remarks, conversation summaries, the personal data of a withheld
// document) can name someone else: another citizen of the organisation, by full name, or a CPR number that is not the
// citizen's own. Each hit is flagged in the redaction step; the caseworker redacts it or confirms it may stay, and the
// case cannot be released while one is open. A redaction is applied when the package is made.
import { createHash } from 'node:crypto';
import { maskCprLike } from '../../platform/masking.ts';

export type TextHitKind = 'name' | 'cpr';
export type TextHitResolution = 'redact' | 'keep';

/** One hit as the case keeps it: where, what kind, an excerpt (CPR numbers masked), and the caseworker's choice. */
export interface TextHit {
  /** Stable over remaking the package: section, row, column, kind and the match itself, hashed. */
  key: string;
  section: string;
  title: string;
  rowId: string;
  column: string;
  kind: TextHitKind;
  excerpt: string;
  resolution: TextHitResolution | null;
}

/** A place holding free text in the package. */
export interface TextField {
  section: string;
  title: string;
  rowId: string;
  column: string;
  text: string;
}

/** What identifies the citizen: their own names, and a test of a CPR number against their own (keyed hash). */
export interface Scanner {
  otherNames: string[];
  ownName: string;
  isOwnCpr: (digits: string) => boolean;
}

const CPR_LIKE = /(?<![0-9])([0-9]{2})([0-9]{2})([0-9]{2})[ \u2010-\u2015-]?([0-9]{4})(?![0-9])/g;
const WORD = /\p{L}[\p{L}'’-]*/gu;
const normalise = (s: string) => s.toLocaleLowerCase('da').replace(/\s+/g, ' ').trim();

/** A day and month a CPR number may hold (replacement numbers add 60 to the day). */
function plausibleCpr(dd: number, mm: number): boolean {
  return mm >= 1 && mm <= 12 && ((dd >= 1 && dd <= 31) || (dd >= 61 && dd <= 91));
}

const keyOf = (f: TextField, kind: TextHitKind, match: string) =>
  createHash('sha256').update([f.section, f.rowId, f.column, kind, normalise(match)].join('\u0000')).digest('hex').slice(0, 24);

function excerpt(text: string, start: number, end: number): string {
  const from = Math.max(0, start - 40);
  const to = Math.min(text.length, end + 40);
  return maskCprLike(`${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`.replace(/\s+/g, ' '));
}

export interface Found {
  hit: Omit<TextHit, 'resolution'>;
  /** The text as it stands in the field, for the redaction. */
  match: string;
}

/** The hits in one field: full names of other citizens (whole words, any case) and CPR numbers not the citizen's own. */
export function scanField(f: TextField, scanner: Scanner, names: Map<string, number>, maxWords: number): Found[] {
  const found = new Map<string, Found>();
  const add = (kind: TextHitKind, start: number, end: number) => {
    const match = f.text.slice(start, end);
    const key = keyOf(f, kind, match);
    if (!found.has(key)) found.set(key, { hit: { key, section: f.section, title: f.title, rowId: f.rowId, column: f.column, kind, excerpt: excerpt(f.text, start, end) }, match });
  };
  for (const m of f.text.matchAll(CPR_LIKE)) {
    if (!plausibleCpr(Number(m[1]), Number(m[2]))) continue;
    const digits = `${m[1]}${m[2]}${m[3]}${m[4]}`;
    if (scanner.isOwnCpr(digits)) continue;
    add('cpr', m.index, m.index + m[0].length);
  }
  if (names.size > 0) {
    const words = [...f.text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, word: normalise(m[0]) }));
    const own = normalise(scanner.ownName);
    for (let i = 0; i < words.length; i += 1) {
      let joined = words[i]!.word;
      for (let n = 2; n <= maxWords && i + n - 1 < words.length; n += 1) {
        const next = words[i + n - 1]!;
        // Only words separated by white space make a name.
        if (!/^\s+$/.test(f.text.slice(words[i + n - 2]!.end, next.start))) break;
        joined = `${joined} ${next.word}`;
        if (joined !== own && names.has(joined)) add('name', words[i]!.start, next.end);
      }
    }
  }
  return [...found.values()];
}

/** Every hit in the fields, each with its earlier resolution (by key) when the package was made before. */
export function scanFields(fields: TextField[], scanner: Scanner, earlier: TextHit[]): { hits: TextHit[]; found: Found[] } {
  const names = new Map<string, number>();
  let maxWords = 2;
  for (const n of scanner.otherNames) {
    const key = normalise(n);
    const count = key.split(' ').length;
    if (count < 2) continue;
    names.set(key, count);
    maxWords = Math.max(maxWords, Math.min(count, 6));
  }
  const before = new Map(earlier.map((h) => [h.key, h.resolution]));
  const found = fields.flatMap((f) => scanField(f, scanner, names, maxWords));
  return { found, hits: found.map((f) => ({ ...f.hit, resolution: before.get(f.hit.key) ?? null })) };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The field's text with the match replaced (every occurrence, any case). */
export function redactIn(text: string, match: string, replacement: string): string {
  return text.replace(new RegExp(escapeRegExp(match).replace(/\s+/g, '\\s+'), 'giu'), replacement);
}
