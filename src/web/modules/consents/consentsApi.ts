// Types and queries of consents, the forms, withdrawal and the liaison's shared access, for the citizen page,
// the printable copy and the shared record view.
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Consent, ConsentFormList, CreateConsentsResponse, MunicipalRecords, SharedRecord, WithdrawConsentResponse } from '../../../contracts/consents.ts';
import type { ProgrammeDetail } from '../../../contracts/programmes.ts';
import { api } from '../../api/client.ts';

export type ConsentView = Consent;
export type ConsentFormView = z.infer<typeof ConsentFormList>['items'][number];
export type Created = z.infer<typeof CreateConsentsResponse>;
export type Withdrawn = z.infer<typeof WithdrawConsentResponse>;
export type MunicipalRecordList = z.infer<typeof MunicipalRecords>;
export type SharedRecordView = SharedRecord;
export type ProgrammeFacts = z.infer<typeof ProgrammeDetail>;

export const REGION_CATEGORIES = ['treatment_summary', 'work_considerations', 'support_needs', 'work_medication', 'crisis_plan', 'treatment_attendance', 'progression_measurements'] as const;
export const MUNICIPAL_CATEGORIES = ['municipal_plan', 'activities', 'notes', 'progression_measurements'] as const;
export const MUNICIPAL_ROLES = ['caseworker', 'resource_consultant', 'job_consultant', 'programme_manager'] as const;
export const REGION_ROLES = ['liaison', 'clinician'] as const;

/** Under the citizen's key, so a change on the citizen page refreshes the consents too. */
export const consentsKey = (citizenId: string) => ['citizen', citizenId, 'consents'] as const;

export function useConsents(citizenId: string) {
  return useQuery({
    queryKey: consentsKey(citizenId),
    queryFn: () => api.get<{ items: ConsentView[]; nextCursor: string | null }>(`/api/citizens/${encodeURIComponent(citizenId)}/consents?limit=100`),
    retry: false,
  });
}

export function useConsentForms() {
  return useQuery({ queryKey: ['consent-forms'], queryFn: () => api.get<{ items: ConsentFormView[] }>('/api/consent-forms'), staleTime: 10 * 60_000 });
}

export function useProgrammeFacts(programmeId: string | null) {
  return useQuery({
    queryKey: ['programme', programmeId],
    queryFn: () => api.get<ProgrammeFacts>(`/api/programmes/${encodeURIComponent(programmeId ?? '')}`),
    enabled: !!programmeId,
  });
}

export function useMunicipalRecords(regionCitizenId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['citizen', regionCitizenId, 'municipal-records'],
    queryFn: () => api.get<MunicipalRecordList>(`/api/citizens/${encodeURIComponent(regionCitizenId)}/municipal-records`),
    enabled,
    retry: false,
  });
}

export function useSharedRecord(municipalCitizenId: string) {
  // Never cached: consent is checked on every read, so the view asks again each time it is opened.
  return useQuery({
    queryKey: ['shared-record', municipalCitizenId],
    queryFn: () => api.get<SharedRecordView>(`/api/citizens/${encodeURIComponent(municipalCitizenId)}/shared-record`),
    retry: false,
    gcTime: 0,
    staleTime: 0,
  });
}
