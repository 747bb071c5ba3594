// Questionnaires answered by the citizen in the portal (Spørgeskemaer): such an answer has no staff author, so
// an assessment's author is either a staff user (created_by) or a portal account (answered_by_account), never
// both and never neither; answered_with says 'citizen_portal' for the latter.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
alter table assessments alter column created_by drop not null;
alter table assessments add column answered_by_account uuid references portal_accounts (id);
alter table assessments add constraint assessments_one_author check ((created_by is null) <> (answered_by_account is null));
alter table assessments add constraint assessments_portal_author check ((answered_with = 'citizen_portal') = (answered_by_account is not null));
`).execute(db);
}
