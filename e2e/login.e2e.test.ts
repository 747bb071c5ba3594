// Login: the page is accessible, a wrong password or unknown user gets one clear message, and each role lands on its home.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot, url } from './support/browser.ts';

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
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-username');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('da');
  await expectNoAxeViolations(page, 'the login page');
  await screenshot(page, 'login');
  await t.close();
});

test('a wrong password shows the one login-failed message and keeps the username', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await page.goto(url('/login'));
  await page.getByLabel('Brugernavn').fill('rk3');
  await page.getByLabel('Adgangskode').fill('not-the-password');
  await page.getByRole('button', { name: 'Log ind' }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'Du blev ikke logget ind' });
  await alert.waitFor();
  expect(await alert.textContent()).toContain('Brugernavnet eller adgangskoden er forkert, eller kontoen er midlertidigt låst efter for mange forsøg');
  expect(page.url()).toMatch(/\/login$/);
  expect(await page.getByLabel('Brugernavn').inputValue()).toBe('rk3');
  expect(await page.getByLabel('Adgangskode').inputValue()).toBe('');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-username');
  await expectNoAxeViolations(page, 'the login page with an error');
  await screenshot(page, 'login-error');
  await t.close();
});

test('an unknown user gets the same message as a wrong password', async () => {
  const t = await openPage(browser);
  const { page } = t;
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
  expect(await page.getByLabel('Brugernavn').getAttribute('aria-invalid')).toBe('true');
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
  expect(await nav.getByRole('link').allTextContents()).toEqual(['Brugere', 'Kodelister', 'Skift adgangskode']);
  await expect.poll(() => page.getByRole('banner').textContent()).toContain('Birgitte Holm');
  expect(await page.getByRole('banner').textContent()).toContain('Næstved Kommune');
  await page.getByRole('button', { name: 'Log ud' }).click();
  await page.waitForURL(/\/login$/);
  await page.getByText('Du er logget ud.').waitFor();

  await login(page, 'dpo');
  await page.waitForURL(/\/log$/);
  await page.getByRole('heading', { level: 1, name: 'Log' }).waitFor();
  expect(await nav.getByRole('link').allTextContents()).toEqual(['Log', 'Skift adgangskode']);
  await page.getByRole('button', { name: 'Log ud' }).click();
  await page.waitForURL(/\/login$/);

  // Another role's page answers "not found" rather than showing anything.
  // A resource consultant lands on "Mine borgere".
  await login(page, 'rk1');
  await page.waitForURL(/\/citizens$/);
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await page.goto(url('/users'));
  await page.getByRole('heading', { level: 1, name: 'Siden findes ikke' }).waitFor();
  expect(await nav.getByRole('link').allTextContents()).toEqual(['Mine borgere', 'Forløb', 'Skift adgangskode']);
  await t.close();
});

test('when the session ends behind the page, the next request leads to login and back to the same page', async () => {
  const t = await openPage(browser);
  const { page, context } = t;
  await login(page, 'styregruppe');
  await page.getByRole('heading', { level: 1, name: 'På vej til arbejde' }).waitFor();
  // As if the session expired on the server: the browser no longer has the cookie.
  await context.clearCookies();
  t.expectHttpError('/api/programmes', 401);
  await page.getByRole('link', { name: 'Forløb' }).click();
  await page.waitForURL(/\/login$/);
  await page.getByText('Du er blevet logget ud. Log ind igen for at fortsætte.').waitFor();
  await page.getByLabel('Brugernavn').fill('styregruppe');
  await page.getByLabel('Adgangskode').fill('demo');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForURL(/\/programmes$/);
  await page.getByRole('heading', { level: 1, name: 'Forløb' }).waitFor();
  await page.getByRole('link', { name: 'På vej til arbejde' }).waitFor();
  await screenshot(page, 'programme-list');
  await t.close();
});
