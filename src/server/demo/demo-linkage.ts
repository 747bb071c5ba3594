// Demo: register linkage and a study's end (decision 0044). VIVE's effect study is marked for register linkage
// through Danmarks Statistik's research service (its DST project number recorded), so the programme manager can make
// the CPR-keyed delivery for the DREAM register; and an earlier pilot study with Roskilde Universitet ended 40 days
// ago, awaiting the partner's confirmation of deletion or archiving. Ids: block 79.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../platform/dates.ts';
import { DEMO_STUDY_ID } from './demo-studies.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';

const ID_BLOCK = 79;
export const DEMO_ENDED_STUDY_ID = `00000000-0000-4000-8000-${String(ID_BLOCK * 10_000 + 1).padStart(12, '0')}`;
export const DEMO_DST_REFERENCE = 'DST-projekt 709214';

const PROJEKTLEDER = userId(10);
const DPO = userId(2);
const FORSKER = userId(12);

export async function loadDemoLinkage(db: Kysely<Database>, today: string): Promise<void> {
  await db.updateTable('studies').set({ register_linkage: true, dst_reference: DEMO_DST_REFERENCE }).where('id', '=', DEMO_STUDY_ID).execute();
  const recorded = new Date(`${addDays(today, -400)}T10:00:00Z`);
  const approved = new Date(`${addDays(today, -385)}T09:00:00Z`);
  await db
    .insertInto('studies')
    .values({
      id: DEMO_ENDED_STUDY_ID,
      programme_id: PROGRAMME.paaVej,
      organisation_id: ORG.naestved,
      title: 'Pilotundersøgelse af forløbenes første måneder',
      partner_name: 'Roskilde Universitet, Institut for Samfundsvidenskab',
      partner_role: 'controller',
      dpa_reference: null,
      legal_basis: sql<string[]>`array['gdpr_6_1_e']::text[]`,
      third_country: false,
      biological_material: false,
      journal_publication: false,
      permission_reference: null,
      purpose: 'At beskrive de første måneders aktiviteter i På vej til arbejde som grundlag for effektundersøgelsen.',
      starts_on: addDays(today, -380),
      ends_on: addDays(today, -40),
      variables: sql<string[]>`array['activities.kind', 'activities.pseudonym', 'enrolments.pseudonym']::text[]`,
      date_precision: 'month',
      dpia_reference: 'Næstved Kommune, DPIA 2025-031',
      status: 'approved',
      approved_at: approved,
      created_by: PROJEKTLEDER,
      created_at: recorded,
    })
    .execute();
  await db
    .insertInto('study_organisations')
    .values({
      study_id: DEMO_ENDED_STUDY_ID,
      organisation_id: ORG.naestved,
      dpo_advice: 'Pseudonymiseret, datoer på måneder, ingen helbredsoplysninger. Anbefales.',
      dpo_advised_by: DPO,
      dpo_advised_at: new Date(`${addDays(today, -390)}T12:00:00Z`),
      approved_by: PROJEKTLEDER,
      approved_at: approved,
    })
    .execute();
  await db.insertInto('study_researchers').values({ study_id: DEMO_ENDED_STUDY_ID, user_id: FORSKER, added_by: PROJEKTLEDER, added_at: recorded }).execute();
}
