// The calendar's API calls and the week arithmetic of the pages (dates as YYYY-MM-DD, Europe/Copenhagen).
import { useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../api/client.ts';
import type { CalendarResponse, FeedState, MyDay } from '../../../contracts/calendar.ts';

export type { CalendarEntry, CalendarResponse, FeedCreated, FeedState, MyDay, DayTask, NextStep } from '../../../contracts/calendar.ts';

export function useCalendar(from: string, to: string) {
  return useQuery({ queryKey: ['calendar', from, to], queryFn: () => api.get<CalendarResponse>(`/api/calendar${queryString({ from, to })}`) });
}

export function useMyDay() {
  return useQuery({ queryKey: ['my-day'], queryFn: () => api.get<MyDay>('/api/me/day') });
}

export function useFeedState() {
  return useQuery({ queryKey: ['calendar-feed'], queryFn: () => api.get<FeedState>('/api/calendar/feed') });
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function mondayOf(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  return addDays(iso, -((d.getUTCDay() + 6) % 7));
}

/** The ISO week number of a date. */
export function isoWeek(iso: string): number {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  return 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
}

export const isIsoDate = (v: string | null): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && v >= '1900-01-01' && v <= '2100-12-25';
