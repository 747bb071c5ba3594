// Date, number and money formatting in the user's language; all times shown in Europe/Copenhagen.
import type { Language } from './i18n.tsx';

const TIME_ZONE = 'Europe/Copenhagen';
const locales: Record<Language, string> = { da: 'da-DK', en: 'en-GB' };

/** A calendar date from the API (YYYY-MM-DD) as 23.11.2026 / 23/11/2026; no time zone shift for plain dates. */
export function formatIsoDate(language: Language, isoDate: string): string {
  return new Intl.DateTimeFormat(locales[language], { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(
    isoDateToUtc(isoDate),
  );
}

/** Milliseconds at UTC midnight of a YYYY-MM-DD date, the unit the timeline chart uses. */
export function isoDateToUtc(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

export function formatUtcDate(language: Language, utcMs: number): string {
  return new Intl.DateTimeFormat(locales[language], { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(utcMs);
}

export function formatYear(language: Language, utcMs: number): string {
  return new Intl.DateTimeFormat(locales[language], { year: 'numeric', timeZone: 'UTC' }).format(utcMs);
}

/** A timestamp as date and time in Copenhagen, e.g. 23.11.2026 14.30. */
export function formatDateTime(language: Language, timestamp: string): string {
  const date = new Date(timestamp);
  const day = new Intl.DateTimeFormat(locales[language], { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: TIME_ZONE }).format(date);
  const time = new Intl.DateTimeFormat(locales[language], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE }).format(date);
  return `${day} ${time}`;
}

/** Today's date in Copenhagen as YYYY-MM-DD (the user's "today", not the UTC one). */
export function todayInCopenhagen(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: TIME_ZONE }).format(now);
}

export function formatNumber(language: Language, value: number, maximumFractionDigits = 1): string {
  return new Intl.NumberFormat(locales[language], { maximumFractionDigits }).format(value);
}

export function formatPercent(language: Language, percent: number): string {
  // "20 %" in Danish and "20%" in English, as each language writes it.
  return new Intl.NumberFormat(locales[language], { style: 'percent', maximumFractionDigits: 1 }).format(percent / 100);
}

/** Money from øre, whole kroner without decimals: 9.400.000 kr. / DKK 9,400,000. */
export function formatMoneyFromOere(language: Language, oere: number): string {
  const whole = oere % 100 === 0;
  return new Intl.NumberFormat(locales[language], {
    style: 'currency',
    currency: 'DKK',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(oere / 100);
}
