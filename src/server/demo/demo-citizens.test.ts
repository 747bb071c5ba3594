// The demo citizens: counts, replacement CPR numbers, believable histories, teams and dates anchored as decided
// in docs/decisions/0006-demo-data-dates.md.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cprVault } from '../modules/citizens/cpr-vault.ts';
import { ageOn, parseCpr } from '../modules/citizens/cpr.ts';
import { freshDatabase, type TestDb } from '../testing/harness.ts';
import { citizenId, loadDemoCitizens } from './demo-citizens.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';

const CPR_KEY = 'test-cpr-key-test-cpr-key-test-cpr-key-0123456';
const TODAY = '2026-11-23';
const FOURTEEN_MONTHS_AGO = '2025-09-23';

let db: TestDb | undefined;

/** The test template already holds the demo citizens; these tests load them themselves, so start without. */
async function freshDatabaseWithoutCitizens(): Promise<TestDb> {
  const d = await freshDatabase();
  // The activities refer to the citizens, so they go first (children before parents).
  const activities = ['study_answers', 'portal_reminders', 'portal_reminder_settings', 'lookup_questions', 'note_portal_remarks', 'consent_withdrawal_requests', 'consent_preparations', 'access_packages', 'access_requests', 'portal_calendar_feeds', 'portal_sessions', 'portal_links', 'portal_login_codes', 'portal_outbox', 'consultation_duties', 'consultation_items', 'consultations', 'inquiry_messages', 'inquiries', 'crossing_tasks', 'liaison_company_meeting_items', 'liaison_company_meetings', 'received_disclosures', 'disclosures', 'knowledge_transfers', 'transitions', 'consents', 'staff_tasks', 'assessment_corrections', 'assessment_pairs', 'assessments', 'upskilling', 'internship_weeks', 'internship_follow_ups', 'internships', 'group_attendance', 'group_participants', 'plan_revisions', 'plan_task_comments', 'plan_tasks', 'plan_goals', 'meeting_participants', 'network_meetings', 'plan_participants', 'plans', 'conversations', 'portal_accounts'] as const;
  for (const table of activities) await d.kysely.deleteFrom(table).execute();
  for (const table of ['citizen_events', 'note_revisions', 'notes', 'status_periods', 'team_members', 'enrolments', 'citizens'] as const) {
    await d.kysely.deleteFrom(table).execute();
  }
  return d;
}

async function loaded(): Promise<TestDb> {
  const d = await freshDatabaseWithoutCitizens();
  await loadDemoCitizens(d.kysely, { cprKey: CPR_KEY, today: TODAY });
  return d;
}

afterEach(async () => {
  await db?.drop();
  db = undefined;
});

describe('demo citizens', () => {
  beforeAll(() => {
    expect(citizenId(1)).toBe('00000000-0000-4000-8000-000000010001');
  });

  it('loads about 100 citizens into "På vej til arbejde" and 80 into Fremskudt, in bulk, owned by the right municipality', async () => {
    db = await freshDatabaseWithoutCitizens();
    let result: Awaited<ReturnType<typeof loadDemoCitizens>> | undefined;
    const statements = await db.statementsDuring(async () => {
      result = await loadDemoCitizens(db!.kysely, { cprKey: CPR_KEY, today: TODAY });
    });
    expect(result!.citizens).toBe(180);
    // Loaded in bulk: a few multi-row inserts per table, never a statement per row (180 citizens, ~1,000 rows).
    // Counted rather than timed, so a busy machine cannot fail it and a row-by-row loader always does.
    expect(statements.length).toBeLessThan(60);

    const perProgramme = await db.kysely
      .selectFrom('enrolments as e')
      .innerJoin('citizens as c', 'c.id', 'e.citizen_id')
      .select(['e.programme_id', 'c.organisation_id', 'e.organisation_id as enrolment_org', 'c.is_demo', 'c.cpr_is_replacement', 'c.created_by', 'e.status', 'e.created_by as enrolled_by'])
      .execute();
    const paaVej = perProgramme.filter((r) => r.programme_id === PROGRAMME.paaVej);
    const fremskudt = perProgramme.filter((r) => r.programme_id === PROGRAMME.fremskudt);
    expect(paaVej.length).toBeGreaterThanOrEqual(95);
    expect(paaVej.length).toBeLessThanOrEqual(105);
    expect(fremskudt.length).toBeGreaterThanOrEqual(75);
    expect(fremskudt.length).toBeLessThanOrEqual(85);
    expect(paaVej.every((r) => r.organisation_id === ORG.naestved && r.enrolment_org === ORG.naestved)).toBe(true);
    expect(fremskudt.every((r) => r.organisation_id === ORG.nordfyn && r.enrolment_org === ORG.nordfyn && r.created_by === userId(15))).toBe(true);
    expect(paaVej.every((r) => [4, 5, 6, 7].map(userId).includes(r.created_by))).toBe(true);
    expect(perProgramme.every((r) => r.is_demo && r.cpr_is_replacement)).toBe(true);

    // Active stays well below capacity, so tests can enrol more citizens.
    expect(paaVej.filter((r) => r.status === 'active').length).toBeLessThanOrEqual(65);
    expect(fremskudt.filter((r) => r.status === 'active').length).toBeLessThanOrEqual(55);
    for (const s of ['active', 'paused', 'referred', 'ended'] as const) {
      expect(paaVej.some((r) => r.status === s)).toBe(true);
      expect(fremskudt.some((r) => r.status === s)).toBe(true);
    }
  });

  it('gives the Nordfyn citizens benefits at start exactly as the planned target groups', async () => {
    db = await loaded();
    const planned = await db.kysely.selectFrom('programme_target_groups').select(['benefit_code', 'planned_count']).where('programme_id', '=', PROGRAMME.fremskudt).execute();
    const actual = await db.kysely
      .selectFrom('enrolments')
      .select(['benefit_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('programme_id', '=', PROGRAMME.fremskudt)
      .groupBy('benefit_code')
      .execute();
    expect(Object.fromEntries(actual.map((r) => [r.benefit_code, Number(r.n)]))).toEqual(Object.fromEntries(planned.map((r) => [r.benefit_code, r.planned_count])));
  });

  it('gives everyone a unique replacement CPR number that decrypts to their birth date, aged 18–60', async () => {
    db = await loaded();
    const vault = cprVault(CPR_KEY);
    const citizens = await db.kysely.selectFrom('citizens').select(['id', 'organisation_id', 'cpr_encrypted', 'cpr_hash', 'birth_date', 'first_name', 'last_name', 'search_name', 'email', 'phone']).execute();
    const seen = new Set<string>();
    for (const c of citizens) {
      const digits = vault.decrypt(c.cpr_encrypted);
      const parsed = parseCpr(digits);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.value.isReplacement).toBe(true);
      expect(Number(digits.slice(0, 2))).toBeGreaterThanOrEqual(61);
      expect(Number(digits.slice(0, 2))).toBeLessThanOrEqual(91);
      expect(parsed.value.birthDate).toBe(c.birth_date);
      expect(vault.lookupHash(digits)).toBe(c.cpr_hash);
      const age = ageOn(c.birth_date, TODAY);
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(60);
      expect(seen.has(`${c.organisation_id}:${digits}`)).toBe(false);
      seen.add(`${c.organisation_id}:${digits}`);
      expect(c.search_name).toBe(`${c.first_name} ${c.last_name}`.toLocaleLowerCase('da'));
      expect(c.email).toMatch(/@example\.invalid$/);
      expect(c.phone).toMatch(/^\+45 /);
    }
    expect(citizens.some((c) => /[æøåÆØÅ]/.test(c.first_name + c.last_name))).toBe(true);
  });

  it('keeps status histories believable: one open period at most, the latest, and no overlaps', async () => {
    db = await loaded();
    const periods = await db.kysely.selectFrom('status_periods').select(['citizen_id', 'benefit_code', 'activity', 'weekly_hours', 'from_date', 'to_date']).orderBy('citizen_id').orderBy('from_date').execute();
    const byCitizen = new Map<string, typeof periods>();
    for (const p of periods) byCitizen.set(p.citizen_id, [...(byCitizen.get(p.citizen_id) ?? []), p]);
    expect(byCitizen.size).toBe(180);
    for (const list of byCitizen.values()) {
      expect(list.filter((p) => p.to_date === null).length).toBeLessThanOrEqual(1);
      list.forEach((p, i) => {
        expect(p.from_date <= TODAY).toBe(true);
        if (p.to_date !== null) expect(p.to_date >= p.from_date).toBe(true);
        const next = list[i + 1];
        if (next) {
          expect(p.to_date).not.toBeNull(); // only the latest may be open
          expect(p.to_date! < next.from_date).toBe(true);
        }
        if (p.activity === 'internship') {
          expect(p.weekly_hours).toBeGreaterThanOrEqual(5);
          expect(p.weekly_hours).toBeLessThanOrEqual(20);
        }
      });
    }
    // Job and education exits end in a period of work or education.
    const exits = await db.kysely.selectFrom('enrolments').select(['citizen_id', 'exit_outcome', 'end_date']).where('exit_outcome', 'in', ['ordinaert_job', 'uddannelse']).execute();
    expect(exits.length).toBeGreaterThan(0);
    for (const e of exits) {
      const last = byCitizen.get(e.citizen_id)!.at(-1)!;
      expect(last.benefit_code).toBe('selvforsoergende');
      expect(last.activity).toBe(e.exit_outcome === 'uddannelse' ? 'education' : 'ordinary_job');
      expect(last.from_date).toBe(e.end_date);
    }
    expect(periods.some((p) => p.activity === 'internship' && p.to_date === null)).toBe(true);
  });

  it('gives every citizen 1–3 notes, each with revision 1 by a team member or the owner', async () => {
    db = await loaded();
    const notes = await db.kysely
      .selectFrom('notes as n')
      .leftJoin('note_revisions as r', (j) => j.onRef('r.note_id', '=', 'n.id').on('r.revision', '=', 1))
      .select(['n.citizen_id', 'n.kind', 'n.source', 'n.sensitivity', 'n.revision', 'r.body', 'r.written_by', 'n.author_id'])
      .execute();
    const perCitizen = new Map<string, number>();
    for (const n of notes) {
      expect(n.revision).toBe(1);
      expect(n.body).toBeTruthy();
      expect(n.written_by).toBe(n.author_id);
      if (n.kind === 'external_assessment') expect(n.source).toBeTruthy();
      perCitizen.set(n.citizen_id, (perCitizen.get(n.citizen_id) ?? 0) + 1);
    }
    expect(perCitizen.size).toBe(180);
    expect([...perCitizen.values()].every((k) => k >= 1 && k <= 3)).toBe(true);
    expect(notes.filter((n) => n.kind === 'journal').length).toBeGreaterThan(notes.length / 2);
    expect(notes.some((n) => n.kind === 'external_assessment' && n.source === 'Psykiatrisk Afdeling Odense (rådgivning på møde)')).toBe(true);
    expect(notes.filter((n) => n.sensitivity === 'normal').length).toBeGreaterThan(notes.length / 2);
    expect(notes.every((n) => n.author_id !== userId(13))).toBe(true);
  });

  it('anchors open enrolments to the load day and keeps ended ones inside the programme period', async () => {
    db = await loaded();
    const rows = await db.kysely
      .selectFrom('enrolments as e')
      .innerJoin('programmes as p', 'p.id', 'e.programme_id')
      .select(['e.id', 'e.citizen_id', 'e.status', 'e.start_date', 'e.end_date', 'e.exit_outcome', 'p.starts_on', 'p.ends_on'])
      .execute();
    const created = await db.kysely.selectFrom('citizen_events').select(['ref_id', 'data', 'occurred_at']).where('kind', '=', 'enrolment.created').execute();
    for (const e of rows) {
      const ev = created.find((c) => c.ref_id === e.id);
      expect(ev).toBeDefined();
      if (e.status === 'ended') {
        expect(e.start_date >= e.starts_on && e.end_date! <= e.ends_on).toBe(true);
        expect(e.exit_outcome).toBeTruthy();
        expect(ev!.data.acknowledgedWarnings).toEqual([]);
      } else {
        expect(e.start_date >= FOURTEEN_MONTHS_AGO && e.start_date <= TODAY).toBe(true);
        expect(e.end_date).toBeNull();
        expect(ev!.data.acknowledgedWarnings).toEqual(['outside_period']);
      }
    }
    // Notes of open enrolments fall inside the enrolment, up to today.
    const notes = await db.kysely.selectFrom('notes').select(['citizen_id', 'created_at']).execute();
    for (const n of notes) {
      const e = rows.find((r) => r.citizen_id === n.citizen_id)!;
      const day = new Date(n.created_at).toISOString().slice(0, 10);
      expect(day >= e.start_date && day <= (e.end_date ?? TODAY)).toBe(true);
    }
    // The exit outcomes of "På vej" mirror the mid-term figures roughly.
    const ended = rows.filter((r) => r.status === 'ended' && r.starts_on === '2017-08-01');
    const job = ended.filter((r) => ['ordinaert_job', 'job_med_loentilskud', 'fleksjob'].includes(r.exit_outcome!)).length / ended.length;
    const education = ended.filter((r) => r.exit_outcome === 'uddannelse').length / ended.length;
    expect(job).toBeGreaterThan(0.1);
    expect(job).toBeLessThan(0.25);
    expect(education).toBeGreaterThan(0.05);
    expect(education).toBeLessThan(0.15);
  });

  it('puts the consultants evenly on "På vej" teams and nordfyn, but never the liaison, on Fremskudt teams', async () => {
    db = await loaded();
    const team = await db.kysely
      .selectFrom('team_members as t')
      .innerJoin('enrolments as e', 'e.id', 't.enrolment_id')
      .select(['e.programme_id', 'e.id as enrolment_id', 't.user_id', 't.role', 't.kind', 't.valid_from', 't.valid_to', 'e.start_date', 't.organisation_id'])
      .execute();
    const enrolments = await db.kysely.selectFrom('enrolments').select(['id', 'programme_id']).execute();
    const fremskudt = enrolments.filter((e) => e.programme_id === PROGRAMME.fremskudt);
    const paaVej = enrolments.filter((e) => e.programme_id === PROGRAMME.paaVej);

    expect(team.every((t) => t.kind === 'permanent' && t.valid_from === t.start_date && t.valid_to === null)).toBe(true);
    expect(team.some((t) => t.user_id === userId(13) || t.role === 'liaison')).toBe(false);

    const nordfynOn = new Set(team.filter((t) => t.user_id === userId(15) && t.role === 'caseworker').map((t) => t.enrolment_id));
    expect(nordfynOn.size / fremskudt.length).toBeGreaterThanOrEqual(0.85);
    expect(team.filter((t) => t.programme_id === PROGRAMME.fremskudt).every((t) => t.organisation_id === ORG.nordfyn && t.user_id === userId(15))).toBe(true);

    for (const n of [4, 5, 6, 7]) {
      const count = team.filter((t) => t.user_id === userId(n) && t.role === 'resource_consultant').length;
      expect(count).toBe(paaVej.length / 4);
    }
    const caseworker = team.filter((t) => t.user_id === userId(8) && t.role === 'caseworker').length / paaVej.length;
    const jobConsultant = team.filter((t) => t.user_id === userId(9) && t.role === 'job_consultant').length / paaVej.length;
    expect(caseworker).toBeGreaterThan(0.4);
    expect(caseworker).toBeLessThan(0.6);
    expect(jobConsultant).toBeGreaterThan(0.25);
    expect(jobConsultant).toBeLessThan(0.4);
  });

  it('writes the timeline events the app writes, dated like what they record', async () => {
    db = await loaded();
    const events = await db.kysely.selectFrom('citizen_events').select(['citizen_id', 'kind', 'data', 'occurred_at']).execute();
    const kinds = new Set(events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['citizen.created', 'enrolment.created', 'enrolment.status_changed', 'note.created', 'status.added', 'team.changed']);
    expect(events.filter((e) => e.kind === 'citizen.created').length).toBe(180);
    const changed = events.filter((e) => e.kind === 'enrolment.status_changed');
    const endedCount = await db.kysely.selectFrom('enrolments').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['ended', 'paused']).executeTakeFirstOrThrow();
    expect(changed.length).toBe(Number(endedCount.n));
    for (const e of events.filter((x) => x.kind === 'status.added')) {
      // Noon in Copenhagen on the period's first day.
      const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', dateStyle: 'short', timeStyle: 'short' }).format(new Date(e.occurred_at));
      expect(local).toBe(`${String(e.data.fromDate)} 12:00`);
    }
  });

  it('is deterministic: two fresh databases get the same ids, names and dates', async () => {
    const snapshot = async (d: TestDb) => ({
      citizens: await d.kysely.selectFrom('citizens').select(['id', 'first_name', 'last_name', 'birth_date', 'cpr_hash']).orderBy('id').execute(),
      enrolments: await d.kysely.selectFrom('enrolments').select(['id', 'citizen_id', 'status', 'start_date', 'end_date', 'exit_outcome', 'benefit_code']).orderBy('id').execute(),
      periods: await d.kysely.selectFrom('status_periods').select(['id', 'citizen_id', 'from_date', 'to_date', 'activity']).orderBy('id').execute(),
      notes: await d.kysely.selectFrom('note_revisions').select(['note_id', 'body']).orderBy('note_id').execute(),
    });
    db = await loaded();
    const other = await loaded();
    try {
      const [a, b] = [await snapshot(db), await snapshot(other)];
      expect(a.citizens[0]?.id).toBe(citizenId(1));
      expect(b).toEqual(a);
    } finally {
      await other.drop();
    }
  });
});
