// Browser test helpers: chromium per file, a page that fails the test on console errors, login, axe and screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, inject, onTestFailed } from 'vitest';

const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 740 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export type TestPage = {
  page: Page;
  context: BrowserContext;
  errors: string[];
  /**
   * Declares a console error the test provokes on purpose: the browser's log line for this status from this API path.
   * Nothing else is allowed: a logged-out visit asks /api/auth/session, which answers 200.
   */
  expectHttpError: (path: string, status: number) => void;
  close: () => Promise<void>;
};

export async function openPage(browser: Browser, viewport = DESKTOP): Promise<TestPage> {
  const context = await browser.newContext({ viewport, locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  const provoked: { path: string; status: number }[] = [];
  const isProvoked = (message: ConsoleMessage) =>
    provoked.some(
      (p) =>
        message.text().startsWith(`Failed to load resource: the server responded with a status of ${p.status}`) &&
        new URL(message.location().url).pathname === p.path,
    );
  page.on('console', (message) => {
    if (message.type() === 'error' && !isProvoked(message)) {
      errors.push(`console.error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  // A failed test leaves a picture of what the browser showed, to see why.
  onTestFailed(async ({ task }) => {
    if (!page.isClosed()) await screenshot(page, `FAILED-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
  });
  return {
    page,
    context,
    errors,
    expectHttpError: (path, status) => provoked.push({ path, status }),
    close: async () => {
      await context.close();
      expect(errors, 'the browser reported errors').toEqual([]);
    },
  };
}

export function url(path: string): string {
  return `${inject('baseUrl')}${path}`;
}

export async function login(page: Page, username: string, password = 'demo'): Promise<void> {
  await page.goto(url('/login'));
  await page.getByLabel('Brugernavn').fill(username);
  await page.getByLabel('Adgangskode').fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Runs axe for WCAG 2.1 A and AA and fails with a readable list of what is wrong and where. */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const problems = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(problems, `axe WCAG 2.1 AA violations on ${what}`).toEqual([]);
}

export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // The whole page by default; `fullPage: false` keeps what the window shows (a part of a long page, legible).
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: opts.fullPage ?? true });
}

/** True when the page is wider than the window, i.e. the user would have to scroll sideways. */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}
