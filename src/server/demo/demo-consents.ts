// Demo: consents of the Nordfyn programme's patients in every state. The liaison recorded the combined pair
// (sundhedsloven §43 + retssikkerhedsloven §11a) on the region's record; the jobcenter recorded the municipal
// disclosure consent (fvl_28) that lets the liaison read along. Some are valid, some end within 30 days, some
// expired, some were withdrawn (with the journal task and the notice to the other controller), some were
// replaced, some are narrow. The first patient (regionCitizenId(1)) and its municipal twin get none: the
// browser test records them. Ids from block 53 (consents) and 59 (tasks, from 9001 on); deterministic.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../platform/dates.ts';
import { crossingId, REGION_STAFF } from './demo-crossing.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';

const CONSENT_BLOCK = 53;
const TASK_BLOCK = 59;
/** Task ids of this file start here, so the other crossing demo files can number theirs from 1. */
const TASK_OFFSET = 9000;
const NORDFYN_CASEWORKER = userId(15);

function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const last = new Date(Date.UTC(Math.floor(total / 12), (total % 12) + 1, 0)).getUTCDate();
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

type Pair = { regionId: string; municipalId: string; personHash: string; startDate: string };

const PURPOSE_REGION = 'Overgang fra behandling til beskæftigelsesindsatsen i Fremskudt psykiatrifagligt arbejde';
const PURPOSE_MUNICIPAL = 'Psykiatriens fremskudte socialrådgiver læser med i jobcentrets plan og aktiviteter';

export async function loadDemoConsents(db: Kysely<Database>, pairs: Pair[], today: string): Promise<void> {
  const forms = await db.selectFrom('consent_forms').select(['id', 'instrument']).where('version', '=', 1).execute();
  const formOf = (instrument: string) => forms.find((f) => f.instrument === instrument)!.id;
  let n = 0;
  let taskN = 0;
  const consents: Record<string, unknown>[] = [];
  const tasks: Record<string, unknown>[] = [];
  const supersede: { oldId: string; newId: string; at: Date }[] = [];
  const at = (date: string, hour = 10) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);

  function regionPair(p: Pair, i: number, o: { givenOn: string; validTo: string; categories: string[]; replaces?: [string, string] }): [string, string] {
    const ids: [string, string] = [crossingId(CONSENT_BLOCK, ++n), crossingId(CONSENT_BLOCK, ++n)];
    const shared = {
      organisation_id: ORG.paOdense,
      citizen_id: p.regionId,
      person_hash: p.personHash,
      categories: o.categories,
      source_organisation_id: ORG.paOdense,
      source_unit: 'Psykiatrisk Afdeling Odense, ambulatoriet',
      recipient_organisation_id: ORG.nordfyn,
      recipient_unit: 'Jobcenter Nordfyn',
      recipient_roles: ['caseworker'],
      programme_id: PROGRAMME.fremskudt,
      purpose: PURPOSE_REGION,
      given_on: o.givenOn,
      valid_from: o.givenOn,
      valid_to: o.validTo,
      given_by: 'citizen',
      given_how: 'written',
      copy_given: true,
      created_by: REGION_STAFF.liaison,
      created_at: at(o.givenOn),
    };
    consents.push({ ...shared, id: ids[0], instrument: 'sdl_43', form_id: formOf('sdl_43'), replaces_id: o.replaces?.[0] ?? null });
    consents.push({ ...shared, id: ids[1], instrument: 'rsl_11a', form_id: formOf('rsl_11a'), case_reference: `Nordfyn sag ${String(2400 + i)}`, replaces_id: o.replaces?.[1] ?? null, created_at: at(o.givenOn, 11) });
    if (o.replaces) {
      supersede.push({ oldId: o.replaces[0], newId: ids[0], at: at(o.givenOn) }, { oldId: o.replaces[1], newId: ids[1], at: at(o.givenOn, 11) });
    }
    return ids;
  }

  function municipal(p: Pair, o: { givenOn: string; validTo: string; categories: string[] }): string {
    const id = crossingId(CONSENT_BLOCK, ++n);
    consents.push({
      id,
      organisation_id: ORG.nordfyn,
      citizen_id: p.municipalId,
      person_hash: p.personHash,
      instrument: 'fvl_28',
      categories: o.categories,
      source_organisation_id: ORG.nordfyn,
      source_unit: 'Jobcenter Nordfyn',
      recipient_organisation_id: ORG.paOdense,
      recipient_unit: 'Fremskudt psykiatrifagligt arbejde',
      recipient_roles: ['liaison'],
      programme_id: PROGRAMME.fremskudt,
      purpose: PURPOSE_MUNICIPAL,
      given_on: o.givenOn,
      valid_from: o.givenOn,
      valid_to: o.validTo,
      given_by: 'citizen',
      given_how: 'written',
      form_id: formOf('fvl_28'),
      copy_given: true,
      created_by: NORDFYN_CASEWORKER,
      created_at: at(o.givenOn, 12),
    });
    return id;
  }

  function withdraw(id: string, on: string, by: string, how: 'written' | 'oral', note: string) {
    const c = consents.find((x) => x.id === id)!;
    Object.assign(c, { withdrawn_at: at(on, 14), withdrawn_on: on, withdrawn_how: how, withdrawn_recorded_by: by, withdrawal_note: note });
  }
  function task(organisationId: string, citizenId: string, kind: string, consentId: string, on: string) {
    tasks.push({ id: crossingId(TASK_BLOCK, TASK_OFFSET + ++taskN), organisation_id: organisationId, citizen_id: citizenId, kind, consent_id: consentId, status: 'open', created_at: at(on, 15) });
  }

  const BROAD = ['work_considerations', 'support_needs', 'treatment_attendance'];
  pairs.forEach((p, i) => {
    if (i === 0) return; // regionCitizenId(1) and its twin: reserved for the browser test.
    switch (i % 6) {
      case 1: {
        // Valid, given two months ago; the jobcenter lets the liaison read plan, activities and notes.
        const givenOn = addDays(today, -60 - (i % 5));
        regionPair(p, i, { givenOn, validTo: addMonths(givenOn, 12), categories: BROAD });
        municipal(p, { givenOn: addDays(givenOn, 3), validTo: addMonths(addDays(givenOn, 3), 12), categories: ['municipal_plan', 'activities', 'notes'] });
        break;
      }
      case 2: {
        // Ending within 30 days: the liaison's overview shows them.
        const validTo = addDays(today, 4 + (i % 20));
        const givenOn = addMonths(validTo, -12);
        regionPair(p, i, { givenOn, validTo, categories: [...BROAD, 'work_medication'] });
        municipal(p, { givenOn, validTo, categories: ['municipal_plan', 'activities'] });
        break;
      }
      case 3: {
        // Expired: not renewed.
        const validTo = addDays(today, -20 - (i % 30));
        const givenOn = addMonths(validTo, -12);
        regionPair(p, i, { givenOn, validTo, categories: BROAD });
        municipal(p, { givenOn, validTo, categories: ['municipal_plan', 'activities', 'notes'] });
        break;
      }
      case 4: {
        // Withdrawn three weeks ago (the sdl_43 by the liaison, the fvl_28 by the jobcenter), with the tasks that left.
        const givenOn = addDays(today, -120);
        const withdrawnOn = addDays(today, -21);
        const [sdl] = regionPair(p, i, { givenOn, validTo: addMonths(givenOn, 12), categories: BROAD });
        const fvl = municipal(p, { givenOn, validTo: addMonths(givenOn, 12), categories: ['municipal_plan', 'activities', 'notes'] });
        withdraw(sdl, withdrawnOn, REGION_STAFF.liaison, 'oral', 'Borgeren ringede og trak samtykket tilbage.');
        withdraw(fvl, withdrawnOn, NORDFYN_CASEWORKER, 'written', 'Brev fra borgeren.');
        task(ORG.paOdense, p.regionId, 'journal_withdrawal', sdl, withdrawnOn);
        task(ORG.nordfyn, p.municipalId, 'consent_withdrawn_notice', sdl, withdrawnOn);
        task(ORG.paOdense, p.regionId, 'consent_withdrawn_notice', fvl, withdrawnOn);
        break;
      }
      case 5: {
        // Narrow: only what matters at work; the liaison reads the plan only. Given last week: the journal task is open.
        const givenOn = addDays(today, -7);
        const [sdl] = regionPair(p, i, { givenOn, validTo: addMonths(givenOn, 6), categories: ['work_considerations'] });
        municipal(p, { givenOn, validTo: addMonths(givenOn, 6), categories: ['municipal_plan'] });
        task(ORG.paOdense, p.regionId, 'journal_consent', sdl, givenOn);
        break;
      }
      default: {
        // Replaced: a narrow pair from last spring replaced a month ago by a broader one.
        const oldGiven = addDays(today, -200);
        const old = regionPair(p, i, { givenOn: oldGiven, validTo: addMonths(oldGiven, 12), categories: ['work_considerations'] });
        const givenOn = addDays(today, -30);
        regionPair(p, i, { givenOn, validTo: addMonths(givenOn, 12), categories: BROAD, replaces: old });
        municipal(p, { givenOn, validTo: addMonths(givenOn, 12), categories: ['municipal_plan', 'activities'] });
      }
    }
  });
  if (consents.length === 0) return;
  // Replacements reference rows inserted in the same statement; the marks on the old rows follow.
  await db.insertInto('consents').values(consents.map((c) => ({ ...c, replaces_id: null })) as never).execute();
  for (const c of consents) {
    if (c.replaces_id) await db.updateTable('consents').set({ replaces_id: c.replaces_id as string }).where('id', '=', c.id as string).execute();
  }
  for (const s of supersede) await db.updateTable('consents').set({ superseded_at: s.at, superseded_by: s.newId }).where('id', '=', s.oldId).execute();
  if (tasks.length) await db.insertInto('crossing_tasks').values(tasks as never).execute();
}
