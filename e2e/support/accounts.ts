// Creates a staff user through the API as the demo admin, for browser tests that need an account of their own.
import { url } from './browser.ts';

const PAA_VEJ = '00000000-0000-4000-8000-000000000201';

export async function createUserAsAdmin(username: string, name: string, initialPassword: string, role = 'caseworker'): Promise<string> {
  const login = await fetch(url('/api/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'demo' }),
  });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const created = await fetch(url('/api/users'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ username, name, initialPassword, roles: [{ role, programmeId: PAA_VEJ }] }),
  });
  if (created.status !== 201) throw new Error(`creating ${username} failed: ${created.status} ${await created.text()}`);
  const id = ((await created.json()) as { id: string }).id;
  await fetch(url('/api/auth/logout'), { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
  return id;
}
