// Query budgets of this module's routes (see src/server/query-budget.test.ts).
import { PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';

const RK1 = userId(4);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const today = dateInCopenhagen();
  const schedule = { firstDate: addDays(today, -14), time: '10:00', sessions: 8, intervalWeeks: 1, durationMinutes: 90 };
  const payload = { title: 'Budgetforløb', topics: ['tools_and_mindsets'], capacity: 10, leaderIds: [RK1], schedule };

  /** A course led by rk1 with two new citizens of rk1's own enrolled in it. */
  async function courseWithParticipants() {
    const created = await ctx.as.rk1!.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload });
    if (created.statusCode !== 201) throw new Error(`could not create a course: ${created.statusCode} ${created.body}`);
    const course = created.json() as { id: string; sessions: { id: string; version: number; held: boolean }[] };
    const citizens = [(await ctx.newCitizen()).id, (await ctx.newCitizen()).id];
    const added = await ctx.as.rk1!.request({ method: 'POST', url: `/api/group-courses/${course.id}/participants`, payload: { citizenIds: citizens } });
    if (added.statusCode !== 200) throw new Error(`could not enrol: ${added.statusCode} ${added.body}`);
    return { ...course, citizens };
  }

  return [
    // Session, begin, the programme's owner, commit: nothing personal, nothing audited.
    {
      operation: 'POST /api/programmes/{id}/group-courses/preview',
      user: 'rk1',
      budget: 4,
      audit: 0,
      prepare: async () => () => ctx.as.rk1!.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses/preview`, payload: schedule }),
    },
    // Session, begin, programme, leaders, the course with leaders and sessions in one statement, audit, commit.
    {
      operation: 'POST /api/programmes/{id}/group-courses',
      user: 'rk1',
      budget: 7,
      audit: 1,
      prepare: async () => () => ctx.as.rk1!.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses`, payload }),
    },
    // Session, begin, programme, one page with counts and rates, audit, commit.
    {
      operation: 'GET /api/programmes/{id}/group-courses',
      user: 'rk3',
      budget: 6,
      audit: 1,
      prepare: async () => () => ctx.as.rk3!.request({ method: 'GET', url: `/api/programmes/${PROGRAMME.paaVej}/group-courses` }),
    },
    // Not a leader: session, begin, course with counts, sessions, audit, commit.
    {
      operation: 'GET /api/group-courses/{id}',
      variant: 'count only',
      user: 'rk3',
      budget: 6,
      audit: 1,
      prepare: async () => {
        const course = await courseWithParticipants();
        return () => ctx.as.rk3!.request({ method: 'GET', url: `/api/group-courses/${course.id}` });
      },
    },
    // A leader also reads participants and attendance; one insert writes the audit rows of every participant.
    {
      operation: 'GET /api/group-courses/{id}',
      variant: 'leader',
      user: 'rk1',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const course = await courseWithParticipants();
        return () => ctx.as.rk1!.request({ method: 'GET', url: `/api/group-courses/${course.id}` });
      },
    },
    // Session, begin, course, session with its record count, update, audit, commit.
    {
      operation: 'PATCH /api/group-courses/{id}/sessions/{sessionId}',
      user: 'rk1',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const course = await courseWithParticipants();
        const last = course.sessions[course.sessions.length - 1]!;
        return () => ctx.as.rk1!.request({ method: 'PATCH', url: `/api/group-courses/${course.id}/sessions/${last.id}`, payload: { version: last.version, status: 'cancelled' } });
      },
    },
    // Session, begin, course, one access check per citizen (two), open enrolments, participants with events; per citizen
    // the Min Plan reminder opened (open reminder?, open enrolment with plan, the plan created, the task, revision, plan
    // event: 6, twelve for two; the places start as 'no'), audit, commit.
    {
      operation: 'POST /api/group-courses/{id}/participants',
      variant: 'two citizens',
      user: 'rk1',
      budget: 21,
      audit: 1,
      prepare: async () => {
        const course = await courseWithParticipants();
        const citizens = [(await ctx.newCitizen()).id, (await ctx.newCitizen()).id];
        return () => ctx.as.rk1!.request({ method: 'POST', url: `/api/group-courses/${course.id}/participants`, payload: { citizenIds: citizens } });
      },
    },
    // Session, begin, course, leave with its event, the place's Min Plan reminder closed (open reminder, open enrolment
    // with plan, task cancelled, revision, plan event), audit, commit.
    {
      operation: 'DELETE /api/group-courses/{id}/participants/{citizenId}',
      user: 'rk1',
      budget: 11,
      audit: 1,
      prepare: async () => {
        const course = await courseWithParticipants();
        return () => ctx.as.rk1!.request({ method: 'DELETE', url: `/api/group-courses/${course.id}/participants/${course.citizens[0]}` });
      },
    },
    // Session, begin, course, the citizen's access, the place changed with its version, the Min Plan reminder closed (open
    // reminder, open enrolment with plan, task done, revision, plan event), audit, commit.
    {
      operation: 'PATCH /api/group-courses/{id}/participants/{citizenId}',
      user: 'rk1',
      budget: 12,
      audit: 1,
      prepare: async () => {
        const course = await courseWithParticipants();
        return () => ctx.as.rk1!.request({ method: 'PATCH', url: `/api/group-courses/${course.id}/participants/${course.citizens[0]}`, payload: { version: 1, minPlan: 'yes' } });
      },
    },
    // Session, begin, course, session, its records, attendance with events in one statement, audit, commit.
    {
      operation: 'PUT /api/group-courses/{id}/sessions/{sessionId}/attendance',
      user: 'rk1',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const course = await courseWithParticipants();
        const held = course.sessions.find((s) => s.held)!;
        const entries = course.citizens.map((citizenId, i) => ({ citizenId, status: i === 0 ? 'attended' : 'excused' }));
        return () => ctx.as.rk1!.request({ method: 'PUT', url: `/api/group-courses/${course.id}/sessions/${held.id}/attendance`, payload: { entries } });
      },
    },
    // Session, begin, access, the citizen's courses with their own attendance, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/group-courses',
      user: 'rk1',
      budget: 6,
      audit: 1,
      prepare: async () => () => ctx.as.rk1!.request({ method: 'GET', url: `/api/citizens/${ctx.readCitizenId}/group-courses` }),
    },
  ];
}
