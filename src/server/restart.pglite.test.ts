// The embedded database across restarts of the real server process: data stays, demo data loads once,
// and `audit:verify` checks the chain the server sealed, naming an edited row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from './db/connect.ts';
import { runScript, startServer } from './testing/server-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'bindeled-restart-'));
const env = { DATA_DIR: dataDir, BINDELED_DEMO: '1' };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function loginAndCreate(url: string, username: string) {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo' }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ username, name: 'Genstart Test', initialPassword: 'en lang nok adgangskode', roles: [] }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('restart of the embedded database', () => {
  it('keeps data written before a restart, does not load demo data twice, and verifies the audit chain', async () => {
    const first = await startServer(env);
    const id = await loginAndCreate(first.url, 'restart-user');
    expect(await first.stop()).toBe(0);

    const second = await startServer(env);
    const login = await fetch(`${second.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'restart-user', password: 'en lang nok adgangskode' }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { user: { id: string } }).user.id).toBe(id);
    expect(await second.stop()).toBe(0);

    const db = await openPglite(dataDir);
    const orgs = await db.kysely.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(orgs.n)).toBe(6);
    await db.close();

    const intact = await runScript('scripts/audit-verify.ts', env);
    expect(intact.output).toContain('audit chain intact');
    expect(intact.code).toBe(0);

    const tamper = await openPglite(dataDir);
    const row = await tamper.kysely.selectFrom('audit_log').select(['seq']).where('action', '=', 'create').executeTakeFirstOrThrow();
    await sql
      .raw(`alter table audit_log disable trigger audit_log_append_only; update audit_log set resource_id = 'x' where seq = ${row.seq}; alter table audit_log enable trigger audit_log_append_only;`)
      .execute(tamper.kysely);
    await tamper.close();
    const broken = await runScript('scripts/audit-verify.ts', env);
    expect(broken.code).toBe(1);
    expect(broken.output).toContain(`BROKEN at row seq ${row.seq}`);
  }, 240_000);
});

describe('outside demo mode', () => {
  it('starts on an empty database without demo data or demo accounts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bindeled-nodemo-'));
    try {
      const server = await startServer({
        DATA_DIR: dir,
        BINDELED_DEMO: '0',
        SESSION_SECRET: 'a-real-secret-a-real-secret-a-real-secret',
        CPR_KEY: 'a-real-cpr-key-a-real-cpr-key-a-real-cpr-key',
        AUDIT_KEY: 'a-real-audit-key-a-real-audit-key-a-real-audit-key',
        RESEARCH_KEY: 'a-real-research-key-a-real-research-key-a-real',
        AUDIT_ANCHOR_FILE: `${dir}-anchor.log`,
      });
      const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo' }) });
      expect(login.status).toBe(401);
      expect(await server.stop()).toBe(0);
      const db = await openPglite(dir);
      const users = await db.kysely.selectFrom('users').select('id').execute();
      const programmes = await db.kysely.selectFrom('programmes').select('id').execute();
      await db.close();
      expect(users).toEqual([]);
      expect(programmes).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}-anchor.log`, { force: true });
    }
  }, 120_000);

  it('refuses to start without SESSION_SECRET, CPR_KEY, AUDIT_KEY and RESEARCH_KEY and names each of them', async () => {
    const result = await runScript('src/server/main.ts', {
      DATA_DIR: '/nonexistent-never-created',
      BINDELED_DEMO: 'false',
      SESSION_SECRET: undefined,
      CPR_KEY: undefined,
      AUDIT_KEY: undefined,
      RESEARCH_KEY: undefined,
    });
    expect(result.code).toBe(2);
    for (const name of ['SESSION_SECRET', 'CPR_KEY', 'AUDIT_KEY', 'RESEARCH_KEY']) expect(result.output).toMatch(new RegExp(`${name}: required when demo mode is off`));
  });

  it('logs the configuration warnings at start-up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bindeled-warn-'));
    try {
      // Demo mode without AUDIT_ANCHOR_FILE starts, with a warning that the signed head stays in the database.
      const server = await startServer({ DATA_DIR: dir, BINDELED_DEMO: '1', AUDIT_ANCHOR_FILE: undefined });
      expect(await server.stop()).toBe(0);
      expect(server.output()).toContain('configuration: AUDIT_ANCHOR_FILE is not set');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
