// The logged-in user: loaded once from /api/auth/me, replaced on login, cleared on logout or any 401.
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { LoginResponse, SessionUser } from '../../contracts/auth.ts';
import type { RoleName } from '../../contracts/common.ts';
import { ORGANISATION_ROLES } from '../../contracts/roles.ts';
import { api, ApiError, setCsrfToken } from '../api/client.ts';

export const SESSION_KEY = ['session'] as const;

async function loadSession(): Promise<LoginResponse | null> {
  try {
    const session = await api.get<LoginResponse>('/api/auth/me', { quiet401: true });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: loadSession, staleTime: Infinity, retry: false });
}

/** The user of a page that is only rendered behind RequireSession. */
export function useUser(): SessionUser {
  const { data } = useSession();
  if (!data) throw new Error('useUser outside a logged-in page');
  return data.user;
}

export function useSignIn() {
  const client = useQueryClient();
  return (session: LoginResponse) => {
    setCsrfToken(session.csrfToken);
    // Nothing cached for the previous user may leak into the next one's pages.
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
    client.setQueryData(SESSION_KEY, session);
  };
}

export type SessionEndReason = 'loggedOut' | 'expired';
let endReason: SessionEndReason | null = null;

/** Why the last session ended, for the login page (route state would be lost in the redirect). */
export function sessionEndReason(): SessionEndReason | null {
  return endReason;
}

export function forgetSessionEndReason(): void {
  endReason = null;
}

/** Forgets the user in this tab; RequireSession then sends them to login, remembering the page they were on. */
export function endSession(client: QueryClient, reason: SessionEndReason): void {
  endReason = reason;
  forgetRememberedSearches();
  setCsrfToken(null);
  client.setQueryData(SESSION_KEY, null);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
}

/** Roles with a caseload of their own: they land on "Mine borgere". */
const CASE_ROLES: readonly RoleName[] = ['resource_consultant', 'caseworker', 'job_consultant'];
const SEARCH_PREFIX = 'bindeled.search.';

/** A remembered search (it may hold a CPR number) lives in this tab only, per user, and goes with the session. */
export function searchStorageKey(userId: string, list: string): string {
  return `${SEARCH_PREFIX}${userId}.${list}`;
}

function forgetRememberedSearches(): void {
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(SEARCH_PREFIX)) sessionStorage.removeItem(key);
  } catch {
    // Storage blocked: nothing was remembered.
  }
}

export type Capabilities = {
  programmes: boolean;
  users: boolean;
  log: boolean;
  /** "Mine borgere": the own caseload (resource consultant, caseworker, job consultant). */
  myCitizens: boolean;
  /** "Borgere": every citizen of the programme (programme manager). */
  allCitizens: boolean;
  citizens: boolean;
  caseloads: boolean;
  codeLists: boolean;
  programmeIds: string[];
  managedProgrammeIds: string[];
};

export type Capability = { [K in keyof Capabilities]: Capabilities[K] extends boolean ? K : never }[keyof Capabilities];

/** What the navigation offers: the same rules the server enforces, so nobody sees a link that would answer 403. */
export function capabilitiesOf(user: SessionUser): Capabilities {
  const programmeIds = [...new Set(user.roles.filter((r) => !ORGANISATION_ROLES.includes(r.role) && r.programmeId).map((r) => r.programmeId!))];
  const managedProgrammeIds = [...new Set(user.roles.filter((r) => r.role === 'programme_manager' && r.programmeId).map((r) => r.programmeId!))];
  const myCitizens = user.roles.some((r) => CASE_ROLES.includes(r.role) && r.programmeId);
  const allCitizens = managedProgrammeIds.length > 0;
  return {
    programmes: programmeIds.length > 0,
    users: user.roles.some((r) => r.role === 'admin'),
    log: user.roles.some((r) => r.role === 'dpo'),
    myCitizens,
    allCitizens,
    citizens: myCitizens || allCitizens,
    caseloads: allCitizens,
    codeLists: user.roles.some((r) => r.role === 'admin'),
    programmeIds,
    managedProgrammeIds,
  };
}

/** Where a role lands after login (PRODUCT.md: each role's home answers "what do I do now?"). */
export function homePathOf(user: SessionUser): string {
  const can = capabilitiesOf(user);
  if (can.myCitizens) return '/citizens';
  if (can.programmes) return can.programmeIds.length === 1 ? `/programmes/${can.programmeIds[0]}` : '/programmes';
  if (can.users) return '/users';
  if (can.log) return '/log';
  return '/password';
}
