// The single entry point (issue 10, point 7): municipal case staff send the programme's psychiatry partner a
// question — about a named citizen only while consents cover both directions (the question passes municipal
// data on under fvl_28, the answer health data under sdl_43), otherwise as an anonymous case or a general
// question. The liaison takes, answers and closes; the asker may reply and close.
//
// States: new → in_progress (the liaison takes it) → answered (the liaison answers; the first answer's time is the
// response time) → in_progress/new again when the asker replies (in progress when someone has taken it) → closed
// (either side; final). An answer with health information is a disclosure and passes the consent check; in an
// anonymous or general inquiry it is refused (nothing about a person is disclosed until a named inquiry under
// consent exists).
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { CreateInquiryRequest, InquiryAnswerRequest, InquiryDetail, InquiryListQuery, InquiryStatusRequest, InquirySummary } from '../../../contracts/inquiries.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import { POLICY } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, type AuditAction, type AuditEntry } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, Invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isIsoTimestamp, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { requireCitizenAccess } from '../citizens/citizen-access.ts';
import { consentsOfPerson, coverage, MUNICIPAL_CATEGORIES, REGION_CATEGORIES, type ConsentFacts, type Gap } from '../consents/coverage.ts';
import * as repo from './inquiries.repository.ts';
import { discloseInquiryAnswer } from './inquiry-disclosure.ts';

type Tx = Transaction<Database>;
export interface InquiryDeps {
  db: Kysely<Database>;
}

const PURPOSE = 'case_work' as const;
const RESOURCE = 'inquiry';
const iso = (v: Date | string) => new Date(v).toISOString();

/** A refusal that names what no consent covers (409), audited after the rollback. */
export class ConsentRefused extends Conflict {
  readonly auditAfterRollback: AuditEntry;
  constructor(message: string, gaps: Gap[], audit: AuditEntry) {
    super(
      message,
      gaps.map((g) => ({ path: `consent.${g.instrument}`, message: `${g.reason}${g.category === '*' ? '' : ` (${g.category})`}` })),
    );
    this.auditAfterRollback = audit;
  }
}

function denied(actor: Actor, action: AuditAction, id: string | null, organisationId: string | null, reason: string): AccessDenied {
  return new AccessDenied({ actor, organisationId, action, purpose: PURPOSE, resourceType: RESOURCE, resourceId: id, outcome: 'denied', criteria: { reason } });
}

const programmesWithRole = (actor: Actor, roles: readonly string[]) => [...new Set(actor.roles.filter((g) => g.programmeId && roles.includes(g.role)).map((g) => g.programmeId!))];
const liaisonProgrammes = (actor: Actor) => programmesWithRole(actor, POLICY['inquiry:answer'].roles);
const askerProgrammes = (actor: Actor) => programmesWithRole(actor, POLICY['inquiry:ask'].roles);

/**
 * A named inquiry crosses both ways: the question passes municipal information to the region (fvl_28 from the
 * municipality naming the region and its liaison), the answer passes health information back (sdl_43 from the
 * region naming the municipality and the asker's role). Each direction needs a valid consent of some category;
 * where none holds, the nearest consent's reason is the gap.
 */
export function bothDirections(consents: readonly ConsentFacts[], municipalityId: string, regionId: string, askerRoles: string[], today: string) {
  const direction = (instrument: 'fvl_28' | 'sdl_43', categories: readonly string[], source: string, recipient: string, roles: (string | null)[]) => {
    const gaps: Gap[] = [];
    for (const role of roles) {
      for (const category of categories) {
        const c = coverage(consents, { instrument, categories: [category], sourceOrganisationId: source, recipientOrganisationId: recipient, recipientRole: role }, today);
        if (c.covered) return { consentIds: c.consentIds, gap: null };
        gaps.push(...c.gaps);
      }
    }
    const informative = gaps.find((g) => g.reason !== 'other_category' && g.reason !== 'no_consent') ?? gaps.find((g) => g.reason !== 'no_consent') ?? gaps[0]!;
    const gap: Gap = informative.reason === 'no_consent' ? { ...informative, category: '*' } : informative;
    return { consentIds: [] as string[], gap };
  };
  const question = direction('fvl_28', MUNICIPAL_CATEGORIES, municipalityId, regionId, ['liaison']);
  const answer = direction('sdl_43', REGION_CATEGORIES, regionId, municipalityId, askerRoles.length ? askerRoles : [null]);
  const gaps = [question.gap, answer.gap].filter((g): g is Gap => g !== null);
  return { covered: gaps.length === 0, consentIds: [...question.consentIds, ...answer.consentIds], gaps };
}

export function summaryOf(r: repo.InquiryRow): InquirySummary {
  return {
    id: r.id,
    kind: r.kind,
    subject: r.subject,
    status: r.status,
    programmeId: r.programme_id,
    askingOrganisationName: r.asking_organisation_name,
    recipientOrganisationName: r.recipient_organisation_name,
    askedById: r.asked_by,
    askedByName: r.asked_by_name,
    askedAt: iso(r.asked_at),
    assignedToName: r.assigned_to_name,
    firstAnswerAt: r.first_answer_at ? iso(r.first_answer_at) : null,
    closedAt: r.closed_at ? iso(r.closed_at) : null,
    citizenId: r.citizen_id,
    citizenName: r.citizen_first_name === null ? null : `${r.citizen_first_name} ${r.citizen_last_name}`,
    messageCount: r.message_count,
    lastMessageAt: iso(r.last_message_at),
  };
}

type Side = 'liaison' | 'asker';

/** Who the caller is to this inquiry: the liaison of the receiving organisation in its programme, or its asker. Anyone else: audited 404. */
function sideOf(actor: Actor, row: repo.InquiryRow, action: AuditAction): Side {
  const liaison = actor.organisationId === row.recipient_organisation_id && liaisonProgrammes(actor).includes(row.programme_id);
  if (liaison) return 'liaison';
  if (actor.organisationId === row.organisation_id && actor.userId === row.asked_by) {
    requireAccess(actor, 'inquiry:read', { type: RESOURCE, id: row.id, organisationId: row.organisation_id, programmeId: row.programme_id }, { action, purpose: PURPOSE });
    return 'asker';
  }
  // The refusal belongs in the log of the organisation the caller belongs to when it is one of the two, else the asker's.
  const owner = actor.organisationId === row.recipient_organisation_id ? row.recipient_organisation_id : row.organisation_id;
  throw denied(actor, action, row.id, owner, 'not the asker nor the receiving liaison');
}

function detail(row: repo.InquiryDetailRow, msgs: repo.MessageRow[], side: Side): InquiryDetail {
  const open = row.status !== 'closed';
  return {
    ...summaryOf({ ...row, message_count: msgs.length, last_message_at: msgs.length ? msgs[msgs.length - 1]!.created_at : row.asked_at }),
    version: row.version,
    regionCitizenId: side === 'liaison' ? row.region_citizen_id : null,
    messages: msgs.map((m) => ({
      id: m.id,
      authorName: m.author_name,
      organisationName: m.organisation_name,
      fromAsker: m.organisation_id === row.organisation_id,
      body: m.body,
      healthInformation: m.health_information,
      disclosureId: m.disclosure_id,
      createdAt: iso(m.created_at),
    })),
    canAnswer: side === 'liaison' && open,
    canReply: side === 'asker' && open,
    canTake: side === 'liaison' && row.status === 'new',
    canClose: open,
  };
}

async function loadFor(tx: Tx, actor: Actor, id: string, action: AuditAction, forUpdate = false) {
  const row = await repo.inquiry(tx, id, forUpdate);
  if (!row) throw denied(actor, action, id, null, 'unknown id');
  return { row, side: sideOf(actor, row, action) };
}

export async function createInquiry(deps: InquiryDeps, actor: Actor, input: CreateInquiryRequest): Promise<InquiryDetail> {
  if (input.kind === 'named' && !input.citizenId) throw new Invalid('A named inquiry names the citizen', [{ path: 'citizenId', message: 'required for a named inquiry' }]);
  if (input.kind !== 'named' && input.citizenId) throw new Invalid('Only a named inquiry names a citizen', [{ path: 'citizenId', message: 'only for a named inquiry' }]);
  return inTransaction(deps.db, async (tx) => {
    const programme = await repo.programmeWithRegion(tx, input.programmeId, actor.organisationId);
    if (!programme) throw denied(actor, 'create', null, actor.organisationId, 'unknown programme');
    requireAccess(actor, 'inquiry:ask', { type: RESOURCE, organisationId: actor.organisationId, programmeId: programme.id }, { action: 'create', purpose: PURPOSE });
    if (!programme.region_id) throw new Conflict('The programme has no psychiatry partner to ask');
    let consentIds: string[] = [];
    let citizenName: [string, string] | null = null;
    if (input.kind === 'named') {
      const citizenId = input.citizenId!;
      await requireCitizenAccess(tx, actor, citizenId, 'citizen:read', 'create', programme.id);
      const person = await repo.citizenHash(tx, citizenId);
      if (!person) throw denied(actor, 'create', citizenId, actor.organisationId, 'unknown citizen');
      const consents = await consentsOfPerson(tx, person.cpr_hash);
      const roles = actor.roles.filter((g) => g.programmeId === programme.id).map((g) => g.role);
      const check = bothDirections(consents, actor.organisationId, programme.region_id, roles, dateInCopenhagen());
      if (!check.covered) {
        throw new ConsentRefused(
          'A question about a named citizen needs the citizen’s consent both ways: the municipality’s (fvl_28) naming psychiatry and the patient’s (sdl_43) naming the municipality. Ask it as an anonymous case instead.',
          check.gaps,
          {
            actor,
            organisationId: actor.organisationId,
            action: 'create',
            purpose: PURPOSE,
            resourceType: RESOURCE,
            citizenId,
            outcome: 'denied',
            criteria: { reason: 'consent', gaps: check.gaps.map((g) => ({ instrument: g.instrument, reason: g.reason, consentId: g.consentId })) },
          },
        );
      }
      consentIds = check.consentIds;
      citizenName = [person.first_name, person.last_name];
    }
    const created = await repo.insertInquiry(tx, {
      organisationId: actor.organisationId,
      recipientOrganisationId: programme.region_id,
      programmeId: programme.id,
      kind: input.kind,
      citizenId: input.citizenId ?? null,
      consentIds,
      subject: input.subject,
      body: input.body,
      askedBy: actor.userId,
    });
    // The asker's log records the question; for a named one, the passing on of municipal data and its basis.
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'create',
      purpose: PURPOSE,
      resourceType: RESOURCE,
      resourceId: created.id,
      citizenId: input.citizenId ?? null,
      outcome: 'success',
      criteria: { kind: input.kind, recipientOrganisationId: programme.region_id, ...(consentIds.length ? { basis: 'consent', consentIds } : {}) },
    });
    const at = iso(created.asked_at);
    return {
      id: created.id,
      kind: input.kind,
      subject: input.subject,
      status: 'new',
      programmeId: programme.id,
      askingOrganisationName: programme.own_name ?? '',
      recipientOrganisationName: programme.region_name ?? '',
      askedById: actor.userId,
      askedByName: actor.name,
      askedAt: at,
      assignedToName: null,
      firstAnswerAt: null,
      closedAt: null,
      citizenId: input.citizenId ?? null,
      citizenName: citizenName ? citizenName.join(' ') : null,
      messageCount: 1,
      lastMessageAt: at,
      version: 1,
      regionCitizenId: null,
      messages: [{ id: created.id, authorName: actor.name, organisationName: programme.own_name ?? '', fromAsker: true, body: input.body, healthInformation: false, disclosureId: null, createdAt: at }],
      canAnswer: false,
      canReply: true,
      canTake: false,
      canClose: true,
    };
  });
}

const isListCursor = (v: unknown): v is repo.ListCursor => {
  const c = v as repo.ListCursor;
  return typeof c === 'object' && c !== null && isUuid(c.id) && isIsoTimestamp(c.at);
};

export async function listInquiries(deps: InquiryDeps, actor: Actor, query: z.infer<typeof InquiryListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const liaisonIn = liaisonProgrammes(actor);
    const askerIn = askerProgrammes(actor);
    if (liaisonIn.length === 0 && askerIn.length === 0) throw denied(actor, 'read', null, actor.organisationId, 'role');
    const after = decodeCursor(query.cursor, isListCursor);
    const view = liaisonIn.length ? ('queue' as const) : ('asked' as const);
    const rows =
      view === 'queue'
        ? await repo.queue(tx, actor.organisationId, liaisonIn, query.status ? [query.status] : ['new', 'in_progress'], after, query.limit)
        : await repo.askedBy(tx, actor.organisationId, actor.userId, after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'read',
      purpose: PURPOSE,
      resourceType: RESOURCE,
      outcome: 'success',
      criteria: { list: view, status: query.status ?? null, count: page.length, named: page.filter((r) => r.kind === 'named').map((r) => r.citizen_id), cursor: query.cursor ? 'next' : null },
    });
    return {
      view,
      items: page.map(summaryOf),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.asked_at_key, id: last.id }) : null,
    };
  });
}

async function readBack(tx: Tx, actor: Actor, id: string, side: Side, action: AuditAction, extra: Record<string, unknown> = {}): Promise<InquiryDetail> {
  const row = (await repo.inquiry(tx, id))!;
  const msgs = await repo.messages(tx, id);
  const received = msgs.filter((m) => m.disclosure_id).map((m) => m.disclosure_id);
  await recordAudit(tx, {
    actor,
    organisationId: actor.organisationId,
    action,
    purpose: PURPOSE,
    resourceType: RESOURCE,
    resourceId: id,
    citizenId: side === 'asker' ? row.citizen_id : row.region_citizen_id,
    outcome: 'success',
    // The municipality logs every read of what it received, with the basis.
    criteria: { side, status: row.status, ...(side === 'asker' && received.length ? { basis: 'consent', disclosureIds: received } : {}), ...extra },
  });
  return detail(row, msgs, side);
}

export async function getInquiry(deps: InquiryDeps, actor: Actor, id: string): Promise<InquiryDetail> {
  return inTransaction(deps.db, async (tx) => {
    const { row, side } = await loadFor(tx, actor, id, 'read');
    const msgs = await repo.messages(tx, id);
    const received = msgs.filter((m) => m.disclosure_id).map((m) => m.disclosure_id);
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'read',
      purpose: PURPOSE,
      resourceType: RESOURCE,
      resourceId: id,
      citizenId: side === 'asker' ? row.citizen_id : row.region_citizen_id,
      outcome: 'success',
      criteria: { side, ...(side === 'asker' && received.length ? { basis: 'consent', disclosureIds: received } : {}) },
    });
    return detail(row, msgs, side);
  });
}

export async function answerInquiry(deps: InquiryDeps, actor: Actor, id: string, input: z.infer<typeof InquiryAnswerRequest>): Promise<InquiryDetail> {
  return inTransaction(deps.db, async (tx) => {
    const { row, side } = await loadFor(tx, actor, id, 'update', true);
    if (side === 'liaison') {
      requireAccess(actor, 'inquiry:answer', { type: RESOURCE, id, organisationId: row.recipient_organisation_id, programmeId: row.programme_id }, { action: 'update', purpose: PURPOSE });
    }
    if (row.version !== input.version) throw new Conflict('The inquiry has changed since it was read; read it again');
    if (row.status === 'closed') throw new Conflict('The inquiry is closed');
    const categories = [...new Set(input.categories)];
    let disclosureId: string | null = null;
    if (side === 'asker') {
      if (input.healthInformation || categories.length) throw new Invalid('Only psychiatry answers with health information', [{ path: 'healthInformation', message: 'not for the asker' }]);
      if (row.kind === 'named') {
        // A reply passes municipal information on again: the municipality's consent must still hold.
        const person = await repo.citizenHash(tx, row.citizen_id!);
        const consents = await consentsOfPerson(tx, person!.cpr_hash);
        const check = bothDirections(consents, row.organisation_id, row.recipient_organisation_id, row.asker_roles ?? [], dateInCopenhagen());
        if (!check.covered) {
          throw new ConsentRefused('The citizen’s consents no longer cover a named inquiry; the reply is not sent.', check.gaps, {
            actor, organisationId: actor.organisationId, action: 'update', purpose: PURPOSE, resourceType: RESOURCE, resourceId: id, citizenId: row.citizen_id, outcome: 'denied',
            criteria: { reason: 'consent', gaps: check.gaps.map((g) => ({ instrument: g.instrument, reason: g.reason, consentId: g.consentId })) },
          });
        }
      }
    } else if (input.healthInformation) {
      if (categories.length === 0) throw new Invalid('Name the categories of health information the answer contains', [{ path: 'categories', message: 'required with health information' }]);
      if (row.kind !== 'named') {
        throw new Conflict(
          'Health information about a person is passed on only in a named inquiry under the patient’s consent. Answer without it, or ask the municipality to send a named inquiry once the consents are in place.',
          [{ path: 'healthInformation', message: `not_in_${row.kind}_inquiry` }],
        );
      }
      const person = await repo.citizenHash(tx, row.citizen_id!);
      if (!row.region_citizen_id || !person) {
        throw new Conflict('Psychiatry keeps no record of this person in the programme; there is nothing to disclose from', [{ path: 'citizenId', message: 'no_region_record' }]);
      }
      const outcome = await discloseInquiryAnswer(tx, actor, {
        regionCitizenId: row.region_citizen_id,
        municipalCitizenId: row.citizen_id!,
        municipalityId: row.organisation_id,
        regionId: row.recipient_organisation_id,
        recipientRoles: row.asker_roles ?? [],
        categories,
        snapshot: { inquiryId: id, subject: row.subject, answer: input.body, categories },
        personHash: person.cpr_hash,
      });
      if (!outcome.disclosed) {
        throw new ConsentRefused('The answer contains health information that no consent covers; nothing was sent.', outcome.gaps, {
          actor, organisationId: row.recipient_organisation_id, action: 'create', purpose: PURPOSE, resourceType: 'disclosure', citizenId: row.region_citizen_id, outcome: 'denied',
          criteria: { reason: 'consent', via: 'inquiry_answer', inquiryId: id, gaps: outcome.gaps.map((g) => ({ instrument: g.instrument, category: g.category, reason: g.reason, consentId: g.consentId })) },
        });
      }
      disclosureId = outcome.disclosureId;
    }
    const status = side === 'liaison' ? 'answered' : row.status === 'answered' ? (row.assigned_to ? 'in_progress' : 'new') : row.status;
    await repo.addMessage(
      tx,
      { inquiryId: id, organisationId: actor.organisationId, authorId: actor.userId, body: input.body, healthInformation: input.healthInformation && side === 'liaison', disclosureId },
      { status, assignTo: side === 'liaison' ? actor.userId : null, firstAnswer: side === 'liaison' },
    );
    return readBack(tx, actor, id, side, 'update', { message: side === 'liaison' ? 'answer' : 'reply', ...(disclosureId ? { disclosureId } : {}) });
  });
}

export async function changeStatus(deps: InquiryDeps, actor: Actor, id: string, input: z.infer<typeof InquiryStatusRequest>): Promise<InquiryDetail> {
  return inTransaction(deps.db, async (tx) => {
    const { row, side } = await loadFor(tx, actor, id, 'update', true);
    if (row.version !== input.version) throw new Conflict('The inquiry has changed since it was read; read it again');
    if (row.status === 'closed') throw new Conflict('The inquiry is closed');
    if (input.status === 'in_progress') {
      if (side !== 'liaison') throw denied(actor, 'update', id, row.organisation_id, 'only the liaison takes an inquiry');
      requireAccess(actor, 'inquiry:answer', { type: RESOURCE, id, organisationId: row.recipient_organisation_id, programmeId: row.programme_id }, { action: 'update', purpose: PURPOSE });
      if (row.status === 'in_progress') throw new Conflict('The inquiry is already in progress');
    }
    await repo.setStatus(tx, id, input.status, input.status === 'in_progress' ? actor.userId : null);
    return readBack(tx, actor, id, side, 'update', { to: input.status, from: row.status });
  });
}
