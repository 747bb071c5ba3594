// HTTP routes of access requests: the citizen's request, cases and package in the portal (level "substantial";
// the portal hooks ask for the session, the level and the CSRF token), and the staff's queue and case steps.
import { z } from 'zod';
import {
  AccessCase,
  AccessPackageDownload,
  AccessQueue,
  AccessQueueQuery,
  AdviceInput,
  DecisionInput,
  ExtensionInput,
  InterimNoticeInput,
  NewAccessRequest,
  NewAccessRequestAnswer,
  PortalAccessCaseList,
  PortalAccessCaseQuery,
  RedactionsInput,
  TextHitsInput,
  VersionInput,
} from '../../../contracts/access-requests.ts';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { requirePortalSession } from '../portal/portal.session.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { PACKAGE_JOB } from './access-requests.repository.ts';
import * as service from './access-requests.service.ts';

const PORTAL_SESSION = [{ portalSession: [] }];
const PORTAL_SESSION_CSRF = [{ portalSession: [], csrf: [] }];
const IdParams = z.object({ id: Id }).strict();
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** `cprHash`: the CPR vault's lookup hash, to tell the citizen's own CPR number in free text from another's. */
export function accessRequestJobs(db: Kysely<Database>, cprHash?: (digits: string) => string): JobDefinition[] {
  return [{ name: PACKAGE_JOB, handler: (data) => service.generatePackage(db, data, { cprHash }) }];
}

export function accessRequestRoutes(app: TypedApp, deps: AppDeps): void {
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/portal/access-requests',
    {
      schema: {
        tags: ['portal'],
        summary:
          'Ask for access to the data about me (GDPR art. 15); an empty request means everything. Becomes one case per organisation holding a ' +
          'record of me, each with its deadline (one month); needs the level of assurance "substantial"',
        security: PORTAL_SESSION_CSRF,
        body: NewAccessRequest,
        response: { 201: NewAccessRequestAnswer, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await service.askForAccess(deps.db, requirePortalSession(request), request.body)),
  );

  app.get(
    '/api/portal/access-requests',
    {
      schema: {
        tags: ['portal'],
        summary: 'My access cases, newest first: organisation, status, deadline, extension, interim notice, and the decision once released',
        security: PORTAL_SESSION,
        querystring: PortalAccessCaseQuery,
        response: { 200: PortalAccessCaseList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => service.myAccessCases(deps.db, requirePortalSession(request), request.query),
  );

  app.get(
    '/api/portal/access-requests/:id/package',
    {
      schema: {
        tags: ['portal'],
        summary: "The released package of one of my access cases (HTML and JSON); another person's case or one not released → 404",
        security: PORTAL_SESSION,
        params: IdParams,
        response: { 200: AccessPackageDownload, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => service.myPackage(deps.db, requirePortalSession(request), request.params.id),
  );

  app.get(
    '/api/access-requests',
    {
      schema: {
        tags: ['access-requests'],
        summary: "The access-request queue by deadline: the responsible unit's cases (citizens on the caller's team) or, for the dpo, the organisation's",
        querystring: AccessQueueQuery,
        response: { 200: AccessQueue, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => service.accessQueue(deps.db, actor(request), request.query),
  );

  app.get(
    '/api/access-requests/:id',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'One access case: deadline, interim notice, redaction step, package progress, decision',
        params: IdParams,
        response: { 200: AccessCase, ...errors },
      },
    },
    async (request) => service.accessCase(deps.db, actor(request), request.params.id),
  );

  app.post(
    '/api/access-requests/:id/redactions',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'The redaction step: meeting attendees and company contacts to redact, notes withheld as internal working documents (with the personal data in them); a made package is discarded',
        params: IdParams,
        body: RedactionsInput,
        response: { 200: AccessCase, ...errors },
      },
    },
    async (request) => service.setRedactions(deps.db, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/access-requests/:id/advice',
    {
      schema: {
        tags: ['access-requests'],
        summary: "The dpo's advice on an open case (e.g. on the redaction and the withheld documents, before the decision); shown on the case with who and when",
        params: IdParams,
        body: AdviceInput,
        response: { 201: AccessCase, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.giveAdvice(deps.db, actor(request), request.params.id, request.body.text)),
  );

  app.post(
    '/api/access-requests/:id/text-hits',
    {
      schema: {
        tags: ['access-requests'],
        summary:
          "The redaction step's choice for each name or CPR number of someone else found in the package's free text: redact or keep; a change of what is redacted discards the made package. Release is refused (409 unresolved_free_text) while a hit has no choice",
        params: IdParams,
        body: TextHitsInput,
        response: { 200: AccessCase, ...errors },
      },
    },
    async (request) => service.resolveTextHits(deps.db, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/access-requests/:id/package',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'Make the package (HTML and JSON) as a job on the queue; its progress shows on the case',
        params: IdParams,
        body: VersionInput,
        response: { 200: AccessCase, ...errors },
      },
    },
    async (request) => service.requestPackage(deps.db, actor(request), request.params.id, request.body.version),
  );

  app.post(
    '/api/access-requests/:id/extension',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'Extend the deadline once, up to three months from receipt, with notice inside the first month and the reason',
        params: IdParams,
        body: ExtensionInput,
        response: { 200: AccessCase, ...errors },
      },
    },
    async (request) => service.extendDeadline(deps.db, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/access-requests/:id/interim-notice',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'Record the interim notice the citizen sees in the portal: why no decision yet and when to expect one',
        params: IdParams,
        body: InterimNoticeInput,
        response: { 200: AccessCase, ...errors },
      },
    },
    async (request) => service.recordInterimNotice(deps.db, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/access-requests/:id/decision',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'Record the decision (full, partial or refused) with its reasons and complaint guidance',
        params: IdParams,
        body: DecisionInput,
        response: { 200: AccessCase, ...errors },
      },
    },
    async (request) => service.recordDecision(deps.db, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/access-requests/:id/release',
    {
      schema: {
        tags: ['access-requests'],
        summary: 'Release the decision and the package to the citizen in the portal',
        params: IdParams,
        body: VersionInput,
        response: { 200: AccessCase, ...errors },
      },
    },
    async (request) => service.release(deps.db, actor(request), request.params.id, request.body.version),
  );
}
