// An admin manages the own organisation's staff: create, list with pagination, change, deactivate, roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
let admin: Session;
beforeAll(async () => {
  t = await testApp();
  admin = await login(t.app, 'admin');
});
afterAll(async () => {
  await t.close();
});

describe('users', () => {
  it('creates a user with roles who can then log in and see the programme', async () => {
    const res = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'rk5',
        name: 'Emil Krogh',
        email: 'emil@example.invalid',
        initialPassword: 'korrekt hest batteri',
        roles: [{ role: 'resource_consultant', programmeId: PROGRAMME.paaVej }],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'rk5', active: true, version: 1, roles: [{ role: 'resource_consultant', programmeName: 'På vej til arbejde' }] });
    const rk5 = await login(t.app, 'rk5', 'korrekt hest batteri');
    // The initial password is temporary: the new user chooses their own before anything else.
    expect((await rk5.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'korrekt hest batteri', newPassword: 'min egen sætning 2026' } })).statusCode).toBe(204);
    expect((await rk5.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` })).statusCode).toBe(200);
    const rows = await auditRows(t.db, { actorUsername: 'admin', action: 'create' });
    expect(rows.at(-1)).toMatchObject({ resource_type: 'user', resource_id: res.json().id, outcome: 'success', purpose: 'administration' });
    const stored = await t.db.kysely.selectFrom('users').select('password_hash').where('username', '=', 'rk5').executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a taken username (any case), a weak password, and roles outside the organisation’s programmes', async () => {
    const base = { name: 'Test Person', initialPassword: 'a long passphrase 123', roles: [] };
    const taken = await admin.request({ method: 'POST', url: '/api/users', payload: { ...base, username: 'RK1' } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().issues).toEqual([{ path: 'username', message: 'taken' }]);
    const weak = await admin.request({ method: 'POST', url: '/api/users', payload: { ...base, username: 'weak', initialPassword: 'short' } });
    expect(weak.json().issues).toEqual([{ path: 'initialPassword', message: 'too_short' }]);
    const foreign = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { ...base, username: 'foreign', roles: [{ role: 'caseworker', programmeId: PROGRAMME.fremskudt }] },
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().issues[0].path).toBe('roles.0.programmeId');
    const orgRoleWithProgramme = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { ...base, username: 'x2', roles: [{ role: 'admin', programmeId: PROGRAMME.paaVej }] },
    });
    expect(orgRoleWithProgramme.statusCode).toBe(400);
    const badUsername = await admin.request({ method: 'POST', url: '/api/users', payload: { ...base, username: 'has space' } });
    expect(badUsername.json().issues[0].path).toBe('body.username');
    expect(await t.db.kysely.selectFrom('users').select('id').where('username', 'in', ['weak', 'foreign', 'x2', 'has space']).execute()).toEqual([]);
  });

  it('paginates by name with a cursor, without repeats or gaps, and searches', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await admin.request({ method: 'GET', url })).json() as { items: { name: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((u) => u.name));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await t.db.kysely.selectFrom('users').select('name').where('organisation_id', '=', '00000000-0000-4000-8000-000000000101').execute();
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen).size).toBe(all.length);
    expect([...seen]).toEqual([...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en')));
    const found = (await admin.request({ method: 'GET', url: '/api/users?q=lone' })).json();
    expect(found.items.map((u: { username: string }) => u.username)).toEqual(['rk1']);
    const bad = await admin.request({ method: 'GET', url: '/api/users?cursor=%%%' });
    expect(bad.statusCode).toBe(400);
  });

  it('changes a user with the current version and answers 409 on a stale one', async () => {
    const target = userId(8);
    const first = await admin.request({ method: 'PATCH', url: `/api/users/${target}`, payload: { version: 1, email: 'mette@example.invalid' } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ email: 'mette@example.invalid', version: 2 });
    const stale = await admin.request({ method: 'PATCH', url: `/api/users/${target}`, payload: { version: 1, name: 'Overwritten' } });
    expect(stale.statusCode).toBe(409);
    const stored = await t.db.kysely.selectFrom('users').select('name').where('id', '=', target).executeTakeFirstOrThrow();
    expect(stored.name).toBe('Mette Frandsen');
  });

  it('deactivating a user ends their sessions and stops login; an admin cannot deactivate themself', async () => {
    const victim = await login(t.app, 'jobkonsulent');
    const res = await admin.request({ method: 'PATCH', url: `/api/users/${userId(9)}`, payload: { version: 1, active: false } });
    expect(res.statusCode).toBe(200);
    expect((await victim.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'jobkonsulent', password: 'demo' } })).statusCode).toBe(401);
    const self = await admin.request({ method: 'PATCH', url: `/api/users/${userId(1)}`, payload: { version: 1, active: false } });
    expect(self.statusCode).toBe(400);
    expect(self.json().issues).toEqual([{ path: 'active', message: 'own account' }]);
  });

  it('replaces roles and resets a password, lifting a lockout', async () => {
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'rk4', password: 'x' } });
    const res = await admin.request({
      method: 'PATCH',
      url: `/api/users/${userId(7)}`,
      payload: { version: 1, newPassword: 'solsikke og regnvejr 42', roles: [{ role: 'programme_manager', programmeId: PROGRAMME.paaVej }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().roles).toEqual([{ role: 'programme_manager', programmeId: PROGRAMME.paaVej, programmeName: 'På vej til arbejde' }]);
    expect(res.json().lockedUntil).toBeNull();
    const me = (await (await login(t.app, 'rk4', 'solsikke og regnvejr 42')).request({ method: 'GET', url: '/api/auth/me' })).json();
    expect(me.user.roles.map((r: { role: string }) => r.role)).toEqual(['programme_manager']);
    expect(me.user.passwordChangeRequired).toBe(true);
    const update = (await auditRows(t.db, { actorUsername: 'admin', action: 'update' })).at(-1)!;
    expect(update.criteria).toMatchObject({ changed: expect.arrayContaining(['roles', 'password']) });
    expect(JSON.stringify(update.criteria)).not.toContain('solsikke');
  });

  it('offers the programmes of the own organisation for roles', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/users/options' });
    expect(res.json().programmes).toEqual([{ id: PROGRAMME.paaVej, name: 'På vej til arbejde' }]);
    expect(res.json().roles).toContain('resource_consultant');
    expect(res.json().roles).not.toContain('citizen');
  });
});

describe('separation of duties', () => {
  it('an admin cannot give themself roles nor set their own password through the user pages; each refusal is audited', async () => {
    const self = userId(1);
    const current = (await admin.request({ method: 'GET', url: `/api/users/${self}` })).json();
    const grab = await admin.request({
      method: 'PATCH',
      url: `/api/users/${self}`,
      payload: { version: current.version, roles: [{ role: 'admin', programmeId: null }, { role: 'dpo', programmeId: null }, { role: 'programme_manager', programmeId: PROGRAMME.paaVej }] },
    });
    expect(grab.statusCode).toBe(403);
    const password = await admin.request({ method: 'PATCH', url: `/api/users/${self}`, payload: { version: current.version, newPassword: 'mit eget nye kodeord 9' } });
    expect(password.statusCode).toBe(403);
    const after = (await admin.request({ method: 'GET', url: `/api/users/${self}` })).json();
    expect(after.roles).toEqual([{ role: 'admin', programmeId: null, programmeName: null }]);
    expect(after.version).toBe(current.version);
    // The own roles sent back unchanged (as the edit form does) are no change, and the name can still be edited.
    const unchanged = await admin.request({ method: 'PATCH', url: `/api/users/${self}`, payload: { version: current.version, name: 'Birgitte Holm', roles: [{ role: 'admin', programmeId: null }] } });
    expect(unchanged.statusCode, unchanged.body).toBe(200);
    const denied = (await auditRows(t.db, { actorUsername: 'admin', action: 'update', outcome: 'denied' })).map((r) => r.criteria);
    expect(denied).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'own_roles' }), expect.objectContaining({ reason: 'own_password' })]));
    expect(await auditRows(t.db, { actorUsername: 'admin', action: 'grant-role' }).then((rows) => rows.filter((r) => r.resource_id === self))).toEqual([]);
  });

  it('audits every role given or taken and every password an admin sets as its own row, listed under the dpo’s accounts category', async () => {
    const created = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'nyleder', name: 'Ny Leder', initialPassword: 'en lang startkode 77', roles: [{ role: 'programme_manager', programmeId: PROGRAMME.paaVej }] },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const changed = await admin.request({
      method: 'PATCH',
      url: `/api/users/${id}`,
      payload: { version: created.json().version, roles: [{ role: 'caseworker', programmeId: PROGRAMME.paaVej }], newPassword: 'endnu en lang kode 78' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const rows = (await auditRows(t.db, { actorUsername: 'admin' })).filter((r) => r.resource_id === id);
    const summary = rows.map((r) => [r.action, r.criteria?.role ?? r.criteria?.initial ?? null]);
    expect(summary).toEqual([
      ['create', null],
      ['grant-role', 'programme_manager'],
      ['reset-password', true],
      ['update', null],
      ['grant-role', 'caseworker'],
      ['revoke-role', 'programme_manager'],
      ['reset-password', false],
    ]);
    expect(JSON.stringify(rows.map((r) => r.criteria))).not.toContain('lang');

    const dpo = await login(t.app, 'dpo');
    const listed = (await dpo.request({ method: 'GET', url: '/api/audit?category=accounts&limit=200' })).json().items as { action: string; resourceId: string }[];
    expect(listed.filter((r) => r.resourceId === id).map((r) => r.action)).toEqual(['reset-password', 'revoke-role', 'grant-role', 'reset-password', 'grant-role']);
    expect(new Set(listed.map((r) => r.action))).toEqual(new Set(['grant-role', 'revoke-role', 'reset-password']));
  });
});

describe('temporary passwords', () => {
  it('a password an admin set opens only me, session, logout and the password change until the user changes it', async () => {
    const created = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'midlertidig', name: 'Mia Midler', initialPassword: 'startkoden er lang 12', roles: [{ role: 'caseworker', programmeId: PROGRAMME.paaVej }] },
    });
    expect(created.statusCode).toBe(201);
    const s = await login(t.app, 'midlertidig', 'startkoden er lang 12');
    const me = await s.request({ method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.passwordChangeRequired).toBe(true);
    for (const req of [
      { method: 'GET' as const, url: `/api/programmes/${PROGRAMME.paaVej}` },
      { method: 'GET' as const, url: '/api/citizens' },
      { method: 'POST' as const, url: '/api/citizens/search', payload: {} },
    ]) {
      const res = await s.request(req);
      expect(res.statusCode, req.url).toBe(403);
      expect(res.json().error).toBe('password_change_required');
    }
    const refusals = await auditRows(t.db, { actorUsername: 'midlertidig', outcome: 'denied' });
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect(refusals[0]!.criteria).toMatchObject({ reason: 'password_change_required', route: `/api/programmes/:id` });

    expect((await s.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'startkoden er lang 12', newPassword: 'mit helt eget udsagn 5' } })).statusCode).toBe(204);
    expect((await s.request({ method: 'GET', url: '/api/auth/me' })).json().user.passwordChangeRequired).toBe(false);
    expect((await s.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` })).statusCode).toBe(200);
    expect((await s.request({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
  });

  it('logout works with a temporary password; demo users and their own passwords are not temporary', async () => {
    const { password_must_change } = await t.db.kysely.selectFrom('users').select('password_must_change').where('username', '=', 'projektleder').executeTakeFirstOrThrow();
    expect(password_must_change).toBe(false);
    const pm = await login(t.app, 'projektleder');
    expect((await pm.request({ method: 'GET', url: '/api/auth/me' })).json().user.passwordChangeRequired).toBe(false);
    expect((await pm.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` })).statusCode).toBe(200);
  });
});
