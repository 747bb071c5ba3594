// Access requests on both engines: the registry covers every citizen-id column of the database; a request becomes
// a case per organisation with its deadline; the responsible unit handles it (redaction, package job, decision,
// release), the dpo follows it and others get 404; the package holds every row about the citizen and nothing about
// a fellow group participant; the citizen downloads only their own released package.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessCase, AccessQueue, NewAccessRequestAnswer, PortalAccessCaseList } from '../../../contracts/access-requests.ts';
import { userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from '../portal/portal.fixtures.ts';
import { addMonths, addWorkingDays, generatePackage } from './access-requests.service.ts';
import { CITIZEN_DATA, includedColumns } from './registry.ts';
import type { AccessPackage } from './package.ts';

let t: TestContext;
let rk1: Session;
let rk3: Session;
let dpo: Session;
const RK1 = userId(4);
const today = dateInCopenhagen();
let address = 0;
const nextAddress = () => `198.51.100.${++address}`;

/** Two citizens of rk1's team on one group course, each with notes and a plan: A asks, B must never appear. */
let a: { id: string; first_name: string; last_name: string };
let b: { id: string; first_name: string; last_name: string };
let citizenA: PortalSession;

async function substantial(email: string): Promise<PortalSession> {
  const s = await portalLoginAs(t, email, email, nextAddress());
  await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
  return s;
}

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
  rk3 = await login(t.app, 'rk3');
  dpo = await login(t.app, 'dpo');
  const { rows } = await sql<{ a: string; b: string }>`
    select gp1.citizen_id as a, gp2.citizen_id as b
      from group_participants gp1 join group_participants gp2 on gp2.course_id = gp1.course_id and gp2.citizen_id <> gp1.citizen_id
     where exists (select 1 from enrolments e join team_members tm on tm.enrolment_id = e.id
                    where e.citizen_id = gp1.citizen_id and tm.user_id = ${RK1} and tm.valid_from <= ${today} and (tm.valid_to is null or tm.valid_to >= ${today}))
       and exists (select 1 from notes n where n.citizen_id = gp1.citizen_id) and exists (select 1 from notes n where n.citizen_id = gp2.citizen_id)
       and exists (select 1 from plans p where p.citizen_id = gp1.citizen_id) and exists (select 1 from plans p where p.citizen_id = gp2.citizen_id)
     order by 1, 2 limit 1`.execute(t.db.kysely);
  expect(rows[0], 'two demo citizens on one course with notes and plans').toBeDefined();
  const people = await t.db.kysely.selectFrom('citizens').select(['id', 'first_name', 'last_name']).where('id', 'in', [rows[0]!.a, rows[0]!.b]).execute();
  a = people.find((p) => p.id === rows[0]!.a)!;
  b = people.find((p) => p.id === rows[0]!.b)!;
  await t.db.owner.updateTable('citizens').set({ email: 'indsigt.a@example.invalid' }).where('id', '=', a.id).execute();
  expect((await invite(rk1, a.id)).statusCode).toBe(200);
  citizenA = await substantial('indsigt.a@example.invalid');
});
afterAll(async () => {
  await t.close();
});

describe('the registry of citizen data', () => {
  it('has a rule for every column of the database that holds a citizen id, and no rule for a column that is gone', async () => {
    const { rows } = await sql<{ key: string }>`
      select c.table_name || '.' || c.column_name as key
        from information_schema.columns c
        join pg_class pc on pc.relname = c.table_name and pc.relnamespace = 'public'::regnamespace
       where c.table_schema = 'public' and pc.relkind in ('r', 'p') and not pc.relispartition
         and (c.column_name = 'citizen_id' or c.column_name like '%\\_citizen\\_id')
       order by 1`.execute(t.db.owner);
    const inDatabase = rows.map((r) => r.key);
    expect(inDatabase.length).toBeGreaterThan(20);
    expect(inDatabase.filter((k) => !(k in CITIZEN_DATA)), 'columns without a rule in access-requests/registry.ts').toEqual([]);
    expect(Object.keys(CITIZEN_DATA).filter((k) => !inDatabase.includes(k)), 'rules for columns that no longer exist').toEqual([]);
  });
});

describe('dates', () => {
  it('counts one month to the same day (or the month’s last day) and skips weekends and public holidays', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-03', 3)).toBe('2027-02-03');
    // Friday 2026-12-18 + 7 working days: 21–24, then over Christmas Day (a Friday) and the weekend, 28–30.
    expect(addWorkingDays('2026-12-18', 7)).toBe('2026-12-30');
    // Thursday 2026-04-02 is Maundy Thursday: + 1 working day skips it, Good Friday, the weekend and Easter Monday.
    expect(addWorkingDays('2026-04-01', 1)).toBe('2026-04-07');
  });
});

let caseId: string;

describe('the citizen asks for access', () => {
  it('becomes one case per organisation with a deadline one month from receipt, audited with the citizen as actor', async () => {
    const res = await citizenA.request({ method: 'POST', url: '/api/portal/access-requests', payload: { text: '' } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as NewAccessRequestAnswer;
    expect(body.cases).toHaveLength(1);
    const c = body.cases[0]!;
    expect(c).toMatchObject({ receivedOn: today, deadline: addMonths(today, 1), status: 'received', text: null, decision: null, releasedAt: null });
    caseId = c.id;
    const audit = await t.db.kysely.selectFrom('audit_log').selectAll().where('resource_type', '=', 'access_request').where('action', '=', 'create').execute();
    expect(audit.map((r) => r.citizen_id)).toEqual([a.id]);
    const list = (await citizenA.request({ method: 'GET', url: '/api/portal/access-requests' })).json() as PortalAccessCaseList;
    expect(list.items.map((i) => i.id)).toContain(caseId);
  });

  it('is refused at level "low"', async () => {
    const low = await portalLoginAs(t, 'indsigt.a@example.invalid', 'indsigt.a@example.invalid', nextAddress());
    const res = await low.request({ method: 'POST', url: '/api/portal/access-requests', payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'assurance_too_low' });
  });
});

describe('the staff handle the case', () => {
  const get = async (s: Session) => (await s.request({ method: 'GET', url: `/api/access-requests/${caseId}` })).json() as AccessCase;

  it('shows in the queue of the citizen’s team and of the dpo, not of staff off the team; others get 404 on the case', async () => {
    const queue = (await rk1.request({ method: 'GET', url: '/api/access-requests' })).json() as AccessQueue;
    expect(queue.items.find((i) => i.id === caseId)).toMatchObject({ citizen: { id: a.id }, deadline: addMonths(today, 1), status: 'received', needsInterimNotice: false });
    const dpoQueue = (await dpo.request({ method: 'GET', url: '/api/access-requests' })).json() as AccessQueue;
    expect(dpoQueue.items.map((i) => i.id)).toContain(caseId);
    expect((await dpo.request({ method: 'GET', url: `/api/access-requests/${caseId}` })).json()).toMatchObject({ canHandle: false });
    const onTeam = await t.db.kysely
      .selectFrom('team_members as tm')
      .innerJoin('enrolments as e', 'e.id', 'tm.enrolment_id')
      .select('tm.user_id')
      .where('e.citizen_id', '=', a.id)
      .where('tm.user_id', '=', rk3.userId)
      .executeTakeFirst();
    if (!onTeam) {
      const other = (await rk3.request({ method: 'GET', url: '/api/access-requests' })).json() as AccessQueue;
      expect(other.items.map((i) => i.id)).not.toContain(caseId);
      expect((await rk3.request({ method: 'GET', url: `/api/access-requests/${caseId}` })).statusCode).toBe(404);
    }
    const c = await get(rk1);
    expect(dpo.userId).not.toBe(rk1.userId);
    expect((await dpo.request({ method: 'POST', url: `/api/access-requests/${caseId}/package`, payload: { version: c.version } })).statusCode).toBe(404);
  });

  it('flags the interim notice after 7 working days without a decision, and shows the notice to the citizen', async () => {
    const long = addDays(today, -20);
    await t.db.owner.updateTable('access_requests').set({ received_on: long, first_deadline: addMonths(long, 1), deadline: addMonths(long, 1) }).where('id', '=', caseId).execute();
    let c = await get(rk1);
    expect(c.needsInterimNotice).toBe(true);
    const res = await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/interim-notice`, payload: { version: c.version, reason: 'Vi samler oplysninger fra flere systemer.', expectedOn: c.deadline } });
    expect(res.statusCode, res.body).toBe(200);
    c = res.json() as AccessCase;
    expect(c.needsInterimNotice).toBe(false);
    const list = (await citizenA.request({ method: 'GET', url: '/api/portal/access-requests' })).json() as PortalAccessCaseList;
    expect(list.items.find((i) => i.id === caseId)?.interimNotice).toMatchObject({ reason: 'Vi samler oplysninger fra flere systemer.', expectedOn: c.deadline });
    // One extension, inside the first month, up to three months from receipt.
    const tooFar = await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/extension`, payload: { version: c.version, extendTo: addMonths(long, 4), reason: 'Mange data' } });
    expect(tooFar.statusCode).toBe(400);
    const ok = await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/extension`, payload: { version: c.version, extendTo: addMonths(long, 2), reason: 'Mange data' } });
    expect(ok.statusCode, ok.body).toBe(200);
    c = ok.json() as AccessCase;
    expect(c.deadline).toBe(addMonths(long, 2));
    const again = await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/extension`, payload: { version: c.version, extendTo: addMonths(long, 3), reason: 'Igen' } });
    expect(again.statusCode).toBe(409);
  });

  it('makes a package of every row about the citizen and nothing about a fellow participant; redacted people and withheld notes as ticked', async () => {
    let c = await get(rk1);
    const person = c.redactionCandidates[0];
    const note = c.withholdCandidates[0]!;
    const red = await rk1.request({
      method: 'POST',
      url: `/api/access-requests/${caseId}/redactions`,
      payload: { version: c.version, redact: person ? [person.key] : [], withheld: [{ key: note.key, personalData: 'Notatet handler om din trivsel.' }] },
    });
    expect(red.statusCode, red.body).toBe(200);
    c = red.json() as AccessCase;
    const queued = await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/package`, payload: { version: c.version } });
    expect(queued.statusCode, queued.body).toBe(200);
    expect((queued.json() as AccessCase).package.state).toBe('queued');
    const job = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'access-request-package' and data ->> 'requestId' = ${caseId}`.execute(t.db.owner);
    expect(job.rows[0]!.n).toBe(1);
    // The job's handler, as the queue's worker runs it.
    await generatePackage(t.db.kysely, { requestId: caseId });
    c = await get(rk1);
    expect(c.package).toMatchObject({ state: 'done', progress: 100 });

    const stored = await t.db.kysely.selectFrom('access_packages').select(['html', sql<string>`json::text`.as('json')]).where('request_id', '=', caseId).executeTakeFirstOrThrow();
    const pkg = JSON.parse(stored.json) as AccessPackage;
    const everything = stored.html + stored.json;
    // Every row about the citizen, in every included table.
    for (const { table, column } of includedColumns()) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where ${sql.ref(column)} = ${a.id}`.execute(t.db.owner);
      const section = pkg.sections.find((s) => s.key === table)!;
      expect(section.rows.length, table).toBe(rows.length);
    }
    expect(pkg.sections.find((s) => s.key === 'group_participants')!.rows.length).toBeGreaterThan(0);
    // Nothing about B: no id, no name, no text of B's notes or plan.
    expect(everything).not.toContain(b.id);
    expect(everything).not.toContain(b.last_name);
    const bNotes = await t.db.kysely.selectFrom('note_revisions as r').innerJoin('notes as n', 'n.id', 'r.note_id').select('r.body').where('n.citizen_id', '=', b.id).execute();
    for (const n of bNotes) expect(stored.json).not.toContain(JSON.stringify(n.body).slice(1, -1));
    const bConversations = await t.db.kysely.selectFrom('conversations').select(['id', 'note']).where('citizen_id', '=', b.id).execute();
    // The demo's conversation notes are phrases many citizens share: only a text A's own rows lack must be absent.
    const aNotes = new Set((await t.db.kysely.selectFrom('conversations').select('note').where('citizen_id', '=', a.id).execute()).map((c) => c.note));
    for (const c of bConversations) {
      expect(everything).not.toContain(c.id);
      if (c.note && c.note.length > 30 && !aNotes.has(c.note)) expect(everything).not.toContain(c.note);
    }
    const bGoals = await t.db.kysely.selectFrom('plans').select('goal_text').where('citizen_id', '=', b.id).execute();
    for (const g of bGoals) if (g.goal_text && g.goal_text.length > 30) expect(everything).not.toContain(g.goal_text);
    // The withheld note: its text left out, its personal data given.
    const withheldId = note.key.split(':')[1]!;
    expect(pkg.sections.find((s) => s.key === 'note_revisions')!.rows.some((r) => r.note_id === withheldId)).toBe(false);
    expect(pkg.withheld).toEqual([{ table: 'notes', id: withheldId, personalData: 'Notatet handler om din trivsel.' }]);
    if (person) expect(everything).not.toContain(person.name);
    expect(stored.html).toMatch(/^<!doctype html>/);
  });

  it('decides with reasons and complaint guidance and releases; the citizen downloads it, another citizen gets 404', async () => {
    let c = await get(rk1);
    const decided = await rk1.request({
      method: 'POST',
      url: `/api/access-requests/${caseId}/decision`,
      payload: { version: c.version, outcome: 'partial', reasons: 'Et internt dokument er undtaget.', complaintGuidance: 'Du kan klage til Datatilsynet.' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    c = decided.json() as AccessCase;
    const early = await citizenA.request({ method: 'GET', url: `/api/portal/access-requests/${caseId}/package` });
    expect(early.statusCode).toBe(404);
    const released = await rk1.request({ method: 'POST', url: `/api/access-requests/${caseId}/release`, payload: { version: c.version } });
    expect(released.statusCode, released.body).toBe(200);
    const list = (await citizenA.request({ method: 'GET', url: '/api/portal/access-requests' })).json() as PortalAccessCaseList;
    expect(list.items.find((i) => i.id === caseId)).toMatchObject({ status: 'released', decision: { outcome: 'partial', complaintGuidance: 'Du kan klage til Datatilsynet.' } });
    const dl = await citizenA.request({ method: 'GET', url: `/api/portal/access-requests/${caseId}/package` });
    expect(dl.statusCode, dl.body).toBe(200);
    expect(JSON.parse((dl.json() as { json: string }).json)).toMatchObject({ citizenId: a.id });

    const other = await portalCitizen(rk1, RK1, { email: 'indsigt.b@example.invalid' });
    expect((await invite(rk1, other.id)).statusCode).toBe(200);
    const s = await substantial('indsigt.b@example.invalid');
    const refused = await s.request({ method: 'GET', url: `/api/portal/access-requests/${caseId}/package` });
    expect(refused.statusCode).toBe(404);
    const denied = await t.db.kysely.selectFrom('audit_log').select('citizen_id').where('resource_type', '=', 'access_package').where('outcome', '=', 'denied').execute();
    expect(denied.map((r) => r.citizen_id)).toContain(other.id);
  });
});
