// The portal's MitID login (docs/decisions/0029): the login transactions in flight (state, nonce and PKCE verifier
// kept server-side for ten minutes, keyed by the state's hash and removed when the callback uses them, so a callback
// works once), and the MitID transaction's identifiers on the session it made (for confirming consents later).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create table portal_mitid_logins (
  state_hash text primary key,
  nonce text not null,
  code_verifier text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  check (expires_at > created_at)
);
create index portal_mitid_logins_expiry on portal_mitid_logins (expires_at);

alter table portal_sessions
  add column login_method text not null default 'one_time_code' check (login_method in ('one_time_code', 'mitid')),
  add column mitid_sid text,
  add column mitid_transaction_id text,
  add column mitid_auth_time timestamptz;
`).execute(db);
}
