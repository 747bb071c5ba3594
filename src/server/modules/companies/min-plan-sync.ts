// The call site for the plan's Min Plan reminder: after an internship or upskilling is created or changed, the
// plan module opens the task "register in Min Plan" while minPlan is 'no' and closes it otherwise.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../platform/actor.ts';
import { syncMinPlanReminder, type MinPlanOffer } from '../plan/min-plan.ts';

export type { MinPlanOffer };

/** In the caller's transaction, after the caller checked access to the citizen; answers what it did, for the audit row. */
export function syncMinPlan(tx: Transaction<Database>, actor: Actor, offer: MinPlanOffer): Promise<'opened' | 'closed' | 'none'> {
  return syncMinPlanReminder(tx, actor, offer);
}
