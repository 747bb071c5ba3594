// HTTP routes of the portal's "Forskning": research-only questionnaires of the approved studies of my programme.
// Level "substantial" only (MitID: not in LOW_ASSURANCE_ROUTES, so the portal's guard answers 403 to a code login);
// changes need the session's CSRF token.
import { ErrorBody } from '../../../contracts/common.ts';
import { PortalResearchAnswerRequest, PortalResearchList, PortalResearchParams, PortalResearchReceipt } from '../../../contracts/portal-research.ts';
import type { AppDeps, TypedApp } from '../../platform/http.ts';
import { requirePortalSession } from '../portal/portal.session.ts';
import * as service from './study-answers.service.ts';

const tags = ['portal'];
const PORTAL_SESSION = [{ portalSession: [] }];
const PORTAL_SESSION_CSRF = [{ portalSession: [], csrf: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function portalResearchRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/portal/research',
    {
      schema: {
        tags,
        summary: "The research questionnaires asked of me: the approved, running studies of my programme, with each study's purpose and partner",
        description: 'Voluntary, without any effect on my case; my caseworker never sees the answers. Questions only while open; never an earlier answer. Level "substantial". Audited.',
        security: PORTAL_SESSION,
        response: { 200: PortalResearchList, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => service.listResearch(deps.db, requirePortalSession(request)),
  );

  app.post(
    '/api/portal/research/:id/answers',
    {
      schema: {
        tags,
        summary: 'Answer a research questionnaire (once); the answers belong to the study and are never shown to staff',
        description: 'Validated and scored as the instrument says; no alert, no task, nothing of the case changes. Not asked of me → 404; answered or declined already → 409. Audited.',
        params: PortalResearchParams,
        body: PortalResearchAnswerRequest,
        security: PORTAL_SESSION_CSRF,
        response: { 201: PortalResearchReceipt, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.answerResearch(deps.db, requirePortalSession(request), request.params.id, request.body)),
  );

  app.post(
    '/api/portal/research/:id/decline',
    {
      schema: {
        tags,
        summary: 'Say no thanks to a research questionnaire: recorded, and it is not asked again',
        description: 'Not asked of me → 404; answered already → 409. Saying it twice gives the same answer. Audited.',
        params: PortalResearchParams,
        security: PORTAL_SESSION_CSRF,
        response: { 200: PortalResearchReceipt, ...errors },
      },
    },
    async (request) => service.declineResearch(deps.db, requirePortalSession(request), request.params.id),
  );

  app.delete(
    '/api/portal/research/:id/answers',
    {
      schema: {
        tags,
        summary: 'Delete my answers to a research questionnaire (it is not asked again); an export already delivered to the partner keeps them',
        description: 'No answers of mine → 404; declined → 409. Deleting twice gives the same answer. Audited.',
        params: PortalResearchParams,
        security: PORTAL_SESSION_CSRF,
        response: { 200: PortalResearchReceipt, ...errors },
      },
    },
    async (request) => service.withdrawResearch(deps.db, requirePortalSession(request), request.params.id),
  );
}
