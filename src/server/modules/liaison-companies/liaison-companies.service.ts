// Company meetings attended by the liaison (issue 10 point 9). What a company is told about a patient is an oral
// disclosure to a third party: the region records the meeting (the company referred to by CVR, as the
// municipality's register knows it — never a key into the municipality's tables) and, per patient, what was
// told. Each item needs a valid sdl_43 consent naming that company for every category (the one coverage rule);
// otherwise it is refused with the gaps named and the refusal audited. Accepted, it is the region's record of
// the disclosure (basis: the consents; decided by the liaison; channel: meeting) and leaves the region a task to
// note it in the patient journal. Text naming a diagnosis is refused: a company hears what the citizen needs at
// work, never a diagnosis. Every function runs in one transaction, asks the chokepoint and audits.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import { isValidCvr } from '../../../contracts/cvr.ts';
import type { Gap } from '../../../contracts/disclosures.ts';
import type {
  CompanyMeeting,
  CompanyMeetingDetail,
  CompanyMeetingItem,
  CompanyMeetingListQuery,
  CreateCompanyMeetingItemRequest,
  CreateCompanyMeetingRequest,
  PatientCompanyDisclosureQuery,
} from '../../../contracts/liaison-companies.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import { POLICY } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, type AuditAction } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isIsoTimestamp, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { consentsOfPerson, coverage } from '../consents/coverage.ts';
import { personRecord, requirePerson } from '../disclosures/access.ts';
import { diagnosisIn } from './diagnosis.ts';

type Tx = Transaction<Database>;
export interface Deps {
  db: Kysely<Database>;
}

const PURPOSE = 'case_work' as const;
const MEETING = 'company_meeting';
const ITEM = 'company_disclosure';
/** A meeting's items are read whole: a meeting about more patients than this is recorded as two. */
export const MAX_ITEMS_PER_MEETING = 50;

function denied(actor: Actor, organisationId: string | null, action: AuditAction, resourceType: string, resourceId: string | null, reason: string): AccessDenied {
  return new AccessDenied({ actor, organisationId, action, purpose: PURPOSE, resourceType, resourceId, outcome: 'denied', criteria: { reason } });
}

const liaisonProgrammes = (actor: Actor) => [
  ...new Set(actor.roles.filter((g) => g.programmeId && (POLICY['company-meeting:record'].roles as readonly string[]).includes(g.role)).map((g) => g.programmeId!)),
];
const iso = (d: Date | string) => new Date(d).toISOString();

// ---------------------------------------------------------------------------------------------------------------
// Rows

interface MeetingRow {
  id: string;
  organisation_id: string;
  programme_id: string;
  programme_name: string;
  company_cvr: string;
  company_name: string;
  held_on: string;
  attendees: string;
  purpose: string;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  item_count: number;
}

interface ItemRow {
  id: string;
  meeting_id: string;
  citizen_id: string;
  citizen_name: string;
  categories: string[];
  told: string;
  consent_ids: string[];
  decided_by: string;
  decided_by_name: string;
  channel: string;
  disclosed_at: Date;
}

const MEETING_SELECT = sql`
  select m.id, m.organisation_id, m.programme_id, p.name as programme_name, m.company_cvr, m.company_name, m.held_on::text as held_on,
         m.attendees, m.purpose, m.created_by, u.name as created_by_name, m.created_at,
         (select count(*)::int from liaison_company_meeting_items i where i.meeting_id = m.id) as item_count
    from liaison_company_meetings m
    join programmes p on p.id = m.programme_id
    join users u on u.id = m.created_by`;

const ITEM_SELECT = sql`
  select i.id, i.meeting_id, i.citizen_id, c.first_name || ' ' || c.last_name as citizen_name, i.categories, i.told, i.consent_ids,
         i.decided_by, u.name as decided_by_name, i.channel, i.disclosed_at
    from liaison_company_meeting_items i
    join citizens c on c.id = i.citizen_id
    join users u on u.id = i.decided_by`;

function toMeeting(r: MeetingRow): CompanyMeeting {
  return {
    id: r.id,
    programme: { id: r.programme_id, name: r.programme_name },
    company: { cvr: r.company_cvr, name: r.company_name },
    heldOn: r.held_on,
    attendees: r.attendees,
    purpose: r.purpose,
    createdBy: { id: r.created_by, name: r.created_by_name },
    createdAt: iso(r.created_at),
    itemCount: r.item_count,
  };
}

function toItem(r: ItemRow): CompanyMeetingItem {
  return {
    id: r.id,
    meetingId: r.meeting_id,
    citizen: { id: r.citizen_id, name: r.citizen_name },
    categories: r.categories,
    told: r.told,
    consentIds: r.consent_ids,
    decidedBy: { id: r.decided_by, name: r.decided_by_name },
    channel: r.channel,
    disclosedAt: iso(r.disclosed_at),
  };
}

/** Loads a meeting and asks the chokepoint: the liaison of the region that recorded it, in its programme. */
async function openMeeting(tx: Tx, actor: Actor, id: string, action: AuditAction): Promise<MeetingRow> {
  const { rows } = await sql<MeetingRow>`${MEETING_SELECT} where m.id = ${id}`.execute(tx);
  const m = rows[0];
  if (!m) throw denied(actor, null, action, MEETING, id, 'unknown id');
  if (m.organisation_id !== actor.organisationId) throw denied(actor, m.organisation_id, action, MEETING, id, 'other organisation');
  requireAccess(actor, 'company-meeting:record', { type: MEETING, id, organisationId: m.organisation_id, programmeId: m.programme_id }, { action, purpose: PURPOSE });
  return m;
}

// ---------------------------------------------------------------------------------------------------------------
// Meetings

export async function createMeeting(deps: Deps, actor: Actor, input: CreateCompanyMeetingRequest): Promise<CompanyMeetingDetail> {
  return inTransaction(deps.db, async (tx) => {
    requireAccess(actor, 'company-meeting:record', { type: MEETING, organisationId: actor.organisationId, programmeId: input.programmeId }, { action: 'create', purpose: PURPOSE });
    if (!isValidCvr(input.companyCvr)) throw new Invalid(`${input.companyCvr} is not a valid CVR number`, [{ path: 'companyCvr', message: 'invalid_cvr' }]);
    if (input.heldOn > dateInCopenhagen()) throw new Invalid('A meeting is recorded after it was held', [{ path: 'heldOn', message: 'in_future' }]);
    // The region of the programme records the meeting (a liaison of a municipality is refused like an outsider).
    const { rows } = await sql<{ id: string }>`
      with facts as (
        select 1 from organisations o join programmes p on p.id = ${input.programmeId}
         where o.id = ${actor.organisationId} and o.kind = 'region'
           and (p.organisation_id = o.id or exists (select 1 from programme_partners pp where pp.programme_id = p.id and pp.organisation_id = o.id)))
      insert into liaison_company_meetings (organisation_id, programme_id, company_cvr, company_name, held_on, attendees, purpose, created_by)
      select ${actor.organisationId}, ${input.programmeId}, ${input.companyCvr}, ${input.companyName}, ${input.heldOn}, ${input.attendees}, ${input.purpose}, ${actor.userId}
       where exists (select 1 from facts)
      returning id`.execute(tx);
    const id = rows[0]?.id;
    if (!id) throw denied(actor, actor.organisationId, 'create', MEETING, null, 'not the region of the programme');
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'create', purpose: PURPOSE, resourceType: MEETING, resourceId: id, outcome: 'success', criteria: { programmeId: input.programmeId } });
    const { rows: created } = await sql<MeetingRow>`${MEETING_SELECT} where m.id = ${id}`.execute(tx);
    return { ...toMeeting(created[0]!), items: [] };
  });
}

interface MeetingCursor {
  d: string;
  id: string;
}
const isMeetingCursor = (v: unknown): v is MeetingCursor => {
  const c = v as MeetingCursor;
  return typeof c === 'object' && c !== null && isUuid(c.id) && typeof c.d === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(c.d);
};

/** The region's meetings in the liaison's programmes, latest first (keyset on held_on, id). */
export async function listMeetings(deps: Deps, actor: Actor, query: z.infer<typeof CompanyMeetingListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    requireAccess(actor, 'company-meeting:list', { type: MEETING, organisationId: actor.organisationId }, { action: 'read', purpose: PURPOSE });
    const programmes = liaisonProgrammes(actor);
    const after = decodeCursor(query.cursor, isMeetingCursor);
    const { rows } = await sql<MeetingRow>`${MEETING_SELECT}
      where m.organisation_id = ${actor.organisationId} and m.programme_id = any(${programmes}::uuid[])
        ${after ? sql`and (m.held_on, m.id) < (${after.d}::date, ${after.id}::uuid)` : sql``}
      order by m.held_on desc, m.id desc
      limit ${query.limit + 1}`.execute(tx);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'read', purpose: PURPOSE, resourceType: MEETING, outcome: 'success', criteria: { count: page.length, cursor: query.cursor ? 'next' : null } });
    return { items: page.map(toMeeting), nextCursor: rows.length > query.limit && last ? encodeCursor({ d: last.held_on, id: last.id }) : null };
  });
}

export async function getMeeting(deps: Deps, actor: Actor, id: string): Promise<CompanyMeetingDetail> {
  return inTransaction(deps.db, async (tx) => {
    const m = await openMeeting(tx, actor, id, 'read');
    const { rows } = await sql<ItemRow>`${ITEM_SELECT} where i.meeting_id = ${id} order by i.disclosed_at, i.id limit ${MAX_ITEMS_PER_MEETING}`.execute(tx);
    await recordAudit(tx, { actor, organisationId: m.organisation_id, action: 'read', purpose: PURPOSE, resourceType: MEETING, resourceId: id, outcome: 'success', criteria: { citizenIds: [...new Set(rows.map((r) => r.citizen_id))] } });
    return { ...toMeeting(m), items: rows.map(toItem) };
  });
}

/** The region's patients in the meeting's programme whose team the liaison is on today: whom an item may be about. */
export async function patientChoices(deps: Deps, actor: Actor, id: string) {
  return inTransaction(deps.db, async (tx) => {
    const m = await openMeeting(tx, actor, id, 'read');
    const today = dateInCopenhagen();
    const { rows } = await sql<{ id: string; name: string }>`
      select c.id, c.first_name || ' ' || c.last_name as name
        from citizens c
        join enrolments e on e.citizen_id = c.id and e.programme_id = ${m.programme_id}
       where c.organisation_id = ${m.organisation_id}
         and exists (select 1 from team_members tm where tm.enrolment_id = e.id and tm.user_id = ${actor.userId}
                        and tm.valid_from <= ${today} and (tm.valid_to is null or tm.valid_to >= ${today}))
       order by c.last_name, c.first_name, c.id
       limit 200`.execute(tx);
    await recordAudit(tx, { actor, organisationId: m.organisation_id, action: 'read', purpose: PURPOSE, resourceType: 'citizen', resourceId: id, outcome: 'success', criteria: { list: 'company_meeting_patients', count: rows.length } });
    return { items: rows };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// What the company was told, per patient

export type AddItemResult = { ok: true; item: CompanyMeetingItem } | { ok: false; error: 'not_covered'; message: string; gaps: Gap[] };

export async function addItem(deps: Deps, actor: Actor, meetingId: string, input: CreateCompanyMeetingItemRequest): Promise<AddItemResult> {
  return inTransaction(deps.db, async (tx) => {
    const m = await openMeeting(tx, actor, meetingId, 'create');
    const person = await personRecord(tx, actor, input.citizenId, 'create');
    requirePerson(actor, person, 'disclosure:make', 'create');
    if (person.organisationId !== m.organisation_id) throw denied(actor, m.organisation_id, 'create', ITEM, meetingId, 'not the region’s record');
    if (!person.relations.enrolments.some((e) => e.programmeId === m.programme_id)) {
      throw new Invalid('The patient is not in the programme of the meeting', [{ path: 'citizenId', message: 'not_enrolled' }]);
    }
    const categories = [...new Set(input.categories)];
    const word = diagnosisIn(input.told);
    if (word) {
      throw new Invalid(`Write what the citizen needs at work — not the diagnosis ("${word}")`, [{ path: 'told', message: `diagnosis:${word}` }]);
    }
    const count = m.item_count;
    if (count >= MAX_ITEMS_PER_MEETING) throw new Invalid(`A meeting holds at most ${MAX_ITEMS_PER_MEETING} patients; record another meeting`, [{ path: 'citizenId', message: 'meeting_full' }]);

    // The one coverage rule: an sdl_43 consent from this region naming this company (by CVR), valid today, for every category.
    const consents = await consentsOfPerson(tx, person.personHash);
    const result = coverage(consents, { instrument: 'sdl_43', categories, sourceOrganisationId: m.organisation_id, recipientOrganisationId: null, recipientCompanyCvr: m.company_cvr, recipientRole: null }, person.today);
    if (!result.covered) {
      const gaps: Gap[] = result.gaps.map((g) => ({ instrument: g.instrument, category: g.category, role: 'company', reason: g.reason, consentId: g.consentId }));
      await recordAudit(tx, {
        actor,
        organisationId: m.organisation_id,
        action: 'create',
        purpose: PURPOSE,
        resourceType: ITEM,
        resourceId: meetingId,
        citizenId: person.id,
        outcome: 'denied',
        criteria: { reason: 'not_covered', companyCvr: m.company_cvr, gaps },
      });
      const named = gaps.map((g) => `${g.instrument} ${g.category}: ${g.reason}`).join('; ');
      return { ok: false, error: 'not_covered', message: `No valid consent names ${m.company_name} (CVR ${m.company_cvr}) for this — ${named}`, gaps };
    }

    const { rows } = await sql<{ id: string }>`
      insert into liaison_company_meeting_items (meeting_id, organisation_id, citizen_id, categories, told, consent_ids, decided_by)
      values (${meetingId}, ${m.organisation_id}, ${person.id}, ${categories}::text[], ${input.told}, ${result.consentIds}::uuid[], ${actor.userId})
      returning id`.execute(tx);
    const itemId = rows[0]!.id;
    // Bindeled is not the journal: the region notes the oral disclosure in the patient journal.
    await tx
      .insertInto('crossing_tasks')
      .values({ organisation_id: m.organisation_id, citizen_id: person.id, kind: 'journal_oral_disclosure', company_meeting_item_id: itemId, status: 'open' })
      .execute();
    await recordAudit(tx, {
      actor,
      organisationId: m.organisation_id,
      action: 'create',
      purpose: PURPOSE,
      resourceType: ITEM,
      resourceId: itemId,
      citizenId: person.id,
      outcome: 'success',
      criteria: { meetingId, companyCvr: m.company_cvr, categories, basis: 'consent', consentIds: result.consentIds, channel: 'meeting' },
    });
    return {
      ok: true,
      item: {
        id: itemId,
        meetingId,
        citizen: { id: person.id, name: person.name },
        categories,
        told: input.told,
        consentIds: result.consentIds,
        decidedBy: { id: actor.userId, name: actor.name },
        channel: 'meeting',
        disclosedAt: new Date().toISOString(),
      },
    };
  });
}

interface ItemCursor {
  t: string;
  id: string;
}
const isItemCursor = (v: unknown): v is ItemCursor => {
  const c = v as ItemCursor;
  return typeof c === 'object' && c !== null && isUuid(c.id) && isIsoTimestamp(c.t);
};

/** What companies were told about one patient: the region's record, for the region's staff who may read its disclosures. */
export async function patientDisclosures(deps: Deps, actor: Actor, citizenId: string, query: z.infer<typeof PatientCompanyDisclosureQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const person = await personRecord(tx, actor, citizenId, 'read');
    requirePerson(actor, person, 'disclosure:read', 'read');
    const after = decodeCursor(query.cursor, isItemCursor);
    const { rows } = await sql<ItemRow & { company_cvr: string; company_name: string; held_on: string }>`
      select i.id, i.meeting_id, i.citizen_id, c.first_name || ' ' || c.last_name as citizen_name, i.categories, i.told, i.consent_ids,
             i.decided_by, u.name as decided_by_name, i.channel, i.disclosed_at, m.company_cvr, m.company_name, m.held_on::text as held_on
        from liaison_company_meeting_items i
        join liaison_company_meetings m on m.id = i.meeting_id
        join citizens c on c.id = i.citizen_id
        join users u on u.id = i.decided_by
       where i.citizen_id = ${citizenId}
         ${after ? sql`and (i.disclosed_at, i.id) < (${after.t}::timestamptz, ${after.id}::uuid)` : sql``}
       order by i.disclosed_at desc, i.id desc
       limit ${query.limit + 1}`.execute(tx);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId: person.organisationId, action: 'read', purpose: PURPOSE, resourceType: ITEM, citizenId, outcome: 'success', criteria: { count: page.length } });
    return {
      items: page.map((r) => ({ ...toItem(r), company: { cvr: r.company_cvr, name: r.company_name }, heldOn: r.held_on })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ t: iso(last.disclosed_at), id: last.id }) : null,
    };
  });
}
