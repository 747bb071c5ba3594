// The citizen case through the HTTP API: create and enrol, CPR rules, duplicates, warnings, search and
// its audit, reveal, enrolment changes, status history, notes with corrections, timeline, code lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { dateInCopenhagen, addDays } from '../../platform/dates.ts';

let t: TestContext;
let rk1: Session;
let rk2: Session;
let nordfyn: Session;
const today = dateInCopenhagen();
const RK1 = userId(4);

/** Fictitious replacement numbers (day + 60), so no real person's number is used. */
let serial = 1000;
const nextCpr = (day = 67, month = '07', year = '91') => `${day}${month}${year}-${String(serial++).padStart(4, '0')}`;

function citizen(overrides: Record<string, unknown> = {}) {
  return {
    cpr: nextCpr(),
    firstName: 'Test',
    lastName: 'Borger',
    enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2020-03-01', benefitCode: 'kontanthjaelp', visitationCode: 'aktivitetsparat', consultantIds: [RK1] },
    ...overrides,
  };
}

async function create(s: Session, body: Record<string, unknown>) {
  return s.request({ method: 'POST', url: '/api/citizens', payload: body });
}

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
  rk2 = await login(t.app, 'rk2');
  nordfyn = await login(t.app, 'nordfyn');
});
afterAll(async () => {
  await t.close();
});

describe('create and enrol', () => {
  it('creates a citizen and enrols them in one request; the page shows enrolment, team and status', async () => {
    const res = await create(rk1, citizen({ cpr: '670791-1234', firstName: 'Ærø', lastName: 'Østergård', phone: '+45 20 00 00 01' }));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.cprMasked).toBe('670791-xxxx');
    expect(body.enrolmentId).toEqual(expect.any(String));
    expect(body.notices.map((n: { code: string }) => n.code)).toContain('cpr_replacement');
    const page = (await rk1.request({ method: 'GET', url: `/api/citizens/${body.id}` })).json();
    expect(page).toMatchObject({ firstName: 'Ærø', lastName: 'Østergård', cprMasked: '670791-xxxx', cprIsReplacement: true, birthDate: '1991-07-07' });
    expect(page.enrolments[0]).toMatchObject({ status: 'active', startDate: '2020-03-01', benefit: { code: 'kontanthjaelp', label: { da: 'Kontanthjælp' } } });
    expect(page.enrolments[0].team).toEqual([expect.objectContaining({ user: { id: RK1, name: 'Lone Madsen' }, role: 'resource_consultant', kind: 'permanent' })]);
    expect(page.statusPeriods).toEqual([expect.objectContaining({ benefit: expect.objectContaining({ code: 'kontanthjaelp' }), fromDate: '2020-03-01', toDate: null })]);
    expect(JSON.stringify(page)).not.toContain('1234');
  });

  it('stores the CPR number encrypted with a keyed hash, never in clear', async () => {
    const res = await create(rk1, citizen({ cpr: '680792-5555' }));
    const row = await t.db.kysely.selectFrom('citizens').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toMatch(/6807925555|680792-5555/);
    expect(row.cpr_encrypted).toMatch(/^v1\./);
    expect(row.cpr_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects an impossible date and a bad format, naming the field, and stores nothing', async () => {
    const before = await t.db.kysely.selectFrom('citizens').select('id').execute();
    const date = await create(rk1, citizen({ cpr: '310289-1234' }));
    expect(date.statusCode).toBe(400);
    expect(date.json().issues).toEqual([{ path: 'cpr', message: 'cpr_date' }]);
    const format = await create(rk1, citizen({ cpr: '3102-891234' }));
    expect(format.json().issues).toEqual([{ path: 'cpr', message: 'cpr_format' }]);
    expect(await t.db.kysely.selectFrom('citizens').select('id').execute()).toHaveLength(before.length);
  });

  it('accepts a number that fails modulus 11, with a notice', async () => {
    // 670761-4283 passes modulus 11; changing the last digit makes it fail.
    const ok = await create(rk1, citizen({ cpr: '670761-4283' }));
    expect(ok.json().notices.map((n: { code: string }) => n.code)).not.toContain('cpr_mod11');
    const fails = await create(rk1, citizen({ cpr: '670761-4284' }));
    expect(fails.statusCode).toBe(201);
    expect(fails.json().notices.map((n: { code: string }) => n.code)).toContain('cpr_mod11');
  });

  it('answers 409 for a CPR number already on file, linking it for whoever may see it', async () => {
    const cpr = nextCpr(71);
    const first = await create(rk1, citizen({ cpr }));
    const again = await create(rk1, citizen({ cpr: cpr.replace('-', '') }));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'duplicate', existingId: first.json().id });
    const hidden = await create(rk2, citizen({ cpr, enrolment: undefined }));
    expect(hidden.statusCode).toBe(409);
    // Without a relation to the citizen: only that the number is registered here, and whom to ask — never the id.
    expect(hidden.json()).toMatchObject({ error: 'duplicate', contacts: [{ name: 'Karen Winther', role: 'programme_manager' }] });
    expect(hidden.body).not.toContain(first.json().id);
    expect(again.json().contacts).toBeUndefined();
    const lookups = await auditRows(t.db, { action: 'cpr-lookup' });
    expect(lookups.slice(-2).map((r) => [r.actor_username, r.outcome, r.criteria?.linked])).toEqual([
      ['rk1', 'success', true],
      ['rk2', 'denied', false],
    ]);
    // The dpo lists the look-ups that found someone the caller could not see.
    const dpo = await login(t.app, 'dpo');
    const listed = (await dpo.request({ method: 'GET', url: '/api/audit?category=hidden-cpr-lookups' })).json().items;
    expect(listed.map((r: { actorUsername: string; action: string; outcome: string }) => [r.actorUsername, r.action, r.outcome])).toEqual([['rk2', 'cpr-lookup', 'denied']]);
    // Another data controller keeps its own record of the same person.
    const otherOrg = await create(nordfyn, citizen({ cpr, enrolment: undefined }));
    expect(otherOrg.statusCode).toBe(201);
  });

  it('names whom the caller may ask, never a manager that would reveal which programme the hidden citizen is in', async () => {
    const cpr = nextCpr(72);
    const first = await create(rk1, citizen({ cpr }));
    expect(first.statusCode).toBe(201);
    // Another programme of the same organisation, with its own manager, now holds the citizen's enrolment.
    const owner = t.db.owner;
    const organisationId = (await owner.selectFrom('programmes').select('organisation_id').where('id', '=', PROGRAMME.paaVej).executeTakeFirstOrThrow()).organisation_id;
    const other = await owner
      .insertInto('programmes')
      .values({ organisation_id: organisationId, name: 'Et andet forløb', starts_on: '2024-01-01', ends_on: '2028-12-31', capacity: 10 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const manager = await owner
      .insertInto('users')
      .values({ organisation_id: organisationId, username: 'andenleder', name: 'Bente Bruun', password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await owner.insertInto('user_roles').values({ user_id: manager.id, organisation_id: organisationId, role: 'programme_manager', programme_id: other.id }).execute();
    await owner.updateTable('enrolments').set({ programme_id: other.id }).where('citizen_id', '=', first.json().id).execute();

    const hidden = await create(rk2, citizen({ cpr, enrolment: undefined }));
    expect(hidden.statusCode).toBe(409);
    expect(hidden.json().contacts).toEqual([{ name: 'Karen Winther', role: 'programme_manager' }]);
    expect(hidden.body).not.toContain('Bente Bruun');
  });

  it('asks to confirm a start date outside the programme period, and enrols when confirmed', async () => {
    const body = citizen({ enrolment: { ...citizen().enrolment, startDate: today } });
    const warned = await create(rk1, body);
    expect(warned.statusCode).toBe(409);
    expect(warned.json()).toMatchObject({ error: 'warnings', warnings: [{ code: 'outside_period', data: { startsOn: '2017-08-01', endsOn: '2021-07-31', startDate: today } }] });
    const confirmed = await create(rk1, { ...body, acknowledgeWarnings: true });
    expect(confirmed.statusCode).toBe(201);
    expect(confirmed.json().notices.map((n: { code: string }) => n.code)).toContain('outside_period');
  });

  it('asks to confirm enrolling beyond capacity', async () => {
    await t.db.kysely.updateTable('programmes').set({ capacity: 1 }).where('id', '=', PROGRAMME.paaVej).execute();
    try {
      const warned = await create(rk1, citizen());
      expect(warned.json().warnings.map((w: { code: string }) => w.code)).toEqual(['over_capacity']);
    } finally {
      await t.db.kysely.updateTable('programmes').set({ capacity: 100 }).where('id', '=', PROGRAMME.paaVej).execute();
    }
  });

  it('rejects unknown codes, team members without the role, and unknown fields', async () => {
    const badCode = await create(rk1, citizen({ enrolment: { ...citizen().enrolment, benefitCode: 'lottery' } }));
    expect(badCode.json().issues).toEqual([{ path: 'enrolment.benefitCode', message: 'unknown_code' }]);
    const badTeam = await create(rk1, citizen({ enrolment: { ...citizen().enrolment, consultantIds: [userId(8)] } }));
    expect(badTeam.json().issues[0].path).toBe('enrolment.consultantIds.0');
    const unknown = await create(rk1, citizen({ shoeSize: 44 }));
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json().issues)).toContain('shoeSize');
  });

  it('shows a citizen created without enrolment only to its creator until enrolled', async () => {
    const res = await create(rk1, citizen({ enrolment: undefined, lastName: 'Uindskrevet' }));
    const id = res.json().id;
    expect((await rk1.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(200);
    expect((await rk2.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(404);
    const projektleder = await login(t.app, 'projektleder');
    expect((await projektleder.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(404);
    const enrol = await rk1.request({
      method: 'POST',
      url: `/api/programmes/${PROGRAMME.paaVej}/enrolments`,
      payload: { citizenId: id, startDate: '2020-05-01', benefitCode: 'sygedagpenge', consultantIds: [userId(5)] },
    });
    expect(enrol.statusCode, enrol.body).toBe(201);
    expect((await rk2.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(200);
    expect((await projektleder.request({ method: 'GET', url: `/api/citizens/${id}` })).statusCode).toBe(200);
    const twice = await rk2.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/enrolments`, payload: { citizenId: id, startDate: '2020-06-01', benefitCode: 'sygedagpenge' } });
    expect(twice.statusCode).toBe(409);
  });
});

describe('search and lists', () => {
  let id: string;
  beforeAll(async () => {
    id = (await create(rk1, citizen({ cpr: '830385-4321', firstName: 'Søren', lastName: 'Kierkegaard-Test' }))).json().id;
  });

  it('finds by name words, full CPR and birth date, through a POST body', async () => {
    const byName = await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { q: 'søren kierke' } });
    expect(byName.json().items.map((c: { id: string }) => c.id)).toEqual([id]);
    const byCpr = await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { q: '8303854321' } });
    expect(byCpr.json().items.map((c: { id: string }) => c.id)).toEqual([id]);
    const byBirth = await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { q: '830385' } });
    expect(byBirth.json().items.map((c: { id: string }) => c.id)).toContain(id);
    expect(byBirth.json().items[0]).toMatchObject({ cprMasked: '830385-xxxx', enrolment: { programmeName: 'På vej til arbejde', status: 'active' } });
  });

  it('logs the search with its criteria, the CPR masked and the ids found', async () => {
    await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { q: '830385-4321' } });
    const row = (await auditRows(t.db, { actorUsername: 'rk1', action: 'search' })).at(-1)!;
    expect(row.criteria).toMatchObject({ cpr: '830385-xxxx', found: [id] });
    expect(JSON.stringify(row)).not.toContain('4321');
  });

  it('never returns what the caller may not see', async () => {
    const other = await nordfyn.request({ method: 'POST', url: '/api/citizens/search', payload: { q: '830385-4321' } });
    expect(other.json().items).toEqual([]);
    const steering = await login(t.app, 'styregruppe');
    expect((await steering.request({ method: 'POST', url: '/api/citizens/search', payload: { q: 'søren' } })).json().items).toEqual([]);
    expect((await rk2.request({ method: 'POST', url: '/api/citizens/search', payload: { q: 'søren kierke' } })).json().items).toEqual([]);
  });

  it('paginates the caseload with a cursor without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/citizens?scope=mine&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await rk1.request({ method: 'GET', url })).json() as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((c) => c.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThan(4);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(id);
  });

  it('filters by programme, consultant and status', async () => {
    const res = await rk1.request({ method: 'POST', url: '/api/citizens/search', payload: { consultantId: RK1, status: 'active', programmeId: PROGRAMME.paaVej, limit: 100 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.every((c: { enrolment: { status: string } }) => c.enrolment.status === 'active')).toBe(true);
    expect(res.json().items.map((c: { id: string }) => c.id)).toContain(id);
  });
});

describe('reveal CPR', () => {
  it('shows the full number and logs it as reveal-cpr; others get 404', async () => {
    const id = (await create(rk1, citizen({ cpr: '690793-2468' }))).json().id;
    const res = await rk1.request({ method: 'POST', url: `/api/citizens/${id}/reveal-cpr` });
    expect(res.json()).toEqual({ cpr: '690793-2468' });
    expect((await auditRows(t.db, { actorUsername: 'rk1', action: 'reveal-cpr' })).at(-1)).toMatchObject({ citizen_id: id, outcome: 'success' });
    expect((await nordfyn.request({ method: 'POST', url: `/api/citizens/${id}/reveal-cpr` })).statusCode).toBe(404);
  });
});

describe('enrolment, status history and notes', () => {
  let id: string;
  let enrolmentId: string;
  beforeAll(async () => {
    const res = (await create(rk1, citizen({ lastName: 'Forløb' }))).json();
    id = res.id;
    enrolmentId = res.enrolmentId;
  });

  it('computes weeks self-supporting in the last 26 and 52 weeks from the status history', async () => {
    const tenWeeksAgo = addDays(today, -70);
    const res = await rk1.request({ method: 'POST', url: `/api/citizens/${id}/status-periods`, payload: { benefitCode: 'selvforsoergende', activity: 'ordinary_job', weeklyHours: 25, fromDate: tenWeeksAgo } });
    expect(res.statusCode, res.body).toBe(201);
    const page = res.json();
    expect(page.selfSupport.last26.selfSupporting).toBeGreaterThanOrEqual(9);
    expect(page.selfSupport.last26.selfSupporting).toBeLessThanOrEqual(10);
    expect(page.selfSupport.last26.known).toBe(26);
    expect(page.selfSupport.last52.known).toBe(52);
    const previous = page.statusPeriods.find((p: { benefit: { code: string } }) => p.benefit.code === 'kontanthjaelp');
    expect(previous.toDate).toBe(addDays(tenWeeksAgo, -1));
  });

  it('ends an enrolment with date and outcome, refuses a stale version and reopening', async () => {
    const missing = await rk1.request({ method: 'PATCH', url: `/api/enrolments/${enrolmentId}`, payload: { version: 1, status: 'ended' } });
    expect(missing.statusCode).toBe(400);
    const ended = await rk1.request({ method: 'PATCH', url: `/api/enrolments/${enrolmentId}`, payload: { version: 1, status: 'ended', endDate: '2021-01-15', exitOutcome: 'ordinaert_job' } });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().enrolments[0]).toMatchObject({ status: 'ended', endDate: '2021-01-15', exitOutcome: { code: 'ordinaert_job' } });
    const stale = await rk1.request({ method: 'PATCH', url: `/api/enrolments/${enrolmentId}`, payload: { version: 1, endDate: '2021-02-01' } });
    expect(stale.statusCode).toBe(409);
    const reopen = await rk1.request({ method: 'PATCH', url: `/api/enrolments/${enrolmentId}`, payload: { version: 2, status: 'active' } });
    expect(reopen.json().issues).toEqual([{ path: 'status', message: 'ended_is_final' }]);
  });

  it('corrects a note openly: the earlier text stays in its history; only the author corrects', async () => {
    const created = await rk1.request({ method: 'POST', url: `/api/citizens/${id}/notes`, payload: { kind: 'journal', body: 'Første samtale i skoven.' } });
    expect(created.statusCode).toBe(201);
    const noteId = created.json().id;
    const corrected = await rk1.request({ method: 'POST', url: `/api/notes/${noteId}/corrections`, payload: { version: 1, body: 'Første samtale (walk and talk) i skoven.', reason: 'Præcisering' } });
    expect(corrected.json()).toEqual({ id: noteId, revision: 2 });
    const stale = await rk1.request({ method: 'POST', url: `/api/notes/${noteId}/corrections`, payload: { version: 1, body: 'x', reason: 'y' } });
    expect(stale.statusCode).toBe(409);
    const notes = (await rk1.request({ method: 'GET', url: `/api/citizens/${id}/notes` })).json().items;
    const note = notes.find((n: { id: string }) => n.id === noteId);
    expect(note.body).toBe('Første samtale (walk and talk) i skoven.');
    expect(note.revisions.map((r: { body: string }) => r.body)).toEqual(['Første samtale i skoven.', 'Første samtale (walk and talk) i skoven.']);
    const projektleder = await login(t.app, 'projektleder');
    const notAuthor = await projektleder.request({ method: 'POST', url: `/api/notes/${noteId}/corrections`, payload: { version: 2, body: 'x', reason: 'y' } });
    expect(notAuthor.statusCode).toBe(403);
    // The refusal is audited like every other.
    const denied = (await auditRows(t.db, { actorUsername: 'projektleder', outcome: 'denied' })).at(-1)!;
    expect(denied).toMatchObject({ action: 'update', resource_type: 'note', resource_id: noteId, citizen_id: id, criteria: { reason: 'not_author' } });
  });

  it('keeps the citizen’s own remark beside a note without changing the note', async () => {
    const noteId = (await rk1.request({ method: 'POST', url: `/api/citizens/${id}/notes`, payload: { kind: 'journal', body: 'Borgeren virkede træt.' } })).json().id;
    const remark = await rk1.request({ method: 'POST', url: `/api/notes/${noteId}/remarks`, payload: { body: 'Jeg var ikke træt, jeg var nervøs.', receivedVia: 'Mundtligt ved samtale' } });
    expect(remark.statusCode, remark.body).toBe(201);
    const notes = (await rk1.request({ method: 'GET', url: `/api/citizens/${id}/notes` })).json().items as { id: string; body: string; kind: string; remarkOn: string | null; source: string }[];
    expect(notes.find((n) => n.id === noteId)!.body).toBe('Borgeren virkede træt.');
    expect(notes.find((n) => n.id === remark.json().id)).toMatchObject({ kind: 'citizen_remark', remarkOn: noteId, source: 'Mundtligt ved samtale' });
    const onRemark = await rk1.request({ method: 'POST', url: `/api/notes/${remark.json().id}/remarks`, payload: { body: 'x', receivedVia: 'y' } });
    expect(onRemark.statusCode).toBe(400);
  });

  it('records an external professional assessment with its source', async () => {
    const noSource = await rk1.request({ method: 'POST', url: `/api/citizens/${id}/notes`, payload: { kind: 'external_assessment', body: 'Rådgivning' } });
    expect(noSource.json().issues).toEqual([{ path: 'source', message: 'required' }]);
    const ok = await rk1.request({ method: 'POST', url: `/api/citizens/${id}/notes`, payload: { kind: 'external_assessment', body: 'Anbefaler korte dage i starten.', source: 'Psykiatrisk Afdeling Odense', sensitivity: 'sensitive' } });
    expect(ok.statusCode).toBe(201);
  });

  it('shows the timeline newest first, filterable by kind', async () => {
    const all = (await rk1.request({ method: 'GET', url: `/api/citizens/${id}/timeline` })).json().items as { kind: string; occurredAt: string }[];
    const kinds = all.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['citizen.created', 'enrolment.created', 'team.changed', 'status.added', 'note.created', 'note.corrected', 'enrolment.status_changed']));
    const withNames = (await rk1.request({ method: 'GET', url: `/api/citizens/${id}/timeline` })).json();
    expect(withNames.names).toMatchObject({ [RK1]: 'Lone Madsen', [PROGRAMME.paaVej]: 'På vej til arbejde' });
    const times = all.map((e) => e.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
    const notes = (await rk1.request({ method: 'GET', url: `/api/citizens/${id}/timeline?kind=note` })).json().items as { kind: string }[];
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((e) => e.kind.startsWith('note.'))).toBe(true);
    const page1 = (await rk1.request({ method: 'GET', url: `/api/citizens/${id}/timeline?limit=2` })).json();
    const page2 = (await rk1.request({ method: 'GET', url: `/api/citizens/${id}/timeline?limit=2&cursor=${page1.nextCursor}` })).json();
    expect(page2.items[0].occurredAt <= page1.items[1].occurredAt).toBe(true);
    expect(page2.items.map((i: { id: string }) => i.id)).not.toContain(page1.items[0].id);
  });

  it('refuses a stale update of contact details', async () => {
    const first = await rk1.request({ method: 'PATCH', url: `/api/citizens/${id}`, payload: { version: 1, phone: '+45 20 11 22 33' } });
    expect(first.statusCode).toBe(200);
    const stale = await rk1.request({ method: 'PATCH', url: `/api/citizens/${id}`, payload: { version: 1, phone: '+45 99 99 99 99' } });
    expect(stale.statusCode).toBe(409);
  });
});

describe('code lists', () => {
  it('judges validity at the date the data is about; old data keeps its label', async () => {
    const admin = await login(t.app, 'admin');
    const added = await admin.request({ method: 'POST', url: '/api/code-lists/referral_source', payload: { code: 'integreret_psykiatri', labelDa: 'Integreret Psykiatri', labelEn: 'Integrated Psychiatry', validTo: '2019-12-31' } });
    expect(added.statusCode, added.body).toBe(201);
    const old = await create(rk1, citizen({ enrolment: { ...citizen().enrolment, startDate: '2019-06-01', referralSource: 'integreret_psykiatri' } }));
    expect(old.statusCode, old.body).toBe(201);
    const late = await create(rk1, citizen({ enrolment: { ...citizen().enrolment, startDate: '2020-06-01', referralSource: 'integreret_psykiatri' } }));
    expect(late.json().issues).toEqual([{ path: 'enrolment.referralSource', message: 'code_not_valid_on_date' }]);
    const page = (await rk1.request({ method: 'GET', url: `/api/citizens/${old.json().id}` })).json();
    expect(page.enrolments[0].referralSource).toEqual({ code: 'integreret_psykiatri', label: { da: 'Integreret Psykiatri', en: 'Integrated Psychiatry' } });
    const listToday = (await rk1.request({ method: 'GET', url: '/api/code-lists/referral_source' })).json().items.map((v: { code: string }) => v.code);
    expect(listToday).not.toContain('integreret_psykiatri');
    const listThen = (await rk1.request({ method: 'GET', url: '/api/code-lists/referral_source?on=2019-01-01' })).json().items.map((v: { code: string }) => v.code);
    expect(listThen).toContain('integreret_psykiatri');
  });

  it('lets an admin change only the organisation’s own codes, not national ones or another organisation’s', async () => {
    const admin = await login(t.app, 'admin');
    const national = (await admin.request({ method: 'GET', url: '/api/code-lists/benefit' })).json().items[0];
    expect(national.national).toBe(true);
    const res = await admin.request({ method: 'PATCH', url: `/api/code-values/${national.id}`, payload: { version: national.version, labelDa: 'Hacket' } });
    expect(res.statusCode).toBe(403);
    const rk = await rk1.request({ method: 'POST', url: '/api/code-lists/benefit', payload: { code: 'x', labelDa: 'x', labelEn: 'x' } });
    expect(rk.statusCode).toBe(404);
  });
});
