// The portal's "Mine bemærkninger" on both engines: with the programme's setting on, the citizen sees the ordinary
// journal notes written about them that were not kept internal (never sensitive notes, external assessments, notes
// written before the setting, or another person's notes), pages them by keyset, and adds a remark beside a note;
// the note stays unchanged and staff see the remark beside it. Refusals (another person's note, an internal one,
// an unknown id) are 404 and audited; low assurance → 403; bounds → 400.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import type { PortalNoteList } from '../../../contracts/portal-remarks.ts';
import type { Note } from '../../../contracts/citizens.ts';
import { invite, portalCitizen, portalLoginAs, type PortalSession } from './portal.fixtures.ts';

let t: TestContext;
let rk1: Session;
const RK1 = userId(4);
const EMAIL = 'mine.bemaerkninger@example.invalid';
let citizenId: string;
let otherId: string;
let address = 0;
const nextAddress = () => `198.51.100.${100 + ++address}`;

const write = async (body: object, id = citizenId) => {
  const res = await rk1.request({ method: 'POST', url: `/api/citizens/${id}/notes`, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
};
const setting = (on: boolean) => t.db.owner.updateTable('programmes').set({ show_notes_to_citizen: on }).where('id', '=', PROGRAMME.paaVej).execute();
const auditOf = (resourceType: string, outcome: 'success' | 'denied') =>
  t.db.kysely.selectFrom('audit_log').selectAll().where('resource_type', '=', resourceType).where('outcome', '=', outcome).where('actor_roles', '@>', sql<string[]>`array['citizen']`).orderBy('seq').execute();

const sessions: Partial<Record<'low' | 'substantial', PortalSession>> = {};
async function citizen(level: 'low' | 'substantial' = 'substantial'): Promise<PortalSession> {
  const known = sessions[level];
  if (known) return known;
  const s = await portalLoginAs(t, EMAIL, EMAIL, nextAddress());
  if (level === 'substantial') await t.db.owner.updateTable('portal_sessions').set({ assurance: 'substantial' }).where('csrf_token', '=', s.csrf).execute();
  sessions[level] = s;
  return s;
}
const list = async (s: PortalSession, query = '') => {
  const res = await s.request({ method: 'GET', url: `/api/portal/notes${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as PortalNoteList;
};
const remark = (s: PortalSession, noteId: string, body: unknown) => s.request({ method: 'POST', url: `/api/portal/notes/${noteId}/remarks`, payload: { body } });

let before: string;
let shown: string[];
let internal: string;
let sensitive: string;
let assessment: string;
let othersNote: string;

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
  citizenId = (await portalCitizen(rk1, RK1, { email: EMAIL })).id;
  otherId = (await portalCitizen(rk1, RK1, { email: 'en.anden@example.invalid' })).id;
  expect((await invite(rk1, citizenId)).statusCode).toBe(200);
  await setting(false);
  before = await write({ kind: 'journal', body: 'Skrevet før indstillingen.' });
  await setting(true);
  shown = [];
  for (const n of [1, 2, 3]) shown.push(await write({ kind: 'journal', body: `Samtale nummer ${n} om jobønsker.` }));
  internal = await write({ kind: 'journal', body: 'Intern overvejelse.', internal: true });
  sensitive = await write({ kind: 'journal', body: 'Følsomt.', sensitivity: 'sensitive' });
  assessment = await write({ kind: 'external_assessment', body: 'Psykiatriens vurdering.', source: 'Liaison' });
  othersNote = await write({ kind: 'journal', body: 'En anden borgers notat.' }, otherId);
});
afterAll(async () => {
  await t.close();
});

describe('Mine bemærkninger: the notes my programme shows me', () => {
  it('lists the shown notes only, newest first, with the organisation and no staff name, audited', async () => {
    const s = await citizen();
    const auditBefore = (await auditOf('portal_notes', 'success')).length;
    const body = await list(s);
    expect(body.items.map((i) => i.id)).toEqual([...shown].reverse());
    for (const id of [before, internal, sensitive, assessment, othersNote]) expect(body.items.map((i) => i.id)).not.toContain(id);
    expect(body.items[0]).toMatchObject({ body: 'Samtale nummer 3 om jobønsker.', corrected: false, remarks: [], canRemark: true, organisation: expect.stringMatching(/Næstved/) });
    const rk1Name = (await t.db.kysely.selectFrom('users').select('name').where('id', '=', RK1).executeTakeFirstOrThrow()).name;
    expect(JSON.stringify(body)).not.toContain(rk1Name);
    const audit = (await auditOf('portal_notes', 'success')).slice(auditBefore);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ citizen_id: citizenId, actor_user_id: null });
  });

  it('staff see which notes are shown', async () => {
    const res = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/notes` });
    const items = (res.json() as { items: Note[] }).items;
    const visible = new Map(items.map((n) => [n.id, n.citizenVisible]));
    expect(shown.map((id) => visible.get(id))).toEqual([true, true, true]);
    expect([before, internal, sensitive, assessment].map((id) => visible.get(id))).toEqual([false, false, false, false]);
  });

  it('pages by keyset without repeats; a forged cursor or a limit over 50 is 400', async () => {
    const s = await citizen();
    const first = await list(s, '?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await list(s, `?limit=2&cursor=${first.nextCursor!}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual([...shown].reverse());
    expect((await s.request({ method: 'GET', url: '/api/portal/notes?cursor=bm9wZQ' })).statusCode).toBe(400);
    expect((await s.request({ method: 'GET', url: '/api/portal/notes?limit=51' })).statusCode).toBe(400);
  });

  it('shows nothing when the programme turns the setting off', async () => {
    await setting(false);
    try {
      expect((await list(await citizen())).items).toEqual([]);
      expect((await remark(await citizen(), shown[0]!, 'Hej')).statusCode).toBe(404);
    } finally {
      await setting(true);
    }
  });

  it('a low-assurance session gets 403 assurance_too_low', async () => {
    const s = await citizen('low');
    const read = await s.request({ method: 'GET', url: '/api/portal/notes' });
    expect(read.statusCode).toBe(403);
    expect(read.json().error).toBe('assurance_too_low');
    expect((await remark(s, shown[0]!, 'Hej')).statusCode).toBe(403);
  });
});

describe('the citizen adds a remark beside a note', () => {
  it('keeps the note as it is; the remark shows beside it for me and for staff, with a timeline event, audited', async () => {
    const s = await citizen();
    const auditBefore = (await auditOf('note_remark', 'success')).length;
    const res = await remark(s, shown[0]!, '  Jeg sagde, at jeg gerne vil arbejde med dyr.  ');
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json() as { id: string };
    const mine = (await list(s)).items.find((i) => i.id === shown[0])!;
    expect(mine.body).toBe('Samtale nummer 1 om jobønsker.');
    expect(mine.remarks).toEqual([{ id, body: 'Jeg sagde, at jeg gerne vil arbejde med dyr.', writtenAt: expect.any(String) }]);
    const staff = ((await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/notes` })).json() as { items: Note[] }).items.find((n) => n.id === shown[0])!;
    expect(staff.body).toBe('Samtale nummer 1 om jobønsker.');
    expect(staff.revisions).toHaveLength(1);
    expect(staff.portalRemarks.map((r) => r.body)).toEqual(['Jeg sagde, at jeg gerne vil arbejde med dyr.']);
    const event = await t.db.kysely.selectFrom('citizen_events').selectAll().where('kind', '=', 'portal.note_remark').where('ref_id', '=', shown[0]!).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ citizen_id: citizenId, actor_id: null });
    const audit = (await auditOf('note_remark', 'success')).slice(auditBefore);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ resource_id: id, citizen_id: citizenId, criteria: { noteId: shown[0], length: 44 } });
    expect(JSON.stringify(audit[0]!.criteria)).not.toContain('dyr');
  });

  it('refuses another person’s note, an internal one, a sensitive one and an unknown id with 404, audited, and writes nothing', async () => {
    const s = await citizen();
    const auditBefore = (await auditOf('note_remark', 'denied')).length;
    const unknown = '00000000-0000-4000-8000-999999999999';
    for (const id of [othersNote, internal, sensitive, assessment, before, unknown]) {
      const res = await remark(s, id, 'Nej');
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toBe('not_found');
    }
    const denied = (await auditOf('note_remark', 'denied')).slice(auditBefore);
    expect(denied.map((d) => (d.criteria as { noteId: string }).noteId)).toEqual([othersNote, internal, sensitive, assessment, before, unknown]);
    const written = await t.db.kysely.selectFrom('note_portal_remarks').select('note_id').where('note_id', 'in', [othersNote, internal, sensitive, assessment, before]).execute();
    expect(written).toEqual([]);
  });

  it('bounds the remark: empty, over 2000 characters, control characters or extra fields → 400', async () => {
    const s = await citizen();
    for (const body of ['', '   ', 'x'.repeat(2001), 'a\u0000b', 42]) expect((await remark(s, shown[1]!, body)).statusCode).toBe(400);
    expect((await s.request({ method: 'POST', url: `/api/portal/notes/${shown[1]!}/remarks`, payload: { body: 'ok', noteId: otherId } })).statusCode).toBe(400);
    expect((await remark(s, shown[1]!, 'x'.repeat(2000))).statusCode).toBe(201);
    expect((await s.request({ method: 'POST', url: `/api/portal/notes/${shown[1]!}/remarks`, payload: { body: 'uden CSRF' }, headers: { 'x-csrf-token': '' } })).statusCode).toBe(403);
  });

  it('a note takes at most 20 remarks (409 too_many_remarks)', async () => {
    const s = await citizen();
    for (let n = 0; n < 20; n += 1) expect((await remark(s, shown[2]!, `Bemærkning ${n}`)).statusCode).toBe(201);
    const res = await remark(s, shown[2]!, 'En for meget');
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('too_many_remarks');
    expect((await list(s)).items.find((i) => i.id === shown[2])!.canRemark).toBe(false);
  });
});
