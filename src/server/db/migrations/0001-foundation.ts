// Organisations, programmes, staff with roles, sessions, and the hash-chained audit log.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create extension if not exists pg_trgm;

create table organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  kind text not null check (kind in ('municipality', 'region', 'research', 'company', 'foundation')),
  unit text,
  is_demo boolean not null default false,
  created_at timestamptz not null default now()
);

create table programmes (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  name text not null,
  summary_da text not null default '',
  summary_en text not null default '',
  starts_on date not null,
  ends_on date not null,
  capacity integer not null check (capacity >= 0),
  caseload_ceiling integer not null default 25 check (caseload_ceiling > 0),
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  version integer not null default 1,
  check (ends_on >= starts_on)
);

create table programme_partners (
  programme_id uuid not null references programmes (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  role text not null check (role in ('lead', 'partner', 'research', 'funder')),
  primary key (programme_id, organisation_id)
);
create index programme_partners_organisation on programme_partners (organisation_id);

create table programme_phases (
  id uuid primary key default gen_random_uuid(),
  programme_id uuid not null references programmes (id) on delete cascade,
  position integer not null,
  name_da text not null,
  name_en text not null,
  responsible text,
  starts_on date not null,
  ends_on date not null,
  check (ends_on >= starts_on),
  unique (programme_id, position)
);

create table programme_targets (
  programme_id uuid not null references programmes (id) on delete cascade,
  outcome text not null check (outcome in ('job', 'education', 'internship')),
  target_percent numeric(5, 2) not null check (target_percent >= 0 and target_percent <= 100),
  primary key (programme_id, outcome)
);

create table programme_target_groups (
  programme_id uuid not null references programmes (id) on delete cascade,
  benefit_code text not null,
  planned_count integer not null check (planned_count >= 0),
  primary key (programme_id, benefit_code)
);

create table programme_budget_lines (
  id uuid primary key default gen_random_uuid(),
  programme_id uuid not null references programmes (id) on delete cascade,
  year integer not null check (year between 2000 and 2100),
  purpose text not null,
  funder text,
  amount_oere bigint not null check (amount_oere >= 0)
);
create index programme_budget_lines_programme on programme_budget_lines (programme_id, year);

create table users (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  username text not null,
  name text not null,
  email text,
  password_hash text not null,
  active boolean not null default true,
  is_demo boolean not null default false,
  failed_login_count integer not null default 0,
  failed_login_window_start timestamptz,
  locked_until timestamptz,
  password_changed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index users_username_key on users (lower(username));
create index users_organisation on users (organisation_id, lower(name));

create table user_roles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  role text not null check (role in ('citizen', 'resource_consultant', 'caseworker', 'job_consultant',
    'liaison', 'clinician', 'programme_manager', 'steering_group', 'researcher', 'company_contact',
    'admin', 'dpo')),
  programme_id uuid references programmes (id),
  created_at timestamptz not null default now(),
  check ((role in ('admin', 'dpo')) = (programme_id is null)),
  unique nulls not distinct (user_id, role, programme_id)
);
create index user_roles_programme on user_roles (programme_id, role);

create table sessions (
  id_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);

create table audit_log (
  seq bigint generated always as identity primary key,
  occurred_at timestamptz not null default clock_timestamp(),
  organisation_id uuid,
  actor_user_id uuid,
  actor_username text,
  actor_organisation_id uuid,
  actor_roles text[] not null default '{}',
  action text not null,
  purpose text not null,
  resource_type text not null,
  resource_id text,
  citizen_id uuid,
  outcome text not null check (outcome in ('success', 'denied', 'failure')),
  criteria jsonb,
  chain_no bigint unique,
  segment text,
  prev_hash text,
  hash text
);
create index audit_log_organisation on audit_log (organisation_id, seq desc);
create index audit_log_actor_organisation on audit_log (actor_organisation_id, seq desc);
create index audit_log_citizen on audit_log (citizen_id, seq desc) where citizen_id is not null;
create index audit_log_unsealed on audit_log (seq) where hash is null;
create index audit_log_segment on audit_log (segment, chain_no);

create table audit_checkpoints (
  segment text primary key,
  first_chain_no bigint not null,
  last_chain_no bigint not null,
  row_count bigint not null,
  prev_hash text not null,
  last_hash text not null,
  signature text not null,
  closed_at timestamptz not null default now(),
  purged_at timestamptz
);

create function audit_log_guard() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'DELETE' then
    if current_setting('bindeled.audit_purge', true) = 'on'
       and exists (select 1 from audit_checkpoints c where c.segment = old.segment and c.purged_at is not null) then
      return old;
    end if;
    raise exception 'audit_log is append-only';
  end if;
  if old.hash is not null then
    raise exception 'a sealed audit row cannot change';
  end if;
  if row(new.seq, new.occurred_at, new.organisation_id, new.actor_user_id, new.actor_username,
         new.actor_organisation_id, new.actor_roles, new.action, new.purpose, new.resource_type,
         new.resource_id, new.citizen_id, new.outcome, new.criteria)
     is distinct from
     row(old.seq, old.occurred_at, old.organisation_id, old.actor_user_id, old.actor_username,
         old.actor_organisation_id, old.actor_roles, old.action, old.purpose, old.resource_type,
         old.resource_id, old.citizen_id, old.outcome, old.criteria) then
    raise exception 'audit_log content is append-only; only sealing may set chain fields';
  end if;
  return new;
end
$fn$;

create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_guard();

create function audit_checkpoint_guard() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'DELETE' then
    raise exception 'audit checkpoints are kept';
  end if;
  if row(new.segment, new.first_chain_no, new.last_chain_no, new.row_count, new.prev_hash, new.last_hash, new.signature, new.closed_at)
     is distinct from
     row(old.segment, old.first_chain_no, old.last_chain_no, old.row_count, old.prev_hash, old.last_hash, old.signature, old.closed_at)
     or old.purged_at is not null then
    raise exception 'an audit checkpoint can only be marked purged';
  end if;
  return new;
end
$fn$;

create trigger audit_checkpoints_guard before update or delete on audit_checkpoints
  for each row execute function audit_checkpoint_guard();

create table app_state (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
`).execute(db);
}
