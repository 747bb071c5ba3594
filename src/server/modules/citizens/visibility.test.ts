// The visibility rule is written twice — `decide` for one citizen, SQL for lists — and they must agree:
// for each role, the citizens a full listing returns are exactly those the chokepoint lets it read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type TestContext } from '../../testing/harness.ts';
import * as repo from './citizens.repository.ts';

let t: TestContext;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

async function listedIds(username: string, scope: 'all' | 'mine'): Promise<Set<string>> {
  const s = await login(t.app, username);
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const url: string = `/api/citizens?scope=${scope}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
    const body = (await s.request({ method: 'GET', url })).json() as { items: { id: string }[]; nextCursor: string | null };
    for (const c of body.items) ids.add(c.id);
    cursor = body.nextCursor;
  } while (cursor);
  return ids;
}

describe('list visibility agrees with the access check', () => {
  it.each(['rk1', 'rk3', 'sagsbehandler', 'jobkonsulent', 'projektleder', 'nordfyn', 'liaison', 'styregruppe', 'admin'])('for %s', async (username) => {
    const me = (await (await login(t.app, username)).request({ method: 'GET', url: '/api/auth/me' })).json().user;
    const actor: Actor = { userId: me.id, username, name: me.name, organisationId: me.organisation.id, roles: me.roles.map((r: { role: string; programmeId: string | null }) => ({ role: r.role, programmeId: r.programmeId })) };
    const today = dateInCopenhagen();
    const all = await t.db.kysely.selectFrom('citizens').select('id').execute();
    const allowed = new Set<string>();
    for (const { id } of all) {
      const rel = (await repo.citizenRelations(t.db.kysely, id, today))!;
      if (decide(actor, 'citizen:read', { type: 'citizen', organisationId: rel.organisationId, citizen: rel }).allowed) allowed.add(id);
    }
    const listed = await listedIds(username, 'all');
    expect([...listed].sort()).toEqual([...allowed].sort());
    const mine = await listedIds(username, 'mine');
    expect([...mine].every((id) => allowed.has(id))).toBe(true);
    if (['rk1', 'rk3', 'sagsbehandler', 'nordfyn'].includes(username)) expect(mine.size).toBeGreaterThan(5);
    if (['styregruppe', 'admin'].includes(username)) expect(listed.size).toBe(0);
    // The liaison lists the region's own records of the patients whose team they are on, never a municipal record.
    if (username === 'liaison') {
      expect(mine.size).toBeGreaterThan(5);
      const owners = await t.db.kysely.selectFrom('citizens').select('organisation_id').distinct().where('id', 'in', [...listed]).execute();
      expect(owners.map((o) => o.organisation_id)).toEqual([me.organisation.id]);
    }

    // A name search (which checks a few candidates' visibility by its own query) agrees as well.
    const s = await login(t.app, username);
    for (const q of ['sen', 'a']) {
      const matching = await t.db.kysely.selectFrom('citizens').select('id').where('search_name', 'like', `%${q}%`).execute();
      const expected = matching.map((r) => r.id).filter((id) => allowed.has(id)).sort();
      const found: string[] = [];
      let cursor: string | null = null;
      do {
        const body = (await s.request({ method: 'POST', url: '/api/citizens/search', payload: { q, limit: 100, ...(cursor ? { cursor } : {}) } })).json() as { items: { id: string }[]; nextCursor: string | null };
        found.push(...body.items.map((c) => c.id));
        cursor = body.nextCursor;
      } while (cursor);
      expect(found.sort(), q).toEqual(expected);
    }
  }, 60_000);
});
