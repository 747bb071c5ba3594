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

/**
 * Demo transitions from treatment: open checklists at different stages for a handful of patients (the liaison's
 * overview lists them) and one cancelled. Ids from block 59, 8001 on. The browser tests' patients (1, 2 and 20) get none.
 */
export async function loadDemoTransitions(db: Kysely<Database>, records: { regionId: string }[], today: string): Promise<number> {
  const day = (offset: number) => {
    const d = new Date(`${today}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + offset);
    return d.toISOString().slice(0, 10);
  };
  const stages = [
    { n: 3, opened: -40, contact: -38, meeting: -20, named: 'Niels Overgaard, OP-team Odense' },
    { n: 4, opened: -25, contact: -24, meeting: null, named: 'Niels Overgaard, OP-team Odense' },
    { n: 5, opened: -14, contact: -12, meeting: null, named: null },
    { n: 6, opened: -6, contact: null, meeting: null, named: null },
    { n: 7, opened: -60, contact: -58, meeting: -45, named: 'Ditte Holm, Distriktspsykiatrien Odense' },
    { n: 8, opened: -2, contact: null, meeting: null, named: null },
  ];
  let k = 0;
  for (const s of stages) {
    const record = records[s.n - 1];
    if (!record) continue;
    k += 1;
    await db
      .insertInto('transitions')
      .values({
        id: crossingId(59, 8000 + k),
        organisation_id: ORG.paOdense,
        citizen_id: record.regionId,
        programme_id: PROGRAMME.fremskudt,
        status: 'open',
        opened_on: day(s.opened),
        contact_made_on: s.contact === null ? null : day(s.contact),
        first_meeting_booked_on: s.meeting === null ? null : day(s.meeting),
        psychiatry_contact_name: s.named,
        psychiatry_contact_on: s.named ? day(s.opened + 3) : null,
        note: null,
        closed_on: null,
        created_by: REGION_STAFF.liaison,
        updated_by: REGION_STAFF.liaison,
      })
      .execute();
  }
  const cancelled = records[9];
  if (cancelled) {
    k += 1;
    await db
      .insertInto('transitions')
      .values({ id: crossingId(59, 8000 + k), organisation_id: ORG.paOdense, citizen_id: cancelled.regionId, programme_id: PROGRAMME.fremskudt, status: 'cancelled', opened_on: day(-90), contact_made_on: day(-88), note: 'Patienten ønskede at vente med jobcentret.', closed_on: day(-70), created_by: REGION_STAFF.liaison, updated_by: REGION_STAFF.liaison })
      .execute();
  }
  return k;
}
