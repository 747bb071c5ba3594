// HTTP routes: company meetings the liaison attends (the region's record) and what companies were told about a
// patient (the region's record of the patient). Municipal staff never reach them (audited 404).
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import {
  CompanyDisclosureRefused,
  CompanyMeetingDetail,
  CompanyMeetingItem,
  CompanyMeetingListQuery,
  CompanyMeetingPage,
  CreateCompanyMeetingItemRequest,
  CreateCompanyMeetingRequest,
  LiaisonPatientChoices,
  PatientCompanyDisclosurePage,
  PatientCompanyDisclosureQuery,
} from '../../../contracts/liaison-companies.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import * as service from './liaison-companies.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();
const tags = ['liaison-companies'];

export function liaisonCompanyRoutes(app: TypedApp, deps: AppDeps): void {
  const d = { db: deps.db };
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/liaison/company-meetings',
    {
      schema: {
        tags,
        summary: "Record a meeting with a company the region's liaison attended (the company by CVR, as the municipality's register refers to it)",
        body: CreateCompanyMeetingRequest,
        response: { 201: CompanyMeetingDetail, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.createMeeting(d, actor(request), request.body)),
  );

  app.get(
    '/api/liaison/company-meetings',
    {
      schema: {
        tags,
        summary: "The region's company meetings in the liaison's programmes, latest first",
        querystring: CompanyMeetingListQuery,
        response: { 200: CompanyMeetingPage, ...errors },
      },
    },
    async (request) => service.listMeetings(d, actor(request), request.query),
  );

  app.get(
    '/api/liaison/company-meetings/:id',
    { schema: { tags, summary: 'A company meeting with what the company was told about each patient', params: IdParams, response: { 200: CompanyMeetingDetail, ...errors } } },
    async (request) => service.getMeeting(d, actor(request), request.params.id),
  );

  app.get(
    '/api/liaison/company-meetings/:id/patients',
    {
      schema: {
        tags,
        summary: "The region's patients in the meeting's programme whose team the liaison is on: whom an item may be about",
        params: IdParams,
        response: { 200: LiaisonPatientChoices, ...errors },
      },
    },
    async (request) => service.patientChoices(d, actor(request), request.params.id),
  );

  app.post(
    '/api/liaison/company-meetings/:id/items',
    {
      schema: {
        tags,
        summary: 'Record what the company was told about one patient: an oral disclosure to a third party',
        description:
          'Needs a valid sdl_43 consent from the region naming this company (by CVR) for every category (work_considerations, support_needs); ' +
          'otherwise 409 with `gaps` naming each category and reason (audited). Text naming a diagnosis (an ICD-10 F code or a diagnosis word) is refused with 400 naming it. ' +
          'Accepted, it leaves the region a task to note the oral disclosure in the patient journal.',
        params: IdParams,
        body: CreateCompanyMeetingItemRequest,
        response: { 201: CompanyMeetingItem, ...errors, 409: CompanyDisclosureRefused },
      },
    },
    async (request, reply) => {
      const result = await service.addItem(d, actor(request), request.params.id, request.body);
      if (!result.ok) return reply.code(409).send({ error: result.error, message: result.message, gaps: result.gaps });
      return reply.code(201).send(result.item);
    },
  );

  app.get(
    '/api/citizens/:id/company-disclosures',
    {
      schema: {
        tags,
        summary: "What companies were told about the patient in meetings the liaison attended (the region's record; region staff only)",
        params: IdParams,
        querystring: PatientCompanyDisclosureQuery,
        response: { 200: PatientCompanyDisclosurePage, ...errors },
      },
    },
    async (request) => service.patientDisclosures(d, actor(request), request.params.id, request.query),
  );
}
