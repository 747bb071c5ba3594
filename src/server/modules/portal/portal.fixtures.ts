// Test fixtures of the citizen portal (integration tests and query budgets): citizens of the test's own with
// contact details, invited by a staff member on their team, and portal sessions logged in with the code the demo
// outbox received.
import type { InjectOptions } from 'fastify';
import { PROGRAMME } from '../../demo/ids.ts';
import type { InjectResponse, Session, TestContext } from '../../testing/harness.ts';
import { PORTAL_COOKIE } from './portal.session.ts';

export interface PortalSession {
  cookie: string;
  csrf: string;
  request(opts: InjectOptions): Promise<InjectResponse>;
}

let serial = 0;
/**
 * A fictitious replacement number (day + 60) per call. Born in 1986 with 9 as the seventh digit, which the demo
 * data never uses for a year before 2000, so no demo person has it.
 */
export function portalCpr(): string {
  serial += 1;
  const day = 61 + (serial % 28);
  const month = 1 + (Math.floor(serial / 28) % 12);
  return `${day}${String(month).padStart(2, '0')}86-9${String(serial % 1000).padStart(3, '0')}`;
}

/** The birth date a number from portalCpr stands for. */
export function birthDateOf(cpr: string): string {
  return `1986-${cpr.slice(2, 4)}-${String(Number(cpr.slice(0, 2)) - 60).padStart(2, '0')}`;
}

/** A citizen of `staff`'s own, enrolled in "På vej til arbejde" with `staffId` on the team, with the given contact details. */
export async function portalCitizen(
  staff: Session,
  staffId: string,
  details: { firstName?: string; lastName?: string; email?: string | null; phone?: string | null; cpr?: string },
): Promise<{ id: string; cpr: string }> {
  const cpr = details.cpr ?? portalCpr();
  const res = await staff.request({
    method: 'POST',
    url: '/api/citizens',
    payload: {
      cpr,
      firstName: details.firstName ?? 'Portal',
      lastName: details.lastName ?? 'Borgersen',
      email: details.email ?? null,
      phone: details.phone ?? null,
      enrolment: { programmeId: PROGRAMME.paaVej, startDate: '2020-03-01', benefitCode: 'kontanthjaelp', consultantIds: [staffId] },
      acknowledgeWarnings: true,
    },
  });
  if (res.statusCode !== 201) throw new Error(`could not create a citizen: ${res.statusCode} ${res.body}`);
  return { id: (res.json() as { id: string }).id, cpr };
}

export async function invite(staff: Session, citizenId: string): Promise<InjectResponse> {
  return staff.request({ method: 'POST', url: `/api/citizens/${citizenId}/portal-invitation` });
}

/** The newest message the demo outbox holds for a recipient (the address or the number as normalised). */
export async function lastMessageTo(t: TestContext, recipient: string) {
  return t.db.kysely.selectFrom('portal_outbox').selectAll().where('recipient', '=', recipient).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function messageCount(t: TestContext, recipient?: string): Promise<number> {
  let q = t.db.kysely.selectFrom('portal_outbox').select((eb) => eb.fn.countAll<number>().as('n'));
  if (recipient) q = q.where('recipient', '=', recipient);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export function codeIn(body: string): string {
  const match = /\b([0-9]{6})\b/.exec(body);
  if (!match) throw new Error('no code in the message');
  return match[1]!;
}

export function requestCode(t: TestContext, contact: string, remoteAddress: string): Promise<InjectResponse> {
  return t.app.inject({ method: 'POST', url: '/api/portal/login/code', payload: { contact }, remoteAddress });
}

export function portalLogin(t: TestContext, body: { contact: string; code: string; birthDate?: string }, remoteAddress: string): Promise<InjectResponse> {
  return t.app.inject({ method: 'POST', url: '/api/portal/login', payload: body, remoteAddress });
}

export function sessionOf(t: TestContext, res: InjectResponse): PortalSession {
  const cookie = res.cookies.find((c) => c.name === PORTAL_COOKIE)?.value;
  if (!cookie) throw new Error(`no portal cookie: ${res.statusCode} ${res.body}`);
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrf,
    request: (opts) => t.app.inject({ ...opts, cookies: { [PORTAL_COOKIE]: cookie, ...(opts.cookies ?? {}) }, headers: { 'x-csrf-token': csrf, ...(opts.headers ?? {}) } }),
  };
}

/** Asks for a code to `contact`, reads it from the demo outbox (as `recipient`) and logs in. */
export async function portalLoginAs(t: TestContext, contact: string, recipient: string, remoteAddress: string, birthDate?: string): Promise<PortalSession> {
  const asked = await requestCode(t, contact, remoteAddress);
  if (asked.statusCode !== 202) throw new Error(`code request failed: ${asked.statusCode} ${asked.body}`);
  const message = await lastMessageTo(t, recipient);
  if (!message) throw new Error('no code was sent');
  const res = await portalLogin(t, { contact, code: codeIn(message.body), birthDate }, remoteAddress);
  if (res.statusCode !== 200) throw new Error(`portal login failed: ${res.statusCode} ${res.body}`);
  return sessionOf(t, res);
}
