// The citizen portal's "Mine bemærkninger": the notes about the citizen that their programme shows them (ordinary
// journal notes of the municipality that the writer did not keep internal), and the citizen's own remarks beside
// them (GDPR art. 16: the note stays as it is). Staff names are never shown: the organisation only.
import { z } from 'zod';
import { Cursor, Id, Limit, Text } from './common.ts';

export const PortalRemark = z.object({ id: Id, body: z.string(), writtenAt: z.string() });

export const PortalNote = z.object({
  id: Id,
  /** The organisation that wrote the note (never the staff member). */
  organisation: z.string(),
  writtenAt: z.string(),
  /** The note's current text. */
  body: z.string(),
  /** The writer corrected the note after it was first written (the earlier text stays in the organisation's history). */
  corrected: z.boolean(),
  /** My remarks on the note, oldest first. */
  remarks: z.array(PortalRemark),
  /** Whether I can still add a remark (at most MAX_REMARKS_PER_NOTE per note). */
  canRemark: z.boolean(),
});
export type PortalNote = z.infer<typeof PortalNote>;

export const PortalNoteList = z.object({ items: z.array(PortalNote), nextCursor: z.string().nullable() });
export type PortalNoteList = z.infer<typeof PortalNoteList>;

export const PortalNoteQuery = z.object({ cursor: Cursor.optional(), limit: Limit(10, 50) }).strict();

export const MAX_REMARK_LENGTH = 2000;
export const MAX_REMARKS_PER_NOTE = 20;

export const PortalRemarkRequest = z.object({ body: Text(MAX_REMARK_LENGTH) }).strict();
