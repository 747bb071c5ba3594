// Weeks self-supporting: one status per week, read on its Wednesday, over complete weeks before this one.
import { describe, expect, it } from 'vitest';
import { sampledWednesdays, selfSupportingWeeks, weeklyHours } from './status-history.ts';

describe('self-supporting weeks', () => {
  it('samples the Wednesdays of the complete weeks before the current one', () => {
    // 2026-11-23 is a Monday: the last complete week is 16–22 November, its Wednesday the 18th.
    expect(sampledWednesdays('2026-11-23', 3)).toEqual(['2026-11-18', '2026-11-11', '2026-11-04']);
    // Sunday belongs to the week that is still running.
    expect(sampledWednesdays('2026-11-29', 1)).toEqual(['2026-11-18']);
  });

  it('counts weeks whose Wednesday falls in a self-supporting period, and reports unknown weeks apart', () => {
    const periods = [
      { benefit_code: 'kontanthjaelp', from_date: '2026-01-01', to_date: '2026-10-31' },
      { benefit_code: 'selvforsoergende', from_date: '2026-11-01', to_date: null },
    ];
    expect(selfSupportingWeeks(periods, '2026-11-23', 26)).toEqual({ selfSupporting: 3, known: 26 });
    expect(selfSupportingWeeks(periods, '2026-11-23', 52)).toEqual({ selfSupporting: 3, known: 46 });
  });

  it('lets a later period override an earlier open one on the same day', () => {
    const periods = [
      { benefit_code: 'kontanthjaelp', from_date: '2026-01-01', to_date: null },
      { benefit_code: 'selvforsoergende', from_date: '2026-11-10', to_date: null },
    ];
    expect(selfSupportingWeeks(periods, '2026-11-23', 2)).toEqual({ selfSupporting: 2, known: 2 });
  });

  it('does not count a job that ended before the Wednesday', () => {
    const periods = [{ benefit_code: 'selvforsoergende', from_date: '2026-11-16', to_date: '2026-11-17' }];
    expect(selfSupportingWeeks(periods, '2026-11-23', 1)).toEqual({ selfSupporting: 0, known: 0 });
  });

  it('handles the change to winter time without losing a week', () => {
    // Daylight saving ended on 25 October 2026; dates are calendar days, so nothing shifts.
    expect(sampledWednesdays('2026-11-02', 2)).toEqual(['2026-10-28', '2026-10-21']);
  });
});

describe('weekly working hours', () => {
  it('counts internship hours by the week\'s Monday, without a status period and without changing self-support', () => {
    const periods = [{ benefit_code: 'kontanthjaelp', from_date: '2026-01-01', to_date: null, weekly_hours: null }];
    const weeks = [
      { week_start: '2026-11-02', hours: 10 },
      { week_start: '2026-11-09', hours: 15 },
      { week_start: '2026-11-16', hours: 20 },
    ];
    expect(weeklyHours(periods, weeks, '2026-11-23', 26)).toEqual({ weeksWithHours: 3, hours: 45 });
    expect(weeklyHours(periods, weeks, '2026-11-23', 2)).toEqual({ weeksWithHours: 2, hours: 35 });
    expect(selfSupportingWeeks(periods, '2026-11-23', 26)).toEqual({ selfSupporting: 0, known: 26 });
  });

  it('takes a period\'s weekly hours for weeks without internship hours, and the internship\'s where both exist', () => {
    const periods = [{ benefit_code: 'selvforsoergende', from_date: '2026-11-09', to_date: null, weekly_hours: 30 }];
    expect(weeklyHours(periods, [{ week_start: '2026-11-09', hours: 12.5 }], '2026-11-23', 3)).toEqual({ weeksWithHours: 2, hours: 42.5 });
  });

  it('ignores weeks outside the window and weeks with zero hours', () => {
    const weeks = [{ week_start: '2025-01-06', hours: 20 }, { week_start: '2026-11-16', hours: 0 }];
    expect(weeklyHours([], weeks, '2026-11-23', 52)).toEqual({ weeksWithHours: 0, hours: 0 });
  });
});
