// HTTP routes of the citizen's access log (docs/decisions/0032): the portal's page and question, and the dpo's queue,
// answer and deferral of a notice.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import {
  AccessLogPage,
  AccessLogQuery,
  AnswerLookupQuestion,
  AskLookupQuestion,
  DeferNotice,
  Deferral,
  DeferralPage,
  DeferralQuery,
  EntryId,
  EntryParams,
  LookupQuestionPage,
  LookupQuestionQuery,
  LookupQuestionState,
} from '../../../contracts/portal-log.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { requirePortalSession } from '../portal/portal.session.ts';
import * as service from './access-log.service.ts';

const PORTAL_SESSION = [{ portalSession: [] }];
const PORTAL_SESSION_CSRF = [{ portalSession: [], csrf: [] }];

export function accessLogRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/portal/access-log',
    {
      schema: {
        tags: ['portal'],
        summary: "Who has used my data: others' uses of my records in both organisations' audit logs, newest first (never the employee's name); level \"substantial\"",
        querystring: AccessLogQuery,
        security: PORTAL_SESSION,
        response: { 200: AccessLogPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => service.accessLog(deps.db, requirePortalSession(request), request.query),
  );

  app.post(
    '/api/portal/access-log/:entryId/questions',
    {
      schema: {
        tags: ['portal'],
        summary: 'Ask the organisation who made this look-up; its data-protection officer decides. Asking again gives the same question (200)',
        params: EntryParams,
        body: AskLookupQuestion,
        security: PORTAL_SESSION_CSRF,
        response: { 200: LookupQuestionState, 201: LookupQuestionState, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await service.askQuestion(deps.db, requirePortalSession(request), request.params.entryId, request.body?.message);
      return reply.code(result.created ? 201 : 200).send(result.question);
    },
  );

  app.get(
    '/api/lookup-questions',
    {
      schema: {
        tags: ['audit'],
        summary: "Citizens' questions about who made a look-up, newest first (the organisation's data-protection officer)",
        querystring: LookupQuestionQuery,
        response: { 200: LookupQuestionPage, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => service.questionQueue(deps.db, requireSession(request).actor, request.query),
  );

  app.post(
    '/api/lookup-questions/:id/answer',
    {
      schema: {
        tags: ['audit'],
        summary: "Answer a citizen's look-up question with the decision; the citizen sees it in the portal (data-protection officer)",
        params: z.object({ id: Id }),
        body: AnswerLookupQuestion,
        response: { 200: LookupQuestionState, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => service.answerQuestion(deps.db, requireSession(request).actor, request.params.id, request.body.answer),
  );

  app.post(
    '/api/audit/:seq/notice-deferral',
    {
      schema: {
        tags: ['audit'],
        summary: "Defer the citizen's notice of one use of their data (sundhedsloven §43 stk. 4, databeskyttelsesloven §22); the entry is hidden from the citizen's log until lifted (data-protection officer)",
        params: z.object({ seq: EntryId }),
        body: DeferNotice,
        response: { 201: Deferral, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await service.deferNotice(deps.db, requireSession(request).actor, Number(request.params.seq), request.body)),
  );

  app.get(
    '/api/audit-notice-deferrals',
    {
      schema: {
        tags: ['audit'],
        summary: "The organisation's deferred notices, newest first: active ones (not lifted, not past their last day) or all (data-protection officer)",
        querystring: DeferralQuery,
        response: { 200: DeferralPage, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => service.deferralList(deps.db, requireSession(request).actor, request.query),
  );

  app.post(
    '/api/audit-notice-deferrals/:id/lift',
    {
      schema: {
        tags: ['audit'],
        summary: "Lift a deferral: the entry shows in the citizen's log again (data-protection officer)",
        params: z.object({ id: Id }),
        response: { 200: Deferral, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => service.liftDeferral(deps.db, requireSession(request).actor, request.params.id),
  );
}
