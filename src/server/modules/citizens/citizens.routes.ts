// HTTP routes for citizens, enrolments, status history, notes, timeline, caseloads and code lists.
import { z } from 'zod';
import {
  Caseload,
  CitizenDetail,
  CitizenListQuery,
  CitizenPage,
  CitizenParams,
  CitizenRemarkRequest,
  CitizenSearchRequest,
  CodeListParams,
  CodeListQuery,
  CodeValue,
  CodeValueList,
  CorrectNoteRequest,
  CreateCitizenRequest,
  CreateCitizenResponse,
  CreateCodeValueRequest,
  CreateEnrolmentRequest,
  CreateNoteRequest,
  CreateStatusPeriodRequest,
  HandoverRequest,
  HandoverResponse,
  NoteList,
  NoteListQuery,
  RevealCprResponse,
  TimelinePage,
  TimelineQuery,
  UpdateCitizenRequest,
  UpdateCodeValueRequest,
  UpdateEnrolmentRequest,
} from '../../../contracts/citizens.ts';
import { ErrorBody, Id, Warning } from '../../../contracts/common.ts';
import { AddLiaisonRequest, EndLiaisonRequest, LiaisonMembership } from '../../../contracts/liaison-team.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { caseloads, handOver } from './caseloads.service.ts';
import { addLiaison, endLiaison } from './liaison-team.service.ts';
import * as citizens from './citizens.service.ts';
import { addCodeValue, codeList, updateCodeValue } from './code-lists.service.ts';
import { cprVault } from './cpr-vault.ts';
import { ReferenceData } from './reference-data.ts';
import { addCitizenRemark, correctNote, createNote, listNotes } from './notes.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();

export function citizenRoutes(app: TypedApp, deps: AppDeps): void {
  const d = { db: deps.db, vault: cprVault(deps.config.cprKey), reference: new ReferenceData() };
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/citizens',
    {
      schema: {
        tags: ['citizens'],
        summary: 'Create a citizen, and enrol them when `enrolment` is given, in one transaction',
        description: 'Answers 409 `warnings` when the start date is outside the programme period or the programme is full, unless acknowledgeWarnings is true; 409 `duplicate` for a CPR number already on file.',
        body: CreateCitizenRequest,
        response: { 201: CreateCitizenResponse, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await citizens.createCitizen(d, actor(request), request.body)),
  );

  app.get(
    '/api/citizens',
    { schema: { tags: ['citizens'], summary: "The caller's visible citizens by name; scope=mine gives the own caseload", querystring: CitizenListQuery, response: { 200: CitizenPage, ...errors } } },
    async (request) => citizens.listCitizens(d, actor(request), request.query),
  );

  app.post(
    '/api/citizens/search',
    {
      schema: {
        tags: ['citizens'],
        summary: 'Search by name, full CPR number or birth date (DDMMYY), programme, consultant and status; the query travels in the body',
        body: CitizenSearchRequest,
        response: { 200: CitizenPage, ...errors },
      },
    },
    async (request) => citizens.searchCitizens(d, actor(request), request.body),
  );

  app.get(
    '/api/citizens/:id',
    { schema: { tags: ['citizens'], summary: 'The citizen page: person, enrolments with team, status history and self-support weeks', params: CitizenParams, response: { 200: CitizenDetail, ...errors } } },
    async (request) => citizens.getCitizen(d, actor(request), request.params.id),
  );

  app.patch(
    '/api/citizens/:id',
    { schema: { tags: ['citizens'], summary: 'Change contact details (send the version you read)', params: CitizenParams, body: UpdateCitizenRequest, response: { 200: CitizenDetail, ...errors } } },
    async (request) => citizens.updateCitizen(d, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/citizens/:id/reveal-cpr',
    { schema: { tags: ['citizens'], summary: 'Show the full CPR number (audited as reveal-cpr)', params: CitizenParams, response: { 200: RevealCprResponse, ...errors } } },
    async (request) => citizens.revealCpr(d, actor(request), request.params.id),
  );

  app.get(
    '/api/citizens/:id/timeline',
    { schema: { tags: ['citizens'], summary: 'Everything that happened to the citizen, newest first, filterable by kind', params: CitizenParams, querystring: TimelineQuery, response: { 200: TimelinePage, ...errors } } },
    async (request) => citizens.citizenTimeline(d, actor(request), request.params.id, request.query),
  );

  app.post(
    '/api/citizens/:id/status-periods',
    { schema: { tags: ['citizens'], summary: 'Add a benefit/status period (an open earlier period ends the day before)', params: CitizenParams, body: CreateStatusPeriodRequest, response: { 201: CitizenDetail, ...errors } } },
    async (request, reply) => reply.code(201).send(await citizens.addStatusPeriod(d, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/citizens/:id/notes',
    { schema: { tags: ['notes'], summary: 'Journal notes with their revision history, newest first, a page at a time', params: CitizenParams, querystring: NoteListQuery, response: { 200: NoteList, ...errors } } },
    async (request) => listNotes(d, actor(request), request.params.id, request.query),
  );

  app.post(
    '/api/citizens/:id/notes',
    { schema: { tags: ['notes'], summary: 'Write a journal note or the record of an external professional assessment', params: CitizenParams, body: CreateNoteRequest, response: { 201: z.object({ id: Id }), ...errors } } },
    async (request, reply) => reply.code(201).send(await createNote(d, actor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/notes/:id/corrections',
    {
      schema: {
        tags: ['notes'],
        summary: 'Correct a note (author only); the earlier text stays in the history',
        params: IdParams,
        body: CorrectNoteRequest,
        response: { 201: z.object({ id: Id, revision: z.number().int() }), ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await correctNote(d, actor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/notes/:id/remarks',
    {
      schema: {
        tags: ['notes'],
        summary: "Record the citizen's own remark on a note (kept beside it; the note is not changed)",
        params: IdParams,
        body: CitizenRemarkRequest,
        response: { 201: z.object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await addCitizenRemark(d, actor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/programmes/:id/enrolments',
    {
      schema: {
        tags: ['citizens'],
        summary: 'Enrol an existing citizen in the programme',
        params: IdParams,
        body: CreateEnrolmentRequest,
        response: { 201: z.object({ id: Id, warnings: z.array(Warning) }), ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await citizens.enrolCitizen(d, actor(request), request.params.id, request.body)),
  );

  app.patch(
    '/api/enrolments/:id',
    { schema: { tags: ['citizens'], summary: 'Change an enrolment’s status; ending needs an end date and an exit outcome', params: IdParams, body: UpdateEnrolmentRequest, response: { 200: CitizenDetail, ...errors } } },
    async (request) => citizens.updateEnrolment(d, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/enrolments/:id/liaison',
    {
      schema: {
        tags: ['citizens'],
        summary: 'Put psychiatry’s liaison on the team of an open enrolment (from today or later)',
        description:
          'Answers 409 `liaisonId: liaison_consents_missing` with the missing consents (sdl_43 and rsl_11a from the region, fvl_28 from the municipality) unless they cover both directions today, audited; 409 `liaison_already_on_team`; 400 `not_liaison_in_programme`.',
        params: IdParams,
        body: AddLiaisonRequest,
        response: { 201: LiaisonMembership, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await addLiaison(d, actor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/enrolments/:id/liaison/end',
    { schema: { tags: ['citizens'], summary: 'End the liaison’s place on the team (the last day on it)', params: IdParams, body: EndLiaisonRequest, response: { 200: LiaisonMembership, ...errors } } },
    async (request) => endLiaison(d, actor(request), request.params.id, request.body),
  );

  app.get(
    '/api/programmes/:id/caseloads',
    { schema: { tags: ['caseloads'], summary: 'Caseload per resource consultant against the ceiling (programme manager)', params: IdParams, response: { 200: Caseload, ...errors } } },
    async (request) => caseloads(d, actor(request), request.params.id),
  );

  app.post(
    '/api/programmes/:id/caseloads/handover',
    { schema: { tags: ['caseloads'], summary: 'Hand a consultant’s caseload over, permanently or to a substitute for a period', params: IdParams, body: HandoverRequest, response: { 200: HandoverResponse, ...errors } } },
    async (request) => handOver(d, actor(request), request.params.id, request.body),
  );

  app.get(
    '/api/code-lists/:list',
    { schema: { tags: ['code lists'], summary: 'A code list as valid on a date (today by default)', params: CodeListParams, querystring: CodeListQuery, response: { 200: CodeValueList, ...errors } } },
    async (request) => codeList(d, actor(request), request.params.list, request.query),
  );

  app.post(
    '/api/code-lists/:list',
    { schema: { tags: ['code lists'], summary: 'Add an organisation’s own code (admin)', params: CodeListParams, body: CreateCodeValueRequest, response: { 201: CodeValue, ...errors } } },
    async (request, reply) => reply.code(201).send(await addCodeValue(d, actor(request), request.params.list, request.body)),
  );

  app.patch(
    '/api/code-values/:id',
    { schema: { tags: ['code lists'], summary: 'Relabel or end an organisation’s own code (admin)', params: IdParams, body: UpdateCodeValueRequest, response: { 200: CodeValue, ...errors } } },
    async (request) => updateCodeValue(d, actor(request), request.params.id, request.body),
  );
}
