// The portal's MitID login on both engines, against the demo's real test identity provider on loopback (port 0):
// a login makes a session at level "substantial" that reads the plan; the provider's page shows names, never a CPR
// number; a person without a portal account, a login at level "low", a cancelled login, a wrong, missing or used
// state and an expired login are refused with their reason on /portal; every outcome is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userId } from '../../demo/ids.ts';
import type { MitIdSettings } from '../../platform/config.ts';
import { auditRows, login, testApp, type Session, type TestContext } from '../../testing/harness.ts';
import { hashToken } from '../../platform/auth/auth.service.ts';
import { mitIdCookieName } from './mitid.ts';
import { attachTestIdp, follow, pendingMitIdSettings, sendCallback, throughTestIdp } from './mitid.fixtures.ts';
import { invite, portalCitizen, portalLoginAs } from './portal.fixtures.ts';
import { PORTAL_COOKIE } from './portal.session.ts';
import type { TestIdp } from './test-idp.ts';

const RK1 = userId(4);
let t: TestContext;
let idp: TestIdp;
let rk1: Session;
let mitid: MitIdSettings;
let serial = 0;

beforeAll(async () => {
  mitid = pendingMitIdSettings();
  t = await testApp({ mitid });
  idp = await attachTestIdp(t, mitid);
  rk1 = await login(t.app, 'rk1');
});
afterAll(async () => {
  await idp?.close();
  await t?.close();
});

/** A citizen of rk1's own with a name of its own, invited to the portal. */
async function invitedCitizen(): Promise<{ id: string; cpr: string; name: string }> {
  const lastName = `Mitidsen${String.fromCharCode(97 + (serial % 26))}${++serial}`;
  const c = await portalCitizen(rk1, RK1, { firstName: 'Mette', lastName, email: `mitid.${serial}@example.invalid` });
  const res = await invite(rk1, c.id);
  expect(res.statusCode, res.body).toBe(200);
  return { ...c, name: `Mette ${lastName}` };
}

const portalCookieOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === PORTAL_COOKIE)?.value;

describe('MitID login through the test identity provider', () => {
  it('tells the portal that MitID is open', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/portal/session' });
    expect(res.json()).toMatchObject({ citizen: null, mitid: true });
  });

  it('sends the browser to the provider with PKCE, state and nonce, and keeps them on the server', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/portal/login/mitid' });
    expect(res.statusCode).toBe(302);
    const to = new URL(String(res.headers.location));
    expect(to.origin).toBe(idp.issuer);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('redirect_uri')).toBe('http://localhost:3000/api/portal/login/mitid/callback');
    for (const p of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(p)).toBeTruthy();
    const cookie = res.cookies.find((c) => c.name === mitIdCookieName(false))!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/portal/login/mitid', value: to.searchParams.get('state') });
    const row = await t.db.owner.selectFrom('portal_mitid_logins').selectAll().where('state_hash', '=', hashToken(cookie.value)).executeTakeFirst();
    expect(row?.nonce).toBe(to.searchParams.get('nonce'));
  });

  it('logs an invited person in at level "substantial": the plan opens, the transaction is kept, the login is audited', async () => {
    const c = await invitedCitizen();
    const flow = await throughTestIdp(t, { name: c.name });
    // The page lists names, never a CPR number.
    expect(flow.page).toContain(c.name);
    expect(flow.page).not.toContain(c.cpr.replace('-', ''));
    expect(flow.page).not.toMatch(/\b[0-9]{6}-?[0-9]{4}\b/);
    const res = await sendCallback(t, flow);
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/portal');
    const cookie = portalCookieOf(res);
    expect(cookie).toBeTruthy();
    expect(res.cookies.find((x) => x.name === PORTAL_COOKIE)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The state cookie is cleared.
    expect(res.cookies.find((x) => x.name === mitIdCookieName(false))?.value).toBe('');

    const session = await t.app.inject({ method: 'GET', url: '/api/portal/session', cookies: { [PORTAL_COOKIE]: cookie! } });
    expect(session.json()).toMatchObject({ citizen: { firstName: 'Mette' }, assurance: 'substantial', mitid: true });
    const plan = await t.app.inject({ method: 'GET', url: '/api/portal/plan', cookies: { [PORTAL_COOKIE]: cookie! } });
    expect(plan.statusCode, plan.body).toBe(200);

    const row = await t.db.owner.selectFrom('portal_sessions').selectAll().where('id_hash', '=', hashToken(cookie!)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ assurance: 'substantial', login_method: 'mitid' });
    expect(row.mitid_auth_time).toBeInstanceOf(Date);
    expect(row.mitid_transaction_id).toMatch(/^[0-9a-f-]{36}$/);

    const audit = (await auditRows(t.db, { action: 'login', outcome: 'success' })).filter((r) => r.citizen_id === c.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_username: `portal:${row.account_id}`, resource_type: 'portal_session', purpose: 'authentication' });
    expect(audit[0]!.criteria).toEqual({ method: 'mitid', assurance: 'substantial' });
  });

  it('refuses a used callback (a replay), and the second time is audited', async () => {
    const c = await invitedCitizen();
    const flow = await throughTestIdp(t, { name: c.name });
    expect((await sendCallback(t, flow)).headers.location).toBe('/portal');
    const before = (await auditRows(t.db, { action: 'login' })).length;
    const again = await sendCallback(t, flow);
    expect(again.statusCode).toBe(302);
    expect(again.headers.location).toBe('/portal?login=expired');
    expect(portalCookieOf(again)).toBeFalsy();
    const rows = await auditRows(t.db, { action: 'login' });
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ outcome: 'failure', actor_username: null, citizen_id: null });
    expect(rows.at(-1)!.criteria).toEqual({ method: 'mitid', reason: 'unknown_state' });
  });

  it('refuses a person without a portal account (not invited), audited without a person', async () => {
    const flow = await throughTestIdp(t, { name: null });
    const res = await sendCallback(t, flow);
    expect(res.headers.location).toBe('/portal?login=not_invited');
    expect(portalCookieOf(res)).toBeFalsy();
    const last = (await auditRows(t.db, { action: 'login' })).at(-1)!;
    expect(last).toMatchObject({ outcome: 'denied', citizen_id: null, organisation_id: null });
    expect(last.criteria).toEqual({ method: 'mitid', reason: 'not_invited' });
  });

  it('refuses a login below level "substantial", audited with the citizen as actor', async () => {
    const c = await invitedCitizen();
    const flow = await throughTestIdp(t, { name: c.name, level: 'low' });
    const res = await sendCallback(t, flow);
    expect(res.headers.location).toBe('/portal?login=assurance_too_low');
    expect(portalCookieOf(res)).toBeFalsy();
    const rows = (await auditRows(t.db, { action: 'login', outcome: 'denied' })).filter((r) => r.citizen_id === c.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_username).toMatch(/^portal:/);
    expect(rows[0]!.criteria).toEqual({ method: 'mitid', reason: 'assurance_too_low' });
  });

  it('says "cancelled" when the person cancels at the provider', async () => {
    const c = await invitedCitizen();
    const flow = await throughTestIdp(t, { name: c.name, cancel: true });
    const res = await sendCallback(t, flow);
    expect(res.headers.location).toBe('/portal?login=cancelled');
    expect((await auditRows(t.db, { action: 'login' })).at(-1)!.criteria).toMatchObject({ reason: 'cancelled' });
  });

  it('refuses a wrong or missing state, and a callback without the state cookie', async () => {
    const c = await invitedCitizen();
    const flow = await throughTestIdp(t, { name: c.name });
    // Another browser's state (a login-CSRF attempt): refused, and the login stays usable by its own browser.
    const wrong = await sendCallback(t, flow, 'another-browsers-state');
    expect(wrong.headers.location).toBe('/portal?login=failed');
    expect((await auditRows(t.db, { action: 'login' })).at(-1)!.criteria).toEqual({ method: 'mitid', reason: 'state_mismatch' });
    const noCookie = await sendCallback(t, flow, null);
    expect(noCookie.headers.location).toBe('/portal?login=expired');
    const noState = await t.app.inject({ method: 'GET', url: `/api/portal/login/mitid/callback?code=abc`, cookies: { [mitIdCookieName(false)]: flow.stateCookie } });
    expect(noState.headers.location).toBe('/portal?login=failed');
    expect((await auditRows(t.db, { action: 'login' })).at(-1)!.criteria).toEqual({ method: 'mitid', reason: 'missing_state' });
    // A wrong code with the right state: the provider refuses the exchange.
    const tampered = await sendCallback(t, { ...flow, callback: flow.callback.replace(/code=[^&]+/, 'code=tampered') });
    expect(tampered.headers.location).toBe('/portal?login=failed');
    expect((await auditRows(t.db, { action: 'login' })).at(-1)!.criteria).toMatchObject({ reason: 'token_exchange' });
  });

  it('refuses a login that took longer than ten minutes', async () => {
    const c = await invitedCitizen();
    const flow = await throughTestIdp(t, { name: c.name });
    await t.db.owner.updateTable('portal_mitid_logins').set({ created_at: new Date(Date.now() - 3_600_000), expires_at: new Date(Date.now() - 1000) }).where('state_hash', '=', hashToken(flow.stateCookie)).execute();
    const res = await sendCallback(t, flow);
    expect(res.headers.location).toBe('/portal?login=expired');
    expect((await auditRows(t.db, { action: 'login' })).at(-1)!.criteria).toEqual({ method: 'mitid', reason: 'expired' });
  });

  it("logout after a MitID login ends the broker's session too (RP-initiated logout) and returns to /portal", async () => {
    const c = await invitedCitizen();
    const flow = await throughTestIdp(t, { name: c.name });
    const res = await sendCallback(t, flow);
    const cookie = portalCookieOf(res)!;
    const session = (await t.app.inject({ method: 'GET', url: '/api/portal/session', cookies: { [PORTAL_COOKIE]: cookie } })).json();
    // The id token is kept for the logout, encrypted: the row holds no CPR number.
    const row = await t.db.owner.selectFrom('portal_sessions').select('mitid_id_token').where('csrf_token', '=', session.csrfToken).executeTakeFirstOrThrow();
    expect(row.mitid_id_token).toMatch(/^v1\./);
    expect(row.mitid_id_token).not.toContain(c.cpr.replace('-', ''));
    expect(flow.jar.header()).toMatch(/(^|; )_session=/);

    const out = await t.app.inject({ method: 'POST', url: '/api/portal/logout', cookies: { [PORTAL_COOKIE]: cookie }, headers: { 'x-csrf-token': session.csrfToken } });
    expect(out.statusCode, out.body).toBe(200);
    const to = new URL(out.json().brokerLogoutUrl);
    expect(`${to.origin}${to.pathname}`).toBe(`${idp.issuer}/session/end`);
    expect(to.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:3000/portal');
    expect(to.searchParams.get('client_id')).toBe('bindeled-demo');
    expect(to.searchParams.get('id_token_hint')).toBeTruthy();
    // The portal's session is gone at once.
    expect((await t.app.inject({ method: 'GET', url: '/api/portal/session', cookies: { [PORTAL_COOKIE]: cookie } })).json()).toMatchObject({ citizen: null });

    // At the provider: its logout page confirms (a script clicks the button), the session ends, back to /portal.
    const page = await follow(flow.jar, to.href);
    const html = await page.text();
    expect(page.status, html).toBe(200);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(action && xsrf).toBeTruthy();
    const confirmed = await follow(flow.jar, new URL(action!, idp.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }).toString(),
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('http://localhost:3000/portal');
    expect(flow.jar.header()).not.toMatch(/(^|; )_session=/);
  });

  it('logout after a one-time code login only ends the portal session', async () => {
    const email = `mitid.code.${++serial}@example.invalid`;
    const c = await portalCitizen(rk1, RK1, { email });
    expect((await invite(rk1, c.id)).statusCode).toBe(200);
    const s = await portalLoginAs(t, email, email, '198.51.100.250');
    const out = await s.request({ method: 'POST', url: '/api/portal/logout' });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ brokerLogoutUrl: null });
  });
});
