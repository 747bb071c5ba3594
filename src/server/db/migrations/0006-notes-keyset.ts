// Journal notes are listed a page at a time, newest first: the keyset (created_at, id) needs both in the index.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create index notes_citizen_page on notes (citizen_id, created_at desc, id desc);
drop index notes_citizen;
`).execute(db);
}
