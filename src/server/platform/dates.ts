// Calendar dates as the users live them: Europe/Copenhagen, as 'YYYY-MM-DD'.
const copenhagen = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' });

export function dateInCopenhagen(at: Date = new Date()): string {
  return copenhagen.format(at);
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const wallParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Copenhagen',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time in Copenhagen at an instant. */
export function wallClock(at: Date): WallClock {
  const p: Record<string, number> = {};
  for (const part of wallParts.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

/** Copenhagen's offset from UTC at an instant, in milliseconds (+1 h in winter, +2 h in summer). */
function offsetAt(ms: number): number {
  const w = wallClock(new Date(ms));
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a Copenhagen wall-clock time names ('YYYY-MM-DD', 'HH:MM'). A time that does not exist (the hour
 * skipped when summer time starts) moves forward by the hour; a time that exists twice (the hour repeated in
 * autumn) is the first.
 */
export function copenhagenTime(date: string, time: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const guess = offsetAt(wall - 3 * 3_600_000);
  const first = wall - guess;
  const offset = offsetAt(first);
  if (offset === guess) return new Date(first);
  const second = wall - offset;
  // Only a wall-clock time that does not exist fails to round-trip both ways; it keeps the earlier offset.
  return new Date(offsetAt(second) === offset ? second : first);
}
