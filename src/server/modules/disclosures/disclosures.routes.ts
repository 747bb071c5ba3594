// HTTP routes of knowledge transfers, explicit disclosures, the dpo's review list of exceptions and the
// municipality's health-information panel.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import {
  CreateDisclosureRequest,
  CreateKnowledgeTransferRequest,
  Disclosure,
  DisclosureList,
  DisclosureRefused,
  HealthInformation,
  KnowledgeTransfer,
  KnowledgeTransferList,
  ListQuery,
  NoticeRequest,
} from '../../../contracts/disclosures.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { createDisclosure, healthInformation, listDisclosures, listExceptions, recordNotice } from './disclosures.service.ts';
import { createKnowledgeTransfer, getKnowledgeTransfer, listKnowledgeTransfers } from './knowledge-transfers.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();
const TAGS = ['disclosures'];

export function disclosureRoutes(app: TypedApp, deps: AppDeps): void {
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/citizens/:id/knowledge-transfers',
    {
      schema: {
        tags: TAGS,
        summary: "Write a knowledge transfer (the region's record; liaison or clinician): the four questions' answers, each with its category — the next version",
        params: IdParams,
        body: CreateKnowledgeTransferRequest,
        response: { 201: KnowledgeTransfer, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createKnowledgeTransfer(deps.db, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/citizens/:id/knowledge-transfers',
    { schema: { tags: TAGS, summary: "The patient's knowledge-transfer versions, newest first (the region's record)", params: IdParams, querystring: ListQuery, response: { 200: KnowledgeTransferList, ...errors } } },
    async (request) => listKnowledgeTransfers(deps.db, actor(request), request.params.id, request.query),
  );

  app.get(
    '/api/knowledge-transfers/:id',
    { schema: { tags: TAGS, summary: 'One knowledge-transfer version', params: IdParams, response: { 200: KnowledgeTransfer, ...errors } } },
    async (request) => getKnowledgeTransfer(deps.db, actor(request), request.params.id),
  );

  app.post(
    '/api/citizens/:id/disclosures',
    {
      schema: {
        tags: TAGS,
        summary: "Disclose a knowledge-transfer version (or chosen answers) to the municipality (the region's record; liaison or clinician)",
        description:
          'Covered by a valid sdl_43 consent — and rsl_11a when `requested` — naming every category, the source, the recipient organisation and each recipient role; ' +
          'otherwise 409 with `gaps` naming each instrument, category, role and reason. A clinician may instead give a ground of sundhedsloven § 43, stk. 2 with a justification; ' +
          'under nr. 2 (vital_interest) the disclosure stays open until POST /api/disclosures/{id}/notice.',
        params: IdParams,
        body: CreateDisclosureRequest,
        response: { 201: Disclosure, ...errors, 409: DisclosureRefused },
      },
    },
    async (request, reply) => {
      const result = await createDisclosure(deps.db, actor(request), request.params.id, request.body);
      if (!result.ok) return reply.code(409).send({ error: result.error, message: result.message, gaps: result.gaps });
      return reply.code(201).send(result.disclosure);
    },
  );

  app.get(
    '/api/citizens/:id/disclosures',
    {
      schema: {
        tags: TAGS,
        summary: "Disclosures of the person: on the region's record those it made (liaison, clinician, the region's dpo); on the municipality's record those made to it",
        params: IdParams,
        querystring: ListQuery,
        response: { 200: DisclosureList, ...errors },
      },
    },
    async (request) => listDisclosures(deps.db, actor(request), request.params.id, request.query),
  );

  app.post(
    '/api/disclosures/:id/notice',
    {
      schema: {
        tags: TAGS,
        summary: 'Close a disclosure under sundhedsloven § 43, stk. 2, nr. 2: the date the patient was told, or the reason for not telling (stk. 4)',
        params: IdParams,
        body: NoticeRequest,
        response: { 200: Disclosure, ...errors },
      },
    },
    async (request) => recordNotice(deps.db, actor(request), request.params.id, request.body),
  );

  app.get(
    '/api/disclosures/exceptions',
    { schema: { tags: TAGS, summary: "The dpo's review list: every disclosure the organisation made under an exception of sundhedsloven § 43, stk. 2", querystring: ListQuery, response: { 200: DisclosureList, ...errors } } },
    async (request) => listExceptions(deps.db, actor(request), request.query),
  );

  app.get(
    '/api/citizens/:id/health-information',
    {
      schema: {
        tags: TAGS,
        summary: "The municipality's marked health-information panel: the snapshots it received (marked when the consent was since withdrawn) and its sdl_43 consent status",
        params: IdParams,
        querystring: ListQuery,
        response: { 200: HealthInformation, ...errors },
      },
    },
    async (request) => healthInformation(deps.db, actor(request), request.params.id, request.query),
  );
}
