// HTTP routes: Group courses, their sessions and attendance.
import { z } from 'zod';
import { ErrorBody, Id } from '../../../contracts/common.ts';
import {
  AddParticipantsRequest,
  AttendanceRequest,
  AttendanceStatus,
  CitizenCourseList,
  CourseDetail,
  CourseListQuery,
  CoursePage,
  CreateCourseRequest,
  CreateCourseResponse,
  ParticipantParams,
  SchedulePreview,
  ScheduleRequest,
  Session,
  SessionParams,
  UpdateParticipantRequest,
  UpdateParticipantResponse,
  UpdateSessionRequest,
} from '../../../contracts/courses.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import * as courses from './courses.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = z.object({ id: Id }).strict();
const tags = ['group courses'];

export function courseRoutes(app: TypedApp, deps: AppDeps): void {
  const d = { db: deps.db };
  const actor = (request: Parameters<typeof requireSession>[0]) => requireSession(request).actor;

  app.post(
    '/api/programmes/:id/group-courses/preview',
    {
      schema: {
        tags,
        summary: 'The sessions a schedule gives, with the Danish public holidays it skips (nothing is saved)',
        params: IdParams,
        body: ScheduleRequest,
        response: { 200: SchedulePreview, ...errors },
      },
    },
    async (request) => courses.previewSchedule(d, actor(request), request.params.id, request.body),
  );

  app.post(
    '/api/programmes/:id/group-courses',
    {
      schema: {
        tags,
        summary: 'Create a group course with its sessions (public holidays skipped; the count stays)',
        description: 'Leaders must be case staff of the organisation that owns the programme; a leader from another organisation answers 400 until consent can be recorded.',
        params: IdParams,
        body: CreateCourseRequest,
        response: { 201: CreateCourseResponse, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await courses.createCourse(d, actor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/programmes/:id/group-courses',
    { schema: { tags, summary: "The programme's group courses, newest first, with participant counts and attendance rates", params: IdParams, querystring: CourseListQuery, response: { 200: CoursePage, ...errors } } },
    async (request) => courses.listCourses(d, actor(request), request.params.id, request.query),
  );

  app.get(
    '/api/group-courses/:id',
    {
      schema: {
        tags,
        summary: 'A group course with its sessions; its leaders also get the participants and the attendance grid, everyone else a count',
        params: IdParams,
        response: { 200: CourseDetail, ...errors },
      },
    },
    async (request) => courses.getCourse(d, actor(request), request.params.id),
  );

  app.patch(
    '/api/group-courses/:id/sessions/:sessionId',
    { schema: { tags, summary: 'Move, shorten or cancel one session (send the version you read)', params: SessionParams, body: UpdateSessionRequest, response: { 200: Session, ...errors } } },
    async (request) => courses.updateSession(d, actor(request), request.params.id, request.params.sessionId, request.body),
  );

  app.post(
    '/api/group-courses/:id/participants',
    {
      schema: {
        tags,
        summary: 'Enrol citizens of the programme in the course (leaders only; capacity respected)',
        params: IdParams,
        body: AddParticipantsRequest,
        response: { 200: z.object({ added: z.number().int(), participantCount: z.number().int() }), ...errors },
      },
    },
    async (request) => courses.addParticipants(d, actor(request), request.params.id, request.body),
  );

  app.delete(
    '/api/group-courses/:id/participants/:citizenId',
    { schema: { tags, summary: 'A participant leaves the course (kept with the date they left; leaders only)', params: ParticipantParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await courses.removeParticipant(d, actor(request), request.params.id, request.params.citizenId);
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/api/group-courses/:id/participants/:citizenId',
    {
      schema: {
        tags,
        summary: "Mark a participant's place registered in Min Plan, not relevant or not registered (leaders only; send the version read)",
        description: "While a place is not registered, an open task in the citizen's plan reminds the caseworker; registered or not relevant closes it.",
        params: ParticipantParams,
        body: UpdateParticipantRequest,
        response: { 200: UpdateParticipantResponse, ...errors },
      },
    },
    async (request) => courses.updateParticipant(d, actor(request), request.params.id, request.params.citizenId, request.body),
  );

  app.put(
    '/api/group-courses/:id/sessions/:sessionId/attendance',
    {
      schema: {
        tags,
        summary: "Attendance for the whole group in one request: attended, excused (never with a reason) or absent (leaders only)",
        params: SessionParams,
        body: AttendanceRequest,
        response: {
          200: z.object({ sessionId: Id, entries: z.array(z.object({ citizenId: Id, status: AttendanceStatus })), changed: z.number().int(), rate: z.number().nullable() }),
          ...errors,
        },
      },
    },
    async (request) => courses.takeAttendance(d, actor(request), request.params.id, request.params.sessionId, request.body),
  );

  app.get(
    '/api/citizens/:id/group-courses',
    { schema: { tags, summary: "The citizen's group courses with their own attendance per session (never other participants)", params: IdParams, response: { 200: CitizenCourseList, ...errors } } },
    async (request) => courses.coursesOfCitizen(d, actor(request), request.params.id),
  );
}
