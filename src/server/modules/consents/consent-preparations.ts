// Consents staff prepare with the citizen in a conversation, and the citizen's confirmation in the portal with
// MitID (decision record 0036). A preparation holds the rows the sitting's checks produced; it is no consent, so
// no crossing check ever sees it and it grants nothing. The citizen's confirmation (level "substantial", a MitID
// login) inserts the consents as they were prepared, dated the day of the confirmation, with the MitID
// transaction's identifiers from the portal session; the replaced consents and the region's journal task follow
// as in any sitting.
import type { Insertable, Kysely } from 'kysely';
import type { ConsentPreparationList } from '../../../contracts/consents.ts';
import type { Database } from '../../db/schema.ts';
import { AccessDenied } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany } from '../../platform/audit/audit.ts';
import { markAudited } from '../../platform/audit/refusals.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, DomainError, NotFound } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { citizenAuditRows, type PortalSession } from '../portal/portal.session.ts';
import { finishSitting, openRecord } from './consents.service.ts';
import * as repo from './consents.repository.ts';

type ConsentInsert = Insertable<Database['consents']>;
const PURPOSE = 'case_work' as const;

/** The prepared consents awaiting the citizen (at most MAX_AWAITING_PREPARATIONS per record), newest first. */
export async function listPreparations(db: Kysely<Database>, actor: Actor, citizenId: string): Promise<ConsentPreparationList> {
  return inTransaction(db, async (tx) => {
    const { facts } = await openRecord(tx, actor, citizenId, 'consent:read', 'read');
    const rows = await tx
      .selectFrom('consent_preparations as p')
      .innerJoin('users as u', 'u.id', 'p.prepared_by')
      .select(['p.id', 'p.rows', 'p.created_at', 'p.prepared_by', 'u.name as prepared_by_name'])
      .where('p.citizen_id', '=', citizenId)
      .where('p.confirmed_at', 'is', null)
      .where('p.cancelled_at', 'is', null)
      .orderBy('p.created_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(50)
      .execute();
    await recordAudit(tx, { actor, organisationId: facts.organisation_id, action: 'read', purpose: PURPOSE, resourceType: 'consent_preparation', citizenId, outcome: 'success', criteria: { count: rows.length } });
    return {
      items: rows.map((r) => ({
        id: r.id,
        state: 'awaiting' as const,
        instruments: (r.rows as ConsentInsert[]).map((x) => x.instrument),
        preparedAt: new Date(r.created_at).toISOString(),
        preparedBy: { id: r.prepared_by, name: r.prepared_by_name },
        confirmedAt: null,
        consentIds: [],
      })),
    };
  });
}

/** Staff cancel a preparation still awaiting the citizen (e.g. the citizen changed their mind in the conversation). */
export async function cancelPreparation(db: Kysely<Database>, actor: Actor, id: string) {
  return inTransaction(db, async (tx) => {
    const prep = await tx.selectFrom('consent_preparations').select(['id', 'citizen_id', 'confirmed_at', 'cancelled_at']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!prep) {
      throw new AccessDenied({ actor, organisationId: null, action: 'update', purpose: PURPOSE, resourceType: 'consent_preparation', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
    }
    const { facts } = await openRecord(tx, actor, prep.citizen_id, 'consent:write', 'update');
    if (prep.confirmed_at || prep.cancelled_at) throw new Conflict('The prepared consent was already confirmed or cancelled', [{ path: 'id', message: prep.confirmed_at ? 'confirmed' : 'cancelled' }]);
    await tx.updateTable('consent_preparations').set({ cancelled_at: new Date() }).where('id', '=', id).execute();
    await recordAudit(tx, { actor, organisationId: facts.organisation_id, action: 'update', purpose: PURPOSE, resourceType: 'consent_preparation', resourceId: id, citizenId: prep.citizen_id, outcome: 'success', criteria: { cancelled: true } });
    return { id, state: 'cancelled' as const };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The citizen's side (portal)

export interface PortalPreparationItem {
  instrument: string;
  categories: string[];
  source: string;
  recipient: string;
  recipientRoles: string[];
  purpose: string;
  validFrom: string;
  validTo: string;
  title: { da: string; en: string };
  text: { da: string; en: string };
  consequence: { da: string; en: string };
}

/** The prepared consents awaiting my confirmation, on my records; what each would cover, from whom to whom, until when. */
export async function myPreparations(db: Kysely<Database>, session: PortalSession) {
  const ids = session.records.map((r) => r.citizenId);
  return db.transaction().execute(async (tx) => {
    const rows = await repo.preparationsOnRecords(tx, ids);
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'consent_preparation', outcome: 'success', criteria: { count: rows.length } }));
    return {
      items: rows.map((r) => ({ id: r.id, organisation: r.organisation_name, preparedAt: new Date(r.created_at).toISOString(), items: r.items })),
    };
  });
}

/** 403: confirming a consent needs the MitID login's transaction (a session without one cannot confirm). */
export class MitIdRequired extends DomainError {
  constructor() {
    super(403, 'mitid_required', 'Confirming a consent needs a MitID login');
  }
}

class Refused extends Error {
  constructor(
    readonly answer: DomainError,
    readonly reason: string,
    readonly records: PortalSession['records'],
  ) {
    super(answer.message);
  }
}

/**
 * The citizen confirms a consent staff prepared with them: at level "substantial", with the MitID transaction of
 * the session stored on each consent. Another person's preparation or an unknown id → 404; already confirmed or
 * cancelled → 409; the end date passed → 409 expired; no MitID transaction → 403 mitid_required; each audited.
 */
export async function confirmPreparation(db: Kysely<Database>, session: PortalSession, id: string) {
  const ids = session.records.map((r) => r.citizenId);
  try {
    return await db.transaction().execute(async (tx) => {
      const prep = await tx
        .selectFrom('consent_preparations as p')
        .innerJoin('citizens as c', 'c.id', 'p.citizen_id')
        .select(['p.id', 'p.organisation_id', 'p.citizen_id', 'p.rows', 'p.confirmed_at', 'p.cancelled_at', 'c.cpr_hash'])
        .where('p.id', '=', id)
        .where('p.citizen_id', 'in', ids)
        .forUpdate('p')
        .executeTakeFirst();
      if (!prep) throw new Refused(new NotFound(), 'not own or unknown', session.records);
      const record = session.records.filter((r) => r.citizenId === prep.citizen_id);
      if (prep.confirmed_at || prep.cancelled_at) {
        const why = prep.confirmed_at ? 'already_confirmed' : 'cancelled';
        throw new Refused(new Conflict(why === 'cancelled' ? 'Staff cancelled this consent' : 'The consent is already confirmed', [{ path: 'id', message: why }]), why, record);
      }
      const mitid = session.mitid;
      if (!mitid?.transactionId) throw new Refused(new MitIdRequired(), 'mitid_required', record);
      const today = dateInCopenhagen();
      const prepared = prep.rows as ConsentInsert[];
      if (prepared.some((r) => String(r.valid_to) < today)) {
        throw new Refused(new Conflict('The prepared consent has ended; ask staff to prepare it again', [{ path: 'id', message: 'expired' }]), 'expired', record);
      }
      const values: ConsentInsert[] = prepared.map((r) => ({
        ...r,
        given_on: today,
        valid_from: String(r.valid_from) < today ? today : r.valid_from,
        given_how: 'portal',
        preparation_id: prep.id,
        mitid_transaction_id: mitid.transactionId,
        mitid_sid: mitid.sid,
        mitid_auth_time: mitid.authTime,
      }));
      const inserted = await repo.insertConsents(tx, values);
      let tasks: Awaited<ReturnType<typeof finishSitting>>;
      try {
        tasks = await finishSitting(tx, inserted, prep.organisation_id, prep.citizen_id, prep.cpr_hash);
      } catch (error) {
        // The consent it replaces was withdrawn or replaced since it was prepared.
        if (error instanceof Conflict) throw new Refused(error, 'stale', record);
        throw error;
      }
      await tx.updateTable('consent_preparations').set({ confirmed_at: new Date(), confirmed_by_account: session.accountId }).where('id', '=', prep.id).execute();
      await recordAuditMany(
        tx,
        citizenAuditRows(session.accountId, record, {
          action: 'create',
          resourceType: 'consent',
          outcome: 'success',
          criteria: { preparationId: prep.id, consentIds: inserted.map((r) => r.id), instruments: inserted.map((r) => r.instrument), how: 'portal', mitid: true, tasks: tasks.map((t) => t.kind) },
        }).map((row) => ({ ...row, resourceId: prep.id })),
      );
      return { preparationId: prep.id, consentIds: inserted.map((r) => r.id), confirmedOn: today };
    });
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    await recordAuditMany(
      db,
      citizenAuditRows(session.accountId, error.records, { action: 'create', resourceType: 'consent', outcome: 'denied', criteria: { reason: error.reason, preparationId: id } }).map((row) => ({ ...row, resourceId: id })),
    );
    markAudited(error.answer);
    throw error.answer;
  }
}
