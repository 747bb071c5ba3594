// Types and queries for companies, internships and upskilling, shared by the company pages and the citizen page.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { CompanyDetail, CompanySummary, Internship, Upskilling } from '../../../contracts/companies.ts';
import { api, queryString } from '../../api/client.ts';

export type { CompanyDetail, CompanySummary, Internship, Upskilling };
export { isValidCvr } from '../../../contracts/cvr.ts';

export const PURPOSES = ['gradual_return', 'trial_before_hiring', 'other'] as const;
export const OUTCOMES = ['hired', 'extended', 'ended_as_planned', 'ended_early'] as const;
export const MIN_PLAN = ['no', 'yes', 'not_relevant'] as const;
export const UPSKILLING_KINDS = ['course', 'certificate', 'education'] as const;
export const UPSKILLING_STATUSES = ['planned', 'ongoing', 'completed', 'dropped'] as const;

const PAGE_SIZE = 25;

export function useCompanies(q: string) {
  return useInfiniteQuery({
    queryKey: ['companies', q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.get<{ items: CompanySummary[]; nextCursor: string | null }>(`/api/companies${queryString({ q: q || undefined, cursor: pageParam, limit: PAGE_SIZE })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const companyKey = (id: string) => ['company', id] as const;

export function useCompany(id: string) {
  return useQuery({ queryKey: companyKey(id), queryFn: () => api.get<CompanyDetail>(`/api/companies/${encodeURIComponent(id)}`) });
}

/** Under the citizen's key, so saving anything on the citizen page refreshes them with the page and timeline. */
export const internshipsKey = (citizenId: string) => ['citizen', citizenId, 'internships'] as const;
export const upskillingKey = (citizenId: string) => ['citizen', citizenId, 'upskilling'] as const;

export function useInternships(citizenId: string) {
  return useInfiniteQuery({
    queryKey: internshipsKey(citizenId),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.get<{ items: Internship[]; nextCursor: string | null }>(`/api/citizens/${encodeURIComponent(citizenId)}/internships${queryString({ cursor: pageParam, limit: 10 })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useUpskilling(citizenId: string) {
  return useInfiniteQuery({
    queryKey: upskillingKey(citizenId),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.get<{ items: Upskilling[]; nextCursor: string | null }>(`/api/citizens/${encodeURIComponent(citizenId)}/upskilling${queryString({ cursor: pageParam, limit: 10 })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

const DAY = 86_400_000;
const toUtc = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const toIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Monday of the week that holds the date. */
export function mondayOf(iso: string): string {
  const ms = toUtc(iso);
  return toIso(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY);
}

/** The Mondays of the weeks an internship touches, up to the week that holds `today`, newest last. */
export function weeksOf(fromDate: string, toDate: string, today: string): string[] {
  const last = mondayOf(toDate < today ? toDate : today);
  const weeks: string[] = [];
  for (let ms = toUtc(mondayOf(fromDate)); ms <= toUtc(last) && weeks.length < 120; ms += 7 * DAY) weeks.push(toIso(ms));
  return weeks;
}

/** Hours as typed in Danish or English ("12,5" or "12.5"): a number with at most one decimal, or null. */
export function parseHours(text: string): number | null {
  const v = text.trim().replace(',', '.');
  if (!/^\d{1,2}(\.\d)?$/.test(v)) return null;
  return Number(v);
}
