// Demo: a few citizens of "På vej til arbejde" invited to the citizen portal (Min plan), with contact details the
// README lists, and their invitations in the demo outbox. Two of them share one e-mail address (a family's), so the
// login asks for the birth date. Fixed citizens (active, with planned conversations ahead), none of whom the browser
// tests use; the README names their contacts and the family's birth dates. Ids: the accounts from block 64.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { citizenId } from './demo-citizens.ts';
import { PROGRAMME } from './ids.ts';

const ID_BLOCK = 64;
const accountId = (n: number) => `00000000-0000-4000-8000-${String(ID_BLOCK * 10_000 + n).padStart(12, '0')}`;

/** The demo's portal citizens (demo citizen numbers) and contacts, as the README lists them. */
export const DEMO_PORTAL_CONTACTS = [
  { citizen: 41, email: 'min.plan.1@example.invalid', phone: null },
  { citizen: 42, email: null, phone: '+45 20 64 00 02' },
  { citizen: 43, email: 'familien.demo@example.invalid', phone: null },
  { citizen: 47, email: 'familien.demo@example.invalid', phone: null },
] as const;

function invitationText(channel: 'email' | 'sms'): string {
  const where = channel === 'email' ? 'denne e-mailadresse' : 'dette mobilnummer';
  return [
    'Hej',
    '',
    'Du er inviteret til Min plan. Her kan du se, hvornår din næste aftale er.',
    '',
    `Gå til http://localhost:3000/portal og skriv ${where}. Så sender vi dig en kode, som du logger ind med.`,
    '',
    'Har du spørgsmål, så kontakt den medarbejder, du plejer at tale med.',
  ].join('\n');
}

export async function loadDemoPortal(db: Kysely<Database>, today: string): Promise<void> {
  const { rows } = await sql<{ citizen_id: string; organisation_id: string; cpr_hash: string; consultant_id: string }>`
    select c.id as citizen_id, c.organisation_id, c.cpr_hash,
           coalesce((select t.user_id from team_members t where t.enrolment_id = e.id and t.role = 'resource_consultant' order by t.valid_from limit 1), c.created_by) as consultant_id
      from enrolments e join citizens c on c.id = e.citizen_id
     where e.programme_id = ${PROGRAMME.paaVej} and e.status = 'active' and c.is_demo
       and c.id = any(${DEMO_PORTAL_CONTACTS.map((d) => citizenId(d.citizen))}::uuid[])
     order by c.id`.execute(db);
  const invitedAt = new Date(`${today}T08:00:00Z`);
  for (const row of rows) {
    const contact = DEMO_PORTAL_CONTACTS.find((d) => citizenId(d.citizen) === row.citizen_id)!;
    const n = contact.citizen;
    const channel = contact.email ? 'email' : 'sms';
    await db
      .updateTable('citizens')
      .set({ email: contact.email, phone: contact.phone ?? undefined, preferred_contact: channel === 'sms' ? 'sms' : 'email' })
      .where('id', '=', row.citizen_id)
      .execute();
    await db.insertInto('portal_accounts').values({ id: accountId(n), person_hash: row.cpr_hash, created_at: invitedAt }).execute();
    await db
      .insertInto('portal_links')
      .values({ account_id: accountId(n), organisation_id: row.organisation_id, citizen_id: row.citizen_id, first_invited_at: invitedAt, invited_at: invitedAt, invited_by: row.consultant_id, channel })
      .execute();
    const recipient = contact.email ?? contact.phone!.replace(/[^0-9]/g, '');
    // One invitation per contact in the outbox (the family's address got two).
    await db.insertInto('portal_outbox').values({ created_at: invitedAt, channel, recipient, subject: 'Invitation til Min plan', body: invitationText(channel) }).execute();
  }
}
