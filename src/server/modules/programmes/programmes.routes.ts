// HTTP routes for programmes.
import { ErrorBody } from '../../../contracts/common.ts';
import { ProgrammeDetail, ProgrammeList, ProgrammeParams, ProgrammeStaff } from '../../../contracts/programmes.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { getProgramme, getProgrammeStaff, listProgrammes } from './programmes.service.ts';

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
}
