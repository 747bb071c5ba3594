// Query budgets of the plan, meeting and conversation routes (see src/server/query-budget.test.ts).
import { userId } from '../../demo/ids.ts';
import { type BudgetCase, type BudgetContext } from '../../testing/budget.ts';

const RK1 = userId(4);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const rk1 = () => ctx.as.rk1!;
  /** A different future day for every booking, so no case meets a double-booking warning from an earlier one. */
  let booking = 0;
  const bookingDay = () => `2032-${String(1 + (booking % 12)).padStart(2, '0')}-${String(1 + Math.floor(booking++ / 12)).padStart(2, '0')}`;
  /** A new citizen with a plan of one revision (one goal, one task). */
  async function citizenWithPlan() {
    const citizen = await ctx.newCitizen();
    const res = await rk1().request({ method: 'PATCH', url: `/api/citizens/${citizen.id}/plan`, payload: { version: 0, goals: { add: [{ lifeArea: 'work', text: 'Praktik' }] }, tasks: { add: [{ title: 'Ring til butikken', owner: { kind: 'citizen' }, goalIndex: 0 }] } } });
    if (res.statusCode !== 200) throw new Error(`could not make a plan: ${res.statusCode} ${res.body}`);
    return citizen;
  }
  return [
    // Session, begin, access facts, the plan with goals, tasks, participants, offers and meetings in one statement, audit, commit.
    { operation: 'GET /api/citizens/{id}/plan', user: 'rk1', budget: 6, audit: 1, prepare: async () => () => rk1().request({ method: 'GET', url: `/api/citizens/${ctx.readCitizenId}/plan` }) },
    // Session, begin, access facts, the plan's id, its revisions, audit, commit.
    {
      operation: 'GET /api/citizens/{id}/plan/history',
      user: 'rk1',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const citizen = await citizenWithPlan();
        return () => rk1().request({ method: 'GET', url: `/api/citizens/${citizen.id}/plan/history` });
      },
    },
    {
      operation: 'GET /api/citizens/{id}/plan/revisions/{revision}',
      user: 'rk1',
      budget: 7,
      audit: 1,
      prepare: async () => {
        const citizen = await citizenWithPlan();
        return () => rk1().request({ method: 'GET', url: `/api/citizens/${citizen.id}/plan/revisions/1` });
      },
    },
    { operation: 'GET /api/citizens/{id}/network-meetings', user: 'rk1', budget: 6, audit: 1, prepare: async () => () => rk1().request({ method: 'GET', url: `/api/citizens/${ctx.readCitizenId}/network-meetings` }) },
    { operation: 'GET /api/citizens/{id}/conversations', user: 'rk1', budget: 6, audit: 1, prepare: async () => () => rk1().request({ method: 'GET', url: `/api/citizens/${ctx.readCitizenId}/conversations` }) },

    // Writes, each on a citizen of its own.
    // Session, begin, access facts, the enrolment locked, the plan created, the staff named checked, goal and
    // task inserted, the revision with its snapshot, the event, audit, commit.
    {
      operation: 'PATCH /api/citizens/{id}/plan',
      user: 'rk1',
      budget: 12,
      audit: 1,
      prepare: async () => {
        const citizen = await ctx.newCitizen();
        return () => rk1().request({ method: 'PATCH', url: `/api/citizens/${citizen.id}/plan`, payload: { version: 0, coordinatorId: RK1, goals: { add: [{ lifeArea: 'work', text: 'Praktik' }] }, tasks: { add: [{ title: 'Ring til butikken', owner: { kind: 'staff', userId: RK1 }, goalIndex: 0 }] } } });
      },
    },
    // Session, begin, access facts, the enrolment locked, staff checked, the next meeting's double-booking check,
    // the outside participant, the meeting and its participants; goal, task, revision and its event; the next
    // meeting and its participants; the meeting's event, audit, commit.
    {
      operation: 'POST /api/citizens/{id}/network-meetings',
      variant: 'held, with plan changes and an outside participant',
      user: 'rk1',
      budget: 18,
      audit: 1,
      prepare: async () => {
        const citizen = await citizenWithPlan();
        const next = bookingDay();
        return () =>
          rk1().request({
            method: 'POST',
            url: `/api/citizens/${citizen.id}/network-meetings`,
            payload: {
              startsAt: '2026-03-02T09:00:00+01:00',
              place: 'office',
              status: 'held',
              participants: [{ kind: 'citizen' }, { kind: 'staff', userId: RK1 }, { kind: 'outside', name: 'Eva', role: 'Mor', consent: { given: true, topics: ['work'] } }],
              minutes: 'Referat.',
              plan: { version: 2, goals: { add: [{ lifeArea: 'health', text: 'Motion' }] }, tasks: { add: [{ title: 'Gå en tur', owner: { kind: 'outside', participantIndex: 0 }, goalIndex: 0 }] } },
              nextMeeting: { startsAt: `${next}T09:00:00+02:00`, place: 'office' },
            },
          });
      },
    },
    {
      operation: 'POST /api/citizens/{id}/conversations',
      user: 'rk1',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const citizen = await ctx.newCitizen();
        return () => rk1().request({ method: 'POST', url: `/api/citizens/${citizen.id}/conversations`, payload: { startsAt: '2026-03-10T10:00:00+01:00', place: 'walk_and_talk', status: 'held', note: 'Tur i skoven.' } });
      },
    },
    {
      operation: 'PATCH /api/conversations/{id}',
      user: 'rk1',
      budget: 8,
      audit: 1,
      prepare: async () => {
        const citizen = await ctx.newCitizen();
        const res = await rk1().request({ method: 'POST', url: `/api/citizens/${citizen.id}/conversations`, payload: { startsAt: `${bookingDay()}T10:00:00+01:00`, place: 'library', status: 'planned' } });
        const id = (res.json() as { id: string }).id;
        return () => rk1().request({ method: 'PATCH', url: `/api/conversations/${id}`, payload: { version: 1, status: 'held', note: 'Gik godt.' } });
      },
    },
  ];
}
