// Internships (virksomhedspraktik) with hours per week and follow-up talks, and upskilling: citizen case data,
// reached through the citizen's access check, each change on the citizen's timeline in the same transaction.
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type {
  ActivityListQuery,
  CreateFollowUpRequest,
  CreateInternshipRequest,
  CreateUpskillingRequest,
  Internship,
  PutInternshipWeeksRequest,
  UpdateInternshipRequest,
  UpdateUpskillingRequest,
  Upskilling,
} from '../../../contracts/companies.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, type AuditAction } from '../../platform/audit/audit.ts';
import { addDays } from '../../platform/dates.ts';
import { Conflict, Invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { requireCitizenAccess } from '../citizens/citizen-access.ts';
import { insertEvents, recordEvent } from '../citizens/citizens.repository.ts';
import type { CompanyDeps } from './companies.service.ts';
import * as repo from './companies.repository.ts';
import { syncMinPlan } from './min-plan-sync.ts';

type Tx = Transaction<Database>;
const PURPOSE = 'case_work' as const;

const isIsoDay = (v: unknown): v is string => typeof v === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v) && v >= '1900-01-01' && v <= '2100-12-31' && !Number.isNaN(Date.parse(v));
function isActivityCursor(v: unknown): v is repo.ActivityCursor {
  const c = v as repo.ActivityCursor;
  return typeof c === 'object' && c !== null && isIsoDay(c.d) && isUuid(c.id);
}

/** Monday = 1 … Sunday = 7, of a calendar date. */
const isoWeekday = (iso: string) => ((new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

function toInternship(r: repo.InternshipRow): Internship {
  return {
    id: r.id,
    citizenId: r.citizen_id,
    company: { id: r.company_id, name: r.company_name, cvr: r.company_cvr },
    contact: r.contact_id ? { id: r.contact_id, name: r.contact_name ?? '' } : null,
    purpose: r.purpose,
    purposeText: r.purpose_text,
    fromDate: r.from_date,
    toDate: r.to_date,
    plannedWeeklyHours: Number(r.planned_weekly_hours),
    minPlan: r.min_plan,
    outcome: r.outcome,
    outcomeReason: r.outcome_reason,
    weeks: r.weeks.map((w) => ({ weekStart: w.week_start, hours: Number(w.hours) })),
    followUps: r.follow_ups.map((f) => ({ id: f.id, heldOn: f.held_on, note: f.note, createdBy: { id: f.created_by, name: f.created_by_name } })),
    version: r.version,
  };
}

/** Loads an internship and checks access to its citizen; an unknown id is refused like a foreign one. */
async function internshipFor(tx: Tx, actor: Actor, internshipId: string, auditAction: AuditAction) {
  const head = await repo.internshipHead(tx, internshipId);
  if (!head) {
    throw new AccessDenied({ actor, organisationId: null, action: auditAction, purpose: PURPOSE, resourceType: 'internship', resourceId: internshipId, outcome: 'denied', criteria: { reason: 'unknown id' } });
  }
  const { organisationId } = await requireCitizenAccess(tx, actor, head.citizen_id, 'citizen:write-case', auditAction);
  return { head, organisationId };
}

async function readInternship(tx: Tx, id: string): Promise<Internship> {
  const [row] = await repo.internships(tx, { id });
  if (!row) throw new Error('the internship disappeared within the transaction');
  return toInternship(row);
}

export async function createInternship(deps: CompanyDeps, actor: Actor, citizenId: string, input: CreateInternshipRequest): Promise<{ id: string }> {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:write-case', 'create');
    const company = await repo.companyForInternship(tx, organisationId, input.companyId, input.contactId ?? null);
    if (!company) throw new Invalid('No such company in the register', [{ path: 'companyId', message: 'unknown_company' }]);
    if (!company.contact_ok) throw new Invalid('The contact person does not belong to the company', [{ path: 'contactId', message: 'unknown_contact' }]);
    const id = await repo.insertInternship(tx, {
      organisationId,
      citizenId,
      companyId: input.companyId,
      contactId: input.contactId ?? null,
      purpose: input.purpose,
      purposeText: input.purposeText ?? null,
      fromDate: input.fromDate,
      toDate: input.toDate,
      plannedWeeklyHours: input.plannedWeeklyHours,
      minPlan: input.minPlan,
      createdBy: actor.userId,
    });
    await recordEvent(tx, {
      organisationId,
      citizenId,
      kind: 'internship.created',
      refId: id,
      actorId: actor.userId,
      data: { company: company.name, companyId: input.companyId, purpose: input.purpose, fromDate: input.fromDate, toDate: input.toDate, plannedWeeklyHours: input.plannedWeeklyHours },
    });
    const minPlanReminder = await syncMinPlan(tx, actor, { organisationId, citizenId, kind: 'internship', id, title: company.name, minPlan: input.minPlan });
    await recordAudit(tx, { actor, organisationId, action: 'create', purpose: PURPOSE, resourceType: 'internship', resourceId: id, citizenId, outcome: 'success', criteria: { companyId: input.companyId, minPlanReminder } });
    return { id };
  });
}

export async function listInternships(deps: CompanyDeps, actor: Actor, citizenId: string, query: z.infer<typeof ActivityListQuery>): Promise<{ items: Internship[]; nextCursor: string | null }> {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:read', 'read');
    const after = decodeCursor(query.cursor, isActivityCursor);
    const rows = await repo.internships(tx, { citizenId, after, limit: query.limit });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > query.limit && last ? encodeCursor({ d: last.from_date, id: last.id }) : null;
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'internship', citizenId, outcome: 'success', criteria: { count: page.length, cursor: query.cursor ? 'next' : null } });
    return { items: page.map(toInternship), nextCursor };
  });
}

export async function putWeeks(deps: CompanyDeps, actor: Actor, internshipId: string, input: z.infer<typeof PutInternshipWeeksRequest>): Promise<Internship> {
  return inTransaction(deps.db, async (tx) => {
    const { head, organisationId } = await internshipFor(tx, actor, internshipId, 'update');
    const seen = new Set<string>();
    input.weeks.forEach((w, i) => {
      if (isoWeekday(w.weekStart) !== 1) throw new Invalid('A week is named by its Monday', [{ path: `weeks.${i}.weekStart`, message: 'not_monday' }]);
      // The week must overlap the internship: it starts on or before the last day and ends on or after the first.
      if (w.weekStart > head.to_date || addDays(w.weekStart, 6) < head.from_date) {
        throw new Invalid('The week lies outside the internship', [{ path: `weeks.${i}.weekStart`, message: 'outside_period' }]);
      }
      if (seen.has(w.weekStart)) throw new Invalid('The same week twice', [{ path: `weeks.${i}.weekStart`, message: 'duplicate_week' }]);
      seen.add(w.weekStart);
    });
    const written = await repo.upsertWeeks(tx, internshipId, organisationId, actor.userId, input.weeks);
    const changed = written.filter((w) => w.previous === null || Number(w.previous) !== Number(w.hours));
    // One event per changed week, a millisecond apart in week order, so the timeline (newest first) lists the latest week first.
    const at = Date.now();
    await insertEvents(
      tx,
      changed.map((w, n) => ({
        occurred_at: new Date(at + n),
        organisation_id: organisationId,
        citizen_id: head.citizen_id,
        kind: 'internship.hours',
        ref_id: internshipId,
        actor_id: actor.userId,
        data: JSON.stringify({ company: head.company_name, companyId: head.company_id, weekStart: w.week_start, hours: Number(w.hours), previous: w.previous === null ? null : Number(w.previous) }),
      })),
    );
    await recordAudit(tx, { actor, organisationId, action: 'update', purpose: PURPOSE, resourceType: 'internship', resourceId: internshipId, citizenId: head.citizen_id, outcome: 'success', criteria: { weeks: input.weeks.map((w) => w.weekStart) } });
    return readInternship(tx, internshipId);
  });
}

export async function addFollowUp(deps: CompanyDeps, actor: Actor, internshipId: string, input: z.infer<typeof CreateFollowUpRequest>): Promise<{ id: string }> {
  return inTransaction(deps.db, async (tx) => {
    const { head, organisationId } = await internshipFor(tx, actor, internshipId, 'create');
    const id = await repo.insertFollowUp(tx, { organisationId, internshipId, heldOn: input.heldOn, note: input.note, createdBy: actor.userId });
    await recordEvent(tx, { organisationId, citizenId: head.citizen_id, kind: 'internship.follow_up', refId: internshipId, actorId: actor.userId, data: { company: head.company_name, companyId: head.company_id, heldOn: input.heldOn } });
    await recordAudit(tx, { actor, organisationId, action: 'create', purpose: PURPOSE, resourceType: 'internship', resourceId: internshipId, citizenId: head.citizen_id, outcome: 'success', criteria: { followUpId: id } });
    return { id };
  });
}

export async function updateInternship(deps: CompanyDeps, actor: Actor, internshipId: string, input: z.infer<typeof UpdateInternshipRequest>): Promise<Internship> {
  return inTransaction(deps.db, async (tx) => {
    const { head, organisationId } = await internshipFor(tx, actor, internshipId, 'update');
    if (input.toDate !== undefined) {
      if (input.toDate < head.from_date) throw new Invalid('The last day comes on or after the first', [{ path: 'toDate', message: 'before_from_date' }]);
      if ((await repo.weeksOutside(tx, internshipId, head.from_date, input.toDate)) > 0) {
        throw new Invalid('Hours are recorded for weeks after the new last day', [{ path: 'toDate', message: 'weeks_outside' }]);
      }
    }
    const changes = {
      ...(input.outcome !== undefined ? { outcome: input.outcome, outcome_reason: input.outcome ? (input.outcomeReason ?? null) : null } : input.outcomeReason !== undefined ? { outcome_reason: input.outcomeReason } : {}),
      ...(input.toDate !== undefined ? { to_date: input.toDate } : {}),
      ...(input.minPlan !== undefined ? { min_plan: input.minPlan } : {}),
    };
    const updated = await repo.updateInternship(tx, internshipId, input.version, changes);
    if (!updated) throw new Conflict('The internship was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    if (input.outcome && input.outcome !== head.outcome) {
      await recordEvent(tx, { organisationId, citizenId: head.citizen_id, kind: 'internship.ended', refId: internshipId, actorId: actor.userId, data: { company: head.company_name, companyId: head.company_id, outcome: input.outcome, toDate: updated.to_date } });
    }
    const minPlanReminder = await syncMinPlan(tx, actor, { organisationId, citizenId: head.citizen_id, kind: 'internship', id: internshipId, title: head.company_name, minPlan: updated.min_plan });
    await recordAudit(tx, { actor, organisationId, action: 'update', purpose: PURPOSE, resourceType: 'internship', resourceId: internshipId, citizenId: head.citizen_id, outcome: 'success', criteria: { fields: Object.keys(input).filter((k) => k !== 'version'), minPlanReminder } });
    return readInternship(tx, internshipId);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Upskilling

function toUpskilling(r: repo.UpskillingRow): Upskilling {
  return {
    id: r.id,
    citizenId: r.citizen_id,
    kind: r.kind,
    title: r.title,
    provider: r.provider,
    fromDate: r.from_date,
    toDate: r.to_date,
    status: r.status,
    outcome: r.outcome,
    goal: r.goal_id ? { id: r.goal_id, text: r.goal_text ?? '' } : null,
    minPlan: r.min_plan,
    version: r.version,
  };
}

async function requireGoalOf(tx: Tx, goalId: string | null | undefined, citizenId: string) {
  if (goalId && !(await repo.goalOfCitizen(tx, goalId, citizenId))) {
    throw new Invalid("The goal is not one of the citizen's plan goals", [{ path: 'goalId', message: 'unknown_goal' }]);
  }
}

export async function createUpskilling(deps: CompanyDeps, actor: Actor, citizenId: string, input: CreateUpskillingRequest): Promise<{ id: string }> {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:write-case', 'create');
    await requireGoalOf(tx, input.goalId, citizenId);
    const id = await repo.insertUpskilling(tx, {
      organisationId,
      citizenId,
      kind: input.kind,
      title: input.title,
      provider: input.provider,
      fromDate: input.fromDate,
      toDate: input.toDate ?? null,
      status: input.status,
      outcome: input.outcome ?? null,
      goalId: input.goalId ?? null,
      minPlan: input.minPlan,
      createdBy: actor.userId,
    });
    await recordEvent(tx, { organisationId, citizenId, kind: 'upskilling.created', refId: id, actorId: actor.userId, data: { upskillingKind: input.kind, title: input.title, provider: input.provider, status: input.status, fromDate: input.fromDate } });
    const minPlanReminder = await syncMinPlan(tx, actor, { organisationId, citizenId, kind: 'upskilling', id, title: input.title, minPlan: input.minPlan });
    await recordAudit(tx, { actor, organisationId, action: 'create', purpose: PURPOSE, resourceType: 'upskilling', resourceId: id, citizenId, outcome: 'success', criteria: { minPlanReminder } });
    return { id };
  });
}

export async function listUpskilling(deps: CompanyDeps, actor: Actor, citizenId: string, query: z.infer<typeof ActivityListQuery>): Promise<{ items: Upskilling[]; nextCursor: string | null }> {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:read', 'read');
    const after = decodeCursor(query.cursor, isActivityCursor);
    const rows = await repo.upskillingOf(tx, { citizenId, after, limit: query.limit });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > query.limit && last ? encodeCursor({ d: last.from_date, id: last.id }) : null;
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'upskilling', citizenId, outcome: 'success', criteria: { count: page.length, cursor: query.cursor ? 'next' : null } });
    return { items: page.map(toUpskilling), nextCursor };
  });
}

export async function updateUpskilling(deps: CompanyDeps, actor: Actor, upskillingId: string, input: z.infer<typeof UpdateUpskillingRequest>): Promise<Upskilling> {
  return inTransaction(deps.db, async (tx) => {
    const head = await repo.upskillingHead(tx, upskillingId);
    if (!head) {
      throw new AccessDenied({ actor, organisationId: null, action: 'update', purpose: PURPOSE, resourceType: 'upskilling', resourceId: upskillingId, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    const { organisationId } = await requireCitizenAccess(tx, actor, head.citizen_id, 'citizen:write-case', 'update');
    const fromDate = input.fromDate ?? head.from_date;
    const toDate = input.toDate !== undefined ? input.toDate : head.to_date;
    if (toDate && toDate < fromDate) throw new Invalid('The last day comes on or after the first', [{ path: 'toDate', message: 'before_from_date' }]);
    await requireGoalOf(tx, input.goalId, head.citizen_id);
    const changes = {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.provider !== undefined ? { provider: input.provider } : {}),
      ...(input.fromDate !== undefined ? { from_date: input.fromDate } : {}),
      ...(input.toDate !== undefined ? { to_date: input.toDate } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
      ...(input.goalId !== undefined ? { goal_id: input.goalId } : {}),
      ...(input.minPlan !== undefined ? { min_plan: input.minPlan } : {}),
    };
    const updated = await repo.updateUpskilling(tx, upskillingId, input.version, changes);
    if (!updated) throw new Conflict('The upskilling was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    const fields = Object.keys(input).filter((k) => k !== 'version');
    await recordEvent(tx, { organisationId, citizenId: head.citizen_id, kind: 'upskilling.changed', refId: upskillingId, actorId: actor.userId, data: { title: updated.title, status: updated.status, previousStatus: head.status, fields } });
    const minPlanReminder = await syncMinPlan(tx, actor, { organisationId, citizenId: head.citizen_id, kind: 'upskilling', id: upskillingId, title: updated.title, minPlan: updated.min_plan });
    await recordAudit(tx, { actor, organisationId, action: 'update', purpose: PURPOSE, resourceType: 'upskilling', resourceId: upskillingId, citizenId: head.citizen_id, outcome: 'success', criteria: { fields, minPlanReminder } });
    const [row] = await repo.upskillingOf(tx, { id: upskillingId });
    return toUpskilling(row!);
  });
}
