// Research exports (issue 12 point 5): a study's named researcher asks for an export of the approved variables; it is
// made on the job queue (queued → running → scanning → ready | blocked) and downloaded as a zip by a named researcher
// for 14 days, after which the package is deleted. The study's programme managers and dpos (of an included
// organisation) see the exports and why one was blocked, never the download. Everyone else gets 404; a study not
// approved or past its end 409; an expired package 410. Every request, release, block, download and refusal is
// audited (purpose `research`).
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { ExportRequest, StudyExport, StudyExportListQuery } from '../../../contracts/study-exports.ts';
import type { Database, ExportAnonymisation, ExportBlocked, StudyExportStatus } from '../../db/schema.ts';
import { AccessDenied } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, type AuditAction, type AuditEntry } from '../../platform/audit/audit.ts';
import { DEMO_RESEARCH_KEY, type Config } from '../../platform/config.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, DomainError, Invalid, type FieldIssue } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isTimeCursor, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { buildExport, packagePath, type BuildResult, type ExportStudy } from './export-package.ts';

type Tx = Transaction<Database>;
export const EXPORT_JOB = 'study-export';
export const EXPORT_CLEANUP_JOB = 'study-export-cleanup';
/** How long a released package can be downloaded. */
export const EXPORT_DAYS = 14;
const PURPOSE = 'research' as const;
const RESOURCE = 'study_export';

export interface ExportDeps {
  db: Kysely<Database>;
  researchKey: string;
  cprKey: string;
  exportDir: string;
}

/** The export settings from the configuration: RESEARCH_KEY (its demo value only in demo mode) and EXPORT_DIR. */
export function exportDeps(db: Kysely<Database>, config: Pick<Config, 'cprKey' | 'demo'> & Partial<Pick<Config, 'researchKey' | 'exportDir' | 'dataDir'>>): ExportDeps {
  const researchKey = config.researchKey ?? (config.demo ? DEMO_RESEARCH_KEY : undefined);
  if (!researchKey) throw new Error('RESEARCH_KEY is required outside demo mode');
  return { db, researchKey, cprKey: config.cprKey, exportDir: config.exportDir ?? join(config.dataDir ?? join(tmpdir(), 'bindeled'), 'exports') };
}

/** A refusal with its own audit row, written after the rollback (409 not approved/ended/not ready, 400 variables). */
export class AuditedConflict extends Conflict {
  constructor(
    message: string,
    issues: FieldIssue[],
    readonly auditAfterRollback: AuditEntry,
  ) {
    super(message, issues);
  }
}
export class AuditedInvalid extends Invalid {
  constructor(
    message: string,
    issues: FieldIssue[],
    readonly auditAfterRollback: AuditEntry,
  ) {
    super(message, issues);
  }
}
/** 410: the package has expired (14 days) or was deleted. */
export class Gone extends DomainError {
  constructor(
    message: string,
    readonly auditAfterRollback: AuditEntry,
  ) {
    super(410, 'gone', message);
  }
}

interface StudyAccess {
  id: string;
  programme_id: string;
  organisation_id: string;
  status: 'awaiting_approval' | 'approved';
  ends_on: string;
  variables: string[];
  named: boolean;
  included: boolean;
}

const studyAccessColumns = (actor: Actor) => sql`
  s.id, s.programme_id, s.organisation_id, s.status, s.ends_on::text as ends_on, s.variables,
  exists (select 1 from study_researchers r where r.study_id = s.id and r.user_id = ${actor.userId}) as named,
  exists (select 1 from study_organisations so where so.study_id = s.id and so.organisation_id = ${actor.organisationId}) as included`;

/** A programme manager of the study's programme or a dpo, of an included organisation: sees statuses, not packages. */
function isAdmin(actor: Actor, s: Pick<StudyAccess, 'programme_id' | 'included'>): boolean {
  if (!s.included) return false;
  return actor.roles.some((g) => (g.role === 'programme_manager' && g.programmeId === s.programme_id) || (g.role === 'dpo' && g.programmeId === null));
}

function audit(actor: Actor, organisationId: string | null, action: AuditAction, resourceId: string | null, outcome: 'success' | 'denied', criteria?: Record<string, unknown>): AuditEntry {
  return { actor, organisationId, action, purpose: PURPOSE, resourceType: RESOURCE, resourceId, outcome, ...(criteria ? { criteria } : {}) };
}
const denied = (actor: Actor, organisationId: string | null, action: AuditAction, resourceId: string | null, reason: string) =>
  new AccessDenied(audit(actor, organisationId, action, resourceId, 'denied', { reason }));

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The study has ended (past its end date) or is not approved: no export is made or downloaded. */
function studyRefusal(s: Pick<StudyAccess, 'status' | 'ends_on'>, today: string): string | null {
  if (s.status !== 'approved') return 'study_not_approved';
  if (s.ends_on < today) return 'study_ended';
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Requesting

export async function requestExport(deps: Pick<ExportDeps, 'db'>, actor: Actor, studyId: string, body: ExportRequest): Promise<{ id: string }> {
  return inTransaction(deps.db, async (tx) => {
    const { rows } = await sql<StudyAccess>`select ${studyAccessColumns(actor)} from studies s where s.id = ${studyId}`.execute(tx);
    const s = rows[0];
    if (!s) throw denied(actor, null, 'export', null, 'unknown study');
    if (!s.named) throw denied(actor, s.organisation_id, 'export', null, 'not a named researcher of the study');
    const refusal = studyRefusal(s, dateInCopenhagen());
    if (refusal) {
      throw new AuditedConflict(refusal === 'study_ended' ? 'The study has ended: no more exports' : 'The study is not approved', [{ path: 'study', message: refusal }], audit(actor, s.organisation_id, 'export', null, 'denied', { studyId, reason: refusal }));
    }
    const approved = new Set(s.variables);
    const variables = [...new Set(body.variables ?? s.variables)].sort();
    const outside = variables.filter((v) => !approved.has(v));
    if (outside.length > 0) {
      throw new AuditedInvalid('Only variables the study is approved for can be exported', [{ path: 'variables', message: `not_approved: ${outside.slice(0, 5).join(', ')}` }], audit(actor, s.organisation_id, 'export', null, 'denied', { studyId, reason: 'variables_not_approved' }));
    }
    const format = body.format ?? 'csv';
    const inserted = await tx
      .insertInto('study_exports')
      .values({ study_id: studyId, requested_by: actor.userId, format, variables, row_counts: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueue(tx, EXPORT_JOB, { exportId: inserted.id });
    await recordAudit(tx, audit(actor, s.organisation_id, 'create', inserted.id, 'success', { studyId, format, variables: variables.length }));
    return { id: inserted.id };
  });
}

async function enqueue(db: Kysely<Database>, queue: string, data: Record<string, unknown>): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    insert into pgboss.job (name, data, retry_limit, retry_delay, expire_in, policy)
    select q.name, ${JSON.stringify(data)}::jsonb, coalesce(q.retry_limit, 1), coalesce(q.retry_delay, 0),
           coalesce(q.expire_seconds, 3600) * interval '1 second', q.policy
      from pgboss.queue q where q.name = ${queue}
    returning id`.execute(db);
  if (!rows[0]) throw new Error(`job queue ${queue} does not exist`);
  return rows[0].id;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

interface ExportRow extends StudyAccess {
  export_id: string;
  format: 'csv' | 'redcap';
  export_variables: string[];
  export_status: StudyExportStatus;
  progress: number;
  row_counts: Record<string, number>;
  anonymisation: ExportAnonymisation | null;
  blocked: ExportBlocked | null;
  requested_by: string;
  requested_by_name: string;
  requested_at: Date;
  finished_at: Date | null;
  expires_at: Date | null;
  deleted_at: Date | null;
  expired: boolean;
}

const exportColumns = sql`
  x.id as export_id, x.format, x.variables as export_variables, x.status as export_status, x.progress, x.row_counts, x.anonymisation, x.blocked,
  x.requested_by, u.name as requested_by_name, x.requested_at, x.finished_at, x.expires_at, x.deleted_at,
  (x.deleted_at is not null or (x.expires_at is not null and x.expires_at <= now()) or s.ends_on < (now() at time zone 'Europe/Copenhagen')::date) as expired`;

function toExport(r: ExportRow, actor: Actor): StudyExport {
  const admin = isAdmin(actor, r);
  return {
    id: r.export_id,
    studyId: r.id,
    format: r.format,
    variables: r.export_variables,
    status: r.export_status,
    progress: r.progress,
    rowCounts: r.row_counts,
    anonymisation: r.anonymisation,
    blocked: admin ? r.blocked : null,
    requestedBy: { id: r.requested_by, name: r.requested_by_name },
    requestedAt: iso(r.requested_at)!,
    finishedAt: iso(r.finished_at),
    expiresAt: iso(r.expires_at),
    expired: r.expired,
    canDownload: r.named && r.export_status === 'ready' && !r.expired && r.status === 'approved',
  };
}

async function loadExport(tx: Tx, actor: Actor, exportId: string, action: AuditAction): Promise<ExportRow> {
  const { rows } = await sql<ExportRow>`
    select ${studyAccessColumns(actor)}, ${exportColumns}
      from study_exports x join studies s on s.id = x.study_id join users u on u.id = x.requested_by
     where x.id = ${exportId}`.execute(tx);
  const r = rows[0];
  if (!r) throw denied(actor, null, action, exportId, 'unknown id');
  if (!r.named && !isAdmin(actor, r)) throw denied(actor, r.organisation_id, action, exportId, 'not a party to the study');
  return r;
}

export async function getExport(deps: Pick<ExportDeps, 'db'>, actor: Actor, exportId: string): Promise<StudyExport> {
  return inTransaction(deps.db, async (tx) => {
    const r = await loadExport(tx, actor, exportId, 'read');
    await recordAudit(tx, audit(actor, r.organisation_id, 'read', exportId, 'success', { studyId: r.id }));
    return toExport(r, actor);
  });
}

export async function listExports(deps: Pick<ExportDeps, 'db'>, actor: Actor, studyId: string, query: z.infer<typeof StudyExportListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const { rows: studies } = await sql<StudyAccess>`select ${studyAccessColumns(actor)} from studies s where s.id = ${studyId}`.execute(tx);
    const s = studies[0];
    if (!s) throw denied(actor, null, 'read', null, 'unknown study');
    if (!s.named && !isAdmin(actor, s)) throw denied(actor, s.organisation_id, 'read', null, 'not a party to the study');
    const after = decodeCursor(query.cursor, isTimeCursor);
    const { rows } = await sql<ExportRow>`
      select ${studyAccessColumns(actor)}, ${exportColumns}
        from study_exports x join studies s on s.id = x.study_id join users u on u.id = x.requested_by
       where x.study_id = ${studyId}
         ${after ? sql`and (x.requested_at, x.id) < (${after.t}::timestamptz, ${after.id}::uuid)` : sql``}
       order by x.requested_at desc, x.id desc
       limit ${query.limit + 1}`.execute(tx);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, audit(actor, s.organisation_id, 'read', null, 'success', { studyId, count: page.length, cursor: query.cursor ? 'next' : null }));
    return {
      items: page.map((r) => toExport(r, actor)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ t: iso(last.requested_at), id: last.export_id }) : null,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Downloading

/**
 * The package for a named researcher: 409 while not ready or when blocked (or the study is not approved), 410 once
 * expired or deleted. A package missing on disk (a fresh checkout of the demo, a lost disk) is made again through the
 * whole pipeline — the scan included — before it is given out.
 */
export async function downloadExport(deps: ExportDeps, actor: Actor, exportId: string): Promise<{ path: string; filename: string }> {
  const check = async (tx: Tx, present: boolean) => {
    const r = await loadExport(tx, actor, exportId, 'export');
    if (!r.named) throw denied(actor, r.organisation_id, 'export', exportId, 'only the named researchers download');
    const refuse = (reason: string) => audit(actor, r.organisation_id, 'export', exportId, 'denied', { studyId: r.id, reason });
    const refusal = studyRefusal(r, dateInCopenhagen());
    if (refusal === 'study_not_approved') throw new AuditedConflict('The study is not approved', [{ path: 'study', message: refusal }], refuse(refusal));
    if (r.expired) throw new Gone('The export has expired: its package is deleted', refuse('expired'));
    if (r.export_status !== 'ready') throw new AuditedConflict('The export is not ready', [{ path: 'status', message: r.export_status }], refuse(`status_${r.export_status}`));
    if (present) await recordAudit(tx, audit(actor, r.organisation_id, 'export', exportId, 'success', { studyId: r.id, download: true, rowCounts: r.row_counts }));
    return r;
  };
  const path = packagePath(deps.exportDir, exportId);
  const present = existsSync(path);
  const r = await inTransaction(deps.db, (tx) => check(tx, present));
  const filename = `dataudtraek-${r.id.slice(0, 8)}-${exportId.slice(0, 8)}.zip`;
  if (present) return { path, filename };
  // Made again: the same variables, the same study key; released only if the scan is clean. One rebuild at a time
  // per export: a download that finds another one making it waits for it and then gives out its package.
  const result = await underRebuildLock(deps, exportId, async (db) => {
    if (existsSync(path)) return 'ready';
    return (await makePackage({ ...deps, db }, exportId, { rebuild: true }))?.status;
  });
  if (result !== 'ready') throw new Conflict('The export could not be made again: it is blocked', [{ path: 'status', message: 'blocked' }]);
  await inTransaction(deps.db, (tx) => check(tx, true));
  return { path, filename };
}

/** How long a download waits for another download's rebuild of the same package, and how often it looks. */
export const REBUILD_WAIT_MS = 10 * 60_000;
const REBUILD_POLL_MS = 100;

/**
 * Runs `work` holding a session advisory lock on the export (PostgreSQL's lock manager, so it holds across the
 * server's processes), on one connection kept for the work: the rebuild reads and records through it. A download
 * that finds the lock taken gives its connection back and looks again, so waiting never holds a connection. On
 * PGlite, one connection, the lock is always free and the connection itself serialises the rebuilds.
 */
async function underRebuildLock<T>(deps: ExportDeps, exportId: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const lock = sql`hashtext('study_export'), hashtext(${exportId})`;
  const until = Date.now() + REBUILD_WAIT_MS;
  for (;;) {
    const outcome = await deps.db.connection().execute(async (db) => {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${lock}) as locked`.execute(db);
      if (!rows[0]?.locked) return { busy: true as const };
      try {
        return { busy: false as const, value: await work(db) };
      } finally {
        await sql`select pg_advisory_unlock(${lock})`.execute(db);
      }
    });
    if (!outcome.busy) return outcome.value;
    if (Date.now() > until) throw new Conflict('The export is being made again: try again shortly', [{ path: 'status', message: 'rebuilding' }]);
    await new Promise((resolve) => setTimeout(resolve, REBUILD_POLL_MS));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The job

interface JobStudyRow {
  study_id: string;
  title: string;
  partner_name: string;
  programme_id: string;
  programme_name: string;
  organisation_id: string;
  starts_on: string;
  ends_on: string;
  date_precision: 'month' | 'shifted';
  organisation_ids: string[];
  organisation_names: string[];
  /** The study has research-only questionnaires and the export is of everything the study is approved for. */
  has_questionnaires: boolean;
  format: 'csv' | 'redcap';
  variables: string[];
  status: StudyExportStatus;
}

async function loadJob(db: Kysely<Database>, exportId: string): Promise<JobStudyRow | undefined> {
  const { rows } = await sql<JobStudyRow>`
    select s.id as study_id, s.title, s.partner_name, s.programme_id, p.name as programme_name, s.organisation_id, s.starts_on::text as starts_on,
           s.ends_on::text as ends_on, s.date_precision, x.format, x.variables, x.status,
           array(select so.organisation_id from study_organisations so where so.study_id = s.id order by so.organisation_id)::text[] as organisation_ids,
           array(select o.name from study_organisations so join organisations o on o.id = so.organisation_id where so.study_id = s.id order by so.organisation_id)::text[] as organisation_names,
           exists (select 1 from study_questionnaires q where q.study_id = s.id) and s.variables <@ x.variables as has_questionnaires
      from study_exports x join studies s on s.id = x.study_id join programmes p on p.id = s.programme_id
     where x.id = ${exportId}`.execute(db);
  return rows[0];
}

/** Builds the package and records the outcome: ready (released, with its rows per file) or blocked, each audited. */
export async function makePackage(deps: ExportDeps, exportId: string, opts: { rebuild?: boolean; today?: string } = {}): Promise<BuildResult | null> {
  const j = await loadJob(deps.db, exportId);
  if (!j) return null;
  if (!opts.rebuild && (j.status === 'ready' || j.status === 'blocked')) return null;
  const study: ExportStudy = {
    id: j.study_id,
    title: j.title,
    partnerName: j.partner_name,
    programmeId: j.programme_id,
    programmeName: j.programme_name,
    organisationIds: j.organisation_ids,
    organisationNames: j.organisation_names,
    startsOn: j.starts_on,
    endsOn: j.ends_on,
    datePrecision: j.date_precision,
    hasQuestionnaires: j.has_questionnaires,
  };
  const setProgress = async (status: 'running' | 'scanning', progress: number) => {
    if (opts.rebuild) return;
    await deps.db.updateTable('study_exports').set({ status, progress }).where('id', '=', exportId).execute();
  };
  const today = opts.today ?? dateInCopenhagen();
  let result: BuildResult;
  try {
    // Past the study's end its per-citizen date offsets and pseudonyms are not derived any more (decision 0044): the
    // export is refused without touching the study key.
    result = j.ends_on < today ? endedResult() : await buildExport(deps.db, {
      exportId,
      study,
      variables: j.variables,
      format: j.format,
      researchKey: deps.researchKey,
      cprKey: deps.cprKey,
      dir: deps.exportDir,
      today,
      progress: setProgress,
    });
  } catch (error) {
    if (!opts.rebuild) await deps.db.updateTable('study_exports').set({ status: 'queued', progress: 0 }).where('id', '=', exportId).execute();
    throw error;
  }
  // Inside the demo loader's transaction the outcome joins it; otherwise it is a transaction of its own.
  const inTx = (work: (tx: Kysely<Database>) => Promise<void>) => (deps.db.isTransaction ? work(deps.db) : deps.db.transaction().execute(work));
  await inTx(async (tx) => {
    await tx
      .updateTable('study_exports')
      .set({
        status: result.status,
        progress: 100,
        row_counts: JSON.stringify(result.rowCounts),
        anonymisation: result.anonymisation ? JSON.stringify(result.anonymisation) : null,
        blocked: result.blocked ? JSON.stringify(result.blocked) : null,
        ...(opts.rebuild ? {} : { finished_at: new Date(), expires_at: result.status === 'ready' ? sql<Date>`now() + ${`${EXPORT_DAYS} days`}::interval` : null }),
        ...(result.status === 'blocked' && opts.rebuild ? { finished_at: new Date(), expires_at: null } : {}),
        size_bytes: result.sizeBytes,
      })
      .where('id', '=', exportId)
      .execute();
    await recordAudit(tx, {
      actor: null,
      actorUsername: `job:${EXPORT_JOB}`,
      organisationId: j.organisation_id,
      action: 'export',
      purpose: PURPOSE,
      resourceType: RESOURCE,
      resourceId: exportId,
      outcome: result.status === 'ready' ? 'success' : 'denied',
      criteria: {
        studyId: j.study_id,
        step: result.status === 'ready' ? (opts.rebuild ? 'rebuilt' : 'released') : 'blocked',
        format: j.format,
        rowCounts: result.rowCounts,
        ...(result.anonymisation ? { anonymisation: result.anonymisation } : {}),
        ...(result.blocked ? { blocked: result.blocked } : {}),
      },
    });
  });
  return result;
}

const endedResult = (): BuildResult => ({
  status: 'blocked',
  rowCounts: {},
  anonymisation: null,
  blocked: { reason: 'study_ended', kind: null, file: null, variable: null },
  path: null,
  sizeBytes: null,
});

export async function runExportJob(deps: ExportDeps, data: unknown): Promise<{ exportId: string }> {
  const exportId = (data as { exportId?: unknown } | null)?.exportId;
  if (typeof exportId !== 'string' || !isUuid(exportId)) throw new Error('export job without an export id');
  await makePackage(deps, exportId);
  return { exportId };
}

/** Deletes the packages that have expired (14 days) or whose study has ended, and records it (audited). */
export async function cleanUpExports(deps: ExportDeps): Promise<{ deleted: number }> {
  const { rows } = await sql<{ id: string; organisation_id: string; study_id: string }>`
    select x.id, s.organisation_id, s.id as study_id
      from study_exports x join studies s on s.id = x.study_id
     where x.status = 'ready' and x.deleted_at is null
       and (x.expires_at <= now() or s.ends_on < (now() at time zone 'Europe/Copenhagen')::date)
     order by x.expires_at limit 500`.execute(deps.db);
  for (const r of rows) {
    await rm(packagePath(deps.exportDir, r.id), { force: true });
    await deps.db.transaction().execute(async (tx) => {
      await tx.updateTable('study_exports').set({ deleted_at: new Date() }).where('id', '=', r.id).execute();
      await recordAudit(tx, {
        actor: null,
        actorUsername: `job:${EXPORT_CLEANUP_JOB}`,
        organisationId: r.organisation_id,
        action: 'delete',
        purpose: PURPOSE,
        resourceType: RESOURCE,
        resourceId: r.id,
        outcome: 'success',
        criteria: { studyId: r.study_id, reason: 'expired' },
      });
    });
  }
  return { deleted: rows.length };
}
