// Caseloads for the programme manager (table, chart, handover with confirmation) and code lists for the admin.
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

test('as projektleder: Sagsstammer shows rk1–rk4 against the ceiling, and a substitute handover shows up', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'projektleder');
  await page.getByRole('heading', { level: 1, name: 'På vej til arbejde' }).waitFor();
  // The programme page pictures active citizens against capacity.
  await page.locator('.capacity-gauge span').waitFor();

  await page.getByRole('link', { name: 'Sagsstammer' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sagsstammer' }).waitFor();
  const rows = page.locator('.caseload-table tbody tr');
  await rows.first().waitFor();
  await expect.poll(() => rows.locator('th').allTextContents()).toEqual(expect.arrayContaining(['Lone Madsen', 'Jesper Nygaard', 'Sofie Lund', 'Ali Hassan']));
  await expect.poll(() => page.locator('.facts').textContent()).toContain('Højst 20 borgere');
  await expect.poll(() => page.locator('.caseload-chart svg .recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(4);
  await expectNoAxeViolations(page, 'Sagsstammer');
  await screenshot(page, 'caseloads-desktop');

  await page.getByLabel('Fra konsulent').selectOption({ label: 'Ali Hassan' });
  await page.getByLabel('Til konsulent').selectOption({ label: 'Sofie Lund' });
  await page.getByRole('button', { name: 'Overdrag' }).click();
  await page.getByText('Vælg, hvornår vikariatet slutter.').waitFor();
  await page.getByLabel('Til og med dato').fill('2099-12-31');
  await page.getByRole('button', { name: 'Overdrag' }).click();
  const confirm = page.getByRole('alertdialog');
  await confirm.getByText('Sæt Sofie Lund som vikar for alle Ali Hassans borgere').waitFor();
  await expectNoAxeViolations(page, 'the handover confirmation');
  await confirm.getByRole('button', { name: 'Ja, overdrag' }).click();
  await page.getByText(/\d+ forløb er overdraget fra Ali Hassan til Sofie Lund\./).waitFor();
  await expect.poll(() => rows.filter({ hasText: 'Sofie Lund' }).textContent()).toContain('Ali Hassan');
  await screenshot(page, 'caseloads-after-handover');

  await page.getByRole('link', { name: 'Borgere', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Borgere', exact: true }).waitFor();
  await page.locator('.citizen-table tbody tr').first().waitFor();
  await expectNoAxeViolations(page, 'Borgere (programme manager)');
  await t.close();
});

test('as admin: Kodelister shows national codes read-only and adds a local referral source', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'admin');
  await page.getByRole('link', { name: 'Kodelister' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kodelister' }).waitFor();
  const table = page.locator('.code-table');
  await table.getByText('kontanthjaelp').waitFor();
  await expect.poll(() => table.textContent()).toContain('Landsdækkende');
  await expectNoAxeViolations(page, 'Kodelister');

  await page.getByLabel('Kodeliste').selectOption({ label: 'Henvisningskilde' });
  await page.getByRole('button', { name: 'Tilføj egen kode' }).click();
  await page.getByLabel('Kode', { exact: true }).fill('lokal_boligsocial');
  await page.getByLabel('Dansk betegnelse').fill('Boligsocial medarbejder');
  await page.getByLabel('Engelsk betegnelse').fill('Housing social worker');
  await page.getByRole('button', { name: 'Gem kode' }).click();
  await page.getByText('Koden lokal_boligsocial er gemt.').waitFor();
  const row = table.locator('tr', { hasText: 'lokal_boligsocial' });
  await row.waitFor();
  await expect.poll(() => row.textContent()).toContain('Egen');
  await screenshot(page, 'code-lists');

  // Ending it: the code gets an end date.
  await row.getByRole('button', { name: /Ret/ }).click();
  await page.getByLabel('Gyldig til og med (valgfrit)').fill('2030-12-31');
  await page.getByRole('button', { name: 'Gem kode' }).click();
  await page.getByText('Koden lokal_boligsocial er gemt.').waitFor();
  await expect.poll(() => row.textContent()).toContain('31.12.2030');
  await t.close();
});
