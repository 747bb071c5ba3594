// The application log holds no personal data: a database error that carries the request's values (PGlite
// attaches the query parameters, PostgreSQL puts the row in `detail`) is logged by code, constraint and table
// only, and request lines name the route pattern, never the URL, its query string or the body.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type TestContext } from '../testing/harness.ts';
import { loggerOptions, redactError, type LogDestination } from './logging.ts';

function memoryLog(): LogDestination & { lines: string[]; text(): string } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(line), text: () => lines.join('') };
}

// Values no log line may hold: they stand for a citizen's name, phone and note, and a search text.
const NAME = 'Logvenfrida';
const PHONE = '+45 71 23 98 45';
const NOTE = 'Loggen må aldrig se denne note 5517';
const QUERY_VALUE = 'sagsbehandlerens-søgning';

/** Makes every update of a citizen fail the way PostgreSQL reports a failing row: the values in message and detail. */
async function failCitizenUpdates(t: TestContext) {
  await sql`
    create function test_refuse_citizen_update() returns trigger language plpgsql as $$
    begin
      raise exception 'refused update of %', new.first_name
        using detail = format('Failing row contains (%s, %s, %s).', new.first_name, new.phone, new.note),
              hint = new.note;
    end $$`.execute(t.db.owner);
  await sql`create trigger test_refuse_citizen_update before update on citizens for each row execute function test_refuse_citizen_update()`.execute(t.db.owner);
}

/** Sends a failing update with the personal values in the body, and a search with a value in the query string. */
async function provoke(t: TestContext) {
  const rk1 = await login(t.app, 'rk1');
  const citizen = (await rk1.request({ method: 'GET', url: '/api/citizens?scope=mine&limit=1' })).json().items[0];
  const detail = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizen.id}` })).json();
  const update = await rk1.request({ method: 'PATCH', url: `/api/citizens/${citizen.id}`, payload: { version: detail.version, firstName: NAME, phone: PHONE, note: NOTE } });
  const dpo = await login(t.app, 'dpo');
  const search = await dpo.request({ method: 'GET', url: `/api/audit?actor=${encodeURIComponent(QUERY_VALUE)}&limit=3` });
  return { update, search, citizenId: citizen.id as string };
}

describe('the application log', () => {
  const log = memoryLog();
  let t: TestContext;
  let result: Awaited<ReturnType<typeof provoke>>;
  beforeAll(async () => {
    t = await testApp({ logger: loggerOptions('info', log) });
    await failCitizenUpdates(t);
    result = await provoke(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('holds none of the values of a request that failed in the database', () => {
    expect(result.update.statusCode).toBe(500);
    for (const value of [NAME, PHONE, NOTE, '5517', '71 23 98 45']) expect(log.text(), value).not.toContain(value);
  });

  it('logs the database error by class and code only: no message, detail, hint, where, query or parameters', () => {
    const line = log.lines.map((l) => JSON.parse(l) as { msg: string; err?: Record<string, unknown> }).find((l) => l.msg === 'unhandled error');
    expect(line?.err).toMatchObject({ type: 'DatabaseError', database: true, code: 'P0001' });
    expect(Object.keys(line!.err!).sort()).toEqual(expect.arrayContaining(['code', 'database', 'type']));
    for (const key of ['message', 'detail', 'hint', 'where', 'query', 'params', 'stack', 'internalQuery']) expect(line!.err, key).not.toHaveProperty(key);
  });

  it('writes request lines with method, route pattern and status, never the URL or its query string', () => {
    expect(result.search.statusCode).toBe(200);
    const lines = log.lines.map((l) => JSON.parse(l) as { msg: string; req?: Record<string, unknown>; res?: Record<string, unknown> });
    const completed = lines.filter((l) => l.msg === 'request completed').map((l) => l.res);
    expect(completed).toContainEqual({ method: 'GET', route: '/api/audit', statusCode: 200 });
    expect(completed).toContainEqual({ method: 'PATCH', route: '/api/citizens/:id', statusCode: 500 });
    expect(lines.filter((l) => l.msg === 'incoming request').map((l) => l.req)).toContainEqual({ method: 'GET', route: '/api/citizens/:id' });
    expect(log.text()).not.toContain(QUERY_VALUE);
    expect(log.text()).not.toContain(encodeURIComponent(QUERY_VALUE));
    expect(log.text()).not.toContain('scope=mine');
    expect(log.text()).not.toContain(result.citizenId);
    expect(log.text()).not.toMatch(/cookie|csrf/i);
  });
});

describe('the same failure with the logger as it was configured before', () => {
  const log = memoryLog();
  let t: TestContext;
  beforeAll(async () => {
    t = await testApp({ logger: { level: 'info', stream: log, redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'] } });
    await failCitizenUpdates(t);
    await provoke(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('wrote the note, the phone and the name, and the query string (what the redacting serializer prevents)', () => {
    for (const value of [NAME, PHONE, NOTE, encodeURIComponent(QUERY_VALUE)]) expect(log.text(), value).toContain(value);
  });
});

describe('redactError', () => {
  it('keeps the code, constraint and table of a database error and drops everything that may hold values', () => {
    const err = Object.assign(new Error('duplicate key value violates unique constraint "citizens_cpr" (010190-1234)'), {
      code: '23505',
      severity: 'ERROR',
      constraint: 'citizens_cpr',
      table: 'citizens',
      schema: 'public',
      detail: 'Key (cpr_hash)=(abc) already exists. Anna Hansen',
      where: 'PL/pgSQL function x() line 3 at RAISE',
      query: 'update citizens set note = $1',
      params: ['Anna Hansen', '010190-1234'],
    });
    const out = redactError(err);
    expect(out).toEqual({ type: 'DatabaseError', database: true, code: '23505', constraint: 'citizens_cpr', table: 'citizens', schema: 'public' });
  });

  it('keeps a safe message of another error: quoted values and CPR-like numbers taken out, causes redacted too', () => {
    const cause = Object.assign(new Error('boom'), { code: '22P02', params: ['secret'] });
    const out = redactError(new TypeError(`Unexpected token in "Anna Hansen 010190 - 1234" at 'x'`, { cause }));
    expect(out.type).toBe('TypeError');
    expect(out.message).toBe('Unexpected token in "…" at "…"');
    expect(out.cause).toEqual({ type: 'DatabaseError', database: true, code: '22P02' });
    expect(JSON.stringify(out)).not.toMatch(/Anna|1234|secret/);
    expect(redactError(new RangeError('born 010190/1234'))).toMatchObject({ message: 'born 010190-xxxx' });
  });
});
