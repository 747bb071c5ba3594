// The HTTP shell: health, the OpenAPI document and its browsable page, security headers, migrations.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { migrateToLatest } from './db/connect.ts';
import { migrations } from './db/migrations/index.ts';
import { freshDatabase, testApp, TEST_CPR_KEY, TEST_SECRET, type TestContext } from './testing/harness.ts';
import { SESSION_COOKIE } from './platform/http.ts';

let t: TestContext;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

describe('http shell', () => {
  it('health answers 200 with the engine when ready, and 503 while starting', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: t.db.engine });
    const starting = await buildApp({ db: t.db.kysely, engine: t.db.engine, config: { sessionSecret: TEST_SECRET, cprKey: TEST_CPR_KEY, cookieSecure: false, demo: true }, state: { phase: 'migrating' } });
    const r2 = await starting.inject({ method: 'GET', url: '/api/health' });
    expect(r2.statusCode).toBe(503);
    expect(r2.json()).toMatchObject({ status: 'starting', phase: 'migrating' });
    await starting.close();
  });

  it('publishes OpenAPI 3.1 with every route, and the docs page, without login', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/health', '/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/programmes', '/api/programmes/{id}', '/api/users', '/api/users/{id}', '/api/audit']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('username');
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('sends no-store and hardening headers on API answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('switches off unused browser features everywhere, and sends HSTS only with Secure cookies', async () => {
    for (const url of ['/api/health', '/api/docs/', '/login']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['permissions-policy'], url).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\).*payment=\(\)/);
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
    const secure = await buildApp({ db: t.db.kysely, engine: t.db.engine, config: { sessionSecret: TEST_SECRET, cprKey: TEST_CPR_KEY, cookieSecure: true, demo: false }, state: { phase: 'ready' } });
    try {
      for (const url of ['/api/health', '/api/docs/', '/login']) {
        const res = await secure.inject({ method: 'GET', url });
        expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000; includeSubDomains');
      }
    } finally {
      await secure.close();
    }
  });

  it('gives the docs page its own content security policy: scripts from this server only', async () => {
    for (const url of ['/api/docs/', '/api/docs/static/swagger-initializer.js']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("script-src 'self';");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("object-src 'none'");
    }
  });

  it('names every operation and states its security: none for public routes, the cookie, and the CSRF header on writes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(doc.components.securitySchemes.session).toEqual({ type: 'apiKey', in: 'cookie', name: SESSION_COOKIE });
    const ids = new Set<string>();
    let operations = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; security?: unknown }>>)) {
      for (const [method, op] of Object.entries(item)) {
        operations++;
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z0-9]+$/);
        expect(ids.has(op.operationId!), `${op.operationId} is unique`).toBe(false);
        ids.add(op.operationId!);
        const isPublic = ['/api/health', '/api/auth/login', '/api/auth/session', '/api/calendar/feed/{token}.ics', '/api/portal/login/code', '/api/portal/login', '/api/portal/session', '/api/portal/login/mitid', '/api/portal/login/mitid/callback', '/api/portal/calendar-feed/{token}.ics'].includes(path);
        // The citizen portal has its own session cookie; staff routes never take it, portal routes never take the staff one.
        const cookie = path.startsWith('/api/portal/') ? 'portalSession' : 'session';
        const expected = isPublic ? [] : method === 'get' ? [{ [cookie]: [] }] : [{ [cookie]: [], csrf: [] }];
        expect(op.security, `${method} ${path}`).toEqual(expected);
      }
    }
    expect(operations).toBeGreaterThan(30);
    expect(doc.paths['/api/citizens/{id}/notes'].get.operationId).toBe('getCitizensByIdNotes');
  });

  it('publishes a document that redocly lint (recommended rules) passes without errors', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const dir = mkdtempSync(join(tmpdir(), 'bindeled-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const redocly = fileURLToPath(new URL('../../node_modules/.bin/redocly', import.meta.url));
      const result = await new Promise<{ code: number; output: string }>((resolve) => {
        execFile(
          redocly,
          ['lint', '--extends=recommended', '--format=json', file],
          { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }, timeout: 60_000 },
          (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
        );
      });
      const json = result.output.slice(result.output.indexOf('{'), result.output.lastIndexOf('}') + 1);
      const report = JSON.parse(json) as { totals: { errors: number }; problems: { ruleId: string; severity: string; message: string }[] };
      const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`);
      expect(errors).toEqual([]);
      expect(report.totals.errors).toBe(0);
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers an unsupported media type with 4xx, never 500', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(res.statusCode).toBe(415);
  });
});

describe('migrations', () => {
  it('are recorded, and running them again changes nothing', async () => {
    const db = await freshDatabase();
    try {
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db.kysely);
      expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
      await migrateToLatest(db.kysely);
      const again = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(db.kysely);
      expect(again.rows[0]!.n).toBe(Object.keys(migrations).length);
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(db.kysely);
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['organisations', 'programmes', 'users', 'user_roles', 'sessions', 'audit_log', 'audit_checkpoints']),
      );
    } finally {
      await db.drop();
    }
  });
});
