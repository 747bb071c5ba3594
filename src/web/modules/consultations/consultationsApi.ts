// Consultations (the liaison's oral advice and case consultations) and the municipality's note duties: queries and keys.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ConsultationDetail, ConsultationDuty, ConsultationKind, ConsultationOptions, ConsultationSummary } from '../../../contracts/consultations.ts';
import type { CitizenSummary } from '../../../contracts/citizens.ts';
import { api, queryString } from '../../api/client.ts';

export type { ConsultationDetail, ConsultationDuty, ConsultationKind, ConsultationOptions, ConsultationSummary };

export const CONSULTATIONS_KEY = ['consultations'] as const;
export const DUTIES_KEY = ['consultation-duties'] as const;
export const consultationKey = (id: string) => ['consultations', 'one', id] as const;

export const KINDS: ConsultationKind[] = ['network_meeting', 'case_conference', 'anonymous'];
export const HEALTH_CATEGORIES = ['treatment_summary', 'work_considerations', 'support_needs', 'work_medication', 'crisis_plan', 'treatment_attendance', 'progression_measurements'] as const;

export function useConsultationList() {
  return useInfiniteQuery({
    queryKey: [...CONSULTATIONS_KEY, 'list'],
    queryFn: ({ pageParam }) => api.get<{ items: ConsultationSummary[]; nextCursor: string | null }>(`/api/consultations${queryString({ cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useConsultation(id: string) {
  return useQuery({ queryKey: consultationKey(id), queryFn: () => api.get<ConsultationDetail>(`/api/consultations/${encodeURIComponent(id)}`) });
}

export function useConsultationOptions() {
  return useQuery({ queryKey: [...CONSULTATIONS_KEY, 'options'], queryFn: () => api.get<ConsultationOptions>('/api/consultations/options') });
}

/** The liaison's own patients (the region's records on the liaison's caseload). */
export function useMyPatients() {
  return useQuery({ queryKey: ['citizens', 'mine', 'consultations'], queryFn: () => api.get<{ items: CitizenSummary[]; nextCursor: string | null }>('/api/citizens?scope=mine&limit=100') });
}

export function useMyDuties() {
  return useInfiniteQuery({
    queryKey: [...DUTIES_KEY, 'mine'],
    queryFn: ({ pageParam }) => api.get<{ items: ConsultationDuty[]; nextCursor: string | null }>(`/api/consultation-duties${queryString({ cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCitizenDuties(citizenId: string) {
  return useInfiniteQuery({
    queryKey: [...DUTIES_KEY, 'citizen', citizenId],
    queryFn: ({ pageParam }) =>
      api.get<{ items: ConsultationDuty[]; nextCursor: string | null }>(`/api/citizens/${encodeURIComponent(citizenId)}/consultation-duties${queryString({ cursor: pageParam, limit: 10 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
  });
}
