// Demo plans, network meetings and conversations for the demo citizens with an open enrolment: a year of
// activity before the load day (never before the enrolment started) and the coming weeks' appointments, so
// that "Min dag", the calendar and the citizen page have something real to show. Deterministic (seeded),
// fixed ids from blocks 10–16, inserted in bulk; each held meeting is a revision of the plan, with the plan's
// snapshot as it stood after that meeting.
import { sql, type Kysely, type Transaction } from 'kysely';
import { syncMinPlanReminder } from '../modules/plan/min-plan.ts';
import type { Database, LifeArea } from '../db/schema.ts';
import { addDays, copenhagenTime } from '../platform/dates.ts';
import { insertChunked, Rng } from './demo-citizens.ts';

const ID_BLOCK = { plan: 10, goal: 11, task: 12, meeting: 13, participant: 14, conversation: 15, event: 16 } as const;
type Block = keyof typeof ID_BLOCK;

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const plusDays = addDays;
/** The moment it is hh:mm in Copenhagen on the day. */
const local = (iso: string, hh: number, mm = 0) => copenhagenTime(iso, `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`);

/** The weekday on or after the day (Monday–Friday). */
function weekday(iso: string): string {
  const dow = new Date(dayOf(iso) * DAY_MS).getUTCDay();
  return dow === 6 ? plusDays(iso, 2) : dow === 0 ? plusDays(iso, 1) : iso;
}

const GOALS: Record<LifeArea, readonly string[]> = {
  work: ['Praktik 10 timer om ugen', 'Afklare hvilket job der passer', 'Ordinært job på nedsat tid', 'Prøve et lager- eller butiksjob'],
  education: ['Afklare uddannelsesønske', 'Starte på VUC-forløb', 'Tage truckcertifikat'],
  health: ['Gå en tur hver dag', 'Fast kontakt til egen læge', 'Bedre søvn'],
  everyday_life: ['Fast døgnrytme', 'Handle ind og lave mad selv', 'Komme ud af huset tre gange om ugen'],
  finances: ['Overblik over gæld', 'Budget for måneden'],
  network: ['Genoptage kontakt til familien', 'Deltage i et fællesskab'],
  housing: ['Finde en mindre bolig', 'Styr på post og regninger i hjemmet'],
};
const TASKS: Record<'citizen' | 'staff' | 'outside', readonly string[]> = {
  citizen: ['Stå op kl. 8 på hverdage', 'Skrive tre jobønsker ned', 'Ringe til lægen', 'Gå en tur efter frokost', 'Tage med til informationsmøde'],
  staff: ['Finde en praktikplads', 'Indkalde til opfølgning', 'Undersøge VUC-hold', 'Kontakte virksomheden', 'Sende materiale om uddannelser'],
  outside: ['Køre med til første praktikdag', 'Vække om morgenen den første uge', 'Hjælpe med budgettet'],
};
const OUTSIDE = [
  { name: 'Eva', role: 'Mor', topics: ['everyday_life', 'work'] },
  { name: 'Peter', role: 'Far', topics: ['everyday_life'] },
  { name: 'Mona', role: 'Mentor', topics: ['work', 'education'] },
  { name: 'Kim', role: 'Bostøtte', topics: ['housing', 'finances', 'everyday_life'] },
] as const;
const CONVERSATION_PLACES = ['walk_and_talk', 'walk_and_talk', 'conversation_room', 'conversation_room', 'library', 'drop_in_centre', 'citizen_home', 'phone_video'] as const;
const THEMES = ['praktik', 'søvn', 'økonomi', 'uddannelse', 'netværk', 'helbred', 'job', 'hverdag'] as const;
const NOTES = [
  'Gåtur ved åen. Borgeren fortalte om ugen og om ønsket om praktik.',
  'God samtale. Vi gennemgik planen og næste skridt.',
  'Borgeren var træt, vi aftalte en kortere samtale næste gang.',
  'Vi talte om erfaringer fra praktikken og om timetallet.',
  'Opfølgning på døgnrytmen: går bedre, står op de fleste dage.',
] as const;

interface OpenEnrolment {
  enrolment_id: string;
  citizen_id: string;
  organisation_id: string;
  programme_id: string;
  start_date: string;
  last_name: string;
  consultant: string | null;
  caseworker: string | null;
  job_consultant: string | null;
}

/**
 * Loads plans, meetings and conversations for the open enrolments of the demo citizens. Runs in the demo
 * transaction, after the citizens; `today` is the load day the rest of the demo is anchored to.
 */
export async function loadDemoPlans(db: Kysely<Database>, today: string): Promise<{ plans: number; meetings: number; conversations: number }> {
  const { rows: enrolments } = await sql<OpenEnrolment>`
    select e.id as enrolment_id, e.citizen_id, e.organisation_id, e.programme_id, e.start_date, c.last_name,
           (select tm.user_id from team_members tm where tm.enrolment_id = e.id and tm.role = 'resource_consultant' and tm.valid_to is null order by tm.valid_from desc limit 1) as consultant,
           (select tm.user_id from team_members tm where tm.enrolment_id = e.id and tm.role = 'caseworker' and tm.valid_to is null order by tm.valid_from desc limit 1) as caseworker,
           (select tm.user_id from team_members tm where tm.enrolment_id = e.id and tm.role = 'job_consultant' and tm.valid_to is null order by tm.valid_from desc limit 1) as job_consultant
      from enrolments e join citizens c on c.id = e.citizen_id
     where e.status <> 'ended' and c.is_demo
     order by e.citizen_id`.execute(db);

  const rng = new Rng(0x91a7_2026);
  const counters: Record<Block, number> = { plan: 0, goal: 0, task: 0, meeting: 0, participant: 0, conversation: 0, event: 0 };
  const id = (block: Block) => {
    counters[block] += 1;
    const n = counters[block];
    if (n > 9_999) throw new RangeError(`demo id block ${block} is full`);
    return `00000000-0000-4000-8000-${String(ID_BLOCK[block] * 10_000 + n).padStart(12, '0')}`;
  };
  const rows = {
    plans: [] as object[],
    plan_participants: [] as object[],
    network_meetings: [] as object[],
    meeting_participants: [] as object[],
    plan_goals: [] as object[],
    plan_tasks: [] as object[],
    plan_revisions: [] as object[],
    conversations: [] as object[],
    citizen_events: [] as object[],
  };
  const names = new Map((await db.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.id, u.name]));
  const event = (e: OpenEnrolment, at: Date, kind: string, refId: string, actor: string, data: Record<string, unknown>) =>
    rows.citizen_events.push({ id: id('event'), organisation_id: e.organisation_id, citizen_id: e.citizen_id, occurred_at: at, kind, ref_id: refId, actor_id: actor, data });

  for (const e of enrolments) {
    const consultant = e.consultant ?? e.caseworker;
    if (!consultant) continue;
    const org = e.organisation_id;
    const from = e.start_date > plusDays(today, -365) ? e.start_date : plusDays(today, -365);
    const span = dayOf(today) - dayOf(from);

    // Conversations: every two to five weeks over the year, some at the citizen's own pace; one or two ahead.
    let day = plusDays(from, rng.int(3, 14));
    while (dayOf(day) < dayOf(today) - 1) {
      const date = weekday(day);
      if (dayOf(date) >= dayOf(today)) break;
      const noShow = rng.chance(0.08);
      const place = rng.pick(CONVERSATION_PLACES);
      const at = local(date, rng.pick([9, 10, 11, 13, 14]), rng.pick([0, 30]));
      const cid = id('conversation');
      const themes = rng.chance(0.7) ? [rng.pick(THEMES)] : [];
      rows.conversations.push({ id: cid, organisation_id: org, citizen_id: e.citizen_id, starts_at: at, duration_minutes: rng.pick([30, 45, 60, 60, 90]), place, place_text: null, status: noShow ? 'no_show' : 'held', staff_ids: `{${consultant}}`, themes: `{${themes.join(',')}}`, note: noShow ? null : rng.pick(NOTES), created_by: consultant, created_at: at, updated_at: at });
      event(e, at, noShow ? 'conversation.no_show' : 'conversation.held', cid, consultant, { startsAt: at.toISOString(), place, durationMinutes: 60, themes });
      day = plusDays(date, rng.int(14, 35));
    }
    for (let k = 0; k < rng.int(1, 2); k++) {
      const date = weekday(plusDays(today, k === 0 ? rng.int(0, 6) : rng.int(7, 20)));
      const at = local(date, rng.pick([9, 10, 13, 14]), rng.pick([0, 30]));
      const cid = id('conversation');
      const place = rng.pick(CONVERSATION_PLACES);
      const created = local(plusDays(today, -rng.int(1, 10)), 12);
      rows.conversations.push({ id: cid, organisation_id: org, citizen_id: e.citizen_id, starts_at: at, duration_minutes: 60, place, place_text: null, status: 'planned', staff_ids: `{${consultant}}`, themes: '{}', note: null, created_by: consultant, created_at: created, updated_at: created });
      event(e, created, 'conversation.planned', cid, consultant, { startsAt: at.toISOString(), place, durationMinutes: 60, themes: [] });
    }

    // The plan and its meetings: one held meeting every two to four months, the next one booked.
    const planId = id('plan');
    const meetingDays: string[] = [];
    let m = plusDays(from, rng.int(7, 30));
    while (dayOf(m) < dayOf(today) - 7 && meetingDays.length < 4) {
      meetingDays.push(weekday(m));
      m = plusDays(m, rng.int(60, 120));
    }
    if (span < 21 || meetingDays.length === 0) meetingDays.length = 0;
    const outside = rng.chance(0.35) ? rng.pick(OUTSIDE) : null;
    const participantId = outside && meetingDays.length > 0 ? id('participant') : null;
    const staff = [consultant, ...(e.caseworker && e.caseworker !== consultant ? [e.caseworker] : [])];
    type Goal = { id: string; life_area: LifeArea; text: string; target_date: string | null; status: string; position: number; set_in_meeting: string; changed_in_meeting: string | null; version: number };
    type Task = { id: string; goal_id: string | null; title: string; owner_kind: 'citizen' | 'staff' | 'outside'; owner_user_id: string | null; owner_participant_id: string | null; due_date: string | null; status: string; created_in_meeting: string; version: number };
    const goals: Goal[] = [];
    const tasks: Task[] = [];
    const goalKind = rng.chance(0.75) ? 'job' : 'education';
    const overall = goalKind === 'job' ? rng.pick(['Job i detailhandlen', 'Job på et lager', 'Fleksjob i kommunen', 'Job med faste timer']) : rng.pick(['Starte på en erhvervsuddannelse', 'Færdiggøre HF']);
    const goalTarget = plusDays(today, rng.int(120, 400));
    let version = 1;
    meetingDays.forEach((date, index) => {
      const meetingId = id('meeting');
      const at = local(date, rng.pick([9, 10, 13]), 0);
      rows.network_meetings.push({ id: meetingId, organisation_id: org, citizen_id: e.citizen_id, plan_id: planId, starts_at: at, duration_minutes: 90, place: rng.pick(['jobcentre', 'office', 'video']), place_text: null, status: 'held', minutes: 'Vi gennemgik planen, aftalte nye mål og fordelte opgaverne.', booked_from: null, created_by: consultant, created_at: at, updated_at: at });
      const people: { kind: string; user_id: string | null; plan_participant_id: string | null; role: string | null }[] = [
        { kind: 'citizen', user_id: null, plan_participant_id: null, role: null },
        ...staff.map((u) => ({ kind: 'staff', user_id: u, plan_participant_id: null, role: null })),
        ...(participantId ? [{ kind: 'outside', user_id: null, plan_participant_id: participantId, role: null }] : []),
      ];
      people.forEach((p, position) => rows.meeting_participants.push({ meeting_id: meetingId, position, ...p }));
      if (index === 0 && participantId && outside) {
        rows.plan_participants.push({ id: participantId, organisation_id: org, plan_id: planId, name: `${outside.name} ${e.last_name}`, role: outside.role, contact: null, consent_topics: `{${outside.topics.join(',')}}`, consent_recorded_by: consultant, consent_recorded_at: at, created_at: at });
      }
      // Earlier goals move on: some achieved, some changed; their tasks done.
      let goalsChanged = 0;
      let tasksChanged = 0;
      for (const g of goals) {
        if (g.status === 'active' && rng.chance(0.5)) {
          g.status = rng.chance(0.75) ? 'achieved' : 'changed';
          g.changed_in_meeting = meetingId;
          g.version += 1;
          goalsChanged++;
        }
      }
      for (const x of tasks) {
        if (x.status === 'open' && rng.chance(0.7)) {
          x.status = 'done';
          x.version += 1;
          tasksChanged++;
        }
      }
      const areas = rng.shuffle(Object.keys(GOALS) as LifeArea[]).slice(0, index === 0 ? rng.int(2, 3) : rng.int(1, 2));
      const newGoals = areas.map((area) => {
        const g: Goal = { id: id('goal'), life_area: area, text: rng.pick(GOALS[area]), target_date: rng.chance(0.6) ? plusDays(date, rng.int(60, 200)) : null, status: 'active', position: goals.length + 1, set_in_meeting: meetingId, changed_in_meeting: null, version: 1 };
        goals.push(g);
        return g;
      });
      let tasksAdded = 0;
      for (const g of newGoals) {
        const owners: ('citizen' | 'staff' | 'outside')[] = ['citizen', 'staff', ...(participantId && rng.chance(0.5) ? (['outside'] as const) : [])];
        for (const kind of owners) {
          const owner = kind === 'staff' ? rng.pick(staff) : null;
          tasks.push({ id: id('task'), goal_id: g.id, title: rng.pick(TASKS[kind]), owner_kind: kind, owner_user_id: owner, owner_participant_id: kind === 'outside' ? participantId : null, due_date: plusDays(date, rng.int(10, 50)), status: 'open', created_in_meeting: meetingId, version: 1 });
          tasksAdded++;
        }
      }
      version += 1;
      const summary = { goalsAdded: newGoals.length, goalsChanged, tasksAdded, tasksChanged, ...(index === 0 ? { overallGoal: true, coordinator: true } : {}), ...(index === 0 && participantId ? { participantsAdded: 1 } : {}) };
      const snapshot = {
        goal: { kind: goalKind, text: overall, targetDate: goalTarget },
        coordinator: { id: consultant, name: names.get(consultant) ?? '' },
        nextFollowUp: null,
        goals: goals.map((g) => ({ id: g.id, lifeArea: g.life_area, text: g.text, targetDate: g.target_date, status: g.status, version: g.version })),
        tasks: tasks.map((x) => ({ id: x.id, goalId: x.goal_id, title: x.title, ownerKind: x.owner_kind, ownerUser: x.owner_user_id ? { id: x.owner_user_id, name: names.get(x.owner_user_id) ?? '' } : null, dueDate: x.due_date, status: x.status, version: x.version })),
        participants: participantId && outside ? [{ id: participantId, name: `${outside.name} ${e.last_name}`, role: outside.role, consentTopics: outside.topics }] : [],
      };
      rows.plan_revisions.push({ plan_id: planId, revision: index + 1, organisation_id: org, changed_by: consultant, changed_at: at, meeting_id: meetingId, summary, snapshot });
      event(e, at, 'meeting.held', meetingId, consultant, { startsAt: at.toISOString(), place: 'jobcentre', participants: people.length, goalsAdded: newGoals.length, tasksAdded });
      event(e, new Date(at.getTime() + 1000), 'plan.changed', planId, consultant, { revision: index + 1, inMeeting: true, ...summary });
    });
    if (meetingDays.length === 0) continue;

    // The next meeting, booked from the last one.
    const nextId = id('meeting');
    const lastMeeting = rows.network_meetings[rows.network_meetings.length - 1] as { id: string; created_at: Date };
    const nextAt = local(weekday(plusDays(today, rng.int(5, 40))), 10, 0);
    rows.network_meetings.push({ id: nextId, organisation_id: org, citizen_id: e.citizen_id, plan_id: planId, starts_at: nextAt, duration_minutes: 90, place: 'jobcentre', place_text: null, status: 'planned', minutes: null, booked_from: lastMeeting.id, created_by: consultant, created_at: lastMeeting.created_at, updated_at: lastMeeting.created_at });
    [{ kind: 'citizen', user_id: null }, ...staff.map((u) => ({ kind: 'staff', user_id: u }))].forEach((p, position) => rows.meeting_participants.push({ meeting_id: nextId, position, plan_participant_id: null, role: null, ...p }));
    event(e, lastMeeting.created_at, 'meeting.planned', nextId, consultant, { startsAt: nextAt.toISOString(), place: 'jobcentre', participants: staff.length + 1 });

    const lastAt = lastMeeting.created_at;
    rows.plans.push({ id: planId, organisation_id: org, citizen_id: e.citizen_id, enrolment_id: e.enrolment_id, goal_kind: goalKind, goal_text: overall, goal_target_date: goalTarget, coordinator_id: consultant, next_follow_up: plusDays(today, rng.int(3, 45)), revision: meetingDays.length, created_by: consultant, created_at: lastAt, updated_at: lastAt, version });
    for (const g of goals) rows.plan_goals.push({ ...g, organisation_id: org, plan_id: planId, created_by: consultant, created_at: lastAt, updated_at: lastAt });
    for (const x of tasks) rows.plan_tasks.push({ ...x, organisation_id: org, plan_id: planId, created_by: consultant, created_at: lastAt, updated_at: lastAt, completed_at: x.status === 'done' ? lastAt : null });
  }

  // Parents before children: plans, participants, meetings, then what refers to them.
  await insertChunked(db, 'plans', rows.plans);
  await insertChunked(db, 'plan_participants', rows.plan_participants);
  await insertChunked(db, 'network_meetings', rows.network_meetings);
  await insertChunked(db, 'meeting_participants', rows.meeting_participants);
  await insertChunked(db, 'plan_goals', rows.plan_goals);
  await insertChunked(db, 'plan_tasks', rows.plan_tasks);
  await insertChunked(db, 'plan_revisions', rows.plan_revisions);
  await insertChunked(db, 'conversations', rows.conversations);
  await insertChunked(db, 'citizen_events', rows.citizen_events);
  return { plans: rows.plans.length, meetings: rows.network_meetings.length, conversations: rows.conversations.length };
}

/**
 * The demo's offers not yet registered in Min Plan get their reminder task, through the same function the
 * internship, upskilling and group course services call (a plan revision each), so the demo shows what the application does.
 * Runs last in the demo transaction, after the plans and the offers.
 */
export async function openDemoMinPlanReminders(tx: Transaction<Database>): Promise<number> {
  const { rows } = await sql<{ kind: 'internship' | 'upskilling' | 'group_course'; id: string; citizen_id: string; organisation_id: string; title: string; created_by: string }>`
    select 'internship' as kind, i.id, i.citizen_id, i.organisation_id, co.name as title, i.created_by
      from internships i join companies co on co.id = i.company_id
     where i.min_plan = 'no' and i.outcome is null
    union all
    select 'upskilling', u.id, u.citizen_id, u.organisation_id, u.title, u.created_by
      from upskilling u
     where u.min_plan = 'no' and u.status in ('planned', 'ongoing')
    union all
    select 'group_course', gc.id, gp.citizen_id, gp.organisation_id, gc.title, gp.added_by
      from group_participants gp join group_courses gc on gc.id = gp.course_id
     where gp.min_plan = 'no' and gp.left_at is null
     order by 2, 3`.execute(tx);
  let opened = 0;
  for (const o of rows) {
    const actor = { userId: o.created_by, username: 'demo', name: 'demo', organisationId: o.organisation_id, roles: [] };
    const done = await syncMinPlanReminder(tx, actor, { organisationId: o.organisation_id, citizenId: o.citizen_id, kind: o.kind, id: o.id, title: o.title, minPlan: 'no' });
    if (done === 'opened') opened++;
  }
  return opened;
}
