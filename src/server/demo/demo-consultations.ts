// Demo: the liaison's oral advice and case consultations in "Fremskudt psykiatrifagligt arbejde" — attending Nordfyns
// Kommune's meetings (a network meeting with the note still pending, a case conference whose note is written, one
// marked not relevant to the case), an anonymous case consultation and one stopped because the liaison recognised
// the person. Named items only for people whose consents (loaded before this) cover both directions today and the
// category said; never the browser tests' patients (region records 1, 2 and 20 and their municipal twins). Each
// named item leaves what the real route leaves: the region's disclosure and journal task, the municipality's
// received snapshot and note duty (and, when resolved, its note). Ids from blocks 60 (consultations) and 61 (items
// and what they leave); deterministic for a given day.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { REGION_CATEGORIES, consentsOfPerson } from '../modules/consents/coverage.ts';
import { disclosureGaps } from '../modules/disclosures/disclosures.service.ts';
import { bothDirections } from '../modules/inquiries/inquiries.service.ts';
import { addDays } from '../platform/dates.ts';
import { crossingId, regionCitizenId, REGION_STAFF } from './demo-crossing.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';

const NORDFYN = userId(15);
const CONSULTATION = 60;
const ITEM = 61;
/** Offsets within block 61 for what a named item leaves. */
const LEAVES = { disclosure: 1000, received: 2000, task: 3000, duty: 4000, note: 5000 } as const;
const RESERVED = [regionCitizenId(1), regionCitizenId(2), regionCitizenId(20)];

const stamp = (date: string, time: string) => new Date(`${date}T${time}:00+01:00`);
const hoursAfter = (d: Date, h: number) => new Date(d.getTime() + h * 3_600_000);

interface Candidate {
  regionId: string;
  municipalId: string;
  category: string;
  consentIds: string[];
}

/** People whose consents cover a named item today, with a category the patient's consents cover. */
async function candidates(db: Kysely<Database>, today: string, wanted: number): Promise<Candidate[]> {
  const { rows } = await sql<{ municipal_id: string; region_id: string; cpr_hash: string }>`
    select m.id as municipal_id, r.id as region_id, r.cpr_hash
      from citizens r join citizens m on m.cpr_hash = r.cpr_hash and m.organisation_id = ${ORG.nordfyn}
     where r.organisation_id = ${ORG.paOdense} and r.is_demo and r.id <> all(${RESERVED}::uuid[])
       and exists (select 1 from consents k where k.person_hash = r.cpr_hash)
     order by r.id desc`.execute(db);
  const found: Candidate[] = [];
  for (const row of rows) {
    const consents = await consentsOfPerson(db, row.cpr_hash);
    if (!bothDirections(consents, ORG.nordfyn, ORG.paOdense, ['caseworker'], today).covered) continue;
    for (const category of ['work_considerations', ...REGION_CATEGORIES]) {
      const check = disclosureGaps(consents, { categories: [category], sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], requested: true }, today);
      if (check.gaps.length === 0) {
        found.push({ regionId: row.region_id, municipalId: row.municipal_id, category, consentIds: check.consentIds });
        break;
      }
    }
    if (found.length === wanted) break;
  }
  return found;
}

type Resolution = { status: 'pending' } | { status: 'noted'; note: string } | { status: 'not_relevant'; reason: string };

const NAMED: { kind: 'network_meeting' | 'case_conference'; daysAgo: number; at: string; place: string; advice: string; resolution: Resolution }[] = [
  {
    kind: 'case_conference',
    daysAgo: 20,
    at: '13:00',
    place: 'Jobcenter Nordfyn, teammøde',
    advice: 'Borgeren har det bedst med faste ugedage og en fast kontaktperson. Start med tre timer om dagen; øg først, når borgeren selv siger, det går.',
    resolution: { status: 'noted', note: 'Psykiatriens medarbejder anbefalede på teammødet faste ugedage, fast kontaktperson og tre timer om dagen i starten. Indgår i planlægningen af praktikken.' },
  },
  {
    kind: 'case_conference',
    daysAgo: 12,
    at: '10:00',
    place: 'Jobcenter Nordfyn, sparringsmøde',
    advice: 'Medicinen kan give træthed om morgenen de første uger; mødetid efter kl. 10 kan hjælpe.',
    resolution: { status: 'not_relevant', reason: 'Borgeren er allerede i job med mødetid kl. 11; rådet ændrer ikke sagen.' },
  },
  {
    kind: 'network_meeting',
    daysAgo: 4,
    at: '09:30',
    place: 'Netværksmøde på jobcentret',
    advice: 'Undgå pres om flere timer før behandlingsforløbet er afsluttet om seks uger. Aftal en plan for, hvad borgeren gør ved forværring.',
    resolution: { status: 'pending' },
  },
];

export async function loadDemoConsultations(db: Kysely<Database>, today: string): Promise<void> {
  const liaison = await db.selectFrom('users').select('name').where('id', '=', REGION_STAFF.liaison).executeTakeFirstOrThrow();
  const nordfyn = await db.selectFrom('users').select('name').where('id', '=', NORDFYN).executeTakeFirstOrThrow();
  const people = await candidates(db, today, NAMED.length);
  let c = 0;
  let i = 0;
  const consultation = async (row: { kind: 'network_meeting' | 'case_conference' | 'anonymous'; heldAt: Date; place: string | null; other?: string; recognised?: Date }) => {
    const id = crossingId(CONSULTATION, ++c);
    await db
      .insertInto('consultations')
      .values({
        id,
        organisation_id: ORG.paOdense,
        programme_id: PROGRAMME.fremskudt,
        municipality_id: ORG.nordfyn,
        kind: row.kind,
        held_at: row.heldAt,
        place: row.place,
        participant_ids: [NORDFYN],
        other_participants: row.other ?? null,
        status: row.recognised ? 'stopped_recognised' : 'open',
        recognised_at: row.recognised ?? null,
        recognised_by: row.recognised ? REGION_STAFF.liaison : null,
        created_by: REGION_STAFF.liaison,
        created_at: hoursAfter(row.heldAt, 2),
        version: row.recognised ? 2 : 1,
      })
      .execute();
    return id;
  };
  const anonymousItem = (consultationId: string, heldAt: Date, description: string, advice: string) =>
    db
      .insertInto('consultation_items')
      .values({ id: crossingId(ITEM, ++i), consultation_id: consultationId, organisation_id: ORG.paOdense, kind: 'anonymous', description, advice, created_by: REGION_STAFF.liaison, created_at: hoursAfter(heldAt, 2) })
      .execute();

  for (const [k, n] of NAMED.entries()) {
    const person = people[k];
    if (!person) break;
    // At a network meeting: the citizen's latest held meeting in the municipality, and its time.
    const meeting =
      n.kind === 'network_meeting'
        ? await db.selectFrom('network_meetings').select(['id', 'starts_at']).where('citizen_id', '=', person.municipalId).where('status', '=', 'held').orderBy('starts_at', 'desc').limit(1).executeTakeFirst()
        : undefined;
    const heldAt = meeting ? new Date(meeting.starts_at) : stamp(addDays(today, -n.daysAgo), n.at);
    const at = hoursAfter(heldAt, 2);
    const consultationId = await consultation({ kind: n.kind, heldAt, place: n.place, other: n.kind === 'network_meeting' ? 'Borgeren og en mentor fra praktikstedet' : undefined });
    const itemNo = ++i;
    const disclosureId = crossingId(ITEM, LEAVES.disclosure + itemNo);
    const receivedId = crossingId(ITEM, LEAVES.received + itemNo);
    const snapshot = { kind: 'oral_advice', consultationId, meetingKind: n.kind, heldAt: heldAt.toISOString(), advice: n.advice, categories: [person.category], saidTo: [nordfyn.name] };
    await db
      .insertInto('disclosures')
      .values({
        id: disclosureId,
        organisation_id: ORG.paOdense,
        citizen_id: person.regionId,
        recipient_organisation_id: ORG.nordfyn,
        recipient_citizen_id: person.municipalId,
        recipient_roles: ['caseworker'],
        knowledge_transfer_id: null,
        categories: [person.category],
        snapshot: JSON.stringify(snapshot),
        basis: 'consent',
        consent_ids: person.consentIds,
        status: 'closed',
        closed_at: at,
        decided_by: REGION_STAFF.liaison,
        channel: 'meeting',
        disclosed_at: at,
      } as never)
      .execute();
    await db
      .insertInto('received_disclosures')
      .values({
        id: receivedId,
        organisation_id: ORG.nordfyn,
        citizen_id: person.municipalId,
        disclosure_id: disclosureId,
        from_organisation_id: ORG.paOdense,
        disclosed_by_name: liaison.name,
        disclosed_at: at,
        channel: 'meeting',
        categories: [person.category],
        snapshot: JSON.stringify(snapshot),
        basis: 'consent',
        consent_ids: person.consentIds,
        exception_ground: null,
        received_at: at,
      } as never)
      .execute();
    await db
      .insertInto('consultation_items')
      .values({
        id: crossingId(ITEM, itemNo),
        consultation_id: consultationId,
        organisation_id: ORG.paOdense,
        kind: 'named',
        citizen_id: person.regionId,
        disclosure_id: disclosureId,
        advice: n.advice,
        categories: [person.category],
        said_to: [NORDFYN],
        network_meeting_id: meeting?.id ?? null,
        created_by: REGION_STAFF.liaison,
        created_at: at,
      })
      .execute();
    // The journal task: done for the older ones, open for the newest.
    const done = n.resolution.status !== 'pending';
    await db
      .insertInto('crossing_tasks')
      .values({ id: crossingId(ITEM, LEAVES.task + itemNo), organisation_id: ORG.paOdense, citizen_id: person.regionId, kind: 'journal_oral_disclosure', disclosure_id: disclosureId, status: done ? 'done' : 'open', created_at: at, done_at: done ? hoursAfter(at, 24) : null, done_by: done ? REGION_STAFF.liaison : null } as never)
      .execute();
    const resolvedAt = hoursAfter(at, 48);
    let noteId: string | null = null;
    if (n.resolution.status === 'noted') {
      noteId = crossingId(ITEM, LEAVES.note + itemNo);
      const source = `${liaison.name}, Psykiatrisk Afdeling Odense (sparring)`;
      await db.insertInto('notes').values({ id: noteId, organisation_id: ORG.nordfyn, citizen_id: person.municipalId, kind: 'external_assessment', remark_on: null, sensitivity: 'sensitive', source, author_id: NORDFYN, created_at: resolvedAt }).execute();
      await db.insertInto('note_revisions').values({ note_id: noteId, revision: 1, body: n.resolution.note, reason: null, written_by: NORDFYN, written_at: resolvedAt }).execute();
      await db
        .insertInto('citizen_events')
        .values({ organisation_id: ORG.nordfyn, citizen_id: person.municipalId, occurred_at: resolvedAt, kind: 'note.created', ref_id: noteId, actor_id: NORDFYN, data: JSON.stringify({ noteKind: 'external_assessment', sensitivity: 'sensitive' }) })
        .execute();
    }
    await db
      .insertInto('consultation_duties')
      .values({
        id: crossingId(ITEM, LEAVES.duty + itemNo),
        organisation_id: ORG.nordfyn,
        citizen_id: person.municipalId,
        received_disclosure_id: receivedId,
        network_meeting_id: meeting?.id ?? null,
        from_organisation_id: ORG.paOdense,
        said_by_name: liaison.name,
        held_at: heldAt,
        assigned_to: [NORDFYN],
        status: n.resolution.status,
        note_id: noteId,
        reason: n.resolution.status === 'not_relevant' ? n.resolution.reason : null,
        resolved_by: n.resolution.status === 'pending' ? null : NORDFYN,
        resolved_at: n.resolution.status === 'pending' ? null : resolvedAt,
        created_at: at,
      })
      .execute();
  }

  const anonymousAt = stamp(addDays(today, -30), '14:00');
  const open = await consultation({ kind: 'anonymous', heldAt: anonymousAt, place: 'Telefonsparring' });
  await anonymousItem(open, anonymousAt, 'Kvinde i 30’erne med angst, skal starte i butikspraktik.', 'Aftal en stille pauseplads og en fast person at gå til. Start uden for myldretiden.');
  await anonymousItem(open, anonymousAt, 'Samme borger: bekymret for at fortælle arbejdsgiveren om angsten.', 'Borgeren bestemmer selv, hvad arbejdsgiveren får at vide. Øv samtalen på forhånd.');
  const stoppedAt = stamp(addDays(today, -8), '11:00');
  const stopped = await consultation({ kind: 'anonymous', heldAt: stoppedAt, place: 'Teammøde på jobcentret', recognised: hoursAfter(stoppedAt, 0.5) });
  await anonymousItem(stopped, stoppedAt, 'Mand i 40’erne, tidligere indlagt, vil gerne tilbage til lagerarbejde.', 'Tal om søvn og dagsrytme, før der aftales timer.');
}
