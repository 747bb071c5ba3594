// Research-only questionnaires (issue 12 point 4): a study adds instruments from the catalogue, pinned to the version
// added, which the citizen answers alone in the portal. Their answers are the study's controller's, kept apart from
// the case's `assessments`: no alert, no task, no pair, no staff route reads them; they leave only in the study's
// export. One row per citizen and questionnaire: answered, declined ("nej tak", never asked again) or withdrawn (the
// answers deleted by the citizen, kept as a row so that the questionnaire is not asked again).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
create table study_questionnaires (
  id uuid primary key default gen_random_uuid(),
  study_id uuid not null references studies (id) on delete cascade,
  instrument_id uuid not null references instruments (id),
  instrument_code text not null,
  health_data boolean not null,
  added_by uuid not null references users (id),
  added_at timestamptz not null default now(),
  unique (study_id, instrument_code)
);

create table study_answers (
  id uuid primary key default gen_random_uuid(),
  study_id uuid not null references studies (id) on delete cascade,
  questionnaire_id uuid not null references study_questionnaires (id) on delete cascade,
  citizen_id uuid not null references citizens (id),
  portal_account_id uuid not null references portal_accounts (id),
  instrument_id uuid not null references instruments (id),
  instrument_code text not null,
  status text not null check (status in ('answered', 'declined', 'withdrawn')),
  answers jsonb,
  raw double precision,
  scaled double precision,
  answered_at timestamptz not null default now(),
  withdrawn_at timestamptz,
  check ((status = 'answered') = (answers is not null)),
  check (status = 'answered' or (raw is null and scaled is null)),
  check ((status = 'withdrawn') = (withdrawn_at is not null)),
  unique (questionnaire_id, portal_account_id),
  unique (questionnaire_id, citizen_id)
);
-- The export reads a study's answers in keyset batches by id.
create index study_answers_export on study_answers (study_id, id) where status = 'answered';
create index study_answers_citizen on study_answers (citizen_id);
create index study_answers_account on study_answers (portal_account_id);
`).execute(db);
}
