// Instruments as versioned data: the shipped ones (kept in step with builtin.ts at start-up), and an
// organisation's own, uploaded as Bindeled JSON or imported from a REDCap data dictionary by its
// administrator, inactive until the administrator approves them after consulting the dpo. Answers keep
// the version they were given on: a new version never rescores them.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { InstrumentDefinition } from '../../../contracts/instruments.ts';
import type { ApproveRequest, ImportQuery, Instrument } from '../../../contracts/progression.ts';
import type { Database } from '../../db/schema.ts';
import { decide, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { BUILTIN_INSTRUMENTS } from './builtin.ts';
import { refreshMovements, relevantChangeDiffers } from './movement.ts';
import { exportRedcap, importRedcap } from './redcap.ts';

type Tx = Transaction<Database> | Kysely<Database>;
type Definition = z.infer<typeof InstrumentDefinition>;
const PURPOSE = 'administration' as const;

export interface InstrumentRow {
  id: string;
  organisation_id: string | null;
  code: string;
  version: number;
  status: 'inactive' | 'active' | 'retired';
  source: 'builtin' | 'json' | 'redcap';
  definition: Definition;
  licence: string;
  data_categories: string[];
  health_data: boolean;
  approved_at: Date | null;
  approval_note: string | null;
}

/** The definition's fingerprint: key order does not matter, content does. */
export function definitionHash(def: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(def))).digest('hex');
}

const BUILTIN_CODES = new Set(BUILTIN_INSTRUMENTS.map((d) => d.code));

/**
 * Keeps the shipped instruments in step with the code: a changed definition becomes a new active version
 * (the earlier one retired, its answers untouched). Run after the migrations, on every start.
 */
export async function syncBuiltinInstruments(db: Kysely<Database>): Promise<void> {
  for (const def of BUILTIN_INSTRUMENTS) {
    const hash = definitionHash(def);
    const latest = await db
      .selectFrom('instruments')
      .select(['id', 'version', 'definition_hash', 'definition'])
      .where('organisation_id', 'is', null)
      .where('code', '=', def.code)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest?.definition_hash === hash) continue;
    await db.transaction().execute(async (tx) => {
      if (latest) await tx.updateTable('instruments').set({ status: 'retired' }).where('id', '=', latest.id).execute();
      await tx
        .insertInto('instruments')
        .values({
          organisation_id: null,
          code: def.code,
          version: (latest?.version ?? 0) + 1,
          status: 'active',
          source: 'builtin',
          definition: JSON.stringify(def),
          definition_hash: hash,
          licence: def.licence,
          data_categories: def.dataCategories,
          health_data: def.healthData,
        })
        .execute();
      // Pairs counted as improved or worsened against the earlier relevant change are counted again.
      if (latest && relevantChangeDiffers(latest.definition, def)) await refreshMovements(tx, def.code, null);
    });
  }
}

const COLUMNS = ['id', 'organisation_id', 'code', 'version', 'status', 'source', 'definition', 'licence', 'data_categories', 'health_data', 'approved_at', 'approval_note'] as const;

/** The version answers are given on now: the active one of the organisation's own or of the shipped ones. */
export async function activeInstrument(tx: Tx, organisationId: string, code: string): Promise<InstrumentRow | undefined> {
  return (await tx
    .selectFrom('instruments')
    .select(COLUMNS)
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)]))
    .where('code', '=', code)
    .where('status', '=', 'active')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()) as InstrumentRow | undefined;
}

export async function instrumentsByIds(tx: Tx, ids: string[]): Promise<Map<string, InstrumentRow>> {
  if (ids.length === 0) return new Map();
  const rows = (await tx.selectFrom('instruments').select(COLUMNS).where('id', 'in', [...new Set(ids)]).execute()) as InstrumentRow[];
  return new Map(rows.map((r) => [r.id, r]));
}

function isAdmin(actor: Actor): boolean {
  return decide(actor, 'instrument:manage', { type: 'instrument', organisationId: actor.organisationId }).allowed;
}

export function summary(row: InstrumentRow) {
  const def = row.definition;
  return {
    code: row.code,
    version: row.version,
    status: row.status,
    source: row.source,
    title: def.title,
    scored: def.scoring !== null && def.scoring !== undefined,
    healthData: row.health_data,
    dataCategories: row.data_categories,
    licence: row.licence,
    ownedByOrganisation: row.organisation_id !== null,
    approvedAt: row.approved_at ? new Date(row.approved_at).toISOString() : null,
    approvalNote: row.approval_note,
  };
}

export function full(row: InstrumentRow): Instrument {
  return { ...summary(row), definition: row.definition, items: row.definition.items };
}

export interface InstrumentDeps {
  db: Kysely<Database>;
}

/** Active instruments for staff; for the organisation's administrators also inactive (awaiting approval) ones. */
export async function listInstruments(deps: InstrumentDeps, actor: Actor) {
  const admin = isAdmin(actor);
  const rows = (await deps.db
    .selectFrom('instruments')
    .select(COLUMNS)
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', actor.organisationId)]))
    .where('status', 'in', admin ? ['active', 'inactive'] : ['active'])
    .orderBy('organisation_id', sql`nulls first`)
    .orderBy('code')
    .orderBy('version', 'desc')
    .limit(500)
    .execute()) as InstrumentRow[];
  return { items: rows.map(summary) };
}

export async function getInstrument(deps: InstrumentDeps, actor: Actor, code: string, version?: number) {
  const admin = isAdmin(actor);
  const row = (await deps.db
    .selectFrom('instruments')
    .select(COLUMNS)
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', actor.organisationId)]))
    .where('code', '=', code)
    .$if(version !== undefined, (q) => q.where('version', '=', version!))
    .$if(version === undefined, (q) => q.where('status', '=', 'active'))
    .$if(!admin, (q) => q.where('status', '!=', 'inactive'))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()) as InstrumentRow | undefined;
  // Without a version, an administrator also finds an instrument that is only waiting for approval.
  if (!row && admin && version === undefined) {
    const waiting = (await deps.db.selectFrom('instruments').select(COLUMNS).where('organisation_id', '=', actor.organisationId).where('code', '=', code).orderBy('version', 'desc').limit(1).executeTakeFirst()) as InstrumentRow | undefined;
    if (waiting) return full(waiting);
  }
  if (!row) throw new NotFound('No such instrument');
  return full(row);
}

async function insertVersion(tx: Transaction<Database>, actor: Actor, def: Definition, source: 'json' | 'redcap') {
  if (BUILTIN_CODES.has(def.code)) {
    throw new Conflict(`The code ${def.code} belongs to an instrument Bindeled ships; choose another code`, [{ path: 'code', message: 'reserved_code' }]);
  }
  const latest = await tx
    .selectFrom('instruments')
    .select(['version', 'definition_hash'])
    .where('organisation_id', '=', actor.organisationId)
    .where('code', '=', def.code)
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  const hash = definitionHash(def);
  if (latest?.definition_hash === hash) {
    return { code: def.code, version: latest.version, unchanged: true };
  }
  const version = (latest?.version ?? 0) + 1;
  const created = await tx
    .insertInto('instruments')
    .values({
      organisation_id: actor.organisationId,
      code: def.code,
      version,
      status: 'inactive',
      source,
      definition: JSON.stringify(def),
      definition_hash: hash,
      licence: def.licence,
      data_categories: def.dataCategories,
      health_data: def.healthData,
      created_by: actor.userId,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'create', purpose: PURPOSE, resourceType: 'instrument', resourceId: created.id, outcome: 'success', criteria: { code: def.code, version, source } });
  return { code: def.code, version, unchanged: false };
}

function requireAdmin(actor: Actor, action: 'create' | 'update' | 'export') {
  requireAccess(actor, 'instrument:manage', { type: 'instrument', organisationId: actor.organisationId }, { action, purpose: PURPOSE });
}

export async function createInstrument(deps: InstrumentDeps, actor: Actor, def: Definition) {
  return inTransaction(deps.db, async (tx) => {
    requireAdmin(actor, 'create');
    const created = await insertVersion(tx, actor, def, 'json');
    return { code: created.code, version: created.version, status: 'inactive' as const };
  });
}

export async function importInstruments(deps: InstrumentDeps, actor: Actor, csv: string, declared: z.infer<typeof ImportQuery>) {
  return inTransaction(deps.db, async (tx) => {
    requireAdmin(actor, 'create');
    const result = importRedcap(csv, { licence: declared.licence, dataCategories: declared.dataCategories, healthData: declared.healthData });
    if (!result.ok) {
      throw new Invalid(
        'The data dictionary uses something Bindeled cannot import',
        result.errors.slice(0, 50).map((e) => ({ path: `row ${e.row}, column "${e.column}"`, message: e.message, code: e.feature })),
      );
    }
    const instruments = [];
    for (const def of result.instruments) {
      const created = await insertVersion(tx, actor, def, 'redcap');
      instruments.push({ code: created.code, version: created.version, status: 'inactive' as const });
    }
    return { instruments };
  });
}

/** Approval makes a version the one answers are given on; the version before it is retired (its answers stay). */
export async function approveInstrument(deps: InstrumentDeps, actor: Actor, code: string, version: number, input: z.infer<typeof ApproveRequest>) {
  return inTransaction(deps.db, async (tx) => {
    requireAdmin(actor, 'update');
    const row = await tx
      .selectFrom('instruments')
      .select(['id', 'status', 'definition'])
      .where('organisation_id', '=', actor.organisationId)
      .where('code', '=', code)
      .where('version', '=', version)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFound('No such instrument version of the organisation');
    if (row.status !== 'inactive') throw new Conflict('Only a version waiting for approval can be approved', [{ path: 'version', message: row.status }]);
    const retired = await tx.updateTable('instruments').set({ status: 'retired' }).where('organisation_id', '=', actor.organisationId).where('code', '=', code).where('status', '=', 'active').returning(['definition']).execute();
    await tx
      .updateTable('instruments')
      .set({ status: 'active', approved_by: actor.userId, approved_at: new Date(), approval_note: input.note })
      .where('id', '=', row.id)
      .execute();
    // The cohort counts improved and worsened pairs against the active version's relevant change: when it
    // changes, the organisation's pairs of this code are counted again (no earlier version, no answers yet).
    if (retired.some((r) => relevantChangeDiffers(r.definition, row.definition))) await refreshMovements(tx, code, actor.organisationId);
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'update', purpose: PURPOSE, resourceType: 'instrument', resourceId: row.id, outcome: 'success', criteria: { code, version, approved: true, dpoConsulted: true } });
    return { code, version, status: 'active' as const };
  });
}

export async function exportInstrument(deps: InstrumentDeps, actor: Actor, code: string, format: 'json' | 'redcap', version: number | undefined, lang: 'da' | 'en') {
  const instrument = await getInstrument(deps, actor, code, version);
  if (format === 'json') return { contentType: 'application/json; charset=utf-8', body: instrument.definition, filename: `${code}-v${instrument.version}.json` };
  return { contentType: 'text/csv; charset=utf-8', body: exportRedcap([instrument.definition as Definition], lang), filename: `${code}-v${instrument.version}-redcap.csv` };
}
