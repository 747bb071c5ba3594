// Contracts for an organisation's admin managing staff users and their roles.
import { z } from 'zod';
import { Cursor, Id, Limit, RoleName, Secret, Text, Version } from './common.ts';

export const AssignableRole = RoleName.exclude(['citizen', 'company_contact']);

export const RoleAssignment = z
  .object({ role: AssignableRole, programmeId: Id.nullable() })
  .strict()
  .refine((r) => (r.role === 'admin' || r.role === 'dpo') === (r.programmeId === null), {
    message: 'admin and dpo are organisation roles without a programme; every other role needs a programme',
    path: ['programmeId'],
  });

export const StaffUser = z.object({
  id: Id,
  username: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  roles: z.array(z.object({ role: RoleName, programmeId: Id.nullable(), programmeName: z.string().nullable() })),
  version: z.number().int(),
});
export type StaffUser = z.infer<typeof StaffUser>;

export const UserListQuery = z
  .object({
    q: Text(100, 0).optional(),
    cursor: Cursor.optional(),
    limit: Limit(25),
  })
  .strict();

export const UserList = z.object({ items: z.array(StaffUser), nextCursor: z.string().nullable() });

const Username = Text(50, 2).regex(/^[a-z0-9._-]+$/i, 'letters a–z, digits, dot, dash and underscore only');

export const CreateUserRequest = z
  .object({
    username: Username,
    name: Text(200),
    email: z.email().max(200).nullable().optional(),
    initialPassword: Secret(),
    roles: z.array(RoleAssignment).max(50).default([]),
  })
  .strict();

export const UpdateUserRequest = z
  .object({
    version: Version,
    name: Text(200).optional(),
    email: z.email().max(200).nullable().optional(),
    active: z.boolean().optional(),
    /** Sets a new password (e.g. after a forgotten one) and lifts a lockout. */
    newPassword: Secret().optional(),
    roles: z.array(RoleAssignment).max(50).optional(),
  })
  .strict();

export const UserParams = z.object({ id: Id }).strict();

export const UserOptions = z.object({
  programmes: z.array(z.object({ id: Id, name: z.string() })),
  roles: z.array(AssignableRole),
});
