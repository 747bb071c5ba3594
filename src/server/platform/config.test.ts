// Configuration from the environment: defaults, engine choice, demo mode, and clear errors.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('defaults to the embedded database in ./data on port 3000 with demo data on', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, dataDir: './data', engine: 'pglite', demo: true });
  });

  it('uses PostgreSQL when DATABASE_URL is set, with demo mode off unless asked', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@localhost/db' })).toThrow(/SESSION_SECRET: required/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', SESSION_SECRET: 's'.repeat(32) })).toThrow(/CPR_KEY: required/);
    const base = { DATABASE_URL: 'postgres://x@localhost/db', SESSION_SECRET: 's'.repeat(32), CPR_KEY: 'k'.repeat(32) };
    expect(() => loadConfig(base)).toThrow(/AUDIT_KEY: required/);
    expect(() => loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), AUDIT_ANCHOR_FILE: '/var/lib/bindeled-anchor/head.log' })).toThrow(/RESEARCH_KEY: required/);
    expect(() => loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), RESEARCH_KEY: 'r'.repeat(32) })).toThrow(/AUDIT_ANCHOR_FILE: required/);
    const c = loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), RESEARCH_KEY: 'r'.repeat(32), AUDIT_ANCHOR_FILE: '/var/lib/bindeled-anchor/head.log' });
    expect(c).toMatchObject({ engine: 'postgres', demo: false, cookieSecure: true, host: '0.0.0.0', trustProxy: false });
    expect(c.warnings.join(' ')).toContain('DATABASE_MIGRATION_URL');
    expect(loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', BINDELED_DEMO: '1' }).demo).toBe(true);
  });

  it('names each bad value', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', BINDELED_DEMO: 'maybe', SESSION_SECRET: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'BINDELED_DEMO', 'SESSION_SECRET']) expect(message).toContain(name);
    }
  });

  it('fails closed outside demo mode: demo secrets, equal keys and an anchor inside DATA_DIR are refused', () => {
    const base = { DATABASE_URL: 'postgres://x@localhost/db', SESSION_SECRET: 's'.repeat(32), CPR_KEY: 'k'.repeat(32), AUDIT_ANCHOR_FILE: '/srv/anchor.log' };
    expect(() => loadConfig({ ...base, AUDIT_KEY: 'bindeled-demo-audit-key-not-for-production-use-0' })).toThrow(/AUDIT_KEY: the demo value/);
    expect(() => loadConfig({ ...base, AUDIT_KEY: 's'.repeat(32) })).toThrow(/AUDIT_KEY: must differ from SESSION_SECRET/);
    // The research key: a demo value or another secret's value is refused.
    expect(() => loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), RESEARCH_KEY: 'bindeled-demo-research-key-not-for-production-0' })).toThrow(/RESEARCH_KEY: the demo value/);
    expect(() => loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), RESEARCH_KEY: 'k'.repeat(32) })).toThrow(/RESEARCH_KEY: must differ/);
    expect(loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), RESEARCH_KEY: 'r'.repeat(32), DATA_DIR: '/srv/data' }).exportDir).toBe('/srv/data/exports');
    expect(() => loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), RESEARCH_KEY: 'r'.repeat(32), DATA_DIR: '/srv/data', AUDIT_ANCHOR_FILE: '/srv/data/anchor.log' })).toThrow(
      /AUDIT_ANCHOR_FILE: must lie outside DATA_DIR/,
    );
    const separate = loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), RESEARCH_KEY: 'r'.repeat(32), DATABASE_MIGRATION_URL: 'postgres://owner@localhost/db' });
    expect(separate.migrationDatabaseUrl).toBe('postgres://owner@localhost/db');
    // Without SMTP the portal sends nothing and says so at start (invitations and code logins are refused, 503).
    expect(separate.warnings).toEqual([expect.stringMatching(/^MITID_ISSUER is not set/), expect.stringMatching(/^SMTP_HOST is not set/)]);
    const withMail = loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), RESEARCH_KEY: 'r'.repeat(32), DATABASE_MIGRATION_URL: 'postgres://owner@localhost/db', SMTP_HOST: 'smtp.example.org', MAIL_FROM: 'Min plan <noreply@example.org>', PUBLIC_URL: 'https://bindeled.example.dk' });
    expect(withMail.warnings).toEqual([expect.stringMatching(/^MITID_ISSUER is not set/)]);
  });

  it('demo mode listens on 127.0.0.1 with plain cookies unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ host: '127.0.0.1', cookieSecure: false });
    // Serving the implicit demo to the network must be asked for by name.
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST: 0\.0\.0\.0 would serve the demo/);
    expect(loadConfig({ HOST: '0.0.0.0', BINDELED_DEMO: 'true' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '127.0.0.2' }).host).toBe('127.0.0.2');
  });

  it('reads TRUST_PROXY as a list of addresses and CIDR blocks and refuses anything else', () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1' }).trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
  });

  describe('MitID', () => {
    const prod = { DATABASE_URL: 'postgres://x@localhost/db', SESSION_SECRET: 's'.repeat(32), CPR_KEY: 'k'.repeat(32), AUDIT_KEY: 'a'.repeat(32), RESEARCH_KEY: 'r'.repeat(32), AUDIT_ANCHOR_FILE: '/srv/anchor.log' };
    const broker = { MITID_ISSUER: 'https://broker.example.dk/op', MITID_CLIENT_ID: 'bindeled', MITID_CLIENT_SECRET: 'x'.repeat(40) };

    it('takes a complete broker with the defaults of a Danish MitID broker, and no test identity provider', () => {
      const c = loadConfig({ ...prod, ...broker });
      expect(c.mitid).toEqual({
        issuer: 'https://broker.example.dk/op',
        clientId: 'bindeled',
        clientSecret: 'x'.repeat(40),
        allowHttp: false,
        cprClaim: 'dk.cpr',
        loaClaim: 'loa',
        loaSubstantial: 'https://data.gov.dk/concept/core/nsis/loa/Substantial',
        scope: 'openid ssn',
      });
      expect(c.testIdpPort).toBeUndefined();
      expect(c.warnings.join(' ')).not.toContain('MITID_ISSUER');
      const custom = loadConfig({ ...prod, ...broker, MITID_CPR_CLAIM: 'https://data.gov.dk/model/core/eid/cprNumber', MITID_LOA_CLAIM: 'https://data.gov.dk/concept/core/nsis/loa', MITID_LOA_SUBSTANTIAL: 'Substantial', MITID_SCOPE: 'openid mitid' });
      expect(custom.mitid).toMatchObject({ cprClaim: 'https://data.gov.dk/model/core/eid/cprNumber', loaClaim: 'https://data.gov.dk/concept/core/nsis/loa', loaSubstantial: 'Substantial', scope: 'openid mitid' });
    });

    it('fails closed: a partial broker, plain http, claim settings without a broker and a test provider outside demo mode are start-up errors', () => {
      expect(() => loadConfig({ ...prod, MITID_ISSUER: broker.MITID_ISSUER })).toThrow(/MITID_CLIENT_ID, MITID_CLIENT_SECRET: required together with MITID_ISSUER/);
      expect(() => loadConfig({ ...prod, MITID_CLIENT_ID: 'x', MITID_CLIENT_SECRET: 'y' })).toThrow(/MITID_ISSUER: required together with/);
      expect(() => loadConfig({ MITID_CLIENT_SECRET: 'y' })).toThrow(/MITID_ISSUER, MITID_CLIENT_ID: required together with MITID_CLIENT_SECRET/);
      expect(() => loadConfig({ ...prod, ...broker, MITID_ISSUER: 'http://broker.example.dk/op' })).toThrow(/MITID_ISSUER: must be an https URL outside demo mode/);
      expect(() => loadConfig({ ...prod, ...broker, MITID_ISSUER: 'not a url' })).toThrow(/MITID_ISSUER/);
      expect(() => loadConfig({ ...prod, MITID_CPR_CLAIM: 'dk.cpr' })).toThrow(/MITID_ISSUER: the other MITID_ settings mean nothing without it/);
      expect(() => loadConfig({ ...prod, ...broker, MITID_SCOPE: 'ssn' })).toThrow(/MITID_SCOPE: must include openid/);
      expect(() => loadConfig({ ...prod, TEST_IDP_PORT: '3001' })).toThrow(/TEST_IDP_PORT: the test identity provider runs only in demo mode/);
      expect(() => loadConfig({ ...broker, TEST_IDP_PORT: '3001' })).toThrow(/TEST_IDP_PORT/);
      expect(() => loadConfig({ TEST_IDP_PORT: '3000' })).toThrow(/TEST_IDP_PORT: must differ from PORT/);
      expect(() => loadConfig({ TEST_IDP_PORT: '70000' })).toThrow(/TEST_IDP_PORT/);
    });

    it('in demo mode without a broker, the test identity provider stands in on its own port', () => {
      expect(loadConfig({})).toMatchObject({ mitid: undefined, testIdpPort: 3001, mitidClaims: { cprClaim: 'dk.cpr', loaClaim: 'loa' } });
      expect(loadConfig({ PORT: '3001' }).testIdpPort).toBe(3002);
      expect(loadConfig({ TEST_IDP_PORT: '0' }).testIdpPort).toBe(0);
      // A broker's test setup over http is allowed in demo mode only.
      const demoBroker = loadConfig({ ...broker, MITID_ISSUER: 'http://127.0.0.1:4000' });
      expect(demoBroker).toMatchObject({ testIdpPort: undefined, mitid: { allowHttp: true } });
    });
  });

  it('refuses an audit retention shorter than a year (the access log of a citizen covers 12 months)', () => {
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '364' })).toThrow(/AUDIT_RETENTION_DAYS: must be at least 365 days/);
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '30' })).toThrow(/AUDIT_RETENTION_DAYS/);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '365' }).auditRetentionDays).toBe(365);
    expect(loadConfig({}).auditRetentionDays).toBe(1825);
  });
});
