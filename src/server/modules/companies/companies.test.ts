// Companies, internships and upskilling through the HTTP API: the register with its CVR check and duplicates,
// search and keyset pages, the company page, internships with weekly hours feeding the citizen page, follow-ups
// and outcome, upskilling linked to a plan goal, the timeline, the audit, and the access table.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
let rk1: Session;
let rk3: Session;
let jobkonsulent: Session;
let sagsbehandler: Session;
let nordfyn: Session;
let styregruppe: Session;
const RK1 = userId(4);
const today = dateInCopenhagen();
/** The Monday of the running week. */
const thisMonday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));

/** Fictitious replacement numbers (day + 60), so no real person's number is used. */
let serial = 3000;
const nextCpr = () => `690590-${String(serial++).padStart(4, '0')}`;

/** Valid CVR numbers not used by the demo register. */
const CVR = { a: '10150817', b: '25313763', c: '24256790', d: '61126228', e: '30060946' };

async function newCitizen(s: Session = rk1): Promise<string> {
  const res = await s.request({
    method: 'POST',
    url: '/api/citizens',
    payload: { cpr: nextCpr(), firstName: 'Praktik', lastName: 'Borger', enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2020-03-01', benefitCode: 'kontanthjaelp', consultantIds: [RK1] } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function newCompany(s: Session, cvr: string, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await s.request({ method: 'POST', url: '/api/companies', payload: { cvr, name, ...extra } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

function internship(companyId: string, overrides: Record<string, unknown> = {}) {
  return { companyId, purpose: 'gradual_return', fromDate: addDays(thisMonday, -21), toDate: addDays(thisMonday, 60), plannedWeeklyHours: 10, minPlan: 'no', ...overrides };
}

async function newInternship(citizenId: string, companyId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/internships`, payload: internship(companyId, overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function tableCounts() {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*)::int from companies) as companies, (select count(*)::int from company_contacts) as contacts,
           (select count(*)::int from company_meetings) as meetings, (select count(*)::int from internships) as internships,
           (select count(*)::int from internship_weeks) as weeks, (select count(*)::int from internship_follow_ups) as follow_ups,
           (select count(*)::int from upskilling) as upskilling, (select count(*)::int from citizen_events) as events,
           (select coalesce(sum(version), 0)::int from internships) as internship_versions,
           (select coalesce(sum(version), 0)::int from companies) as company_versions,
           (select coalesce(sum(version), 0)::int from upskilling) as upskilling_versions`.execute(t.db.kysely);
  return rows[0]!;
}

beforeAll(async () => {
  t = await testApp();
  rk1 = await login(t.app, 'rk1');
  rk3 = await login(t.app, 'rk3');
  jobkonsulent = await login(t.app, 'jobkonsulent');
  sagsbehandler = await login(t.app, 'sagsbehandler');
  nordfyn = await login(t.app, 'nordfyn');
  styregruppe = await login(t.app, 'styregruppe');
});
afterAll(async () => {
  await t.close();
});

describe('the company register', () => {
  it('registers a company with contacts and shows it on its page, audited as company', async () => {
    const id = await newCompany(rk1, CVR.a, 'Næstved Værktøj ApS', { address: 'Ringstedgade 1, 4700 Næstved', industry: 'Handel', contacts: [{ name: 'Bo Holm', role: 'Mester', phone: '+45 20 00 00 10' }] });
    const page = await rk1.request({ method: 'GET', url: `/api/companies/${id}` });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({ id, cvr: CVR.a, name: 'Næstved Værktøj ApS', industry: 'Handel', isFictitious: false, contacts: [{ name: 'Bo Holm', role: 'Mester' }], meetings: [], internships: [], otherInternships: 0, version: 1 });
    const rows = (await auditRows(t.db, { actorUsername: 'rk1' })).filter((r) => r.resource_type === 'company' && r.resource_id === id);
    expect(rows.map((r) => r.action)).toEqual(['create', 'read']);
    expect(rows.every((r) => r.outcome === 'success' && r.organisation_id === ORG.naestved && r.citizen_id === null)).toBe(true);
  });

  it('refuses an invalid CVR number with 400 naming the field, before anything is stored', async () => {
    const before = await tableCounts();
    for (const cvr of ['10150818', '1234567', 'abcdefgh', '']) {
      const res = await rk1.request({ method: 'POST', url: '/api/companies', payload: { cvr, name: 'Forkert ApS' } });
      expect(res.statusCode, cvr).toBe(400);
      expect(res.json().issues.map((i: { path: string }) => i.path)).toContain('body.cvr');
    }
    const missing = await rk1.request({ method: 'POST', url: '/api/companies', payload: { cvr: CVR.b } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues.map((i: { path: string }) => i.path)).toContain('body.name');
    expect(await tableCounts()).toEqual(before);
  });

  it('answers 409 duplicate with the existing id for a CVR number already registered in the organisation', async () => {
    const id = await newCompany(jobkonsulent, CVR.b, 'Maglemølle Café');
    const again = await rk1.request({ method: 'POST', url: '/api/companies', payload: { cvr: CVR.b, name: 'Et andet navn' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'duplicate', existingId: id });
  });

  it('changes a company with its version; a stale version answers 409', async () => {
    const id = await newCompany(rk1, CVR.c, 'Skovbrynet Planteskole');
    const res = await rk1.request({ method: 'PATCH', url: `/api/companies/${id}`, payload: { version: 1, name: 'Skovbrynets Planteskole I/S', industry: 'Gartneri' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Skovbrynets Planteskole I/S', industry: 'Gartneri', version: 2 });
    const stale = await rk1.request({ method: 'PATCH', url: `/api/companies/${id}`, payload: { version: 1, name: 'Gammelt navn' } });
    expect(stale.statusCode).toBe(409);
    const found = (await rk1.request({ method: 'GET', url: '/api/companies?q=skovbrynets' })).json();
    expect(found.items.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it('adds a contact and a meeting with who, when, purpose and outcome', async () => {
    const id = await newCompany(rk1, CVR.d, 'Karrebæk Bådebyggeri');
    const contact = await rk1.request({ method: 'POST', url: `/api/companies/${id}/contacts`, payload: { name: 'Anne Vind', email: 'anne@example.org' } });
    expect(contact.statusCode, contact.body).toBe(201);
    const meeting = await rk1.request({
      method: 'POST',
      url: `/api/companies/${id}/meetings`,
      payload: { heldOn: today, staffIds: [RK1, userId(9)], purpose: 'Forberede virksomheden på sin rolle', outcome: 'Klar til praktik fra næste måned' },
    });
    expect(meeting.statusCode, meeting.body).toBe(201);
    const unknownStaff = await rk1.request({ method: 'POST', url: `/api/companies/${id}/meetings`, payload: { heldOn: today, staffIds: [userId(15)], purpose: 'Møde' } });
    expect(unknownStaff.statusCode).toBe(400);
    expect(unknownStaff.json().issues[0].path).toBe('staffIds');
    const page = (await rk1.request({ method: 'GET', url: `/api/companies/${id}` })).json();
    expect(page.contacts).toEqual([expect.objectContaining({ id: contact.json().id, name: 'Anne Vind', email: 'anne@example.org' })]);
    expect(page.meetings).toEqual([
      expect.objectContaining({ heldOn: today, purpose: 'Forberede virksomheden på sin rolle', outcome: 'Klar til praktik fra næste måned', staff: [{ id: RK1, name: 'Lone Madsen' }, { id: userId(9), name: 'Thomas Berg' }], createdBy: { id: RK1, name: 'Lone Madsen' } }),
    ]);
  });

  it('searches by words of the name and by the start of the CVR number, in keyset pages by name', async () => {
    const byName = (await rk1.request({ method: 'GET', url: '/api/companies?q=værktøj%20næstved' })).json();
    expect(byName.items.map((c: { cvr: string }) => c.cvr)).toEqual([CVR.a]);
    const byCvr = (await rk1.request({ method: 'GET', url: `/api/companies?q=${CVR.a.slice(0, 4)}` })).json();
    expect(byCvr.items.map((c: { cvr: string }) => c.cvr)).toContain(CVR.a);
    expect(byCvr.items.every((c: { cvr: string }) => c.cvr.startsWith(CVR.a.slice(0, 4)))).toBe(true);

    // A name the demo register holds too: the two tie on the sort key.
    await newCompany(rk1, '39246848', 'Susåens Gartneri I/S');
    const seen: string[] = [];
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const url: string = `/api/companies?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await rk1.request({ method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: { id: string; name: string }[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items.map((c) => c.name));
      for (const c of body.items) ids.add(c.id);
      cursor = body.nextCursor;
    } while (cursor);
    const total = (await t.db.kysely.selectFrom('companies').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', ORG.naestved).executeTakeFirstOrThrow()).n;
    expect(seen).toHaveLength(Number(total));
    expect(seen).toEqual([...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en')));
    expect(ids.size).toBe(seen.length);
    // Two companies of the same name are paged by id, neither lost nor repeated.
    const twins = [await newCompany(rk1, '10000009', 'Tvilling ApS'), await newCompany(rk1, '17311719', 'Tvilling ApS')].sort();
    const first = (await rk1.request({ method: 'GET', url: '/api/companies?q=tvilling&limit=1' })).json();
    const second = (await rk1.request({ method: 'GET', url: `/api/companies?q=tvilling&limit=1&cursor=${first.nextCursor}` })).json();
    expect([...first.items, ...second.items].map((c: { id: string }) => c.id)).toEqual(twins);
    const bad = await rk1.request({ method: 'GET', url: '/api/companies?cursor=bm90LWEtY3Vyc29y' });
    expect(bad.statusCode).toBe(400);
    expect((await auditRows(t.db, { actorUsername: 'rk1', action: 'search' })).some((r) => r.resource_type === 'company')).toBe(true);
  });
});

describe('internships', () => {
  let citizenId: string;
  let companyId: string;
  let internshipId: string;

  beforeAll(async () => {
    citizenId = await newCitizen();
    companyId = await newCompany(rk1, CVR.e, 'Holmegaard Lager A/S', { contacts: [{ name: 'Per Lager' }] });
  });

  it('registers an internship with a contact of the company, on the timeline and audited', async () => {
    const contactId = (await rk1.request({ method: 'GET', url: `/api/companies/${companyId}` })).json().contacts[0].id;
    internshipId = await newInternship(citizenId, companyId, { contactId });
    const list = await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/internships` });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({ id: internshipId, company: { id: companyId, name: 'Holmegaard Lager A/S', cvr: CVR.e }, contact: { id: contactId, name: 'Per Lager' }, purpose: 'gradual_return', plannedWeeklyHours: 10, minPlan: 'no', outcome: null, weeks: [], version: 1 }),
    ]);
    const timeline = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/timeline?kind=internship` })).json();
    expect(timeline.items).toEqual([expect.objectContaining({ kind: 'internship.created', refId: internshipId, data: expect.objectContaining({ company: 'Holmegaard Lager A/S', purpose: 'gradual_return' }) })]);
    const audit = (await auditRows(t.db, { actorUsername: 'rk1' })).filter((r) => r.resource_type === 'internship');
    expect(audit.map((r) => [r.action, r.citizen_id])).toEqual([['create', citizenId], ['read', citizenId]]);
  });

  it('records 10, 15 and 20 hours for three weeks; they show in the citizen page figures without a status period', async () => {
    const before = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}` })).json();
    const weeks = [
      { weekStart: addDays(thisMonday, -21), hours: 10 },
      { weekStart: addDays(thisMonday, -14), hours: 15 },
      { weekStart: addDays(thisMonday, -7), hours: 20 },
    ];
    const res = await rk1.request({ method: 'PUT', url: `/api/internships/${internshipId}/weeks`, payload: { weeks } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().weeks).toEqual(weeks);
    const page = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}` })).json();
    expect(page.statusPeriods).toEqual(before.statusPeriods);
    expect(page.internshipWeeks).toEqual([...weeks].reverse());
    expect(page.selfSupport.last26).toMatchObject({ weeksWithHours: 3, hours: 45, selfSupporting: before.selfSupport.last26.selfSupporting });
    expect(page.selfSupport.last52).toMatchObject({ weeksWithHours: 3, hours: 45 });

    // Overwriting one week changes only that week, and the timeline says so once.
    const again = await rk1.request({ method: 'PUT', url: `/api/internships/${internshipId}/weeks`, payload: { weeks: [{ weekStart: addDays(thisMonday, -7), hours: 22.5 }, { weekStart: addDays(thisMonday, -14), hours: 15 }] } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().weeks.map((w: { hours: number }) => w.hours)).toEqual([10, 15, 22.5]);
    const events = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/timeline?kind=internship` })).json().items.filter((e: { kind: string }) => e.kind === 'internship.hours');
    expect(events).toHaveLength(4);
    expect(events[0].data).toMatchObject({ weekStart: addDays(thisMonday, -7), hours: 22.5, previous: 20 });
    // Newest first: the weeks of one request come latest week first.
    expect(events.map((e: { data: { weekStart: string } }) => e.data.weekStart)).toEqual([-7, -7, -14, -21].map((d) => addDays(thisMonday, d)));
  });

  it('refuses a week that is not a Monday, outside the period, twice in one body, or hours out of bounds with 400', async () => {
    const before = await tableCounts();
    const send = (weeks: unknown) => rk1.request({ method: 'PUT', url: `/api/internships/${internshipId}/weeks`, payload: { weeks } });
    const notMonday = await send([{ weekStart: addDays(thisMonday, 1), hours: 5 }]);
    expect(notMonday.statusCode).toBe(400);
    expect(notMonday.json().issues[0]).toMatchObject({ path: 'weeks.0.weekStart', message: 'not_monday' });
    const outside = await send([{ weekStart: addDays(thisMonday, -70), hours: 5 }]);
    expect(outside.statusCode).toBe(400);
    expect(outside.json().issues[0]).toMatchObject({ path: 'weeks.0.weekStart', message: 'outside_period' });
    const twice = await send([{ weekStart: thisMonday, hours: 5 }, { weekStart: thisMonday, hours: 6 }]);
    expect(twice.statusCode).toBe(400);
    for (const weeks of [[{ weekStart: thisMonday, hours: 81 }], [{ weekStart: thisMonday, hours: -1 }], [{ weekStart: thisMonday, hours: 5.55 }], [{ weekStart: '0001-01-01', hours: 5 }], [], [{ weekStart: thisMonday }]]) {
      expect((await send(weeks)).statusCode, JSON.stringify(weeks)).toBe(400);
    }
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses bad periods and purposes with 400, never 500', async () => {
    const before = await tableCounts();
    const post = (overrides: Record<string, unknown>) => rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/internships`, payload: internship(companyId, overrides) });
    const reversed = await post({ fromDate: '2026-03-01', toDate: '2026-02-01' });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().issues.map((i: { path: string }) => i.path)).toContain('body.toDate');
    for (const overrides of [{ fromDate: '1899-12-31' }, { toDate: '2101-01-01' }, { fromDate: '2026-02-30' }, { plannedWeeklyHours: 0 }, { plannedWeeklyHours: 61 }, { purpose: 'other' }, { minPlan: 'maybe' }, { companyId: 'x' }]) {
      const res = await post(overrides);
      expect(res.statusCode, JSON.stringify(overrides)).toBe(400);
    }
    const unknownCompany = await post({ companyId: '00000000-0000-4000-8000-000000009999' });
    expect(unknownCompany.statusCode).toBe(400);
    expect(unknownCompany.json().issues[0].path).toBe('companyId');
    const otherContact = await post({ contactId: (await rk1.request({ method: 'GET', url: `/api/companies?q=${CVR.d}` })).json().items[0].id });
    expect(otherContact.statusCode).toBe(400);
    expect(await tableCounts()).toEqual(before);
  });

  it('records a follow-up talk and the outcome; ended early needs a reason; a stale version answers 409', async () => {
    const follow = await rk1.request({ method: 'POST', url: `/api/internships/${internshipId}/follow-ups`, payload: { heldOn: today, note: 'Går godt, vil gerne op i tid.' } });
    expect(follow.statusCode, follow.body).toBe(201);
    const noReason = await rk1.request({ method: 'PATCH', url: `/api/internships/${internshipId}`, payload: { version: 1, outcome: 'ended_early' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().issues.map((i: { path: string }) => i.path)).toContain('body.outcomeReason');
    const tooShort = await rk1.request({ method: 'PATCH', url: `/api/internships/${internshipId}`, payload: { version: 1, toDate: addDays(thisMonday, -10) } });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().issues[0]).toMatchObject({ path: 'toDate', message: 'weeks_outside' });
    const ended = await rk1.request({ method: 'PATCH', url: `/api/internships/${internshipId}`, payload: { version: 1, outcome: 'ended_early', outcomeReason: 'Sygdom', toDate: thisMonday, minPlan: 'yes' } });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ outcome: 'ended_early', outcomeReason: 'Sygdom', toDate: thisMonday, minPlan: 'yes', version: 2, followUps: [expect.objectContaining({ heldOn: today, note: 'Går godt, vil gerne op i tid.', createdBy: { id: RK1, name: 'Lone Madsen' } })] });
    const stale = await rk1.request({ method: 'PATCH', url: `/api/internships/${internshipId}`, payload: { version: 1, outcome: 'hired' } });
    expect(stale.statusCode).toBe(409);
    const kinds = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/timeline?kind=internship` })).json().items.map((e: { kind: string }) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(['internship.ended', 'internship.follow_up']);
  });

  it('opens a "register in Min Plan" task in the plan while the internship is not registered there, and closes it when it is', async () => {
    const citizen = await newCitizen();
    const id = await newInternship(citizen, await newCompany(rk1, '46558553', 'Min Plan Maskinfabrik'), { minPlan: 'no' });
    const task = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizen}/plan` })).json().tasks.find((x: { minPlanOffer: { id: string } | null }) => x.minPlanOffer?.id === id);
    expect(task).toMatchObject({ status: 'open', minPlanOffer: { kind: 'internship', id } });
    const registered = await rk1.request({ method: 'PATCH', url: `/api/internships/${id}`, payload: { version: 1, minPlan: 'yes' } });
    expect(registered.statusCode, registered.body).toBe(200);
    const after = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizen}/plan` })).json().tasks.find((x: { minPlanOffer: { id: string } | null }) => x.minPlanOffer?.id === id);
    expect(after?.status ?? 'gone').not.toBe('open');
    const audit = (await auditRows(t.db, { actorUsername: 'rk1', action: 'update' })).filter((r) => r.resource_id === id).at(-1);
    expect(audit?.criteria).toMatchObject({ minPlanReminder: 'closed' });
  });

  it('shows the internship on the company page to those who see the citizen, and only a count to others', async () => {
    const own = (await rk1.request({ method: 'GET', url: `/api/companies/${companyId}` })).json();
    expect(own.internships).toEqual([expect.objectContaining({ id: internshipId, citizen: { id: citizenId, name: 'Praktik Borger' }, outcome: 'ended_early' })]);
    expect(own.otherInternships).toBe(0);
    const other = await rk3.request({ method: 'GET', url: `/api/companies/${companyId}` });
    expect(other.statusCode).toBe(200);
    expect(other.json()).toMatchObject({ internships: [], otherInternships: 1 });
    expect(other.body).not.toContain('Praktik Borger');
    const read = (await auditRows(t.db, { actorUsername: 'rk1', action: 'read' })).filter((r) => r.resource_type === 'company' && r.resource_id === companyId).at(-1);
    expect(read?.criteria).toEqual({ internshipCitizenIds: [citizenId] });
  });

  it('pages a citizen\'s internships newest first with a keyset cursor', async () => {
    const citizen = await newCitizen();
    const ids = [];
    for (const [i, from] of ['2025-01-06', '2025-03-03', '2025-05-05'].entries()) ids.push(await newInternship(citizen, companyId, { fromDate: from, toDate: addDays(from, 30), plannedWeeklyHours: 8 + i }));
    const first = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizen}/internships?limit=2` })).json();
    expect(first.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    const second = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizen}/internships?limit=2&cursor=${first.nextCursor}` })).json();
    expect(second.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('upskilling', () => {
  let citizenId: string;
  let upskillingId: string;

  beforeAll(async () => {
    citizenId = await newCitizen();
  });

  it('registers a course, lists it, and changes its status with the version; both on the timeline', async () => {
    const res = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/upskilling`, payload: { kind: 'certificate', title: 'Truckcertifikat', provider: 'AMU Sjælland', fromDate: '2026-09-01', toDate: '2026-09-12', status: 'ongoing', minPlan: 'not_relevant' } });
    expect(res.statusCode, res.body).toBe(201);
    upskillingId = res.json().id;
    const list = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/upskilling` })).json();
    expect(list.items).toEqual([expect.objectContaining({ id: upskillingId, kind: 'certificate', title: 'Truckcertifikat', provider: 'AMU Sjælland', status: 'ongoing', goal: null, minPlan: 'not_relevant', version: 1 })]);
    const changed = await rk1.request({ method: 'PATCH', url: `/api/upskilling/${upskillingId}`, payload: { version: 1, status: 'completed', outcome: 'Bestået' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ status: 'completed', outcome: 'Bestået', version: 2 });
    expect((await rk1.request({ method: 'PATCH', url: `/api/upskilling/${upskillingId}`, payload: { version: 1, status: 'dropped' } })).statusCode).toBe(409);
    const events = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/timeline?kind=upskilling` })).json().items;
    expect(events.map((e: { kind: string }) => e.kind)).toEqual(['upskilling.changed', 'upskilling.created']);
    expect(events[0].data).toMatchObject({ status: 'completed', previousStatus: 'ongoing' });
  });

  it('refuses a goal that is not one of the citizen\'s plan goals, and a last day before the first, with 400', async () => {
    const before = await tableCounts();
    const body = { kind: 'course', title: 'Kursus', provider: 'VUC', fromDate: '2026-09-01', status: 'planned' };
    const goal = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/upskilling`, payload: { ...body, goalId: '00000000-0000-4000-8000-000000009999' } });
    expect(goal.statusCode).toBe(400);
    expect(goal.json().issues[0].path).toBe('goalId');
    const reversed = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/upskilling`, payload: { ...body, toDate: '2026-08-01' } });
    expect(reversed.statusCode).toBe(400);
    const patchReversed = await rk1.request({ method: 'PATCH', url: `/api/upskilling/${upskillingId}`, payload: { version: 2, toDate: '2026-08-01' } });
    expect(patchReversed.statusCode).toBe(400);
    expect(patchReversed.json().issues[0].path).toBe('toDate');
    for (const bad of [{ kind: 'phd' }, { status: 'done' }, { title: '' }, { fromDate: '3000-01-01' }, { provider: 'x'.repeat(201) }]) {
      expect((await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/upskilling`, payload: { ...body, ...bad } })).statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect(await tableCounts()).toEqual(before);
  });
});

describe('who may do what', () => {
  let citizenId: string;
  let companyId: string;
  let internshipId: string;
  let upskillingId: string;

  beforeAll(async () => {
    citizenId = await newCitizen();
    companyId = (await rk1.request({ method: 'GET', url: `/api/companies?q=${CVR.e}` })).json().items[0].id;
    internshipId = await newInternship(citizenId, companyId);
    upskillingId = (await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/upskilling`, payload: { kind: 'course', title: 'Kursus', provider: 'VUC', fromDate: '2026-09-01', status: 'planned' } })).json().id;
  });

  const citizenRequests = () => [
    { method: 'GET' as const, url: `/api/citizens/${citizenId}/internships` },
    { method: 'POST' as const, url: `/api/citizens/${citizenId}/internships`, payload: internship(companyId) },
    { method: 'PUT' as const, url: `/api/internships/${internshipId}/weeks`, payload: { weeks: [{ weekStart: thisMonday, hours: 5 }] } },
    { method: 'POST' as const, url: `/api/internships/${internshipId}/follow-ups`, payload: { heldOn: today, note: 'x' } },
    { method: 'PATCH' as const, url: `/api/internships/${internshipId}`, payload: { version: 1, outcome: 'hired' } },
    { method: 'GET' as const, url: `/api/citizens/${citizenId}/upskilling` },
    { method: 'POST' as const, url: `/api/citizens/${citizenId}/upskilling`, payload: { kind: 'course', title: 'K', provider: 'P', fromDate: '2026-09-01', status: 'planned' } },
    { method: 'PATCH' as const, url: `/api/upskilling/${upskillingId}`, payload: { version: 1, status: 'ongoing' } },
  ];
  const companyRequests = () => [
    { method: 'GET' as const, url: `/api/companies/${companyId}` },
    { method: 'PATCH' as const, url: `/api/companies/${companyId}`, payload: { version: 1, industry: 'Lager' } },
    { method: 'POST' as const, url: `/api/companies/${companyId}/contacts`, payload: { name: 'Ny Kontakt' } },
    { method: 'POST' as const, url: `/api/companies/${companyId}/meetings`, payload: { heldOn: today, purpose: 'Møde' } },
  ];

  it('rk3, not on the citizen\'s team, gets 404 on every citizen route; each refusal is audited as denied and nothing changes', async () => {
    const before = await tableCounts();
    const deniedBefore = (await auditRows(t.db, { actorUsername: 'rk3', outcome: 'denied' })).length;
    for (const r of citizenRequests()) {
      const res = await rk3.request(r);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(404);
    }
    const denied = (await auditRows(t.db, { actorUsername: 'rk3', outcome: 'denied' })).slice(deniedBefore);
    expect(denied).toHaveLength(citizenRequests().length);
    expect(denied.every((r) => r.citizen_id === citizenId)).toBe(true);
    expect(await tableCounts()).toEqual(before);
  });

  it('another organisation (nordfyn) gets 404 on the company and the citizen routes, audited, and sees none of the register', async () => {
    const before = await tableCounts();
    for (const r of [...companyRequests(), ...citizenRequests()]) {
      const res = await nordfyn.request(r);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(404);
    }
    expect((await nordfyn.request({ method: 'GET', url: '/api/companies' })).json().items).toEqual([]);
    const dup = await nordfyn.request({ method: 'POST', url: '/api/companies', payload: { cvr: CVR.e, name: 'Nordfyns eget register' } });
    expect(dup.statusCode).toBe(404);
    const denied = (await auditRows(t.db, { actorUsername: 'nordfyn', outcome: 'denied' })).filter((r) => r.resource_type === 'company');
    expect(denied.length).toBeGreaterThanOrEqual(companyRequests().length);
    expect(await tableCounts()).toEqual(before);
  });

  it('the steering group gets 404 on companies and citizen activities; the caseworker reads companies but does not keep them', async () => {
    const before = await tableCounts();
    for (const r of [{ method: 'GET' as const, url: '/api/companies' }, { method: 'POST' as const, url: '/api/companies', payload: { cvr: '24623424', name: 'Styregruppens firma' } }, ...companyRequests(), ...citizenRequests()]) {
      expect((await styregruppe.request(r)).statusCode, `${r.method} ${r.url}`).toBe(404);
    }
    expect((await sagsbehandler.request({ method: 'GET', url: `/api/companies/${companyId}` })).statusCode).toBe(200);
    expect((await sagsbehandler.request({ method: 'POST', url: '/api/companies', payload: { cvr: '24623424', name: 'Sagsbehandlerens firma' } })).statusCode).toBe(404);
    expect((await sagsbehandler.request({ method: 'POST', url: `/api/companies/${companyId}/contacts`, payload: { name: 'X' } })).statusCode).toBe(404);
    expect(await tableCounts()).toEqual(before);
  });

  it('an unknown internship or upskilling id answers 404 and is audited as denied', async () => {
    const unknown = '00000000-0000-4000-8000-000000009998';
    expect((await rk1.request({ method: 'PUT', url: `/api/internships/${unknown}/weeks`, payload: { weeks: [{ weekStart: thisMonday, hours: 1 }] } })).statusCode).toBe(404);
    expect((await rk1.request({ method: 'PATCH', url: `/api/upskilling/${unknown}`, payload: { version: 1 } })).statusCode).toBe(404);
    expect((await rk1.request({ method: 'GET', url: `/api/companies/${unknown}` })).statusCode).toBe(404);
    const denied = (await auditRows(t.db, { actorUsername: 'rk1', outcome: 'denied' })).filter((r) => r.resource_id === unknown);
    expect(denied.map((r) => r.resource_type).sort()).toEqual(['company', 'internship', 'upskilling']);
  });

  it('a logged-out caller gets 401 everywhere', async () => {
    for (const r of [{ method: 'GET' as const, url: '/api/companies' }, { method: 'POST' as const, url: '/api/companies', payload: { cvr: CVR.a, name: 'X' } }, ...companyRequests(), ...citizenRequests()]) {
      expect((await t.app.inject(r)).statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });
});
