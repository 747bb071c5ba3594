// The citizen portal's "Mine bemærkninger" (decision record 0036): the notes about the citizen that their programme
// shows them, and the citizen's own remark beside a note (GDPR art. 16). Shown are only ordinary journal notes of
// the municipality (never the region's notes, external professional assessments, sensitive notes or remarks),
// marked visible when written, while the citizen is in a programme that shows notes. Another person's note, an
// internal one or an unknown id is answered 404 and audited. The note itself is never changed by the citizen.
import { sql, type Kysely } from 'kysely';
import { MAX_REMARKS_PER_NOTE, type PortalNoteList } from '../../../contracts/portal-remarks.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditMany } from '../../platform/audit/audit.ts';
import { markAudited } from '../../platform/audit/refusals.ts';
import { DomainError, NotFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isUuid } from '../../platform/pagination.ts';
import { citizenAuditRows, type PortalSession } from './portal.session.ts';

type Q = Kysely<Database>;

interface NoteCursor {
  us: string;
  id: string;
}
const isNoteCursor = (v: unknown): v is NoteCursor => {
  const c = v as NoteCursor;
  return typeof c === 'object' && c !== null && isUuid(c.id) && typeof c.us === 'string' && /^-?[0-9]{1,16}$/.test(c.us) && Math.abs(Number(c.us)) < 4_200_000_000_000_000;
};

/** The rule for a note the citizen sees: one place, used by the list and by the remark. */
const SHOWN = sql`n.citizen_visible and n.kind = 'journal' and n.sensitivity = 'normal' and o.kind = 'municipality'
       and exists (select 1 from enrolments e join programmes p on p.id = e.programme_id
                    where e.citizen_id = n.citizen_id and e.status <> 'ended' and p.show_notes_to_citizen)`;

export async function myNotes(db: Q, session: PortalSession, query: { cursor?: string; limit: number }): Promise<PortalNoteList> {
  const after = decodeCursor(query.cursor, isNoteCursor);
  const ids = session.records.map((r) => r.citizenId);
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: string; organisation_name: string; created_at: Date; created_us: string; body: string; revision: number; remarks: { id: string; body: string; created_at: string }[] }>`
      select n.id, o.name as organisation_name, n.created_at, (extract(epoch from n.created_at) * 1000000)::bigint::text as created_us,
             v.body, n.revision,
             coalesce((select json_agg(json_build_object('id', r.id, 'body', r.body, 'created_at', r.created_at) order by r.created_at, r.id)
                         from note_portal_remarks r where r.note_id = n.id), '[]'::json) as remarks
        from notes n
        join organisations o on o.id = n.organisation_id
        join note_revisions v on v.note_id = n.id and v.revision = n.revision
       where n.citizen_id = any(${ids}::uuid[]) and ${SHOWN}
         ${after ? sql`and (n.created_at, n.id) < (timestamptz 'epoch' + ${after.us}::bigint * interval '1 microsecond', ${after.id}::uuid)` : sql``}
       order by n.created_at desc, n.id desc
       limit ${query.limit + 1}`.execute(tx);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAuditMany(
      tx,
      citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_notes', outcome: 'success', criteria: { count: page.length, cursor: query.cursor ? 'next' : null } }),
    );
    return {
      items: page.map((n) => ({
        id: n.id,
        organisation: n.organisation_name,
        writtenAt: new Date(n.created_at).toISOString(),
        body: n.body,
        corrected: n.revision > 1,
        remarks: n.remarks.map((r) => ({ id: r.id, body: r.body, writtenAt: new Date(r.created_at).toISOString() })),
        canRemark: n.remarks.length < MAX_REMARKS_PER_NOTE,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ us: last.created_us, id: last.id }) : null,
    };
  });
}

/** 409: the note has as many remarks as a note may have. */
export class TooManyRemarks extends DomainError {
  constructor() {
    super(409, 'too_many_remarks', `A note takes at most ${MAX_REMARKS_PER_NOTE} remarks`, [{ path: 'id', message: 'too_many_remarks' }]);
  }
}

/**
 * The citizen adds a remark beside a note shown to them. The remark, its timeline event (no staff actor) and
 * nothing else is written: the note stays as it is. Audited on the note's record (the audit row gives the length,
 * never the words).
 */
export async function addMyRemark(db: Q, session: PortalSession, noteId: string, body: string): Promise<{ id: string; writtenAt: string }> {
  const ids = session.records.map((r) => r.citizenId);
  const refuse = async (error: DomainError, records: PortalSession['records'], reason: string): Promise<never> => {
    await recordAuditMany(
      db,
      citizenAuditRows(session.accountId, records, { action: 'create', resourceType: 'note_remark', outcome: 'denied', criteria: { reason, noteId } }),
    );
    markAudited(error);
    throw error;
  };
  const result = await db.transaction().execute(async (tx) => {
    // The note (shown to one of my records, locked so the count holds) and the remark in one statement.
    const { rows } = await sql<{ note_id: string; citizen_id: string; organisation_id: string; remarks: number; id: string | null; created_at: Date | null }>`
      with note as (
        select n.id, n.citizen_id, n.organisation_id,
               (select count(*) from note_portal_remarks r where r.note_id = n.id)::int as remarks
          from notes n join organisations o on o.id = n.organisation_id
         where n.id = ${noteId} and n.citizen_id = any(${ids}::uuid[]) and ${SHOWN}
           for update of n
      ), remark as (
        insert into note_portal_remarks (note_id, organisation_id, citizen_id, account_id, body)
        select id, organisation_id, citizen_id, ${session.accountId}, ${body} from note where remarks < ${MAX_REMARKS_PER_NOTE}
        returning id, note_id, created_at
      ), event as (
        insert into citizen_events (organisation_id, citizen_id, kind, ref_id, actor_id, data)
        select note.organisation_id, note.citizen_id, 'portal.note_remark', note.id, null, json_build_object('remark', remark.id, 'length', ${body.length}::int)::jsonb
          from note join remark on remark.note_id = note.id
      )
      select note.id as note_id, note.citizen_id, note.organisation_id, note.remarks, remark.id, remark.created_at
        from note left join remark on remark.note_id = note.id`.execute(tx);
    const row = rows[0];
    if (!row) return { refused: 'not_found' as const };
    const record = session.records.filter((r) => r.citizenId === row.citizen_id);
    if (!row.id || !row.created_at) return { refused: 'too_many' as const, record };
    await recordAuditMany(
      tx,
      citizenAuditRows(session.accountId, record, { action: 'create', resourceType: 'note_remark', outcome: 'success', criteria: { noteId, length: body.length } }).map((a) => ({ ...a, resourceId: row.id! })),
    );
    return { id: row.id, writtenAt: new Date(row.created_at).toISOString() };
  });
  if ('refused' in result) {
    if (result.refused === 'not_found') return refuse(new NotFound(), session.records, 'not shown or unknown');
    return refuse(new TooManyRemarks(), result.record ?? session.records, 'too_many_remarks');
  }
  return result;
}
