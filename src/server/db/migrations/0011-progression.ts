// Progression measurement: instruments as versioned data, the programme's measurement schedule, answers
// (drafts, submissions, corrections with their history), the baseline/latest pair per enrolment and
// instrument that the cohort view reads, internal staff tasks (alerts and due measurements, never part of
// the citizen's plan), and the job queue's own schema (pg-boss).
import { sql, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
alter table programmes add column acute_procedure_da text not null default '';
alter table programmes add column acute_procedure_en text not null default '';

-- One row per version of an instrument. Shipped instruments have no organisation (every organisation uses
-- them); an organisation's own are uploaded by its administrator and inactive until approved.
create table instruments (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid references organisations (id),
  code text not null check (code ~ '^[a-z][a-z0-9_]{0,63}$'),
  version integer not null check (version >= 1),
  status text not null check (status in ('inactive', 'active', 'retired')),
  source text not null check (source in ('builtin', 'json', 'redcap')),
  definition jsonb not null,
  definition_hash text not null,
  licence text not null,
  data_categories text[] not null,
  health_data boolean not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  approved_by uuid references users (id),
  approved_at timestamptz,
  approval_note text,
  check ((status = 'inactive') or source = 'builtin' or approved_by is not null)
);
create unique index instruments_code_version on instruments (coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid), code, version);
create index instruments_organisation on instruments (organisation_id, code, version desc);

-- Which instruments a programme measures and when: at enrolment (baseline), every N months within a window,
-- and at exit.
create table programme_instruments (
  programme_id uuid not null references programmes (id),
  instrument_code text not null,
  organisation_id uuid not null references organisations (id),
  at_enrolment boolean not null default true,
  every_months integer check (every_months between 1 and 24),
  window_days integer not null default 14 check (window_days between 0 and 60),
  at_exit boolean not null default true,
  position integer not null default 0,
  updated_by uuid references users (id),
  updated_at timestamptz not null default now(),
  primary key (programme_id, instrument_code)
);

-- An answer to one instrument version. A draft may be partial; a submission is complete and scored on the
-- server from the definition. A correction keeps the earlier answers in assessment_corrections.
create table assessments (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  enrolment_id uuid not null references enrolments (id),
  programme_id uuid not null references programmes (id),
  instrument_id uuid not null references instruments (id),
  instrument_code text not null,
  occasion text not null check (occasion in ('baseline', 'follow_up', 'exit', 'extra')),
  status text not null check (status in ('draft', 'submitted')),
  answers jsonb not null,
  raw numeric,
  scaled numeric,
  band text,
  subscales jsonb,
  alerts text[] not null default '{}',
  answered_at timestamptz not null,
  answered_with text not null check (answered_with in ('with_citizen', 'staff_only', 'citizen_portal')),
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index assessments_citizen on assessments (citizen_id, answered_at desc, id desc);
create index assessments_enrolment on assessments (enrolment_id, instrument_code, status, answered_at);
-- At most one draft per enrolment and instrument: a second start continues the first.
create unique index assessments_one_draft on assessments (enrolment_id, instrument_code) where status = 'draft';

create table assessment_corrections (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  assessment_id uuid not null references assessments (id),
  reason text not null,
  previous_answers jsonb not null,
  previous_raw numeric,
  previous_scaled numeric,
  previous_band text,
  corrected_by uuid not null references users (id),
  corrected_at timestamptz not null default now()
);
create index assessment_corrections_assessment on assessment_corrections (assessment_id, corrected_at);

-- The first and the latest submitted measurement per enrolment and instrument, kept in the answer's
-- transaction, so that the cohort view reads one row per citizen instead of every answer.
create table assessment_pairs (
  enrolment_id uuid not null references enrolments (id),
  instrument_code text not null,
  organisation_id uuid not null references organisations (id),
  programme_id uuid not null references programmes (id),
  citizen_id uuid not null references citizens (id),
  measurements integer not null,
  baseline_id uuid not null references assessments (id),
  baseline_at timestamptz not null,
  baseline_value double precision,
  baseline_band text,
  latest_id uuid not null references assessments (id),
  latest_at timestamptz not null,
  latest_value double precision,
  latest_band text,
  -- The enrolment's target group and its resource consultant as they stood at the latest measurement, so that
  -- the cohort view groups without joining every enrolment and team row of the programme.
  benefit_code text,
  consultant_id uuid references users (id),
  primary key (enrolment_id, instrument_code)
);
create index assessment_pairs_programme on assessment_pairs (programme_id, instrument_code);

-- Internal tasks for the team: an alert that fired, a measurement that is due. They never appear in the plan
-- the citizen sees or prints. At most one open task per rule (alert code or due measurement) per citizen.
create table staff_tasks (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  enrolment_id uuid not null references enrolments (id),
  programme_id uuid not null references programmes (id),
  kind text not null check (kind in ('alert', 'measurement_due')),
  rule text not null,
  instrument_code text not null,
  text_da text not null,
  text_en text not null,
  assessment_id uuid references assessments (id),
  due_date date,
  window_end date,
  status text not null check (status in ('open', 'done', 'cancelled')),
  created_at timestamptz not null default now(),
  closed_at timestamptz,
  closed_by uuid references users (id),
  close_note text,
  version integer not null default 1
);
create unique index staff_tasks_one_open on staff_tasks (citizen_id, kind, rule) where status = 'open';
create index staff_tasks_enrolment on staff_tasks (enrolment_id, status, due_date);
create index staff_tasks_programme_open on staff_tasks (programme_id, due_date) where status = 'open';
`).execute(db);
  // The job queue's tables, created with the schema so that a fresh database (and every test template)
  // already holds them; pg-boss checks its schema version at start and migrates later releases itself.
  // Its text brings its own BEGIN/COMMIT; the migration already runs in a transaction.
  const plans = PgBoss.getConstructionPlans('pgboss').trim().replace(/^BEGIN;/i, '').replace(/COMMIT;$/i, '');
  if (/\b(BEGIN|COMMIT);/i.test(plans.replace(/\$\$[\s\S]*?\$\$/g, ''))) throw new Error('unexpected transaction control in the job queue schema');
  await sql.raw(plans).execute(db);
  // Queues are created here, by the schema's owner: a queue is a partition of the job table, which only its
  // owner may attach, so the application role (which does not own the schema) cannot create one at run time.
  await sql`select pgboss.create_queue('progression-due-measurements', ${JSON.stringify({ policy: 'singleton', retryLimit: 3, retryDelay: 60, expireInSeconds: 900 })}::json)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0011-progression cannot be rolled back: answers are kept');
}
