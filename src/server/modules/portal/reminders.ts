// Reminders to the citizen (issue 11, item 3; docs/decisions/0037). The citizen opts in per kind in the portal and
// chooses e-mail or SMS; the address is the contact on file of their records. A recurring job finds what is due
// (an appointment tomorrow, a task of theirs due tomorrow, a questionnaire waiting) and makes one reminder row per
// person, kind and subject (unique: the same reminder is never made twice) together with one send job per row, in
// one transaction. The send job sends the message through the delivery adapter and marks the row sent in the same
// transaction, under a row lock: a retried or repeated job never sends it again. A failed delivery rolls back, is
// counted, audited and retried by the queue. The text names no place, no role and no programme, and the sender name is
// neutral (checked at start: config.ts senderNameProblem).
import { sql, type Kysely, type Transaction } from 'kysely';
import type PgBoss from 'pg-boss';
import type { PortalReminderSettings, PortalReminderSettingsUpdate } from '../../../contracts/portal-reminders.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditMany, type AuditEntry } from '../../platform/audit/audit.ts';
import { markAudited } from '../../platform/audit/refusals.ts';
import { addDays, copenhagenTime, dateInCopenhagen } from '../../platform/dates.ts';
import { DomainError } from '../../platform/errors.ts';
import { kyselyAdapter, type JobDefinition } from '../../platform/jobs.ts';
import { usableEmail, usablePhone } from './contact.ts';
import type { Delivery } from './delivery.ts';
import { citizenAuditRows, type PortalSession } from './portal.session.ts';
import type { LinkedRecord } from './portal.repository.ts';

export type ReminderKind = 'appointment' | 'task' | 'questionnaire';

/** The whole message: nothing else is ever sent (no place, no role, no programme, no name). */
export const REMINDER_TEXTS: Record<ReminderKind, string> = {
  appointment: 'Du har en aftale i morgen – se Min plan',
  task: 'Du har en opgave med frist i morgen – se Min plan',
  questionnaire: 'Du har et spørgeskema, der venter – se Min plan',
};
/** The same for the day itself: a booking made after the evening's last run is reminded of in the morning. */
export const REMINDER_TEXTS_TODAY: Record<'appointment' | 'task', string> = {
  appointment: 'Du har en aftale i dag – se Min plan',
  task: 'Du har en opgave med frist i dag – se Min plan',
};
/** A same-day reminder only for an appointment at least this far ahead (a reminder minutes before is no help). */
export const SAME_DAY_LEAD_MINUTES = 60;
/** The e-mail's subject: as neutral as the text. */
export const REMINDER_SUBJECT = 'Påmindelse';

export const REMINDERS_DUE_JOB = 'portal-reminders-due';
export const REMINDER_SEND_JOB = 'portal-reminder-send';

// The citizen's settings.

export class NoContactOnFile extends DomainError {
  constructor() {
    super(409, 'no_contact_on_file', 'There is no usable contact on file for this channel: ask your contact person to add it');
  }
}

/** "a•••@example.dk" */
function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${(local ?? '').slice(0, 1)}•••@${domain ?? ''}`;
}
/** "•••• 34 56": the last four digits. */
function maskPhone(phone: string): string {
  const last = phone.slice(-4);
  return `•••• ${last.slice(0, 2)} ${last.slice(2)}`;
}

interface SettingsRow {
  channel: 'email' | 'sms' | null;
  appointment: boolean | null;
  task: boolean | null;
  questionnaire: boolean | null;
  email: string | null;
  phone: string | null;
}

/** The settings (if any) and the first usable contact of each kind on the person's records, in one statement. */
async function settingsAndContacts(db: Kysely<Database> | Transaction<Database>, accountId: string, citizenIds: string[]): Promise<SettingsRow> {
  const { rows } = await sql<SettingsRow>`
    select s.channel, s.appointment, s.task, s.questionnaire,
           (select c.contact_email from unnest(${citizenIds}::uuid[]) with ordinality as x(id, n) join citizens c on c.id = x.id
             where c.contact_email is not null order by x.n limit 1) as email,
           (select c.contact_phone from unnest(${citizenIds}::uuid[]) with ordinality as x(id, n) join citizens c on c.id = x.id
             where c.contact_phone is not null order by x.n limit 1) as phone
      from (select 1) one left join portal_reminder_settings s on s.account_id = ${accountId}`.execute(db);
  return rows[0]!;
}

const usable = (row: SettingsRow) => ({
  email: row.email && usableEmail(row.email) ? row.email : null,
  phone: row.phone && usablePhone(row.phone) ? row.phone : null,
});

function settingsOf(row: SettingsRow): PortalReminderSettings {
  const c = usable(row);
  return {
    channel: row.channel,
    appointment: !!row.appointment,
    task: !!row.task,
    questionnaire: !!row.questionnaire,
    email: c.email ? maskEmail(c.email) : null,
    phone: c.phone ? maskPhone(c.phone) : null,
  };
}

export async function reminderSettings(db: Kysely<Database>, session: PortalSession): Promise<PortalReminderSettings> {
  return db.transaction().execute(async (tx) => {
    const row = await settingsAndContacts(tx, session.accountId, session.records.map((r) => r.citizenId));
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_reminder_settings', outcome: 'success' }));
    return settingsOf(row);
  });
}

/** The citizen's choice; a channel without a usable contact on file is refused (409 no_contact_on_file, audited). */
export async function updateReminderSettings(db: Kysely<Database>, session: PortalSession, input: PortalReminderSettingsUpdate): Promise<PortalReminderSettings> {
  const criteria = { channel: input.channel, appointment: input.appointment, task: input.task, questionnaire: input.questionnaire };
  const result = await db.transaction().execute(async (tx) => {
    const row = await settingsAndContacts(tx, session.accountId, session.records.map((r) => r.citizenId));
    const contacts = usable(row);
    const anyOn = input.appointment || input.task || input.questionnaire;
    if (anyOn && !(input.channel === 'email' ? contacts.email : contacts.phone)) return null;
    await tx
      .insertInto('portal_reminder_settings')
      .values({ account_id: session.accountId, channel: input.channel, appointment: input.appointment, task: input.task, questionnaire: input.questionnaire, updated_at: new Date() })
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet({ channel: input.channel, appointment: input.appointment, task: input.task, questionnaire: input.questionnaire, updated_at: new Date() }),
      )
      .execute();
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'update', resourceType: 'portal_reminder_settings', outcome: 'success', criteria }));
    return settingsOf({ ...row, ...input });
  });
  if (result) return result;
  await recordAuditMany(db, citizenAuditRows(session.accountId, session.records, { action: 'update', resourceType: 'portal_reminder_settings', outcome: 'denied', criteria: { ...criteria, reason: 'no_contact_on_file' } }));
  const error = new NoContactOnFile();
  markAudited(error);
  throw error;
}

// The jobs.

/**
 * Finds what is due for the people who opted in and makes the reminders not made before, each with its send job, in
 * one transaction (a reminder row without its job, or a job without its row, cannot happen). "Tomorrow" is the day
 * after `now` in Copenhagen. Returns the new reminders' ids.
 *
 * The job runs hourly in the daytime only, so an appointment (or a task) for tomorrow booked after the evening's last
 * run would get no reminder. Each run therefore also catches what is on today — an appointment starting at least
 * SAME_DAY_LEAD_MINUTES from now, a task due today — with the same subject (the day), so a day already reminded of
 * (the evening before) is never reminded of again, while one booked too late for that is, in the morning, as "i dag".
 */
export async function findDueReminders(db: Kysely<Database>, boss: Pick<PgBoss, 'insert'>, now = new Date()): Promise<string[]> {
  const today = dateInCopenhagen(now);
  const tomorrow = addDays(today, 1);
  const from = copenhagenTime(tomorrow, '00:00');
  const to = copenhagenTime(addDays(tomorrow, 1), '00:00');
  const soonest = new Date(now.getTime() + SAME_DAY_LEAD_MINUTES * 60_000);
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: string }>`
      with s as (
        select s.account_id, s.appointment, s.task, s.questionnaire, l.citizen_id
          from portal_reminder_settings s join portal_links l on l.account_id = s.account_id
         where s.appointment or s.task or s.questionnaire),
      due as (
        select distinct s.account_id, 'appointment' as kind, ${`appointment:${tomorrow}`} as subject_key
          from s
         where s.appointment
           and (exists (select 1 from conversations c where c.citizen_id = s.citizen_id and c.status = 'planned' and c.starts_at >= ${from} and c.starts_at < ${to})
             or exists (select 1 from network_meetings m where m.citizen_id = s.citizen_id and m.status = 'planned' and m.starts_at >= ${from} and m.starts_at < ${to})
             or exists (select 1 from group_participants gp join group_sessions g on g.course_id = gp.course_id
                         where gp.citizen_id = s.citizen_id and gp.left_at is null and g.status = 'planned' and g.starts_at >= ${from} and g.starts_at < ${to}))
        union
        select distinct s.account_id, 'appointment', ${`appointment:${today}`}
          from s
         where s.appointment
           and (exists (select 1 from conversations c where c.citizen_id = s.citizen_id and c.status = 'planned' and c.starts_at >= ${soonest} and c.starts_at < ${from})
             or exists (select 1 from network_meetings m where m.citizen_id = s.citizen_id and m.status = 'planned' and m.starts_at >= ${soonest} and m.starts_at < ${from})
             or exists (select 1 from group_participants gp join group_sessions g on g.course_id = gp.course_id
                         where gp.citizen_id = s.citizen_id and gp.left_at is null and g.status = 'planned' and g.starts_at >= ${soonest} and g.starts_at < ${from}))
        union
        select distinct s.account_id, 'task', 'task:' || d.day
          from s cross join (values (${today}), (${tomorrow})) as d(day)
         where s.task
           and exists (select 1 from plans p join plan_tasks t on t.plan_id = p.id
                        where p.citizen_id = s.citizen_id and t.owner_kind = 'citizen' and t.status = 'open' and t.due_date = d.day::date)
        union
        select s.account_id, 'questionnaire', 'questionnaire:' || st.id::text
          from s join staff_tasks st on st.citizen_id = s.citizen_id and st.kind = 'measurement_due' and st.status = 'open'
         where s.questionnaire)
      insert into portal_reminders (account_id, kind, subject_key)
      select account_id, kind, subject_key from due
      on conflict (account_id, kind, subject_key) do nothing
      returning id`.execute(tx);
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) await boss.insert(ids.map((id) => ({ name: REMINDER_SEND_JOB, data: { id }, singletonKey: id })), { db: kyselyAdapter(tx) });
    return ids;
  });
}

type Outcome = 'sent' | 'already_done' | 'opted_out' | 'no_contact' | 'passed';

/**
 * The sentence for a reminder sent at `now`: an appointment's or a task's day is today or tomorrow as seen at the
 * moment of sending (a retry after midnight says "i dag"); a day already gone gives null (not sent).
 */
export function reminderText(kind: ReminderKind, subjectKey: string, now: Date): string | null {
  if (kind === 'questionnaire') return REMINDER_TEXTS.questionnaire;
  const day = subjectKey.slice(subjectKey.indexOf(':') + 1);
  const today = dateInCopenhagen(now);
  if (day < today) return null;
  return day === today ? REMINDER_TEXTS_TODAY[kind] : REMINDER_TEXTS[kind];
}

const systemRows = (records: LinkedRecord[], reminderId: string, outcome: AuditEntry['outcome'], criteria: Record<string, unknown>): AuditEntry[] =>
  records.map((r) => ({
    actor: null,
    actorUsername: 'system:reminders',
    actorRoles: ['system'],
    organisationId: r.organisationId,
    citizenId: r.citizenId,
    action: 'read' as const,
    purpose: 'self_service' as const,
    resourceType: 'portal_reminder',
    resourceId: reminderId,
    outcome,
    criteria,
  }));

interface ReminderRow {
  id: string;
  account_id: string;
  kind: ReminderKind;
  subject_key: string;
  sent_at: Date | null;
  skipped: string | null;
  records: LinkedRecord[] | null;
}

/**
 * Sends one reminder, at most once: the row is locked, and a row sent or skipped already is left alone. The person's
 * choice is read again now: a kind switched off since the reminder was made is not sent (skipped `opted_out`).
 * A delivery failure is counted and audited, and thrown for the queue to retry.
 */
export async function sendReminder(db: Kysely<Database>, delivery: Delivery, senderName: string, id: string, now = new Date()): Promise<Outcome> {
  let failedRecords: LinkedRecord[] = [];
  let failedKind: ReminderKind | null = null;
  try {
    return await db.transaction().execute(async (tx): Promise<Outcome> => {
      const { rows } = await sql<ReminderRow>`
        select r.id, r.account_id, r.kind, r.subject_key, r.sent_at, r.skipped,
               (select json_agg(json_build_object('citizenId', l.citizen_id, 'organisationId', l.organisation_id) order by l.first_invited_at)
                  from portal_links l where l.account_id = r.account_id) as records
          from portal_reminders r where r.id = ${id} for update of r`.execute(tx);
      const r = rows[0];
      if (!r || r.sent_at || r.skipped) return 'already_done';
      const records = r.records ?? [];
      const row = await settingsAndContacts(tx, r.account_id, records.map((x) => x.citizenId));
      const contacts = usable(row);
      const skip = async (reason: 'opted_out' | 'no_contact' | 'passed') => {
        await tx.updateTable('portal_reminders').set({ skipped: reason }).where('id', '=', id).execute();
        await recordAuditMany(tx, systemRows(records, id, 'denied', { kind: r.kind, reason }));
        return reason;
      };
      if (!row.channel || !row[r.kind]) return skip('opted_out');
      const text = reminderText(r.kind, r.subject_key, now);
      if (text === null) return skip('passed');
      const recipient = row.channel === 'email' ? contacts.email : contacts.phone;
      if (!recipient) return skip('no_contact');
      failedRecords = records;
      failedKind = r.kind;
      await delivery.sendNow(tx, { channel: row.channel, recipient, subject: REMINDER_SUBJECT, text, senderName });
      await tx.updateTable('portal_reminders').set({ sent_at: new Date(), channel: row.channel, attempts: sql`attempts + 1` }).where('id', '=', id).execute();
      await recordAuditMany(tx, systemRows(records, id, 'success', { kind: r.kind, channel: row.channel }));
      return 'sent';
    });
  } catch (error) {
    if (failedKind) {
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('portal_reminders').set({ attempts: sql`attempts + 1` }).where('id', '=', id).execute();
        await recordAuditMany(tx, systemRows(failedRecords, id, 'failure', { kind: failedKind, reason: 'delivery_failed' }));
      });
    }
    throw error;
  }
}

export function reminderJobs(db: Kysely<Database>, delivery: Delivery, senderName: string): JobDefinition[] {
  return [
    {
      name: REMINDERS_DUE_JOB,
      // Every hour of the day time: an appointment booked in the afternoon for tomorrow still gets its reminder, and
      // nothing is sent at night.
      cron: '20 9-19 * * *',
      handler: async (_data, { boss }) => ({ made: (await findDueReminders(db, boss)).length }),
    },
    {
      name: REMINDER_SEND_JOB,
      handler: async (data) => {
        const id = (data as { id?: unknown } | undefined)?.id;
        if (typeof id !== 'string') return { outcome: 'bad_job' };
        return { outcome: await sendReminder(db, delivery, senderName, id) };
      },
    },
  ];
}

/** Fails closed at start: a sender name that is psychiatry's or a programme's stops the reminders (and the start). */
export async function checkReminderSender(db: Kysely<Database>, senderName: string, problem: (name: string, programmes: string[]) => string | null): Promise<void> {
  const programmes = await db.selectFrom('programmes').select('name').execute();
  const found = problem(senderName, programmes.map((p) => p.name));
  if (found) throw new Error(`REMINDER_SENDER_NAME: ${found}`);
}
