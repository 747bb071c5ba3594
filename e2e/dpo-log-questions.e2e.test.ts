// Borgernes log: Næstved's dpo opens the citizens' look-up questions from the menu, answers the question a demo
// portal citizen asked (the answer names the look-up's purpose and unit), then defers the notice of that entry with a
// legal ground and a last day, and lifts the deferral again. axe on each state, desktop and 360 px.
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

test("the dpo answers a demo citizen's look-up question, and defers and lifts the notice of an entry", async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'dpo');
  const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
  await nav.getByRole('link', { name: 'Borgernes log' }).click();
  await page.getByRole('heading', { level: 1, name: 'Borgernes log' }).waitFor();
  const questions = page.getByRole('region', { name: 'Spørgsmål om opslag' });
  const card = questions.getByRole('article').filter({ hasText: 'Jeg kender ikke den, der har kigget' });
  await card.waitFor();
  // The dpo sees the entry as the organisation's own log holds it (with the username), the citizen never does.
  await expect.poll(() => card.textContent()).toContain('Opslaget i loggen');
  // In words, not codes: what was done, to what, and why.
  await expect.poll(() => card.textContent()).toContain('Opslag af borgerens sag, formål Sagsbehandling');
  const heading = (await card.getByRole('heading').textContent()) ?? '';
  const entry = /nr\. (\d+)/.exec(heading)?.[1];
  expect(entry).toBeTruthy();
  await expectNoAxeViolations(page, 'the citizens’ log with an open question');
  await screenshot(page, 'dpo-log-questions-open');

  // An empty answer is refused in the form.
  await card.getByRole('button', { name: 'Send svar' }).click();
  await card.getByText('Skriv et svar.').waitFor();
  await expectNoAxeViolations(page, 'the answer form with an error');
  await card.getByLabel('Dit svar til borgeren').fill('Opslaget blev lavet af Jobcenter Næstveds ressourceforløb for at forberede jeres samtale.');
  await card.getByRole('button', { name: 'Send svar' }).click();
  // Answered: the open list is empty again.
  await questions.getByText('Der er ingen spørgsmål.').waitFor();
  await questions.getByLabel('Vis').selectOption({ label: 'Alle' });
  const answered = questions.getByRole('article').filter({ hasText: 'Jeg kender ikke den, der har kigget' });
  await answered.getByText('Opslaget blev lavet af Jobcenter Næstveds ressourceforløb', { exact: false }).waitFor();
  await expect.poll(() => answered.getByRole('button', { name: 'Send svar' }).count()).toBe(0);

  // Defer the notice of the same entry: it needs the ground, a reason and the last day.
  const deferrals = page.getByRole('region', { name: 'Udskudte underretninger' });
  await deferrals.getByRole('button', { name: 'Udskyd underretning' }).click();
  await deferrals.getByText('Skriv logpostens nummer (kun tal).').waitFor();
  await deferrals.getByText('Vælg den sidste dag.').waitFor();
  await expectNoAxeViolations(page, 'the deferral form with errors');
  await deferrals.getByLabel('Logpostens nummer').fill(entry!);
  await deferrals.getByLabel('Lovgrundlag').selectOption({ label: 'Databeskyttelsesloven § 22' });
  await deferrals.getByLabel('Begrundelse').fill('Efterforskning i gang');
  await deferrals.getByLabel('Sidste dag').fill('2099-06-30');
  await deferrals.getByRole('button', { name: 'Udskyd underretning' }).click();
  await deferrals.getByText(`Underretningen om logpost nr. ${entry} er udskudt.`).waitFor();
  const deferred = deferrals.getByRole('article').filter({ hasText: `Logpost nr. ${entry}` });
  await deferred.getByText('Databeskyttelsesloven § 22').waitFor();
  await deferred.getByText('30.06.2099').waitFor();
  await expectNoAxeViolations(page, 'a deferral in the list');
  await screenshot(page, 'dpo-log-deferral');

  await deferred.getByRole('button', { name: 'Ophæv udskydelsen' }).click();
  await deferrals.getByText('Der er ingen udskudte underretninger.').waitFor();
  await deferrals.getByLabel('Vis').selectOption({ label: 'Alle' });
  await deferrals.getByRole('article').filter({ hasText: `Logpost nr. ${entry}` }).getByText(/^Ophævet /).waitFor();
  await t.close();

  // On a phone: nothing wider than the screen.
  const phone = await openPage(browser, PHONE);
  await login(phone.page, 'dpo');
  await phone.page.goto(phone.page.url().replace(/\/log$/, '/citizen-log'));
  await phone.page.getByRole('heading', { level: 1, name: 'Borgernes log' }).waitFor();
  await phone.page.getByRole('region', { name: 'Spørgsmål om opslag' }).getByLabel('Vis').selectOption({ label: 'Alle' });
  await phone.page.getByText('Jeg kender ikke den, der har kigget', { exact: false }).waitFor();
  expect(await overflowsHorizontally(phone.page)).toBe(false);
  await expectNoAxeViolations(phone.page, 'the citizens’ log at 360 px');
  await screenshot(phone.page, 'dpo-log-questions-phone');
  await phone.close();
});
