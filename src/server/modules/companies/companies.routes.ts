// HTTP routes: Companies, internships and upskilling.
import { z } from 'zod';
import {
  ActivityListQuery,
  CompanyDetail,
  CompanyListQuery,
  CompanyPage,
  ContactInput,
  CreateCompanyMeetingRequest,
  CreateCompanyRequest,
  CreatedResponse,
  CreateFollowUpRequest,
  CreateInternshipRequest,
  CreateUpskillingRequest,
  Internship,
  InternshipList,
  PutInternshipWeeksRequest,
  UpdateCompanyRequest,
  UpdateInternshipRequest,
  UpdateUpskillingRequest,
  Upskilling,
  UpskillingList,
} from '../../../contracts/companies.ts';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { ReferenceData } from '../citizens/reference-data.ts';
import * as activities from './activities.service.ts';
import * as companies from './companies.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();

export function companyRoutes(app: TypedApp, deps: AppDeps): void {
  const d = { db: deps.db, reference: new ReferenceData() };
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/companies',
    {
      schema: {
        tags: ['companies'],
        summary: "Register a company in the organisation's register (CVR number with its check digit, name; address, industry and contacts optional)",
        description: 'A CVR number already registered in the organisation answers 409 `duplicate` with `existingId`.',
        body: CreateCompanyRequest,
        response: { 201: CreatedResponse, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await companies.createCompany(d, actor(request), request.body)),
  );

  app.get(
    '/api/companies',
    { schema: { tags: ['companies'], summary: "The organisation's companies by name; `q` searches words of the name or the first digits of the CVR number", querystring: CompanyListQuery, response: { 200: CompanyPage, ...errors } } },
    async (request) => companies.listCompanies(d, actor(request), request.query),
  );

  app.get(
    '/api/companies/:id',
    { schema: { tags: ['companies'], summary: 'The company page: contacts, meetings with the company, and internships of the citizens the caller may see (the rest counted)', params: IdParams, response: { 200: CompanyDetail, ...errors } } },
    async (request) => companies.getCompany(d, actor(request), request.params.id),
  );

  app.patch(
    '/api/companies/:id',
    { schema: { tags: ['companies'], summary: 'Change name, address or industry (send the version you read)', params: IdParams, body: UpdateCompanyRequest, response: { 200: CompanyDetail, ...errors } } },
    async (request) => companies.updateCompany(d, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/companies/:id/contacts',
    { schema: { tags: ['companies'], summary: 'Add a contact person', params: IdParams, body: ContactInput, response: { 201: CreatedResponse, ...errors } } },
    async (request, reply) => reply.code(201).send(await companies.addContact(d, actor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/companies/:id/meetings',
    { schema: { tags: ['companies'], summary: 'Record a meeting with the company: who, when, purpose and outcome', params: IdParams, body: CreateCompanyMeetingRequest, response: { 201: CreatedResponse, ...errors } } },
    async (request, reply) => reply.code(201).send(await companies.addMeeting(d, actor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/citizens/:id/internships',
    { schema: { tags: ['internships'], summary: 'Register an internship at a company of the organisation', params: IdParams, body: CreateInternshipRequest, response: { 201: CreatedResponse, ...errors } } },
    async (request, reply) => reply.code(201).send(await activities.createInternship(d, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/citizens/:id/internships',
    { schema: { tags: ['internships'], summary: "The citizen's internships with weekly hours and follow-ups, newest first", params: IdParams, querystring: ActivityListQuery, response: { 200: InternshipList, ...errors } } },
    async (request) => activities.listInternships(d, actor(request), request.params.id, request.query),
  );

  app.put(
    '/api/internships/:id/weeks',
    {
      schema: {
        tags: ['internships'],
        summary: 'Record the hours reached per week (each week named by its Monday, within the period); an existing week is overwritten',
        params: IdParams,
        body: PutInternshipWeeksRequest,
        response: { 200: Internship, ...errors },
      },
    },
    async (request) => activities.putWeeks(d, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/internships/:id/follow-ups',
    { schema: { tags: ['internships'], summary: 'Record a follow-up talk', params: IdParams, body: CreateFollowUpRequest, response: { 201: CreatedResponse, ...errors } } },
    async (request, reply) => reply.code(201).send(await activities.addFollowUp(d, actor(request), request.params.id, request.body)),
  );

  app.patch(
    '/api/internships/:id',
    { schema: { tags: ['internships'], summary: 'Record the outcome (ended early needs a reason), move the last day, or the Min Plan registration (send the version you read)', params: IdParams, body: UpdateInternshipRequest, response: { 200: Internship, ...errors } } },
    async (request) => activities.updateInternship(d, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/citizens/:id/upskilling',
    { schema: { tags: ['upskilling'], summary: 'Register a course, certificate or education, optionally serving a goal of the plan', params: IdParams, body: CreateUpskillingRequest, response: { 201: CreatedResponse, ...errors } } },
    async (request, reply) => reply.code(201).send(await activities.createUpskilling(d, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/citizens/:id/upskilling',
    { schema: { tags: ['upskilling'], summary: "The citizen's upskilling, newest first", params: IdParams, querystring: ActivityListQuery, response: { 200: UpskillingList, ...errors } } },
    async (request) => activities.listUpskilling(d, actor(request), request.params.id, request.query),
  );

  app.patch(
    '/api/upskilling/:id',
    { schema: { tags: ['upskilling'], summary: 'Change an upskilling (status, outcome, period, goal, Min Plan; send the version you read)', params: IdParams, body: UpdateUpskillingRequest, response: { 200: Upskilling, ...errors } } },
    async (request) => activities.updateUpskilling(d, actor(request), request.params.id, request.body),
  );
}
