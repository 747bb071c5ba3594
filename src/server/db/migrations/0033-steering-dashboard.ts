// The steering dashboard (issue 12 point 1): what the programme manager records beside the programme's facts.
// - The spending against each budget line (one figure per line and year, as the line is per year), with who
//   recorded it and when: the dashboard sets it against the budget.
// - An evaluation's reported outcome shares (e.g. the mid-term evaluation of 98 citizens: 17 % in job, 10 % in
//   education, 19 % in internship), drawn as a reference line beside the targets. Figures as reported, no
//   personal data.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
alter table programme_budget_lines
  add column spent_oere bigint check (spent_oere between 0 and 100000000000),
  add column spent_recorded_by uuid references users (id),
  add column spent_recorded_at timestamptz,
  add check ((spent_oere is null) = (spent_recorded_at is null) and (spent_oere is null) = (spent_recorded_by is null));

create table programme_evaluations (
  id uuid primary key default gen_random_uuid(),
  programme_id uuid not null references programmes (id),
  label text not null check (length(label) between 1 and 200),
  reported_on date not null,
  citizens integer not null check (citizens between 1 and 1000000),
  job_percent numeric(5, 1) check (job_percent between 0 and 100),
  education_percent numeric(5, 1) check (education_percent between 0 and 100),
  internship_percent numeric(5, 1) check (internship_percent between 0 and 100),
  created_at timestamptz not null default now()
);
create index programme_evaluations_programme on programme_evaluations (programme_id, reported_on desc);
`).execute(db);
}
