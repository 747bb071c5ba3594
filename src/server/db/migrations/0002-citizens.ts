// Citizens with encrypted CPR, versioned code lists, enrolments with teams, status history, journal notes
// with revisions, and the citizen events the timeline reads.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
alter table programmes add column consultants_see_all boolean not null default false;

create table code_values (
  id uuid primary key default gen_random_uuid(),
  list text not null check (list in ('visitation', 'benefit', 'exit_outcome', 'referral_source')),
  code text not null check (code ~ '^[a-z0-9_]+$'),
  organisation_id uuid references organisations (id),
  label_da text not null,
  label_en text not null,
  valid_from date not null default '1900-01-01',
  valid_to date,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  check (valid_to is null or valid_to >= valid_from)
);
create unique index code_values_key on code_values (list, code, coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid));

create table citizens (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  cpr_encrypted text not null,
  cpr_hash text not null,
  birth_date date not null,
  cpr_is_replacement boolean not null default false,
  first_name text not null,
  last_name text not null,
  search_name text not null,
  phone text,
  email text,
  address text,
  preferred_contact text check (preferred_contact in ('phone', 'sms', 'email', 'letter', 'digital_post')),
  note text,
  is_demo boolean not null default false,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  unique (organisation_id, cpr_hash)
);
create index citizens_name on citizens (organisation_id, lower(last_name), lower(first_name), id);
create index citizens_birth_date on citizens (organisation_id, birth_date);
create index citizens_search_name on citizens using gin (search_name gin_trgm_ops);
create index citizens_created_by on citizens (created_by);

create table enrolments (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  programme_id uuid not null references programmes (id),
  referral_source text,
  referral_date date,
  referral_reason text,
  visitation_code text,
  benefit_code text not null,
  start_date date not null,
  status text not null check (status in ('referred', 'active', 'paused', 'ended')),
  end_date date,
  exit_outcome text,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  check ((status = 'ended') = (end_date is not null and exit_outcome is not null)),
  check (end_date is null or end_date >= start_date)
);
create index enrolments_citizen on enrolments (citizen_id, start_date desc);
create index enrolments_programme on enrolments (programme_id, status, citizen_id);
create unique index enrolments_one_open on enrolments (citizen_id, programme_id) where status <> 'ended';

create table team_members (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  enrolment_id uuid not null references enrolments (id),
  user_id uuid not null references users (id),
  role text not null check (role in ('resource_consultant', 'caseworker', 'job_consultant', 'liaison')),
  kind text not null default 'permanent' check (kind in ('permanent', 'substitute')),
  substitute_for uuid references users (id),
  valid_from date not null,
  valid_to date,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  check (valid_to is null or valid_to >= valid_from),
  check ((kind = 'substitute') = (substitute_for is not null and valid_to is not null))
);
create index team_members_user on team_members (user_id, valid_from, valid_to);
create index team_members_enrolment on team_members (enrolment_id);

create table status_periods (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  benefit_code text not null,
  activity text check (activity in ('ordinary_job', 'wage_subsidy', 'fleksjob', 'internship', 'education')),
  weekly_hours numeric(4, 1) check (weekly_hours >= 0 and weekly_hours <= 80),
  from_date date not null,
  to_date date,
  note text,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  check (to_date is null or to_date >= from_date)
);
create index status_periods_citizen on status_periods (citizen_id, from_date);

create table notes (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  kind text not null check (kind in ('journal', 'external_assessment', 'citizen_remark')),
  remark_on uuid references notes (id),
  sensitivity text not null default 'normal' check (sensitivity in ('normal', 'sensitive')),
  source text,
  author_id uuid not null references users (id),
  created_at timestamptz not null default now(),
  revision integer not null default 1,
  version integer not null default 1,
  check ((kind = 'citizen_remark') = (remark_on is not null)),
  check (kind <> 'external_assessment' or source is not null)
);
create index notes_citizen on notes (citizen_id, created_at desc);

create table note_revisions (
  note_id uuid not null references notes (id),
  revision integer not null,
  body text not null,
  reason text,
  written_by uuid not null references users (id),
  written_at timestamptz not null default now(),
  primary key (note_id, revision)
);

create table citizen_events (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  occurred_at timestamptz not null default now(),
  kind text not null,
  ref_id uuid,
  actor_id uuid references users (id),
  data jsonb not null default '{}'
);
create index citizen_events_timeline on citizen_events (citizen_id, occurred_at desc, id desc);
`).execute(db);
}
