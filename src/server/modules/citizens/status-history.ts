// Labour-market attachment from a citizen's status history: weeks self-supporting in the last 26 and 52 weeks.
// A week's status is the status on its Wednesday, as the national register (DREAM) samples one code per week.

export interface PeriodLike {
  benefit_code: string;
  from_date: string;
  to_date: string | null;
}

const DAY = 86_400_000;
const toDay = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY;
const toIso = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** The Wednesdays of the last `weeks` complete weeks (Monday–Sunday) before the week that holds `today`. */
export function sampledWednesdays(today: string, weeks: number): string[] {
  const t = toDay(today);
  const weekday = (new Date(t * DAY).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thisMonday = t - weekday;
  return Array.from({ length: weeks }, (_, i) => toIso(thisMonday - 7 * (i + 1) + 2));
}

function statusOn(periods: PeriodLike[], day: string): string | null {
  // The newest period that covers the day wins, so a correction entered later overrides.
  let found: PeriodLike | null = null;
  for (const p of periods) {
    if (p.from_date <= day && (p.to_date === null || p.to_date >= day) && (!found || p.from_date >= found.from_date)) found = p;
  }
  return found?.benefit_code ?? null;
}

export interface HoursPeriodLike extends PeriodLike {
  weekly_hours: number | null;
}

/**
 * Working hours over the same sampled weeks: a week's internship hours where they are recorded (by its Monday),
 * otherwise the weekly hours of the status period on its Wednesday (a job, or an internship entered as a period).
 * Internship weeks count here without being status periods, so they never change the benefit of a week.
 */
export function weeklyHours(
  periods: HoursPeriodLike[],
  internshipWeeks: { week_start: string; hours: number }[],
  today: string,
  weeks: number,
): { weeksWithHours: number; hours: number } {
  const byMonday = new Map(internshipWeeks.map((w) => [w.week_start, Number(w.hours)]));
  let weeksWithHours = 0;
  let tenths = 0;
  for (const wednesday of sampledWednesdays(today, weeks)) {
    const monday = toIso(toDay(wednesday) - 2);
    let hours = byMonday.get(monday);
    if (hours === undefined) {
      let found: HoursPeriodLike | null = null;
      for (const p of periods) {
        if (p.from_date <= wednesday && (p.to_date === null || p.to_date >= wednesday) && (!found || p.from_date >= found.from_date)) found = p;
      }
      hours = found?.weekly_hours == null ? 0 : Number(found.weekly_hours);
    }
    if (hours > 0) weeksWithHours += 1;
    tenths += Math.round(hours * 10);
  }
  return { weeksWithHours, hours: tenths / 10 };
}

export function selfSupportingWeeks(periods: PeriodLike[], today: string, weeks: number): { selfSupporting: number; known: number } {
  let selfSupporting = 0;
  let known = 0;
  for (const wednesday of sampledWednesdays(today, weeks)) {
    const status = statusOn(periods, wednesday);
    if (status === null) continue;
    known += 1;
    if (status === 'selvforsoergende') selfSupporting += 1;
  }
  return { selfSupporting, known };
}
