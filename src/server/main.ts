// Starts Bindeled: configuration → database → HTTP (health answers 503) → migrations → demo data → ready.
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pino from 'pino';
import { ConfigError, loadConfig, senderNameProblem } from './platform/config.ts';
import { migrateToLatest, openDatabase, openPostgres } from './db/connect.ts';
import { grantApplicationRole, ownsAuditLog } from './db/roles.ts';
import { setAuditRetention } from './platform/audit/chain.ts';
import { auditKeyRing } from './platform/audit/keys.ts';
import { buildApp } from './app.ts';
import { databaseIsEmpty, loadDemoData } from './demo/demo-data.ts';
import { startBackgroundWork } from './platform/background.ts';
import { startJobQueue, type JobQueue } from './platform/jobs.ts';
import { progressionJobs } from './modules/progression/jobs.ts';
import { dashboardJobs } from './modules/dashboard/counted-days.ts';
import { accessRequestJobs } from './modules/access-requests/access-requests.routes.ts';
import { cprVault } from './modules/citizens/cpr-vault.ts';
import { linkageJobs } from './modules/research/linkage.routes.ts';
import { exportJobs } from './modules/research/exports.routes.ts';
import { checkReminderSender, reminderJobs } from './modules/portal/reminders.ts';
import { deliveryFor } from './modules/portal/delivery.ts';
import { loggerOptions } from './platform/logging.ts';
import type { AppState } from './platform/http.ts';
import { callbackUrl } from './modules/portal/mitid.ts';
import { startTestIdp, type TestIdp } from './modules/portal/test-idp.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const state: AppState = { phase: 'starting' };
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (err) => process.stderr.write(`database connection closed by the server: ${err.message}\n`),
  });
  // Demo mode without a MitID broker: the test identity provider stands in, on loopback only (never outside demo mode).
  // If its port is taken, the demo runs on without MitID (the code login still works) and says why.
  let testIdp: TestIdp | undefined;
  let testIdpProblem: string | undefined;
  if (config.demo && config.testIdpPort !== undefined && !config.mitid) {
    try {
      testIdp = await startTestIdp({
        db: database.kysely,
        cprKey: config.cprKey,
        port: config.testIdpPort,
        redirectUri: callbackUrl(config.publicUrl),
        claims: config.mitidClaims,
      });
      config = { ...config, mitid: testIdp.settings };
    } catch (error) {
      testIdpProblem = `the test MitID could not listen on 127.0.0.1:${config.testIdpPort} (${(error as NodeJS.ErrnoException).code ?? 'error'}); set TEST_IDP_PORT to a free port. The portal runs without MitID login`;
    }
  }
  const webRoot = fileURLToPath(new URL('../../dist/web', import.meta.url));
  // Log lines are gathered in memory and written at 4 KB or every second, instead of one write per line (two
  // per request): on this kind of machine a write to stdout is a costly system call. Lines still buffered when
  // the process exits are written synchronously on the way out.
  const logStream = pino.destination({ dest: 1, minLength: 4096, periodicFlush: 1000, sync: false });
  const app = await buildApp(
    { db: database.kysely, engine: database.engine, config, state, webRoot },
    { logger: loggerOptions(config.logLevel, logStream) },
  );
  for (const warning of config.warnings) app.log.warn(`configuration: ${warning}`);
  if (testIdpProblem) app.log.error(testIdpProblem);
  if (testIdp) app.log.info(`the test MitID (demo only) is on ${testIdp.issuer}; log in as a demo citizen at ${config.publicUrl}/portal`);
  await app.listen({ port: config.port, host: config.host });

  let stopBackground: (() => Promise<void>) | undefined;
  let jobs: JobQueue | undefined;
  try {
    state.phase = 'migrating';
    // Migrations, the owner-written settings and the application role's grants run as the schema owner:
    // on a second, short-lived connection when DATABASE_MIGRATION_URL names another role.
    const separateOwner = config.migrationDatabaseUrl && config.migrationDatabaseUrl !== config.databaseUrl;
    const owner = separateOwner ? await openPostgres(config.migrationDatabaseUrl!, 1) : database;
    try {
      await migrateToLatest(owner.kysely);
      await setAuditRetention(owner.kysely, config.auditRetentionDays);
      if (separateOwner) {
        const { rows } = await sql<{ role: string }>`select current_user as role`.execute(database.kysely);
        await grantApplicationRole(owner.kysely, rows[0]!.role);
        if (await ownsAuditLog(database.kysely)) app.log.warn('DATABASE_URL connects as a role that owns the audit log: the database cannot stop it from rewriting it');
      }
    } finally {
      if (separateOwner) await owner.close();
    }
    if (config.demo && (await databaseIsEmpty(database.kysely))) {
      state.phase = 'seeding';
      const started = Date.now();
      await loadDemoData(database.kysely, { cprKey: config.cprKey }, (step) => app.log.info(`demo data: ${step}`));
      app.log.info(`demo data loaded in ${Date.now() - started} ms`);
    }
    stopBackground = startBackgroundWork(database.kysely, {
      auditKeys: auditKeyRing(config),
      auditRetentionDays: config.auditRetentionDays,
      auditAnchorFile: config.auditAnchorFile,
      state,
      log: app.log,
    });
    // Reminders fail closed: a sender name that is a programme's stops the start (REMINDER_SENDER_NAME).
    await checkReminderSender(database.kysely, config.reminderSender, senderNameProblem);
    jobs = await startJobQueue(
      database.kysely,
      [...progressionJobs(database.kysely), ...dashboardJobs(database.kysely), ...accessRequestJobs(database.kysely, cprVault(config.cprKey).lookupHash), ...exportJobs(database.kysely, config), ...linkageJobs(database.kysely, config), ...reminderJobs(database.kysely, deliveryFor(config, app.log), config.reminderSender)],
      { log: app.log },
    );
    state.phase = 'ready';
    app.log.info(`Bindeled is ready on http://localhost:${config.port} (database: ${database.engine}${config.demo ? ', demo mode' : ''})`);
  } catch (error) {
    state.phase = 'failed';
    app.log.fatal({ err: error }, 'start-up failed');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: shutting down`);
    await app.close();
    await testIdp?.close();
    await stopBackground?.();
    await jobs?.stop();
    await database.close();
    logStream.flushSync();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
