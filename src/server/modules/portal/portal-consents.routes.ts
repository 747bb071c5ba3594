// HTTP routes of the portal's "Mine samtykker" (level "substantial": not in LOW_ASSURANCE_ROUTES; the portal
// hooks ask for the session, the level and, on the withdrawal, the CSRF token).
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import { PortalConsentList, PortalConsentQuery, PortalWithdrawalReceipt } from '../../../contracts/portal-consents.ts';
import type { AppDeps, TypedApp } from '../../platform/http.ts';
import { myConsents, withdrawMyConsent } from './portal-consents.ts';
import { requirePortalSession } from './portal.session.ts';

const PORTAL_SESSION = [{ portalSession: [] }];
const PORTAL_SESSION_CSRF = [{ portalSession: [], csrf: [] }];

export function portalConsentRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/portal/consents',
    {
      schema: {
        tags: ['portal'],
        summary:
          'My consents: every consent recorded on my records (both organisations), newest first, with what it covers, from whom to whom, until when, ' +
          'its state and its consequence text; needs the level of assurance "substantial"',
        security: PORTAL_SESSION,
        querystring: PortalConsentQuery,
        response: { 200: PortalConsentList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => myConsents(deps.db, requirePortalSession(request), request.query),
  );

  app.post(
    '/api/portal/consents/:id/withdraw',
    {
      schema: {
        tags: ['portal'],
        summary:
          'Withdraw one of my consents, today, with effect on the next request everywhere; answers a receipt. ' +
          'Another person’s consent → 404; already withdrawn → 409 already_withdrawn (replaced → 409 replaced)',
        security: PORTAL_SESSION_CSRF,
        params: z.object({ id: Id }).strict(),
        response: { 200: PortalWithdrawalReceipt, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => withdrawMyConsent(deps.db, requirePortalSession(request), request.params.id),
  );
}
