// HTTP routes: the single entry point (inquiries to the liaison) and the region staff's home pages.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import {
  ClinicianPatientPage,
  ClinicianPatientsQuery,
  CreateInquiryRequest,
  InquiryAnswerRequest,
  InquiryDetail,
  InquiryListQuery,
  InquiryPage,
  InquiryStatusRequest,
  LiaisonOverview,
} from '../../../contracts/inquiries.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import * as home from './home.service.ts';
import * as inquiries from './inquiries.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();
const tags = ['inquiries'];

export function inquiryRoutes(app: TypedApp, deps: AppDeps): void {
  const d = { db: deps.db };
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/inquiries',
    {
      schema: {
        tags,
        summary: "Send the programme's psychiatry partner a question: about a named citizen (only while consents cover both directions), an anonymous case or a general question",
        description:
          'A named inquiry (the municipality\u2019s id of the citizen) needs a valid fvl_28 consent from the municipality naming the region and its liaison, and a valid sdl_43 consent from the region naming the municipality and the asker\u2019s role; otherwise 409 naming what is missing (audited). An anonymous case names nobody: write no name, CPR number or other identifying detail.',
        body: CreateInquiryRequest,
        response: { 201: InquiryDetail, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await inquiries.createInquiry(d, actor(request), request.body)),
  );

  app.get(
    '/api/inquiries',
    {
      schema: {
        tags,
        summary: "The liaison: the organisation's queue (default new and in progress, oldest waiting first); municipal staff: the inquiries they asked, newest first",
        querystring: InquiryListQuery,
        response: { 200: InquiryPage, ...errors },
      },
    },
    async (request) => inquiries.listInquiries(d, actor(request), request.query),
  );

  app.get(
    '/api/inquiries/:id',
    { schema: { tags, summary: 'An inquiry with its thread (its asker and the receiving liaison only)', params: IdParams, response: { 200: InquiryDetail, ...errors } } },
    async (request) => inquiries.getInquiry(d, actor(request), request.params.id),
  );

  app.post(
    '/api/inquiries/:id/answers',
    {
      schema: {
        tags,
        summary: 'The liaison answers (status answered) or the asker replies (back to new or in progress); send the version read',
        description:
          'An answer with health information is a disclosure: only in a named inquiry, and only when valid sdl_43 and rsl_11a consents cover every category named, the region and the municipality with the asker\u2019s role; otherwise 409 naming what is missing (audited).',
        params: IdParams,
        body: InquiryAnswerRequest,
        response: { 201: InquiryDetail, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await inquiries.answerInquiry(d, actor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/inquiries/:id/status',
    {
      schema: {
        tags,
        summary: 'The liaison takes an inquiry (in progress); the liaison or the asker closes it (final); send the version read',
        params: IdParams,
        body: InquiryStatusRequest,
        response: { 200: InquiryDetail, ...errors },
      },
    },
    async (request) => inquiries.changeStatus(d, actor(request), request.params.id, request.body),
  );

  app.get(
    '/api/liaison/overview',
    {
      schema: {
        tags,
        summary: "The liaison's home page: the queue and who has waited longest, response times (median and 90th percentile per month), knowledge transfers to write, consents expiring within 30 days, open tasks",
        response: { 200: LiaisonOverview, ...errors },
      },
    },
    async (request) => home.liaisonOverview(d, actor(request)),
  );

  app.get(
    '/api/clinician/patients',
    {
      schema: {
        tags,
        summary: "The clinician's patients in the programme: only those whose valid fvl_28 consent names the region (the list reveals a municipal enrolment)",
        querystring: ClinicianPatientsQuery,
        response: { 200: ClinicianPatientPage, ...errors },
      },
    },
    async (request) => home.clinicianPatients(d, actor(request), request.query),
  );
}
