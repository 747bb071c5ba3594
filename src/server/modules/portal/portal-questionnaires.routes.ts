// HTTP routes of the portal's Spørgeskemaer. The due list and the answer are open at level "low" (a one-time code:
// LOW_ASSURANCE_ROUTES), as neither shows an earlier answer or a score; progression and earlier answers need
// "substantial" (the portal's guard). Answers need the session's CSRF token.
import { ErrorBody } from '../../../contracts/common.ts';
import {
  PortalAnswerHistory,
  PortalAnswerHistoryQuery,
  PortalAnswerReceipt,
  PortalAnswerRequest,
  PortalProgression,
  PortalQuestionnaireList,
  PortalQuestionnaireParams,
} from '../../../contracts/portal-questionnaires.ts';
import type { AppDeps, TypedApp } from '../../platform/http.ts';
import { requirePortalSession } from './portal.session.ts';
import * as service from './portal-questionnaires.service.ts';

const PORTAL_SESSION = [{ portalSession: [] }];
const PORTAL_SESSION_CSRF = [{ portalSession: [], csrf: [] }];

export const PORTAL_QUESTIONNAIRES_ROUTE = '/api/portal/questionnaires';
export const PORTAL_ANSWER_ROUTE = '/api/portal/questionnaires/:id/answers';

export function portalQuestionnaireRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    PORTAL_QUESTIONNAIRES_ROUTE,
    {
      schema: {
        tags: ['portal'],
        summary: 'The questionnaires due for me, with their questions (open at level "low"; never an earlier answer or score)',
        description: 'Only instruments I answer alone (every item is the citizen\'s). Audited.',
        security: PORTAL_SESSION,
        response: { 200: PortalQuestionnaireList, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => service.dueQuestionnaires(deps.db, requirePortalSession(request)),
  );

  app.post(
    PORTAL_ANSWER_ROUTE,
    {
      schema: {
        tags: ['portal'],
        summary: 'Answer a questionnaire due for me (open at level "low"); the answer reaches my team like any other, the receipt has no score',
        description:
          'Validated and scored as staff answers are; recorded as answered by the citizen in the portal. An id that is not a questionnaire due for me → 404; answered already → 409 `conflict` (`already_answered`); the instrument changed since it was opened → 409 (`changed`). Audited.',
        params: PortalQuestionnaireParams,
        body: PortalAnswerRequest,
        security: PORTAL_SESSION_CSRF,
        response: { 201: PortalAnswerReceipt, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await service.answerQuestionnaire(deps.db, requirePortalSession(request), request.params.id, request.body)),
  );

  app.get(
    '/api/portal/questionnaires/progression',
    {
      schema: {
        tags: ['portal'],
        summary: 'My progression per questionnaire: my latest answers (at most 12, oldest first) and whether the latest moved relevantly',
        description: 'Level "substantial" only. Audited.',
        security: PORTAL_SESSION,
        response: { 200: PortalProgression, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => service.progression(deps.db, requirePortalSession(request)),
  );

  app.get(
    '/api/portal/questionnaires/history',
    {
      schema: {
        tags: ['portal'],
        summary: 'My earlier answers, newest first, with their score; `nextCursor` gives the next page',
        description: 'Level "substantial" only. Audited.',
        querystring: PortalAnswerHistoryQuery,
        security: PORTAL_SESSION,
        response: { 200: PortalAnswerHistory, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => service.answerHistory(deps.db, requirePortalSession(request), request.query),
  );
}
