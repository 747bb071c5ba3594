// A consent withdrawn by the citizen in the portal: the receipt the citizen gets (its id, shown again on the
// withdrawn consent) — no staff member records it, so withdrawn_recorded_by stays empty and withdrawn_how is
// 'portal'. The receipt id is unique: it names exactly one withdrawal.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
alter table consents add column withdrawal_receipt_id uuid unique;
alter table consents add constraint consents_receipt_only_withdrawn check (withdrawal_receipt_id is null or withdrawn_at is not null);
`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0023-portal-consent-withdrawal cannot be rolled back: receipts are kept');
}
