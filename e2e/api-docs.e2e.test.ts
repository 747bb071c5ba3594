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

interface Spec {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

test('the docs page shows every operation of the API and the lock on each secured one, logged out, under its CSP', async () => {
  const t = await openPage(browser);
  const { page } = t;
  const response = await page.goto(url('/api/docs/'));
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  // A large document: the viewer may need a while on a busy machine before it draws.
  await page.getByRole('heading', { name: /Bindeled API/ }).waitFor({ timeout: 60_000 });
  await page.locator('.opblock-summary-path[data-path="/api/auth/session"]').first().waitFor();

  const spec = (await (await page.request.get(url('/api/docs/json'))).json()) as Spec;
  const expected = new Map<string, boolean>();
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) expected.set(`${method.toUpperCase()} ${path}`, (operation.security ?? []).length > 0);
  }

  // The viewer draws only the operations near the screen (a long document is rendered as it is scrolled), so the
  // page is read screen by screen: every operation must be drawn somewhere, each secured one with its lock.
  const drawn = new Map<string, boolean>();
  let lastHeight = -1;
  for (let screen = 0; screen < 400; screen += 1) {
    const blocks = await page.locator('.opblock').evaluateAll((elements) =>
      elements.map((el) => ({
        method: el.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '',
        path: el.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '',
        lock: el.querySelector('.authorization__btn') !== null,
      })),
    );
    for (const block of blocks) drawn.set(`${block.method} ${block.path}`, block.lock);
    const position = await page.evaluate(() => {
      window.scrollBy(0, window.innerHeight * 0.8);
      return { y: window.scrollY + window.innerHeight, height: document.documentElement.scrollHeight };
    });
    if (position.y >= position.height && position.height === lastHeight) break;
    lastHeight = position.height;
    await page.waitForTimeout(50);
  }

  expect([...expected.keys()].filter((op) => !drawn.has(op))).toEqual([]);
  expect([...expected].filter(([op, secured]) => drawn.get(op) !== secured).map(([op]) => op)).toEqual([]);
  expect(expected.size).toBeGreaterThan(100);
  // openPage fails the test on any console error, including a CSP violation.
  await t.close();
});
