// The citizen case: create and enrol in one step, search and lists within what the caller may see, the
// citizen page, CPR reveal, enrolment changes, status history, and the timeline. Every function runs in
// one transaction, asks the access chokepoint, and writes its audit row.
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type {
  CitizenDetail,
  CitizenSearchRequest,
  CitizenSummary,
  CreateCitizenRequest,
  CreateEnrolmentRequest,
  CreateStatusPeriodRequest,
  EnrolmentInput,
  TimelineQuery,
  UpdateCitizenRequest,
  UpdateEnrolmentRequest,
} from '../../../contracts/citizens.ts';
import type { Warning } from '../../../contracts/common.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, decide, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany, type AuditAction, type AuditEntry } from '../../platform/audit/audit.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, DomainError, Invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isIsoTimestamp, isShortString, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { ageOrNull, birthDatePrefix, compactDigits, looksLikeFullCpr, maskCprLike, parseCpr, type CprProblem } from './cpr.ts';
import type { CprVault } from './cpr-vault.ts';
import { personHashOf, requireLiaisonConsents } from '../consents/liaison-team.ts';
import { requireCitizenAccess, visibilityScope } from './citizen-access.ts';
import * as repo from './citizens.repository.ts';
import type { ReferenceData } from './reference-data.ts';
import { selfSupportingWeeks, weeklyHours } from './status-history.ts';

export interface CitizenDeps {
  db: Kysely<Database>;
  vault: CprVault;
  /** Code lists and programme settings, cached per reference version. */
  reference: ReferenceData;
}

type Tx = Transaction<Database>;
const PURPOSE = 'case_work' as const;

/** 409 listing what the caller must acknowledge (`acknowledgeWarnings: true`) to go ahead. */
export class NeedsAcknowledgement extends DomainError {
  constructor(readonly warnings: Warning[]) {
    super(409, 'warnings', 'Please confirm the warnings and send the request again with acknowledgeWarnings: true');
  }
}

/**
 * 409 for a CPR number already on file in the organisation. A caller who may see the citizen gets the record's
 * id; anyone else learns only that the number is registered and whom to ask (the programme managers).
 */
export class Duplicate extends DomainError {
  constructor(
    readonly existingId: string | undefined,
    readonly contacts: { name: string; role: 'programme_manager' }[] | undefined,
    readonly auditAfterRollback: AuditEntry,
  ) {
    super(409, 'duplicate', 'A citizen with this CPR number is already registered in your organisation', [{ path: 'cpr', message: 'duplicate' }]);
  }
}

export function maskedFromBirthDate(birthDate: string, isReplacement: boolean): string {
  const day = Number(birthDate.slice(8, 10)) + (isReplacement ? 60 : 0);
  return `${String(day).padStart(2, '0')}${birthDate.slice(5, 7)}${birthDate.slice(2, 4)}-xxxx`;
}

function audited(actor: Actor, organisationId: string, action: AuditAction, resourceType: string, resourceId: string, citizenId: string, criteria?: Record<string, unknown>) {
  return { actor, organisationId, action, purpose: PURPOSE, resourceType, resourceId, citizenId, outcome: 'success' as const, criteria: criteria ?? null };
}

type EnrolmentFields = z.infer<typeof EnrolmentInput>;

const CPR_PROBLEMS: Record<CprProblem, string> = {
  format: 'Write the CPR number as DDMMYY-SSSS or 10 digits',
  date: 'The CPR number holds a date that does not exist',
  future: 'The CPR number gives a birth date in the future',
};

/** Checks programme access, codes at the start date, the team, and the period/capacity warnings. */
async function prepareEnrolment(
  deps: CitizenDeps,
  tx: Tx,
  actor: Actor,
  programmeId: string,
  input: EnrolmentFields,
  acknowledge: boolean,
  path: string,
  person: { citizenId: string | null; cprHash: string | null },
) {
  const programme = await repo.programmeForEnrolment(tx, programmeId);
  if (!programme) {
    throw new AccessDenied({ actor, organisationId: null, action: 'create', purpose: PURPOSE, resourceType: 'programme', resourceId: programmeId, outcome: 'denied', criteria: { reason: 'unknown id' } });
  }
  requireAccess(actor, 'enrolment:create', { type: 'enrolment', organisationId: actor.organisationId, programmeId }, { action: 'create', purpose: PURPOSE });
  const codes = await deps.reference.codeBook(tx, actor.organisationId, actor.referenceVersion);
  codes.require('benefit', input.benefitCode, input.startDate, `${path}benefitCode`);
  codes.require('visitation', input.visitationCode, input.startDate, `${path}visitationCode`);
  codes.require('referral_source', input.referralSource, input.referralDate ?? input.startDate, `${path}referralSource`);

  const wanted: { userId: string; role: 'resource_consultant' | 'caseworker' | 'job_consultant' | 'liaison'; path: string }[] = [
    ...input.consultantIds.map((id, i) => ({ userId: id, role: 'resource_consultant' as const, path: `${path}consultantIds.${i}` })),
    ...(input.caseworkerId ? [{ userId: input.caseworkerId, role: 'caseworker' as const, path: `${path}caseworkerId` }] : []),
    ...(input.jobConsultantId ? [{ userId: input.jobConsultantId, role: 'job_consultant' as const, path: `${path}jobConsultantId` }] : []),
    ...(input.liaisonId ? [{ userId: input.liaisonId, role: 'liaison' as const, path: `${path}liaisonId` }] : []),
  ];
  const staff = await repo.programmeStaff(tx, programmeId, await repo.partnerOrganisationIds(tx, programmeId), wanted.map((w) => w.userId));
  // The team works for the organisation that owns the case; only the liaison comes from psychiatry (a region).
  const fits = (s: (typeof staff)[number], w: (typeof wanted)[number]) =>
    s.user_id === w.userId && s.role === w.role && (w.role === 'liaison' ? s.organisation_kind === 'region' : s.organisation_id === actor.organisationId);
  for (const w of wanted) {
    if (!staff.some((s) => fits(s, w))) {
      throw new Invalid('A team member does not hold that role in the programme', [{ path: w.path, message: `not_${w.role}_in_programme` }]);
    }
  }
  // A liaison from psychiatry joins only while the person's consents cover both directions (409 naming the gaps).
  const liaison = wanted.find((w) => w.role === 'liaison');
  let liaisonConsentIds: string[] = [];
  if (liaison) {
    const regionId = staff.find((s) => fits(s, liaison))!.organisation_id;
    const personHash = person.cprHash ?? (await personHashOf(tx, person.citizenId!));
    liaisonConsentIds = await requireLiaisonConsents(tx, actor, { personHash, citizenId: person.citizenId, liaisonId: liaison.userId, regionId, programmeId, path: liaison.path }, dateInCopenhagen());
  }

  const warnings: Warning[] = [];
  if (input.startDate < programme.starts_on || input.startDate > programme.ends_on) {
    warnings.push({
      code: 'outside_period',
      message: `The start date is outside the programme's period ${programme.starts_on} – ${programme.ends_on}`,
      data: { startsOn: programme.starts_on, endsOn: programme.ends_on, startDate: input.startDate },
    });
  }
  if (input.status === 'active') {
    const active = await repo.activeCount(tx, programmeId);
    if (active >= programme.capacity) {
      warnings.push({
        code: 'over_capacity',
        message: `The programme already has ${active} active citizens of a capacity of ${programme.capacity}`,
        data: { active, capacity: programme.capacity },
      });
    }
  }
  if (warnings.length > 0 && !acknowledge) throw new NeedsAcknowledgement(warnings);
  return { programme, team: wanted, warnings, liaisonConsentIds };
}

async function insertEnrolment(
  tx: Tx,
  actor: Actor,
  citizenId: string,
  organisationId: string,
  programmeId: string,
  input: EnrolmentFields,
  team: { userId: string; role: 'resource_consultant' | 'caseworker' | 'job_consultant' | 'liaison' }[],
  warnings: Warning[],
  liaisonConsentIds: string[] = [],
) {
  if (await repo.openEnrolment(tx, citizenId, programmeId)) throw new Conflict('The citizen is already enrolled in this programme', [{ path: 'programmeId', message: 'already_enrolled' }]);
  const { id } = await repo.insertEnrolment(tx, {
      organisation_id: organisationId,
      citizen_id: citizenId,
      programme_id: programmeId,
      referral_source: input.referralSource ?? null,
      referral_date: input.referralDate ?? null,
      referral_reason: input.referralReason ?? null,
      visitation_code: input.visitationCode ?? null,
      benefit_code: input.benefitCode,
      start_date: input.startDate,
      status: input.status,
      created_by: actor.userId,
    });
  await repo.insertTeamMembers(tx, team.map((m) => ({ organisation_id: organisationId, enrolment_id: id, user_id: m.userId, role: m.role, valid_from: input.startDate, created_by: actor.userId })));
  await repo.recordEvent(tx, { organisationId, citizenId, kind: 'enrolment.created', refId: id, actorId: actor.userId, data: { programmeId, status: input.status, startDate: input.startDate, benefitCode: input.benefitCode, acknowledgedWarnings: warnings.map((w) => w.code) } });
  if (team.length > 0) {
    await repo.recordEvent(tx, { organisationId, citizenId, kind: 'team.changed', refId: id, actorId: actor.userId, data: { added: team.map((m) => ({ userId: m.userId, role: m.role })) } });
  }
  if (!(await repo.hasStatusPeriods(tx, citizenId))) {
    await repo.insertStatusPeriod(tx, { organisation_id: organisationId, citizen_id: citizenId, benefit_code: input.benefitCode, from_date: input.startDate, created_by: actor.userId });
    await repo.recordEvent(tx, { organisationId, citizenId, kind: 'status.added', actorId: actor.userId, data: { benefitCode: input.benefitCode, fromDate: input.startDate } });
  }
  // A liaison on the team: the consents both ways it rests on are the basis, in the log.
  await recordAudit(tx, audited(actor, organisationId, 'create', 'enrolment', id, citizenId, { programmeId, warnings: warnings.map((w) => w.code), ...(liaisonConsentIds.length ? { liaisonConsentIds } : {}) }));
  return id;
}

export async function createCitizen(deps: CitizenDeps, actor: Actor, input: z.infer<typeof CreateCitizenRequest>) {
  const parsed = parseCpr(input.cpr, dateInCopenhagen());
  if (!parsed.ok) throw new Invalid(CPR_PROBLEMS[parsed.problem], [{ path: 'cpr', message: `cpr_${parsed.problem}` }]);
  const cpr = parsed.value;
  const notices: Warning[] = [];
  if (!cpr.mod11Valid) notices.push({ code: 'cpr_mod11', message: 'The CPR number has no valid modulus-11 check digit; numbers like that have been issued since 2007' });
  if (cpr.isReplacement) notices.push({ code: 'cpr_replacement', message: 'This is a replacement number (erstatningspersonnummer)' });
  const cprHash = deps.vault.lookupHash(cpr.digits);

  return inTransaction(deps.db, async (tx) => {
    requireAccess(actor, 'citizen:create', { type: 'citizen', organisationId: actor.organisationId }, { action: 'create', purpose: PURPOSE });
    const existing = await repo.citizenByCprHash(tx, actor.organisationId, cprHash);
    if (existing) {
      const rel = await repo.citizenRelations(tx, existing.id, dateInCopenhagen());
      const visible = !!rel && decide(actor, 'citizen:read', { type: 'citizen', organisationId: rel.organisationId, citizen: rel }).allowed;
      let contacts: { name: string; role: 'programme_manager' }[] | undefined;
      if (!visible) {
        // The managers of the caller's own programmes (or else of the organisation's), never chosen by the
        // citizen's enrolments: which programme someone is in (e.g. one for people with mental illness) is itself
        // information the caller may not have.
        const own = [...new Set(actor.roles.flatMap((g) => (g.programmeId ? [g.programmeId] : [])))];
        let managers = await repo.programmeManagers(tx, actor.organisationId, own);
        if (managers.length === 0) managers = await repo.programmeManagers(tx, actor.organisationId, 'any');
        contacts = managers.map((m) => ({ name: m.name, role: 'programme_manager' as const }));
      }
      // The answer tells the caller the person is on file: that is a CPR look-up, and is logged as one; one
      // that found someone the caller may not see is `denied`, so the dpo can list them.
      throw new Duplicate(visible ? existing.id : undefined, contacts, {
        actor,
        organisationId: actor.organisationId,
        action: 'cpr-lookup',
        purpose: PURPOSE,
        resourceType: 'citizen',
        resourceId: existing.id,
        citizenId: existing.id,
        outcome: visible ? 'success' : 'denied',
        criteria: { reason: 'duplicate_cpr', during: 'create', cpr: cpr.masked, linked: visible },
      });
    }
    const prepared = input.enrolment ? await prepareEnrolment(deps, tx, actor, input.enrolment.programmeId, input.enrolment, input.acknowledgeWarnings, 'enrolment.', { citizenId: null, cprHash }) : null;
    const { id } = await repo.insertCitizen(tx, {
        organisation_id: actor.organisationId,
        cpr_encrypted: deps.vault.encrypt(cpr.digits),
        cpr_hash: cprHash,
        birth_date: cpr.birthDate,
        cpr_is_replacement: cpr.isReplacement,
        first_name: input.firstName,
        last_name: input.lastName,
        search_name: `${input.firstName} ${input.lastName}`.toLocaleLowerCase('da'),
        phone: input.phone ?? null,
        email: input.email ?? null,
        address: input.address ?? null,
        preferred_contact: input.preferredContact ?? null,
        note: input.note ?? null,
        created_by: actor.userId,
      });
    await repo.recordEvent(tx, { organisationId: actor.organisationId, citizenId: id, kind: 'citizen.created', refId: id, actorId: actor.userId });
    await recordAudit(tx, audited(actor, actor.organisationId, 'create', 'citizen', id, id, { notices: notices.map((n) => n.code) }));
    const enrolmentId =
      input.enrolment && prepared
        ? await insertEnrolment(tx, actor, id, actor.organisationId, input.enrolment.programmeId, input.enrolment, prepared.team, prepared.warnings, prepared.liaisonConsentIds)
        : null;
    return { id, cprMasked: cpr.masked, enrolmentId, notices: [...notices, ...(prepared?.warnings ?? [])] };
  });
}

export async function enrolCitizen(deps: CitizenDeps, actor: Actor, programmeId: string, input: z.infer<typeof CreateEnrolmentRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, input.citizenId, 'citizen:read', 'create');
    const prepared = await prepareEnrolment(deps, tx, actor, programmeId, input, input.acknowledgeWarnings, '', { citizenId: input.citizenId, cprHash: null });
    const id = await insertEnrolment(tx, actor, input.citizenId, organisationId, programmeId, input, prepared.team, prepared.warnings, prepared.liaisonConsentIds);
    return { id, warnings: prepared.warnings };
  });
}

function isCitizenCursor(v: unknown): v is repo.CitizenCursor {
  const c = v as repo.CitizenCursor;
  return typeof c === 'object' && c !== null && isShortString(c.l) && isShortString(c.f) && isUuid(c.id);
}

const YEAR_CANDIDATES = [1800, 1900, 2000];

/** Turns the free-text box into filters: a full CPR number, a birth date (DDMMYY), or name words. */
/** True when the calendar date exists (29 February only in leap years). */
function realDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Masks every run of six or more digits (a CPR number typed some other way) as DDMMYY-xxxx for the log. */
export const maskDigitRuns = maskCprLike;

/** Turns the free-text box into filters: a full CPR number, a birth date (DDMMYY), or name words. */
function filtersFromQuery(q: string | undefined, vault: CprVault): { filters: repo.CitizenFilters; logged: Record<string, unknown> } {
  if (!q) return { filters: {}, logged: {} };
  // People type CPR numbers with spaces, dots, slashes or dashes ("010190 1234", "01.01.90-1234", "010190–1234").
  const compact = compactDigits(q);
  if (looksLikeFullCpr(compact)) {
    const parsed = parseCpr(compact);
    const masked = `${compact.trim().slice(0, 6)}-xxxx`;
    if (!parsed.ok) return { filters: { cprHash: 'no-match' }, logged: { cpr: masked } };
    return { filters: { cprHash: vault.lookupHash(parsed.value.digits) }, logged: { cpr: parsed.value.masked } };
  }
  const prefix = birthDatePrefix(compact);
  if (prefix) {
    const day = Number(prefix.slice(0, 2));
    const realDay = String(day > 60 ? day - 60 : day).padStart(2, '0');
    const candidates = YEAR_CANDIDATES.map((c) => `${c + Number(prefix.slice(4, 6))}-${prefix.slice(2, 4)}-${realDay}`).filter(realDate);
    return { filters: { birthDates: candidates }, logged: { birthDate: `${prefix}-xxxx` } };
  }
  const words = q.toLocaleLowerCase('da').split(/\s+/).filter(Boolean).slice(0, 5);
  return { filters: { nameWords: words }, logged: { q: maskDigitRuns(q) } };
}

function summaries(rows: repo.CitizenListRow[], today: string): CitizenSummary[] {
  return rows.map((r) => {
    const e = r.enrolment;
    const summary: CitizenSummary = {
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      cprMasked: 'xxxxxx-xxxx',
      age: null,
      isDemo: r.is_demo,
      enrolment: e
        ? { id: e.id, programmeId: e.programme_id, programmeName: e.programme_name, status: e.status, startDate: e.start_date, consultants: e.consultants.map((c) => ({ id: c.user_id, name: c.name })) }
        : null,
    };
    // A stored record that cannot be shown in full is shown degraded (masked CPR, no age), never fails the list.
    try {
      summary.cprMasked = maskedFromBirthDate(r.birth_date, r.cpr_is_replacement);
      summary.age = ageOrNull(r.birth_date, today);
    } catch {
      summary.age = null;
    }
    return summary;
  });
}

async function page(deps: CitizenDeps, actor: Actor, mode: 'all' | 'mine', filters: repo.CitizenFilters, cursor: string | undefined, limit: number, audit: { action: 'read' | 'search'; criteria: Record<string, unknown> }) {
  return inTransaction(deps.db, async (tx) => {
    const today = dateInCopenhagen();
    const scope = await visibilityScope(tx, deps.reference, actor, today);
    const after = decodeCursor(cursor, isCitizenCursor);
    const rows = await repo.listCitizens(tx, scope, mode, filters, after, limit);
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    const summaryRow = {
      actor,
      organisationId: actor.organisationId,
      action: audit.action,
      purpose: PURPOSE,
      resourceType: 'citizen',
      outcome: 'success' as const,
      criteria: { ...audit.criteria, found: pageRows.map((r) => r.id) },
    };
    // A search also leaves one row per citizen it returned (docs/decisions/0032), so the citizen's access log finds
    // the hit by the citizen-id index; same insert statement, the search's own row last.
    const hits = audit.action === 'search' ? pageRows.map((r) => ({ ...summaryRow, resourceId: r.id, citizenId: r.id, criteria: { hit: true } })) : [];
    await recordAuditMany(tx, [...hits, summaryRow]);
    return {
      items: summaries(pageRows, today),
      nextCursor: rows.length > limit && last ? encodeCursor({ l: last.last_name.toLowerCase(), f: last.first_name.toLowerCase(), id: last.id }) : null,
    };
  });
}

export function listCitizens(deps: CitizenDeps, actor: Actor, query: { scope: 'mine' | 'all'; cursor?: string; limit: number }) {
  return page(deps, actor, query.scope, {}, query.cursor, query.limit, { action: 'read', criteria: { list: query.scope, cursor: query.cursor ? 'next' : null } });
}

export function searchCitizens(deps: CitizenDeps, actor: Actor, req: CitizenSearchRequest) {
  const { filters, logged } = filtersFromQuery(req.q, deps.vault);
  const criteria = { ...logged, programmeId: req.programmeId ?? null, consultantId: req.consultantId ?? null, status: req.status ?? null, cursor: req.cursor ? 'next' : null };
  return page(deps, actor, 'all', { ...filters, programmeId: req.programmeId, consultantId: req.consultantId, status: req.status }, req.cursor, req.limit, { action: 'search', criteria });
}

async function detail(deps: CitizenDeps, tx: Tx, actor: Actor, citizenId: string, today: string): Promise<CitizenDetail> {
  const c = await repo.citizenPage(tx, citizenId, today);
  if (!c) throw new Error('the citizen disappeared within the transaction');
  const codes = await deps.reference.codeBook(tx, c.organisation_id, actor.referenceVersion);
  const periods = c.status_periods;
  return {
    id: c.id,
    firstName: c.first_name,
    lastName: c.last_name,
    cprMasked: maskedFromBirthDate(c.birth_date, c.cpr_is_replacement),
    cprIsReplacement: c.cpr_is_replacement,
    birthDate: c.birth_date,
    age: ageOrNull(c.birth_date, today),
    phone: c.phone,
    email: c.email,
    address: c.address,
    preferredContact: c.preferred_contact as CitizenDetail['preferredContact'],
    note: c.note,
    isDemo: c.is_demo,
    organisation: { id: c.organisation_id, name: c.organisation_name },
    enrolments: c.enrolments.map((e) => ({
      id: e.id,
      programme: { id: e.programme_id, name: e.programme_name },
      status: e.status,
      startDate: e.start_date,
      endDate: e.end_date,
      benefit: codes.ref('benefit', e.benefit_code),
      visitation: codes.refOrNull('visitation', e.visitation_code),
      referralSource: codes.refOrNull('referral_source', e.referral_source),
      referralDate: e.referral_date,
      referralReason: e.referral_reason,
      exitOutcome: codes.refOrNull('exit_outcome', e.exit_outcome),
      team: e.team.map((m) => ({
          id: m.id,
          user: { id: m.user_id, name: m.name },
          role: m.role,
          kind: m.kind,
          substituteFor: m.substitute_for ? { id: m.substitute_for, name: m.substitute_for_name ?? '' } : null,
          validFrom: m.valid_from,
          validTo: m.valid_to,
        })),
      version: e.version,
    })),
    statusPeriods: periods.map((p) => ({
      id: p.id,
      benefit: codes.ref('benefit', p.benefit_code),
      activity: p.activity,
      weeklyHours: p.weekly_hours,
      fromDate: p.from_date,
      toDate: p.to_date,
      note: p.note,
    })),
    selfSupport: {
      computedOn: today,
      last26: { ...selfSupportingWeeks(periods, today, 26), ...weeklyHours(periods, c.internship_weeks, today, 26) },
      last52: { ...selfSupportingWeeks(periods, today, 52), ...weeklyHours(periods, c.internship_weeks, today, 52) },
    },
    internshipWeeks: c.internship_weeks.map((w) => ({ weekStart: w.week_start, hours: Number(w.hours) })),
    version: c.version,
  };
}

export async function getCitizen(deps: CitizenDeps, actor: Actor, citizenId: string) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId, today } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:read', 'read');
    await recordAudit(tx, audited(actor, organisationId, 'read', 'citizen', citizenId, citizenId));
    return detail(deps, tx, actor, citizenId, today);
  });
}

export async function updateCitizen(deps: CitizenDeps, actor: Actor, citizenId: string, input: z.infer<typeof UpdateCitizenRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId, today } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:update', 'update');
    const current = await repo.citizenById(tx, citizenId);
    const firstName = input.firstName ?? current.first_name;
    const lastName = input.lastName ?? current.last_name;
    const { version, ...changes } = input;
    const updated = await repo.updateCitizen(tx, citizenId, version, {
        ...(changes.firstName !== undefined ? { first_name: changes.firstName } : {}),
        ...(changes.lastName !== undefined ? { last_name: changes.lastName } : {}),
        ...(changes.phone !== undefined ? { phone: changes.phone } : {}),
        ...(changes.email !== undefined ? { email: changes.email } : {}),
        ...(changes.address !== undefined ? { address: changes.address } : {}),
        ...(changes.preferredContact !== undefined ? { preferred_contact: changes.preferredContact } : {}),
        ...(changes.note !== undefined ? { note: changes.note } : {}),
        search_name: `${firstName} ${lastName}`.toLocaleLowerCase('da'),
      });
    if (!updated) throw new Conflict('Someone else changed this citizen in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    const fields = Object.keys(changes);
    await repo.recordEvent(tx, { organisationId, citizenId, kind: 'citizen.updated', refId: citizenId, actorId: actor.userId, data: { fields } });
    await recordAudit(tx, audited(actor, organisationId, 'update', 'citizen', citizenId, citizenId, { fields }));
    return detail(deps, tx, actor, citizenId, today);
  });
}

export async function revealCpr(deps: CitizenDeps, actor: Actor, citizenId: string) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:reveal-cpr', 'reveal-cpr');
    const c = await repo.citizenById(tx, citizenId);
    const digits = deps.vault.decrypt(c.cpr_encrypted);
    await recordAudit(tx, audited(actor, organisationId, 'reveal-cpr', 'citizen', citizenId, citizenId));
    return { cpr: `${digits.slice(0, 6)}-${digits.slice(6)}` };
  });
}

export async function updateEnrolment(deps: CitizenDeps, actor: Actor, enrolmentId: string, input: z.infer<typeof UpdateEnrolmentRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const e = await repo.enrolmentById(tx, enrolmentId);
    if (!e) {
      throw new AccessDenied({ actor, organisationId: null, action: 'update', purpose: PURPOSE, resourceType: 'enrolment', resourceId: enrolmentId, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    const { organisationId, today } = await requireCitizenAccess(tx, actor, e.citizen_id, 'citizen:write-case', 'update', e.programme_id);
    const status = input.status ?? e.status;
    if (e.status === 'ended' && status !== 'ended') {
      throw new Invalid('An ended enrolment cannot be reopened; enrol the citizen again', [{ path: 'status', message: 'ended_is_final' }]);
    }
    const endDate = status === 'ended' ? (input.endDate ?? e.end_date) : null;
    const exitOutcome = status === 'ended' ? (input.exitOutcome ?? e.exit_outcome) : null;
    if (status === 'ended') {
      if (!endDate) throw new Invalid('Ending needs an end date', [{ path: 'endDate', message: 'required' }]);
      if (!exitOutcome) throw new Invalid('Ending needs an exit outcome', [{ path: 'exitOutcome', message: 'required' }]);
      if (endDate < e.start_date) throw new Invalid('The end date is before the start date', [{ path: 'endDate', message: 'before_start' }]);
      const codes = await deps.reference.codeBook(tx, organisationId, actor.referenceVersion);
      codes.require('exit_outcome', exitOutcome, endDate, 'exitOutcome');
    }
    const updated = await repo.updateEnrolment(tx, enrolmentId, input.version, { status, end_date: endDate, exit_outcome: exitOutcome });
    if (!updated) throw new Conflict('Someone else changed this enrolment in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    await repo.recordEvent(tx, { organisationId, citizenId: e.citizen_id, kind: status === e.status ? 'enrolment.updated' : 'enrolment.status_changed', refId: enrolmentId, actorId: actor.userId, data: { from: e.status, to: status, endDate, exitOutcome } });
    await recordAudit(tx, audited(actor, organisationId, 'update', 'enrolment', enrolmentId, e.citizen_id, { from: e.status, to: status }));
    return detail(deps, tx, actor, e.citizen_id, today);
  });
}

export async function addStatusPeriod(deps: CitizenDeps, actor: Actor, citizenId: string, input: z.infer<typeof CreateStatusPeriodRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId, today } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:write-case', 'create');
    const codes = await deps.reference.codeBook(tx, organisationId, actor.referenceVersion);
    codes.require('benefit', input.benefitCode, input.fromDate, 'benefitCode');
    if (input.toDate && input.toDate < input.fromDate) throw new Invalid('The end is before the start', [{ path: 'toDate', message: 'before_start' }]);
    if (input.weeklyHours != null && !input.activity) throw new Invalid('Weekly hours belong to a job, internship or education', [{ path: 'activity', message: 'required_with_hours' }]);
    const { latestFrom } = await repo.lockCitizenForStatus(tx, citizenId);
    if (latestFrom && latestFrom >= input.fromDate) {
      throw new Conflict(`A new period must start after the latest one (${latestFrom})`, [{ path: 'fromDate', message: 'not_after_latest_period' }]);
    }
    // An open period that began before this one ends the day before it: the history has one status at a time.
    await repo.closeOpenStatusPeriod(tx, citizenId, input.fromDate, addDays(input.fromDate, -1));
    const { id } = await repo.insertStatusPeriod(tx, {
        organisation_id: organisationId,
        citizen_id: citizenId,
        benefit_code: input.benefitCode,
        activity: input.activity ?? null,
        weekly_hours: input.weeklyHours ?? null,
        from_date: input.fromDate,
        to_date: input.toDate ?? null,
        note: input.note ?? null,
        created_by: actor.userId,
      });
    await repo.recordEvent(tx, { organisationId, citizenId, kind: 'status.added', refId: id, actorId: actor.userId, data: { benefitCode: input.benefitCode, activity: input.activity ?? null, weeklyHours: input.weeklyHours ?? null, fromDate: input.fromDate, toDate: input.toDate ?? null } });
    await recordAudit(tx, audited(actor, organisationId, 'create', 'status_period', id, citizenId));
    return detail(deps, tx, actor, citizenId, today);
  });
}

/** The user and programme ids an event's data names (team changes, handovers, enrolments), to show names. */
function referencedIds(data: Record<string, unknown>[]): string[] {
  const ids = new Set<string>();
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const visit = (v: unknown): void => {
    if (typeof v === 'string' && uuid.test(v)) ids.add(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  data.forEach(visit);
  return [...ids];
}

function isTimelineCursor(v: unknown): v is repo.TimelineCursor {
  const c = v as repo.TimelineCursor;
  return typeof c === 'object' && c !== null && isIsoTimestamp(c.at) && isUuid(c.id);
}

export async function citizenTimeline(deps: CitizenDeps, actor: Actor, citizenId: string, query: z.infer<typeof TimelineQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const { organisationId } = await requireCitizenAccess(tx, actor, citizenId, 'citizen:read', 'read');
    const kinds = query.kind === undefined ? undefined : Array.isArray(query.kind) ? query.kind : [query.kind];
    const after = decodeCursor(query.cursor, isTimelineCursor);
    const rows = await repo.timeline(tx, citizenId, kinds, after, query.limit);
    const pageRows = rows.slice(0, query.limit);
    const last = pageRows[pageRows.length - 1];
    await recordAudit(tx, audited(actor, organisationId, 'read', 'timeline', citizenId, citizenId, { kinds: kinds ?? null }));
    const names = await repo.namesFor(tx, referencedIds(pageRows.map((r) => r.data)));
    return {
      names,
      items: pageRows.map((r) => ({
        id: r.id,
        occurredAt: new Date(r.occurred_at).toISOString(),
        kind: r.kind,
        refId: r.ref_id,
        actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
        data: r.data,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: new Date(last.occurred_at).toISOString(), id: last.id }) : null,
    };
  });
}
