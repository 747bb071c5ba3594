// Fuzz suite over every operation of the OpenAPI document: malformed, boundary and schema-valid random
// input in path, query and body, as every demo user and logged out. Fails on any 5xx, any answer that
// does not match the documented response schema, and any application-log line that holds a value the
// request sent. New routes are covered by being in the document.
//
// FUZZ_SEED (a number, or `random`), FUZZ_RUNS (requests per operation at most) and FUZZ_SECONDS (time for
// all operations together, per engine) raise or replay a run; `npm run fuzz` is the long run.
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../platform/http.ts';
import { DEMO_PORTAL_CONTACTS } from '../demo/demo-portal.ts';
import { PORTAL_COOKIE } from '../modules/portal/portal.session.ts';
import { loggerOptions } from '../platform/logging.ts';
import { testApp, type InjectResponse } from '../testing/harness.ts';
import { pick, Pools } from './inputs.ts';
import { lineHolds, operationsOf, requestArbitrary, ResponseChecker, sentValues, serialise, type FuzzRequest, type OpenApiDocument, type Operation } from './openapi.ts';

const DEFAULT_SEED = 20261201;
const seedSetting = process.env.FUZZ_SEED;
const SEED = seedSetting === 'random' ? Math.floor(Math.random() * 2 ** 31) : seedSetting ? Number(seedSetting) : DEFAULT_SEED;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 40);
/** With FUZZ_STOP=1 the first failure stops the operation's run, and fast-check shrinks it to a small counterexample. */
const STOP = process.env.FUZZ_STOP === '1';
const ENGINE = process.env.TEST_ENGINE ?? 'pglite';

// The application log, configured as the server configures it (main.ts), at level info, into memory.
const logLines: string[] = [];
const stream = { write: (line: string) => void logLines.push(line) };
const ctx = await testApp({ logger: loggerOptions('info', stream) });
const { app, db } = ctx;
const operations = operationsOf(app.swagger() as unknown as OpenApiDocument);
const perOperationMs = Math.max(500, Math.floor((SECONDS * 1000) / operations.length));

// The schema owner's connection where the database has one (the app's own role may not read every table).
const owner = (db as { owner?: typeof db.kysely }).owner ?? db.kysely;

// Ids of every table (generic: every uuid `id` column), so requests reach records that exist.
const pools = new Pools();
const tables = await owner
  .selectFrom('information_schema.columns' as never)
  .select(['table_name' as never])
  .where('column_name' as never, '=', 'id' as never)
  .where('data_type' as never, '=', 'uuid' as never)
  .where('table_schema' as never, '=', 'public' as never)
  .execute();
for (const { table_name: table } of tables as { table_name: string }[]) {
  const rows = await owner.selectFrom(table as never).select('id' as never).limit(60).execute();
  for (const r of rows as { id: string }[]) pools.addId(table, r.id);
}

// The demo users, their rows kept to undo what the fuzzed requests do to them (passwords, roles, locks).
type Row = Record<string, unknown>;
const demoUsers = (await owner.selectFrom('users').selectAll().where('is_demo', '=', true).orderBy('username').execute()) as unknown as Row[];
const demoIds = demoUsers.map((u) => u.id as string);
const demoRoles = (await owner.selectFrom('user_roles').selectAll().where('user_id', 'in', demoIds).execute()) as unknown as Row[];
for (const u of demoUsers) pools.addValue('username', u.username);

/** Puts the demo users' rows back as they were. */
async function restoreDemoUsers(): Promise<void> {
  for (const u of demoUsers) {
    const { id, ...rest } = u;
    await owner.updateTable('users').set(rest as never).where('id', '=', id as string).execute();
  }
  await owner.deleteFrom('user_roles').where('user_id', 'in', demoIds).execute();
  await owner.insertInto('user_roles').values(demoRoles as never).execute();
}

interface Persona {
  username: string | null;
  /** A demo citizen in the portal (their own session, cookie and CSRF token), at a level of assurance. */
  citizen?: { contact: string; assurance: 'low' | 'substantial' };
  cookie?: string;
  csrf?: string;
}
/** The session cookie's name, as the login answer sets it. */
let cookieName = SESSION_COOKIE;
const portalContact = DEMO_PORTAL_CONTACTS[0].email;
const citizenPersonas: Persona[] = [
  { username: 'citizen (low)', citizen: { contact: portalContact, assurance: 'low' } },
  { username: 'citizen (substantial)', citizen: { contact: portalContact, assurance: 'substantial' } },
];
const personas: Persona[] = [...demoUsers.map((u) => ({ username: u.username as string })), ...citizenPersonas, { username: null }];
const notes: string[] = [];
let loginCount = 0;

/**
 * Logs a demo citizen into the portal with a one-time code from the demo outbox, from an address of its own; the
 * codes sent before are forgotten first, so the per-contact throttle never stops a new login. At "substantial" the
 * session is raised in the database, as a MitID login would have made it.
 */
async function logInCitizen(p: Persona & { citizen: NonNullable<Persona['citizen']> }): Promise<void> {
  loginCount += 1;
  const remoteAddress = `198.51.101.${loginCount % 250}`;
  await owner.deleteFrom('portal_login_codes').execute();
  const asked = await app.inject({ method: 'POST', url: '/api/portal/login/code', payload: { contact: p.citizen.contact }, remoteAddress });
  const message = await owner.selectFrom('portal_outbox').select('body').where('recipient', '=', p.citizen.contact).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const code = message ? /\b([0-9]{6})\b/.exec(message.body)?.[1] : undefined;
  const res = code ? await app.inject({ method: 'POST', url: '/api/portal/login', payload: { contact: p.citizen.contact, code }, remoteAddress }) : undefined;
  const cookie = res?.statusCode === 200 ? res.cookies.find((c) => c.name === PORTAL_COOKIE)?.value : undefined;
  if (!res || !cookie) {
    notes.push(`${p.username} could not log in: code request ${asked.statusCode}, login ${res?.statusCode ?? 'not tried'}`);
    p.cookie = undefined;
    return;
  }
  p.cookie = cookie;
  p.csrf = (res.json() as { csrfToken: string }).csrfToken;
  if (p.citizen.assurance === 'substantial') await owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', p.csrf).execute();
}

/** Logs a demo user in from an address of its own, so the fuzzed logins' throttling never reaches it. */
async function logIn(p: Persona): Promise<void> {
  if (p.citizen) return logInCitizen(p as Persona & { citizen: NonNullable<Persona['citizen']> });
  if (!p.username) return;
  loginCount += 1;
  const attempt = () =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: p.username, password: 'demo' },
      remoteAddress: `198.51.100.${loginCount % 250}`,
    });
  let res = await attempt();
  if (res.statusCode !== 200) {
    await restoreDemoUsers();
    res = await attempt();
  }
  if (res.statusCode !== 200) {
    notes.push(`${p.username} could not log in again: ${res.statusCode} ${res.body.slice(0, 200)}`);
    p.cookie = undefined;
    return;
  }
  const set = res.cookies.find((c) => c.value !== '');
  cookieName = set?.name ?? cookieName;
  p.cookie = set?.value;
  p.csrf = (res.json() as { csrfToken: string }).csrfToken;
}

/** After an answer that may have ended the persona's session: is it still logged in? If not, log in again. */
async function keepLoggedIn(p: Persona, res: InjectResponse): Promise<void> {
  if (!p.username) return;
  if (p.citizen) {
    if (res.statusCode !== 401 && !res.cookies.some((c) => c.name === PORTAL_COOKIE)) return;
    const current = await app.inject({ method: 'GET', url: '/api/portal/session', cookies: p.cookie ? { [PORTAL_COOKIE]: p.cookie } : {} });
    if (current.statusCode !== 200 || !(current.json() as { citizen: unknown }).citizen) await logIn(p);
    return;
  }
  if (res.statusCode === 403 && res.body.includes('password_change_required')) {
    // An administrator's fuzzed reset made the password temporary: undo it and start over.
    await restoreDemoUsers();
    await logIn(p);
    return;
  }
  const setsCookie = res.cookies.some((c) => c.name === cookieName);
  if (res.statusCode !== 401 && !setsCookie) return;
  const me = await app.inject({ method: 'GET', url: '/api/auth/me', cookies: p.cookie ? { [cookieName]: p.cookie } : {} });
  if (me.statusCode !== 200) await logIn(p);
}

for (const p of personas) await logIn(p);

const checker = new ResponseChecker();
interface Failure {
  signature: string;
  count: number;
  example: string;
  /** Where the values went (for log findings: path.id, query.cursor, body.note…). */
  places: Set<string>;
}
const failures = new Map<string, Map<string, Failure>>();
const requestsPer = new Map<string, number>();
/** Per operation, the personas that have had a 2xx from it. */
const favoured = new Map<string, number[]>();
const statuses = new Map<number, number>();
let total = 0;
const started = Date.now();

function placesOf(f: Failure): string {
  const places = [...f.places].filter(Boolean);
  return places.length > 0 ? `; ${places.slice(0, 12).join(', ')}` : '';
}

function abbreviate(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' && x.length > 60 ? `${x.slice(0, 20)}…(${x.length} chars)` : x))?.slice(0, 600) ?? 'undefined';
}

function describeRequest(op: Operation, req: FuzzRequest, url: string): string {
  const who = pick(personas, req.persona).username ?? '(logged out)';
  const body = req.raw ? `raw ${req.raw.contentType} ${abbreviate(req.raw.text)}` : abbreviate(req.body);
  return `${op.method} ${url.length > 300 ? `${url.slice(0, 300)}…` : url} as ${who}; body ${body}; mutated: ${req.mutations.join(', ') || 'none'}`;
}

/** The error lines' own words, for telling distinct 5xx causes apart. */
function errorCause(lines: string[]): string {
  for (const line of lines) {
    try {
      const l = JSON.parse(line) as { level?: number; msg?: string; err?: { type?: string; code?: string; message?: string } };
      if ((l.level ?? 0) >= 50) return `${l.err?.type ?? ''} ${l.err?.code ?? ''} ${(l.err?.message ?? l.msg ?? '').slice(0, 120)}`.trim();
    } catch {
      // not JSON: ignore
    }
  }
  return 'no error line';
}

/** The values of a JSON log line, one per line (not its field names: `status` is no finding in `statusCode`). */
function valuesOfLine(line: string): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    else if (v !== null && v !== undefined) out.push(String(v));
  };
  try {
    walk(JSON.parse(line));
    return out.join('\n');
  } catch {
    return line;
  }
}

function logLineKind(line: string): string {
  try {
    const l = JSON.parse(line) as { msg?: string };
    return `"${l.msg ?? '?'}"`;
  } catch {
    return 'a non-JSON line';
  }
}

async function fuzzOnce(op: Operation, req: FuzzRequest): Promise<string[]> {
  const persona = pick(personas, req.persona);
  const { url, payload, contentType } = serialise(op, req);
  const firstLine = logLines.length;
  let res: InjectResponse;
  try {
    res = await app.inject({
      method: op.method as 'GET',
      url,
      payload,
      headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(persona.csrf && persona.cookie ? { 'x-csrf-token': persona.csrf } : {}) },
      cookies: persona.cookie ? { [persona.citizen ? PORTAL_COOKIE : cookieName]: persona.cookie } : {},
    });
  } catch (error) {
    return [`request failed in the client: ${(error as Error).message.slice(0, 200)}`];
  }
  // The request's own lines (a completed request is logged as the answer is sent).
  await new Promise((resolve) => setImmediate(resolve));
  const lines = logLines.slice(firstLine);
  total += 1;
  requestsPer.set(op.name, (requestsPer.get(op.name) ?? 0) + 1);
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);

  const problems: string[] = [];
  if (res.statusCode >= 500) problems.push(`${res.statusCode}: ${errorCause(lines)}`);
  else {
    const mismatch = checker.check(op, res.statusCode, res.headers['content-type'] as string | undefined, res.body);
    if (mismatch) problems.push(mismatch);
  }
  let decodedUrl = url;
  try {
    decodedUrl = decodeURIComponent(url);
  } catch {
    // keep it encoded
  }
  for (const value of sentValues(op, req)) {
    // A body value that is also part of the URL is found, if logged, as the path or query value it is.
    if (value.where.startsWith('body') && lineHolds(`${url} ${decodedUrl}`, value)) continue;
    // A value that is a word of the route itself (`kind=citizen` on /api/citizens/…) is found in the route pattern.
    if (lineHolds(op.path, value)) continue;
    const line = lines.find((l) => lineHolds(valuesOfLine(l), value));
    if (line) problems.push(`log line ${logLineKind(line)} holds a value sent in the ${value.where.replace(/[.<[].*$/, '')} (${value.where})`);
  }

  if (res.statusCode >= 200 && res.statusCode < 300) {
    // A record just created joins its table's ids (`POST /api/citizens` → `citizens`), so later requests
    // read, change and list it too.
    const created = (() => {
      try {
        return (JSON.parse(res.body) as { id?: unknown }).id;
      } catch {
        return undefined;
      }
    })();
    const collection = op.path.split('/').filter((x) => x && !x.startsWith('{')).pop();
    if (op.method === 'POST' && typeof created === 'string' && collection) pools.addId(collection.replaceAll('-', '_'), created);
    const f = favoured.get(op.name) ?? [];
    if (!f.includes(req.persona)) f.push(req.persona);
    favoured.set(op.name, f);
  }
  if (res.statusCode < 500 && (res.headers['content-type'] as string | undefined)?.startsWith('application/json')) {
    try {
      pools.harvest(JSON.parse(res.body));
    } catch {
      // the checker reported it
    }
  }
  await keepLoggedIn(persona, res);

  if (problems.length > 0) {
    const byOp = failures.get(op.name) ?? new Map<string, Failure>();
    failures.set(op.name, byOp);
    const example = describeRequest(op, req, url) + ` → ${res.statusCode} ${res.body.slice(0, 200)}`;
    for (const p of problems) {
      // One entry per kind of failure: without the place in parentheses, ids and long numbers.
      const signature = p
        .replace(/ \([^()]*\)$/, '')
        .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<uuid>')
        .replace(/-?\d{4,}/g, '<n>');
      const f = byOp.get(signature);
      if (f) {
        f.count += 1;
        f.places.add(p.match(/ \(([^()]*)\)$/)?.[1] ?? '');
      } else byOp.set(signature, { signature, count: 1, example: `${p}: ${example}`, places: new Set([p.match(/ \(([^()]*)\)$/)?.[1] ?? '']) });
    }
  }
  return problems;
}

describe(`fuzz over every operation of the OpenAPI document (${ENGINE}, seed ${SEED})`, () => {
  beforeEach(async () => {
    // Each operation starts with the demo users as loaded (a fuzzed admin may have changed their roles).
    await restoreDemoUsers();
  });

  afterAll(async () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const distinct = [...failures.values()].reduce((n, m) => n + m.size, 0);
    const byStatus = [...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');
    const summary =
      `fuzz: ${total} requests over ${operations.length} operations on ${ENGINE} in ${seconds} s ` +
        `(seed ${SEED}, at most ${RUNS} runs and ${perOperationMs} ms per operation; ${personas.length - 1 - citizenPersonas.length} users, ${citizenPersonas.length} citizens and logged out; ` +
        `${distinct} distinct failures; statuses ${byStatus})` +
      (notes.length > 0 ? `\nfuzz notes:\n  ${[...new Set(notes)].join('\n  ')}` : '');
    process.stdout.write(`${summary}\n`);
    // The whole list, for reading after a run: test-results/fuzz-<engine>.txt.
    const report = [...failures.entries()].map(([name, found]) =>
      [`${name}`, ...[...found.values()].map((f) => `- ${f.signature} (${f.count}×${placesOf(f)})\n    e.g. ${f.example}`)].join('\n'),
    );
    mkdirSync('test-results', { recursive: true });
    const counts = operations.map((o) => `  ${o.name}: ${requestsPer.get(o.name) ?? 0} requests`).join('\n');
    writeFileSync(`test-results/fuzz-${ENGINE}.txt`, `${summary}\n\nrequests per operation:\n${counts}\n\n${report.join('\n\n')}\n`);
    await ctx.close();
  });

  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(20);
    expect(personas.filter((p) => p.cookie).length).toBe(personas.length - 1);
  });

  for (const [index, op] of operations.entries()) {
    it(op.name, { timeout: perOperationMs + 60_000 }, async () => {
      // The time limit interrupts fast-check's wait, not the request: the last one is awaited before the
      // next operation starts, so no request's log lines are read as another's.
      let inFlight: Promise<unknown> = Promise.resolve();
      const requests = requestArbitrary(op, personas.length - 1, pools, () => favoured.get(op.name) ?? []);
      // One request first, timed: fast-check counts a run interrupted before any request finished as a failure, so
      // the time limit is at least a few of these (a login hashes a password: seconds on a loaded machine).
      const firstAt = performance.now();
      for (const req of fc.sample(requests, { seed: SEED + index, numRuns: 1 })) await fuzzOnce(op, req);
      const timeLimit = Math.min(30_000, Math.max(perOperationMs, Math.ceil(4 * (performance.now() - firstAt))));
      await fc.assert(
        fc.asyncProperty(requests, async (req) => {
          const running = fuzzOnce(op, req);
          inFlight = running;
          const problems = await running;
          return !(STOP && problems.length > 0);
        }),
        { seed: SEED + index, numRuns: RUNS, interruptAfterTimeLimit: timeLimit, markInterruptAsFailure: false, endOnFailure: !STOP },
      );
      await inFlight;
      const found = [...(failures.get(op.name)?.values() ?? [])];
      if (found.length > 0) {
        const list = found.map((f) => `- ${f.signature} (${f.count}×${placesOf(f)})\n    e.g. ${f.example}`).join('\n');
        expect.fail(
          `${op.name}: ${found.length} distinct failures (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npx vitest run --project ${ENGINE} src/server/fuzz)\n${list}`,
        );
      }
    });
  }
});
