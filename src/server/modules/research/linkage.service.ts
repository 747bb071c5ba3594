// Register-linkage deliveries (issue 12 point 6; decision 0044). A study marked for register linkage, approved and
// not ended, is delivered by each disclosing organisation keyed by CPR number to Danmarks Statistik's research
// service. The organisation's programme manager of the study's programme asks for it (after the organisation approved
// the study) and fetches the zip for the hand-over within 2 days; its dpo sees the deliveries, not the package. The
// study's named researchers never reach it: 404 on every route here, even where they also manage the programme.
// Every request, build, download, deletion and refusal is audited with its row counts (purpose `research`).
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { LinkageDelivery, LinkageDeliveryListQuery } from '../../../contracts/linkage-deliveries.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, type AuditAction, type AuditEntry } from '../../platform/audit/audit.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { decodeCursor, encodeCursor, isTimeCursor, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { AuditedConflict, Gone, type ExportDeps } from './exports.service.ts';
import { buildLinkage, linkagePath } from './linkage-package.ts';

type Tx = Transaction<Database>;
export const LINKAGE_JOB = 'study-linkage';
/** How long a delivery can be fetched for the hand-over. */
export const LINKAGE_DAYS = 2;
const PURPOSE = 'research' as const;
const RESOURCE = 'study_linkage_delivery';

export type LinkageDeps = Pick<ExportDeps, 'db' | 'cprKey' | 'exportDir'>;

function audit(actor: Actor, organisationId: string | null, action: AuditAction, resourceId: string | null, outcome: 'success' | 'denied', criteria?: Record<string, unknown>): AuditEntry {
  return { actor, organisationId, action, purpose: PURPOSE, resourceType: RESOURCE, resourceId, outcome, ...(criteria ? { criteria } : {}) };
}
const denied = (actor: Actor, organisationId: string | null, action: AuditAction, resourceId: string | null, reason: string, studyId?: string) =>
  new AccessDenied(audit(actor, organisationId, action, resourceId, 'denied', { reason, ...(studyId ? { studyId } : {}) }));
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

interface StudyAccess {
  id: string;
  programme_id: string;
  organisation_id: string;
  status: 'awaiting_approval' | 'approved';
  ends_on: string;
  ended: boolean;
  variables: string[];
  register_linkage: boolean;
  named: boolean;
  /** The caller's organisation is included in the study. */
  included: boolean;
  /** The caller's organisation has approved the study. */
  own_approved: boolean;
}

const studyAccessColumns = (actor: Actor) => sql`
  s.id, s.programme_id, s.organisation_id, s.status, s.ends_on::text as ends_on, s.variables, s.register_linkage,
  s.ends_on < (now() at time zone 'Europe/Copenhagen')::date as ended,
  exists (select 1 from study_researchers r where r.study_id = s.id and r.user_id = ${actor.userId}) as named,
  exists (select 1 from study_organisations so where so.study_id = s.id and so.organisation_id = ${actor.organisationId}) as included,
  exists (select 1 from study_organisations so where so.study_id = s.id and so.organisation_id = ${actor.organisationId} and so.approved_at is not null) as own_approved`;

const isManager = (actor: Actor, s: Pick<StudyAccess, 'programme_id'>) => actor.roles.some((g) => g.role === 'programme_manager' && g.programmeId === s.programme_id);
const isDpo = (actor: Actor) => actor.roles.some((g) => g.role === 'dpo' && g.programmeId === null);

/**
 * Who sees a study's deliveries: a programme manager of the programme or the dpo, of an included organisation, and
 * never a researcher named on the study (whatever else they are).
 */
function mayView(actor: Actor, s: StudyAccess): boolean {
  if (s.named || !s.included) return false;
  return isManager(actor, s) || isDpo(actor);
}

// ---------------------------------------------------------------------------------------------------------------
// Requesting

export async function requestLinkage(deps: Pick<LinkageDeps, 'db'>, actor: Actor, studyId: string): Promise<{ id: string }> {
  return inTransaction(deps.db, async (tx) => {
    const { rows } = await sql<StudyAccess>`select ${studyAccessColumns(actor)} from studies s where s.id = ${studyId}`.execute(tx);
    const s = rows[0];
    if (!s) throw denied(actor, null, 'export', null, 'unknown study');
    if (s.named) throw denied(actor, s.organisation_id, 'export', null, 'a researcher of the study never reaches the linkage delivery', studyId);
    if (!s.included) throw denied(actor, s.organisation_id, 'export', null, 'organisation not included', studyId);
    requireAccess(actor, 'study:linkage', { type: 'study', id: studyId, organisationId: actor.organisationId, programmeId: s.programme_id }, { action: 'export', purpose: PURPOSE });
    const refuse = (reason: string, message: string): never => {
      throw new AuditedConflict(message, [{ path: 'study', message: reason }], audit(actor, actor.organisationId, 'export', null, 'denied', { studyId, reason, kind: 'register_linkage' }));
    };
    if (!s.register_linkage) refuse('not_register_linkage', 'The study is not marked for register linkage');
    if (s.status !== 'approved' || !s.own_approved) refuse('study_not_approved', 'The study is not approved by your organisation');
    if (s.ended) refuse('study_ended', 'The study has ended: no more deliveries');
    const inserted = await tx
      .insertInto('study_linkage_deliveries')
      .values({ study_id: studyId, organisation_id: actor.organisationId, requested_by: actor.userId, variables: s.variables, row_counts: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueue(tx, LINKAGE_JOB, { deliveryId: inserted.id });
    await recordAudit(tx, audit(actor, actor.organisationId, 'create', inserted.id, 'success', { studyId, kind: 'register_linkage', variables: s.variables.length }));
    return { id: inserted.id };
  });
}

async function enqueue(db: Kysely<Database>, queue: string, data: Record<string, unknown>): Promise<void> {
  const { rows } = await sql<{ id: string }>`
    insert into pgboss.job (name, data, retry_limit, retry_delay, expire_in, policy)
    select q.name, ${JSON.stringify(data)}::jsonb, coalesce(q.retry_limit, 1), coalesce(q.retry_delay, 0),
           coalesce(q.expire_seconds, 3600) * interval '1 second', q.policy
      from pgboss.queue q where q.name = ${queue}
    returning id`.execute(db);
  if (!rows[0]) throw new Error(`job queue ${queue} does not exist`);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

interface DeliveryRow extends StudyAccess {
  delivery_id: string;
  delivery_organisation_id: string;
  delivery_organisation_name: string;
  delivery_variables: string[];
  delivery_status: 'queued' | 'running' | 'ready' | 'failed';
  progress: number;
  row_counts: Record<string, number>;
  failure: string | null;
  requested_by: string;
  requested_by_name: string;
  requested_at: Date;
  finished_at: Date | null;
  expires_at: Date | null;
  expired: boolean;
}

const deliveryColumns = sql`
  d.id as delivery_id, d.organisation_id as delivery_organisation_id, o.name as delivery_organisation_name, d.variables as delivery_variables,
  d.status as delivery_status, d.progress, d.row_counts, d.failure, d.requested_by, u.name as requested_by_name, d.requested_at, d.finished_at, d.expires_at,
  (d.deleted_at is not null or (d.expires_at is not null and d.expires_at <= now()) or s.ends_on < (now() at time zone 'Europe/Copenhagen')::date) as expired`;
const deliveryFrom = sql`study_linkage_deliveries d join studies s on s.id = d.study_id join users u on u.id = d.requested_by join organisations o on o.id = d.organisation_id`;

/** The programme manager of the delivery's own organisation and the study's programme: the one who hands it over. */
const mayFetch = (actor: Actor, r: DeliveryRow) => !r.named && r.delivery_organisation_id === actor.organisationId && isManager(actor, r);

function toDelivery(r: DeliveryRow, actor: Actor): LinkageDelivery {
  return {
    id: r.delivery_id,
    studyId: r.id,
    organisation: { id: r.delivery_organisation_id, name: r.delivery_organisation_name },
    variables: r.delivery_variables,
    status: r.delivery_status,
    progress: r.progress,
    rowCounts: r.row_counts,
    failure: r.failure,
    requestedBy: { id: r.requested_by, name: r.requested_by_name },
    requestedAt: iso(r.requested_at)!,
    finishedAt: iso(r.finished_at),
    expiresAt: iso(r.expires_at),
    expired: r.expired,
    canDownload: mayFetch(actor, r) && r.delivery_status === 'ready' && !r.expired,
  };
}

async function loadDelivery(tx: Tx, actor: Actor, id: string, action: AuditAction): Promise<DeliveryRow> {
  const { rows } = await sql<DeliveryRow>`select ${studyAccessColumns(actor)}, ${deliveryColumns} from ${deliveryFrom} where d.id = ${id}`.execute(tx);
  const r = rows[0];
  if (!r) throw denied(actor, null, action, id, 'unknown id');
  if (r.named) throw denied(actor, r.organisation_id, action, id, 'a researcher of the study never reaches the linkage delivery', r.id);
  // A delivery is its organisation's: the others included in the study see their own deliveries only.
  if (!mayView(actor, r) || r.delivery_organisation_id !== actor.organisationId) throw denied(actor, r.organisation_id, action, id, 'not a party to the delivery', r.id);
  return r;
}

export async function getLinkage(deps: Pick<LinkageDeps, 'db'>, actor: Actor, id: string): Promise<LinkageDelivery> {
  return inTransaction(deps.db, async (tx) => {
    const r = await loadDelivery(tx, actor, id, 'read');
    await recordAudit(tx, audit(actor, r.delivery_organisation_id, 'read', id, 'success', { studyId: r.id }));
    return toDelivery(r, actor);
  });
}

/** The caller's organisation's deliveries of the study, newest first. */
export async function listLinkages(deps: Pick<LinkageDeps, 'db'>, actor: Actor, studyId: string, query: z.infer<typeof LinkageDeliveryListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const { rows: studies } = await sql<StudyAccess>`select ${studyAccessColumns(actor)} from studies s where s.id = ${studyId}`.execute(tx);
    const s = studies[0];
    if (!s) throw denied(actor, null, 'read', null, 'unknown study');
    if (s.named) throw denied(actor, s.organisation_id, 'read', null, 'a researcher of the study never reaches the linkage delivery', studyId);
    if (!mayView(actor, s)) throw denied(actor, s.organisation_id, 'read', null, 'not a party to the study', studyId);
    const after = decodeCursor(query.cursor, isTimeCursor);
    const { rows } = await sql<DeliveryRow>`
      select ${studyAccessColumns(actor)}, ${deliveryColumns}
        from ${deliveryFrom}
       where d.study_id = ${studyId} and d.organisation_id = ${actor.organisationId}
         ${after ? sql`and (d.requested_at, d.id) < (${after.t}::timestamptz, ${after.id}::uuid)` : sql``}
       order by d.requested_at desc, d.id desc
       limit ${query.limit + 1}`.execute(tx);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, audit(actor, actor.organisationId, 'read', null, 'success', { studyId, count: page.length, cursor: query.cursor ? 'next' : null }));
    return {
      items: page.map((r) => toDelivery(r, actor)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ t: iso(last.requested_at), id: last.delivery_id }) : null,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Fetching for the hand-over

/** The zip for the organisation's programme manager: 409 while not ready, 410 once expired, deleted or the study ended. */
export async function downloadLinkage(deps: LinkageDeps, actor: Actor, id: string): Promise<{ path: string; filename: string }> {
  const path = linkagePath(deps.exportDir, id);
  const present = existsSync(path);
  const r = await inTransaction(deps.db, async (tx) => {
    const r = await loadDelivery(tx, actor, id, 'export');
    if (!mayFetch(actor, r)) throw denied(actor, r.delivery_organisation_id, 'export', id, 'only the programme manager of the disclosing organisation fetches the delivery', r.id);
    const refuse = (reason: string) => audit(actor, r.delivery_organisation_id, 'export', id, 'denied', { studyId: r.id, reason });
    if (r.expired || (r.delivery_status === 'ready' && !present)) throw new Gone('The delivery has expired: its package is deleted', refuse('expired'));
    if (r.delivery_status !== 'ready') throw new AuditedConflict('The delivery is not ready', [{ path: 'status', message: r.delivery_status }], refuse(`status_${r.delivery_status}`));
    await recordAudit(tx, audit(actor, r.delivery_organisation_id, 'export', id, 'success', { studyId: r.id, download: true, kind: 'register_linkage', rowCounts: r.row_counts }));
    return r;
  });
  return { path, filename: `registersamkoering-${r.id.slice(0, 8)}-${id.slice(0, 8)}.zip` };
}

// ---------------------------------------------------------------------------------------------------------------
// The job

interface JobRow {
  study_id: string;
  title: string;
  partner_name: string;
  dst_reference: string | null;
  programme_id: string;
  programme_name: string;
  organisation_id: string;
  organisation_name: string;
  starts_on: string;
  ends_on: string;
  study_status: 'awaiting_approval' | 'approved';
  register_linkage: boolean;
  variables: string[];
  status: 'queued' | 'running' | 'ready' | 'failed';
}

/** Builds the delivery and records the outcome (ready with its rows per file, or failed because the study ended), audited. */
export async function makeLinkage(deps: LinkageDeps, id: string, opts: { today?: string } = {}): Promise<'ready' | 'failed' | null> {
  const { rows } = await sql<JobRow>`
    select s.id as study_id, s.title, s.partner_name, s.dst_reference, s.programme_id, p.name as programme_name, d.organisation_id, o.name as organisation_name,
           s.starts_on::text as starts_on, s.ends_on::text as ends_on, s.status as study_status, s.register_linkage, d.variables, d.status
      from study_linkage_deliveries d join studies s on s.id = d.study_id join programmes p on p.id = s.programme_id join organisations o on o.id = d.organisation_id
     where d.id = ${id}`.execute(deps.db);
  const j = rows[0];
  if (!j || j.status === 'ready' || j.status === 'failed') return null;
  const today = opts.today ?? dateInCopenhagen();
  const inTx = (work: (tx: Kysely<Database>) => Promise<void>) => (deps.db.isTransaction ? work(deps.db) : deps.db.transaction().execute(work));
  const jobAudit = (outcome: 'success' | 'denied', criteria: Record<string, unknown>): AuditEntry => ({
    actor: null,
    actorUsername: `job:${LINKAGE_JOB}`,
    organisationId: j.organisation_id,
    action: 'export',
    purpose: PURPOSE,
    resourceType: RESOURCE,
    resourceId: id,
    outcome,
    criteria: { studyId: j.study_id, kind: 'register_linkage', ...criteria },
  });
  const failure = j.ends_on < today ? 'study_ended' : j.study_status !== 'approved' || !j.register_linkage || !j.dst_reference ? 'not_approved' : null;
  if (failure) {
    await inTx(async (tx) => {
      await tx.updateTable('study_linkage_deliveries').set({ status: 'failed', failure, progress: 100, finished_at: new Date() }).where('id', '=', id).execute();
      await recordAudit(tx, jobAudit('denied', { step: 'refused', reason: failure }));
    });
    return 'failed';
  }
  const expiresOn = addDays(today, LINKAGE_DAYS);
  const setProgress = async (progress: number) => {
    await deps.db.updateTable('study_linkage_deliveries').set({ status: 'running', progress: Math.min(progress, 99) }).where('id', '=', id).execute();
  };
  let result;
  try {
    result = await buildLinkage(deps.db, {
      deliveryId: id,
      study: {
        id: j.study_id,
        title: j.title,
        partnerName: j.partner_name,
        dstReference: j.dst_reference!,
        programmeId: j.programme_id,
        programmeName: j.programme_name,
        organisationId: j.organisation_id,
        organisationName: j.organisation_name,
        startsOn: j.starts_on,
        endsOn: j.ends_on,
      },
      variables: j.variables,
      cprKey: deps.cprKey,
      dir: deps.exportDir,
      today,
      expiresOn,
      progress: setProgress,
    });
  } catch (error) {
    await deps.db.updateTable('study_linkage_deliveries').set({ status: 'queued', progress: 0 }).where('id', '=', id).execute();
    throw error;
  }
  const built = result;
  await inTx(async (tx) => {
    await tx
      .updateTable('study_linkage_deliveries')
      .set({
        status: 'ready',
        progress: 100,
        row_counts: JSON.stringify(built.rowCounts),
        finished_at: new Date(),
        expires_at: sql<Date>`now() + ${`${LINKAGE_DAYS} days`}::interval`,
        size_bytes: built.sizeBytes,
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, jobAudit('success', { step: 'built', rowCounts: built.rowCounts, rowsWithoutCpr: built.withoutCpr }));
  });
  return 'ready';
}

export async function runLinkageJob(deps: LinkageDeps, data: unknown): Promise<{ deliveryId: string }> {
  const deliveryId = (data as { deliveryId?: unknown } | null)?.deliveryId;
  if (typeof deliveryId !== 'string' || !isUuid(deliveryId)) throw new Error('linkage job without a delivery id');
  await makeLinkage(deps, deliveryId);
  return { deliveryId };
}

/** Deletes the deliveries past their 2 days or whose study has ended (run by the exports' clean-up job), audited. */
export async function cleanUpLinkages(deps: LinkageDeps): Promise<{ deleted: number }> {
  const { rows } = await sql<{ id: string; organisation_id: string; study_id: string; ended: boolean }>`
    select d.id, d.organisation_id, d.study_id, s.ends_on < (now() at time zone 'Europe/Copenhagen')::date as ended
      from study_linkage_deliveries d join studies s on s.id = d.study_id
     where d.status = 'ready' and d.deleted_at is null
       and (d.expires_at <= now() or s.ends_on < (now() at time zone 'Europe/Copenhagen')::date)
     order by d.expires_at limit 500`.execute(deps.db);
  for (const r of rows) {
    await rm(linkagePath(deps.exportDir, r.id), { force: true });
    await deps.db.transaction().execute(async (tx) => {
      await tx.updateTable('study_linkage_deliveries').set({ deleted_at: new Date() }).where('id', '=', r.id).execute();
      await recordAudit(tx, {
        actor: null,
        actorUsername: `job:${LINKAGE_JOB}`,
        organisationId: r.organisation_id,
        action: 'delete',
        purpose: PURPOSE,
        resourceType: RESOURCE,
        resourceId: r.id,
        outcome: 'success',
        criteria: { studyId: r.study_id, reason: r.ended ? 'study_ended' : 'expired' },
      });
    });
  }
  return { deleted: rows.length };
}
