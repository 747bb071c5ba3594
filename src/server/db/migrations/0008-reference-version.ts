// One counter for rarely changing reference data (code lists, programme settings). Every statement that
// changes such a table raises it in the same transaction; each request reads it with its session, so an
// instance's in-memory copy of reference data is used only while it is current, on every instance.
// See docs/decisions/0016-round-trips-and-reference-cache.md.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create table reference_version (
  id smallint primary key default 1 check (id = 1),
  version bigint not null default 1
);
insert into reference_version default values;

create function bump_reference_version() returns trigger language plpgsql as $fn$
begin
  update reference_version set version = version + 1 where id = 1;
  return null;
end
$fn$;

create trigger code_values_reference_version after insert or update or delete or truncate on code_values
  for each statement execute function bump_reference_version();
create trigger programmes_reference_version after insert or update or delete or truncate on programmes
  for each statement execute function bump_reference_version();
`).execute(db);
}
