// Named prepared statements on PGlite give the same rows as PGlite's own query(), keep errors intact,
// stay within their capacity, and recover when a table changes under a prepared statement.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PreparedStatements } from './pglite-prepared.ts';

let pg: PGlite;
let sets = 0;
/** A separate set of statements per test, with its own names, over the one database of this file. */
const statements = (capacity?: number) => new PreparedStatements(pg, capacity, `t${++sets}_`);

beforeAll(async () => {
  // The same parsers the application sets (dates as text, bigint and numeric as numbers).
  pg = new PGlite({ parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v), 1700: (v: string) => Number(v) } });
});
afterAll(async () => {
  await pg.close();
});

beforeEach(async () => {
  await pg.exec('deallocate all');
  await pg.exec(`
    drop table if exists t;
    create table t (id uuid primary key, n int8, amount numeric, day date, at timestamptz, ok boolean, doc jsonb, tags text[], note text);
    insert into t values
      ('00000000-0000-4000-8000-000000000001', 9007199254740991, 12.5, '2026-03-01', '2026-03-01T10:00:00Z', true, '{"a":[1,2]}', '{x,y}', null),
      ('00000000-0000-4000-8000-000000000002', -3, 0, '1999-12-31', '1999-12-31T23:59:59.123Z', false, '[]', '{}', 'æøå');
  `);
});

describe('prepared statements on PGlite', () => {
  it('answer exactly as query() does, for every type the application uses', async () => {
    const prepared = statements();
    const cases: [string, unknown[]][] = [
      ['select * from t where id = any($1::uuid[]) order by id', [['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']]],
      ['select * from t where day <= $1 and at < $2 and ok = $3', ['2026-12-31', new Date('2030-01-01T00:00:00Z'), true]],
      ['select $1::jsonb as doc, $2::text[] as tags, $3::int8 as n, $4::numeric as amount', [{ b: 'c', d: [1] }, ['p', 'q'], 42, 1.25]],
      ['select * from t where note is not distinct from $1', [null]],
      ['select count(*) as c from t where n > $1', [0]],
    ];
    for (const [text, values] of cases) {
      const expected = await pg.query(text, values);
      for (let i = 0; i < 2; i++) {
        const got = await prepared.query(text, values);
        expect(got.rows).toEqual(expected.rows);
        expect(got.fields).toEqual(expected.fields);
      }
    }
    expect(prepared.size).toBe(cases.length);
  });

  it('report writes with their affected rows', async () => {
    const prepared = statements();
    const result = await prepared.query('update t set note = $1 where ok = $2', ['set', true]);
    expect(result.affectedRows).toBe(1);
    expect((await pg.query('select note from t where ok')).rows).toEqual([{ note: 'set' }]);
  });

  it('pass the database error through with its code, and the transaction can be rolled back', async () => {
    const prepared = statements();
    await pg.exec('begin');
    await expect(prepared.query('insert into t (id) values ($1)', ['00000000-0000-4000-8000-000000000001'])).rejects.toMatchObject({ code: '23505' });
    await pg.exec('rollback');
    expect(pg.isInTransaction()).toBe(false);
    // The statement stays prepared and works for the next caller.
    const ok = await prepared.query('insert into t (id) values ($1)', ['00000000-0000-4000-8000-000000000003']);
    expect(ok.affectedRows).toBe(1);
    await expect(prepared.query('select nonsense from t where id = $1', ['x'])).rejects.toMatchObject({ code: '42703' });
  });

  it('keep at most their capacity, closing the least recently used', async () => {
    const prepared = statements(3);
    for (let i = 0; i < 10; i++) await prepared.query(`select $1::int + ${i} as v`, [1]);
    expect(prepared.size).toBe(3);
    const named = await pg.query<{ c: number }>('select count(*)::int as c from pg_prepared_statements');
    expect(named.rows[0]!.c).toBe(3);
    expect((await prepared.query('select $1::int + 0 as v', [1])).rows).toEqual([{ v: 1 }]);
  });

  it('are shared by every connection to one database', () => {
    expect(PreparedStatements.of(pg)).toBe(PreparedStatements.of(pg));
  });

  it('prepare a statement again when its table changed its row type', async () => {
    const prepared = statements();
    const text = 'select * from t where id = $1';
    await prepared.query(text, ['00000000-0000-4000-8000-000000000001']);
    await pg.exec('alter table t add column extra text default $$e$$');
    const after = await prepared.query<{ extra: string }>(text, ['00000000-0000-4000-8000-000000000001']);
    expect(after.rows[0]!.extra).toBe('e');
  });
});
