// Request inputs for the fuzz suite, derived from the OpenAPI document's JSON schemas: values that fit the
// schema (random, plus boundaries the schema allows) and hostile values of every kind (wrong types, huge
// and negative numbers, impossible dates, long, non-Latin and control-character strings, bad ids and cursors).
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

/**
 * Values seen so far, to aim requests at records that exist: ids per table (from the database) and values
 * per property name (harvested from earlier responses: ids, codes, versions, usernames, cursors).
 */
export class Pools {
  readonly byTable = new Map<string, string[]>();
  readonly byName = new Map<string, unknown[]>();
  readonly allIds: string[] = [];

  addId(table: string, id: string): void {
    push(this.byTable, table, id, 200);
    if (!this.allIds.includes(id) && this.allIds.length < 2000) this.allIds.push(id);
  }

  addValue(name: string, value: unknown): void {
    push(this.byName, name, value, 60);
  }

  /** Walks a response body and keeps its short strings, numbers and cursors under their property names. */
  harvest(body: unknown, name = ''): void {
    if (Array.isArray(body)) {
      for (const x of body.slice(0, 50)) this.harvest(x, name);
    } else if (body && typeof body === 'object') {
      for (const [k, v] of Object.entries(body)) this.harvest(v, k);
    } else if (name && (typeof body === 'number' || (typeof body === 'string' && body.length <= 200))) {
      this.addValue(name, body);
      if (typeof body === 'string' && UUID.test(body) && !this.allIds.includes(body) && this.allIds.length < 2000) this.allIds.push(body);
    }
  }

  /** Ids that fit a property or path parameter: `citizenId` and `/citizens/{id}` both look in `citizens`. */
  idsFor(name: string, segment?: string): string[] {
    const out: string[] = [];
    const tables = [segment, ...tableGuesses(name)].filter((t): t is string => !!t).map((t) => t.replaceAll('-', '_'));
    for (const t of tables) out.push(...(this.byTable.get(t) ?? []));
    if (out.length > 0) return out;
    // No table by that name (e.g. `consultantId`): ids seen under the same property name, else any id.
    for (const v of this.byName.get(name) ?? []) if (typeof v === 'string' && UUID.test(v)) out.push(v);
    return out.length > 0 ? out : this.allIds;
  }

  valuesFor(name: string): unknown[] {
    const own = this.byName.get(name) ?? [];
    // `benefitCode`, `exitOutcome`: codes harvested under `code` fit as well.
    const codes = /code$|outcome$|source$/i.test(name) && name !== 'code' ? (this.byName.get('code') ?? []) : [];
    return [...own, ...codes, ...(KNOWN[name] ?? [])];
  }
}

/** The i-th element of a non-empty list, counting round. */
export function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

function push<T>(map: Map<string, T[]>, key: string, value: T, cap: number): void {
  const list = map.get(key) ?? [];
  if (!list.includes(value)) {
    if (list.length >= cap) list.splice(list.length >> 1, 1);
    list.push(value);
  }
  map.set(key, list);
}

function tableGuesses(name: string): string[] {
  const base = name.replace(/Ids?$/, '');
  if (base === name) return [];
  const words = base.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
  const last = words[words.length - 1] ?? '';
  const people = ['consultant', 'caseworker', 'liaison', 'user', 'author', 'actor'];
  return [`${base.toLowerCase()}s`, `${last}s`, ...(people.includes(last) ? ['users'] : [])];
}

/** The demo password is only ever sent as a current password or a login password, never as a new one. */
const KNOWN: Record<string, unknown[]> = {
  password: ['demo'],
  currentPassword: ['demo'],
};

/**
 * Strings shaped like what a property of that name holds, so the service's own parsing is reached:
 * CPR-shaped numbers (any day and month, every century digit, with and without separators) for `cpr`
 * and for search text.
 */
const cprShaped = fc
  .tuple(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9999 }), fc.constantFrom('', '-', ' ', ' - '))
  .map(([d, m, y, seq, sep]) => `${pad(d, 2)}${pad(m, 2)}${pad(y, 2)}${sep}${pad(seq, 4)}`);
const SHAPED: Record<string, fc.Arbitrary<string>> = { cpr: cprShaped, q: cprShaped };
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export const HOSTILE_NUMBERS: unknown[] = [
  MAX_SAFE, -MAX_SAFE, MAX_SAFE + 2, 2 ** 31, -(2 ** 31) - 1, 2 ** 63, 1e308, -1e308, -1, 0, -0, 0.5, 1e-7, 1234567890123,
];

export const NANISH_STRINGS = ['NaN', 'Infinity', '-Infinity', '1e309', '0x1F', '  12 ', '12abc', '9007199254740993', '-0', 'null', 'undefined', 'true', ''];

export const HOSTILE_DATES = [
  '0000-01-01', '9999-12-31', '2023-02-29', '2024-02-30', '1900-02-29', '0001-01-01', '1000-01-01', '2100-01-01',
  '+275760-09-13', '-000001-01-01', '2024-13-01', '2024-00-10', '2024-1-1', '20240101', '2024-01-01T00:00:00Z',
  '01-01-2024', '2024-01-01 ', '1969-12-31', '1582-10-10',
];

export const UNICODE_STRINGS = [
  'Ærø Æblegrød æøå ÆØÅ', 'Søren Kierkegård', '漢字のテスト中文测试', '한국어 텍스트',
  'مرحبا بالعالم', 'שלום עולם', '👩‍👩‍👧‍👦🏳️‍🌈🇩🇰', 'e\u0301\u0301\u0301 combining', 'zero\u200bwidth\u200dj',
  'A\uFEFFbom', '\uFFFF\uFFFE', '\uD800 lone high', 'lone low \uDC00',
];

export const CONTROL_STRINGS = [
  'nul\u0000byte', '\u0000', 'esc\u001b[31mred\u001b[0m', 'rtl\u202Eoverride', 'bell\u0007', 'back\bspace',
  'del\u007f', 'c1\u0085\u009b', 'line\u2028sep\u2029', 'cr\rlf\n', 'tab\tvt\u000b', '\u0001\u0002\u0003\u0004',
];

export const INJECTION_STRINGS = [
  "' or 1=1 --", '"; drop table citizens; --', '../../../etc/passwd', '%00', '%2e%2e%2f', '${jndi:ldap://x}',
  '{{7*7}}', '<script>alert(1)</script>', '\\u0000', '__proto__', 'constructor', '$where', '{"$gt":""}',
];

export const BAD_IDS = [
  'not-a-uuid', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-0000-0000-00000000000', '00000000000000000000000000000000', 'zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz',
  '123', '-1', '0', '1e10', '{00000000-0000-0000-0000-000000000000}',
];

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
export const BAD_CURSORS = [
  '', '!!!', '====', 'null', '-1', '0', '999999999999999', '9999999999999999999999', 'eyJ', b64('x'), b64({}), b64([]),
  b64([null, null]), b64(['x', 'not-a-uuid']), b64([1e308, '00000000-0000-0000-0000-000000000000']),
  b64(['0000-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000']), b64(['\u0000', '\u0000']),
  b64({ __proto__: null, id: 1 }), b64('a'.repeat(400)), b64(['+275760-09-13T00:00:00.000Z', 'x']),
];

const longStrings = fc.constantFrom('a'.repeat(10_001), 'æ'.repeat(5_000), '😀'.repeat(3_000), 'x'.repeat(1_001), '9'.repeat(400));
/** Rarely: a body over the 256 KiB limit. */
const hugeString = fc.constant('Z'.repeat(300 * 1024));

/** Random text of every script, including controls and lone surrogates. */
const anyText = fc.string({ unit: 'binary', maxLength: 40 });

/**
 * A hostile value regardless of the field's schema: a wrong type, a boundary number, a NaN-ish string,
 * an impossible date, a long, non-Latin or control-character string, a bad id or cursor.
 */
export function hostileValue(pools: Pools): fc.Arbitrary<unknown> {
  const mutatedCursor = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('truncate', 'flip', 'append')).map(([i, j, how]) => {
    const cursors = (pools.byName.get('nextCursor') ?? []).filter((c): c is string => typeof c === 'string');
    if (cursors.length === 0) return pick(BAD_CURSORS, i);
    const c = pick(cursors, i);
    if (how === 'truncate') return c.slice(0, j % Math.max(1, c.length));
    if (how === 'append') return `${c}A`;
    const k = j % c.length;
    return c.slice(0, k) + (c[k] === 'A' ? 'B' : 'A') + c.slice(k + 1);
  });
  const oddId = fc.tuple(fc.nat(), fc.constantFrom('upper', 'space', 'nodash', 'braces')).map(([i, how]) => {
    const ids = pools.allIds;
    if (ids.length === 0) return pick(BAD_IDS, i);
    const id = pick(ids, i);
    return how === 'upper' ? id.toUpperCase() : how === 'space' ? ` ${id} ` : how === 'nodash' ? id.replaceAll('-', '') : `{${id}}`;
  });
  return fc.oneof(
    { arbitrary: fc.constantFrom<unknown>(null, true, false, 0, 1, '', 'x', [], {}, [1, 2], { a: 1 }, [null], ['x']), weight: 30 },
    { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 30 },
    { arbitrary: fc.oneof(fc.integer(), fc.double()), weight: 10 },
    { arbitrary: fc.constantFrom(...NANISH_STRINGS), weight: 20 },
    { arbitrary: fc.constantFrom(...HOSTILE_DATES), weight: 30 },
    { arbitrary: longStrings, weight: 20 },
    { arbitrary: hugeString, weight: 1 },
    { arbitrary: fc.constantFrom(...UNICODE_STRINGS), weight: 20 },
    { arbitrary: fc.constantFrom(...CONTROL_STRINGS), weight: 30 },
    { arbitrary: fc.constantFrom(...INJECTION_STRINGS), weight: 10 },
    { arbitrary: anyText, weight: 20 },
    { arbitrary: fc.constantFrom(...BAD_IDS), weight: 20 },
    { arbitrary: fc.uuid(), weight: 20 },
    { arbitrary: oddId, weight: 10 },
    { arbitrary: fc.constantFrom(...BAD_CURSORS), weight: 20 },
    { arbitrary: mutatedCursor, weight: 20 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 10 },
  );
}

const DAY_MS = 86_400_000;
const isoDay = fc.integer({ min: Date.UTC(1900, 0, 1) / DAY_MS, max: Date.UTC(2100, 11, 31) / DAY_MS }).map((d) => new Date(d * DAY_MS).toISOString().slice(0, 10));
const nearDay = fc.integer({ min: -800, max: 800 }).map((d) => new Date(Date.now() + d * DAY_MS).toISOString().slice(0, 10));

function fromPool(values: () => unknown[], fallback: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(fc.nat(), fallback).map(([i, f]) => {
    const v = values();
    return v.length > 0 ? pick(v, i) : f;
  });
}

function fitsString(s: JsonSchema) {
  return (v: string) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity);
}

/**
 * A value the schema accepts: random, from the pools (ids and codes that exist), or at the schema's own
 * boundaries (which the schema allows, so the server must handle them).
 */
export function validValue(schema: JsonSchema | boolean | undefined, pools: Pools, name = '', segment?: string): fc.Arbitrary<unknown> {
  if (schema === undefined || schema === true || (typeof schema === 'object' && Object.keys(schema).length === 0)) {
    return fc.jsonValue({ maxDepth: 1 });
  }
  if (schema === false) return fc.constant(undefined);
  const s = schema;
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    return fc.oneof(...alternatives.map((a) => ({ arbitrary: validValue(a, pools, name, segment), weight: a.type === 'null' ? 1 : 4 })));
  }
  if (s.allOf && s.allOf.length > 0) return validValue(Object.assign({}, ...s.allOf) as JsonSchema, pools, name, segment);
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((t) => validValue({ ...s, type: t }, pools, name, segment)));
  switch (s.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const int = s.type === 'integer';
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (int ? 1 : 1e-9) : -MAX_SAFE);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (int ? 1 : 1e-9) : MAX_SAFE);
      // Mostly small values, inside the schema's range whatever it is.
      const clamp = (v: number) => Math.min(max, Math.max(min, v));
      const lo = clamp(-1000);
      const hi = clamp(1000);
      const small = int ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true });
      const pooled = fromPool(() => pools.valuesFor(name).filter((v) => typeof v === 'number' && v >= min && v <= max), small);
      return fc.oneof(
        { arbitrary: small, weight: 3 },
        { arbitrary: pooled, weight: 3 },
        { arbitrary: fc.constantFrom(min, max), weight: 1 },
        { arbitrary: int ? fc.integer({ min: Math.max(min, -MAX_SAFE), max: Math.min(max, MAX_SAFE) }) : fc.double({ min, max, noNaN: true }), weight: 1 },
      );
    }
    case 'array': {
      const maxLength = Math.min(s.maxItems ?? 5, 5);
      const minLength = Math.min(s.minItems ?? 0, maxLength);
      return fc.array(validValue(s.items, pools, name.replace(/s$/, ''), segment), { minLength, maxLength });
    }
    case 'object':
      return validObject(s, pools);
    case 'string':
      return validString(s, pools, name, segment);
    default:
      return s.properties ? validObject(s, pools) : fc.jsonValue({ maxDepth: 1 });
  }
}

function validObject(s: JsonSchema, pools: Pools): fc.Arbitrary<unknown> {
  const props = s.properties ?? {};
  const keys = Object.keys(props);
  if (keys.length === 0) {
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), validValue(s.additionalProperties, pools), { maxKeys: 3 });
    }
    return fc.constant({});
  }
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const k of keys) model[k] = validValue(props[k], pools, k);
  return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => keys.includes(k)) });
}

function validString(s: JsonSchema, pools: Pools, name: string, segment?: string): fc.Arbitrary<unknown> {
  const fits = fitsString(s);
  const pooled = fromPool(() => pools.valuesFor(name).filter((v) => typeof v === 'string' && fits(v) && matches(s.pattern, v)), fc.constant(undefined));
  let own: fc.Arbitrary<unknown>;
  if (s.format === 'uuid') {
    own = fc.oneof(
      { arbitrary: fromPool(() => pools.idsFor(name, segment), fc.uuid()), weight: 6 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'), weight: 1 },
    );
    return own;
  }
  if (s.format === 'date') {
    own = fc.oneof(
      { arbitrary: nearDay, weight: 4 },
      { arbitrary: isoDay, weight: 2 },
      // Allowed by the schema, so the server must answer them without failing.
      { arbitrary: fc.constantFrom('0000-01-01', '9999-12-31', '2024-02-29', '0001-01-01', '1000-02-29'), weight: 1 },
    );
  } else if (s.format === 'email') {
    own = fc.emailAddress().filter((e) => e.length <= (s.maxLength ?? 200));
  } else if (s.format === 'date-time') {
    own = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString());
  } else if (s.pattern) {
    own = fc.stringMatching(new RegExp(s.pattern)).filter(fits);
  } else {
    const maxLength = Math.min(s.maxLength ?? 60, 60);
    const minLength = Math.min(s.minLength ?? 0, maxLength);
    // The longest strings allowed, in letters outside ASCII and with an emoji at the end.
    const atMax = s.maxLength !== undefined && s.maxLength <= 100_000 ? ['ø'.repeat(s.maxLength), `${'x'.repeat(Math.max(0, s.maxLength - 2))}😀`].filter(fits) : [];
    own = fc.oneof(
      { arbitrary: fc.string({ minLength, maxLength }), weight: 3 },
      { arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength }), weight: 2 },
      { arbitrary: fc.constantFrom(...UNICODE_STRINGS.filter(fits), ...(fits('x') ? ['x'] : ['x'.repeat(minLength)])), weight: 2 },
      // The schema allows any character: control characters and lone surrogates too.
      { arbitrary: fc.constantFrom(...CONTROL_STRINGS.filter(fits), ...(fits('x') ? ['x'] : ['x'.repeat(minLength)])), weight: 2 },
      { arbitrary: fc.string({ unit: 'binary', minLength, maxLength }), weight: 1 },
      ...(atMax.length > 0 ? [{ arbitrary: fc.constantFrom(...atMax), weight: 1 }] : []),
    );
  }
  const shaped = SHAPED[name];
  if (shaped) own = fc.oneof(own, shaped.filter(fits));
  return fc.tuple(pooled, own, fc.integer({ min: 0, max: 2 })).map(([p, o, coin]) => (p !== undefined && coin > 0 ? p : o));
}

function matches(pattern: string | undefined, v: string): boolean {
  if (!pattern) return true;
  try {
    return new RegExp(pattern).test(v);
  } catch {
    return false;
  }
}
