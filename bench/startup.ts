// Benchmark: time from starting the server to /api/health 200, on a fresh embedded database (migrations +
// demo data) and on a restart of the same one. Targets: first start < 60 s, later starts < 10 s.
// Run: npx tsx bench/startup.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server/testing/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'bindeled-bench-startup-'));
try {
  const env = { DATA_DIR: dir, BINDELED_DEMO: '1' };
  const first = await startServer(env, 120_000);
  await first.stop();
  const second = await startServer(env, 60_000);
  await second.stop();
  const ok = first.readyAfterMs < 60_000 && second.readyAfterMs < 10_000;
  process.stdout.write(`first start (migrate + demo data): ${first.readyAfterMs} ms (target < 60000)\n`);
  process.stdout.write(`restart: ${second.readyAfterMs} ms (target < 10000)\n`);
  process.stdout.write(ok ? 'within targets\n' : 'OVER TARGET\n');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
