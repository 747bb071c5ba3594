// Research exports (issue 12 point 5, "Dataudtræk"): one row per requested export of a study, its state on the job
// queue (queued → running → scanning → ready | blocked), its progress, the rows per file, what the k-anonymity step
// generalised or suppressed, the identifier scan's hit (file and variable, never the value), and the package's
// expiry (14 days). The package itself is a zip on disk (EXPORT_DIR), never in the database; no pseudonym, key or
// date offset is stored. Two queues: the export job and the daily clean-up of expired packages.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create table study_exports (
  id uuid primary key default gen_random_uuid(),
  study_id uuid not null references studies (id),
  requested_by uuid not null references users (id),
  requested_at timestamptz not null default now(),
  format text not null check (format in ('csv', 'redcap')),
  variables text[] not null check (cardinality(variables) between 1 and 200),
  status text not null default 'queued' check (status in ('queued', 'running', 'scanning', 'ready', 'blocked')),
  progress integer not null default 0 check (progress between 0 and 100),
  row_counts jsonb not null default '{}'::jsonb,
  -- What the k-anonymity step did: the generalisation level reached and the records whose quasi-identifiers were suppressed.
  anonymisation jsonb,
  -- Why the export was blocked: { reason, file, variable } (a scan hit or the k-anonymity refusal), never the value.
  blocked jsonb,
  finished_at timestamptz,
  expires_at timestamptz,
  -- The package file was deleted (expired, or the study ended).
  deleted_at timestamptz,
  size_bytes bigint,
  check ((status in ('ready', 'blocked')) = (finished_at is not null)),
  check (status <> 'ready' or expires_at is not null),
  check (status <> 'blocked' or blocked is not null)
);
create index study_exports_study on study_exports (study_id, requested_at desc, id desc);
create index study_exports_expiry on study_exports (expires_at) where status = 'ready' and deleted_at is null;
`).execute(db);
  await sql`select pgboss.create_queue('study-export', ${JSON.stringify({ policy: 'standard', retryLimit: 1, retryDelay: 30, expireInSeconds: 3600 })}::json)`.execute(db);
  await sql`select pgboss.create_queue('study-export-cleanup', ${JSON.stringify({ policy: 'singleton', retryLimit: 2, retryDelay: 60, expireInSeconds: 900 })}::json)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0034-study-exports cannot be rolled back: exports are records');
}
