// The citizen's access log (issue 11, "Hvem har set mine oplysninger", docs/decisions/0032): an index that serves
// "uses of this record by others, newest first" straight from the audit log, the citizens' look-up questions that
// the organisation's dpo answers, and deferred notices (sundhedsloven §43 stk. 4, databeskyttelsesloven §22) kept
// beside the audit rows, which are never changed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
-- Only the rows the citizen's log shows: others' successful uses of the record. The citizen's own portal actions
-- (reading this log included) and refusals never enter it, so however often the citizen reads the log, a page of
-- it stays one short index range. The log's query repeats this predicate literally (never as parameters).
create index audit_log_citizen_view on audit_log (citizen_id, seq desc)
  where citizen_id is not null and outcome = 'success' and not (actor_roles @> '{citizen}'::text[]);

-- A citizen's question "who made this look-up?" about one entry of their log, decided by the organisation whose
-- staff made it (its dpo). No foreign key to audit_log: a purged segment takes the row, the question stays.
create table lookup_questions (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  account_id uuid not null references portal_accounts (id),
  audit_seq bigint not null,
  asked_at timestamptz not null default now(),
  message text check (length(message) between 1 and 1000),
  answer text check (length(answer) between 1 and 4000),
  answered_at timestamptz,
  answered_by uuid references users (id),
  check ((answer is null) = (answered_at is null) and (answer is null) = (answered_by is null)),
  unique (account_id, audit_seq)
);
create index lookup_questions_queue on lookup_questions (organisation_id, asked_at desc, id desc);
create index lookup_questions_citizen on lookup_questions (citizen_id);

-- A notice to the citizen lawfully deferred: the audit row stays as it is; while a deferral is not lifted the
-- citizen's log leaves the row out.
create table audit_notice_deferrals (
  id uuid primary key default gen_random_uuid(),
  audit_seq bigint not null,
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  ground text not null check (ground in ('sdl_43_4', 'dbl_22')),
  reason text not null check (length(reason) between 1 and 2000),
  deferred_by uuid not null references users (id),
  deferred_at timestamptz not null default now(),
  lifted_at timestamptz,
  lifted_by uuid references users (id),
  check ((lifted_at is null) = (lifted_by is null))
);
create unique index audit_notice_deferrals_active on audit_notice_deferrals (audit_seq) where lifted_at is null;
create index audit_notice_deferrals_citizen on audit_notice_deferrals (citizen_id);
`).execute(db);
}
