// Oral advice in the browser: the liaison reaches "Sparring og rådgivning" from "Henvendelser", is stopped by the
// form's own checks, records a network meeting with what was said about a patient whose consents cover both ways,
// and sees it; nordfyn finds the note duty on the own list and writes the note of the external assessment, which
// then shows on the citizen page. axe on every page; screenshots looked at.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const ADVICE = `Korte dage de første to uger, og en fast kontaktperson på arbejdspladsen (${Date.now().toString(36)}).`;
const NOTE = 'Psykiatriens medarbejder anbefalede korte dage de første to uger og en fast kontaktperson.';
let patientName = '';
let municipalCitizenId = '';

test('the liaison records a network meeting with advice about a patient under consents both ways', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'liaison');
  await page.getByRole('heading', { level: 1, name: 'Henvendelser' }).waitFor();
  await page.getByRole('link', { name: 'Sparring og rådgivning' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sparring og rådgivning' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Seneste sparring' }).waitFor();
  // A patient whose consents cover both ways: the one of the demo's network meeting.
  const list = (await (await page.request.get(url('/api/consultations?limit=50'))).json()) as { items: { id: string; kind: string; namedCount: number }[] };
  const demo = list.items.find((c) => c.kind === 'network_meeting' && c.namedCount > 0)!;
  const detail = (await (await page.request.get(url(`/api/consultations/${demo.id}`))).json()) as { items: { citizenName: string }[] };
  patientName = detail.items[0]!.citizenName;

  // The form's own checks, in Danish.
  await page.getByRole('button', { name: 'Gem sparring' }).click();
  await page.getByText('Skriv datoen for mødet.').waitFor();
  await page.getByText('Vælg mindst én deltager fra kommunen.').waitFor();
  await page.getByText('Skriv, hvad du rådede til.').waitFor();
  await expectNoAxeViolations(page, 'the consultation form with errors');

  await page.getByLabel('Dato').fill('2026-11-30');
  await page.getByLabel('Klokkeslæt').fill('09:30');
  await page.getByLabel('Sted').fill('Jobcenter Nordfyn');
  await page.getByRole('group', { name: /^Deltagere fra/ }).getByLabel('Rikke Svendsen').check();
  await page.getByLabel('Patient').selectOption({ label: patientName });
  await page.getByRole('group', { name: 'Hvilke slags oplysninger blev givet videre' }).getByLabel('Hensyn i arbejdet').check();
  await page.getByRole('group', { name: 'Sagt til' }).getByLabel('Rikke Svendsen').check();
  await page.getByLabel('Dit råd').fill(ADVICE);
  await screenshot(page, 'consultation-new');
  await page.getByRole('button', { name: 'Gem sparring' }).click();
  await page.getByRole('heading', { level: 1, name: /^Netværksmøde om én borger/ }).waitFor();
  await page.getByText(ADVICE).waitFor();
  await page.getByText('Opgave: notér videregivelsen i patientjournalen').waitFor();
  await expectNoAxeViolations(page, 'the recorded consultation');
  await screenshot(page, 'consultation-recorded');

  // An anonymous one from the demo can be stopped on recognition.
  await page.getByRole('link', { name: 'Tilbage til Sparring og rådgivning' }).click();
  const anonymousRow = page.getByRole('row').filter({ hasText: 'Anonym sparring' }).filter({ hasText: 'Åben' }).first();
  await anonymousRow.getByRole('link').click();
  await page.getByRole('heading', { level: 2, name: 'Genkender du personen?' }).waitFor();
  await expectNoAxeViolations(page, 'an open anonymous consultation');
  await screenshot(page, 'consultation-anonymous');
  await t.close();
});

test('nordfyn writes the note of the external assessment; the citizen page shows it resolved', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'nordfyn');
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Henvendelser' }).click();
  await page.getByRole('link', { name: 'Notater om ekstern faglig vurdering' }).click();
  await page.getByRole('heading', { level: 1, name: 'Notater om ekstern faglig vurdering' }).waitFor();
  const card = page.locator('.duty-card').filter({ hasText: ADVICE });
  await card.waitFor();
  await expectNoAxeViolations(page, 'the staff member’s note duties');
  await screenshot(page, 'consultation-duties-mine');
  municipalCitizenId = (await card.getByRole('link').first().getAttribute('href'))!.split('/').pop()!;

  // Nothing is saved without the note.
  await card.getByRole('button', { name: 'Gem' }).click();
  await card.getByText('Skriv notatet.').waitFor();
  await card.getByLabel('Notat', { exact: true }).fill(NOTE);
  await card.getByRole('button', { name: 'Gem' }).click();
  await expect.poll(() => page.locator('.duty-card').filter({ hasText: ADVICE }).count()).toBe(0);

  await page.goto(url(`/citizens/${municipalCitizenId}`));
  const panel = page.getByRole('region', { name: 'Ekstern faglig vurdering fra psykiatrien' });
  await panel.getByText(ADVICE).waitFor();
  await panel.getByText('Noteret', { exact: true }).first().waitFor();
  await page.getByText(NOTE).first().waitFor();
  await expectNoAxeViolations(page, 'the citizen page with the resolved duty');
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: 'test-results/screenshots/consultation-duty-panel.png' });
  await t.close();

  const phone = await openPage(browser, PHONE);
  await login(phone.page, 'nordfyn');
  await phone.page.goto(url('/consultation-duties'));
  await phone.page.getByRole('heading', { level: 1, name: 'Notater om ekstern faglig vurdering' }).waitFor();
  await phone.page.locator('.duty-card, .empty-state').first().waitFor();
  await expect.poll(() => overflowsHorizontally(phone.page)).toBe(false);
  await expectNoAxeViolations(phone.page, 'the note duties at 360 px');
  await phone.close();
});
