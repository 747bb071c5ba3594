// Shared access (DOMAIN.md "two doors", the second): the region's liaison reads the municipality's plan,
// activities and notes of a citizen only while a valid fvl_28 consent covers the category for the liaison's
// organisation and role. The check is the chokepoint's SharedAccessCheck hook, fed by ONE query for all the
// person's consents, run on every request (no caching), so a withdrawal ends it on the next request on every
// instance. Each read is audited on the municipality's side with the consent ids as its basis; outside a
// consent the answer is 404, audited there too.
import { MUNICIPAL_CONSENT_CATEGORIES, type SharedRecord } from '../../../contracts/consents.ts';
import { AccessDenied, decide, type Resource, type SharedAccessCheck } from '../../platform/access/access.ts';
import { POLICY } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { inTransaction } from '../../platform/transaction.ts';
import * as notesRepo from '../citizens/citizens.repository.ts';
import * as companiesRepo from '../companies/companies.repository.ts';
import * as planRepo from '../plan/plan.repository.ts';
import { planFromRow } from '../plan/plan.service.ts';
import { consentsOfPerson, coverage, type ConsentFacts, type Gap } from './coverage.ts';
import { openRecord, type ConsentDeps } from './consents.service.ts';
import * as repo from './consents.repository.ts';

const PURPOSE = 'case_work' as const;
/** What the shared view shows of each section. */
const ACTIVITY_PAGE = 20;
const NOTES_PAGE = 20;

type MunicipalCategory = (typeof MUNICIPAL_CONSENT_CATEGORIES)[number];
/** The categories the shared record is made of (progression measurements cross by disclosure only). */
export const SHARED_CATEGORIES: readonly MunicipalCategory[] = ['municipal_plan', 'activities', 'notes'];

/**
 * The hook the chokepoint asks when the actor is of another organisation than the record: the resource's
 * `type` names the category read. It opens only for an action the actor's role holds in a programme the
 * consent names and the record is enrolled in, and only while a valid fvl_28 consent from the record's
 * organisation names the actor's organisation, the actor's role and the category. What it found is kept for
 * the audit row (`covering`) and the refusal (`gaps`).
 */
export function consentedSharedAccess(consents: readonly ConsentFacts[], today: string) {
  const covering = new Set<string>();
  const gaps: Gap[] = [];
  const check: SharedAccessCheck = (actor, action, resource) => {
    if (action !== 'citizen:shared-read') return false;
    const category = resource.type;
    if (!(SHARED_CATEGORIES as readonly string[]).includes(category)) return false;
    const roles: readonly string[] = POLICY[action].roles;
    const enrolled = new Set(resource.citizen?.enrolments.map((e) => e.programmeId) ?? []);
    let found: Gap[] = [];
    for (const grant of actor.roles) {
      if (!grant.programmeId || !roles.includes(grant.role) || !enrolled.has(grant.programmeId)) continue;
      const inProgramme = consents.filter((c) => c.programme_id === grant.programmeId);
      const result = coverage(inProgramme, { instrument: 'fvl_28', categories: [category], sourceOrganisationId: resource.organisationId, recipientOrganisationId: actor.organisationId, recipientRole: grant.role }, today);
      if (result.covered) {
        result.consentIds.forEach((id) => covering.add(id));
        return true;
      }
      found = result.gaps;
    }
    gaps.push(...(found.length ? found : [{ instrument: 'fvl_28' as const, category, reason: 'no_consent' as const, consentId: null }]));
    return false;
  };
  return { check, covering, gaps };
}

/** Which shared categories the actor may read of one record today, decided by the chokepoint per category. */
function decideCategories(actor: Actor, resource: Omit<Resource, 'type'>, consents: readonly ConsentFacts[], today: string) {
  const hook = consentedSharedAccess(consents, today);
  const allowed = SHARED_CATEGORIES.filter((category) => {
    const d = decide(actor, 'citizen:shared-read', { ...resource, type: category }, hook.check);
    return d.allowed && d.via === 'shared';
  });
  return { allowed, consentIds: [...hook.covering], gaps: hook.gaps };
}

/**
 * The municipal records of the person that the liaison may read today, from the region's own record: only
 * where a valid fvl_28 consent names the liaison's organisation and role. Reveals nothing otherwise.
 */
export async function municipalRecords(deps: ConsentDeps, actor: Actor, regionCitizenId: string) {
  return inTransaction(deps.db, async (tx) => {
    const { facts, today } = await openRecord(tx, actor, regionCitizenId, 'citizen:shared-read', 'read');
    const consents = await consentsOfPerson(tx, facts.cpr_hash);
    // Organisations whose fvl_28 consents name the caller's organisation: the candidates, decided per record below.
    const sources = [...new Set(consents.filter((c) => c.instrument === 'fvl_28' && c.recipient_organisation_id === actor.organisationId).map((c) => c.source_organisation_id))];
    const records = sources.length ? await repo.recordsOfPersonWithRelations(tx, facts.cpr_hash, sources, today) : [];
    const items = records.flatMap((r) => {
      const d = decideCategories(actor, { id: r.id, citizenId: r.id, organisationId: r.organisation_id, citizen: { createdBy: r.created_by, enrolments: r.enrolments } }, consents, today);
      if (d.allowed.length === 0) return [];
      const validTo = consents.filter((c) => d.consentIds.includes(c.id)).map((c) => c.valid_to).sort()[0]!;
      return [{ organisation: { id: r.organisation_id, name: r.organisation_name }, citizenId: r.id, categories: [...d.allowed], consentIds: d.consentIds, validTo }];
    });
    await recordAudit(tx, {
      actor,
      organisationId: facts.organisation_id,
      action: 'read',
      purpose: PURPOSE,
      resourceType: 'municipal_records',
      resourceId: regionCitizenId,
      citizenId: regionCitizenId,
      outcome: 'success',
      criteria: { found: items.map((i) => ({ organisationId: i.organisation.id, categories: i.categories, consentIds: i.consentIds })) },
    });
    return { items };
  });
}

/**
 * The municipal record as the liaison may read it today: only the sections a valid fvl_28 consent covers.
 * Decided in the chokepoint per section on every request; audited on the municipality's side.
 */
export async function sharedRecord(deps: ConsentDeps, actor: Actor, municipalCitizenId: string): Promise<SharedRecord> {
  return inTransaction(deps.db, async (tx) => {
    const today = dateInCopenhagen();
    const facts = await repo.citizenFacts(tx, municipalCitizenId, today);
    if (!facts) {
      throw new AccessDenied({ actor, organisationId: null, action: 'read', purpose: PURPOSE, resourceType: 'shared_record', resourceId: municipalCitizenId, citizenId: null, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    const resource = { id: municipalCitizenId, citizenId: municipalCitizenId, organisationId: facts.organisation_id, citizen: { createdBy: facts.created_by, enrolments: facts.enrolments } };
    // The own organisation's staff read their record through their own routes; this door is for the other one.
    const consents = facts.organisation_id === actor.organisationId ? [] : await consentsOfPerson(tx, facts.cpr_hash);
    const d = decideCategories(actor, resource, consents, today);
    if (d.allowed.length === 0) {
      throw new AccessDenied({
        actor,
        organisationId: facts.organisation_id,
        action: 'read',
        purpose: PURPOSE,
        resourceType: 'shared_record',
        resourceId: municipalCitizenId,
        citizenId: municipalCitizenId,
        outcome: 'denied',
        criteria: { permission: 'citizen:shared-read', reason: facts.organisation_id === actor.organisationId ? 'own organisation' : 'no consent covers', gaps: d.gaps.map((g) => ({ category: g.category, reason: g.reason, consentId: g.consentId })) },
      });
    }
    const covered = new Set(d.allowed);
    const programmeIds = [...new Set(consents.filter((c) => d.consentIds.includes(c.id)).map((c) => c.programme_id!))];

    let plan: SharedRecord['plan'] = null;
    if (covered.has('municipal_plan')) {
      const row = await planRepo.readPlan(tx, municipalCitizenId, programmeIds, undefined);
      // Only the consented programme's plan: other enrolments are not the consent's business.
      plan = { ...planFromRow(municipalCitizenId, row), otherEnrolments: [] };
    }
    let activities: SharedRecord['activities'] = null;
    if (covered.has('activities')) {
      const [conversations, meetings, internships] = [
        await planRepo.conversationsOf(tx, municipalCitizenId, undefined, ACTIVITY_PAGE),
        await planRepo.meetingsOf(tx, municipalCitizenId, undefined, ACTIVITY_PAGE),
        await companiesRepo.internships(tx, { citizenId: municipalCitizenId, after: undefined, limit: ACTIVITY_PAGE }),
      ];
      activities = [
        ...conversations.slice(0, ACTIVITY_PAGE).map((c) => ({ kind: 'conversation' as const, id: c.id, date: c.starts_at, status: c.status, title: c.themes.join(', '), text: c.note })),
        ...meetings.slice(0, ACTIVITY_PAGE).map((m) => ({ kind: 'network_meeting' as const, id: m.id, date: m.starts_at, status: m.status, title: m.place, text: m.minutes })),
        ...internships.slice(0, ACTIVITY_PAGE).map((i) => ({ kind: 'internship' as const, id: i.id, date: String(i.from_date), status: i.outcome ?? 'ongoing', title: i.company_name, text: `${String(i.from_date)} – ${String(i.to_date)}` })),
      ].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
    }
    let notes: SharedRecord['notes'] = null;
    if (covered.has('notes')) {
      // The first page of the ordinary notes; notes marked sensitive stay in the municipality.
      const rows = (await notesRepo.notesOf(tx, municipalCitizenId, undefined, NOTES_PAGE)).slice(0, NOTES_PAGE).filter((n) => n.sensitivity === 'normal');
      const revisions = await notesRepo.revisionsOf(tx, rows.map((n) => n.id));
      notes = rows.map((n) => ({
        id: n.id,
        kind: n.kind,
        createdAt: new Date(n.created_at).toISOString(),
        author: { id: n.author_id, name: n.author_name },
        body: revisions.find((r) => r.note_id === n.id && r.revision === n.revision)?.body ?? '',
      }));
    }
    await recordAudit(tx, {
      actor,
      organisationId: facts.organisation_id,
      action: 'read',
      purpose: PURPOSE,
      resourceType: 'shared_record',
      resourceId: municipalCitizenId,
      citizenId: municipalCitizenId,
      outcome: 'success',
      criteria: { basis: 'consent', consentIds: d.consentIds, categories: d.allowed, door: 'shared_access' },
    });
    return {
      citizenId: municipalCitizenId,
      organisation: { id: facts.organisation_id, name: facts.organisation_name },
      firstName: facts.first_name,
      lastName: facts.last_name,
      categories: [...d.allowed],
      consentIds: d.consentIds,
      plan,
      activities,
      notes,
    };
  });
}
