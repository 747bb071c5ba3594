// HTTP routes of the portal's "Mine bemærkninger" (level "substantial": not in LOW_ASSURANCE_ROUTES; the portal
// hooks ask for the session, the level and, on the remark, the CSRF token).
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import { PortalNoteList, PortalNoteQuery, PortalRemarkRequest } from '../../../contracts/portal-remarks.ts';
import type { AppDeps, TypedApp } from '../../platform/http.ts';
import { addMyRemark, myNotes } from './portal-remarks.ts';
import { requirePortalSession } from './portal.session.ts';

const PORTAL_SESSION = [{ portalSession: [] }];
const PORTAL_SESSION_CSRF = [{ portalSession: [], csrf: [] }];

export function portalRemarkRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/portal/notes',
    {
      schema: {
        tags: ['portal'],
        summary:
          'Notes about me that my programme shows me (ordinary journal notes of the municipality), newest first, with my remarks beside each; ' +
          'needs the level of assurance "substantial"',
        security: PORTAL_SESSION,
        querystring: PortalNoteQuery,
        response: { 200: PortalNoteList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => myNotes(deps.db, requirePortalSession(request), request.query),
  );

  app.post(
    '/api/portal/notes/:id/remarks',
    {
      schema: {
        tags: ['portal'],
        summary:
          'Add my remark beside a note shown to me (the note is not changed; staff see the remark beside it). ' +
          'A note not shown to me, or another person’s → 404; a note with 20 remarks → 409 too_many_remarks',
        security: PORTAL_SESSION_CSRF,
        params: z.object({ id: Id }).strict(),
        body: PortalRemarkRequest,
        response: { 201: z.object({ id: Id, writtenAt: z.string() }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await addMyRemark(deps.db, requirePortalSession(request), request.params.id, request.body.body)),
  );
}
