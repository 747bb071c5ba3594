// Internal staff tasks of progression measurement — an alert that fired, a measurement that is due — and
// the scheduled computation of due and overdue measurements from each programme's schedule. These tasks
// are the team's (resource consultant and caseworker), never part of the plan the citizen sees.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import { DateInput } from '../../../contracts/common.ts';
import type { CloseStaffTaskRequest, DueListQuery, StaffTaskListQuery } from '../../../contracts/progression.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany } from '../../platform/audit/audit.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, NotFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { requireCitizenAccess } from '../citizens/citizen-access.ts';

type Tx = Transaction<Database> | Kysely<Database>;
const PURPOSE = 'case_work' as const;

export interface TaskRow {
  id: string;
  kind: 'alert' | 'measurement_due';
  rule: string;
  instrument_code: string;
  text_da: string;
  text_en: string;
  citizen_id: string;
  first_name: string;
  last_name: string;
  due_date: string | null;
  window_end: string | null;
  status: 'open' | 'done' | 'cancelled';
  created_at: Date;
  acute_procedure_da: string;
  acute_procedure_en: string;
  version: number;
}

export function toTask(row: TaskRow, today: string) {
  return {
    id: row.id,
    kind: row.kind,
    rule: row.rule,
    instrumentCode: row.instrument_code,
    text: { da: row.text_da, en: row.text_en },
    citizen: { id: row.citizen_id, name: `${row.first_name} ${row.last_name}` },
    dueDate: row.due_date,
    windowEnd: row.window_end,
    overdue: row.status === 'open' && row.window_end !== null && row.window_end < today,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    acuteProcedure: row.kind === 'alert' && (row.acute_procedure_da || row.acute_procedure_en) ? { da: row.acute_procedure_da, en: row.acute_procedure_en } : null,
    version: row.version,
  };
}

function taskQuery(tx: Tx) {
  return tx
    .selectFrom('staff_tasks as t')
    .innerJoin('citizens as c', 'c.id', 't.citizen_id')
    .innerJoin('programmes as p', 'p.id', 't.programme_id')
    .select(['t.id', 't.kind', 't.rule', 't.instrument_code', 't.text_da', 't.text_en', 't.citizen_id', 'c.first_name', 'c.last_name', 't.due_date', 't.window_end', 't.status', 't.created_at', 'p.acute_procedure_da', 'p.acute_procedure_en', 't.version']);
}

/**
 * Open tasks of the enrolments on whose team the user is today as resource consultant or caseworker (the
 * roles that see progression answers), alerts first, then by due date; for "Min dag".
 */
export async function openTeamTasks(tx: Tx, userId: string, today: string, cap: number) {
  const rows = (await taskQuery(tx)
    .select(sql<number>`count(*) over ()`.as('total'))
    .where('t.status', '=', 'open')
    // Driven from the user's own team rows (index on user_id), then the open tasks of those enrolments.
    .where('t.enrolment_id', 'in', (eb) =>
      eb
        .selectFrom('team_members as tm')
        .select('tm.enrolment_id')
        .where('tm.user_id', '=', userId)
        .where('tm.role', 'in', ['resource_consultant', 'caseworker'])
        .where('tm.valid_from', '<=', today)
        .where((w) => w.or([w('tm.valid_to', 'is', null), w('tm.valid_to', '>=', today)])),
    )
    // A due measurement shows from the day its window opens.
    .where((eb) => eb.or([eb('t.kind', '=', 'alert'), eb('t.due_date', '<=', addDays(today, 14))]))
    .orderBy(sql`t.kind = 'alert'`, 'desc')
    .orderBy('t.due_date')
    .orderBy('t.id')
    .limit(cap)
    .execute()) as (TaskRow & { total: number })[];
  return rows;
}

type TaskCursor = { id: string };
type DueCursor = { due: string; id: string };
const isDueCursor = (v: unknown): v is DueCursor => typeof v === 'object' && v !== null && isUuid((v as DueCursor).id) && DateInput.safeParse((v as DueCursor).due).success;
const isTaskCursor = (v: unknown): v is TaskCursor => typeof v === 'object' && v !== null && isUuid((v as TaskCursor).id);

/** The team's task list for one citizen (open or closed), newest first. */
export async function citizenTasks(db: Kysely<Database>, actor: Actor, citizenId: string, query: z.infer<typeof StaffTaskListQuery>) {
  return inTransaction(db, async (tx) => {
    const { organisationId, today } = await requireCitizenAccess(tx, actor, citizenId, 'assessment:read', 'read');
    const after = decodeCursor(query.cursor, isTaskCursor);
    const rows = (await taskQuery(tx)
      .where('t.citizen_id', '=', citizenId)
      .where('t.status', query.status === 'open' ? '=' : '!=', 'open')
      .$if(after !== undefined, (q) => q.where('t.id', '<', after!.id))
      .orderBy('t.id', 'desc')
      .limit(query.limit + 1)
      .execute()) as TaskRow[];
    const page = rows.slice(0, query.limit);
    await recordAudit(tx, { actor, organisationId, action: 'read', purpose: PURPOSE, resourceType: 'staff_task', citizenId, outcome: 'success', criteria: { count: page.length, status: query.status } });
    return { items: page.map((r) => toTask(r, today)), nextCursor: rows.length > query.limit ? encodeCursor({ id: page[page.length - 1]!.id }) : null };
  });
}

export async function closeTask(db: Kysely<Database>, actor: Actor, taskId: string, input: z.infer<typeof CloseStaffTaskRequest>) {
  return inTransaction(db, async (tx) => {
    const task = await tx.selectFrom('staff_tasks').select(['citizen_id', 'status', 'version']).where('id', '=', taskId).forUpdate().executeTakeFirst();
    if (!task) throw new AccessDenied({ actor, organisationId: null, action: 'update', purpose: PURPOSE, resourceType: 'staff_task', resourceId: taskId, outcome: 'denied', criteria: { reason: 'unknown id' } });
    const { organisationId } = await requireCitizenAccess(tx, actor, task.citizen_id, 'assessment:write', 'update');
    if (task.version !== input.version) throw new Conflict('The task was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    if (task.status !== 'open') throw new Conflict('The task is closed already', [{ path: 'status', message: task.status }]);
    const updated = await tx
      .updateTable('staff_tasks')
      .set({ status: input.status, closed_at: new Date(), closed_by: actor.userId, close_note: input.note ?? null, version: sql`version + 1` })
      .where('id', '=', taskId)
      .returning(['version'])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, { actor, organisationId, action: 'update', purpose: PURPOSE, resourceType: 'staff_task', resourceId: taskId, citizenId: task.citizen_id, outcome: 'success', criteria: { status: input.status } });
    return { id: taskId, status: input.status, version: updated.version };
  });
}

// ---- Due measurements ----

function addMonthsToDate(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

export interface Occasion {
  occasion: 'baseline' | 'follow_up' | 'exit';
  /** The number of the follow-up (1 = the first after baseline); 0 for baseline and exit. */
  number: number;
  date: string;
  windowStart: string;
  windowEnd: string;
}

/**
 * The measurement occasion an enrolment is in (or has most recently passed) on `today`: baseline at the start,
 * a follow-up every N months, exit at the end date — each within ± the window. The latest occasion whose
 * window has opened wins; an earlier one missed is superseded by it.
 */
export function currentOccasion(schedule: { at_enrolment: boolean; every_months: number | null; window_days: number; at_exit: boolean }, enrolment: { start_date: string; end_date: string | null }, today: string): Occasion | null {
  const w = schedule.window_days;
  const occasions: Occasion[] = [];
  const at = (occasion: Occasion['occasion'], number: number, date: string) => occasions.push({ occasion, number, date, windowStart: addDays(date, -w), windowEnd: addDays(date, w) });
  if (schedule.at_enrolment) at('baseline', 0, enrolment.start_date);
  if (schedule.every_months) {
    const limit = enrolment.end_date ?? addDays(today, 31 + w);
    for (let k = 1; k <= 200; k++) {
      const date = addMonthsToDate(enrolment.start_date, k * schedule.every_months);
      // A follow-up closer to the exit than the window is replaced by the exit measurement.
      if (date > limit || (enrolment.end_date && schedule.at_exit && addDays(date, w) >= addDays(enrolment.end_date, -w))) break;
      at('follow_up', k, date);
    }
  }
  if (schedule.at_exit && enrolment.end_date) at('exit', 0, enrolment.end_date);
  const opened = occasions.filter((o) => o.windowStart <= today);
  return opened[opened.length - 1] ?? null;
}

const OCCASION_TEXT = {
  baseline: { da: 'start', en: 'baseline' },
  follow_up: { da: 'opfølgning', en: 'follow-up' },
  exit: { da: 'afslutning', en: 'exit' },
} as const;

const BATCH = 2000;

/**
 * Opens a "measurement due" task per enrolment and scheduled instrument whose current occasion has no answer
 * in its window yet, moves an open one to the current occasion, and closes those answered or no longer
 * scheduled. Runs on the job queue (hourly and at start); safe to run twice.
 */
export async function computeDueMeasurements(db: Kysely<Database> | Transaction<Database>, today: string = dateInCopenhagen()): Promise<{ opened: number; moved: number; closed: number; enrolments: number }> {
  // Each batch in its own transaction; inside a caller's transaction (the demo loader) in that one.
  const inBatch = <T>(work: (tx: Kysely<Database>) => Promise<T>) => (db.isTransaction ? work(db) : db.transaction().execute(work));
  const schedules = await db
    .selectFrom('programme_instruments as pi')
    .innerJoin('programmes as p', 'p.id', 'pi.programme_id')
    .select(['pi.programme_id', 'pi.instrument_code', 'pi.at_enrolment', 'pi.every_months', 'pi.window_days', 'pi.at_exit', 'p.organisation_id'])
    .execute();
  // Titles by organisation and code: an organisation's own instrument may share its code with another's.
  const titles = new Map<string, { da: string; en: string }>();
  for (const row of await db.selectFrom('instruments').select(['organisation_id', 'code', sql<{ da: string; en: string }>`definition -> 'title'`.as('title')]).where('status', '=', 'active').execute()) {
    titles.set(`${row.organisation_id ?? 'shipped'}:${row.code}`, row.title);
  }
  const totals = { opened: 0, moved: 0, closed: 0, enrolments: 0 };
  for (const schedule of schedules) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const enrolments = await db
        .selectFrom('enrolments as e')
        .select(['e.id', 'e.citizen_id', 'e.organisation_id', 'e.start_date', 'e.end_date', 'e.status'])
        .select((eb) =>
          eb
            .selectFrom('assessments as a')
            .select(sql<string>`max((a.answered_at at time zone 'Europe/Copenhagen')::date)::text`.as('d'))
            .whereRef('a.enrolment_id', '=', 'e.id')
            .where('a.instrument_code', '=', schedule.instrument_code)
            .where('a.status', '=', 'submitted')
            .as('last_answered'),
        )
        .select((eb) =>
          eb
            .selectFrom('staff_tasks as t')
            .select(sql<string>`json_build_object('id', t.id, 'due', t.due_date::text, 'end', t.window_end::text)::text`.as('t'))
            .whereRef('t.enrolment_id', '=', 'e.id')
            .where('t.kind', '=', 'measurement_due')
            .where('t.instrument_code', '=', schedule.instrument_code)
            .where('t.status', '=', 'open')
            .limit(1)
            .as('open_task'),
        )
        .where('e.programme_id', '=', schedule.programme_id)
        .where('e.id', '>', after)
        // Ended enrolments matter only until their exit window has closed.
        .where((eb) => eb.or([eb('e.status', '!=', 'ended'), eb('e.end_date', '>=', addDays(today, -schedule.window_days - 1))]))
        .orderBy('e.id')
        .limit(BATCH)
        .execute();
      if (enrolments.length === 0) break;
      after = enrolments[enrolments.length - 1]!.id;
      totals.enrolments += enrolments.length;
      const toOpen: Database['staff_tasks'][] = [];
      const toClose: string[] = [];
      const toMove: { id: string; due: string; end: string; text_da: string; text_en: string }[] = [];
      const title = titles.get(`${schedule.organisation_id}:${schedule.instrument_code}`) ?? titles.get(`shipped:${schedule.instrument_code}`) ?? { da: schedule.instrument_code, en: schedule.instrument_code };
      for (const e of enrolments) {
        const open = e.open_task ? (JSON.parse(e.open_task) as { id: string; due: string; end: string }) : null;
        const current = e.status === 'referred' ? null : currentOccasion(schedule, e, today);
        const answered = current !== null && e.last_answered !== null && e.last_answered >= current.windowStart;
        if (!current || answered) {
          if (open) toClose.push(open.id);
          continue;
        }
        const label = OCCASION_TEXT[current.occasion];
        const text_da = `${title.da}: måling ved ${label.da}${current.number ? ` ${current.number}` : ''}`;
        const text_en = `${title.en}: ${label.en} measurement${current.number ? ` ${current.number}` : ''}`;
        if (open) {
          if (open.due !== current.date || open.end !== current.windowEnd) toMove.push({ id: open.id, due: current.date, end: current.windowEnd, text_da, text_en });
          continue;
        }
        toOpen.push({
          organisation_id: e.organisation_id,
          citizen_id: e.citizen_id,
          enrolment_id: e.id,
          programme_id: schedule.programme_id,
          kind: 'measurement_due',
          rule: `due:${schedule.instrument_code}`,
          instrument_code: schedule.instrument_code,
          text_da,
          text_en,
          assessment_id: null,
          due_date: current.date,
          window_end: current.windowEnd,
          status: 'open',
          closed_at: null,
          closed_by: null,
          close_note: null,
        } as unknown as Database['staff_tasks']);
      }
      await inBatch(async (tx) => {
        if (toOpen.length > 0) {
          const inserted = await tx
            .insertInto('staff_tasks')
            .values(toOpen as never)
            .onConflict((oc) => oc.columns(['citizen_id', 'kind', 'rule']).where(sql.ref('status'), '=', sql.lit('open')).doNothing())
            .returning('id')
            .execute();
          totals.opened += inserted.length;
        }
        for (const m of toMove) {
          await tx.updateTable('staff_tasks').set({ due_date: m.due, window_end: m.end, text_da: m.text_da, text_en: m.text_en, version: sql`version + 1` }).where('id', '=', m.id).execute();
        }
        totals.moved += toMove.length;
        if (toClose.length > 0) {
          await tx.updateTable('staff_tasks').set({ status: 'cancelled', closed_at: new Date(), close_note: 'no_longer_due', version: sql`version + 1` }).where('id', 'in', toClose).where('status', '=', 'open').execute();
          totals.closed += toClose.length;
        }
      });
      if (enrolments.length < BATCH) break;
    }
  }
  return totals;
}

/** Due and overdue measurements of a programme, per resource consultant (the programme manager's view). */
export async function dueList(db: Kysely<Database>, actor: Actor, programmeId: string, query: z.infer<typeof DueListQuery>) {
  return inTransaction(db, async (tx) => {
    const programme = await tx.selectFrom('programmes').select(['organisation_id']).where('id', '=', programmeId).executeTakeFirst();
    if (!programme) throw new NotFound('No such programme');
    requireAccess(actor, 'progression:due-list', { type: 'programme', id: programmeId, organisationId: programme.organisation_id, programmeId }, { action: 'read', purpose: 'programme_management' });
    const today = dateInCopenhagen();
    const until = query.until ?? addDays(today, 14);
    const after = decodeCursor(query.cursor, isDueCursor);
    const rows = (await taskQuery(tx)
      .select((eb) =>
        eb
          .selectFrom('team_members as tm')
          .innerJoin('users as u', 'u.id', 'tm.user_id')
          .select(sql<string>`json_build_object('id', u.id, 'name', u.name)::text`.as('c'))
          .whereRef('tm.enrolment_id', '=', 't.enrolment_id')
          .where('tm.role', '=', 'resource_consultant')
          .where('tm.kind', '=', 'permanent')
          .where('tm.valid_from', '<=', today)
          .where((w) => w.or([w('tm.valid_to', 'is', null), w('tm.valid_to', '>=', today)]))
          .limit(1)
          .as('consultant'),
      )
      .where('t.programme_id', '=', programmeId)
      .where('t.kind', '=', 'measurement_due')
      .where('t.status', '=', 'open')
      .where('t.due_date', '<=', until)
      .$if(query.consultantId !== undefined, (q) =>
        q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('team_members as tm2')
              .select('tm2.id')
              .whereRef('tm2.enrolment_id', '=', 't.enrolment_id')
              .where('tm2.user_id', '=', query.consultantId!)
              .where('tm2.valid_from', '<=', today)
              .where((w) => w.or([w('tm2.valid_to', 'is', null), w('tm2.valid_to', '>=', today)])),
          ),
        ),
      )
      // Keyset on (due date, id): the partial index on open tasks per programme and due date serves it.
      .$if(after !== undefined, (q) => q.where(sql<boolean>`(t.due_date, t.id) > (${after!.due}::date, ${after!.id}::uuid)`))
      .orderBy('t.due_date')
      .orderBy('t.id')
      .limit(query.limit + 1)
      .execute()) as (TaskRow & { consultant: string | null })[];
    const page = rows.slice(0, query.limit);
    await recordAuditMany(
      tx,
      [...new Set(page.map((r) => r.citizen_id))].map((citizenId) => ({ actor, organisationId: programme.organisation_id, action: 'read' as const, purpose: 'programme_management' as const, resourceType: 'measurement_due', citizenId, outcome: 'success' as const })),
    );
    return {
      items: page.map((r) => ({ ...toTask(r, today), consultant: r.consultant ? (JSON.parse(r.consultant) as { id: string; name: string }) : null })),
      nextCursor: rows.length > query.limit ? encodeCursor({ due: page[page.length - 1]!.due_date, id: page[page.length - 1]!.id }) : null,
    };
  });
}
