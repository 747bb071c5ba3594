// Request-level helpers shared by route modules: the typed app, the session on the request, the
// session cookie, and the login requirement.
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Engine } from '../db/connect.ts';
import type { Config } from './config.ts';
import type { ResolvedSession } from './auth/auth.service.ts';
import { Unauthenticated } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: ResolvedSession | null;
  }
}


export interface AppState {
  /** 'starting' until migrations and demo data are done. */
  phase: 'starting' | 'migrating' | 'seeding' | 'ready' | 'failed';
  /** Set by the audit sealer: 'halted' when the audit table no longer matches its signed head. */
  audit?: 'ok' | 'halted';
}

export interface AppDeps {
  db: Kysely<Database>;
  engine: Engine;
  config: Pick<Config, 'sessionSecret' | 'cprKey' | 'cookieSecure' | 'demo'> & Partial<Config>;
  state: AppState;
  /** How the citizen portal's messages are sent; by default from the configuration (the demo outbox in demo mode). */
  delivery?: import('../modules/portal/delivery.ts').Delivery;
  /** Directory of the built UI; no UI is served when absent. */
  webRoot?: string;
}

export type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export const SESSION_COOKIE = 'bindeled_session';
/** With Secure cookies the name carries the `__Host-` prefix: the browser then insists on Secure, Path=/ and no Domain. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** The one place that names the session cookie for a configuration. */
export function sessionCookieName(config: Pick<Config, 'cookieSecure'>): string {
  return config.cookieSecure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export function requireSession(request: FastifyRequest): ResolvedSession {
  if (!request.session) throw new Unauthenticated();
  return request.session;
}

export function sessionTokenOf(request: FastifyRequest, config: Pick<Config, 'cookieSecure'>): string | undefined {
  return request.cookies[sessionCookieName(config)];
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(sessionCookieName({ cookieSecure: secure }), token, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookieName({ cookieSecure: secure }), { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}
