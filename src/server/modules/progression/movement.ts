// Whether a pair (baseline → latest) counts as improved (1), worsened (-1) or neither (0): the change against the
// relevant change of the instrument version that is active for the programme's organisation — the version the
// cohort view shows. Kept on the pair (assessment_pairs.movement) so that the programme's aggregate rows
// (cohort_aggregates, maintained by the pair table's triggers, migration 0012) count improved and worsened
// exactly; recomputed for the pairs of a code whenever another version with a different relevant change
// becomes active.
import { sql, type RawBuilder } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The relevant change of the version that activeInstrument() gives for the programme's organisation, or null. */
export const relevantChangeFor = (programmeId: RawBuilder<unknown>, code: RawBuilder<unknown>) => sql<number | null>`(
  select (i.definition #>> '{scoring,relevantChange}')::float8
    from instruments i join programmes pr on pr.id = ${programmeId}
   where (i.organisation_id is null or i.organisation_id = pr.organisation_id) and i.code = ${code} and i.status = 'active'
   order by i.version desc limit 1)`;

/** The pair's movement from its measurements, values and the relevant change (null: none, so 0). */
export const movementOf = (measurements: RawBuilder<unknown>, baseline: RawBuilder<unknown>, latest: RawBuilder<unknown>, relevant: RawBuilder<unknown>) => sql<number>`(
  select case when ${measurements} >= 2 and ${latest} - ${baseline} >= r.v then 1
              when ${measurements} >= 2 and ${baseline} - ${latest} >= r.v then -1
              else 0 end
    from (select ${relevant} as v) r)`;

/**
 * Recomputes the movement of the pairs of an instrument code after a version became active (only the pairs
 * whose movement changes are written; the triggers move them between the aggregates' counts). Scoped to an
 * organisation's programmes for its own instrument, or every programme for a shipped one.
 */
export async function refreshMovements(db: Db, code: string, organisationId: string | null): Promise<number> {
  const movement = movementOf(sql.ref('p.measurements'), sql.ref('p.baseline_value'), sql.ref('p.latest_value'), relevantChangeFor(sql.ref('p.programme_id'), sql.ref('p.instrument_code')));
  const result = await sql`
    update assessment_pairs p set movement = m.movement
      from (select p.enrolment_id, ${movement} as movement from assessment_pairs p
             where p.instrument_code = ${code}
               ${organisationId === null ? sql`` : sql`and p.programme_id in (select id from programmes where organisation_id = ${organisationId})`}) m
     where p.enrolment_id = m.enrolment_id and p.instrument_code = ${code} and p.movement <> m.movement`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Whether two instrument definitions differ in their relevant change (then the pairs' movements are recomputed). */
export function relevantChangeDiffers(before: unknown, after: unknown): boolean {
  const of = (d: unknown) => (d as { scoring?: { relevantChange?: number } | null } | null)?.scoring?.relevantChange ?? null;
  return of(before) !== of(after);
}
