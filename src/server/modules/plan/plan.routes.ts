// HTTP routes: the plan, network meetings and individual conversations.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import {
  ConversationList,
  ConversationListQuery,
  CreateConversationRequest,
  CreatedWithNotices,
  CreateMeetingRequest,
  CreateMeetingResponse,
  MeetingList,
  MeetingListQuery,
  Plan,
  PlanChangeResponse,
  PlanHistory,
  PlanHistoryQuery,
  PlanQuery,
  PlanRevisionParams,
  PlanSnapshot,
  UpdateConversationRequest,
  UpdatePlanRequest,
} from '../../../contracts/plan.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { createConversation, listConversations, updateConversation } from './conversations.service.ts';
import { createMeeting, listMeetings } from './meetings.service.ts';
import { getPlan, planHistory, planSnapshot, updatePlan } from './plan.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();

export function planRoutes(app: TypedApp, deps: AppDeps): void {
  const d = { db: deps.db };
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.get(
    '/api/citizens/:id/plan',
    {
      schema: {
        tags: ['plan'],
        summary: "The plan of the citizen's open enrolment (`enrolmentId` for an earlier one); an empty plan until the first change",
        params: IdParams,
        querystring: PlanQuery,
        response: { 200: Plan, ...errors },
      },
    },
    async (request) => getPlan(d, actor(request), request.params.id, request.query),
  );

  app.patch(
    '/api/citizens/:id/plan',
    {
      schema: {
        tags: ['plan'],
        summary: 'Change the plan outside a meeting: overall goal, coordinator, follow-up, goals and tasks (send the version you read; 0 for an empty plan)',
        params: IdParams,
        body: UpdatePlanRequest,
        response: { 200: PlanChangeResponse, ...errors },
      },
    },
    async (request) => updatePlan(d, actor(request), request.params.id, request.body),
  );

  app.get(
    '/api/citizens/:id/plan/history',
    { schema: { tags: ['plan'], summary: 'Every revision of the plan, newest first: who, when, in which meeting, what changed', params: IdParams, querystring: PlanHistoryQuery, response: { 200: PlanHistory, ...errors } } },
    async (request) => planHistory(d, actor(request), request.params.id, request.query),
  );

  app.get(
    '/api/citizens/:id/plan/revisions/:revision',
    { schema: { tags: ['plan'], summary: 'The whole plan as it stood after one revision', params: PlanRevisionParams, querystring: PlanQuery, response: { 200: PlanSnapshot, ...errors } } },
    async (request) => planSnapshot(d, actor(request), request.params.id, request.params.revision, request.query.enrolmentId),
  );

  app.post(
    '/api/citizens/:id/network-meetings',
    {
      schema: {
        tags: ['plan'],
        summary: 'Record a network meeting (held, with the plan changes agreed there, saved in the same transaction) or plan one',
        description: "An outside participant needs the citizen's consent naming the topics (400 `consent_required` otherwise). `meetingId` records a planned meeting as held; `nextMeeting` books the next one.",
        params: IdParams,
        body: CreateMeetingRequest,
        response: { 201: CreateMeetingResponse, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createMeeting(d, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/citizens/:id/network-meetings',
    { schema: { tags: ['plan'], summary: "The citizen's network meetings with participants and minutes, newest first", params: IdParams, querystring: MeetingListQuery, response: { 200: MeetingList, ...errors } } },
    async (request) => listMeetings(d, actor(request), request.params.id, request.query),
  );

  app.post(
    '/api/citizens/:id/conversations',
    { schema: { tags: ['conversations'], summary: 'Register an individual conversation (planned, held or a no-show)', params: IdParams, body: CreateConversationRequest, response: { 201: CreatedWithNotices, ...errors } } },
    async (request, reply) => reply.code(201).send(await createConversation(d, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/citizens/:id/conversations',
    { schema: { tags: ['conversations'], summary: "The citizen's conversations, newest first", params: IdParams, querystring: ConversationListQuery, response: { 200: ConversationList, ...errors } } },
    async (request) => listConversations(d, actor(request), request.params.id, request.query),
  );

  app.patch(
    '/api/conversations/:id',
    { schema: { tags: ['conversations'], summary: 'Change a conversation: record a planned one as held or a no-show, cancel it, add the note (send the version you read)', params: IdParams, body: UpdateConversationRequest, response: { 200: z.object({ id: Id, version: z.number().int() }), ...errors } } },
    async (request) => updateConversation(d, actor(request), request.params.id, request.body),
  );
}
