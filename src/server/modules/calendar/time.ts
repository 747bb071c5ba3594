// Time in Europe/Copenhagen for the calendar: the instant a local day starts, the wall-clock time of an
// instant, the week of a date, and the VTIMEZONE block of the iCalendar feed.
import { copenhagenTime, wallClock } from '../../platform/dates.ts';

/** The instant a local day ('YYYY-MM-DD') begins in Copenhagen (midnight never falls in a DST gap there). */
export function startOfDay(date: string): Date {
  return copenhagenTime(date, '00:00');
}

/** Whole days from `from` to `to` (dates as 'YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The Monday of the ISO week a date falls in. */
export function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A date-time in ical-generator's Luxon shape: with the calendar's time zone set, the library asks for the
 * wall-clock time in that zone, which this computes with Intl; no date library is needed.
 */
export class CopenhagenTime {
  readonly zone = { type: 'iana' };
  constructor(private readonly instant: Date) {}
  get isValid(): boolean {
    return !Number.isNaN(this.instant.getTime());
  }
  setZone(zone?: string): CopenhagenTime {
    if (zone && zone !== 'Europe/Copenhagen') throw new Error(`only Europe/Copenhagen is supported, not ${zone}`);
    return this;
  }
  toFormat(fmt: string): string {
    const w = wallClock(this.instant);
    if (fmt === 'yyyyLLdd') return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}`;
    if (fmt === 'HHmmss') return `${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
    throw new Error(`unsupported format ${fmt}`);
  }
  toJSDate(): Date {
    return this.instant;
  }
  toJSON(): string {
    return this.instant.toISOString();
  }
}

/** The time stamp of an entry in UTC (DTSTAMP must be UTC, RFC 5545 3.8.7.2). */
export function utcStamp(at: Date): string {
  return `${pad(at.getUTCFullYear(), 4)}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}Z`;
}

/**
 * Europe/Copenhagen with the EU rules in force since 1996: summer time from the last Sunday of March at
 * 02:00 local (01:00 UTC) to the last Sunday of October at 03:00 local (01:00 UTC).
 */
export function copenhagenVtimezone(tzid: string): string {
  if (tzid !== 'Europe/Copenhagen') throw new Error(`no VTIMEZONE for ${tzid}`);
  return [
    'BEGIN:VTIMEZONE',
    'TZID:Europe/Copenhagen',
    'X-LIC-LOCATION:Europe/Copenhagen',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'TZNAME:CEST',
    'DTSTART:19960331T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'TZNAME:CET',
    'DTSTART:19961027T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\r\n');
}
