// HTTP routes of the portal's confirmation of a consent staff prepared (level "substantial") and the withdrawal
// request after a code login (level "low", listed in LOW_ASSURANCE_ROUTES). Decision record 0036.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import { PortalConfirmation, PortalPreparationList, PortalWithdrawalRequest, PortalWithdrawalRequestReceipt } from '../../../contracts/portal-confirmations.ts';
import type { AppDeps, TypedApp } from '../../platform/http.ts';
import { confirmPreparation, myPreparations } from '../consents/consent-preparations.ts';
import { sendWithdrawalRequest } from '../consents/withdrawal-requests.ts';
import { requirePortalSession } from './portal.session.ts';

const PORTAL_SESSION = [{ portalSession: [] }];
const PORTAL_SESSION_CSRF = [{ portalSession: [], csrf: [] }];

export function portalConfirmationRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/portal/consent-preparations',
    {
      schema: {
        tags: ['portal'],
        summary: 'Consents staff prepared with me, awaiting my confirmation: what each would cover, from whom to whom, until when; needs "substantial"',
        security: PORTAL_SESSION,
        response: { 200: PortalPreparationList, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => myPreparations(deps.db, requirePortalSession(request)),
  );

  app.post(
    '/api/portal/consent-preparations/:id/confirm',
    {
      schema: {
        tags: ['portal'],
        summary:
          'Confirm a consent staff prepared with me; it holds from today, with my MitID transaction stored on it. Needs "substantial" and a MitID login ' +
          '(403 mitid_required); another person’s → 404; confirmed or cancelled → 409; ended → 409 expired',
        security: PORTAL_SESSION_CSRF,
        params: z.object({ id: Id }).strict(),
        response: { 200: PortalConfirmation, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => confirmPreparation(deps.db, requirePortalSession(request), request.params.id),
  );

  app.post(
    '/api/portal/withdrawal-requests',
    {
      schema: {
        tags: ['portal'],
        summary:
          '"I want to withdraw my consent(s)", with optional words of my own: open at level "low" (a code login); staff confirm it (the real withdrawal) ' +
          'or contact me. Names no consent; at most 5 open requests per record (429 too_many_requests)',
        security: PORTAL_SESSION_CSRF,
        body: PortalWithdrawalRequest,
        response: { 201: PortalWithdrawalRequestReceipt, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await sendWithdrawalRequest(deps.db, requirePortalSession(request), request.body.message ?? null)),
  );
}
