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
    const c = loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', SESSION_SECRET: 's'.repeat(32), CPR_KEY: 'k'.repeat(32) });
    expect(c).toMatchObject({ engine: 'postgres', demo: false });
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
});
