// Opaque keyset cursors: the last row's sort key, encoded so clients treat it as a token.
import { CONTROL_CHARACTERS, MAX_DATE, MIN_DATE } from '../../contracts/common.ts';
import { Invalid } from './errors.ts';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, check: (v: unknown) => v is T): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw new Invalid('The cursor is not valid', [{ path: 'cursor', message: 'invalid cursor' }]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cursor guards check the shape of every value, so a crafted cursor gets 400, never reaches SQL as junk. */
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
export const isShortString = (v: unknown): v is string => typeof v === 'string' && v.length <= 300 && !CONTROL_CHARACTERS.test(v);
const EARLIEST = Date.parse(`${MIN_DATE}T00:00:00Z`);
const LATEST = Date.parse(`${MAX_DATE}T23:59:59.999Z`);
/** An ISO timestamp within the dates the database holds (a year 0 or 275760 never reaches SQL). */
export const isIsoTimestamp = (v: unknown): v is string => {
  if (typeof v !== 'string' || v.length > 40 || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}T/.test(v)) return false;
  const at = Date.parse(v);
  return at >= EARLIEST && at <= LATEST;
};

/** A cursor of a list ordered by a timestamp and then an id (newest first): `{ t, id }`. */
export const isTimeCursor = (v: unknown): v is { t: string; id: string } =>
  typeof v === 'object' && v !== null && isIsoTimestamp((v as { t: unknown }).t) && isUuid((v as { id: unknown }).id);
