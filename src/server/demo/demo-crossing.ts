// Demo: the region's own records of the Nordfyn programme's patients. Psychiatry (Psykiatrisk Afdeling
// Odense) keeps its record of each patient it has referred to "Fremskudt psykiatrifagligt arbejde" — a
// separate record from Nordfyns Kommune's citizen record, linked only through the keyed CPR hash, never
// merged. The region's enrolment carries the liaison on its team; the clinician reaches every region patient
// in the programme. Consents, knowledge transfers, disclosures and inquiries build on these records in their
// own demo files. Ids from blocks 50–52 (the crossing work uses blocks 50–59).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';

const ID_BLOCK = { citizen: 50, enrolment: 51, teamMember: 52 } as const;
export const crossingId = (block: number, n: number) => `00000000-0000-4000-8000-${String(block * 10_000 + n).padStart(12, '0')}`;
export const regionCitizenId = (n: number) => crossingId(ID_BLOCK.citizen, n);

/** The liaison (`liaison`) and the clinician (`behandler`) of the region. */
export const REGION_STAFF = { liaison: userId(13), clinician: userId(14) } as const;

/**
 * Every Nordfyn citizen in the programme (any status but ended) gets a region record: the patient was referred
 * from psychiatry. Returns the pairs (region id, municipal id) in a stable order.
 */
export async function loadDemoRegionRecords(db: Kysely<Database>): Promise<{ regionId: string; municipalId: string; personHash: string; startDate: string }[]> {
  const { rows } = await sql<{ citizen_id: string; start_date: string; status: string; benefit_code: string }>`
    select e.citizen_id, e.start_date::text as start_date, e.status, e.benefit_code
      from enrolments e join citizens c on c.id = e.citizen_id
     where e.programme_id = ${PROGRAMME.fremskudt} and e.organisation_id = ${ORG.nordfyn} and c.is_demo and e.status <> 'ended'
     order by e.citizen_id`.execute(db);
  const pairs: { regionId: string; municipalId: string; personHash: string; startDate: string }[] = [];
  let n = 0;
  for (const row of rows) {
    n += 1;
    const regionId = regionCitizenId(n);
    const { rows: inserted } = await sql<{ cpr_hash: string }>`
      insert into citizens (id, organisation_id, cpr_encrypted, cpr_hash, birth_date, cpr_is_replacement, first_name, last_name, search_name, phone, email, address, is_demo, created_by)
      select ${regionId}, ${ORG.paOdense}, cpr_encrypted, cpr_hash, birth_date, cpr_is_replacement, first_name, last_name, search_name, phone, null, address, true, ${REGION_STAFF.liaison}
        from citizens where id = ${row.citizen_id}
      returning cpr_hash`.execute(db);
    const enrolmentId = crossingId(ID_BLOCK.enrolment, n);
    await db
      .insertInto('enrolments')
      .values({
        id: enrolmentId,
        organisation_id: ORG.paOdense,
        citizen_id: regionId,
        programme_id: PROGRAMME.fremskudt,
        referral_source: null,
        referral_date: null,
        referral_reason: null,
        visitation_code: null,
        benefit_code: row.benefit_code,
        start_date: row.start_date,
        status: row.status === 'referred' ? 'referred' : 'active',
        created_by: REGION_STAFF.liaison,
      })
      .execute();
    await db
      .insertInto('team_members')
      .values({ id: crossingId(ID_BLOCK.teamMember, n), organisation_id: ORG.paOdense, enrolment_id: enrolmentId, user_id: REGION_STAFF.liaison, role: 'liaison', valid_from: row.start_date, created_by: REGION_STAFF.liaison })
      .execute();
    pairs.push({ regionId, municipalId: row.citizen_id, personHash: inserted[0]!.cpr_hash, startDate: row.start_date });
  }
  return pairs;
}
