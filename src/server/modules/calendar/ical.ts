// The feed's iCalendar text (RFC 5545): only times, a status and a place category. SUMMARY is always
// "Aftale", LOCATION one of "Kontor", "Ude", "Telefon/video"; no DESCRIPTION, no names, no ids used
// elsewhere (each entry's UID is a random value kept in calendar_uids).
import ical, { ICalEventStatus } from 'ical-generator';
import type { PlaceCategory } from '../../../contracts/calendar.ts';
import type { EntryRow } from './calendar.repository.ts';
import { copenhagenVtimezone, CopenhagenTime, startOfDay, utcStamp } from './time.ts';

const TZ = 'Europe/Copenhagen';
const LOCATION: Record<PlaceCategory, string> = { office: 'Kontor', out: 'Ude', remote: 'Telefon/video' };

export interface FeedEntry {
  uid: string;
  row: EntryRow;
  place: PlaceCategory | null;
}

export function renderFeed(entries: FeedEntry[], now: Date): string {
  const cal = ical({
    name: 'Bindeled',
    prodId: { company: 'Bindeled', product: 'Kalender', language: 'DA' },
    timezone: { name: TZ, generator: copenhagenVtimezone },
    ttl: 60 * 60,
  });
  for (const { uid, row, place } of entries) {
    const common = {
      id: `${uid}@bindeled`,
      summary: 'Aftale',
      stamp: now,
      status: row.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      ...(place ? { location: LOCATION[place] } : {}),
    };
    if (row.starts_at) {
      const start = new Date(row.starts_at);
      const end = new Date(start.getTime() + (row.duration_minutes ?? 0) * 60_000);
      cal.createEvent({ ...common, timezone: TZ, start: new CopenhagenTime(start), end: new CopenhagenTime(end) });
    } else {
      // A follow-up is a date: an all-day entry.
      cal.createEvent({ ...common, allDay: true, start: new CopenhagenTime(startOfDay(row.on_date!)) });
    }
  }
  // With a calendar time zone the library writes DTSTAMP in local time; RFC 5545 wants it in UTC.
  return cal.toString().replace(/^DTSTAMP:[0-9T]+Z?$/gm, `DTSTAMP:${utcStamp(now)}`);
}
