// Individual conversations with the citizen: planned or held, where (walk and talk, a library, the citizen's
// home …), who took part, themes and a note; a no-show is recorded as such.
import type { z } from 'zod';
import type { Warning } from '../../../contracts/common.ts';
import type { ConversationListQuery, CreateConversationRequest, UpdateConversationRequest } from '../../../contracts/plan.ts';
import { AccessDenied } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { Conflict, Invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { requireCitizenAccess } from '../citizens/citizen-access.ts';
import { recordEvent } from '../citizens/citizens.repository.ts';
import { checkDoubleBooking } from '../calendar/calendar.service.ts';
import { isTimeCursor } from './meetings.service.ts';
import type { PlanDeps } from './plan.service.ts';
import * as repo from './plan.repository.ts';

const PURPOSE = 'case_work' as const;

function checkPlace(place: string | undefined, placeText: string | null | undefined, path = 'placeText') {
  if (place === 'other' && !placeText) throw new Invalid('Say where the conversation takes place', [{ path, message: 'required_for_other' }]);
}

export async function createConversation(deps: PlanDeps, actor: Actor, citizenId: string, input: z.infer<typeof CreateConversationRequest>) {
  checkPlace(input.place, input.placeText);
  const staffIds = input.staffIds.length > 0 ? [...new Set(input.staffIds)] : [actor.userId];
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:write-case', 'create');
    const staff = new Set((await repo.programmeStaff(tx, organisationId, null, staffIds)).map((u) => u.id));
    const unknown = staffIds.findIndex((id) => !staff.has(id));
    if (unknown >= 0) throw new Invalid('A participant is not staff of the organisation', [{ path: `staffIds.${input.staffIds.length > 0 ? input.staffIds.indexOf(staffIds[unknown]!) : 0}`, message: 'not_programme_staff' }]);
    // Booking ahead warns when a participant already has an appointment then; recording what happened does not.
    const startsAt = new Date(input.startsAt);
    const notices = input.status === 'planned' ? await checkDoubleBooking(tx, { userIds: staffIds, startsAt, endsAt: new Date(startsAt.getTime() + input.durationMinutes * 60_000), acknowledged: input.acknowledgeWarnings }) : [];
    const { id } = await repo.insertConversation(tx, {
      organisationId,
      citizenId,
      startsAt: input.startsAt,
      durationMinutes: input.durationMinutes,
      place: input.place,
      placeText: input.placeText ?? null,
      status: input.status,
      staffIds,
      themes: input.themes,
      note: input.note ?? null,
      createdBy: actor.userId,
    });
    await recordEvent(tx, { organisationId, citizenId, kind: `conversation.${input.status}`, refId: id, actorId: actor.userId, data: { startsAt: input.startsAt, place: input.place, durationMinutes: input.durationMinutes, themes: input.themes } });
    await recordAudit(tx, { actor, organisationId, action: 'create', purpose: PURPOSE, resourceType: 'conversation', resourceId: id, citizenId, outcome: 'success', criteria: { status: input.status, ...(notices.length ? { acknowledgedWarnings: notices.map((n) => n.code) } : {}) } });
    return { id, notices: notices as Warning[] };
  });
}

export async function updateConversation(deps: PlanDeps, actor: Actor, conversationId: string, input: z.infer<typeof UpdateConversationRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const current = await repo.conversationById(tx, conversationId);
    if (!current) {
      throw new AccessDenied({ actor, organisationId: null, action: 'update', purpose: PURPOSE, resourceType: 'conversation', resourceId: conversationId, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    const { organisationId } = await requireCitizenAccess(tx, actor, current.citizen_id, 'citizen:write-case', 'update');
    checkPlace(input.place ?? current.place, input.placeText === undefined ? current.place_text : input.placeText);
    const status = input.status ?? current.status;
    const moved = input.startsAt !== undefined || input.durationMinutes !== undefined || (input.status === 'planned' && current.status !== 'planned');
    if (status === 'planned' && moved) {
      const startsAt = new Date(input.startsAt ?? current.starts_at);
      const minutes = input.durationMinutes ?? current.duration_minutes;
      await checkDoubleBooking(tx, { userIds: current.staff_ids, startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000), exceptId: conversationId, acknowledged: input.acknowledgeWarnings });
    }
    const changed = await repo.updateConversation(tx, conversationId, input.version, {
      status: input.status,
      startsAt: input.startsAt,
      durationMinutes: input.durationMinutes,
      place: input.place,
      placeText: input.placeText,
      themes: input.themes,
      note: input.note,
    });
    if (!changed) throw new Conflict('The conversation was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    if (input.status && input.status !== current.status) {
      await recordEvent(tx, { organisationId, citizenId: current.citizen_id, kind: `conversation.${input.status}`, refId: conversationId, actorId: actor.userId, data: { startsAt: (input.startsAt ?? new Date(current.starts_at).toISOString()), place: input.place ?? current.place, from: current.status } });
    }
    await recordAudit(tx, { actor, organisationId, action: 'update', purpose: PURPOSE, resourceType: 'conversation', resourceId: conversationId, citizenId: current.citizen_id, outcome: 'success', criteria: { status: input.status ?? null } });
    return { id: conversationId, version: changed.version };
  });
}

export async function listConversations(deps: PlanDeps, actor: Actor, citizenId: string, query: z.infer<typeof ConversationListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:read', 'read');
    const after = decodeCursor(query.cursor, isTimeCursor);
    const rows = await repo.conversationsOf(tx, citizenId, after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'conversation', citizenId, outcome: 'success', criteria: { count: page.length, cursor: query.cursor ? 'next' : null } });
    return {
      items: page.map((c) => ({
        id: c.id,
        startsAt: c.starts_at,
        durationMinutes: c.duration_minutes,
        place: c.place as 'other',
        placeText: c.place_text,
        status: c.status,
        staff: c.staff,
        themes: c.themes,
        note: c.note,
        createdBy: { id: c.created_by, name: c.created_by_name },
        version: c.version,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.starts_at, id: last.id }) : null,
    };
  });
}
