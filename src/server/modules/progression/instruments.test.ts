// Instruments through the API on both engines: an administrator uploads (JSON) or imports (REDCap CSV) an
// instrument of the organisation; it stays inactive until approved with the dpo consulted; a new version is
// answered from then on while earlier answers keep the version they were given on; export to both forms;
// refusals (another role, the shipped codes, unsupported REDCap features) answer clearly and are audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
let admin: Session;
let rk1: Session;
let dpo: Session;
const RK1 = userId(4);
const SAGSBEHANDLER = userId(8);

const HEADER =
  'Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels",Field Note,Text Validation Type OR Show Slider Number,Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,Field Annotation';
const dictionary = (form: string, extra: string[] = []) =>
  [
    HEADER,
    `record_id,${form},,text,Record ID,,,,,,,,,,,,,`,
    `sleep,${form},,radio,Hvordan har du sovet den seneste uge?,"1, Godt | 2, Nogenlunde | 3, Dårligt",,,,,,,y,,,,,`,
    `nights,${form},,text,Hvor mange nætter sov du dårligt?,,,integer,0,7,,[sleep] <> '1',y,,,,,`,
    ...extra,
  ].join('\n');

async function importCsv(s: Session, csv: string, query = 'licence=Eget%20sp%C3%B8rgeskema&dataCategories=everyday_life,health&healthData=true') {
  return s.request({ method: 'POST', url: `/api/instruments/import?${query}`, headers: { 'content-type': 'text/csv' }, payload: csv });
}

let serial = 6100;
async function newCitizen(): Promise<string> {
  const res = await rk1.request({
    method: 'POST',
    url: '/api/citizens',
    payload: { cpr: `750388-${String(serial++).padStart(4, '0')}`, firstName: 'Redskab', lastName: 'Borger', acknowledgeWarnings: true, enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2026-01-05', benefitCode: 'kontanthjaelp', consultantIds: [RK1], caseworkerId: SAGSBEHANDLER } },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

beforeAll(async () => {
  t = await testApp();
  admin = await login(t.app, 'admin');
  rk1 = await login(t.app, 'rk1');
  dpo = await login(t.app, 'dpo');
});
afterAll(async () => {
  await t.close();
});

describe('importing from REDCap', () => {
  it('imports a form as an inactive, unscored instrument that only the administrator sees until approved', async () => {
    const res = await importCsv(admin, dictionary('sleep_check'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ instruments: [{ code: 'sleep_check', version: 1, status: 'inactive' }] });
    const staffList = (await rk1.request({ method: 'GET', url: '/api/instruments' })).json();
    expect(staffList.items.map((i: { code: string }) => i.code)).not.toContain('sleep_check');
    expect((await rk1.request({ method: 'GET', url: '/api/instruments/sleep_check' })).statusCode).toBe(404);
    const adminList = (await admin.request({ method: 'GET', url: '/api/instruments' })).json();
    expect(adminList.items.find((i: { code: string }) => i.code === 'sleep_check')).toMatchObject({ status: 'inactive', scored: false, source: 'redcap', healthData: true, dataCategories: ['everyday_life', 'health'] });
    const one = (await admin.request({ method: 'GET', url: '/api/instruments/sleep_check' })).json();
    expect(one.items.map((i: { code: string }) => i.code)).toEqual(['sleep', 'nights']);
    expect(one.items[1].showIf).toEqual({ item: 'sleep', op: '<>', value: 1 });
  });

  it('refuses an unsupported feature with 400 naming the row, the column and the feature, and an identifier field', async () => {
    const calc = await importCsv(admin, dictionary('calc_form', ['total,calc_form,,calc,Total,[sleep]+[nights],,,,,,,,,,,,']));
    expect(calc.statusCode).toBe(400);
    expect(calc.json().issues[0]).toMatchObject({ path: expect.stringMatching(/^row 5, column "Field Type"$/), code: expect.stringContaining('calc') });
    const identifier = await importCsv(admin, dictionary('id_form', ['name,id_form,,text,Navn,,,integer,0,10,y,,,,,,,']));
    expect(identifier.statusCode).toBe(400);
    expect(identifier.json().issues[0].path).toMatch(/^row 5, column "Identifier\?"$/);
    const badQuery = await importCsv(admin, dictionary('q_form'), 'licence=x&dataCategories=nonsense&healthData=true');
    expect(badQuery.statusCode).toBe(400);
    const list = (await admin.request({ method: 'GET', url: '/api/instruments' })).json();
    expect(list.items.map((i: { code: string }) => i.code)).not.toEqual(expect.arrayContaining(['calc_form', 'id_form', 'q_form']));
  });

  it('refuses other roles and audits the refusal; refuses the shipped codes', async () => {
    const res = await importCsv(rk1, dictionary('rk_form'));
    expect(res.statusCode).toBe(404);
    const denied = await auditRows(t.db, { actorUsername: 'rk1', outcome: 'denied' });
    expect(denied.some((r) => r.resource_type === 'instrument')).toBe(true);
    expect((await importCsv(dpo, dictionary('dpo_form'))).statusCode).toBe(404);
    const clash = await importCsv(admin, dictionary('who5'));
    expect(clash.statusCode).toBe(409);
  });
});

describe('approval and versions', () => {
  it('approves with the dpo consulted, answers on the new version, and keeps earlier answers on theirs', async () => {
    await importCsv(admin, dictionary('mood_form'));
    const noDpo = await admin.request({ method: 'POST', url: '/api/instruments/mood_form/versions/1/approve', payload: { dpoConsulted: false, note: 'x' } });
    expect(noDpo.statusCode).toBe(400);
    const approved = await admin.request({ method: 'POST', url: '/api/instruments/mood_form/versions/1/approve', payload: { dpoConsulted: true, note: 'Databeskyttelsesrådgiveren er hørt den 1. december' } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await admin.request({ method: 'POST', url: '/api/instruments/mood_form/versions/1/approve', payload: { dpoConsulted: true, note: 'igen' } })).statusCode).toBe(409);
    const citizenId = await newCitizen();
    const first = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/assessments`, payload: { instrumentCode: 'mood_form', answers: { sleep: 2, nights: 3 } } });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ instrumentVersion: 1, score: null, alerts: [] });
    // A hidden item may not be answered; a required visible one must be.
    const hidden = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/assessments`, payload: { instrumentCode: 'mood_form', answers: { sleep: 1, nights: 3 } } });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().issues[0]).toMatchObject({ path: 'answers.nights', message: 'hidden' });

    // Version 2 (one more item) waits for approval; answers still go to version 1 until then.
    const v2 = await importCsv(admin, dictionary('mood_form', ['energy,mood_form,,yesno,Har du haft energi?,,,,,,,,,,,,,']));
    expect(v2.json().instruments[0]).toEqual({ code: 'mood_form', version: 2, status: 'inactive' });
    const still = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/assessments`, payload: { instrumentCode: 'mood_form', answers: { sleep: 1 } } });
    expect(still.json().instrumentVersion).toBe(1);
    await admin.request({ method: 'POST', url: '/api/instruments/mood_form/versions/2/approve', payload: { dpoConsulted: true, note: 'Hørt igen' } });
    const onNew = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/assessments`, payload: { instrumentCode: 'mood_form', answers: { sleep: 1, energy: 1 } } });
    expect(onNew.json().instrumentVersion).toBe(2);
    const list = (await rk1.request({ method: 'GET', url: `/api/citizens/${citizenId}/assessments?instrumentCode=mood_form` })).json();
    expect(list.items.map((i: { instrumentVersion: number }) => i.instrumentVersion)).toEqual([2, 1, 1]);
    const old = (await rk1.request({ method: 'GET', url: `/api/assessments/${first.json().id}` })).json();
    expect(old.instrument.version).toBe(1);
    expect(old.instrument.items).toHaveLength(2);
    // The list for staff shows only the active version, the administrator's also the retired one is gone from it.
    const staff = (await rk1.request({ method: 'GET', url: '/api/instruments' })).json();
    expect(staff.items.filter((i: { code: string }) => i.code === 'mood_form').map((i: { version: number }) => i.version)).toEqual([2]);
  });

  it('takes a Bindeled JSON definition with scoring, refuses a broken one naming the path, and exports both forms', async () => {
    const def = {
      code: 'coping',
      title: { da: 'Mestring', en: 'Coping' },
      licence: 'Eget',
      dataCategories: ['everyday_life'],
      healthData: false,
      items: [
        { code: 'c1', text: { da: 'Jeg klarer hverdagen', en: 'I cope with everyday life' }, respondent: 'citizen', required: true, answer: { kind: 'choice', options: [{ value: 0, label: { da: 'Nej', en: 'No' } }, { value: 1, label: { da: 'Delvis', en: 'Partly' } }, { value: 2, label: { da: 'Ja', en: 'Yes' } }] } },
        { code: 'c2', text: { da: 'Jeg er bekymret', en: 'I am worried' }, respondent: 'citizen', required: true, reverse: true, answer: { kind: 'choice', options: [{ value: 0, label: { da: 'Nej', en: 'No' } }, { value: 1, label: { da: 'Delvis', en: 'Partly' } }, { value: 2, label: { da: 'Ja', en: 'Yes' } }] } },
      ],
      scoring: { method: 'sum', scale: { range: [0, 4] }, bands: [{ code: 'low', label: { da: 'Lav', en: 'Low' }, on: 'scaled', min: 0, max: 49.9 }, { code: 'high', label: { da: 'Høj', en: 'High' }, on: 'scaled', min: 50, max: 100 }] },
      alerts: [],
    };
    const broken = await admin.request({ method: 'POST', url: '/api/instruments', payload: { ...def, scoring: { ...def.scoring, items: ['c1', 'nope'] } } });
    expect(broken.statusCode).toBe(400);
    expect(JSON.stringify(broken.json().issues)).toContain('scoring');
    const created = await admin.request({ method: 'POST', url: '/api/instruments', payload: def });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({ code: 'coping', version: 1, status: 'inactive' });
    await admin.request({ method: 'POST', url: '/api/instruments/coping/versions/1/approve', payload: { dpoConsulted: true, note: 'Hørt' } });
    const citizenId = await newCitizen();
    const answered = await rk1.request({ method: 'POST', url: `/api/citizens/${citizenId}/assessments`, payload: { instrumentCode: 'coping', answers: { c1: 2, c2: 0 } } });
    expect(answered.json().score).toMatchObject({ raw: 4, scaled: 100, band: 'high' });
    const json = await admin.request({ method: 'GET', url: '/api/instruments/coping/export?format=json' });
    expect(json.headers['content-type']).toContain('application/json');
    expect(JSON.parse(json.body)).toMatchObject({ code: 'coping', scoring: { method: 'sum' } });
    const csv = await admin.request({ method: 'GET', url: '/api/instruments/who5/export?format=redcap' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('Variable / Field Name');
    expect(csv.body).toContain('who5_cheerful');
    // What was exported imports again (under another code: the shipped ones are reserved).
    const again = await importCsv(admin, csv.body.replaceAll(',who5,', ',who5_copy,'));
    expect(again.statusCode, again.body).toBe(201);
  });
});
