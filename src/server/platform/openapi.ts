// What the OpenAPI document says of every operation, derived in one place from the route itself (its method,
// its path, whether it is public), and the headers of the documentation page.
import type { RouteOptions } from 'fastify';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Browser features the application never uses, switched off for every page. */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
].join(', ');

/**
 * The documentation page (Swagger UI) loads only its own scripts and styles from this server; it sets inline
 * style attributes, so styles allow 'unsafe-inline' (no inline script is allowed).
 */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function pascal(word: string): string {
  return word
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** `GET /api/citizens/:id/notes` → `getCitizensByIdNotes`: unique because method and path are. */
export function operationIdOf(method: string, url: string): string {
  const segments = url
    .replace(/^\/api\//, '')
    .split('/')
    .filter(Boolean)
    .map((s) => (s.startsWith(':') ? `By${pascal(s.slice(1))}` : s.startsWith('{') ? `By${pascal(s.slice(1, -1))}` : pascal(s)));
  return method.toLowerCase() + segments.join('');
}

type Security = Record<string, string[]>[];

/** No credentials for public routes; the session cookie for the others, and the CSRF header too on writes. */
export function securityOf(method: string, url: string, publicRoutes: ReadonlySet<string>, csrfExempt: ReadonlySet<string>): Security {
  if (publicRoutes.has(url)) return [];
  if (UNSAFE_METHODS.has(method) && !csrfExempt.has(url)) return [{ session: [], csrf: [] }];
  return [{ session: [] }];
}

/** An onRoute hook: fills in operationId and security for every documented API operation that does not set them. */
export function describeOperation(route: RouteOptions, publicRoutes: ReadonlySet<string>, csrfExempt: ReadonlySet<string>): void {
  const method = Array.isArray(route.method) ? route.method[0] : route.method;
  const schema = route.schema as ({ hide?: boolean; operationId?: string; security?: Security } & Record<string, unknown>) | undefined;
  if (!method || method === 'HEAD' || !route.url.startsWith('/api/') || schema?.hide) return;
  if (Array.isArray(route.method) && route.method.length > 1) {
    throw new Error(`${route.url}: one method per documented route, so that each operation has its own operationId`);
  }
  route.schema = {
    ...(schema as RouteOptions['schema']),
    operationId: schema?.operationId ?? operationIdOf(method, route.url),
    security: schema?.security ?? securityOf(method, route.url, publicRoutes, csrfExempt),
  };
}
