// The citizen's own part of the plan and calendar in the portal (Min plan, Mine aftaler): which portal account
// marked a task done, the comments written on a task, and the citizen's own iCalendar feed (its token kept as a
// hash only, one feed per account, renewed by replacing the row's token).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
-- Set when the citizen marked their own task done in the portal (staff changes leave it null).
alter table plan_tasks add column completed_by_account uuid references portal_accounts (id);

-- A comment on a task: written by the citizen in the portal (or, later, by staff), shown beside the task for both.
create table plan_task_comments (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  plan_id uuid not null references plans (id),
  task_id uuid not null references plan_tasks (id),
  author_kind text not null check (author_kind in ('citizen', 'staff')),
  author_user_id uuid references users (id),
  author_account_id uuid references portal_accounts (id),
  text text not null check (char_length(text) between 1 and 1000),
  created_at timestamptz not null default now(),
  check ((author_kind = 'staff') = (author_user_id is not null)),
  check ((author_kind = 'citizen') = (author_account_id is not null))
);
create index plan_task_comments_plan on plan_task_comments (plan_id, created_at);
create index plan_task_comments_citizen on plan_task_comments (citizen_id);

-- The citizen's own calendar feed: the token's SHA-256 only; a renewal replaces the token.
create table portal_calendar_feeds (
  account_id uuid primary key references portal_accounts (id),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
`).execute(db);
}
