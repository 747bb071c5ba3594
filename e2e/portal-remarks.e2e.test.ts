// "Mine bemærkninger" and the confirmation of a prepared consent at 360 px, as demo citizen 41 logged in through
// the MitID test identity provider (decision record 0036): the notes "På vej til arbejde" shows (not the internal
// one); a remark written beside a note and shown under it; then in Mine samtykker the consent Næstved prepared,
// confirmed after the second question, after which it is among the consents. axe clean on every step; screenshots.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { citizenId } from '../src/server/demo/demo-citizens.ts';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, openPage, overflowsHorizontally, PHONE, screenshot } from './support/browser.ts';
import { mitIdLogin, PORTAL_MENU } from './support/portal.ts';

let browser: Browser;
let name: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const manager = await apiSession('projektleder');
  const res = await manager.get(`/api/citizens/${citizenId(41)}`);
  if (res.status !== 200) throw new Error(`reading demo citizen 41 failed: ${res.status} ${await res.text()}`);
  const citizen = (await res.json()) as { firstName: string; lastName: string };
  name = `${citizen.firstName} ${citizen.lastName}`;
  await manager.logout();
});
afterAll(async () => {
  await browser?.close();
});

test('at 360 px: the citizen adds a remark beside a note, and confirms a consent staff prepared', async () => {
  const { page, close } = await openPage(browser, PHONE);
  await mitIdLogin(page, name);
  await page.getByRole('navigation', { name: PORTAL_MENU }).getByRole('link', { name: 'Mine bemærkninger' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mine bemærkninger' }).waitFor();
  await page.getByText(/Gåtur i skoven/).waitFor();
  await page.getByText(/Samtale på kontoret/).waitFor();
  expect(await page.getByText(/Intern note/).count()).toBe(0);
  await expectNoAxeViolations(page, 'Mine bemærkninger');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-remarks-360');

  const card = page.locator('section.portal-note').filter({ hasText: 'Gåtur i skoven' });
  await card.getByRole('button', { name: 'Skriv en bemærkning' }).click();
  // An empty remark is refused in the form.
  await card.getByRole('button', { name: 'Send bemærkning' }).click();
  await card.getByText('Skriv din bemærkning først.').waitFor();
  await card.getByRole('textbox').fill('Jeg sagde også, at jeg gerne vil starte med få timer.');
  await expectNoAxeViolations(page, 'the remark form');
  await screenshot(page, 'portal-remarks-form-360');
  await card.getByRole('button', { name: 'Send bemærkning' }).click();
  await card.getByText('Tak. Din bemærkning er sendt.').waitFor();
  await card.getByRole('heading', { name: 'Dine bemærkninger' }).waitFor();
  await card.getByText('Jeg sagde også, at jeg gerne vil starte med få timer.').waitFor();
  // The note itself is unchanged.
  await card.getByText(/Du fortalte, at du sover bedre nu/).waitFor();
  await expectNoAxeViolations(page, 'the remark shown');
  expect(await overflowsHorizontally(page)).toBe(false);
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'portal-remarks-sent-360');

  await page.getByRole('navigation', { name: PORTAL_MENU }).getByRole('link', { name: 'Mine samtykker' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mine samtykker' }).waitFor();
  const prepared = page.getByRole('region', { name: 'Samtykker, du skal bekræfte' });
  await prepared.getByText('Din behandler kan se, hvordan det går med dine spørgeskemaer').waitFor();
  await expectNoAxeViolations(page, 'the prepared consent');
  expect(await overflowsHorizontally(page)).toBe(false);
  await prepared.scrollIntoViewIfNeeded();
  await screenshot(page, 'portal-prepared-consent-360');
  await prepared.getByRole('button', { name: 'Bekræft samtykket' }).click();
  await prepared.getByText('Vil du give samtykket?').waitFor();
  await expectNoAxeViolations(page, 'the confirmation question');
  await prepared.getByRole('button', { name: 'Ja, jeg giver samtykke' }).click();
  await page.getByText('Tak. Dit samtykke er gemt.', { exact: false }).waitFor();
  await page.getByRole('region', { name: 'Samtykker, du skal bekræfte' }).waitFor({ state: 'detached' });
  await page.getByText('Din behandler kan se, hvordan det går med dine spørgeskemaer').first().waitFor();
  await expectNoAxeViolations(page, 'the confirmed consent');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-prepared-confirmed-360');
  await close();
});
