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
    expect(() => loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32) })).toThrow(/AUDIT_ANCHOR_FILE: required/);
    const c = loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), AUDIT_ANCHOR_FILE: '/var/lib/bindeled-anchor/head.log' });
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
    expect(() => loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), DATA_DIR: '/srv/data', AUDIT_ANCHOR_FILE: '/srv/data/anchor.log' })).toThrow(
      /AUDIT_ANCHOR_FILE: must lie outside DATA_DIR/,
    );
    const separate = loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), DATABASE_MIGRATION_URL: 'postgres://owner@localhost/db' });
    expect(separate.migrationDatabaseUrl).toBe('postgres://owner@localhost/db');
    // Without SMTP the portal sends nothing and says so at start (invitations and code logins are refused, 503).
    expect(separate.warnings).toEqual([expect.stringMatching(/^SMTP_HOST is not set/)]);
    const withMail = loadConfig({ ...base, AUDIT_KEY: 'a'.repeat(32), DATABASE_MIGRATION_URL: 'postgres://owner@localhost/db', SMTP_HOST: 'smtp.example.org', MAIL_FROM: 'Min plan <noreply@example.org>', PUBLIC_URL: 'https://bindeled.example.dk' });
    expect(withMail.warnings).toEqual([]);
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

  it('refuses an audit retention shorter than a year (the access log of a citizen covers 12 months)', () => {
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '364' })).toThrow(/AUDIT_RETENTION_DAYS: must be at least 365 days/);
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '30' })).toThrow(/AUDIT_RETENTION_DAYS/);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '365' }).auditRetentionDays).toBe(365);
    expect(loadConfig({}).auditRetentionDays).toBe(1825);
  });
});
