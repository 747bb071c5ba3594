// The citizen's own portal, its foundation: an account per person (keyed on the CPR hash every organisation's
// record of the person shares), linked to each organisation's record when that organisation invites the person;
// one-time login codes (stored as keyed hashes), portal sessions apart from staff sessions, and the demo outbox.
// The contact details the code login matches are the records' own e-mail and phone, in a normalised form kept
// by the database (generated columns), so a change on the record takes effect at once.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
alter table citizens
  add column contact_email text generated always as (nullif(lower(btrim(email)), '')) stored,
  add column contact_phone text generated always as (
    nullif(regexp_replace(regexp_replace(regexp_replace(phone, '[^0-9+]', '', 'g'), '^(\\+|00)', ''), '^([0-9]{8})$', '45\\1'), '')
  ) stored;
create index citizens_contact_email on citizens (contact_email) where contact_email is not null;
create index citizens_contact_phone on citizens (contact_phone) where contact_phone is not null;

-- The person, across organisations: no organisation owns it (each organisation owns its link and its record).
create table portal_accounts (
  id uuid primary key default gen_random_uuid(),
  person_hash text not null unique,
  created_at timestamptz not null default now(),
  first_login_at timestamptz,
  last_login_at timestamptz,
  version integer not null default 1
);

-- An organisation's record of the person, opened to the portal by that organisation's invitation.
create table portal_links (
  account_id uuid not null references portal_accounts (id),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null unique references citizens (id),
  first_invited_at timestamptz not null,
  invited_at timestamptz not null,
  invited_by uuid not null references users (id),
  channel text not null check (channel in ('email', 'sms')),
  invitations integer not null default 1 check (invitations >= 1),
  primary key (account_id, organisation_id)
);
create index portal_links_organisation on portal_links (organisation_id, invited_at desc);

-- A one-time code sent to a contact: the contact and the code only as keyed hashes, never in clear.
create table portal_login_codes (
  id uuid primary key default gen_random_uuid(),
  contact_key text not null,
  account_ids uuid[] not null,
  code_hash text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  failed_attempts integer not null default 0 check (failed_attempts >= 0),
  used_at timestamptz,
  check (expires_at > created_at)
);
create index portal_login_codes_contact on portal_login_codes (contact_key, created_at desc);
create index portal_login_codes_accounts on portal_login_codes using gin (account_ids);
create index portal_login_codes_created on portal_login_codes (created_at);

create table portal_sessions (
  id_hash text primary key,
  account_id uuid not null references portal_accounts (id),
  assurance text not null check (assurance in ('low', 'substantial')),
  csrf_token text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null
);
create index portal_sessions_account on portal_sessions (account_id);
create index portal_sessions_expiry on portal_sessions (expires_at);

-- Demo mode only: what would have been sent, shown at /demo/outbox.
create table portal_outbox (
  seq bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  channel text not null check (channel in ('email', 'sms')),
  recipient text not null,
  subject text,
  body text not null
);
`).execute(db);
}
