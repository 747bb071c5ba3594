// Company meetings the liaison attends: queries and their keys.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { CompanyMeeting, CompanyMeetingDetail, CompanyMeetingItem } from '../../../contracts/liaison-companies.ts';
import { api, queryString } from '../../api/client.ts';

export type { CompanyMeeting, CompanyMeetingDetail, CompanyMeetingItem };
export const COMPANY_MEETINGS_KEY = ['company-meetings'] as const;
export const meetingKey = (id: string) => ['company-meetings', 'one', id] as const;
export const COMPANY_CATEGORIES = ['work_considerations', 'support_needs'] as const;

/** One gap of a refused item, as the 409 names it. */
export interface Gap {
  instrument: string;
  category: string;
  role: string;
  reason: string;
  consentId: string | null;
}

export function useCompanyMeetings() {
  return useInfiniteQuery({
    queryKey: [...COMPANY_MEETINGS_KEY, 'list'],
    queryFn: ({ pageParam }) => api.get<{ items: CompanyMeeting[]; nextCursor: string | null }>(`/api/liaison/company-meetings${queryString({ cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCompanyMeeting(id: string) {
  return useQuery({ queryKey: meetingKey(id), queryFn: () => api.get<CompanyMeetingDetail>(`/api/liaison/company-meetings/${encodeURIComponent(id)}`) });
}

export function useMeetingPatients(id: string) {
  return useQuery({ queryKey: [...meetingKey(id), 'patients'], queryFn: () => api.get<{ items: { id: string; name: string }[] }>(`/api/liaison/company-meetings/${encodeURIComponent(id)}/patients`) });
}
