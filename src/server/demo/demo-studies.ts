// Demo: VIVE's effect study of "På vej til arbejde" (issue 12), recorded by the programme manager, advised on by
// Næstved's dpo and approved, with the researcher `forsker` named on it. Pseudonymised variables only, dates by
// month. Ids: block 71.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../platform/dates.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';

const ID_BLOCK = 71;
export const DEMO_STUDY_ID = `00000000-0000-4000-8000-${String(ID_BLOCK * 10_000 + 1).padStart(12, '0')}`;

const PROJEKTLEDER = userId(10);
const DPO = userId(2);
const FORSKER = userId(12);

export async function loadDemoStudies(db: Kysely<Database>, today: string): Promise<void> {
  const recorded = new Date(`${addDays(today, -120)}T10:00:00Z`);
  const advised = new Date(`${addDays(today, -110)}T13:30:00Z`);
  const approved = new Date(`${addDays(today, -105)}T09:15:00Z`);
  await db
    .insertInto('studies')
    .values({
      id: DEMO_STUDY_ID,
      programme_id: PROGRAMME.paaVej,
      organisation_id: ORG.naestved,
      title: 'Effekt af På vej til arbejde på tilknytningen til arbejdsmarkedet',
      partner_name: 'VIVE – Det Nationale Forsknings- og Analysecenter for Velfærd',
      partner_role: 'controller',
      dpa_reference: null,
      legal_basis: sql<string[]>`array['dbl_10', 'gdpr_6_1_e']::text[]`,
      third_country: false,
      biological_material: false,
      journal_publication: false,
      permission_reference: null,
      purpose:
        'At måle, om borgere i På vej til arbejde kommer tættere på arbejde eller uddannelse end sammenlignelige borgere: uger som selvforsørgende, afslutningsårsager og progression over tid.',
      starts_on: addDays(today, -120),
      ends_on: addDays(today, 610),
      variables: sql<string[]>`array[
        'activities.kind', 'activities.pseudonym', 'assessments.instrument', 'assessments.occasion', 'assessments.pseudonym',
        'assessments.scaled_score', 'enrolments.benefit_at_start', 'enrolments.birth_year', 'enrolments.exit_outcome',
        'enrolments.pseudonym', 'enrolments.sex', 'status_weeks.benefit', 'status_weeks.pseudonym'
      ]::text[]`,
      date_precision: 'month',
      dpia_reference: 'Næstved Kommune, DPIA 2026-014',
      status: 'approved',
      approved_at: approved,
      created_by: PROJEKTLEDER,
      created_at: recorded,
    })
    .execute();
  await db
    .insertInto('study_organisations')
    .values({
      study_id: DEMO_STUDY_ID,
      organisation_id: ORG.naestved,
      dpo_advice:
        'Udtrækket er pseudonymiseret med en nøgle pr. undersøgelse, datoer er på måneder, og fritekst og direkte identifikatorer indgår ikke. Progressionsdata er helbredsoplysninger: §10 er hjemlen. Anbefales.',
      dpo_advised_by: DPO,
      dpo_advised_at: advised,
      approved_by: PROJEKTLEDER,
      approved_at: approved,
    })
    .execute();
  await db.insertInto('study_researchers').values({ study_id: DEMO_STUDY_ID, user_id: FORSKER, added_by: PROJEKTLEDER, added_at: recorded }).execute();
}
