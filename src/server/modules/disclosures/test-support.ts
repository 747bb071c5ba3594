// Test set-up of the crossing: one person with two records (the region's patient record with the liaison on
// its team, Nordfyn's citizen record with the caseworker on its team), linked by a keyed CPR hash of their
// own, and consents inserted as rows (the consents module records them through its own routes).
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';

const LIAISON = userId(13);
const NORDFYN = userId(15);

export interface Pair {
  regionId: string;
  municipalId: string;
  hash: string;
}

export async function insertPair(db: Kysely<Database>, opts: { municipal?: boolean } = {}): Promise<Pair> {
  const hash = `test-${randomBytes(8).toString('hex')}`;
  const insertCitizen = async (org: string, createdBy: string) =>
    (
      await sql<{ id: string }>`
        insert into citizens (organisation_id, cpr_encrypted, cpr_hash, birth_date, first_name, last_name, search_name, is_demo, created_by)
        select ${org}, cpr_encrypted, ${hash}, birth_date, 'Test', 'Patient', 'test patient', true, ${createdBy}
          from citizens where organisation_id = ${ORG.nordfyn} limit 1
        returning id`.execute(db)
    ).rows[0]!.id;
  const enrol = async (org: string, citizenId: string, user: string, role: 'liaison' | 'caseworker') => {
    const e = await db
      .insertInto('enrolments')
      .values({ organisation_id: org, citizen_id: citizenId, programme_id: PROGRAMME.fremskudt, referral_source: null, referral_date: null, referral_reason: null, visitation_code: null, benefit_code: 'kontanthjaelp', start_date: '2026-01-05', status: 'active', end_date: null, exit_outcome: null, created_by: user })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('team_members').values({ organisation_id: org, enrolment_id: e.id, user_id: user, role, substitute_for: null, valid_from: '2020-01-01', valid_to: null, created_by: user }).execute();
  };
  const regionId = await insertCitizen(ORG.paOdense, LIAISON);
  await enrol(ORG.paOdense, regionId, LIAISON, 'liaison');
  let municipalId: string | null = null;
  if (opts.municipal !== false) {
    municipalId = await insertCitizen(ORG.nordfyn, NORDFYN);
    await enrol(ORG.nordfyn, municipalId, NORDFYN, 'caseworker');
  }
  return { regionId, municipalId: municipalId!, hash };
}

export interface ConsentOver {
  instrument?: 'sdl_43' | 'rsl_11a';
  categories?: string[];
  source?: string;
  recipient?: string;
  roles?: string[];
  validFrom?: string;
  validTo?: string;
  withdrawnOn?: string;
}

export async function insertConsent(db: Kysely<Database>, pair: Pair, over: ConsentOver = {}): Promise<string> {
  const today = dateInCopenhagen();
  const instrument = over.instrument ?? 'sdl_43';
  const form = await db.selectFrom('consent_forms').select('id').where('instrument', '=', instrument).where('version', '=', 1).executeTakeFirstOrThrow();
  const recordedBy = instrument === 'sdl_43' ? { org: ORG.paOdense, citizen: pair.regionId, user: LIAISON } : { org: ORG.nordfyn, citizen: pair.municipalId, user: NORDFYN };
  const row = await db
    .insertInto('consents')
    .values({
      organisation_id: recordedBy.org,
      citizen_id: recordedBy.citizen,
      person_hash: pair.hash,
      instrument,
      categories: over.categories ?? ['work_considerations', 'support_needs'],
      source_organisation_id: over.source ?? ORG.paOdense,
      source_unit: null,
      recipient_organisation_id: over.recipient ?? ORG.nordfyn,
      recipient_unit: null,
      recipient_roles: over.roles ?? ['caseworker', 'resource_consultant'],
      programme_id: PROGRAMME.fremskudt,
      purpose: 'Fremskudt psykiatrifagligt arbejde',
      case_reference: null,
      given_on: over.validFrom ?? addDays(today, -30),
      valid_from: over.validFrom ?? addDays(today, -30),
      valid_to: over.validTo ?? addDays(today, 300),
      given_by: 'citizen',
      given_by_name: null,
      capacity_note: null,
      given_how: 'written',
      oral_reason: null,
      witness: null,
      form_id: form.id,
      replaces_id: null,
      superseded_at: null,
      superseded_by: null,
      withdrawn_at: over.withdrawnOn ? new Date(`${over.withdrawnOn}T10:00:00Z`) : null,
      withdrawn_on: over.withdrawnOn ?? null,
      withdrawn_how: over.withdrawnOn ? 'written' : null,
      withdrawn_recorded_by: over.withdrawnOn ? recordedBy.user : null,
      withdrawal_note: null,
      created_by: recordedBy.user,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
