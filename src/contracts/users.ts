// Contracts for an organisation's admin managing staff users and their roles.
import { z } from 'zod';
import { Id, RoleName } from './common.ts';

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
    q: z.string().trim().max(100).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();

export const UserList = z.object({ items: z.array(StaffUser), nextCursor: z.string().nullable() });

const Username = z
  .string()
  .trim()
  .min(2)
  .max(50)
  .regex(/^[a-z0-9._-]+$/i, 'letters a–z, digits, dot, dash and underscore only');

export const CreateUserRequest = z
  .object({
    username: Username,
    name: z.string().trim().min(1).max(200),
    email: z.email().max(200).nullable().optional(),
    initialPassword: z.string().min(1).max(1000),
    roles: z.array(RoleAssignment).max(50).default([]),
  })
  .strict();

export const UpdateUserRequest = z
  .object({
    version: z.number().int(),
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(200).nullable().optional(),
    active: z.boolean().optional(),
    /** Sets a new password (e.g. after a forgotten one) and lifts a lockout. */
    newPassword: z.string().min(1).max(1000).optional(),
    roles: z.array(RoleAssignment).max(50).optional(),
  })
  .strict();

export const UserParams = z.object({ id: Id }).strict();

export const UserOptions = z.object({
  programmes: z.array(z.object({ id: Id, name: z.string() })),
  roles: z.array(AssignableRole),
});
