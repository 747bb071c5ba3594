// Types and queries shared by the citizen pages: the citizen, its notes and timeline, code lists, programme staff.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Caseload as CaseloadSchema,
  CitizenDetail,
  CodeValue as CodeValueSchema,
  Note,
  StatusPeriod as StatusPeriodSchema,
  TimelineItem as TimelineItemSchema,
  TeamMember as TeamMemberSchema,
} from '../../../contracts/citizens.ts';
import type { ProgrammeList, ProgrammeStaff } from '../../../contracts/programmes.ts';
import type { CodeRef } from '../../../contracts/common.ts';
import { api, queryString } from '../../api/client.ts';
import type { Language } from '../../i18n/i18n.tsx';

export type { CitizenDetail, Note };
export type CodeValue = z.infer<typeof CodeValueSchema>;
export type StatusPeriod = z.infer<typeof StatusPeriodSchema>;
export type TimelineItem = z.infer<typeof TimelineItemSchema>;
export type TeamMember = z.infer<typeof TeamMemberSchema>;
export type Caseload = z.infer<typeof CaseloadSchema>;
export type CodeListName = 'visitation' | 'benefit' | 'exit_outcome' | 'referral_source';
export type Programmes = z.infer<typeof ProgrammeList>;

export const citizenKey = (id: string) => ['citizen', id] as const;

export function useCitizen(id: string) {
  return useQuery({ queryKey: citizenKey(id), queryFn: () => api.get<CitizenDetail>(`/api/citizens/${encodeURIComponent(id)}`) });
}

const NOTES_PAGE = 20;

/** The citizen's notes a page at a time, newest first ("Vis flere" loads the next page). */
export function useNotes(id: string) {
  return useInfiniteQuery({
    queryKey: ['citizen', id, 'notes'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api.get<{ items: Note[]; nextCursor: string | null }>(`/api/citizens/${encodeURIComponent(id)}/notes${queryString({ cursor: pageParam, limit: NOTES_PAGE })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** A code list as valid on the date the data is about, so ended codes are not offered for new data. */
export function useCodeList(list: CodeListName, on: string | null, includeEnded = false) {
  return useQuery({
    queryKey: ['code-list', list, on, includeEnded],
    queryFn: () => api.get<{ items: CodeValue[] }>(`/api/code-lists/${list}${queryString({ on: on ?? undefined, includeEnded: includeEnded ? 'true' : undefined })}`),
    enabled: on !== null,
    staleTime: 60_000,
  });
}

export function useProgrammes() {
  return useQuery({ queryKey: ['programmes'], queryFn: () => api.get<Programmes>('/api/programmes') });
}

export function useProgrammeStaff(programmeId: string) {
  return useQuery({
    queryKey: ['programme', programmeId, 'staff'],
    queryFn: () => api.get<ProgrammeStaff>(`/api/programmes/${encodeURIComponent(programmeId)}/staff`),
    enabled: !!programmeId,
    staleTime: 60_000,
  });
}

export const codeLabel = (language: Language, ref: CodeRef | null | undefined): string | null => (ref ? ref.label[language] : null);

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The current enrolment: an open one first (active, paused, referred), else the latest. */
export function currentEnrolment(citizen: CitizenDetail) {
  const open = citizen.enrolments.filter((e) => e.status !== 'ended');
  const pool = open.length > 0 ? open : citizen.enrolments;
  return [...pool].sort((a, b) => b.startDate.localeCompare(a.startDate))[0] ?? null;
}
