// Opaque keyset cursors: the last row's sort key, encoded so clients treat it as a token.
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
export const isShortString = (v: unknown): v is string => typeof v === 'string' && v.length <= 300;
export const isIsoTimestamp = (v: unknown): v is string => typeof v === 'string' && v.length <= 40 && !Number.isNaN(Date.parse(v));
