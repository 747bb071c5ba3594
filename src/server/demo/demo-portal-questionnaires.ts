// Demo: Spørgeskemaer for two demo portal citizens (41 Emil Skovgård, 42 Amina Brændgaard), so that the section shows
// a due WHO-5 and a progression chart. Both have a WHO-5 history from demo-progression.ts; their latest answer fell in
// the current measurement's window, so nothing would be due until the next one. Here that answer is moved to the day
// before the window opened (given early), which leaves the current measurement unanswered: the scheduled job then
// opens the due WHO-5, as it would for any missed measurement. Emil's moved answer is one he gave himself in the
// portal (staff see "Besvaret af borgeren i Min plan"). No new rows with ids of their own (block 72 stays unused):
// the due tasks are the job's.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../platform/dates.ts';
import { computeDueMeasurements, currentOccasion } from '../modules/progression/tasks.service.ts';
import { citizenId } from './demo-citizens.ts';
import { PROGRAMME } from './ids.ts';

/** The demo portal citizens with a due WHO-5; the first one's latest answer is their own, given in the portal. */
export const DEMO_QUESTIONNAIRE_CITIZENS = [41, 42] as const;

export async function loadDemoPortalQuestionnaires(db: Kysely<Database>, today: string): Promise<void> {
  const schedule = await db
    .selectFrom('programme_instruments')
    .select(['at_enrolment', 'every_months', 'window_days', 'at_exit'])
    .where('programme_id', '=', PROGRAMME.paaVej)
    .where('instrument_code', '=', 'who5')
    .executeTakeFirst();
  if (!schedule) return;
  for (const [i, n] of DEMO_QUESTIONNAIRE_CITIZENS.entries()) {
    const enrolment = await db
      .selectFrom('enrolments')
      .select(['id', 'start_date', 'end_date'])
      .where('citizen_id', '=', citizenId(n))
      .where('programme_id', '=', PROGRAMME.paaVej)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!enrolment) continue;
    const occasion = currentOccasion(schedule, { start_date: String(enrolment.start_date), end_date: enrolment.end_date ? String(enrolment.end_date) : null }, today);
    if (!occasion) continue;
    const early = `${addDays(occasion.windowStart, -1)} 10:00`;
    // The answers given in the current window move to the day before it opened (keeping their order).
    const moved = await sql<{ id: string }>`
      update assessments set answered_at = (${early}::timestamp at time zone 'Europe/Copenhagen'), updated_at = now()
       where enrolment_id = ${enrolment.id} and instrument_code = 'who5' and status = 'submitted'
         and (answered_at at time zone 'Europe/Copenhagen')::date >= ${occasion.windowStart}::date
      returning id`.execute(db);
    if (moved.rows.length === 0) continue;
    await sql`update assessment_pairs p set latest_at = a.answered_at from assessments a where a.id = p.latest_id and p.enrolment_id = ${enrolment.id}`.execute(db);
    await sql`update assessment_pairs p set baseline_at = a.answered_at from assessments a where a.id = p.baseline_id and p.enrolment_id = ${enrolment.id}`.execute(db);
    if (i === 0) {
      await sql`
        update assessments a set created_by = null, answered_with = 'citizen_portal',
               answered_by_account = (select l.account_id from portal_links l where l.citizen_id = a.citizen_id limit 1)
         where a.id = ${moved.rows[0]!.id}
           and exists (select 1 from portal_links l where l.citizen_id = a.citizen_id)`.execute(db);
    }
  }
  await computeDueMeasurements(db, today);
}
