// The citizen's access log is read through the partial index audit_log_citizen_view (docs/decisions/0032): the
// PostgreSQL planner's plan for the log's first page, checked on a real server (PGlite's planner statistics are not
// the production planner's; this file runs only in the postgres project).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLogPage } from '../../../contracts/portal-log.ts';
import { ORG, userId } from '../../demo/ids.ts';
import { accessLogPageSql } from './access-log.repository.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from '../portal/portal.fixtures.ts';

const RK1 = userId(4);
let t: TestContext;
let rk1: Session;

async function invitedCitizen(): Promise<{ id: string; portal: PortalSession }> {
  const email = 'access.log.index@example.invalid';
  const c = await portalCitizen(rk1, RK1, { email, firstName: 'Indeks', lastName: 'Borgersen' });
  const res = await invite(rk1, c.id);
  expect(res.statusCode, res.body).toBe(200);
  const portal = await portalLoginAs(t, email, email, '198.51.100.200');
  await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', portal.csrf).execute();
  return { id: c.id, portal };
}

async function log(c: { portal: PortalSession }, query = ''): Promise<AccessLogPage> {
  const res = await c.portal.request({ method: 'GET', url: `/api/portal/access-log${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as AccessLogPage;
}

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
});
afterAll(async () => {
  await t.close();
});

describe('the index', () => {
  it('serves the page by citizen id, newest first', async () => {
    expect(t.db.engine).toBe('postgres');
    const c = await invitedCitizen();
    const link = await t.db.kysely.selectFrom('portal_links').select('account_id').where('citizen_id', '=', c.id).executeTakeFirstOrThrow();
    // 20 000 rows about this record, half of them the citizen's own portal actions: enough that the planner reads
    // the newest page from an index range instead of sorting (bench/access-log.ts does the same at 5 million rows).
    await sql`insert into audit_log (occurred_at, organisation_id, actor_username, actor_organisation_id, actor_roles, action, purpose, resource_type, citizen_id, outcome)
      select now(), ${ORG.naestved}::uuid, 'rk1', ${ORG.naestved}::uuid,
             case when i % 2 = 0 then '{citizen}'::text[] else '{resource_consultant}'::text[] end,
             'read', 'case_work', 'citizen', ${c.id}::uuid, 'success'
        from generate_series(1, 20000) i`.execute(t.db.owner);
    // And 60 000 rows about 3 000 other citizens, so that this record is a small part of the log, as in production
    // (the audit log keeps a citizen's id without a foreign key: it outlives the record).
    await sql`insert into audit_log (occurred_at, organisation_id, actor_username, actor_organisation_id, actor_roles, action, purpose, resource_type, citizen_id, outcome)
      select now(), ${ORG.naestved}::uuid, 'rk1', ${ORG.naestved}::uuid, '{resource_consultant}'::text[],
             'read', 'case_work', 'citizen', md5('other citizen ' || (i % 3000))::uuid, 'success'
        from generate_series(1, 60000) i`.execute(t.db.owner);
    await sql`analyze audit_log`.execute(t.db.owner);
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${accessLogPageSql(link.account_id, [c.id], null, 21)}`.execute(t.db.kysely);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan using audit_log_citizen_view on audit_log/);
    // Per record, the newest rows in index order straight under the limit (no sort of the record's rows, no bitmap
    // scan of them), and no filter on the citizen's own rows: they are not in the index.
    expect(plan).toMatch(/Limit[^\n]*\n\s*->\s*(Nested Loop Anti Join[^\n]*\n(\s*Join Filter:[^\n]*\n)?\s*->\s*)?Index Scan using audit_log_citizen_view on audit_log a/);
    expect(plan).toMatch(/Index Cond: \(citizen_id = c\.id\)/);
    expect(plan).not.toMatch(/Bitmap Heap Scan on audit_log/);
    expect(plan).not.toMatch(/actor_roles/);
    const page = await log(c, '?limit=20');
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).not.toBeNull();
  });
});
