// Statements with parameters are prepared once per connection, on both engines: the second run of a text binds
// the named statement instead of parsing it again, and a text without parameters goes through unprepared.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDb } from '../testing/harness.ts';

let db: TestDb;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

const MARK = 'prepared-statements-test';

describe('named prepared statements', () => {
  it('prepares a text with parameters once and reuses it', async () => {
    const found = await db.kysely.transaction().execute(async (tx) => {
      for (let i = 0; i < 3; i++) {
        const r = await tx.selectFrom('organisations').select('id').where('name', '=', `${MARK}-${i}`).execute();
        expect(r).toEqual([]);
      }
      const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(tx);
      return rows.filter((r) => r.statement.includes('"organisations"') && r.statement.includes('"name" = $1'));
    });
    expect(found).toHaveLength(1);
    expect(found[0]!.name).not.toBe('');
  });

  it('sends a text without parameters unprepared, and still answers parameterised statements correctly', async () => {
    const names = await db.kysely.transaction().execute(async (tx) => {
      await sql`select 1 as one_unprepared`.execute(tx);
      const orgs = await tx.selectFrom('organisations').select(['id', 'name']).orderBy('name').execute();
      // The same text with other values gives each its own answer.
      for (const o of orgs) {
        const r = await tx.selectFrom('organisations').select('name').where('id', '=', o.id).executeTakeFirstOrThrow();
        expect(r.name).toBe(o.name);
      }
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(tx);
      return rows.map((r) => r.statement);
    });
    expect(names.some((s) => s.includes('one_unprepared'))).toBe(false);
  });
});
