// "Mine samtykker" at 360 px, as demo citizen 42 logged in through the MitID test identity provider: the card of
// the valid municipal disclosure consent (fvl_28) with what it covers, from whom to whom and until when; withdraw
// it after the confirmation step that repeats the consequence; the receipt with its number; the card then shows
// it withdrawn. axe clean on every step; screenshots taken.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { citizenId } from '../src/server/demo/demo-citizens.ts';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, openPage, overflowsHorizontally, PHONE, screenshot } from './support/browser.ts';
import { mitIdLogin } from './support/portal.ts';

let browser: Browser;
/** Demo citizen 42 (demo-portal-consents.ts): a valid fvl_28 consent to withdraw, and an expired rsl_11a. */
let name: string;

beforeAll(async () => {
  browser = await launchBrowser();
  // The demo's names follow the day the demo was built on: ask for the name as the programme manager sees it.
  const manager = await apiSession('projektleder');
  const res = await manager.get(`/api/citizens/${citizenId(42)}`);
  if (res.status !== 200) throw new Error(`reading demo citizen 42 failed: ${res.status} ${await res.text()}`);
  const citizen = (await res.json()) as { firstName: string; lastName: string };
  name = `${citizen.firstName} ${citizen.lastName}`;
  await manager.logout();
});
afterAll(async () => {
  await browser?.close();
});

test('at 360 px: the citizen opens Mine samtykker, withdraws a consent after confirming, and sees the receipt', async () => {
  const { page, close } = await openPage(browser, PHONE);
  await mitIdLogin(page, name);
  await page.getByRole('navigation', { name: 'Min plan, menu' }).getByRole('link', { name: 'Mine samtykker' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mine samtykker' }).waitFor();

  const card = page.getByRole('region', { name: 'Jobcentret giver oplysninger videre' });
  await card.getByText('Gælder nu').waitFor();
  await card.getByText('Forløbsplan, Aktiviteter').waitFor();
  await card.getByText(/Region Sjælland/).first().waitFor();
  await card.getByText(/Fra \d+\. \w+ \d{4} til og med|Fra \d\d\.\d\d\.\d{4} til og med/).waitFor();
  // The other consent has expired: no button on it.
  const expired = page.getByRole('region', { name: 'Jobcentret henter oplysninger' });
  await expired.getByText('Er udløbet').waitFor();
  expect(await expired.getByRole('button').count()).toBe(0);
  await expectNoAxeViolations(page, 'Mine samtykker');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-consents-360');

  // The confirmation step repeats the consequence; "Nej" keeps it, "Ja" withdraws it.
  await card.getByRole('button', { name: 'Træk samtykket tilbage' }).click();
  await card.getByText('Vil du trække samtykket tilbage?').waitFor();
  await card.getByText(/psykiatriens medarbejder ikke læse din plan/).waitFor();
  await expectNoAxeViolations(page, 'the confirmation step');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-consents-confirm-360');
  await card.getByRole('button', { name: 'Nej, behold det' }).click();
  await card.getByRole('button', { name: 'Træk samtykket tilbage' }).click();
  await card.getByRole('button', { name: 'Ja, træk det tilbage' }).click();

  const receipt = page.getByRole('region', { name: 'Kvittering' });
  await receipt.getByText('Du har trukket samtykket tilbage.', { exact: false }).waitFor();
  const number = /Kvitteringens nummer: ([0-9a-f-]{36})/.exec((await receipt.textContent()) ?? '')?.[1];
  expect(number).toMatch(/^[0-9a-f-]{36}$/);
  // The card now shows it withdrawn, with the same receipt number, and no button.
  await card.getByText('Trukket tilbage').waitFor();
  await card.getByText(`Kvittering nr. ${number!}`, { exact: false }).waitFor();
  expect(await card.getByRole('button').count()).toBe(0);
  await expectNoAxeViolations(page, 'the receipt');
  expect(await overflowsHorizontally(page)).toBe(false);
  await receipt.scrollIntoViewIfNeeded();
  await screenshot(page, 'portal-consents-receipt-360');
  await close();
});
