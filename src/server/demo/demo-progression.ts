// Demo progression measurements: each programme measures WHO-5, the Work Ability Score and the employment-
// progression instrument at enrolment and every three months; every demo citizen with an open enrolment has
// their answers from the start (at most the last two years) until today, along a plausible trajectory — most
// improving slowly, some flat, a few with a dip whose alert tasks are still open. Scores, bands and alerts
// come from the same engine the application uses; the baseline/latest pairs and the due list are then built
// as the application builds them. Deterministic (seeded), ids from blocks 40–41.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { BUILTIN_INSTRUMENTS } from '../modules/progression/builtin.ts';
import { firedAlerts, score } from '../modules/progression/engine.ts';
import { rebuildAssessmentPairs } from '../modules/progression/assessments.service.ts';
import { computeDueMeasurements } from '../modules/progression/tasks.service.ts';
import { PROGRAMME } from './ids.ts';
import { addDays, copenhagenTime } from '../platform/dates.ts';
import { insertChunked, Rng } from './demo-citizens.ts';

const ID_BLOCK = { assessment: 40, task: 41 } as const;
const SCHEDULE = [
  { instrument_code: 'who5', every_months: 3, position: 0 },
  { instrument_code: 'was', every_months: 3, position: 1 },
  { instrument_code: 'jobprogression', every_months: 3, position: 2 },
] as const;
const ACUTE = {
  da: 'Ved akut bekymring for borgerens helbred eller sikkerhed: ring til borgerens egen læge eller lægevagten på 1813, og ved fare 112. Orienter din leder samme dag. Kontakt til psykiatrien om borgeren sker kun med borgerens samtykke.',
  en: "If you are acutely worried about the citizen's health or safety: call the citizen's own doctor or the medical helpline 1813, and 112 in danger. Tell your manager the same day. Contact with psychiatry about the citizen requires the citizen's consent.",
};

type Kind = 'improving' | 'flat' | 'dip';

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

const clamp = (v: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(v)));

export async function loadDemoProgression(db: Kysely<Database>, today: string): Promise<{ assessments: number; alerts: number; due: number }> {
  // The schedule and the acute procedure of both programmes.
  for (const programmeId of [PROGRAMME.paaVej, PROGRAMME.fremskudt]) {
    const programme = await db.selectFrom('programmes').select('organisation_id').where('id', '=', programmeId).executeTakeFirst();
    if (!programme) continue;
    await db
      .insertInto('programme_instruments')
      .values(SCHEDULE.map((s) => ({ programme_id: programmeId, organisation_id: programme.organisation_id, instrument_code: s.instrument_code, at_enrolment: true, every_months: s.every_months, window_days: 14, at_exit: true, position: s.position })))
      .execute();
    await db.updateTable('programmes').set({ acute_procedure_da: ACUTE.da, acute_procedure_en: ACUTE.en }).where('id', '=', programmeId).execute();
  }
  const instruments = new Map((await db.selectFrom('instruments').select(['id', 'code']).where('organisation_id', 'is', null).where('status', '=', 'active').execute()).map((r) => [r.code, r.id]));
  const definitions = new Map(BUILTIN_INSTRUMENTS.map((d) => [d.code, d]));

  const { rows: enrolments } = await sql<{ enrolment_id: string; citizen_id: string; organisation_id: string; programme_id: string; start_date: string; staff: string | null }>`
    select e.id as enrolment_id, e.citizen_id, e.organisation_id, e.programme_id, e.start_date,
           (select tm.user_id from team_members tm where tm.enrolment_id = e.id and tm.role in ('resource_consultant', 'caseworker') and tm.valid_to is null
             order by tm.role = 'resource_consultant' desc, tm.valid_from desc limit 1) as staff
      from enrolments e join citizens c on c.id = e.citizen_id
     where e.status in ('active', 'paused') and c.is_demo
     order by e.citizen_id`.execute(db);

  const rng = new Rng(0x5e11_2026);
  let n = 0;
  const nextId = () => {
    n += 1;
    if (n > 9_999) throw new RangeError('demo id block assessment is full');
    return `00000000-0000-4000-8000-${String(ID_BLOCK.assessment * 10_000 + n).padStart(12, '0')}`;
  };
  const assessments: object[] = [];
  const alertTasks = new Map<string, object>();
  let taskN = 0;

  for (const e of enrolments) {
    if (!e.staff) continue;
    // Some citizens were enrolled so recently that only a baseline exists; a few have none yet (due on Min dag).
    if (rng.chance(0.08)) continue;
    const kind: Kind = rng.chance(0.15) ? 'dip' : rng.chance(0.3) ? 'flat' : 'improving';
    const first = e.start_date > addDays(today, -730) ? e.start_date : addMonths(today, -24);
    const dates: string[] = [];
    for (let k = 0; k < 12; k++) {
      const d = addDays(addMonths(first, k * 3), rng.int(0, 6));
      if (d > today) break;
      dates.push(d);
    }
    const baseWho5 = rng.int(8, 14);
    const baseWas = rng.int(1, 5);
    const baseJob = rng.int(1, 3);
    const dipAt = kind === 'dip' && dates.length > 1 ? rng.int(1, dates.length - 1) : -1;
    for (const [i, date] of dates.entries()) {
      const step = kind === 'improving' ? i * (1.2 + rng.next()) : kind === 'flat' ? rng.next() * 2 - 1 : i * 0.8;
      const dip = i === dipAt ? -6 : 0;
      const who5Total = clamp(baseWho5 + step + dip, 0, 25);
      const answersFor = (code: string): Record<string, number> => {
        const def = definitions.get(code)!;
        if (code === 'who5') {
          // Spread the total evenly over the five items (each 0–5), the remainder on randomly chosen items.
          const even = Math.floor(who5Total / 5);
          const items = def.items.map(() => even);
          for (const j of rng.shuffle([0, 1, 2, 3, 4]).slice(0, who5Total - even * 5)) items[j]! += 1;
          return Object.fromEntries(def.items.map((item, j) => [item.code, items[j]!]));
        }
        if (code === 'was') return { [def.items[0]!.code]: clamp(baseWas + step * 0.9 + dip / 2, 0, 10) };
        return Object.fromEntries(def.items.map((item) => [item.code, clamp(baseJob + step * 0.4 + (rng.next() - 0.5) + dip / 4, 1, 5)]));
      };
      for (const code of SCHEDULE.map((s) => s.instrument_code)) {
        const def = definitions.get(code)!;
        const answers = answersFor(code);
        const s = score(def, answers);
        const alerts = firedAlerts(def, answers, s);
        const id = nextId();
        const at = copenhagenTime(date, `${String(9 + (i % 5)).padStart(2, '0')}:${code === 'who5' ? '00' : code === 'was' ? '10' : '15'}`);
        assessments.push({
          id,
          organisation_id: e.organisation_id,
          citizen_id: e.citizen_id,
          enrolment_id: e.enrolment_id,
          programme_id: e.programme_id,
          instrument_id: instruments.get(code)!,
          instrument_code: code,
          occasion: i === 0 ? 'baseline' : 'follow_up',
          status: 'submitted',
          // Objects: insertChunked writes the rows as JSON itself.
          answers,
          raw: s?.raw ?? null,
          scaled: s?.scaled ?? null,
          band: s?.band ?? null,
          subscales: s?.subscales ?? null,
          alerts: alerts.map((a) => a.code),
          answered_at: at,
          answered_with: 'with_citizen',
          created_by: e.staff,
          created_at: at,
          updated_at: at,
        });
        // An alert of the latest measurement is still open; earlier ones were handled.
        const latest = i === dates.length - 1;
        for (const a of alerts) {
          const key = `${e.citizen_id}:${a.code}`;
          taskN += 1;
          alertTasks.set(key, {
            id: `00000000-0000-4000-8000-${String(ID_BLOCK.task * 10_000 + taskN).padStart(12, '0')}`,
            organisation_id: e.organisation_id,
            citizen_id: e.citizen_id,
            enrolment_id: e.enrolment_id,
            programme_id: e.programme_id,
            kind: 'alert',
            rule: a.code,
            instrument_code: code,
            text_da: a.task.da,
            text_en: a.task.en,
            assessment_id: id,
            status: latest ? 'open' : 'done',
            created_at: at,
            closed_at: latest ? null : new Date(at.getTime() + 2 * 86_400_000),
            closed_by: latest ? null : e.staff,
            close_note: latest ? null : 'Talt med borgeren',
          });
        }
      }
    }
  }
  await insertChunked(db, 'assessments', assessments);
  // Earlier alerts of a rule were closed; only one task per rule and citizen is kept (the latest), as the application does.
  await insertChunked(db, 'staff_tasks', [...alertTasks.values()]);
  await rebuildAssessmentPairs(db);
  const due = await computeDueMeasurements(db, today);
  return { assessments: assessments.length, alerts: [...alertTasks.values()].filter((t) => (t as { status: string }).status === 'open').length, due: due.opened };
}
