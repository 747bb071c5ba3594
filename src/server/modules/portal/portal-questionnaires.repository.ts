// SQL of the portal's Spørgeskemaer: the due measurements of the citizen's records that the citizen answers alone,
// one of them by id (locked, for answering), and the citizen's submitted answers of such instruments.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { InstrumentDefinition } from '../../../contracts/instruments.ts';
import type { Database } from '../../db/schema.ts';
import type { z } from 'zod';

type Q = Kysely<Database>;
type Definition = z.infer<typeof InstrumentDefinition>;

/**
 * Whether the citizen answers an instrument alone: every item is the citizen's and none is shown on a condition. An
 * instrument with a staff item (the staff member's view) or with branching is answered with staff only.
 */
export function citizenAnswers(definition: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`not exists (select 1 from jsonb_array_elements(${definition} -> 'items') as item
                                   where item ->> 'respondent' is distinct from 'citizen' or item ? 'showIf')`;
}

/** The same rule on a definition in hand. */
export const isCitizenAnswerable = (def: Definition) => def.items.every((item) => item.respondent === 'citizen' && item.showIf === undefined);

/** The active version of an instrument for a task's organisation: its own first, else the shipped one. */
const ACTIVE_INSTRUMENT = (task: string) => sql`
  select i.id, i.version, i.definition from instruments i
   where i.code = ${sql.ref(`${task}.instrument_code`)} and i.status = 'active'
     and (i.organisation_id is null or i.organisation_id = ${sql.ref(`${task}.organisation_id`)})
   order by i.version desc limit 1`;

export interface DueRow {
  id: string;
  citizen_id: string;
  organisation_id: string;
  instrument_code: string;
  due_date: string;
  instrument_id: string;
  instrument_version: number;
  definition: Definition;
}

/** The open due measurements of the records whose active instrument the citizen answers alone, soonest due first. */
export async function dueOf(db: Q, citizenIds: string[], cap: number): Promise<DueRow[]> {
  const { rows } = await sql<DueRow>`
    select t.id, t.citizen_id, t.organisation_id, t.instrument_code, t.due_date::text as due_date,
           i.id as instrument_id, i.version as instrument_version, i.definition
      from staff_tasks t
      cross join lateral (${ACTIVE_INSTRUMENT('t')}) i
     where t.citizen_id = any(${citizenIds}::uuid[]) and t.kind = 'measurement_due' and t.status = 'open'
       and ${citizenAnswers(sql.ref('i.definition'))}
     order by t.due_date, t.id
     limit ${cap}`.execute(db);
  return rows;
}

/** Whether a questionnaire waits for the records (the portal's summary): the same rule as dueOf. */
export function waitingOf(citizenIds: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from staff_tasks t cross join lateral (${ACTIVE_INSTRUMENT('t')}) i
                        where t.citizen_id = any(${citizenIds}) and t.kind = 'measurement_due' and t.status = 'open'
                          and ${citizenAnswers(sql.ref('i.definition'))})`;
}

export interface TaskRow {
  id: string;
  citizen_id: string;
  organisation_id: string;
  enrolment_id: string;
  programme_id: string;
  enrolment_status: string;
  instrument_code: string;
  status: 'open' | 'done' | 'cancelled';
}

/** A due measurement of one of the records, locked for answering; undefined when it is not theirs (or not one). */
export function dueTaskOfRecords(db: Q, id: string, citizenIds: string[]): Promise<TaskRow | undefined> {
  return db
    .selectFrom('staff_tasks as t')
    .innerJoin('enrolments as e', 'e.id', 't.enrolment_id')
    .select(['t.id', 't.citizen_id', 't.organisation_id', 't.enrolment_id', 't.programme_id', 'e.status as enrolment_status', 't.instrument_code', 't.status'])
    .where('t.id', '=', id)
    .where('t.citizen_id', 'in', citizenIds)
    .where('t.kind', '=', 'measurement_due')
    .forUpdate()
    .executeTakeFirst() as Promise<TaskRow | undefined>;
}

export interface AnswerRow {
  id: string;
  instrument_code: string;
  title: { da: string; en: string };
  answered_at: Date;
  raw: number | null;
  scaled: number | null;
  band: string | null;
  by_me: boolean;
}

/** Submitted answers of the records to instruments the citizen answers alone, newest first, after a keyset cursor. */
export async function answersOf(db: Q, citizenIds: string[], accountId: string, after: { at: string; id: string } | undefined, limit: number): Promise<AnswerRow[]> {
  const { rows } = await sql<AnswerRow>`
    select a.id, a.instrument_code, i.definition -> 'title' as title, a.answered_at, a.raw::float8 as raw, a.scaled::float8 as scaled, a.band,
           a.answered_by_account is not distinct from ${accountId}::uuid as by_me
      from assessments a join instruments i on i.id = a.instrument_id
     where a.citizen_id = any(${citizenIds}::uuid[]) and a.status = 'submitted'
       and ${citizenAnswers(sql.ref('i.definition'))}
       ${after ? sql`and (a.answered_at, a.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
     order by a.answered_at desc, a.id desc
     limit ${limit}`.execute(db);
  return rows;
}

export interface SeriesRow {
  instrument_code: string;
  title: { da: string; en: string };
  definition: Definition;
  answered_at: Date;
  raw: number | null;
  scaled: number | null;
  band: string | null;
}

/**
 * The latest `perInstrument` submitted answers per instrument the citizen answers alone, oldest first within each,
 * with the definition of the version the latest was given on (for its relevant change and axis).
 */
export async function seriesOf(db: Q, citizenIds: string[], perInstrument: number, maxInstruments: number): Promise<SeriesRow[]> {
  const { rows } = await sql<SeriesRow>`
    with codes as (
      select distinct a.instrument_code from assessments a
       where a.citizen_id = any(${citizenIds}::uuid[]) and a.status = 'submitted'
       order by a.instrument_code limit ${maxInstruments})
    select s.instrument_code, s.definition -> 'title' as title, s.definition, s.answered_at, s.raw, s.scaled, s.band
      from codes c
      cross join lateral (
        select a.instrument_code, i.definition, a.answered_at, a.raw::float8 as raw, a.scaled::float8 as scaled, a.band
          from assessments a join instruments i on i.id = a.instrument_id
         where a.citizen_id = any(${citizenIds}::uuid[]) and a.instrument_code = c.instrument_code and a.status = 'submitted'
           and ${citizenAnswers(sql.ref('i.definition'))}
         order by a.answered_at desc, a.id desc
         limit ${perInstrument}) s
     order by s.instrument_code, s.answered_at`.execute(db);
  return rows;
}
