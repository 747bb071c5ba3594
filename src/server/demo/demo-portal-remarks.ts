// Demo: "Mine bemærkninger" and a consent awaiting the citizen's confirmation (decision record 0036). "På vej til
// arbejde" shows notes to its citizens; portal citizens 41 and 42 have a few ordinary journal notes shown to them
// (and one kept internal), and citizen 41 has a consent Næstved prepared in a conversation, awaiting confirmation
// with MitID in Mine samtykker. Ids from block 74.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../platform/dates.ts';
import { citizenId } from './demo-citizens.ts';
import { ORG, PROGRAMME } from './ids.ts';

const ID_BLOCK = 74;
export const demoRemarksId = (n: number) => `00000000-0000-4000-8000-${String(ID_BLOCK * 10_000 + n).padStart(12, '0')}`;
/** The consent awaiting citizen 41's confirmation. */
export const DEMO_PREPARED_CONSENT = demoRemarksId(100);

const NOTES: { n: number; citizen: number; daysAgo: number; body: string; internal?: boolean }[] = [
  { n: 1, citizen: 41, daysAgo: 21, body: 'Samtale på kontoret. Vi talte om, hvad du gerne vil arbejde med. Du nævnte lager og gartneri. Vi aftalte, at du skriver tre jobønsker ned.' },
  { n: 2, citizen: 41, daysAgo: 9, body: 'Gåtur i skoven. Du fortalte, at du sover bedre nu. Vi aftalte at se på en praktik i en gartnerforretning efter nytår.' },
  { n: 3, citizen: 41, daysAgo: 8, body: 'Intern note: overvej at tale med teamet om tempoet i planen.', internal: true },
  { n: 4, citizen: 42, daysAgo: 14, body: 'Netværksmøde med jobcentret. Målet er stadig uddannelse. Du vil gerne prøve et kort kursus først.' },
  { n: 5, citizen: 42, daysAgo: 3, body: 'Telefonsamtale. Du har meldt dig til kurset i januar. Vi taler igen om to uger.' },
];

export async function loadDemoPortalRemarks(db: Kysely<Database>, today: string): Promise<void> {
  await db.updateTable('programmes').set({ show_notes_to_citizen: true }).where('id', '=', PROGRAMME.paaVej).execute();
  const ids = [41, 42].map((n) => citizenId(n));
  const { rows } = await sql<{ citizen_id: string; cpr_hash: string; consultant_id: string }>`
    select c.id as citizen_id, c.cpr_hash,
           coalesce((select t.user_id from team_members t where t.enrolment_id = e.id and t.role = 'resource_consultant' order by t.valid_from limit 1), c.created_by) as consultant_id
      from enrolments e join citizens c on c.id = e.citizen_id
     where e.programme_id = ${PROGRAMME.paaVej} and e.status = 'active' and c.is_demo and c.organisation_id = ${ORG.naestved} and c.id = any(${ids}::uuid[])`.execute(db);
  const recordOf = (n: number) => rows.find((r) => r.citizen_id === citizenId(n));
  const notes = NOTES.flatMap((x) => {
    const record = recordOf(x.citizen);
    return record ? [{ ...x, record, at: new Date(`${addDays(today, -x.daysAgo)}T09:30:00Z`) }] : [];
  });
  if (notes.length) {
    await db
      .insertInto('notes')
      .values(notes.map((x) => ({ id: demoRemarksId(x.n), organisation_id: ORG.naestved, citizen_id: x.record.citizen_id, kind: 'journal' as const, author_id: x.record.consultant_id, created_at: x.at, citizen_visible: !x.internal })))
      .execute();
    await db
      .insertInto('note_revisions')
      .values(notes.map((x) => ({ note_id: demoRemarksId(x.n), revision: 1, body: x.body, written_by: x.record.consultant_id, written_at: x.at })))
      .execute();
  }

  const r41 = recordOf(41);
  if (!r41) return;
  const form = await db.selectFrom('consent_forms').select('id').where('instrument', '=', 'fvl_28').orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
  const validTo = addDays(today, 300);
  const row = {
    organisation_id: ORG.naestved,
    citizen_id: r41.citizen_id,
    person_hash: r41.cpr_hash,
    instrument: 'fvl_28',
    categories: ['progression_measurements'],
    source_organisation_id: ORG.naestved,
    source_unit: 'Jobcenter Næstved',
    recipient_organisation_id: ORG.regionSjaelland,
    recipient_company_cvr: null,
    recipient_company_name: null,
    recipient_unit: 'Psykiatriens Hus, Næstved',
    recipient_roles: ['clinician'],
    programme_id: PROGRAMME.paaVej,
    purpose: 'Din behandler kan se, hvordan det går med dine spørgeskemaer',
    case_reference: null,
    given_on: today,
    valid_from: today,
    valid_to: validTo,
    given_by: 'citizen',
    given_by_name: null,
    capacity_note: null,
    given_how: 'portal',
    oral_reason: null,
    witness: null,
    form_id: form.id,
    copy_given: true,
    replaces_id: null,
    created_by: r41.consultant_id,
  };
  await db
    .insertInto('consent_preparations')
    .values({ id: DEMO_PREPARED_CONSENT, organisation_id: ORG.naestved, citizen_id: r41.citizen_id, rows: JSON.stringify([row]), prepared_by: r41.consultant_id, created_at: new Date(`${addDays(today, -1)}T10:00:00Z`) })
    .execute();
}
