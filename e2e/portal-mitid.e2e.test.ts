// The portal's MitID login at 360 px with the demo's test identity provider: the login page offers MitID, the
// provider's page lists the demo citizens by name (never a CPR number), picking one opens the portal's full view at
// level "substantial"; a login at level "low" and a cancelled login come back with their message. axe clean on the
// portal and on the provider's page; screenshots taken.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';
import { mitIdLogin, PORTAL_MENU } from './support/portal.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('at 360 px: "Log ind med MitID", the test provider lists the demo citizens by name, and the full view opens', async () => {
  const citizen = await openPage(browser, PHONE);
  const { page } = citizen;
  await page.goto(url('/portal'));
  await page.getByRole('heading', { level: 1, name: 'Log ind på Min plan' }).waitFor();
  const mitid = page.getByRole('link', { name: 'Log ind med MitID' });
  await mitid.waitFor();
  await expectNoAxeViolations(page, 'the portal login with MitID');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-mitid-login-360');

  await mitid.click();
  await page.getByRole('heading', { level: 1, name: 'Test-MitID' }).waitFor();
  const people = page.getByRole('group', { name: 'Log ind som' });
  for (const name of ['Emil Skovgård', 'Amina Brændgaard', 'Mehmet Sørensen', 'Line Højgaard']) {
    await people.getByRole('radio', { name, exact: true }).waitFor();
  }
  // Names only: no CPR number anywhere on the page.
  expect(await page.content()).not.toMatch(/\b[0-9]{6}-?[0-9]{4}\b/);
  await expectNoAxeViolations(page, 'the test MitID login page');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-mitid-idp-360');

  await people.getByRole('radio', { name: 'Emil Skovgård', exact: true }).check();
  await page.getByRole('button', { name: 'Log ind', exact: true }).click();
  await page.getByRole('navigation', { name: PORTAL_MENU }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/portal');
  await page.getByRole('heading', { level: 1, name: /Emil/ }).waitFor();
  await expectNoAxeViolations(page, 'the portal after a MitID login');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-mitid-full-360');
  await citizen.close();
});

test('at 360 px: mitIdLogin logs another demo citizen in; "low" and "cancel" come back with their message', async () => {
  const other = await openPage(browser, PHONE);
  await mitIdLogin(other.page, 'Line Højgaard');
  await other.page.getByRole('heading', { level: 1, name: /Line/ }).waitFor();
  await other.close();

  const low = await openPage(browser, PHONE);
  await low.page.goto(url('/portal'));
  await low.page.getByRole('link', { name: 'Log ind med MitID' }).click();
  await low.page.getByRole('radio', { name: 'Mehmet Sørensen', exact: true }).check();
  await low.page.getByRole('radio', { name: /^Lav/ }).check();
  await low.page.getByRole('button', { name: 'Log ind', exact: true }).click();
  await low.page.getByText('Dit MitID login var ikke sikkert nok.', { exact: false }).waitFor();
  expect(new URL(low.page.url()).search).toBe('?login=assurance_too_low');
  expect(await low.page.getByRole('navigation', { name: PORTAL_MENU }).count()).toBe(0);
  await expectNoAxeViolations(low.page, 'the portal after a refused MitID login');
  await screenshot(low.page, 'portal-mitid-refused-360');

  await low.page.getByRole('link', { name: 'Log ind med MitID' }).click();
  await low.page.getByRole('button', { name: 'Afbryd' }).click();
  await low.page.getByText('Du stoppede dit login.', { exact: false }).waitFor();
  await low.close();
});
