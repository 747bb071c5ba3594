// The user form's values, its checks while typing, and the translation of the server's field issues.
import type { StaffUser } from '../../../contracts/users.ts';
import type { RoleName } from '../../../contracts/common.ts';
import type { MessageKey } from '../../i18n/i18n.tsx';
import { passwordProblem, passwordIssueKey } from '../auth/passwordRules.ts';

export type RoleRow = { key: number; role: RoleName | ''; programmeId: string };

export type UserFormValues = {
  username: string;
  name: string;
  email: string;
  password: string;
  roles: RoleRow[];
};

export type FieldName = 'username' | 'name' | 'email' | 'password' | `roles.${number}.role` | `roles.${number}.programmeId`;
export type FormErrors = Partial<Record<FieldName, MessageKey>>;

/** Organisation roles carry no programme; every other role needs one (the server's rule too). */
export const isOrganisationRole = (role: string) => role === 'admin' || role === 'dpo';

let nextKey = 1;
export const newRoleRow = (): RoleRow => ({ key: nextKey++, role: '', programmeId: '' });

export function valuesFromUser(user: StaffUser | null): UserFormValues {
  if (!user) return { username: '', name: '', email: '', password: '', roles: [newRoleRow()] };
  return {
    username: user.username,
    name: user.name,
    email: user.email ?? '',
    password: '',
    roles: user.roles.map((r) => ({ key: nextKey++, role: r.role, programmeId: r.programmeId ?? '' })),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const USERNAME = /^[a-z0-9._-]+$/i;

export function validate(values: UserFormValues, mode: 'create' | 'edit'): FormErrors {
  const errors: FormErrors = {};
  const username = values.username.trim();
  if (mode === 'create') {
    if (!username) errors.username = 'users.error.usernameMissing';
    else if (username.length < 2 || username.length > 50 || !USERNAME.test(username)) errors.username = 'users.error.usernameFormat';
  }
  if (!values.name.trim()) errors.name = 'users.error.nameMissing';
  if (values.email.trim() && !EMAIL.test(values.email.trim())) errors.email = 'users.error.email';
  if (mode === 'create' && !values.password) errors.password = 'users.error.passwordMissing';
  if (values.password) {
    const problem = passwordProblem(values.password, { username, name: values.name });
    if (problem) errors.password = passwordIssueKey(problem);
  }
  values.roles.forEach((row, index) => {
    if (!row.role) errors[`roles.${index}.role`] = 'users.error.roleMissing';
    else if (!isOrganisationRole(row.role) && !row.programmeId) errors[`roles.${index}.programmeId`] = 'users.error.programmeMissing';
  });
  return errors;
}

const serverIssues: Record<string, MessageKey> = {
  taken: 'users.error.taken',
  too_short: 'password.issue.too_short',
  contains_name: 'password.issue.contains_name',
  'not a programme of your organisation': 'users.error.programmeNotOurs',
  'own account': 'users.error.ownAccount',
};

/** The server's issues as form errors; the password field has another name in each request. */
export function errorsFromServer(issues: { path: string; message: string }[]): FormErrors {
  const errors: FormErrors = {};
  for (const issue of issues) {
    const path = issue.path.replace(/^body\./, '').replace(/^(initialPassword|newPassword)$/, 'password');
    const key = serverIssues[issue.message] ?? 'users.error.invalid';
    if (path === 'username' || path === 'name' || path === 'email' || path === 'password') errors[path] = key;
    const role = /^roles\.(\d+)(?:\.(role|programmeId))?/.exec(path);
    if (role) errors[`roles.${Number(role[1])}.${role[2] === 'role' ? 'role' : 'programmeId'}`] = key;
  }
  return errors;
}

export function sameValues(a: UserFormValues, b: UserFormValues): boolean {
  const roles = (v: UserFormValues) => JSON.stringify(v.roles.map((r) => [r.role, r.programmeId]));
  return a.username === b.username && a.name === b.name && a.email === b.email && a.password === b.password && roles(a) === roles(b);
}
