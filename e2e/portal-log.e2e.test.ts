// "Hvem har set mine oplysninger" at 360 px, as a demo portal citizen logged in through the MitID test identity
// provider: a read the programme manager made a moment before is the newest entry, with organisation, role, purpose
// and kind and without the employee's name; the citizen asks who made the look-up. axe clean; screenshots taken.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { citizenId } from '../src/server/demo/demo-citizens.ts';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, openPage, overflowsHorizontally, PHONE, screenshot } from './support/browser.ts';
import { mitIdLogin } from './support/portal.ts';

let browser: Browser;
/** Demo portal citizen 42 (invited, reached by SMS): the README lists the demo's portal citizens. */
const CITIZEN = citizenId(42);
let shownName: string;

beforeAll(async () => {
  browser = await launchBrowser();
  // The programme manager sees the whole programme: a read of the citizen's record, just before the citizen looks.
  const manager = await apiSession('projektleder');
  const read = await manager.get(`/api/citizens/${CITIZEN}`);
  if (read.status !== 200) throw new Error(`reading the citizen failed: ${read.status} ${await read.text()}`);
  const body = (await read.json()) as { firstName: string; lastName: string };
  shownName = `${body.firstName} ${body.lastName}`;
  await manager.logout();
});
afterAll(async () => {
  await browser?.close();
});

test('at 360 px: the citizen sees the read of a moment ago without a name, and asks who made it', async () => {
  const { page, close } = await openPage(browser, PHONE);
  await mitIdLogin(page, shownName);
  await page.getByRole('link', { name: 'Hvem har set mine oplysninger' }).click();
  await page.getByRole('heading', { level: 1, name: 'Hvem har set mine oplysninger' }).waitFor();
  const list = page.getByRole('list', { name: 'Brug af dine data, nyeste først' });
  await list.waitFor();
  const newest = list.getByRole('listitem').first();
  await newest.getByText('Næstved Kommune').waitFor();
  await newest.getByText('Projektleder').waitFor();
  await newest.getByText('Arbejde med din sag').waitFor();
  await newest.getByText('Læst').waitFor();
  const text = (await page.locator('main').innerText()).toLowerCase();
  // Never the employee: neither the name nor the username of the programme manager.
  expect(text).not.toContain('karen');
  expect(text).not.toContain('winther');
  expect(text).not.toContain('portal:');
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the access log');
  await screenshot(page, 'portal-log-360');

  await newest.getByRole('button', { name: 'Spørg hvem der har slået op' }).click();
  await newest.getByText('Tak. Vi har sendt dit spørgsmål. Svaret kommer her.').waitFor();
  expect(await newest.getByRole('button', { name: 'Spørg hvem der har slået op' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'the access log after asking');
  await screenshot(page, 'portal-log-asked-360');
  await close();
});
