// Test harness: a fresh copy of the migrated demo database per test file, the real app in-process,
// and helpers to log in and call the API as a demo user.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyServerOptions, InjectOptions } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../app.ts';
import { openPglite, openPostgres, type Db } from '../db/connect.ts';
import { auditSigningKey } from '../platform/audit/chain.ts';
import { SESSION_COOKIE } from '../platform/http.ts';
import { TEMPLATE_DB, TEST_CPR_KEY, withDatabase } from './global-setup.ts';

export { TEST_CPR_KEY };

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const TEST_AUDIT_KEY = auditSigningKey(TEST_SECRET);

export type InjectResponse = Awaited<ReturnType<FastifyInstance['inject']>>;

export interface TestDb extends Db {
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDb> {
  if (inject('engine') === 'pglite') {
    const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const db = await openPglite(undefined, template);
    return { ...db, drop: () => db.close() };
  }
  const url = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
  const db = await openPostgres(withDatabase(url, name), 5);
  return {
    ...db,
    async drop() {
      await db.close();
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface TestContext {
  app: FastifyInstance;
  db: TestDb;
  close(): Promise<void>;
}

/** `options.logger`: e.g. loggerOptions('info', destination) to capture the application log in memory. */
export async function testApp(options: Pick<FastifyServerOptions, 'logger'> = {}): Promise<TestContext> {
  const db = await freshDatabase();
  const app = await buildApp({
    db: db.kysely,
    engine: db.engine,
    config: { sessionSecret: TEST_SECRET, cprKey: TEST_CPR_KEY, cookieSecure: false, demo: true },
    state: { phase: 'ready' },
  }, options);
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

export interface Session {
  username: string;
  userId: string;
  cookie: string;
  csrf: string;
  /** Calls the API as this user, with cookie and CSRF token. */
  request(opts: InjectOptions): Promise<InjectResponse>;
}

export function sessionCookieFrom(res: { cookies: { name: string; value: string }[] }): string {
  const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
  if (!c) throw new Error('no session cookie set');
  return c.value;
}

export async function login(app: FastifyInstance, username: string, password = 'demo'): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { user: { id: string }; csrfToken: string };
  const cookie = sessionCookieFrom(res);
  return {
    username,
    userId: body.user.id,
    cookie,
    csrf: body.csrfToken,
    request: (opts) =>
      app.inject({
        ...opts,
        cookies: { [SESSION_COOKIE]: cookie, ...(opts.cookies ?? {}) },
        headers: { 'x-csrf-token': body.csrfToken, ...(opts.headers ?? {}) },
      }),
  };
}

export async function auditRows(db: Db, where: { action?: string; actorUsername?: string; outcome?: string } = {}) {
  let q = db.kysely.selectFrom('audit_log').selectAll().orderBy('seq');
  if (where.action) q = q.where('action', '=', where.action);
  if (where.actorUsername) q = q.where('actor_username', '=', where.actorUsername);
  if (where.outcome) q = q.where('outcome', '=', where.outcome as 'success');
  return q.execute();
}
