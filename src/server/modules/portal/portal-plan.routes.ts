// HTTP routes of the portal's "Min plan" changes and "Mine aftaler" (with the citizen's own calendar feed). Every
// route but the feed itself needs a portal session at level "substantial" (the portal's guard); changes need the
// session's CSRF token.
import { z } from 'zod';
import { FeedParams } from '../../../contracts/calendar.ts';
import { ErrorBody } from '../../../contracts/common.ts';
import {
  PortalAppointmentList,
  PortalAppointmentsQuery,
  PortalFeedCreated,
  PortalFeedState,
  PortalTaskComment,
  PortalTaskCommentRequest,
  PortalTaskDone,
  PortalTaskParams,
} from '../../../contracts/portal-plan.ts';
import type { AppDeps, TypedApp } from '../../platform/http.ts';
import { requirePortalSession } from './portal.session.ts';
import * as service from './portal-plan.service.ts';

const PORTAL_SESSION = [{ portalSession: [] }];
const PORTAL_SESSION_CSRF = [{ portalSession: [], csrf: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function portalPlanRoutes(app: TypedApp, deps: AppDeps): void {
  const origin = () => deps.config.publicUrl ?? 'http://localhost:3000';

  app.post(
    '/api/portal/tasks/:id/done',
    {
      schema: {
        tags: ['portal'],
        summary: 'Mark my own task (one the plan gives to me) done; staff see it on the plan',
        description: "A task in another person's plan, or an unknown id → 404; a task owned by staff or someone else → 403 `not_your_task`. Audited.",
        params: PortalTaskParams,
        security: PORTAL_SESSION_CSRF,
        response: { 200: PortalTaskDone, ...errors },
      },
    },
    async (request) => service.markTaskDone(deps.db, requirePortalSession(request), request.params.id),
  );

  app.post(
    '/api/portal/tasks/:id/comments',
    {
      schema: {
        tags: ['portal'],
        summary: 'Write a comment on a task in my plan (at most 1000 characters); staff see it beside the task',
        description: "A task in another person's plan, or an unknown id → 404. Audited (the row names the comment, not its words).",
        params: PortalTaskParams,
        body: PortalTaskCommentRequest,
        security: PORTAL_SESSION_CSRF,
        response: { 201: PortalTaskComment, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.commentOnTask(deps.db, requirePortalSession(request), request.params.id, request.body.text)),
  );

  app.get(
    '/api/portal/appointments',
    {
      schema: {
        tags: ['portal'],
        summary: 'My upcoming appointments, soonest first: time, kind of place, and with whom by role (never a name)',
        description: 'Conversations, network meetings and group sessions of my records. `nextCursor` gives the next page.',
        querystring: PortalAppointmentsQuery,
        security: PORTAL_SESSION,
        response: { 200: PortalAppointmentList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => service.appointments(deps.db, requirePortalSession(request), request.query),
  );

  app.get(
    '/api/portal/calendar-feed',
    {
      schema: {
        tags: ['portal'],
        summary: 'Whether I have a live calendar feed address, and until when',
        security: PORTAL_SESSION,
        response: { 200: PortalFeedState, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => service.feedState(deps.db, requirePortalSession(request)),
  );

  app.post(
    '/api/portal/calendar-feed',
    {
      schema: {
        tags: ['portal'],
        summary: 'A new secret address of my calendar feed (valid 12 months); any earlier address stops working',
        description: 'The address is shown only now: the server keeps only a hash of its token.',
        security: PORTAL_SESSION_CSRF,
        response: { 201: PortalFeedCreated, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await service.createFeed(deps.db, requirePortalSession(request), origin())),
  );

  app.delete(
    '/api/portal/calendar-feed',
    {
      schema: {
        tags: ['portal'],
        summary: 'Stop my calendar feed: its address answers 404 from now on',
        security: PORTAL_SESSION_CSRF,
        response: { 204: z.null(), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      await service.revokeFeed(deps.db, requirePortalSession(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    service.PORTAL_FEED_ROUTE,
    {
      schema: {
        tags: ['portal'],
        summary: 'My calendar feed (text/calendar): times, status and "Kontor", "Ude" or "Telefon/video" only, every entry "Aftale"',
        description: 'Public: the token in the path is the credential. An unknown, expired or revoked token → 404. Every fetch is audited.',
        params: FeedParams,
        security: [],
        response: {
          200: z.string().meta({ description: 'An iCalendar (RFC 5545) document, served as text/calendar; charset=utf-8' }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const ics = await service.feedCalendar(deps.db, request.params.token);
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'no-store').header('content-disposition', 'inline; filename="min-plan.ics"').send(ics);
    },
  );
}
