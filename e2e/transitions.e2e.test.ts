// The transition from treatment on a region patient's page, as the liaison: a checklist started, steps recorded
// with their dates, completion refused while steps are missing (named on screen). axe clean.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { regionCitizenId } from '../src/server/demo/demo-crossing.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot, url } from './support/browser.ts';

let browser: Browser;
const PATIENT = regionCitizenId(20);
const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(new Date());
const danish = (isoDate: string) => `${isoDate.slice(8, 10)}.${isoDate.slice(5, 7)}.${isoDate.slice(0, 4)}`;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('as liaison: a transition from treatment started, steps recorded, completion refused while steps are missing', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'liaison');
  await page.goto(url(`/citizens/${PATIENT}`));
  await page.getByRole('heading', { level: 1 }).waitFor();
  const panel = page.getByRole('region', { name: 'Overgang fra behandling' });
  await panel.getByText('Der er ingen overgang i gang for patienten.').waitFor();
  const started = page.waitForResponse((r) => r.url().endsWith(`/api/citizens/${PATIENT}/transition`) && r.request().method() === 'POST');
  await panel.getByRole('button', { name: 'Start overgang' }).click();
  const { id } = (await (await started).json()) as { id: string };
  // Completing too early is refused by the server (409), which the page explains.
  t.expectHttpError(`/api/transitions/${id}`, 409);
  await panel.getByText('0 af 6 trin klaret').waitFor();

  const form = panel.getByRole('form', { name: 'Trin i overgangen' });
  await form.getByLabel('Kontakt etableret den').fill(today);
  await form.getByLabel('Kontaktperson i psykiatrien').fill('Niels Overgaard, OP-team Odense');
  // A named contact needs the date it was agreed.
  await form.getByRole('button', { name: 'Gem trin' }).click();
  await form.getByText('Skriv, hvornår kontaktpersonen blev aftalt.').waitFor();
  await form.getByLabel('Kontaktperson aftalt den').fill(today);
  await form.getByRole('button', { name: 'Gem trin' }).click();
  await panel.getByText('2 af 6 trin klaret').waitFor();
  await expect.poll(() => panel.getByRole('listitem').filter({ hasText: 'Kontakt etableret' }).textContent()).toContain(`klaret ${danish(today)}`);

  await form.getByRole('button', { name: 'Afslut overgang' }).click();
  await panel.getByText('Overgangen kan først afsluttes, når alle trin er klaret. Mangler: Samtykker indhentet (begge veje), Vidensoverdragelse skrevet, Vidensoverdragelse videregivet, Første netværksmøde booket.').waitFor();
  await expectNoAxeViolations(page, 'the transition checklist');
  await screenshot(page, 'transition-checklist');
  await t.close();
});
