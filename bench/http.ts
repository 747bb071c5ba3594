// Benchmark: the request path over HTTP, side by side with what PostgreSQL itself does on the same machine.
// Starts a throwaway PostgreSQL 15 with its default durability (fsync, synchronous_commit and full_page_writes
// on: an audited read is a write), loads the demo data through the real server (BINDELED_DEMO=true, every key
// set), adds --citizens generated citizens under generated resource consultants (about 30 each), and starts the
// real server the `npm start` way (one or two instances). Then, with autocannon, every scenario for --duration
// seconds after a 2 s warm-up, each connection logged in as a different consultant and asking for citizens of
// its own caseload; `pgbench -S` on a pgbench database in the same cluster; and for the list and the citizen
// page a raw loop that replays the exact statements one request sends on one plain `pg` connection. Prints one
// table and writes bench/results/<date>-http-<engine>-<citizens>.md and .json. Not part of `npm test`.
// `--engine pglite` runs the same scenarios on the embedded database with the demo data (no pgbench, no raw loop).
// Run: npm run bench:http -- [--engine postgres|pglite] [--citizens N] [--instances 1|2] [--connections N]
//      [--duration S] [--scenarios a,b] [--log-level info] [--label name-for-the-result-files] [--profile dir]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../scripts/pg-throwaway.ts';
import { buildApp } from '../src/server/app.ts';
import { openPostgres } from '../src/server/db/connect.ts';
import { ORG, PROGRAMME } from '../src/server/demo/ids.ts';
import { cprVault } from '../src/server/modules/citizens/cpr-vault.ts';
import { hashPassword } from '../src/server/platform/auth/passwords.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { addDays, dateInCopenhagen } from '../src/server/platform/dates.ts';
import { SESSION_COOKIE } from '../src/server/platform/http.ts';
import { generateProgression } from './generate-progression.ts';
import { generateCitizens } from './generate-citizens.ts';
import { freePort } from '../src/server/testing/server-process.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WARM_UP_S = 2;
const SAMPLE_MS = 500;
const STOP_GRACE_MS = 10_000;
/** The password of every generated consultant (one argon2 hash, computed once). */
const BENCH_PASSWORD = 'bench-password-not-for-production';
const DEMO_PASSWORD = 'demo';
const KEYS = {
  SESSION_SECRET: 'bench-session-secret-bench-session-secret-000',
  CPR_KEY: 'bench-cpr-key-bench-cpr-key-bench-cpr-key-00000',
  AUDIT_KEY: 'bench-audit-key-bench-audit-key-bench-audit-00',
};
const NAME_FRAGMENT = 'an';

const READS = ['me', 'list', 'search-name', 'search-cpr', 'citizen', 'timeline'] as const;
const WRITES = ['note-write', 'status-write'] as const;
/** The activity routes, measured on their own; the mixed scenario keeps its earlier composition, so figures stay comparable. */
const ACTIVITY = ['plan', 'calendar', 'meeting-write', 'cohort', 'cohort-consultants'] as const;
const ALL_SCENARIOS = ['login', ...READS, ...WRITES, ...ACTIVITY, 'mixed'] as const;
type Scenario = (typeof ALL_SCENARIOS)[number];
type Kind = Exclude<Scenario, 'mixed'>;

// ---------------------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    citizens: { type: 'string', default: '200000' },
    instances: { type: 'string', default: '1' },
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    scenarios: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    label: { type: 'string' },
    // Writes a V8 CPU profile of each server (node --cpu-prof) into this directory when it stops.
    profile: { type: 'string' },
  },
  strict: true,
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const engine = args.engine === 'pglite' ? 'pglite' : args.engine === 'postgres' ? 'postgres' : fail('--engine must be postgres or pglite');
const citizenCount = engine === 'pglite' ? 0 : Number(args.citizens);
const instances = Number(args.instances);
const connections = Number(args.connections);
const durationS = Number(args.duration);
const logLevel = args['log-level'];
if (!Number.isInteger(citizenCount) || citizenCount < 0) fail('--citizens must be a whole number ≥ 0');
if (instances !== 1 && instances !== 2) fail('--instances must be 1 or 2');
if (engine === 'pglite' && instances !== 1) fail('--engine pglite runs one instance (the embedded database belongs to one process)');
if (!Number.isInteger(connections) || connections < 1) fail('--connections must be a whole number ≥ 1');
if (!(durationS >= 1)) fail('--duration must be at least 1 (seconds)');
const scenarios: Scenario[] = args.scenarios
  ? args.scenarios.split(',').map((s) => s.trim()).map((s) => (ALL_SCENARIOS as readonly string[]).includes(s) ? (s as Scenario) : fail(`unknown scenario ${s}; known: ${ALL_SCENARIOS.join(', ')}`))
  : [...ALL_SCENARIOS];

const out = (line = '') => process.stdout.write(`${line}\n`);
const step = (line: string) => out(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---------------------------------------------------------------------------------------------------------------
// Clean-up: servers, cluster and temp dirs, also on Ctrl-C and on error.

const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
const problems: string[] = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c.run();
      } catch (error) {
        process.stderr.write(`clean-up of ${c.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping servers and the cluster\n`);
    void cleanUp().then(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The server, started as `npm start` starts it.

interface Server {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(name: string, env: Record<string, string>, logFile: string): Promise<Server> {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const profile = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args.profile)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: logLevel,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  const server: Server = {
    url,
    pid: child.pid!,
    child,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => {
          problems.push(`${name} did not exit within ${STOP_GRACE_MS / 1000} s of SIGTERM and was killed (SIGKILL)`);
          child.kill('SIGKILL');
        }, STOP_GRACE_MS);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
      return stopped;
    },
  };
  cleanups.push({ name, run: () => server.stop() });
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${logFile}:\n${tail(logFile)}`);
    if (Date.now() - started > 600_000) throw new Error(`${name} not ready within 600 s; see ${logFile}`);
    const status = await fetch(`${url}/api/health`).then((r) => r.status, () => 0);
    if (status === 200) break;
    await sleep(200);
  }
  step(`${name} ready on ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${child.pid})`);
  return server;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions: each connection a different consultant, with its own caseload.

interface Session {
  username: string;
  password: string;
  cookie: string;
  csrf: string;
  citizens: string[];
  /** Full CPR numbers of a few caseload citizens (shown through the audited reveal), for the CPR search. */
  cprs: string[];
}

async function login(base: string, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error(`login as ${username} set no session cookie`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

async function openSession(base: string, username: string, password: string): Promise<Session> {
  const { cookie, csrf } = await login(base, username, password);
  const headers = { cookie, 'x-csrf-token': csrf };
  const list = await fetch(`${base}/api/citizens?scope=mine&limit=100`, { headers });
  if (list.status !== 200) throw new Error(`caseload of ${username}: ${list.status} ${await list.text()}`);
  const citizens = ((await list.json()) as { items: { id: string }[] }).items.map((c) => c.id);
  if (citizens.length === 0) throw new Error(`${username} has no citizens on the caseload`);
  const cprs: string[] = [];
  for (const id of citizens.slice(0, 5)) {
    const res = await fetch(`${base}/api/citizens/${id}/reveal-cpr`, { method: 'POST', headers });
    if (res.status !== 200) throw new Error(`reveal-cpr as ${username}: ${res.status} ${await res.text()}`);
    cprs.push(((await res.json()) as { cpr: string }).cpr);
  }
  // The CPR search must find the citizen (the stored lookup hash is the server's).
  const search = await fetch(`${base}/api/citizens/search`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ q: cprs[0] }) });
  const found = ((await search.json()) as { items?: { id: string }[] }).items ?? [];
  if (search.status !== 200 || found.length !== 1 || found[0]!.id !== citizens[0]) throw new Error(`the CPR search as ${username} did not find the citizen (${search.status})`);
  return { username, password, cookie, csrf, citizens, cprs };
}

// ---------------------------------------------------------------------------------------------------------------
// Requests per scenario.

interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const today = dateInCopenhagen();
const weekStart = addDays(today, -((new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7));
/** Each status write starts a day after the previous one for that citizen (a new period must follow the latest). */
const statusDay = new Map<string, number>();

/** The programme manager's session, for the cohort view. */
let managerSession: Session | undefined;

function request(kind: Kind, s: Session): Req {
  const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
  const json = { ...headers, 'content-type': 'application/json' };
  switch (kind) {
    case 'login':
      return { method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: s.username, password: s.password }) };
    case 'me':
      return { method: 'GET', path: '/api/auth/me', headers };
    case 'list':
      return { method: 'GET', path: '/api/citizens', headers };
    case 'search-name':
      return { method: 'POST', path: '/api/citizens/search', headers: json, body: JSON.stringify({ q: NAME_FRAGMENT }) };
    case 'search-cpr':
      return { method: 'POST', path: '/api/citizens/search', headers: json, body: JSON.stringify({ q: pick(s.cprs) }) };
    case 'citizen':
      return { method: 'GET', path: `/api/citizens/${pick(s.citizens)}`, headers };
    case 'timeline':
      return { method: 'GET', path: `/api/citizens/${pick(s.citizens)}/timeline`, headers };
    case 'plan':
      return { method: 'GET', path: `/api/citizens/${pick(s.citizens)}/plan`, headers };
    case 'cohort': {
      // The programme manager's cohort view of WHO-5 over the whole programme (every generated citizen).
      const pm = managerSession ?? s;
      return { method: 'GET', path: `/api/programmes/${PROGRAMME.paaVej}/progression?instrumentCode=who5`, headers: { cookie: pm.cookie, 'x-csrf-token': pm.csrf } };
    }
    case 'cohort-consultants': {
      // The first page (50, by name) of the cohort's figures per consultant, with the measurements due on each caseload.
      const pm = managerSession ?? s;
      return { method: 'GET', path: `/api/programmes/${PROGRAMME.paaVej}/progression/consultants?instrumentCode=who5`, headers: { cookie: pm.cookie, 'x-csrf-token': pm.csrf } };
    }
    case 'calendar':
      // The current week (Monday to Sunday), as the calendar page asks for it.
      return { method: 'GET', path: `/api/calendar?from=${weekStart}&to=${addDays(weekStart, 6)}`, headers };
    case 'meeting-write':
      // A held network meeting with the citizen and an outside participant (with consent) and the minutes: the
      // meeting, its participants and a plan revision with its snapshot, without a version to race on.
      return {
        method: 'POST',
        path: `/api/citizens/${pick(s.citizens)}/network-meetings`,
        headers: json,
        body: JSON.stringify({
          startsAt: `${today}T09:00:00Z`,
          place: 'jobcentre',
          status: 'held',
          participants: [{ kind: 'citizen' }, { kind: 'outside', name: 'Eva Bench', role: 'Mor', consent: { given: true, topics: ['work'] } }],
          minutes: 'Vi gennemgik planen og aftalte næste skridt.',
        }),
      };
    case 'note-write':
      return { method: 'POST', path: `/api/citizens/${pick(s.citizens)}/notes`, headers: json, body: JSON.stringify({ kind: 'journal', body: 'Samtale om praktik og næste skridt.' }) };
    case 'status-write': {
      const id = pick(s.citizens);
      const n = (statusDay.get(id) ?? 0) + 1;
      statusDay.set(id, n);
      return { method: 'POST', path: `/api/citizens/${id}/status-periods`, headers: json, body: JSON.stringify({ benefitCode: 'kontanthjaelp', fromDate: addDays(today, n) }) };
    }
  }
}

/** 70 % reads spread over the read scenarios, 30 % writes. */
function mixed(s: Session): Req {
  return request(Math.random() < 0.7 ? pick(READS) : pick(WRITES), s);
}

// ---------------------------------------------------------------------------------------------------------------
// One autocannon run.

interface Run {
  requests: number;
  seconds: number;
  latencies: number[];
  non2xx: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

function cannon(urls: string[], sessions: Session[], build: (s: Session) => Req, conns: number, seconds: number): Promise<Run> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let slot = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        // autocannon spreads the connections over several URLs (its typings allow only one).
        url: urls as unknown as string,
        connections: conns,
        duration: seconds,
        // A slow route is measured as slow (up to 30 s), not only counted as a timeout.
        timeout: 30,
        // One client per connection, each logged in as its own consultant.
        setupClient(client) {
          const session = sessions[slot++ % sessions.length]!;
          client.setRequests([{ setupRequest: (req) => ({ ...req, ...build(session) }) }]);
        },
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          requests: latencies.length,
          seconds: result.duration,
          latencies,
          non2xx: result.non2xx,
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

// ---------------------------------------------------------------------------------------------------------------
// The raw loop: the statements one request sends, replayed on one plain connection.

interface Statement {
  sql: string;
  parameters: unknown[];
}

async function captureStatements(appUrl: string, username: string, password: string): Promise<{ list: Statement[]; citizen: Statement[] }> {
  let recording: Statement[] | null = null;
  const db = await openPostgres(appUrl, 2, undefined, (sql, parameters) => void recording?.push({ sql, parameters: [...parameters] }));
  const config = loadConfig({ DATABASE_URL: appUrl, BINDELED_DEMO: 'true', ...KEYS, LOG_LEVEL: 'silent' });
  const app = await buildApp({ db: db.kysely, engine: 'postgres', config, state: { phase: 'ready' } });
  try {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`in-process login failed: ${res.statusCode}`);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    const get = async (url: string) => {
      const r = await app.inject({ method: 'GET', url, cookies: { [SESSION_COOKIE]: cookie } });
      if (r.statusCode !== 200) throw new Error(`in-process GET ${url}: ${r.statusCode}`);
      return r;
    };
    const during = async (url: string) => {
      await get(url); // once unrecorded, as the server is warm when measured
      recording = [];
      await get(url);
      const statements: Statement[] = recording;
      recording = null;
      return statements;
    };
    const mine = await get('/api/citizens?scope=mine');
    const id = (mine.json() as { items: { id: string }[] }).items[0]!.id;
    return { list: await during('/api/citizens'), citizen: await during(`/api/citizens/${id}`) };
  } finally {
    await app.close();
    await db.close();
  }
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|start transaction)\b/i;

interface RawResult {
  iterations: number;
  meanMs: number;
  /** Mean time of each statement (the SQL text only; parameters are never reported). */
  perStatement: { sql: string; meanMs: number }[];
  /** EXPLAIN (ANALYZE, BUFFERS) of the slowest read statement. */
  slowestPlan: string[];
}

async function rawLoop(appUrl: string, statements: Statement[], seconds: number): Promise<RawResult> {
  const body = statements.filter((s) => !TRANSACTION_CONTROL.test(s.sql));
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    const spent = body.map(() => 0);
    const once = async (timed: boolean) => {
      await client.query('begin');
      for (const [i, s] of body.entries()) {
        const t0 = performance.now();
        // Named, so each statement is parsed and planned once per connection, as the server's own pool does.
        await client.query({ name: `raw-${i}`, text: s.sql, values: s.parameters });
        if (timed) spent[i] = spent[i]! + performance.now() - t0;
      }
      await client.query('commit');
    };
    const warmUntil = Date.now() + WARM_UP_S * 1000;
    while (Date.now() < warmUntil) await once(false);
    let total = 0;
    let iterations = 0;
    const until = performance.now() + seconds * 1000;
    for (let t0 = performance.now(); t0 < until; t0 = performance.now()) {
      await once(true);
      total += performance.now() - t0;
      iterations += 1;
    }
    const perStatement = body.map((s, i) => ({ sql: s.sql, meanMs: spent[i]! / iterations }));
    const reads = perStatement.map((p, i) => ({ ...p, i })).filter((p) => /^\s*select\b/i.test(p.sql));
    const slowest = reads.sort((a, b) => b.meanMs - a.meanMs)[0];
    let slowestPlan: string[] = [];
    if (slowest) {
      const plan = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${slowest.sql}`, body[slowest.i]!.parameters);
      slowestPlan = [slowest.sql, ...plan.rows.map((r) => r['QUERY PLAN'])];
    }
    return { iterations, meanMs: total / iterations, perStatement, slowestPlan };
  } finally {
    await client.end();
  }
}

/**
 * The servers' start-up jobs (the due measurements over every generated citizen) run before any scenario is
 * measured, so that no scenario pays for them.
 */
async function waitForStartupJobs(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = Date.now();
    for (;;) {
      const { rows } = await client.query<{ pending: number }>(
        "select count(*)::int as pending from pgboss.job where state in ('created', 'retry', 'active') and start_after <= now()",
      );
      if (rows[0]!.pending === 0) break;
      if (Date.now() - started > 20 * 60_000) throw new Error('the start-up jobs did not finish within 20 minutes');
      await new Promise((r) => setTimeout(r, 1000));
    }
    step(`start-up jobs done (${Math.round((Date.now() - started) / 1000)} s)`);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Main

interface Row {
  scenario: string;
  reqPerS: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  pgbenchShare: number | null;
  apiOverRaw: number | null;
  maxRssMb: number;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const round = (v: number, d = 1) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : null);

async function main() {
  const startedAt = new Date();
  const loadStart = loadavg();
  // The code that runs is the code at the start (files changed during the run do not count).
  const commit = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain']).length > 0;
  const tmp = mkdtempSync(join(tmpdir(), 'bindeled-bench-http-'));
  cleanups.push({ name: 'temp dir', run: () => rmSync(tmp, { recursive: true, force: true }) });
  const baseEnv: Record<string, string> = { BINDELED_DEMO: 'true', ...KEYS };
  let pgServer: ThrowawayPostgres | undefined;
  let ownerUrl = '';
  let appUrl = '';
  let pgVersion = 'n/a';
  let generation: { seconds: number; rows: Record<string, number>; consultants: number } | null = null;
  let sessionsUsers: { username: string; password: string }[];

  if (engine === 'postgres') {
    step('starting PostgreSQL 15 with default durability (fsync, synchronous_commit, full_page_writes on)');
    pgServer = await startThrowawayPostgres({ durable: true });
    const cluster = pgServer;
    cleanups.push({ name: 'PostgreSQL cluster', run: () => cluster.stop() });
    const admin = new pg.Client({ connectionString: pgServer.url });
    await admin.connect();
    pgVersion = (await admin.query<{ v: string }>('select version() as v')).rows[0]!.v;
    const settings = await admin.query<{ name: string; setting: string }>("select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers')");
    step(`cluster settings: ${settings.rows.map((r) => `${r.name}=${r.setting}`).join(', ')}`);
    await admin.query('create role bindeled_app login');
    await admin.query('create database bindeled');
    await admin.query('create database pgbench');
    await admin.end();
    ownerUrl = withDatabase(pgServer.url, 'bindeled');
    appUrl = withDatabase(pgServer.url, 'bindeled', 'bindeled_app');
    baseEnv.DATABASE_URL = appUrl;
    baseEnv.DATABASE_MIGRATION_URL = ownerUrl;
  } else {
    baseEnv.DATA_DIR = join(tmp, 'data');
  }

  // Demo data through the real server (migrations, grants, demo load), then stopped.
  step('loading the demo data through the server (BINDELED_DEMO=true)');
  const seeder = await startServer('seeding server', { ...baseEnv, AUDIT_ANCHOR_FILE: join(tmp, 'anchor-seed.jsonl') }, join(tmp, 'server-seed.log'));
  await seeder.stop();

  if (engine === 'postgres' && citizenCount > 0) {
    step(`generating ${citizenCount} citizens with consultants, teams, status histories, notes and events`);
    const t0 = performance.now();
    const owner = await openPostgres(ownerUrl, 2);
    try {
      const passwordHash = await hashPassword(BENCH_PASSWORD);
      const made = await generateCitizens(owner.kysely, {
        count: citizenCount,
        programmeId: PROGRAMME.paaVej,
        organisationId: ORG.naestved,
        consultants: { citizensEach: 30, passwordHash },
        vault: cprVault(KEYS.CPR_KEY),
        seed: 20_170_801,
        today,
        onProgress: (n) => {
          if (n % 20_000 === 0 && n < citizenCount) step(`  ${n} citizens`);
        },
      });
      const t1 = performance.now();
      const progression = await generateProgression(owner.kysely, { programmeId: PROGRAMME.paaVej, measurements: 5 });
      step(`WHO-5 answers: ${progression.assessments} (${progression.pairs} baseline/latest pairs) in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
      generation = { seconds: (performance.now() - t0) / 1000, rows: { ...made.rows, assessments: progression.assessments, assessment_pairs: progression.pairs }, consultants: made.consultants.length };
      sessionsUsers = made.consultants.slice(0, connections).map((c) => ({ username: c.username, password: BENCH_PASSWORD }));
      step(`generated in ${generation.seconds.toFixed(0)} s: ${JSON.stringify(made.rows)}`);
    } finally {
      await owner.close();
    }
  } else {
    // The demo's four resource consultants, each logged in by several connections when there are more than four.
    sessionsUsers = Array.from({ length: connections }, (_, i) => ({ username: `rk${(i % 4) + 1}`, password: DEMO_PASSWORD }));
    if (engine === 'postgres') {
      const owner = new pg.Client({ connectionString: ownerUrl });
      await owner.connect();
      await owner.query('analyze');
      await owner.end();
    }
  }

  let captured: { list: Statement[]; citizen: Statement[] } | null = null;
  if (engine === 'postgres') {
    step('capturing the statements of one list request and one citizen page (app in-process, same database)');
    captured = await captureStatements(appUrl, sessionsUsers[0]!.username, sessionsUsers[0]!.password);
    step(`list: ${captured.list.length} statements, citizen page: ${captured.citizen.length} statements`);
  }

  const servers: Server[] = [];
  for (let i = 1; i <= instances; i++) {
    servers.push(await startServer(`server ${i}`, { ...baseEnv, AUDIT_ANCHOR_FILE: join(tmp, `anchor-${i}.jsonl`) }, join(tmp, `server-${i}.log`)));
  }
  const urls = servers.map((s) => s.url);
  if (engine === 'postgres') await waitForStartupJobs(ownerUrl);

  step(`logging in ${connections} sessions (${new Set(sessionsUsers.map((u) => u.username)).size} distinct consultants)`);
  if (scenarios.includes('cohort') || scenarios.includes('cohort-consultants')) {
    const pm = await login(urls[0]!, 'projektleder', DEMO_PASSWORD);
    managerSession = { username: 'projektleder', password: DEMO_PASSWORD, ...pm, citizens: [], cprs: [] };
  }
  const sessions: Session[] = [];
  for (const [i, u] of sessionsUsers.entries()) sessions.push(await openSession(urls[i % urls.length]!, u.username, u.password));
  // Connections of the same consultant split the caseload, so no citizen is written from two connections at once
  // (status periods must follow each other in time).
  const byUser = new Map<string, Session[]>();
  for (const s of sessions) byUser.set(s.username, [...(byUser.get(s.username) ?? []), s]);
  for (const group of byUser.values()) {
    if (group.length < 2) continue;
    group.forEach((s, j) => {
      s.citizens = s.citizens.filter((_, i) => i % group.length === j);
      if (s.citizens.length === 0) throw new Error(`${s.username}'s caseload is too small for ${group.length} connections`);
    });
  }
  step(`caseloads: ${sessions.map((s) => s.citizens.length).join(', ')} citizens`);

  let pgbenchTps: number | null = null;
  if (pgServer) {
    const port = new URL(pgServer.url).port;
    const conn = ['-h', '127.0.0.1', '-p', port, '-U', 'postgres'];
    step('pgbench -i -s 10');
    pgServer.run('pgbench', ['-i', '-s', '10', '-q', ...conn, 'pgbench']);
    const admin = new pg.Client({ connectionString: pgServer.url });
    await admin.connect();
    await admin.query('checkpoint');
    await admin.end();
    step(`pgbench -S -c 10 -j 2 -T ${durationS}`);
    const result = pgServer.run('pgbench', ['-S', '-c', '10', '-j', '2', '-T', String(durationS), ...conn, 'pgbench']);
    const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(result);
    if (!m) throw new Error(`could not read tps from pgbench:\n${result}`);
    pgbenchTps = Number(m[1]);
    step(`pgbench -S: ${pgbenchTps.toFixed(0)} tps`);
  }

  // Samplers: server RSS during load; the oldest unsealed audit row during the mixed load.
  const audit = engine === 'postgres' ? new pg.Client({ connectionString: ownerUrl }) : null;
  await audit?.connect();
  const unsealed = async () => {
    const r = await audit!.query<{ n: number; age: number | null }>(
      'select count(*)::int as n, extract(epoch from (clock_timestamp() - min(occurred_at)))::float8 as age from audit_log where chain_no is null',
    );
    return { count: r.rows[0]!.n, ageS: r.rows[0]!.age ?? 0 };
  };

  /** Waits (up to 10 minutes) until no statement of the application role is running; returns the seconds waited. */
  const drain = async (client: pg.Client) => {
    const started = Date.now();
    while (Date.now() - started < 600_000) {
      const r = await client.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where usename = 'bindeled_app' and state = 'active'");
      if (r.rows[0]!.n === 0) break;
      await sleep(200);
    }
    return (Date.now() - started) / 1000;
  };

  const rows: Row[] = [];
  let maxRssKb = 0;
  let mixedMaxUnsealedAgeS: number | null = null;
  for (const scenario of scenarios) {
    const build = scenario === 'mixed' ? mixed : (s: Session) => request(scenario, s);
    step(`${scenario}: ${WARM_UP_S} s warm-up, then ${durationS} s with ${connections} connections`);
    await cannon(urls, sessions, build, connections, WARM_UP_S);
    let scenarioRss = 0;
    const rssTimer = setInterval(() => {
      for (const s of servers) scenarioRss = Math.max(scenarioRss, rssKb(s.pid));
    }, SAMPLE_MS);
    let ageTimer: NodeJS.Timeout | undefined;
    if (scenario === 'mixed' && audit) {
      mixedMaxUnsealedAgeS = 0;
      let busy = false;
      ageTimer = setInterval(() => {
        if (busy) return;
        busy = true;
        unsealed()
          .then((u) => (mixedMaxUnsealedAgeS = Math.max(mixedMaxUnsealedAgeS ?? 0, u.ageS)))
          .catch(() => {})
          .finally(() => (busy = false));
      }, SAMPLE_MS);
    }
    const run = await cannon(urls, sessions, build, connections, durationS);
    clearInterval(rssTimer);
    if (ageTimer) clearInterval(ageTimer);
    // Requests that timed out on the client may still run in the server: let them finish before the next scenario.
    if (audit) {
      const waited = await drain(audit);
      if (waited > 1) problems.push(`after ${scenario}, the server was still busy for ${waited.toFixed(0)} s (requests that the load generator had given up on)`);
    }
    maxRssKb = Math.max(maxRssKb, scenarioRss);
    const sorted = [...run.latencies].sort((a, b) => a - b);
    const reqPerS = run.requests / run.seconds;
    const row: Row = {
      scenario,
      reqPerS,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      non2xx: run.non2xx,
      errors: run.errors + run.timeouts,
      statuses: run.statuses,
      pgbenchShare: pgbenchTps ? (reqPerS / pgbenchTps) * 100 : null,
      apiOverRaw: null,
      maxRssMb: scenarioRss / 1024,
    };
    rows.push(row);
    step(`  ${reqPerS.toFixed(0)} req/s, p50 ${ms(row.p50)} ms, p99 ${ms(row.p99)} ms, non-2xx ${row.non2xx}, errors/timeouts ${row.errors}, RSS max ${row.maxRssMb.toFixed(0)} MB`);
    if (row.non2xx > 0 || row.errors > 0) {
      const message = `ERROR: ${scenario} had ${row.non2xx} non-2xx responses ${JSON.stringify(row.statuses)} and ${row.errors} errors/timeouts`;
      problems.push(message);
      process.stderr.write(`${message}\n`);
    }
  }

  // API on one connection against the raw loop, for the list and the citizen page.
  // Audit state right after the load (the raw loop below replays audit rows with their captured timestamps).
  const atEnd = audit ? await unsealed() : null;
  const single: Record<string, { apiMeanMs: number; rawMeanMs: number | null; rawIterations: number | null; statements: number | null; perStatement?: RawResult['perStatement']; slowestPlan?: string[] }> = {};
  for (const [scenario, statements] of [['list', captured?.list], ['citizen', captured?.citizen]] as const) {
    if (!scenarios.includes(scenario)) continue;
    step(`${scenario} on a single connection: API, then the raw loop`);
    const build = (s: Session) => request(scenario, s);
    await cannon(urls.slice(0, 1), sessions.slice(0, 1), build, 1, WARM_UP_S);
    const api = await cannon(urls.slice(0, 1), sessions.slice(0, 1), build, 1, durationS);
    const apiMeanMs = api.latencies.length > 0 ? api.latencies.reduce((a, b) => a + b, 0) / api.latencies.length : NaN;
    if (audit) await drain(audit);
    if (api.non2xx > 0) problems.push(`ERROR: ${scenario} on a single connection had ${api.non2xx} non-2xx responses ${JSON.stringify(api.statuses)}`);
    let raw: RawResult | null = null;
    if (statements) raw = await rawLoop(appUrl, statements, durationS);
    single[scenario] = {
      apiMeanMs,
      rawMeanMs: raw?.meanMs ?? null,
      rawIterations: raw?.iterations ?? null,
      statements: statements?.length ?? null,
      ...(raw ? { perStatement: raw.perStatement.map((p) => ({ sql: p.sql, meanMs: round(p.meanMs, 3)! })), slowestPlan: raw.slowestPlan } : {}),
    };
    const row = rows.find((r) => r.scenario === scenario);
    if (row && raw) row.apiOverRaw = apiMeanMs / raw.meanMs;
    step(`  API ${apiMeanMs.toFixed(2)} ms/request${raw ? `, raw ${raw.meanMs.toFixed(2)} ms/iteration (${raw.iterations} iterations), API÷raw ${(apiMeanMs / raw.meanMs).toFixed(2)}` : ''}`);
  }

  await audit?.end();
  for (const s of servers) await s.stop();
  const loadEnd = loadavg();

  // ------------------------------------------------------------------------------------------------------------
  // Report

  const pgliteVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, database: engine === 'postgres' ? pgVersion : `PGlite ${pgliteVersion}` };
  const settings = {
    engine,
    citizens: citizenCount,
    instances,
    connections,
    durationS,
    warmUpS: WARM_UP_S,
    logLevel,
    nameFragment: NAME_FRAGMENT,
    durability: engine === 'postgres' ? 'PostgreSQL defaults (fsync, synchronous_commit, full_page_writes on)' : 'PGlite defaults',
    roles: engine === 'postgres' ? 'application role bindeled_app, migrations as the owner' : 'one role',
  };
  const loadAverage = { start: loadStart.map((v) => round(v, 2)), end: loadEnd.map((v) => round(v, 2)) };
  const na = (v: number | null, d = 1, suffix = '') => (v === null || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(d)}${suffix}`);
  const header = ['scenario', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx', '% of pgbench -S', 'API÷raw', 'max RSS MB'];
  const table = rows.map((r) => [
    r.scenario,
    r.reqPerS.toFixed(0),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    r.errors > 0 ? `${r.non2xx} (+${r.errors} timeouts/errors)` : String(r.non2xx),
    na(r.pgbenchShare, 2, ' %'),
    na(r.apiOverRaw, 2),
    r.maxRssMb.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const summary = [
    `pgbench -S (10 clients, ${durationS} s, after CHECKPOINT): ${pgbenchTps === null ? 'n/a' : `${pgbenchTps.toFixed(0)} tps`}`,
    ...Object.entries(single).map(
      ([k, v]) => `${k} on one connection: API ${v.apiMeanMs.toFixed(2)} ms/request; raw loop ${v.rawMeanMs === null ? 'n/a' : `${v.rawMeanMs.toFixed(2)} ms/iteration (${v.statements} statements incl. transaction control)`}`,
    ),
    `unsealed audit rows at the end of the load: ${atEnd ? `${atEnd.count}, oldest ${atEnd.ageS.toFixed(1)} s` : 'n/a (embedded database)'}`,
    `oldest unsealed audit row during mixed (max of samples every ${SAMPLE_MS} ms): ${mixedMaxUnsealedAgeS === null ? 'n/a' : `${mixedMaxUnsealedAgeS.toFixed(1)} s`}`,
    `server RSS under load (max): ${(maxRssKb / 1024).toFixed(0)} MB`,
    `load average (1/5/15 min): start ${loadAverage.start.join(' ')}, end ${loadAverage.end.join(' ')}`,
  ];
  out();
  out(line(header));
  for (const t of table) out(line(t));
  out();
  for (const s of summary) out(s);
  for (const p of problems) out(p);

  const date = startedAt.toISOString().slice(0, 10);
  const label = args.label ? `-${args.label.replace(/[^a-z0-9-]+/gi, '-')}` : '';
  const base = join(ROOT, 'bench/results', `${date}-http-${engine}-${citizenCount}${instances === 2 ? '-2x' : ''}${label}`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const data = {
    startedAt: startedAt.toISOString(),
    commit: `${commit}${dirty ? ' (with uncommitted changes)' : ''}`,
    machine,
    settings,
    loadAverage,
    generation,
    pgbenchSelectTps: pgbenchTps,
    scenarios: rows.map((r) => ({
      scenario: r.scenario,
      reqPerS: round(r.reqPerS),
      p50Ms: round(r.p50, 2),
      p95Ms: round(r.p95, 2),
      p99Ms: round(r.p99, 2),
      non2xx: r.non2xx,
      errors: r.errors,
      statuses: r.statuses,
      pgbenchSharePercent: r.pgbenchShare === null ? null : round(r.pgbenchShare, 2),
      apiOverRaw: r.apiOverRaw === null ? null : round(r.apiOverRaw, 2),
      maxRssMb: round(r.maxRssMb, 0),
    })),
    singleConnection: single,
    audit: { unsealedAtEnd: atEnd?.count ?? null, oldestUnsealedAtEndS: atEnd ? round(atEnd.ageS, 2) : null, mixedMaxOldestUnsealedS: mixedMaxUnsealedAgeS === null ? null : round(mixedMaxUnsealedAgeS, 2) },
    maxServerRssMb: round(maxRssKb / 1024, 0),
    problems,
  };
  writeFileSync(`${base}.json`, `${JSON.stringify(data, null, 2)}\n`);
  const md = [
    `# HTTP benchmark, ${engine}, ${citizenCount} generated citizens — ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Commit ${data.commit}. Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.database}.`,
    `Settings: ${instances} server instance(s), ${connections} connections, ${durationS} s per scenario after a ${WARM_UP_S} s warm-up, LOG_LEVEL=${logLevel}, ` +
      `${settings.durability}; ${settings.roles}. Server, database and load generator share the machine.`,
    `Load average (1/5/15 min) at the start ${loadAverage.start.join(' / ')}, at the end ${loadAverage.end.join(' / ')} (other work on the machine makes the figures noisy).`,
    generation ? `Generated ${citizenCount} citizens under ${generation.consultants} consultants in ${generation.seconds.toFixed(0)} s: ${Object.entries(generation.rows).map(([t, n]) => `${t} ${n}`).join(', ')}.` : '',
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...table.map((t) => `| ${t.join(' | ')} |`),
    '',
    ...summary.map((s) => `- ${s}`),
    ...(problems.length > 0 ? ['', '**Problems:**', ...problems.map((p) => `- ${p}`)] : []),
    ...Object.entries(single).flatMap(([k, v]) =>
      v.perStatement
        ? [
            '',
            `### ${k}: the statements of one request, mean ms each in the raw loop`,
            '',
            '| ms | statement |',
            '|---:|---|',
            ...v.perStatement.map((p) => `| ${p.meanMs.toFixed(3)} | \`${p.sql.replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 300)}\` |`),
            '',
            'EXPLAIN (ANALYZE, BUFFERS) of the slowest read:',
            '',
            '```',
            ...(v.slowestPlan ?? []),
            '```',
          ]
        : [],
    ),
    '',
  ].join('\n');
  writeFileSync(`${base}.md`, md);
  out(`\nwrote ${base}.md and .json`);
}

function git(argv: string[]): string {
  try {
    return execFileSync('git', argv, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function withDatabase(url: string, name: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  if (user) u.username = user;
  return u.toString();
}

try {
  await main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
  for (const p of problems) if (p.includes('SIGKILL')) process.stderr.write(`${p}\n`);
}
