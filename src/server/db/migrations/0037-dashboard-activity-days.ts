// The steering dashboard's counts made ahead by a job (docs/decisions/0043): activities per programme, day and kind,
// and self-support 26 and 52 weeks after the start per programme and start day, so that a programme with millions of
// activities and many thousands of enrolments answers without counting them on every request. Counts only, no
// personal data. `dashboard_activity_counts` says up to which day a programme was counted and when (for both); the
// dashboard counts the days after that live.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create table dashboard_activity_days (
  programme_id uuid not null references programmes (id) on delete cascade,
  day date not null,
  kind text not null check (kind in ('walk_and_talk', 'conversation', 'group_attendance', 'network_meeting', 'internship', 'upskilling')),
  n integer not null check (n > 0),
  primary key (programme_id, day, kind)
);

create table dashboard_support_days (
  programme_id uuid not null references programmes (id) on delete cascade,
  start_day date not null,
  weeks integer not null check (weeks in (26, 52)),
  eligible integer not null check (eligible > 0),
  self integer not null check (self between 0 and eligible),
  primary key (programme_id, start_day, weeks)
);

create table dashboard_activity_counts (
  programme_id uuid primary key references programmes (id) on delete cascade,
  counted_through date not null,
  counted_at timestamptz not null
);

-- Which organisations have enrolments in a programme (the activity count's bound on the moment indexes), and the
-- programme's enrolments by start (starts, target groups, self-support counted live for the newest days).
create index enrolments_programme_organisation on enrolments (programme_id, organisation_id);
create index enrolments_programme_start on enrolments (programme_id, start_date);
`).execute(db);
  await sql`select pgboss.create_queue('dashboard-activity-days', ${JSON.stringify({ policy: 'singleton', retryLimit: 2, retryDelay: 300, expireInSeconds: 3600 })}::json)`.execute(db);
}
