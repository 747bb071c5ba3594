// SQL of the citizen portal: accounts and their links to each organisation's record, login codes, portal
// sessions, the low-assurance summary and the demo outbox.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ContactKind } from './contact.ts';
import { waitingOf } from './portal-questionnaires.repository.ts';

type Q = Kysely<Database>;

/** One organisation's record of the person, as the portal reaches it. */
export interface LinkedRecord {
  citizenId: string;
  organisationId: string;
}

/** The record an invitation is about, with its contact details and its portal status. */
export function recordForInvitation(db: Q, citizenId: string) {
  return db
    .selectFrom('citizens as c')
    .leftJoin('portal_links as l', 'l.citizen_id', 'c.id')
    .leftJoin('portal_accounts as a', 'a.id', 'l.account_id')
    .select([
      'c.id',
      'c.organisation_id',
      'c.cpr_hash',
      'c.contact_email',
      'c.contact_phone',
      'c.preferred_contact',
      'l.invited_at',
      'a.last_login_at',
    ])
    .where('c.id', '=', citizenId)
    .executeTakeFirst();
}

/** The person's account, made on the first invitation from any organisation. */
export async function upsertAccount(db: Q, personHash: string): Promise<string> {
  const row = await db
    .insertInto('portal_accounts')
    .values({ person_hash: personHash })
    .onConflict((oc) => oc.column('person_hash').doUpdateSet({ person_hash: (eb) => eb.ref('excluded.person_hash') }))
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return row.id;
}

export function upsertLink(
  db: Q,
  link: { accountId: string; organisationId: string; citizenId: string; invitedBy: string; channel: 'email' | 'sms'; now: Date },
) {
  return db
    .insertInto('portal_links')
    .values({
      account_id: link.accountId,
      organisation_id: link.organisationId,
      citizen_id: link.citizenId,
      first_invited_at: link.now,
      invited_at: link.now,
      invited_by: link.invitedBy,
      channel: link.channel,
    })
    .onConflict((oc) =>
      oc.column('citizen_id').doUpdateSet((eb) => ({
        invited_at: eb.ref('excluded.invited_at'),
        invited_by: eb.ref('excluded.invited_by'),
        channel: eb.ref('excluded.channel'),
        invitations: sql<number>`portal_links.invitations + 1`,
      })),
    )
    .execute();
}

export interface Candidate {
  account_id: string;
  citizen_id: string;
  organisation_id: string;
  birth_date: string;
}

/** The invited records whose contact detail of this kind is this value (indexed by the generated columns). */
export function candidatesByContact(db: Q, kind: ContactKind, value: string): Promise<Candidate[]> {
  const column = kind === 'email' ? 'c.contact_email' : 'c.contact_phone';
  return db
    .selectFrom('citizens as c')
    .innerJoin('portal_links as l', 'l.citizen_id', 'c.id')
    .select(['l.account_id', 'c.id as citizen_id', 'c.organisation_id', 'c.birth_date'])
    .where(column, '=', value)
    .orderBy('l.account_id')
    .orderBy('c.id')
    .execute();
}

/** Codes sent within the window to this contact, and to any of these people (for the throttles), in one statement. */
export async function recentCodeCounts(db: Q, contactKey: string, accountIds: string[], since: Date) {
  const { rows } = await sql<{ by_contact: number; by_person: number }>`
    select (select count(*)::int from portal_login_codes where contact_key = ${contactKey} and created_at > ${since}) as by_contact,
           (select count(*)::int from portal_login_codes where account_ids && ${accountIds}::uuid[] and created_at > ${since}) as by_person`.execute(db);
  return rows[0]!;
}

export function insertCode(
  db: Q,
  code: { id: string; contactKey: string; accountIds: string[]; codeHash: string; now: Date; expiresAt: Date },
) {
  return db
    .insertInto('portal_login_codes')
    .values({
      id: code.id,
      contact_key: code.contactKey,
      account_ids: code.accountIds,
      code_hash: code.codeHash,
      created_at: code.now,
      expires_at: code.expiresAt,
    })
    .execute();
}

/** The contact's latest code, locked: only the latest code sent to a contact is valid. */
export function latestCode(db: Q, contactKey: string) {
  return db
    .selectFrom('portal_login_codes')
    .select(['id', 'account_ids', 'code_hash', 'expires_at', 'failed_attempts', 'used_at'])
    .where('contact_key', '=', contactKey)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export function countFailedAttempt(db: Q, codeId: string) {
  return db
    .updateTable('portal_login_codes')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', codeId)
    .execute();
}

export function markCodeUsed(db: Q, codeId: string, now: Date) {
  return db.updateTable('portal_login_codes').set({ used_at: now }).where('id', '=', codeId).execute();
}

/** A login: the first and the latest, and the records the account reaches (for the audit rows), in one statement. */
export async function recordLogin(db: Q, accountId: string, now: Date): Promise<LinkedRecord[]> {
  const { rows } = await sql<{ citizen_id: string; organisation_id: string }>`
    with touched as (
      update portal_accounts set first_login_at = coalesce(first_login_at, ${now}), last_login_at = ${now}
       where id = ${accountId} returning id)
    select l.citizen_id, l.organisation_id from portal_links l join touched t on t.id = l.account_id
     order by l.first_invited_at`.execute(db);
  return rows.map((r) => ({ citizenId: r.citizen_id, organisationId: r.organisation_id }));
}

/** The MitID transaction a session was made by: the broker's session id (`sid`), transaction id and `auth_time`. */
export interface MitIdTransaction {
  sid: string | null;
  /** The broker's id of the MitID transaction (`mitid.transaction_id`, else the id token's `jti`). */
  transactionId: string | null;
  authTime: Date | null;
  /** The broker's id token, encrypted (mitid.ts sealIdToken), for its logout's id_token_hint. */
  idToken?: string | null;
}

export function insertSession(
  db: Q,
  s: { idHash: string; accountId: string; assurance: 'low' | 'substantial'; csrfToken: string; now: Date; expiresAt: Date; mitid?: MitIdTransaction },
) {
  return db
    .insertInto('portal_sessions')
    .values({
      id_hash: s.idHash,
      account_id: s.accountId,
      assurance: s.assurance,
      csrf_token: s.csrfToken,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      ...(s.mitid ? { login_method: 'mitid' as const, mitid_sid: s.mitid.sid, mitid_transaction_id: s.mitid.transactionId, mitid_auth_time: s.mitid.authTime, mitid_id_token: s.mitid.idToken ?? null } : {}),
    })
    .execute();
}

export interface PortalSessionRow {
  id_hash: string;
  account_id: string;
  assurance: 'low' | 'substantial';
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
  mitid_sid: string | null;
  mitid_transaction_id: string | null;
  mitid_auth_time: Date | null;
  mitid_id_token: string | null;
  login_method: 'one_time_code' | 'mitid';
  first_name: string | null;
  records: { citizenId: string; organisationId: string }[] | null;
}

/** The session with its account's linked records and the first name to greet with, in one statement. */
export async function findSession(db: Q, idHash: string): Promise<PortalSessionRow | undefined> {
  const { rows } = await sql<PortalSessionRow>`
    select s.id_hash, s.account_id, s.assurance, s.csrf_token, s.last_seen_at, s.expires_at,
           s.login_method, s.mitid_sid, s.mitid_transaction_id, s.mitid_auth_time, s.mitid_id_token,
           (select c.first_name from portal_links l join citizens c on c.id = l.citizen_id
             where l.account_id = s.account_id order by l.first_invited_at limit 1) as first_name,
           (select json_agg(json_build_object('citizenId', l.citizen_id, 'organisationId', l.organisation_id) order by l.first_invited_at)
              from portal_links l where l.account_id = s.account_id) as records
      from portal_sessions s
     where s.id_hash = ${idHash}`.execute(db);
  return rows[0];
}

export function touchSession(db: Q, idHash: string, now: Date) {
  return db.updateTable('portal_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export function deleteSession(db: Q, idHash: string) {
  return db.deleteFrom('portal_sessions').where('id_hash', '=', idHash).execute();
}

export function deleteExpired(db: Q, now: Date, idleMs: number) {
  return db
    .deleteFrom('portal_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - idleMs))]))
    .execute();
}

/** Codes are kept a day for the throttles, then go. */
export function deleteOldCodes(db: Q, before: Date) {
  return db.deleteFrom('portal_login_codes').where('created_at', '<', before).execute();
}

/** The next planned conversation or network meeting, and whether a questionnaire waits, over the given records. */
export async function summaryOf(db: Q, citizenIds: string[], now: Date) {
  const { rows } = await sql<{ next_at: Date | null; waiting: boolean }>`
    select least(
             (select min(starts_at) from conversations
               where citizen_id = any(${citizenIds}::uuid[]) and status = 'planned' and starts_at > ${now}),
             (select min(starts_at) from network_meetings
               where citizen_id = any(${citizenIds}::uuid[]) and status = 'planned' and starts_at > ${now})) as next_at,
           -- The questionnaires the citizen can answer in the portal (portal-questionnaires.repository.ts).
           ${waitingOf(sql`${citizenIds}::uuid[]`)} as waiting`.execute(db);
  return rows[0]!;
}

/** The demo outbox, newest first. */
export function outbox(db: Q, limit: number) {
  return db.selectFrom('portal_outbox').select(['seq', 'created_at', 'channel', 'recipient', 'subject', 'body', 'sender']).orderBy('seq', 'desc').limit(limit).execute();
}

export interface PortalPlanRow {
  citizen_id: string;
  organisation_name: string;
  open: boolean;
  goal_kind: 'job' | 'education' | null;
  goal_text: string | null;
  goal_target_date: string | null;
  goals: { lifeArea: string; text: string; status: string; targetDate: string | null }[] | null;
  tasks:
    | {
        id: string;
        title: string;
        ownerKind: string;
        ownerName: string | null;
        dueDate: string | null;
        status: string;
        doneByMe: boolean;
        comments: { id: string; author: 'me' | 'staff'; authorName: string | null; text: string; createdAt: string }[] | null;
      }[]
    | null;
  coordinator: { name: string; role: string | null; email: string | null } | null;
  team: { role: string; name: string; email: string | null }[] | null;
}

/**
 * The plans of the given records with their goals, the tasks the citizen sees (with their comments), the coordinator
 * and the team of today, in one statement. Bindeled's own reminders to staff (register an offer in Min Plan on
 * Jobnet) are not the citizen's tasks and stay out.
 */
export async function plansOf(db: Q, citizenIds: string[], today: string): Promise<PortalPlanRow[]> {
  const { rows } = await sql<PortalPlanRow>`
    select p.citizen_id, o.name as organisation_name, e.status <> 'ended' as open,
           p.goal_kind, p.goal_text, to_char(p.goal_target_date, 'YYYY-MM-DD') as goal_target_date,
           (select json_agg(json_build_object('lifeArea', g.life_area, 'text', g.text, 'status', g.status,
                                              'targetDate', to_char(g.target_date, 'YYYY-MM-DD')) order by g.position, g.created_at)
              from plan_goals g where g.plan_id = p.id) as goals,
           (select json_agg(json_build_object('id', t.id, 'title', t.title, 'ownerKind', t.owner_kind,
                                              'ownerName', case when t.owner_kind = 'staff' then u.name when t.owner_kind = 'outside' then pp.role end,
                                              'dueDate', to_char(t.due_date, 'YYYY-MM-DD'), 'status', t.status,
                                              'doneByMe', t.completed_by_account is not null and t.status = 'done',
                                              'comments', (select json_agg(json_build_object(
                                                   'id', k.id, 'author', case when k.author_kind = 'citizen' then 'me' else 'staff' end,
                                                   'authorName', ku.name, 'text', k.text,
                                                   'createdAt', to_char(k.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by k.created_at, k.id)
                                                 from plan_task_comments k left join users ku on ku.id = k.author_user_id
                                                where k.plan_id = p.id and k.task_id = t.id))
                            order by t.due_date nulls last, t.created_at)
              from plan_tasks t left join users u on u.id = t.owner_user_id left join plan_participants pp on pp.id = t.owner_participant_id
             where t.plan_id = p.id and t.min_plan_offer_kind is null and t.status <> 'cancelled') as tasks,
           (select json_build_object('name', cu.name, 'email', cu.email,
                                     'role', (select tm.role from team_members tm
                                               where tm.enrolment_id = p.enrolment_id and tm.user_id = cu.id
                                               order by (tm.valid_to is null) desc, tm.valid_from desc limit 1))
              from users cu where cu.id = p.coordinator_id) as coordinator,
           (select json_agg(json_build_object('role', tm.role, 'name', tu.name, 'email', tu.email) order by tm.role, tu.name)
              from team_members tm join users tu on tu.id = tm.user_id
             where tm.enrolment_id = p.enrolment_id and tm.valid_from <= ${today} and (tm.valid_to is null or tm.valid_to >= ${today})
               and tu.active) as team
      from plans p join organisations o on o.id = p.organisation_id join enrolments e on e.id = p.enrolment_id
     where p.citizen_id = any(${citizenIds}::uuid[])
     order by (e.status <> 'ended') desc, p.created_at desc`.execute(db);
  return rows;
}
