// Demo: the liaison's inquiry queue in "Fremskudt psykiatrifagligt arbejde" — questions from Nordfyns Kommune to
// Psykiatrisk Afdeling Odense over the last five months: general questions and anonymous cases (no consent
// needed), and named ones only for people whose consents (loaded before this) cover both directions today.
// Answered ones carry realistic response times (hours to a few days); a few are new or in progress. Nothing for
// the region record regionCitizenId(1) or its municipal twin (the browser test's patient). Ids from blocks 57
// (inquiries) and 58 (messages); deterministic for a given day.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { bothDirections } from '../modules/inquiries/inquiries.service.ts';
import { consentsOfPerson } from '../modules/consents/coverage.ts';
import { addDays } from '../platform/dates.ts';
import { crossingId, regionCitizenId, REGION_STAFF } from './demo-crossing.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';

const ID_BLOCK = { inquiry: 57, message: 58 } as const;
const NORDFYN = userId(15);

type Kind = 'general' | 'anonymous' | 'named';
interface DemoInquiry {
  kind: Kind;
  /** Days before the demo's day, and the time of day it was sent. */
  daysAgo: number;
  at: string;
  subject: string;
  question: string;
  /** Hours until the liaison's first answer; null while nobody has answered. */
  answerAfterHours: number | null;
  answer?: string;
  reply?: string;
  status: 'new' | 'in_progress' | 'answered' | 'closed';
}

const INQUIRIES: DemoInquiry[] = [
  { kind: 'general', daysAgo: 148, at: '09:10', subject: 'Hvem kontakter vi ved akut forværring?', question: 'Hvis en borger i forløbet bliver akut dårligere under en samtale, hvem ringer vi så til i psykiatrien?', answerAfterHours: 3.5, answer: 'Ring til den akutte modtagelse på hovednummeret; sig at borgeren er i Fremskudt. I dagtiden kan I også ringe direkte til mig.', status: 'closed' },
  { kind: 'anonymous', daysAgo: 141, at: '13:40', subject: 'Borger med angst og lange sygemeldinger', question: 'En borger i 40’erne med angst har haft flere lange sygemeldinger. Hvordan kan vi starte en praktik uden at det går galt igen?', answerAfterHours: 26, answer: 'Start med få timer på en fast ugedag og et fast sted. Aftal på forhånd, hvad borgeren gør, hvis angsten bliver for stor. Følg op efter første uge.', status: 'closed' },
  { kind: 'general', daysAgo: 120, at: '10:05', subject: 'Samtykke til at tale med behandleren', question: 'Hvilken samtykkeerklæring skal borgeren skrive under, før vi må tale med behandleren om arbejdsevnen?', answerAfterHours: 5, answer: 'Borgeren giver psykiatrien samtykke efter sundhedsloven § 43 og kommunen samtykke efter retssikkerhedsloven § 11 a — begge ligger i Bindeled som én samlet formular.', status: 'closed' },
  { kind: 'anonymous', daysAgo: 104, at: '08:50', subject: 'Ung borger der ikke møder op', question: 'En borger i 20’erne møder ikke op til samtaler og svarer ikke på telefon. Er der en god måde at komme i kontakt på?', answerAfterHours: 50, answer: 'Prøv et kort brev med et konkret tidspunkt og tilbyd at mødes et andet sted end jobcentret, fx på biblioteket. Mange har det lettere med en gåtur.', status: 'answered' },
  { kind: 'general', daysAgo: 88, at: '14:20', subject: 'Medicin og arbejdstider', question: 'Hvad skal vi være opmærksomme på, når borgere tager medicin der gør dem trætte om morgenen?', answerAfterHours: 20, answer: 'Planlæg gerne opstart efter kl. 10 de første uger, og spørg borgeren selv, hvornår på dagen det går bedst.', status: 'closed' },
  { kind: 'anonymous', daysAgo: 70, at: '11:15', subject: 'Borger med psykoseforløb bag sig', question: 'En borger i 30’erne har et psykoseforløb bag sig og vil gerne i uddannelse. Hvad er realistiske krav det første halve år?', answerAfterHours: 8, answer: 'Korte moduler med mulighed for pauser. Undgå eksamenspres i starten; aftal faste kontaktpersoner på uddannelsesstedet.', reply: 'Tak. Skal vi involvere psykiatrien i opstartsmødet?', status: 'answered' },
  { kind: 'general', daysAgo: 55, at: '09:30', subject: 'Netværksmøder med psykiatrien', question: 'Kan psykiatrien deltage i netværksmøder på jobcentret, og hvordan booker vi det?', answerAfterHours: 2, answer: 'Ja — send mig en henvendelse med dato og emne. Jeg deltager, når borgeren har givet samtykke begge veje.', status: 'closed' },
  { kind: 'anonymous', daysAgo: 40, at: '15:05', subject: 'Borger med søvnproblemer i praktik', question: 'En borger i praktik sover meget dårligt og kommer for sent. Hvordan kan vi støtte uden at stoppe praktikken?', answerAfterHours: 31, answer: 'Tal med borgeren om at rykke mødetiden. Søvnen er ofte det første der bedres, når hverdagen er forudsigelig.', status: 'answered' },
  { kind: 'general', daysAgo: 26, at: '10:40', subject: 'Hvornår er en vidensoverdragelse klar?', question: 'Hvor lang tid går der typisk fra henvisning til vi får en vidensoverdragelse fra psykiatrien?', answerAfterHours: 4, answer: 'Normalt inden for to uger efter at samtykket er givet. Jeg skriver den sammen med behandlerteamet.', status: 'closed' },
  { kind: 'anonymous', daysAgo: 16, at: '13:00', subject: 'Borger der er bange for at miste ydelsen', question: 'En borger i 50’erne tør ikke prøve timer i en virksomhed af frygt for at miste ydelsen. Hvordan taler vi om det?', answerAfterHours: 22, answer: 'Vær konkret om hvad der sker med ydelsen ved få timer, gerne skriftligt. Frygten fylder ofte mere end reglerne.', status: 'answered' },
  { kind: 'general', daysAgo: 9, at: '09:20', subject: 'Krisekontakt i weekenden', question: 'Hvem kan borgere i forløbet ringe til i weekenden, hvis de får det dårligt?', answerAfterHours: 6, answer: 'Psykiatriens akuttelefon er åben hele døgnet. Nummeret står også i borgerens kriseplan, hvis der er en.', status: 'answered' },
  { kind: 'anonymous', daysAgo: 5, at: '11:45', subject: 'Borger der ønsker at stoppe behandlingen', question: 'En borger i 30’erne siger, at hun vil stoppe i behandling, når hun starter i job. Hvad gør vi?', answerAfterHours: null, status: 'in_progress' },
  { kind: 'general', daysAgo: 3, at: '14:10', subject: 'Oplæg for jobkonsulenterne', question: 'Vil du holde et kort oplæg om angst på arbejdspladsen for vores jobkonsulenter i næste måned?', answerAfterHours: null, status: 'new' },
  { kind: 'anonymous', daysAgo: 1, at: '08:35', subject: 'Borger med OCD og kontorarbejde', question: 'En borger i 20’erne med tvangstanker skal starte i kontorpraktik. Hvilke hensyn er vigtige?', answerAfterHours: null, status: 'new' },
];

const NAMED: Omit<DemoInquiry, 'kind' | 'daysAgo' | 'at'>[] = [
  { subject: 'Opstart i praktik', question: 'Vi vil gerne starte praktik i næste måned. Er der hensyn fra behandlingen, vi skal kende til?', answerAfterHours: 18, answer: 'Ja, jeg sender en vidensoverdragelse. Indtil da: start med korte dage og en fast kontaktperson.', status: 'answered' },
  { subject: 'Fremmøde til samtaler', question: 'Borgeren er udeblevet to gange. Ved I, om der er sket noget?', answerAfterHours: null, status: 'new' },
];

const stamp = (date: string, time: string) => `${date}T${time}:00+01:00`;
const plusHours = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

/**
 * The people whose consents cover a named inquiry today (the consents demo runs first): region record and its
 * municipal twin, never the browser test's patient.
 */
async function namedCandidates(db: Kysely<Database>, today: string): Promise<{ municipalId: string; consentIds: string[] }[]> {
  const { rows } = await sql<{ municipal_id: string; region_id: string; cpr_hash: string }>`
    select m.id as municipal_id, r.id as region_id, r.cpr_hash
      from citizens r join citizens m on m.cpr_hash = r.cpr_hash and m.organisation_id = ${ORG.nordfyn}
     where r.organisation_id = ${ORG.paOdense} and r.is_demo and r.id <> ${regionCitizenId(1)}
       and exists (select 1 from consents k where k.person_hash = r.cpr_hash)
     order by r.id`.execute(db);
  const found: { municipalId: string; consentIds: string[] }[] = [];
  for (const row of rows) {
    const check = bothDirections(await consentsOfPerson(db, row.cpr_hash), ORG.nordfyn, ORG.paOdense, ['caseworker'], today);
    if (check.covered) found.push({ municipalId: row.municipal_id, consentIds: check.consentIds });
    if (found.length === NAMED.length) break;
  }
  return found;
}

export async function loadDemoInquiries(db: Kysely<Database>, today: string): Promise<void> {
  const named = await namedCandidates(db, today);
  const all: (DemoInquiry & { citizenId: string | null; consentIds: string[] })[] = [
    ...INQUIRIES.map((q) => ({ ...q, citizenId: null, consentIds: [] })),
    ...named.map((n, i) => ({ ...NAMED[i]!, kind: 'named' as const, daysAgo: 12 - i * 10, at: '10:30', citizenId: n.municipalId, consentIds: n.consentIds })),
  ];
  let messageNo = 0;
  for (const [index, q] of all.entries()) {
    const id = crossingId(ID_BLOCK.inquiry, index + 1);
    const askedAt = new Date(stamp(addDays(today, -q.daysAgo), q.at)).toISOString();
    const answeredAt = q.answerAfterHours === null ? null : plusHours(askedAt, q.answerAfterHours);
    const closedAt = q.status === 'closed' && answeredAt ? plusHours(answeredAt, 30) : null;
    await db
      .insertInto('inquiries')
      .values({
        id,
        organisation_id: ORG.nordfyn,
        recipient_organisation_id: ORG.paOdense,
        programme_id: PROGRAMME.fremskudt,
        kind: q.kind,
        citizen_id: q.citizenId,
        consent_ids: q.consentIds,
        subject: q.subject,
        status: q.status,
        asked_by: NORDFYN,
        asked_at: new Date(askedAt),
        assigned_to: q.status === 'new' ? null : REGION_STAFF.liaison,
        first_answer_at: answeredAt ? new Date(answeredAt) : null,
        closed_at: closedAt ? new Date(closedAt) : null,
      })
      .execute();
    const messages = [
      { organisation_id: ORG.nordfyn, author_id: NORDFYN, body: q.question, created_at: askedAt },
      ...(q.answer && answeredAt ? [{ organisation_id: ORG.paOdense, author_id: REGION_STAFF.liaison, body: q.answer, created_at: answeredAt }] : []),
      ...(q.reply && answeredAt ? [{ organisation_id: ORG.nordfyn, author_id: NORDFYN, body: q.reply, created_at: plusHours(answeredAt, 4) }] : []),
    ];
    await db
      .insertInto('inquiry_messages')
      .values(messages.map((m) => ({ ...m, id: crossingId(ID_BLOCK.message, ++messageNo), inquiry_id: id, created_at: new Date(m.created_at) })))
      .execute();
  }
}
