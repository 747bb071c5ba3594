// Test harness: a fresh copy of the migrated demo database per test file, the real app in-process,
// and helpers to log in and call the API as a demo user.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyServerOptions, InjectOptions } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../app.ts';
import type { Kysely } from 'kysely';
import { openPglite, openPostgres, type Db } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import { auditKeyRing } from '../platform/audit/keys.ts';
import { SESSION_COOKIE, type AppDeps } from '../platform/http.ts';
import { TEMPLATE_DB, TEST_APP_ROLE, TEST_CPR_KEY, withDatabase } from './global-setup.ts';
import { checkResponses, type ResponseCheck } from './response-check.ts';

export { TEST_CPR_KEY };

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const TEST_AUDIT_SECRET = 'test-audit-key-test-audit-key-test-audit-key-01';
export const TEST_AUDIT_KEYS = auditKeyRing({ auditKey: TEST_AUDIT_SECRET, sessionSecret: TEST_SECRET });

export type InjectResponse = Awaited<ReturnType<FastifyInstance['inject']>>;

export interface TestDb extends Db {
  /**
   * The schema owner's connection, for what only migrations and operators do (and for tampering as
   * someone who holds it). On PostgreSQL `kysely` connects as a role that does not own the schema; on
   * PGlite there is one role and both are the same.
   */
  owner: Kysely<Database>;
  /**
   * The SQL statements the application's connection sends while `work` runs, transaction control included:
   * the measure of a route's query budget.
   */
  statementsDuring(work: () => Promise<unknown>): Promise<string[]>;
  drop(): Promise<void>;
}

function statementRecorder() {
  let recording: string[] | null = null;
  return {
    listener: (sql: string) => void recording?.push(sql),
    async during(work: () => Promise<unknown>): Promise<string[]> {
      if (recording) throw new Error('statementsDuring cannot be nested');
      const statements: string[] = [];
      recording = statements;
      try {
        await work();
      } finally {
        recording = null;
      }
      return statements;
    },
  };
}

export async function freshDatabase(): Promise<TestDb> {
  if (inject('engine') === 'pglite') {
    const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const recorder = statementRecorder();
    const db = await openPglite(undefined, template, recorder.listener);
    return { ...db, owner: db.kysely, statementsDuring: recorder.during, drop: () => db.close() };
  }
  const url = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
  const recorder = statementRecorder();
  const db = await openPostgres(withDatabase(url, name, TEST_APP_ROLE), 5, undefined, recorder.listener);
  const owner = await openPostgres(withDatabase(url, name), 2);
  return {
    ...db,
    owner: owner.kysely,
    statementsDuring: recorder.during,
    async drop() {
      await db.close();
      await owner.close();
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface TestContext {
  app: FastifyInstance;
  db: TestDb;
  /** Every documented response the app sent, checked against its schema (see response-check.ts). */
  responses: ResponseCheck;
  /** Closes the app and the database; fails when a response did not match its documented schema. */
  close(): Promise<void>;
}

/**
 * `logger`: e.g. loggerOptions('info', destination) to capture the application log in memory; the other keys override
 * the test configuration, e.g. `{ demo: false }` or `{ trustProxy: ['10.0.0.1'] }`.
 */
export async function testApp(
  options: Partial<AppDeps['config']> & Pick<FastifyServerOptions, 'logger'> = {},
): Promise<TestContext> {
  const { logger, ...config } = options;
  const db = await freshDatabase();
  let responses: ResponseCheck | undefined;
  const app = await buildApp({
    db: db.kysely,
    engine: db.engine,
    config: { sessionSecret: TEST_SECRET, cprKey: TEST_CPR_KEY, cookieSecure: false, demo: true, ...config },
    state: { phase: 'ready' },
  }, { logger, instrument: (built) => { responses = checkResponses(built); } });
  if (!responses) throw new Error('the response check was not installed');
  const check = responses;
  return {
    app,
    db,
    responses: check,
    async close() {
      await app.close();
      await db.drop();
      if (check.mismatches.length) {
        throw new Error(`Responses that do not match their documented schema:\n${check.mismatches.join('\n')}`);
      }
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
