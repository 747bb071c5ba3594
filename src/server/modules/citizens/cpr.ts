// Danish CPR numbers: parsing with the century rule, replacement numbers, masking and search-box helpers.

// format: not DDMMYY-SSSS/10 digits; date: no such date; future: the century rule gives a birth date after today
export { compactDigits, maskCprLike } from '../../platform/masking.ts';

export type CprProblem = 'format' | 'date' | 'future';

export interface ParsedCpr {
  digits: string; // the 10 digits, no dash
  formatted: string; // 'DDMMYY-SSSS'
  masked: string; // 'DDMMYY-xxxx'
  birthDate: string; // 'YYYY-MM-DD' (real day, also for replacement numbers)
  isReplacement: boolean;
  mod11Valid: boolean;
  sexDigitOdd: boolean; // last digit odd (traditionally male); informational only
}

// [0-9] rather than \d so that no other script's digits slip through.
const FULL = /^([0-9]{6})-?([0-9]{4})$/;
const PREFIX = /^([0-9]{6})-?$/;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const MOD11_WEIGHTS = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1] as const;
// Replacement numbers add 6 to the day's first digit, i.e. 60 to the day.
const REPLACEMENT_OFFSET = 60;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// The 7th digit and the two-digit year together decide the century (CPR office's table).
function fullYear(yy: number, seventhDigit: number): number {
  if (seventhDigit <= 3) return 1900 + yy;
  if (seventhDigit === 4 || seventhDigit === 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

function mod11Valid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < MOD11_WEIGHTS.length; i++) sum += Number(digits[i]) * (MOD11_WEIGHTS[i] ?? 0);
  return sum % 11 === 0;
}

// Splits the day field into the real day and whether it is a replacement number; day 0 stays 0 and fails later.
function realDay(dayField: number): { day: number; isReplacement: boolean } {
  return dayField > REPLACEMENT_OFFSET
    ? { day: dayField - REPLACEMENT_OFFSET, isReplacement: true }
    : { day: dayField, isReplacement: false };
}

/** `today` (YYYY-MM-DD) bounds the birth date: nobody on file is born after it. */
export function parseCpr(input: string, today?: string): { ok: true; value: ParsedCpr } | { ok: false; problem: CprProblem } {
  const m = FULL.exec(input.trim());
  if (!m) return { ok: false, problem: 'format' };
  const head = m[1] ?? '';
  const tail = m[2] ?? '';
  const digits = head + tail;

  const dayField = Number(head.slice(0, 2));
  const month = Number(head.slice(2, 4));
  const yy = Number(head.slice(4, 6));
  const year = fullYear(yy, Number(tail[0]));
  const { day, isReplacement } = realDay(dayField);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, problem: 'date' };
  const birthDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (today !== undefined && birthDate > today) return { ok: false, problem: 'future' };

  return {
    ok: true,
    value: {
      digits,
      formatted: `${head}-${tail}`,
      masked: `${head}-xxxx`,
      birthDate,
      isReplacement,
      // Never a reason to reject: numbers failing modulus 11 have been issued since 2007.
      mod11Valid: mod11Valid(digits),
      sexDigitOdd: Number(tail[3]) % 2 === 1,
    },
  };
}

// Anything that is not one of the two full forms is masked completely, so that no caller can leak a number
// written some other way by passing it through here.
export function maskCpr(digitsOrFormatted: string): string {
  const m = FULL.exec(digitsOrFormatted.trim());
  return m ? `${m[1] ?? ''}-xxxx` : 'xxxxxx-xxxx';
}

// Form only, not date validity: a search for a mistyped number should still be treated as a number search,
// not sent on as free text.
export function looksLikeFullCpr(q: string): boolean {
  return FULL.test(q.trim());
}

// Six digits are only taken as a birth date when day and month could be one (replacement days included);
// the century is unknown here, so 29 February is allowed.
export function birthDatePrefix(q: string): string | null {
  const m = PREFIX.exec(q.trim());
  const head = m?.[1];
  if (head === undefined) return null;
  const { day } = realDay(Number(head.slice(0, 2)));
  const month = Number(head.slice(2, 4));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2000, month)) return null;
  return head;
}

function parseIsoDate(s: string): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(s);
  const year = Number(m?.[1]);
  const month = Number(m?.[2]);
  const day = Number(m?.[3]);
  if (!m || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError('Expected an existing date as YYYY-MM-DD');
  }
  return { year, month, day };
}

/** The age, or null when the birth date is not a real date on or before `onDate` (a stored record that cannot be shown as is). */
export function ageOrNull(birthDate: string, onDate: string): number | null {
  try {
    return ageOn(birthDate, onDate);
  } catch {
    return null;
  }
}

// Plain calendar arithmetic on integers so the answer cannot depend on the server's time zone.
// Someone born 29 February turns a year older on 1 March in non-leap years.
export function ageOn(birthDate: string, onDate: string): number {
  const b = parseIsoDate(birthDate);
  const o = parseIsoDate(onDate);
  const beforeBirthday = o.month < b.month || (o.month === b.month && o.day < b.day);
  const age = o.year - b.year - (beforeBirthday ? 1 : 0);
  if (age < 0) throw new RangeError('The date is before the birth date');
  return age;
}
