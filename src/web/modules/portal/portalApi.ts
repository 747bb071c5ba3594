// The citizen portal's calls: its own session (apart from the staff one), sent with its own CSRF token.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CodeRequested, PortalLoginResponse, PortalLogoutResponse, PortalSessionResponse, PortalSummary } from '../../../contracts/portal.ts';
import { api } from '../../api/client.ts';

export const PORTAL_SESSION_KEY = ['portal', 'session'] as const;
export const PORTAL_SUMMARY_KEY = ['portal', 'summary'] as const;

export function usePortalSession() {
  return useQuery({
    queryKey: PORTAL_SESSION_KEY,
    queryFn: () => api.get<PortalSessionResponse>('/api/portal/session', { quiet401: true }),
    staleTime: Infinity,
    retry: false,
  });
}

export function usePortalSummary(enabled: boolean) {
  return useQuery({ queryKey: PORTAL_SUMMARY_KEY, queryFn: () => api.get<PortalSummary>('/api/portal/summary', { quiet401: true }), enabled });
}

export const portalApi = {
  // No session yet: no CSRF token is sent (not even the staff one of this browser).
  requestCode: (contact: string) => api.post<CodeRequested>('/api/portal/login/code', { contact }, { quiet401: true, csrf: null }),
  login: (body: { contact: string; code: string; birthDate?: string }) => api.post<PortalLoginResponse>('/api/portal/login', body, { quiet401: true, csrf: null }),
  logout: (csrf: string) => api.post<PortalLogoutResponse>('/api/portal/logout', {}, { quiet401: true, csrf }),
};

/** After logging out: nobody is logged in (the limited view goes first, so it asks for nothing more), and its data is forgotten. */
export function useForgetPortal() {
  const client = useQueryClient();
  return () => {
    client.setQueryData<PortalSessionResponse>(PORTAL_SESSION_KEY, (old) => ({ citizen: null, assurance: null, demo: old?.demo ?? false, mitid: old?.mitid ?? false }));
    client.removeQueries({ queryKey: PORTAL_SUMMARY_KEY });
  };
}

/** Forgets everything the portal loaded, and asks the server who is logged in now. */
export function useRefreshPortal() {
  const client = useQueryClient();
  return async () => {
    client.removeQueries({ queryKey: PORTAL_SUMMARY_KEY });
    await client.invalidateQueries({ queryKey: PORTAL_SESSION_KEY });
  };
}
