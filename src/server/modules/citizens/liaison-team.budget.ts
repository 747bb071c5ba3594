// Query budgets of putting psychiatry's liaison on an open enrolment's team and ending that place (see
// src/server/query-budget.test.ts). Each case prepares its own citizen of Nordfyn's with consents both ways.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, type Session } from '../../testing/harness.ts';
import type { BudgetCase, BudgetContext } from '../../testing/budget.ts';

const LIAISON = userId(13);

export function budgetCases(ctx: BudgetContext): BudgetCase[] {
  const today = dateInCopenhagen();
  const sessions: Record<string, Session> = {};
  const as = async (username: string) => (sessions[username] ??= await login(ctx.t.app, username));
  /** Fictitious replacement numbers (day + 60), so no real person's number is used. */
  let serial = 7300;

  /** A Nordfyn citizen enrolled in the programme, psychiatry's record of the person, and consents covering both directions. */
  async function coveredEnrolment(): Promise<string> {
    const nordfyn = await as('nordfyn');
    const liaison = await as('liaison');
    const benefit = await ctx.t.db.kysely.selectFrom('enrolments').select('benefit_code').where('organisation_id', '=', ORG.nordfyn).where('programme_id', '=', PROGRAMME.fremskudt).executeTakeFirstOrThrow();
    const created = await nordfyn.request({
      method: 'POST',
      url: '/api/citizens',
      payload: { cpr: `740394-${serial++}`, firstName: 'Budget', lastName: 'Fremskudt', enrolment: { programmeId: PROGRAMME.fremskudt, startDate: addDays(today, -7), benefitCode: benefit.benefit_code, caseworkerId: nordfyn.userId }, acknowledgeWarnings: true },
    });
    if (created.statusCode !== 201) throw new Error(`could not create a citizen: ${created.statusCode} ${created.body}`);
    const { id, enrolmentId } = created.json() as { id: string; enrolmentId: string };
    const consent = { givenOn: today, validFrom: today, validTo: addDays(today, 30), givenBy: 'citizen', givenHow: 'written', copyGiven: true };
    const fvl = await nordfyn.request({
      method: 'POST',
      url: `/api/citizens/${id}/consents`,
      payload: { ...consent, items: [{ instrument: 'fvl_28', categories: ['notes'], sourceOrganisationId: ORG.nordfyn, recipientOrganisationId: ORG.paOdense, recipientRoles: ['liaison'], purpose: 'Budget', programmeId: PROGRAMME.fremskudt }] },
    });
    if (fvl.statusCode !== 201) throw new Error(`could not record fvl_28: ${fvl.statusCode} ${fvl.body}`);
    const regionId = randomUUID();
    await sql`
      insert into citizens (id, organisation_id, cpr_encrypted, cpr_hash, birth_date, cpr_is_replacement, first_name, last_name, search_name, created_by)
      select ${regionId}, ${ORG.paOdense}, cpr_encrypted, cpr_hash, birth_date, cpr_is_replacement, first_name, last_name, search_name, ${LIAISON}
        from citizens where id = ${id}`.execute(ctx.t.db.owner);
    const regionEnrolment = randomUUID();
    await ctx.t.db.owner
      .insertInto('enrolments')
      .values({ id: regionEnrolment, organisation_id: ORG.paOdense, citizen_id: regionId, programme_id: PROGRAMME.fremskudt, benefit_code: benefit.benefit_code, start_date: today, status: 'active', created_by: LIAISON })
      .execute();
    await ctx.t.db.owner.insertInto('team_members').values({ organisation_id: ORG.paOdense, enrolment_id: regionEnrolment, user_id: LIAISON, role: 'liaison', valid_from: today, created_by: LIAISON }).execute();
    const item = { categories: ['work_considerations'], sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], purpose: 'Budget', programmeId: PROGRAMME.fremskudt };
    const pair = await liaison.request({ method: 'POST', url: `/api/citizens/${regionId}/consents`, payload: { ...consent, items: [{ instrument: 'sdl_43', ...item }, { instrument: 'rsl_11a', ...item, caseReference: 'Sag B' }] } });
    if (pair.statusCode !== 201) throw new Error(`could not record the pair: ${pair.statusCode} ${pair.body}`);
    return enrolmentId;
  }

  return [
    // Session, begin, the enrolment (locked), the citizen's relations, the programme's partners, the liaison's roles,
    // the liaisons already on the team, the person's hash, the consents, the team row, the event, audit, commit.
    {
      operation: 'POST /api/enrolments/{id}/liaison',
      user: 'nordfyn',
      budget: 13,
      audit: 1,
      prepare: async () => {
        const enrolmentId = await coveredEnrolment();
        const s = await as('nordfyn');
        return () => s.request({ method: 'POST', url: `/api/enrolments/${enrolmentId}/liaison`, payload: { liaisonId: LIAISON } });
      },
    },
    // Session, begin, the enrolment (locked), the citizen's relations, the liaison on the team, its end, the event, audit, commit.
    {
      operation: 'POST /api/enrolments/{id}/liaison/end',
      user: 'nordfyn',
      budget: 9,
      audit: 1,
      prepare: async () => {
        const enrolmentId = await coveredEnrolment();
        const s = await as('nordfyn');
        const added = await s.request({ method: 'POST', url: `/api/enrolments/${enrolmentId}/liaison`, payload: { liaisonId: LIAISON } });
        if (added.statusCode !== 201) throw new Error(`could not add the liaison: ${added.statusCode} ${added.body}`);
        return () => s.request({ method: 'POST', url: `/api/enrolments/${enrolmentId}/liaison/end`, payload: { validTo: today } });
      },
    },
  ];
}
