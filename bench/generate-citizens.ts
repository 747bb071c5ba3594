// Benchmark data: bulk-inserts citizens, each with one enrolment in a programme and one resource consultant
// on its team, a status history, journal notes and the timeline events, from a fixed seed so every run
// builds the same data. The rows are the ones the app writes (createCitizen with an enrolment, addStatusPeriod,
// createNote, updateEnrolment): CPR numbers encrypted with the vault and looked up by its keyed hash. It can
// also create the resource consultants themselves (about 30 citizens each, as real caseloads are), sharing
// one password hash. Rows are built in JavaScript and sent CHUNK citizens at a time, one JSON parameter per
// table and chunk (expanded by jsonb_populate_recordset); ANALYZE runs at the end so the planner sees the real sizes.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, EnrolmentStatus } from '../src/server/db/schema.ts';
import { parseCpr } from '../src/server/modules/citizens/cpr.ts';
import type { CprVault } from '../src/server/modules/citizens/cpr-vault.ts';
import { dateInCopenhagen } from '../src/server/platform/dates.ts';

export interface GenerateOptions {
  count: number;
  programmeId: string;
  organisationId: string;
  /**
   * Who is the resource consultant on each enrolment: existing users (`ids`, picked at random), or new
   * resource consultants in the programme, one per `citizensEach` citizens, all with the one `passwordHash`.
   */
  consultants: { ids: string[] } | { citizensEach: number; passwordHash: string };
  /** Encrypts the CPR numbers and makes their lookup hash, as the app does (the server's CPR_KEY). */
  vault: CprVault;
  seed: number;
  /** The day the histories lead up to; today in Copenhagen by default. */
  today?: string;
  /** Called with the number of citizens inserted so far, after each chunk. */
  onProgress?: (inserted: number) => void;
}

const CHUNK = 2_000;

// Weighted roughly like Danmarks Statistik's name counts: a few very common surnames, a longer tail.
const FIRST_NAMES: [string, number][] = [
  ['Jens', 5], ['Peter', 5], ['Michael', 4], ['Lars', 4], ['Henrik', 4], ['Thomas', 4], ['Søren', 3], ['Jan', 3],
  ['Niels', 3], ['Anders', 3], ['Mads', 2], ['Mikkel', 2], ['Rasmus', 2], ['Christian', 3], ['Martin', 3], ['Ole', 2],
  ['Anne', 5], ['Kirsten', 4], ['Mette', 4], ['Hanne', 4], ['Anna', 3], ['Helle', 3], ['Susanne', 3], ['Lene', 3],
  ['Maria', 3], ['Marianne', 3], ['Lone', 2], ['Camilla', 2], ['Louise', 2], ['Ida', 2], ['Freja', 1], ['Emma', 2],
  ['Sofie', 2], ['Julie', 2], ['Jonas', 2], ['Ali', 1], ['Fatima', 1], ['Mohammed', 1], ['Aya', 1], ['Ahmad', 1],
];
const LAST_NAMES: [string, number][] = [
  ['Nielsen', 46], ['Jensen', 45], ['Hansen', 37], ['Pedersen', 30], ['Andersen', 28], ['Christensen', 20], ['Larsen', 20],
  ['Sørensen', 19], ['Rasmussen', 16], ['Jørgensen', 15], ['Petersen', 14], ['Madsen', 11], ['Kristensen', 11],
  ['Olsen', 10], ['Thomsen', 8], ['Christiansen', 8], ['Poulsen', 7], ['Johansen', 7], ['Møller', 7], ['Mortensen', 7],
  ['Knudsen', 5], ['Jakobsen', 5], ['Mikkelsen', 5], ['Olesen', 5], ['Frederiksen', 5], ['Laursen', 4], ['Henriksen', 4],
  ['Lund', 4], ['Schmidt', 4], ['Eriksen', 4], ['Holm', 3], ['Kristiansen', 3], ['Clausen', 3], ['Simonsen', 3],
  ['Svendsen', 3], ['Andreasen', 3], ['Iversen', 2], ['Østergaard', 2], ['Jeppesen', 2], ['Vestergaard', 2],
  ['Nissen', 2], ['Lauridsen', 2], ['Kjær', 2], ['Jepsen', 2], ['Mogensen', 2], ['Dam', 2], ['Bach', 2], ['Winther', 1],
  ['Hassan', 1], ['Yilmaz', 1], ['Ahmed', 1], ['Nguyen', 1], ['Kowalski', 1], ['Öztürk', 1],
];
const BENEFITS: [string, number][] = [
  ['kontanthjaelp', 40], ['ressourceforloeb', 25], ['jobafklaringsforloeb', 15], ['uddannelseshjaelp', 10], ['sygedagpenge', 10],
];
const STATUSES: [EnrolmentStatus, number][] = [['active', 55], ['ended', 35], ['paused', 5], ['referred', 5]];
const EXITS: [string, number][] = [['ordinaert_job', 25], ['uddannelse', 15], ['fleksjob', 10], ['anden_ydelse', 25], ['frafald', 15], ['fraflyttet', 10]];

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(items: [T, number][]): (r: number) => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const [, w] of items) cumulative.push((acc += w) / total);
  return (r) => {
    const i = cumulative.findIndex((c) => r < c);
    return items[i === -1 ? items.length - 1 : i]![0];
  };
}

function uuidFrom(rand: () => number): string {
  const word = () => Math.floor(rand() * 4294967296).toString(16).padStart(8, '0');
  const h = `${word()}${word()}${word()}${word()}`;
  const variant = '89ab'[parseInt(h[16]!, 16) & 3]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const plusDays = (iso: string, n: number) => isoDay(dayMs(iso) + n * DAY);
/** A moment on the day (late morning UTC), plus seconds to order one day's events. */
const at = (iso: string, seconds = 0) => new Date(dayMs(iso) + 10 * 3_600_000 + seconds * 1000);

// What follows an ended enrolment in the status history, as the app's users record it.
const AFTER_EXIT: Record<string, { benefit: string; activity: 'ordinary_job' | 'fleksjob' | 'education' } | undefined> = {
  ordinaert_job: { benefit: 'selvforsoergende', activity: 'ordinary_job' },
  fleksjob: { benefit: 'fleksjob', activity: 'fleksjob' },
  uddannelse: { benefit: 'selvforsoergende', activity: 'education' },
};

const NOTE_TEXTS = [
  (n: string) => `Første samtale med ${n}. Vi talte om hverdagen, tidligere job og hvad ${n} gerne vil arbejde med. Aftalt at mødes hver anden uge.`,
  (n: string) => `Netværksmøde med ${n}, sagsbehandler og ressourcekonsulent. Fremmødet er stabilt; nyt mål: afklare praktik inden for lager eller butik.`,
  (n: string) => `Telefonsamtale: ${n} meldte afbud til dagens møde. Ny tid aftalt i næste uge.`,
  (n: string) => `Walk and talk. ${n} fortalte, at det hjælper at have en fast ugerytme. Vi talte om at afprøve to dage om ugen i praktik.`,
  (n: string) => `Møde på biblioteket. Vi gennemgik CV'et og skrev en kort ansøgning sammen. ${n} sender den selv.`,
  (n: string) => `Opfølgning: ${n} har holdt alle aftaler den seneste måned. Vi sætter et nyt mål om at undersøge to virksomheder.`,
];
const CONTACT = ['sms', 'sms', 'sms', 'phone', 'phone', 'digital_post', 'email', 'letter'] as const;

export interface GeneratedCitizen {
  id: string;
  /** The CPR number as typed (DDMMYY-SSSS), for searches. */
  cpr: string;
  cprHash: string;
  consultantId: string;
  status: EnrolmentStatus;
  firstName: string;
  lastName: string;
}

export interface GeneratedConsultant {
  id: string;
  username: string;
  name: string;
}

export interface Generated {
  citizens: GeneratedCitizen[];
  /** The resource consultants made (none when existing ids were given). */
  consultants: GeneratedConsultant[];
  /** Rows inserted per table. */
  rows: Record<string, number>;
}

type Row<T extends keyof Database> = Insertable<Database[T]>;
type EventRow = Omit<Row<'citizen_events'>, 'data'> & { data: Record<string, unknown> };

// One JSON parameter per statement, expanded by the database: far cheaper than thousands of bind parameters.
async function insertJson(db: Kysely<Database>, table: keyof Database, rows: object[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = sql.join(Object.keys(first).map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(table)} (${columns}) select ${columns} from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(db);
}

/** Inserts the rows and returns a light index of what was made (for picking benchmark targets). */
export async function generateCitizens(kysely: Kysely<Database>, opts: GenerateOptions): Promise<Generated> {
  const rand = prng(opts.seed);
  const uuid = () => uuidFrom(rand);
  const firstName = weighted(FIRST_NAMES);
  const lastName = weighted(LAST_NAMES);
  const benefit = weighted(BENEFITS);
  const status = weighted(STATUSES);
  const exit = weighted(EXITS);
  const today = opts.today ?? dateInCopenhagen();
  const org = opts.organisationId;
  const birthFrom = Date.UTC(1958, 0, 1);
  const birthSpan = Date.UTC(2005, 11, 31) - birthFrom;
  const startFrom = Date.UTC(2017, 7, 1);
  const startSpan = Date.UTC(2021, 6, 31) - startFrom;
  const counts: Record<string, number> = {};
  const count = (table: string, n: number) => (counts[table] = (counts[table] ?? 0) + n);

  // The consultants: existing ones, or new users with the resource-consultant role in the programme.
  const consultants: GeneratedConsultant[] = [];
  let consultantIds: string[];
  if ('ids' in opts.consultants) {
    consultantIds = opts.consultants.ids;
  } else {
    const n = Math.max(1, Math.round(opts.count / opts.consultants.citizensEach));
    const now = new Date().toISOString();
    for (let i = 1; i <= n; i++) consultants.push({ id: uuid(), username: `bench-rk-${String(i).padStart(5, '0')}`, name: `${firstName(rand())} ${lastName(rand())}` });
    for (let i = 0; i < n; i += CHUNK) {
      const chunk = consultants.slice(i, i + CHUNK);
      // As a consultant account looks once its user chose the password (admin-made accounts start temporary).
      const users: Row<'users'>[] = chunk.map((c) => ({
        id: c.id,
        organisation_id: org,
        username: c.username,
        name: c.name,
        email: null,
        password_hash: (opts.consultants as { passwordHash: string }).passwordHash,
        password_must_change: false,
        password_changed_at: now as unknown as Date,
      }));
      const roles: Row<'user_roles'>[] = chunk.map((c) => ({ id: uuid(), user_id: c.id, organisation_id: org, role: 'resource_consultant', programme_id: opts.programmeId }));
      await kysely.transaction().execute(async (tx) => {
        await insertJson(tx, 'users', users);
        await insertJson(tx, 'user_roles', roles);
      });
      count('users', users.length);
      count('user_roles', roles.length);
    }
    consultantIds = consultants.map((c) => c.id);
  }
  if (consultantIds.length === 0) throw new Error('no consultants to put on the teams');

  const made: GeneratedCitizen[] = [];
  const serials = new Map<string, number>();
  for (let from = 0; from < opts.count; from += CHUNK) {
    const n = Math.min(CHUNK, opts.count - from);
    const citizens: Row<'citizens'>[] = [];
    const enrolments: Row<'enrolments'>[] = [];
    const team: Row<'team_members'>[] = [];
    const periods: Row<'status_periods'>[] = [];
    const notes: Row<'notes'>[] = [];
    const revisions: Row<'note_revisions'>[] = [];
    const events: EventRow[] = [];
    for (let k = 0; k < n; k++) {
      const i = from + k;
      const id = uuid();
      const enrolmentId = uuid();
      const first = firstName(rand());
      const last = lastName(rand());
      // Consultant i mod n: caseloads spread evenly, each consultant's citizens scattered over the table.
      const consultantId = 'ids' in opts.consultants ? consultantIds[Math.floor(rand() * consultantIds.length)]! : consultantIds[i % consultantIds.length]!;
      const st = status(rand());
      const start = isoDay(startFrom + Math.floor(rand() * (startSpan / DAY)) * DAY);
      const birth = isoDay(birthFrom + Math.floor(rand() * (birthSpan / DAY)) * DAY);
      // A real (not replacement) CPR number: DDMMYY, a 7th digit that gives the century, a serial unique per birth date.
      const serial = serials.get(birth) ?? 0;
      serials.set(birth, serial + 1);
      const centuryDigits = birth < '2000' ? [0, 1, 2, 3] : [4, 9];
      const digits = `${birth.slice(8, 10)}${birth.slice(5, 7)}${birth.slice(2, 4)}${centuryDigits[Math.floor(serial / 1000) % centuryDigits.length]}${String(serial % 1000).padStart(3, '0')}`;
      const parsed = parseCpr(digits, today);
      if (!parsed.ok || parsed.value.birthDate !== birth || parsed.value.isReplacement) throw new Error('generated CPR number does not parse to its birth date');
      const cprHash = opts.vault.lookupHash(digits);
      const benefitCode = benefit(rand());
      const end = st === 'ended' ? plusDays(start, 30 + Math.floor(rand() * 700)) : null;
      const outcome = st === 'ended' ? exit(rand()) : null;
      const created = at(start);

      citizens.push({
        id,
        organisation_id: org,
        cpr_encrypted: opts.vault.encrypt(digits),
        cpr_hash: cprHash,
        birth_date: birth,
        cpr_is_replacement: false,
        first_name: first,
        last_name: last,
        search_name: `${first} ${last}`.toLocaleLowerCase('da'),
        phone: `+45 2${String(i).padStart(7, '0')}`,
        email: null,
        address: null,
        preferred_contact: CONTACT[Math.floor(rand() * CONTACT.length)]!,
        note: null,
        created_by: consultantId,
        created_at: created,
        updated_at: created,
      });
      events.push({ id: uuid(), organisation_id: org, citizen_id: id, occurred_at: created, kind: 'citizen.created', ref_id: id, actor_id: consultantId, data: {} });

      enrolments.push({
        id: enrolmentId,
        organisation_id: org,
        citizen_id: id,
        programme_id: opts.programmeId,
        referral_source: 'jobcenter',
        referral_date: plusDays(start, -7),
        referral_reason: null,
        visitation_code: 'aktivitetsparat',
        benefit_code: benefitCode,
        start_date: start,
        status: st,
        end_date: end,
        exit_outcome: outcome,
        created_by: consultantId,
        created_at: created,
        updated_at: end ? at(end, 30) : created,
        version: st === 'ended' || st === 'paused' ? 2 : 1,
      });
      events.push({
        id: uuid(),
        organisation_id: org,
        citizen_id: id,
        occurred_at: at(start, 1),
        kind: 'enrolment.created',
        ref_id: enrolmentId,
        actor_id: consultantId,
        data: { programmeId: opts.programmeId, status: st === 'referred' ? 'referred' : 'active', startDate: start, benefitCode, acknowledgedWarnings: [] },
      });
      team.push({
        id: uuid(),
        organisation_id: org,
        enrolment_id: enrolmentId,
        user_id: consultantId,
        role: 'resource_consultant',
        kind: 'permanent',
        substitute_for: null,
        valid_from: start,
        valid_to: null,
        created_by: consultantId,
        created_at: at(start, 1),
      });
      events.push({ id: uuid(), organisation_id: org, citizen_id: id, occurred_at: at(start, 1), kind: 'team.changed', ref_id: enrolmentId, actor_id: consultantId, data: { added: [{ userId: consultantId, role: 'resource_consultant' }] } });

      // Status history: the benefit from the start (written with the enrolment), perhaps an internship, and
      // after a job or education exit the period that followed; an added period closes the open one the day before.
      const history: { benefit: string; activity: Row<'status_periods'>['activity']; hours: number | null; from: string }[] = [{ benefit: benefitCode, activity: null, hours: null, from: start }];
      const until = end ?? today;
      if (st !== 'referred' && rand() < 0.35) {
        const from = plusDays(start, 30 + Math.floor(rand() * 120));
        if (from < until) history.push({ benefit: benefitCode, activity: 'internship', hours: 5 + Math.floor(rand() * 16), from });
      }
      const after = outcome ? AFTER_EXIT[outcome] : undefined;
      if (end && after && end > history[history.length - 1]!.from) history.push({ benefit: after.benefit, activity: after.activity, hours: 15 + Math.floor(rand() * 22), from: end });
      history.forEach((h, j) => {
        const periodId = uuid();
        const next = history[j + 1];
        periods.push({
          id: periodId,
          organisation_id: org,
          citizen_id: id,
          benefit_code: h.benefit,
          activity: h.activity,
          weekly_hours: h.hours,
          from_date: h.from,
          to_date: next ? plusDays(next.from, -1) : null,
          note: null,
          created_by: consultantId,
          created_at: at(h.from, 2),
        });
        const data = j === 0 ? { benefitCode: h.benefit, fromDate: h.from } : { benefitCode: h.benefit, activity: h.activity, weeklyHours: h.hours, fromDate: h.from, toDate: null };
        events.push({ id: uuid(), organisation_id: org, citizen_id: id, occurred_at: at(h.from, 2), kind: 'status.added', ref_id: j === 0 ? null : periodId, actor_id: consultantId, data });
      });

      // One to three journal notes between the start and the end (or today).
      const span = Math.max(1, Math.round((dayMs(until) - dayMs(start)) / DAY));
      const noteDays = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => Math.floor(rand() * span)).sort((a, b) => a - b);
      noteDays.forEach((d, j) => {
        const noteId = uuid();
        const writtenAt = at(plusDays(start, d), 10 + j);
        const sensitivity = rand() < 0.1 ? 'sensitive' : 'normal';
        notes.push({ id: noteId, organisation_id: org, citizen_id: id, kind: 'journal', remark_on: null, sensitivity, source: null, author_id: consultantId, created_at: writtenAt, revision: 1, version: 1 });
        revisions.push({ note_id: noteId, revision: 1, body: NOTE_TEXTS[Math.floor(rand() * NOTE_TEXTS.length)]!(first), reason: null, written_by: consultantId, written_at: writtenAt });
        events.push({ id: uuid(), organisation_id: org, citizen_id: id, occurred_at: writtenAt, kind: 'note.created', ref_id: noteId, actor_id: consultantId, data: { noteKind: 'journal', sensitivity } });
      });

      if (st === 'paused' || end) {
        const on = end ?? plusDays(start, Math.min(span - 1, 45));
        events.push({
          id: uuid(),
          organisation_id: org,
          citizen_id: id,
          occurred_at: at(on, 30),
          kind: 'enrolment.status_changed',
          ref_id: enrolmentId,
          actor_id: consultantId,
          data: { from: 'active', to: st, endDate: end, exitOutcome: outcome },
        });
      }
      made.push({ id, cpr: `${digits.slice(0, 6)}-${digits.slice(6)}`, cprHash, consultantId, status: st, firstName: first, lastName: last });
    }
    await kysely.transaction().execute(async (tx) => {
      await insertJson(tx, 'citizens', citizens);
      await insertJson(tx, 'enrolments', enrolments);
      await insertJson(tx, 'team_members', team);
      await insertJson(tx, 'status_periods', periods);
      await insertJson(tx, 'notes', notes);
      await insertJson(tx, 'note_revisions', revisions);
      await insertJson(tx, 'citizen_events', events);
    });
    count('citizens', citizens.length);
    count('enrolments', enrolments.length);
    count('team_members', team.length);
    count('status_periods', periods.length);
    count('notes', notes.length);
    count('note_revisions', revisions.length);
    count('citizen_events', events.length);
    opts.onProgress?.(from + n);
  }
  await sql`analyze`.execute(kysely);
  return { citizens: made, consultants, rows: counts };
}
