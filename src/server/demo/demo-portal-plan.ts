// Demo: Min plan and Mine aftaler for the demo portal citizens (demo-portal.ts), so their sections show something
// real: in each one's open plan a task of their own ("Skriv tre jobønsker ned"), due in a week, with a comment from
// their consultant, and a conversation two weekdays ahead. Fixed ids from block 67 (n*10 + 1..3 per citizen).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays, copenhagenTime } from '../platform/dates.ts';
import { citizenId } from './demo-citizens.ts';
import { DEMO_PORTAL_CONTACTS } from './demo-portal.ts';

const ID_BLOCK = 67;
const id = (n: number, k: number) => `00000000-0000-4000-8000-${String(ID_BLOCK * 10_000 + n * 10 + k).padStart(12, '0')}`;

/** The title of the demo portal citizens' own task (the browser test marks it done). */
export const DEMO_PORTAL_TASK = 'Skriv tre jobønsker ned';

/** The weekday on or after the day (Monday–Friday). */
function weekday(iso: string): string {
  const dow = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return dow === 6 ? addDays(iso, 2) : dow === 0 ? addDays(iso, 1) : iso;
}

export async function loadDemoPortalPlans(db: Kysely<Database>, today: string): Promise<void> {
  const { rows } = await sql<{ citizen_id: string; organisation_id: string; plan_id: string; staff_id: string }>`
    select p.citizen_id, p.organisation_id, p.id as plan_id,
           coalesce(p.coordinator_id,
                    (select t.user_id from team_members t where t.enrolment_id = e.id and t.role = 'resource_consultant' order by t.valid_from limit 1),
                    p.created_by) as staff_id
      from plans p join enrolments e on e.id = p.enrolment_id
     where p.citizen_id = any(${DEMO_PORTAL_CONTACTS.map((d) => citizenId(d.citizen))}::uuid[]) and e.status <> 'ended'
     order by p.citizen_id`.execute(db);
  if (rows.length === 0) return;
  const n = (row: { citizen_id: string }) => DEMO_PORTAL_CONTACTS.find((d) => citizenId(d.citizen) === row.citizen_id)!.citizen;
  await db
    .insertInto('plan_tasks')
    .values(
      rows.map((r) => ({
        id: id(n(r), 1),
        organisation_id: r.organisation_id,
        plan_id: r.plan_id,
        goal_id: null,
        title: DEMO_PORTAL_TASK,
        owner_kind: 'citizen' as const,
        owner_user_id: null,
        owner_participant_id: null,
        due_date: addDays(today, 7),
        status: 'open' as const,
        created_by: r.staff_id,
        created_at: copenhagenTime(addDays(today, -3), '10:00'),
      })),
    )
    .execute();
  await db
    .insertInto('plan_task_comments')
    .values(
      rows.map((r) => ({
        id: id(n(r), 2),
        organisation_id: r.organisation_id,
        citizen_id: r.citizen_id,
        plan_id: r.plan_id,
        task_id: id(n(r), 1),
        author_kind: 'staff' as const,
        author_user_id: r.staff_id,
        author_account_id: null,
        text: 'Tag gerne listen med til vores næste samtale.',
        created_at: copenhagenTime(addDays(today, -3), '10:05'),
      })),
    )
    .execute();
  const day = weekday(addDays(today, 2));
  await db
    .insertInto('conversations')
    .values(
      rows.map((r) => ({
        id: id(n(r), 3),
        organisation_id: r.organisation_id,
        citizen_id: r.citizen_id,
        starts_at: copenhagenTime(day, '13:30'),
        duration_minutes: 45,
        place: 'conversation_room' as const,
        place_text: null,
        status: 'planned' as const,
        staff_ids: [r.staff_id],
        created_by: r.staff_id,
      })),
    )
    .execute();
}
