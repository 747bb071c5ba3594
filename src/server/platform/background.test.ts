// The sealing loop's step: a halt shows in /api/health and on the dpo's log search, is logged once as
// fatal without personal data, and the signed head is appended to the anchor file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { freshDatabase, login, testApp, TEST_AUDIT_KEYS, TEST_CPR_KEY, TEST_SECRET, type TestContext } from '../testing/harness.ts';
import { recordAudit } from './audit/audit.ts';
import { acceptAuditBreak, anchorSources, auditSealingState, sealAuditLog, verifyAuditLog } from './audit/chain.ts';
import { ANCHOR_EVERY_MS, auditSealer, SEAL_FAILURES_BEFORE_HALT } from './background.ts';
import type { AppState } from './http.ts';

let t: TestContext;
const dir = mkdtempSync(join(tmpdir(), 'bindeled-anchor-'));
const anchorFile = join(dir, 'audit-anchor.jsonl');
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

function capturingLog() {
  const lines: { level: string; obj: unknown; msg: string }[] = [];
  const at = (level: string) => (obj: unknown, msg?: string) => lines.push({ level, obj, msg: msg ?? String(obj) });
  const log = { fatal: at('fatal'), error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), trace: at('trace') };
  return { log: log as unknown as FastifyBaseLogger, lines };
}

describe('audit sealing loop', () => {
  it('anchors the signed head, halts on a cut tail (health, dpo page, one fatal line), and resumes after an accepted break', async () => {
    const state: AppState = { phase: 'ready' };
    const { log, lines } = capturingLog();
    const step = auditSealer(t.db.kysely, { auditKeys: TEST_AUDIT_KEYS, auditAnchorFile: anchorFile, state, log });
    const dpo = await login(t.app, 'dpo');
    const first = await step();
    expect(first.status).toBe('sealed');
    expect(state.audit).toBe('ok');
    const anchored = anchorSources(anchorFile, readFileSync(anchorFile, 'utf8'));
    expect(anchored).toHaveLength(1);
    expect(JSON.parse(anchored[0]!.text)).toMatchObject({ chainNo: expect.any(Number), keyId: TEST_AUDIT_KEYS.current.id });
    // Unchanged head within the minute: no new line.
    await step();
    expect(anchorSources(anchorFile, readFileSync(anchorFile, 'utf8'))).toHaveLength(1);
    expect(ANCHOR_EVERY_MS).toBeLessThanOrEqual(60_000);

    // Cut the last sealed row as the owner would, then one more request is written and sealing runs.
    const last = await t.db.kysely.selectFrom('audit_log').select('seq').where('chain_no', 'is not', null).orderBy('chain_no', 'desc').limit(1).executeTakeFirstOrThrow();
    await sql.raw(`alter table audit_log disable trigger user; delete from audit_log where seq = ${last.seq}; alter table audit_log enable trigger user;`).execute(t.db.owner);
    await dpo.request({ method: 'GET', url: '/api/audit' });
    expect((await step()).status).toBe('halted');
    await step();
    expect(state.audit).toBe('halted');
    const fatal = lines.filter((l) => l.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toMatch(/audit sealing halted/);
    expect(JSON.stringify(fatal[0])).not.toMatch(/dpo|Næstved/);

    const app = await buildApp({ db: t.db.kysely, engine: t.db.engine, config: { sessionSecret: TEST_SECRET, cprKey: TEST_CPR_KEY, cookieSecure: false, demo: true }, state });
    try {
      const health = await app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({ status: 'ok', phase: 'ready', audit: 'halted' });
    } finally {
      await app.close();
    }
    const page = await dpo.request({ method: 'GET', url: '/api/audit?limit=1' });
    expect(page.json()).toMatchObject({ sealing: 'halted' });

    // The anchor still holds the head from before the cut, which the table no longer has.
    const withAnchor = await verifyAuditLog(t.db.kysely, { keys: TEST_AUDIT_KEYS, anchors: anchorSources(anchorFile, readFileSync(anchorFile, 'utf8')) });
    expect(withAnchor.ok).toBe(false);

    await acceptAuditBreak(t.db.kysely, { keys: TEST_AUDIT_KEYS, reason: 'test: one row removed on purpose' });
    expect((await step()).status).toBe('sealed');
    expect(state.audit).toBe('ok');
    expect(lines.some((l) => l.level === 'warn' && /resumed/.test(l.msg))).toBe(true);
    expect((await dpo.request({ method: 'GET', url: '/api/audit?limit=1' })).json()).toMatchObject({ sealing: 'ok' });
    const report = await verifyAuditLog(t.db.kysely, { keys: TEST_AUDIT_KEYS, anchors: anchorSources(anchorFile, readFileSync(anchorFile, 'utf8')) });
    expect(report).toMatchObject({ ok: true });
    expect(report.anchors.beforeAcceptedBreak).toBeGreaterThanOrEqual(1);
  });
});

describe('sealing that keeps failing', () => {
  it('halts after consecutive failed ticks: persisted, one fatal line, health halted, until a break is accepted', async () => {
    const db = await freshDatabase();
    try {
      const write = () => recordAudit(db.kysely, { actor: null, organisationId: null, action: 'read', purpose: 'case_work', resourceType: 't', outcome: 'success' });
      await write();
      const state: AppState = { phase: 'ready' };
      const { log, lines } = capturingLog();
      const step = auditSealer(db.kysely, { auditKeys: TEST_AUDIT_KEYS, state, log });
      expect((await step()).status).toBe('sealed');
      // A checkpoint in the future, put in around the guard, makes every seal fail.
      const head = await db.kysely.selectFrom('audit_log').select(['chain_no', 'hash']).orderBy('chain_no', 'desc').limit(1).executeTakeFirstOrThrow();
      await sql
        .raw(
          `alter table audit_checkpoints disable trigger user;
           insert into audit_checkpoints (segment, first_chain_no, last_chain_no, row_count, prev_hash, last_hash, key_id, signature)
             values ('9999-12', 1, ${head.chain_no}, 1, '${'0'.repeat(64)}', '${head.hash}', 'k', '${'a'.repeat(64)}');
           alter table audit_checkpoints enable trigger user;`,
        )
        .execute(db.owner);
      await write();
      for (let i = 1; i < SEAL_FAILURES_BEFORE_HALT; i++) await expect(step()).rejects.toThrow(/before the head of the chain/);
      expect(state.audit).toBe('ok');
      expect(await step()).toMatchObject({ status: 'halted', reason: 'sealing_keeps_failing' });
      expect(await step()).toMatchObject({ status: 'halted' });
      expect(state.audit).toBe('halted');
      expect(lines.filter((l) => l.level === 'fatal')).toHaveLength(1);
      // Persisted: another instance (a fresh sealer) sees the halt too.
      expect(await auditSealingState(db.kysely)).toMatchObject({ state: 'halted', reason: 'sealing_keeps_failing' });
      expect(await sealAuditLog(db.kysely, { keys: TEST_AUDIT_KEYS })).toMatchObject({ status: 'halted' });
    } finally {
      await db.drop();
    }
  });

  it('reports a halt only to the instance holding the seal lock', async () => {
    const db = await freshDatabase();
    try {
      await sql`insert into app_state (key, value) values ('audit_sealing', ${JSON.stringify({ state: 'halted', since: new Date().toISOString(), reason: 'signed_head_invalid' })})`.execute(db.kysely);
      expect(await sealAuditLog(db.kysely, { keys: TEST_AUDIT_KEYS })).toMatchObject({ status: 'halted' });
      // Another connection holds the lock: this instance is busy, so it appends no anchor line.
      await db.kysely.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(731004221)`.execute(tx);
        if (db.engine === 'postgres') expect(await sealAuditLog(db.kysely, { keys: TEST_AUDIT_KEYS })).toEqual({ status: 'busy' });
      });
    } finally {
      await db.drop();
    }
  });
});
