// Studies (research agreements) and the research codebook: queries and their keys.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Codebook, Study, StudySummary } from '../../../contracts/studies.ts';
import { api, queryString } from '../../api/client.ts';

export type { Codebook, Study };
export type StudySummary = z.infer<typeof StudySummary>;
export const STUDIES_KEY = ['studies'] as const;
export const studyKey = (id: string) => ['studies', 'one', id] as const;

export function useStudies() {
  return useInfiniteQuery({
    queryKey: [...STUDIES_KEY, 'list'],
    queryFn: ({ pageParam }) => api.get<{ items: StudySummary[]; nextCursor: string | null }>(`/api/studies${queryString({ cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useStudy(id: string) {
  return useQuery({ queryKey: studyKey(id), queryFn: () => api.get<Study>(`/api/studies/${encodeURIComponent(id)}`) });
}

/** The codebook changes only with the application (and the national code lists): read once per session. */
export function useCodebook() {
  return useQuery({ queryKey: ['research', 'codebook'], queryFn: () => api.get<Codebook>('/api/research/codebook'), staleTime: Infinity });
}

/** The programme's researchers not yet named on the study (for its programme manager). */
export function useResearcherOptions(id: string) {
  return useQuery({
    queryKey: ['studies', 'researcher-options', id],
    queryFn: () => api.get<{ items: { id: string; name: string }[] }>(`/api/studies/${encodeURIComponent(id)}/researcher-options`),
  });
}

/** The catalogue's instruments the study's programme manager can add as research-only questionnaires. */
export function useQuestionnaireOptions(id: string) {
  return useQuery({
    queryKey: ['studies', 'questionnaire-options', id],
    queryFn: () =>
      api.get<{ items: { code: string; version: number; title: { da: string; en: string }; healthData: boolean }[] }>(`/api/studies/${encodeURIComponent(id)}/questionnaire-options`),
  });
}

export type StudyExport = z.infer<typeof import('../../../contracts/study-exports.ts').StudyExport>;
const BUSY = new Set(['queued', 'running', 'scanning']);

/** The study's exports, newest first; polled every second while one is being made. */
export function useStudyExports(studyId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['studies', 'exports', studyId],
    enabled,
    queryFn: ({ pageParam }) =>
      api.get<{ items: StudyExport[]; nextCursor: string | null }>(`/api/studies/${encodeURIComponent(studyId)}/exports${queryString({ cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((x) => BUSY.has(x.status))) ? 1000 : false),
    retry: false,
  });
}

export type LinkageDelivery = z.infer<typeof import('../../../contracts/linkage-deliveries.ts').LinkageDelivery>;

/** The caller's organisation's register-linkage deliveries of the study; polled every second while one is being made. */
export function useLinkageDeliveries(studyId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['studies', 'linkage', studyId],
    enabled,
    queryFn: ({ pageParam }) =>
      api.get<{ items: LinkageDelivery[]; nextCursor: string | null }>(`/api/studies/${encodeURIComponent(studyId)}/linkage-deliveries${queryString({ cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((x) => x.status === 'queued' || x.status === 'running')) ? 1000 : false),
    retry: false,
  });
}
