// Types and queries of the progression pages for programme managers, the steering group, researchers and
// administrators: the cohort view, the due list, the measurement schedule and the instruments.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { DueListQuery, InstrumentList, Progression, ProgressionConsultants, Schedule, StaffTask } from '../../../contracts/progression.ts';
import { api, queryString } from '../../api/client.ts';

export type ProgressionView = z.infer<typeof Progression>;
export type CellValue = ProgressionView['pairs'];
export type ScheduleView = z.infer<typeof Schedule>;
export type InstrumentSummary = z.infer<typeof InstrumentList>['items'][number];
export type DueItem = z.infer<typeof StaffTask> & { consultant: { id: string; name: string } | null };
type DuePage = { items: DueItem[]; nextCursor: string | null };
type DueFilter = Pick<z.input<typeof DueListQuery>, 'consultantId'>;

const enc = encodeURIComponent;

export function useInstruments() {
  return useQuery({ queryKey: ['instruments'], queryFn: () => api.get<z.infer<typeof InstrumentList>>('/api/instruments'), staleTime: 60_000 });
}

/** Active scored instruments, one per code: the ones a cohort view can be computed on. */
export function scoredActive(items: InstrumentSummary[]): InstrumentSummary[] {
  const seen = new Set<string>();
  return items.filter((i) => i.status === 'active' && i.scored && !seen.has(i.code) && seen.add(i.code));
}

export function useProgression(programmeId: string, instrumentCode: string) {
  return useQuery({
    queryKey: ['progression', programmeId, instrumentCode],
    queryFn: () => api.get<ProgressionView>(`/api/programmes/${enc(programmeId)}/progression${queryString({ instrumentCode })}`),
    enabled: !!programmeId && !!instrumentCode,
  });
}

export const CONSULTANT_PAGE_SIZE = 50;

/** The figures per consultant (programme manager only), a page at a time in name order. */
export function useCohortConsultants(programmeId: string, instrumentCode: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['progression-consultants', programmeId, instrumentCode],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api.get<z.infer<typeof ProgressionConsultants>>(
        `/api/programmes/${enc(programmeId)}/progression/consultants${queryString({ instrumentCode, cursor: pageParam, limit: CONSULTANT_PAGE_SIZE })}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: enabled && !!programmeId && !!instrumentCode,
  });
}

export const DUE_PAGE_SIZE = 25;

export function useDueList(programmeId: string, filter: DueFilter) {
  return useInfiniteQuery({
    queryKey: ['measurements-due', programmeId, filter.consultantId ?? ''],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api.get<DuePage>(`/api/programmes/${enc(programmeId)}/measurements-due${queryString({ consultantId: filter.consultantId, cursor: pageParam, limit: DUE_PAGE_SIZE })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useSchedule(programmeId: string) {
  return useQuery({ queryKey: ['measurement-schedule', programmeId], queryFn: () => api.get<ScheduleView>(`/api/programmes/${enc(programmeId)}/measurement-schedule`) });
}
