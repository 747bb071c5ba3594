// Register linkage and the study's end (issue 12 points 5 and 6; decision 0044).
// A study may be marked for register linkage with the reference of its agreement with Danmarks Statistik's research
// service (the DST project number): a disclosing organisation then delivers its part of the study's approved variables
// keyed by CPR number to DST, which swaps CPR for its own pseudonym. Each delivery is one row of
// `study_linkage_deliveries` (made on the job queue `study-linkage`, downloadable for 2 days by the disclosing
// organisation's programme manager, never by the study's researchers); the package is a zip on disk (EXPORT_DIR),
// never in the database, and the row holds only counts. At the study's end the partner's confirmation of deletion or
// archiving is recorded on the study (who recorded it, when, which, the archive's reference).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
alter table studies
  add column register_linkage boolean not null default false,
  add column dst_reference text check (length(dst_reference) between 1 and 200),
  add column end_confirmation text check (end_confirmation in ('deleted', 'archived')),
  add column archive_reference text check (length(archive_reference) between 1 and 200),
  add column end_confirmed_by uuid references users (id),
  add column end_confirmed_at timestamptz,
  add constraint studies_linkage_reference check (not register_linkage or dst_reference is not null),
  add constraint studies_end_confirmation check (
    (end_confirmation is null) = (end_confirmed_by is null) and (end_confirmation is null) = (end_confirmed_at is null)
    and (archive_reference is null or end_confirmation = 'archived')
    and (end_confirmation is distinct from 'archived' or archive_reference is not null));

create table study_linkage_deliveries (
  id uuid primary key default gen_random_uuid(),
  study_id uuid not null references studies (id),
  -- The disclosing organisation: only its citizens' records are in the delivery, only its programme manager fetches it.
  organisation_id uuid not null references organisations (id),
  requested_by uuid not null references users (id),
  requested_at timestamptz not null default now(),
  variables text[] not null check (cardinality(variables) between 1 and 200),
  status text not null default 'queued' check (status in ('queued', 'running', 'ready', 'failed')),
  progress integer not null default 0 check (progress between 0 and 100),
  row_counts jsonb not null default '{}'::jsonb,
  -- Why it was not made: 'study_ended' (the study passed its end date before the job ran), never a value.
  failure text check (failure in ('study_ended', 'not_approved')),
  finished_at timestamptz,
  expires_at timestamptz,
  deleted_at timestamptz,
  size_bytes bigint,
  check ((status in ('ready', 'failed')) = (finished_at is not null)),
  check (status <> 'ready' or expires_at is not null),
  check ((status = 'failed') = (failure is not null))
);
create index study_linkage_deliveries_study on study_linkage_deliveries (study_id, requested_at desc, id desc);
create index study_linkage_deliveries_expiry on study_linkage_deliveries (expires_at) where status = 'ready' and deleted_at is null;
`).execute(db);
  await sql`select pgboss.create_queue('study-linkage', ${JSON.stringify({ policy: 'standard', retryLimit: 1, retryDelay: 30, expireInSeconds: 3600 })}::json)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0038-register-linkage-study-end cannot be rolled back: deliveries are records');
}
