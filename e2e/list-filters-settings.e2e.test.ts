// List filters (status, consultant from the programme's staff) kept in sessionStorage and never in the address; the
// search text (maybe a CPR number) kept in memory only;
// the programme manager's settings on Sagsstammer: ceiling validated 1–200, saved, and a stale save asks to reload.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot, url } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const consultantsColumn = (page: Page) => page.locator('.citizen-table tbody td[data-label="Ressourcekonsulenter"]').allTextContents();

test('as rk2: filtering by consultant and status is remembered in this tab and never reaches the address', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk2');
  await page.goto(url('/citizens'));
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await page.locator('.citizen-table tbody tr').first().waitFor();
  // One programme: no programme filter, the consultant filter lists its resource consultants.
  await expect.poll(() => page.getByLabel('Forløb', { exact: true }).count()).toBe(0);
  const consultant = page.getByLabel('Ressourcekonsulent', { exact: true });
  await page.locator('#citizen-consultant option', { hasText: 'Sofie Lund' }).waitFor({ state: 'attached' });
  await expect.poll(() => consultant.locator('option').allTextContents()).toEqual(expect.arrayContaining(['Alle konsulenter', 'Jesper Nygaard', 'Lone Madsen', 'Sofie Lund', 'Ali Hassan']));
  await consultant.selectOption({ label: 'Jesper Nygaard' });
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Aktiv' });
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: 'Søgeresultat' }).waitFor();
  await page.locator('.citizen-table tbody tr').first().waitFor();
  // Every shown row is Jesper Nygaard's and active, once the list shows the search's answer.
  await expect.poll(async () => {
    const shown = await consultantsColumn(page);
    return shown.length > 0 && shown.every((cell) => cell.includes('Jesper Nygaard'));
  }).toBe(true);
  await expect.poll(async () => {
    const statuses = await page.locator('.citizen-table tbody td[data-label="Status"]').allTextContents();
    return statuses.length > 0 && statuses.every((status) => status === 'Aktiv');
  }).toBe(true);
  await expect.poll(() => page.url()).toBe(url('/citizens'));
  await expectNoAxeViolations(page, 'Mine borgere filtered');
  await screenshot(page, 'citizens-filtered');

  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Søgeresultat' }).waitFor();
  await page.locator('#citizen-consultant option', { hasText: 'Jesper Nygaard' }).waitFor({ state: 'attached' });
  await expect.poll(() => page.locator('#citizen-consultant option:checked').textContent()).toBe('Jesper Nygaard');
  await expect.poll(() => page.locator('#citizen-status option:checked').textContent()).toBe('Aktiv');
  await expect.poll(() => page.evaluate(() => Object.values(sessionStorage).join(' '))).toContain('"status":"active"');

  // The search text may be a CPR number: kept in memory while the app runs, never in sessionStorage.
  await page.getByLabel('Navn, CPR-nummer eller fødselsdato').fill('010190 - 7391');
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await expect.poll(() => page.evaluate(() => Object.values(sessionStorage).join(' '))).toContain('"status":"active"');
  const storedWithText = await page.evaluate(() => Object.values(sessionStorage).join(' '));
  expect(storedWithText).not.toContain('7391');
  expect(storedWithText).not.toContain('010190');
  const menu = page.getByRole('navigation', { name: 'Hovedmenu' });
  await menu.getByRole('link', { name: 'Forløb', exact: true }).click();
  await expect.poll(() => page.url()).not.toBe(url('/citizens'));
  await menu.getByRole('link', { name: 'Mine borgere', exact: true }).click();
  await expect.poll(() => page.locator('#citizen-q').inputValue()).toBe('010190 - 7391');
  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Søgeresultat' }).waitFor();
  await expect.poll(() => page.locator('#citizen-q').inputValue()).toBe('');
  await page.locator('#citizen-consultant option', { hasText: 'Jesper Nygaard' }).waitFor({ state: 'attached' });
  await expect.poll(() => page.locator('#citizen-consultant option:checked').textContent()).toBe('Jesper Nygaard');

  await page.getByRole('button', { name: 'Ryd søgning' }).first().click();
  await page.getByRole('heading', { level: 2, name: 'Borgere på mine teams' }).waitFor();
  await expect.poll(() => page.locator('#citizen-consultant option:checked').textContent()).toBe('Alle konsulenter');

  // Logging out forgets the search text held in memory too: the same user logging in again starts empty.
  await page.getByLabel('Navn, CPR-nummer eller fødselsdato').fill('010190 - 7391');
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: 'Søgeresultat' }).waitFor();
  await page.getByRole('button', { name: 'Log ud' }).click();
  await page.getByRole('heading', { level: 1, name: 'Log ind', exact: true }).waitFor();
  // Logged in again in the same page, without loading it anew (which would empty the memory by itself).
  await page.getByLabel('Brugernavn').fill('rk2');
  await page.getByLabel('Adgangskode').fill('demo');
  await page.getByRole('button', { name: 'Log ind' }).click();
  // Home is "Min dag"; the menu leads on without loading the page anew.
  await page.getByRole('heading', { level: 1, name: 'Min dag' }).waitFor();
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Mine borgere' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Borgere på mine teams' }).waitFor();
  await expect.poll(() => page.locator('#citizen-q').inputValue()).toBe('');
  await t.close();
});

test('as projektleder: the caseload ceiling is checked (1–200), saved, and a stale save asks to reload', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'projektleder');
  await page.getByRole('heading', { level: 1, name: 'På vej til arbejde' }).waitFor();
  await page.getByRole('link', { name: 'Sagsstammer' }).click();
  const settings = page.getByRole('region', { name: 'Indstillinger for forløbet' });
  const ceiling = settings.getByLabel('Loft pr. ressourcekonsulent');
  await ceiling.waitFor();
  await expect.poll(() => ceiling.inputValue()).toBe('25');
  await expect.poll(() => settings.getByLabel('Ressourcekonsulenter ser alle forløbets borgere').isChecked()).toBe(false);
  // "På vej" shows notes to its citizens in the demo (Mine bemærkninger); the setting is left as it is.
  await expect.poll(() => settings.getByLabel('Borgerne ser notater om sig selv i Min plan').isChecked()).toBe(true);

  for (const wrong of ['0', '201', '12,5']) {
    await ceiling.fill(wrong);
    await settings.getByRole('button', { name: 'Gem indstillinger' }).click();
    await settings.getByText('Skriv loftet som et helt tal fra 1 til 200.').waitFor();
    await expect.poll(() => ceiling.getAttribute('aria-invalid')).toBe('true');
  }
  await ceiling.fill('24');
  await expectNoAxeViolations(page, 'the programme settings form');
  await settings.getByRole('button', { name: 'Gem indstillinger' }).click();
  await settings.getByText('Indstillingerne er gemt.').waitFor();
  await expect.poll(() => page.locator('.facts').first().textContent()).toContain('24 borgere');
  await screenshot(page, 'caseloads-settings');

  // Someone else saves in another tab; this tab's save is refused and offers the new values.
  const other = await t.context.newPage();
  await other.goto(url('/caseloads'));
  const otherCeiling = other.getByRole('region', { name: 'Indstillinger for forløbet' }).getByLabel('Loft pr. ressourcekonsulent');
  await expect.poll(() => otherCeiling.inputValue()).toBe('24');
  await otherCeiling.fill('23');
  await other.getByRole('button', { name: 'Gem indstillinger' }).click();
  await other.getByText('Indstillingerne er gemt.').waitFor();
  await other.close();

  const programmes = (await (await page.request.get(url('/api/programmes'))).json()) as { items: { id: string; name: string }[] };
  t.expectHttpError(`/api/programmes/${programmes.items.find((p) => p.name === 'På vej til arbejde')!.id}`, 409);
  await ceiling.fill('22');
  await settings.getByRole('button', { name: 'Gem indstillinger' }).click();
  await settings.getByText('Indstillingerne er ændret af en anden', { exact: false }).waitFor();
  await expectNoAxeViolations(page, 'the stale settings message');
  await settings.getByRole('button', { name: 'Hent de nye værdier' }).click();
  await expect.poll(() => ceiling.inputValue()).toBe('23');
  // Back to the default, so other tests see the ceiling they expect.
  await ceiling.fill('25');
  await settings.getByRole('button', { name: 'Gem indstillinger' }).click();
  await settings.getByText('Indstillingerne er gemt.').waitFor();
  await expect.poll(() => page.locator('.facts').first().textContent()).toContain('25 borgere');
  await t.close();
});
