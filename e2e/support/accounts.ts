// Set-up through the API for browser tests: a staff user created by the demo admin, a citizen created by a demo user.
import { url } from './browser.ts';

const PAA_VEJ = '00000000-0000-4000-8000-000000000201';

/** Logs in as a demo user, posts one request, logs out; returns the created id. */
async function postAs(username: string, path: string, body: unknown): Promise<string> {
  const login = await fetch(url('/api/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  if (login.status !== 200) throw new Error(`login as ${username} failed: ${login.status}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const created = await fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify(body),
  });
  if (created.status !== 201) throw new Error(`POST ${path} failed: ${created.status} ${await created.text()}`);
  const id = ((await created.json()) as { id: string }).id;
  await fetch(url('/api/auth/logout'), { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
  return id;
}

export function createUserAsAdmin(username: string, name: string, initialPassword: string, role = 'caseworker'): Promise<string> {
  return postAs('admin', '/api/users', { username, name, initialPassword, roles: [{ role, programmeId: PAA_VEJ }] });
}

/** A citizen not enrolled anywhere: only its creator may see it. */
export function createCitizenAs(username: string, cpr: string): Promise<string> {
  return postAs(username, '/api/citizens', { cpr, firstName: 'Skjult', lastName: 'Borgersen' });
}
