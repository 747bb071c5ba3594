// The citizen portal's rules: staff invite a person from their organisation's record; a one-time code sent to a
// contact on file logs the person in at the low level of assurance; a low session reads only the time of the next
// appointment and whether a questionnaire waits. Every step is audited, with the citizen as actor where it is them.
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { PortalPlan, PortalStatus, PortalSummary } from '../../../contracts/portal.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit, recordAuditMany, type AuditEntry } from '../../platform/audit/audit.ts';
import { addressThrottled, recordAddressFailure, type ThrottlePolicy } from '../../platform/auth/auth.repository.ts';
import { throttleBlock } from '../../platform/auth/address.ts';
import { hashToken } from '../../platform/auth/auth.service.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { DomainError, Invalid } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { requireCitizenAccess } from '../citizens/citizen-access.ts';
import { contactKey, parseContact, usableEmail, usablePhone, type Contact } from './contact.ts';
import { DeliveryUnavailable, type Channel, type Delivery } from './delivery.ts';
import { citizenAuditRows, createPortalSession, type PortalSession } from './portal.session.ts';
import * as repo from './portal.repository.ts';

export const CODE_VALID_MS = 10 * 60_000;
export const CODE_MAX_TRIES = 5;
/** Codes sent to one contact, and to one person over all their contacts, within the window (beyond: nothing is sent). */
export const CODE_LIMITS = { perContact: 5, perPerson: 8, windowMs: 60 * 60_000 };
/** Code requests from one address (IPv4, or IPv6 /64) within the window, known contacts or not. */
export const CODE_ADDRESS_THROTTLE: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * 60_000 };
/** Wrong codes from one address within the window. */
export const LOGIN_ADDRESS_THROTTLE: ThrottlePolicy = { maxFailures: 30, windowMs: 15 * 60_000 };

export interface PortalDeps {
  db: Kysely<Database>;
  delivery: Delivery;
  /** Keys the hashes of contacts and codes. */
  secret: string;
  /** Where the portal is, for the invitation's text. */
  publicUrl: string;
}

/** One answer for unknown contact, wrong code, expired or spent code, so none can be told apart. */
export class PortalLoginFailed extends DomainError {
  constructor() {
    super(401, 'login_failed', 'Login failed: the code is wrong or no longer valid. Ask for a new code.');
  }
}

/** Several people share the contact: the birth date says which of them is logging in. Only said after a right code. */
export class BirthDateRequired extends DomainError {
  constructor() {
    super(409, 'birth_date_required', 'Several people use this contact: give your birth date together with the code', [{ path: 'birthDate', message: 'required' }]);
  }
}

export class PortalThrottled extends DomainError {
  constructor() {
    super(429, 'too_many_attempts', 'Too many attempts from this address; try again later.');
  }
}

/** The record holds no contact detail a message can be sent to; the refusal is logged after the rollback. */
export class NoContactDetails extends DomainError {
  readonly auditAfterRollback: AuditEntry;
  constructor(audit: AuditEntry, what: 'none' | 'sms_unavailable') {
    super(
      409,
      'no_contact_details',
      what === 'none'
        ? 'No e-mail address or mobile number is on file for this citizen: add one on the citizen page, then invite again'
        : 'Only a mobile number is on file, and this server cannot send text messages: add an e-mail address, then invite again',
      [{ path: what === 'none' ? 'contact' : 'email', message: what === 'none' ? 'missing' : 'sms_unavailable' }],
    );
    this.auditAfterRollback = audit;
  }
}

const codeHash = (secret: string, codeId: string, code: string) => createHmac('sha256', secret).update(`portal-code\u0000${codeId}\u0000${code}`).digest('hex');

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

function statusOf(row: { contact_email: string | null; contact_phone: string | null; invited_at: Date | null; last_login_at: Date | null }): PortalStatus {
  return {
    state: row.last_login_at ? 'logged_in' : row.invited_at ? 'invited' : 'not_invited',
    invitedAt: row.invited_at?.toISOString() ?? null,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    contact: { email: usableEmail(row.contact_email), phone: usablePhone(row.contact_phone) },
  };
}

/** E-mail unless the citizen prefers text messages and a number is on file; a channel this server cannot use is skipped. */
function channelFor(row: { contact_email: string | null; contact_phone: string | null; preferred_contact: string | null }, delivery: Delivery): Channel | 'none' | 'sms_unavailable' {
  const email = usableEmail(row.contact_email) && delivery.canSend('email');
  const sms = usablePhone(row.contact_phone) && delivery.canSend('sms');
  const prefersSms = row.preferred_contact === 'sms' || row.preferred_contact === 'phone';
  if (sms && (prefersSms || !email)) return 'sms';
  if (email) return 'email';
  if (usablePhone(row.contact_phone) || usableEmail(row.contact_email)) return 'sms_unavailable';
  return 'none';
}

export async function portalStatus(db: Kysely<Database>, actor: Actor, citizenId: string): Promise<PortalStatus> {
  return inTransaction(db, async (tx) => {
    await requireCitizenAccess(tx, actor, citizenId, 'portal:status', 'read');
    const row = await repo.recordForInvitation(tx, citizenId);
    if (!row) throw new Invalid('Unknown citizen');
    await recordAudit(tx, { actor, organisationId: row.organisation_id, action: 'read', purpose: 'case_work', resourceType: 'portal_status', resourceId: citizenId, citizenId, outcome: 'success' });
    return statusOf(row);
  });
}

export async function invite(deps: PortalDeps, actor: Actor, citizenId: string, now = new Date()): Promise<PortalStatus & { channel: Channel }> {
  return inTransaction(deps.db, async (tx) => {
    await requireCitizenAccess(tx, actor, citizenId, 'portal:invite', 'create');
    const row = await repo.recordForInvitation(tx, citizenId);
    if (!row) throw new Invalid('Unknown citizen');
    const audit = { actor, organisationId: row.organisation_id, action: 'create' as const, purpose: 'case_work' as const, resourceType: 'portal_invitation', resourceId: citizenId, citizenId };
    const channel = channelFor(row, deps.delivery);
    if (channel === 'none' || channel === 'sms_unavailable') {
      throw new NoContactDetails({ ...audit, outcome: 'failure', criteria: { reason: channel === 'none' ? 'no_contact_details' : 'sms_unavailable' } }, channel);
    }
    const accountId = await repo.upsertAccount(tx, row.cpr_hash);
    await repo.upsertLink(tx, { accountId, organisationId: row.organisation_id, citizenId, invitedBy: actor.userId, channel, now });
    await recordAudit(tx, { ...audit, outcome: 'success', criteria: { channel } });
    await deps.delivery.send(tx, {
      channel,
      recipient: channel === 'email' ? row.contact_email! : row.contact_phone!,
      subject: 'Invitation til Min plan',
      text: invitationText(deps.publicUrl, channel),
    });
    return { ...statusOf({ ...row, invited_at: now }), channel };
  });
}

/** Neutral words: no programme, no place, no role; the portal's address and how to log in. */
function invitationText(publicUrl: string, channel: Channel): string {
  const where = channel === 'email' ? 'denne e-mailadresse' : 'dette mobilnummer';
  return [
    'Hej',
    '',
    'Du er inviteret til Min plan. Her kan du se, hvornår din næste aftale er.',
    '',
    `Gå til ${publicUrl}/portal og skriv ${where}. Så sender vi dig en kode, som du logger ind med.`,
    '',
    'Har du spørgsmål, så kontakt den medarbejder, du plejer at tale med.',
  ].join('\n');
}

function codeText(code: string): string {
  return [`Din kode til Min plan er ${code}`, '', 'Koden virker i 10 minutter. Har du ikke bedt om en kode, kan du se bort fra beskeden.'].join('\n');
}

function contactOf(input: string): Contact {
  const contact = parseContact(input);
  if (!contact) throw new Invalid('Write an e-mail address or a mobile number', [{ path: 'contact', message: 'invalid_contact' }]);
  return contact;
}

const anonymousAudit = (outcome: AuditEntry['outcome'], action: 'create' | 'login', resourceType: string, criteria: Record<string, unknown>): AuditEntry => ({
  actor: null,
  organisationId: null,
  action,
  purpose: 'authentication',
  resourceType,
  outcome,
  criteria,
});

/**
 * Sends a code to the contact when it belongs to invited people, and answers the same either way: the answer, its
 * statements up to the lookup, and its timing (delivery does not wait on the network) do not tell.
 */
export async function requestCode(deps: PortalDeps, input: { contact: string; address: string }, now = new Date()): Promise<void> {
  const contact = contactOf(input.contact);
  const channel: Channel = contact.kind === 'email' ? 'email' : 'sms';
  if (!deps.delivery.canSend(channel)) throw new DeliveryUnavailable(channel);
  const block = `portal-code:${throttleBlock(input.address)}`;
  if (await addressThrottled(deps.db, block, now, CODE_ADDRESS_THROTTLE)) {
    await recordAudit(deps.db, anonymousAudit('denied', 'create', 'portal_login_code', { reason: 'address_throttled', channel }));
    throw new PortalThrottled();
  }
  await deps.db.transaction().execute(async (tx) => {
    await recordAddressFailure(tx, block, now, CODE_ADDRESS_THROTTLE);
    const candidates = await repo.candidatesByContact(tx, contact.kind, contact.value);
    if (candidates.length === 0) {
      await recordAudit(tx, anonymousAudit('failure', 'create', 'portal_login_code', { reason: 'unknown_contact', channel }));
      return;
    }
    const accountIds = [...new Set(candidates.map((c) => c.account_id))];
    const records = candidates.map((c) => ({ citizenId: c.citizen_id, organisationId: c.organisation_id }));
    const key = contactKey(deps.secret, contact);
    const counts = await repo.recentCodeCounts(tx, key, accountIds, new Date(now.getTime() - CODE_LIMITS.windowMs));
    const audit = (outcome: AuditEntry['outcome'], criteria: Record<string, unknown>) =>
      recordAuditMany(tx, records.map((r) => ({ actor: null, actorRoles: ['citizen'], organisationId: r.organisationId, citizenId: r.citizenId, action: 'create' as const, purpose: 'authentication' as const, resourceType: 'portal_login_code', resourceId: null, outcome, criteria })));
    if (counts.by_contact >= CODE_LIMITS.perContact || counts.by_person >= CODE_LIMITS.perPerson) {
      // Silently: a throttled known contact must look like an unknown one.
      await audit('denied', { reason: counts.by_contact >= CODE_LIMITS.perContact ? 'contact_throttled' : 'person_throttled', channel });
      return;
    }
    const id = randomUUID();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await repo.insertCode(tx, { id, contactKey: key, accountIds, codeHash: codeHash(deps.secret, id, code), now, expiresAt: new Date(now.getTime() + CODE_VALID_MS) });
    await audit('success', { channel, sharedContact: accountIds.length > 1 });
    await deps.delivery.send(tx, { channel, recipient: contact.value, subject: 'Din kode til Min plan', text: codeText(code) });
  });
}

export interface PortalLoginResult {
  sessionToken: string;
  csrfToken: string;
  session: Pick<PortalSession, 'accountId' | 'assurance'>;
}

type Outcome = { ok: true; result: PortalLoginResult } | { ok: false; error: DomainError };

/** Logs in with the latest code sent to the contact (and the birth date where several people share the contact). */
export async function loginWithCode(
  deps: PortalDeps,
  input: { contact: string; code: string; birthDate?: string; address: string; previousSessionToken?: string },
  now = new Date(),
): Promise<PortalLoginResult> {
  const contact = contactOf(input.contact);
  const block = `portal-login:${throttleBlock(input.address)}`;
  if (await addressThrottled(deps.db, block, now, LOGIN_ADDRESS_THROTTLE)) {
    await recordAudit(deps.db, anonymousAudit('denied', 'login', 'portal_session', { reason: 'address_throttled' }));
    throw new PortalThrottled();
  }
  const outcome = await deps.db.transaction().execute(async (tx): Promise<Outcome> => {
    const fail = async (reason: string, records: repo.LinkedRecord[] = [], codeId?: string): Promise<Outcome> => {
      if (codeId) await repo.countFailedAttempt(tx, codeId);
      await recordAddressFailure(tx, block, now, LOGIN_ADDRESS_THROTTLE);
      const criteria = { reason };
      if (records.length === 0) await recordAudit(tx, anonymousAudit('failure', 'login', 'portal_session', criteria));
      else await recordAuditMany(tx, records.map((r) => ({ actor: null, actorRoles: ['citizen'], organisationId: r.organisationId, citizenId: r.citizenId, action: 'login' as const, purpose: 'authentication' as const, resourceType: 'portal_session', resourceId: null, outcome: 'failure' as const, criteria })));
      return { ok: false, error: new PortalLoginFailed() };
    };
    const code = await repo.latestCode(tx, contactKey(deps.secret, contact));
    if (!code || code.used_at || code.expires_at <= now || code.failed_attempts >= CODE_MAX_TRIES) {
      return fail(!code ? 'no_code' : code.used_at ? 'used' : code.expires_at <= now ? 'expired' : 'tries_spent');
    }
    // Only people the code was sent for, who still have this contact on an invited record.
    const candidates = (await repo.candidatesByContact(tx, contact.kind, contact.value)).filter((c) => code.account_ids.includes(c.account_id));
    const records = candidates.map((c) => ({ citizenId: c.citizen_id, organisationId: c.organisation_id }));
    if (!sameHex(code.code_hash, codeHash(deps.secret, code.id, input.code))) return fail('wrong_code', records, code.id);
    if (candidates.length === 0) return fail('contact_gone', [], code.id);
    const people = new Set(candidates.map((c) => c.account_id));
    const chosen = input.birthDate ? candidates.filter((c) => c.birth_date === input.birthDate) : candidates;
    const chosenPeople = [...new Set(chosen.map((c) => c.account_id))];
    if (people.size > 1 && !input.birthDate) return { ok: false, error: new BirthDateRequired() };
    if (chosenPeople.length !== 1) return fail('wrong_birth_date', records, code.id);
    const accountId = chosenPeople[0]!;
    await repo.markCodeUsed(tx, code.id, now);
    if (input.previousSessionToken) await repo.deleteSession(tx, hashToken(input.previousSessionToken));
    const { sessionToken, csrfToken } = await createPortalSession(tx, accountId, 'low', now);
    const linked = await repo.recordLogin(tx, accountId, now);
    await recordAuditMany(tx, citizenAuditRows(accountId, linked, { action: 'login', resourceType: 'portal_session', outcome: 'success', criteria: { assurance: 'low', method: 'one_time_code', channel: contact.kind === 'email' ? 'email' : 'sms' }, purpose: 'authentication' }));
    return { ok: true, result: { sessionToken, csrfToken, session: { accountId, assurance: 'low' } } };
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

export async function logout(db: Kysely<Database>, session: PortalSession): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await repo.deleteSession(tx, session.idHash);
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'logout', resourceType: 'portal_session', outcome: 'success', purpose: 'authentication' }));
  });
}

/** The low-assurance view: the next appointment's time and whether a questionnaire waits, over the invited records. */
export async function summary(db: Kysely<Database>, session: PortalSession, now = new Date()): Promise<PortalSummary> {
  return db.transaction().execute(async (tx) => {
    const row = await repo.summaryOf(tx, session.records.map((r) => r.citizenId), now);
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_summary', outcome: 'success' }));
    return { nextAppointmentAt: row.next_at ? new Date(row.next_at).toISOString() : null, questionnaireWaiting: row.waiting };
  });
}


/** The citizen's plans (level "substantial" only: the route's guard sees to it), the open ones first. */
export async function plan(db: Kysely<Database>, session: PortalSession, now = new Date()): Promise<PortalPlan> {
  return db.transaction().execute(async (tx) => {
    const rows = await repo.plansOf(tx, session.records.map((r) => r.citizenId), dateInCopenhagen(now));
    await recordAuditMany(tx, citizenAuditRows(session.accountId, session.records, { action: 'read', resourceType: 'portal_plan', outcome: 'success' }));
    return {
      plans: rows.map((r) => ({
        organisation: r.organisation_name,
        open: r.open,
        goal: { kind: r.goal_kind, text: r.goal_text, targetDate: r.goal_target_date },
        goals: r.goals ?? [],
        tasks: (r.tasks ?? []).map((t) => ({ ...t, ownerKind: t.ownerKind as 'citizen' | 'staff' | 'outside', comments: t.comments ?? [] })),
        coordinator: r.coordinator,
        team: r.team ?? [],
      })),
    };
  });
}
