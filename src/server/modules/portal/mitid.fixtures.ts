// Test fixtures of the MitID login: the demo's test identity provider on loopback port 0 next to the test app, and a
// small browser (a cookie jar over fetch, following redirects by hand) that goes from the app's login route through
// the provider's login page to the app's callback, which it sends to the app with inject.
import type { InjectResponse, TestContext } from '../../testing/harness.ts';
import { TEST_CPR_KEY } from '../../testing/harness.ts';
import { MITID_DEFAULTS, type MitIdSettings } from '../../platform/config.ts';
import { callbackUrl, mitIdCookieName, MITID_CALLBACK_ROUTE, MITID_LOGIN_ROUTE } from './mitid.ts';
import { startTestIdp, TEST_IDP_CLIENT_ID, type TestIdp } from './test-idp.ts';

export const TEST_PUBLIC_URL = 'http://localhost:3000';

/**
 * MitID settings for testApp({ mitid }) before the provider runs (its port is known only once it listens):
 * `attachTestIdp` fills in the issuer and the secret; the app reads the settings at each login.
 */
export function pendingMitIdSettings(): MitIdSettings {
  return { ...MITID_DEFAULTS, issuer: 'http://127.0.0.1:9', clientId: TEST_IDP_CLIENT_ID, clientSecret: 'not-yet', allowHttp: true };
}

export async function attachTestIdp(t: TestContext, settings: MitIdSettings): Promise<TestIdp> {
  const idp = await startTestIdp({ db: t.db.kysely, cprKey: TEST_CPR_KEY, port: 0, redirectUri: callbackUrl(TEST_PUBLIC_URL), claims: MITID_DEFAULTS });
  Object.assign(settings, idp.settings);
  return idp;
}

/** A cookie jar for the provider's side (its interaction and session cookies). */
export class Jar {
  #cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface MitIdChoice {
  /** The name the provider's page shows ("First Last"); null: the person without a portal account. */
  name: string | null;
  level?: 'substantial' | 'low';
  cancel?: boolean;
}

export interface StartedLogin {
  /** The state cookie the app set on the browser. */
  stateCookie: string;
  /** The provider's login page (HTML). */
  page: string;
  /** The callback the provider sent the browser to: path and query, to send to the app. */
  callback: string;
  /** The browser's cookies at the provider (its session), e.g. for the broker's logout. */
  jar: Jar;
}

export async function follow(jar: Jar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: jar.header() } });
  jar.take(response);
  return response;
}

/** From the app's login route through the provider's page (choosing as told) to the callback address, not yet sent. */
export async function throughTestIdp(t: TestContext, choice: MitIdChoice): Promise<StartedLogin> {
  const start = await t.app.inject({ method: 'GET', url: MITID_LOGIN_ROUTE });
  if (start.statusCode !== 302) throw new Error(`the login did not redirect: ${start.statusCode} ${start.body}`);
  const stateCookie = start.cookies.find((c) => c.name === mitIdCookieName(false))?.value;
  if (!stateCookie) throw new Error('no state cookie');
  const jar = new Jar();
  let response = await follow(jar, String(start.headers.location));
  let location = response.headers.get('location');
  if (response.status !== 303 || !location) throw new Error(`the provider did not send to its login page: ${response.status} ${await response.text()}`);
  const interaction = new URL(location, String(start.headers.location));
  response = await follow(jar, interaction.href);
  const page = await response.text();
  if (response.status !== 200) throw new Error(`the login page failed: ${response.status} ${page}`);
  let action: string;
  let account: string;
  if (choice.name === null) {
    account = 'demo-person-without-account';
  } else {
    const match = new RegExp(`value="([0-9a-f-]{36})"> ${choice.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</label>`).exec(page);
    if (!match) throw new Error(`${choice.name} is not on the login page`);
    account = match[1]!;
  }
  if (choice.cancel) action = `${interaction.href}/abort`;
  else action = `${interaction.href}/login`;
  response = await follow(jar, action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ account, level: choice.level ?? 'substantial' }).toString(),
  });
  // The provider resumes the authorization (one or two redirects on its own origin), then sends to the callback.
  for (let hops = 0; hops < 5; hops++) {
    location = response.headers.get('location');
    if (!location) throw new Error(`the provider stopped without a redirect: ${response.status} ${await response.text()}`);
    const next = new URL(location, interaction.href);
    if (next.href.startsWith(callbackUrl(TEST_PUBLIC_URL))) return { stateCookie, page, callback: `${MITID_CALLBACK_ROUTE}${next.search}`, jar };
    response = await follow(jar, next.href);
  }
  throw new Error('too many redirects at the provider');
}

/** Sends the callback to the app as the browser that started the login (with its state cookie). */
export function sendCallback(t: TestContext, login: Pick<StartedLogin, 'callback' | 'stateCookie'>, stateCookie: string | null = login.stateCookie): Promise<InjectResponse> {
  return t.app.inject({ method: 'GET', url: login.callback, cookies: stateCookie === null ? {} : { [mitIdCookieName(false)]: stateCookie } });
}
