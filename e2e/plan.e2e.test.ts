// The plan as rk1 shapes it: a walk and talk registered from the citizen page; a network meeting that sets two
// goals and three tasks for three different participants (the citizen, the caseworker and the citizen's mother,
// who takes part with the citizen's consent), after which the plan beside the header shows them; the plan's
// history; the printable plan. axe on every state, at desktop size and at 360 px.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiSession, createEnrolledCitizenAs } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

let browser: Browser;
let citizenId: string;
const NAME = 'Planline Mødesen';
// A fictitious replacement number (day + 60): 74.05.90 is 14 May 1990.
const CPR = '740590-4410';

beforeAll(async () => {
  browser = await launchBrowser();
  const rk1 = await apiSession('rk1');
  citizenId = await createEnrolledCitizenAs(rk1, { cpr: CPR, firstName: 'Planline', lastName: 'Mødesen' });
  await rk1.logout();
});
afterAll(async () => {
  await browser?.close();
});

async function openCitizen(page: Page) {
  await page.goto(url(`/citizens/${citizenId}`));
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
}

const done = (page: Page, text: string) => page.locator('.notice-slot').getByText(text).waitFor();

test('as rk1: a walk and talk, then a network meeting that sets two goals and three tasks, the plan and its printout', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk1');
  await openCitizen(page);
  await page.getByRole('region', { name: 'Plan' }).getByText('Planen er tom.', { exact: false }).waitFor();

  // A walk and talk, one short form.
  await page.getByRole('button', { name: 'Registrér samtale' }).click();
  const conversation = page.getByRole('region', { name: 'Registrér samtale' });
  await conversation.getByLabel('Dato').fill('2026-11-16');
  await conversation.getByLabel('Klokkeslæt').fill('9:5');
  await conversation.getByRole('button', { name: 'Gem samtale' }).click();
  await conversation.getByText('Skriv et klokkeslæt som TT:MM, fx 09:30.').waitFor();
  await conversation.getByLabel('Klokkeslæt').fill('09:30');
  await conversation.getByLabel('Varighed i minutter').fill('45');
  await conversation.getByLabel('Hvor').selectOption({ label: 'Walk and talk' });
  await conversation.getByLabel('Temaer (valgfrit)').fill('praktik, søvn');
  await conversation.getByLabel('Notat (valgfrit)').fill('Gåtur i skoven ved Herlufsholm. Vi talte om praktik.');
  await expectNoAxeViolations(page, 'the conversation form');
  await screenshot(page, 'plan-conversation-form');
  await conversation.getByRole('button', { name: 'Gem samtale' }).click();
  await done(page, 'Samtalen er registreret.');
  const conversations = page.getByRole('region', { name: 'Samtaler' });
  await conversations.getByText('Gåtur i skoven ved Herlufsholm. Vi talte om praktik.').waitFor();
  const timeline = page.getByRole('region', { name: 'Tidslinje' });
  await timeline.getByText('Lone Madsen registrerede en samtale 16.11.2026 09.30 (Walk and talk).').waitFor();

  // The network meeting.
  await page.getByRole('button', { name: 'Netværksmøde' }).click();
  const meeting = page.getByRole('region', { name: 'Netværksmøde' });
  await meeting.getByLabel('Dato', { exact: true }).fill('2026-11-23');
  await meeting.getByLabel('Klokkeslæt').first().fill('13:00');
  await meeting.getByLabel('Mette Frandsen (Sagsbehandler)').check();
  await meeting.getByRole('button', { name: 'Tilføj deltager udefra' }).click();
  await meeting.getByLabel('Navn').fill('Eva Mødesen');
  await meeting.getByLabel('Rolle').fill('Mor');
  // Without the citizen's consent the mother cannot take part.
  await meeting.getByRole('button', { name: 'Gem møde og plan' }).click();
  await meeting.getByText('En person udefra kan kun deltage med borgerens samtykke', { exact: false }).waitFor();
  await meeting.getByLabel('Borgeren har givet samtykke til, at personen deltager').check();
  await meeting.getByLabel('Hverdagsliv').check();

  await meeting.getByRole('button', { name: 'Tilføj mål' }).click();
  await meeting.getByRole('button', { name: 'Tilføj mål' }).click();
  await meeting.locator('#meeting-goal-0-lifeArea').selectOption({ label: 'Arbejde' });
  await meeting.locator('#meeting-goal-0-text').fill('Praktik 10 timer om ugen i en butik');
  await meeting.locator('#meeting-goal-0-targetDate').fill('2027-03-01');
  await meeting.locator('#meeting-goal-1-lifeArea').selectOption({ label: 'Hverdagsliv' });
  await meeting.locator('#meeting-goal-1-text').fill('Fast døgnrytme');

  for (let i = 0; i < 3; i++) await meeting.getByRole('button', { name: 'Tilføj opgave' }).click();
  await meeting.locator('#meeting-task-0-title').fill('Finde en praktikplads');
  await meeting.locator('#meeting-task-0-owner').selectOption({ label: 'Mette Frandsen' });
  await meeting.locator('#meeting-task-0-dueDate').fill('2026-12-15');
  await meeting.locator('#meeting-task-0-goal').selectOption({ label: 'Praktik 10 timer om ugen i en butik' });
  await meeting.locator('#meeting-task-1-title').fill('Stå op kl. 8 på hverdage');
  await meeting.locator('#meeting-task-1-owner').selectOption({ label: 'Borgeren' });
  await meeting.locator('#meeting-task-1-goal').selectOption({ label: 'Fast døgnrytme' });
  await meeting.locator('#meeting-task-2-title').fill('Vække om morgenen den første uge');
  await meeting.locator('#meeting-task-2-owner').selectOption({ label: 'Eva Mødesen (Mor)' });
  await meeting.locator('#meeting-task-2-dueDate').fill('2026-11-30');
  await meeting.getByLabel('Referat (valgfrit)').fill('Borgeren vil gerne i praktik i en butik. Mor hjælper med morgenerne.');
  // Far beyond the demo's booked weeks, so no double-booking warning interrupts the scenario.
  await meeting.getByLabel('Dato for næste møde').fill(new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10));
  await expectNoAxeViolations(page, 'the network meeting form');
  await screenshot(page, 'plan-meeting-form');
  await meeting.getByRole('button', { name: 'Gem møde og plan' }).click();
  await done(page, 'Mødet er gemt, og planen er opdateret.');

  const plan = page.getByRole('region', { name: 'Plan' });
  await plan.getByText('Praktik 10 timer om ugen i en butik').waitFor();
  await plan.getByText('Fast døgnrytme').waitFor();
  // The next meeting, booked from this one, is shown with the plan.
  await plan.getByText('Næste netværksmøde').waitFor();
  const tasks = plan.locator('.plan-tasks');
  await expect.poll(() => tasks.textContent()).toContain('Finde en praktikplads – Mette Frandsen · frist 15.12.2026');
  await expect.poll(() => tasks.textContent()).toContain('Stå op kl. 8 på hverdage – Borgeren');
  await expect.poll(() => tasks.textContent()).toContain('Vække om morgenen den første uge – Eva Mødesen (Mor)');
  await timeline.getByText('Lone Madsen registrerede et netværksmøde 23.11.2026 13.00.').waitFor();
  await timeline.getByText('Planen blev ændret på netværksmødet (version 1).').waitFor();

  // A task done between meetings: one click, a new version of the plan.
  await plan.getByRole('button', { name: 'Markér »Stå op kl. 8 på hverdage« som udført' }).click();
  await plan.getByText('Afsluttede opgaver (1)').waitFor();
  await expect.poll(() => tasks.textContent()).not.toContain('Stå op kl. 8 på hverdage');

  await plan.getByRole('button', { name: 'Vis historik' }).click();
  await plan.getByText('1 opgaver ændret').waitFor();
  await plan.getByText('2 mål tilføjet, 3 opgaver tilføjet, 1 deltagere udefra tilføjet').waitFor();
  await expectNoAxeViolations(page, 'the citizen page with the plan and its history');
  await screenshot(page, 'plan-citizen-page');

  // The printable plan: goals, tasks and people, marked confidential, never the minutes.
  await plan.getByRole('link', { name: 'Udskriv plan' }).click();
  await page.getByRole('heading', { level: 1, name: `Plan for ${NAME}` }).waitFor();
  const printed = page.locator('.plan-print');
  await expect.poll(() => printed.textContent()).toContain('Fortroligt');
  await expect.poll(() => printed.textContent()).toContain('version 2');
  await expect.poll(() => printed.textContent()).toContain('Vække om morgenen den første uge');
  await expect.poll(() => printed.textContent()).toContain('Eva Mødesen – Mor');
  expect(await printed.textContent()).not.toContain('Mor hjælper med morgenerne');
  expect(await printed.textContent()).not.toContain('Gåtur i skoven');
  await expectNoAxeViolations(page, 'the printable plan');
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, 'plan-print');
  await page.emulateMedia({ media: 'screen' });
  await t.close();
});

test('as rk1 on a phone: the citizen page with the plan and the meeting form fit 360 px', async () => {
  const t = await openPage(browser, PHONE);
  const { page } = t;
  await login(page, 'rk1');
  await openCitizen(page);
  await page.getByRole('region', { name: 'Plan' }).getByText('Fast døgnrytme').waitFor();
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the citizen page with the plan at 360 px');
  await screenshot(page, 'plan-citizen-page-phone');
  await page.getByRole('button', { name: 'Netværksmøde' }).click();
  await page.getByRole('region', { name: 'Netværksmøde' }).getByText('Eva Mødesen (Mor)', { exact: false }).waitFor();
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the meeting form at 360 px');
  await screenshot(page, 'plan-meeting-form-phone');
  await t.close();
});
