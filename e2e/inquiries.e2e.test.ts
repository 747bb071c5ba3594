// The single entry point in the browser: nordfyn sends psychiatry a general question, the liaison (landing on
// "Henvendelser") takes and answers it, nordfyn reads the answer; the clinician lands on "Mine patienter i forløb".
// axe on every page; screenshots looked at.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const SUBJECT = `Praktik efter sygemelding ${Date.now().toString(36)}`;
const QUESTION = 'Hvordan kan vi bedst tilrettelægge en praktik for borgere, der kommer fra en lang sygemelding?';
const ANSWER = 'Start med få timer på faste dage, og aftal på forhånd hvad borgeren gør, hvis det bliver for meget.';

test('nordfyn sends a general inquiry to psychiatry', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'nordfyn');
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Henvendelser' }).click();
  await page.getByRole('heading', { level: 1, name: 'Henvendelser' }).waitFor();
  await page.getByRole('link', { name: 'Send henvendelse til psykiatrien' }).click();
  await page.getByRole('heading', { level: 1, name: 'Send henvendelse til psykiatrien' }).waitFor();
  // An anonymous case warns against identifying details.
  await page.getByLabel('Anonym sag').check();
  await page.getByText('Skriv ikke noget, der kan identificere borgeren').waitFor();
  await expectNoAxeViolations(page, 'the new inquiry form (anonymous)');
  await screenshot(page, 'inquiry-new-anonymous');
  await page.getByLabel('Generelt spørgsmål').check();
  // Nothing is sent without a subject and a text.
  await page.getByRole('button', { name: 'Send henvendelse' }).click();
  await page.getByText('Skriv et emne.').waitFor();
  await page.getByLabel('Emne').fill(SUBJECT);
  await page.getByRole('textbox', { name: 'Spørgsmål' }).fill(QUESTION);
  await page.getByRole('button', { name: 'Send henvendelse' }).click();
  await page.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
  await page.getByText(QUESTION).waitFor();
  await expect.poll(() => page.locator('.inquiry-meta .tag-status').textContent()).toBe('Ny');
  await expectNoAxeViolations(page, 'the asker’s inquiry page');
  await t.close();
});

test('the liaison lands on "Henvendelser", takes the inquiry and answers it', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'liaison');
  await page.waitForURL(/\/inquiries$/);
  await page.getByRole('heading', { level: 1, name: 'Henvendelser' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Har ventet længst' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Svartider' }).waitFor();
  await page.getByRole('heading', { level: 2, name: /^Vidensoverdragelser at skrive/ }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Samtykker der udløber inden for 30 dage' }).waitFor();
  const queue = page.getByRole('region', { name: 'Kø' });
  await queue.getByRole('link', { name: SUBJECT }).waitFor();
  await expectNoAxeViolations(page, 'the liaison’s home page');
  await screenshot(page, 'inquiries-liaison-home');

  await queue.getByRole('link', { name: SUBJECT }).click();
  await page.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
  await page.getByRole('button', { name: 'Tag henvendelsen' }).click();
  await page.getByText('Du har taget henvendelsen.').waitFor();
  await expect.poll(() => page.locator('.inquiry-meta .tag-status').textContent()).toBe('I gang');
  await page.getByLabel('Dit svar').fill(ANSWER);
  // Ticking health information asks for the categories (in a general question it cannot be sent; not sent here).
  await page.getByLabel('Svaret indeholder helbredsoplysninger om borgeren').check();
  await page.getByRole('group', { name: 'Hvilke oplysninger indeholder svaret?' }).waitFor();
  await expectNoAxeViolations(page, 'the answer form with health categories');
  await page.getByLabel('Svaret indeholder helbredsoplysninger om borgeren').uncheck();
  await page.getByRole('button', { name: 'Send svar' }).click();
  await page.getByText('Svaret er sendt.').waitFor();
  await expect.poll(() => page.locator('.inquiry-meta .tag-status').textContent()).toBe('Besvaret');
  await expect.poll(() => page.locator('.inquiry-message').count()).toBe(2);
  await expectNoAxeViolations(page, 'the answered inquiry (liaison)');
  await screenshot(page, 'inquiry-answered-liaison');
  await t.close();
});

test('nordfyn sees the answer', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'nordfyn');
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Henvendelser' }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: SUBJECT }) });
  await expect.poll(() => row.locator('.tag-status').textContent()).toBe('Besvaret');
  await expectNoAxeViolations(page, 'the asker’s list');
  await row.getByRole('link', { name: SUBJECT }).click();
  await page.getByText(ANSWER).waitFor();
  await expect.poll(() => page.locator('.inquiry-message-answer .inquiry-message-meta strong').textContent()).toBe('Camilla Juhl');
  await page.getByRole('heading', { level: 2, name: 'Skriv mere' }).waitFor();
  await expectNoAxeViolations(page, 'the answered inquiry (asker)');
  await screenshot(page, 'inquiry-answered-asker');
  await t.close();
});

test('the clinician lands on "Mine patienter i forløb"; at 360 px the liaison\u2019s home fits the screen', async () => {
  let t = await openPage(browser);
  await login(t.page, 'behandler');
  await t.page.waitForURL(/\/my-patients$/);
  await t.page.getByRole('heading', { level: 1, name: 'Mine patienter i forløb' }).waitFor();
  await t.page.locator('.empty-state, table').first().waitFor();
  await expectNoAxeViolations(t.page, 'the clinician’s home page');
  await screenshot(t.page, 'clinician-patients');
  await t.close();

  t = await openPage(browser, PHONE);
  await login(t.page, 'liaison');
  await t.page.getByRole('heading', { level: 2, name: 'Svartider' }).waitFor();
  await expect.poll(() => overflowsHorizontally(t.page)).toBe(false);
  await expectNoAxeViolations(t.page, 'the liaison’s home page at 360 px');
  await screenshot(t.page, 'inquiries-liaison-home-360');
  await t.close();
});
