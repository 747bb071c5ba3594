// Login: the page is accessible, a wrong password or unknown user gets one clear message, and each role lands on its home.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('the login page has labelled fields, focus in the username and no WCAG 2.1 AA violations', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await page.goto(url('/'));
  await page.waitForURL(/\/login$/);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Log ind');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('login-username');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('da');
  await expectNoAxeViolations(page, 'the login page');
  await screenshot(page, 'login');
  await t.close();
});

test('a wrong password shows the one login-failed message and keeps the username', async () => {
  const t = await openPage(browser);
  const { page } = t;
  t.expectHttpError('/api/auth/login', 401);
  await page.goto(url('/login'));
  await page.getByLabel('Brugernavn').fill('rk3');
  await page.getByLabel('Adgangskode').fill('not-the-password');
  await page.getByRole('button', { name: 'Log ind' }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'Du blev ikke logget ind' });
  await alert.waitFor();
  await expect.poll(() => alert.textContent()).toContain('Brugernavnet eller adgangskoden er forkert, eller kontoen er midlertidigt låst efter for mange forsøg');
  await expect.poll(() => page.url()).toMatch(/\/login$/);
  await expect.poll(() => page.getByLabel('Brugernavn').inputValue()).toBe('rk3');
  await expect.poll(() => page.getByLabel('Adgangskode').inputValue()).toBe('');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('login-username');
  await expectNoAxeViolations(page, 'the login page with an error');
  await screenshot(page, 'login-error');
  await t.close();
});

test('an unknown user gets the same message as a wrong password', async () => {
  const t = await openPage(browser);
  const { page } = t;
  t.expectHttpError('/api/auth/login', 401);
  await page.goto(url('/login'));
  await page.getByLabel('Brugernavn').fill('nobody-here');
  await page.getByLabel('Adgangskode').fill('demo');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByText('Brugernavnet eller adgangskoden er forkert').waitFor();
  await t.close();
});

test('submitting empty fields names the missing field instead of calling the server', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await page.goto(url('/login'));
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByText('Skriv dit brugernavn.').waitFor();
  await expect.poll(() => page.getByLabel('Brugernavn').getAttribute('aria-invalid')).toBe('true');
  await t.close();
});

test('each role lands on its home and sees only its menu items; logout returns to login', async () => {
  const t = await openPage(browser);
  const { page } = t;
  const nav = page.getByRole('navigation', { name: 'Hovedmenu' });

  await login(page, 'admin');
  await page.waitForURL(/\/users$/);
  // The address changes before React has drawn the page, so wait for the page's heading.
  await page.getByRole('heading', { level: 1, name: 'Brugere' }).waitFor();
  await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Brugere', 'Kodelister', 'Måleredskaber', 'Skift adgangskode']);
  await expect.poll(() => page.getByRole('banner').textContent()).toContain('Birgitte Holm');
  await expect.poll(() => page.getByRole('banner').textContent()).toContain('Næstved Kommune');
  await page.getByRole('button', { name: 'Log ud' }).click();
  await page.waitForURL(/\/login$/);
  await page.getByText('Du er logget ud.').waitFor();

  await login(page, 'dpo');
  await page.waitForURL(/\/log$/);
  await page.getByRole('heading', { level: 1, name: 'Log', exact: true }).waitFor();
  await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Log', 'Borgernes log', 'Undersøgelser', 'Indsigtsanmodninger', 'Skift adgangskode']);
  await page.getByRole('button', { name: 'Log ud' }).click();
  await page.waitForURL(/\/login$/);

  // Another role's page answers "not found" rather than showing anything.
  // A resource consultant lands on "Min dag".
  await login(page, 'rk1');
  await page.waitForURL(/\/my-day$/);
  await page.getByRole('heading', { level: 1, name: 'Min dag' }).waitFor();
  await page.goto(url('/users'));
  await page.getByRole('heading', { level: 1, name: 'Siden findes ikke' }).waitFor();
  await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Min dag', 'Mine borgere', 'Kalender', 'Henvendelser', 'Virksomheder', 'Forløb', 'Indsigtsanmodninger', 'Skift adgangskode']);
  await t.close();
});

test("a change of user in another tab reaches this tab: the earlier user's menu and name go", async () => {
  const t = await openPage(browser);
  const { page, context } = t;
  const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
  await login(page, 'admin');
  await page.getByRole('heading', { level: 1, name: 'Brugere' }).waitFor();
  await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Brugere', 'Kodelister', 'Måleredskaber', 'Skift adgangskode']);

  // The same browser, another tab: it shares the cookie. The admin logs out there and the dpo logs in.
  const other = await context.newPage();
  await other.goto(url('/'));
  await other.getByRole('heading', { level: 1, name: 'Brugere' }).waitFor();
  await other.getByRole('button', { name: 'Log ud' }).click();
  await other.getByText('Du er logget ud.').waitFor();
  await other.getByLabel('Brugernavn').fill('dpo');
  await other.getByLabel('Adgangskode').fill('demo');
  await other.getByRole('button', { name: 'Log ind' }).click();
  await other.getByRole('heading', { level: 1, name: 'Log', exact: true }).waitFor();

  // The first tab now speaks with the dpo's cookie, so it shows the dpo: never the admin's menu or name.
  await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Log', 'Borgernes log', 'Undersøgelser', 'Indsigtsanmodninger', 'Skift adgangskode']);
  await expect.poll(() => page.getByRole('banner').textContent()).toContain('Henrik Dahl');
  await expect.poll(() => page.getByRole('banner').textContent()).not.toContain('Birgitte Holm');
  await other.close();
  await t.close();
});

test('a logged-out visit to any page logs no error in the browser and ends on the login page', async () => {
  const t = await openPage(browser);
  const { page } = t;
  for (const path of ['/', '/citizens', '/users', '/log', '/programmes', '/password', '/no-such-page', '/login']) {
    await page.goto(url(path));
    await page.waitForURL(/\/login$/);
    await page.getByRole('heading', { level: 1, name: 'Log ind', exact: true }).waitFor();
  }
  // The console listener of openPage fails the test on any error, including a 401 from the session check.
  await t.close();
});

test('demo mode shows a Demo banner on every page, readable at 360 px', async () => {
  for (const [viewport, name] of [[undefined, 'desktop'], [PHONE, 'phone']] as const) {
    const t = await openPage(browser, viewport);
    const { page } = t;
    await page.goto(url('/login'));
    const banner = page.getByRole('banner').locator('.demo-banner');
    await expect.poll(() => banner.textContent()).toBe('Demo Alle personer, sager og konti er opdigtede. Skriv ikke rigtige personoplysninger her.');
    await expect.poll(() => banner.isVisible()).toBe(true);
    // White on near-black (axe cannot always judge text over a background it did not paint itself).
    await expect.poll(() => banner.locator('p').evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el.parentElement!).backgroundColor])).toEqual([
      'rgb(255, 255, 255)',
      'rgb(26, 26, 26)',
    ]);
    await expectNoAxeViolations(page, `the login page with the demo banner (${name})`);
    await screenshot(page, `demo-banner-login-${name}`);

    await login(page, 'projektleder');
    await page.getByRole('heading', { level: 1, name: 'På vej til arbejde' }).waitFor();
    await expect.poll(() => banner.isVisible()).toBe(true);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => banner.textContent()).toBe('Demo Every person, case and account is made up. Do not enter real personal data here.');
    await expect.poll(() => overflowsHorizontally(page)).toBe(false);
    await expectNoAxeViolations(page, `a page with the demo banner (${name})`);
    await screenshot(page, `demo-banner-programme-${name}`);
    await page.getByRole('button', { name: 'Dansk' }).click();
    await t.close();
  }
});

test('when the session ends behind the page, the next request leads to login and back to the same page', async () => {
  const t = await openPage(browser);
  const { page, context } = t;
  await login(page, 'styregruppe');
  await page.getByRole('heading', { level: 1, name: 'På vej til arbejde' }).waitFor();
  // As if the session expired on the server: the browser no longer has the cookie.
  await context.clearCookies();
  t.expectHttpError('/api/programmes', 401);
  await page.getByRole('link', { name: 'Forløb', exact: true }).click();
  await page.waitForURL(/\/login$/);
  await page.getByText('Du er blevet logget ud. Log ind igen for at fortsætte.').waitFor();
  await page.getByLabel('Brugernavn').fill('styregruppe');
  await page.getByLabel('Adgangskode').fill('demo');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForURL(/\/programmes$/);
  await page.getByRole('heading', { level: 1, name: 'Forløb', exact: true }).waitFor();
  await page.getByRole('link', { name: 'På vej til arbejde' }).waitFor();
  await screenshot(page, 'programme-list');
  await t.close();
});
