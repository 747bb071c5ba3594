// Test fixtures of the inquiries module (integration tests and query budgets): a person with both records and
// consents recorded directly (the consents module owns the forms; here only the facts the checks read).
import { sql } from 'kysely';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import type { Session, TestContext } from '../../testing/harness.ts';

const NORDFYN = userId(15);
const LIAISON = userId(13);

export interface Person {
  municipalId: string;
  regionId: string;
  hash: string;
}

/** A Nordfyn citizen with nordfyn (caseworker) on the team in the programme, and psychiatry's own record of the same person with the liaison on its team. */
export async function makePerson(t: TestContext, nordfyn: Session, cpr: string, lastName: string): Promise<Person> {
  const res = await nordfyn.request({ method: 'POST', url: '/api/citizens', payload: { cpr, firstName: 'Henvendelse', lastName } });
  if (res.statusCode !== 201) throw new Error(`could not create a citizen: ${res.statusCode} ${res.body}`);
  const municipalId = res.json().id as string;
  const db = t.db.owner;
  const enrol = async (organisationId: string, citizenId: string, userId: string, role: 'caseworker' | 'liaison') => {
    const e = await db
      .insertInto('enrolments')
      .values({ organisation_id: organisationId, citizen_id: citizenId, programme_id: PROGRAMME.fremskudt, benefit_code: 'kontanthjaelp', start_date: '2020-02-01', status: 'active', created_by: userId, referral_source: null, referral_date: null, referral_reason: null, visitation_code: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('team_members').values({ organisation_id: organisationId, enrolment_id: e.id, user_id: userId, role, valid_from: '2020-02-01', created_by: userId }).execute();
  };
  await enrol(ORG.nordfyn, municipalId, NORDFYN, 'caseworker');
  const { rows } = await sql<{ id: string; cpr_hash: string }>`
    insert into citizens (organisation_id, cpr_encrypted, cpr_hash, birth_date, first_name, last_name, search_name, created_by)
    select ${ORG.paOdense}, cpr_encrypted, cpr_hash, birth_date, first_name, last_name, search_name, ${LIAISON} from citizens where id = ${municipalId}
    returning id, cpr_hash`.execute(db);
  await enrol(ORG.paOdense, rows[0]!.id, LIAISON, 'liaison');
  return { municipalId, regionId: rows[0]!.id, hash: rows[0]!.cpr_hash };
}

export type ConsentOptions = { categories?: string[]; roles?: string[]; validFrom?: string; validTo?: string; withdrawn?: boolean };

export async function recordConsent(t: TestContext, p: Person, instrument: 'sdl_43' | 'rsl_11a' | 'fvl_28', o: ConsentOptions = {}): Promise<string> {
  const today = dateInCopenhagen();
  const fromRegion = instrument !== 'fvl_28';
  const recordedBy = instrument === 'sdl_43' ? { org: ORG.paOdense, citizen: p.regionId, user: LIAISON } : { org: ORG.nordfyn, citizen: p.municipalId, user: NORDFYN };
  const form = await t.db.owner.selectFrom('consent_forms').select('id').where('instrument', '=', instrument).executeTakeFirstOrThrow();
  const row = await t.db.owner
    .insertInto('consents')
    .values({
      organisation_id: recordedBy.org,
      citizen_id: recordedBy.citizen,
      person_hash: p.hash,
      instrument,
      categories: o.categories ?? (fromRegion ? ['work_considerations', 'support_needs'] : ['municipal_plan', 'notes']),
      source_organisation_id: fromRegion ? ORG.paOdense : ORG.nordfyn,
      recipient_organisation_id: fromRegion ? ORG.nordfyn : ORG.paOdense,
      recipient_roles: o.roles ?? (fromRegion ? ['caseworker'] : ['liaison']),
      programme_id: PROGRAMME.fremskudt,
      purpose: 'Fremskudt psykiatrifagligt arbejde',
      given_on: o.validFrom ?? addDays(today, -10),
      valid_from: o.validFrom ?? addDays(today, -10),
      valid_to: o.validTo ?? addDays(today, 200),
      given_by: 'citizen',
      given_how: 'written',
      form_id: form.id,
      created_by: recordedBy.user,
      ...(o.withdrawn ? { withdrawn_at: new Date(), withdrawn_on: today, withdrawn_how: 'written' as const, withdrawn_recorded_by: recordedBy.user } : {}),
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return (row as { id: string }).id;
}
