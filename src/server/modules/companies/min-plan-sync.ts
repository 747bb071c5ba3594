// The call site for the plan's Min Plan reminder: after an internship or upskilling is created or changed, the
// plan module opens the task "register in Min Plan" while minPlan is 'no' and closes it otherwise.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../platform/actor.ts';

export interface MinPlanOffer {
  organisationId: string;
  citizenId: string;
  kind: 'internship' | 'upskilling';
  id: string;
  title: string;
  minPlan: 'yes' | 'no' | 'not_relevant';
}

/**
 * Issue 8: hand the offer to `syncMinPlanReminder(tx, actor, offer)` of src/server/modules/plan/min-plan.ts in the
 * same transaction. That function is not on main yet; until it is, the offer's minPlan answer is stored on the
 * offer itself and no reminder task is opened.
 */
export async function syncMinPlan(tx: Transaction<Database>, actor: Actor, offer: MinPlanOffer): Promise<void> {
  void tx;
  void actor;
  void offer;
}
