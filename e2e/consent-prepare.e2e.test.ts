// A consent prepared with the citizen for them to confirm with MitID in Min plan: as nordfyn on a Nordfyn citizen,
// the consent form's second way ("Borgeren bekræfter selv med MitID i Min plan") asks only what the citizen confirms,
// explains that nothing is granted before, and the prepared consent shows awaiting on the panel until cancelled.
// axe clean; screenshot taken.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot, url } from './support/browser.ts';

let browser: Browser;
let citizenId: string;
const FREMSKUDT = '00000000-0000-4000-8000-000000000202';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });

beforeAll(async () => {
  browser = await launchBrowser();
  const nordfyn = await apiSession('nordfyn');
  const created = await nordfyn.post('/api/citizens', {
    cpr: `7${String(Date.now() % 3)}0293-${String((Date.now() + 17) % 10_000).padStart(4, '0')}`,
    firstName: 'Bente',
    lastName: 'Bekræftelse',
    enrolment: { programmeId: FREMSKUDT, startDate: day(-20), benefitCode: 'kontanthjaelp', caseworkerId: nordfyn.userId },
    acknowledgeWarnings: true,
  });
  if (created.status !== 201) throw new Error(`creating the citizen failed: ${created.status} ${await created.text()}`);
  citizenId = ((await created.json()) as { id: string }).id;
  await nordfyn.logout();
});
afterAll(async () => {
  await browser?.close();
});

test('as nordfyn: prepare an fvl_28 consent for the citizen to confirm with MitID, then cancel it', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'nordfyn');
  await page.goto(url(`/citizens/${citizenId}`));
  await page.getByRole('heading', { level: 1 }).waitFor();
  const panel = page.getByRole('region', { name: 'Samtykker' });
  await panel.getByRole('button', { name: 'Registrér samtykke' }).click();
  const form = panel.getByRole('form', { name: 'Registrér samtykke' });
  await form.getByLabel(/Jobcentret giver oplysninger til psykiatrien/).check();
  await form.getByLabel('Forløbsplan').check();
  // The citizen confirms it: the sitting's facts (given on, given by, how, copy) are not asked.
  await form.getByLabel('Borgeren bekræfter selv med MitID i Min plan').check();
  await form.getByText('Samtykket gælder først, når borgeren har bekræftet det.', { exact: false }).waitFor();
  expect(await form.getByLabel('Givet den').count()).toBe(0);
  expect(await form.getByLabel('Borgeren har fået en kopi').count()).toBe(0);
  await expectNoAxeViolations(page, 'the consent form, prepared for confirmation');
  await screenshot(page, 'consent-prepare-form');
  await form.getByRole('button', { name: 'Send til borgerens bekræftelse' }).click();
  await panel.getByText('Samtykket venter nu på borgerens bekræftelse i Min plan.').waitFor();
  // It waits on the panel (not among the consents: it grants nothing yet), and can be cancelled.
  const awaiting = panel.locator('.consent-requests li');
  await awaiting.first().waitFor();
  expect(await panel.getByText('Der er ingen samtykker registreret for borgeren.').count()).toBe(1);
  await expectNoAxeViolations(page, 'the prepared consent awaiting');
  await screenshot(page, 'consent-prepare-awaiting');
  await awaiting.first().getByRole('button').click();
  await expect.poll(() => panel.locator('.consent-requests li').count()).toBe(0);
  await t.close();
});
