// Query budgets: the number of SQL statements one request sends (transaction control and the audit row
// included), per route, on both engines. A change that adds a statement to a route fails here and must
// say why, by raising the budget in this table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME } from './demo/ids.ts';
import { login, testApp, type InjectResponse, type Session, type TestContext } from './testing/harness.ts';

let t: TestContext;
const as: Record<string, Session> = {};
let citizenId: string;

beforeAll(async () => {
  t = await testApp();
  for (const username of ['rk1', 'admin', 'dpo', 'projektleder']) as[username] = await login(t.app, username);
  const list = await as.rk1!.request({ method: 'GET', url: '/api/citizens?scope=mine' });
  citizenId = (list.json() as { items: { id: string }[] }).items[0]!.id;
});
afterAll(async () => {
  await t.close();
});

type Case = { route: string; user: string; budget: number; send: (s: Session) => Promise<InjectResponse> };

/** Today's statement counts; the request-path work lowers them, never raises them silently. */
const cases: Case[] = [
  { route: 'GET /api/auth/me', user: 'rk1', budget: 1, send: (s) => s.request({ method: 'GET', url: '/api/auth/me' }) },
  { route: 'GET /api/auth/session', user: 'rk1', budget: 1, send: (s) => s.request({ method: 'GET', url: '/api/auth/session' }) },
  { route: 'GET /api/programmes', user: 'projektleder', budget: 5, send: (s) => s.request({ method: 'GET', url: '/api/programmes' }) },
  { route: 'GET /api/programmes/:id', user: 'projektleder', budget: 11, send: (s) => s.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}` }) },
  { route: 'GET /api/citizens', user: 'rk1', budget: 5, send: (s) => s.request({ method: 'GET', url: '/api/citizens' }) },
  { route: 'POST /api/citizens/search (name)', user: 'rk1', budget: 6, send: (s) => s.request({ method: 'POST', url: '/api/citizens/search', payload: { q: 'an' } }) },
  { route: 'GET /api/citizens/:id', user: 'rk1', budget: 6, send: (s) => s.request({ method: 'GET', url: `/api/citizens/${citizenId}` }) },
  { route: 'GET /api/citizens/:id/notes', user: 'rk1', budget: 7, send: (s) => s.request({ method: 'GET', url: `/api/citizens/${citizenId}/notes` }) },
  { route: 'GET /api/citizens/:id/timeline', user: 'rk1', budget: 7, send: (s) => s.request({ method: 'GET', url: `/api/citizens/${citizenId}/timeline` }) },
  {
    route: 'POST /api/citizens/:id/notes',
    user: 'rk1',
    budget: 8,
    send: (s) => s.request({ method: 'POST', url: `/api/citizens/${citizenId}/notes`, payload: { kind: 'journal', body: 'Samtale om praktik.' } }),
  },
  { route: 'GET /api/users', user: 'admin', budget: 6, send: (s) => s.request({ method: 'GET', url: '/api/users' }) },
  { route: 'GET /api/audit', user: 'dpo', budget: 6, send: (s) => s.request({ method: 'GET', url: '/api/audit' }) },
  { route: 'GET /api/code-lists/:list', user: 'rk1', budget: 1, send: (s) => s.request({ method: 'GET', url: '/api/code-lists/benefit' }) },
];

describe('query budget per route', () => {
  for (const c of cases) {
    it(`${c.route} as ${c.user}: at most ${c.budget} statements`, async () => {
      // Counted on a warm instance (reference data cached, as after the first request of any user).
      await c.send(as[c.user]!);
      let response: InjectResponse | undefined;
      const statements = await t.db.statementsDuring(async () => {
        response = await c.send(as[c.user]!);
      });
      expect(response!.statusCode, response!.body).toBeLessThan(300);
      expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(c.budget);
    });
  }

  it('counts every statement, transaction control included', async () => {
    const statements = await t.db.statementsDuring(() => t.db.kysely.transaction().execute((tx) => tx.selectFrom('organisations').select('id').execute()));
    expect(statements.map((s) => s.trim().split(/\s+/)[0]!.toLowerCase())).toEqual(['begin', 'select', 'commit']);
  });
});
