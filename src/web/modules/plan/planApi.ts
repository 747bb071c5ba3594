// Types and queries of the plan, network meetings and conversations, shared by the citizen page and the print view.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ConversationList, MeetingList, Plan, PlanHistory } from '../../../contracts/plan.ts';
import { api, queryString } from '../../api/client.ts';

export type PlanData = z.infer<typeof Plan>;
export type PlanGoal = PlanData['goals'][number];
export type PlanTask = PlanData['tasks'][number];
export type Meeting = z.infer<typeof MeetingList>['items'][number];
export type Conversation = z.infer<typeof ConversationList>['items'][number];
export type PlanRevision = z.infer<typeof PlanHistory>['items'][number];

export const LIFE_AREAS = ['work', 'education', 'health', 'everyday_life', 'finances', 'network', 'housing'] as const;
export const GOAL_STATUSES = ['active', 'achieved', 'changed', 'dropped'] as const;
export const MEETING_PLACES = ['office', 'jobcentre', 'citizen_home', 'company', 'psychiatry', 'video', 'other'] as const;
export const CONVERSATION_PLACES = ['walk_and_talk', 'conversation_room', 'library', 'drop_in_centre', 'citizen_home', 'phone_video', 'other'] as const;
export const CONSENT_TOPICS = ['work', 'education', 'health', 'everyday_life', 'finances', 'network', 'housing', 'practical_support'] as const;

/** Under the citizen's key, so every change on the citizen page refreshes the plan too. */
export const planKey = (citizenId: string, enrolmentId?: string) => ['citizen', citizenId, 'plan', enrolmentId ?? 'current'] as const;

export function usePlan(citizenId: string, enrolmentId?: string) {
  return useQuery({ queryKey: planKey(citizenId, enrolmentId), queryFn: () => api.get<PlanData>(`/api/citizens/${encodeURIComponent(citizenId)}/plan${queryString({ enrolmentId })}`) });
}

export function usePlanHistory(citizenId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['citizen', citizenId, 'plan-history'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.get<{ items: PlanRevision[]; nextCursor: string | null }>(`/api/citizens/${encodeURIComponent(citizenId)}/plan/history${queryString({ cursor: pageParam, limit: 10 })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useConversations(citizenId: string) {
  return useInfiniteQuery({
    queryKey: ['citizen', citizenId, 'conversations'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.get<{ items: Conversation[]; nextCursor: string | null }>(`/api/citizens/${encodeURIComponent(citizenId)}/conversations${queryString({ cursor: pageParam, limit: 10 })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * The moment at which it is `time` (HH:MM) on `date` (YYYY-MM-DD) in Copenhagen, as an ISO string: what the
 * user types is always Danish wall-clock time, whatever the browser's own time zone.
 */
export function copenhagenToIso(date: string, time: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let at = wall;
  // Twice: the offset at the first guess may differ by an hour from the offset at the answer (around a DST change).
  for (let i = 0; i < 2; i++) at = wall - offsetAt(at);
  return new Date(at).toISOString();
}

const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

function offsetAt(ms: number): number {
  const p = parts.formatToParts(new Date(ms));
  const get = (type: string) => Number(p.find((x) => x.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(ms / 1000) * 1000;
}

export const isTime = (v: string) => /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(v);
