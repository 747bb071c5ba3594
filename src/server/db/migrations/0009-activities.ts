// The effort itself: the plan per enrolment (goals, tasks, outside participants, every revision kept),
// network meetings that change it, individual conversations, group courses with sessions and attendance,
// companies with contacts and meetings, internships with hours per week, upskilling, and the personal
// calendar feed. Every table carries the owning organisation.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
alter table organisations add column calendar_feed_enabled boolean not null default false;

create table plans (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  enrolment_id uuid not null unique references enrolments (id),
  goal_kind text check (goal_kind in ('job', 'education')),
  goal_text text,
  goal_target_date date,
  coordinator_id uuid references users (id),
  next_follow_up date,
  revision integer not null default 0,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index plans_citizen on plans (citizen_id);
create index plans_coordinator_follow_up on plans (coordinator_id, next_follow_up);

-- People outside the staff who take part in a citizen's plan (a relative, an employer): name, role and the
-- contact their tasks need, with the consent the citizen gave for them.
create table plan_participants (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  plan_id uuid not null references plans (id),
  name text not null,
  role text not null,
  contact text,
  consent_topics text[] not null,
  consent_recorded_by uuid not null references users (id),
  consent_recorded_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create index plan_participants_plan on plan_participants (plan_id);

create table network_meetings (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  plan_id uuid not null references plans (id),
  starts_at timestamptz not null,
  duration_minutes integer not null check (duration_minutes between 5 and 600),
  place text not null check (place in ('office', 'citizen_home', 'jobcentre', 'psychiatry', 'company', 'video', 'other')),
  place_text text,
  status text not null check (status in ('planned', 'held', 'cancelled')),
  minutes text,
  booked_from uuid references network_meetings (id),
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index network_meetings_citizen on network_meetings (citizen_id, starts_at desc);
create index network_meetings_plan on network_meetings (plan_id, starts_at desc);

create table meeting_participants (
  meeting_id uuid not null references network_meetings (id),
  position integer not null,
  kind text not null check (kind in ('citizen', 'staff', 'outside')),
  user_id uuid references users (id),
  plan_participant_id uuid references plan_participants (id),
  role text,
  primary key (meeting_id, position),
  check ((kind = 'staff') = (user_id is not null)),
  check ((kind = 'outside') = (plan_participant_id is not null))
);
create index meeting_participants_user on meeting_participants (user_id, meeting_id) where user_id is not null;

create table plan_goals (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  plan_id uuid not null references plans (id),
  life_area text not null check (life_area in ('work', 'education', 'health', 'everyday_life', 'finances', 'network', 'housing')),
  text text not null,
  target_date date,
  status text not null check (status in ('active', 'achieved', 'changed', 'dropped')),
  position integer not null default 0,
  set_in_meeting uuid references network_meetings (id),
  changed_in_meeting uuid references network_meetings (id),
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index plan_goals_plan on plan_goals (plan_id, position);

create table plan_tasks (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  plan_id uuid not null references plans (id),
  goal_id uuid references plan_goals (id),
  title text not null,
  owner_kind text not null check (owner_kind in ('citizen', 'staff', 'outside')),
  owner_user_id uuid references users (id),
  owner_participant_id uuid references plan_participants (id),
  due_date date,
  status text not null check (status in ('open', 'done', 'cancelled')),
  -- A reminder Bindeled made itself: register this offer in Min Plan (kind and id of the offer).
  min_plan_offer_kind text check (min_plan_offer_kind in ('internship', 'upskilling', 'group_course')),
  min_plan_offer_id uuid,
  created_in_meeting uuid references network_meetings (id),
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  version integer not null default 1,
  check ((owner_kind = 'staff') = (owner_user_id is not null)),
  check ((owner_kind = 'outside') = (owner_participant_id is not null))
);
create index plan_tasks_plan on plan_tasks (plan_id, status, due_date);
create index plan_tasks_owner on plan_tasks (owner_user_id, status, due_date) where owner_user_id is not null;
create unique index plan_tasks_min_plan_offer on plan_tasks (min_plan_offer_id) where min_plan_offer_id is not null and status = 'open';

-- Every version of the plan: the whole plan as it stood after the change, who made it, and in which meeting.
create table plan_revisions (
  plan_id uuid not null references plans (id),
  revision integer not null,
  organisation_id uuid not null references organisations (id),
  changed_by uuid not null references users (id),
  changed_at timestamptz not null default now(),
  meeting_id uuid references network_meetings (id),
  summary jsonb not null,
  snapshot jsonb not null,
  primary key (plan_id, revision)
);

create table conversations (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  starts_at timestamptz not null,
  duration_minutes integer not null check (duration_minutes between 5 and 600),
  place text not null check (place in ('walk_and_talk', 'conversation_room', 'library', 'drop_in_centre', 'citizen_home', 'phone_video', 'other')),
  place_text text,
  status text not null check (status in ('planned', 'held', 'no_show', 'cancelled')),
  staff_ids uuid[] not null,
  themes text[] not null default '{}',
  note text,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  check (place <> 'other' or place_text is not null)
);
create index conversations_citizen on conversations (citizen_id, starts_at desc);
create index conversations_staff on conversations using gin (staff_ids);
create index conversations_starts on conversations (organisation_id, starts_at);

create table group_courses (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  programme_id uuid not null references programmes (id),
  title text not null,
  description text,
  topics text[] not null default '{}',
  capacity integer not null check (capacity between 1 and 200),
  location text,
  min_plan text not null default 'no' check (min_plan in ('yes', 'no', 'not_relevant')),
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index group_courses_programme on group_courses (programme_id, created_at desc, id);

create table group_course_leaders (
  course_id uuid not null references group_courses (id),
  user_id uuid not null references users (id),
  primary key (course_id, user_id)
);
create index group_course_leaders_user on group_course_leaders (user_id);

create table group_sessions (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  course_id uuid not null references group_courses (id),
  number integer not null,
  starts_at timestamptz not null,
  duration_minutes integer not null check (duration_minutes between 5 and 600),
  status text not null default 'planned' check (status in ('planned', 'cancelled')),
  version integer not null default 1,
  unique (course_id, number)
);
create index group_sessions_course on group_sessions (course_id, starts_at);
create index group_sessions_starts on group_sessions (organisation_id, starts_at);

create table group_participants (
  course_id uuid not null references group_courses (id),
  citizen_id uuid not null references citizens (id),
  organisation_id uuid not null references organisations (id),
  added_by uuid not null references users (id),
  added_at timestamptz not null default now(),
  left_at timestamptz,
  primary key (course_id, citizen_id)
);
create index group_participants_citizen on group_participants (citizen_id);

create table group_attendance (
  session_id uuid not null references group_sessions (id),
  citizen_id uuid not null references citizens (id),
  organisation_id uuid not null references organisations (id),
  status text not null check (status in ('attended', 'excused', 'absent')),
  recorded_by uuid not null references users (id),
  recorded_at timestamptz not null default now(),
  primary key (session_id, citizen_id)
);
create index group_attendance_citizen on group_attendance (citizen_id);

create table companies (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  cvr text not null check (cvr ~ '^[0-9]{8}$'),
  name text not null,
  search_name text not null,
  address text,
  industry text,
  is_fictitious boolean not null default false,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  unique (organisation_id, cvr)
);
create index companies_name on companies (organisation_id, lower(name), id);
create index companies_search_name on companies using gin (search_name gin_trgm_ops);

create table company_contacts (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  company_id uuid not null references companies (id),
  name text not null,
  role text,
  phone text,
  email text,
  created_at timestamptz not null default now()
);
create index company_contacts_company on company_contacts (company_id);

create table company_meetings (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  company_id uuid not null references companies (id),
  held_on date not null,
  staff_ids uuid[] not null,
  purpose text not null,
  outcome text,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now()
);
create index company_meetings_company on company_meetings (company_id, held_on desc);

create table internships (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  company_id uuid not null references companies (id),
  contact_id uuid references company_contacts (id),
  purpose text not null check (purpose in ('gradual_return', 'trial_before_hiring', 'other')),
  purpose_text text,
  from_date date not null,
  to_date date not null,
  planned_weekly_hours numeric(4, 1) not null check (planned_weekly_hours > 0 and planned_weekly_hours <= 60),
  min_plan text not null default 'no' check (min_plan in ('yes', 'no', 'not_relevant')),
  outcome text check (outcome in ('hired', 'extended', 'ended_as_planned', 'ended_early')),
  outcome_reason text,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  check (to_date >= from_date),
  check (outcome is distinct from 'ended_early' or outcome_reason is not null),
  check (purpose <> 'other' or purpose_text is not null)
);
create index internships_citizen on internships (citizen_id, from_date desc);
create index internships_company on internships (company_id, from_date desc);

-- Hours reached per week (the week's Monday), feeding hours and self-support figures.
create table internship_weeks (
  internship_id uuid not null references internships (id),
  week_start date not null check (extract(isodow from week_start) = 1),
  hours numeric(4, 1) not null check (hours >= 0 and hours <= 80),
  organisation_id uuid not null references organisations (id),
  recorded_by uuid not null references users (id),
  recorded_at timestamptz not null default now(),
  primary key (internship_id, week_start)
);

create table internship_follow_ups (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  internship_id uuid not null references internships (id),
  held_on date not null,
  note text not null,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now()
);
create index internship_follow_ups_internship on internship_follow_ups (internship_id, held_on);

create table upskilling (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  kind text not null check (kind in ('course', 'certificate', 'education')),
  title text not null,
  provider text not null,
  from_date date not null,
  to_date date,
  status text not null check (status in ('planned', 'ongoing', 'completed', 'dropped')),
  outcome text,
  goal_id uuid references plan_goals (id),
  min_plan text not null default 'no' check (min_plan in ('yes', 'no', 'not_relevant')),
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  check (to_date is null or to_date >= from_date)
);
create index upskilling_citizen on upskilling (citizen_id, from_date desc);

-- One personal iCalendar feed per user: only the token's hash is kept.
create table calendar_feeds (
  user_id uuid primary key references users (id),
  organisation_id uuid not null references organisations (id),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);

-- Stable, random identifiers for calendar entries, so a feed never exposes ids used elsewhere.
create table calendar_uids (
  ref_id uuid primary key,
  uid uuid not null default gen_random_uuid()
);
`).execute(db);
}
