// Demo: company meetings the liaison of Psykiatrisk Afdeling Odense attended in "Fremskudt psykiatrifagligt
// arbejde". Three patients gave sdl_43 consent to tell a company what they need at work (one later withdrew
// it); two meetings record what each company was told, on those consents, with the journal tasks they left.
// The companies are fictitious, referred to by a CVR number that passes the modulus-11 check. Nothing for the
// browser tests' patients (regionCitizenId(1), (2), (20)). Ids from blocks 62 (consents) and 63 (meetings,
// items from 101, tasks from 201); deterministic for a given day.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../platform/dates.ts';
import { crossingId, regionCitizenId, REGION_STAFF } from './demo-crossing.ts';
import { ORG, PROGRAMME } from './ids.ts';

const CONSENT_BLOCK = 62;
const MEETING_BLOCK = 63;
const RESERVED = new Set([regionCitizenId(1), regionCitizenId(2), regionCitizenId(20)]);

/** The smallest CVR number from `base` up that passes the modulus-11 check (weights 2,7,6,5,4,3,2,1). */
function cvrFrom(base: number): string {
  for (let n = base; ; n++) {
    const s = String(n);
    const sum = [2, 7, 6, 5, 4, 3, 2, 1].reduce((acc, w, i) => acc + w * Number(s[i]), 0);
    if (s.length === 8 && sum % 11 === 0) return s;
  }
}

export const DEMO_LIAISON_COMPANIES = [
  { cvr: cvrFrom(39_417_200), name: 'Bogense Maskinværksted ApS (fiktiv)' },
  { cvr: cvrFrom(39_538_800), name: 'Otterup Havecenter I/S (fiktiv)' },
] as const;

type Record = { regionId: string; personHash: string };

export async function loadDemoLiaisonCompanies(db: Kysely<Database>, records: Record[], today: string): Promise<void> {
  const [a, b, c] = records.filter((r) => !RESERVED.has(r.regionId)).slice(-3);
  if (!a || !b || !c) return;
  const form = await db.selectFrom('consent_forms').select('id').where('instrument', '=', 'sdl_43').where('version', '=', 1).executeTakeFirstOrThrow();
  const [workshop, garden] = DEMO_LIAISON_COMPANIES;
  const at = (date: string, hour = 10) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  const consent = (n: number, p: Record, company: { cvr: string; name: string }, categories: string[], givenOn: string, withdrawnOn: string | null) => ({
    id: crossingId(CONSENT_BLOCK, n),
    organisation_id: ORG.paOdense,
    citizen_id: p.regionId,
    person_hash: p.personHash,
    instrument: 'sdl_43' as const,
    categories,
    source_organisation_id: ORG.paOdense,
    source_unit: 'Psykiatrisk Afdeling Odense, ambulatoriet',
    recipient_organisation_id: null,
    recipient_company_cvr: company.cvr,
    recipient_company_name: company.name,
    recipient_unit: null,
    recipient_roles: ['company'],
    programme_id: PROGRAMME.fremskudt,
    purpose: 'Den fremskudte medarbejder fortæller praktikstedet, hvad borgeren har brug for på arbejdet',
    case_reference: null,
    given_on: givenOn,
    valid_from: givenOn,
    valid_to: addDays(givenOn, 180),
    given_by: 'citizen' as const,
    given_by_name: null,
    capacity_note: null,
    given_how: 'written' as const,
    oral_reason: null,
    witness: null,
    form_id: form.id,
    copy_given: true,
    replaces_id: null,
    withdrawn_at: withdrawnOn ? at(withdrawnOn, 13) : null,
    withdrawn_on: withdrawnOn,
    withdrawn_how: withdrawnOn ? ('oral' as const) : null,
    withdrawn_recorded_by: withdrawnOn ? REGION_STAFF.liaison : null,
    withdrawal_note: withdrawnOn ? 'Borgeren vil selv tale med virksomheden fremover.' : null,
    created_by: REGION_STAFF.liaison,
    created_at: at(givenOn, 9),
  });
  const consents = [
    consent(1, a, workshop, ['work_considerations', 'support_needs'], addDays(today, -40), null),
    consent(2, b, workshop, ['work_considerations'], addDays(today, -60), addDays(today, -10)),
    consent(3, c, garden, ['work_considerations'], addDays(today, -25), null),
  ];
  await db.insertInto('consents').values(consents).execute();

  const meetings = [
    { id: crossingId(MEETING_BLOCK, 1), company: workshop, heldOn: addDays(today, -21), attendees: 'Fremskudt medarbejder (psykiatrien), jobkonsulent (Jobcenter Nordfyn), værkføreren', purpose: 'Opstart af to praktikforløb i værkstedet' },
    { id: crossingId(MEETING_BLOCK, 2), company: garden, heldOn: addDays(today, -6), attendees: 'Fremskudt medarbejder (psykiatrien), indehaveren', purpose: 'Opfølgning efter første måned i praktik' },
  ];
  await db
    .insertInto('liaison_company_meetings')
    .values(meetings.map((m) => ({ id: m.id, organisation_id: ORG.paOdense, programme_id: PROGRAMME.fremskudt, company_cvr: m.company.cvr, company_name: m.company.name, held_on: m.heldOn, attendees: m.attendees, purpose: m.purpose, created_by: REGION_STAFF.liaison, created_at: at(m.heldOn, 14) })))
    .execute();
  // B withdrew the consent after the first meeting; what the workshop was told about B then stays on record.
  const items = [
    { id: crossingId(MEETING_BLOCK, 101), meeting: meetings[0]!, p: a, categories: ['work_considerations', 'support_needs'], told: 'Starter med fire timer om dagen, tre dage om ugen. Har brug for en fast makker og besked dagen før, hvis opgaverne ændres.', consentId: consents[0]!.id, done: true },
    { id: crossingId(MEETING_BLOCK, 102), meeting: meetings[0]!, p: b, categories: ['work_considerations'], told: 'Kan ikke arbejde før kl. 10 de første uger. Pauser efter behov, gerne et roligt sted.', consentId: consents[1]!.id, done: true },
    { id: crossingId(MEETING_BLOCK, 103), meeting: meetings[1]!, p: c, categories: ['work_considerations'], told: 'Går bedst med udendørs opgaver og korte instruktioner, helst skriftligt. Fri hver anden torsdag formiddag til samtaler.', consentId: consents[2]!.id, done: false },
  ];
  await db
    .insertInto('liaison_company_meeting_items')
    .values(items.map((i) => ({ id: i.id, meeting_id: i.meeting.id, organisation_id: ORG.paOdense, citizen_id: i.p.regionId, categories: i.categories, told: i.told, consent_ids: [i.consentId], decided_by: REGION_STAFF.liaison, disclosed_at: at(i.meeting.heldOn, 14) })))
    .execute();
  await db
    .insertInto('crossing_tasks')
    .values([
      ...consents.map((k, n) => ({ id: crossingId(MEETING_BLOCK, 201 + n), organisation_id: ORG.paOdense, citizen_id: k.citizen_id, kind: 'journal_consent' as const, consent_id: k.id, status: 'done' as const, created_at: k.created_at, done_at: at(k.given_on, 15), done_by: REGION_STAFF.liaison })),
      ...items.map((i, n) => ({
        id: crossingId(MEETING_BLOCK, 211 + n),
        organisation_id: ORG.paOdense,
        citizen_id: i.p.regionId,
        kind: 'journal_oral_disclosure' as const,
        company_meeting_item_id: i.id,
        status: i.done ? ('done' as const) : ('open' as const),
        created_at: at(i.meeting.heldOn, 14),
        done_at: i.done ? at(i.meeting.heldOn, 16) : null,
        done_by: i.done ? REGION_STAFF.liaison : null,
      })),
      { id: crossingId(MEETING_BLOCK, 221), organisation_id: ORG.paOdense, citizen_id: b.regionId, kind: 'journal_withdrawal' as const, consent_id: consents[1]!.id, status: 'open' as const, created_at: at(addDays(today, -10), 13) },
    ])
    .execute();
}
