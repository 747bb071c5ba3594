// HTTP routes for an admin's management of staff users.
import { ErrorBody } from '../../../contracts/common.ts';
import { CreateUserRequest, StaffUser, UpdateUserRequest, UserList, UserListQuery, UserOptions, UserParams } from '../../../contracts/users.ts';
import { ASSIGNABLE_ROLES } from '../../platform/actor.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { createUser, getUser, listUsers, updateUser, userOptions } from './users.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function userRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/users',
    { schema: { tags: ['users'], summary: "The admin's organisation's staff, paginated by name", querystring: UserListQuery, response: { 200: UserList, ...errors } } },
    async (request) => listUsers(deps.db, requireSession(request).actor, request.query),
  );

  app.get(
    '/api/users/options',
    { schema: { tags: ['users'], summary: 'Programmes and roles an admin can assign', response: { 200: UserOptions, ...errors } } },
    async (request) => ({ ...(await userOptions(deps.db, requireSession(request).actor)), roles: [...ASSIGNABLE_ROLES] }),
  );

  app.get(
    '/api/users/:id',
    { schema: { tags: ['users'], summary: 'One staff user of the own organisation', params: UserParams, response: { 200: StaffUser, ...errors } } },
    async (request) => getUser(deps.db, requireSession(request).actor, request.params.id),
  );

  app.post(
    '/api/users',
    { schema: { tags: ['users'], summary: 'Create a staff user in the own organisation', body: CreateUserRequest, response: { 201: StaffUser, ...errors } } },
    async (request, reply) => reply.code(201).send(await createUser(deps.db, requireSession(request).actor, request.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change, deactivate, reset the password of, or set the roles of a user (send the version you read)',
        params: UserParams,
        body: UpdateUserRequest,
        response: { 200: StaffUser, ...errors },
      },
    },
    async (request) => updateUser(deps.db, requireSession(request).actor, request.params.id, request.body),
  );
}
