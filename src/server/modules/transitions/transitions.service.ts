// The transition from psychiatric treatment into the municipal effort, kept by the region on its own record
// of the patient: one open checklist at a time. Contact made, the first network meeting booked and the named
// contact in psychiatry are recorded on it; consents on file (a valid sdl_43 from the region to a
// municipality and a valid fvl_28 back), the knowledge transfer written and its disclosure are read from
// those records in the same statement, so the checklist never disagrees with them. Completing needs every
// step; cancelling (the patient did not move on) does not.
import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { OpenTransitionRequest, Transition, UpdateTransitionRequest } from '../../../contracts/transitions.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, Invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isIsoTimestamp, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { requireCitizenAccess } from '../citizens/citizen-access.ts';
import type { Kysely } from 'kysely';

type Tx = Transaction<Database>;
type Deps = { db: Kysely<Database> };
type TransitionOut = z.infer<typeof Transition>;
const PURPOSE = 'case_work' as const;

interface Row {
  id: string;
  citizen_id: string;
  first_name: string;
  last_name: string;
  programme_id: string;
  status: 'open' | 'completed' | 'cancelled';
  opened_on: string;
  closed_on: string | null;
  contact_made_on: string | null;
  first_meeting_booked_on: string | null;
  psychiatry_contact_name: string | null;
  psychiatry_contact_on: string | null;
  note: string | null;
  updated_by: string;
  updated_by_name: string;
  updated_at: Date;
  version: number;
  consents_on: string | null;
  written_on: string | null;
  disclosed_on: string | null;
}

/**
 * The checklist rows with what they derive: the later of the two consents' dates when both a valid sdl_43 from
 * the region and a valid fvl_28 naming the region are on file; the latest knowledge transfer; its latest
 * disclosure. Filtered by `where` (a fragment on t).
 */
function selectTransitions(where: ReturnType<typeof sql>, today: string, limit: number) {
  return sql<Row>`
    select t.id, t.citizen_id, c.first_name, c.last_name, t.programme_id, t.status, t.opened_on::text as opened_on, t.closed_on::text as closed_on,
           t.contact_made_on::text as contact_made_on, t.first_meeting_booked_on::text as first_meeting_booked_on,
           t.psychiatry_contact_name, t.psychiatry_contact_on::text as psychiatry_contact_on, t.note,
           t.updated_by, u.name as updated_by_name, t.updated_at, t.version,
           (select case when count(*) filter (where k.instrument = 'sdl_43' and k.source_organisation_id = t.organisation_id) > 0
                         and count(*) filter (where k.instrument = 'fvl_28' and k.recipient_organisation_id = t.organisation_id) > 0
                        then greatest(max(k.given_on) filter (where k.instrument = 'sdl_43' and k.source_organisation_id = t.organisation_id),
                                      max(k.given_on) filter (where k.instrument = 'fvl_28' and k.recipient_organisation_id = t.organisation_id))::text end
              from consents k
             where k.person_hash = c.cpr_hash and k.instrument in ('sdl_43', 'fvl_28') and k.withdrawn_at is null and k.superseded_at is null
               and k.valid_from <= ${today} and k.valid_to >= ${today}) as consents_on,
           (select max(kt.written_on)::text from knowledge_transfers kt where kt.citizen_id = t.citizen_id) as written_on,
           (select (max(d.disclosed_at) at time zone 'Europe/Copenhagen')::date::text from disclosures d where d.citizen_id = t.citizen_id and d.knowledge_transfer_id is not null) as disclosed_on
      from transitions t
      join citizens c on c.id = t.citizen_id
      join users u on u.id = t.updated_by
     where ${where}
     order by t.opened_on, t.id
     limit ${limit}`;
}

function toTransition(r: Row): TransitionOut {
  const items: TransitionOut['items'] = [
    { code: 'contact_made', done: r.contact_made_on !== null, on: r.contact_made_on, source: 'recorded' },
    { code: 'consents_obtained', done: r.consents_on !== null, on: r.consents_on, source: 'derived' },
    { code: 'knowledge_transfer_written', done: r.written_on !== null, on: r.written_on, source: 'derived' },
    { code: 'knowledge_transfer_disclosed', done: r.disclosed_on !== null, on: r.disclosed_on, source: 'derived' },
    { code: 'first_meeting_booked', done: r.first_meeting_booked_on !== null, on: r.first_meeting_booked_on, source: 'recorded' },
    { code: 'psychiatry_contact', done: r.psychiatry_contact_on !== null, on: r.psychiatry_contact_on, source: 'recorded' },
  ];
  return {
    id: r.id,
    citizenId: r.citizen_id,
    citizenName: `${r.first_name} ${r.last_name}`,
    programmeId: r.programme_id,
    status: r.status,
    openedOn: r.opened_on,
    closedOn: r.closed_on,
    psychiatryContactName: r.psychiatry_contact_name,
    note: r.note,
    items,
    done: items.filter((i) => i.done).length,
    updatedBy: { id: r.updated_by, name: r.updated_by_name },
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

/** The patient's current checklist (the open one, otherwise the latest), or null. */
export async function citizenTransition(deps: Deps, actor: Actor, citizenId: string) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId, today } = await requireCitizenAccess(tx, actor, citizenId, 'transition:read', 'read');
    const { rows } = await sql<Row>`select * from (${selectTransitions(sql`t.citizen_id = ${citizenId}`, today, 100)}) x order by x.status = 'open' desc, x.opened_on desc, x.id desc limit 1`.execute(tx);
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'transition', resourceId: rows[0]?.id ?? null, citizenId, outcome: 'success' });
    return { transition: rows[0] ? toTransition(rows[0]) : null };
  });
}

async function readOne(tx: Tx, id: string, today: string): Promise<TransitionOut> {
  const { rows } = await selectTransitions(sql`t.id = ${id}`, today, 1).execute(tx);
  return toTransition(rows[0]!);
}

export async function openTransition(deps: Deps, actor: Actor, citizenId: string, input: z.infer<typeof OpenTransitionRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId, relations, today } = await requireCitizenAccess(tx, actor, citizenId, 'transition:write', 'create', input.programmeId);
    if (!relations.enrolments.some((e) => e.programmeId === input.programmeId)) {
      throw new Invalid('The patient is not in that programme', [{ path: 'programmeId', message: 'not_enrolled' }]);
    }
    const openedOn = input.openedOn ?? today;
    if (openedOn > today) throw new Invalid('A transition cannot open in the future', [{ path: 'openedOn', message: 'in_future' }]);
    const inserted = await sql<{ id: string }>`
      insert into transitions (organisation_id, citizen_id, programme_id, status, opened_on, note, created_by, updated_by)
      values (${organisationId}, ${citizenId}, ${input.programmeId}, 'open', ${openedOn}, ${input.note ?? null}, ${actor.userId}, ${actor.userId})
      on conflict (citizen_id) where status = 'open' do nothing
      returning id`.execute(tx);
    const id = inserted.rows[0]?.id;
    if (!id) throw new Conflict('The patient already has an open transition', [{ path: 'citizenId', message: 'transition_open' }]);
    await recordAudit(tx, { actor, organisationId, action: 'create', purpose: PURPOSE, resourceType: 'transition', resourceId: id, citizenId, outcome: 'success' });
    return readOne(tx, id, today);
  });
}

export async function updateTransition(deps: Deps, actor: Actor, id: string, input: z.infer<typeof UpdateTransitionRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const current = await tx.selectFrom('transitions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    // An unknown id is refused like a foreign one, and audited the same way.
    if (!current) {
      throw new AccessDenied({ actor, organisationId: null, action: 'update', purpose: PURPOSE, resourceType: 'transition', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    const { organisationId, today } = await requireCitizenAccess(tx, actor, current.citizen_id, 'transition:write', 'update');
    if (current.version !== input.version) throw new Conflict('The checklist was changed by someone else; reload it', [{ path: 'version', message: 'stale' }]);
    if (current.status !== 'open') throw new Conflict('The transition is closed', [{ path: 'status', message: 'closed' }]);
    for (const [path, value] of [['contactMadeOn', input.contactMadeOn], ['firstMeetingBookedOn', input.firstMeetingBookedOn], ['psychiatryContact', input.psychiatryContact?.on]] as const) {
      if (value && value > today) throw new Invalid('A step cannot be dated in the future', [{ path, message: 'in_future' }]);
      if (value && value < current.opened_on) throw new Invalid('A step cannot be dated before the transition opened', [{ path, message: 'before_opened' }]);
    }
    const set = {
      contact_made_on: input.contactMadeOn === undefined ? current.contact_made_on : input.contactMadeOn,
      first_meeting_booked_on: input.firstMeetingBookedOn === undefined ? current.first_meeting_booked_on : input.firstMeetingBookedOn,
      psychiatry_contact_name: input.psychiatryContact === undefined ? current.psychiatry_contact_name : (input.psychiatryContact?.name ?? null),
      psychiatry_contact_on: input.psychiatryContact === undefined ? current.psychiatry_contact_on : (input.psychiatryContact?.on ?? null),
      note: input.note === undefined ? current.note : input.note,
    };
    if (input.status === 'completed') {
      const { rows } = await selectTransitions(sql`t.id = ${id}`, today, 1).execute(tx);
      const pending = toTransition({ ...rows[0]!, ...set }).items.filter((i) => !i.done);
      if (pending.length > 0) throw new Conflict('Every step must be done before the transition is completed', pending.map((i) => ({ path: `items.${i.code}`, message: 'not_done' })));
    }
    await tx
      .updateTable('transitions')
      .set({ ...set, status: input.status ?? 'open', closed_on: input.status ? today : null, updated_by: actor.userId, updated_at: new Date(), version: current.version + 1 })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, { actor, organisationId, action: 'update', purpose: PURPOSE, resourceType: 'transition', resourceId: id, citizenId: current.citizen_id, outcome: 'success', criteria: input.status ? { status: input.status } : null });
    return readOne(tx, id, today);
  });
}

type ListCursor = { o: string; id: string };
const isCursor = (v: unknown): v is ListCursor =>
  typeof v === 'object' && v !== null && typeof (v as ListCursor).o === 'string' && /^\d{4}-\d{2}-\d{2}$/.test((v as ListCursor).o) && isIsoTimestamp(`${(v as ListCursor).o}T00:00:00Z`) && isUuid((v as ListCursor).id);

/** Open transitions of the programmes the liaison or clinician works in, oldest first (the overview's list). */
export async function openTransitions(deps: Deps, actor: Actor, query: { after?: string; limit: number }) {
  const after = decodeCursor(query.after, isCursor);
  if (query.after && !after) throw new Invalid('Unknown cursor', [{ path: 'after', message: 'cursor' }]);
  return inTransaction(deps.db, async (tx) => {
    requireAccess(actor, 'transition:list', { type: 'transition', organisationId: actor.organisationId }, { action: 'read', purpose: PURPOSE });
    const programmes = [...new Set(actor.roles.filter((g) => g.programmeId && (g.role === 'liaison' || g.role === 'clinician')).map((g) => g.programmeId!))];
    const today = dateInCopenhagen();
    const where = sql`t.status = 'open' and t.organisation_id = ${actor.organisationId} and t.programme_id = any(${programmes}::uuid[])
      ${after ? sql`and (t.opened_on, t.id) > (${after.o}::date, ${after.id}::uuid)` : sql``}`;
    const { rows } = await selectTransitions(where, today, query.limit + 1).execute(tx);
    const page = rows.slice(0, query.limit);
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'read', purpose: PURPOSE, resourceType: 'transition', outcome: 'success', criteria: { status: 'open', found: page.map((r) => r.citizen_id) } });
    const last = page[page.length - 1];
    return { items: page.map(toTransition), nextCursor: rows.length > query.limit && last ? encodeCursor({ o: last.opened_on, id: last.id }) : null };
  });
}
