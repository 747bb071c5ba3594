// An answer with health information is a disclosure (issue 10, point 7): the region passes health data on to
// the municipality that asked. Same rule as every disclosure: a valid sdl_43 consent (the patient lets psychiatry
// pass it on) and — since the municipality asked — a valid rsl_11a consent (the municipality may obtain it) must
// cover every category, the source and the recipient with the asker's role. The region records the act
// (disclosures), the municipality its received snapshot (received_disclosures), both in the request's transaction.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { consentsOfPerson, coverage, type Gap } from '../consents/coverage.ts';

type Tx = Transaction<Database>;

export interface InquiryDisclosure {
  regionCitizenId: string;
  municipalCitizenId: string;
  municipalityId: string;
  regionId: string;
  /** The asker's roles in the programme: the consent must name one of them. */
  recipientRoles: string[];
  categories: string[];
  snapshot: Record<string, unknown>;
  personHash: string;
}

export type DisclosureOutcome = { disclosed: true; disclosureId: string; consentIds: string[] } | { disclosed: false; gaps: Gap[] };

/** Which role of the recipient the consents cover best: the first role with full coverage, else the one with the fewest gaps. */
export function answerCoverage(consents: Parameters<typeof coverage>[0], d: Omit<InquiryDisclosure, 'snapshot' | 'regionCitizenId' | 'municipalCitizenId' | 'personHash'>, today: string) {
  let best: { role: string; consentIds: string[]; gaps: Gap[] } | null = null;
  for (const role of d.recipientRoles.length ? d.recipientRoles : ['caseworker']) {
    const crossing = { categories: d.categories, sourceOrganisationId: d.regionId, recipientOrganisationId: d.municipalityId, recipientRole: role };
    const passOn = coverage(consents, { ...crossing, instrument: 'sdl_43' }, today);
    const obtain = coverage(consents, { ...crossing, instrument: 'rsl_11a' }, today);
    const gaps = [...passOn.gaps, ...obtain.gaps];
    const candidate = { role, consentIds: [...new Set([...passOn.consentIds, ...obtain.consentIds])], gaps };
    if (!best || gaps.length < best.gaps.length) best = candidate;
    if (gaps.length === 0) break;
  }
  return best!;
}

/** Checks the consents (one query) and, when covered, writes the disclosure, the received snapshot and the region's audit row. */
export async function discloseInquiryAnswer(tx: Tx, actor: Actor, d: InquiryDisclosure): Promise<DisclosureOutcome> {
  const today = dateInCopenhagen();
  const consents = await consentsOfPerson(tx, d.personHash);
  const covered = answerCoverage(consents, d, today);
  if (covered.gaps.length) return { disclosed: false, gaps: covered.gaps };
  const snapshot = JSON.stringify(d.snapshot);
  const { rows } = await sql<{ id: string }>`
    with d as (
      insert into disclosures (organisation_id, citizen_id, recipient_organisation_id, recipient_citizen_id, recipient_roles, categories, snapshot,
                               basis, consent_ids, status, closed_at, decided_by, channel)
      values (${d.regionId}, ${d.regionCitizenId}, ${d.municipalityId}, ${d.municipalCitizenId}, ${[covered.role]}::text[], ${d.categories}::text[], ${snapshot}::jsonb,
              'consent', ${covered.consentIds}::uuid[], 'closed', now(), ${actor.userId}, 'digital')
      returning id, disclosed_at, channel, categories, snapshot, consent_ids)
    , r as (
      insert into received_disclosures (organisation_id, citizen_id, disclosure_id, from_organisation_id, disclosed_by_name, disclosed_at, channel, categories, snapshot, basis, consent_ids)
      select ${d.municipalityId}, ${d.municipalCitizenId}, id, ${d.regionId}, ${actor.name}, disclosed_at, channel, categories, snapshot, 'consent', consent_ids from d
      returning id)
    select d.id from d, r`.execute(tx);
  const disclosureId = rows[0]!.id;
  await recordAudit(tx, {
    actor,
    organisationId: d.regionId,
    action: 'create',
    purpose: 'case_work',
    resourceType: 'disclosure',
    resourceId: disclosureId,
    citizenId: d.regionCitizenId,
    outcome: 'success',
    criteria: { basis: 'consent', consentIds: covered.consentIds, categories: d.categories, via: 'inquiry_answer' },
  });
  return { disclosed: true, disclosureId, consentIds: covered.consentIds };
}
