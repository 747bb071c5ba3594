// Vitest global set-up: one migrated database with demo data per engine, copied for every test file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrateToLatest, openPglite, openPostgres } from '../db/connect.ts';
import { loadDemoData } from '../demo/demo-data.ts';
import { grantApplicationRole } from '../db/roles.ts';
import { setAuditRetention } from '../platform/audit/chain.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../scripts/pg-throwaway.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    engine: 'pglite' | 'postgres';
    pgliteTemplate: string;
    postgresUrl: string;
  }
}

export const TEMPLATE_DB = 'bindeled_template';
/** On PostgreSQL the tests connect as this role, which does not own the schema (as in production). */
export const TEST_APP_ROLE = 'bindeled_app';
/** The retention period the test databases' owner wrote. */
export const TEST_RETENTION_DAYS = 1825;
/** The CPR key of every test database (the template's demo citizens are encrypted with it). */
export const TEST_CPR_KEY = 'test-cpr-key-test-cpr-key-test-cpr-key-0123456';

export default async function setup(project: TestProject) {
  const engine = project.name === 'postgres' ? 'postgres' : 'pglite';
  project.provide('engine', engine);
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'bindeled-template-'));
    const db = await openPglite(undefined);
    await migrateToLatest(db.kysely);
    await loadDemoData(db.kysely, { cprKey: TEST_CPR_KEY });
    await setAuditRetention(db.kysely, TEST_RETENTION_DAYS);
    const file = join(dir, 'template.tar');
    const blob = await db.pglite!.dumpDataDir('none');
    writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
    await db.close();
    project.provide('pgliteTemplate', file);
    project.provide('postgresUrl', '');
    return () => rmSync(dir, { recursive: true, force: true });
  }

  let server: ThrowawayPostgres | undefined;
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    server = await startThrowawayPostgres();
    url = server.url;
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB}`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  const db = await openPostgres(withDatabase(url, TEMPLATE_DB), 2);
  await migrateToLatest(db.kysely);
  await loadDemoData(db.kysely, { cprKey: TEST_CPR_KEY });
  await setAuditRetention(db.kysely, TEST_RETENTION_DAYS);
  const role = await admin.query('select 1 from pg_roles where rolname = $1', [TEST_APP_ROLE]);
  if (role.rowCount === 0) await admin.query(`create role ${TEST_APP_ROLE} login`);
  await grantApplicationRole(db.kysely, TEST_APP_ROLE);
  await db.close();
  await admin.end();
  project.provide('engine', 'postgres');
  project.provide('pgliteTemplate', '');
  project.provide('postgresUrl', url);
  return () => server?.stop();
}

export function withDatabase(url: string, name: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}
