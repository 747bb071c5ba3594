// Accounts: temporary passwords set by an administrator, a failed-login streak that keeps counting through
// its locks, and per-address login throttle counters shared by every instance.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
alter table users add column password_must_change boolean not null default false;
alter table users add column last_failed_login_at timestamptz;

create table login_throttle (
  address text primary key check (length(address) <= 64),
  failures integer not null check (failures >= 0),
  window_start timestamptz not null
);
create index login_throttle_window on login_throttle (window_start);
`).execute(db);
}
