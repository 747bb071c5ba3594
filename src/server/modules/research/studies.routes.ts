// HTTP routes of studies (research agreements) and the research codebook. Steering group and staff without a
// part in a study get 404 on it (audited), as on any record they cannot see.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import { AddResearcherRequest, AddStudyQuestionnaireRequest, Codebook, StudyQuestionnaireOptions, ResearcherOptions, CreateStudyRequest, DpoAdviceRequest, EndConfirmationRequest, Study, StudyListQuery, StudyPage } from '../../../contracts/studies.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import * as service from './studies.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();
const tags = ['research'];

export function studyRoutes(app: TypedApp, deps: AppDeps): void {
  const d = { db: deps.db };
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.get(
    '/api/research/codebook',
    {
      schema: {
        tags,
        summary: 'The variables a study may be approved for, per export file: type, unit, Danish and English labels, code lists, source, whether health data',
        response: { 200: Codebook, 401: ErrorBody },
      },
    },
    async (request) => {
      requireSession(request);
      return service.readCodebook(d);
    },
  );

  app.post(
    '/api/studies',
    {
      schema: {
        tags,
        summary: "Record a study (research agreement) for the programme: a programme manager of a disclosing municipality; awaits each included organisation's dpo advice and approval",
        body: CreateStudyRequest,
        response: { 201: Study, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await service.createStudy(d, actor(request), request.body)),
  );

  app.get(
    '/api/studies',
    {
      schema: {
        tags,
        summary: "The studies the caller is a party to (programme manager or dpo of an included organisation) or named on as a researcher, newest first",
        querystring: StudyListQuery,
        response: { 200: StudyPage, ...errors },
      },
    },
    async (request) => service.listStudies(d, actor(request), request.query),
  );

  app.get(
    '/api/studies/:id',
    { schema: { tags, summary: 'A study with its organisations (advice, approval) and named researchers', params: IdParams, response: { 200: Study, ...errors } } },
    async (request) => service.getStudy(d, actor(request), request.params.id),
  );

  app.get(
    '/api/studies/:id/researcher-options',
    {
      schema: {
        tags,
        summary: "The programme's active researchers not yet named on the study, by name (for its programme manager to choose from)",
        params: IdParams,
        response: { 200: ResearcherOptions, ...errors },
      },
    },
    async (request) => service.researcherOptions(d, actor(request), request.params.id),
  );

  app.post(
    '/api/studies/:id/researchers',
    {
      schema: {
        tags,
        summary: "Name a researcher of the programme on the study (the recording organisation's programme manager, before approval)",
        params: IdParams,
        body: AddResearcherRequest,
        response: { 200: Study, ...errors },
      },
    },
    async (request) => service.addResearcher(d, actor(request), request.params.id, request.body.userId),
  );

  app.post(
    '/api/studies/:id/dpo-advice',
    {
      schema: { tags, summary: "Record the dpo's advice on the study for the dpo's own organisation", params: IdParams, body: DpoAdviceRequest, response: { 200: Study, ...errors } },
    },
    async (request) => service.adviseOnStudy(d, actor(request), request.params.id, request.body.advice),
  );

  app.post(
    '/api/studies/:id/approve',
    {
      schema: {
        tags,
        summary: "Approve the study for the caller's organisation (its programme manager, after its dpo's advice); approved when every included organisation has",
        description: '409 names what is missing: dpo_advice_missing, permission_missing (the §10 stk. 3 checklist needs the Data Protection Agency), no_researcher, already_approved.',
        params: IdParams,
        response: { 200: Study, ...errors },
      },
    },
    async (request) => service.approveStudy(d, actor(request), request.params.id),
  );

  app.get(
    '/api/studies/:id/questionnaire-options',
    {
      schema: {
        tags,
        summary: "The catalogue's active instruments a citizen answers alone that are not yet on the study (for its programme manager to add as research-only questionnaires)",
        params: IdParams,
        response: { 200: StudyQuestionnaireOptions, ...errors },
      },
    },
    async (request) => service.questionnaireOptions(d, actor(request), request.params.id),
  );

  app.post(
    '/api/studies/:id/questionnaires',
    {
      schema: {
        tags,
        summary: "Add an instrument as a research-only questionnaire the citizen answers in the portal (the recording organisation's programme manager, before approval)",
        description:
          'Its answers belong to the study\'s controller: never shown to staff, no alerts, only in the study\'s export. 400 `controller_partner_required` (the partner must be the controller), `dbl_10_required_for: questionnaire <code>` (health data without databeskyttelsesloven §10), `unknown_instrument`; 409 when approved or already added.',
        params: IdParams,
        body: AddStudyQuestionnaireRequest,
        response: { 200: Study, ...errors },
      },
    },
    async (request) => service.addQuestionnaire(d, actor(request), request.params.id, request.body.instrumentCode),
  );

  app.post(
    '/api/studies/:id/end-confirmation',
    {
      schema: {
        tags,
        summary: "Record the partner's confirmation that the study's data was deleted or archived at its end (the recording organisation's programme manager)",
        description: '400 `required_for_archived` / `only_for_archived` (the archive reference goes with archiving only); 409 `study_not_ended` before the end date, `already_confirmed`, `study_not_approved`.',
        params: IdParams,
        body: EndConfirmationRequest,
        response: { 200: Study, ...errors },
      },
    },
    async (request) => service.confirmStudyEnd(d, actor(request), request.params.id, request.body),
  );
}
