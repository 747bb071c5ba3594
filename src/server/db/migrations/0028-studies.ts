// Studies (issue 12 point 3): research agreements under which data about a programme's citizens may leave for a
// research partner. A study names the partner and its role (controller, or processor under a data-processing
// agreement), the legal basis of the disclosing organisations, the databeskyttelseslov §10 stk. 3 checklist, the
// purpose, the period, the approved variables (from the codebook), the date precision and the DPIA. Each
// organisation whose data is included approves it through its own programme manager, after its dpo's advice is
// recorded; region data is never included. Researchers are named on the study and see only their studies.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create table studies (
  id uuid primary key default gen_random_uuid(),
  programme_id uuid not null references programmes (id),
  organisation_id uuid not null references organisations (id),
  title text not null check (length(title) between 1 and 200),
  partner_name text not null check (length(partner_name) between 1 and 200),
  partner_role text not null check (partner_role in ('controller', 'processor')),
  dpa_reference text check (length(dpa_reference) between 1 and 200),
  legal_basis text[] not null check (legal_basis <@ array['gdpr_6_1_e', 'dbl_10']::text[] and 'gdpr_6_1_e' = any (legal_basis)),
  third_country boolean not null,
  biological_material boolean not null,
  journal_publication boolean not null,
  permission_reference text check (length(permission_reference) between 1 and 200),
  purpose text not null check (length(purpose) between 1 and 4000),
  starts_on date not null,
  ends_on date not null,
  variables text[] not null check (cardinality(variables) between 1 and 200),
  date_precision text not null check (date_precision in ('month', 'shifted')),
  dpia_reference text not null check (length(dpia_reference) between 1 and 200),
  status text not null default 'awaiting_approval' check (status in ('awaiting_approval', 'approved')),
  approved_at timestamptz,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  check (ends_on >= starts_on),
  check (partner_role = 'controller' or dpa_reference is not null),
  check ((status = 'approved') = (approved_at is not null))
);
create index studies_organisation on studies (organisation_id, created_at desc, id);

-- Each organisation whose data the study includes: its dpo's advice, then its programme manager's approval.
create table study_organisations (
  study_id uuid not null references studies (id) on delete cascade,
  organisation_id uuid not null references organisations (id),
  dpo_advice text check (length(dpo_advice) between 1 and 4000),
  dpo_advised_by uuid references users (id),
  dpo_advised_at timestamptz,
  approved_by uuid references users (id),
  approved_at timestamptz,
  primary key (study_id, organisation_id),
  check ((dpo_advice is null) = (dpo_advised_at is null) and (dpo_advice is null) = (dpo_advised_by is null)),
  check ((approved_by is null) = (approved_at is null)),
  check (approved_at is null or dpo_advised_at is not null)
);
create index study_organisations_organisation on study_organisations (organisation_id, study_id);

create table study_researchers (
  study_id uuid not null references studies (id) on delete cascade,
  user_id uuid not null references users (id),
  added_by uuid not null references users (id),
  added_at timestamptz not null default now(),
  primary key (study_id, user_id)
);
create index study_researchers_user on study_researchers (user_id, study_id);
`).execute(db);
}
