// Demo group courses in "På vej til arbejde": one finished and one running course of eight weekly sessions,
// led by rk1 and rk2, with participants from their own demo citizens and attendance, anchored to the load day.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { planSessions } from '../modules/courses/schedule.ts';
import { addDays } from '../platform/dates.ts';
import { citizenId } from './demo-citizens.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';

// Fixed ids: blocks 30–39 of the demo id space (see demo-citizens.ts).
const ID_BLOCK = { course: 30, session: 31, event: 32 } as const;

function blockId(block: number, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9_999) throw new RangeError(`demo id number out of range: ${n}`);
  return `00000000-0000-4000-8000-${String(block * 10_000 + n).padStart(12, '0')}`;
}

export const demoCourseId = (n: number) => blockId(ID_BLOCK.course, n);

const RK1 = userId(4);
const RK2 = userId(5);

const COURSES = [
  {
    n: 1,
    title: 'Mestring og trivsel i hverdagen',
    description: 'Otte mødegange med værktøjer til at håndtere stress, søvn og bekymringer – og til at tage små skridt mod arbejde.',
    topics: ['mental_health', 'tools_and_mindsets'],
    location: 'Psykiatriens Hus, Ringstedgade, mødelokale 2',
    leaders: [RK1, RK2],
    leaderOfParticipants: RK1,
    /** Weeks before the load day of the first session: finished a month ago. */
    weeksAgo: 13,
    time: '10:00',
    participants: 8,
    /** Finished: every place was registered in Min Plan. */
    registered: (_i: number) => true,
  },
  {
    n: 2,
    title: 'Krop, bevægelse og energi',
    description: 'Gåture, let træning og samtaler om kost og energi; afsluttes med et besøg på en arbejdsplads.',
    topics: ['physical_health', 'tools_and_mindsets'],
    location: 'Næstved Idrætspark, klublokalet',
    leaders: [RK2],
    leaderOfParticipants: RK2,
    weeksAgo: 4,
    time: '13:00',
    participants: 7,
    /** Running: every third place is not yet registered in Min Plan, so those citizens' plans carry the reminder. */
    registered: (i: number) => i % 3 !== 1,
  },
] as const;

/** Deterministic attendance: mostly attended, some excused, a few absent. */
function statusFor(citizen: number, session: number): 'attended' | 'excused' | 'absent' {
  const v = (citizen * 37 + session * 11) % 10;
  return v < 7 ? 'attended' : v < 9 ? 'excused' : 'absent';
}

/**
 * Loads the demo courses. Needs the demo citizens (loadDemoCitizens); the participants are the leader's own
 * citizens among 1–100 with an active enrolment, chosen in number order, so the same day gives the same rows.
 */
export async function loadDemoCourses(db: Kysely<Database>, opts: { today: string }): Promise<void> {
  const org = ORG.naestved;
  let sessionNo = 0;
  let eventNo = 0;
  for (const c of COURSES) {
    const courseId = demoCourseId(c.n);
    const firstDate = addDays(opts.today, -7 * c.weeksAgo);
    const plan = planSessions({ firstDate, time: c.time, sessions: 8, intervalWeeks: 1, durationMinutes: 90 });
    const candidates = await db
      .selectFrom('enrolments as e')
      .innerJoin('team_members as tm', 'tm.enrolment_id', 'e.id')
      .select('e.citizen_id')
      .where('e.programme_id', '=', PROGRAMME.paaVej)
      .where('e.status', '=', 'active')
      .where('tm.user_id', '=', c.leaderOfParticipants)
      .where('tm.valid_from', '<=', opts.today)
      .where((eb) => eb.or([eb('tm.valid_to', 'is', null), eb('tm.valid_to', '>=', opts.today)]))
      .where('e.citizen_id', 'in', Array.from({ length: 100 }, (_, i) => citizenId(i + 1)))
      .orderBy('e.citizen_id')
      .limit(c.participants)
      .execute();
    const participants = candidates.map((r) => r.citizen_id);
    const created = new Date(`${addDays(firstDate, -14)}T09:00:00Z`);
    await db
      .insertInto('group_courses')
      .values({
        id: courseId,
        organisation_id: org,
        programme_id: PROGRAMME.paaVej,
        title: c.title,
        description: c.description,
        topics: [...c.topics],
        capacity: 12,
        location: c.location,
        min_plan: c.n === 1 ? 'yes' : 'no',
        created_by: c.leaders[0],
        created_at: created,
        updated_at: created,
      })
      .execute();
    await db.insertInto('group_course_leaders').values(c.leaders.map((user_id) => ({ course_id: courseId, user_id }))).execute();
    const sessions = plan.sessions.map((s) => ({ id: blockId(ID_BLOCK.session, ++sessionNo), ...s }));
    await db
      .insertInto('group_sessions')
      .values(sessions.map((s) => ({ id: s.id, organisation_id: org, course_id: courseId, number: s.number, starts_at: s.startsAt, duration_minutes: s.durationMinutes })))
      .execute();
    if (participants.length === 0) continue;
    const joined = new Date(`${addDays(firstDate, -7)}T10:00:00Z`);
    await db
      .insertInto('group_participants')
      .values(
        participants.map((citizen_id, i) => ({ course_id: courseId, citizen_id, organisation_id: org, added_by: c.leaderOfParticipants, added_at: joined, min_plan: c.registered(i) ? 'yes' : 'no' })),
      )
      .execute();
    const eventRows = participants.map((citizen_id) => ({
      id: blockId(ID_BLOCK.event, ++eventNo),
      organisation_id: org,
      citizen_id,
      occurred_at: joined,
      kind: 'course.joined',
      ref_id: courseId,
      actor_id: c.leaderOfParticipants,
      data: JSON.stringify({ courseId, courseTitle: c.title }),
    }));
    const attendance: { session_id: string; citizen_id: string; organisation_id: string; status: 'attended' | 'excused' | 'absent'; recorded_by: string; recorded_at: Date }[] = [];
    for (const s of sessions) {
      if (s.date >= opts.today) continue;
      const recordedAt = new Date(s.startsAt.getTime() + s.durationMinutes * 60_000);
      participants.forEach((citizen_id, i) => {
        const status = statusFor(i + c.n * 3, s.number);
        attendance.push({ session_id: s.id, citizen_id, organisation_id: org, status, recorded_by: c.leaderOfParticipants, recorded_at: recordedAt });
        eventRows.push({
          id: blockId(ID_BLOCK.event, ++eventNo),
          organisation_id: org,
          citizen_id,
          occurred_at: recordedAt,
          kind: 'course.attendance',
          ref_id: s.id,
          actor_id: c.leaderOfParticipants,
          data: JSON.stringify({ courseId, courseTitle: c.title, sessionNumber: s.number, sessionDate: s.date, status }),
        });
      });
    }
    if (attendance.length) await db.insertInto('group_attendance').values(attendance).execute();
    await db.insertInto('citizen_events').values(eventRows).execute();
  }
}
