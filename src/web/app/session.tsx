// The logged-in user: loaded once from /api/auth/session (200 whether or not anybody is logged in, so a logged-out
// visit logs no error), replaced on login, cleared on logout or any 401.
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { LoginResponse, SessionResponse, SessionUser } from '../../contracts/auth.ts';
import type { RoleName } from '../../contracts/common.ts';
import { ORGANISATION_ROLES } from '../../contracts/roles.ts';
import { api, setCsrfToken, setStaffSessionEnded } from '../api/client.ts';

export const SESSION_KEY = ['session'] as const;

const CHANNEL = 'bindeled.session';

/** Everything cached for a user: it goes whenever the user changes. */
function forgetUserData(client: QueryClient): void {
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
}

async function loadSession(client: QueryClient): Promise<SessionResponse> {
  const session = await api.get<SessionResponse>('/api/auth/session');
  setCsrfToken(session.csrfToken ?? null);
  setStaffSessionEnded(!session.user);
  // Somebody else logged in (or out) in another tab: this tab now speaks with their cookie.
  const before = client.getQueryData<SessionResponse>(SESSION_KEY);
  if (before && before.user?.id !== session.user?.id) forgetUserData(client);
  return session;
}

export function useSession() {
  const client = useQueryClient();
  return useQuery({ queryKey: SESSION_KEY, queryFn: () => loadSession(client), staleTime: Infinity, retry: false });
}

/** Tells the other tabs of this browser that the user changed, so they ask the server who is logged in now. */
function announceSessionChange(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage('changed');
  channel.close();
}

/** Follows logins and logouts made in other tabs; returns the clean-up for an effect. */
export function followSessionChanges(client: QueryClient): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = () => void client.invalidateQueries({ queryKey: SESSION_KEY });
  return () => channel.close();
}

/** Whether the server runs in demo mode (false until the session is known). */
export function useDemoMode(): boolean {
  return useSession().data?.demo ?? false;
}

/** The user of a page that is only rendered behind RequireSession. */
export function useUser(): SessionUser {
  const { data } = useSession();
  if (!data?.user) throw new Error('useUser outside a logged-in page');
  return data.user;
}

export function useSignIn() {
  const client = useQueryClient();
  return (session: LoginResponse) => {
    setCsrfToken(session.csrfToken);
    setStaffSessionEnded(false);
    // Nothing cached for the previous user may leak into the next one's pages.
    forgetUserData(client);
    client.setQueryData<SessionResponse>(SESSION_KEY, (old) => ({ ...session, demo: old?.demo ?? false }));
    announceSessionChange();
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
  setStaffSessionEnded(true);
  client.setQueryData<SessionResponse>(SESSION_KEY, (old) => ({ user: null, demo: old?.demo ?? false }));
  forgetUserData(client);
  announceSessionChange();
}

/** Roles with a caseload of their own: they land on "Mine borgere". The liaison's are the region's own records of its patients. */
const CASE_ROLES: readonly RoleName[] = ['resource_consultant', 'caseworker', 'job_consultant', 'liaison'];
const SEARCH_PREFIX = 'bindeled.search.';

/** A remembered search (it may hold a CPR number) lives in this tab only, per user, and goes with the session. */
export function searchStorageKey(userId: string, list: string): string {
  return `${SEARCH_PREFIX}${userId}.${list}`;
}

/**
 * Search texts (which may be CPR numbers) by search key: in this tab's memory only, never in storage, and
 * forgotten when the session ends.
 */
export const rememberedSearchText = new Map<string, string>();

function forgetRememberedSearches(): void {
  rememberedSearchText.clear();
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
  /**
   * "Min dag" and "Kalender": the municipal case staff's conversations, meetings and sessions. Not the region's
   * liaison, whose work has its own pages (the inquiry queue is the home) and who holds no municipal activities.
   */
  myDay: boolean;
  /** "Ny borger": the municipal case staff and programme managers (citizen:create); not the region's liaison. */
  createCitizens: boolean;
  /** "Borgere": every citizen of the programme (programme manager). */
  allCitizens: boolean;
  citizens: boolean;
  caseloads: boolean;
  codeLists: boolean;
  /** "Måleredskaber": the organisation's instruments, upload, import and approval (instrument:manage, admin). */
  instruments: boolean;
  /** The organisation's company register (company:read: case staff in a programme). */
  companies: boolean;
  /** "Henvendelser": the liaison's queue (home), or the inquiries municipal case staff sent (inquiry:ask). */
  inquiries: boolean;
  /** "Mine patienter i forløb": the clinician's home. */
  clinicianPatients: boolean;
  /** "Virksomhedsmøder": company meetings the region's liaison attended (company-meeting:record). */
  companyMeetings: boolean;
  /** "Undersøgelser": research agreements (programme managers, dpos, researchers; the server decides which). */
  studies: boolean;
  /** "Indsigtsanmodninger": access requests of the citizens on the user's team, or the dpo's whole queue. */
  accessRequests: boolean;
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
    myDay: user.roles.some((r) => r.role !== 'liaison' && CASE_ROLES.includes(r.role) && r.programmeId),
    createCitizens: user.roles.some((r) => r.programmeId && ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'].includes(r.role)),
    allCitizens,
    // The region's liaison and clinician open the region's records of their patients (and, for the liaison, the
    // consented view of the municipal record).
    citizens: myCitizens || allCitizens || user.roles.some((r) => (r.role === 'clinician' || r.role === 'liaison') && r.programmeId),
    caseloads: allCitizens,
    codeLists: user.roles.some((r) => r.role === 'admin'),
    instruments: user.roles.some((r) => r.role === 'admin'),
    companies: user.roles.some((r) => r.programmeId && ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'].includes(r.role)),
    inquiries: user.roles.some((r) => r.programmeId && ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager', 'liaison'].includes(r.role)),
    clinicianPatients: user.roles.some((r) => r.role === 'clinician' && r.programmeId),
    companyMeetings: user.roles.some((r) => r.role === 'liaison' && r.programmeId),
    studies: user.roles.some((r) => r.role === 'dpo' || r.role === 'researcher' || (r.role === 'programme_manager' && r.programmeId)),
    accessRequests: user.roles.some((r) => r.role === 'dpo' || (r.programmeId && ['resource_consultant', 'caseworker', 'job_consultant', 'liaison', 'clinician'].includes(r.role))),
    programmeIds,
    managedProgrammeIds,
  };
}

/** Where a role lands after login (PRODUCT.md: each role's home answers "what do I do now?"). */
export function homePathOf(user: SessionUser): string {
  const can = capabilitiesOf(user);
  // "Min dag" answers the resource consultant's "what do I do now?".
  if (user.roles.some((r) => r.role === 'resource_consultant' && r.programmeId)) return '/my-day';
  // The liaison lands on "Henvendelser", the clinician on "Mine patienter i forløb" (issue 10).
  if (user.roles.some((r) => r.role === 'liaison' && r.programmeId)) return '/inquiries';
  if (can.clinicianPatients) return '/my-patients';
  if (can.myCitizens) return '/citizens';
  // The researcher's "Dataudtræk": their studies (and, with them, their exports).
  if (user.roles.some((r) => r.role === 'researcher')) return '/studies';
  if (can.programmes) return can.programmeIds.length === 1 ? `/programmes/${can.programmeIds[0]}` : '/programmes';
  if (can.users) return '/users';
  if (can.log) return '/log';
  return '/password';
}
