// SQL of access requests: the cases, the staff queue, the redaction candidates, the package and its job.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { enrolmentRelations } from '../citizens/citizens.repository.ts';
import type { TextHit } from './free-text.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const PACKAGE_JOB = 'access-request-package';

export async function insertCases(
  db: Q,
  rows: { requestGroupId: string; organisationId: string; citizenId: string; accountId: string; text: string | null; receivedOn: string; deadline: string }[],
) {
  return db
    .insertInto('access_requests')
    .values(
      rows.map((r) => ({
        request_group_id: r.requestGroupId,
        organisation_id: r.organisationId,
        citizen_id: r.citizenId,
        account_id: r.accountId,
        request_text: r.text,
        received_on: r.receivedOn,
        first_deadline: r.deadline,
        deadline: r.deadline,
      })),
    )
    .returning('id')
    .execute();
}

const caseColumns = [
  'r.id',
  'r.request_group_id',
  'r.organisation_id',
  'o.name as organisation_name',
  'r.citizen_id',
  'r.request_text',
  'r.received_at',
  'r.received_on',
  'r.first_deadline',
  'r.deadline',
  'r.extension_reason',
  'r.extension_noticed_at',
  'r.interim_reason',
  'r.interim_expected_on',
  'r.interim_noticed_at',
  'r.decision',
  'r.decision_reasons',
  'r.complaint_guidance',
  'r.decided_at',
  'r.released_at',
  'r.package_state',
  'r.version',
] as const;

/**
 * The citizen's cases (the session's records), newest first, keyset by (received_at, id) on the index
 * access_requests_citizen. The cursor holds the time in microseconds (`received_us`): a JavaScript date would cut it
 * to milliseconds, and the cases of one request share their time of receipt to the microsecond.
 */
export function casesOfCitizen(db: Q, citizenIds: string[], after: { us: string; id: string } | null, limit: number) {
  let q = db
    .selectFrom('access_requests as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(caseColumns)
    .select(sql<string>`(extract(epoch from r.received_at) * 1000000)::bigint::text`.as('received_us'))
    .where('r.citizen_id', 'in', citizenIds.length ? citizenIds : ['00000000-0000-0000-0000-000000000000'])
    .orderBy('r.received_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit + 1);
  if (after) q = q.where(sql<boolean>`(r.received_at, r.id) < (timestamptz 'epoch' + ${after.us}::bigint * interval '1 microsecond', ${after.id}::uuid)`);
  return q.execute();
}

export function casesOfGroup(db: Q, groupId: string) {
  return db.selectFrom('access_requests as r').innerJoin('organisations as o', 'o.id', 'r.organisation_id').select(caseColumns).where('r.request_group_id', '=', groupId).orderBy('o.name').execute();
}

export type CaseRow = Awaited<ReturnType<typeof casesOfGroup>>[number];

export function releasedPackage(db: Q, caseId: string) {
  return db
    .selectFrom('access_requests as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .leftJoin('access_packages as p', 'p.request_id', 'r.id')
    .select(['r.id', 'r.citizen_id', 'r.organisation_id', 'o.name as organisation_name', 'r.released_at', 'p.html', sql<string | null>`p.json::text`.as('json')])
    .where('r.id', '=', caseId)
    .executeTakeFirst();
}

/**
 * Who sees which cases in the queue, as the chokepoint decides it (`access-request:handle`, scope citizen-team, or
 * `access-request:follow` for the dpo): `all` (the dpo: the organisation's cases), or the user on the team today of an
 * enrolment in one of `programmeIds` (the programmes where the user holds a role that handles cases).
 */
export type QueueAccess = { all: true } | { all: false; userId: string; programmeIds: string[] };

/**
 * The organisation's queue (open or released cases), by deadline, keyset (deadline, id) on an index per list. The
 * access condition is part of the query, so a page is always full (a later filter would make it short).
 */
export async function queue(db: Q, organisationId: string, released: boolean, access: QueueAccess, today: string, after: { deadline: string; id: string } | null, limit: number) {
  const userId = access.all ? null : access.userId;
  const programmeIds = access.all ? [] : access.programmeIds;
  const { rows } = await sql<{
    id: string;
    citizen_id: string;
    first_name: string;
    last_name: string;
    created_by: string;
    received_on: string;
    deadline: string;
    extension_reason: string | null;
    decided_at: Date | null;
    released_at: Date | null;
    package_state: 'none' | 'queued' | 'running' | 'done' | 'failed';
    interim_noticed_at: Date | null;
    enrolments: { programmeId: string; consultantsSeeAll: boolean; teamUserIds: string[] }[];
  }>`
    select r.id, r.citizen_id, c.first_name, c.last_name, c.created_by, r.received_on, r.deadline, r.extension_reason,
           r.decided_at, r.released_at, r.package_state, r.interim_noticed_at, ${enrolmentRelations(today)} as enrolments
      from access_requests r join citizens c on c.id = r.citizen_id
     where r.organisation_id = ${organisationId}
       and ${released ? sql`r.released_at is not null` : sql`r.released_at is null`}
       and (${access.all} or exists (
             select 1 from enrolments e join team_members tm on tm.enrolment_id = e.id
              where e.citizen_id = r.citizen_id and e.programme_id = any(${programmeIds}::uuid[])
                and tm.user_id = ${userId}::uuid and tm.valid_from <= ${today}
                and (tm.valid_to is null or tm.valid_to >= ${today})))
       and (${after?.deadline ?? null}::date is null or (r.deadline, r.id) > (${after?.deadline ?? null}::date, ${after?.id ?? null}::uuid))
     order by r.deadline, r.id
     limit ${limit + 1}`.execute(db);
  return rows;
}

/** One case with what the chokepoint needs and what the case page shows, in one statement. */
export async function caseForStaff(db: Q, caseId: string, today: string) {
  const { rows } = await sql<
    CaseRow & {
      first_name: string;
      last_name: string;
      created_by: string;
      enrolments: { programmeId: string; consultantsSeeAll: boolean; teamUserIds: string[] }[];
      redactions: string[];
      withheld: { table: string; id: string; personalData: string }[];
      package_progress: number;
      package_generated_at: Date | null;
      package_sections: number | null;
      package_rows: number | null;
      interim_by: string | null;
      decided_by_name: string | null;
      advice: { id: string; text: string; by: string | null; at: string }[];
      text_hits: TextHit[];
    }
  >`
    select r.*, o.name as organisation_name, c.first_name, c.last_name, c.created_by, ${enrolmentRelations(today)} as enrolments,
           (select jsonb_array_length(p.json -> 'sections') from access_packages p where p.request_id = r.id) as package_sections,
           (select sum(jsonb_array_length(s -> 'rows'))::int from access_packages p, jsonb_array_elements(p.json -> 'sections') s where p.request_id = r.id) as package_rows,
           (select u.name from users u where u.id = r.interim_noticed_by) as interim_by,
           (select u.name from users u where u.id = r.decided_by) as decided_by_name,
           coalesce((select json_agg(json_build_object('id', a.id, 'text', a.body, 'by', u.name, 'at', a.created_at) order by a.created_at, a.id)
                       from access_request_advice a left join users u on u.id = a.author_id where a.request_id = r.id), '[]'::json) as advice
      from access_requests r join citizens c on c.id = r.citizen_id join organisations o on o.id = r.organisation_id
     where r.id = ${caseId}`.execute(db);
  return rows[0];
}

export type StaffCaseRow = NonNullable<Awaited<ReturnType<typeof caseForStaff>>>;

/** People the citizen's records name who are neither the citizen nor staff, and the notes that may be withheld. */
export async function candidates(db: Q, citizenId: string) {
  const { rows } = await sql<{ key: string; kind: 'meeting_attendee' | 'company_contact' | 'note'; name: string; role: string | null; created_at: Date }>`
    select 'plan_participants:' || pp.id as key, 'meeting_attendee' as kind, pp.name, pp.role, pp.created_at
      from plan_participants pp join plans p on p.id = pp.plan_id where p.citizen_id = ${citizenId}
    union all
    select distinct 'company_contacts:' || cc.id, 'company_contact', cc.name, cc.role, cc.created_at
      from internships i join company_contacts cc on cc.id = i.contact_id where i.citizen_id = ${citizenId}
    union all
    select 'notes:' || n.id, 'note', left(nr.body, 120), n.kind, n.created_at
      from notes n join note_revisions nr on nr.note_id = n.id and nr.revision = n.revision where n.citizen_id = ${citizenId}
     order by 2, 5, 1
     limit 500`.execute(db);
  return rows;
}

/** A change of the case under optimistic concurrency: nothing returned means a stale version (or no such case). */
export function updateCase(db: Q, caseId: string, version: number, set: Parameters<ReturnType<Q['updateTable']>['set']>[0] & object) {
  return db
    .updateTable('access_requests')
    .set({ ...set, version: sql`version + 1` } as never)
    .where('id', '=', caseId)
    .where('version', '=', version)
    .returning(['id', 'version'])
    .executeTakeFirst();
}

/** Sends the package job in the request's own transaction (the queue's settings from pg-boss's queue row). */
export async function enqueuePackageJob(db: Q, caseId: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    insert into pgboss.job (name, data, retry_limit, retry_delay, expire_in, policy)
    select q.name, ${JSON.stringify({ requestId: caseId })}::jsonb, coalesce(q.retry_limit, 2), coalesce(q.retry_delay, 0),
           coalesce(q.expire_seconds, 900) * interval '1 second', q.policy
      from pgboss.queue q where q.name = ${PACKAGE_JOB}
    returning id`.execute(db);
  if (!rows[0]) throw new Error(`job queue ${PACKAGE_JOB} does not exist`);
  return rows[0].id;
}

export function deletePackage(db: Q, caseId: string) {
  return db.deleteFrom('access_packages').where('request_id', '=', caseId).execute();
}

export function setPackageState(db: Q, caseId: string, state: 'running' | 'done' | 'failed', progress: number) {
  return db
    .updateTable('access_requests')
    .set({ package_state: state, package_progress: progress, ...(state === 'done' ? { package_generated_at: new Date() } : {}) })
    .where('id', '=', caseId)
    .execute();
}

export function setProgress(db: Q, caseId: string, progress: number) {
  return db.updateTable('access_requests').set({ package_progress: progress }).where('id', '=', caseId).execute();
}

export function saveTextHits(db: Q, caseId: string, hits: TextHit[]) {
  return db.updateTable('access_requests').set({ text_hits: JSON.stringify(hits) }).where('id', '=', caseId).execute();
}

export function savePackage(db: Q, caseId: string, html: string, json: unknown) {
  const text = JSON.stringify(json);
  return db
    .insertInto('access_packages')
    .values({ request_id: caseId, html, json: text })
    .onConflict((oc) => oc.column('request_id').doUpdateSet({ html, json: text, generated_at: new Date() }))
    .execute();
}

export async function insertAdvice(db: Q, requestId: string, authorId: string, body: string): Promise<string> {
  const row = await db.insertInto('access_request_advice').values({ request_id: requestId, author_id: authorId, body }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
