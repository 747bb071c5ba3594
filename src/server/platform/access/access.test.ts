// The access table: every route × every demo role × own/other programme and organisation, over HTTP.
// Refusals answer 404 (401 when logged out), are audited as denied, and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { DEMO_USERS } from '../../demo/demo-data.ts';
import { hashPassword } from '../auth/passwords.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { decide } from './access.ts';
import { POLICY } from './policy.ts';

let t: TestContext;
const sessions = new Map<string, Session>();
const RK1 = userId(4);
const LIAISON = userId(13);

beforeAll(async () => {
  t = await testApp();
  // An admin of another organisation (the region), to prove admins stay inside their own.
  const [regionAdmin] = await t.db.kysely
    .insertInto('users')
    .values({ organisation_id: '00000000-0000-4000-8000-000000000103', username: 'regionsadmin', name: 'Region Admin', password_hash: await hashPassword('demo') })
    .returning('id')
    .execute();
  await t.db.kysely.insertInto('user_roles').values({ user_id: regionAdmin!.id, organisation_id: '00000000-0000-4000-8000-000000000103', role: 'admin', programme_id: null }).execute();
  for (const u of [...DEMO_USERS.map((d) => d.username), 'regionsadmin']) sessions.set(u, await login(t.app, u));
});
afterAll(async () => {
  await t.close();
});

type Expect = Record<string, number>;
const ALL = [...DEMO_USERS.map((d) => d.username), 'regionsadmin'];
const only = (allowed: Record<string, number>, otherwise = 404): Expect => Object.fromEntries(ALL.map((u) => [u, allowed[u] ?? otherwise]));
const P1_MEMBERS = ['rk1', 'rk2', 'rk3', 'rk4', 'sagsbehandler', 'jobkonsulent', 'projektleder', 'styregruppe', 'forsker'];
const P2_MEMBERS = ['liaison', 'behandler', 'nordfyn', 'regionsprojektleder'];

interface RouteCase {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  body?: (u: string) => unknown;
  expected: Expect;
}

const routes: RouteCase[] = [
  { name: 'list my programmes', method: 'GET', url: '/api/programmes', expected: only({}, 200) },
  { name: 'read På vej til arbejde', method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}`, expected: only(Object.fromEntries(P1_MEMBERS.map((u) => [u, 200]))) },
  { name: 'read Fremskudt', method: 'GET', url: `/api/programmes/${PROGRAMME.fremskudt}`, expected: only(Object.fromEntries(P2_MEMBERS.map((u) => [u, 200]))) },
  { name: 'read an unknown programme', method: 'GET', url: '/api/programmes/00000000-0000-4000-8000-00000000ffff', expected: only({}) },
  { name: 'list users', method: 'GET', url: '/api/users', expected: only({ admin: 200, regionsadmin: 200 }) },
  { name: 'read a Næstved user', method: 'GET', url: `/api/users/${RK1}`, expected: only({ admin: 200 }) },
  { name: 'staff of På vej til arbejde', method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/staff`, expected: only(Object.fromEntries(P1_MEMBERS.map((u) => [u, 200]))) },
  { name: 'user options', method: 'GET', url: '/api/users/options', expected: only({ admin: 200, regionsadmin: 200 }) },
  {
    name: 'create a user',
    method: 'POST',
    url: '/api/users',
    body: (u) => ({ username: `new-${u}`, name: 'Ny Medarbejder', initialPassword: 'a long passphrase 123', roles: [] }),
    expected: only({ admin: 201, regionsadmin: 201 }),
  },
  {
    name: 'change a Næstved user',
    method: 'PATCH',
    url: `/api/users/${RK1}`,
    body: () => ({ version: 1, email: 'lone@example.invalid' }),
    // Only the first successful call bumps the version; the admin runs first in the table below.
    expected: only({ admin: 200 }),
  },
  { name: 'change a region user', method: 'PATCH', url: `/api/users/${LIAISON}`, body: () => ({ version: 99, active: false }), expected: only({ regionsadmin: 409 }) },
  { name: 'search the audit log', method: 'GET', url: '/api/audit', expected: only({ dpo: 200, regionsdpo: 200 }) },
  { name: 'who am I', method: 'GET', url: '/api/auth/me', expected: only({}, 200) },
];

describe.each(routes)('$method $url ($name)', (route) => {
  it('answers 401 without a session', async () => {
    const res = await t.app.inject({ method: route.method, url: route.url, payload: route.body?.('anon') as object | undefined });
    expect(res.statusCode).toBe(401);
  });

  it.each(ALL)('as %s', async (username) => {
    const before = await t.db.kysely.selectFrom('users').select(['id', 'version', 'active', 'email']).orderBy('id').execute();
    const deniedBefore = (await auditRows(t.db, { actorUsername: username, outcome: 'denied' })).length;
    const res = await sessions.get(username)!.request({ method: route.method, url: route.url, payload: route.body?.(username) as object | undefined });
    const expected = route.expected[username];
    expect(res.statusCode, res.body).toBe(expected);
    if (expected === 404) {
      expect(res.json()).toEqual({ error: 'not_found', message: 'Not found' });
      const after = await t.db.kysely.selectFrom('users').select(['id', 'version', 'active', 'email']).orderBy('id').execute();
      expect(after).toEqual(before);
      expect((await auditRows(t.db, { actorUsername: username, outcome: 'denied' })).length).toBe(deniedBefore + 1);
    }
  });
});

describe('admins stay in their own organisation', () => {
  it('lists only the own organisation’s users', async () => {
    const naestved = (await sessions.get('admin')!.request({ method: 'GET', url: '/api/users?limit=100' })).json();
    const region = (await sessions.get('regionsadmin')!.request({ method: 'GET', url: '/api/users?limit=100' })).json();
    const names = (b: { items: { username: string }[] }) => b.items.map((u) => u.username);
    expect(names(naestved)).toContain('rk1');
    expect(names(naestved)).not.toContain('liaison');
    expect(names(region)).toEqual(expect.arrayContaining(['liaison', 'behandler', 'regionsdpo']));
    expect(names(region)).not.toContain('rk1');
  });
});

describe('policy table', () => {
  const actorWith = (role: string, programmeId: string | null, organisationId = 'org-a') => ({
    userId: 'u1',
    username: 'u',
    name: 'U',
    organisationId,
    roles: [{ role: role as 'admin', programmeId }],
  });

  it('denies every action to nobody and to an actor without roles', () => {
    for (const action of Object.keys(POLICY) as (keyof typeof POLICY)[]) {
      expect(decide(null, action, { type: 'x', organisationId: 'org-a', programmeId: 'p1', userId: 'u1' }).allowed).toBe(false);
    }
    const noRoles = { ...actorWith('admin', null), roles: [] };
    expect(decide(noRoles, 'user:read', { type: 'user', organisationId: 'org-a' }).allowed).toBe(false);
  });

  it('gives organisation roles only within the own organisation, and never through a programme role', () => {
    expect(decide(actorWith('admin', null), 'user:read', { type: 'user', organisationId: 'org-a' }).allowed).toBe(true);
    expect(decide(actorWith('admin', null), 'user:read', { type: 'user', organisationId: 'org-b' }).allowed).toBe(false);
    expect(decide(actorWith('dpo', null), 'audit:read', { type: 'audit_log', organisationId: 'org-b' }).allowed).toBe(false);
    expect(decide(actorWith('dpo', null), 'user:read', { type: 'user', organisationId: 'org-a' }).allowed).toBe(false);
    expect(decide(actorWith('admin', null), 'audit:read', { type: 'audit_log', organisationId: 'org-a' }).allowed).toBe(false);
    expect(decide(actorWith('programme_manager', 'p1'), 'user:read', { type: 'user', organisationId: 'org-a' }).allowed).toBe(false);
  });

  it('opens another organisation only through the shared-access hook', () => {
    const allowShared = () => true;
    expect(decide(actorWith('admin', null), 'user:read', { type: 'user', organisationId: 'org-b' }, allowShared)).toEqual({ allowed: true, via: 'shared' });
  });

  it('gives programme facts to members of that programme only', () => {
    expect(decide(actorWith('researcher', 'p1'), 'programme:read', { type: 'programme', organisationId: 'org-b', programmeId: 'p1' }).allowed).toBe(true);
    expect(decide(actorWith('researcher', 'p1'), 'programme:read', { type: 'programme', organisationId: 'org-b', programmeId: 'p2' }).allowed).toBe(false);
    expect(decide(actorWith('admin', null), 'programme:read', { type: 'programme', organisationId: 'org-a', programmeId: 'p1' }).allowed).toBe(false);
  });
});
