// Oral advice and case consultations (issue 10, point 6). The region keeps its record of the liaison's attendance
// at a municipal meeting or sparring (`consultations`) and of what was said there (`consultation_items`): about a
// named patient (its own record; an oral disclosure, which also lands in `disclosures`), or about an anonymous
// case. The municipality keeps its own record of the duty the oral advice leaves in its case
// (`consultation_duties`): the note of the external professional assessment (offentlighedsloven § 13), or a
// reasoned "not relevant to the case"; it points only to its own received snapshot, never to the region's rows.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create table consultations (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  programme_id uuid not null references programmes (id),
  municipality_id uuid not null references organisations (id),
  kind text not null check (kind in ('network_meeting', 'case_conference', 'anonymous')),
  held_at timestamptz not null,
  place text check (length(place) between 1 and 200),
  participant_ids uuid[] not null default '{}',
  other_participants text check (length(other_participants) between 1 and 1000),
  status text not null default 'open' check (status in ('open', 'stopped_recognised')),
  recognised_at timestamptz,
  recognised_by uuid references users (id),
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  version integer not null default 1,
  check ((status = 'stopped_recognised') = (recognised_at is not null)),
  check (organisation_id <> municipality_id)
);
create index consultations_recent on consultations (organisation_id, held_at desc, id);

create table consultation_items (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references consultations (id),
  organisation_id uuid not null references organisations (id),
  kind text not null check (kind in ('named', 'anonymous')),
  citizen_id uuid references citizens (id),
  disclosure_id uuid unique references disclosures (id),
  description text check (length(description) between 1 and 1000),
  advice text not null check (length(advice) between 1 and 4000),
  categories text[] not null default '{}',
  said_to uuid[] not null default '{}',
  network_meeting_id uuid,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  check (kind = 'named' and citizen_id is not null and disclosure_id is not null and cardinality(said_to) >= 1 and cardinality(categories) >= 1
      or kind = 'anonymous' and citizen_id is null and disclosure_id is null and description is not null and network_meeting_id is null)
);
create index consultation_items_consultation on consultation_items (consultation_id, created_at, id);

create table consultation_duties (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  received_disclosure_id uuid not null unique references received_disclosures (id),
  network_meeting_id uuid references network_meetings (id),
  from_organisation_id uuid not null references organisations (id),
  said_by_name text not null,
  held_at timestamptz not null,
  assigned_to uuid[] not null,
  status text not null default 'pending' check (status in ('pending', 'noted', 'not_relevant')),
  note_id uuid references notes (id),
  reason text check (length(reason) between 1 and 4000),
  resolved_by uuid references users (id),
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  check (status = 'pending' and resolved_at is null
      or status = 'noted' and note_id is not null and resolved_at is not null
      or status = 'not_relevant' and reason is not null and resolved_at is not null)
);
create index consultation_duties_pending on consultation_duties (organisation_id, created_at, id) where status = 'pending';
create index consultation_duties_citizen on consultation_duties (citizen_id, created_at desc, id);
`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0018-consultations cannot be rolled back: oral disclosures and note duties are kept');
}
