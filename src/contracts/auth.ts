// Login, session and password contracts.
import { z } from 'zod';
import { Id, OrganisationRef, RoleName, Secret, Text } from './common.ts';

export const LoginRequest = z
  .object({
    username: Text(100),
    password: Secret(),
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

/** What the UI asks on every load: answered 200 whether or not somebody is logged in. */
export const SessionResponse = z.object({
  user: SessionUser.nullable(),
  /** Present exactly when a user is logged in. */
  csrfToken: z.string().optional(),
  /** Demo mode: the UI shows a banner so nobody takes demo data for real data. */
  demo: z.boolean(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const ChangePasswordRequest = z
  .object({
    currentPassword: Secret(),
    newPassword: Secret(),
  })
  .strict();
