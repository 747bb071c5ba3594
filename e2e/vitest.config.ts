// Browser tests: one real server for the whole run, files one after another in Debian's chromium.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    // One server and one browser at a time: tests stay independent of each other's timing.
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
    retry: 0,
    // Assertions poll until the page shows what they check (as long as a locator waits), never a fixed sleep.
    expect: { poll: { timeout: 15_000, interval: 100 } },
    pool: 'forks',
  },
});
