// Company meetings attended by the liaison (issue 10 point 9): what a company was told about a patient is an
// oral disclosure to a third party. An sdl_43 consent may name a company (by CVR, as the municipality's
// company register refers to it) as its recipient instead of an organisation, for the categories a workplace
// may hear only; the region keeps its record of each meeting and, per patient, what the company was told, on
// which consents and decided by whom — never a diagnosis. The journal task points at that record.
import { sql, type Kysely } from 'kysely';

/** 8 digits, the first not 0, weighted sum (2,7,6,5,4,3,2,1) divisible by 11 — the same check as contracts/cvr.ts. */
const cvrCheck = (col: string) => `(${col} ~ '^[1-9][0-9]{7}$' and (
    substr(${col}, 1, 1)::int * 2 + substr(${col}, 2, 1)::int * 7 + substr(${col}, 3, 1)::int * 6 + substr(${col}, 4, 1)::int * 5 +
    substr(${col}, 5, 1)::int * 4 + substr(${col}, 6, 1)::int * 3 + substr(${col}, 7, 1)::int * 2 + substr(${col}, 8, 1)::int) % 11 = 0)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
-- A consent names exactly one recipient: an organisation of the programme, or a company (sdl_43, workplace categories only).
alter table consents alter column recipient_organisation_id drop not null;
alter table consents add column recipient_company_cvr text check (recipient_company_cvr is null or ${cvrCheck('recipient_company_cvr')});
alter table consents add column recipient_company_name text check (length(recipient_company_name) between 1 and 200);
alter table consents add constraint consents_one_recipient check (
  (recipient_organisation_id is null) <> (recipient_company_cvr is null) and (recipient_company_cvr is null) = (recipient_company_name is null));
alter table consents add constraint consents_company_scope check (
  recipient_company_cvr is null or (instrument = 'sdl_43' and categories <@ array['work_considerations', 'support_needs']::text[]));

-- The region's record of a meeting with a company the liaison attended. The company is referred to by CVR as
-- the municipality's register knows it — a reference only, never a key into the other controller's tables.
create table liaison_company_meetings (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  programme_id uuid not null references programmes (id),
  company_cvr text not null check (${cvrCheck('company_cvr')}),
  company_name text not null check (length(company_name) between 1 and 200),
  held_on date not null,
  attendees text not null check (length(attendees) between 1 and 1000),
  purpose text not null check (length(purpose) between 1 and 1000),
  created_by uuid not null references users (id),
  created_at timestamptz not null default now()
);
create index liaison_company_meetings_list on liaison_company_meetings (organisation_id, held_on desc, id desc);

-- Per patient: what the company was told — an oral disclosure to a third party, on the consents that covered
-- it when it was recorded, decided by the liaison who recorded it.
create table liaison_company_meeting_items (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references liaison_company_meetings (id),
  organisation_id uuid not null references organisations (id),
  citizen_id uuid not null references citizens (id),
  categories text[] not null check (cardinality(categories) between 1 and 2 and categories <@ array['work_considerations', 'support_needs']::text[]),
  told text not null check (length(told) between 1 and 2000),
  consent_ids uuid[] not null check (cardinality(consent_ids) >= 1),
  decided_by uuid not null references users (id),
  channel text not null default 'meeting' check (channel = 'meeting'),
  disclosed_at timestamptz not null default now()
);
create index liaison_company_meeting_items_meeting on liaison_company_meeting_items (meeting_id, disclosed_at, id);
create index liaison_company_meeting_items_citizen on liaison_company_meeting_items (citizen_id, disclosed_at desc, id);

-- The journal task for an oral disclosure to a company points at the region's record of it.
alter table crossing_tasks add column company_meeting_item_id uuid references liaison_company_meeting_items (id);
`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0019-company-disclosures cannot be rolled back: consents and disclosures are kept');
}
