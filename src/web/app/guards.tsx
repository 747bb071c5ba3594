// Route guards: the 401 handler, "logged in?", "may this role use this page?", and the role's home.
import { useEffect, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { setUnauthorisedHandler } from '../api/client.ts';
import { capabilitiesOf, endSession, homePathOf, useSession, useUser, type Capabilities } from './session.tsx';
import { Loading, QueryError } from './feedback.tsx';
import { NotFoundPage } from './ErrorPage.tsx';

/** Top of the tree: any 401 from the API ends the session here and sends the user to login, keeping where they were. */
export function Root() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();

  useEffect(() => {
    setUnauthorisedHandler(() => {
      endSession(client);
      navigate('/login', { replace: true, state: { from: location.pathname + location.search, expired: true } });
    });
    return () => setUnauthorisedHandler(null);
  }, [client, navigate, location.pathname, location.search]);

  return <Outlet />;
}

export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) return <QueryError error={session.error} />;
  if (!session.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

export function RequireCapability({ capability, children }: { capability: keyof Omit<Capabilities, 'programmeIds'>; children: ReactNode }) {
  const user = useUser();
  // A page the role may not use looks like one that does not exist, as the server answers for others' data.
  if (!capabilitiesOf(user)[capability]) return <NotFoundPage />;
  return children;
}

export function HomeRedirect() {
  return <Navigate to={homePathOf(useUser())} replace />;
}
