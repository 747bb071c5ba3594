// Access requests on the staff side: the queue and one case, and their keys.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AccessCase, AccessQueue } from '../../../contracts/access-requests.ts';
import { api, queryString } from '../../api/client.ts';

export type { AccessCase, AccessQueue };
export const ACCESS_REQUESTS_KEY = ['access-requests'] as const;
export const accessCaseKey = (id: string) => ['access-requests', 'one', id] as const;

export function useAccessQueue(released: boolean) {
  return useInfiniteQuery({
    queryKey: [...ACCESS_REQUESTS_KEY, 'queue', released],
    queryFn: ({ pageParam }) => api.get<AccessQueue>(`/api/access-requests${queryString({ cursor: pageParam, limit: 50, released: String(released) })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One case; while its package is being made, asked again every second so the progress moves. */
export function useAccessCase(id: string) {
  return useQuery({
    queryKey: accessCaseKey(id),
    queryFn: () => api.get<AccessCase>(`/api/access-requests/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (q.state.data && (q.state.data.package.state === 'queued' || q.state.data.package.state === 'running') ? 1000 : false),
  });
}
