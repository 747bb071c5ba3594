// The dashboard's figures counted ahead by a job (docs/decisions/0043): activities per programme, day and kind, and
// self-support 26 and 52 weeks after the start per programme and start day. One SQL source says what each figure
// counts; the refresh job stores its counts for every day before today, and the dashboard reads the stored days and
// counts only the days after them live, so its cost no longer grows with the number of activities and enrolments.
// Counts only: no personal data is stored.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';

export const ACTIVITY_DAYS_JOB = 'dashboard-activity-days';

/**
 * The programme's activities from `from` to `until` (days in Copenhagen, both included) as rows of (day, kind):
 * held conversations (walk and talk apart), attended group sessions, held network meetings, internships and
 * upskilling that went ahead, each by the day it happened or started. Conversations and meetings count for the
 * programme when their citizen has an enrolment in it with the same organisation.
 */
export function activitySource(programmeId: string, from: RawBuilder<string>, until: RawBuilder<string>): RawBuilder<{ day: string; kind: string }> {
  // The days' bounds as moments: midnight in Copenhagen at the start of `from` and after `until`.
  const fromAt = sql`((${from})::timestamp at time zone 'Europe/Copenhagen')`;
  const untilAt = sql`(((${until}) + 1)::timestamp at time zone 'Europe/Copenhagen')`;
  // The organisations of the programme's enrolments bound the moment indexes (organisation, starts_at).
  return sql<{ day: string; kind: string }>`
    select (c.starts_at at time zone 'Europe/Copenhagen')::date as day, case when c.place = 'walk_and_talk' then 'walk_and_talk' else 'conversation' end as kind
      from conversations c
     where c.status = 'held' and c.starts_at >= ${fromAt} and c.starts_at < ${untilAt}
       and c.organisation_id in (select o.id from organisations o where exists (select 1 from enrolments e where e.programme_id = ${programmeId} and e.organisation_id = o.id))
       and exists (select 1 from enrolments e where e.programme_id = ${programmeId} and e.citizen_id = c.citizen_id and e.organisation_id = c.organisation_id)
    union all
    select (s.starts_at at time zone 'Europe/Copenhagen')::date, 'group_attendance'
      from group_courses gc join group_sessions s on s.course_id = gc.id join group_attendance a on a.session_id = s.id
     where gc.programme_id = ${programmeId} and a.status = 'attended' and s.starts_at >= ${fromAt} and s.starts_at < ${untilAt}
    union all
    select (m.starts_at at time zone 'Europe/Copenhagen')::date, 'network_meeting'
      from network_meetings m
     where m.status = 'held' and m.starts_at >= ${fromAt} and m.starts_at < ${untilAt}
       and exists (select 1 from enrolments e where e.programme_id = ${programmeId} and e.citizen_id = m.citizen_id and e.organisation_id = m.organisation_id)
    union all
    select i.from_date, 'internship'
      from internships i
     where i.from_date between ${from} and ${until}
       and exists (select 1 from enrolments e where e.programme_id = ${programmeId} and e.citizen_id = i.citizen_id and e.organisation_id = i.organisation_id)
    union all
    select u.from_date, 'upskilling'
      from upskilling u
     where u.status <> 'planned' and u.from_date between ${from} and ${until}
       and exists (select 1 from enrolments e where e.programme_id = ${programmeId} and e.citizen_id = u.citizen_id and e.organisation_id = u.organisation_id)`;
}

/**
 * The programme's enrolments (not referrals) that started between `from` and `until` and are 26 or 52 weeks past
 * their start on `asOf`, as rows of (start_date, weeks, self): self-supporting on that day by the newest status
 * period covering it. The bounds are SQL date expressions and may refer to `w.weeks`.
 */
export function supportSource(programmeId: string, from: RawBuilder<string>, until: RawBuilder<string>, asOf: RawBuilder<string>): RawBuilder<{ start_date: string; weeks: number; self: boolean }> {
  return sql<{ start_date: string; weeks: number; self: boolean }>`
    select e.start_date, w.weeks,
           coalesce((select sp.benefit_code from status_periods sp
                      where sp.citizen_id = e.citizen_id and sp.organisation_id = e.organisation_id
                        and sp.from_date <= e.start_date + w.weeks * 7 and (sp.to_date is null or sp.to_date >= e.start_date + w.weeks * 7)
                      order by sp.from_date desc, sp.created_at desc limit 1) = 'selvforsoergende', false) as self
      from (values (26), (52)) as w (weeks)
      join enrolments e on e.programme_id = ${programmeId} and e.status <> 'referred'
                       and e.start_date between ${from} and ${until} and e.start_date + w.weeks * 7 <= ${asOf}`;
}

/** The first day a count can cover; nothing is recorded before it. */
const EARLIEST = '1990-01-01';

/**
 * Counts every programme's activities per day and kind for the days before `today` and stores them, replacing
 * the earlier counts, one programme per transaction. Late records of earlier days are included at the next run.
 */
export async function refreshCountedDays(
  db: Kysely<Database>,
  opts: { today?: string; programmeId?: string } = {},
): Promise<{ programmes: number; activityDays: number; supportDays: number }> {
  const today = opts.today ?? dateInCopenhagen();
  const through = addDays(today, -1);
  let query = db.selectFrom('programmes').select('id').orderBy('id');
  if (opts.programmeId) query = query.where('id', '=', opts.programmeId);
  const programmes = await query.execute();
  let activityDays = 0;
  let supportDays = 0;
  for (const { id } of programmes) {
    const counted = await db.transaction().execute(async (tx) => {
      // One refresh at a time per programme: a second waits for the first and then counts again.
      await tx.selectFrom('programmes').select('id').where('id', '=', id).forUpdate().execute();
      await tx.deleteFrom('dashboard_activity_days').where('programme_id', '=', id).execute();
      await tx.deleteFrom('dashboard_support_days').where('programme_id', '=', id).execute();
      // The enrolment day counts are kept by their trigger (docs/decisions/0045); a count back at zero is tidied here.
      await tx.deleteFrom('dashboard_enrolment_days').where('programme_id', '=', id).where('n', '=', 0).execute();
      const activities = await sql<{ n: number }>`
        with counted as (
          insert into dashboard_activity_days (programme_id, day, kind, n)
          select ${id}::uuid, x.day, x.kind, count(*)::int from (${activitySource(id, sql`${EARLIEST}::date`, sql`${through}::date`)}) x group by x.day, x.kind
          returning 1)
        select count(*)::int as n from counted`.execute(tx);
      const support = await sql<{ n: number }>`
        with counted as (
          insert into dashboard_support_days (programme_id, start_day, weeks, eligible, self)
          select ${id}::uuid, x.start_date, x.weeks, count(*)::int, count(*) filter (where x.self)::int
            from (${supportSource(id, sql`${EARLIEST}::date`, sql`${through}::date`, sql`${through}::date`)}) x group by x.start_date, x.weeks
          returning 1)
        select count(*)::int as n from counted`.execute(tx);
      await tx
        .insertInto('dashboard_activity_counts')
        .values({ programme_id: id, counted_through: through, counted_at: new Date() })
        .onConflict((oc) => oc.column('programme_id').doUpdateSet({ counted_through: through, counted_at: new Date() }))
        .execute();
      return { activities: activities.rows[0]?.n ?? 0, support: support.rows[0]?.n ?? 0 };
    });
    activityDays += counted.activities;
    supportDays += counted.support;
  }
  return { programmes: programmes.length, activityDays, supportDays };
}

export function dashboardJobs(db: Kysely<Database>): JobDefinition[] {
  return [
    {
      name: ACTIVITY_DAYS_JOB,
      // Every hour, and at start: a day's activities are counted from the morning after; a late record of an
      // earlier day within the hour.
      cron: '40 * * * *',
      runAtStart: true,
      handler: () => refreshCountedDays(db),
    },
  ];
}
