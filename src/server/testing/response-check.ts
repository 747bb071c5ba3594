// Tests only: every JSON response of a documented route is checked against the Zod schema the route documents for
// its status code, so the whole integration suite tests that the documented schemas match what is sent.
// A body must (1) parse under its schema, (2) carry no property the schema does not list, and (3) be the same JSON
// as validating the handler's value with Zod and JSON.stringify would have sent (how responses were written before
// the fast serializer): dates, nullable fields, enums, unions, records and numbers must come out the same. Only
// the order of an object's properties may differ: fast-json-stringify writes the required ones first.
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { $ZodType } from 'zod/v4/core';

export interface ResponseCheck {
  /** One line per response that did not match its documented schema; empty when all did. */
  readonly mismatches: string[];
  /** The documented responses checked, as `METHOD /route STATUS`. */
  readonly checked: Set<string>;
}

/** The Zod schema a route documents for a status code, looked up as Fastify does: `404`, then `4xx`, then `default`. */
export function documentedSchema(request: FastifyRequest, status: number): z.ZodType | undefined {
  const responses = (request.routeOptions.schema as { response?: Record<string, unknown> } | undefined)?.response;
  if (!responses) return undefined;
  const schema = responses[String(status)] ?? responses[`${Math.floor(status / 100)}xx`] ?? responses.default;
  return schema instanceof $ZodType ? (schema as z.ZodType) : undefined;
}

/** Paths (`items.0.secret`) of properties in `sent` that the schema's own output (`kept`) does not have. */
function extraPaths(sent: unknown, kept: unknown, at = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(kept)) return sent.flatMap((item, i) => extraPaths(item, kept[i], `${at}${i}.`));
  if (typeof sent !== 'object' || sent === null || typeof kept !== 'object' || kept === null) return [];
  return Object.entries(sent).flatMap(([key, value]) =>
    key in kept ? extraPaths(value, (kept as Record<string, unknown>)[key], `${at}${key}.`) : [`${at}${key}`],
  );
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.code}`).join('; ');
}

/** Problems of one sent body against its schema (no values are quoted: a body may hold personal data). */
export function bodyProblems(schema: z.ZodType, body: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return ['the body is not JSON'];
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return [`the body does not match the schema (${describeIssues(parsed.error)})`];
  if (!isDeepStrictEqual(parsed.data, json)) {
    const extra = extraPaths(json, parsed.data);
    return [extra.length ? `properties the schema does not list: ${extra.join(', ')}` : 'the body differs from its parsed value'];
  }
  return [];
}

/** What the Zod serializer would have sent for the handler's value, or why it would have refused it. */
type Before = { status: number } & ({ body: string } | { refused: string });

/**
 * Adds the check to an app before its routes are registered. A mismatch is recorded and fails the request
 * (500); the test harness fails the test file with the recorded lines when the app is closed.
 */
export function checkResponses(app: FastifyInstance): ResponseCheck {
  const check: ResponseCheck = { mismatches: [], checked: new Set() };
  const before = new WeakMap<FastifyRequest, Before>();

  app.addHook('preSerialization', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const schema = documentedSchema(request, reply.statusCode);
    if (schema) {
      const encoded = z.safeEncode(schema, payload as never);
      const status = reply.statusCode;
      before.set(request, encoded.success ? { status, body: JSON.stringify(encoded.data) } : { status, refused: describeIssues(encoded.error) });
    }
    return payload;
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const status = reply.statusCode;
    const schema = documentedSchema(request, status);
    // Documented non-JSON bodies (the calendar feed's text/calendar) are not JSON to check.
    const type = reply.getHeader('content-type');
    // A redirect (the MitID login's 302) has no body to check.
    if (!schema || status === 204 || (status >= 300 && status < 400) || (typeof type === 'string' && !type.includes('json'))) return payload;
    const route = `${request.method} ${request.routeOptions.url} ${status}`;
    check.checked.add(route);
    const problems = typeof payload === 'string' ? bodyProblems(schema, payload) : ['the body was not written from its schema'];
    // The handler's value as it was before serialization; not one sent earlier for another status (an error).
    const stored = before.get(request);
    before.delete(request);
    const earlier = stored?.status === status ? stored : undefined;
    if (earlier && 'refused' in earlier) problems.push(`the handler's value does not match the schema (${earlier.refused})`);
    else if (earlier && problems.length === 0 && !isDeepStrictEqual(JSON.parse(earlier.body), JSON.parse(payload as string))) {
      problems.push('the body differs from what JSON.stringify of the Zod-encoded value gives');
    }
    if (problems.length === 0) return payload;
    const line = `${route}: ${problems.join('; ')}`;
    check.mismatches.push(line);
    throw new Error(`Response check: ${line}`);
  });

  return check;
}
