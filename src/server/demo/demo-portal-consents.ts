// Demo: consents of the portal's demo citizens (demo-portal.ts), so "Mine samtykker" shows something real. Næstved
// recorded them on its own record in "På vej til arbejde": the municipal disclosure consent (fvl_28) that lets
// the practitioner in Region Sjælland's psychiatry know the plan and the activities, and the consent to obtain
// information from psychiatry (rsl_11a). Citizen 42 has a valid fvl_28 consent to withdraw (the browser test of
// Mine samtykker withdraws it), and an expired rsl_11a; 47 has one staff recorded as withdrawn. Ids from block 66.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../platform/dates.ts';
import { citizenId } from './demo-citizens.ts';
import { ORG, PROGRAMME } from './ids.ts';

const ID_BLOCK = 66;
export const demoPortalConsentId = (n: number) => `00000000-0000-4000-8000-${String(ID_BLOCK * 10_000 + n).padStart(12, '0')}`;

const FVL_PURPOSE = 'Din behandler i psykiatrien kender din plan og dine aktiviteter i jobcentret';
const RSL_PURPOSE = 'Jobcentret får at vide, hvad du har brug for i arbejdet';

type Kind = 'fvl_28' | 'rsl_11a';
interface DemoConsent {
  n: number;
  citizen: number;
  instrument: Kind;
  givenDaysAgo: number;
  /** Days the consent runs from the day it was given. */
  runsDays: number;
  withdrawnDaysAgo?: number;
}

/** Which demo citizen has which consent (citizen numbers as in demo-portal.ts). */
export const DEMO_PORTAL_CONSENTS: DemoConsent[] = [
  { n: 1, citizen: 41, instrument: 'fvl_28', givenDaysAgo: 40, runsDays: 330 },
  { n: 2, citizen: 41, instrument: 'rsl_11a', givenDaysAgo: 40, runsDays: 330 },
  { n: 3, citizen: 42, instrument: 'fvl_28', givenDaysAgo: 20, runsDays: 300 },
  { n: 4, citizen: 42, instrument: 'rsl_11a', givenDaysAgo: 400, runsDays: 360 },
  { n: 5, citizen: 43, instrument: 'rsl_11a', givenDaysAgo: 60, runsDays: 300 },
  { n: 6, citizen: 47, instrument: 'fvl_28', givenDaysAgo: 90, runsDays: 300, withdrawnDaysAgo: 10 },
  { n: 7, citizen: 47, instrument: 'rsl_11a', givenDaysAgo: 90, runsDays: 300 },
];

export async function loadDemoPortalConsents(db: Kysely<Database>, today: string): Promise<void> {
  const ids = [...new Set(DEMO_PORTAL_CONSENTS.map((c) => citizenId(c.citizen)))];
  const { rows } = await sql<{ citizen_id: string; cpr_hash: string; consultant_id: string }>`
    select c.id as citizen_id, c.cpr_hash,
           coalesce((select t.user_id from team_members t where t.enrolment_id = e.id and t.role = 'resource_consultant' order by t.valid_from limit 1), c.created_by) as consultant_id
      from enrolments e join citizens c on c.id = e.citizen_id
     where e.programme_id = ${PROGRAMME.paaVej} and e.status = 'active' and c.is_demo and c.id = any(${ids}::uuid[])`.execute(db);
  const forms = await db.selectFrom('consent_forms').select(['id', 'instrument']).where('version', '=', 1).execute();
  const formOf = (instrument: Kind) => forms.find((f) => f.instrument === instrument)!.id;
  const values = DEMO_PORTAL_CONSENTS.flatMap((c) => {
    const record = rows.find((r) => r.citizen_id === citizenId(c.citizen));
    if (!record) return [];
    const givenOn = addDays(today, -c.givenDaysAgo);
    const fvl = c.instrument === 'fvl_28';
    const withdrawnOn = c.withdrawnDaysAgo === undefined ? null : addDays(today, -c.withdrawnDaysAgo);
    return [
      {
        id: demoPortalConsentId(c.n),
        organisation_id: ORG.naestved,
        citizen_id: record.citizen_id,
        person_hash: record.cpr_hash,
        instrument: c.instrument,
        categories: fvl ? ['municipal_plan', 'activities'] : ['work_considerations', 'support_needs'],
        source_organisation_id: fvl ? ORG.naestved : ORG.regionSjaelland,
        source_unit: fvl ? 'Jobcenter Næstved' : 'Psykiatriens Hus, Næstved',
        recipient_organisation_id: fvl ? ORG.regionSjaelland : ORG.naestved,
        recipient_unit: fvl ? 'Psykiatriens Hus, Næstved' : 'Jobcenter Næstved',
        recipient_roles: fvl ? ['clinician'] : ['resource_consultant'],
        programme_id: PROGRAMME.paaVej,
        purpose: fvl ? FVL_PURPOSE : RSL_PURPOSE,
        case_reference: fvl ? null : `Næstved sag ${String(2600 + c.n)}`,
        given_on: givenOn,
        valid_from: givenOn,
        valid_to: addDays(givenOn, c.runsDays),
        given_by: 'citizen' as const,
        given_how: 'written' as const,
        form_id: formOf(c.instrument),
        copy_given: true,
        created_by: record.consultant_id,
        created_at: new Date(`${givenOn}T10:00:00Z`),
        withdrawn_at: withdrawnOn ? new Date(`${withdrawnOn}T13:00:00Z`) : null,
        withdrawn_on: withdrawnOn,
        withdrawn_how: withdrawnOn ? ('written' as const) : null,
        withdrawn_recorded_by: withdrawnOn ? record.consultant_id : null,
      },
    ];
  });
  if (values.length) await db.insertInto('consents').values(values).execute();
}
