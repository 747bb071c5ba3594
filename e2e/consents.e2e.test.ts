// Consents in the browser, as the region's liaison on the region's record of a Nordfyn patient who has none yet
// (regionCitizenId(2), kept free of consents by the demo): the combined form (sdl_43 + rsl_11a) with the texts
// consented to, the refusal of a blanket consent, the list with states, the printable copy, the withdrawal with
// its receipt, and the municipal disclosure consent (fvl_28) that opens the read-only view of the municipal
// record. axe on every step; screenshots looked at.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { regionCitizenId } from '../src/server/demo/demo-crossing.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot, url } from './support/browser.ts';

let browser: Browser;
const REGION_ID = regionCitizenId(2);

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('as liaison: record the combined consent, print a copy, withdraw it, and read the municipal record under fvl_28', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'liaison');
  await page.goto(url(`/citizens/${REGION_ID}`));
  await page.getByRole('heading', { level: 1 }).waitFor();
  const panel = page.getByRole('region', { name: 'Samtykker' });
  await expect.poll(() => panel.getByText('Der er ingen samtykker registreret for borgeren.').count()).toBe(1);

  // The combined form shows what the citizen consents to; without a category it is not sent (blanket consent).
  await panel.getByRole('button', { name: 'Registrér samtykke' }).click();
  const form = panel.getByRole('form', { name: 'Registrér samtykke' });
  await expect.poll(() => form.getByText(/Samtykke til videregivelse af helbredsoplysninger/).count()).toBeGreaterThan(0);
  await expect.poll(() => form.getByText(/retssikkerhedsloven § 11 b/).count()).toBe(1);
  await form.getByRole('button', { name: 'Gem begge samtykker' }).click();
  await expect.poll(() => form.getByText('Samtykket er ikke gemt. Ret felterne markeret ovenfor.').count()).toBe(1);
  await expectNoAxeViolations(page, 'the combined consent form with its errors');
  await screenshot(page, 'consents-form-errors');

  await form.getByLabel('Hensyn i arbejdet').check();
  await form.getByLabel('Behov for støtte').check();
  await form.getByLabel('Kommunens sag').fill('Nordfyn sag 2026-118');
  await form.getByRole('button', { name: 'Gem begge samtykker' }).click();
  await expect.poll(() => panel.getByText('2 samtykke(r) er registreret.').count()).toBe(1);
  const cards = panel.locator('.consent-list > li');
  await expect.poll(() => cards.count()).toBe(2);
  await expect.poll(() => panel.locator('.consent-state-valid').count()).toBe(2);
  await expectNoAxeViolations(page, 'the consents panel with the new pair');
  await screenshot(page, 'consents-panel-recorded');

  // The citizen's copy of the sdl_43 consent.
  const sdl = cards.filter({ has: page.getByRole('heading', { name: /sundhedsloven § 43/ }) });
  await sdl.getByRole('link', { name: 'Kopi til borgeren' }).click();
  await page.getByRole('heading', { level: 1, name: /Samtykke til videregivelse af helbredsoplysninger/ }).waitFor();
  await expect.poll(() => page.getByText('Sådan trækker du samtykket tilbage').count()).toBe(1);
  await expectNoAxeViolations(page, 'the printable copy');
  await screenshot(page, 'consents-print-copy');
  await page.getByRole('link', { name: 'Tilbage til borgeren' }).click();

  // Withdrawal: effective at once, with a receipt naming the journal task and the notice to the jobcentre.
  const sdlAgain = page.getByRole('region', { name: 'Samtykker' }).locator('.consent-list > li').filter({ has: page.getByRole('heading', { name: /sundhedsloven § 43/ }) });
  await sdlAgain.getByRole('button', { name: 'Træk tilbage' }).click();
  await sdlAgain.getByLabel('Note', { exact: true }).fill('Borgeren ringede.');
  await sdlAgain.getByRole('button', { name: 'Registrér tilbagetrækning' }).click();
  await expect.poll(() => sdlAgain.getByText('Tilbagetrækningen er registreret').count()).toBe(1);
  await expect.poll(() => sdlAgain.getByText('Opgave: skriv tilbagetrækningen ind i patientjournalen').count()).toBe(1);
  await expectNoAxeViolations(page, 'the withdrawal receipt');
  await screenshot(page, 'consents-withdrawal-receipt');
  await sdlAgain.getByRole('button', { name: 'Luk' }).click();
  await expect.poll(() => page.locator('.consent-state-withdrawn').count()).toBe(1);

  // The municipal disclosure consent lets the liaison read along in the jobcentre's plan and activities.
  const again = page.getByRole('region', { name: 'Samtykker' });
  await again.getByRole('button', { name: 'Registrér samtykke' }).click();
  const second = again.getByRole('form', { name: 'Registrér samtykke' });
  await second.getByLabel(/Jobcentret giver oplysninger til psykiatrien/).check();
  await second.getByLabel('Forløbsplan').check();
  await second.getByLabel('Aktiviteter').check();
  await second.getByRole('button', { name: 'Gem samtykket' }).click();
  await expect.poll(() => again.getByText('1 samtykke(r) er registreret.').count()).toBe(1);
  const link = again.getByRole('link', { name: /Læs med i Nordfyns Kommune/ });
  await link.waitFor();
  await link.click();
  await page.getByRole('heading', { level: 1, name: /læseadgang med samtykke/ }).waitFor();
  await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Forløbsplan' }).count()).toBe(1);
  await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Aktiviteter' }).count()).toBe(1);
  await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Notater' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'the shared municipal record');
  await screenshot(page, 'consents-shared-record');
  await t.close();
});
