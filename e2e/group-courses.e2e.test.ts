// Group courses as rk1: create an 8-session course (the sessions and skipped holidays shown before saving),
// enrol four citizens, take attendance for the whole group and see the rates; the citizen page shows the
// citizen's own attendance; a place marked registered in Min Plan, while an unmarked one keeps the reminder in the
// citizen's plan. axe at desktop and 360 px; screenshots.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession, createEnrolledCitizenAs } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

const PAA_VEJ = '00000000-0000-4000-8000-000000000201';
let browser: Browser;
const LAST = 'Holdsen';
const FIRSTS = ['Asta', 'Bent', 'Carla', 'Dennis'];
const citizenIds: string[] = [];
const TITLE = 'Værktøjer til hverdagen';

const isoDaysAgo = (days: number) => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  browser = await launchBrowser();
  const rk1 = await apiSession('rk1');
  // Fictitious replacement numbers (day + 60): 74.12.90 is 14 December 1990.
  for (const [i, first] of FIRSTS.entries()) {
    citizenIds.push(await createEnrolledCitizenAs(rk1, { cpr: `741290-${1101 + i}`, firstName: first, lastName: LAST }));
  }
  await rk1.logout();
});
afterAll(async () => {
  await browser?.close();
});

let courseUrl = '';

test('as rk1: create an 8-session group course, enrol four citizens, take attendance and see the rates', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk1');
  await page.goto(url(`/programmes/${PAA_VEJ}`));
  await page.getByRole('link', { name: 'Se programmets gruppeforløb' }).click();
  await page.getByRole('heading', { level: 1, name: 'Gruppeforløb' }).waitFor();
  await page.getByRole('link', { name: 'Nyt gruppeforløb' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nyt gruppeforløb' }).waitFor();

  await page.getByLabel('Titel').fill(TITLE);
  await page.getByLabel('Værktøjer og tankesæt').check();
  await page.getByLabel('Antal pladser').fill('10');
  await page.getByLabel('Sted (valgfrit)').fill('Psykiatriens Hus, lokale 3');
  // Started two weeks ago, so the first sessions are held and attendance can be taken.
  await page.getByLabel('Første dato').fill(isoDaysAgo(14));
  await page.getByLabel('Klokkeslæt').fill('10:00');
  await page.getByLabel('Antal gange').fill('8');
  await page.getByLabel('Varighed i minutter').fill('90');
  const preview = page.getByRole('list', { name: 'Mødegange' });
  await expect.poll(() => preview.locator('li').count()).toBe(8);
  await expect.poll(() => preview.locator('li').first().textContent()).toContain('10.00');
  await expectNoAxeViolations(page, 'the new course form with its preview');
  await screenshot(page, 'group-courses-new');
  await page.getByRole('button', { name: 'Opret gruppeforløb' }).click();

  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  courseUrl = new URL(page.url()).pathname;
  const sessions = page.getByRole('region', { name: 'Mødegange' });
  await expect.poll(() => sessions.locator('tbody tr').count()).toBe(8);

  // Enrol the four citizens with the picker.
  const picker = page.getByRole('region', { name: 'Tilføj deltagere' });
  await picker.getByLabel('Søg blandt programmets borgere').fill(LAST);
  for (const first of FIRSTS) await picker.getByLabel(`${first} ${LAST}`).check();
  await picker.getByRole('button', { name: 'Tilføj valgte (4)' }).click();
  await picker.getByText('4 tilføjet.').waitFor();
  const participants = page.getByRole('region', { name: 'Deltagere og fremmøde' });
  await expect.poll(() => participants.locator('tbody tr').count()).toBe(4);

  // Attendance for the whole group on one screen.
  const attendance = page.getByRole('region', { name: 'Fremmøde for hele holdet' });
  const mark = (first: string, status: string) => attendance.getByRole('group', { name: `${first} ${LAST}` }).getByLabel(status).check();
  await mark('Asta', 'Deltog');
  await mark('Bent', 'Deltog');
  await mark('Carla', 'Afbud');
  await mark('Dennis', 'Udeblev');
  await expectNoAxeViolations(page, 'the course page with the attendance grid');
  await attendance.getByRole('button', { name: 'Gem fremmøde' }).click();
  await attendance.getByText('Fremmødet er gemt.').waitFor();

  // Rates: Asta 1/1, Carla 0/1; the course 2 of 4.
  const rate = (first: string) => participants.locator('tbody tr', { hasText: `${first} ${LAST}` }).locator('td').nth(3);
  await expect.poll(() => rate('Asta').textContent()).toMatch(/^100\s?%$/);
  await expect.poll(() => rate('Carla').textContent()).toMatch(/^0\s?%$/);
  await expect.poll(() => page.locator('.facts').textContent()).toContain('50');
  await screenshot(page, 'group-courses-attendance');

  // Each place is registered in the citizen's own Min Plan: Asta's is marked registered, the others stay "Nej".
  const minPlan = (first: string) => participants.getByLabel(`Registreret i Min Plan: ${first} ${LAST}`);
  await expect.poll(() => minPlan('Asta').inputValue()).toBe('no');
  await minPlan('Asta').selectOption({ label: 'Ja' });
  await participants.getByText(`Gemt for Asta ${LAST}: Ja.`).waitFor();
  await expect.poll(() => minPlan('Asta').inputValue()).toBe('yes');
  await expect.poll(() => minPlan('Bent').inputValue()).toBe('no');
  await expectNoAxeViolations(page, 'the participant list with the Min Plan choices');
  await screenshot(page, 'group-courses-min-plan');

  // A single session is edited on its own: the last one is cancelled.
  await sessions.getByRole('button', { name: 'Ret gang 8' }).click();
  const editor = page.getByRole('form', { name: 'Ret gang 8' });
  await editor.getByLabel('Dato').waitFor();
  await expectNoAxeViolations(page, 'the session editor');
  await editor.getByRole('button', { name: 'Aflys gangen' }).click();
  await expect.poll(() => sessions.locator('tbody tr').nth(7).textContent()).toContain('Aflyst');

  // The citizen page shows Carla's own attendance.
  await page.goto(url(`/citizens/${citizenIds[2]}`));
  const own = page.getByRole('region', { name: 'Gruppeforløb' });
  await own.getByText(TITLE).waitFor();
  await expect.poll(() => own.textContent()).toContain('Afbud');
  await expect.poll(() => own.textContent()).not.toContain('Asta');
  await page.getByRole('region', { name: 'Tidslinje' }).getByText(/Gruppeforløbet Værktøjer til hverdagen, gang \d+ .*: Afbud/).waitFor();
  // Carla's place is not registered in Min Plan yet: her plan reminds of it.
  await page.getByText(`Registrér i Min Plan: ${TITLE}`).first().waitFor();
  await screenshot(page, 'group-courses-citizen-panel');
  await t.close();
});

test('the course page at 360 px: no sideways scrolling, axe clean', async () => {
  expect(courseUrl).not.toBe('');
  const t = await openPage(browser, PHONE);
  const { page } = t;
  await login(page, 'rk1');
  await page.goto(url(courseUrl));
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await page.getByRole('region', { name: 'Fremmøde for hele holdet' }).waitFor();
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the course page at 360 px');
  await screenshot(page, 'group-courses-phone');
  await page.goto(url(`/programmes/${PAA_VEJ}/group-courses/new`));
  await page.getByRole('heading', { level: 1, name: 'Nyt gruppeforløb' }).waitFor();
  await expect.poll(() => page.getByRole('list', { name: 'Mødegange' }).locator('li').count()).toBe(8);
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the new course form at 360 px');
  await screenshot(page, 'group-courses-new-phone');
  await t.close();
});
