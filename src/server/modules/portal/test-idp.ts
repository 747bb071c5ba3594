// The demo's stand-in for MitID (docs/decisions/0029): an OpenID Connect provider (oidc-provider) on 127.0.0.1 with
// a port of its own, started only in demo mode when no broker is configured. Its login page lists the demo people
// who have a portal account by first and last name (never the CPR number); picking one issues an id token with the
// person's CPR number (decrypted here, inside the provider, from the person's record) and the level of assurance
// "substantial". The page can also stand in for the cases the portal must refuse: a person without a portal
// account, a login at level "low", and a cancelled login.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import Provider, { type AuthorizationCodeLike } from 'oidc-provider';
import type { Database } from '../../db/schema.ts';
import type { MitIdClaims, MitIdSettings } from '../../platform/config.ts';
import { cprVault } from '../citizens/cpr-vault.ts';

export const TEST_IDP_CLIENT_ID = 'bindeled-demo';
/** The `sub` of the person the page offers who has no portal account (the portal must refuse them). */
const NOBODY = 'demo-person-without-account';
/** A fictitious number (day + 60, a replacement number) that no demo person has. */
const NOBODY_CPR = '7101019999';

export interface TestIdp {
  issuer: string;
  port: number;
  /** What the portal's MitID client needs to use this provider. */
  settings: MitIdSettings;
  close(): Promise<void>;
}

export interface TestIdpOptions {
  db: Kysely<Database>;
  cprKey: string;
  /** 0: any free port. */
  port: number;
  /** The portal's callback, e.g. http://localhost:3000/api/portal/login/mitid/callback. */
  redirectUri: string;
  claims: MitIdClaims;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The level-of-assurance value for "low" in the same style as the configured value for "substantial". */
function lowValue(substantial: string): string {
  return substantial.endsWith('Substantial') ? `${substantial.slice(0, -'Substantial'.length)}Low` : 'low';
}

/** The demo people with a portal account: the account id and the name on their first-invited record. */
async function peopleWithAccounts(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('portal_accounts as a')
    .innerJoin('portal_links as l', 'l.account_id', 'a.id')
    .innerJoin('citizens as c', 'c.id', 'l.citizen_id')
    .select(['a.id', 'c.first_name', 'c.last_name'])
    .distinctOn('a.id')
    .orderBy('a.id')
    .orderBy('l.first_invited_at')
    .limit(500)
    .execute();
  return rows.sort((x, y) => `${x.first_name} ${x.last_name}`.localeCompare(`${y.first_name} ${y.last_name}`, 'da'));
}

async function cprOf(db: Kysely<Database>, cprKey: string, accountId: string): Promise<string | null> {
  const row = await db
    .selectFrom('portal_links as l')
    .innerJoin('citizens as c', 'c.id', 'l.citizen_id')
    .select('c.cpr_encrypted')
    .where('l.account_id', '=', accountId)
    .orderBy('l.first_invited_at')
    .limit(1)
    .executeTakeFirst();
  return row ? cprVault(cprKey).decrypt(row.cpr_encrypted) : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escape(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; padding: 1rem; color: #1a1a1a; background: #fff; line-height: 1.5; }
  main { max-width: 32rem; margin: 0 auto; }
  h1 { font-size: 1.5rem; margin-top: 0; }
  .notice { border-left: 4px solid #0059b3; background: #eef4fb; padding: 0.5rem 0.75rem; }
  fieldset { border: 1px solid #747474; border-radius: 4px; margin: 0 0 1rem; padding: 0.5rem 1rem 1rem; }
  legend { font-weight: 600; padding: 0 0.25rem; }
  label { display: flex; gap: 0.5rem; align-items: center; padding: 0.5rem 0; min-height: 2.75rem; box-sizing: border-box; }
  input[type=radio] { width: 1.25rem; height: 1.25rem; margin: 0; flex: none; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.75rem; }
  button { font: inherit; font-weight: 600; min-height: 2.75rem; padding: 0.5rem 1.25rem; border-radius: 4px; cursor: pointer; }
  .primary { background: #0059b3; color: #fff; border: 2px solid #0059b3; }
  .secondary { background: #fff; color: #0059b3; border: 2px solid #0059b3; }
  button:focus-visible, input:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function loginPage(uid: string, people: { id: string; first_name: string; last_name: string }[]): string {
  const options = people
    .map((p, i) => `<label><input type="radio" name="account" value="${escape(p.id)}"${i === 0 ? ' checked' : ''}> ${escape(`${p.first_name} ${p.last_name}`)}</label>`)
    .join('\n');
  return page(
    'Test-MitID – log ind',
    `<h1>Test-MitID</h1>
<p class="notice">Dette er ikke MitID. Det er en test, som kun findes i demoen. Vælg den person, du vil logge ind som.</p>
<form method="post" action="/interaction/${escape(uid)}/login">
<fieldset>
<legend>Log ind som</legend>
${options || '<p>Ingen personer har adgang til Min plan endnu.</p>'}
<label><input type="radio" name="account" value="${NOBODY}"${people.length === 0 ? ' checked' : ''}> En person uden adgang til Min plan</label>
</fieldset>
<fieldset>
<legend>Sikringsniveau</legend>
<label><input type="radio" name="level" value="substantial" checked> Betydelig (som MitID)</label>
<label><input type="radio" name="level" value="low"> Lav (Min plan afviser det)</label>
</fieldset>
<div class="actions">
<button type="submit" class="primary">Log ind</button>
<button type="submit" class="secondary" formaction="/interaction/${escape(uid)}/abort">Afbryd</button>
</div>
</form>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function send(res: ServerResponse, status: number, html: string, portalOrigin: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The form's redirects end at the portal's callback, so the portal's origin is a form target too.
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self' ${portalOrigin}; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

/** Starts the test identity provider on 127.0.0.1 (loopback only). */
export async function startTestIdp(options: TestIdpOptions): Promise<TestIdp> {
  // The provider needs its issuer, and so its port, before it can answer: until then the server answers 503.
  const route: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => {
    if (!route.handler) {
      res.writeHead(503).end();
      return;
    }
    route.handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const { claims } = options;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_IDP_CLIENT_ID,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        // RP-initiated logout returns to the portal's entry page.
        post_logout_redirect_uris: [`${new URL(options.redirectUri).origin}/portal`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub', claims.cprClaim, claims.loaClaim, 'mitid.transaction_id'] },
    scopes: ['openid', ...claims.scope.split(/\s+/).filter((s) => s && s !== 'openid')],
    // The id token carries the CPR and level claims itself (as a broker's does), not only the userinfo endpoint.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      // RP-initiated logout (the portal's logout after a MitID login): a page of our own that confirms at once, with a
      // button for a browser without scripts.
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: { body: unknown }, form: string) {
          ctx.body = page(
            'Test-MitID – log ud',
            `<h1>Test-MitID</h1>
<p class="notice">Du bliver logget ud af Test-MitID og sendt tilbage til Min plan.</p>
${form}
<div class="actions"><button id="logout-yes" type="submit" class="primary" form="op.logoutForm" name="logout" value="yes">Log ud</button></div>
<script>document.getElementById('logout-yes').click();</script>`,
          );
        },
      },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: { AuthorizationCode: 60, IdToken: 600, AccessToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    async findAccount(_ctx: unknown, sub: string, token?: AuthorizationCodeLike) {
      const level = token?.acr === 'low' ? lowValue(claims.loaSubstantial) : claims.loaSubstantial;
      return {
        accountId: sub,
        async claims() {
          const cpr = sub === NOBODY ? NOBODY_CPR : await cprOf(options.db, options.cprKey, sub);
          return { sub, ...(cpr ? { [claims.cprClaim]: cpr } : {}), [claims.loaClaim]: level, 'mitid.transaction_id': randomUUID() };
        },
      };
    },
  });

  const oidc = provider.callback();
  const portalOrigin = new URL(options.redirectUri).origin;
  route.handler = (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      const match = /^\/interaction\/([A-Za-z0-9_-]{1,100})(\/login|\/abort)?$/.exec(url.pathname);
      if (!match) return oidc(req, res);
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== match[1]) return send(res, 400, page('Test-MitID', '<h1>Test-MitID</h1><p>Siden passer ikke til dit login. Start forfra fra Min plan.</p>'), portalOrigin);
      if (req.method === 'GET' && !match[2]) return send(res, 200, loginPage(details.uid, await peopleWithAccounts(options.db)), portalOrigin);
      if (req.method !== 'POST') return send(res, 405, page('Test-MitID', '<h1>Test-MitID</h1><p>Det kan siden ikke.</p>'), portalOrigin);
      if (match[2] === '/abort') {
        return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The person cancelled the login' }, { mergeWithLastSubmission: false });
      }
      const form = await readForm(req);
      const account = form.get('account') ?? '';
      if (account !== NOBODY && !UUID.test(account)) return send(res, 400, page('Test-MitID', '<h1>Test-MitID</h1><p>Vælg en person.</p>'), portalOrigin);
      const grant = new provider.Grant({ accountId: account, clientId: TEST_IDP_CLIENT_ID });
      grant.addOIDCScope(['openid', ...claims.scope.split(/\s+/).filter((s) => s && s !== 'openid')].join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account, acr: form.get('level') === 'low' ? 'low' : 'substantial', amr: ['mitid'], remember: false }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch(() => {
      if (!res.headersSent) send(res, 400, page('Test-MitID', '<h1>Test-MitID</h1><p>Login-siden er udløbet. Start forfra fra Min plan.</p>'), portalOrigin);
      else res.end();
    });
  };

  return {
    issuer,
    port,
    settings: { ...claims, issuer, clientId: TEST_IDP_CLIENT_ID, clientSecret, allowHttp: true },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
