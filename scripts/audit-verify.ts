// `npm run audit:verify`: walks the audit chain of the configured database and names the first broken row.
// Exit code 0 when intact, 1 when broken, 2 on a configuration or connection problem.
// On the embedded database, stop the server first: PGlite's data directory is held by one process.
import { openDatabase } from '../src/server/db/connect.ts';
import { auditSigningKey, verifyAuditLog } from '../src/server/platform/audit/chain.ts';
import { ConfigError, loadConfig } from '../src/server/platform/config.ts';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const report = await verifyAuditLog(db.kysely, { key: auditSigningKey(config.sessionSecret) });
    for (const s of report.segments) process.stdout.write(`segment ${s.segment}: ${s.status}\n`);
    process.stdout.write(`rows verified: ${report.checkedRows}\nrows not yet sealed: ${report.unsealedRows}\n`);
    if (report.ok) {
      process.stdout.write('audit chain intact\n');
      return 0;
    }
    const b = report.firstBroken!;
    process.stdout.write(`audit chain BROKEN at ${b.seq !== null ? `row seq ${b.seq}, ` : ''}chain number ${b.chainNo ?? '?'}: ${b.reason}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
