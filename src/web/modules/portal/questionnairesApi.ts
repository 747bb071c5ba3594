// The portal's Spørgeskemaer calls: the questionnaires due (any level), the answer, and at level "substantial" the
// progression and the earlier answers.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { PortalAnswerHistory, PortalAnswerReceipt, PortalProgression, PortalQuestionnaireList } from '../../../contracts/portal-questionnaires.ts';
import { api } from '../../api/client.ts';

export const PORTAL_QUESTIONNAIRES_KEY = ['portal', 'questionnaires'] as const;

export function useDueQuestionnaires() {
  return useQuery({ queryKey: [...PORTAL_QUESTIONNAIRES_KEY, 'due'], queryFn: () => api.get<PortalQuestionnaireList>('/api/portal/questionnaires', { quiet401: true }) });
}

export function usePortalProgression() {
  return useQuery({ queryKey: [...PORTAL_QUESTIONNAIRES_KEY, 'progression'], queryFn: () => api.get<PortalProgression>('/api/portal/questionnaires/progression', { quiet401: true }) });
}

export function useAnswerHistory() {
  return useInfiniteQuery({
    queryKey: [...PORTAL_QUESTIONNAIRES_KEY, 'history'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.get<PortalAnswerHistory>(`/api/portal/questionnaires/history?limit=10${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`, { quiet401: true }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export const questionnairesApi = {
  answer: (csrf: string, id: string, body: { instrumentVersion: number; answers: Record<string, number> }) =>
    api.post<PortalAnswerReceipt>(`/api/portal/questionnaires/${id}/answers`, body, { quiet401: true, csrf }),
};
