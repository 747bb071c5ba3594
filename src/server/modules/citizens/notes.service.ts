// Journal notes on a citizen: written once, corrected openly (earlier text stays in the history).
import type { z } from 'zod';
import type { CitizenRemarkRequest, CorrectNoteRequest, CreateNoteRequest, Note, NoteListQuery } from '../../../contracts/citizens.ts';
import { AccessDenied } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { Conflict, Forbidden, Invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import type { CitizenDeps } from './citizens.service.ts';
import { requireCitizenAccess } from './citizen-access.ts';
import * as repo from './citizens.repository.ts';

const PURPOSE = 'case_work' as const;

/** Microseconds from 1900-01-01 to 2100-12-31, the range a cursor may name. */
const EARLIEST_US = -2_208_988_800_000_000n;
const LATEST_US = 4_133_980_799_999_999n;

function isNoteCursor(v: unknown): v is repo.NoteCursor {
  const c = v as repo.NoteCursor;
  if (typeof c !== 'object' || c === null || !isUuid(c.id) || typeof c.us !== 'string' || !/^-?[0-9]{1,16}$/.test(c.us)) return false;
  const us = BigInt(c.us);
  return us >= EARLIEST_US && us <= LATEST_US;
}

export async function listNotes(deps: CitizenDeps, actor: Actor, citizenId: string, query: z.infer<typeof NoteListQuery>): Promise<{ items: Note[]; nextCursor: string | null }> {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:read', 'read');
    const after = decodeCursor(query.cursor, isNoteCursor);
    const rows = await repo.notesOf(tx, citizenId, after, query.limit);
    const notes = rows.slice(0, query.limit);
    const last = notes[notes.length - 1];
    const nextCursor = rows.length > query.limit && last ? encodeCursor({ us: last.created_us, id: last.id }) : null;
    const revisions = await repo.revisionsOf(tx, notes.map((n) => n.id));
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'note', citizenId, outcome: 'success', criteria: { count: notes.length, cursor: query.cursor ? 'next' : null } });
    const items = notes.map((n) => {
      const own = revisions.filter((r) => r.note_id === n.id);
      const current = own.find((r) => r.revision === n.revision);
      return {
        id: n.id,
        kind: n.kind,
        remarkOn: n.remark_on,
        sensitivity: n.sensitivity,
        source: n.source,
        author: { id: n.author_id, name: n.author_name },
        createdAt: new Date(n.created_at).toISOString(),
        body: current?.body ?? '',
        revisions: own.map((r) => ({ revision: r.revision, body: r.body, reason: r.reason, writtenBy: { id: r.written_by, name: r.writer_name }, writtenAt: new Date(r.written_at).toISOString() })),
        version: n.version,
        citizenVisible: n.citizen_visible,
        portalRemarks: n.portal_remarks.map((r) => ({ id: r.id, body: r.body, writtenAt: new Date(r.created_at).toISOString() })),
      };
    });
    return { items, nextCursor };
  });
}

export async function createNote(deps: CitizenDeps, actor: Actor, citizenId: string, input: z.infer<typeof CreateNoteRequest>) {
  if (input.kind === 'external_assessment' && !input.source) {
    throw new Invalid('Say whose assessment it is', [{ path: 'source', message: 'required' }]);
  }
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:write-case', 'create');
    const { id } = await repo.insertNote(tx, {
      organisationId,
      citizenId,
      kind: input.kind,
      sensitivity: input.sensitivity,
      source: input.source ?? null,
      authorId: actor.userId,
      body: input.body,
      event: { kind: 'note.created', data: { noteKind: input.kind, sensitivity: input.sensitivity } },
      offerToCitizen: !input.internal,
    });
    await recordAudit(tx, { actor, organisationId, action: 'create', purpose: PURPOSE, resourceType: 'note', resourceId: id, citizenId, outcome: 'success' });
    return { id };
  });
}

export async function correctNote(deps: CitizenDeps, actor: Actor, noteId: string, input: z.infer<typeof CorrectNoteRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const note = await repo.noteById(tx, noteId);
    if (!note) {
      throw new AccessDenied({ actor, organisationId: null, action: 'update', purpose: PURPOSE, resourceType: 'note', resourceId: noteId, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    const { organisationId } = await requireCitizenAccess(tx, actor, note.citizen_id, 'citizen:write-case', 'update');
    if (note.author_id !== actor.userId) {
      throw new Forbidden('Only the author can correct a note; add a new note instead', {
        audit: { actor, organisationId, action: 'update', purpose: PURPOSE, resourceType: 'note', resourceId: noteId, citizenId: note.citizen_id, outcome: 'denied', criteria: { reason: 'not_author' } },
      });
    }
    const revision = await repo.reviseNote(tx, noteId, input.version, { body: input.body, reason: input.reason, writtenBy: actor.userId });
    if (revision === undefined) throw new Conflict('The note was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    await repo.recordEvent(tx, { organisationId, citizenId: note.citizen_id, kind: 'note.corrected', refId: noteId, actorId: actor.userId, data: { revision, reason: input.reason } });
    await recordAudit(tx, { actor, organisationId, action: 'update', purpose: PURPOSE, resourceType: 'note', resourceId: noteId, citizenId: note.citizen_id, outcome: 'success', criteria: { revision } });
    return { id: noteId, revision };
  });
}

/**
 * The citizen's own remark on a note (GDPR art. 16), recorded by staff on the citizen's behalf until the
 * citizen portal exists. The original note stays as it is; the remark is shown beside it.
 */
export async function addCitizenRemark(deps: CitizenDeps, actor: Actor, noteId: string, input: z.infer<typeof CitizenRemarkRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const note = await repo.noteById(tx, noteId);
    if (!note) {
      throw new AccessDenied({ actor, organisationId: null, action: 'create', purpose: PURPOSE, resourceType: 'note', resourceId: noteId, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    const { organisationId } = await requireCitizenAccess(tx, actor, note.citizen_id, 'citizen:write-case', 'create');
    if (note.kind === 'citizen_remark') throw new Invalid('A remark is made on a note, not on another remark', [{ path: 'noteId', message: 'remark_on_remark' }]);
    const { id } = await repo.insertNote(tx, {
      organisationId,
      citizenId: note.citizen_id,
      kind: 'citizen_remark',
      remarkOn: noteId,
      sensitivity: note.sensitivity,
      source: input.receivedVia,
      authorId: actor.userId,
      body: input.body,
      event: { kind: 'note.remark_added', data: { remarkOn: noteId } },
    });
    await recordAudit(tx, { actor, organisationId, action: 'create', purpose: PURPOSE, resourceType: 'note', resourceId: id, citizenId: note.citizen_id, outcome: 'success', criteria: { remarkOn: noteId } });
    return { id };
  });
}
