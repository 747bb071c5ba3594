// Types and queries of knowledge transfers, disclosures, the dpo's exception list and the municipality's
// health-information panel.
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { DisclosureList, DisclosureRefused, HealthInformation, KnowledgeTransferList } from '../../../contracts/disclosures.ts';
import { api, ApiError } from '../../api/client.ts';
import { isMessageKey, type MessageKey } from '../../i18n/i18n.tsx';

export { QUESTION_CODES, REGION_CATEGORY_CODES, RECIPIENT_ROLES, CHANNELS, EXCEPTION_GROUNDS } from '../../../contracts/disclosure-codes.ts';
export type KnowledgeTransferPage = z.infer<typeof KnowledgeTransferList>;
export type KnowledgeTransfer = KnowledgeTransferPage['items'][number];
export type Disclosure = z.infer<typeof DisclosureList>['items'][number];
export type HealthInfo = z.infer<typeof HealthInformation>;
export type Received = HealthInfo['items'][number];
export type Gap = z.infer<typeof DisclosureRefused>['gaps'][number];

/** Everything of one record sits under the citizen's key, so one invalidation refreshes the page. */
export const knowledgeTransfersKey = (citizenId: string) => ['citizen', citizenId, 'knowledge-transfers'] as const;
export const disclosuresKey = (citizenId: string) => ['citizen', citizenId, 'disclosures'] as const;
export const healthInformationKey = (citizenId: string) => ['citizen', citizenId, 'health-information'] as const;

export function useKnowledgeTransfers(citizenId: string, limit: number) {
  return useQuery({
    queryKey: [...knowledgeTransfersKey(citizenId), limit],
    queryFn: () => api.get<KnowledgeTransferPage>(`/api/citizens/${encodeURIComponent(citizenId)}/knowledge-transfers?limit=${limit}`),
  });
}

export function useDisclosures(citizenId: string) {
  return useQuery({
    queryKey: disclosuresKey(citizenId),
    queryFn: () => api.get<{ items: Disclosure[]; nextCursor: string | null }>(`/api/citizens/${encodeURIComponent(citizenId)}/disclosures?limit=50`),
  });
}

export function useHealthInformation(citizenId: string) {
  return useQuery({
    queryKey: healthInformationKey(citizenId),
    queryFn: () => api.get<HealthInfo>(`/api/citizens/${encodeURIComponent(citizenId)}/health-information?limit=50`),
  });
}

export function useExceptions() {
  return useQuery({ queryKey: ['disclosure-exceptions'], queryFn: () => api.get<{ items: Disclosure[]; nextCursor: string | null }>('/api/disclosures/exceptions?limit=100') });
}

/** The gaps of a refused disclosure (409), or null for any other error. */
export function refusalOf(error: unknown): { error: string; gaps: Gap[] } | null {
  if (!(error instanceof ApiError) || error.status !== 409 || !error.body) return null;
  const body = error.body as unknown as { error: string; gaps?: Gap[] };
  if (body.error !== 'not_covered' && body.error !== 'no_recipient_record') return null;
  return { error: body.error, gaps: body.gaps ?? [] };
}

/** A message key built from a code the server sends; the code itself when the catalogue has no text for it. */
export function label(t: (key: MessageKey) => string, prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}
