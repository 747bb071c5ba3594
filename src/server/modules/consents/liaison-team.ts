// A liaison from psychiatry (a region employee) is put on a municipal citizen's team only while the person's
// consents cover both directions in the programme: from the region the patient's sdl_43 consent and the
// municipality's rsl_11a consent naming the municipality, from the municipality the fvl_28 consent naming the
// region and the liaison role. The team itself opens nothing across the border: what the liaison may read of
// the municipal record is decided per request by the shared-access hook, so a consent that lapses later ends it
// on the next request. This check only keeps a liaison off a team the consents do not (yet) justify.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditEntry } from '../../platform/audit/audit.ts';
import { Conflict } from '../../platform/errors.ts';
import { consentsOfPerson, coverage, MUNICIPAL_CATEGORIES, REGION_CATEGORIES, type ConsentFacts, type Gap } from './coverage.ts';

/** The three consents the liaison's place on a municipal team rests on, each with its nearest gap when none holds. */
export function liaisonTeamCoverage(consents: readonly ConsentFacts[], crossing: { municipalityId: string; regionId: string; programmeId: string }, today: string) {
  const inProgramme = consents.filter((c) => c.programme_id === crossing.programmeId);
  const direction = (instrument: 'sdl_43' | 'rsl_11a' | 'fvl_28', categories: readonly string[], source: string, recipient: string, role: string | null) => {
    const gaps: Gap[] = [];
    for (const category of categories) {
      const c = coverage(inProgramme, { instrument, categories: [category], sourceOrganisationId: source, recipientOrganisationId: recipient, recipientRole: role }, today);
      if (c.covered) return { consentIds: c.consentIds, gap: null };
      gaps.push(...c.gaps);
    }
    // The most telling reason: a lapsed or mismatched consent before "another category", before "none at all".
    const informative = gaps.find((g) => g.reason !== 'other_category' && g.reason !== 'no_consent') ?? gaps.find((g) => g.reason !== 'no_consent') ?? gaps[0]!;
    return { consentIds: [] as string[], gap: informative.reason === 'no_consent' ? { ...informative, category: '*' } : informative };
  };
  const parts = [
    direction('sdl_43', REGION_CATEGORIES, crossing.regionId, crossing.municipalityId, null),
    direction('rsl_11a', REGION_CATEGORIES, crossing.regionId, crossing.municipalityId, null),
    direction('fvl_28', MUNICIPAL_CATEGORIES, crossing.municipalityId, crossing.regionId, 'liaison'),
  ];
  const gaps = parts.flatMap((p) => (p.gap ? [p.gap] : []));
  return { covered: gaps.length === 0, consentIds: parts.flatMap((p) => p.consentIds), gaps };
}

/** 409 naming the consents that do not cover the liaison's place on the team; audited after the rollback. */
export class LiaisonConsentsMissing extends Conflict {
  readonly auditAfterRollback: AuditEntry;
  constructor(path: string, gaps: readonly Gap[], audit: AuditEntry) {
    super('A liaison from psychiatry joins a municipal team only while the citizen’s consents cover both directions (sdl_43 and rsl_11a from the region, fvl_28 from the municipality)', [
      { path, message: 'liaison_consents_missing' },
      ...gaps.map((g) => ({ path: `consent.${g.instrument}`, message: `${g.reason}${g.category === '*' ? '' : ` (${g.category})`}` })),
    ]);
    this.auditAfterRollback = audit;
  }
}

/**
 * Refuses (409, audited) a liaison of `regionId` on a team of the caller's organisation for the person with this
 * CPR hash, unless the consents cover both directions today. One query: all the person's consents.
 */
export async function requireLiaisonConsents(
  tx: Transaction<Database>,
  actor: Actor,
  who: { personHash: string; citizenId: string | null; liaisonId: string; regionId: string; programmeId: string; path: string },
  today: string,
): Promise<string[]> {
  const consents = await consentsOfPerson(tx, who.personHash);
  const check = liaisonTeamCoverage(consents, { municipalityId: actor.organisationId, regionId: who.regionId, programmeId: who.programmeId }, today);
  if (check.covered) return check.consentIds;
  throw new LiaisonConsentsMissing(who.path, check.gaps, {
    actor,
    organisationId: actor.organisationId,
    action: 'create',
    purpose: 'case_work',
    resourceType: 'team',
    resourceId: null,
    citizenId: who.citizenId,
    outcome: 'denied',
    criteria: { reason: 'consent', role: 'liaison', liaisonId: who.liaisonId, programmeId: who.programmeId, gaps: check.gaps.map((g) => ({ instrument: g.instrument, reason: g.reason, consentId: g.consentId })) },
  });
}

/** The person's keyed CPR hash, for a citizen the caller already reached through the chokepoint. */
export async function personHashOf(tx: Transaction<Database>, citizenId: string): Promise<string> {
  const { rows } = await sql<{ cpr_hash: string }>`select cpr_hash from citizens where id = ${citizenId}`.execute(tx);
  return rows[0]!.cpr_hash;
}
