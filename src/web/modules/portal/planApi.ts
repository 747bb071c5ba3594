// The portal's Min plan and Mine aftaler calls, sent with the portal session's CSRF token.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { PortalPlan } from '../../../contracts/portal.ts';
import type { PortalAppointmentList, PortalFeedCreated, PortalFeedState, PortalTaskComment, PortalTaskDone } from '../../../contracts/portal-plan.ts';
import { api } from '../../api/client.ts';

export const PORTAL_PLAN_KEY = ['portal', 'plan'] as const;
export const PORTAL_APPOINTMENTS_KEY = ['portal', 'appointments'] as const;
export const PORTAL_FEED_KEY = ['portal', 'calendar-feed'] as const;

export function usePortalPlan() {
  return useQuery({ queryKey: PORTAL_PLAN_KEY, queryFn: () => api.get<PortalPlan>('/api/portal/plan', { quiet401: true }) });
}

export function usePortalAppointments() {
  return useInfiniteQuery({
    queryKey: PORTAL_APPOINTMENTS_KEY,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<PortalAppointmentList>(`/api/portal/appointments?limit=10${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`, { quiet401: true }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function usePortalFeed() {
  return useQuery({ queryKey: PORTAL_FEED_KEY, queryFn: () => api.get<PortalFeedState>('/api/portal/calendar-feed', { quiet401: true }) });
}

export const planApi = {
  markDone: (csrf: string, taskId: string) => api.post<PortalTaskDone>(`/api/portal/tasks/${taskId}/done`, {}, { quiet401: true, csrf }),
  comment: (csrf: string, taskId: string, text: string) => api.post<PortalTaskComment>(`/api/portal/tasks/${taskId}/comments`, { text }, { quiet401: true, csrf }),
  createFeed: (csrf: string) => api.post<PortalFeedCreated>('/api/portal/calendar-feed', {}, { quiet401: true, csrf }),
  stopFeed: (csrf: string) => api.delete<void>('/api/portal/calendar-feed', { quiet401: true, csrf }),
};
