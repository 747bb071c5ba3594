// Benchmark: writing a response body from its documented schema, the way the application did before (the Zod
// type provider's serializer: validate and encode with Zod, then JSON.stringify) and the way it does now
// (fast-json-stringify from the schema's JSON Schema). Payloads: a citizen list page of 50 items and a citizen
// page with two enrolments. Prints operations per second for each, and plain JSON.stringify of the same value
// (no schema, no safety) for scale. Not part of `npm test`.
// Each variant is measured in BENCH_ROUNDS rounds (default 7) of BENCH_SECONDS (default 0.5), the variants taking
// turns, and the best round counts: on a busy machine the best round is the one least disturbed by others.
// Run: npx tsx bench/serialize.ts
import { isDeepStrictEqual } from 'node:util';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { CitizenDetail, CitizenPage } from '../src/contracts/citizens.ts';
import { responseSerializer } from '../src/server/platform/serialization.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 0.5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const out = (line = '') => process.stdout.write(`${line}\n`);

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const FIRST = ['Anna', 'Bo', 'Søren', 'Mette', 'Jørgen', 'Fatima', 'Mikkel', 'Åse', 'Lone', 'Ib'];
const LAST = ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen'];
const consultant = (n: number) => ({ id: uuid(300 + n), name: `${FIRST[n % FIRST.length]} ${LAST[n % LAST.length]}` });
const code = (c: string, da: string, en: string) => ({ code: c, label: { da, en } });

/** A list page as GET /api/citizens answers it: most citizens enrolled, a few without enrolment or age. */
function listPage(size: number): z.output<typeof CitizenPage> {
  return {
    items: Array.from({ length: size }, (_, i) => ({
      id: uuid(10_000 + i),
      firstName: FIRST[i % FIRST.length]!,
      lastName: LAST[i % LAST.length]!,
      cprMasked: `${String((i % 28) + 1).padStart(2, '0')}0${i % 10}85-xxxx`,
      age: i % 17 === 0 ? null : 20 + (i % 40),
      isDemo: true,
      enrolment:
        i % 9 === 0
          ? null
          : {
              id: uuid(20_000 + i),
              programmeId: uuid(201),
              programmeName: 'På vej til arbejde',
              status: (['active', 'referred', 'paused', 'ended'] as const)[i % 4]!,
              startDate: `2026-${String((i % 12) + 1).padStart(2, '0')}-01`,
              consultants: i % 5 === 0 ? [consultant(i), consultant(i + 1)] : [consultant(i)],
            },
    })),
    nextCursor: 'eyJuIjoiSmVuc2VuIiwiaWQiOiIwMDAwIn0',
  };
}

/** A citizen page as GET /api/citizens/:id answers it: two enrolments with their teams and six status periods. */
function citizenPage(): z.output<typeof CitizenDetail> {
  const enrolment = (n: number, ended: boolean) => ({
    id: uuid(30_000 + n),
    programme: { id: uuid(201 + n), name: n ? 'Job i fokus' : 'På vej til arbejde' },
    status: ended ? ('ended' as const) : ('active' as const),
    startDate: ended ? '2024-02-01' : '2026-01-15',
    endDate: ended ? '2025-06-30' : null,
    benefit: code('kontanthjaelp', 'Kontanthjælp', 'Social assistance'),
    visitation: code('match_2', 'Matchgruppe 2', 'Match group 2'),
    referralSource: ended ? null : code('jobcenter', 'Jobcenter', 'Job centre'),
    referralDate: ended ? null : '2026-01-02',
    referralReason: ended ? null : 'Ønsker hjælp til at komme i arbejde efter længere sygdomsforløb.',
    exitOutcome: ended ? code('education', 'Uddannelse', 'Education') : null,
    team: [
      { id: uuid(40_000 + n * 10), user: consultant(1), role: 'resource_consultant' as const, kind: 'permanent' as const, substituteFor: null, validFrom: '2026-01-15', validTo: null },
      { id: uuid(40_001 + n * 10), user: consultant(2), role: 'caseworker' as const, kind: 'permanent' as const, substituteFor: null, validFrom: '2026-01-15', validTo: null },
      { id: uuid(40_002 + n * 10), user: consultant(3), role: 'resource_consultant' as const, kind: 'substitute' as const, substituteFor: consultant(1), validFrom: '2026-07-01', validTo: '2026-08-15' },
    ],
    version: 3,
  });
  return {
    id: uuid(10_001),
    firstName: 'Søren',
    lastName: 'Sørensen',
    cprMasked: '010185-xxxx',
    cprIsReplacement: false,
    birthDate: '1985-01-01',
    age: 41,
    phone: '+45 12 34 56 78',
    email: 'soren@example.dk',
    address: 'Jernbanegade 4, 2. th., 4700 Næstved',
    preferredContact: 'sms',
    note: 'Foretrækker samtaler om formiddagen.',
    isDemo: true,
    organisation: { id: uuid(101), name: 'Næstved Kommune' },
    enrolments: [enrolment(0, false), enrolment(1, true)],
    statusPeriods: Array.from({ length: 6 }, (_, i) => ({
      id: uuid(50_000 + i),
      benefit: code(i % 2 ? 'kontanthjaelp' : 'ressourceforloeb', i % 2 ? 'Kontanthjælp' : 'Ressourceforløb', i % 2 ? 'Social assistance' : 'Resource programme'),
      activity: i === 5 ? ('fleksjob' as const) : null,
      weeklyHours: i === 5 ? 12.5 : null,
      fromDate: `202${i % 5}-0${(i % 9) + 1}-01`,
      toDate: i === 5 ? null : `202${i % 5}-0${(i % 9) + 1}-28`,
      note: i % 3 ? null : 'Skift efter møde med jobcenter.',
    })),
    selfSupport: { computedOn: '2026-12-01', last26: { selfSupporting: 4, known: 26, weeksWithHours: 3, hours: 45 }, last52: { selfSupporting: 9, known: 52, weeksWithHours: 3, hours: 45 } },
    internshipWeeks: [{ weekStart: '2026-11-16', hours: 20 }, { weekStart: '2026-11-09', hours: 15 }, { weekStart: '2026-11-02', hours: 10 }],
    version: 7,
  };
}

function opsPerSecond(write: () => string): number {
  for (let i = 0; i < 2_000; i++) write();
  let ops = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(SECONDS * 1e9));
  let now = start;
  while (now < end) {
    for (let i = 0; i < 100; i++) write();
    ops += 100;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

const cases: { name: string; schema: z.ZodType; value: unknown }[] = [
  { name: 'citizen list page (50 items)', schema: CitizenPage, value: listPage(50) },
  { name: 'citizen page', schema: CitizenDetail, value: citizenPage() },
];

out(`| payload | bytes | before: Zod validate + JSON.stringify (ops/s) | now: fast-json-stringify (ops/s) | speed-up | JSON.stringify alone, no schema (ops/s) |`);
out(`|---|---:|---:|---:|---:|---:|`);
for (const { name, schema, value } of cases) {
  const before = zodSerializerCompiler({ schema, method: 'GET', url: '/bench' }) as (data: unknown) => string;
  const after = responseSerializer(schema);
  const a = before(value);
  const b = after(value);
  if (!isDeepStrictEqual(JSON.parse(a), JSON.parse(b))) throw new Error(`${name}: the two serializers disagree`);
  let slow = 0;
  let fast = 0;
  let plain = 0;
  for (let round = 0; round < ROUNDS; round++) {
    slow = Math.max(slow, opsPerSecond(() => before(value)));
    fast = Math.max(fast, opsPerSecond(() => after(value)));
    plain = Math.max(plain, opsPerSecond(() => JSON.stringify(value)));
  }
  const f = (n: number) => Math.round(n).toLocaleString('en');
  out(`| ${name} | ${b.length} | ${f(slow)} | ${f(fast)} | ${(fast / slow).toFixed(1)}× | ${f(plain)} |`);
}
