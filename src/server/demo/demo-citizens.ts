// Demo citizens for the two seed programmes: fictitious people with replacement CPR numbers, enrolments, teams,
// status histories, journal notes and the timeline events, generated deterministically and inserted in bulk.
// Dates: ended enrolments lie inside each programme's own period; open ones are anchored to `today`
// (docs/decisions/0006-demo-data-dates.md).
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, EnrolmentStatus, TeamRole } from '../db/schema.ts';
import { ageOn, parseCpr } from '../modules/citizens/cpr.ts';
import { cprVault, type CprVault } from '../modules/citizens/cpr-vault.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';

// ---------------------------------------------------------------------------------------------------------------
// Fixed ids. Every kind of row has its own block of 10 000 in the last group, so citizens are
// 00000000-0000-4000-8000-0000000100nn and nothing collides with the ids in ids.ts (101–315).

const ID_BLOCK = { citizen: 1, enrolment: 2, teamMember: 3, statusPeriod: 4, note: 5, event: 6 } as const;

function blockId(block: number, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9_999) throw new RangeError(`demo id number out of range: ${n}`);
  return `00000000-0000-4000-8000-${String(block * 10_000 + n).padStart(12, '0')}`;
}

/** The fixed id of demo citizen n (1-based): 1–100 "På vej til arbejde", 101–180 "Fremskudt psykiatrifagligt arbejde". */
export const citizenId = (n: number) => blockId(ID_BLOCK.citizen, n);

/**
 * Birth dates that stay the same whatever day the demo is built on (the rest follow the demo's today): the two
 * portal citizens who share a family address, whose dates the README gives for the portal's birth-date question.
 * Both fit their benefit's ages at the start and stay at most 60 until 2029.
 */
export const FIXED_DEMO_BIRTH_DATES: Readonly<Record<number, string>> = { 43: '1969-02-18', 47: '1982-08-06' };

// ---------------------------------------------------------------------------------------------------------------
// Calendar arithmetic on whole days (UTC day numbers), so nothing depends on the machine's time zone.

const DAY_MS = 86_400_000;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const dayOf = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const plusDays = (iso: string, n: number) => isoOf(dayOf(iso) + n);
const daysBetween = (from: string, to: string) => dayOf(to) - dayOf(from);
const minIso = (a: string, b: string) => (a < b ? a : b);

function plusYears(iso: string, years: number): string {
  return isoOf(Date.UTC(Number(iso.slice(0, 4)) + years, Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS);
}

function lastSunday(year: number, monthIndex: number): number {
  const lastDay = Date.UTC(year, monthIndex + 1, 0) / DAY_MS;
  return lastDay - new Date(lastDay * DAY_MS).getUTCDay();
}

/** Noon in Copenhagen on the day (EU summer time: last Sunday of March to last Sunday of October), plus seconds to order a day's events. */
function noon(iso: string, seconds = 0): Date {
  const day = dayOf(iso);
  const year = Number(iso.slice(0, 4));
  const summer = day >= lastSunday(year, 2) && day < lastSunday(year, 9);
  return new Date(day * DAY_MS + (summer ? 10 : 11) * 3_600_000 + seconds * 1000);
}

// ---------------------------------------------------------------------------------------------------------------
// A small seeded PRNG (mulberry32), so the same `today` gives the same people and the same histories.

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`empty range ${min}..${max}`);
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return at(items, this.int(0, items.length - 1));
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [at(out, j), at(out, i)];
    }
    return out;
  }
}

function at<T>(items: readonly T[], i: number): T {
  const v = items[i];
  if (v === undefined) throw new RangeError(`index ${i} out of range`);
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Fixed lists: names, benefits per programme, exit outcomes, note texts.

const FIRST_NAMES = [
  'Anders', 'Anne', 'Bodil', 'Bjørn', 'Camilla', 'Christian', 'Dorthe', 'Emil', 'Emma', 'Frederik', 'Gitte', 'Hanne',
  'Helle', 'Jakob', 'Jens', 'Jonas', 'Jørgen', 'Jørn', 'Julie', 'Kasper', 'Kirsten', 'Kåre', 'Lars', 'Lene', 'Line',
  'Louise', 'Mads', 'Maja', 'Martin', 'Mette', 'Mikkel', 'Nanna', 'Nikolaj', 'Ole', 'Pernille', 'Rasmus', 'Sara',
  'Signe', 'Simon', 'Stine', 'Søren', 'Thea', 'Tobias', 'Torben', 'Ulla', 'Vibeke', 'Åse', 'Åge', 'Amina', 'Yusuf',
  'Fatima', 'Mehmet', 'Jonna', 'Bent', 'Sølvi', 'Asger', 'Freja', 'Villads', 'Ida-Marie', 'Mathias',
] as const;

const LAST_NAMES = [
  'Andersen', 'Bæk', 'Bøgh', 'Christensen', 'Dalgård', 'Damgaard', 'Frølund', 'Grønbæk', 'Hansen', 'Højgaard', 'Jensen',
  'Jørgensen', 'Kjær', 'Kjærgaard', 'Kristensen', 'Larsen', 'Lauridsen', 'Løkke', 'Madsen', 'Mortensen', 'Møller',
  'Nielsen', 'Nørgaard', 'Olsen', 'Pedersen', 'Poulsen', 'Rasmussen', 'Skovgård', 'Sørensen', 'Thomsen', 'Vestergaard',
  'Østergaard', 'Ågaard', 'Brændgaard', 'Bækgaard', 'Fæster', 'Sønderby', 'Lykke', 'Iversen', 'Enevoldsen',
  'Abildgaard', 'Yilmaz', 'Hussein', 'Friis', 'Krogh', 'Hald', 'Bisgaard', 'Ærenlund', 'Smed', 'Kromann',
] as const;

type Benefit = 'kontanthjaelp' | 'uddannelseshjaelp' | 'ressourceforloeb' | 'jobafklaringsforloeb' | 'ledighedsydelse' | 'sygedagpenge';
type Outcome =
  | 'ordinaert_job'
  | 'job_med_loentilskud'
  | 'fleksjob'
  | 'uddannelse'
  | 'praktik_fortsaetter'
  | 'anden_ydelse'
  | 'foertidspension'
  | 'fraflyttet'
  | 'frafald'
  | 'behandlingsbehov'
  | 'andet';
type Activity = 'ordinary_job' | 'wage_subsidy' | 'fleksjob' | 'internship' | 'education';
type ProgrammeKey = 'paaVej' | 'fremskudt';

interface ProgrammePlan {
  key: ProgrammeKey;
  programmeId: string;
  organisationId: string;
  firstNumber: number;
  benefits: Record<Benefit, number>;
  statuses: { active: number; paused: number; referred: number };
  /** Exit outcomes of the ended enrolments (their count is the number ended). */
  outcomes: Partial<Record<Outcome, number>>;
  /** How many get the caseworker / job consultant on the team (På vej: out of 100; Fremskudt: `nordfyn`). */
  caseworkers: number;
  jobConsultants: number;
  /** The programme's earlier participants: all ended inside the period, their starts ramping up over its first two years. */
  history?: boolean;
}

// "På vej til arbejde": 100 citizens; the ended ones mirror the mid-term figures roughly
// (4 of 25 in job = 16 %, 3 of 25 in education = 12 %), the rest the usual other ways out.
const PAA_VEJ: ProgrammePlan = {
  key: 'paaVej',
  programmeId: PROGRAMME.paaVej,
  organisationId: ORG.naestved,
  firstNumber: 1,
  benefits: { kontanthjaelp: 40, ressourceforloeb: 20, uddannelseshjaelp: 15, jobafklaringsforloeb: 10, sygedagpenge: 10, ledighedsydelse: 5 },
  statuses: { active: 60, paused: 10, referred: 5 },
  outcomes: {
    ordinaert_job: 2,
    job_med_loentilskud: 1,
    fleksjob: 1,
    uddannelse: 3,
    frafald: 5,
    anden_ydelse: 4,
    behandlingsbehov: 3,
    foertidspension: 2,
    fraflyttet: 2,
    praktik_fortsaetter: 1,
    andet: 1,
  },
  caseworkers: 50,
  jobConsultants: 33,
};

// "På vej til arbejde"'s earlier participants (docs/decisions/0042-demo-programme-history.md): 75 citizens enrolled
// in the programme's first two years, whose enrolments all ended inside the period. With the 25 ended above they are
// the programme's 100 participants: 19 in job (target 20 %), 14 in education (target 15 %) at the period's end.
const PAA_VEJ_HISTORY: ProgrammePlan = {
  key: 'paaVej',
  programmeId: PROGRAMME.paaVej,
  organisationId: ORG.naestved,
  firstNumber: 181,
  benefits: { kontanthjaelp: 30, ressourceforloeb: 15, uddannelseshjaelp: 15, jobafklaringsforloeb: 7, sygedagpenge: 5, ledighedsydelse: 3 },
  statuses: { active: 0, paused: 0, referred: 0 },
  outcomes: {
    ordinaert_job: 8,
    job_med_loentilskud: 4,
    fleksjob: 3,
    uddannelse: 11,
    praktik_fortsaetter: 3,
    frafald: 14,
    anden_ydelse: 12,
    behandlingsbehov: 9,
    foertidspension: 5,
    fraflyttet: 4,
    andet: 2,
  },
  caseworkers: 35,
  jobConsultants: 25,
  history: true,
};

// "Fremskudt psykiatrifagligt arbejde": 80 Nordfyn citizens, benefits at start exactly as the planned target groups.
const FREMSKUDT: ProgrammePlan = {
  key: 'fremskudt',
  programmeId: PROGRAMME.fremskudt,
  organisationId: ORG.nordfyn,
  firstNumber: 101,
  benefits: { ressourceforloeb: 10, kontanthjaelp: 10, uddannelseshjaelp: 30, jobafklaringsforloeb: 20, ledighedsydelse: 10, sygedagpenge: 0 },
  statuses: { active: 44, paused: 6, referred: 4 },
  outcomes: {
    ordinaert_job: 3,
    job_med_loentilskud: 2,
    fleksjob: 2,
    uddannelse: 4,
    anden_ydelse: 4,
    behandlingsbehov: 4,
    frafald: 4,
    foertidspension: 1,
    fraflyttet: 1,
    andet: 1,
  },
  caseworkers: 72,
  jobConsultants: 0,
};

// Outcomes that fit some benefits better: fleksjob after ledighedsydelse, education after uddannelseshjælp, ….
const OUTCOME_PREFERS: Partial<Record<Outcome, Benefit[]>> = {
  fleksjob: ['ledighedsydelse', 'ressourceforloeb'],
  uddannelse: ['uddannelseshjaelp'],
  foertidspension: ['ressourceforloeb', 'jobafklaringsforloeb'],
};

const NEXT_BENEFIT: Record<Benefit, string> = {
  kontanthjaelp: 'ressourceforloeb',
  uddannelseshjaelp: 'ressourceforloeb',
  sygedagpenge: 'jobafklaringsforloeb',
  jobafklaringsforloeb: 'ressourceforloeb',
  ressourceforloeb: 'ledighedsydelse',
  ledighedsydelse: 'sygedagpenge',
};

/** Ages at the enrolment's start: uddannelseshjælp is for people under 30, kontanthjælp (since 2014) from 30. */
const AGE_AT_START: Record<Benefit, [number, number]> = {
  uddannelseshjaelp: [18, 29],
  kontanthjaelp: [30, 60],
  ressourceforloeb: [25, 60],
  jobafklaringsforloeb: [25, 60],
  ledighedsydelse: [25, 60],
  sygedagpenge: [22, 60],
};

const USERS = {
  consultants: [userId(4), userId(5), userId(6), userId(7)],
  caseworker: userId(8),
  jobConsultant: userId(9),
  nordfyn: userId(15),
} as const;

const SOURCE = {
  paaVej: 'Region Sjælland, Psykiatrien – Integreret Psykiatri (netværksmøde)',
  fremskudt: 'Psykiatrisk Afdeling Odense (rådgivning på møde)',
} as const;

const REFERRAL_REASONS = [
  'Aktivitetsparat borger, der ønsker hjælp til at komme tættere på arbejdsmarkedet.',
  'Har været i behandling i psykiatrien og er klar til at arbejde med job eller uddannelse.',
  'Lang tid uden for arbejdsmarkedet; ønsker en fast kontaktperson og et roligt tempo.',
  'Afklaring af arbejdsevne og muligheder for praktik.',
  'Borgeren har selv spurgt efter et forløb med fokus på trivsel og arbejde.',
] as const;

type Text = (name: string) => string;

const FIRST_NOTE: Record<ProgrammeKey, Text[]> = {
  paaVej: [
    (n) => `Første samtale med ${n}. Vi talte om hverdagen, tidligere job og hvad ${n} gerne vil arbejde med. Aftalt at mødes hver anden uge, gerne som walk and talk.`,
    (n) => `Opstartssamtale i Psykiatriens Hus. ${n} fortalte om sine erfaringer fra lager og butik og ønsker at starte stille op. Næste møde om 14 dage.`,
    (n) => `Første møde med ${n} på biblioteket. Vi gennemgik forløbet: individuelle samtaler, gruppeforløb og på sigt praktik. ${n} vil gerne deltage i gruppeforløbet.`,
  ],
  fremskudt: [
    (n) => `Opstartsmøde med ${n}. Den fremskudte socialrådgiver fra psykiatrien deltog. Vi aftalte, hvordan overgangen fra behandling til jobcentret skal foregå, og hvem ${n} kan kontakte.`,
    (n) => `Første samtale med ${n} i jobcentret. Gennemgik forløbet og hvad der skal til for at komme videre mod uddannelse eller job. ${n} ønsker korte møder.`,
  ],
};

const REFERRED_NOTE: Text[] = [
  (n) => `${n} er henvist til forløbet. Brev med tid til første samtale er sendt; ${n} foretrækker at blive ringet op dagen før.`,
  (n) => `Henvisning modtaget. Har talt kort med ${n} i telefonen og aftalt en første samtale.`,
];

const JOURNAL_NOTES: Text[] = [
  (n) => `Netværksmøde med ${n}, sagsbehandler og ressourcekonsulent. Status: fremmødet er stabilt. Nye mål: afklare praktik inden for lager eller butik. Opgaverne blev fordelt.`,
  (n) => `${n} deltog i gruppeforløbet om fysisk og psykisk sundhed. God energi; fortalte om egne strategier, når der bliver travlt.`,
  (n) => `Telefonsamtale: ${n} meldte afbud til dagens møde. Ny tid aftalt i næste uge.`,
  (n) => `Drøftet opkvalificering: ${n} er interesseret i et AMU-kursus (truckcertifikat). Undersøger tilmelding.`,
  (n) => `Walk and talk i skoven. ${n} fortalte, at det hjælper at have en fast ugerytme. Vi talte om at afprøve to dage om ugen i praktik.`,
  (n) => `Møde på biblioteket. Vi gennemgik CV'et og skrev en kort ansøgning sammen. ${n} sender den selv.`,
  (n) => `Opfølgning: ${n} har holdt alle aftaler den seneste måned. Vi sætter et nyt mål om at undersøge to virksomheder.`,
];

const SENSITIVE_NOTES: Text[] = [
  (n) => `Samtale i samtalerummet. ${n} har haft en svær periode med dårlig søvn og uro, men har holdt fast i aftalerne. Vi justerer tempoet.`,
  (n) => `${n} fortæller om øget angst ved bustransport. Aftalt at tale med behandler om det, når ${n} har givet samtykke.`,
];

const INTERNSHIP_NOTE: Text[] = [
  (n) => `Opfølgning på praktikken. Virksomheden er tilfreds med fremmødet; ${n} vil gerne op på flere timer om ugen.`,
  (n) => `Praktikstart aftalt med virksomheden. ${n} starter med få timer om ugen og en fast kontaktperson på arbejdspladsen.`,
];

const EXTERNAL_NOTES: Record<ProgrammeKey, Text[]> = {
  paaVej: [
    (n) => `Behandleren oplyste på netværksmødet, at ${n} har gavn af faste aftaler og få skift. Intet i behandlingen taler imod praktik med få timer.`,
    (n) => `Psykiatrien vurderede på netværksmødet, at ${n} kan øge timetallet gradvist, når søvnen er stabil.`,
  ],
  fremskudt: [
    (n) => `Den fremskudte socialrådgiver rådgav på mødet: ${n} har gavn af korte, forudsigelige opgaver og én fast kontaktperson. Kravene bør øges gradvist; start med få timer.`,
    (n) => `Rådgivning fra psykiatrien på sagsmøde: virksomheden bør forberedes på, at ${n} kan have brug for pauser og tydelige instrukser. Intet i behandlingen taler imod praktik.`,
    (n) => `Den fremskudte socialrådgiver oplyste, hvad tilbuddet skal tage højde for: ${n} har svært ved store grupper. Et individuelt forløb anbefales frem for holdundervisning.`,
  ],
};

const PAUSE_NOTE: Text[] = [
  (n) => `Forløbet er sat på pause, da ${n} er indlagt. Genoptages efter udskrivelse efter aftale med ${n}.`,
  (n) => `Pause efter aftale med ${n}, som har brug for ro til behandlingen en periode. Vi holder kontakt pr. sms hver anden uge.`,
];

const EXIT_NOTE: Record<Outcome, Text> = {
  ordinaert_job: (n) => `Forløbet afsluttes: ${n} er ansat i ordinært job. Aftalt en opfølgende samtale efter en måned.`,
  job_med_loentilskud: (n) => `Forløbet afsluttes: ${n} starter i job med løntilskud hos praktikvirksomheden.`,
  fleksjob: (n) => `Forløbet afsluttes: ${n} er ansat i fleksjob med få timer om ugen.`,
  uddannelse: (n) => `Forløbet afsluttes: ${n} er optaget på uddannelse og starter efter ferien.`,
  praktik_fortsaetter: (n) => `Forløbet afsluttes; ${n}s praktik fortsætter med opfølgning fra jobcentret.`,
  anden_ydelse: (n) => `Forløbet afsluttes, da ${n} overgår til en anden ydelse med et andet forløb i jobcentret.`,
  foertidspension: (n) => `Forløbet afsluttes: ${n} har fået tilkendt førtidspension.`,
  fraflyttet: (n) => `${n} er flyttet fra kommunen. Forløbet afsluttes; sagen er overdraget til den nye kommune.`,
  frafald: (n) => `${n} er ikke mødt op til de seneste aftaler og har ikke svaret på breve og sms. Forløbet afsluttes efter aftale med sagsbehandler.`,
  behandlingsbehov: (n) => `Forløbet afsluttes, da ${n} har brug for at fokusere på behandlingen. Kan henvises igen senere.`,
  andet: (n) => `Forløbet afsluttes efter aftale med ${n}.`,
};

// ---------------------------------------------------------------------------------------------------------------
// Building the rows.

type Row<T extends keyof Database> = Insertable<Database[T]>;

interface Rows {
  citizens: Row<'citizens'>[];
  enrolments: Row<'enrolments'>[];
  team_members: Row<'team_members'>[];
  status_periods: Row<'status_periods'>[];
  notes: Row<'notes'>[];
  note_revisions: Row<'note_revisions'>[];
  citizen_events: (Omit<Row<'citizen_events'>, 'data'> & { data: Record<string, unknown> })[];
}

interface Segment {
  benefit: string;
  activity: Activity | null;
  hours: number | null;
  from: string;
  to: string | null;
  /** True when the period was entered with its end date (an internship with a planned end). */
  plannedEnd: boolean;
}

interface PlannedNote {
  date: string;
  kind: 'journal' | 'external_assessment';
  sensitivity: 'normal' | 'sensitive';
  source: string | null;
  body: string;
  author: string;
}

interface Counters {
  teamMember: number;
  statusPeriod: number;
  note: number;
  event: number;
}

class Builder {
  readonly rows: Rows = { citizens: [], enrolments: [], team_members: [], status_periods: [], notes: [], note_revisions: [], citizen_events: [] };
  private counters: Counters = { teamMember: 0, statusPeriod: 0, note: 0, event: 0 };
  private readonly usedCpr = new Set<string>();
  private readonly usedCprHashes = new Set<string>();
  private readonly usedNames = new Set<string>();

  constructor(
    private readonly rng: Rng,
    private readonly vault: CprVault,
    private readonly today: string,
    private readonly periods: Map<string, { starts_on: string; ends_on: string }>,
    counters?: Counters,
  ) {
    if (counters) this.counters = { ...counters };
  }

  /** Names and CPR numbers already given (by an earlier load), so a later cohort repeats none of them. */
  reserve(names: Iterable<string>, cprHashes: Iterable<string>): void {
    for (const n of names) this.usedNames.add(n);
    for (const h of cprHashes) this.usedCprHashes.add(h);
  }

  private nextId(kind: keyof Counters): string {
    this.counters[kind] += 1;
    return blockId(ID_BLOCK[kind], this.counters[kind]);
  }

  private event(org: string, citizen: string, at: Date, kind: string, refId: string | null, actor: string, data: Record<string, unknown>) {
    this.rows.citizen_events.push({ id: this.nextId('event'), organisation_id: org, citizen_id: citizen, occurred_at: at, kind, ref_id: refId, actor_id: actor, data });
  }

  private name(): { first: string; last: string } {
    for (let attempt = 0; attempt < 100; attempt++) {
      const first = this.rng.pick(FIRST_NAMES);
      const last = this.rng.pick(LAST_NAMES);
      if (!this.usedNames.has(`${first} ${last}`)) {
        this.usedNames.add(`${first} ${last}`);
        return { first, last };
      }
    }
    throw new Error('could not find an unused demo name');
  }

  /** A birth date with the age at `start` inside the range, and (where possible) no older than 60 today. */
  private birthDate(start: string, [minAge, maxAge]: [number, number]): string {
    const latest = dayOf(plusYears(start, -minAge));
    const earliestByStart = dayOf(plusYears(start, -(maxAge + 1))) + 1;
    const earliestByToday = dayOf(plusYears(this.today, -61)) + 1;
    const earliest = Math.max(earliestByStart, earliestByToday) <= latest ? Math.max(earliestByStart, earliestByToday) : earliestByStart;
    for (let attempt = 0; attempt < 20; attempt++) {
      const birth = isoOf(this.rng.int(earliest, latest));
      const age = ageOn(birth, start);
      if (age >= minAge && age <= maxAge) return birth;
    }
    throw new Error(`no birth date for ages ${minAge}–${maxAge} at ${start}`);
  }

  /** A replacement number (day + 60) for the birth date, with a 7th digit that gives the right century. */
  private cpr(birth: string): string {
    const year = Number(birth.slice(0, 4));
    const head = `${String(Number(birth.slice(8, 10)) + 60)}${birth.slice(5, 7)}${birth.slice(2, 4)}`;
    const centuryDigits = year < 2000 ? [0, 1, 2, 3] : year <= 2036 ? [4, 9] : [5, 6, 7, 8];
    for (let attempt = 0; attempt < 100; attempt++) {
      const digits = `${head}${this.rng.pick(centuryDigits)}${String(this.rng.int(0, 999)).padStart(3, '0')}`;
      if (this.usedCpr.has(digits) || (this.usedCprHashes.size > 0 && this.usedCprHashes.has(this.vault.lookupHash(digits)))) continue;
      const parsed = parseCpr(digits);
      if (!parsed.ok || !parsed.value.isReplacement || parsed.value.birthDate !== birth) {
        throw new Error(`generated demo CPR is not a valid replacement number for ${birth}`);
      }
      this.usedCpr.add(digits);
      return digits;
    }
    throw new Error('could not find an unused demo CPR number');
  }

  private visitation(benefit: Benefit): string | null {
    switch (benefit) {
      case 'kontanthjaelp':
        return this.rng.chance(0.9) ? 'aktivitetsparat' : 'jobparat';
      case 'uddannelseshjaelp':
        return this.rng.chance(0.75) ? 'aktivitetsparat' : 'uddannelsesparat';
      case 'sygedagpenge':
        return this.rng.chance(0.5) ? 'sygedagpenge_kategori_2' : 'sygedagpenge_kategori_3';
      case 'ledighedsydelse':
        return null;
      default:
        return 'aktivitetsparat';
    }
  }

  /** Status history of an ended enrolment: the benefit, perhaps an internship, and what followed the exit. */
  private endedSegments(start: string, end: string, benefit: Benefit, outcome: Outcome): Segment[] {
    const segs: Segment[] = [];
    const isJob = outcome === 'ordinaert_job' || outcome === 'job_med_loentilskud' || outcome === 'fleksjob';
    const duration = daysBetween(start, end);
    const internship = outcome === 'praktik_fortsaetter' || (isJob && this.rng.chance(0.6)) || this.rng.chance(0.2);
    let cursor = start;
    if (internship && duration >= 100) {
      const from = plusDays(start, this.rng.int(30, Math.min(150, duration - 60)));
      segs.push({ benefit, activity: null, hours: null, from: start, to: plusDays(from, -1), plannedEnd: false });
      const hours = this.rng.int(5, 20);
      if (outcome === 'praktik_fortsaetter') {
        segs.push({ benefit, activity: 'internship', hours, from, to: null, plannedEnd: false });
        return segs;
      }
      let to = plusDays(from, this.rng.int(56, 112) - 1);
      if (isJob && this.rng.chance(0.5)) to = plusDays(end, -1); // hired straight from the internship
      to = minIso(to, plusDays(end, -1));
      segs.push({ benefit, activity: 'internship', hours, from, to, plannedEnd: true });
      cursor = plusDays(to, 1);
    }
    const benefitUntil = (to: string | null) => {
      if (to === null || cursor <= to) segs.push({ benefit, activity: null, hours: null, from: cursor, to, plannedEnd: false });
    };
    switch (outcome) {
      case 'ordinaert_job':
      case 'job_med_loentilskud':
      case 'fleksjob':
      case 'uddannelse': {
        benefitUntil(plusDays(end, -1));
        const final: Record<typeof outcome, [string, Activity, number]> = {
          ordinaert_job: ['selvforsoergende', 'ordinary_job', this.rng.int(15, 37)],
          job_med_loentilskud: ['selvforsoergende', 'wage_subsidy', this.rng.int(20, 30)],
          fleksjob: ['fleksjob', 'fleksjob', this.rng.int(8, 20)],
          uddannelse: ['selvforsoergende', 'education', this.rng.int(20, 30)],
        };
        const [b, activity, hours] = final[outcome];
        segs.push({ benefit: b, activity, hours, from: end, to: null, plannedEnd: false });
        break;
      }
      case 'anden_ydelse':
      case 'foertidspension':
        benefitUntil(end);
        segs.push({ benefit: outcome === 'foertidspension' ? 'foertidspension' : NEXT_BENEFIT[benefit], activity: null, hours: null, from: plusDays(end, 1), to: null, plannedEnd: false });
        break;
      case 'fraflyttet':
        benefitUntil(end); // the municipality no longer follows the citizen
        break;
      default:
        benefitUntil(null);
    }
    return segs;
  }

  /** Status history of an open enrolment up to today; an internship may still be running. */
  private openSegments(start: string, benefit: Benefit, status: EnrolmentStatus, pausedOn: string | null): Segment[] {
    const horizon = pausedOn ?? this.today;
    const span = daysBetween(start, horizon);
    const segs: Segment[] = [];
    let cursor = start;
    if (status !== 'referred' && span >= 75 && this.rng.chance(status === 'active' ? 0.35 : 0.25)) {
      const from = plusDays(start, this.rng.int(30, Math.min(150, span - 30)));
      segs.push({ benefit, activity: null, hours: null, from: start, to: plusDays(from, -1), plannedEnd: false });
      const hours = this.rng.int(5, 20);
      const to = plusDays(from, this.rng.int(56, 140) - 1);
      if (status === 'active' && to >= plusDays(this.today, -1)) {
        segs.push({ benefit, activity: 'internship', hours, from, to: null, plannedEnd: false });
        return segs;
      }
      const ended = minIso(to, plusDays(horizon, -1));
      segs.push({ benefit, activity: 'internship', hours, from, to: ended, plannedEnd: true });
      cursor = plusDays(ended, 1);
    }
    segs.push({ benefit, activity: null, hours: null, from: cursor, to: null, plannedEnd: false });
    return segs;
  }

  private randomDay(from: string, to: string): string {
    return plusDays(from, this.rng.int(0, Math.max(0, daysBetween(from, to))));
  }

  programme(plan: ProgrammePlan): void {
    const rng = this.rng;
    const period = this.periods.get(plan.programmeId);
    if (!period) throw new Error(`demo programme ${plan.programmeId} is missing`);

    // Who gets which benefit, which status and which exit outcome.
    const benefits = rng.shuffle(Object.entries(plan.benefits).flatMap(([b, count]) => Array.from({ length: count }, () => b as Benefit)));
    const total = benefits.length;
    const outcome: (Outcome | null)[] = Array.from({ length: total }, () => null);
    const outcomeList = Object.entries(plan.outcomes).flatMap(([o, count]) => Array.from({ length: count }, () => o as Outcome));
    outcomeList.sort((a, b) => Number(!!OUTCOME_PREFERS[b]) - Number(!!OUTCOME_PREFERS[a]));
    for (const o of outcomeList) {
      const free = benefits.map((b, i) => ({ b, i })).filter((x) => outcome[x.i] === null);
      const preferred = free.filter((x) => OUTCOME_PREFERS[o]?.includes(x.b));
      outcome[rng.pick(preferred.length > 0 ? preferred : free).i] = o;
    }
    const openIndexes = rng.shuffle(benefits.map((_, i) => i).filter((i) => outcome[i] === null));
    const { active, paused, referred } = plan.statuses;
    if (openIndexes.length !== active + paused + referred) throw new Error(`demo plan for ${plan.key} does not add up`);
    const status: EnrolmentStatus[] = benefits.map((_, i) => (outcome[i] ? 'ended' : 'active'));
    openIndexes.slice(active, active + paused).forEach((i) => (status[i] = 'paused'));
    openIndexes.slice(active + paused).forEach((i) => (status[i] = 'referred'));

    // Dates and status histories.
    const programmeDays = daysBetween(period.starts_on, period.ends_on);
    const firstStart = plusDays(period.starts_on, Math.min(30, Math.floor(programmeDays / 10)));
    const lastStart = plusDays(period.ends_on, -120);
    const planned = benefits.map((benefit, i) => {
      const st = at(status, i);
      const out = outcome[i] ?? null;
      let start: string;
      let end: string | null = null;
      let pausedOn: string | null = null;
      let segs: Segment[];
      if (out && plan.history) {
        // Starts ramp up over the first two years (few at first, more each month); most stay 1½–3 years and
        // leave in the period's second half, the drop-outs earlier.
        const rampDays = Math.min(640, daysBetween(firstStart, lastStart));
        start = plusDays(firstStart, Math.floor(rampDays * Math.sqrt(rng.next())));
        const longest = daysBetween(start, plusDays(period.ends_on, -14));
        const shortest = out === 'frafald' || out === 'fraflyttet' ? 150 : 560;
        end = plusDays(start, rng.int(Math.min(shortest, longest), Math.min(out === 'frafald' ? 400 : 1150, longest)));
        segs = this.endedSegments(start, end, benefit, out);
      } else if (out) {
        start = plusDays(firstStart, rng.int(0, daysBetween(firstStart, lastStart)));
        end = plusDays(start, rng.int(100, Math.min(540, daysBetween(start, period.ends_on))));
        segs = this.endedSegments(start, end, benefit, out);
      } else {
        // Open enrolments are anchored to the load day: 3–14 months ago, referrals 2–10 weeks ago.
        start = st === 'referred' ? plusDays(this.today, -rng.int(14, 70)) : plusDays(this.today, -rng.int(90, 425));
        if (st === 'paused') pausedOn = plusDays(start, rng.int(45, daysBetween(start, this.today) - 10));
        segs = this.openSegments(start, benefit, st, pausedOn);
      }
      return { benefit, status: st, outcome: out, start, end, pausedOn, segs };
    });

    // Teams. On "På vej" each consultant gets every fourth citizen; the job consultant goes first to the
    // citizens with an internship or a job. On Fremskudt `nordfyn` is on all but a few (new referrals first).
    const hasWork = (i: number) => at(planned, i).segs.some((s) => s.activity !== null);
    const byWorkFirst = [...rng.shuffle(planned.map((_, i) => i).filter(hasWork)), ...rng.shuffle(planned.map((_, i) => i).filter((i) => !hasWork(i)))];
    const jobConsultant = new Set(byWorkFirst.slice(0, plan.jobConsultants));
    const caseworker =
      plan.key === 'paaVej'
        ? new Set(rng.shuffle(planned.map((_, i) => i)).slice(0, plan.caseworkers))
        : new Set([...rng.shuffle(planned.map((_, i) => i).filter((i) => at(planned, i).status !== 'referred')), ...planned.map((_, i) => i).filter((i) => at(planned, i).status === 'referred')].slice(0, plan.caseworkers));

    planned.forEach((p, i) => {
      const n = plan.firstNumber + i;
      const id = citizenId(n);
      const enrolmentId = blockId(ID_BLOCK.enrolment, n);
      const org = plan.organisationId;
      const owner = plan.key === 'paaVej' ? at(USERS.consultants, i % 4) : USERS.nordfyn;
      const { first, last } = this.name();
      const drawn = this.birthDate(p.start, AGE_AT_START[p.benefit]);
      const birth = FIXED_DEMO_BIRTH_DATES[n] ?? drawn;
      const [minAge, maxAge] = AGE_AT_START[p.benefit];
      if (ageOn(birth, p.start) < minAge || ageOn(birth, p.start) > maxAge) throw new Error(`demo citizen ${n}: the fixed birth date ${birth} does not fit ages ${minAge}–${maxAge} at ${p.start}`);
      const digits = this.cpr(birth);
      const created = noon(p.start, 0);
      const ascii = (s: string) => s.toLocaleLowerCase('da').replace(/æ/g, 'ae').replace(/ø/g, 'oe').replace(/å/g, 'aa').normalize('NFD').replace(/[^a-z-]/g, '');

      this.rows.citizens.push({
        id,
        organisation_id: org,
        cpr_encrypted: this.vault.encrypt(digits),
        cpr_hash: this.vault.lookupHash(digits),
        birth_date: birth,
        cpr_is_replacement: true,
        first_name: first,
        last_name: last,
        search_name: `${first} ${last}`.toLocaleLowerCase('da'),
        phone: `+45 20 00 ${String(Math.floor(n / 100)).padStart(2, '0')} ${String(n % 100).padStart(2, '0')}`,
        email: `${ascii(first)}.${ascii(last)}.${n}@example.invalid`,
        address: null,
        preferred_contact: rng.pick(['sms', 'sms', 'sms', 'phone', 'phone', 'digital_post', 'digital_post', 'email', 'letter'] as const),
        note: null,
        is_demo: true,
        created_by: owner,
        created_at: created,
        updated_at: created,
      });
      this.event(org, id, created, 'citizen.created', id, owner, {});

      const lastChange = p.end ?? p.pausedOn;
      this.rows.enrolments.push({
        id: enrolmentId,
        organisation_id: org,
        citizen_id: id,
        programme_id: plan.programmeId,
        referral_source:
          plan.key === 'paaVej'
            ? rng.pick(['jobcenter', 'jobcenter', 'jobcenter', 'jobcenter', 'jobcenter', 'jobcenter', 'jobcenter', 'psykiatrien', 'psykiatrien', 'egen_laege'])
            : rng.pick(['psykiatrien', 'psykiatrien', 'psykiatrien', 'psykiatrien', 'psykiatrien', 'jobcenter']),
        referral_date: plusDays(p.start, -rng.int(3, 21)),
        referral_reason: rng.pick(REFERRAL_REASONS),
        visitation_code: this.visitation(p.benefit),
        benefit_code: p.benefit,
        start_date: p.start,
        status: p.status,
        end_date: p.end,
        exit_outcome: p.outcome,
        created_by: owner,
        created_at: created,
        updated_at: lastChange ? noon(lastChange, 30) : created,
        version: lastChange ? 2 : 1,
      });
      const warnings = p.start < period.starts_on || p.start > period.ends_on ? ['outside_period'] : [];
      this.event(org, id, noon(p.start, 1), 'enrolment.created', enrolmentId, owner, {
        programmeId: plan.programmeId,
        status: p.status === 'referred' ? 'referred' : 'active',
        startDate: p.start,
        benefitCode: p.benefit,
        acknowledgedWarnings: warnings,
      });

      const team: { userId: string; role: TeamRole }[] = [];
      if (plan.key === 'paaVej') team.push({ userId: owner, role: 'resource_consultant' });
      if (caseworker.has(i)) team.push({ userId: plan.key === 'paaVej' ? USERS.caseworker : USERS.nordfyn, role: 'caseworker' });
      if (jobConsultant.has(i)) team.push({ userId: USERS.jobConsultant, role: 'job_consultant' });
      for (const m of team) {
        this.rows.team_members.push({
          id: this.nextId('teamMember'),
          organisation_id: org,
          enrolment_id: enrolmentId,
          user_id: m.userId,
          role: m.role,
          kind: 'permanent',
          substitute_for: null,
          valid_from: p.start,
          valid_to: null,
          created_by: owner,
          created_at: noon(p.start, 2),
        });
      }
      if (team.length > 0) this.event(org, id, noon(p.start, 2), 'team.changed', enrolmentId, owner, { added: team });

      for (const s of p.segs) {
        const periodId = this.nextId('statusPeriod');
        this.rows.status_periods.push({
          id: periodId,
          organisation_id: org,
          citizen_id: id,
          benefit_code: s.benefit,
          activity: s.activity,
          weekly_hours: s.hours,
          from_date: s.from,
          to_date: s.to,
          note: null,
          created_by: owner,
          created_at: noon(s.from, 3),
        });
        this.event(org, id, noon(s.from, 3), 'status.added', periodId, owner, {
          benefitCode: s.benefit,
          activity: s.activity,
          weeklyHours: s.hours,
          fromDate: s.from,
          toDate: s.plannedEnd ? s.to : null,
        });
      }

      // Notes: a first note, the pause or exit note where there is one, and up to one or two more.
      const until = p.end ?? this.today;
      const authorFor = (internship = false) => {
        if (plan.key === 'fremskudt') return USERS.nordfyn;
        if (internship && jobConsultant.has(i)) return USERS.jobConsultant;
        return caseworker.has(i) && rng.chance(0.25) ? USERS.caseworker : owner;
      };
      const journal = (date: string, body: string, sensitivity: 'normal' | 'sensitive' = 'normal', author = authorFor()): PlannedNote => ({ date, kind: 'journal', sensitivity, source: null, body, author });
      const must: PlannedNote[] = [];
      const may: PlannedNote[] = [];
      if (p.status === 'referred') must.push(journal(this.randomDay(p.start, minIso(plusDays(p.start, 7), this.today)), rng.pick(REFERRED_NOTE)(first)));
      else must.push(journal(this.randomDay(p.start, minIso(plusDays(p.start, 14), until)), rng.pick(FIRST_NOTE[plan.key])(first)));
      if (p.pausedOn) must.push(journal(p.pausedOn, rng.pick(PAUSE_NOTE)(first), 'sensitive'));
      if (p.end && p.outcome) must.push(journal(p.end, EXIT_NOTE[p.outcome](first)));
      const internship = p.segs.find((s) => s.activity === 'internship');
      if (internship && rng.chance(0.7)) {
        const date = plusDays(internship.from, rng.int(7, 21));
        if (date < until) may.push(journal(date, rng.pick(INTERNSHIP_NOTE)(first), 'normal', authorFor(true)));
      }
      if (p.status !== 'referred' && rng.chance(plan.key === 'fremskudt' ? 0.45 : 0.12)) {
        may.push({
          date: this.randomDay(plusDays(p.start, 14) < until ? plusDays(p.start, 14) : p.start, until),
          kind: 'external_assessment',
          sensitivity: rng.chance(0.5) ? 'sensitive' : 'normal',
          source: SOURCE[plan.key],
          body: rng.pick(EXTERNAL_NOTES[plan.key])(first),
          author: authorFor(),
        });
      }
      if (p.status !== 'referred' && rng.chance(0.6)) {
        const sensitive = rng.chance(0.15);
        may.push(journal(this.randomDay(p.start, until), rng.pick(sensitive ? SENSITIVE_NOTES : JOURNAL_NOTES)(first), sensitive ? 'sensitive' : 'normal'));
      }
      const notes = [...must, ...may.slice(0, Math.max(0, 3 - must.length))].sort((a, b) => a.date.localeCompare(b.date));
      notes.forEach((note, k) => {
        const noteId = this.nextId('note');
        const writtenAt = noon(note.date, 10 + k);
        this.rows.notes.push({
          id: noteId,
          organisation_id: org,
          citizen_id: id,
          kind: note.kind,
          remark_on: null,
          sensitivity: note.sensitivity,
          source: note.source,
          author_id: note.author,
          created_at: writtenAt,
          revision: 1,
          version: 1,
        });
        this.rows.note_revisions.push({ note_id: noteId, revision: 1, body: note.body, reason: null, written_by: note.author, written_at: writtenAt });
        this.event(org, id, writtenAt, 'note.created', noteId, note.author, { noteKind: note.kind, sensitivity: note.sensitivity });
      });

      if (p.pausedOn) {
        this.event(org, id, noon(p.pausedOn, 30), 'enrolment.status_changed', enrolmentId, owner, { from: 'active', to: 'paused', endDate: null, exitOutcome: null });
      }
      if (p.end) {
        this.event(org, id, noon(p.end, 30), 'enrolment.status_changed', enrolmentId, owner, { from: 'active', to: 'ended', endDate: p.end, exitOutcome: p.outcome });
      }
    });
  }
}

const CHUNK = 500;

// One JSON parameter per statement, expanded by the database: far cheaper than thousands of bind parameters,
// on PGlite above all. Only the columns the rows carry are inserted, so the others keep their defaults.
export async function insertChunked(db: Kysely<Database>, table: keyof Database & string, rows: readonly object[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = sql.join(Object.keys(first).map((c) => sql.ref(c)));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const json = JSON.stringify(rows.slice(i, i + CHUNK));
    await sql`insert into ${sql.table(table)} (${columns}) select ${columns} from jsonb_populate_recordset(null::${sql.table(table)}, ${json}::jsonb)`.execute(db);
  }
}

/** A builder's rows, parents before children. */
async function insertRows(db: Kysely<Database>, rows: Rows): Promise<{ citizens: number }> {
  await insertChunked(db, 'citizens', rows.citizens);
  await insertChunked(db, 'enrolments', rows.enrolments);
  await insertChunked(db, 'team_members', rows.team_members);
  await insertChunked(db, 'status_periods', rows.status_periods);
  await insertChunked(db, 'notes', rows.notes);
  await insertChunked(db, 'note_revisions', rows.note_revisions);
  await insertChunked(db, 'citizen_events', rows.citizen_events);
  return { citizens: rows.citizens.length };
}

/**
 * Loads the demo citizens of both seed programmes (about 100 + 80) with their case data, in bulk.
 * Needs the demo organisations, programmes and users (loadDemoData) and an empty citizens table.
 * Runs in the caller's transaction when given one, otherwise in its own.
 */
export async function loadDemoCitizens(db: Kysely<Database>, opts: { cprKey: string; today: string }): Promise<{ citizens: number }> {
  if (!ISO_DATE.test(opts.today) || isoOf(dayOf(opts.today)) !== opts.today) throw new RangeError('today must be an existing date as YYYY-MM-DD');

  const run = async (tx: Kysely<Database>) => {
    const programmes = await tx.selectFrom('programmes').select(['id', 'starts_on', 'ends_on']).where('id', 'in', [PROGRAMME.paaVej, PROGRAMME.fremskudt]).execute();
    const builder = new Builder(new Rng(0x0b1d_e1ed), cprVault(opts.cprKey), opts.today, new Map(programmes.map((p) => [p.id, p])));
    builder.programme(PAA_VEJ);
    builder.programme(FREMSKUDT);
    return insertRows(tx, builder.rows);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Where the earlier participants' rows start numbering, well above what the first load uses. */
const HISTORY_COUNTERS: Counters = { teamMember: 4_000, statusPeriod: 4_000, note: 4_000, event: 6_000 };

/**
 * Loads "På vej til arbejde"'s earlier participants (citizens 181–255): enrolled in the programme's first two years,
 * all ended inside its period, so the steering dashboard of the period shows enrolment ramping up towards capacity
 * and exits approaching the targets. Loaded after every other demo module, so nothing else changes: other demo
 * data picks its citizens from the first load's. Names and CPR numbers repeat none of the first load's.
 */
export async function loadDemoHistory(db: Kysely<Database>, opts: { cprKey: string; today: string }): Promise<{ citizens: number }> {
  const programmes = await db.selectFrom('programmes').select(['id', 'starts_on', 'ends_on']).where('id', '=', PROGRAMME.paaVej).execute();
  const existing = await db.selectFrom('citizens').select(['first_name', 'last_name', 'cpr_hash']).where('is_demo', '=', true).execute();
  const top = await sql<{ team: number; status: number; note: number; event: number }>`
    select (select count(*) from team_members)::int as team, (select count(*) from status_periods)::int as status,
           (select count(*) from notes)::int as note, (select count(*) from citizen_events)::int as event`.execute(db);
  const used = top.rows[0]!;
  if (used.team >= HISTORY_COUNTERS.teamMember || used.status >= HISTORY_COUNTERS.statusPeriod || used.note >= HISTORY_COUNTERS.note || used.event >= HISTORY_COUNTERS.event) {
    throw new Error('the demo has outgrown the id range reserved for its earlier participants');
  }
  const builder = new Builder(new Rng(0x2017_0801), cprVault(opts.cprKey), opts.today, new Map(programmes.map((p) => [p.id, p])), HISTORY_COUNTERS);
  builder.reserve(
    existing.map((c) => `${c.first_name} ${c.last_name}`),
    existing.map((c) => c.cpr_hash),
  );
  builder.programme(PAA_VEJ_HISTORY);
  return insertRows(db, builder.rows);
}
