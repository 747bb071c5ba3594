// Set-up through the API for browser tests: a staff user created by the demo admin, a citizen created by a demo user.
import { url } from './browser.ts';

const PAA_VEJ = '00000000-0000-4000-8000-000000000201';

export interface ApiSession {
  userId: string;
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
  patch(path: string, body: unknown): Promise<Response>;
  logout(): Promise<void>;
}

/** Logs in as a demo user through the API, for setting up what a browser test then looks at. */
export async function apiSession(username: string): Promise<ApiSession> {
  const login = await fetch(url('/api/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  if (login.status !== 200) throw new Error(`login as ${username} failed: ${login.status}`);
  const { user, csrfToken } = (await login.json()) as { user: { id: string }; csrfToken: string };
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const headers = { cookie, 'x-csrf-token': csrfToken };
  return {
    userId: user.id,
    get: (path) => fetch(url(path), { headers }),
    post: (path, body) => fetch(url(path), { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    patch: (path, body) => fetch(url(path), { method: 'PATCH', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    logout: async () => {
      await fetch(url('/api/auth/logout'), { method: 'POST', headers });
    },
  };
}

/** Logs in as a demo user, posts one request, logs out; returns the created id. */
async function postAs(username: string, path: string, body: unknown): Promise<string> {
  const session = await apiSession(username);
  const created = await session.post(path, body);
  if (created.status !== 201) throw new Error(`POST ${path} failed: ${created.status} ${await created.text()}`);
  const id = ((await created.json()) as { id: string }).id;
  await session.logout();
  return id;
}

export function createUserAsAdmin(username: string, name: string, initialPassword: string, role = 'caseworker'): Promise<string> {
  return postAs('admin', '/api/users', { username, name, initialPassword, roles: [{ role, programmeId: PAA_VEJ }] });
}

/** A citizen not enrolled anywhere: only its creator may see it. */
export function createCitizenAs(username: string, cpr: string): Promise<string> {
  return postAs(username, '/api/citizens', { cpr, firstName: 'Skjult', lastName: 'Borgersen' });
}

/** A citizen enrolled in "På vej til arbejde" with the creating consultant on the team; returns the id. */
export async function createEnrolledCitizenAs(session: ApiSession, citizen: { cpr: string; firstName: string; lastName: string }): Promise<string> {
  const created = await session.post('/api/citizens', {
    ...citizen,
    enrolment: { programmeId: PAA_VEJ, startDate: '2019-03-01', benefitCode: 'kontanthjaelp', consultantIds: [session.userId] },
  });
  if (created.status !== 201) throw new Error(`creating the citizen failed: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { id: string }).id;
}
