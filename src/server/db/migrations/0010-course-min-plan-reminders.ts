// A place on a group course is an offer of its own in Min Plan: each participant's place is registered there
// (or not) on its own, so the status moves from the course to the place, which gets a version for the change.
// The reminder task names the offer by its id, and a course has one id for all its participants, so "one open
// reminder per offer" becomes one per offer in each plan (a plan belongs to one citizen's enrolment); the offer
// id leads the index, which is how the reminder is looked up.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
alter table group_participants
  add column min_plan text not null default 'no' check (min_plan in ('yes', 'no', 'not_relevant')),
  add column version integer not null default 1;
-- Places taken before this migration keep what their course said.
update group_participants p set min_plan = c.min_plan from group_courses c where c.id = p.course_id;

drop index plan_tasks_min_plan_offer;
create unique index plan_tasks_min_plan_offer on plan_tasks (min_plan_offer_id, plan_id) where min_plan_offer_id is not null and status = 'open';
`).execute(db);
}
