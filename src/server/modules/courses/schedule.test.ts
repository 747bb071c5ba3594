// Session generation: Danish public holidays skipped (Easter, Store bededag until 2023, Christmas) and
// Copenhagen wall-clock times across summer time.
import { describe, expect, it } from 'vitest';
import { copenhagenTime, planSessions, publicHoliday } from './schedule.ts';

const weekly = (firstDate: string, sessions = 8, time = '10:00') => planSessions({ firstDate, time, sessions, intervalWeeks: 1, durationMinutes: 90 });

describe('session generation', () => {
  it('skips Skærtorsdag and Kristi Himmelfartsdag 2024 and keeps eight sessions', () => {
    // Thursdays from 2024-03-14: 03-28 is Skærtorsdag, 05-09 Kristi Himmelfartsdag.
    const { sessions, skipped } = weekly('2024-03-14');
    expect(sessions).toHaveLength(8);
    expect(skipped).toEqual([
      { date: '2024-03-28', holiday: { da: 'Skærtorsdag', en: 'Maundy Thursday' } },
      { date: '2024-05-09', holiday: { da: 'Kristi Himmelfartsdag', en: 'Ascension Day' } },
    ]);
    expect(sessions.map((s) => s.date)).toEqual(['2024-03-14', '2024-03-21', '2024-04-04', '2024-04-11', '2024-04-18', '2024-04-25', '2024-05-02', '2024-05-16']);
    expect(sessions.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(sessions.every((s) => s.durationMinutes === 90)).toBe(true);
  });

  it('skips Langfredag and Anden påskedag in 2026', () => {
    expect(weekly('2026-03-20', 3).skipped.map((s) => s.date)).toEqual(['2026-04-03']);
    expect(weekly('2026-03-23', 3).skipped.map((s) => [s.date, s.holiday.da])).toEqual([['2026-04-06', 'Anden påskedag']]);
  });

  it('skips Store bededag 2023 but not the same Friday in 2024, when it was no longer a public holiday', () => {
    expect(publicHoliday('2023-05-05')?.da).toBe('Store Bededag');
    expect(weekly('2023-04-28', 3).skipped).toEqual([{ date: '2023-05-05', holiday: { da: 'Store Bededag', en: expect.any(String) } }]);
    // The fourth Friday after Easter 2024 was 2024-04-26.
    expect(publicHoliday('2024-04-26')).toBeUndefined();
    const y2024 = weekly('2024-04-19', 3);
    expect(y2024.skipped).toEqual([]);
    expect(y2024.sessions.map((s) => s.date)).toEqual(['2024-04-19', '2024-04-26', '2024-05-03']);
  });

  it('skips Juledag and Anden juledag but not Juleaftensdag (an observance, no public holiday)', () => {
    // Wednesdays from 2024-12-11: 12-25 is Juledag, 2025-01-01 Nytårsdag.
    expect(weekly('2024-12-11', 4).skipped.map((s) => s.date)).toEqual(['2024-12-25', '2025-01-01']);
    // Thursdays from 2025-12-11: 12-25 Juledag; 2026-01-01 Nytårsdag.
    const thursdays = weekly('2025-12-11', 4);
    expect(thursdays.skipped.map((s) => s.holiday.da)).toEqual(['Juledag', 'Nytårsdag']);
    expect(thursdays.sessions.map((s) => s.date)).toEqual(['2025-12-11', '2025-12-18', '2026-01-08', '2026-01-15']);
    expect(weekly('2024-12-10', 3).skipped).toEqual([]); // Tuesdays: 12-24 is no public holiday
  });

  it('moves by the interval: every second week', () => {
    const { sessions } = planSessions({ firstDate: '2026-01-05', time: '13:30', sessions: 3, intervalWeeks: 2, durationMinutes: 60 });
    expect(sessions.map((s) => s.date)).toEqual(['2026-01-05', '2026-01-19', '2026-02-02']);
  });

  it('stores the Copenhagen wall-clock time in winter and in summer time', () => {
    expect(copenhagenTime('2026-01-15', '10:00').toISOString()).toBe('2026-01-15T09:00:00.000Z');
    expect(copenhagenTime('2026-07-15', '10:00').toISOString()).toBe('2026-07-15T08:00:00.000Z');
    // Summer time begins on 2026-03-29: the week before at 10:00 is 09:00Z, the day itself 08:00Z.
    const { sessions } = planSessions({ firstDate: '2026-03-22', time: '10:00', sessions: 2, intervalWeeks: 1, durationMinutes: 90 });
    expect(sessions.map((s) => s.startsAt.toISOString())).toEqual(['2026-03-22T09:00:00.000Z', '2026-03-29T08:00:00.000Z']);
    // Autumn: 2026-10-25 ends summer time.
    expect(copenhagenTime('2026-10-25', '10:00').toISOString()).toBe('2026-10-25T09:00:00.000Z');
    expect(copenhagenTime('2026-10-24', '23:30').toISOString()).toBe('2026-10-24T21:30:00.000Z');
    // 02:30 on the spring-forward night does not exist: it becomes 03:30 summer time.
    expect(copenhagenTime('2026-03-29', '02:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});
