// Companies: the organisation's own register (CVR, name, contacts, meetings), read by its case staff and kept by
// those who work with companies. Company facts are not citizen data; the internships on the company page are,
// so only those of citizens the caller may see are listed, the rest counted.
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { CompanyDetail, CompanyListQuery, CompanySummary, ContactInput, CreateCompanyMeetingRequest, CreateCompanyRequest, UpdateCompanyRequest } from '../../../contracts/companies.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Action } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, type AuditAction } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, DomainError, Invalid } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isShortString, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { visibilityScope } from '../citizens/citizen-access.ts';
import type { ReferenceData } from '../citizens/reference-data.ts';
import * as repo from './companies.repository.ts';

export interface CompanyDeps {
  db: Kysely<Database>;
  reference: ReferenceData;
}

type Tx = Transaction<Database>;
const PURPOSE = 'case_work' as const;

/** A CVR number already in the organisation's register: 409 with the existing company's id. */
export class DuplicateCompany extends DomainError {
  constructor(readonly existingId: string) {
    super(409, 'duplicate', 'A company with this CVR number is already registered');
  }
}

/** The organisation-wide check on the company register (no company yet: the caller's own organisation). */
function requireCompanyAccess(actor: Actor, permission: Action, auditAction: AuditAction, company?: { id: string; organisation_id: string }) {
  requireAccess(
    actor,
    permission,
    { type: 'company', id: company?.id ?? null, organisationId: company?.organisation_id ?? actor.organisationId },
    { action: auditAction, purpose: PURPOSE },
  );
}

/** Loads the company and checks the caller may act on it; an unknown id is refused like a foreign one. */
async function companyFor(tx: Tx, actor: Actor, companyId: string, permission: Action, auditAction: AuditAction) {
  const company = await repo.companyById(tx, companyId);
  if (!company) {
    throw new AccessDenied({ actor, organisationId: null, action: auditAction, purpose: PURPOSE, resourceType: 'company', resourceId: companyId, outcome: 'denied', criteria: { reason: 'unknown id' } });
  }
  requireCompanyAccess(actor, permission, auditAction, company);
  return company;
}

const contactValues = (c: z.infer<typeof ContactInput>) => ({ name: c.name, role: c.role ?? null, phone: c.phone ?? null, email: c.email ?? null });

export async function createCompany(deps: CompanyDeps, actor: Actor, input: CreateCompanyRequest): Promise<{ id: string }> {
  return inTransaction(deps.db, async (tx) => {
    requireCompanyAccess(actor, 'company:manage', 'create');
    const existing = await repo.companyByCvr(tx, actor.organisationId, input.cvr);
    if (existing) throw new DuplicateCompany(existing.id);
    const id = await repo.insertCompany(tx, {
      organisationId: actor.organisationId,
      cvr: input.cvr,
      name: input.name,
      address: input.address ?? null,
      industry: input.industry ?? null,
      createdBy: actor.userId,
      contacts: input.contacts.map(contactValues),
    });
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'create', purpose: PURPOSE, resourceType: 'company', resourceId: id, outcome: 'success', criteria: { contacts: input.contacts.length } });
    return { id };
  });
}

function isCompanyCursor(v: unknown): v is repo.CompanyCursor {
  const c = v as repo.CompanyCursor;
  return typeof c === 'object' && c !== null && isShortString(c.n) && isUuid(c.id);
}

/** A query of digits only is the start of a CVR number; anything else is words of the name. */
function parseQuery(q: string | undefined): { words: string[]; cvrPrefix: string | null } {
  const text = (q ?? '').trim();
  if (/^[0-9]{1,8}$/.test(text)) return { words: [], cvrPrefix: text };
  return { words: repo.searchName(text).split(' ').filter(Boolean).slice(0, 10), cvrPrefix: null };
}

export async function listCompanies(deps: CompanyDeps, actor: Actor, query: z.infer<typeof CompanyListQuery>): Promise<{ items: CompanySummary[]; nextCursor: string | null }> {
  return inTransaction(deps.db, async (tx) => {
    requireCompanyAccess(actor, 'company:read', 'search');
    const after = decodeCursor(query.cursor, isCompanyCursor);
    const rows = await repo.listCompanies(tx, actor.organisationId, parseQuery(query.q), after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > query.limit && last ? encodeCursor({ n: last.sort_name, id: last.id }) : null;
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'search', purpose: PURPOSE, resourceType: 'company', outcome: 'success', criteria: { q: query.q ?? null, count: page.length, cursor: query.cursor ? 'next' : null } });
    return {
      items: page.map((r) => ({ id: r.id, cvr: r.cvr, name: r.name, address: r.address, industry: r.industry, isFictitious: r.is_fictitious })),
      nextCursor,
    };
  });
}

async function detail(deps: CompanyDeps, tx: Tx, actor: Actor, companyId: string): Promise<CompanyDetail> {
  const scope = await visibilityScope(tx, deps.reference, actor, dateInCopenhagen());
  const c = await repo.companyDetail(tx, companyId, scope);
  if (!c) throw new Error('the company disappeared within the transaction');
  return {
    id: c.id,
    cvr: c.cvr,
    name: c.name,
    address: c.address,
    industry: c.industry,
    isFictitious: c.is_fictitious,
    contacts: c.contacts,
    meetings: c.meetings.map((m) => ({ id: m.id, heldOn: m.held_on, staff: m.staff, purpose: m.purpose, outcome: m.outcome, createdBy: { id: m.created_by, name: m.created_by_name } })),
    internships: c.internships.map((i) => ({
      id: i.id,
      citizen: { id: i.citizen_id, name: `${i.first_name} ${i.last_name}` },
      purpose: i.purpose,
      fromDate: i.from_date,
      toDate: i.to_date,
      outcome: i.outcome,
    })),
    otherInternships: c.other_internships,
    version: c.version,
  };
}

export async function getCompany(deps: CompanyDeps, actor: Actor, companyId: string): Promise<CompanyDetail> {
  return inTransaction(deps.db, async (tx) => {
    await companyFor(tx, actor, companyId, 'company:read', 'read');
    const page = await detail(deps, tx, actor, companyId);
    // The internships listed are citizen data: the read names the citizens it showed.
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'read', purpose: PURPOSE, resourceType: 'company', resourceId: companyId, outcome: 'success', criteria: { internshipCitizenIds: [...new Set(page.internships.map((i) => i.citizen.id))] } });
    return page;
  });
}

export async function updateCompany(deps: CompanyDeps, actor: Actor, companyId: string, input: z.infer<typeof UpdateCompanyRequest>): Promise<CompanyDetail> {
  return inTransaction(deps.db, async (tx) => {
    await companyFor(tx, actor, companyId, 'company:manage', 'update');
    const changes = {
      ...(input.name !== undefined ? { name: input.name, search_name: repo.searchName(input.name) } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
      ...(input.industry !== undefined ? { industry: input.industry } : {}),
    };
    const updated = await repo.updateCompany(tx, companyId, input.version, changes);
    if (!updated) throw new Conflict('The company was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'update', purpose: PURPOSE, resourceType: 'company', resourceId: companyId, outcome: 'success', criteria: { fields: Object.keys(input).filter((k) => k !== 'version') } });
    return detail(deps, tx, actor, companyId);
  });
}

export async function addContact(deps: CompanyDeps, actor: Actor, companyId: string, input: z.infer<typeof ContactInput>): Promise<{ id: string }> {
  return inTransaction(deps.db, async (tx) => {
    const company = await companyFor(tx, actor, companyId, 'company:manage', 'update');
    const id = await repo.insertContact(tx, { organisationId: company.organisation_id, companyId, ...contactValues(input) });
    await recordAudit(tx, { actor, organisationId: company.organisation_id, action: 'create', purpose: PURPOSE, resourceType: 'company', resourceId: companyId, outcome: 'success', criteria: { contactId: id } });
    return { id };
  });
}

export async function addMeeting(deps: CompanyDeps, actor: Actor, companyId: string, input: z.infer<typeof CreateCompanyMeetingRequest>): Promise<{ id: string }> {
  return inTransaction(deps.db, async (tx) => {
    const company = await companyFor(tx, actor, companyId, 'company:manage', 'update');
    const staffIds = [...new Set(input.staffIds ?? [actor.userId])];
    if ((await repo.countStaff(tx, company.organisation_id, staffIds)) !== staffIds.length) {
      throw new Invalid('Every participant must be staff of the organisation', [{ path: 'staffIds', message: 'unknown_staff' }]);
    }
    const id = await repo.insertMeeting(tx, { organisationId: company.organisation_id, companyId, heldOn: input.heldOn, staffIds, purpose: input.purpose, outcome: input.outcome ?? null, createdBy: actor.userId });
    await recordAudit(tx, { actor, organisationId: company.organisation_id, action: 'create', purpose: PURPOSE, resourceType: 'company', resourceId: companyId, outcome: 'success', criteria: { meetingId: id } });
    return { id };
  });
}
