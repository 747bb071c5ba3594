// The portal's "Forskning" calls (level "substantial"): the research questionnaires asked of me, my answer, "nej tak"
// and deleting my answers.
import { useQuery } from '@tanstack/react-query';
import type { PortalResearchList, PortalResearchReceipt } from '../../../contracts/portal-research.ts';
import { api } from '../../api/client.ts';

export const PORTAL_RESEARCH_KEY = ['portal', 'research'] as const;

export function usePortalResearch() {
  return useQuery({ queryKey: PORTAL_RESEARCH_KEY, queryFn: () => api.get<PortalResearchList>('/api/portal/research', { quiet401: true }) });
}

export const researchApi = {
  answer: (csrf: string, id: string, answers: Record<string, number>) => api.post<PortalResearchReceipt>(`/api/portal/research/${id}/answers`, { answers }, { quiet401: true, csrf }),
  decline: (csrf: string, id: string) => api.post<PortalResearchReceipt>(`/api/portal/research/${id}/decline`, undefined, { quiet401: true, csrf }),
  withdraw: (csrf: string, id: string) => api.delete<PortalResearchReceipt>(`/api/portal/research/${id}/answers`, { quiet401: true, csrf }),
};
