// Oral advice and case consultations (issue 10, point 6). The liaison records, in the region's own organisation,
// attending a municipal meeting or sparring and what was said there:
// - about a named patient (the region's record): only while consents cover both directions (fvl_28 from the
//   municipality naming the region and the liaison; sdl_43 and rsl_11a from the region naming the municipality and
//   the role of everyone it was said to) — it is an oral disclosure, made through the one disclosure act, which
//   leaves the region a task to enter it in the patient journal and the municipality a note duty in its case;
// - about an anonymous case: a description without identifying details and the advice. When the liaison recognises
//   the person, the consultation stops: no further anonymous advice, only named items under consent.
// The municipality's duty (offentlighedsloven § 13) is resolved by writing the note of the external professional
// assessment (a real citizen note) or by marking it not relevant to the case, with a reason.
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type {
  ConsultationDetail,
  ConsultationDuty,
  ConsultationItemRequest,
  ConsultationListQuery,
  ConsultationSummary,
  CreateConsultationRequest,
  DutyListQuery,
  RecogniseRequest,
  ResolveDutyRequest,
} from '../../../contracts/consultations.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import { POLICY } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, type AuditAction } from '../../platform/audit/audit.ts';
import { Conflict, Invalid, type FieldIssue } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isIsoTimestamp, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { requireCitizenAccess } from '../citizens/citizen-access.ts';
import { insertNote } from '../citizens/citizens.repository.ts';
import { consentsOfPerson } from '../consents/coverage.ts';
import { personRecord, requirePerson } from '../disclosures/access.ts';
import { discloseSnapshot } from '../disclosures/disclosures.service.ts';
import { bothDirections, ConsentRefused } from '../inquiries/inquiries.service.ts';
import * as repo from './consultations.repository.ts';

type Tx = Transaction<Database>;
export interface ConsultationDeps {
  db: Kysely<Database>;
}

const PURPOSE = 'case_work' as const;
const RESOURCE = 'consultation';
const DUTY = 'consultation_duty';
const iso = (v: Date | string) => new Date(v).toISOString();
/** The municipal case roles a named item may be said to (the roles a consent can name as recipient). */
const CASE_ROLES: readonly string[] = POLICY['health-information:read'].roles;

function denied(actor: Actor, action: AuditAction, resourceType: string, id: string | null, organisationId: string | null, reason: string): AccessDenied {
  return new AccessDenied({ actor, organisationId, action, purpose: PURPOSE, resourceType, resourceId: id, outcome: 'denied', criteria: { reason } });
}

const liaisonProgrammes = (actor: Actor) => [...new Set(actor.roles.filter((g) => g.programmeId && g.role === 'liaison').map((g) => g.programmeId!))];

const isTimeCursor = (v: unknown): v is repo.TimeCursor => {
  const c = v as repo.TimeCursor;
  return typeof c === 'object' && c !== null && isUuid(c.id) && isIsoTimestamp(c.at);
};

/** The checks that need no database. */
function checkItems(items: readonly ConsultationItemRequest[], participantIds: readonly string[], kind: string, prefix = 'items'): void {
  const issues: FieldIssue[] = [];
  const at = (i: number, field: string) => (prefix === 'items' ? `items.${i}.${field}` : field);
  items.forEach((item, i) => {
    if (item.kind === 'named') {
      if (!item.citizenId) issues.push({ path: at(i, 'citizenId'), message: 'required_for_named' });
      if (!item.saidTo?.length) issues.push({ path: at(i, 'saidTo'), message: 'required_for_named' });
      if (!item.categories?.length) issues.push({ path: at(i, 'categories'), message: 'required_for_named' });
      if (item.description) issues.push({ path: at(i, 'description'), message: 'only_for_anonymous' });
      (item.saidTo ?? []).forEach((u, j) => {
        if (!participantIds.includes(u)) issues.push({ path: at(i, `saidTo.${j}`), message: 'not_a_participant' });
      });
      if (kind === 'anonymous' && prefix === 'items') issues.push({ path: at(i, 'kind'), message: 'anonymous_consultation_names_nobody' });
    } else {
      if (!item.description) issues.push({ path: at(i, 'description'), message: 'required_for_anonymous' });
      for (const field of ['citizenId', 'saidTo', 'categories', 'networkMeetingId'] as const) {
        if (item[field] !== undefined) issues.push({ path: at(i, field), message: 'only_for_named' });
      }
    }
  });
  if (issues.length) throw new Invalid('The consultation cannot be saved as sent', issues);
}

type Participants = Map<string, { name: string; roles: string[] }>;

async function participantsOf(tx: Tx, c: { municipalityId: string; programmeId: string }, ids: readonly string[]): Promise<Participants> {
  const rows = await repo.municipalStaff(tx, c.municipalityId, c.programmeId, [...new Set(ids)], CASE_ROLES);
  return new Map(rows.map((r) => [r.id, { name: r.name, roles: r.roles }]));
}

interface Target {
  id: string;
  organisationId: string;
  programmeId: string;
  municipalityId: string;
  kind: string;
  heldAt: Date;
  status: 'open' | 'stopped_recognised';
}

/** Records one item; a named item passes the consent check both ways and is disclosed. Returns what the audit row names. */
async function addItem(tx: Tx, actor: Actor, target: Target, participants: Participants, item: ConsultationItemRequest, path: string) {
  if (item.kind === 'anonymous') {
    if (target.status === 'stopped_recognised') {
      throw new Conflict('The liaison recognised the person: the consultation is stopped until consent exists. Record what is said about the person as a named item under consent.', [
        { path: 'status', message: 'stopped_recognised' },
      ]);
    }
    const row = await repo.insertAnonymousItem(tx, { consultationId: target.id, organisationId: target.organisationId, description: item.description!, advice: item.advice, createdBy: actor.userId });
    return { itemId: row.id, citizenId: null, disclosureId: null };
  }
  const citizenId = item.citizenId!;
  const person = await personRecord(tx, actor, citizenId, 'create', target.municipalityId);
  requirePerson(actor, person, 'disclosure:make', 'create');
  if (person.organisationId !== target.organisationId) throw denied(actor, 'create', 'citizen', citizenId, target.organisationId, 'not the region’s own record');
  const saidTo = [...new Set(item.saidTo!)];
  const unknown = saidTo.filter((u) => !participants.has(u));
  if (unknown.length) throw new Invalid('It was said to someone who is not a municipal participant', unknown.map((u) => ({ path: `${path}saidTo`, message: `not_a_participant:${u}` })));
  const roles = [...new Set(saidTo.flatMap((u) => participants.get(u)!.roles))].sort();
  const consents = await consentsOfPerson(tx, person.personHash);
  const check = bothDirections(consents, target.municipalityId, target.organisationId, roles, person.today);
  const refusal = (gaps: readonly { instrument: string; category: string; reason: string; consentId: string | null }[], reason: string) =>
    new ConsentRefused(
      'What is said about a named citizen at a municipal meeting needs the citizen’s consents both ways: the municipality’s (fvl_28) naming psychiatry, and the patient’s (sdl_43, rsl_11a) naming the municipality and the role of everyone it was said to.',
      gaps.map((g) => ({ instrument: g.instrument, category: g.category, reason: g.reason })),
      {
        actor,
        organisationId: target.organisationId,
        action: 'create',
        purpose: PURPOSE,
        resourceType: RESOURCE,
        resourceId: null,
        citizenId,
        outcome: 'denied',
        criteria: { reason, consultationKind: target.kind, municipalityId: target.municipalityId, gaps: gaps.map((g) => ({ instrument: g.instrument, category: g.category, reason: g.reason, consentId: g.consentId })) },
      },
    );
  if (!check.covered) throw refusal(check.gaps, 'consent');
  const recipientCitizenId = person.recipient?.citizenId ?? null;
  if (item.networkMeetingId) {
    const meeting = recipientCitizenId ? await repo.meetingOfCitizen(tx, item.networkMeetingId, recipientCitizenId) : undefined;
    if (!meeting) throw new Invalid('The network meeting is not one of this citizen’s meetings in the municipality', [{ path: `${path}networkMeetingId`, message: 'unknown_meeting' }]);
  }
  const categories = [...new Set(item.categories!)];
  const outcome = await discloseSnapshot(tx, actor, {
    citizenId,
    person,
    knowledgeTransferId: null,
    categories,
    snapshot: { kind: 'oral_advice', consultationId: target.id, meetingKind: target.kind, heldAt: iso(target.heldAt), advice: item.advice, categories, saidTo: saidTo.map((u) => participants.get(u)!.name) },
    recipientOrganisationId: target.municipalityId,
    recipientRoles: roles,
    channel: target.kind === 'anonymous' ? 'oral' : 'meeting',
    // The municipality put the citizen on the agenda: it asks, so its rsl_11a consent is needed as well.
    requested: true,
  });
  if (!outcome.ok) {
    if (outcome.error === 'no_recipient_record') throw new Conflict(outcome.message, [{ path: `${path}citizenId`, message: 'no_recipient_record' }]);
    throw refusal(outcome.gaps, outcome.error);
  }
  const inserted = await repo.insertNamedItem(tx, {
    consultationId: target.id,
    organisationId: target.organisationId,
    citizenId,
    disclosureId: outcome.disclosure.id,
    advice: item.advice,
    categories,
    saidTo,
    networkMeetingId: item.networkMeetingId ?? null,
    createdBy: actor.userId,
    saidByName: actor.name,
    heldAt: target.heldAt,
  });
  return { itemId: inserted.id, citizenId, disclosureId: outcome.disclosure.id };
}

function summaryOf(r: repo.ConsultationRow): ConsultationSummary {
  return {
    id: r.id,
    programmeId: r.programme_id,
    municipality: { id: r.municipality_id, name: r.municipality_name },
    kind: r.kind,
    heldAt: iso(r.held_at),
    place: r.place,
    status: r.status,
    itemCount: r.item_count,
    namedCount: r.named_count,
    createdByName: r.created_by_name,
  };
}

async function readBack(tx: Tx, actor: Actor, id: string, action: AuditAction, criteria: Record<string, unknown>): Promise<ConsultationDetail> {
  const row = (await repo.consultation(tx, id))!;
  const items = await repo.itemsOf(tx, id);
  const named = [...new Set(items.flatMap((i) => (i.citizen_id ? [i.citizen_id] : [])))];
  await recordAudit(tx, {
    actor,
    organisationId: row.organisation_id,
    action,
    purpose: PURPOSE,
    resourceType: RESOURCE,
    resourceId: id,
    citizenId: named.length === 1 ? named[0]! : null,
    outcome: 'success',
    criteria: { kind: row.kind, status: row.status, municipalityId: row.municipality_id, ...(named.length ? { citizens: named } : {}), ...criteria },
  });
  return {
    ...summaryOf(row),
    participants: row.participants,
    otherParticipants: row.other_participants,
    recognisedAt: row.recognised_at ? iso(row.recognised_at) : null,
    version: row.version,
    items: items.map((i) => ({
      id: i.id,
      kind: i.kind,
      citizenId: i.citizen_id,
      citizenName: i.citizen_name,
      disclosureId: i.disclosure_id,
      description: i.description,
      advice: i.advice,
      categories: i.categories,
      saidTo: i.said_to,
      networkMeetingId: i.network_meeting_id,
      createdAt: iso(i.created_at),
    })),
    canAddAnonymous: row.status === 'open' && row.kind !== 'network_meeting',
  };
}

/** POST /api/consultations: the liaison records a consultation with its items in one transaction. */
export async function createConsultation(deps: ConsultationDeps, actor: Actor, input: CreateConsultationRequest): Promise<ConsultationDetail> {
  return inTransaction(deps.db, async (tx) => {
    const found = await repo.programmeAndMunicipality(tx, input.programmeId, actor.organisationId, input.municipalityId);
    if (!found) throw denied(actor, 'create', RESOURCE, null, actor.organisationId, 'unknown programme');
    requireAccess(actor, 'consultation:write', { type: RESOURCE, organisationId: actor.organisationId, programmeId: found.id }, { action: 'create', purpose: PURPOSE });
    if (!found.own_is_region) throw denied(actor, 'create', RESOURCE, null, actor.organisationId, 'not the programme’s psychiatry partner');
    if (!found.municipality_name) throw new Invalid('The municipality is not a partner of the programme', [{ path: 'municipalityId', message: 'not_a_programme_municipality' }]);
    checkItems(input.items, input.participantIds, input.kind);
    const participants = await participantsOf(tx, { municipalityId: input.municipalityId, programmeId: found.id }, input.participantIds);
    const strangers = input.participantIds.map((u, i) => ({ u, i })).filter(({ u }) => !participants.has(u));
    if (strangers.length) throw new Invalid('A participant is not municipal staff of the programme', strangers.map(({ i }) => ({ path: `participantIds.${i}`, message: 'not_programme_staff' })));
    const created = await repo.insertConsultation(tx, {
      organisationId: actor.organisationId,
      programmeId: found.id,
      municipalityId: input.municipalityId,
      kind: input.kind,
      heldAt: input.heldAt,
      place: input.place ?? null,
      participantIds: [...new Set(input.participantIds)],
      otherParticipants: input.otherParticipants ?? null,
      createdBy: actor.userId,
    });
    const target: Target = { id: created.id, organisationId: actor.organisationId, programmeId: found.id, municipalityId: input.municipalityId, kind: input.kind, heldAt: new Date(input.heldAt), status: 'open' };
    const recorded = [];
    for (const [i, item] of input.items.entries()) recorded.push(await addItem(tx, actor, target, participants, item, `items.${i}.`));
    return readBack(tx, actor, created.id, 'create', { items: recorded.length, disclosureIds: recorded.flatMap((r) => (r.disclosureId ? [r.disclosureId] : [])) });
  });
}

async function loadOwn(tx: Tx, actor: Actor, id: string, permission: 'consultation:write' | 'consultation:read', action: AuditAction, forUpdate = false) {
  const row = await repo.consultation(tx, id, forUpdate);
  if (!row) throw denied(actor, action, RESOURCE, id, null, 'unknown id');
  requireAccess(actor, permission, { type: RESOURCE, id, organisationId: row.organisation_id, programmeId: row.programme_id }, { action, purpose: PURPOSE });
  return row;
}

const targetOf = (row: repo.ConsultationRow): Target => ({
  id: row.id,
  organisationId: row.organisation_id,
  programmeId: row.programme_id,
  municipalityId: row.municipality_id,
  kind: row.kind,
  heldAt: new Date(row.held_at),
  status: row.status,
});

/** POST /api/consultations/{id}/items: one more item. A named item in an anonymous consultation means the person is recognised. */
export async function addConsultationItem(deps: ConsultationDeps, actor: Actor, id: string, item: ConsultationItemRequest): Promise<ConsultationDetail> {
  return inTransaction(deps.db, async (tx) => {
    const row = await loadOwn(tx, actor, id, 'consultation:write', 'update', true);
    checkItems([item], row.participant_ids, row.kind, 'item');
    const participants: Participants = item.kind === 'named' ? await participantsOf(tx, { municipalityId: row.municipality_id, programmeId: row.programme_id }, row.participant_ids) : new Map();
    const recorded = await addItem(tx, actor, targetOf(row), participants, item, '');
    if (item.kind === 'named' && row.kind === 'anonymous' && row.status === 'open') await repo.markRecognised(tx, id, actor.userId);
    else await repo.bumpVersion(tx, id);
    return readBack(tx, actor, id, 'update', { item: recorded.itemId, itemKind: item.kind, ...(recorded.disclosureId ? { disclosureId: recorded.disclosureId } : {}) });
  });
}

/** POST /api/consultations/{id}/recognised: the liaison recognises the person of an anonymous consultation; it stops. */
export async function markRecognised(deps: ConsultationDeps, actor: Actor, id: string, input: z.infer<typeof RecogniseRequest>): Promise<ConsultationDetail> {
  return inTransaction(deps.db, async (tx) => {
    const row = await loadOwn(tx, actor, id, 'consultation:write', 'update', true);
    if (row.kind !== 'anonymous') throw new Conflict('Only an anonymous case consultation is stopped on recognition', [{ path: 'kind', message: 'not_anonymous' }]);
    if (row.status === 'stopped_recognised') throw new Conflict('The consultation is already stopped', [{ path: 'status', message: 'stopped_recognised' }]);
    if (row.version !== input.version) throw new Conflict('The consultation has changed since it was read; read it again', [{ path: 'version', message: 'stale' }]);
    await repo.markRecognised(tx, id, actor.userId);
    return readBack(tx, actor, id, 'update', { to: 'stopped_recognised' });
  });
}

/** GET /api/consultations/{id}. */
export async function getConsultation(deps: ConsultationDeps, actor: Actor, id: string): Promise<ConsultationDetail> {
  return inTransaction(deps.db, async (tx) => {
    await loadOwn(tx, actor, id, 'consultation:read', 'read');
    return readBack(tx, actor, id, 'read', {});
  });
}

/** GET /api/consultations: the organisation's consultations in the liaison's programmes, newest first. */
export async function listConsultations(deps: ConsultationDeps, actor: Actor, query: z.infer<typeof ConsultationListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const programmes = liaisonProgrammes(actor);
    if (programmes.length === 0) throw denied(actor, 'read', RESOURCE, null, actor.organisationId, 'role');
    const after = decodeCursor(query.cursor, isTimeCursor);
    const rows = await repo.recentConsultations(tx, actor.organisationId, programmes, after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'read', purpose: PURPOSE, resourceType: RESOURCE, outcome: 'success', criteria: { list: 'recent', count: page.length, cursor: query.cursor ? 'next' : null } });
    return { items: page.map(summaryOf), nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.key, id: last.id }) : null };
  });
}

/** GET /api/consultations/options: per liaison programme, the municipalities taking part and their case staff. */
export async function consultationOptions(deps: ConsultationDeps, actor: Actor) {
  return inTransaction(deps.db, async (tx) => {
    const programmes = liaisonProgrammes(actor);
    if (programmes.length === 0) throw denied(actor, 'read', 'consultation_options', null, actor.organisationId, 'role');
    const rows = await repo.municipalStaffOfProgrammes(tx, programmes, CASE_ROLES);
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'read', purpose: PURPOSE, resourceType: 'consultation_options', outcome: 'success', criteria: { programmes: programmes.length } });
    const byProgramme = new Map<string, { id: string; name: string; municipalities: { id: string; name: string; staff: { id: string; name: string; roles: string[] }[] }[] }>();
    for (const r of rows) {
      const p = byProgramme.get(r.programme_id) ?? { id: r.programme_id, name: r.programme_name, municipalities: [] };
      p.municipalities.push({ id: r.municipality_id, name: r.municipality_name, staff: r.staff });
      byProgramme.set(r.programme_id, p);
    }
    return { programmes: [...byProgramme.values()] };
  });
}

// ---- The municipal side: note duties ----

function dutyOf(r: repo.DutyRow): ConsultationDuty {
  return {
    id: r.id,
    citizenId: r.citizen_id,
    citizenName: r.citizen_name,
    fromOrganisationName: r.from_organisation_name,
    saidByName: r.said_by_name,
    heldAt: iso(r.held_at),
    networkMeetingId: r.network_meeting_id,
    networkMeetingAt: r.network_meeting_at ? iso(r.network_meeting_at) : null,
    receivedDisclosureId: r.received_disclosure_id,
    advice: typeof r.snapshot?.advice === 'string' ? r.snapshot.advice : '',
    categories: r.categories,
    assignedTo: r.assigned_to,
    status: r.status,
    noteId: r.note_id,
    reason: r.reason,
    resolvedByName: r.resolved_by_name,
    resolvedAt: r.resolved_at ? iso(r.resolved_at) : null,
    createdAt: iso(r.created_at),
  };
}

/** What the municipality's audit row of a read of received advice names: the snapshots and their consents. */
const basisOf = (rows: repo.DutyRow[]) => ({ basis: 'consent', receivedDisclosureIds: rows.map((r) => r.received_disclosure_id), consentIds: [...new Set(rows.flatMap((r) => r.consent_ids))] });

/** GET /api/consultation-duties: the caller's pending note duties (it was said to them), oldest first. */
export async function myDuties(deps: ConsultationDeps, actor: Actor, query: z.infer<typeof DutyListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    requireAccess(actor, 'consultation-duty:read', { type: DUTY, organisationId: actor.organisationId }, { action: 'read', purpose: PURPOSE });
    const after = decodeCursor(query.cursor, isTimeCursor);
    const rows = await repo.pendingDutiesOf(tx, actor.organisationId, actor.userId, after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'read',
      purpose: PURPOSE,
      resourceType: DUTY,
      outcome: 'success',
      criteria: { list: 'mine', count: page.length, citizens: [...new Set(page.map((r) => r.citizen_id))], ...basisOf(page), cursor: query.cursor ? 'next' : null },
    });
    return { items: page.map(dutyOf), nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.key, id: last.id }) : null };
  });
}

/** GET /api/citizens/{id}/consultation-duties: every note duty on the municipality's record of the citizen, newest first. */
export async function citizenDuties(deps: ConsultationDeps, actor: Actor, citizenId: string, query: z.infer<typeof DutyListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'health-information:read', 'read');
    const after = decodeCursor(query.cursor, isTimeCursor);
    const rows = await repo.dutiesOfCitizen(tx, citizenId, after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: DUTY, citizenId, outcome: 'success', criteria: { count: page.length, pending: page.filter((r) => r.status === 'pending').length, ...basisOf(page) } });
    return { items: page.map(dutyOf), nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.key, id: last.id }) : null };
  });
}

const dateDa = (d: Date) => new Intl.DateTimeFormat('da-DK', { timeZone: 'Europe/Copenhagen', day: 'numeric', month: 'long', year: 'numeric' }).format(d);

/** POST /api/consultation-duties/{id}/resolve: write the note of the external assessment, or mark it not relevant. */
export async function resolveDuty(deps: ConsultationDeps, actor: Actor, id: string, input: ResolveDutyRequest): Promise<ConsultationDuty> {
  return inTransaction(deps.db, async (tx) => {
    const row = await repo.duty(tx, id, true);
    if (!row) throw denied(actor, 'update', DUTY, id, null, 'unknown id');
    const { organisationId } = await requireCitizenAccess(tx, actor, row.citizen_id, 'citizen:write-case', 'update');
    if (row.status !== 'pending') throw new Conflict('The duty is already resolved', [{ path: 'status', message: row.status }]);
    let noteId: string | null = null;
    if (input.resolution === 'note') {
      const note = await insertNote(tx, {
        organisationId,
        citizenId: row.citizen_id,
        kind: 'external_assessment',
        sensitivity: 'sensitive',
        source: `${row.said_by_name}, ${row.from_organisation_name} (sparring ${dateDa(new Date(row.held_at))})`.slice(0, 300),
        authorId: actor.userId,
        body: input.text,
        event: { kind: 'note.created', data: { noteKind: 'external_assessment', sensitivity: 'sensitive', consultationDuty: id } },
      });
      noteId = note.id;
    }
    await repo.resolveDuty(tx, id, { status: input.resolution === 'note' ? 'noted' : 'not_relevant', noteId, reason: input.resolution === 'note' ? null : input.text, by: actor.userId });
    const after = (await repo.duty(tx, id))!;
    await recordAudit(tx, {
      actor,
      organisationId,
      action: 'update',
      purpose: PURPOSE,
      resourceType: DUTY,
      resourceId: id,
      citizenId: row.citizen_id,
      outcome: 'success',
      criteria: { resolution: input.resolution, ...(noteId ? { noteId } : {}), receivedDisclosureId: row.received_disclosure_id },
    });
    return dutyOf(after);
  });
}
