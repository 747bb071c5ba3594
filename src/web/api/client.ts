// The one way the UI calls the API: JSON in and out, the CSRF header on writes, typed errors, 401 sends you to login.
import type { ErrorBody } from '../../contracts/common.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }

  /** The server's message for one field, e.g. 'too_short' for path 'newPassword'. */
  issueFor(path: string): string | undefined {
    // Schema errors name the part of the request ("body.username"); rule errors name the field alone.
    const field = (p: string) => p.replace(/^body\./, '');
    return this.body?.issues?.find((i) => field(i.path) === path || field(i.path).startsWith(`${path}.`))?.message;
  }
}

let csrfToken: string | null = null;
let onUnauthorised: (() => void) | null = null;
/** Set when the staff session ends: the pages still on screen send nothing more until the next login. */
let staffSessionEnded = false;

export function setStaffSessionEnded(ended: boolean): void {
  staffSessionEnded = ended;
}

/** Remembered from login and /me; sent on every write except login itself. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The session layer registers what happens when the server says the session is gone. */
export function setUnauthorisedHandler(handler: (() => void) | null): void {
  onUnauthorised = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A body sent as it is (not as JSON), with its own content type: e.g. a CSV file's text. */
type RawBody = { raw: string; contentType: string };

/** `csrf`: the token of another session than the staff one (the citizen portal's), sent instead. */
type RequestOptions = { quiet401?: boolean; raw?: RawBody; csrf?: string | null };

async function request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.raw) headers['content-type'] = options.raw.contentType;
  else if (body !== undefined) headers['content-type'] = 'application/json';
  const token = options.csrf !== undefined ? options.csrf : csrfToken;
  if (method !== 'GET' && token) headers['x-csrf-token'] = token;

  // After logout, a page that is still drawn once more must not ask the server for a user's data (a 401 for nothing).
  if (staffSessionEnded && options.csrf === undefined && !path.startsWith('/api/auth/') && !path.startsWith('/api/portal/')) {
    throw new ApiError(401, null);
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.raw ? options.raw.raw : body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;

  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (!response.ok) {
    // A 401 on any call but the session check and the login form means the session ended (expired, logged out elsewhere).
    if (response.status === 401 && !options.quiet401) onUnauthorised?.();
    throw new ApiError(response.status, isErrorBody(parsed) ? parsed : null);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value && 'message' in value;
}

export const api = {
  get: <T>(path: string, options?: { quiet401?: boolean }) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: { quiet401?: boolean; csrf?: string | null }) => request<T>('POST', path, body ?? {}, options),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown, options?: { quiet401?: boolean; csrf?: string | null }) => request<T>('PUT', path, body, options),
  /** POSTs a text body with its content type (e.g. a REDCap data dictionary as text/csv); the answer is JSON as usual. */
  postText: <T>(path: string, text: string, contentType: string) => request<T>('POST', path, undefined, { raw: { raw: text, contentType } }),
  delete: <T>(path: string, options?: { quiet401?: boolean; csrf?: string | null }) => request<T>('DELETE', path, undefined, options),
};

/** Builds a query string from the set values only. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
