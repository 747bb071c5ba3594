// The portal's "Mine bemærkninger", the consent staff prepare for the citizen to confirm with MitID, and the
// withdrawal request a citizen sends after a code login (decision record 0036).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
-- A programme may show notes to its citizens in the portal (off unless the programme manager turns it on).
alter table programmes add column show_notes_to_citizen boolean not null default false;

-- Whether a note is shown to the citizen: decided when it is written (the writer may keep it internal); notes
-- written before the programme turned the setting on stay internal.
alter table notes add column citizen_visible boolean not null default false;
create index notes_citizen_visible on notes (citizen_id, created_at desc, id desc) where citizen_visible;

-- The citizen's own remark on a note, written in the portal (GDPR art. 16): the note stays as it is.
create table note_portal_remarks (
  id uuid primary key default gen_random_uuid(),
  note_id uuid not null references notes (id),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  account_id uuid not null references portal_accounts (id),
  body text not null check (char_length(body) between 1 and 2000),
  created_at timestamptz not null default now()
);
create index note_portal_remarks_note on note_portal_remarks (note_id, created_at);
create index note_portal_remarks_citizen on note_portal_remarks (citizen_id);

-- A consent staff prepared with the citizen: checked as a sitting would be, kept as the rows to insert, and
-- inserted as consents only when the citizen confirms it with MitID. Until then it grants nothing.
create table consent_preparations (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  rows jsonb not null,
  prepared_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  confirmed_at timestamptz,
  confirmed_by_account uuid references portal_accounts (id),
  cancelled_at timestamptz,
  check (confirmed_at is null or cancelled_at is null)
);
create index consent_preparations_citizen on consent_preparations (citizen_id, created_at desc, id desc);

-- The consents a confirmation made carry the MitID transaction's identifiers.
alter table consents add column preparation_id uuid references consent_preparations (id);
alter table consents add column mitid_transaction_id text;
alter table consents add column mitid_sid text;
alter table consents add column mitid_auth_time timestamptz;

-- "I want to withdraw my consent(s)", sent after a code login; staff confirm it (the real withdrawal) or
-- contact the citizen. One row per record the portal opened, so each controller sees its own.
create table consent_withdrawal_requests (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  account_id uuid not null references portal_accounts (id),
  message text check (char_length(message) between 1 and 1000),
  created_at timestamptz not null default now(),
  handled_at timestamptz,
  handled_by uuid references users (id),
  outcome text check (outcome in ('withdrawn', 'contacted')),
  withdrawn_consent_ids uuid[] not null default '{}',
  check ((handled_at is null) = (outcome is null))
);
create index consent_withdrawal_requests_citizen on consent_withdrawal_requests (citizen_id, created_at desc);
`).execute(db);
}
