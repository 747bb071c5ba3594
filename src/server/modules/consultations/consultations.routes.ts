// HTTP routes: the liaison's consultations (oral advice at municipal meetings, anonymous case consultations) and the
// municipality's note duties they leave.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import {
  ConsultationDetail,
  ConsultationDuty,
  ConsultationItemRequest,
  ConsultationListQuery,
  ConsultationOptions,
  ConsultationPage,
  CreateConsultationRequest,
  DutyListQuery,
  DutyPage,
  RecogniseRequest,
  ResolveDutyRequest,
} from '../../../contracts/consultations.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import * as service from './consultations.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();
const tags = ['consultations'];
const CONSENT_NOTE =
  'A named item (the region\u2019s record of the patient) is an oral disclosure: it needs a valid fvl_28 consent from the municipality naming the region and its liaison, and valid sdl_43 and rsl_11a consents naming the municipality, every category said and the role of everyone it was said to; otherwise 409 naming what is missing (audited). It leaves the region a task to enter it in the patient journal and the municipality a note duty.';

export function consultationRoutes(app: TypedApp, deps: AppDeps): void {
  const d = { db: deps.db };
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/consultations',
    {
      schema: {
        tags,
        summary: 'The liaison records attending a municipal meeting or sparring, or an anonymous case consultation, with what was said',
        description: `${CONSENT_NOTE} An anonymous item names nobody: write no name, CPR number or other identifying detail.`,
        body: CreateConsultationRequest,
        response: { 201: ConsultationDetail, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.createConsultation(d, actor(request), request.body)),
  );

  app.get(
    '/api/consultations',
    { schema: { tags, summary: "The liaison's organisation's consultations in the liaison's programmes, newest first", querystring: ConsultationListQuery, response: { 200: ConsultationPage, ...errors } } },
    async (request) => service.listConsultations(d, actor(request), request.query),
  );

  app.get(
    '/api/consultations/options',
    { schema: { tags, summary: "For the liaison's form: per programme, the municipalities taking part and their case staff", response: { 200: ConsultationOptions, ...errors } } },
    async (request) => service.consultationOptions(d, actor(request)),
  );

  app.get(
    '/api/consultations/:id',
    { schema: { tags, summary: 'A consultation with its items (the liaison of the recording organisation)', params: IdParams, response: { 200: ConsultationDetail, ...errors } } },
    async (request) => service.getConsultation(d, actor(request), request.params.id),
  );

  app.post(
    '/api/consultations/:id/items',
    {
      schema: {
        tags,
        summary: 'One more item: what was said about a named patient, or anonymous advice (refused 409 once the person is recognised)',
        description: `${CONSENT_NOTE} A named item in an anonymous consultation stops it as recognised.`,
        params: IdParams,
        body: ConsultationItemRequest,
        response: { 201: ConsultationDetail, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.addConsultationItem(d, actor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/consultations/:id/recognised',
    {
      schema: {
        tags,
        summary: 'The liaison recognises the person of an anonymous case consultation: it stops until consent exists; send the version read',
        params: IdParams,
        body: RecogniseRequest,
        response: { 200: ConsultationDetail, ...errors },
      },
    },
    async (request) => service.markRecognised(d, actor(request), request.params.id, request.body),
  );

  app.get(
    '/api/consultation-duties',
    {
      schema: {
        tags,
        summary: "The caller's pending note duties (ekstern faglig vurdering, offentlighedsloven § 13): advice said to them about a citizen, oldest first",
        querystring: DutyListQuery,
        response: { 200: DutyPage, ...errors },
      },
    },
    async (request) => service.myDuties(d, actor(request), request.query),
  );

  app.get(
    '/api/citizens/:id/consultation-duties',
    {
      schema: { tags, summary: "The note duties on the municipality's record of the citizen, newest first", params: IdParams, querystring: DutyListQuery, response: { 200: DutyPage, ...errors } },
    },
    async (request) => service.citizenDuties(d, actor(request), request.params.id, request.query),
  );

  app.post(
    '/api/consultation-duties/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve a note duty: write the note of the external professional assessment (a citizen note) or mark it not relevant to the case, with the reason',
        params: IdParams,
        body: ResolveDutyRequest,
        response: { 200: ConsultationDuty, ...errors },
      },
    },
    async (request) => service.resolveDuty(d, actor(request), request.params.id, request.body),
  );
}
