// HTTP routes of progression measurement: instruments, the programme's schedule, answers, staff tasks and
// the cohort view.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import { InstrumentDefinition } from '../../../contracts/instruments.ts';
import {
  ApproveRequest,
  AssessmentDetail,
  AssessmentList,
  AssessmentListQuery,
  AssessmentResponse,
  CloseStaffTaskRequest,
  CreateAssessmentRequest,
  CreatedInstrument,
  DueListQuery,
  ExportQuery,
  ImportQuery,
  ImportResponse,
  Instrument,
  InstrumentList,
  InstrumentParams,
  InstrumentQuery,
  InstrumentVersionParams,
  Progression,
  ProgressionConsultants,
  ProgressionConsultantsQuery,
  ProgressionQuery,
  Schedule,
  StaffTask,
  StaffTaskList,
  StaffTaskListQuery,
  UpdateAcuteProcedureRequest,
  UpdateAssessmentRequest,
  UpdateScheduleRequest,
} from '../../../contracts/progression.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { createAssessment, getAssessment, listAssessments, updateAssessment } from './assessments.service.ts';
import { cohortConsultants, cohortView } from './cohort.service.ts';
import { approveInstrument, createInstrument, exportInstrument, getInstrument, importInstruments, listInstruments } from './instruments.service.ts';
import { getSchedule, updateAcuteProcedure, updateSchedule } from './schedule.service.ts';
import { citizenTasks, closeTask, dueList } from './tasks.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();
/** A REDCap data dictionary is a spreadsheet export; a large project's stays well below this. */
export const CSV_BODY_LIMIT = 2 * 1024 * 1024;

export function progressionRoutes(app: TypedApp, deps: AppDeps): void {
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;
  const d = { db: deps.db };

  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.get(
    '/api/instruments',
    { schema: { tags: ['progression'], summary: 'Instruments in use (for administrators also those waiting for approval, with their status)', response: { 200: InstrumentList, ...errors } } },
    async (request) => listInstruments(d, actor(request)),
  );

  app.get(
    '/api/instruments/:code',
    { schema: { tags: ['progression'], summary: 'One instrument with its items in order (the active version, or `version`)', params: InstrumentParams, querystring: InstrumentQuery, response: { 200: Instrument, ...errors } } },
    async (request) => getInstrument(d, actor(request), request.params.code, request.query.version),
  );

  app.post(
    '/api/instruments',
    {
      schema: {
        tags: ['progression'],
        summary: "Upload an instrument of the organisation as Bindeled JSON (administrators): a new version, inactive until approved",
        body: InstrumentDefinition,
        response: { 201: CreatedInstrument, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createInstrument(d, actor(request), request.body)),
  );

  app.post(
    '/api/instruments/import',
    {
      schema: {
        tags: ['progression'],
        summary: 'Import instruments from a REDCap data dictionary (body text/csv; one instrument per form, inactive and unscored until approved and given a scoring rule)',
        description: 'The query declares what the CSV cannot: `licence`, `dataCategories` (comma-separated) and `healthData`. Anything Bindeled cannot import is refused with 400 naming the row, the column and the feature.',
        querystring: ImportQuery,
        body: z.string().max(CSV_BODY_LIMIT).meta({ description: 'The REDCap data dictionary, text/csv' }),
        response: { 201: ImportResponse, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await importInstruments(d, actor(request), request.body, request.query)),
  );

  app.post(
    '/api/instruments/:code/versions/:version/approve',
    { schema: { tags: ['progression'], summary: 'Approve a version after consulting the dpo (administrators); the version before it is retired', params: InstrumentVersionParams, body: ApproveRequest, response: { 200: CreatedInstrument, ...errors } } },
    async (request) => approveInstrument(d, actor(request), request.params.code, request.params.version, request.body),
  );

  app.get(
    '/api/instruments/:code/export',
    {
      schema: {
        tags: ['progression'],
        summary: 'Export an instrument as Bindeled JSON or as a REDCap data dictionary (text/csv)',
        produces: ['application/json', 'text/csv'],
        params: InstrumentParams,
        querystring: ExportQuery,
        // JSON: the definition as in the body of POST /api/instruments; REDCap: the dictionary as text/csv (a string
        // payload with its own type, not written from this schema).
        response: { 200: z.record(z.string(), z.unknown()).meta({ description: 'application/json (the definition) or text/csv (a REDCap data dictionary)' }), ...errors },
      },
    },
    async (request, reply) => {
      const file = await exportInstrument(d, actor(request), request.params.code, request.query.format, request.query.version, request.query.lang);
      reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`);
      // The CSV is a string payload with its own content type, sent as it is.
      return reply.send(file.body as Record<string, unknown>);
    },
  );

  app.get(
    '/api/programmes/:id/measurement-schedule',
    { schema: { tags: ['progression'], summary: "The programme's measurement schedule and its procedure for acute concern", params: IdParams, response: { 200: Schedule, ...errors } } },
    async (request) => getSchedule(deps.db, actor(request), request.params.id),
  );

  app.put(
    '/api/programmes/:id/measurement-schedule',
    { schema: { tags: ['progression'], summary: 'Set which instruments the programme measures and when (programme manager)', params: IdParams, body: UpdateScheduleRequest, response: { 200: Schedule, ...errors } } },
    async (request) => updateSchedule(deps.db, actor(request), request.params.id, request.body),
  );

  app.put(
    '/api/programmes/:id/acute-procedure',
    { schema: { tags: ['progression'], summary: "The programme's procedure for acute concern, shown beside alerts (programme manager)", params: IdParams, body: UpdateAcuteProcedureRequest, response: { 200: z.object({ da: z.string(), en: z.string() }), ...errors } } },
    async (request) => updateAcuteProcedure(deps.db, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/citizens/:id/assessments',
    {
      schema: {
        tags: ['progression'],
        summary: "Answer an instrument (a draft with `draft: true` may be partial); the score and the alerts that fired are returned",
        params: IdParams,
        body: CreateAssessmentRequest,
        response: { 201: AssessmentResponse, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createAssessment(d, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/citizens/:id/assessments',
    { schema: { tags: ['progression'], summary: "The citizen's answers, newest first (the team's resource consultant and caseworker)", params: IdParams, querystring: AssessmentListQuery, response: { 200: AssessmentList, ...errors } } },
    async (request) => listAssessments(d, actor(request), request.params.id, request.query),
  );

  app.get(
    '/api/assessments/:id',
    { schema: { tags: ['progression'], summary: 'One answer with the instrument version it was given on and its corrections', params: IdParams, response: { 200: AssessmentDetail, ...errors } } },
    async (request) => getAssessment(d, actor(request), request.params.id),
  );

  app.patch(
    '/api/assessments/:id',
    { schema: { tags: ['progression'], summary: 'Continue or submit a draft, or correct a submitted answer (with a reason; the earlier answers are kept)', params: IdParams, body: UpdateAssessmentRequest, response: { 200: AssessmentResponse, ...errors } } },
    async (request) => updateAssessment(d, actor(request), request.params.id, request.body),
  );

  app.get(
    '/api/citizens/:id/staff-tasks',
    { schema: { tags: ['progression'], summary: "The team's internal tasks about the citizen: alerts and due measurements (never in the citizen's plan)", params: IdParams, querystring: StaffTaskListQuery, response: { 200: StaffTaskList, ...errors } } },
    async (request) => citizenTasks(deps.db, actor(request), request.params.id, request.query),
  );

  app.patch(
    '/api/staff-tasks/:id',
    { schema: { tags: ['progression'], summary: 'Close an internal task (done or cancelled, with a note)', params: IdParams, body: CloseStaffTaskRequest, response: { 200: z.object({ id: Id, status: StaffTask.shape.status, version: z.number().int() }), ...errors } } },
    async (request) => closeTask(deps.db, actor(request), request.params.id, request.body),
  );

  app.get(
    '/api/programmes/:id/measurements-due',
    {
      schema: {
        tags: ['progression'],
        summary: 'Measurements due and overdue in the programme, with the resource consultant (programme manager)',
        params: IdParams,
        querystring: DueListQuery,
        response: { 200: z.object({ items: z.array(StaffTask.extend({ consultant: z.object({ id: Id, name: z.string() }).nullable() })), nextCursor: z.string().nullable() }), ...errors },
      },
    },
    async (request) => dueList(deps.db, actor(request), request.params.id, request.query),
  );

  app.get(
    '/api/programmes/:id/progression',
    {
      schema: {
        tags: ['progression'],
        summary: "The cohort's progression on one instrument: paired change, bands at baseline and now, by target group and (programme manager) by consultant",
        description: 'Exact for the programme manager of the owning organisation; for the steering group and researchers small cells are `{ "suppressed": true }`.',
        params: IdParams,
        querystring: ProgressionQuery,
        response: { 200: Progression, ...errors },
      },
    },
    async (request) => cohortView(deps.db, actor(request), request.params.id, request.query.instrumentCode),
  );

  app.get(
    '/api/programmes/:id/progression/consultants',
    {
      schema: {
        tags: ['progression'],
        summary: 'The cohort figures per consultant, one page in name order (programme manager only: figures per employee)',
        description: 'Pairs and mean change per consultant, and the measurements due and overdue on their caseload today; keyset pagination by name.',
        params: IdParams,
        querystring: ProgressionConsultantsQuery,
        response: { 200: ProgressionConsultants, ...errors },
      },
    },
    async (request) => cohortConsultants(deps.db, actor(request), request.params.id, request.query),
  );
}
