// Min plan and Mine aftaler at 360 px, as a demo portal citizen logged in through the MitID test identity provider:
// the plan with the goal, the tasks and the contacts; the citizen marks their own task done and writes a comment;
// then Mine aftaler with the next appointment by role and kind of place, and a calendar link made and fetched.
// axe clean on every page; screenshots taken.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';
import { mitIdLogin } from './support/portal.ts';

let browser: Browser;
/** Demo citizen 42, invited to the portal (src/server/demo/demo-portal.ts); demo-portal-plan.ts gives the task and the conversation. */
const CITIZEN = 'Amina Brændgaard';
const TASK = 'Skriv tre jobønsker ned';

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('at 360 px: Min plan, a task marked done and a comment, then Mine aftaler with a calendar link', async () => {
  const citizen = await openPage(browser, PHONE);
  const { page } = citizen;
  await page.goto(url('/portal'));
  await mitIdLogin(page, CITIZEN);

  const nav = page.getByRole('navigation', { name: /./ });
  await nav.getByRole('link', { name: 'Min plan', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Min plan' }).waitFor();
  await page.getByRole('heading', { name: 'Dit mål' }).waitFor();
  await page.getByRole('heading', { name: 'Dine opgaver' }).waitFor();
  await page.getByRole('heading', { name: 'Dem du kan kontakte' }).waitFor();
  await page.getByText('Din koordinator').waitFor();
  const task = page.locator('li.portal-task').filter({ hasText: TASK }).first();
  await task.getByText('Din opgave', { exact: false }).first().waitFor();
  // The consultant's comment from the demo shows beside the task.
  await task.getByText('Tag gerne listen med til vores næste samtale.').waitFor();
  await expectNoAxeViolations(page, 'Min plan');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-plan-360');

  // Mark my own task done.
  await task.getByRole('button', { name: 'Jeg har gjort det' }).click();
  await task.getByText('Godt gået. Opgaven er nu gjort.').waitFor();
  await task.getByText('✓ Gjort').waitFor();
  expect(await task.getByRole('button', { name: 'Jeg har gjort det' }).count()).toBe(0);

  // A comment on it: an empty one is refused in the form, then one is sent.
  await task.getByRole('button', { name: 'Skriv en kommentar' }).click();
  await task.getByRole('button', { name: 'Send' }).click();
  await task.getByText('Skriv en kommentar først.').waitFor();
  await expectNoAxeViolations(page, 'Min plan with the comment form and its error');
  await task.getByLabel(`Din kommentar til ${TASK}`).fill('Jeg har skrevet listen. Den ligger i min taske.');
  await task.getByRole('button', { name: 'Send' }).click();
  await task.getByText('Tak. Din kommentar er sendt.').waitFor();
  await task.getByText('Jeg har skrevet listen. Den ligger i min taske.').waitFor();
  await task.getByText(/^Du skrev/).waitFor();
  await expectNoAxeViolations(page, 'Min plan after the task was done and commented on');
  expect(await overflowsHorizontally(page)).toBe(false);
  await task.scrollIntoViewIfNeeded();
  await screenshot(page, 'portal-plan-task-done-360');

  // Opened again, the done task folds away under a summary, and opens on a tap.
  await page.reload();
  const folded = page.locator('details.portal-done-tasks');
  await folded.getByText(/^Gjorte opgaver \(\d+\)$/).waitFor();
  const foldedTask = folded.locator('li.portal-task').filter({ hasText: TASK }).first();
  expect(await foldedTask.isVisible()).toBe(false);
  await folded.getByText(/^Gjorte opgaver/).click();
  await foldedTask.getByText('✓ Gjort').waitFor();
  await expectNoAxeViolations(page, 'Min plan with the done tasks opened');
  expect(await overflowsHorizontally(page)).toBe(false);
  await folded.scrollIntoViewIfNeeded();
  await screenshot(page, 'portal-plan-done-folded-360', { fullPage: false });

  // The plan to print or save as PDF: without the buttons and forms, the tasks still there.
  await page.getByRole('button', { name: 'Udskriv eller gem din plan' }).waitFor();
  await page.emulateMedia({ media: 'print' });
  expect(await page.getByRole('button', { name: 'Udskriv eller gem din plan' }).isVisible()).toBe(false);
  expect(await page.getByRole('button', { name: 'Skriv en kommentar' }).first().isVisible()).toBe(false);
  expect(await page.locator('li.portal-task').filter({ hasText: TASK }).first().isVisible()).toBe(true);
  expect((await page.pdf({ format: 'A4' })).subarray(0, 5).toString()).toBe('%PDF-');
  await screenshot(page, 'portal-plan-print');
  await page.emulateMedia({ media: 'screen' });

  // Mine aftaler: the next appointment by kind of place and role, no names.
  await nav.getByRole('link', { name: 'Mine aftaler', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Mine aftaler' }).waitFor();
  const first = page.locator('li.portal-appointment').first();
  await first.waitFor();
  await first.getByText(/^Hvor: (Hos os|Ude|Telefon eller video)$/).waitFor();
  await first.getByText(/^Med: /).waitFor();
  await page.locator('li.portal-appointment').filter({ hasText: 'Hvor: Hos os' }).filter({ hasText: 'Samtale' }).first().waitFor();
  await expectNoAxeViolations(page, 'Mine aftaler');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-appointments-360');

  // My calendar link: made, shown once, and the feed answers with neutral entries.
  await page.getByRole('button', { name: 'Lav et link' }).click();
  const link = page.getByLabel('Dit link');
  await link.waitFor();
  const feedUrl = await link.inputValue();
  expect(new URL(feedUrl).pathname).toMatch(/^\/api\/portal\/calendar-feed\/[A-Za-z0-9_-]{43}\.ics$/);
  const feed = await page.request.get(url(new URL(feedUrl).pathname));
  expect(feed.status()).toBe(200);
  const ics = await feed.text();
  expect(ics).toContain('SUMMARY:Aftale');
  expect(ics).not.toMatch(/DESCRIPTION|Amina|Brændgaard|På vej/);
  await page.getByRole('button', { name: 'Lav et nyt link' }).waitFor();
  await expectNoAxeViolations(page, 'Mine aftaler with the calendar link');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-appointments-feed-360');
  await page.getByRole('button', { name: 'Stop linket' }).click();
  await page.getByText('Linket virker ikke mere.').waitFor();
  expect((await page.request.get(url(new URL(feedUrl).pathname))).status()).toBe(404);
  await citizen.close();
});
