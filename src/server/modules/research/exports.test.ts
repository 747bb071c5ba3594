// Research exports on both engines: pseudonyms stable within a study and unlinkable across studies, never numeric;
// the k-anonymity step generalising and refusing on hand-made data; the identifier scan catching a planted CPR number,
// name and e-mail address (on rows, and through a real export); the package's files; who may ask, see and download
// (404 for everyone else, 409 for a study not approved or ended, 410 once expired); every step audited with row counts.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EXPORT_ID } from '../../demo/demo-exports.ts';
import { DEMO_STUDY_ID } from '../../demo/demo-studies.ts';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, TEST_CPR_KEY, type Session, type TestContext } from '../../testing/harness.ts';
import { exportDeps, makePackage, type ExportDeps } from './exports.service.ts';
import { addCitizen, emptyKnown, scanCell, scanRows } from './identifier-scan.ts';
import { AnonymityPlanner, type QuasiIdentifiers } from './k-anonymity.ts';
import { studyKey } from './pseudonyms.ts';

let t: TestContext;
let deps: ExportDeps;
let dir: string;
const as: Record<string, Session> = {};
const FORSKER = userId(12);

const post = (who: string, url: string, payload: Record<string, unknown> = {}) => as[who]!.request({ method: 'POST', url, payload });
const get = (who: string, url: string) => as[who]!.request({ method: 'GET', url });

async function requestAndRun(payload: Record<string, unknown> = {}, study = DEMO_STUDY_ID): Promise<string> {
  const res = await post('forsker', `/api/studies/${study}/exports`, payload);
  expect(res.statusCode, res.body).toBe(202);
  const { id } = res.json() as { id: string };
  await makePackage(deps, id);
  return id;
}

function unzip(body: Buffer): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(new Uint8Array(body))).map(([name, data]) => [name, strFromU8(data)]));
}

/** A second approved study of the programme with `forsker` named (recorded, advised on and approved through the API). */
async function approvedStudy(over: Record<string, unknown> = {}): Promise<string> {
  const res = await post('projektleder', '/api/studies', {
    programmeId: PROGRAMME.paaVej,
    title: 'Anden undersøgelse',
    partnerName: 'VIVE',
    partnerRole: 'controller',
    legalBasis: ['gdpr_6_1_e'],
    checklist: { thirdCountry: false, biologicalMaterial: false, journalPublication: false },
    purpose: 'Effekt.',
    startsOn: addDays(dateInCopenhagen(), -30),
    endsOn: addDays(dateInCopenhagen(), 300),
    variables: ['enrolments.pseudonym', 'status_weeks.benefit'],
    datePrecision: 'month',
    dpiaReference: 'DPIA-X',
    organisationIds: [ORG.naestved],
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  expect((await post('projektleder', `/api/studies/${id}/researchers`, { userId: FORSKER })).statusCode).toBe(200);
  return id;
}
async function approve(id: string) {
  expect((await post('dpo', `/api/studies/${id}/dpo-advice`, { advice: 'Anbefales.' })).statusCode).toBe(200);
  const res = await post('projektleder', `/api/studies/${id}/approve`);
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bindeled-exports-test-'));
  t = await testApp({ exportDir: dir });
  deps = exportDeps(t.db.kysely, { cprKey: TEST_CPR_KEY, demo: true, exportDir: dir });
  for (const u of ['projektleder', 'dpo', 'forsker', 'styregruppe', 'rk1']) as[u] = await login(t.app, u);
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pseudonyms', () => {
  it('are stable within a study, differ across studies, and are never numeric', () => {
    const a = studyKey('k'.repeat(32), '00000000-0000-4000-8000-000000000001');
    const b = studyKey('k'.repeat(32), '00000000-0000-4000-8000-000000000002');
    const citizens = Array.from({ length: 500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const pa = citizens.map((c) => a.pseudonym(c));
    expect(citizens.map((c) => a.pseudonym(c))).toEqual(pa);
    expect(new Set(pa).size).toBe(500);
    for (const p of pa) {
      expect(p).toMatch(/^R[A-Z2-7]{16}$/);
      expect(p).not.toMatch(/^\d+$/);
    }
    const pb = citizens.map((c) => b.pseudonym(c));
    expect(pb.filter((p) => pa.includes(p))).toEqual([]);
    // Another research key: other pseudonyms for the same study.
    expect(studyKey('x'.repeat(32), '00000000-0000-4000-8000-000000000001').pseudonym(citizens[0]!)).not.toBe(pa[0]);
    // Date offsets: never 0, within half a year, stable.
    for (const c of citizens) {
      const d = a.shiftDays(c);
      expect(d).not.toBe(0);
      expect(Math.abs(d)).toBeLessThanOrEqual(182);
      expect(a.shiftDays(c)).toBe(d);
    }
  });
});

describe('the k-anonymity step', () => {
  const q = (birthYear: number, sex: string, benefit: string, start: string): QuasiIdentifiers => ({ birthYear, sex, benefit, start });

  it('releases as agreed when every class has at least 5 records', () => {
    const p = new AnonymityPlanner('month');
    for (let i = 0; i < 10; i += 1) p.add(q(1990, i % 2 ? 'm' : 'f', 'kontanthjaelp', '2026-02-10'));
    const plan = p.plan({ birthYear: true });
    expect(plan).toMatchObject({ level: 0, suppressedRecords: 0, refused: false, generalised: [] });
    expect(plan.release(q(1990, 'm', 'kontanthjaelp', '2026-02-10'))).toEqual({ birthYear: '1990', sex: 'm', benefit: 'kontanthjaelp', start: '2026-02', suppressed: false });
  });

  it('generalises birth year to 5-year bands and the start month to quarters', () => {
    const p = new AnonymityPlanner('month');
    // 20 records spread over 1990–1994 and January–March: no exact class reaches 5, every band-and-quarter does.
    for (let i = 0; i < 20; i += 1) p.add(q(1990 + (i % 5), 'f', 'kontanthjaelp', `2026-0${(i % 3) + 1}-15`));
    const plan = p.plan({ birthYear: true });
    expect(plan.level).toBe(1);
    expect(plan.suppressedRecords).toBe(0);
    expect(plan.generalised).toEqual(['birth_year → 5-year bands', 'dates of the enrolments file → quarter']);
    expect(plan.release(q(1992, 'f', 'kontanthjaelp', '2026-02-15'))).toMatchObject({ birthYear: '1990-1994', start: '2026-Q1', suppressed: false });
  });

  it("suppresses a small class's quasi-identifiers when few, and refuses when too many or too few records", () => {
    const p = new AnonymityPlanner('month');
    for (let i = 0; i < 100; i += 1) p.add(q(1990, 'f', 'kontanthjaelp', '2026-01-15'));
    p.add(q(1950, 'm', 'ledighedsydelse', '2026-01-15'));
    const plan = p.plan({ birthYear: true });
    expect(plan).toMatchObject({ level: 0, suppressedRecords: 1, refused: false });
    // Sex, then benefit, then birth year go until the record's class (empty = any value) has 5.
    expect(plan.release(q(1950, 'm', 'ledighedsydelse', '2026-01-15'))).toEqual({ birthYear: '', sex: '', benefit: '', start: '2026-01', suppressed: true });
    expect(plan.generalised).toEqual(['sex suppressed in 1 records', 'benefit_at_start suppressed in 1 records', 'birth_year suppressed in 1 records']);
    expect(plan.release(q(1990, 'f', 'kontanthjaelp', '2026-01-15'))).toMatchObject({ birthYear: '1990', suppressed: false });

    const unique = new AnonymityPlanner('month');
    for (let i = 0; i < 12; i += 1) unique.add(q(1940 + i * 5, i % 2 ? 'm' : 'f', `b${i}`, `20${10 + i}-01-01`));
    expect(unique.plan({ birthYear: true }).refused).toBe(true);

    const few = new AnonymityPlanner('month');
    for (let i = 0; i < 4; i += 1) few.add(q(1990, 'f', 'kontanthjaelp', '2026-01-15'));
    expect(few.plan({ birthYear: true }).refused).toBe(true);
  });

  it('starts from the shifted day with shifted dates', () => {
    const p = new AnonymityPlanner('shifted');
    for (let i = 0; i < 10; i += 1) p.add(q(1990, 'f', 'x', `2026-01-${String(10 + i).padStart(2, '0')}`));
    const plan = p.plan({ birthYear: true });
    expect(plan.level).toBe(1);
    expect(plan.release(q(1990, 'f', 'x', '2026-01-12')).start).toBe('2026-01');
  });
});

describe('the identifier scan', () => {
  const known = emptyKnown();
  addCitizen(known, { first_name: 'Mette Marie', last_name: 'Kjærgaard', email: 'mette@example.dk', phone: '+45 22 33 44 55', address: 'Vestergade 4, 4700 Næstved' });

  it('catches CPR numbers, e-mail addresses, phone numbers, names and contact details, and passes codes and dates', () => {
    expect(scanCell('010190-1234', known)).toBe('cpr');
    expect(scanCell('0101901234', known)).toBe('cpr');
    expect(scanCell('skriv til a.b@kommune.dk', known)).toBe('email');
    expect(scanCell('22 33 44 55', known)).toBe('phone');
    expect(scanCell('+4522334455', known)).toBe('phone');
    expect(scanCell('kjærgaard', known)).toBe('name');
    expect(scanCell('Instrument Mette', known)).toBe('name');
    expect(scanCell('vestergade 4, 4700 næstved', known)).toBe('contact');
    for (const clean of ['2026-01', '2026-01-15', '2026-Q1', '1985-1989', 'kontanthjaelp', 'walk_and_talk', '37', '12.5', 'm', '', 'WHO5']) expect(scanCell(clean, known)).toBeNull();
  });

  it('names the file and variable of the first hit, never the value; the pseudonym column is not read for names', () => {
    const header = ['pseudonym', 'date', 'instrument'];
    expect(scanRows('assessments', header, [['RMETTEABCDEFGHIJK', '2026-01', 'WHO5'], ['RAAAA', '2026-02', 'x 010190-1234']], known)).toEqual({ kind: 'cpr', file: 'assessments', variable: 'instrument', row: 2 });
    expect(scanRows('assessments', header, [['RA', '2026-01', 'Kjærgaard']], known)).toMatchObject({ kind: 'name', variable: 'instrument' });
    expect(scanRows('assessments', header, [['RA', '2026-01', 'mette@example.dk']], known)).toMatchObject({ kind: 'email', variable: 'instrument' });
    expect(scanRows('assessments', header, [['RMETTE', '2026-01', 'WHO5']], known)).toBeNull();
  });
});

describe('an export of the demo study', () => {
  it('is asked for by the named researcher, made on the queue with progress, and downloaded as a zip of the agreed files', async () => {
    const res = await post('forsker', `/api/studies/${DEMO_STUDY_ID}/exports`, {});
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json() as { id: string };
    const job = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'study-export' and data ->> 'exportId' = ${id}`.execute(t.db.owner);
    expect(job.rows[0]!.n).toBe(1);
    expect((await get('forsker', `/api/exports/${id}`)).json()).toMatchObject({ status: 'queued', progress: 0, canDownload: false });

    const seen: string[] = [];
    const result = await makePackage({ ...deps, db: t.db.kysely }, id);
    expect(result?.status, JSON.stringify(result?.blocked)).toBe('ready');
    seen.push(result!.status);
    const status = (await get('forsker', `/api/exports/${id}`)).json() as { status: string; progress: number; rowCounts: Record<string, number>; expiresAt: string; canDownload: boolean; blocked: unknown };
    expect(status).toMatchObject({ status: 'ready', progress: 100, canDownload: true, blocked: null });
    // The study's research questionnaire (the demo's Emil answered it) comes with the export of everything approved.
    expect(Object.keys(status.rowCounts).sort()).toEqual(['activities', 'assessments', 'enrolments', 'research_answers', 'research_scores', 'status_weeks']);
    expect(status.rowCounts.research_scores).toBe(1);
    expect(status.rowCounts.enrolments).toBeGreaterThan(0);
    const days = (new Date(status.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);

    const download = await get('forsker', `/api/exports/${id}/download`);
    expect(download.statusCode, download.body).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    const files = unzip(download.rawPayload);
    expect(Object.keys(files).sort()).toEqual(['README.md', 'activities.csv', 'assessments.csv', 'codebook.csv', 'codebook.html', 'codebook.json', 'enrolments.csv', 'research_answers.csv', 'research_scores.csv', 'status_weeks.csv']);
    const [header, ...rows] = files['enrolments.csv']!.trim().split('\r\n');
    // The research answers: one row per item, the scores one row per answer, under the same pseudonyms as the rest.
    const [answersHeader, ...answerRows] = files['research_answers.csv']!.trim().split('\r\n');
    expect(answersHeader).toBe('pseudonym,date,instrument,instrument_version,item,value');
    expect(answerRows.length).toBe(status.rowCounts.research_answers);
    expect(answerRows.length).toBeGreaterThan(0);
    const [scoresHeader, scoreRow] = files['research_scores.csv']!.trim().split('\r\n');
    expect(scoresHeader).toBe('pseudonym,date,instrument,instrument_version,raw_score,scaled_score');
    const answerer = scoreRow!.split(',')[0]!;
    expect(rows.map((r) => r.split(',')[0])).toContain(answerer);
    for (const r of answerRows) expect(r.split(',')[0]).toBe(answerer);
    expect(scoreRow!.split(',')[1]).toMatch(/^\d{4}-\d{2}$/);
    expect(header).toBe('pseudonym,birth_year,sex,start_date,benefit_at_start,exit_outcome');
    expect(rows.length).toBe(status.rowCounts.enrolments);
    for (const r of rows) expect(r.split(',')[0]).toMatch(/^R[A-Z2-7]{16}$/);
    expect(files['activities.csv']!.split('\r\n')[0]).toBe('pseudonym,date,kind');
    expect(files['status_weeks.csv']!.split('\r\n')[0]).toBe('pseudonym,week,benefit');
    expect(files['assessments.csv']!.split('\r\n')[0]).toBe('pseudonym,date,instrument,occasion,scaled_score');
    // Month precision: no day anywhere.
    expect(files['status_weeks.csv']).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(files['README.md']).toContain('VIVE');
    expect(files['README.md']).toContain(`enrolments.csv\`: ${status.rowCounts.enrolments} rows`);
    expect(files['codebook.html']).toContain('Fødselsår');
    expect(files['codebook.html']).toContain('Year of birth');
    expect((JSON.parse(files['codebook.json']!) as { files: unknown[] }).files).toHaveLength(6);
    expect(files['codebook.html']).toContain('Forskningsspørgeskemaer');
    // No citizen's name, CPR number or contact detail anywhere in the data.
    const { rows: citizens } = await sql<{ first_name: string; last_name: string; birth_date: string }>`select first_name, last_name, birth_date::text as birth_date from citizens`.execute(t.db.owner);
    const data = ['enrolments.csv', 'activities.csv', 'assessments.csv', 'status_weeks.csv', 'research_answers.csv', 'research_scores.csv'].map((f) => files[f]).join('\n');
    for (const c of citizens) {
      expect(data).not.toContain(`,${c.last_name},`);
      expect(data).not.toContain(c.birth_date);
    }

    // Audited: the request, the release with its rows per file, the download.
    const audit = await t.db.owner.selectFrom('audit_log').select(['action', 'outcome', 'actor_username', 'criteria']).where('resource_type', '=', 'study_export').where('resource_id', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => [a.action, a.outcome, a.actor_username])).toEqual([
      ['create', 'success', 'forsker'],
      ['read', 'success', 'forsker'],
      ['export', 'success', 'job:study-export'],
      ['read', 'success', 'forsker'],
      ['export', 'success', 'forsker'],
    ]);
    expect((audit[2]!.criteria as { rowCounts: Record<string, number> }).rowCounts).toEqual(status.rowCounts);
    expect((audit[4]!.criteria as { rowCounts: Record<string, number> }).rowCounts).toEqual(status.rowCounts);
  });

  it('as REDCap: records with repeating instruments and a data dictionary with REDCap’s columns', async () => {
    const id = await requestAndRun({ format: 'redcap', variables: ['enrolments.pseudonym', 'enrolments.birth_year', 'status_weeks.benefit'] });
    const files = unzip((await get('forsker', `/api/exports/${id}/download`)).rawPayload);
    expect(Object.keys(files).sort()).toEqual(['README.md', 'codebook.csv', 'codebook.html', 'codebook.json', 'redcap_data_dictionary.csv', 'redcap_records.csv']);
    expect(files['redcap_records.csv']!.split('\r\n')[0]).toBe('record_id,redcap_repeat_instrument,redcap_repeat_instance,enrolments_birth_year,enrolments_start_date,status_weeks_week,status_weeks_benefit');
    const first = files['redcap_records.csv']!.split('\r\n')[1]!.split(',');
    expect(first[0]).toMatch(/^R[A-Z2-7]{16}$/);
    expect(first.slice(1, 3)).toEqual(['enrolments', '1']);
    const dictionary = files['redcap_data_dictionary.csv']!.split('\r\n');
    expect(dictionary[0]).toContain('Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels",Field Note');
    expect(dictionary[1]).toMatch(/^record_id,enrolments,,text,/);
    expect(dictionary.find((l) => l.startsWith('status_weeks_benefit,'))).toMatch(/dropdown/);
  });

  it('refuses variables the study is not approved for (400, audited)', async () => {
    const res = await post('forsker', `/api/studies/${DEMO_STUDY_ID}/exports`, { variables: ['activities.duration_minutes'] });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('not_approved');
  });

  it('blocks a package whose cells hold a CPR number, a name or an e-mail address, naming the file and variable for the admin', async () => {
    const { rows } = await sql<{ id: string; last_name: string }>`
      select a.id, c.last_name from assessments a join citizens c on c.id = a.citizen_id
       where a.programme_id = ${PROGRAMME.paaVej} and a.organisation_id = ${ORG.naestved} and a.status = 'submitted' order by a.id limit 1`.execute(t.db.owner);
    const target = rows[0]!;
    const { rows: original } = await sql<{ instrument_code: string }>`select instrument_code from assessments where id = ${target.id}`.execute(t.db.owner);
    for (const [planted, kind] of [
      ['010190-1234', 'cpr'],
      [target.last_name, 'name'],
      ['borger@example.dk', 'email'],
    ] as const) {
      await sql`update assessments set instrument_code = ${planted} where id = ${target.id}`.execute(t.db.owner);
      const id = await requestAndRun();
      const researcher = (await get('forsker', `/api/exports/${id}`)).json() as { status: string; blocked: unknown; canDownload: boolean };
      expect(researcher).toMatchObject({ status: 'blocked', blocked: null, canDownload: false });
      const admin = (await get('projektleder', `/api/exports/${id}`)).json() as { blocked: unknown };
      expect(admin.blocked).toEqual({ reason: 'identifier_found', kind, file: 'assessments', variable: 'instrument' });
      expect((await get('forsker', `/api/exports/${id}/download`)).statusCode).toBe(409);
      const blockedAudit = await t.db.owner.selectFrom('audit_log').select(['outcome', 'criteria']).where('resource_id', '=', id).where('actor_username', '=', 'job:study-export').executeTakeFirstOrThrow();
      expect(blockedAudit.outcome).toBe('denied');
      expect(JSON.stringify(blockedAudit.criteria)).not.toContain(planted);
      expect(JSON.stringify(admin)).not.toContain(planted);
    }
    await sql`update assessments set instrument_code = ${original[0]!.instrument_code} where id = ${target.id}`.execute(t.db.owner);
  });
});

describe("the demo's export", () => {
  it('is ready with its rows per file, and its package is made on the first download (the demo database travels without it)', async () => {
    const status = (await get('forsker', `/api/exports/${DEMO_EXPORT_ID}`)).json() as { status: string; rowCounts: Record<string, number>; canDownload: boolean; anonymisation: { k: number } };
    expect(status).toMatchObject({ status: 'ready', canDownload: true, anonymisation: { k: 5 } });
    expect(status.rowCounts.enrolments).toBeGreaterThan(0);
    const res = await get('forsker', `/api/exports/${DEMO_EXPORT_ID}/download`);
    expect(res.statusCode, res.body).toBe(200);
    const files = unzip(res.rawPayload);
    expect(files['enrolments.csv']!.trim().split('\r\n')).toHaveLength(status.rowCounts.enrolments! + 1);
    expect((await get('forsker', `/api/exports/${DEMO_EXPORT_ID}`)).json()).toMatchObject({ rowCounts: status.rowCounts });
  });

  it('is made again once when two downloads find it missing at the same time, and neither reads a half-written file', async () => {
    const id = await requestAndRun();
    rmSync(join(dir, `${id}.zip`));
    const [a, b] = await Promise.all([get('forsker', `/api/exports/${id}/download`), get('forsker', `/api/exports/${id}/download`)]);
    expect([a.statusCode, b.statusCode], a.body + b.body).toEqual([200, 200]);
    // Both whole zips, byte for byte the same package.
    expect(Object.keys(unzip(a.rawPayload))).toContain('enrolments.csv');
    expect(Buffer.compare(a.rawPayload, b.rawPayload)).toBe(0);
    const rebuilt = await t.db.owner.selectFrom('audit_log').select(['criteria']).where('resource_id', '=', id).where('actor_username', '=', 'job:study-export').execute();
    expect(rebuilt.map((r) => (r.criteria as { step?: string }).step).sort()).toEqual(['rebuilt', 'released']);
    // No temporary file or working directory left behind.
    expect(readdirSync(dir).filter((f) => f.startsWith(id))).toEqual([`${id}.zip`]);
  });
});

describe('who may ask, see and download', () => {
  let ready: string;
  beforeAll(async () => {
    ready = await requestAndRun();
  });

  it('gives the admin statuses and the list, never the download; everyone else 404 (audited)', async () => {
    expect((await get('projektleder', `/api/exports/${ready}`)).statusCode).toBe(200);
    expect((await get('dpo', `/api/exports/${ready}`)).statusCode).toBe(200);
    const list = (await get('projektleder', `/api/studies/${DEMO_STUDY_ID}/exports?limit=2`)).json() as { items: { id: string; canDownload: boolean }[]; nextCursor: string | null };
    expect(list.items).toHaveLength(2);
    expect(list.items.every((i) => !i.canDownload)).toBe(true);
    const next = (await get('projektleder', `/api/studies/${DEMO_STUDY_ID}/exports?limit=2&cursor=${list.nextCursor}`)).json() as { items: { id: string }[] };
    expect(next.items.map((i) => i.id).filter((i) => list.items.some((x) => x.id === i))).toEqual([]);
    expect((await get('projektleder', `/api/exports/${ready}/download`)).statusCode).toBe(404);
    expect((await post('projektleder', `/api/studies/${DEMO_STUDY_ID}/exports`)).statusCode).toBe(404);
    for (const who of ['styregruppe', 'rk1']) {
      expect((await get(who, `/api/exports/${ready}`)).statusCode).toBe(404);
      expect((await get(who, `/api/exports/${ready}/download`)).statusCode).toBe(404);
      expect((await get(who, `/api/studies/${DEMO_STUDY_ID}/exports`)).statusCode).toBe(404);
      expect((await post(who, `/api/studies/${DEMO_STUDY_ID}/exports`)).statusCode).toBe(404);
    }
    const denied = await t.db.owner.selectFrom('audit_log').select(['actor_username', 'action']).where('resource_type', '=', 'study_export').where('outcome', '=', 'denied').where('actor_username', 'in', ['styregruppe', 'rk1', 'projektleder']).execute();
    expect(denied.length).toBeGreaterThanOrEqual(9);
    expect((await t.app.inject({ method: 'GET', url: `/api/exports/${ready}/download` })).statusCode).toBe(401);
  });

  it('answers 410 once the package has expired, and the clean-up deletes it', async () => {
    const id = await requestAndRun();
    await sql`update study_exports set expires_at = now() - interval '1 minute' where id = ${id}`.execute(t.db.owner);
    const res = await get('forsker', `/api/exports/${id}/download`);
    expect(res.statusCode).toBe(410);
    expect((await get('forsker', `/api/exports/${id}`)).json()).toMatchObject({ expired: true, canDownload: false });
    const { cleanUpExports } = await import('./exports.service.ts');
    expect((await cleanUpExports(deps)).deleted).toBeGreaterThanOrEqual(1);
    expect(() => readFileSync(join(dir, `${id}.zip`))).toThrow();
    const rows = await t.db.owner.selectFrom('audit_log').select(['action', 'outcome']).where('resource_id', '=', id).where('action', 'in', ['export', 'delete']).orderBy('seq').execute();
    expect(rows).toEqual([
      { action: 'export', outcome: 'success' },
      { action: 'export', outcome: 'denied' },
      { action: 'delete', outcome: 'success' },
    ]);
  });

  it('makes a missing package again (same study key) before giving it out', async () => {
    rmSync(join(dir, `${ready}.zip`));
    const res = await get('forsker', `/api/exports/${ready}/download`);
    expect(res.statusCode, res.body).toBe(200);
    expect(Object.keys(unzip(res.rawPayload))).toContain('enrolments.csv');
  });

  it('refuses a study not approved or past its end (409, audited); pseudonyms differ across studies', async () => {
    const pending = await approvedStudy();
    const refused = await post('forsker', `/api/studies/${pending}/exports`);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('study_not_approved');
    await approve(pending);
    const other = await requestAndRun({}, pending);
    const a = unzip((await get('forsker', `/api/exports/${other}/download`)).rawPayload)['enrolments.csv']!;
    const b = unzip((await get('forsker', `/api/exports/${ready}/download`)).rawPayload)['enrolments.csv']!;
    const pseudonyms = (csv: string) => new Set(csv.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]));
    const pa = pseudonyms(a);
    const pb = pseudonyms(b);
    expect(pa.size).toBeGreaterThan(0);
    expect([...pa].filter((p) => pb.has(p))).toEqual([]);
    // The same study again: the same pseudonyms.
    expect(pseudonyms(unzip((await get('forsker', `/api/exports/${await requestAndRun({}, pending)}/download`)).rawPayload)['enrolments.csv']!)).toEqual(pa);

    await sql`update studies set starts_on = ${addDays(dateInCopenhagen(), -60)}, ends_on = ${addDays(dateInCopenhagen(), -1)} where id = ${pending}`.execute(t.db.owner);
    const ended = await post('forsker', `/api/studies/${pending}/exports`);
    expect(ended.statusCode).toBe(409);
    expect(ended.body).toContain('study_ended');
    expect((await get('forsker', `/api/exports/${other}/download`)).statusCode).toBe(410);
    const audit = await t.db.owner.selectFrom('audit_log').select(['criteria']).where('resource_type', '=', 'study_export').where('outcome', '=', 'denied').where('actor_username', '=', 'forsker').execute();
    const reasons = audit.map((a) => (a.criteria as { reason?: string }).reason);
    expect(reasons).toEqual(expect.arrayContaining(['study_not_approved', 'study_ended', 'expired', 'variables_not_approved']));
  });
});
