// Demo (issue 11): a portal citizen who chose reminders, and a look-up question a portal citizen asked, waiting in
// Næstved's dpo's queue. Demo citizen 41 gets e-mail reminders of appointments and questionnaires; demo citizen 42
// asks who read their record (a read by the consultant on their team the day before). Ids from block 75.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { citizenId } from './demo-citizens.ts';

const ID_BLOCK = 75;
const id = (n: number) => `00000000-0000-4000-8000-${String(ID_BLOCK * 10_000 + n).padStart(12, '0')}`;
export const DEMO_LOOKUP_QUESTION = id(1);
/** The demo portal citizen who asked (demo citizen 42, reached by SMS). */
export const DEMO_LOOKUP_CITIZEN = 42;

export async function loadDemoPortalReminders(db: Kysely<Database>, today: string): Promise<void> {
  const links = await db.selectFrom('portal_links').select(['account_id', 'citizen_id', 'organisation_id', 'invited_by']).where('citizen_id', 'in', [citizenId(41), citizenId(DEMO_LOOKUP_CITIZEN)]).execute();
  const first = links.find((l) => l.citizen_id === citizenId(41));
  if (first) await db.insertInto('portal_reminder_settings').values({ account_id: first.account_id, channel: 'email', appointment: true, task: false, questionnaire: true }).execute();
  const asker = links.find((l) => l.citizen_id === citizenId(DEMO_LOOKUP_CITIZEN));
  if (!asker) return;
  // The read the question is about: the consultant who invited the person opened the record yesterday afternoon.
  const reader = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.username', 'users.organisation_id', sql<string[]>`array_agg(distinct user_roles.role)`.as('roles')])
    .where('users.id', '=', asker.invited_by)
    .groupBy(['users.id', 'users.username', 'users.organisation_id'])
    .executeTakeFirst();
  if (!reader) return;
  const at = new Date(`${today}T13:15:00Z`);
  at.setUTCDate(at.getUTCDate() - 1);
  const row = await db
    .insertInto('audit_log')
    .values({
      occurred_at: at,
      organisation_id: asker.organisation_id,
      actor_user_id: reader.id,
      actor_username: reader.username,
      actor_organisation_id: reader.organisation_id,
      actor_roles: reader.roles,
      action: 'read',
      purpose: 'case_work',
      resource_type: 'citizen',
      resource_id: asker.citizen_id,
      citizen_id: asker.citizen_id,
      outcome: 'success',
      criteria: null,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  const askedAt = new Date(`${today}T07:40:00Z`);
  await db
    .insertInto('lookup_questions')
    .values({ id: DEMO_LOOKUP_QUESTION, organisation_id: asker.organisation_id, citizen_id: asker.citizen_id, account_id: asker.account_id, audit_seq: Number(row.seq), asked_at: askedAt, message: 'Jeg kender ikke den, der har kigget. Hvem var det?' })
    .execute();
}
