// HTTP routes: The staff calendar, its iCalendar feed and Min dag.
import { z } from 'zod';
import { CalendarQuery, CalendarResponse, FeedCreated, FeedParams, FeedSetting, FeedSettingAnswer, FeedState, MyDay } from '../../../contracts/calendar.ts';
import { ErrorBody } from '../../../contracts/common.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import * as service from './calendar.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The feed's route pattern; public (no session): the token in the path is the credential. */
export const FEED_ROUTE = '/api/calendar/feed/:token.ics';

export function calendarRoutes(app: TypedApp, deps: AppDeps): void {
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.get(
    '/api/calendar',
    {
      schema: {
        tags: ['calendar'],
        summary: "The caller's conversations, network meetings, group sessions they lead and plan follow-ups from `from` to `to` (dates in Europe/Copenhagen, both included, at most 366 days)",
        description: 'Citizens appear by name only where the caller may still see them. At most 1000 entries; `truncated` says when the range held more.',
        querystring: CalendarQuery,
        response: { 200: CalendarResponse, ...errors },
      },
    },
    async (request) => service.calendar(deps.db, actor(request), request.query),
  );

  app.get(
    '/api/me/day',
    {
      schema: {
        tags: ['calendar'],
        summary: "Min dag: today's and this week's appointments, my open tasks, overdue tasks in my citizens' plans and the next step per citizen (each list at most 50, with a `more` count)",
        response: { 200: MyDay, ...errors },
      },
    },
    async (request) => service.myDay(deps.db, actor(request)),
  );

  app.get(
    '/api/calendar/feed',
    { schema: { tags: ['calendar'], summary: 'Whether the organisation offers the personal calendar feed, and whether the caller has a live one', response: { 200: FeedState, ...errors } } },
    async (request) => service.feedState(deps.db, actor(request)),
  );

  app.post(
    '/api/calendar/feed',
    {
      schema: {
        tags: ['calendar'],
        summary: 'A new secret address of the personal iCalendar feed (valid 12 months); any earlier address stops working',
        description: 'The address is shown only now: the server keeps only a hash of its token. 409 `feed_disabled` when the organisation does not offer feeds.',
        response: { 201: FeedCreated, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.createFeed(deps.db, actor(request), `${request.protocol}://${request.host}`)),
  );

  app.delete(
    '/api/calendar/feed',
    { schema: { tags: ['calendar'], summary: 'Stop the personal calendar feed: its address answers 404 from now on', response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await service.revokeFeed(deps.db, actor(request));
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/organisation/calendar-feed',
    {
      schema: {
        tags: ['calendar'],
        summary: "Switch the organisation's personal calendar feeds on or off (admin); off, every feed address answers 404",
        body: FeedSetting,
        response: { 200: FeedSettingAnswer, ...errors },
      },
    },
    async (request) => service.setFeedSetting(deps.db, actor(request), request.body.enabled),
  );

  app.get(
    FEED_ROUTE,
    {
      schema: {
        tags: ['calendar'],
        summary: 'The personal calendar feed (text/calendar): times, status and "Kontor", "Ude" or "Telefon/video" only, every entry "Aftale"',
        description: 'Public: the token in the path is the credential. An unknown, expired or revoked token, or the organisation setting off → 404. Every fetch is audited.',
        params: FeedParams,
        response: {
          // Sent as text/calendar; a string payload with that type bypasses the JSON serializer.
          200: z.string().meta({ description: 'An iCalendar (RFC 5545) document, served as text/calendar; charset=utf-8' }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const ics = await service.feedCalendar(deps.db, request.params.token);
      return reply.type('text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="bindeled.ics"').send(ics);
    },
  );
}
