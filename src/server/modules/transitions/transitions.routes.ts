// HTTP routes of the transition from psychiatric treatment (the region's id).
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import { CitizenTransition, OpenTransitionRequest, Transition, TransitionList, TransitionListQuery, UpdateTransitionRequest } from '../../../contracts/transitions.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { citizenTransition, openTransition, openTransitions, updateTransition } from './transitions.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();

export function transitionRoutes(app: TypedApp, deps: AppDeps): void {
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;
  const d = { db: deps.db };

  app.get(
    '/api/citizens/:id/transition',
    { schema: { tags: ['liaison'], summary: "The patient's transition checklist (the open one, otherwise the latest; the region's id)", params: IdParams, response: { 200: CitizenTransition, ...errors } } },
    async (request) => citizenTransition(d, actor(request), request.params.id),
  );

  app.post(
    '/api/citizens/:id/transition',
    { schema: { tags: ['liaison'], summary: 'Open a transition from treatment into the municipal effort (one open at a time)', params: IdParams, body: OpenTransitionRequest, response: { 201: Transition, ...errors } } },
    async (request, reply) => reply.code(201).send(await openTransition(d, actor(request), request.params.id, request.body)),
  );

  app.patch(
    '/api/transitions/:id',
    { schema: { tags: ['liaison'], summary: 'Record steps of the checklist, or complete (every step done) or cancel it', params: IdParams, body: UpdateTransitionRequest, response: { 200: Transition, ...errors } } },
    async (request) => updateTransition(d, actor(request), request.params.id, request.body),
  );

  app.get(
    '/api/transitions',
    { schema: { tags: ['liaison'], summary: "Open transitions of the liaison's or clinician's programmes, oldest first", querystring: TransitionListQuery, response: { 200: TransitionList, ...errors } } },
    async (request) => openTransitions(d, actor(request), request.query),
  );
}
