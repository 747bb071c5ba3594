// Benchmark data: bulk-inserts citizens, each with one enrolment in a programme and one resource consultant
// on its team, from a fixed seed so every run builds the same data. Rows are built in JavaScript and sent
// as multi-row INSERTs of CHUNK rows; ANALYZE runs at the end so the planner sees the real sizes.
import { createHash } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, EnrolmentStatus } from '../src/server/db/schema.ts';

export interface GenerateOptions {
  count: number;
  programmeId: string;
  organisationId: string;
  /** Each enrolment gets one of these as resource consultant, picked at random (so roughly count / n each). */
  consultantIds: string[];
  createdBy: string;
  seed: number;
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
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rand() * 4)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface GeneratedCitizen {
  id: string;
  cprHash: string;
  consultantId: string;
  status: EnrolmentStatus;
  firstName: string;
  lastName: string;
}

/** Inserts the rows and returns a light index of what was made (for picking benchmark targets). */
export async function generateCitizens(kysely: Kysely<Database>, opts: GenerateOptions): Promise<GeneratedCitizen[]> {
  if (opts.consultantIds.length === 0) throw new Error('consultantIds must not be empty');
  const rand = prng(opts.seed);
  const firstName = weighted(FIRST_NAMES);
  const lastName = weighted(LAST_NAMES);
  const benefit = weighted(BENEFITS);
  const status = weighted(STATUSES);
  const exit = weighted(EXITS);
  const birthFrom = Date.UTC(1958, 0, 1);
  const birthSpan = Date.UTC(2005, 11, 31) - birthFrom;
  const startFrom = Date.UTC(2017, 7, 1);
  const startSpan = Date.UTC(2021, 6, 31) - startFrom;
  const made: GeneratedCitizen[] = [];

  for (let from = 0; from < opts.count; from += CHUNK) {
    const n = Math.min(CHUNK, opts.count - from);
    const citizens: Insertable<Database['citizens']>[] = [];
    const enrolments: Insertable<Database['enrolments']>[] = [];
    const team: Insertable<Database['team_members']>[] = [];
    for (let k = 0; k < n; k++) {
      const i = from + k;
      const id = uuidFrom(rand);
      const enrolmentId = uuidFrom(rand);
      const first = firstName(rand());
      const last = lastName(rand());
      const cprHash = createHash('md5').update(`bench-${opts.seed}-${i}`).digest('hex');
      const consultantId = opts.consultantIds[Math.floor(rand() * opts.consultantIds.length)]!;
      const st = status(rand());
      const startMs = startFrom + Math.floor(rand() * (startSpan / DAY)) * DAY;
      const start = isoDay(startMs);
      citizens.push({
        id,
        organisation_id: opts.organisationId,
        cpr_encrypted: 'v1.bench',
        cpr_hash: cprHash,
        birth_date: isoDay(birthFrom + Math.floor(rand() * (birthSpan / DAY)) * DAY),
        first_name: first,
        last_name: last,
        search_name: `${first} ${last}`.toLocaleLowerCase('da'),
        created_by: opts.createdBy,
      });
      enrolments.push({
        id: enrolmentId,
        organisation_id: opts.organisationId,
        citizen_id: id,
        programme_id: opts.programmeId,
        referral_source: null,
        referral_date: null,
        referral_reason: null,
        visitation_code: 'aktivitetsparat',
        benefit_code: benefit(rand()),
        start_date: start,
        status: st,
        end_date: st === 'ended' ? isoDay(startMs + (30 + Math.floor(rand() * 700)) * DAY) : null,
        exit_outcome: st === 'ended' ? exit(rand()) : null,
        created_by: opts.createdBy,
      });
      team.push({
        organisation_id: opts.organisationId,
        enrolment_id: enrolmentId,
        user_id: consultantId,
        role: 'resource_consultant',
        valid_from: start,
        valid_to: null,
        created_by: opts.createdBy,
      });
      made.push({ id, cprHash, consultantId, status: st, firstName: first, lastName: last });
    }
    await kysely.transaction().execute(async (tx) => {
      await tx.insertInto('citizens').values(citizens).execute();
      await tx.insertInto('enrolments').values(enrolments).execute();
      await tx.insertInto('team_members').values(team).execute();
    });
  }
  await sql`analyze citizens, enrolments, team_members`.execute(kysely);
  return made;
}
