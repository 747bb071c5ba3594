// HTTP routes of register-linkage deliveries to Danmarks Statistik (decision 0044): request (202, made on the job
// queue `study-linkage`), the study's list, status, and the zip for the disclosing organisation's programme manager.
// The study's researchers get 404 on every one of them.
import { createReadStream } from 'node:fs';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import { LinkageCreated, LinkageDelivery, LinkageDeliveryListQuery, LinkageDeliveryPage, LinkageRequest } from '../../../contracts/linkage-deliveries.ts';
import type { Database } from '../../db/schema.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import { exportDeps } from './exports.service.ts';
import * as service from './linkage.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();
const tags = ['research'];

export function linkageJobs(db: Kysely<Database>, config: Parameters<typeof exportDeps>[1]): JobDefinition[] {
  const deps = exportDeps(db, config);
  return [{ name: service.LINKAGE_JOB, handler: (data) => service.runLinkageJob(deps, data) }];
}

export function linkageRoutes(app: TypedApp, deps: AppDeps): void {
  let resolved: service.LinkageDeps | undefined;
  const d = () => (resolved ??= exportDeps(deps.db, deps.config));
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/studies/:id/linkage-deliveries',
    {
      schema: {
        tags,
        summary: "Ask for a register-linkage delivery to Danmarks Statistik: the caller's organisation's part of the study's approved variables keyed by CPR number (its programme manager, after its approval); made on the job queue",
        description: "409 `not_register_linkage`, `study_not_approved`, `study_ended`. The study's researchers get 404. Poll GET /api/linkage-deliveries/{id}.",
        params: IdParams,
        body: LinkageRequest,
        response: { 202: LinkageCreated, ...errors },
      },
    },
    async (request, reply) => reply.code(202).send(await service.requestLinkage({ db: deps.db }, actor(request), request.params.id)),
  );

  app.get(
    '/api/studies/:id/linkage-deliveries',
    {
      schema: {
        tags,
        summary: "The caller's organisation's register-linkage deliveries of the study, newest first (its programme managers and dpo; never the study's researchers)",
        params: IdParams,
        querystring: LinkageDeliveryListQuery,
        response: { 200: LinkageDeliveryPage, ...errors },
      },
    },
    async (request) => service.listLinkages({ db: deps.db }, actor(request), request.params.id, request.query),
  );

  app.get(
    '/api/linkage-deliveries/:id',
    {
      schema: { tags, summary: "A register-linkage delivery's status (queued, running, ready, failed), progress, rows per file and expiry", params: IdParams, response: { 200: LinkageDelivery, ...errors } },
    },
    async (request) => service.getLinkage({ db: deps.db }, actor(request), request.params.id),
  );

  app.get(
    '/api/linkage-deliveries/:id/download',
    {
      schema: {
        tags,
        summary: "The delivery's zip for the hand-over to Danmarks Statistik (the disclosing organisation's programme manager); 410 after 2 days or the study's end",
        produces: ['application/zip'],
        params: IdParams,
        response: { 200: z.string().meta({ description: 'application/zip: one CSV per file keyed by `cpr`, manifest.json and README.md' }), ...errors, 410: ErrorBody },
      },
    },
    async (request, reply) => {
      const file = await service.downloadLinkage(d(), actor(request), request.params.id);
      reply.type('application/zip').header('content-disposition', `attachment; filename="${file.filename}"`).header('cache-control', 'no-store');
      return reply.send(createReadStream(file.path) as unknown as string);
    },
  );
}
