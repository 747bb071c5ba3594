// The HTTP shell: health, the OpenAPI document and its browsable page, security headers, migrations.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { migrateToLatest } from './db/connect.ts';
import { migrations } from './db/migrations/index.ts';
import { freshDatabase, testApp, TEST_CPR_KEY, TEST_SECRET, type TestContext } from './testing/harness.ts';

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
