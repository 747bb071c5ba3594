// HTTP routes of the citizen portal (its own session realm, see portal.session.ts), the staff side of it (the
// invitation and the portal status on the citizen page), and the demo outbox page.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import {
  CodeRequest,
  CodeRequested,
  InvitationResponse,
  MitIdCallbackQuery,
  PortalLoginRequest,
  PortalLoginResponse,
  PortalLogoutResponse,
  PortalPlan,
  PortalSessionResponse,
  PortalStatus,
  PortalSummary,
} from '../../../contracts/portal.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import type { Delivery } from './delivery.ts';
import { brokerLogoutUrl, finishLogin, MITID_CALLBACK_ROUTE, MITID_LOGIN_ROUTE, mitIdCookieName, mitIdCookieOptions, portalWith, startLogin, type MitIdDeps } from './mitid.ts';
import { outboxPage } from './outbox.page.ts';
import { clearPortalCookie, portalCookieName, requirePortalSession, setPortalCookie } from './portal.session.ts';
import * as service from './portal.service.ts';

const PORTAL_SESSION = [{ portalSession: [] }];
const PORTAL_SESSION_CSRF = [{ portalSession: [], csrf: [] }];
const Params = z.object({ id: Id });

export function portalRoutes(app: TypedApp, deps: AppDeps, delivery: Delivery): void {
  const portal: service.PortalDeps = {
    db: deps.db,
    delivery,
    secret: deps.config.sessionSecret,
    publicUrl: deps.config.publicUrl ?? 'http://localhost:3000',
  };

  app.post(
    '/api/citizens/:id/portal-invitation',
    {
      schema: {
        tags: ['portal'],
        summary: "Invite the citizen to the portal (Min plan) through the contact details on this record; staff on the citizen's team",
        params: Params,
        response: { 200: InvitationResponse, 404: ErrorBody, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => service.invite(portal, requireSession(request).actor, request.params.id),
  );

  app.get(
    '/api/citizens/:id/portal-invitation',
    {
      schema: {
        tags: ['portal'],
        summary: 'The portal status of this record: not invited, invited (when), has logged in; and which contact details are usable',
        params: Params,
        response: { 200: PortalStatus, 404: ErrorBody },
      },
    },
    async (request) => service.portalStatus(deps.db, requireSession(request).actor, request.params.id),
  );

  const mitid: MitIdDeps = {
    db: deps.db,
    settings: () => deps.config.mitid,
    cprKey: deps.config.cprKey,
    publicUrl: deps.config.publicUrl ?? 'http://localhost:3000',
    log: app.log,
  };
  const mitidCookie = mitIdCookieName(deps.config.cookieSecure);
  const Redirect = z.null().describe('A redirect (Location): no body');

  app.get(
    MITID_LOGIN_ROUTE,
    {
      schema: {
        tags: ['portal'],
        summary: "Log in with MitID: a redirect to the broker's login (authorization code with PKCE); to /portal?login=unavailable when MitID is not set up",
        security: [],
        response: { 302: Redirect },
      },
    },
    async (_request, reply) => {
      const started = await startLogin(mitid);
      if (started.state) reply.setCookie(mitidCookie, started.state, { ...mitIdCookieOptions(deps.config.cookieSecure), maxAge: 600 });
      return reply.redirect(started.location, 302);
    },
  );

  app.get(
    MITID_CALLBACK_ROUTE,
    {
      schema: {
        tags: ['portal'],
        summary:
          'Where the broker sends the browser back: a session at level "substantial" and a redirect to /portal; on a refusal a redirect to ' +
          '/portal?login=<not_invited|assurance_too_low|cancelled|expired|failed|unavailable>',
        querystring: MitIdCallbackQuery,
        security: [],
        response: { 302: Redirect },
      },
    },
    async (request, reply) => {
      const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const result = await finishLogin(mitid, {
        query: request.query,
        rawQuery,
        cookieState: request.cookies[mitidCookie],
        previousSessionHash: request.portalSession?.idHash,
      });
      reply.clearCookie(mitidCookie, mitIdCookieOptions(deps.config.cookieSecure));
      if (!result.ok) return reply.redirect(portalWith(result.reason), 302);
      setPortalCookie(reply, result.sessionToken, deps.config.cookieSecure);
      return reply.redirect('/portal', 302);
    },
  );

  app.post(
    '/api/portal/login/code',
    {
      schema: {
        tags: ['portal'],
        summary: 'Ask for a one-time login code to an e-mail address or mobile number on file; the same answer whether the contact is known or not',
        body: CodeRequest,
        security: [],
        response: { 202: CodeRequested, 400: ErrorBody, 429: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      await service.requestCode(portal, { contact: request.body.contact, address: request.ip });
      return reply.code(202).send({ validMinutes: service.CODE_VALID_MS / 60_000 });
    },
  );

  app.post(
    '/api/portal/login',
    {
      schema: {
        tags: ['portal'],
        summary: 'Log in to the portal with the code (and the birth date when several people share the contact); level of assurance "low"',
        body: PortalLoginRequest,
        security: [],
        response: { 200: PortalLoginResponse, 400: ErrorBody, 401: ErrorBody, 409: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await service.loginWithCode(portal, {
        ...request.body,
        address: request.ip,
        previousSessionToken: request.cookies[portalCookieName(deps.config)],
      });
      setPortalCookie(reply, result.sessionToken, deps.config.cookieSecure);
      return { csrfToken: result.csrfToken, assurance: result.session.assurance };
    },
  );

  app.get(
    '/api/portal/session',
    {
      schema: {
        tags: ['portal'],
        summary: 'The logged-in citizen, the level of assurance and the CSRF token; citizen null when nobody is logged in (always 200)',
        security: [],
        response: { 200: PortalSessionResponse },
      },
    },
    async (request) => {
      const s = request.portalSession;
      return s
        ? { citizen: { accountId: s.accountId, firstName: s.firstName }, assurance: s.assurance, csrfToken: s.csrfToken, demo: deps.config.demo, mitid: !!deps.config.mitid }
        : { citizen: null, assurance: null, demo: deps.config.demo, mitid: !!deps.config.mitid };
    },
  );

  app.post(
    '/api/portal/logout',
    {
      schema: {
        tags: ['portal'],
        summary: "End the portal session; after a MitID login also give the broker's logout address (RP-initiated logout), which returns to /portal",
        description: 'brokerLogoutUrl is null after a one-time code login, or when the broker advertises no end_session_endpoint.',
        security: PORTAL_SESSION_CSRF,
        response: { 200: PortalLogoutResponse, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const session = requirePortalSession(request);
      await service.logout(deps.db, session);
      clearPortalCookie(reply, deps.config.cookieSecure);
      return { brokerLogoutUrl: session.mitid ? await brokerLogoutUrl(mitid, session.mitid.idToken) : null };
    },
  );

  app.get(
    '/api/portal/summary',
    {
      schema: {
        tags: ['portal'],
        summary: 'What any portal session may see: the time of the next appointment and whether a questionnaire is waiting',
        security: PORTAL_SESSION,
        response: { 200: PortalSummary, 401: ErrorBody },
      },
    },
    async (request) => service.summary(deps.db, requirePortalSession(request)),
  );

  app.get(
    '/api/portal/plan',
    {
      schema: {
        tags: ['portal'],
        summary: 'My plan: the goal, the goals and the tasks; needs the level of assurance "substantial" (403 assurance_too_low otherwise)',
        security: PORTAL_SESSION,
        response: { 200: PortalPlan, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => service.plan(deps.db, requirePortalSession(request)),
  );

  app.get('/demo/outbox', { schema: { hide: true } }, async (_request, reply) => {
    // Outside demo mode the page does not exist: the same answer as any unknown route.
    if (!deps.config.demo) return reply.code(404).send({ error: 'not_found', message: 'No such route' });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(await outboxPage(deps.db));
  });
}
