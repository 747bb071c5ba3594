// Psychiatry's liaison on the team of a municipal enrolment that is already open, and the end of that place.
// The realistic path: the municipality records its fvl_28 consent once the citizen is in the programme, and only
// then may the liaison join. The same rule as at enrolment (consents/liaison-team.ts): both directions must be
// covered today, or 409 naming the gaps and a denied audit row. Who may: the owning organisation's case staff in
// the programme who may set a team (the enrolment permission) and write in this citizen's case.
import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { AddLiaisonRequest, EndLiaisonRequest, LiaisonMembership } from '../../../contracts/liaison-team.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, type AuditAction } from '../../platform/audit/audit.ts';
import { addDays } from '../../platform/dates.ts';
import { Conflict, Invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { personHashOf, requireLiaisonConsents } from '../consents/liaison-team.ts';
import { requireCitizenAccess } from './citizen-access.ts';
import type { CitizenDeps } from './citizens.service.ts';
import * as repo from './citizens.repository.ts';

type Tx = Transaction<Database>;
const PURPOSE = 'case_work' as const;
/** How far ahead a liaison's first or last day on the team may be set. */
const MAX_DAYS_AHEAD = 365;

/** The enrolment, locked (two people adding a liaison at once get one place, the other a 409), after the chokepoint. */
async function openEnrolmentFor(tx: Tx, actor: Actor, enrolmentId: string, action: AuditAction) {
  const { rows } = await sql<{ id: string; organisation_id: string; citizen_id: string; programme_id: string; status: string; start_date: string }>`
    select id, organisation_id, citizen_id, programme_id, status, start_date::text as start_date
      from enrolments where id = ${enrolmentId} for update`.execute(tx);
  const e = rows[0];
  if (!e) {
    throw new AccessDenied({ actor, organisationId: null, action, purpose: PURPOSE, resourceType: 'team', resourceId: enrolmentId, outcome: 'denied', criteria: { reason: 'unknown id' } });
  }
  const { today } = await requireCitizenAccess(tx, actor, e.citizen_id, 'citizen:write-case', action, e.programme_id);
  // Setting a team is for the case roles of the organisation that owns the enrolment (never the liaison).
  requireAccess(actor, 'enrolment:create', { type: 'team', id: enrolmentId, citizenId: e.citizen_id, organisationId: e.organisation_id, programmeId: e.programme_id }, { action, purpose: PURPOSE });
  if (e.status === 'ended') throw new Conflict('The enrolment has ended; its team no longer changes', [{ path: 'status', message: 'enrolment_ended' }]);
  return { e, today };
}

/** The liaison memberships of the enrolment that have not ended before `from`. */
function liaisonsFrom(tx: Tx, enrolmentId: string, from: string) {
  return tx
    .selectFrom('team_members as tm')
    .innerJoin('users as u', 'u.id', 'tm.user_id')
    .select(['tm.id', 'tm.user_id', 'u.name', sql<string>`tm.valid_from::text`.as('valid_from')])
    .where('tm.enrolment_id', '=', enrolmentId)
    .where('tm.role', '=', 'liaison')
    .where((eb) => eb.or([eb('tm.valid_to', 'is', null), eb('tm.valid_to', '>=', from)]))
    .orderBy('tm.valid_from')
    .execute();
}

export async function addLiaison(deps: CitizenDeps, actor: Actor, enrolmentId: string, input: z.infer<typeof AddLiaisonRequest>): Promise<z.infer<typeof LiaisonMembership>> {
  return inTransaction(deps.db, async (tx) => {
    const { e, today } = await openEnrolmentFor(tx, actor, enrolmentId, 'create');
    const validFrom = input.validFrom ?? today;
    // The consents are checked today: a place on the team starts today or later, never back in time.
    if (validFrom < today || validFrom < e.start_date) throw new Invalid('The liaison joins the team from today or later, within the enrolment', [{ path: 'validFrom', message: 'before_today_or_start' }]);
    if (validFrom > addDays(today, MAX_DAYS_AHEAD)) throw new Invalid(`The first day may be at most ${MAX_DAYS_AHEAD} days ahead`, [{ path: 'validFrom', message: 'too_far_ahead' }]);
    const staff = await repo.programmeStaff(tx, e.programme_id, await repo.partnerOrganisationIds(tx, e.programme_id), [input.liaisonId]);
    const liaison = staff.find((s) => s.role === 'liaison' && s.organisation_kind === 'region');
    if (!liaison) throw new Invalid('The person is not a liaison of a psychiatry partner in the programme', [{ path: 'liaisonId', message: 'not_liaison_in_programme' }]);
    if ((await liaisonsFrom(tx, enrolmentId, validFrom)).length > 0) {
      throw new Conflict('A liaison from psychiatry is already on this team', [{ path: 'liaisonId', message: 'liaison_already_on_team' }]);
    }
    const consentIds = await requireLiaisonConsents(
      tx,
      actor,
      { personHash: await personHashOf(tx, e.citizen_id), citizenId: e.citizen_id, liaisonId: input.liaisonId, regionId: liaison.organisation_id, programmeId: e.programme_id, path: 'liaisonId' },
      today,
    );
    await repo.insertTeamMembers(tx, [{ organisation_id: e.organisation_id, enrolment_id: enrolmentId, user_id: input.liaisonId, role: 'liaison', valid_from: validFrom, created_by: actor.userId }]);
    await repo.recordEvent(tx, { organisationId: e.organisation_id, citizenId: e.citizen_id, kind: 'team.changed', refId: enrolmentId, actorId: actor.userId, data: { added: [{ userId: input.liaisonId, role: 'liaison' }], validFrom } });
    // The consents both ways the place rests on are its basis, in the log.
    await recordAudit(tx, {
      actor,
      organisationId: e.organisation_id,
      action: 'create',
      purpose: PURPOSE,
      resourceType: 'team',
      resourceId: enrolmentId,
      citizenId: e.citizen_id,
      outcome: 'success',
      criteria: { role: 'liaison', liaisonId: input.liaisonId, programmeId: e.programme_id, validFrom, liaisonConsentIds: consentIds },
    });
    return { enrolmentId, liaison: { id: input.liaisonId, name: liaison.name }, validFrom, validTo: null };
  });
}

export async function endLiaison(deps: CitizenDeps, actor: Actor, enrolmentId: string, input: z.infer<typeof EndLiaisonRequest>): Promise<z.infer<typeof LiaisonMembership>> {
  return inTransaction(deps.db, async (tx) => {
    const { e, today } = await openEnrolmentFor(tx, actor, enrolmentId, 'update');
    const [member] = await liaisonsFrom(tx, enrolmentId, today);
    if (!member) throw new Conflict('No liaison from psychiatry is on this team', [{ path: 'liaisonId', message: 'no_liaison_on_team' }]);
    if (input.validTo < member.valid_from) throw new Invalid('The last day is before the liaison joined the team', [{ path: 'validTo', message: 'before_start' }]);
    if (input.validTo > addDays(today, MAX_DAYS_AHEAD)) throw new Invalid(`The last day may be at most ${MAX_DAYS_AHEAD} days ahead`, [{ path: 'validTo', message: 'too_far_ahead' }]);
    await repo.endMemberships(tx, [member.id], input.validTo);
    await repo.recordEvent(tx, { organisationId: e.organisation_id, citizenId: e.citizen_id, kind: 'team.changed', refId: enrolmentId, actorId: actor.userId, data: { removed: [{ userId: member.user_id, role: 'liaison' }], validTo: input.validTo } });
    await recordAudit(tx, {
      actor,
      organisationId: e.organisation_id,
      action: 'update',
      purpose: PURPOSE,
      resourceType: 'team',
      resourceId: enrolmentId,
      citizenId: e.citizen_id,
      outcome: 'success',
      criteria: { role: 'liaison', liaisonId: member.user_id, validTo: input.validTo },
    });
    return { enrolmentId, liaison: { id: member.user_id, name: member.name }, validFrom: member.valid_from, validTo: input.validTo };
  });
}
