// `npm run audit:verify [-- --anchor FILE [FILE...]]`: walks the audit chain of the configured database,
// checks its signatures (AUDIT_KEY, AUDIT_PREVIOUS_KEYS and, while allowed, the legacy key) and, with
// --anchor, that the database holds every signed head recorded in the anchor files (a database restored
// from an older copy does not). Names the first broken row.
// Exit code 0 when intact, 1 when broken, 2 on a configuration, usage or connection problem.
// On the embedded database, stop the server first: PGlite's data directory is held by one process.
import { readFileSync } from 'node:fs';
import { openDatabase } from '../src/server/db/connect.ts';
import { anchorSources, verifyAuditLog, type AnchorSource } from '../src/server/platform/audit/chain.ts';
import { auditKeyRing } from '../src/server/platform/audit/keys.ts';
import { ConfigError, loadConfig } from '../src/server/platform/config.ts';

function anchorFiles(args: string[]): string[] {
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--anchor') throw new ConfigError(`unknown argument ${args[i]} (usage: audit:verify [-- --anchor FILE [FILE...]])`);
    const start = files.length;
    while (i + 1 < args.length && args[i + 1] !== '--anchor') files.push(args[++i]!);
    if (files.length === start) throw new ConfigError('--anchor needs at least one file');
  }
  return files;
}

async function main(): Promise<number> {
  let config;
  let anchors: AnchorSource[] = [];
  try {
    config = loadConfig();
    for (const file of anchorFiles(process.argv.slice(2))) anchors = anchors.concat(anchorSources(file, readFileSync(file, 'utf8')));
  } catch (error) {
    if (error instanceof ConfigError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const report = await verifyAuditLog(db.kysely, { keys: auditKeyRing(config), anchors, retentionDays: config.auditRetentionDays });
    for (const s of report.segments) process.stdout.write(`segment ${s.segment}: ${s.status}\n`);
    for (const b of report.acceptedBreaks) process.stdout.write(`accepted break at chain number ${b.chainNo} (${b.signedAt}): ${b.reason ?? ''}\n`);
    process.stdout.write(`rows verified: ${report.checkedRows}\nrows not yet sealed: ${report.unsealedRows}\n`);
    if (anchors.length > 0) {
      process.stdout.write(`anchor lines checked: ${report.anchors.checked} (before an accepted break: ${report.anchors.beforeAcceptedBreak})\n`);
    }
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
