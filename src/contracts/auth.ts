// Login, session and password contracts.
import { z } from 'zod';
import { Id, OrganisationRef, RoleName } from './common.ts';

export const LoginRequest = z
  .object({
    username: z.string().trim().min(1).max(100),
    password: z.string().min(1).max(1000),
  })
  .strict();

export const RoleGrant = z.object({
  role: RoleName,
  programmeId: Id.nullable(),
  programmeName: z.string().nullable(),
});

export const SessionUser = z.object({
  id: Id,
  username: z.string(),
  name: z.string(),
  organisation: OrganisationRef,
  roles: z.array(RoleGrant),
  /** The password was set by an administrator: until the user changes it, only the password change is open. */
  passwordChangeRequired: z.boolean(),
});
export type SessionUser = z.infer<typeof SessionUser>;

export const LoginResponse = z.object({ user: SessionUser, csrfToken: z.string() });
export type LoginResponse = z.infer<typeof LoginResponse>;
export const MeResponse = LoginResponse;

export const ChangePasswordRequest = z
  .object({
    currentPassword: z.string().min(1).max(1000),
    newPassword: z.string().min(1).max(1000),
  })
  .strict();
