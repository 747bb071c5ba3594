// HTTP routes: consents (one sitting, the list, withdrawal), the forms, consents expiring soon, the tasks
// crossings leave, and the liaison's shared access to the municipal record.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import {
  ConsentFormList,
  ConsentList,
  ConsentListQuery,
  CreateConsentsRequest,
  CreateConsentsResponse,
  CrossingTaskList,
  ExpiringConsentList,
  MunicipalRecords,
  PageQuery,
  SharedRecord,
  WithdrawConsentRequest,
  WithdrawConsentResponse,
} from '../../../contracts/consents.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { completeTask, consentForms, createConsents, crossingTasks, expiringConsents, listConsents, withdrawConsent } from './consents.service.ts';
import { municipalRecords, sharedRecord } from './shared-access.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();

export function consentRoutes(app: TypedApp, deps: AppDeps): void {
  const d = { db: deps.db };
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/citizens/:id/consents',
    {
      schema: {
        tags: ['consents'],
        summary:
          'Record the consents given in one sitting on your organisation’s record of the person: the usual pair sdl_43 + rsl_11a, or fvl_28. ' +
          'A blanket consent (no category, recipient or end date) is refused; replacesId marks an earlier consent replaced; an sdl_43 consent leaves the region a journal task',
        params: IdParams,
        body: CreateConsentsRequest,
        response: { 201: CreateConsentsResponse, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createConsents(d, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/citizens/:id/consents',
    {
      schema: {
        tags: ['consents'],
        summary: 'Every consent of the person that your organisation recorded, gives or receives, newest first, with its state and the form text shown',
        params: IdParams,
        querystring: ConsentListQuery,
        response: { 200: ConsentList, ...errors },
      },
    },
    async (request) => listConsents(d, actor(request), request.params.id, request.query),
  );

  app.post(
    '/api/consents/:id/withdraw',
    {
      schema: {
        tags: ['consents'],
        summary: 'Record the withdrawal of a consent (effective at once; 409 when already withdrawn); the other controller is told, an sdl_43 withdrawal leaves a journal task',
        params: IdParams,
        body: WithdrawConsentRequest,
        response: { 200: WithdrawConsentResponse, ...errors },
      },
    },
    async (request) => withdrawConsent(d, actor(request), request.params.id, request.body),
  );

  app.get(
    '/api/consent-forms',
    { schema: { tags: ['consents'], summary: 'The current form and consequence texts of each kind of consent, in Danish and English', response: { 200: ConsentFormList, ...errors } } },
    async (request) => consentForms(d, actor(request)),
  );

  app.get(
    '/api/consents/expiring',
    {
      schema: {
        tags: ['consents'],
        summary: 'Valid consents your organisation gives or receives that end within 30 days, soonest first, of the people you work with',
        querystring: PageQuery,
        response: { 200: ExpiringConsentList, ...errors },
      },
    },
    async (request) => expiringConsents(d, actor(request), request.query),
  );

  app.get(
    '/api/crossing-tasks',
    {
      schema: {
        tags: ['consents'],
        summary: 'Open tasks crossings left your organisation (enter a consent or its withdrawal in the patient journal, a withdrawal notice), oldest first',
        querystring: PageQuery,
        response: { 200: CrossingTaskList, ...errors },
      },
    },
    async (request) => crossingTasks(d, actor(request), request.query),
  );

  app.post(
    '/api/crossing-tasks/:id/done',
    { schema: { tags: ['consents'], summary: 'Mark a crossing task done (409 when it already is)', params: IdParams, response: { 200: z.object({ id: Id, status: z.literal('done') }), ...errors } } },
    async (request) => completeTask(d, actor(request), request.params.id),
  );

  app.get(
    '/api/citizens/:id/municipal-records',
    {
      schema: {
        tags: ['consents'],
        summary: 'From the region’s record (liaison): the municipal records of the person you may read today, where a valid fvl_28 consent names your organisation and role',
        params: IdParams,
        response: { 200: MunicipalRecords, ...errors },
      },
    },
    async (request) => municipalRecords(d, actor(request), request.params.id),
  );

  app.get(
    '/api/citizens/:id/shared-record',
    {
      schema: {
        tags: ['consents'],
        summary: 'The municipal record (municipality’s id) as the liaison may read it while a valid fvl_28 consent covers it: only the covered plan, activities and notes; 404 otherwise',
        params: IdParams,
        response: { 200: SharedRecord, ...errors },
      },
    },
    async (request) => sharedRecord(d, actor(request), request.params.id),
  );
}
