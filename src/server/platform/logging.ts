// The one logger configuration: what an application-log line may hold. Logs carry no personal data.
//  - Errors keep only their class name, error code, and for database errors the constraint, table, schema
//    and column names — never parameters, detail, where, the query text, or a database error's message
//    (which may echo values, e.g. `invalid input syntax for type uuid: "…"`).
//  - Request lines carry the method, the route pattern (`/api/citizens/:id`) and the status, never the URL,
//    its query string, headers (cookie, CSRF token) or a body.
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { maskCprLike } from './masking.ts';

/** Where the lines go: stdout in production, an in-memory array in tests. */
export interface LogDestination {
  write(line: string): void;
}

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

export function loggerOptions(level: string, destination?: LogDestination): LoggerOptions {
  return {
    level,
    ...(destination ? { stream: destination } : {}),
    // Fastify types its serializers for its own shapes; ours return fewer fields on purpose.
    serializers: { err: redactError, error: redactError, req: requestLine, res: responseLine } as unknown as LoggerOptions['serializers'],
    // Belt and braces: these never reach a line through the serializers above, nor through an object logged by hand.
    redact: { paths: ['req.headers', 'res.headers', 'headers', 'body', 'query', 'params', 'cookies'], remove: true },
  };
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$.]{0,62}$/;
const ERROR_CODE = /^[A-Za-z0-9_]{1,60}$/;
const MAX_MESSAGE = 200;

type Props = Record<string, unknown>;

/** PostgreSQL's and PGlite's errors: a SQLSTATE code, a severity, or the query that failed attached. */
function isDatabaseError(e: Props): boolean {
  return (typeof e.code === 'string' && SQLSTATE.test(e.code)) || typeof e.severity === 'string' || 'query' in e || 'params' in e || 'detail' in e;
}

const identifier = (v: unknown) => (typeof v === 'string' && IDENTIFIER.test(v) ? v : undefined);

/** A message from our own code or the runtime, with quoted values and CPR-like numbers taken out. */
export function safeMessage(message: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  const cleaned = maskCprLike(message.replace(/"[^"]*"|'[^']*'|`[^`]*`|“[^”]*”/g, '"…"'));
  return cleaned.length > MAX_MESSAGE ? `${cleaned.slice(0, MAX_MESSAGE)}…` : cleaned;
}

/** The stack's frames (file and line), without the first line, which repeats the message. */
function frames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const lines = stack.split('\n').filter((l) => /^\s+at /.test(l));
  return lines.length ? lines.slice(0, 12).join('\n') : undefined;
}

/** The err serializer: a fixed set of harmless fields, whatever the error carries. */
export function redactError(err: unknown, depth = 0): Props {
  if (err === null || typeof err !== 'object') return { type: typeof err };
  const e = err as Props;
  const ctor = (err as { constructor?: { name?: unknown } }).constructor?.name;
  const out: Props = { type: typeof ctor === 'string' && IDENTIFIER.test(ctor) ? ctor : 'Error' };
  if (isDatabaseError(e)) {
    // One name on both engines (PGlite's class name is minified).
    out.type = 'DatabaseError';
    out.database = true;
    if (typeof e.code === 'string' && SQLSTATE.test(e.code)) out.code = e.code;
    for (const key of ['constraint', 'table', 'schema', 'column', 'dataType'] as const) {
      const v = identifier(e[key]);
      if (v) out[key] = v;
    }
  } else {
    if (typeof e.code === 'string' && ERROR_CODE.test(e.code)) out.code = e.code;
    if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
    const message = safeMessage(e.message);
    if (message) out.message = message;
    const stack = frames(e.stack);
    if (stack) out.stack = stack;
  }
  if (e.cause !== undefined && depth < 3) out.cause = redactError(e.cause, depth + 1);
  return out;
}

const routeOf = (request: FastifyRequest | undefined) => request?.routeOptions?.url ?? '(no route)';

/** "incoming request": the method and the route pattern, never the URL with its ids and query string. */
export function requestLine(request: FastifyRequest): Props {
  return { method: request.method, route: routeOf(request) };
}

/** "request completed": method, route pattern and status. */
export function responseLine(reply: Pick<FastifyReply, 'request' | 'statusCode'>): Props {
  return { method: reply.request?.method, route: routeOf(reply.request), statusCode: reply.statusCode };
}
