// Where each file of a research export reads its rows: the one list of export files (add a file here and in the
// codebook). Every source reads in keyset batches (never a whole table), only the citizens with an enrolment in the
// study's programme at an included organisation, and only the included organisations' records (region data never:
// studies include municipalities only). A row is the citizen's internal id (turned into the study's pseudonym by the
// writer, never written) and its values by codebook variable; dates are YYYY-MM-DD, put at the agreed precision by
// the writer.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { studyAnswerBatches, type StudyAnswerRow } from './study-answers.service.ts';

export type Value = string | number | null;
export interface SourceRow {
  citizenId: string;
  values: Record<string, Value>;
  /** Only in the enrolments file: the encrypted CPR number, when sex is released (decrypted by the writer). */
  cprEncrypted?: string;
}

export interface Scope {
  studyId: string;
  programmeId: string;
  organisationIds: string[];
  /** Which variables of the file are released (the writer drops the rest). */
  variables: ReadonlySet<string>;
  /** The last date status weeks run to (today). */
  today: string;
}

/**
 * Rows per keyset batch (docs/decisions/0046: 5,000 was no faster within the shared machine's noise, and every
 * batch kept across an await is promoted to V8's old space, which grows the process until the next full collection).
 */
export const BATCH = 2000;

const inScope = (s: Scope, citizen: ReturnType<typeof sql.ref>) => sql`exists (select 1 from enrolments se
   where se.citizen_id = ${citizen} and se.programme_id = ${s.programmeId} and se.organisation_id = any(${s.organisationIds}::uuid[]))`;
const localDate = (ts: ReturnType<typeof sql.ref>) => sql`((${ts}) at time zone 'Europe/Copenhagen')::date::text`;

type Source = (db: Kysely<Database>, scope: Scope) => AsyncGenerator<SourceRow[]>;

/**
 * Keyset pages, one read ahead: the next batch is asked for before the last is handed on, so the database reads
 * while the writer writes. Never more than two batches in memory.
 */
async function* keyset<R, K>(page: (after: K | null) => Promise<R[]>, keyOf: (last: R) => K, size = BATCH): AsyncGenerator<R[]> {
  let next = page(null);
  try {
    for (;;) {
      const rows = await next;
      if (rows.length === 0) return;
      const more = rows.length >= size;
      if (more) next = page(keyOf(rows[rows.length - 1]!));
      yield rows;
      if (!more) return;
    }
  } finally {
    // A reader that stops early leaves the read ahead to finish on its own.
    next.catch(() => {});
  }
}

/** Keyset pages over one query ordered by `id`. */
async function* byId<R extends { id: string }>(page: (after: string | null) => Promise<R[]>, map: (r: R) => SourceRow | null): AsyncGenerator<SourceRow[]> {
  for await (const rows of keyset(page, (last) => last.id)) yield rows.map(map).filter((r): r is SourceRow => r !== null);
}
const afterId = (column: ReturnType<typeof sql.ref>, after: string | null) => (after ? sql`and ${column} > ${after}::uuid` : sql``);

const enrolments: Source = (db, s) =>
  byId(
    async (after) =>
      (
        await sql<{ id: string; citizen_id: string; birth_date: string; cpr_encrypted: string | null; start_date: string; end_date: string | null; status: string; exit_outcome: string | null; benefit_at_start: string }>`
          select e.id, e.citizen_id, c.birth_date::text as birth_date, ${s.variables.has('sex') ? sql`c.cpr_encrypted` : sql`null::text`} as cpr_encrypted,
                 e.start_date::text as start_date, e.end_date::text as end_date, e.status, e.exit_outcome,
                 coalesce((select sp.benefit_code from status_periods sp
                            where sp.citizen_id = e.citizen_id and sp.organisation_id = e.organisation_id
                              and sp.from_date <= e.start_date and (sp.to_date is null or sp.to_date >= e.start_date)
                            order by sp.from_date desc limit 1), e.benefit_code) as benefit_at_start
            from enrolments e join citizens c on c.id = e.citizen_id
           where e.programme_id = ${s.programmeId} and e.organisation_id = any(${s.organisationIds}::uuid[]) ${afterId(sql.ref('e.id'), after)}
           order by e.id limit ${BATCH}`.execute(db)
      ).rows,
    (r) => ({
      citizenId: r.citizen_id,
      ...(r.cpr_encrypted ? { cprEncrypted: r.cpr_encrypted } : {}),
      values: {
        birth_year: Number(r.birth_date.slice(0, 4)),
        sex: null,
        start_date: r.start_date,
        end_date: r.end_date,
        status: r.status,
        benefit_at_start: r.benefit_at_start,
        exit_outcome: r.exit_outcome,
      },
    }),
  );

type ActivityRow = { id: string; citizen_id: string; date: string; place: string | null; duration_minutes: number | null; attended: string | null };
const activity = (kind: string) => (r: ActivityRow): SourceRow => ({
  citizenId: r.citizen_id,
  values: { date: r.date, kind, place: r.place, duration_minutes: r.duration_minutes, attended: r.attended },
});

async function* activities(db: Kysely<Database>, s: Scope): AsyncGenerator<SourceRow[]> {
  const orgs = sql`${s.organisationIds}::uuid[]`;
  yield* byId(
    async (after) =>
      (
        await sql<ActivityRow>`
          select x.id, x.citizen_id, ${localDate(sql.ref('x.starts_at'))} as date, x.place, x.duration_minutes,
                 case x.status when 'held' then 'yes' else 'no' end as attended
            from conversations x
           where x.organisation_id = any(${orgs}) and x.status in ('held', 'no_show') and ${inScope(s, sql.ref('x.citizen_id'))} ${afterId(sql.ref('x.id'), after)}
           order by x.id limit ${BATCH}`.execute(db)
      ).rows,
    activity('conversation'),
  );
  // Group attendance has no id of its own: keyset on (session, citizen).
  type AttendanceRow = ActivityRow & { session_id: string };
  const attendance = keyset(
    async (after: { session: string; citizen: string } | null) =>
      (
        await sql<AttendanceRow>`
          select a.session_id, a.citizen_id, a.citizen_id as id, ${localDate(sql.ref('gs.starts_at'))} as date, null::text as place, gs.duration_minutes,
                 case a.status when 'attended' then 'yes' else 'no' end as attended
            from group_attendance a join group_sessions gs on gs.id = a.session_id
           where a.organisation_id = any(${orgs}) and ${inScope(s, sql.ref('a.citizen_id'))}
             ${after ? sql`and (a.session_id, a.citizen_id) > (${after.session}::uuid, ${after.citizen}::uuid)` : sql``}
           order by a.session_id, a.citizen_id limit ${BATCH}`.execute(db)
      ).rows,
    (last) => ({ session: last.session_id, citizen: last.citizen_id }),
  );
  for await (const rows of attendance) yield rows.map(activity('group_session'));
  yield* byId(
    async (after) =>
      (
        await sql<ActivityRow>`
          select x.id, x.citizen_id, ${localDate(sql.ref('x.starts_at'))} as date, null::text as place, x.duration_minutes, 'yes' as attended
            from network_meetings x
           where x.organisation_id = any(${orgs}) and x.status = 'held' and ${inScope(s, sql.ref('x.citizen_id'))} ${afterId(sql.ref('x.id'), after)}
           order by x.id limit ${BATCH}`.execute(db)
      ).rows,
    activity('network_meeting'),
  );
  yield* byId(
    async (after) =>
      (
        await sql<ActivityRow>`
          select x.id, x.citizen_id, x.from_date::text as date, null::text as place, null::int as duration_minutes, null::text as attended
            from internships x
           where x.organisation_id = any(${orgs}) and ${inScope(s, sql.ref('x.citizen_id'))} ${afterId(sql.ref('x.id'), after)}
           order by x.id limit ${BATCH}`.execute(db)
      ).rows,
    activity('internship'),
  );
  yield* byId(
    async (after) =>
      (
        await sql<ActivityRow>`
          select x.id, x.citizen_id, x.from_date::text as date, null::text as place, null::int as duration_minutes, null::text as attended
            from upskilling x
           where x.organisation_id = any(${orgs}) and ${inScope(s, sql.ref('x.citizen_id'))} ${afterId(sql.ref('x.id'), after)}
           order by x.id limit ${BATCH}`.execute(db)
      ).rows,
    activity('upskilling'),
  );
}

const assessments: Source = (db, s) =>
  byId(
    async (after) =>
      (
        await sql<{ id: string; citizen_id: string; date: string; instrument_code: string; occasion: string; raw: number | null; scaled: number | null }>`
          select x.id, x.citizen_id, ${localDate(sql.ref('x.answered_at'))} as date, x.instrument_code, x.occasion, x.raw, x.scaled
            from assessments x
           where x.programme_id = ${s.programmeId} and x.organisation_id = any(${s.organisationIds}::uuid[]) and x.status = 'submitted'
             ${afterId(sql.ref('x.id'), after)}
           order by x.id limit ${BATCH}`.execute(db)
      ).rows,
    (r) => ({
      citizenId: r.citizen_id,
      values: { date: r.date, instrument: r.instrument_code, occasion: r.occasion, raw_score: r.raw === null ? null : Number(r.raw), scaled_score: r.scaled === null ? null : Number(r.scaled) },
    }),
  );

const WEEK_MS = 7 * 86_400_000;

/** The Monday of the ISO week a date falls in. */
export function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return addDays(date, -((d.getUTCDay() + 6) % 7));
}

/** One row per citizen per week from the status periods: in a week two periods share, the later one. */
async function* statusWeeks(db: Kysely<Database>, s: Scope): AsyncGenerator<SourceRow[]> {
  // A citizen has a row a week for years: 50 citizens are some 20,000 rows.
  const citizensPerBatch = 50;
  type Period = { citizen_id: string; from_date: string; to_date: string | null; benefit_code: string; activity: string | null; weekly_hours: number | null };
  const batches = keyset(
    async (after: string | null) => {
      const { rows: citizens } = await sql<{ id: string }>`
        select distinct e.citizen_id as id from enrolments e
         where e.programme_id = ${s.programmeId} and e.organisation_id = any(${s.organisationIds}::uuid[]) ${afterId(sql.ref('e.citizen_id'), after)}
         order by e.citizen_id limit ${citizensPerBatch}`.execute(db);
      if (citizens.length === 0) return [];
      const { rows: periods } = await sql<Period>`
        select sp.citizen_id, sp.from_date::text as from_date, sp.to_date::text as to_date, sp.benefit_code, sp.activity, sp.weekly_hours
          from status_periods sp
         where sp.citizen_id = any(${citizens.map((c) => c.id)}::uuid[]) and sp.organisation_id = any(${s.organisationIds}::uuid[]) and sp.from_date <= ${s.today}
         order by sp.citizen_id, sp.from_date, sp.created_at`.execute(db);
      return [{ last: citizens[citizens.length - 1]!.id, full: citizens.length === citizensPerBatch, periods }];
    },
    (batch) => batch.last,
    1,
  );
  for await (const [batch] of batches) {
    const periods = batch!.periods;
    const out: SourceRow[] = [];
    let i = 0;
    while (i < periods.length) {
      const citizenId = periods[i]!.citizen_id;
      const weeks = new Map<string, SourceRow['values']>();
      for (; i < periods.length && periods[i]!.citizen_id === citizenId; i += 1) {
        const p = periods[i]!;
        const last = p.to_date && p.to_date < s.today ? p.to_date : s.today;
        // Stepped in milliseconds (no date parsed per week); a UTC day is always 86,400,000 ms.
        for (let at = Date.parse(`${mondayOf(p.from_date)}T00:00:00Z`); ; at += WEEK_MS) {
          const week = new Date(at).toISOString().slice(0, 10);
          if (week > last) break;
          weeks.set(week, { week, benefit: p.benefit_code, activity: p.activity, weekly_hours: p.weekly_hours === null ? null : Number(p.weekly_hours) });
        }
      }
      for (const [, values] of [...weeks.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) out.push({ citizenId, values });
    }
    if (out.length > 0) yield out;
    if (!batch!.full) return;
  }
}

/** A file of the study's research-only questionnaires (docs/decisions/0040), read in the answers' keyset batches: only in its exports. */
const fromAnswers =
  (rows: (a: StudyAnswerRow) => SourceRow['values'][]): Source =>
  async function* (db, s) {
    for await (const batch of studyAnswerBatches(db, s.studyId, BATCH)) yield batch.flatMap((a) => rows(a).map((values) => ({ citizenId: a.citizenId, values })));
  };
const answered = (a: StudyAnswerRow) => ({ date: dateInCopenhagen(a.answeredAt), instrument: a.instrument, instrument_version: a.instrumentVersion });

/** One row per item answered. */
const researchAnswers = fromAnswers((a) =>
  Object.entries(a.items)
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([item, value]) => ({ ...answered(a), item, value })),
);

/** One row per answer set, with its scores. */
const researchScores = fromAnswers((a) => [
  { ...answered(a), raw_score: a.score === null ? null : Number(a.score.raw), scaled_score: a.score?.scaled == null ? null : Number(a.score.scaled) },
]);

/** The files of an export, in order: the codebook's files, each with its source. A new file is one more entry. */
export const EXPORT_SOURCES: { file: string; rows: Source }[] = [
  { file: 'enrolments', rows: enrolments },
  { file: 'activities', rows: activities },
  { file: 'assessments', rows: assessments },
  { file: 'status_weeks', rows: statusWeeks },
  { file: 'research_answers', rows: researchAnswers },
  { file: 'research_scores', rows: researchScores },
];
