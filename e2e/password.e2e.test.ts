// Changing the own password: the rules are checked while typing, the server's answers are translated, and the new one works.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('a job consultant (whom no other browser test uses) changes the password after the form explains the rules, and logs in with it', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'jobkonsulent');
  await page.getByRole('link', { name: 'Skift adgangskode' }).click();
  await page.getByRole('heading', { level: 1, name: 'Skift adgangskode' }).waitFor();
  await expectNoAxeViolations(page, 'the change-password page');

  t.expectHttpError('/api/auth/password', 400);
  await page.getByLabel('Nuværende adgangskode').fill('wrong-current');
  await page.getByLabel('Ny adgangskode', { exact: true }).fill('kort');
  await page.getByLabel('Gentag ny adgangskode').fill('kort');
  await page.getByLabel('Ny adgangskode', { exact: true }).blur();
  await page.getByText('Adgangskoden skal have mindst 12 tegn.').waitFor();
  await page.getByLabel('Ny adgangskode', { exact: true }).fill('thomas-paa-arbejde');
  await page.getByText('Adgangskoden må ikke indeholde navnet eller brugernavnet.').waitFor();
  await page.getByLabel('Ny adgangskode', { exact: true }).fill('Skovtur-i-regnvejr');
  await page.getByLabel('Gentag ny adgangskode').fill('Skovtur-i-regnvejr');
  await page.getByRole('button', { name: 'Skift adgangskode' }).click();
  // The server's answer about the current password is shown at that field, in Danish.
  await page.getByText('Den nuværende adgangskode er forkert.').waitFor();
  await expect.poll(() => page.getByLabel('Ny adgangskode', { exact: true }).inputValue()).toBe('Skovtur-i-regnvejr');
  await expectNoAxeViolations(page, 'the change-password page with errors');
  await screenshot(page, 'password-errors');

  await page.getByLabel('Nuværende adgangskode').fill('demo');
  await page.getByRole('button', { name: 'Skift adgangskode' }).click();
  await page.getByText('Din adgangskode er skiftet.').waitFor();
  await screenshot(page, 'password-changed');

  await page.getByRole('button', { name: 'Log ud' }).click();
  await page.waitForURL(/\/login$/);
  await login(page, 'jobkonsulent', 'Skovtur-i-regnvejr');
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await t.close();
});
