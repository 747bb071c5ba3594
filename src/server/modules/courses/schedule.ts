// Session dates of a group course: every n weeks from a first date at a Copenhagen wall-clock time, skipping
// Danish public holidays (from the maintained `date-holidays` library), so the number of sessions stays.
import Holidays from 'date-holidays';
import { addDays, copenhagenTime } from '../../platform/dates.ts';

export interface ScheduleInput {
  /** The first session's date, YYYY-MM-DD (Copenhagen). */
  firstDate: string;
  /** Wall-clock time in Copenhagen, HH:MM. */
  time: string;
  sessions: number;
  intervalWeeks: number;
  durationMinutes: number;
}

export interface PlannedSession {
  number: number;
  date: string;
  startsAt: Date;
  durationMinutes: number;
}

export interface SkippedDate {
  date: string;
  holiday: { da: string; en: string };
}

const danish = new Holidays('DK');
const english = new Holidays('DK');
english.setLanguages('en');

/** Public holidays per year; holiday rules are reference data, the same for every caller. */
const byYear = new Map<number, Map<string, { da: string; en: string }>>();

function holidaysOf(year: number): Map<string, { da: string; en: string }> {
  let days = byYear.get(year);
  if (!days) {
    days = new Map();
    const en = english.getHolidays(year);
    for (const h of danish.getHolidays(year)) {
      if (h.type !== 'public') continue;
      const date = h.date.slice(0, 10);
      days.set(date, { da: h.name, en: en.find((e) => e.date === h.date)?.name ?? h.name });
    }
    byYear.set(year, days);
  }
  return days;
}

/** The Danish public holiday on a date (Copenhagen calendar), if any. */
export function publicHoliday(date: string): { da: string; en: string } | undefined {
  return holidaysOf(Number(date.slice(0, 4))).get(date);
}

export { copenhagenTime };

/** The sessions and the dates skipped for a holiday. A skipped date moves its session to the next interval. */
export function planSessions(input: ScheduleInput): { sessions: PlannedSession[]; skipped: SkippedDate[] } {
  const sessions: PlannedSession[] = [];
  const skipped: SkippedDate[] = [];
  let date = input.firstDate;
  while (sessions.length < input.sessions) {
    const holiday = publicHoliday(date);
    if (holiday) {
      skipped.push({ date, holiday });
    } else {
      sessions.push({ number: sessions.length + 1, date, startsAt: copenhagenTime(date, input.time), durationMinutes: input.durationMinutes });
    }
    date = addDays(date, 7 * input.intervalWeeks);
  }
  return { sessions, skipped };
}
