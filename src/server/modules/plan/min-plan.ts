// Bindeled's plan does not replace Min Plan on Jobnet, where offers must be registered. While an offer
// (an internship, an upskilling, a place on a group course) is marked "not registered", an open task in the
// citizen's plan reminds the caseworker; marking it registered (or not relevant) closes the task.
import type { Transaction } from 'kysely';
import type { Database, MinPlan } from '../../db/schema.ts';
import type { Actor } from '../../platform/actor.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { commit, type PlanTarget } from './plan.service.ts';
import * as repo from './plan.repository.ts';

export interface MinPlanOffer {
  organisationId: string;
  citizenId: string;
  kind: 'internship' | 'upskilling' | 'group_course';
  id: string;
  /** Shown in the task: the company's name, the course's title. */
  title: string;
  minPlan: MinPlan;
  /**
   * The offer no longer stands for this citizen (they left the group course): an open reminder is closed as
   * cancelled whatever `minPlan` says, and the revision says why.
   */
  ended?: boolean;
}

/**
 * Opens or closes the reminder for one offer, in the caller's transaction (the caller has checked access to
 * the citizen). A citizen without an open enrolment has no plan to remind in, and nothing happens.
 * Returns what it did, for the caller's audit criteria.
 */
export async function syncMinPlanReminder(tx: Transaction<Database>, actor: Actor, offer: MinPlanOffer): Promise<'opened' | 'closed' | 'none'> {
  const open = await repo.openReminder(tx, offer.citizenId, offer.id);
  const wanted = offer.minPlan === 'no' && !offer.ended;
  if (wanted && open) return 'none';
  if (!wanted && !open) return 'none';
  const enrolment = await repo.openEnrolmentWithPlan(tx, offer.citizenId, dateInCopenhagen());
  if (!enrolment) return 'none';
  // A reminder left open in the plan of an earlier enrolment belongs to that plan's history; only the current plan is changed.
  if (open && open.plan_id !== enrolment.plan_id) return 'none';
  let target: PlanTarget;
  if (enrolment.plan_id) {
    target = { organisationId: offer.organisationId, citizenId: offer.citizenId, enrolmentId: enrolment.enrolment_id, programmeId: enrolment.programme_id, planId: enrolment.plan_id, version: enrolment.version!, created: false };
  } else {
    const plan = await repo.insertPlan(tx, { organisationId: offer.organisationId, citizenId: offer.citizenId, enrolmentId: enrolment.enrolment_id, createdBy: actor.userId });
    target = { organisationId: offer.organisationId, citizenId: offer.citizenId, enrolmentId: enrolment.enrolment_id, programmeId: enrolment.programme_id, planId: plan.id, version: plan.version, created: true };
  }
  if (wanted) {
    // The caseworker registers offers in Min Plan; without one on the team, the plan's coordinator, else the one registering the offer.
    const owner = enrolment.caseworker_id ?? enrolment.coordinator_id ?? actor.userId;
    await repo.insertTasks(tx, [
      { organisationId: offer.organisationId, planId: target.planId, goalId: null, title: offer.title, ownerKind: 'staff', ownerUserId: owner, ownerParticipantId: null, dueDate: null, meetingId: null, offerKind: offer.kind, offerId: offer.id, createdBy: actor.userId },
    ]);
    await commit(tx, actor, target, { minPlanReminder: 'opened', offerKind: offer.kind }, null);
    return 'opened';
  }
  const registered = offer.minPlan === 'yes' && !offer.ended;
  await repo.changeTask(tx, target.planId, { id: open!.id, version: open!.version, status: registered ? 'done' : 'cancelled' });
  const reason = offer.ended ? 'offer_ended' : registered ? 'registered' : 'not_relevant';
  await commit(tx, actor, target, { minPlanReminder: reason, offerKind: offer.kind }, null);
  return 'closed';
}
