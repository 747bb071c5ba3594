// The withdrawal request (decision record 0036): after a one-time-code login (level "low", which proves control of
// a contact, not identity) the citizen may say "I want to withdraw my consent(s)", with words of their own but
// without naming a consent (the code login must not reveal which consents exist). It is recorded once per record
// the portal opened, so each controller sees its own; staff on the record confirm it — the real withdrawal,
// through the consents module's `recordWithdrawal`, the same as every other — or close it after contacting the
// citizen. Until then nothing is withdrawn.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { HandleWithdrawalRequest, WithdrawalRequestList } from '../../../contracts/portal-confirmations.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany } from '../../platform/audit/audit.ts';
import { markAudited } from '../../platform/audit/refusals.ts';
import { Conflict, DomainError, Invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { citizenAuditRows, type PortalSession } from '../portal/portal.session.ts';
import { openRecord, recordWithdrawal } from './consents.service.ts';
import * as repo from './consents.repository.ts';

const PURPOSE = 'case_work' as const;
/** Open requests per record, at most: a request is a message to staff, not a queue to fill. */
export const MAX_OPEN_REQUESTS = 5;

export class TooManyRequests extends DomainError {
  constructor() {
    super(429, 'too_many_requests', 'You have sent several requests that staff have not yet handled; they will contact you');
  }
}

/** The citizen's request, one row per record with a timeline event each, in one statement; audited per record. */
export async function sendWithdrawalRequest(db: Kysely<Database>, session: PortalSession, message: string | null): Promise<{ sentAt: string }> {
  const ids = session.records.map((r) => r.citizenId);
  const orgs = session.records.map((r) => r.organisationId);
  const result = await db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ citizen_id: string; created_at: Date }>`
      with open_requests as (
        select count(*)::int as n from consent_withdrawal_requests where account_id = ${session.accountId} and handled_at is null
      ), request as (
        insert into consent_withdrawal_requests (organisation_id, citizen_id, account_id, message)
        select r.organisation_id, r.citizen_id, ${session.accountId}::uuid, ${message}::text
          from unnest(${orgs}::uuid[], ${ids}::uuid[]) as r(organisation_id, citizen_id), open_requests o
         where o.n < ${MAX_OPEN_REQUESTS * Math.max(ids.length, 1)}::int
        returning id, organisation_id, citizen_id, created_at
      ), event as (
        insert into citizen_events (organisation_id, citizen_id, kind, ref_id, actor_id, data)
        select organisation_id, citizen_id, 'portal.withdrawal_request', id, null, json_build_object('withText', ${message !== null}::boolean)::jsonb from request
      )
      select citizen_id, created_at from request`.execute(tx);
    if (rows.length === 0) return null;
    await recordAuditMany(
      tx,
      citizenAuditRows(session.accountId, session.records, { action: 'create', resourceType: 'withdrawal_request', outcome: 'success', criteria: { withText: message !== null, length: message?.length ?? 0 } }),
    );
    return { sentAt: new Date(rows[0]!.created_at).toISOString() };
  });
  if (!result) {
    const error = new TooManyRequests();
    await recordAuditMany(db, citizenAuditRows(session.accountId, session.records, { action: 'create', resourceType: 'withdrawal_request', outcome: 'denied', criteria: { reason: 'too_many_requests' } }));
    markAudited(error);
    throw error;
  }
  return result;
}

/** The withdrawal requests on the record, open ones first, then the last handled; at most 20. */
export async function listWithdrawalRequests(db: Kysely<Database>, actor: Actor, citizenId: string): Promise<WithdrawalRequestList> {
  return inTransaction(db, async (tx) => {
    const { facts } = await openRecord(tx, actor, citizenId, 'consent:read', 'read');
    const rows = await tx
      .selectFrom('consent_withdrawal_requests as w')
      .leftJoin('users as u', 'u.id', 'w.handled_by')
      .select(['w.id', 'w.message', 'w.created_at', 'w.handled_at', 'w.handled_by', 'w.outcome', 'w.withdrawn_consent_ids', 'u.name as handled_by_name'])
      .where('w.citizen_id', '=', citizenId)
      .orderBy(sql`w.handled_at is null`, 'desc')
      .orderBy('w.created_at', 'desc')
      .orderBy('w.id', 'desc')
      .limit(20)
      .execute();
    await recordAudit(tx, { actor, organisationId: facts.organisation_id, action: 'read', purpose: PURPOSE, resourceType: 'withdrawal_request', citizenId, outcome: 'success', criteria: { count: rows.length } });
    return {
      items: rows.map((r) => ({
        id: r.id,
        message: r.message,
        sentAt: new Date(r.created_at).toISOString(),
        state: r.outcome ?? 'open',
        handledAt: r.handled_at ? new Date(r.handled_at).toISOString() : null,
        handledBy: r.handled_by && r.handled_by_name ? { id: r.handled_by, name: r.handled_by_name } : null,
        withdrawnConsentIds: r.withdrawn_consent_ids,
      })),
    };
  });
}

/**
 * Staff handle a request on their record: withdraw (the named consents, or every standing consent the organisation
 * is party to) through `recordWithdrawal`, dated today and marked as the citizen's request through the portal; or
 * close it as contacted. A request already handled → 409; nothing standing to withdraw → 409 nothing_to_withdraw.
 */
export async function handleWithdrawalRequest(db: Kysely<Database>, actor: Actor, id: string, input: z.infer<typeof HandleWithdrawalRequest>) {
  return inTransaction(db, async (tx) => {
    const request = await tx.selectFrom('consent_withdrawal_requests').select(['id', 'citizen_id', 'handled_at']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!request) {
      throw new AccessDenied({ actor, organisationId: null, action: 'update', purpose: PURPOSE, resourceType: 'withdrawal_request', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    const { facts, today } = await openRecord(tx, actor, request.citizen_id, 'consent:write', 'update');
    if (request.handled_at) throw new Conflict('The request was already handled', [{ path: 'id', message: 'already_handled' }]);
    if (input.outcome === 'contacted' && input.consentIds?.length) throw new Invalid('Name consents only to withdraw them', [{ path: 'consentIds', message: 'only_with_withdraw' }]);
    const org = facts.organisation_id;
    let withdrawn: string[] = [];
    if (input.outcome === 'withdraw') {
      const named = input.consentIds?.length ? [...new Set(input.consentIds)] : null;
      const consents = await repo.standingConsentsOfPerson(tx, facts.cpr_hash, org, named);
      if (named && consents.length !== named.length) throw new Invalid('A consent named is not a standing consent of this person that your organisation is party to', [{ path: 'consentIds', message: 'unknown' }]);
      if (consents.length === 0) throw new Conflict('The person has no standing consent your organisation is party to', [{ path: 'outcome', message: 'nothing_to_withdraw' }]);
      for (const consent of consents) {
        await recordWithdrawal(tx, consent, { withdrawnOn: today, how: 'portal', note: input.note ?? 'Borgerens anmodning fra Min plan', by: actor.userId }, { organisationId: org, recordId: request.citizen_id });
      }
      withdrawn = consents.map((c) => c.id);
    }
    const outcome = input.outcome === 'withdraw' ? ('withdrawn' as const) : ('contacted' as const);
    await tx.updateTable('consent_withdrawal_requests').set({ handled_at: new Date(), handled_by: actor.userId, outcome, withdrawn_consent_ids: withdrawn }).where('id', '=', id).execute();
    await recordAuditMany(tx, [
      { actor, organisationId: org, action: 'update', purpose: PURPOSE, resourceType: 'withdrawal_request', resourceId: id, citizenId: request.citizen_id, outcome: 'success', criteria: { outcome, consents: withdrawn.length } },
      ...withdrawn.map((consentId) => ({ actor, organisationId: org, action: 'update' as const, purpose: PURPOSE, resourceType: 'consent', resourceId: consentId, citizenId: request.citizen_id, outcome: 'success' as const, criteria: { withdrawn: true, how: 'portal', request: id } })),
    ]);
    return { id, state: outcome, withdrawnConsentIds: withdrawn };
  });
}
