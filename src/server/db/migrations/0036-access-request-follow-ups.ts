// Follow-ups of the access requests and reminders (issue 11 review; docs/decisions/0041): the dpo's advice on a case;
// names and CPR numbers of others found in the package's free text;
// the staff queue's access
// condition moved into its query (an index per list: open and released), the citizen's cases paged by a full keyset,
// and a reminder whose day has passed before it could be sent is skipped as 'passed'.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create index access_requests_released on access_requests (organisation_id, deadline, id) where released_at is not null;
drop index access_requests_citizen;
create index access_requests_citizen on access_requests (citizen_id, received_at desc, id desc);

-- The dpo's advice on an access case (before the decision): who and when, never changed.
create table access_request_advice (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references access_requests (id),
  author_id uuid not null references users (id),
  body text not null check (length(body) between 1 and 4000),
  created_at timestamptz not null default now()
);
create index access_request_advice_request on access_request_advice (request_id, created_at, id);
-- Other people's names and CPR numbers found in the package's free text when it was made, each with the
-- caseworker's choice (redact or keep): the case is not released while one has none.
alter table access_requests add column text_hits jsonb not null default '[]'::jsonb;
alter table portal_reminders drop constraint portal_reminders_skipped_check;
alter table portal_reminders add constraint portal_reminders_skipped_check check (skipped in ('opted_out', 'no_contact', 'passed'));
`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0036-access-request-follow-ups cannot be rolled back');
}
