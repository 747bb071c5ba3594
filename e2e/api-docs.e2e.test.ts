// The API documentation page: public, and working under its own content security policy without a console error.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, url } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('the docs page shows the API, its operations and their security, logged out, under its CSP', async () => {
  const t = await openPage(browser);
  const { page } = t;
  const response = await page.goto(url('/api/docs/'));
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await page.getByRole('heading', { name: /Bindeled API/ }).waitFor();
  await page.locator('.opblock-summary-path[data-path="/api/auth/session"]').first().waitFor();
  // Operations that need a session show the lock of their security requirement.
  await expect.poll(() => page.locator('.opblock .authorization__btn').count()).toBeGreaterThan(10);
  // openPage fails the test on any console error, including a CSP violation.
  await t.close();
});
