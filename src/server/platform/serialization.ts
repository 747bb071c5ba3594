// Responses are written by Fastify's fast serializer (fast-json-stringify) from the JSON Schema of the Zod schema
// each route documents for the status code, instead of validating every response with Zod and then calling
// JSON.stringify. Only the documented properties are written: whatever else a handler's object carries never
// reaches the client. The OpenAPI document is generated from the same Zod schemas, so it describes exactly this.
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { z } from 'zod';
import { $ZodType } from 'zod/v4/core';

type JsonSchema = Record<string, unknown>;
type Serializer = (data: unknown) => string;

const SUBSCHEMA = new Set(['items', 'additionalProperties', 'not']);
const SUBSCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullOnly(schema: unknown): boolean {
  return isSchema(schema) && schema.type === 'null' && Object.keys(schema).length === 1;
}

/**
 * `anyOf: [X, {type: 'null'}]` (how Zod writes `.nullable()` of an object or a bounded number) becomes X with
 * `nullable: true`. fast-json-stringify writes that with one `=== null` test; an `anyOf` would make it validate
 * the value against each branch with a JSON Schema validator on every response (slow, and an object carrying a
 * property its branch does not list would match no branch at all).
 */
function withoutNullBranch(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return schema;
  const nullIndex = branches.findIndex(isNullOnly);
  if (nullIndex < 0) return schema;
  const other: unknown = branches[1 - nullIndex];
  // A list of types (see typeList) takes null as one more type.
  if (isSchema(other) && Array.isArray(other.type) && !('$ref' in other)) {
    const { anyOf: _anyOf, ...siblings } = schema;
    return { ...siblings, ...other, type: [...(other.type as string[]), 'null'] };
  }
  if (!isSchema(other) || typeof other.type !== 'string' || '$ref' in other || 'nullable' in other) return schema;
  const { anyOf: _anyOf, ...siblings } = schema;
  return { ...siblings, ...other, nullable: true };
}

const PRIMITIVE = new Set(['number', 'integer', 'string', 'boolean', 'null']);

/**
 * `anyOf` of bare primitive types and at most one object (e.g. a figure that is a number or
 * `{ "suppressed": true }`) becomes one schema with a list of types: fast-json-stringify writes that by testing
 * the value's type, without a validator.
 */
function typeList(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf;
  if (!Array.isArray(branches) || branches.length < 2 || !branches.every(isSchema)) return schema;
  const objects = branches.filter((b) => b.type === 'object');
  const primitives = branches.filter((b) => typeof b.type === 'string' && PRIMITIVE.has(b.type) && Object.keys(b).length === 1);
  if (objects.length > 1 || objects.length + primitives.length !== branches.length || primitives.length === 0) return schema;
  const { anyOf: _anyOf, ...siblings } = schema;
  const types = [...primitives.map((b) => b.type as string), ...objects.map(() => 'object')];
  const object = objects[0] ?? {};
  return { ...siblings, ...object, type: types };
}

function normalise(schema: unknown): unknown {
  if (!isSchema(schema)) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SUBSCHEMA.has(key)) out[key] = Array.isArray(value) ? value.map(normalise) : normalise(value);
    else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map(normalise);
    else if (SUBSCHEMA_MAPS.has(key) && isSchema(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
    else out[key] = value;
  }
  return typeList(withoutNullBranch(out));
}

/** The JSON Schema the serializer writes a response from: Zod's output schema, with nullable branches folded. */
export function responseJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-07', unrepresentable: 'any', cycles: 'ref', reused: 'inline' }) as JsonSchema;
  delete json.$schema;
  return normalise(json) as JsonSchema;
}

// Many routes share a schema (every error body): each is compiled once.
const compiled = new WeakMap<object, Serializer>();

/** The serializer of one Zod response schema. */
export function responseSerializer(schema: z.ZodType): Serializer {
  let serialize = compiled.get(schema);
  if (!serialize) {
    serialize = fastJson(responseJsonSchema(schema)) as Serializer;
    compiled.set(schema, serialize);
  }
  return serialize;
}

/** Fastify's serializer compiler for routes whose response schemas are Zod schemas. */
export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema, method, url, httpStatus }) => {
  if (!(schema instanceof $ZodType)) {
    throw new Error(`${method} ${url}: the response schema for ${httpStatus ?? 'a status'} is not a Zod schema`);
  }
  return responseSerializer(schema as z.ZodType);
};
