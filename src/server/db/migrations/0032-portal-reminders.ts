// Reminders to the citizen (issue 11, item 3; docs/decisions/0037): the citizen's own opt-in per kind, the reminders
// made (one row per reminder, unique per account, kind and subject: a reminder is never sent twice), and the job
// queues that find what is due and send one message per job with retries. Also: the end date of a deferred notice
// (the dpo's deferral screen), the MitID id token kept (encrypted) with the session for the broker's logout, and the
// demo outbox's sender name.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
-- No row: no reminders (opt-in). The channel's address is the contact on file of the person's records.
create table portal_reminder_settings (
  account_id uuid primary key references portal_accounts (id),
  channel text not null check (channel in ('email', 'sms')),
  appointment boolean not null default false,
  task boolean not null default false,
  questionnaire boolean not null default false,
  updated_at timestamptz not null default now()
);
create index portal_reminder_settings_on on portal_reminder_settings (account_id) where appointment or task or questionnaire;

-- One reminder: made by the due job, sent (or skipped) by the send job. The subject names what it reminds of
-- (the day of the appointments, the day a task is due, the questionnaire's task id), never its content.
create table portal_reminders (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references portal_accounts (id),
  kind text not null check (kind in ('appointment', 'task', 'questionnaire')),
  subject_key text not null check (length(subject_key) between 1 and 100),
  created_at timestamptz not null default now(),
  attempts integer not null default 0 check (attempts >= 0),
  channel text check (channel in ('email', 'sms')),
  sent_at timestamptz,
  skipped text check (skipped in ('opted_out', 'no_contact')),
  check (sent_at is null or skipped is null),
  unique (account_id, kind, subject_key)
);
create index portal_reminders_created on portal_reminders (created_at);

alter table audit_notice_deferrals add column until date;
-- The dpo's list of the organisation's deferrals, newest first.
create index audit_notice_deferrals_queue on audit_notice_deferrals (organisation_id, deferred_at desc, id desc);
alter table portal_sessions add column mitid_id_token text;
alter table portal_outbox add column sender text;
`).execute(db);
  // Queues are partitions of pg-boss's job table, created by its owner (see 0011).
  await sql`select pgboss.create_queue('portal-reminders-due', ${JSON.stringify({ policy: 'singleton', retryLimit: 3, retryDelay: 60, expireInSeconds: 900 })}::json)`.execute(db);
  await sql`select pgboss.create_queue('portal-reminder-send', ${JSON.stringify({ policy: 'standard', retryLimit: 5, retryDelay: 60, retryBackoff: true, expireInSeconds: 300 })}::json)`.execute(db);
}
