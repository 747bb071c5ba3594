// Explicit disclosures: the region's health professional passes a snapshot of health information (a
// knowledge-transfer version, or chosen answers of it) to the municipality. Covered by a valid sdl_43
// consent — and, when the municipality asked, rsl_11a — for every category, the source, the recipient
// organisation and each recipient role; otherwise refused with 409 naming every gap, unless a clinician
// chooses a ground of sundhedsloven §43 stk. 2 with a justification (the region's dpo reviews those). The
// region keeps its record of the act; the municipality gets its own record of what it received, in its case,
// where it stays when the consent is later withdrawn (marked so).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { CreateDisclosureRequest, ConsentStatus, Gap, ListQuery, NoticeRequest } from '../../../contracts/disclosures.ts';
import type { Database, ExceptionGround } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { Conflict, Forbidden, Invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isIsoTimestamp, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { consentsOfPerson, consentState, coverage, type ConsentFacts } from '../consents/coverage.ts';
import { personRecord, PURPOSE, requirePerson, type PersonRecord } from './access.ts';
import { knowledgeTransferRow } from './knowledge-transfers.service.ts';

type Tx = Transaction<Database>;
type Channel = 'digital' | 'oral' | 'meeting';

export interface DiscloseInput {
  /** The region's own record of the patient. */
  citizenId: string;
  knowledgeTransferId: string | null;
  /** The categories the snapshot holds (each must be covered). */
  categories: string[];
  /** Exactly what is passed on. */
  snapshot: Record<string, unknown>;
  recipientOrganisationId: string;
  recipientRoles: string[];
  channel: Channel;
  /** The municipality asked for it: its rsl_11a consent is needed as well. */
  requested: boolean;
  exception?: { ground: ExceptionGround; justification: string };
  /** The record as already read with `personRecord(…, recipientOrganisationId)` (saves the statement). */
  person?: PersonRecord;
}

export type DiscloseResult =
  | { ok: true; disclosure: DisclosureDto }
  | { ok: false; error: 'not_covered' | 'no_recipient_record'; message: string; gaps: Gap[] };

export type DisclosureDto = ReturnType<typeof toDisclosure>;

interface DisclosureRow {
  id: string;
  citizen_id: string;
  citizen_name: string;
  organisation_id: string;
  from_name: string;
  recipient_organisation_id: string;
  to_name: string;
  recipient_roles: string[];
  knowledge_transfer_id: string | null;
  categories: string[];
  snapshot: Record<string, unknown>;
  basis: 'consent' | 'exception';
  consent_ids: string[];
  exception_ground: string | null;
  justification: string | null;
  notice_required: boolean;
  patient_told_on: string | null;
  not_told_reason: string | null;
  status: 'open' | 'closed';
  decided_by: string | null;
  decided_by_name: string;
  channel: string;
  disclosed_at: Date;
}

function toDisclosure(r: DisclosureRow) {
  return {
    id: r.id,
    citizenId: r.citizen_id,
    citizenName: r.citizen_name,
    fromOrganisation: { id: r.organisation_id, name: r.from_name },
    toOrganisation: { id: r.recipient_organisation_id, name: r.to_name },
    recipientRoles: r.recipient_roles,
    knowledgeTransferId: r.knowledge_transfer_id,
    categories: r.categories,
    snapshot: r.snapshot,
    basis: { kind: r.basis, consentIds: r.consent_ids, exceptionGround: r.exception_ground },
    justification: r.justification,
    noticeRequired: r.notice_required,
    patientToldOn: r.patient_told_on,
    notToldReason: r.not_told_reason,
    status: r.status,
    decidedBy: { id: r.decided_by, name: r.decided_by_name },
    channel: r.channel,
    disclosedAt: new Date(r.disclosed_at).toISOString(),
  };
}

const DISCLOSURE_SELECT = sql`
  select d.id, d.citizen_id, c.first_name || ' ' || c.last_name as citizen_name, d.organisation_id, fo.name as from_name,
         d.recipient_organisation_id, tor.name as to_name, d.recipient_roles, d.knowledge_transfer_id, d.categories, d.snapshot,
         d.basis, d.consent_ids, d.exception_ground, d.justification, d.notice_required, d.patient_told_on::text as patient_told_on,
         d.not_told_reason, d.status, d.decided_by, u.name as decided_by_name, d.channel, d.disclosed_at
    from disclosures d
    join citizens c on c.id = d.citizen_id
    join organisations fo on fo.id = d.organisation_id
    join organisations tor on tor.id = d.recipient_organisation_id
    join users u on u.id = d.decided_by`;

/** Whether the actor may decide on a §43 stk. 2 exception: an authorised health professional (clinician). */
const isClinician = (actor: Actor) => actor.roles.some((g) => g.role === 'clinician');

/** Every gap of the crossing for each recipient role and instrument (sdl_43, and rsl_11a when requested). */
export function disclosureGaps(consents: readonly ConsentFacts[], input: { categories: readonly string[]; sourceOrganisationId: string; recipientOrganisationId: string; recipientRoles: readonly string[]; requested: boolean }, today: string) {
  const instruments = input.requested ? (['sdl_43', 'rsl_11a'] as const) : (['sdl_43'] as const);
  const gaps: Gap[] = [];
  const consentIds = new Set<string>();
  for (const instrument of instruments) {
    for (const role of input.recipientRoles) {
      const result = coverage(consents, { instrument, categories: input.categories, sourceOrganisationId: input.sourceOrganisationId, recipientOrganisationId: input.recipientOrganisationId, recipientRole: role }, today);
      for (const id of result.consentIds) consentIds.add(id);
      for (const g of result.gaps) gaps.push({ instrument: g.instrument, category: g.category, role, reason: g.reason, consentId: g.consentId });
    }
  }
  return { gaps, consentIds: [...consentIds] };
}

/**
 * The one disclosure act, for every caller (the disclosure route, an inquiry answer holding health information):
 * checks access (`disclosure:make` on the region's record), the recipient's own record of the person, and the
 * basis; writes the region's disclosure and the municipality's received snapshot, and the region's audit row.
 * A refusal writes its denied audit row in `tx` and returns the gaps; the caller commits. An exception asked for
 * by anyone but a clinician throws an audited 403.
 */
export async function discloseSnapshot(tx: Tx, actor: Actor, input: DiscloseInput): Promise<DiscloseResult> {
  const person = input.person ?? (await personRecord(tx, actor, input.citizenId, 'create', input.recipientOrganisationId));
  requirePerson(actor, person, 'disclosure:make', 'create');
  const refusalAudit = (criteria: Record<string, unknown>) =>
    recordAudit(tx, { actor, organisationId: person.organisationId, action: 'create', purpose: PURPOSE, resourceType: 'disclosure', citizenId: person.id, outcome: 'denied', criteria: { recipientOrganisationId: input.recipientOrganisationId, requested: input.requested, ...criteria } });
  if (!person.recipient?.organisationName || input.recipientOrganisationId === person.organisationId) {
    throw new Invalid('The recipient is not another organisation', [{ path: 'recipientOrganisationId', message: 'unknown_recipient' }]);
  }
  if (input.exception && !isClinician(actor)) {
    throw new Forbidden('Only an authorised health professional (clinician) decides on an exception of sundhedsloven § 43, stk. 2', {
      audit: { actor, organisationId: person.organisationId, action: 'create', purpose: PURPOSE, resourceType: 'disclosure', citizenId: person.id, outcome: 'denied', criteria: { reason: 'exception_not_clinician', ground: input.exception.ground } },
    });
  }
  const recipientCitizenId = person.recipient.citizenId;
  if (!recipientCitizenId) {
    await refusalAudit({ reason: 'no_recipient_record' });
    return { ok: false, error: 'no_recipient_record', message: `${person.recipient.organisationName} has no record of this person to receive the information`, gaps: [] };
  }
  let consentIds: string[] = [];
  if (!input.exception) {
    const consents = await consentsOfPerson(tx, person.personHash);
    const checked = disclosureGaps(consents, { categories: input.categories, sourceOrganisationId: person.organisationId, recipientOrganisationId: input.recipientOrganisationId, recipientRoles: input.recipientRoles, requested: input.requested }, person.today);
    if (checked.gaps.length > 0) {
      await refusalAudit({ reason: 'not_covered', gaps: checked.gaps });
      const named = checked.gaps.map((g) => `${g.instrument} ${g.category} (${g.role}): ${g.reason}`).join('; ');
      return { ok: false, error: 'not_covered', message: `No valid consent covers this disclosure — ${named}`, gaps: checked.gaps };
    }
    consentIds = checked.consentIds;
  }
  const exception = input.exception ?? null;
  const noticeRequired = exception?.ground === 'vital_interest';
  const { rows } = await sql<DisclosureRow & { received_id: string }>`
    with d as (
      insert into disclosures (organisation_id, citizen_id, recipient_organisation_id, recipient_citizen_id, recipient_roles, knowledge_transfer_id,
                               categories, snapshot, basis, consent_ids, exception_ground, justification, notice_required, status, closed_at, decided_by, channel)
      values (${person.organisationId}, ${person.id}, ${input.recipientOrganisationId}, ${recipientCitizenId}, ${input.recipientRoles}::text[], ${input.knowledgeTransferId},
              ${input.categories}::text[], ${JSON.stringify(input.snapshot)}::jsonb, ${exception ? 'exception' : 'consent'}, ${consentIds}::uuid[],
              ${exception?.ground ?? null}, ${exception?.justification ?? null}, ${noticeRequired}, ${noticeRequired ? 'open' : 'closed'},
              ${noticeRequired ? null : sql`now()`}, ${actor.userId}, ${input.channel})
      returning *),
    r as (
      insert into received_disclosures (organisation_id, citizen_id, disclosure_id, from_organisation_id, disclosed_by_name, disclosed_at, channel,
                                        categories, snapshot, basis, consent_ids, exception_ground)
      select recipient_organisation_id, recipient_citizen_id, id, organisation_id, ${actor.name}, disclosed_at, channel, categories, snapshot, basis, consent_ids, exception_ground
        from d
      returning id)
    select d.id, d.citizen_id, ${person.name}::text as citizen_name, d.organisation_id, ${person.organisationName}::text as from_name,
           d.recipient_organisation_id, ${person.recipient.organisationName}::text as to_name, d.recipient_roles, d.knowledge_transfer_id, d.categories,
           d.snapshot, d.basis, d.consent_ids, d.exception_ground, d.justification, d.notice_required, d.patient_told_on::text as patient_told_on,
           d.not_told_reason, d.status, d.decided_by, ${actor.name}::text as decided_by_name, d.channel, d.disclosed_at, r.id as received_id
      from d, r`.execute(tx);
  const row = rows[0]!;
  await recordAudit(tx, {
    actor,
    organisationId: person.organisationId,
    action: 'create',
    purpose: PURPOSE,
    resourceType: 'disclosure',
    resourceId: row.id,
    citizenId: person.id,
    outcome: 'success',
    criteria: exception
      ? { basis: 'exception', ground: exception.ground, recipientOrganisationId: input.recipientOrganisationId, categories: input.categories, channel: input.channel }
      : { basis: 'consent', consentIds, recipientOrganisationId: input.recipientOrganisationId, categories: input.categories, channel: input.channel, requested: input.requested },
  });
  return { ok: true, disclosure: toDisclosure(row) };
}

/** POST /api/citizens/{id}/disclosures: a knowledge-transfer version, or chosen answers of it. */
export async function createDisclosure(db: Kysely<Database>, actor: Actor, citizenId: string, input: z.infer<typeof CreateDisclosureRequest>): Promise<DiscloseResult> {
  return inTransaction(db, async (tx) => {
    const person = await personRecord(tx, actor, citizenId, 'create', input.recipientOrganisationId);
    requirePerson(actor, person, 'disclosure:make', 'create');
    const kt = await knowledgeTransferRow(tx, actor, input.knowledgeTransferId, 'create');
    if (kt.citizen_id !== citizenId) throw new Invalid('The knowledge transfer is not this patient’s', [{ path: 'knowledgeTransferId', message: 'other_patient' }]);
    const chosen = input.questions ? kt.answers.filter((a) => input.questions!.includes(a.question)) : kt.answers;
    const missing = (input.questions ?? []).filter((q) => !kt.answers.some((a) => a.question === q));
    if (missing.length > 0) throw new Invalid('The version has no answer to that question', missing.map((q) => ({ path: 'questions', message: `no_answer:${q}` })));
    const snapshot = {
      kind: 'knowledge_transfer',
      knowledgeTransferId: kt.id,
      version: kt.version,
      sourceTeam: kt.source_team,
      writtenOn: kt.written_on,
      answers: chosen.map((a) => ({ question: a.question, text: a.text, category: a.category })),
    };
    return discloseSnapshot(tx, actor, {
      citizenId,
      person,
      knowledgeTransferId: kt.id,
      categories: [...new Set(chosen.map((a) => a.category))],
      snapshot,
      recipientOrganisationId: input.recipientOrganisationId,
      recipientRoles: input.recipientRoles,
      channel: input.channel,
      requested: input.requested,
      exception: input.exception,
    });
  });
}

/** Closes a disclosure under stk. 2 nr. 2: the date the patient was told, or why not (stk. 4). */
export async function recordNotice(db: Kysely<Database>, actor: Actor, id: string, input: z.infer<typeof NoticeRequest>) {
  return inTransaction(db, async (tx) => {
    const found = await tx.selectFrom('disclosures').select(['citizen_id', 'notice_required', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!found) throw new AccessDenied({ actor, organisationId: null, action: 'update', purpose: PURPOSE, resourceType: 'disclosure', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
    const person = await personRecord(tx, actor, found.citizen_id, 'update');
    requirePerson(actor, person, 'disclosure:make', 'update');
    if (!found.notice_required || found.status !== 'open') throw new Conflict('This disclosure has no open notice to the patient', [{ path: 'id', message: found.notice_required ? 'already_closed' : 'no_notice_required' }]);
    await tx
      .updateTable('disclosures')
      .set({ patient_told_on: input.patientToldOn ?? null, not_told_reason: input.notToldReason ?? null, status: 'closed', closed_at: new Date() })
      .where('id', '=', id)
      .execute();
    const { rows } = await sql<DisclosureRow>`${DISCLOSURE_SELECT} where d.id = ${id}`.execute(tx);
    await recordAudit(tx, { actor, organisationId: person.organisationId, action: 'update', purpose: PURPOSE, resourceType: 'disclosure', resourceId: id, citizenId: found.citizen_id, outcome: 'success', criteria: { notice: input.patientToldOn ? 'told' : 'not_told' } });
    return toDisclosure(rows[0]!);
  });
}

type TimeCursor = { at: string; id: string };
const isTimeCursor = (v: unknown): v is TimeCursor => typeof v === 'object' && v !== null && isIsoTimestamp((v as TimeCursor).at) && isUuid((v as TimeCursor).id);
const after = (cursor: TimeCursor | undefined, alias: string, column: string) =>
  cursor ? sql`and (${sql.ref(`${alias}.${column}`)}, ${sql.ref(`${alias}.id`)}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql``;
const nextCursor = <T extends { id: string }>(rows: T[], limit: number, at: (r: T) => Date) => {
  const last = rows[limit - 1];
  return rows.length > limit && last ? encodeCursor({ at: new Date(at(last)).toISOString(), id: last.id }) : null;
};

interface ReceivedRow {
  id: string;
  disclosure_id: string;
  citizen_id: string;
  citizen_name: string;
  organisation_id: string;
  to_name: string;
  from_organisation_id: string;
  from_name: string;
  disclosed_by_name: string;
  disclosed_at: Date;
  channel: string;
  categories: string[];
  snapshot: Record<string, unknown>;
  basis: 'consent' | 'exception';
  consent_ids: string[];
  exception_ground: string | null;
  received_at: Date;
}

const RECEIVED_SELECT = sql`
  select r.id, r.disclosure_id, r.citizen_id, c.first_name || ' ' || c.last_name as citizen_name, r.organisation_id, tor.name as to_name,
         r.from_organisation_id, fo.name as from_name, r.disclosed_by_name, r.disclosed_at, r.channel, r.categories, r.snapshot, r.basis,
         r.consent_ids, r.exception_ground, r.received_at
    from received_disclosures r
    join citizens c on c.id = r.citizen_id
    join organisations fo on fo.id = r.from_organisation_id
    join organisations tor on tor.id = r.organisation_id`;

async function receivedPage(tx: Tx, citizenId: string, query: z.infer<typeof ListQuery>) {
  const cursor = decodeCursor(query.cursor, isTimeCursor);
  const { rows } = await sql<ReceivedRow>`${RECEIVED_SELECT} where r.citizen_id = ${citizenId} ${after(cursor, 'r', 'disclosed_at')}
    order by r.disclosed_at desc, r.id desc limit ${query.limit + 1}`.execute(tx);
  return { page: rows.slice(0, query.limit), nextCursor: nextCursor(rows, query.limit, (r) => r.disclosed_at) };
}

/** The basis for the municipality's audit row of a read of what it received. */
function basisOf(rows: ReceivedRow[]) {
  const consentIds = [...new Set(rows.flatMap((r) => r.consent_ids))];
  const grounds = [...new Set(rows.map((r) => r.exception_ground).filter((g): g is string => g !== null))];
  return { basis: grounds.length && !consentIds.length ? 'exception' : 'consent', consentIds, ...(grounds.length ? { exceptionGrounds: grounds } : {}) };
}

/**
 * GET /api/citizens/{id}/disclosures: on the region's record the disclosures it made (its liaison and clinician,
 * and its dpo); on the municipality's record the ones made to it, as it received them.
 */
export async function listDisclosures(db: Kysely<Database>, actor: Actor, citizenId: string, query: z.infer<typeof ListQuery>) {
  return inTransaction(db, async (tx) => {
    const person = await personRecord(tx, actor, citizenId, 'read');
    if (person.organisationKind === 'region') {
      const dpo = actor.roles.some((g) => g.role === 'dpo' && g.programmeId === null);
      if (!dpo) requirePerson(actor, person, 'disclosure:read', 'read');
      else requireAccess(actor, 'disclosure:review', { type: 'disclosure', organisationId: person.organisationId, citizenId }, { action: 'read', purpose: 'supervision' });
      const cursor = decodeCursor(query.cursor, isTimeCursor);
      const { rows } = await sql<DisclosureRow>`${DISCLOSURE_SELECT} where d.citizen_id = ${citizenId} ${after(cursor, 'd', 'disclosed_at')}
        order by d.disclosed_at desc, d.id desc limit ${query.limit + 1}`.execute(tx);
      const page = rows.slice(0, query.limit);
      await recordAudit(tx, { actor, organisationId: person.organisationId, action: 'read', purpose: dpo ? 'supervision' : PURPOSE, resourceType: 'disclosure', citizenId, outcome: 'success', criteria: { count: page.length, cursor: query.cursor ? 'next' : null } });
      return { items: page.map(toDisclosure), nextCursor: nextCursor(rows, query.limit, (r) => r.disclosed_at) };
    }
    requirePerson(actor, person, 'health-information:read', 'read');
    const { page, nextCursor: next } = await receivedPage(tx, citizenId, query);
    await recordAudit(tx, { actor, organisationId: person.organisationId, action: 'read', purpose: PURPOSE, resourceType: 'received_disclosure', citizenId, outcome: 'success', criteria: { count: page.length, ...basisOf(page) } });
    return {
      items: page.map((r) =>
        toDisclosure({
          id: r.disclosure_id,
          citizen_id: r.citizen_id,
          citizen_name: r.citizen_name,
          organisation_id: r.from_organisation_id,
          from_name: r.from_name,
          recipient_organisation_id: r.organisation_id,
          to_name: r.to_name,
          recipient_roles: [],
          knowledge_transfer_id: null,
          categories: r.categories,
          snapshot: r.snapshot,
          basis: r.basis,
          consent_ids: r.consent_ids,
          exception_ground: r.exception_ground,
          justification: null,
          notice_required: false,
          patient_told_on: null,
          not_told_reason: null,
          status: 'closed',
          decided_by: null,
          decided_by_name: r.disclosed_by_name,
          channel: r.channel,
          disclosed_at: r.disclosed_at,
        }),
      ),
      nextCursor: next,
    };
  });
}

/** GET /api/disclosures/exceptions: every disclosure the dpo's organisation made under a §43 stk. 2 ground. */
export async function listExceptions(db: Kysely<Database>, actor: Actor, query: z.infer<typeof ListQuery>) {
  return inTransaction(db, async (tx) => {
    requireAccess(actor, 'disclosure:review', { type: 'disclosure', organisationId: actor.organisationId }, { action: 'read', purpose: 'supervision' });
    const cursor = decodeCursor(query.cursor, isTimeCursor);
    const { rows } = await sql<DisclosureRow>`${DISCLOSURE_SELECT} where d.organisation_id = ${actor.organisationId} and d.basis = 'exception' ${after(cursor, 'd', 'disclosed_at')}
      order by d.disclosed_at desc, d.id desc limit ${query.limit + 1}`.execute(tx);
    const page = rows.slice(0, query.limit);
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'read', purpose: 'supervision', resourceType: 'disclosure', outcome: 'success', criteria: { list: 'exceptions', count: page.length, citizens: [...new Set(page.map((r) => r.citizen_id))] } });
    return { items: page.map(toDisclosure), nextCursor: nextCursor(rows, query.limit, (r) => r.disclosed_at) };
  });
}

/** The caller's organisation's sdl_43 consent status: valid if any is, otherwise the latest one's state. */
export function consentStatusOf(consents: readonly ConsentFacts[], recipientOrganisationId: string, today: string) {
  const own = consents.filter((c) => c.instrument === 'sdl_43' && c.recipient_organisation_id === recipientOrganisationId);
  const valid = own.find((c) => consentState(c, today) === 'valid');
  const latest = valid ?? [...own].sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1))[0];
  const state = latest ? consentState(latest, today) : null;
  const status: ConsentStatus = state === 'valid' || state === 'withdrawn' || state === 'expired' ? state : 'none';
  return { status, consent: status === 'none' ? null : latest! };
}

/** GET /api/citizens/{id}/health-information: the municipality's marked panel, on its own record. */
export async function healthInformation(db: Kysely<Database>, actor: Actor, citizenId: string, query: z.infer<typeof ListQuery>) {
  return inTransaction(db, async (tx) => {
    const person = await personRecord(tx, actor, citizenId, 'read');
    requirePerson(actor, person, 'health-information:read', 'read');
    const { page, nextCursor: next } = await receivedPage(tx, citizenId, query);
    const consents = await consentsOfPerson(tx, person.personHash);
    const byId = new Map(consents.map((c) => [c.id, c]));
    const { status, consent } = consentStatusOf(consents, person.organisationId, person.today);
    await recordAudit(tx, {
      actor,
      organisationId: person.organisationId,
      action: 'read',
      purpose: PURPOSE,
      resourceType: 'received_disclosure',
      citizenId,
      outcome: 'success',
      criteria: { count: page.length, ...basisOf(page), consentStatus: status, ...(consent ? { statusConsentId: consent.id } : {}) },
    });
    return {
      items: page.map((r) => {
        const withdrawn = r.consent_ids.map((id) => byId.get(id)?.withdrawn_on).filter((d): d is string => !!d).sort()[0] ?? null;
        return {
          id: r.id,
          disclosureId: r.disclosure_id,
          fromOrganisation: { id: r.from_organisation_id, name: r.from_name },
          disclosedAt: new Date(r.disclosed_at).toISOString(),
          disclosedBy: r.disclosed_by_name,
          channel: r.channel,
          categories: r.categories,
          snapshot: r.snapshot,
          basis: { kind: r.basis, consentIds: r.consent_ids, exceptionGround: r.exception_ground },
          consentWithdrawnAt: withdrawn,
          receivedAt: new Date(r.received_at).toISOString(),
        };
      }),
      nextCursor: next,
      consentStatus: status,
      consentId: consent?.id ?? null,
      consentValidTo: consent?.valid_to ?? null,
      consentWithdrawnOn: consent?.withdrawn_on ?? null,
    };
  });
}
