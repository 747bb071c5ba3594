// HTTP routes for programmes.
import { ErrorBody } from '../../../contracts/common.ts';
import { ProgrammeDetail, ProgrammeList, ProgrammeParams, ProgrammeStaff, UpdateProgrammeSettingsRequest } from '../../../contracts/programmes.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { getProgramme, getProgrammeStaff, listProgrammes, updateProgrammeSettings } from './programmes.service.ts';

export function programmeRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/programmes',
    { schema: { tags: ['programmes'], summary: 'The programmes the user has a role in', response: { 200: ProgrammeList, 401: ErrorBody } } },
    async (request) => ({ items: await listProgrammes(deps.db, requireSession(request).actor) }),
  );

  app.get(
    '/api/programmes/:id',
    {
      schema: {
        tags: ['programmes'],
        summary: 'One programme with partners, period, phases, capacity, targets, planned target groups and budget',
        params: ProgrammeParams,
        response: { 200: ProgrammeDetail, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => getProgramme(deps.db, requireSession(request).actor, request.params.id),
  );

  app.get(
    '/api/programmes/:id/staff',
    {
      schema: {
        tags: ['programmes'],
        summary: "The programme's case staff (resource consultants, caseworkers, job consultants, liaisons), for choosing a team",
        params: ProgrammeParams,
        response: { 200: ProgrammeStaff, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => getProgrammeStaff(deps.db, requireSession(request).actor, request.params.id),
  );

  app.patch(
    '/api/programmes/:id',
    {
      schema: {
        tags: ['programmes'],
        summary: 'Set the caseload ceiling and whether consultants see all citizens (programme manager; send the version you read)',
        params: ProgrammeParams,
        body: UpdateProgrammeSettingsRequest,
        response: { 200: ProgrammeDetail, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => updateProgrammeSettings(deps.db, requireSession(request).actor, request.params.id, request.body),
  );
}
