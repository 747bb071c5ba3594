// HTTP routes for login, logout, the current session and password change.
import { z } from 'zod';
import { ChangePasswordRequest, LoginRequest, LoginResponse, MeResponse, SessionResponse } from '../../../contracts/auth.ts';
import { ErrorBody } from '../../../contracts/common.ts';
import { clearSessionCookie, requireSession, sessionTokenOf, setSessionCookie, type AppDeps, type TypedApp } from '../http.ts';
import { changePassword, login, logout } from './auth.service.ts';

export function authRoutes(app: TypedApp, deps: AppDeps): void {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; sets the session cookie',
        body: LoginRequest,
        response: { 200: LoginResponse, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await login(deps.db, {
        ...request.body,
        previousSessionToken: sessionTokenOf(request, deps.config),
        address: request.ip,
        demoMode: deps.config.demo,
      });
      setSessionCookie(reply, result.sessionToken, deps.config.cookieSecure);
      return { user: result.user, csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the session', response: { 204: z.null(), 401: ErrorBody } } },
    async (request, reply) => {
      await logout(deps.db, requireSession(request));
      clearSessionCookie(reply, deps.config.cookieSecure);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['auth'], summary: 'The logged-in user and the CSRF token', response: { 200: MeResponse, 401: ErrorBody } } },
    async (request) => {
      const session = requireSession(request);
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );

  app.get(
    '/api/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user and the CSRF token, or user null when nobody is logged in (always 200, for the UI)',
        response: { 200: SessionResponse },
      },
    },
    async (request) => {
      const session = request.session;
      return session ? { user: session.user, csrfToken: session.csrfToken, demo: deps.config.demo } : { user: null, demo: deps.config.demo };
    },
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change the own password (at least 12 characters, not containing the own name); ends other sessions',
        body: ChangePasswordRequest,
        response: { 204: z.null(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      await changePassword(deps.db, requireSession(request), request.body);
      return reply.code(204).send(null);
    },
  );
}
