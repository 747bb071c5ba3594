// Påmindelser at 360 px, as demo citizen 41 through the test MitID: the demo's choice (e-mail; appointments and
// questionnaires) is shown with the exact message texts; the citizen adds tasks and saves. Then the logout ends the
// test MitID's session too and returns to /portal. axe clean; screenshots.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { citizenId } from '../src/server/demo/demo-citizens.ts';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';
import { mitIdLogin } from './support/portal.ts';

let browser: Browser;
let name = '';

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

test('at 360 px: the citizen chooses reminders, and the logout ends the MitID session too', async () => {
  const { page, close } = await openPage(browser, PHONE);
  await mitIdLogin(page, name);
  await page.getByRole('navigation', { name: 'Min plan, menu' }).getByRole('link', { name: 'Påmindelser' }).click();
  await page.getByRole('heading', { level: 1, name: 'Påmindelser' }).waitFor();
  await page.getByText('Beskeden: ”Du har en aftale i morgen – se Min plan”').waitFor();
  expect(await page.getByRole('radio', { name: /^E-mail til / }).isChecked()).toBe(true);
  expect(await page.getByRole('checkbox', { name: /En aftale i morgen/ }).isChecked()).toBe(true);
  expect(await page.getByRole('checkbox', { name: /En opgave med frist i morgen/ }).isChecked()).toBe(false);
  await page.getByRole('checkbox', { name: /En opgave med frist i morgen/ }).check();
  await page.getByRole('button', { name: 'Gem' }).click();
  await page.getByText('Dit valg er gemt.').waitFor();
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'Påmindelser');
  await screenshot(page, 'portal-reminders-phone');

  // The logout is on the portal's front page.
  await page.goto(url('/portal'));
  await page.getByRole('button', { name: 'Log ud' }).click();
  await page.waitForURL((u) => u.pathname === '/portal' && !u.search.includes('login='));
  await page.getByRole('link', { name: 'Log ind med MitID' }).waitFor();
  await close();
});
