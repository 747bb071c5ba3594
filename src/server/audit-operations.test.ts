// The real server as operators run it: on PostgreSQL with the application role apart from the schema
// owner (DATABASE_MIGRATION_URL), the signed head anchored in AUDIT_ANCHOR_FILE, and the audit scripts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TEST_APP_ROLE, withDatabase } from './testing/global-setup.ts';
import { runScript, startServer } from './testing/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'bindeled-ops-'));
const anchorFile = join(dir, 'anchor', 'audit-anchor.jsonl');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
  rmSync(dir, { recursive: true, force: true });
});

async function environment(): Promise<Record<string, string>> {
  const base = { BINDELED_DEMO: '1', AUDIT_ANCHOR_FILE: anchorFile, AUDIT_KEY: 'ops-test-audit-key-ops-test-audit-key-0123' };
  if (inject('engine') === 'pglite') return { ...base, DATA_DIR: join(dir, 'data') };
  const url = inject('postgresUrl');
  const name = `ops_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  cleanups.push(async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return { ...base, DATA_DIR: join(dir, 'unused'), DATABASE_URL: withDatabase(url, name, TEST_APP_ROLE), DATABASE_MIGRATION_URL: withDatabase(url, name) };
}

async function waitFor(check: () => boolean, ms = 20_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('audit operations on the running server', () => {
  it('migrates as the owner, seals as the application role, anchors the head, and verifies with the anchor', async () => {
    const env = await environment();
    const server = await startServer(env);
    try {
      const health = await fetch(`${server.url}/api/health`).then((r) => r.json());
      expect(health).toMatchObject({ status: 'ok', audit: 'ok' });
      const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dpo', password: 'demo' }) });
      expect(login.status).toBe(200);
      const lines = () => {
        try {
          return readFileSync(anchorFile, 'utf8').trim().split('\n').filter(Boolean);
        } catch {
          return [];
        }
      };
      await waitFor(() => lines().some((l) => (JSON.parse(l) as { chainNo: number }).chainNo >= 1));
      if (env.DATABASE_MIGRATION_URL) {
        // The owner's connection is apart, so there is no warning about connecting as the owner.
        expect(server.output()).not.toMatch(/DATABASE_MIGRATION_URL is not set apart/);
        expect(server.output()).not.toMatch(/owns the audit log/);
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }

    const verified = await runScript('scripts/audit-verify.ts', env);
    expect(verified.output).toContain('audit chain intact');
    const withAnchor = await runScript('scripts/audit-verify.ts', env, ['--anchor', anchorFile]);
    expect(withAnchor.output).toMatch(/anchor lines checked: [1-9]/);
    expect(withAnchor.code).toBe(0);

    const noReason = await runScript('scripts/audit-accept-break.ts', env, []);
    expect(noReason.code).toBe(2);
    // Sealing is not halted: refused unless forced.
    const refused = await runScript('scripts/audit-accept-break.ts', env, ['--reason', 'drill: accepting the current head']);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/not halted/);
    const accepted = await runScript('scripts/audit-accept-break.ts', env, ['--reason', 'drill: accepting the current head', '--force']);
    expect(accepted.output).toContain('break accepted');
    expect(accepted.code).toBe(0);
    const after = await runScript('scripts/audit-verify.ts', env, ['--anchor', anchorFile]);
    expect(after.output).toMatch(/accepted break at chain number \d+ .*drill: accepting the current head/);
    expect(after.code).toBe(0);
  }, 240_000);
});
