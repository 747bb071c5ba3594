// Studies (issue 12 point 3): a research agreement is recorded by a programme manager of a disclosing
// organisation, advised on by each included organisation's dpo and approved by each included organisation's
// programme manager — after its own dpo's advice, and only when the agreement is complete (the Data Protection
// Agency's permission where the §10 stk. 3 checklist needs it). Region data never leaves under a study: only
// municipal organisations of the programme can be included. A researcher sees only the studies that name them.
// Every function runs in one transaction, asks the chokepoint and audits (refusals too).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import { MAX_RESEARCHER_OPTIONS, type CreateStudyRequest, type EndConfirmationRequest, type Study, type StudyListQuery } from '../../../contracts/studies.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, type AuditAction, type AuditEntry } from '../../platform/audit/audit.ts';
import { Conflict, Invalid, type FieldIssue } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isTimeCursor } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { citizenAnswers } from '../portal/portal-questionnaires.repository.ts';
import { codebook, SENSITIVE_VARIABLES, VARIABLE_NAMES } from './codebook.ts';
import { AuditedConflict } from './exports.service.ts';

type Tx = Transaction<Database>;
export interface Deps {
  db: Kysely<Database>;
}

const PURPOSE = 'research' as const;
const STUDY = 'study';

/** A study that cannot be approved yet (409 naming what is missing), audited after the rollback. */
export class ApprovalRefused extends Conflict {
  readonly auditAfterRollback: AuditEntry;
  constructor(missing: FieldIssue[], audit: AuditEntry) {
    super(`The study cannot be approved yet: ${missing.map((m) => m.message).join(', ')}`, missing);
    this.auditAfterRollback = audit;
  }
}

function denied(actor: Actor, organisationId: string | null, action: AuditAction, resourceId: string | null, reason: string): AccessDenied {
  return new AccessDenied({ actor, organisationId, action, purpose: PURPOSE, resourceType: STUDY, resourceId, outcome: 'denied', criteria: { reason } });
}

const isDpo = (actor: Actor) => actor.roles.some((g) => g.programmeId === null && g.role === 'dpo');
const isResearcher = (actor: Actor) => actor.roles.some((g) => g.role === 'researcher');
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

// ---------------------------------------------------------------------------------------------------------------
// Rows

interface StudyRow {
  id: string;
  programme_id: string;
  programme_name: string;
  organisation_id: string;
  title: string;
  partner_name: string;
  partner_role: 'controller' | 'processor';
  dpa_reference: string | null;
  legal_basis: string[];
  third_country: boolean;
  biological_material: boolean;
  journal_publication: boolean;
  permission_reference: string | null;
  purpose: string;
  starts_on: string;
  ends_on: string;
  variables: string[];
  date_precision: 'month' | 'shifted';
  dpia_reference: string;
  status: 'awaiting_approval' | 'approved';
  approved_at: Date | null;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  register_linkage: boolean;
  dst_reference: string | null;
  ended: boolean;
  end_confirmation: 'deleted' | 'archived' | null;
  archive_reference: string | null;
  end_confirmed_by: string | null;
  end_confirmed_by_name: string | null;
  end_confirmed_at: Date | null;
  organisations: {
    id: string;
    name: string;
    dpo_advice: string | null;
    dpo_advised_by: string | null;
    dpo_advised_by_name: string | null;
    dpo_advised_at: string | null;
    approved_by: string | null;
    approved_by_name: string | null;
    approved_at: string | null;
  }[];
  researchers: { id: string; name: string }[];
  questionnaires: {
    id: string;
    instrument_code: string;
    instrument_version: number;
    title: { da: string; en: string };
    health_data: boolean;
    added_by: string;
    added_by_name: string;
    added_at: string;
  }[];
}

/** A study with its organisations and researchers in one statement. */
const STUDY_SELECT = sql`
  select s.id, s.programme_id, p.name as programme_name, s.organisation_id, s.title, s.partner_name, s.partner_role, s.dpa_reference,
         s.legal_basis, s.third_country, s.biological_material, s.journal_publication, s.permission_reference, s.purpose,
         s.starts_on::text as starts_on, s.ends_on::text as ends_on, s.variables, s.date_precision, s.dpia_reference, s.status,
         s.approved_at, s.created_by, cu.name as created_by_name, s.created_at, s.register_linkage, s.dst_reference,
         s.ends_on < (now() at time zone 'Europe/Copenhagen')::date as ended, s.end_confirmation, s.archive_reference,
         s.end_confirmed_by, (select eu.name from users eu where eu.id = s.end_confirmed_by) as end_confirmed_by_name, s.end_confirmed_at,
         coalesce((select json_agg(json_build_object(
                     'id', so.organisation_id, 'name', o.name, 'dpo_advice', so.dpo_advice, 'dpo_advised_by', so.dpo_advised_by,
                     'dpo_advised_by_name', du.name, 'dpo_advised_at', so.dpo_advised_at, 'approved_by', so.approved_by,
                     'approved_by_name', au.name, 'approved_at', so.approved_at) order by o.name, so.organisation_id)
                     from study_organisations so
                     join organisations o on o.id = so.organisation_id
                     left join users du on du.id = so.dpo_advised_by
                     left join users au on au.id = so.approved_by
                    where so.study_id = s.id), '[]'::json) as organisations,
         coalesce((select json_agg(json_build_object('id', r.user_id, 'name', ru.name) order by ru.name, r.user_id)
                     from study_researchers r join users ru on ru.id = r.user_id
                    where r.study_id = s.id), '[]'::json) as researchers,
         coalesce((select json_agg(json_build_object(
                     'id', q.id, 'instrument_code', q.instrument_code, 'instrument_version', i.version, 'title', i.definition -> 'title',
                     'health_data', q.health_data, 'added_by', q.added_by, 'added_by_name', qu.name, 'added_at', q.added_at) order by q.added_at, q.id)
                     from study_questionnaires q
                     join instruments i on i.id = q.instrument_id
                     join users qu on qu.id = q.added_by
                    where q.study_id = s.id), '[]'::json) as questionnaires
    from studies s
    join programmes p on p.id = s.programme_id
    join users cu on cu.id = s.created_by`;

const permissionNeeded = (r: Pick<StudyRow, 'third_country' | 'biological_material' | 'journal_publication'>) =>
  r.third_country || r.biological_material || r.journal_publication;

function toStudy(r: StudyRow): Study {
  return {
    id: r.id,
    programme: { id: r.programme_id, name: r.programme_name },
    organisationId: r.organisation_id,
    title: r.title,
    partnerName: r.partner_name,
    partnerRole: r.partner_role,
    dpaReference: r.dpa_reference,
    legalBasis: r.legal_basis as Study['legalBasis'],
    checklist: { thirdCountry: r.third_country, biologicalMaterial: r.biological_material, journalPublication: r.journal_publication },
    permissionNeeded: permissionNeeded(r),
    permissionReference: r.permission_reference,
    purpose: r.purpose,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    variables: r.variables,
    datePrecision: r.date_precision,
    dpiaReference: r.dpia_reference,
    status: r.status,
    approvedAt: iso(r.approved_at),
    createdBy: { id: r.created_by, name: r.created_by_name },
    createdAt: iso(r.created_at)!,
    organisations: r.organisations.map((o) => ({
      id: o.id,
      name: o.name,
      dpoAdvice: o.dpo_advice,
      dpoAdvisedBy: o.dpo_advised_by ? { id: o.dpo_advised_by, name: o.dpo_advised_by_name ?? '' } : null,
      dpoAdvisedAt: iso(o.dpo_advised_at),
      approvedBy: o.approved_by ? { id: o.approved_by, name: o.approved_by_name ?? '' } : null,
      approvedAt: iso(o.approved_at),
    })),
    researchers: r.researchers,
    questionnaires: r.questionnaires.map((q) => ({
      id: q.id,
      instrumentCode: q.instrument_code,
      instrumentVersion: q.instrument_version,
      title: q.title,
      healthData: q.health_data,
      addedBy: { id: q.added_by, name: q.added_by_name },
      addedAt: iso(q.added_at)!,
    })),
    registerLinkage: r.register_linkage,
    dstReference: r.dst_reference,
    ended: r.ended,
    endConfirmation:
      r.end_confirmation && r.end_confirmed_by
        ? { kind: r.end_confirmation, archiveReference: r.archive_reference, recordedBy: { id: r.end_confirmed_by, name: r.end_confirmed_by_name ?? '' }, recordedAt: iso(r.end_confirmed_at)! }
        : null,
  };
}

/** Who may see a study: the programme manager or dpo of an included organisation, or a researcher it names. */
function canSee(actor: Actor, r: StudyRow): boolean {
  const ownIncluded = r.organisations.some((o) => o.id === actor.organisationId);
  if (ownIncluded && actor.roles.some((g) => g.programmeId === r.programme_id && g.role === 'programme_manager')) return true;
  if (ownIncluded && isDpo(actor)) return true;
  return r.researchers.some((x) => x.id === actor.userId);
}

async function loadStudy(tx: Tx, actor: Actor, id: string, action: AuditAction): Promise<StudyRow> {
  const { rows } = await sql<StudyRow>`${STUDY_SELECT} where s.id = ${id}`.execute(tx);
  const r = rows[0];
  if (!r) throw denied(actor, null, action, id, 'unknown id');
  if (!canSee(actor, r)) throw denied(actor, r.organisation_id, action, id, 'not a party to the study');
  return r;
}

async function reload(tx: Tx, id: string): Promise<Study> {
  const { rows } = await sql<StudyRow>`${STUDY_SELECT} where s.id = ${id}`.execute(tx);
  return toStudy(rows[0]!);
}

// ---------------------------------------------------------------------------------------------------------------
// Recording a study

export async function createStudy(deps: Deps, actor: Actor, input: CreateStudyRequest): Promise<Study> {
  return inTransaction(deps.db, async (tx) => {
    requireAccess(actor, 'study:create', { type: STUDY, organisationId: actor.organisationId, programmeId: input.programmeId }, { action: 'create', purpose: PURPOSE });
    const issues: FieldIssue[] = [];
    if (input.endsOn < input.startsOn) issues.push({ path: 'endsOn', message: 'before_start' });
    if (input.partnerRole === 'processor' && !input.dpaReference) issues.push({ path: 'dpaReference', message: 'required_for_processor' });
    if (!input.legalBasis.includes('gdpr_6_1_e')) issues.push({ path: 'legalBasis', message: 'gdpr_6_1_e_required' });
    const unknown = input.variables.filter((v) => !VARIABLE_NAMES.has(v));
    if (unknown.length > 0) issues.push({ path: 'variables', message: `not_in_codebook: ${unknown.slice(0, 5).join(', ')}` });
    const sensitive = input.variables.filter((v) => SENSITIVE_VARIABLES.has(v));
    if (sensitive.length > 0 && !input.legalBasis.includes('dbl_10')) issues.push({ path: 'legalBasis', message: `dbl_10_required_for: ${sensitive.slice(0, 5).join(', ')}` });
    const dstReference = input.dstReference || null;
    if (input.registerLinkage && !dstReference) issues.push({ path: 'dstReference', message: 'required_for_register_linkage' });
    if (!input.registerLinkage && dstReference) issues.push({ path: 'dstReference', message: 'only_with_register_linkage' });
    const organisationIds = [...new Set(input.organisationIds)];
    if (!organisationIds.includes(actor.organisationId)) issues.push({ path: 'organisationIds', message: 'own_organisation_required' });
    if (issues.length > 0) throw new Invalid('The study is not complete', issues);

    // The included organisations: the programme's own organisation or its partners, municipalities only.
    const { rows: orgs } = await sql<{ id: string; kind: string; in_programme: boolean }>`
      select o.id, o.kind,
             (o.id = p.organisation_id or exists (select 1 from programme_partners pp where pp.programme_id = p.id and pp.organisation_id = o.id)) as in_programme
        from organisations o cross join programmes p
       where p.id = ${input.programmeId} and o.id = any(${organisationIds}::uuid[])`.execute(tx);
    const outside = organisationIds.filter((id) => !orgs.some((o) => o.id === id && o.in_programme));
    if (outside.length > 0) throw new Invalid('Only organisations of the programme can be included', [{ path: 'organisationIds', message: 'not_in_programme' }]);
    if (orgs.some((o) => o.kind !== 'municipality')) {
      throw new Invalid("Region data (knowledge transfers, disclosures) stays out of research exports: include only the programme's municipalities", [
        { path: 'organisationIds', message: 'region_data_excluded' },
      ]);
    }

    const variables = [...new Set(input.variables)].sort();
    const { rows } = await sql<{ id: string }>`
      insert into studies (programme_id, organisation_id, title, partner_name, partner_role, dpa_reference, legal_basis, third_country,
                           biological_material, journal_publication, permission_reference, purpose, starts_on, ends_on, variables,
                           date_precision, dpia_reference, created_by, register_linkage, dst_reference)
      values (${input.programmeId}, ${actor.organisationId}, ${input.title}, ${input.partnerName}, ${input.partnerRole}, ${input.dpaReference ?? null},
              ${[...new Set(input.legalBasis)].sort()}::text[], ${input.checklist.thirdCountry}, ${input.checklist.biologicalMaterial},
              ${input.checklist.journalPublication}, ${input.permissionReference ?? null}, ${input.purpose}, ${input.startsOn}, ${input.endsOn},
              ${variables}::text[], ${input.datePrecision}, ${input.dpiaReference}, ${actor.userId}, ${input.registerLinkage ?? false}, ${dstReference})
      returning id`.execute(tx);
    const id = rows[0]!.id;
    await sql`insert into study_organisations (study_id, organisation_id) select ${id}, unnest(${organisationIds}::uuid[])`.execute(tx);
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'create', purpose: PURPOSE, resourceType: STUDY, resourceId: id, outcome: 'success', criteria: { organisationIds, variables: variables.length, registerLinkage: input.registerLinkage ?? false } });
    return reload(tx, id);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

export async function listStudies(deps: Deps, actor: Actor, query: z.infer<typeof StudyListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const managed = actor.roles.filter((g) => g.role === 'programme_manager' && g.programmeId).map((g) => g.programmeId!);
    const dpo = isDpo(actor);
    const researcher = isResearcher(actor);
    if (managed.length === 0 && !dpo && !researcher) throw denied(actor, actor.organisationId, 'read', null, 'role');
    const after = decodeCursor(query.cursor, isTimeCursor);
    const { rows } = await sql<{ id: string; programme_id: string; programme_name: string; title: string; partner_name: string; starts_on: string; ends_on: string; status: 'awaiting_approval' | 'approved'; created_at: Date }>`
      select s.id, s.programme_id, p.name as programme_name, s.title, s.partner_name, s.starts_on::text as starts_on, s.ends_on::text as ends_on, s.status, s.created_at
        from studies s join programmes p on p.id = s.programme_id
       where (
               (s.programme_id = any(${managed}::uuid[]) and exists (select 1 from study_organisations so where so.study_id = s.id and so.organisation_id = ${actor.organisationId}))
            or (${dpo}::boolean and exists (select 1 from study_organisations so where so.study_id = s.id and so.organisation_id = ${actor.organisationId}))
            or exists (select 1 from study_researchers r where r.study_id = s.id and r.user_id = ${actor.userId})
             )
         ${after ? sql`and (s.created_at, s.id) < (${after.t}::timestamptz, ${after.id}::uuid)` : sql``}
       order by s.created_at desc, s.id desc
       limit ${query.limit + 1}`.execute(tx);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'read', purpose: PURPOSE, resourceType: STUDY, outcome: 'success', criteria: { count: page.length, cursor: query.cursor ? 'next' : null } });
    return {
      items: page.map((r) => ({
        id: r.id,
        programme: { id: r.programme_id, name: r.programme_name },
        title: r.title,
        partnerName: r.partner_name,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        status: r.status,
        createdAt: iso(r.created_at)!,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ t: iso(last.created_at), id: last.id }) : null,
    };
  });
}

export async function getStudy(deps: Deps, actor: Actor, id: string): Promise<Study> {
  return inTransaction(deps.db, async (tx) => {
    const r = await loadStudy(tx, actor, id, 'read');
    await recordAudit(tx, { actor, organisationId: r.organisation_id, action: 'read', purpose: PURPOSE, resourceType: STUDY, resourceId: id, outcome: 'success' });
    return toStudy(r);
  });
}

export async function readCodebook(deps: Deps) {
  return codebook(deps.db);
}

// ---------------------------------------------------------------------------------------------------------------
// Researchers, advice, approval

/** The researchers the study's programme manager can name: the programme's active researchers not named yet. */
export async function researcherOptions(deps: Deps, actor: Actor, id: string): Promise<{ items: { id: string; name: string }[] }> {
  return inTransaction(deps.db, async (tx) => {
    const r = await loadStudy(tx, actor, id, 'read');
    requireAccess(actor, 'study:manage', { type: STUDY, id, organisationId: r.organisation_id, programmeId: r.programme_id }, { action: 'read', purpose: PURPOSE });
    const { rows } = await sql<{ id: string; name: string }>`
      select u.id, u.name
        from users u
       where u.active
         and exists (select 1 from user_roles ur where ur.user_id = u.id and ur.role = 'researcher' and ur.programme_id = ${r.programme_id})
         and not exists (select 1 from study_researchers sr where sr.study_id = ${id} and sr.user_id = u.id)
       order by u.name, u.id
       limit ${MAX_RESEARCHER_OPTIONS}`.execute(tx);
    await recordAudit(tx, { actor, organisationId: r.organisation_id, action: 'read', purpose: PURPOSE, resourceType: STUDY, resourceId: id, outcome: 'success', criteria: { researcherOptions: rows.length } });
    return { items: rows };
  });
}

/** Names a researcher of the programme on the study (the recording organisation's programme manager; before approval only). */
export async function addResearcher(deps: Deps, actor: Actor, id: string, userId: string): Promise<Study> {
  return inTransaction(deps.db, async (tx) => {
    const r = await loadStudy(tx, actor, id, 'update');
    requireAccess(actor, 'study:manage', { type: STUDY, id, organisationId: r.organisation_id, programmeId: r.programme_id }, { action: 'update', purpose: PURPOSE });
    if (r.status === 'approved') throw new Conflict('An approved study is not changed: record a new one', [{ path: 'status', message: 'approved' }]);
    const { rows } = await sql<{ ok: boolean }>`
      select exists (select 1 from user_roles ur join users u on u.id = ur.user_id
                      where ur.user_id = ${userId} and ur.role = 'researcher' and ur.programme_id = ${r.programme_id} and u.active) as ok`.execute(tx);
    if (!rows[0]!.ok) throw new Invalid('Only an active researcher of the programme can be named on a study', [{ path: 'userId', message: 'not_a_researcher_of_the_programme' }]);
    await sql`insert into study_researchers (study_id, user_id, added_by) values (${id}, ${userId}, ${actor.userId}) on conflict do nothing`.execute(tx);
    await recordAudit(tx, { actor, organisationId: r.organisation_id, action: 'update', purpose: PURPOSE, resourceType: STUDY, resourceId: id, outcome: 'success', criteria: { researcherAdded: userId } });
    return reload(tx, id);
  });
}

/** The dpo of an included organisation records their advice (before that organisation approves). */
export async function adviseOnStudy(deps: Deps, actor: Actor, id: string, advice: string): Promise<Study> {
  return inTransaction(deps.db, async (tx) => {
    const r = await loadStudy(tx, actor, id, 'update');
    requireAccess(actor, 'study:advise', { type: STUDY, id, organisationId: actor.organisationId }, { action: 'update', purpose: PURPOSE });
    const own = r.organisations.find((o) => o.id === actor.organisationId);
    if (!own) throw denied(actor, r.organisation_id, 'update', id, 'organisation not included');
    if (own.approved_at) throw new Conflict('Your organisation has already approved the study', [{ path: 'advice', message: 'already_approved' }]);
    await sql`
      update study_organisations set dpo_advice = ${advice}, dpo_advised_by = ${actor.userId}, dpo_advised_at = now()
       where study_id = ${id} and organisation_id = ${actor.organisationId}`.execute(tx);
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'update', purpose: PURPOSE, resourceType: STUDY, resourceId: id, outcome: 'success', criteria: { step: 'dpo_advice' } });
    return reload(tx, id);
  });
}

/**
 * The programme manager of an included organisation approves for that organisation. 409 names what is missing:
 * the own dpo's advice, the Data Protection Agency's permission where the checklist needs it, a named researcher.
 * When every included organisation has approved, the study is approved.
 */
export async function approveStudy(deps: Deps, actor: Actor, id: string): Promise<Study> {
  return inTransaction(deps.db, async (tx) => {
    const r = await loadStudy(tx, actor, id, 'update');
    requireAccess(actor, 'study:approve', { type: STUDY, id, organisationId: actor.organisationId, programmeId: r.programme_id }, { action: 'update', purpose: PURPOSE });
    const own = r.organisations.find((o) => o.id === actor.organisationId);
    if (!own) throw denied(actor, r.organisation_id, 'update', id, 'organisation not included');
    const missing: FieldIssue[] = [];
    if (own.approved_at) missing.push({ path: 'status', message: 'already_approved' });
    if (!own.dpo_advised_at) missing.push({ path: 'dpoAdvice', message: 'dpo_advice_missing' });
    if (permissionNeeded(r) && !r.permission_reference) missing.push({ path: 'permissionReference', message: 'permission_missing' });
    if (r.researchers.length === 0) missing.push({ path: 'researchers', message: 'no_researcher' });
    if (missing.length > 0) {
      throw new ApprovalRefused(missing, {
        actor,
        organisationId: actor.organisationId,
        action: 'update',
        purpose: PURPOSE,
        resourceType: STUDY,
        resourceId: id,
        outcome: 'denied',
        criteria: { step: 'approval', missing: missing.map((m) => m.message) },
      });
    }
    await sql`update study_organisations set approved_by = ${actor.userId}, approved_at = now() where study_id = ${id} and organisation_id = ${actor.organisationId}`.execute(tx);
    await sql`
      update studies set status = 'approved', approved_at = now()
       where id = ${id} and not exists (select 1 from study_organisations so where so.study_id = ${id} and so.approved_at is null)`.execute(tx);
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'update', purpose: PURPOSE, resourceType: STUDY, resourceId: id, outcome: 'success', criteria: { step: 'approval' } });
    return reload(tx, id);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Research-only questionnaires (issue 12 point 4; decision 0040)

/** The most instruments offered at once (a catalogue holds a handful). */
const MAX_INSTRUMENT_OPTIONS = 100;

/**
 * The active instruments of the catalogue the study's organisation may use (the shipped ones and its own) that the
 * citizen answers alone (every item the citizen's, none shown on a condition), by code.
 */
const CATALOGUE = (organisationId: string) => sql`
  select distinct on (i.code) i.id, i.code, i.version, i.definition, i.health_data
    from instruments i
   where i.status = 'active' and (i.organisation_id is null or i.organisation_id = ${organisationId})
     and ${citizenAnswers(sql.ref('i.definition'))}
   order by i.code, (i.organisation_id is null), i.version desc`;

/** The instruments the study's programme manager can add as research-only questionnaires (those not on it yet). */
export async function questionnaireOptions(deps: Deps, actor: Actor, id: string) {
  return inTransaction(deps.db, async (tx) => {
    const r = await loadStudy(tx, actor, id, 'read');
    requireAccess(actor, 'study:manage', { type: STUDY, id, organisationId: r.organisation_id, programmeId: r.programme_id }, { action: 'read', purpose: PURPOSE });
    const { rows } = await sql<{ code: string; version: number; title: { da: string; en: string }; health_data: boolean }>`
      select c.code, c.version, c.definition -> 'title' as title, c.health_data
        from (${CATALOGUE(r.organisation_id)}) c
       where not exists (select 1 from study_questionnaires q where q.study_id = ${id} and q.instrument_code = c.code)
       order by c.code
       limit ${MAX_INSTRUMENT_OPTIONS}`.execute(tx);
    await recordAudit(tx, { actor, organisationId: r.organisation_id, action: 'read', purpose: PURPOSE, resourceType: STUDY, resourceId: id, outcome: 'success', criteria: { questionnaireOptions: rows.length } });
    return { items: rows.map((o) => ({ code: o.code, version: o.version, title: o.title, healthData: o.health_data })) };
  });
}

/**
 * Adds an instrument of the catalogue as a research-only questionnaire (the recording organisation's programme
 * manager, before approval). Health data needs databeskyttelsesloven §10 among the study's bases, as a health
 * variable does; the partner must be the controller (the answers are theirs, not the municipality's).
 */
export async function addQuestionnaire(deps: Deps, actor: Actor, id: string, instrumentCode: string): Promise<Study> {
  return inTransaction(deps.db, async (tx) => {
    const r = await loadStudy(tx, actor, id, 'update');
    requireAccess(actor, 'study:manage', { type: STUDY, id, organisationId: r.organisation_id, programmeId: r.programme_id }, { action: 'update', purpose: PURPOSE });
    if (r.status === 'approved') throw new Conflict('An approved study is not changed: record a new one', [{ path: 'status', message: 'approved' }]);
    const { rows } = await sql<{ id: string; code: string; health_data: boolean }>`
      select c.id, c.code, c.health_data from (${CATALOGUE(r.organisation_id)}) c where c.code = ${instrumentCode}`.execute(tx);
    const instrument = rows[0];
    if (!instrument) throw new Invalid('No active instrument with that code that the citizen answers alone', [{ path: 'instrumentCode', message: 'unknown_instrument' }]);
    const issues: FieldIssue[] = [];
    if (r.partner_role !== 'controller') issues.push({ path: 'partnerRole', message: 'controller_partner_required' });
    if (instrument.health_data && !r.legal_basis.includes('dbl_10')) issues.push({ path: 'legalBasis', message: `dbl_10_required_for: questionnaire ${instrument.code}` });
    if (issues.length > 0) throw new Invalid('The questionnaire cannot be added to this study', issues);
    if (r.questionnaires.some((q) => q.instrument_code === instrument.code)) throw new Conflict('The study has this questionnaire already', [{ path: 'instrumentCode', message: 'already_added' }]);
    await sql`
      insert into study_questionnaires (study_id, instrument_id, instrument_code, health_data, added_by)
      values (${id}, ${instrument.id}, ${instrument.code}, ${instrument.health_data}, ${actor.userId})
      on conflict (study_id, instrument_code) do nothing`.execute(tx);
    await recordAudit(tx, { actor, organisationId: r.organisation_id, action: 'update', purpose: PURPOSE, resourceType: STUDY, resourceId: id, outcome: 'success', criteria: { questionnaireAdded: instrument.code } });
    return reload(tx, id);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The study's end (decision 0044)

/**
 * Records the partner's confirmation that the study's data was deleted or archived at its end: the recording
 * organisation's programme manager, once, and only after the end date (409 before, or when recorded already).
 */
export async function confirmStudyEnd(deps: Deps, actor: Actor, id: string, input: EndConfirmationRequest): Promise<Study> {
  return inTransaction(deps.db, async (tx) => {
    const r = await loadStudy(tx, actor, id, 'update');
    requireAccess(actor, 'study:manage', { type: STUDY, id, organisationId: r.organisation_id, programmeId: r.programme_id }, { action: 'update', purpose: PURPOSE });
    const archiveReference = input.archiveReference || null;
    if (input.kind === 'archived' && !archiveReference) throw new Invalid('An archived study names its archive reference', [{ path: 'archiveReference', message: 'required_for_archived' }]);
    if (input.kind === 'deleted' && archiveReference) throw new Invalid('A deletion has no archive reference', [{ path: 'archiveReference', message: 'only_for_archived' }]);
    const reason = r.status !== 'approved' ? 'study_not_approved' : !r.ended ? 'study_not_ended' : r.end_confirmation ? 'already_confirmed' : null;
    if (reason) {
      throw new AuditedConflict(
        reason === 'study_not_ended' ? 'The study has not ended yet' : reason === 'already_confirmed' ? "The partner's confirmation is recorded already" : 'The study is not approved',
        [{ path: 'endConfirmation', message: reason }],
        { actor, organisationId: r.organisation_id, action: 'update', purpose: PURPOSE, resourceType: STUDY, resourceId: id, outcome: 'denied', criteria: { step: 'end_confirmation', reason } },
      );
    }
    await sql`
      update studies set end_confirmation = ${input.kind}, archive_reference = ${archiveReference}, end_confirmed_by = ${actor.userId}, end_confirmed_at = now()
       where id = ${id}`.execute(tx);
    await recordAudit(tx, { actor, organisationId: r.organisation_id, action: 'update', purpose: PURPOSE, resourceType: STUDY, resourceId: id, outcome: 'success', criteria: { step: 'end_confirmation', kind: input.kind } });
    return reload(tx, id);
  });
}
