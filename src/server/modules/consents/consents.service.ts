// Consents: recorded in one sitting (the usual pair sdl_43 + rsl_11a, or fvl_28 on its own), never edited (a
// change is a new consent replacing the old), withdrawn with effect at once; the tasks a crossing leaves (enter
// an sdl_43 consent or its withdrawal in the patient journal, tell the other controller of a withdrawal); the
// forms, the consents expiring soon. Every function runs in one transaction, asks the chokepoint, and audits.
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import { isValidCvr } from '../../../contracts/cvr.ts';
import {
  COMPANY_CONSENT_CATEGORIES,
  MUNICIPAL_CONSENT_CATEGORIES,
  REGION_CONSENT_CATEGORIES,
  type Consent,
  type ConsentListQuery,
  type CreateConsentsRequest,
  type PageQuery,
  type PrepareConsentsRequest,
  type WithdrawConsentRequest,
} from '../../../contracts/consents.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied, requireAccess, type CitizenRelations } from '../../platform/access/access.ts';
import { CITIZEN_RELATION, POLICY, type Action } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany, type AuditAction, type AuditEntry } from '../../platform/audit/audit.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, Invalid, type FieldIssue } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { consentState } from './coverage.ts';
import * as repo from './consents.repository.ts';

type Tx = Transaction<Database>;
export interface ConsentDeps {
  db: Kysely<Database>;
}

const PURPOSE = 'case_work' as const;
/** Prepared consents awaiting the citizen's confirmation, at most, per record (so their lists stay short). */
export const MAX_AWAITING_PREPARATIONS = 10;
/** Consents ending within this many days show on the overview. */
export const EXPIRING_WITHIN_DAYS = 30;

/** Adds whole months to a date, keeping the day where the month has it (31 January + 1 month = 28/29 February). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function denied(actor: Actor, organisationId: string | null, action: AuditAction, resourceType: string, resourceId: string, citizenId: string | null, reason: string): AccessDenied {
  return new AccessDenied({ actor, organisationId, action, purpose: PURPOSE, resourceType, resourceId, citizenId, outcome: 'denied', criteria: { reason } });
}

/** Loads the caller's record of the person and asks the chokepoint; unknown ids are refused like foreign ones. */
export async function openRecord(tx: Tx, actor: Actor, citizenId: string, permission: Action, auditAction: AuditAction) {
  const today = dateInCopenhagen();
  const facts = await repo.citizenFacts(tx, citizenId, today);
  if (!facts) throw denied(actor, null, auditAction, 'citizen', citizenId, null, 'unknown id');
  const relations: CitizenRelations = { createdBy: facts.created_by, enrolments: facts.enrolments };
  requireAccess(actor, permission, { type: 'citizen', id: citizenId, citizenId, organisationId: facts.organisation_id, citizen: relations }, { action: auditAction, purpose: PURPOSE });
  return { facts, relations, today };
}

// ---------------------------------------------------------------------------------------------------------------
// One sitting

const SIDE = {
  sdl_43: { categories: REGION_CONSENT_CATEGORIES as readonly string[], source: 'region', recipient: null },
  rsl_11a: { categories: REGION_CONSENT_CATEGORIES as readonly string[], source: 'region', recipient: 'municipality' },
  fvl_28: { categories: MUNICIPAL_CONSENT_CATEGORIES as readonly string[], source: 'municipality', recipient: null },
} as const;

function fail(message: string, issues: FieldIssue[]): never {
  throw new Invalid(message, issues);
}

export async function createConsents(deps: ConsentDeps, actor: Actor, citizenId: string, input: CreateConsentsRequest) {
  return sitting(deps, actor, citizenId, input, 'record');
}

/**
 * Staff prepare a consent with the citizen in a conversation, for the citizen to confirm in the portal with MitID
 * (decision record 0036): the sitting's checks run now, and their rows are kept apart from the consents, so a
 * prepared consent grants nothing until it is confirmed (portal-consent-confirmation.ts).
 */
export async function prepareConsents(deps: ConsentDeps, actor: Actor, citizenId: string, input: PrepareConsentsRequest) {
  const today = dateInCopenhagen();
  const result = await sitting(deps, actor, citizenId, { ...input, givenOn: today, givenBy: 'citizen', givenHow: 'portal', copyGiven: true }, 'prepare');
  return { id: result.ids[0]! };
}

type SittingInput = Omit<CreateConsentsRequest, 'givenHow'> & { givenHow: 'written' | 'oral' | 'portal' };

async function sitting(deps: ConsentDeps, actor: Actor, citizenId: string, input: SittingInput, mode: 'record' | 'prepare') {
  return inTransaction(deps.db, async (tx) => {
    const { facts, today } = await openRecord(tx, actor, citizenId, 'consent:write', 'create');
    const org = facts.organisation_id;

    // The sitting's shared facts.
    if (input.validTo == null) fail('A consent without an end date is a blanket consent and cannot be saved', [{ path: 'validTo', message: 'blanket_consent' }]);
    const validTo = input.validTo;
    if (input.givenOn > today) fail('A consent cannot be given in the future', [{ path: 'givenOn', message: 'in_future' }]);
    if (input.validFrom < input.givenOn) fail('A consent cannot hold before it was given', [{ path: 'validFrom', message: 'before_given' }]);
    if (validTo < input.validFrom) fail('The consent ends before it begins', [{ path: 'validTo', message: 'before_valid_from' }]);
    if (input.givenBy !== 'citizen' && !input.givenByName) fail('Name the guardian or the holder of the power of attorney', [{ path: 'givenByName', message: 'required' }]);
    if (input.givenHow === 'oral') {
      const missing: FieldIssue[] = [];
      if (!input.oralReason) missing.push({ path: 'oralReason', message: 'required_for_oral' });
      if (!input.witness) missing.push({ path: 'witness', message: 'required_for_oral' });
      if (missing.length) fail('An oral consent needs the reason it was not given in writing and a witness', missing);
    }
    const instruments = input.items.map((i) => i.instrument);
    if (new Set(instruments).size !== instruments.length) fail('One sitting gives each kind of consent once', [{ path: 'items', message: 'duplicate_instrument' }]);

    const enrolled = new Set(facts.enrolments.map((e) => e.programmeId));
    input.items.forEach((item, i) => {
      const at = `items.${i}.`;
      if (item.categories.length === 0) fail('A consent without a category is a blanket consent and cannot be saved', [{ path: `${at}categories`, message: 'blanket_consent' }]);
      const company = item.recipientCompany ?? null;
      if (!item.recipientOrganisationId && !company) fail('A consent without a recipient is a blanket consent and cannot be saved', [{ path: `${at}recipientOrganisationId`, message: 'blanket_consent' }]);
      if (item.recipientOrganisationId && company) fail('A consent names one recipient: an organisation or a company', [{ path: `${at}recipientCompany`, message: 'two_recipients' }]);
      if (company) {
        // A company hears what the citizen needs at work, under sundhedsloven §43 only, from the region recording it.
        if (item.instrument !== 'sdl_43') fail('Only a consent under sundhedsloven §43 may name a company', [{ path: `${at}recipientCompany`, message: 'company_only_sdl_43' }]);
        if (!isValidCvr(company.cvr)) fail(`${company.cvr} is not a valid CVR number`, [{ path: `${at}recipientCompany.cvr`, message: 'invalid_cvr' }]);
        const forbidden = item.categories.filter((c) => !(COMPANY_CONSENT_CATEGORIES as readonly string[]).includes(c));
        if (forbidden.length) {
          fail(`A company may only hear what the citizen needs at work (${COMPANY_CONSENT_CATEGORIES.join(', ')}), never: ${forbidden.join(', ')}`, [{ path: `${at}categories`, message: `not_for_company:${forbidden.join(',')}` }]);
        }
        if (item.sourceOrganisationId !== org) fail('The region records the consent to tell a company', [{ path: `${at}sourceOrganisationId`, message: 'not_a_party' }]);
      } else if (!item.recipientRoles?.length) {
        fail('Name the recipient’s roles', [{ path: `${at}recipientRoles`, message: 'required' }]);
      }
      const side = SIDE[item.instrument];
      const wrong = item.categories.filter((c) => !side.categories.includes(c));
      if (wrong.length) fail(`These categories cannot be given under ${item.instrument}: ${wrong.join(', ')}`, [{ path: `${at}categories`, message: 'wrong_side' }]);
      if (new Set(item.categories).size !== item.categories.length) fail('A category is named twice', [{ path: `${at}categories`, message: 'duplicate' }]);
      if (item.sourceOrganisationId === item.recipientOrganisationId) fail('The source and the recipient are the same organisation', [{ path: `${at}recipientOrganisationId`, message: 'same_as_source' }]);
      if (item.sourceOrganisationId !== org && item.recipientOrganisationId !== org) {
        fail('Your organisation records consents it gives or receives under', [{ path: `${at}sourceOrganisationId`, message: 'not_a_party' }]);
      }
      if (item.instrument === 'rsl_11a' && !item.caseReference) fail('A consent to obtain information names the case it is for', [{ path: `${at}caseReference`, message: 'required_for_rsl_11a' }]);
      if (!enrolled.has(item.programmeId)) fail('The citizen is not in that programme', [{ path: `${at}programmeId`, message: 'not_enrolled' }]);
    });

    const orgIds = [...new Set(input.items.flatMap((i) => [i.sourceOrganisationId, ...(i.recipientOrganisationId ? [i.recipientOrganisationId] : [])]))];
    const sitting = await repo.sittingFacts(tx, [...new Set(input.items.map((i) => i.programmeId))], orgIds);
    const orgs = new Map(sitting.organisations.map((o) => [o.id, o]));
    const forms = new Map(sitting.forms.map((f) => [f.instrument, f]));
    input.items.forEach((item, i) => {
      const at = `items.${i}.`;
      const programme = sitting.programmes.find((p) => p.id === item.programmeId)!;
      const inProgramme = (id: string) => programme.organisation_id === id || programme.partners.includes(id);
      const side = SIDE[item.instrument];
      const source = orgs.get(item.sourceOrganisationId);
      const recipient = item.recipientOrganisationId ? orgs.get(item.recipientOrganisationId) : null;
      if (!source || !inProgramme(source.id)) fail('The source is not an organisation of the programme', [{ path: `${at}sourceOrganisationId`, message: 'not_in_programme' }]);
      if (item.recipientOrganisationId && (!recipient || !inProgramme(recipient.id))) fail('The recipient is not an organisation of the programme', [{ path: `${at}recipientOrganisationId`, message: 'not_in_programme' }]);
      if (source.kind !== side.source) fail(`Under ${item.instrument} the information comes from the ${side.source}`, [{ path: `${at}sourceOrganisationId`, message: `source_must_be_${side.source}` }]);
      if (side.recipient && recipient && recipient.kind !== side.recipient) fail(`Under ${item.instrument} the ${side.recipient} obtains the information`, [{ path: `${at}recipientOrganisationId`, message: `recipient_must_be_${side.recipient}` }]);
      const cap = addMonths(input.validFrom, programme.consent_max_months);
      if (validTo > cap) fail(`The programme lets a consent run ${programme.consent_max_months} months at most (until ${cap})`, [{ path: 'validTo', message: 'over_programme_maximum' }]);
      if (item.instrument === 'sdl_43') {
        const lapse = addMonths(input.givenOn, 12);
        if (validTo > lapse) fail(`A consent under sundhedsloven §43 lapses one year after it was given (${lapse})`, [{ path: 'validTo', message: 'over_one_year' }]);
      }
      if (!forms.has(item.instrument)) throw new Error(`no consent form for ${item.instrument}`);
    });

    // Replacements: the person's own consent of the same kind, one the organisation is party to, still standing.
    const replaceIds = input.items.flatMap((i) => (i.replacesId ? [i.replacesId] : []));
    const replaced = await repo.consentsToReplace(tx, replaceIds);
    input.items.forEach((item, i) => {
      if (!item.replacesId) return;
      const old = replaced.find((r) => r.id === item.replacesId);
      const party = old && (old.organisation_id === org || old.source_organisation_id === org || old.recipient_organisation_id === org);
      if (!old || !party || old.person_hash !== facts.cpr_hash || old.instrument !== item.instrument) {
        fail('The consent to replace is not one of this person’s consents of the same kind', [{ path: `items.${i}.replacesId`, message: 'unknown' }]);
      }
      if (old.withdrawn_at || old.superseded_at) throw new Conflict('That consent was already withdrawn or replaced', [{ path: `items.${i}.replacesId`, message: old.withdrawn_at ? 'withdrawn' : 'replaced' }]);
    });

    const values = input.items.map((item) => ({
        organisation_id: org,
        citizen_id: citizenId,
        person_hash: facts.cpr_hash,
        instrument: item.instrument,
        categories: item.categories,
        source_organisation_id: item.sourceOrganisationId,
        source_unit: item.sourceUnit ?? null,
        recipient_organisation_id: item.recipientOrganisationId ?? null,
        recipient_company_cvr: item.recipientCompany?.cvr ?? null,
        recipient_company_name: item.recipientCompany?.name ?? null,
        recipient_unit: item.recipientUnit ?? null,
        // A company's people hold no platform role: the consent names the company as a whole.
        recipient_roles: item.recipientCompany ? ['company'] : [...new Set(item.recipientRoles)],
        programme_id: item.programmeId,
        purpose: item.purpose,
        case_reference: item.caseReference ?? null,
        given_on: input.givenOn,
        valid_from: input.validFrom,
        valid_to: validTo,
        given_by: input.givenBy,
        given_by_name: input.givenBy === 'citizen' ? (input.givenByName ?? null) : input.givenByName!,
        capacity_note: input.capacityNote ?? null,
        given_how: input.givenHow,
        oral_reason: input.givenHow === 'oral' ? input.oralReason! : null,
        witness: input.givenHow === 'oral' ? input.witness! : null,
        form_id: forms.get(item.instrument)!.id,
        copy_given: input.copyGiven,
        replaces_id: item.replacesId ?? null,
        created_by: actor.userId,
      }));
    if (mode === 'prepare') {
      const awaiting = await tx
        .selectFrom('consent_preparations')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('citizen_id', '=', citizenId)
        .where('confirmed_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(awaiting.n) >= MAX_AWAITING_PREPARATIONS) {
        throw new Conflict(`At most ${MAX_AWAITING_PREPARATIONS} prepared consents can await the citizen; cancel one first`, [{ path: 'items', message: 'too_many_awaiting' }]);
      }
      const prepared = await tx
        .insertInto('consent_preparations')
        .values({ organisation_id: org, citizen_id: citizenId, rows: JSON.stringify(values), prepared_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(tx, {
        actor,
        organisationId: org,
        action: 'create',
        purpose: PURPOSE,
        resourceType: 'consent_preparation',
        resourceId: prepared.id,
        citizenId,
        outcome: 'success',
        criteria: { instruments: values.map((v) => v.instrument) },
      });
      return { ids: [prepared.id], tasks: [] };
    }
    const inserted = await repo.insertConsents(tx, values);
    const tasks = await finishSitting(tx, inserted, org, citizenId, facts.cpr_hash);

    await recordAuditMany(
      tx,
      inserted.map((r) => ({
        actor,
        organisationId: org,
        action: 'create' as const,
        purpose: PURPOSE,
        resourceType: 'consent',
        resourceId: r.id,
        citizenId,
        outcome: 'success' as const,
        criteria: { instrument: r.instrument, replaces: r.replaces_id, givenHow: input.givenHow },
      })),
    );
    return { ids: inserted.map((r) => r.id), tasks: tasks.map((t) => ({ id: t.id, kind: t.kind, organisationId: t.organisation_id })) };
  });
}

/** After consents are inserted: mark the ones they replace, and leave the region its journal task for an sdl_43 consent. */
export async function finishSitting(
  tx: Tx,
  inserted: { id: string; instrument: string; replaces_id: string | null; source_organisation_id: string }[],
  org: string,
  citizenId: string,
  personHash: string,
) {
  const pairs = inserted.flatMap((r) => (r.replaces_id ? [{ oldId: r.replaces_id, newId: r.id }] : []));
  if ((await repo.supersede(tx, pairs)) !== pairs.length) throw new Conflict('That consent was changed meanwhile; reload and try again', [{ path: 'items', message: 'stale' }]);

  // Bindeled is not the journal: an sdl_43 consent leaves the region a task to enter it there.
  const journal = inserted.filter((r) => r.instrument === 'sdl_43');
  const elsewhere = [...new Set(journal.map((r) => r.source_organisation_id))].filter((id) => id !== org);
  const records = elsewhere.length ? await repo.recordsOfPerson(tx, personHash, elsewhere) : [];
  const recordIn = (organisationId: string) => (organisationId === org ? citizenId : (records.find((r) => r.organisation_id === organisationId)?.id ?? null));
  return repo.insertTasks(tx, journal.map((r) => ({ organisation_id: r.source_organisation_id, citizen_id: recordIn(r.source_organisation_id), kind: 'journal_consent' as const, consent_id: r.id })));
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

export function isConsentCursor(v: unknown): v is repo.ConsentCursor {
  const c = v as repo.ConsentCursor;
  return typeof c === 'object' && c !== null && isUuid(c.id) && typeof c.us === 'string' && /^-?[0-9]{1,16}$/.test(c.us) && Math.abs(Number(c.us)) < 4_200_000_000_000_000;
}

export function toConsent(r: repo.ConsentRow, today: string): Consent {
  return {
    id: r.id,
    instrument: r.instrument,
    state: consentState(r, today),
    categories: r.categories,
    source: { id: r.source_organisation_id, name: r.source_name },
    sourceUnit: r.source_unit,
    recipient: r.recipient_organisation_id ? { id: r.recipient_organisation_id, name: r.recipient_name ?? '' } : null,
    recipientCompany: r.recipient_company_cvr ? { cvr: r.recipient_company_cvr, name: r.recipient_company_name ?? '' } : null,
    recipientUnit: r.recipient_unit,
    recipientRoles: r.recipient_roles,
    programme: { id: r.programme_id, name: r.programme_name },
    purpose: r.purpose,
    caseReference: r.case_reference,
    givenOn: r.given_on,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    givenBy: r.given_by,
    givenByName: r.given_by_name,
    capacityNote: r.capacity_note,
    givenHow: r.given_how,
    oralReason: r.oral_reason,
    witness: r.witness,
    copyGiven: r.copy_given,
    form: {
      id: r.form_id,
      instrument: r.form_instrument,
      version: r.form_version,
      title: { da: r.title_da, en: r.title_en },
      text: { da: r.text_da, en: r.text_en },
      consequence: { da: r.consequence_da, en: r.consequence_en },
    },
    recordedBy: { organisation: { id: r.organisation_id, name: r.organisation_name }, user: { id: r.created_by, name: r.created_by_name } },
    citizenId: r.citizen_id,
    createdAt: new Date(r.created_at).toISOString(),
    replacesId: r.replaces_id,
    supersededAt: r.superseded_at ? new Date(r.superseded_at).toISOString() : null,
    supersededBy: r.superseded_by,
    withdrawal:
      r.withdrawn_at && r.withdrawn_on
        ? {
            withdrawnOn: r.withdrawn_on,
            at: new Date(r.withdrawn_at).toISOString(),
            how: r.withdrawn_how ?? 'written',
            note: r.withdrawal_note,
            recordedBy: r.withdrawn_by_id ? { id: r.withdrawn_by_id, name: r.withdrawn_by_name ?? '' } : null,
          }
        : null,
  };
}

export async function listConsents(deps: ConsentDeps, actor: Actor, citizenId: string, query: z.infer<typeof ConsentListQuery>) {
  return inTransaction(deps.db, async (tx) => {
    const { facts, today } = await openRecord(tx, actor, citizenId, 'consent:read', 'read');
    const after = decodeCursor(query.cursor, isConsentCursor);
    const rows = await repo.consentsSeenBy(tx, facts.cpr_hash, facts.organisation_id, after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId: facts.organisation_id, action: 'read', purpose: PURPOSE, resourceType: 'consent', citizenId, outcome: 'success', criteria: { count: page.length, cursor: query.cursor ? 'next' : null } });
    return { items: page.map((r) => toConsent(r, today)), nextCursor: rows.length > query.limit && last ? encodeCursor({ us: last.created_us, id: last.id }) : null };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Withdrawal

/** Why a consent cannot be withdrawn (any more), whoever asks; null when it can. */
export function withdrawalRefusal(consent: Pick<repo.WithdrawableConsent, 'withdrawn_at' | 'superseded_at'>): 'already_withdrawn' | 'replaced' | null {
  if (consent.withdrawn_at) return 'already_withdrawn';
  if (consent.superseded_at) return 'replaced';
  return null;
}

/**
 * Records a withdrawal and the tasks it leaves — the one place a consent is withdrawn, by staff or by the citizen
 * in the portal. The consent is marked withdrawn in the row every crossing check reads on every request (nothing
 * caches consent state), so every door closes on the next request. The region gets a journal task for an sdl_43
 * consent; every other organisation party to the consent gets a notice: all of them when the citizen withdrew it
 * (`acting.organisationId` null), the others when an organisation's staff recorded it.
 */
export async function recordWithdrawal(
  tx: Tx,
  consent: repo.WithdrawableConsent,
  withdrawal: { withdrawnOn: string; how: 'written' | 'oral' | 'portal'; note: string | null; by: string | null; receiptId?: string | null },
  acting: { organisationId: string | null; recordId: string | null },
) {
  const done = await repo.withdraw(tx, consent.id, withdrawal);
  if (!done) throw new Conflict('The consent is already withdrawn', [{ path: 'id', message: 'already_withdrawn' }]);
  // A company named as recipient is no organisation of the platform: it is told nothing here (the liaison does).
  const parties = [consent.organisation_id, consent.source_organisation_id, consent.recipient_organisation_id].filter((id): id is string => id !== null);
  const others = [...new Set(parties)].filter((id) => id !== acting.organisationId);
  const known = new Map<string, string>([[consent.organisation_id, consent.citizen_id]]);
  if (acting.organisationId && acting.recordId) known.set(acting.organisationId, acting.recordId);
  const needRecords = [...new Set([...others, ...(consent.instrument === 'sdl_43' ? [consent.source_organisation_id] : [])])].filter((id) => !known.has(id));
  const records = needRecords.length ? await repo.recordsOfPerson(tx, consent.person_hash, needRecords) : [];
  const recordIn = (organisationId: string) => known.get(organisationId) ?? records.find((r) => r.organisation_id === organisationId)?.id ?? null;
  const tasks = await repo.insertTasks(tx, [
    ...(consent.instrument === 'sdl_43' ? [{ organisation_id: consent.source_organisation_id, citizen_id: recordIn(consent.source_organisation_id), kind: 'journal_withdrawal' as const, consent_id: consent.id }] : []),
    ...others.map((id) => ({ organisation_id: id, citizen_id: recordIn(id), kind: 'consent_withdrawn_notice' as const, consent_id: consent.id })),
  ]);
  return { withdrawnAt: new Date(done.withdrawn_at!).toISOString(), tasks: tasks.map((t) => ({ id: t.id, kind: t.kind, organisationId: t.organisation_id })) };
}

export async function withdrawConsent(deps: ConsentDeps, actor: Actor, consentId: string, input: z.infer<typeof WithdrawConsentRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const consent = await repo.consentForWithdrawal(tx, consentId);
    if (!consent) throw denied(actor, null, 'update', 'consent', consentId, null, 'unknown id');
    const parties = [consent.organisation_id, consent.source_organisation_id, consent.recipient_organisation_id].filter((id): id is string => id !== null);
    if (!parties.includes(actor.organisationId)) throw denied(actor, consent.organisation_id, 'update', 'consent', consentId, null, 'other organisation');
    // The caller acts on their own organisation's record of the person.
    const own =
      consent.organisation_id === actor.organisationId ? consent.citizen_id : (await repo.recordsOfPerson(tx, consent.person_hash, [actor.organisationId]))[0]?.id;
    if (!own) throw denied(actor, actor.organisationId, 'update', 'consent', consentId, null, 'no record of the person');
    const { today } = await openRecord(tx, actor, own, 'consent:write', 'update');
    const refusal = withdrawalRefusal(consent);
    if (refusal === 'already_withdrawn') throw new Conflict('The consent is already withdrawn', [{ path: 'id', message: 'already_withdrawn' }]);
    if (refusal === 'replaced') throw new Conflict('The consent was replaced; withdraw the consent that replaced it', [{ path: 'id', message: 'replaced' }]);
    if (input.withdrawnOn > today) throw new Invalid('A withdrawal cannot be dated in the future', [{ path: 'withdrawnOn', message: 'in_future' }]);
    if (input.withdrawnOn < consent.given_on_text) throw new Invalid('The consent was given after that day', [{ path: 'withdrawnOn', message: 'before_given' }]);
    const done = await recordWithdrawal(tx, consent, { withdrawnOn: input.withdrawnOn, how: input.how, note: input.note ?? null, by: actor.userId }, { organisationId: actor.organisationId, recordId: own });
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'update', purpose: PURPOSE, resourceType: 'consent', resourceId: consentId, citizenId: own, outcome: 'success', criteria: { withdrawn: true, instrument: consent.instrument, how: input.how } });
    return { id: consentId, withdrawnOn: input.withdrawnOn, withdrawnAt: done.withdrawnAt, tasks: done.tasks };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Forms, the overview lists and the tasks

function requireOverview(actor: Actor, resourceType: string, auditAction: AuditAction = 'read') {
  requireAccess(actor, 'consent:overview', { type: resourceType, organisationId: actor.organisationId }, { action: auditAction, purpose: PURPOSE });
}

export async function consentForms(deps: ConsentDeps, actor: Actor) {
  return inTransaction(deps.db, async (tx) => {
    requireOverview(actor, 'consent_form');
    const { rows } = await repo.currentForms(tx);
    return {
      items: rows.map((f) => ({ id: f.id, instrument: f.instrument, version: f.version, title: { da: f.title_da, en: f.title_en }, text: { da: f.text_da, en: f.text_en }, consequence: { da: f.consequence_da, en: f.consequence_en } })),
    };
  });
}

/** The people the caller reaches in their own organisation, by programme (cf. CITIZEN_RELATION). */
function reachOf(actor: Actor, today: string): repo.Reach {
  const roles: readonly string[] = POLICY['consent:read'].roles;
  const wide = new Set<string>();
  const team = new Set<string>();
  for (const g of actor.roles) {
    if (!g.programmeId || !roles.includes(g.role)) continue;
    const relation = CITIZEN_RELATION[g.role];
    if (relation === 'programme') wide.add(g.programmeId);
    else if (relation) team.add(g.programmeId);
  }
  return { organisationId: actor.organisationId, userId: actor.userId, wideProgrammeIds: [...wide], teamProgrammeIds: [...team], today };
}

function isExpiringCursor(v: unknown): v is repo.ExpiringCursor {
  const c = v as repo.ExpiringCursor;
  return typeof c === 'object' && c !== null && isUuid(c.id) && typeof c.d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(c.d) && c.d >= '1900-01-01' && c.d <= '2100-12-31';
}

export async function expiringConsents(deps: ConsentDeps, actor: Actor, query: z.infer<typeof PageQuery>) {
  return inTransaction(deps.db, async (tx) => {
    requireOverview(actor, 'consent');
    const today = dateInCopenhagen();
    const after = decodeCursor(query.cursor, isExpiringCursor);
    const rows = await repo.expiring(tx, reachOf(actor, today), addDays(today, EXPIRING_WITHIN_DAYS), after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'read', purpose: PURPOSE, resourceType: 'consent', outcome: 'success', criteria: { list: 'expiring', found: page.map((r) => r.citizen_id), cursor: query.cursor ? 'next' : null } });
    return {
      items: page.map((r) => ({
        id: r.id,
        instrument: r.instrument,
        validTo: r.valid_to,
        daysLeft: Math.round((Date.parse(r.valid_to) - Date.parse(today)) / 86_400_000),
        categories: r.categories,
        source: { id: r.source_organisation_id, name: r.source_name },
        recipient: r.recipient_organisation_id ? { id: r.recipient_organisation_id, name: r.recipient_name ?? '' } : null,
        recipientCompany: r.recipient_company_cvr ? { cvr: r.recipient_company_cvr, name: r.recipient_company_name ?? '' } : null,
        citizen: { id: r.citizen_id, name: `${r.first_name} ${r.last_name}` },
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ d: last.valid_to, id: last.id }) : null,
    };
  });
}

function isTaskCursor(v: unknown): v is repo.TaskCursor {
  return isConsentCursor(v);
}

export async function crossingTasks(deps: ConsentDeps, actor: Actor, query: z.infer<typeof PageQuery>) {
  return inTransaction(deps.db, async (tx) => {
    requireOverview(actor, 'crossing_task');
    const today = dateInCopenhagen();
    const after = decodeCursor(query.cursor, isTaskCursor);
    const rows = await repo.openTasks(tx, reachOf(actor, today), after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'read', purpose: PURPOSE, resourceType: 'crossing_task', outcome: 'success', criteria: { found: page.flatMap((r) => (r.citizen_id ? [r.citizen_id] : [])), cursor: query.cursor ? 'next' : null } });
    return {
      items: page.map((r) => ({
        id: r.id,
        kind: r.kind,
        createdAt: r.created_at,
        citizen: r.citizen_id ? { id: r.citizen_id, name: `${r.first_name ?? ''} ${r.last_name ?? ''}`.trim() } : null,
        consent: r.consent_id && r.instrument ? { id: r.consent_id, instrument: r.instrument, withdrawnOn: r.withdrawn_on, recordedBy: { id: r.recorded_by_id!, name: r.recorded_by_name ?? '' } } : null,
        disclosureId: r.disclosure_id,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ us: last.created_us, id: last.id }) : null,
    };
  });
}

export async function completeTask(deps: ConsentDeps, actor: Actor, taskId: string) {
  return inTransaction(deps.db, async (tx) => {
    const task = await repo.taskById(tx, taskId);
    if (!task) throw denied(actor, null, 'update', 'crossing_task', taskId, null, 'unknown id');
    if (task.organisation_id !== actor.organisationId) throw denied(actor, task.organisation_id, 'update', 'crossing_task', taskId, task.citizen_id, 'other organisation');
    if (task.citizen_id) await openRecord(tx, actor, task.citizen_id, 'consent:write', 'update');
    else requireOverview(actor, 'crossing_task', 'update');
    if (task.status !== 'open' || !(await repo.markTaskDone(tx, taskId, actor.userId))) throw new Conflict('The task is already done', [{ path: 'id', message: 'already_done' }]);
    const entry: AuditEntry = { actor, organisationId: actor.organisationId, action: 'update', purpose: PURPOSE, resourceType: 'crossing_task', resourceId: taskId, citizenId: task.citizen_id, outcome: 'success', criteria: { kind: task.kind, done: true } };
    await recordAudit(tx, entry);
    return { id: taskId, status: 'done' as const };
  });
}
