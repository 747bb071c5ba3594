// Whether the person's consents cover one crossing of information between two data controllers — the one
// rule that every door uses: an explicit disclosure (sdl_43, and rsl_11a when the municipality asked), shared
// access (fvl_28), an inquiry about a named citizen (both directions). A consent covers a crossing when it is
// valid today (not withdrawn, not replaced, within its dates) and names the category, the source, the
// recipient organisation and the recipient's role. Where nothing covers, the answer names the gap — the
// nearest consent's reason — so that a refusal can say exactly what is missing.
import { sql, type Kysely } from 'kysely';
import type { ConsentInstrument, Database } from '../../db/schema.ts';

type Q = Kysely<Database>;

/** The categories each side may pass on (codes fixed by the consents issue). */
export const REGION_CATEGORIES = ['treatment_summary', 'work_considerations', 'support_needs', 'work_medication', 'crisis_plan', 'treatment_attendance', 'progression_measurements'] as const;
export const MUNICIPAL_CATEGORIES = ['municipal_plan', 'activities', 'notes', 'progression_measurements'] as const;
export type ConsentCategory = (typeof REGION_CATEGORIES)[number] | (typeof MUNICIPAL_CATEGORIES)[number];

/** What the check needs of a consent row. */
export interface ConsentFacts {
  id: string;
  instrument: ConsentInstrument;
  categories: string[];
  source_organisation_id: string;
  /** Null when the consent names a company (by CVR) as its recipient instead of an organisation. */
  recipient_organisation_id: string | null;
  recipient_company_cvr?: string | null;
  recipient_roles: string[];
  valid_from: string;
  valid_to: string;
  withdrawn_at: Date | null;
  withdrawn_on: string | null;
  superseded_at: Date | null;
  created_at: Date;
  /** The programme the consent's purpose names (read by consentsOfPerson; the shared-access check uses it). */
  programme_id?: string;
}

export type ConsentState = 'valid' | 'withdrawn' | 'expired' | 'replaced' | 'not_yet_valid';

export function consentState(c: Pick<ConsentFacts, 'valid_from' | 'valid_to' | 'withdrawn_at' | 'superseded_at'>, today: string): ConsentState {
  if (c.withdrawn_at) return 'withdrawn';
  if (c.superseded_at) return 'replaced';
  if (today > c.valid_to) return 'expired';
  if (today < c.valid_from) return 'not_yet_valid';
  return 'valid';
}

export interface Crossing {
  instrument: ConsentInstrument;
  categories: readonly string[];
  sourceOrganisationId: string;
  /** The recipient organisation; null when the crossing is to a company (then `recipientCompanyCvr` names it). */
  recipientOrganisationId: string | null;
  /** A company told in a meeting the liaison attended (sdl_43 only), by its CVR number. */
  recipientCompanyCvr?: string | null;
  /** The recipient's role (the liaison reading, the caseworker receiving); null when any role of the recipient. */
  recipientRole: string | null;
}

export type GapReason = 'no_consent' | 'expired' | 'withdrawn' | 'not_yet_valid' | 'other_category' | 'other_source' | 'other_recipient' | 'other_role';
export interface Gap {
  instrument: ConsentInstrument;
  category: string;
  reason: GapReason;
  /** The consent the reason is about, when there is one. */
  consentId: string | null;
}

export interface Coverage {
  covered: boolean;
  /** The valid consents that cover the crossing (one per category, deduplicated). */
  consentIds: string[];
  gaps: Gap[];
}

/** Newest first: the consent a reason is taken from is the latest one that is relevant. */
const newestFirst = (a: ConsentFacts, b: ConsentFacts) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1);

export function coverage(consents: readonly ConsentFacts[], crossing: Crossing, today: string): Coverage {
  const own = consents.filter((c) => c.instrument === crossing.instrument).sort(newestFirst);
  const ids = new Set<string>();
  const gaps: Gap[] = [];
  const matches = {
    category: (c: ConsentFacts, category: string) => c.categories.includes(category),
    source: (c: ConsentFacts) => c.source_organisation_id === crossing.sourceOrganisationId,
    recipient: (c: ConsentFacts) =>
      crossing.recipientCompanyCvr
        ? (c.recipient_company_cvr ?? null) === crossing.recipientCompanyCvr
        : c.recipient_organisation_id !== null && c.recipient_organisation_id === crossing.recipientOrganisationId,
    role: (c: ConsentFacts) => crossing.recipientRole === null || c.recipient_roles.includes(crossing.recipientRole),
  };
  for (const category of crossing.categories) {
    const fits = (c: ConsentFacts) => matches.category(c, category) && matches.source(c) && matches.recipient(c) && matches.role(c);
    const exact = own.filter(fits);
    const valid = exact.find((c) => consentState(c, today) === 'valid');
    if (valid) {
      ids.add(valid.id);
      continue;
    }
    if (own.length === 0) {
      gaps.push({ instrument: crossing.instrument, category, reason: 'no_consent', consentId: null });
      continue;
    }
    // A consent that would fit but no longer (or not yet) holds: its state is the reason.
    const lapsed = exact.find((c) => consentState(c, today) !== 'replaced');
    if (lapsed) {
      gaps.push({ instrument: crossing.instrument, category, reason: consentState(lapsed, today) as GapReason, consentId: lapsed.id });
      continue;
    }
    // Otherwise the nearest consent — valid ones first — and the first thing it does not name.
    const ranked = [...own].sort((a, b) => Number(consentState(b, today) === 'valid') - Number(consentState(a, today) === 'valid'));
    const nearest = ranked[0]!;
    const reason: GapReason = !matches.recipient(nearest)
      ? 'other_recipient'
      : !matches.source(nearest)
        ? 'other_source'
        : !matches.category(nearest, category)
          ? 'other_category'
          : !matches.role(nearest)
            ? 'other_role'
            : (consentState(nearest, today) as GapReason);
    gaps.push({ instrument: crossing.instrument, category, reason, consentId: nearest.id });
  }
  return { covered: gaps.length === 0, consentIds: [...ids], gaps };
}

/**
 * All consents of one person (by the keyed CPR hash) — one indexed query. The check then runs in memory for
 * every crossing the request needs, so a request pays for consent at most once.
 */
export async function consentsOfPerson(db: Q, personHash: string): Promise<ConsentFacts[]> {
  const { rows } = await sql<ConsentFacts>`
    select id, instrument, categories, source_organisation_id, recipient_organisation_id, recipient_company_cvr, recipient_roles, programme_id,
           valid_from::text as valid_from, valid_to::text as valid_to, withdrawn_at, withdrawn_on::text as withdrawn_on, superseded_at, created_at
      from consents where person_hash = ${personHash}`.execute(db);
  return rows;
}
