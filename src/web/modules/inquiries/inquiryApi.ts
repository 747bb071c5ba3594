// Inquiries to psychiatry and the region staff's home pages: queries, mutations and their keys.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ClinicianPatient, InquiryDetail, InquiryStatus, InquirySummary, LiaisonOverview } from '../../../contracts/inquiries.ts';
import { api, queryString } from '../../api/client.ts';

export type { ClinicianPatient, InquiryDetail, InquiryStatus, InquirySummary, LiaisonOverview };

export const INQUIRIES_KEY = ['inquiries'] as const;
export const inquiryKey = (id: string) => ['inquiries', 'one', id] as const;

export const HEALTH_CATEGORIES = ['treatment_summary', 'work_considerations', 'support_needs', 'work_medication', 'crisis_plan', 'treatment_attendance', 'progression_measurements'] as const;

export function useInquiryList(status: InquiryStatus | undefined) {
  return useInfiniteQuery({
    queryKey: [...INQUIRIES_KEY, 'list', status ?? 'open'],
    queryFn: ({ pageParam }) =>
      api.get<{ view: 'queue' | 'asked'; items: InquirySummary[]; nextCursor: string | null }>(`/api/inquiries${queryString({ status, cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useInquiry(id: string) {
  return useQuery({ queryKey: inquiryKey(id), queryFn: () => api.get<InquiryDetail>(`/api/inquiries/${encodeURIComponent(id)}`) });
}

export function useLiaisonOverview(enabled: boolean) {
  return useQuery({ queryKey: [...INQUIRIES_KEY, 'overview'], queryFn: () => api.get<LiaisonOverview>('/api/liaison/overview'), enabled });
}

export function useClinicianPatients() {
  return useInfiniteQuery({
    queryKey: ['clinician', 'patients'],
    queryFn: ({ pageParam }) => api.get<{ items: ClinicianPatient[]; nextCursor: string | null }>(`/api/clinician/patients${queryString({ cursor: pageParam, limit: 25 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Hours as the page shows them: under two days in hours, otherwise in days. */
export function durationParts(hours: number): { value: number; unit: 'hours' | 'days' } {
  return hours < 48 ? { value: Math.round(hours * 10) / 10, unit: 'hours' } : { value: Math.round((hours / 24) * 10) / 10, unit: 'days' };
}
