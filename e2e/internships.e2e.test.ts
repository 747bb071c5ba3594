// An internship at a new company, from the citizen page, as rk1: the CVR number checked as it is typed, the
// company registered inline, the internship on the timeline, then 10, 15 and 20 hours for three weeks, seen in
// the weeks table and in the hours figure; the company in the register and on its page. axe at 360 px and desktop.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiSession, createEnrolledCitizenAs } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

let browser: Browser;
let citizenId: string;
const FIRST = 'Praktikka';
const LAST = 'Timesen';
const NAME = `${FIRST} ${LAST}`;
// A fictitious replacement number (day + 60): 73.06.92 is 13 June 1992.
const CPR = '730692-1678';
const COMPANY = 'Bindeled Testbageri ApS';
// A CVR number that passes the modulus-11 check; 25313764 does not.
const CVR = '25313763';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const copenhagenToday = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(new Date());
const todayMs = Date.parse(`${copenhagenToday}T00:00:00Z`);
const thisMonday = todayMs - ((new Date(todayMs).getUTCDay() + 6) % 7) * DAY;
/** The internship began on the Monday three weeks ago; its three complete weeks get 10, 15 and 20 hours. */
const weeks = [3, 2, 1].map((n) => iso(thisMonday - n * 7 * DAY));
const danish = (isoDate: string) => `${isoDate.slice(8, 10)}.${isoDate.slice(5, 7)}.${isoDate.slice(0, 4)}`;

beforeAll(async () => {
  browser = await launchBrowser();
  const rk1 = await apiSession('rk1');
  citizenId = await createEnrolledCitizenAs(rk1, { cpr: CPR, firstName: FIRST, lastName: LAST });
  await rk1.logout();
});
afterAll(async () => {
  await browser?.close();
});

async function openCitizen(page: Page) {
  await page.goto(url(`/citizens/${citizenId}`));
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
}

test('as rk1: an internship at a new company with 10 → 15 → 20 weekly hours', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk1');
  await openCitizen(page);

  await page.getByRole('button', { name: 'Praktik', exact: true }).click();
  const form = page.getByRole('region', { name: 'Ny virksomhedspraktik' });
  await form.getByLabel('Ny virksomhed (CVR og navn)').check();
  // The check digit is checked as the number is typed.
  await form.getByLabel('CVR-nummer').pressSequentially('25313764');
  await form.getByText('Kontrolcifferet passer ikke. Tjek CVR-nummeret.').waitFor();
  await form.getByLabel('CVR-nummer').fill('');
  await form.getByLabel('CVR-nummer').pressSequentially(CVR);
  await form.getByText('CVR-nummeret er gyldigt.').waitFor();
  await form.getByLabel('Virksomhedens navn').fill(COMPANY);
  await form.getByLabel('Første dag').fill(weeks[0]!);
  // Sending without the last day and the hours names both fields.
  await form.getByRole('button', { name: 'Gem praktik' }).click();
  await form.getByText('Skriv en gyldig dato.').waitFor();
  await form.getByText('Skriv timer pr. uge mellem 0,5 og 60 (højst én decimal).').waitFor();
  await form.getByLabel('Sidste dag').fill(iso(thisMonday + 8 * 7 * DAY + 4 * DAY));
  await form.getByLabel('Planlagte timer pr. uge').fill('10');
  await form.getByLabel('Formål').selectOption({ label: 'Gradvis tilbagevenden til arbejde' });
  await expectNoAxeViolations(page, 'the internship form');
  await screenshot(page, 'internships-form');
  await form.getByRole('button', { name: 'Gem praktik' }).click();
  await page.locator('.notice-slot').getByText('Praktikken er gemt og står på tidslinjen.').waitFor();

  const timeline = page.getByRole('region', { name: 'Tidslinje' });
  await timeline.getByText(`Lone Madsen registrerede praktik hos ${COMPANY} fra ${danish(weeks[0]!)}`, { exact: false }).waitFor();

  const panel = page.getByRole('region', { name: 'Praktik og opkvalificering' });
  const card = panel.getByRole('article', { name: COMPANY });
  await card.waitFor();
  await card.getByRole('button', { name: 'Registrér timer' }).click();
  const hours = card.getByRole('form', { name: `Timer pr. uge hos ${COMPANY}` });
  for (const [i, h] of ['10', '15', '20'].entries()) await hours.getByLabel(`Ugen fra ${danish(weeks[i]!)}`).fill(h);
  await expectNoAxeViolations(page, 'the weekly hours form');
  await screenshot(page, 'internships-hours-form');
  await hours.getByRole('button', { name: 'Gem timer' }).click();

  const table = card.getByRole('table', { name: `Timer pr. uge hos ${COMPANY}` });
  await table.waitFor();
  await expect.poll(async () => (await table.locator('tbody tr').allTextContents()).map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
    `Ugen fra ${danish(weeks[0]!)}10`,
    `Ugen fra ${danish(weeks[1]!)}15`,
    `Ugen fra ${danish(weeks[2]!)}20`,
  ]);
  // The weeks count in the citizen's hours figure, without a status period.
  await expect.poll(() => panel.locator('.facts').textContent()).toContain('45 timer i 3 uger');
  await timeline.getByText(`Lone Madsen registrerede 20 timer i praktik hos ${COMPANY} i ugen fra ${danish(weeks[2]!)}.`).waitFor();

  // A follow-up talk, shown on the card and on the timeline.
  await card.getByRole('button', { name: 'Opfølgning' }).click();
  const followUp = card.getByRole('form', { name: `Opfølgning på praktikken hos ${COMPANY}` });
  await followUp.getByRole('button', { name: 'Gem opfølgning' }).click();
  await followUp.getByText('Skriv, hvad der blev talt om.').waitFor();
  await followUp.getByLabel('Hvad blev aftalt').fill('Trives; timerne sættes op til 25 fra næste uge.');
  await followUp.getByRole('button', { name: 'Gem opfølgning' }).click();
  // The saved follow-up in the card's list (the form's field may still hold the text for a moment).
  await card.getByRole('listitem').filter({ hasText: 'Trives; timerne sættes op til 25 fra næste uge.' }).waitFor();
  await timeline.getByText(`Lone Madsen holdt opfølgning på praktikken hos ${COMPANY}`, { exact: false }).waitFor();

  // Not yet in Min Plan: the plan reminds the caseworker; registered there, the reminder closes.
  const plan = page.getByRole('region', { name: 'Plan', exact: true });
  await plan.getByText(`Registrér i Min Plan: ${COMPANY}`, { exact: false }).waitFor();
  const edit = card.getByRole('form', { name: `Praktikken hos ${COMPANY}` });
  // The follow-up form closes itself when its save (and the page's refetch) is done; the edit form opened meanwhile stays open.
  await card.getByRole('button', { name: 'Ret praktik' }).click();
  await edit.getByLabel('Registreret i Min Plan').selectOption({ label: 'Ja' });
  await expectNoAxeViolations(page, 'the internship edit form');
  await edit.getByRole('button', { name: 'Gem ændringer' }).click();
  // The reminder was the plan's only task: no open task is left, and it stands among the closed ones.
  await expect.poll(() => plan.locator('.plan-tasks').count()).toBe(0);
  await plan.getByText('Afsluttede opgaver (1)').waitFor();
  await expect.poll(() => plan.textContent()).toContain('Registreret i Min Plan: ja');
  await expectNoAxeViolations(page, 'the citizen page with the internship');
  await screenshot(page, 'internships-citizen-page');

  // The company is in the register, found by name, with the internship on its page.
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Virksomheder' }).click();
  await page.getByRole('heading', { level: 1, name: 'Virksomheder' }).waitFor();
  await page.getByLabel('Søg virksomhed').fill('testbageri');
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await page.getByRole('link', { name: COMPANY }).click();
  await page.getByRole('heading', { level: 1, name: COMPANY }).waitFor();
  await page.getByRole('region', { name: 'Praktikker' }).getByRole('link', { name: NAME }).waitFor();
  await expectNoAxeViolations(page, 'the company page');
  await screenshot(page, 'internships-company-page');

  // The company's address and industry, added afterwards.
  await page.getByRole('button', { name: 'Ret oplysninger' }).click();
  const details = page.getByRole('region', { name: 'Ret virksomhedens oplysninger' });
  await details.getByLabel('Adresse').fill('Axeltorv 1, 4700 Næstved');
  await details.getByLabel('Branche').fill('Bageri');
  await expectNoAxeViolations(page, 'the company details form');
  await details.getByRole('button', { name: 'Gem oplysninger' }).click();
  await page.locator('.notice-slot').getByText('Oplysningerne er gemt.').waitFor();
  await expect.poll(() => page.locator('.facts').textContent()).toContain('Axeltorv 1, 4700 Næstved');
  await t.close();
});

test('as rk1 at 360 px: an upskilling registered and its status changed, the company register; axe clean, no sideways scrolling', async () => {
  const t = await openPage(browser, PHONE);
  const { page } = t;
  await login(page, 'rk1');
  await openCitizen(page);
  const panel = page.getByRole('region', { name: 'Praktik og opkvalificering' });
  await panel.getByRole('article', { name: COMPANY }).waitFor();
  await page.getByRole('button', { name: 'Opkvalificering', exact: true }).click();
  const form = page.getByRole('region', { name: 'Ny opkvalificering' });
  await form.getByLabel('Type').selectOption({ label: 'Certifikat' });
  await form.getByLabel('Titel').fill('Truckcertifikat (B)');
  await form.getByLabel('Udbyder').fill('AMU Sjælland');
  await expectNoAxeViolations(page, 'the citizen page at 360 px with the upskilling form');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'internships-upskilling-form-360');
  await form.getByRole('button', { name: 'Gem opkvalificering' }).click();
  await page.locator('.notice-slot').getByText('Opkvalificeringen er gemt og står på tidslinjen.').waitFor();
  const course = panel.getByRole('form', { name: 'Status for Truckcertifikat (B)' });
  await course.getByLabel('Status').selectOption({ label: 'I gang' });
  await course.getByRole('button', { name: 'Skift status' }).click();
  const timeline = page.getByRole('region', { name: 'Tidslinje' });
  await timeline.getByText('Lone Madsen ændrede opkvalificeringen Truckcertifikat (B) (status: I gang).').waitFor();
  await expectNoAxeViolations(page, 'the citizen page at 360 px with upskilling');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'internships-citizen-page-360');

  await page.goto(url('/companies'));
  await page.getByRole('heading', { level: 1, name: 'Virksomheder' }).waitFor();
  await page.getByRole('button', { name: 'Ny virksomhed' }).click();
  await page.getByRole('region', { name: 'Ny virksomhed' }).waitFor();
  await expectNoAxeViolations(page, 'the company register at 360 px');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'internships-companies-360');
  await t.close();
});
