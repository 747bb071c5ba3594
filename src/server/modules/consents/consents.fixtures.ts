// Test fixtures for consents across the two organisations: a person with a record in the region and one in Nordfyns
// Kommune where the demo caseworker `nordfyn` is on the team today, and the removal of the demo's consents of that
// person, so a test starts from none.
import { sql } from 'kysely';
import { ORG, userId } from '../../demo/ids.ts';
import { regionCitizenId } from '../../demo/demo-crossing.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import type { TestContext } from '../../testing/harness.ts';

/** The demo caseworker of Nordfyns Kommune (`nordfyn`). */
export const NORDFYN = userId(15);

export type SharedPerson = { regionId: string; municipalId: string; personHash: string };

/**
 * The first of the region's demo citizens, counting from `from`, whose municipal twin has `nordfyn` on the team
 * today. Throws when there is none (the demo data changed).
 */
export async function sharedPerson(t: TestContext, from = 1): Promise<SharedPerson> {
  const today = dateInCopenhagen();
  for (let n = from; n < 40; n += 1) {
    const region = await t.db.kysely.selectFrom('citizens').select(['id', 'cpr_hash']).where('id', '=', regionCitizenId(n)).executeTakeFirst();
    if (!region) break;
    const twin = await t.db.kysely
      .selectFrom('citizens as c')
      .innerJoin('enrolments as e', 'e.citizen_id', 'c.id')
      .innerJoin('team_members as tm', 'tm.enrolment_id', 'e.id')
      .select('c.id')
      .where('c.cpr_hash', '=', region.cpr_hash)
      .where('c.organisation_id', '=', ORG.nordfyn)
      .where('tm.user_id', '=', NORDFYN)
      .where('tm.valid_from', '<=', today)
      .where((eb) => eb.or([eb('tm.valid_to', 'is', null), eb('tm.valid_to', '>=', today)]))
      .executeTakeFirst();
    if (twin) return { regionId: region.id, municipalId: twin.id, personHash: region.cpr_hash };
  }
  throw new Error(`no demo person from region citizen ${from} on has a Nordfyn record with nordfyn on the team today`);
}

/** Removes every consent of the person (and the tasks that name them), the chains of replacement first. */
export async function clearConsentsOf(t: TestContext, personHash: string): Promise<void> {
  await t.db.owner.deleteFrom('crossing_tasks').where('consent_id', 'in', (eb) => eb.selectFrom('consents').select('id').where('person_hash', '=', personHash)).execute();
  await sql`update consents set superseded_by = null, replaces_id = null where person_hash = ${personHash}`.execute(t.db.owner);
  await t.db.owner.deleteFrom('consents').where('person_hash', '=', personHash).execute();
}
