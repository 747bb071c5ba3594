// Schemas shared by several contracts: ids, dates, errors, pages.
import { z } from 'zod';
import { ROLE_NAMES } from './roles.ts';


export const Id = z.uuid();
/** A calendar date as the server answers it (stored dates, including birth dates before 1900). */
export const IsoDate = z.iso.date();

// Input bounds. Every request contract builds its fields from these, so that nothing a client sends can reach
// the database out of range: a new contract copies them rather than writing z.string() or z.number() itself.

/**
 * Control characters other than tab, line feed and carriage return (C0, DEL and C1), and lone surrogates (half a
 * character, which no database can store as text): matching them is the point. The `u` flag makes a surrogate
 * pair one character, so only a lone half matches.
 */
/* eslint-disable no-control-regex */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF]/u;
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF]*$/u;
/* eslint-enable no-control-regex */
const noControl = (s: z.ZodString) => s.regex(NO_CONTROL_CHARACTERS, 'no control characters or broken characters');

/** Text from a client, trimmed: at most `max` characters (at least `min`, 1 by default), no control characters. */
export const Text = (max: number, min = 1) => noControl(z.string().trim().min(min).max(max));
/** Optional free text that may be cleared with null. */
export const OptionalText = (max: number) => noControl(z.string().trim().max(max)).nullable().optional();
/** A secret (password) as typed: not trimmed, bounded, no control characters. */
export const Secret = (max = 1000) => noControl(z.string().min(1).max(max));

export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '2100-12-31';
/** A calendar date from a client: an existing date between 1900-01-01 and 2100-12-31. */
export const DateInput = z.iso
  .date()
  .refine((d) => d >= MIN_DATE && d <= MAX_DATE, { message: `a date from ${MIN_DATE} to ${MAX_DATE}` });

/** A moment from a client: ISO 8601 with a UTC offset (or Z), between 1900 and 2100. */
export const DateTimeInput = z.iso
  .datetime({ offset: true })
  .refine((d) => {
    const ms = Date.parse(d);
    return Number.isFinite(ms) && ms >= Date.UTC(1900, 0, 1) && ms < Date.UTC(2101, 0, 1);
  }, { message: 'a moment from 1900 to 2100, with its UTC offset' });

/** The largest value of a PostgreSQL integer column. */
export const MAX_INT4 = 2_147_483_647;
/** An integer within bounds (JSON body). */
export const Int = (min: number, max: number) => z.number().int().min(min).max(max);
/** An integer within bounds from a query string. */
export const QueryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A page size from a query string. */
export const Limit = (fallback: number, max = 100) => QueryInt(1, max).default(fallback);
/** The optimistic-locking version a client read and sends back. */
export const Version = Int(1, MAX_INT4);
/** An opaque page cursor as the server handed it out (base64url). */
export const Cursor = z.string().max(500).regex(/^[A-Za-z0-9_-]+$/, 'a cursor from nextCursor');

export const Warning = z.object({
  code: z.string(),
  message: z.string(),
  /** The figures behind the warning, for the UI's own sentence (e.g. a period, a count and a capacity). */
  data: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type Warning = z.infer<typeof Warning>;

export const ErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  /** With 409 `warnings`: what the caller must acknowledge to go ahead. */
  warnings: z.array(Warning).optional(),
  /** With 409 on a duplicate: the existing record, where the caller may see it. */
  existingId: z.string().optional(),
  /** With 409 on a duplicate the caller may not see: whom in the organisation to contact about it. */
  contacts: z.array(z.object({ name: z.string(), role: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const RoleName = z.enum(ROLE_NAMES);
export type RoleName = z.infer<typeof RoleName>;


export const OrganisationKind = z.enum(['municipality', 'region', 'research', 'company', 'foundation']);

export const OrganisationRef = z.object({ id: Id, name: z.string(), kind: OrganisationKind });
export type OrganisationRef = z.infer<typeof OrganisationRef>;

export const CodeRef = z.object({ code: z.string(), label: z.object({ da: z.string(), en: z.string() }) });
export type CodeRef = z.infer<typeof CodeRef>;

export const UserRef = z.object({ id: Id, name: z.string() });
