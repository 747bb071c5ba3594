// The citizen portal's "Mine samtykker": the consents recorded on the citizen's own records (the records open to
// the portal, in both organisations), and the citizen's own withdrawal. The consents module's rules are reused,
// never copied: the state of a consent (coverage.ts), the cursor, the row and its mapping (consents.service.ts),
// the withdrawal with its tasks (recordWithdrawal), so the crossing checks every door asks on every request see
// the withdrawal at once. A consent of anybody else is answered 404, like an unknown id, and audited.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PortalConsent, PortalConsentList, PortalWithdrawalReceipt } from '../../../contracts/portal-consents.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditMany, type AuditEntry } from '../../platform/audit/audit.ts';
import { markAudited } from '../../platform/audit/refusals.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, DomainError, NotFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { isConsentCursor, recordWithdrawal, toConsent, withdrawalRefusal } from '../consents/consents.service.ts';
import * as consentsRepo from '../consents/consents.repository.ts';
import { citizenAuditRows, type PortalSession } from './portal.session.ts';

/** 409: the consent is already withdrawn (or was replaced by a newer one, which is the one to withdraw). */
export class ConsentNotWithdrawable extends DomainError {
  constructor(reason: 'already_withdrawn' | 'replaced') {
    super(
      409,
      reason,
      reason === 'already_withdrawn' ? 'The consent is already withdrawn' : 'The consent was replaced by a newer one; withdraw that one instead',
      [{ path: 'id', message: reason }],
    );
  }
}

/** The consent as the citizen sees it: organisations and units, never the staff member who recorded it. */
export function toPortalConsent(r: consentsRepo.ConsentRow, today: string): PortalConsent {
  const c = toConsent(r, today);
  return {
    id: c.id,
    instrument: c.instrument,
    state: c.state,
    categories: c.categories,
    title: c.form.title,
    text: c.form.text,
    consequence: c.form.consequence,
    source: { name: c.source.name, unit: c.sourceUnit },
    recipient: c.recipient ? { name: c.recipient.name, unit: c.recipientUnit } : null,
    recipientCompany: c.recipientCompany ? { name: c.recipientCompany.name } : null,
    recipientRoles: c.recipientCompany ? [] : c.recipientRoles,
    purpose: c.purpose,
    caseReference: c.caseReference,
    givenOn: c.givenOn,
    validFrom: c.validFrom,
    validTo: c.validTo,
    givenHow: c.givenHow,
    recordedBy: c.recordedBy.organisation.name,
    canWithdraw: c.state === 'valid' || c.state === 'not_yet_valid',
    withdrawal: c.withdrawal ? { withdrawnOn: c.withdrawal.withdrawnOn, at: c.withdrawal.at, how: c.withdrawal.how, receiptId: r.withdrawal_receipt_id } : null,
  };
}

export async function myConsents(db: Kysely<Database>, session: PortalSession, query: { cursor?: string; limit: number }): Promise<PortalConsentList> {
  const after = decodeCursor(query.cursor, isConsentCursor);
  return db.transaction().execute(async (tx) => {
    const today = dateInCopenhagen();
    const rows = await consentsRepo.consentsOnRecords(tx, session.records.map((r) => r.citizenId), after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAuditMany(
      tx,
      citizenAuditRows(session.accountId, session.records, {
        action: 'read',
        resourceType: 'portal_consents',
        outcome: 'success',
        criteria: { count: page.length, cursor: query.cursor ? 'next' : null },
      }),
    );
    return { items: page.map((r) => toPortalConsent(r, today)), nextCursor: rows.length > query.limit && last ? encodeCursor({ us: last.created_us, id: last.id }) : null };
  });
}

/** The session's records in the organisations party to the consent: where the withdrawal is logged. */
function recordsConcerned(session: PortalSession, consent: consentsRepo.ConsentRow) {
  const parties = new Set([consent.organisation_id, consent.source_organisation_id, consent.recipient_organisation_id]);
  const concerned = session.records.filter((r) => parties.has(r.organisationId));
  return concerned.length ? concerned : session.records;
}

class Refused extends Error {
  constructor(
    readonly answer: DomainError,
    readonly rows: AuditEntry[],
  ) {
    super(answer.message);
  }
}

/**
 * The citizen withdraws one of their own consents, today, in the portal: recorded by the consents module's
 * withdrawal (the same tasks for the organisations as a withdrawal staff record), with a receipt. Another
 * person's consent, or an unknown id → 404; already withdrawn or replaced → 409; each refusal audited.
 */
export async function withdrawMyConsent(db: Kysely<Database>, session: PortalSession, consentId: string): Promise<PortalWithdrawalReceipt> {
  const refusal = (answer: DomainError, records: PortalSession['records'], reason: string) =>
    new Refused(
      answer,
      citizenAuditRows(session.accountId, records, { action: 'update', resourceType: 'consent', outcome: 'denied', criteria: { reason, consentId } }).map((row) => ({ ...row, resourceId: consentId })),
    );
  try {
    return await db.transaction().execute(async (tx) => {
      const consent = await consentsRepo.consentRow(tx, consentId);
      const own = consent && session.records.some((r) => r.citizenId === consent.citizen_id);
      if (!consent || !own) throw refusal(new NotFound(), session.records, consent ? 'not own' : 'unknown id');
      const concerned = recordsConcerned(session, consent);
      const why = withdrawalRefusal(consent);
      if (why) throw refusal(new ConsentNotWithdrawable(why), concerned, why);

      const today = dateInCopenhagen();
      const receiptId = randomUUID();
      let done: Awaited<ReturnType<typeof recordWithdrawal>>;
      try {
        done = await recordWithdrawal(tx, consent, { withdrawnOn: today, how: 'portal', note: null, by: null, receiptId }, { organisationId: null, recordId: null });
      } catch (error) {
        // Withdrawn by a request a moment before this one.
        if (error instanceof Conflict) throw refusal(new ConsentNotWithdrawable('already_withdrawn'), concerned, 'already_withdrawn');
        throw error;
      }
      await recordAuditMany(
        tx,
        citizenAuditRows(session.accountId, concerned, {
          action: 'update',
          resourceType: 'consent',
          outcome: 'success',
          criteria: { withdrawn: true, instrument: consent.instrument, how: 'portal', receiptId, tasks: done.tasks.map((t) => t.kind) },
        }).map((row) => ({ ...row, resourceId: consentId })),
      );
      return {
        receiptId,
        consentId,
        instrument: consent.instrument,
        title: { da: consent.title_da, en: consent.title_en },
        categories: consent.categories,
        source: consent.source_name,
        recipient: consent.recipient_name ?? consent.recipient_company_name ?? '',
        withdrawnOn: today,
        withdrawnAt: done.withdrawnAt,
        consequence: { da: consent.consequence_da, en: consent.consequence_en },
      };
    });
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    // Written after the rollback, in its own statement.
    await recordAuditMany(db, error.rows);
    markAudited(error.answer);
    throw error.answer;
  }
}
