// Responses are written from the JSON Schema of each route's documented Zod schema: every documented response of
// every route is written from generated values (with properties no schema lists at every level) and must match its
// schema and what the Zod serializer used to send; a property a handler adds never reaches the client; and the
// check the test harness runs on every response fails when a handler or a serializer strays from its schema.
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { $ZodType } from 'zod/v4/core';
import { buildApp } from './app.ts';
import { CitizenPage } from '../contracts/citizens.ts';
import { ErrorBody } from '../contracts/common.ts';
import { responseJsonSchema, responseSerializer, serializerCompiler } from './platform/serialization.ts';
import { login, testApp, TEST_CPR_KEY, TEST_SECRET, type TestContext } from './testing/harness.ts';
import { bodyProblems, checkResponses } from './testing/response-check.ts';

type JsonSchema = Record<string, unknown>;
const LEAK = 'notInTheSchema';

/**
 * A value for a response schema: `full` sets every optional property and gives every nullable a value, `sparse`
 * leaves optional properties out and sets nullables to null. Every object whose schema is closed also carries
 * a property the schema does not list, which must never be written.
 */
function sample(schema: JsonSchema, mode: 'full' | 'sparse'): unknown {
  if (schema.nullable === true && mode === 'sparse') return null;
  if (Array.isArray(schema.enum)) return schema.enum[schema.enum.length - 1];
  if ('const' in schema) return schema.const;
  const type = Array.isArray(schema.type) ? (mode === 'full' ? schema.type[0] : schema.type[schema.type.length - 1]) : schema.type;
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return mode === 'full';
    case 'integer':
      return mode === 'full' ? 42 : -7;
    case 'number':
      return mode === 'full' ? 37.5 : 0;
    case 'string':
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-0000000000aa';
      if (schema.format === 'date') return '1899-12-31';
      return mode === 'full' ? 'Søren "Æble" <ø>\n' : '';
    case 'array':
      return [sample(schema.items as JsonSchema, mode), sample(schema.items as JsonSchema, mode === 'full' ? 'sparse' : 'full')];
    case 'object': {
      const value: Record<string, unknown> = {};
      const required = new Set((schema.required as string[] | undefined) ?? []);
      for (const [key, property] of Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {})) {
        if (mode === 'full' || required.has(key)) value[key] = sample(property, mode);
      }
      const additional = schema.additionalProperties;
      if (additional === false) value[LEAK] = 'must not be sent';
      else if (typeof additional === 'object' && additional !== null) {
        value.first = Object.keys(additional).length ? sample(additional as JsonSchema, mode) : { nested: [1, 'to', null, true] };
        value.second = Object.keys(additional).length ? sample(additional as JsonSchema, mode === 'full' ? 'sparse' : 'full') : 'x';
      }
      return value;
    }
    default:
      // An unconstrained value (z.unknown()): anything JSON can carry.
      return { any: ['thing', 2, null] };
  }
}

function combinators(schema: unknown, at = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  return Object.entries(schema).flatMap(([key, value]) =>
    key === 'anyOf' || key === 'oneOf' || key === 'allOf' ? [`${at}${key}`] : combinators(value, `${at}${key}.`),
  );
}

interface Documented {
  route: string;
  status: string;
  schema: z.ZodType;
}

let t: TestContext;
const documented: Documented[] = [];
beforeAll(async () => {
  t = await testApp();
  // The real application's routes, as Fastify registers them.
  const routes: RouteOptions[] = [];
  const app = await buildApp(
    { db: t.db.kysely, engine: t.db.engine, config: { sessionSecret: TEST_SECRET, cprKey: TEST_CPR_KEY, cookieSecure: false, demo: true }, state: { phase: 'ready' } },
    { instrument: (built) => built.addHook('onRoute', (route) => void routes.push(route)) },
  );
  await app.close();
  for (const route of routes) {
    const responses = (route.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {};
    if (route.method === 'HEAD') continue;
    for (const [status, schema] of Object.entries(responses)) {
      if (schema instanceof $ZodType) documented.push({ route: `${String(route.method)} ${route.url}`, status, schema: schema as z.ZodType });
    }
  }
});
afterAll(async () => {
  await t.close();
});

describe('every documented response', () => {
  it('is found: the application documents its responses', () => {
    const routes = new Set(documented.map((d) => d.route));
    expect(routes.size).toBeGreaterThan(30);
    expect([...routes]).toContain('GET /api/citizens/:id');
    expect(documented.find((d) => d.route === 'GET /api/citizens' && d.status === '200')?.schema).toBe(CitizenPage);
  });

  it('is written without a schema validator at run time (no anyOf, oneOf or allOf left in its JSON Schema)', () => {
    const slow = documented.flatMap((d) => combinators(responseJsonSchema(d.schema)).map((at) => `${d.route} ${d.status}: ${at}`));
    expect(slow).toEqual([]);
  });

  it('matches its schema and what the Zod serializer sent, and never writes a property the schema does not list', () => {
    const problems: string[] = [];
    for (const { route, status, schema } of documented) {
      const json = responseJsonSchema(schema);
      for (const mode of ['full', 'sparse'] as const) {
        const value = sample(json, mode);
        const body = responseSerializer(schema)(value);
        for (const p of bodyProblems(schema, body)) problems.push(`${route} ${status} ${mode}: ${p}`);
        if (body.includes(LEAK)) problems.push(`${route} ${status} ${mode}: wrote ${LEAK}`);
        const before = z.safeEncode(schema, value as never);
        if (!before.success) problems.push(`${route} ${status} ${mode}: the generated value does not fit the schema`);
        else expect(JSON.parse(body), `${route} ${status} ${mode}`).toStrictEqual(JSON.parse(JSON.stringify(before.data)));
      }
    }
    expect(problems).toEqual([]);
    expect(documented.length).toBeGreaterThan(100);
  });
});

/** A small app with the application's serializer and the harness's check, for handlers that stray on purpose. */
async function strayingApp(): Promise<{ app: FastifyInstance; check: ReturnType<typeof checkResponses> }> {
  const app = Fastify();
  app.setSerializerCompiler(serializerCompiler);
  const check = checkResponses(app);
  const person = z.object({ id: z.uuid(), name: z.string(), age: z.number().int().nullable(), team: z.object({ lead: z.string() }).nullable() });
  const Page = z.object({ items: z.array(person), nextCursor: z.string().nullable() });
  const ok = { id: '00000000-0000-4000-8000-000000000001', name: 'Anna', age: 40, team: { lead: 'Bo' } };
  const route = (url: string, payload: unknown, schema: z.ZodType = Page) =>
    app.get(url, { schema: { response: { 200: schema } } }, async () => payload);
  route('/extra', {
    items: [{ ...ok, cpr: '0101011234', team: { lead: 'Bo', phone: '12345678' } }, { ...ok, team: null, age: null, password: 'x' }],
    nextCursor: null,
    internal: { sql: 'select' },
  });
  route('/wrong-type', { items: [{ ...ok, name: 42 }], nextCursor: null });
  route('/null-for-string', { items: [{ ...ok, name: null }], nextCursor: null });
  route('/bad-uuid', { items: [{ ...ok, id: 'not-a-uuid' }], nextCursor: null });
  route('/bad-enum', { kind: 'elsewhere' }, z.object({ kind: z.enum(['here', 'there']) }));
  route('/missing-required', { items: [] });
  // A serializer that writes more than its schema lists (what the check must catch if a serializer ever strays).
  app.get('/leaky-serializer', { schema: { response: { 200: ErrorBody } }, serializerCompiler: () => (data: unknown) => JSON.stringify(data) }, async () => ({
    error: 'x',
    message: 'y',
    stack: 'at secret.ts:1',
  }));
  // The provider's Zod serializer (the one the application used before), for the same value as /extra.
  app.get('/zod', { schema: { response: { 200: Page } }, serializerCompiler: zodSerializerCompiler as never }, async () => ({
    items: [{ ...ok, cpr: '0101011234' }],
    nextCursor: null,
  }));
  await app.ready();
  return { app, check };
}

describe('the fast serializer', () => {
  it('never sends a property a handler returns but the schema does not list, at any depth', async () => {
    const { app, check } = await strayingApp();
    const res = await app.inject({ method: 'GET', url: '/extra' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toStrictEqual({
      items: [
        { id: '00000000-0000-4000-8000-000000000001', name: 'Anna', age: 40, team: { lead: 'Bo' } },
        { id: '00000000-0000-4000-8000-000000000001', name: 'Anna', age: null, team: null },
      ],
      nextCursor: null,
    });
    for (const secret of ['cpr', '0101011234', 'phone', 'password', 'internal', 'select']) expect(res.body).not.toContain(secret);
    const before = await app.inject({ method: 'GET', url: '/zod' });
    expect(before.json()).toStrictEqual({ items: [{ id: '00000000-0000-4000-8000-000000000001', name: 'Anna', age: 40, team: { lead: 'Bo' } }], nextCursor: null });
    expect(check.mismatches).toEqual([]);
    await app.close();
  });

  it('is used by the application: its responses carry what the schema lists, and error bodies keep their shape', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(Object.keys(health.json()).sort()).toEqual(['audit', 'database', 'phase', 'status']);
    const rk1 = await login(t.app, 'rk1');
    const invalid = await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { q: 'an', extra: 1 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toStrictEqual({
      error: 'invalid',
      message: 'The request does not match the schema',
      issues: [{ path: 'body', message: expect.any(String), code: 'unrecognized_keys' }],
    });
    const missing = await rk1.request({ method: 'GET', url: '/api/citizens/00000000-0000-4000-8000-0000000000aa' });
    expect(missing.statusCode).toBe(404);
    expect(Object.keys(missing.json()).sort()).toEqual(['error', 'message']);
    expect([...t.responses.checked]).toEqual(
      expect.arrayContaining(['GET /api/health 200', 'POST /api/citizens/search 400', 'GET /api/citizens/:id 404']),
    );
  });
});

describe('the response check of the test harness', () => {
  it('fails a response whose handler strays from its schema, or whose serializer writes more than the schema', async () => {
    const { app, check } = await strayingApp();
    for (const url of ['/wrong-type', '/null-for-string', '/bad-uuid', '/bad-enum', '/leaky-serializer']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(500);
    }
    expect(check.mismatches).toHaveLength(5);
    // A required property the handler left out: the serializer refuses to write the body at all.
    const missing = await app.inject({ method: 'GET', url: '/missing-required' });
    expect(missing.statusCode).toBe(500);
    expect(missing.body).not.toContain('items');
    expect(check.mismatches[0]).toMatch(/^GET \/wrong-type 200: the handler's value does not match the schema \(items\.0\.name: invalid_type\)/);
    expect(check.mismatches[1]).toMatch(/^GET \/null-for-string 200: .*items\.0\.name: invalid_type/);
    expect(check.mismatches[2]).toMatch(/^GET \/bad-uuid 200: the body does not match the schema \(items\.0\.id: invalid_format\)/);
    expect(check.mismatches[3]).toMatch(/^GET \/bad-enum 200: the body does not match the schema \(kind: invalid_value\)/);
    expect(check.mismatches[4]).toBe('GET /leaky-serializer 200: properties the schema does not list: stack');
    await app.close();
  });

  it('fails a body that does not match a deliberately wrong schema', () => {
    const sent = responseSerializer(CitizenPage)({ items: [], nextCursor: 'abc' });
    expect(bodyProblems(CitizenPage, sent)).toEqual([]);
    const wrong = CitizenPage.extend({ nextCursor: z.number().nullable() });
    expect(bodyProblems(wrong, sent)).toEqual(['the body does not match the schema (nextCursor: invalid_type)']);
    const missing = CitizenPage.extend({ total: z.number() });
    expect(bodyProblems(missing, sent)).toEqual(['the body does not match the schema (total: invalid_type)']);
  });
});
