// The fuzz suite's view of the OpenAPI document: its operations, requests built for them, and the check of
// an answer against the documented response schemas.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { hostileValue, INJECTION_STRINGS, pick, validValue, type JsonSchema, type Pools } from './inputs.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

interface OpenApiParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}
interface OpenApiResponse {
  content?: Record<string, { schema?: JsonSchema }>;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, OpenApiResponse>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface Operation {
  /** e.g. `PATCH /api/citizens/{id}` */
  name: string;
  method: string;
  path: string;
  pathParams: OpenApiParameter[];
  queryParams: OpenApiParameter[];
  body?: JsonSchema;
  bodyRequired: boolean;
  responses: Record<string, OpenApiResponse>;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const params = op.parameters ?? [];
      ops.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema,
        bodyRequired: !!op.requestBody?.required,
        responses: op.responses ?? {},
      });
    }
  }
  return ops;
}

/** One request as generated: values before serialisation, so the log check knows what was sent. */
export interface FuzzRequest {
  persona: number;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  /** A body sent as this text instead of JSON (malformed JSON, another media type). */
  raw?: { text: string; contentType: string };
  mutations: string[];
}

const MUTATIONS = ['path', 'query', 'query-unknown', 'body', 'body', 'body-unknown', 'body-missing', 'body-whole', 'raw'] as const;
type MutationKind = (typeof MUTATIONS)[number];

const UNKNOWN_KEYS = ['extra', 'isAdmin', 'organisationId', '__proto__', 'constructor', 'id', 'version ', 'Version', '', 'a'.repeat(300), 'æøå', '\u0000'];

const RAW_BODIES: { text: string; contentType: string }[] = [
  { text: '{', contentType: 'application/json' },
  { text: '{"a":', contentType: 'application/json' },
  { text: '', contentType: 'application/json' },
  { text: 'null', contentType: 'application/json' },
  { text: '[]', contentType: 'application/json' },
  { text: '"text"', contentType: 'application/json' },
  { text: '12345678', contentType: 'application/json' },
  { text: '{"__proto__":{"polluted":1}}', contentType: 'application/json' },
  { text: '{"constructor":{"prototype":{"polluted":1}}}', contentType: 'application/json' },
  { text: '{"version":1,"version":"twice-sent"}', contentType: 'application/json' },
  { text: '\u0000\u0001\u0002', contentType: 'application/json' },
  { text: '{"note":"\\ud800"}', contentType: 'application/json; charset=latin1' },
  { text: 'plain text body', contentType: 'text/plain' },
  { text: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { text: '<x/>', contentType: 'application/xml' },
];

interface Mutation {
  kind: MutationKind;
  pick: number;
  value: unknown;
  key: string;
}

/**
 * Requests for one operation. `favoured()` names the personas that have had a 2xx from it so far: half the
 * requests go out as one of them, so the services' code behind the access checks is reached as often as
 * the refusals.
 */
export function requestArbitrary(op: Operation, personas: number, pools: Pools, favoured: () => number[] = () => []): fc.Arbitrary<FuzzRequest> {
  const segmentBefore = (name: string) => {
    const parts = op.path.split('/');
    const i = parts.indexOf(`{${name}}`);
    return i > 0 ? parts[i - 1] : undefined;
  };
  const pathModel: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of op.pathParams) pathModel[p.name] = validValue(p.schema, pools, p.name, segmentBefore(p.name));
  const queryModel: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of op.queryParams) queryModel[p.name] = validValue(p.schema, pools, p.name);
  const requiredQuery = op.queryParams.filter((p) => p.required).map((p) => p.name);

  const mutation: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constantFrom(...MUTATIONS),
    pick: fc.nat(),
    value: hostileValue(pools),
    key: fc.oneof(fc.constantFrom(...UNKNOWN_KEYS, ...INJECTION_STRINGS), fc.string({ minLength: 1, maxLength: 12 })),
  });

  return fc
    .record({
      persona: fc.tuple(fc.nat({ max: personas }), fc.nat(), fc.boolean()).map(([any, i, favour]) => {
        const f = favoured();
        return favour && f.length > 0 ? pick(f, i) : any;
      }),
      path: fc.record(pathModel),
      query: fc.record(queryModel, { requiredKeys: requiredQuery }),
      body: op.body ? validValue(op.body, pools) : fc.constant(undefined),
      // Schema-valid requests reach the services; one bad value at a time reaches the deepest checks.
      mutations: fc.oneof(
        { arbitrary: fc.constant<Mutation[]>([]), weight: 3 },
        { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 1 }), weight: 5 },
        { arbitrary: fc.array(mutation, { minLength: 2, maxLength: 3 }), weight: 2 },
      ),
    })
    .map(({ persona, path, query, body, mutations }) => applyMutations(op, { persona, path, query, body, mutations: [] }, mutations));
}

function applyMutations(op: Operation, req: FuzzRequest, mutations: Mutation[]): FuzzRequest {
  const out: FuzzRequest = { ...req, path: { ...req.path }, query: { ...req.query }, body: structuredClone(req.body) };
  for (const original of mutations) {
    // Operations without a request body get no body (a body on them is ignored or refused, and teaches nothing).
    if (!op.body && (original.kind.startsWith('body') || original.kind === 'raw')) continue;
    // Generated constants ({}, [1, 2]) are shared between runs: mutate copies only.
    const m = { ...original, value: structuredClone(original.value) };
    switch (m.kind) {
      case 'path': {
        const keys = Object.keys(out.path);
        if (keys.length === 0) continue;
        const k = pick(keys, m.pick);
        out.path[k] = m.value;
        out.mutations.push(`path.${k}`);
        break;
      }
      case 'query': {
        const keys = op.queryParams.map((p) => p.name);
        if (keys.length === 0) continue;
        const k = pick(keys, m.pick);
        out.query[k] = m.value;
        out.mutations.push(`query.${k}`);
        break;
      }
      case 'query-unknown':
        out.query[m.key] = m.value;
        out.mutations.push('query.<unknown key>');
        break;
      case 'body': {
        const slots = slotsOf(out.body, op.body);
        if (slots.length === 0) {
          out.body = m.value;
          out.mutations.push('body');
          break;
        }
        const slot = pick(slots, m.pick);
        slot.set(m.value);
        out.mutations.push(`body.${slot.path}`);
        break;
      }
      case 'body-unknown': {
        const objects = objectsOf(out.body);
        if (objects.length === 0) continue;
        const o = pick(objects, m.pick);
        Object.defineProperty(o.value, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
        out.mutations.push(`body.${o.path}<unknown key>`);
        break;
      }
      case 'body-missing': {
        const objects = objectsOf(out.body).filter((o) => Object.keys(o.value).length > 0);
        if (objects.length === 0) continue;
        const o = pick(objects, m.pick);
        const keys = Object.keys(o.value);
        const k = pick(keys, m.pick);
        delete o.value[k];
        out.mutations.push(`body.${o.path}${k}<missing>`);
        break;
      }
      case 'body-whole':
        out.body = m.value;
        out.mutations.push('body<whole>');
        break;
      case 'raw':
        out.raw = pick(RAW_BODIES, m.pick);
        out.mutations.push('body<raw>');
        break;
    }
  }
  return out;
}

interface Slot {
  path: string;
  set(v: unknown): void;
}

/** Every place in a body a value can go: present values, and the schema's properties not yet present. */
function slotsOf(body: unknown, schema: JsonSchema | undefined, prefix = ''): Slot[] {
  const slots: Slot[] = [];
  if (Array.isArray(body)) {
    body.forEach((v, i) => {
      slots.push({ path: `${prefix}${i}`, set: (x) => (body[i] = x) });
      slots.push(...slotsOf(v, schema?.items, `${prefix}${i}.`));
    });
  } else if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    const props = propertiesOf(schema);
    for (const k of new Set([...Object.keys(o), ...Object.keys(props)])) {
      slots.push({ path: `${prefix}${k}`, set: (x) => (o[k] = x) });
      if (k in o) slots.push(...slotsOf(o[k], props[k], `${prefix}${k}.`));
    }
  }
  return slots;
}

function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  if (!schema) return {};
  if (schema.properties) return schema.properties;
  for (const alt of schema.anyOf ?? schema.oneOf ?? []) if (alt.properties) return alt.properties;
  return {};
}

function objectsOf(body: unknown, prefix = ''): { path: string; value: Record<string, unknown> }[] {
  const out: { path: string; value: Record<string, unknown> }[] = [];
  if (Array.isArray(body)) body.forEach((v, i) => out.push(...objectsOf(v, `${prefix}${i}.`)));
  else if (body && typeof body === 'object') {
    out.push({ path: prefix, value: body as Record<string, unknown> });
    for (const [k, v] of Object.entries(body)) out.push(...objectsOf(v, `${prefix}${k}.`));
  }
  return out;
}

/** encodeURIComponent, with lone surrogates sent as U+FFFD (they cannot be percent-encoded). */
export function encodeComponent(s: string): string {
  return encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export interface Serialised {
  url: string;
  payload?: string;
  contentType?: string;
}

export function serialise(op: Operation, req: FuzzRequest): Serialised {
  let url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeComponent(asText(req.path[name])));
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(req.query)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) pairs.push(`${encodeComponent(k)}=${encodeComponent(asText(x))}`);
  }
  if (pairs.length > 0) url += `?${pairs.join('&')}`;
  if (req.raw) return { url, payload: req.raw.text, contentType: req.raw.contentType };
  if (req.body === undefined) return { url };
  return { url, payload: JSON.stringify(req.body), contentType: 'application/json' };
}

/** A value the request sent and where: the log check looks for each in every log line. */
export interface SentValue {
  where: string;
  text: string;
}

/**
 * Sent strings of at least 6 characters and numbers of at least 6 digits, as the log check looks for them,
 * each named by where it went (keys the document does not know are named `<unknown key>`).
 */
export function sentValues(op: Operation, req: FuzzRequest): SentValue[] {
  const out: SentValue[] = [];
  const visit = (v: unknown, where: string, schema: JsonSchema | undefined) => {
    if (typeof v === 'string') {
      // A value of the schema's own enum (e.g. a status 'completed') is the API's vocabulary, not something the
      // client typed: finding it in a log line ("request completed") says nothing.
      if (v.trim().length >= 6 && !isSchemaConstant(schema, v)) out.push({ where, text: v });
    } else if (typeof v === 'number') {
      const s = String(v);
      if ((s.match(/\d/g) ?? []).length >= 6) out.push({ where, text: s });
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, `${where}[]`, schema?.items ?? itemsOf(schema)));
    else if (v && typeof v === 'object') {
      const props = propertiesOf(schema);
      for (const [k, x] of Object.entries(v)) visit(x, `${where}.${k in props ? k : '<unknown key>'}`, props[k]);
    }
  };
  for (const [k, v] of Object.entries(req.path)) visit(v, `path.${k}`, undefined);
  const known = new Set(op.queryParams.map((p) => p.name));
  for (const [k, v] of Object.entries(req.query)) visit(v, `query.${known.has(k) ? k : '<unknown key>'}`, undefined);
  if (req.raw) visit(req.raw.text, 'body<raw>', undefined);
  else visit(req.body, 'body', op.body);
  // A value sent twice (an id in the path and in the body) is named by its first place: path, query, body.
  const seen = new Set<string>();
  return out.filter((v) => !seen.has(v.text) && !!seen.add(v.text));
}

function isSchemaConstant(schema: JsonSchema | undefined, value: string): boolean {
  if (!schema) return false;
  if (schema.const === value || schema.enum?.includes(value)) return true;
  return (schema.anyOf ?? schema.oneOf ?? []).some((alt) => isSchemaConstant(alt, value));
}

function itemsOf(schema: JsonSchema | undefined): JsonSchema | undefined {
  for (const alt of schema?.anyOf ?? schema?.oneOf ?? []) if (alt.items) return alt.items;
  return undefined;
}

/** Does a log line hold the value, raw, JSON-escaped, URL-encoded or trimmed (long values by their start)? */
export function lineHolds(line: string, value: SentValue): boolean {
  const s = value.text;
  const forms = new Set<string>();
  for (const base of [s, s.trim(), s.length > 64 ? s.slice(0, 64) : s]) {
    if (base.trim().length < 6) continue;
    forms.add(base);
    forms.add(JSON.stringify(base).slice(1, -1));
    forms.add(encodeComponent(base));
  }
  for (const f of forms) {
    if (/^-?[\d.e+]+$/.test(f)) {
      const escaped = f.replace(/[.+]/g, '\\$&');
      if (new RegExp(`(?<![\\d.])${escaped}(?![\\d])`).test(line)) return true;
    } else if (line.includes(f)) return true;
  }
  return false;
}

const STANDARD_ERRORS = new Set([400, 401, 403, 404, 409, 413, 415]);
const ERROR_SHAPE: JsonSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
};

/** Checks answers against the document: documented statuses by their schema, standard errors by the error shape. */
export class ResponseChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  private validator(key: string, schema: JsonSchema): ValidateFunction {
    let v = this.cache.get(key);
    if (!v) {
      v = this.ajv.compile(schema as object);
      this.cache.set(key, v);
    }
    return v;
  }

  /** A problem's short description, or null when the answer fits the document. */
  check(op: Operation, status: number, contentType: string | undefined, body: string): string | null {
    const documented = op.responses[String(status)];
    let schema: JsonSchema | undefined;
    let key: string;
    if (documented) {
      schema = documented.content?.['application/json']?.schema;
      key = `${op.name} ${status}`;
      if (!documented.content) return body === '' ? null : `status ${status} is documented without a body, but one came`;
    } else if (STANDARD_ERRORS.has(status)) {
      schema = ERROR_SHAPE;
      key = 'error shape';
    } else {
      return `status ${status} is not documented`;
    }
    if (!schema) return null;
    // A route that documents another media type for the status (e.g. a CSV export) may answer with it.
    const mediaType = contentType?.split(';')[0]?.trim();
    if (documented && mediaType && mediaType !== 'application/json' && documented.content?.[mediaType]) return null;
    if (!contentType?.startsWith('application/json')) return `status ${status}: body is not JSON (${contentType ?? 'no content type'})`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return `status ${status}: body does not parse as JSON`;
    }
    const validate = this.validator(key, schema);
    if (validate(parsed)) return null;
    const e = validate.errors?.[0];
    return `status ${status}: body does not match the ${documented ? 'documented schema' : 'error shape'} (${e?.instancePath || '/'} ${e?.message ?? ''})`;
  }
}
