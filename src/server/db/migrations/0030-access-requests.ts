// Access requests (issue 11, "Indsigt"): the citizen asks once in the portal and it becomes one case per
// organisation holding a record of the person (each controller decides on its own data). A case carries its
// deadline (one month, extendable once by up to two with notice inside the first), the interim notice owed after
// 7 working days without a decision, the redaction step (who is redacted, which internal documents are withheld
// as documents), the package generated on the job queue (with progress), the decision and its release.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create table access_requests (
  id uuid primary key default gen_random_uuid(),
  request_group_id uuid not null,
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  account_id uuid not null references portal_accounts (id),
  request_text text check (length(request_text) between 1 and 2000),
  received_at timestamptz not null default now(),
  received_on date not null,
  first_deadline date not null,
  -- The deadline in force: the first one, or the one it was extended to.
  deadline date not null,
  extension_reason text check (length(extension_reason) between 1 and 2000),
  extension_noticed_at timestamptz,
  interim_reason text check (length(interim_reason) between 1 and 2000),
  interim_expected_on date,
  interim_noticed_at timestamptz,
  interim_noticed_by uuid references users (id),
  redactions jsonb not null default '[]'::jsonb,
  withheld jsonb not null default '[]'::jsonb,
  package_state text not null default 'none' check (package_state in ('none', 'queued', 'running', 'done', 'failed')),
  package_progress integer not null default 0 check (package_progress between 0 and 100),
  package_job_id uuid,
  package_generated_at timestamptz,
  decision text check (decision in ('full', 'partial', 'refused')),
  decision_reasons text check (length(decision_reasons) between 1 and 8000),
  complaint_guidance text check (length(complaint_guidance) between 1 and 8000),
  decided_at timestamptz,
  decided_by uuid references users (id),
  released_at timestamptz,
  released_by uuid references users (id),
  version integer not null default 1,
  check ((extension_reason is null) = (extension_noticed_at is null)),
  check ((extension_reason is null and deadline = first_deadline) or (extension_reason is not null and deadline > first_deadline and deadline <= (received_on + interval '3 months')::date)),
  check ((interim_noticed_at is null) = (interim_reason is null) and (interim_noticed_at is null) = (interim_expected_on is null)),
  check ((decision is null) = (decided_at is null) and (decision is null) = (decision_reasons is null) and (decision is null) = (complaint_guidance is null)),
  check (released_at is null or decided_at is not null)
);
create index access_requests_queue on access_requests (organisation_id, deadline, id) where released_at is null;
create index access_requests_citizen on access_requests (citizen_id, received_at desc);
create index access_requests_account on access_requests (account_id, received_at desc, id);

-- The generated package: readable HTML and the same data as JSON, kept beside the case (one per case).
create table access_packages (
  request_id uuid primary key references access_requests (id) on delete cascade,
  html text not null,
  json jsonb not null,
  generated_at timestamptz not null default now()
);
`).execute(db);
  await sql`select pgboss.create_queue('access-request-package', ${JSON.stringify({ policy: 'standard', retryLimit: 2, retryDelay: 30, expireInSeconds: 900 })}::json)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0030-access-requests cannot be rolled back: cases are records');
}
