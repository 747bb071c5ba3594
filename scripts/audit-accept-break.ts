// `npm run audit:accept-break -- --reason "..."`: after sealing halted (the audit table no longer matches
// its signed head) and the cause is understood, signs a new head over the table as it stands, writes an
// audit row with the reason, and lets sealing resume. `audit:verify` lists every accepted break.
// Refused unless sealing is halted, unless --force is given (to sign the current table end anyway).
// The operating-system user and host name are recorded with the reason.
// Exit code 0 when accepted, 1 when refused (not halted), 2 on a configuration, usage or connection problem.
// On the embedded database, stop the server first: PGlite's data directory is held by one process.
import { openDatabase } from '../src/server/db/connect.ts';
import { acceptAuditBreak, AuditNotHaltedError } from '../src/server/platform/audit/chain.ts';
import { auditKeyRing } from '../src/server/platform/audit/keys.ts';
import { ConfigError, loadConfig } from '../src/server/platform/config.ts';

function reasonFrom(args: string[]): string {
  const i = args.indexOf('--reason');
  const reason = i >= 0 ? args[i + 1]?.trim() : undefined;
  if (!reason || reason.length < 5 || reason.length > 1000) {
    throw new ConfigError('usage: npm run audit:accept-break -- --reason "why the break is accepted (5 to 1000 characters)" [--force]');
  }
  return reason;
}

async function main(): Promise<number> {
  let config;
  let reason;
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  try {
    reason = reasonFrom(args);
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
    let accepted;
    try {
      accepted = await acceptAuditBreak(db.kysely, { keys: auditKeyRing(config), reason, force });
    } catch (error) {
      if (!(error instanceof AuditNotHaltedError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    const { previous, head, wasHalted } = accepted;
    process.stdout.write(`${wasHalted ? 'sealing was halted' : 'sealing was not halted'}\n`);
    process.stdout.write(`previous signed head: ${previous ? `chain number ${previous.chainNo}, hash ${previous.hash}` : 'none'}\n`);
    process.stdout.write(`new signed head: chain number ${head.chainNo}, hash ${head.hash} (key ${head.keyId})\n`);
    process.stdout.write('break accepted; sealing resumes\n');
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:accept-break failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
