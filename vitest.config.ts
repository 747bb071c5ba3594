// Integration tests run twice: on embedded PGlite and on a real PostgreSQL server.
import { defineConfig } from 'vitest/config';

const shared = {
  include: ['src/**/*.test.ts'],
  globalSetup: ['src/server/testing/global-setup.ts'],
  setupFiles: ['src/server/testing/fail-on-console-error.ts'],
  testTimeout: 30_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
  maxWorkers: 2,
};

export default defineConfig({
  test: {
    projects: [
      // Tests of the production planner (query plans on a real server) run once, on PostgreSQL.
      { test: { ...shared, name: 'pglite', env: { TEST_ENGINE: 'pglite' }, exclude: ['**/*.postgres.test.ts', '**/node_modules/**'] } },
      // Tests of the embedded database itself (restarts of its data directory) run once, on PGlite.
      { test: { ...shared, name: 'postgres', env: { TEST_ENGINE: 'postgres' }, exclude: ['**/*.pglite.test.ts', '**/node_modules/**'] } },
    ],
  },
});
