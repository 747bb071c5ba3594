// Demo companies, internships and upskilling for "På vej til arbejde": a dozen fictitious companies of Næstved
// Kommune's register (CVR numbers that pass the check, marked fictitious) with contacts and meetings, internships
// of active demo citizens with hours per week anchored to the load day, follow-ups, outcomes, and some upskilling.
// Deterministic: fixed ids from blocks 20–29 and a seeded choice of citizens.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';

const ID_BLOCK = { company: 20, contact: 21, meeting: 22, internship: 23, followUp: 24, upskilling: 25, event: 26 } as const;

function blockId(block: number, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9_999) throw new RangeError(`demo id number out of range: ${n}`);
  return `00000000-0000-4000-8000-${String(block * 10_000 + n).padStart(12, '0')}`;
}

export const demoCompanyId = (n: number) => blockId(ID_BLOCK.company, n);

const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2];
/** The CVR number with the seven digits `base` and the check digit that makes the weighted sum divisible by 11 (null when none does). */
function withCheckDigit(base: number): string | null {
  const digits = String(base);
  const sum = [...digits].reduce((s, c, i) => s + Number(c) * CVR_WEIGHTS[i]!, 0);
  const check = (11 - (sum % 11)) % 11;
  return check < 10 ? `${digits}${check}` : null;
}

const JOBKONSULENT = userId(9);
const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const plusDays = (iso: string, n: number) => isoOf(dayOf(iso) + n);
const mondayOf = (iso: string) => plusDays(iso, -((new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7));
/** Noon UTC on the day: events of the demo happen in working hours whatever the season. */
const at = (iso: string, seconds = 0) => new Date(dayOf(iso) * DAY_MS + 11 * 3_600_000 + seconds * 1000);

const COMPANIES = [
  { name: 'Susåens Gartneri I/S', address: 'Åvej 12, 4700 Næstved', industry: 'Gartneri', contact: ['Hanne Bøgh', 'Indehaver'] },
  { name: 'Maglemølle Café & Bageri', address: 'Ringstedgade 7, 4700 Næstved', industry: 'Café og bageri', contact: ['Kasper Friis', 'Køkkenchef'] },
  { name: 'Karrebæk Bådebyggeri ApS', address: 'Havnevej 3, 4736 Karrebæksminde', industry: 'Bådebyggeri', contact: ['Ole Strand', 'Mester'] },
  { name: 'Holmegaard Lagerservice A/S', address: 'Industrivej 40, 4700 Næstved', industry: 'Lager og logistik', contact: ['Pia Lund', 'Lagerchef'] },
  { name: 'Næstved Genbrugsbutik', address: 'Axeltorv 2, 4700 Næstved', industry: 'Detailhandel', contact: ['Birthe Krog', 'Butiksleder'] },
  { name: 'Herlufsholm Rengøring ApS', address: 'Skovvej 18, 4700 Næstved', industry: 'Rengøring', contact: ['Samir Khalil', 'Driftsleder'] },
  { name: 'Fensmark Auto & Dæk', address: 'Fensmarkvej 5, 4684 Holmegaard', industry: 'Autoværksted', contact: ['Jens Vad', 'Værkfører'] },
  { name: 'Rådmandshaven Plejecenter (fiktiv)', address: 'Rådmandshaven 1, 4700 Næstved', industry: 'Ældrepleje', contact: ['Lise Dam', 'Afdelingsleder'] },
  { name: 'Sydkystens Trykkeri', address: 'Grønnegade 21, 4700 Næstved', industry: 'Grafisk produktion', contact: ['Mikkel Torp', 'Produktionsleder'] },
  { name: 'Glumsø Grønt Engros', address: 'Stationsvej 9, 4171 Glumsø', industry: 'Grønt engros', contact: ['Trine Moos', 'Indkøber'] },
  { name: 'Næstved Boldklubs Kantine', address: 'Arena Næstved, 4700 Næstved', industry: 'Kantine', contact: ['Allan Berg', 'Kantineleder'] },
  { name: 'Tystrup IT-Support', address: 'Bygaden 4, 4160 Herlufmagle', industry: 'IT-service', contact: ['Nadia Sørensen', 'Teamleder'] },
] as const;

const UPSKILLING = [
  { kind: 'certificate', title: 'Truckcertifikat (B)', provider: 'AMU Sjælland' },
  { kind: 'course', title: 'Hygiejnekursus for fødevarebranchen', provider: 'AMU Sjælland' },
  { kind: 'education', title: 'HF-enkeltfag: dansk', provider: 'VUC Storstrøm' },
  { kind: 'course', title: 'Førstehjælp (12 timer)', provider: 'Dansk Førstehjælpsråd' },
  { kind: 'education', title: 'Grundforløb 1, Ernæringsassistent', provider: 'ZBC Næstved' },
  { kind: 'certificate', title: 'Lift- og kranbevis', provider: 'AMU Sjælland' },
] as const;

/**
 * Loads the demo register and activities into the caller's transaction; needs the demo users and citizens.
 * Internships go to active "På vej til arbejde" citizens chosen in id order, so the same citizens get them on
 * every load; their weeks run up to the week before the load day.
 */
export async function loadDemoCompanies(db: Kysely<Database>, opts: { today: string }): Promise<{ companies: number; internships: number }> {
  const org = ORG.naestved;
  const thisMonday = mondayOf(opts.today);
  const companies = COMPANIES.map((c, i) => {
    let base = 3_170_000 + i * 97_331;
    let cvr = withCheckDigit(base);
    while (!cvr) cvr = withCheckDigit(++base);
    return { id: demoCompanyId(i + 1), organisation_id: org, cvr, name: c.name, search_name: c.name.toLocaleLowerCase('da'), address: c.address, industry: c.industry, is_fictitious: true, created_by: JOBKONSULENT, created_at: at(plusDays(opts.today, -400 + i * 9)) };
  });
  const contacts = COMPANIES.map((c, i) => ({ id: blockId(ID_BLOCK.contact, i + 1), organisation_id: org, company_id: demoCompanyId(i + 1), name: c.contact[0], role: c.contact[1], phone: `+45 55 ${String(10 + i).padStart(2, '0')} 20 ${String(30 + i).padStart(2, '0')}`, email: null }));
  const meetings = COMPANIES.flatMap((_, i) => [
    { id: blockId(ID_BLOCK.meeting, 2 * i + 1), organisation_id: org, company_id: demoCompanyId(i + 1), held_on: plusDays(opts.today, -300 + i * 11), staff_ids: [JOBKONSULENT], purpose: 'Første møde: virksomhedens muligheder for praktik', outcome: 'Åben for praktikforløb med gradvis optrapning', created_by: JOBKONSULENT },
    { id: blockId(ID_BLOCK.meeting, 2 * i + 2), organisation_id: org, company_id: demoCompanyId(i + 1), held_on: plusDays(opts.today, -90 + i * 5), staff_ids: [JOBKONSULENT, userId(4 + (i % 4))], purpose: 'Forberede virksomheden på sin rolle: forventninger, skånehensyn og kontaktperson', outcome: i % 3 === 0 ? 'Aftalt fast kontaktperson og ugentlig opfølgning' : null, created_by: JOBKONSULENT },
  ]);

  // Active citizens of the programme with their start and one consultant on the team today.
  const { rows: citizens } = await sql<{ citizen_id: string; start_date: string; consultant: string | null }>`
    select e.citizen_id, e.start_date,
           (select tm.user_id from team_members tm
             where tm.enrolment_id = e.id and tm.role = 'resource_consultant' and tm.valid_from <= ${opts.today}
               and (tm.valid_to is null or tm.valid_to >= ${opts.today}) order by tm.user_id limit 1) as consultant
      from enrolments e
     where e.programme_id = ${PROGRAMME.paaVej} and e.status = 'active' and e.citizen_id in (
           select id from citizens where is_demo and organisation_id = ${org})
     order by e.citizen_id`.execute(db);

  const internships: Record<string, unknown>[] = [];
  const weeks: Record<string, unknown>[] = [];
  const followUps: Record<string, unknown>[] = [];
  const upskilling: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  let eventN = 0;
  const event = (citizenId: string, iso: string, kind: string, refId: string, actor: string, data: Record<string, unknown>) =>
    events.push({ id: blockId(ID_BLOCK.event, ++eventN), organisation_id: org, citizen_id: citizenId, occurred_at: at(iso, eventN % 60), kind, ref_id: refId, actor_id: actor, data });

  // Every third active citizen, up to 24: ongoing internships ramping up, and earlier ones with an outcome.
  const chosen = citizens.filter((_, i) => i % 3 === 0).slice(0, 24);
  chosen.forEach((c, i) => {
    const actor = c.consultant ?? JOBKONSULENT;
    const companyIndex = i % COMPANIES.length;
    const company = companies[companyIndex]!;
    const ongoing = i % 2 === 0;
    const weeksDone = ongoing ? 3 + (i % 5) : 8;
    const from = ongoing ? plusDays(thisMonday, -7 * weeksDone) : plusDays(thisMonday, -7 * (30 + (i % 10)));
    if (from < c.start_date) return;
    const to = ongoing ? plusDays(thisMonday, 7 * (4 + (i % 4)) + 4) : plusDays(from, 7 * weeksDone - 3);
    const id = blockId(ID_BLOCK.internship, internships.length + 1);
    const purpose = i % 3 === 2 ? 'trial_before_hiring' : 'gradual_return';
    const planned = [10, 12, 15, 20][i % 4]!;
    const outcome = ongoing ? null : (['hired', 'ended_as_planned', 'extended', 'ended_early'] as const)[i % 4]!;
    internships.push({
      id, organisation_id: org, citizen_id: c.citizen_id, company_id: company.id, contact_id: contacts[companyIndex]!.id, purpose, purpose_text: null,
      from_date: from, to_date: to, planned_weekly_hours: planned, min_plan: i % 5 === 0 ? 'no' : 'yes', outcome,
      outcome_reason: outcome === 'ended_early' ? 'Borgeren blev sygemeldt i forløbet' : null, created_by: actor, created_at: at(plusDays(from, -7)),
    });
    event(c.citizen_id, plusDays(from, -7), 'internship.created', id, actor, { company: company.name, companyId: company.id, purpose, fromDate: from, toDate: to, plannedWeeklyHours: planned });
    // Hours ramp up from the planned start, five more every other week, up to the week before the load day.
    for (let w = 0; w < weeksDone; w++) {
      const weekStart = plusDays(from, 7 * w);
      if (weekStart >= thisMonday) break;
      const hours = Math.min(37, planned + 5 * Math.floor(w / 2));
      weeks.push({ internship_id: id, week_start: weekStart, hours, organisation_id: org, recorded_by: actor, recorded_at: at(plusDays(weekStart, 7)) });
      event(c.citizen_id, plusDays(weekStart, 7), 'internship.hours', id, actor, { company: company.name, companyId: company.id, weekStart, hours, previous: null });
    }
    const followOn = plusDays(from, 14);
    if (followOn < opts.today) {
      followUps.push({ id: blockId(ID_BLOCK.followUp, followUps.length + 1), organisation_id: org, internship_id: id, held_on: followOn, note: 'Opfølgning med kontaktpersonen: trives med opgaverne, timerne sættes op som aftalt.', created_by: actor, created_at: at(followOn) });
      event(c.citizen_id, followOn, 'internship.follow_up', id, actor, { company: company.name, companyId: company.id, heldOn: followOn });
    }
    if (outcome) event(c.citizen_id, to, 'internship.ended', id, actor, { company: company.name, companyId: company.id, outcome, toDate: to });
  });

  // Some upskilling for other active citizens.
  citizens.filter((_, i) => i % 4 === 1).slice(0, 12).forEach((c, i) => {
    const u = UPSKILLING[i % UPSKILLING.length]!;
    const from = plusDays(thisMonday, -7 * (2 + ((i * 5) % 20)));
    if (from < c.start_date) return;
    const status = (['ongoing', 'completed', 'planned', 'completed', 'dropped'] as const)[i % 5]!;
    const start = status === 'planned' ? plusDays(opts.today, 14) : from;
    const id = blockId(ID_BLOCK.upskilling, upskilling.length + 1);
    const actor = c.consultant ?? JOBKONSULENT;
    upskilling.push({
      id, organisation_id: org, citizen_id: c.citizen_id, kind: u.kind, title: u.title, provider: u.provider, from_date: start, to_date: plusDays(start, u.kind === 'education' ? 150 : 12),
      status, outcome: status === 'completed' ? 'Gennemført og bestået' : status === 'dropped' ? 'Stoppet efter aftale' : null, goal_id: null, min_plan: i % 3 === 0 ? 'no' : 'yes', created_by: actor, created_at: at(plusDays(from, -10)),
    });
    event(c.citizen_id, plusDays(from, -10), 'upskilling.created', id, actor, { upskillingKind: u.kind, title: u.title, provider: u.provider, status, fromDate: start });
  });

  const insert = async (table: string, rows: Record<string, unknown>[]) => {
    if (rows.length === 0) return;
    const columns = sql.join(Object.keys(rows[0]!).map((c) => sql.ref(c)));
    await sql`insert into ${sql.table(table)} (${columns}) select ${columns} from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(db);
  };
  await insert('companies', companies);
  await insert('company_contacts', contacts);
  await insert('company_meetings', meetings);
  await insert('internships', internships);
  await insert('internship_weeks', weeks);
  await insert('internship_follow_ups', followUps);
  await insert('upskilling', upskilling);
  await insert('citizen_events', events);
  return { companies: companies.length, internships: internships.length };
}
