// A liaison from psychiatry is put on a municipal citizen's team only while consents cover both directions
// (sdl_43 + rsl_11a from the region, fvl_28 from the municipality), on both engines: refused with 409 naming the
// missing consents and an audit row, when creating a citizen and when enrolling one; taken once all three hold.
// The team opens nothing across the border by itself: the liaison reads the shared record while fvl_28 covers
// it, and after its withdrawal the next request is 404, audited on the municipality's side.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, type Session, type TestContext } from '../../testing/harness.ts';

let t: TestContext;
let liaison: Session;
let nordfyn: Session;
let benefitCode: string;
const today = dateInCopenhagen();
const LIAISON = userId(13);
/** Fictitious replacement numbers (day + 60), so no real person's number is used. */
const CPR = '740393-7101';
const CPR_OTHER = '740393-7102';

beforeAll(async () => {
  t = await testApp();
  liaison = await login(t.app, 'liaison');
  nordfyn = await login(t.app, 'nordfyn');
  const row = await t.db.kysely.selectFrom('enrolments').select('benefit_code').where('organisation_id', '=', ORG.nordfyn).where('programme_id', '=', PROGRAMME.fremskudt).executeTakeFirstOrThrow();
  benefitCode = row.benefit_code;
});
afterAll(async () => {
  await t.close();
});

const issues = (body: string) => (JSON.parse(body) as { issues?: { path: string; message: string }[] }).issues?.map((i) => `${i.path}:${i.message}`) ?? [];
const lastTeamRefusal = () =>
  t.db.kysely.selectFrom('audit_log').select(['organisation_id', 'citizen_id', 'criteria', 'actor_username']).where('resource_type', '=', 'team').where('outcome', '=', 'denied').orderBy('seq', 'desc').executeTakeFirst();
const enrol = (citizenId: string, startDate: string, liaisonId?: string) =>
  nordfyn.request({ method: 'POST', url: `/api/programmes/${PROGRAMME.fremskudt}/enrolments`, payload: { citizenId, startDate, benefitCode, caseworkerId: nordfyn.userId, liaisonId, acknowledgeWarnings: true } });
/** Ends a course of the jobcentre's (consents are recorded for a citizen in the programme; a liaison joins a new course). */
async function endEnrolment(id: string, endDate: string) {
  const row = await t.db.kysely.selectFrom('enrolments').select('version').where('id', '=', id).executeTakeFirstOrThrow();
  const res = await nordfyn.request({ method: 'PATCH', url: `/api/enrolments/${id}`, payload: { version: row.version, status: 'ended', endDate, exitOutcome: 'uddannelse' } });
  expect(res.statusCode, res.body).toBe(200);
}
const sharedRecord = (citizenId: string) => liaison.request({ method: 'GET', url: `/api/citizens/${citizenId}/shared-record` });

it('refuses a new citizen with the liaison on the team (409 naming all three consents, audited, nothing saved)', async () => {
  const res = await nordfyn.request({
    method: 'POST',
    url: '/api/citizens',
    payload: { cpr: CPR_OTHER, firstName: 'Ny', lastName: 'Teamprøve', enrolment: { programmeId: PROGRAMME.fremskudt, startDate: today, benefitCode, liaisonId: LIAISON }, acknowledgeWarnings: true },
  });
  expect(res.statusCode, res.body).toBe(409);
  expect(issues(res.body)).toEqual(['enrolment.liaisonId:liaison_consents_missing', 'consent.sdl_43:no_consent', 'consent.rsl_11a:no_consent', 'consent.fvl_28:no_consent']);
  expect(await t.db.kysely.selectFrom('citizens').select('id').where('last_name', '=', 'Teamprøve').execute()).toEqual([]);
  const audit = await lastTeamRefusal();
  expect(audit).toMatchObject({ organisation_id: ORG.nordfyn, citizen_id: null, actor_username: 'nordfyn', criteria: expect.objectContaining({ reason: 'consent', liaisonId: LIAISON }) });
});

it('takes the liaison only once consents cover both directions; the shared record is read per request and ends with the fvl_28 withdrawal', async () => {
  // The jobcentre's record of the person, enrolled without the liaison (consents are recorded for an enrolled citizen).
  const created = await nordfyn.request({
    method: 'POST',
    url: '/api/citizens',
    payload: { cpr: CPR, firstName: 'Tove', lastName: 'Teamsen', enrolment: { programmeId: PROGRAMME.fremskudt, startDate: addDays(today, -30), benefitCode, caseworkerId: nordfyn.userId }, acknowledgeWarnings: true },
  });
  expect(created.statusCode, created.body).toBe(201);
  const municipalId = (created.json() as { id: string }).id;
  const firstEnrolment = (created.json() as { enrolmentId: string }).enrolmentId;

  // A new course with the liaison on the team is refused without any consent: 409 naming the three, audited in the municipality's log.
  await endEnrolment(firstEnrolment, addDays(today, -21));
  let res = await enrol(municipalId, today, LIAISON);
  expect(res.statusCode, res.body).toBe(409);
  expect(issues(res.body)).toEqual(['liaisonId:liaison_consents_missing', 'consent.sdl_43:no_consent', 'consent.rsl_11a:no_consent', 'consent.fvl_28:no_consent']);
  expect(await lastTeamRefusal()).toMatchObject({
    organisation_id: ORG.nordfyn,
    citizen_id: municipalId,
    criteria: expect.objectContaining({ gaps: [expect.objectContaining({ instrument: 'sdl_43', reason: 'no_consent' }), expect.objectContaining({ instrument: 'rsl_11a' }), expect.objectContaining({ instrument: 'fvl_28' })] }),
  });
  expect(await t.db.kysely.selectFrom('enrolments').select('id').where('citizen_id', '=', municipalId).execute()).toEqual([{ id: firstEnrolment }]);

  // Enrolled again without the liaison; the jobcentre records its fvl_28 consent naming psychiatry's liaison.
  res = await enrol(municipalId, addDays(today, -20));
  expect(res.statusCode, res.body).toBe(201);
  const secondEnrolment = (res.json() as { id: string }).id;
  const fvl = await nordfyn.request({
    method: 'POST',
    url: `/api/citizens/${municipalId}/consents`,
    payload: {
      givenOn: today,
      validFrom: today,
      validTo: addDays(today, 90),
      givenBy: 'citizen',
      givenHow: 'written',
      copyGiven: true,
      items: [{ instrument: 'fvl_28', categories: ['municipal_plan', 'activities', 'notes'], sourceOrganisationId: ORG.nordfyn, recipientOrganisationId: ORG.paOdense, recipientRoles: ['liaison'], purpose: 'Fremskudt', programmeId: PROGRAMME.fremskudt }],
    },
  });
  expect(fvl.statusCode, fvl.body).toBe(201);
  const fvlId = (fvl.json() as { ids: string[] }).ids[0]!;

  // One direction only: the refusal now names just the region's consents.
  await endEnrolment(secondEnrolment, addDays(today, -1));
  res = await enrol(municipalId, today, LIAISON);
  expect(res.statusCode, res.body).toBe(409);
  expect(issues(res.body)).toEqual(['liaisonId:liaison_consents_missing', 'consent.sdl_43:no_consent', 'consent.rsl_11a:no_consent']);

  // Psychiatry's own record of the same person, with the liaison on its team; the citizen signs the combined pair there.
  const regionId = randomUUID();
  await sql`
    insert into citizens (id, organisation_id, cpr_encrypted, cpr_hash, birth_date, cpr_is_replacement, first_name, last_name, search_name, created_by)
    select ${regionId}, ${ORG.paOdense}, cpr_encrypted, cpr_hash, birth_date, cpr_is_replacement, first_name, last_name, search_name, ${LIAISON}
      from citizens where id = ${municipalId}`.execute(t.db.owner);
  const regionEnrolment = randomUUID();
  await t.db.owner
    .insertInto('enrolments')
    .values({ id: regionEnrolment, organisation_id: ORG.paOdense, citizen_id: regionId, programme_id: PROGRAMME.fremskudt, benefit_code: benefitCode, start_date: today, status: 'active', created_by: LIAISON })
    .execute();
  await t.db.owner.insertInto('team_members').values({ organisation_id: ORG.paOdense, enrolment_id: regionEnrolment, user_id: LIAISON, role: 'liaison', valid_from: today, created_by: LIAISON }).execute();
  const item = { categories: ['work_considerations', 'support_needs'], sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], purpose: 'Fremskudt', programmeId: PROGRAMME.fremskudt };
  const pair = await liaison.request({
    method: 'POST',
    url: `/api/citizens/${regionId}/consents`,
    payload: { givenOn: today, validFrom: today, validTo: addDays(today, 180), givenBy: 'citizen', givenHow: 'written', copyGiven: true, items: [{ instrument: 'sdl_43', ...item }, { instrument: 'rsl_11a', ...item, caseReference: 'Sag 2026-0099' }] },
  });
  expect(pair.statusCode, pair.body).toBe(201);

  // Both directions: the liaison joins the team.
  res = await enrol(municipalId, today, LIAISON);
  expect(res.statusCode, res.body).toBe(201);
  const enrolmentId = (res.json() as { id: string }).id;
  const team = await t.db.kysely.selectFrom('team_members').select(['user_id', 'role', 'organisation_id']).where('enrolment_id', '=', enrolmentId).execute();
  expect(team).toEqual(expect.arrayContaining([{ user_id: LIAISON, role: 'liaison', organisation_id: ORG.nordfyn }]));
  const created3 = await t.db.kysely.selectFrom('audit_log').select(['criteria']).where('resource_type', '=', 'enrolment').where('resource_id', '=', enrolmentId).where('action', '=', 'create').executeTakeFirstOrThrow();
  expect((created3.criteria as { liaisonConsentIds: string[] }).liaisonConsentIds).toHaveLength(3);
  expect((created3.criteria as { liaisonConsentIds: string[] }).liaisonConsentIds).toContain(fvlId);

  // On the team, the liaison still has no municipal role: the case itself is 404; the shared record opens under fvl_28.
  expect((await liaison.request({ method: 'GET', url: `/api/citizens/${municipalId}` })).statusCode).toBe(404);
  const read = await sharedRecord(municipalId);
  expect(read.statusCode, read.body).toBe(200);
  expect((read.json() as { consentIds: string[] }).consentIds).toEqual([fvlId]);

  // The jobcentre records the withdrawal of fvl_28: the very next request is 404, audited in the municipality's log.
  const withdrawn = await nordfyn.request({ method: 'POST', url: `/api/consents/${fvlId}/withdraw`, payload: { withdrawnOn: today, how: 'written' } });
  expect(withdrawn.statusCode, withdrawn.body).toBe(200);
  expect((await sharedRecord(municipalId)).statusCode).toBe(404);
  const denied = await t.db.kysely.selectFrom('audit_log').select(['organisation_id', 'citizen_id', 'criteria', 'actor_username']).where('resource_type', '=', 'shared_record').where('outcome', '=', 'denied').orderBy('seq', 'desc').executeTakeFirstOrThrow();
  expect(denied).toMatchObject({ organisation_id: ORG.nordfyn, citizen_id: municipalId, actor_username: 'liaison', criteria: expect.objectContaining({ gaps: expect.arrayContaining([expect.objectContaining({ reason: 'withdrawn', consentId: fvlId })]) }) });
  // The liaison is still on the team; it opens nothing.
  expect(await t.db.kysely.selectFrom('team_members').select('user_id').where('enrolment_id', '=', enrolmentId).where('role', '=', 'liaison').execute()).toEqual([{ user_id: LIAISON }]);
  expect((await liaison.request({ method: 'GET', url: `/api/citizens/${municipalId}/plan` })).statusCode).toBe(404);
});

// The realistic path: the citizen is already in the programme, the jobcentre records fvl_28 there, and only then
// puts psychiatry's liaison on the open enrolment's team (POST /api/enrolments/{id}/liaison), and later ends it.
it('puts the liaison on an open enrolment’s team only once consents cover both directions, and ends the place', async () => {
  const created = await nordfyn.request({
    method: 'POST',
    url: '/api/citizens',
    payload: { cpr: '740393-7103', firstName: 'Ib', lastName: 'Åbentforløb', enrolment: { programmeId: PROGRAMME.fremskudt, startDate: addDays(today, -30), benefitCode, caseworkerId: nordfyn.userId }, acknowledgeWarnings: true },
  });
  expect(created.statusCode, created.body).toBe(201);
  const { id: municipalId, enrolmentId } = created.json() as { id: string; enrolmentId: string };
  const addLiaison = (payload: Record<string, unknown>, as: Session = nordfyn, id = enrolmentId) => as.request({ method: 'POST', url: `/api/enrolments/${id}/liaison`, payload });
  const liaisonRows = () => t.db.kysely.selectFrom('team_members').select(['user_id', 'organisation_id', 'valid_to']).where('enrolment_id', '=', enrolmentId).where('role', '=', 'liaison').execute();

  // No consents yet: 409 naming all three, a denied audit row, no team change.
  let res = await addLiaison({ liaisonId: LIAISON });
  expect(res.statusCode, res.body).toBe(409);
  expect(issues(res.body)).toEqual(['liaisonId:liaison_consents_missing', 'consent.sdl_43:no_consent', 'consent.rsl_11a:no_consent', 'consent.fvl_28:no_consent']);
  expect(await lastTeamRefusal()).toMatchObject({ organisation_id: ORG.nordfyn, citizen_id: municipalId, actor_username: 'nordfyn', criteria: expect.objectContaining({ reason: 'consent', liaisonId: LIAISON }) });
  expect(await liaisonRows()).toEqual([]);

  // Someone who is not a liaison of psychiatry in the programme: 400 naming the field.
  res = await addLiaison({ liaisonId: nordfyn.userId });
  expect(res.statusCode, res.body).toBe(400);
  expect(issues(res.body)).toEqual(['liaisonId:not_liaison_in_programme']);
  // A first day in the past is refused: the consents are checked today.
  res = await addLiaison({ liaisonId: LIAISON, validFrom: addDays(today, -1) });
  expect(res.statusCode, res.body).toBe(400);
  expect(issues(res.body)).toEqual(['validFrom:before_today_or_start']);

  // An unknown enrolment, and the liaison trying it on the municipality's enrolment: 404, audited.
  const unknown = randomUUID();
  expect((await addLiaison({ liaisonId: LIAISON }, nordfyn, unknown)).statusCode).toBe(404);
  expect(await t.db.kysely.selectFrom('audit_log').select(['outcome', 'actor_username']).where('resource_type', '=', 'team').where('resource_id', '=', unknown).executeTakeFirst()).toEqual({ outcome: 'denied', actor_username: 'nordfyn' });
  expect((await addLiaison({ liaisonId: LIAISON }, liaison)).statusCode).toBe(404);
  expect(
    await t.db.kysely.selectFrom('audit_log').select(['outcome', 'organisation_id']).where('citizen_id', '=', municipalId).where('actor_username', '=', 'liaison').orderBy('seq', 'desc').executeTakeFirst(),
  ).toEqual({ outcome: 'denied', organisation_id: ORG.nordfyn });

  // The jobcentre records fvl_28 (the citizen is in the programme); psychiatry records the combined pair on its own record.
  const fvl = await nordfyn.request({
    method: 'POST',
    url: `/api/citizens/${municipalId}/consents`,
    payload: {
      givenOn: today,
      validFrom: today,
      validTo: addDays(today, 90),
      givenBy: 'citizen',
      givenHow: 'written',
      copyGiven: true,
      items: [{ instrument: 'fvl_28', categories: ['municipal_plan', 'activities', 'notes'], sourceOrganisationId: ORG.nordfyn, recipientOrganisationId: ORG.paOdense, recipientRoles: ['liaison'], purpose: 'Fremskudt', programmeId: PROGRAMME.fremskudt }],
    },
  });
  expect(fvl.statusCode, fvl.body).toBe(201);
  res = await addLiaison({ liaisonId: LIAISON });
  expect(res.statusCode, res.body).toBe(409);
  expect(issues(res.body)).toEqual(['liaisonId:liaison_consents_missing', 'consent.sdl_43:no_consent', 'consent.rsl_11a:no_consent']);

  const regionId = randomUUID();
  await sql`
    insert into citizens (id, organisation_id, cpr_encrypted, cpr_hash, birth_date, cpr_is_replacement, first_name, last_name, search_name, created_by)
    select ${regionId}, ${ORG.paOdense}, cpr_encrypted, cpr_hash, birth_date, cpr_is_replacement, first_name, last_name, search_name, ${LIAISON}
      from citizens where id = ${municipalId}`.execute(t.db.owner);
  const regionEnrolment = randomUUID();
  await t.db.owner
    .insertInto('enrolments')
    .values({ id: regionEnrolment, organisation_id: ORG.paOdense, citizen_id: regionId, programme_id: PROGRAMME.fremskudt, benefit_code: benefitCode, start_date: today, status: 'active', created_by: LIAISON })
    .execute();
  await t.db.owner.insertInto('team_members').values({ organisation_id: ORG.paOdense, enrolment_id: regionEnrolment, user_id: LIAISON, role: 'liaison', valid_from: today, created_by: LIAISON }).execute();
  const item = { categories: ['work_considerations'], sourceOrganisationId: ORG.paOdense, recipientOrganisationId: ORG.nordfyn, recipientRoles: ['caseworker'], purpose: 'Fremskudt', programmeId: PROGRAMME.fremskudt };
  const pair = await liaison.request({
    method: 'POST',
    url: `/api/citizens/${regionId}/consents`,
    payload: { givenOn: today, validFrom: today, validTo: addDays(today, 180), givenBy: 'citizen', givenHow: 'written', copyGiven: true, items: [{ instrument: 'sdl_43', ...item }, { instrument: 'rsl_11a', ...item, caseReference: 'Sag 2026-0101' }] },
  });
  expect(pair.statusCode, pair.body).toBe(201);

  // Both directions: the liaison joins the open enrolment's team, with the event and the audit row naming the consents.
  res = await addLiaison({ liaisonId: LIAISON });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json()).toMatchObject({ enrolmentId, liaison: { id: LIAISON }, validFrom: today, validTo: null });
  expect(await liaisonRows()).toEqual([{ user_id: LIAISON, organisation_id: ORG.nordfyn, valid_to: null }]);
  const event = await t.db.kysely.selectFrom('citizen_events').select(['data']).where('citizen_id', '=', municipalId).where('kind', '=', 'team.changed').where('ref_id', '=', enrolmentId).orderBy('occurred_at', 'desc').executeTakeFirstOrThrow();
  expect(event.data).toMatchObject({ added: [{ userId: LIAISON, role: 'liaison' }] });
  const audit = await t.db.kysely.selectFrom('audit_log').select(['criteria', 'outcome']).where('resource_type', '=', 'team').where('resource_id', '=', enrolmentId).where('action', '=', 'create').where('outcome', '=', 'success').executeTakeFirstOrThrow();
  expect((audit.criteria as { liaisonConsentIds: string[] }).liaisonConsentIds).toHaveLength(3);

  // The liaison reads the shared record (under fvl_28); a second liaison on the same team is refused.
  const read = await sharedRecord(municipalId);
  expect(read.statusCode, read.body).toBe(200);
  res = await addLiaison({ liaisonId: LIAISON });
  expect(res.statusCode, res.body).toBe(409);
  expect(issues(res.body)).toEqual(['liaisonId:liaison_already_on_team']);

  // Ending the place: the last day before the first is refused; ending as of yesterday takes the liaison off the team today.
  await t.db.owner.updateTable('team_members').set({ valid_from: addDays(today, -10) }).where('enrolment_id', '=', enrolmentId).where('role', '=', 'liaison').execute();
  const end = (validTo: string) => nordfyn.request({ method: 'POST', url: `/api/enrolments/${enrolmentId}/liaison/end`, payload: { validTo } });
  res = await end(addDays(today, -11));
  expect(res.statusCode, res.body).toBe(400);
  expect(issues(res.body)).toEqual(['validTo:before_start']);
  expect((await end(addDays(today, -1))).statusCode).toBe(200);
  expect(await liaisonRows()).toEqual([{ user_id: LIAISON, organisation_id: ORG.nordfyn, valid_to: expect.anything() }]);
  const relations = await sql<{ on_team: boolean }>`
    select exists (select 1 from team_members where enrolment_id = ${enrolmentId} and user_id = ${LIAISON} and valid_from <= ${today} and (valid_to is null or valid_to >= ${today})) as on_team`.execute(t.db.owner);
  expect(relations.rows[0]!.on_team).toBe(false);
  // Nothing left to end; the liaison still cannot act on the municipality's team; a new place may be given again.
  res = await end(today);
  expect(res.statusCode, res.body).toBe(409);
  expect(issues(res.body)).toEqual(['liaisonId:no_liaison_on_team']);
  expect((await liaison.request({ method: 'POST', url: `/api/enrolments/${enrolmentId}/liaison/end`, payload: { validTo: today } })).statusCode).toBe(404);
  expect((await addLiaison({ liaisonId: LIAISON })).statusCode).toBe(201);
});
