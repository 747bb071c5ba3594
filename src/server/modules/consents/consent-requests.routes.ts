// Staff routes for what the citizen confirms or asks in the portal (decision record 0036): consents prepared with
// the citizen for confirmation with MitID, and the citizen's withdrawal requests.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import { ConsentPreparationList, PrepareConsentsRequest } from '../../../contracts/consents.ts';
import { HandleWithdrawalRequest, WithdrawalRequestList } from '../../../contracts/portal-confirmations.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { cancelPreparation, listPreparations } from './consent-preparations.ts';
import { prepareConsents } from './consents.service.ts';
import { handleWithdrawalRequest, listWithdrawalRequests } from './withdrawal-requests.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();

export function consentRequestRoutes(app: TypedApp, deps: AppDeps): void {
  const d = { db: deps.db };
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/citizens/:id/consent-preparations',
    {
      schema: {
        tags: ['consents'],
        summary:
          'Prepare a consent with the citizen, for them to confirm in the portal with MitID: checked as a sitting is, but no consent until confirmed ' +
          '(grants nothing before). At most 10 await a record (409 too_many_awaiting)',
        params: IdParams,
        body: PrepareConsentsRequest,
        response: { 201: z.object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await prepareConsents(d, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/citizens/:id/consent-preparations',
    {
      schema: { tags: ['consents'], summary: 'The prepared consents awaiting the citizen’s confirmation in the portal, newest first', params: IdParams, response: { 200: ConsentPreparationList, ...errors } },
    },
    async (request) => listPreparations(deps.db, actor(request), request.params.id),
  );

  app.post(
    '/api/consent-preparations/:id/cancel',
    {
      schema: {
        tags: ['consents'],
        summary: 'Cancel a prepared consent still awaiting the citizen (409 when confirmed or cancelled already)',
        params: IdParams,
        response: { 200: z.object({ id: Id, state: z.enum(['cancelled']) }), ...errors },
      },
    },
    async (request) => cancelPreparation(deps.db, actor(request), request.params.id),
  );

  app.get(
    '/api/citizens/:id/withdrawal-requests',
    {
      schema: {
        tags: ['consents'],
        summary: 'The citizen’s withdrawal requests sent from the portal on this record: open ones first, then the last handled (20 at most)',
        params: IdParams,
        response: { 200: WithdrawalRequestList, ...errors },
      },
    },
    async (request) => listWithdrawalRequests(deps.db, actor(request), request.params.id),
  );

  app.post(
    '/api/withdrawal-requests/:id/handle',
    {
      schema: {
        tags: ['consents'],
        summary:
          'Handle a withdrawal request: withdraw (the named consents, or every standing consent your organisation is party to) or close it as contacted. ' +
          'Already handled → 409; nothing standing → 409 nothing_to_withdraw',
        params: IdParams,
        body: HandleWithdrawalRequest,
        response: { 200: z.object({ id: Id, state: z.enum(['withdrawn', 'contacted']), withdrawnConsentIds: z.array(Id) }), ...errors },
      },
    },
    async (request) => handleWithdrawalRequest(deps.db, actor(request), request.params.id, request.body),
  );
}
