// Route guards: the 401 handler, "logged in?", "may this role use this page?", and the role's home.
import { Fragment, useEffect, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { setUnauthorisedHandler } from '../api/client.ts';
import { capabilitiesOf, endSession, followSessionChanges, homePathOf, sessionEndReason, useSession, useUser, type Capability } from './session.tsx';
import { Loading, QueryError } from './feedback.tsx';
import { NotFoundPage } from './ErrorPage.tsx';

/**
 * Top of the tree: any 401 from the API ends the session; RequireSession then shows login, keeping the page. A login or
 * logout in another tab of the same browser (which shares the cookie) is followed here too.
 */
export function Root() {
  const client = useQueryClient();
  useEffect(() => {
    setUnauthorisedHandler(() => endSession(client, 'expired'));
    return () => setUnauthorisedHandler(null);
  }, [client]);
  useEffect(() => followSessionChanges(client), [client]);

  return <Outlet />;
}

export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) return <QueryError error={session.error} />;
  // After an expiry or a deep link, login returns here; after logging out, the next person starts at their own home.
  if (!session.data.user) return <Navigate to="/login" replace state={sessionEndReason() === 'loggedOut' ? null : { from: location.pathname + location.search }} />;
  // A password an administrator set is temporary: the user chooses their own before anything else.
  if (session.data.user.passwordChangeRequired && location.pathname !== '/password') return <Navigate to="/password" replace />;
  // Keyed by the user: after a change of user nothing of the earlier user's pages (component state, forms) survives.
  return <Fragment key={session.data.user.id}>{children}</Fragment>;
}

export function RequireCapability({ capability, children }: { capability: Capability; children: ReactNode }) {
  const user = useUser();
  // A page the role may not use looks like one that does not exist, as the server answers for others' data.
  if (!capabilitiesOf(user)[capability]) return <NotFoundPage />;
  return children;
}

export function HomeRedirect() {
  return <Navigate to={homePathOf(useUser())} replace />;
}
