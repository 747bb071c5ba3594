// Demo: a research-only questionnaire on VIVE's study of "På vej til arbejde" (issue 12 point 4, decision 0040): the
// Work Ability Score, added by the programme manager before the study was approved. Every demo portal citizen enrolled
// in the programme in Næstved is asked it in the portal's "Forskning" (Amina, 42, has it to answer); Emil (41) has
// answered it already. Ids: block 77.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../platform/dates.ts';
import { citizenId } from './demo-citizens.ts';
import { DEMO_STUDY_ID } from './demo-studies.ts';
import { userId } from './ids.ts';

const ID_BLOCK = 77;
const id = (n: number) => `00000000-0000-4000-8000-${String(ID_BLOCK * 10_000 + n).padStart(12, '0')}`;
export const DEMO_RESEARCH_QUESTIONNAIRE_ID = id(1);
/** The demo portal citizen who has the research questionnaire still to answer, and the one who answered it. */
export const DEMO_RESEARCH_OPEN_CITIZEN = 42;
export const DEMO_RESEARCH_ANSWERED_CITIZEN = 41;

const PROJEKTLEDER = userId(10);

export async function loadDemoResearch(db: Kysely<Database>, today: string): Promise<void> {
  const instrument = await db.selectFrom('instruments').select(['id', 'health_data']).where('organisation_id', 'is', null).where('code', '=', 'was').where('status', '=', 'active').executeTakeFirst();
  const study = await db.selectFrom('studies').select('id').where('id', '=', DEMO_STUDY_ID).executeTakeFirst();
  if (!instrument || !study) return;
  await db
    .insertInto('study_questionnaires')
    .values({ id: DEMO_RESEARCH_QUESTIONNAIRE_ID, study_id: DEMO_STUDY_ID, instrument_id: instrument.id, instrument_code: 'was', health_data: instrument.health_data, added_by: PROJEKTLEDER, added_at: new Date(`${addDays(today, -115)}T11:00:00Z`) })
    .execute();
  const link = await db.selectFrom('portal_links').select(['account_id']).where('citizen_id', '=', citizenId(DEMO_RESEARCH_ANSWERED_CITIZEN)).executeTakeFirst();
  if (!link) return;
  await db
    .insertInto('study_answers')
    .values({
      id: id(101),
      study_id: DEMO_STUDY_ID,
      questionnaire_id: DEMO_RESEARCH_QUESTIONNAIRE_ID,
      citizen_id: citizenId(DEMO_RESEARCH_ANSWERED_CITIZEN),
      portal_account_id: link.account_id,
      instrument_id: instrument.id,
      instrument_code: 'was',
      status: 'answered',
      answers: JSON.stringify({ was_score: 6 }),
      raw: 6,
      scaled: 60,
      answered_at: new Date(`${addDays(today, -9)}T18:40:00Z`),
    })
    .execute();
}
