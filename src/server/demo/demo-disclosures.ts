// Demo: knowledge transfers the liaison wrote for the region's patients in the Nordfyn programme, and the
// disclosures made of them to Nordfyns Kommune — each under the person's sdl_43 consent as the consents demo
// recorded it (read from the consents table at load time, so this file depends on no other demo file's
// code), some since withdrawn (the snapshot stays in the municipal case, marked); one disclosure under
// sundhedsloven § 43, stk. 2, nr. 2 by the clinician, still waiting for the notice to the patient, on the
// region dpo's review list. The region record regionCitizenId(1) and its twin get nothing (the browser test
// writes them). Ids from blocks 54 (knowledge transfers), 55 (disclosures) and 56 (received snapshots).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../platform/dates.ts';
import { crossingId, REGION_STAFF, regionCitizenId } from './demo-crossing.ts';
import { ORG } from './ids.ts';

const ID_BLOCK = { knowledgeTransfer: 54, disclosure: 55, received: 56 } as const;

const TEAMS = ['Psykoseteamet, PA Odense', 'Team for angst og depression, PA Odense', 'Ambulatorium for unge, PA Odense'];

const TEXTS: Record<'offers' | 'support' | 'expectations' | 'companies', string[]> = {
  offers: [
    'Korte forløb med faste tidspunkter, gerne om formiddagen. Undgå store hold; højst 6–8 deltagere.',
    'Tilbud skal kunne holdes på pause i perioder med flere symptomer, uden at forløbet afsluttes.',
    'Praktiske opgaver frem for tavleundervisning. Pauser efter behov.',
  ],
  support: [
    'En fast kontaktperson, der forbereder nye situationer sammen med borgeren og følger op efter første uge.',
    'Hjælp til struktur i hverdagen: ugeplan, påmindelser og en aftalt måde at melde afbud på.',
    'Støtte til transport de første gange og en aftale om, hvem borgeren ringer til, hvis det bliver svært.',
  ],
  expectations: [
    'Op til 10 timer om ugen de første to måneder, derefter en gradvis optrapning efter aftale.',
    'Rimeligt at forvente stabilt fremmøde tre dage om ugen; fravær i perioder må forventes.',
    'Opgaver med klare rammer. Krav om hurtig omstilling eller mange skift er ikke rimelige endnu.',
  ],
  companies: [
    'Virksomheden skal vide, at borgeren har brug for rolige rammer og én fast kollega at spørge. Ingen diagnose.',
    'En kort introduktion til opgaverne på forhånd og en aftale om pauser. Mentor på arbejdspladsen anbefales.',
    'Forbered kolleger på, at borgeren kan have brug for at gå en kort tur i løbet af dagen.',
  ],
};

const CATEGORY: Record<keyof typeof TEXTS, string> = { offers: 'work_considerations', support: 'support_needs', expectations: 'work_considerations', companies: 'work_considerations' };
const QUESTIONS = ['offers', 'support', 'expectations', 'companies'] as const;

function answers(n: number, version: number) {
  // Every fourth patient's summary leaves the companies question for later.
  const questions = n % 4 === 0 && version === 1 ? QUESTIONS.slice(0, 3) : QUESTIONS;
  return questions.map((q, i) => ({ question: q, text: TEXTS[q][(n + i + version) % TEXTS[q].length]!, category: CATEGORY[q] }));
}

interface ConsentRow {
  id: string;
  categories: string[];
  recipient_roles: string[];
  valid_from: string;
  valid_to: string;
  withdrawn_on: string | null;
}

/** Loads the demo knowledge transfers and disclosures; call after the consents demo. */
export async function loadDemoDisclosures(db: Kysely<Database>, today: string): Promise<void> {
  const { rows: records } = await sql<{ region_id: string; municipal_id: string | null; cpr_hash: string; start_date: string; first_name: string; last_name: string }>`
    select r.id as region_id, m.id as municipal_id, r.cpr_hash, e.start_date::text as start_date, r.first_name, r.last_name
      from citizens r
      join enrolments e on e.citizen_id = r.id
      left join citizens m on m.cpr_hash = r.cpr_hash and m.organisation_id = ${ORG.nordfyn}
     where r.organisation_id = ${ORG.paOdense} and r.is_demo and r.id <> ${regionCitizenId(1)}
     order by r.id`.execute(db);
  const { rows: consents } = await sql<ConsentRow & { person_hash: string }>`
    select id, person_hash, categories, recipient_roles, valid_from::text as valid_from, valid_to::text as valid_to, withdrawn_on::text as withdrawn_on
      from consents
     where instrument = 'sdl_43' and source_organisation_id = ${ORG.paOdense} and recipient_organisation_id = ${ORG.nordfyn} and superseded_at is null
     order by created_at, id`.execute(db);
  const byPerson = new Map<string, ConsentRow[]>();
  for (const c of consents) byPerson.set(c.person_hash, [...(byPerson.get(c.person_hash) ?? []), c]);

  const people = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', [REGION_STAFF.liaison, REGION_STAFF.clinician]).execute();
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? '';
  let kt = 0;
  let disclosure = 0;
  let exceptionMade = false;
  for (const [index, r] of records.entries()) {
    const n = index + 2;
    // Every fifth patient has no knowledge transfer yet (one to write, on the liaison's overview).
    if (n % 5 === 0) continue;
    const writtenOn = minDate(addDays(r.start_date, 14), today);
    const versions = n % 3 === 0 ? 2 : 1;
    const transfers: { id: string; version: number; writtenOn: string; team: string; answers: ReturnType<typeof answers> }[] = [];
    for (let version = 1; version <= versions; version += 1) {
      kt += 1;
      const id = crossingId(ID_BLOCK.knowledgeTransfer, kt);
      const on = version === 1 ? writtenOn : minDate(addDays(writtenOn, 30), today);
      const team = TEAMS[n % TEAMS.length]!;
      const a = answers(n, version);
      await db
        .insertInto('knowledge_transfers')
        .values({ id, organisation_id: ORG.paOdense, citizen_id: r.region_id, version, source_team: team, written_on: on, answers: JSON.stringify(a), created_by: REGION_STAFF.liaison, created_at: new Date(`${on}T09:00:00Z`) } as never)
        .execute();
      transfers.push({ id, version, writtenOn: on, team, answers: a });
    }
    if (!r.municipal_id) continue;
    const latest = transfers[transfers.length - 1]!;

    // Under the person's consent: the answers whose category it names, on a day it was valid.
    const consent = (byPerson.get(r.cpr_hash) ?? []).find((c) => c.valid_from <= today && (c.withdrawn_on === null || c.withdrawn_on > c.valid_from));
    if (consent && n % 4 !== 1) {
      const chosen = latest.answers.filter((a) => consent.categories.includes(a.category));
      const role = consent.recipient_roles.find((x) => ['caseworker', 'resource_consultant', 'job_consultant', 'programme_manager'].includes(x));
      const last = minDate(consent.withdrawn_on ? addDays(consent.withdrawn_on, -1) : consent.valid_to, today);
      const on = maxDate(consent.valid_from, minDate(addDays(latest.writtenOn, 3), last));
      if (chosen.length > 0 && role && on <= last) {
        disclosure += 1;
        await disclose(db, {
          n: disclosure,
          regionId: r.region_id,
          municipalId: r.municipal_id,
          transfer: latest,
          chosen,
          role,
          basis: { consentId: consent.id },
          decidedBy: REGION_STAFF.liaison,
          decidedByName: nameOf(REGION_STAFF.liaison),
          at: new Date(`${on}T11:00:00Z`),
          channel: n % 3 === 0 ? 'meeting' : 'digital',
        });
        continue;
      }
    }
    // One disclosure without consent, under stk. 2 nr. 2, decided by the clinician; the patient not yet told.
    if (!exceptionMade) {
      exceptionMade = true;
      disclosure += 1;
      await disclose(db, {
        n: disclosure,
        regionId: r.region_id,
        municipalId: r.municipal_id,
        transfer: latest,
        chosen: latest.answers.filter((a) => a.question === 'support'),
        role: 'caseworker',
        basis: { ground: 'vital_interest', justification: 'Borgeren skal starte i praktik i næste uge; uden kendskab til støttebehovet er der en væsentlig risiko for et alvorligt tilbagefald. Borgeren kunne ikke kontaktes.' },
        decidedBy: REGION_STAFF.clinician,
        decidedByName: nameOf(REGION_STAFF.clinician),
        at: new Date(`${minDate(addDays(latest.writtenOn, 2), today)}T13:30:00Z`),
        channel: 'oral',
      });
    }
  }
}

const minDate = (a: string, b: string) => (a < b ? a : b);
const maxDate = (a: string, b: string) => (a > b ? a : b);

async function disclose(
  db: Kysely<Database>,
  d: {
    n: number;
    regionId: string;
    municipalId: string;
    transfer: { id: string; version: number; writtenOn: string; team: string };
    chosen: { question: string; text: string; category: string }[];
    role: string;
    basis: { consentId: string } | { ground: 'vital_interest'; justification: string };
    decidedBy: string;
    decidedByName: string;
    at: Date;
    channel: 'digital' | 'oral' | 'meeting';
  },
) {
  const id = crossingId(ID_BLOCK.disclosure, d.n);
  const categories = [...new Set(d.chosen.map((a) => a.category))];
  const snapshot = JSON.stringify({ kind: 'knowledge_transfer', knowledgeTransferId: d.transfer.id, version: d.transfer.version, sourceTeam: d.transfer.team, writtenOn: d.transfer.writtenOn, answers: d.chosen });
  const consentIds = 'consentId' in d.basis ? [d.basis.consentId] : [];
  const ground = 'ground' in d.basis ? d.basis.ground : null;
  await db
    .insertInto('disclosures')
    .values({
      id,
      organisation_id: ORG.paOdense,
      citizen_id: d.regionId,
      recipient_organisation_id: ORG.nordfyn,
      recipient_citizen_id: d.municipalId,
      recipient_roles: [d.role],
      knowledge_transfer_id: d.transfer.id,
      categories,
      snapshot,
      basis: ground ? 'exception' : 'consent',
      consent_ids: consentIds,
      exception_ground: ground,
      justification: 'justification' in d.basis ? d.basis.justification : null,
      notice_required: ground === 'vital_interest',
      patient_told_on: null,
      not_told_reason: null,
      status: ground === 'vital_interest' ? 'open' : 'closed',
      closed_at: ground === 'vital_interest' ? null : d.at,
      decided_by: d.decidedBy,
      channel: d.channel,
      disclosed_at: d.at,
    })
    .execute();
  await db
    .insertInto('received_disclosures')
    .values({
      id: crossingId(ID_BLOCK.received, d.n),
      organisation_id: ORG.nordfyn,
      citizen_id: d.municipalId,
      disclosure_id: id,
      from_organisation_id: ORG.paOdense,
      disclosed_by_name: d.decidedByName,
      disclosed_at: d.at,
      channel: d.channel,
      categories,
      snapshot,
      basis: ground ? 'exception' : 'consent',
      consent_ids: consentIds,
      exception_ground: ground,
      received_at: d.at,
    })
    .execute();
}
