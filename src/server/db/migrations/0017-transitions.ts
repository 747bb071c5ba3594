// Transition from psychiatric treatment into the municipal effort: a checklist per patient, kept by the region
// on its own record of the person. Contact made, the first network meeting booked and the named contact in
// psychiatry are recorded; whether consents are on file and the knowledge transfer written and disclosed are
// read from those records themselves, so the checklist never disagrees with them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create table transitions (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  programme_id uuid not null references programmes (id),
  status text not null check (status in ('open', 'completed', 'cancelled')),
  opened_on date not null,
  contact_made_on date,
  first_meeting_booked_on date,
  psychiatry_contact_name text check (length(psychiatry_contact_name) between 1 and 200),
  psychiatry_contact_on date,
  note text check (length(note) <= 2000),
  closed_on date,
  created_by uuid not null references users (id),
  updated_by uuid not null references users (id),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  check ((status = 'open') = (closed_on is null)),
  check ((psychiatry_contact_name is null) = (psychiatry_contact_on is null))
);
create unique index transitions_one_open on transitions (citizen_id) where status = 'open';
create index transitions_citizen on transitions (citizen_id, opened_on desc, id);
create index transitions_open on transitions (organisation_id, opened_on, id) where status = 'open';
`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0017-transitions cannot be rolled back: checklists are kept');
}
