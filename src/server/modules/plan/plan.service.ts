// The plan of an enrolment: read, changed on its own or in a network meeting, every revision kept with the
// whole plan as it stood. Access goes through the citizen chokepoint; only enrolments in programmes through
// which the caller reaches the citizen are planned in.
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Plan, PlanChanges, PlanHistoryQuery, PlanQuery, UpdatePlanRequest } from '../../../contracts/plan.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, decide, type CitizenRelations } from '../../platform/access/access.ts';
import type { Action } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, type AuditAction } from '../../platform/audit/audit.ts';
import { Conflict, Invalid, type FieldIssue } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { requireCitizenAccess } from '../citizens/citizen-access.ts';
import { recordEvent } from '../citizens/citizens.repository.ts';
import * as repo from './plan.repository.ts';

type Tx = Transaction<Database>;
export interface PlanDeps {
  db: Kysely<Database>;
}

const PURPOSE = 'case_work' as const;

/** The programmes of the citizen's enrolments through which the caller holds the permission. */
export function reachableProgrammes(actor: Actor, organisationId: string, relations: CitizenRelations, permission: Action): string[] {
  return relations.enrolments
    .filter((e) => decide(actor, permission, { type: 'citizen', organisationId, citizen: { createdBy: relations.createdBy, enrolments: [e] } }).allowed)
    .map((e) => e.programmeId);
}

/** Opens the citizen for a plan read or change, and names the programmes it may concern. */
export async function openCitizen(tx: Tx, actor: Actor, citizenId: string, permission: Action, auditAction: AuditAction) {
  const access = await requireCitizenAccess(tx, actor, citizenId, permission, auditAction);
  return { ...access, programmeIds: reachableProgrammes(actor, access.organisationId, access.relations, permission) };
}

function unknownEnrolment(actor: Actor, organisationId: string, citizenId: string, enrolmentId: string, action: AuditAction): AccessDenied {
  return new AccessDenied({ actor, organisationId, action, purpose: PURPOSE, resourceType: 'plan', resourceId: null, citizenId, outcome: 'denied', criteria: { reason: 'unknown enrolment', enrolmentId } });
}

export async function getPlan(deps: PlanDeps, actor: Actor, citizenId: string, query: z.infer<typeof PlanQuery>): Promise<Plan> {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId, programmeIds } = await openCitizen(tx, actor, citizenId, 'citizen:read', 'read');
    const row = await repo.readPlan(tx, citizenId, programmeIds, query.enrolmentId);
    if (!row && query.enrolmentId) throw unknownEnrolment(actor, organisationId, citizenId, query.enrolmentId, 'read');
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'plan', resourceId: row?.plan_id ?? null, citizenId, outcome: 'success', criteria: row ? { enrolmentId: row.enrolment_id, revision: row.revision ?? 0 } : null });
    return planFromRow(citizenId, row);
  });
}

/** The plan as the API shows it, from the row `readPlan` returns (an empty plan when there is none); shared with the consented view. */
export function planFromRow(citizenId: string, row: repo.PlanRow | undefined): Plan {
  if (!row) return emptyPlan(citizenId);
  return {
    citizenId,
    enrolmentId: row.enrolment_id,
    programme: { id: row.programme_id, name: row.programme_name },
    enrolmentStatus: row.enrolment_status,
    planId: row.plan_id,
    revision: row.revision ?? 0,
    version: row.version ?? 0,
    goal: { kind: row.goal_kind, text: row.goal_text, targetDate: row.goal_target_date },
    coordinator: row.coordinator_id ? { id: row.coordinator_id, name: row.coordinator_name ?? '' } : null,
    nextFollowUp: row.next_follow_up,
    goals: row.goals,
    tasks: row.tasks.map((t) => ({
      id: t.id,
      goalId: t.goalId,
      title: t.title,
      owner: { kind: t.ownerKind, user: t.ownerUser, participant: t.ownerParticipant },
      dueDate: t.dueDate,
      status: t.status,
      minPlanOffer: t.offerKind && t.offerId ? { kind: t.offerKind, id: t.offerId } : null,
      createdInMeeting: t.createdInMeeting,
      version: t.version,
      completedByCitizen: t.completedByCitizen ?? false,
      comments: (row.task_comments ?? []).filter((c) => c.taskId === t.id).map(({ taskId: _taskId, ...c }) => c),
    })),
    participants: row.participants,
    offers: row.offers,
    meetings: row.meetings.map((m) => ({ ...m, place: m.place as Plan['meetings'][number]['place'] })),
    updatedAt: row.updated_at,
    otherEnrolments: row.other_enrolments,
  };
}

function emptyPlan(citizenId: string): Plan {
  return {
    citizenId,
    enrolmentId: null,
    programme: null,
    enrolmentStatus: null,
    planId: null,
    revision: 0,
    version: 0,
    goal: { kind: null, text: null, targetDate: null },
    coordinator: null,
    nextFollowUp: null,
    goals: [],
    tasks: [],
    participants: [],
    offers: [],
    meetings: [],
    updatedAt: null,
    otherEnrolments: [],
  };
}

export interface PlanTarget {
  organisationId: string;
  citizenId: string;
  enrolmentId: string;
  programmeId: string;
  planId: string;
  /** The version the change must match: the stored one, or 0 when this request created the plan. */
  version: number;
  created: boolean;
}

/** Locks the enrolment to plan in and makes sure its plan exists; refuses an ended enrolment. */
export async function lockPlan(tx: Tx, actor: Actor, access: { organisationId: string; programmeIds: string[] }, citizenId: string, enrolmentId: string | undefined, auditAction: AuditAction): Promise<PlanTarget> {
  const found = await repo.enrolmentForChange(tx, citizenId, access.programmeIds, enrolmentId);
  if (!found) {
    if (enrolmentId) throw unknownEnrolment(actor, access.organisationId, citizenId, enrolmentId, auditAction);
    throw new Invalid('The citizen has no enrolment to plan in; enrol them first', [{ path: 'enrolmentId', message: 'no_enrolment' }]);
  }
  if (found.status === 'ended') throw new Conflict('The enrolment has ended; its plan is kept as it was', [{ path: 'enrolmentId', message: 'enrolment_ended' }]);
  if (found.plan_id) {
    return { organisationId: access.organisationId, citizenId, enrolmentId: found.enrolment_id, programmeId: found.programme_id, planId: found.plan_id, version: found.version!, created: false };
  }
  const plan = await repo.insertPlan(tx, { organisationId: access.organisationId, citizenId, enrolmentId: found.enrolment_id, createdBy: actor.userId });
  return { organisationId: access.organisationId, citizenId, enrolmentId: found.enrolment_id, programmeId: found.programme_id, planId: plan.id, version: plan.version, created: true };
}

function hasChanges(changes: PlanChanges): boolean {
  return (
    changes.goal !== undefined ||
    changes.coordinatorId !== undefined ||
    changes.nextFollowUp !== undefined ||
    (changes.goals?.add.length ?? 0) > 0 ||
    (changes.goals?.change.length ?? 0) > 0 ||
    (changes.tasks?.add.length ?? 0) > 0 ||
    (changes.tasks?.change.length ?? 0) > 0
  );
}

/**
 * Applies a change to the locked plan and records the revision. `prefix` names the fields in error paths
 * (e.g. `plan.` inside a meeting); `newParticipantIds` are the outside participants the same meeting added,
 * by their place among the meeting's new outside participants.
 */
export async function applyPlanChanges(
  tx: Tx,
  actor: Actor,
  target: PlanTarget,
  changes: PlanChanges,
  opts: { meetingId: string | null; prefix: string; newParticipantIds: string[]; extraSummary?: Record<string, unknown> },
) {
  const p = opts.prefix;
  const expected = target.created ? 0 : target.version;
  if (changes.version !== expected) throw new Conflict('The plan was changed in the meantime; reload it and try again', [{ path: `${p}version`, message: 'stale' }]);
  const goalsAdd = changes.goals?.add ?? [];
  const goalsChange = changes.goals?.change ?? [];
  const tasksAdd = changes.tasks?.add ?? [];
  const tasksChange = changes.tasks?.change ?? [];
  const issues: FieldIssue[] = [];

  // Staff named as coordinator or task owner: active users of the organisation with a role in the programme.
  const staffIds = new Set<string>();
  if (changes.coordinatorId) staffIds.add(changes.coordinatorId);
  for (const t of tasksAdd) if (t.owner.kind === 'staff') staffIds.add(t.owner.userId);
  const staff = new Set((await repo.programmeStaff(tx, target.organisationId, target.programmeId, [...staffIds])).map((u) => u.id));
  if (changes.coordinatorId && !staff.has(changes.coordinatorId)) issues.push({ path: `${p}coordinatorId`, message: 'not_programme_staff' });

  const goalIds = new Set<string>([...goalsChange.map((g) => g.id), ...tasksAdd.flatMap((t) => (t.goalId ? [t.goalId] : []))]);
  const goals = new Map((await repo.goalsOfPlan(tx, target.planId, [...goalIds])).map((g) => [g.id, g]));
  const tasks = new Map((await repo.tasksOfPlan(tx, target.planId, tasksChange.map((t) => t.id))).map((t) => [t.id, t]));
  const participantIds = tasksAdd.flatMap((t) => (t.owner.kind === 'outside' && t.owner.participantId ? [t.owner.participantId] : []));
  const participants = new Set((await repo.participantsOfPlan(tx, target.planId, participantIds)).map((x) => x.id));

  goalsChange.forEach((g, i) => {
    if (!goals.has(g.id)) issues.push({ path: `${p}goals.change.${i}.id`, message: 'unknown_goal' });
  });
  tasksChange.forEach((t, i) => {
    if (!tasks.has(t.id)) issues.push({ path: `${p}tasks.change.${i}.id`, message: 'unknown_task' });
  });
  const ownerParticipant: (string | null)[] = [];
  tasksAdd.forEach((t, i) => {
    if (t.goalId && !goals.has(t.goalId)) issues.push({ path: `${p}tasks.add.${i}.goalId`, message: 'unknown_goal' });
    if (t.goalIndex !== undefined && t.goalIndex >= goalsAdd.length) issues.push({ path: `${p}tasks.add.${i}.goalIndex`, message: 'no_such_new_goal' });
    if (t.goalId && t.goalIndex !== undefined) issues.push({ path: `${p}tasks.add.${i}.goalIndex`, message: 'goal_given_twice' });
    let participant: string | null = null;
    if (t.owner.kind === 'staff' && !staff.has(t.owner.userId)) issues.push({ path: `${p}tasks.add.${i}.owner.userId`, message: 'not_programme_staff' });
    if (t.owner.kind === 'outside') {
      if ((t.owner.participantId === undefined) === (t.owner.participantIndex === undefined)) {
        issues.push({ path: `${p}tasks.add.${i}.owner`, message: 'participant_id_or_index' });
      } else if (t.owner.participantId !== undefined) {
        if (!participants.has(t.owner.participantId)) issues.push({ path: `${p}tasks.add.${i}.owner.participantId`, message: 'unknown_participant' });
        participant = t.owner.participantId;
      } else {
        participant = opts.newParticipantIds[t.owner.participantIndex!] ?? null;
        if (!participant) issues.push({ path: `${p}tasks.add.${i}.owner.participantIndex`, message: 'no_such_new_participant' });
      }
    }
    ownerParticipant.push(participant);
  });
  if (issues.length > 0) throw new Invalid('Some plan changes cannot be made', issues);

  for (const [i, g] of goalsChange.entries()) {
    if (goals.get(g.id)!.version !== g.version) throw new Conflict('A goal was changed in the meantime; reload the plan', [{ path: `${p}goals.change.${i}.version`, message: 'stale' }]);
  }
  for (const [i, t] of tasksChange.entries()) {
    if (tasks.get(t.id)!.version !== t.version) throw new Conflict('A task was changed in the meantime; reload the plan', [{ path: `${p}tasks.change.${i}.version`, message: 'stale' }]);
  }

  const insertedGoals = await repo.insertGoals(
    tx,
    goalsAdd.map((g) => ({ organisationId: target.organisationId, planId: target.planId, lifeArea: g.lifeArea, text: g.text, targetDate: g.targetDate ?? null, meetingId: opts.meetingId, createdBy: actor.userId })),
  );
  for (const g of goalsChange) await repo.changeGoal(tx, target.planId, { id: g.id, version: g.version, status: g.status, text: g.text, targetDate: g.targetDate }, opts.meetingId);
  await repo.insertTasks(
    tx,
    tasksAdd.map((t, i) => ({
      organisationId: target.organisationId,
      planId: target.planId,
      goalId: t.goalId ?? (t.goalIndex !== undefined ? insertedGoals[t.goalIndex]!.id : null),
      title: t.title,
      ownerKind: t.owner.kind,
      ownerUserId: t.owner.kind === 'staff' ? t.owner.userId : null,
      ownerParticipantId: ownerParticipant[i] ?? null,
      dueDate: t.dueDate ?? null,
      meetingId: opts.meetingId,
      createdBy: actor.userId,
    })),
  );
  for (const t of tasksChange) await repo.changeTask(tx, target.planId, t);

  const summary: Record<string, unknown> = {
    goalsAdded: goalsAdd.length,
    goalsChanged: goalsChange.length,
    tasksAdded: tasksAdd.length,
    tasksChanged: tasksChange.length,
    ...(changes.goal !== undefined ? { overallGoal: true } : {}),
    ...(changes.coordinatorId !== undefined ? { coordinator: true } : {}),
    ...(changes.nextFollowUp !== undefined ? { nextFollowUp: changes.nextFollowUp } : {}),
    ...opts.extraSummary,
  };
  return commit(tx, actor, target, summary, opts.meetingId, {
    goalKind: changes.goal?.kind,
    goalText: changes.goal ? (changes.goal.text ?? null) : undefined,
    goalTargetDate: changes.goal ? (changes.goal.targetDate ?? null) : undefined,
    coordinatorId: changes.coordinatorId,
    nextFollowUp: changes.nextFollowUp,
  });
}

/** Records a revision of the plan (the plan row's fields included) and its timeline event. */
export async function commit(tx: Tx, actor: Actor, target: PlanTarget, summary: Record<string, unknown>, meetingId: string | null, fields: repo.PlanFields = {}) {
  const done = await repo.commitRevision(tx, target.planId, target.version, fields, { changedBy: actor.userId, meetingId, summary });
  if (!done) throw new Conflict('The plan was changed in the meantime; reload it and try again', [{ path: 'version', message: 'stale' }]);
  await recordEvent(tx, { organisationId: target.organisationId, citizenId: target.citizenId, kind: 'plan.changed', refId: target.planId, actorId: actor.userId, data: { revision: done.revision, inMeeting: meetingId !== null, ...summary } });
  return { planId: target.planId, revision: done.revision, version: done.version };
}

export async function updatePlan(deps: PlanDeps, actor: Actor, citizenId: string, input: z.infer<typeof UpdatePlanRequest>) {
  if (!hasChanges(input)) throw new Invalid('Nothing to change: send at least one change', [{ path: '', message: 'no_changes' }]);
  return inTransaction(deps.db, async (tx) => {
    const access = await openCitizen(tx, actor, citizenId, 'citizen:write-case', 'update');
    const target = await lockPlan(tx, actor, access, citizenId, input.enrolmentId, 'update');
    const result = await applyPlanChanges(tx, actor, target, input, { meetingId: null, prefix: '', newParticipantIds: [] });
    await recordAudit(tx, { actor, organisationId: access.organisationId, action: target.created ? 'create' : 'update', purpose: PURPOSE, resourceType: 'plan', resourceId: target.planId, citizenId, outcome: 'success', criteria: { revision: result.revision } });
    return result;
  });
}

function isRevisionCursor(v: unknown): v is repo.RevisionCursor {
  const c = v as repo.RevisionCursor;
  return typeof c === 'object' && c !== null && Number.isInteger(c.revision) && c.revision >= 1 && c.revision <= 1_000_000;
}

export async function planHistory(deps: PlanDeps, actor: Actor, citizenId: string, query: z.infer<typeof PlanHistoryQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId, programmeIds } = await openCitizen(tx, actor, citizenId, 'citizen:read', 'read');
    const found = await repo.planIdOf(tx, citizenId, programmeIds, query.enrolmentId);
    if (!found && query.enrolmentId) throw unknownEnrolment(actor, organisationId, citizenId, query.enrolmentId, 'read');
    const after = decodeCursor(query.cursor, isRevisionCursor);
    const rows = found?.plan_id ? await repo.planRevisions(tx, found.plan_id, after?.revision, query.limit) : [];
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'plan_history', resourceId: found?.plan_id ?? null, citizenId, outcome: 'success', criteria: { count: page.length } });
    return {
      items: page.map((r) => ({
        revision: r.revision,
        changedAt: new Date(r.changed_at).toISOString(),
        changedBy: { id: r.changed_by, name: r.changed_by_name },
        meeting: r.meeting_id && r.meeting_starts_at ? { id: r.meeting_id, startsAt: new Date(r.meeting_starts_at).toISOString() } : null,
        summary: r.summary as Record<string, unknown>,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ revision: last.revision }) : null,
    };
  });
}

export async function planSnapshot(deps: PlanDeps, actor: Actor, citizenId: string, revision: number, enrolmentId: string | undefined) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId, programmeIds } = await openCitizen(tx, actor, citizenId, 'citizen:read', 'read');
    const found = await repo.planIdOf(tx, citizenId, programmeIds, enrolmentId);
    const row = found?.plan_id ? await repo.planRevision(tx, found.plan_id, revision) : undefined;
    if (!row) {
      throw new AccessDenied({ actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'plan_revision', resourceId: found?.plan_id ?? null, citizenId, outcome: 'denied', criteria: { reason: 'unknown revision', revision } });
    }
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'plan_revision', resourceId: found!.plan_id, citizenId, outcome: 'success', criteria: { revision } });
    return {
      revision: row.revision,
      changedAt: new Date(row.changed_at).toISOString(),
      changedBy: { id: row.changed_by, name: row.changed_by_name },
      meeting: row.meeting_id && row.meeting_starts_at ? { id: row.meeting_id, startsAt: new Date(row.meeting_starts_at).toISOString() } : null,
      snapshot: row.snapshot as Record<string, unknown>,
    };
  });
}
