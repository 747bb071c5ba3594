// The fuzz suite's own checks: they must fail on what they are meant to catch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pools } from './inputs.ts';
import { lineHolds, requestArbitrary, ResponseChecker, sentValues, serialise, type Operation } from './openapi.ts';

const op: Operation = {
  name: 'PATCH /api/things/{id}',
  method: 'PATCH',
  path: '/api/things/{id}',
  pathParams: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }],
  queryParams: [{ in: 'query', name: 'q', schema: { type: 'string', maxLength: 10 } }],
  body: {
    type: 'object',
    properties: { version: { type: 'integer' }, note: { type: 'string', maxLength: 50 } },
    required: ['version'],
    additionalProperties: false,
  },
  bodyRequired: true,
  responses: {
    '200': { content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'], additionalProperties: false } } } },
    '204': {},
  },
};
const json = 'application/json; charset=utf-8';

describe('response check', () => {
  const checker = new ResponseChecker();

  it('accepts a documented answer that fits its schema', () => {
    expect(checker.check(op, 200, json, JSON.stringify({ id: '00000000-0000-4000-8000-000000000001' }))).toBeNull();
    expect(checker.check(op, 204, undefined, '')).toBeNull();
  });

  it('refuses a documented status whose body does not fit, or a body where none is documented', () => {
    expect(checker.check(op, 200, json, JSON.stringify({ id: 'x' }))).toMatch(/does not match the documented schema/);
    expect(checker.check(op, 200, json, JSON.stringify({ id: '00000000-0000-4000-8000-000000000001', extra: 1 }))).toMatch(/does not match/);
    expect(checker.check(op, 200, 'text/html', '<p>')).toMatch(/not JSON/);
    expect(checker.check(op, 204, json, '{}')).toMatch(/without a body/);
  });

  it('accepts the standard error statuses only in the error shape, and no other undocumented status', () => {
    expect(checker.check(op, 404, json, JSON.stringify({ error: 'not_found', message: 'Not found' }))).toBeNull();
    expect(checker.check(op, 400, json, JSON.stringify({ statusCode: 400, message: 'x' }))).toMatch(/error shape/);
    expect(checker.check(op, 414, json, JSON.stringify({ error: 'x', message: 'y' }))).toMatch(/not documented/);
  });
});

describe('log check', () => {
  it('finds a sent value raw, JSON-escaped, percent-encoded, or by the start of a long value', () => {
    expect(lineHolds('{"msg":"x","note":"Søren"}', { where: 'body.note', text: 'Søren' })).toBe(false); // under 6 characters: not looked for
    expect(lineHolds('{"url":"/api/x?q=K%C3%B8benhavn"}', { where: 'query.q', text: 'København' })).toBe(true);
    expect(lineHolds('{"params":["nul\\u0000byte"]}', { where: 'body.note', text: 'nul\u0000byte' })).toBe(true);
    expect(lineHolds(`{"detail":"${'a'.repeat(64)}…"}`, { where: 'body.note', text: 'a'.repeat(5000) })).toBe(true);
    expect(lineHolds('{"msg":"request completed","responseTime":3.2}', { where: 'body.note', text: 'Kierkegård' })).toBe(false);
  });

  it('finds numbers of 6 or more digits as whole numbers only', () => {
    expect(lineHolds('{"detail":"value \\"9007199254740991\\" is out of range"}', { where: 'body.version', text: '9007199254740991' })).toBe(true);
    expect(lineHolds('{"n":1234567}', { where: 'body.version', text: '123456' })).toBe(false);
  });

  it('names each sent value by its place, and keys the document does not know as unknown', () => {
    const values = sentValues(op, {
      persona: 0,
      path: { id: '00000000-0000-4000-8000-000000000001' },
      query: { q: 'search text', zz: 'unknown value' },
      body: { version: 9007199254740991, note: 'short', other: 'not in schema' },
      mutations: [],
    });
    expect(values.map((v) => v.where)).toEqual(['path.id', 'query.q', 'query.<unknown key>', 'body.version', 'body.<unknown key>']);
  });

  it('does not look for values of the schema\'s own enum, which are vocabulary, not typed data', () => {
    const withStatus: Operation = { ...op, body: { type: 'object', properties: { status: { anyOf: [{ type: 'string', enum: ['planned', 'completed'] }, { type: 'null' }] }, note: { type: 'string' } } } };
    const values = sentValues(withStatus, { persona: 0, path: {}, query: {}, body: { status: 'completed', note: 'completed' }, mutations: [] });
    expect(values).toEqual([{ where: 'body.note', text: 'completed' }]);
  });
});

describe('generated requests', () => {
  it('serialise to a URL and body whatever they hold', () => {
    const pools = new Pools();
    fc.assert(
      fc.property(requestArbitrary(op, 3, pools), (req) => {
        const { url, payload } = serialise(op, req);
        expect(url.startsWith('/api/things/')).toBe(true);
        if (payload !== undefined) expect(typeof payload).toBe('string');
      }),
      { seed: 1, numRuns: 300 },
    );
  });
});
