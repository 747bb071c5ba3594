// HTTP routes of research exports ("Dataudtræk"): request (202, made on the job queue), status, the study's list, and
// the download (a zip) for the study's named researchers. The jobs: the export itself and the daily clean-up.
import { createReadStream } from 'node:fs';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import { ExportCreated, ExportRequest, StudyExport, StudyExportListQuery, StudyExportPage } from '../../../contracts/study-exports.ts';
import type { Database } from '../../db/schema.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import * as service from './exports.service.ts';
import { cleanUpLinkages } from './linkage.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();
const tags = ['research'];

export function exportJobs(db: Kysely<Database>, config: Parameters<typeof service.exportDeps>[1]): JobDefinition[] {
  const deps = service.exportDeps(db, config);
  return [
    { name: service.EXPORT_JOB, handler: (data) => service.runExportJob(deps, data) },
    // Every night, and once at start: packages past their 14 days (linkage deliveries: 2) or their study's end are deleted.
    { name: service.EXPORT_CLEANUP_JOB, cron: '20 3 * * *', runAtStart: true, handler: async () => ({ ...(await service.cleanUpExports(deps)), linkage: await cleanUpLinkages(deps) }) },
  ];
}

export function exportRoutes(app: TypedApp, deps: AppDeps): void {
  let resolved: service.ExportDeps | undefined;
  // Resolved at the first download: RESEARCH_KEY fails closed outside demo mode (the configuration already refuses to start without it).
  const d = () => (resolved ??= service.exportDeps(deps.db, deps.config));
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/studies/:id/exports',
    {
      schema: {
        tags,
        summary: "Ask for a research export of the study (its named researchers): `{}` means every approved variable as CSV; made on the job queue",
        description: '409 when the study is not approved or has ended; 400 naming variables the study is not approved for. Poll GET /api/exports/{id}.',
        params: IdParams,
        body: ExportRequest,
        response: { 202: ExportCreated, ...errors },
      },
    },
    async (request, reply) => reply.code(202).send(await service.requestExport({ db: deps.db }, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/studies/:id/exports',
    {
      schema: { tags, summary: "The study's exports, newest first (its named researchers, programme managers and dpos)", params: IdParams, querystring: StudyExportListQuery, response: { 200: StudyExportPage, ...errors } },
    },
    async (request) => service.listExports({ db: deps.db }, actor(request), request.params.id, request.query),
  );

  app.get(
    '/api/exports/:id',
    {
      schema: {
        tags,
        summary: "An export's status (queued, running, scanning, ready, blocked), progress, rows per file, what was generalised, expiry; why it was blocked for the study's programme managers and dpos",
        params: IdParams,
        response: { 200: StudyExport, ...errors },
      },
    },
    async (request) => service.getExport({ db: deps.db }, actor(request), request.params.id),
  );

  app.get(
    '/api/exports/:id/download',
    {
      schema: {
        tags,
        summary: "The export's package as a zip (the study's named researchers, with their session); 410 after 14 days or the study's end",
        produces: ['application/zip'],
        params: IdParams,
        response: { 200: z.string().meta({ description: 'application/zip: the data files, codebook.csv/json/html and README.md' }), ...errors, 410: ErrorBody },
      },
    },
    async (request, reply) => {
      const file = await service.downloadExport(d(), actor(request), request.params.id);
      reply.type('application/zip').header('content-disposition', `attachment; filename="${file.filename}"`).header('cache-control', 'no-store');
      // The zip is streamed from disk with its own content type, not written from the schema.
      return reply.send(createReadStream(file.path) as unknown as string);
    },
  );
}
