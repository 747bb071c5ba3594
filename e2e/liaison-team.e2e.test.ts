// Psychiatry's liaison on a municipal team, in the browser: `nordfyn` enrols a citizen of its own again and names
// the liaison; without the citizen's consents both ways the form says so in plain Danish and lists what is
// missing; enrolled without the liaison it goes through. The citizen is created for this test through the API.
// axe on every state; screenshot looked at.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot, url } from './support/browser.ts';

const FREMSKUDT = '00000000-0000-4000-8000-000000000202';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });

let browser: Browser;
let citizenId: string;
/** A citizen of Nordfyn in an open course of the programme, without consents. */
let openCitizenId: string;
let openEnrolmentId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  // A citizen of Nordfyn whose course in the programme has ended (fictitious replacement number, day + 60).
  const nordfyn = await apiSession('nordfyn');
  const created = await nordfyn.post('/api/citizens', {
    cpr: `7${String(Date.now() % 3)}0192-${String(Date.now() % 10_000).padStart(4, '0')}`,
    firstName: 'Tine',
    lastName: 'Teamprøve',
    enrolment: { programmeId: FREMSKUDT, startDate: day(-60), benefitCode: 'uddannelseshjaelp', caseworkerId: nordfyn.userId },
    acknowledgeWarnings: true,
  });
  if (created.status !== 201) throw new Error(`creating the citizen failed: ${created.status} ${await created.text()}`);
  const body = (await created.json()) as { id: string; enrolmentId: string };
  citizenId = body.id;
  const detail = (await (await nordfyn.get(`/api/citizens/${citizenId}`)).json()) as { enrolments: { id: string; version: number }[] };
  const version = detail.enrolments.find((e) => e.id === body.enrolmentId)!.version;
  const patched = await nordfyn.patch(`/api/enrolments/${body.enrolmentId}`, { version, status: 'ended', endDate: day(-1), exitOutcome: 'uddannelse' });
  if (patched.status !== 200) throw new Error(`ending the course failed: ${patched.status} ${await patched.text()}`);
  const open = await nordfyn.post('/api/citizens', {
    cpr: `7${String(Date.now() % 3)}0292-${String((Date.now() + 17) % 10_000).padStart(4, '0')}`,
    firstName: 'Ole',
    lastName: 'Åbenforløb',
    enrolment: { programmeId: FREMSKUDT, startDate: day(-20), benefitCode: 'uddannelseshjaelp', caseworkerId: nordfyn.userId },
    acknowledgeWarnings: true,
  });
  if (open.status !== 201) throw new Error(`creating the second citizen failed: ${open.status} ${await open.text()}`);
  ({ id: openCitizenId, enrolmentId: openEnrolmentId } = (await open.json()) as { id: string; enrolmentId: string });
  await nordfyn.logout();
});
afterAll(async () => {
  await browser?.close();
});

test('as nordfyn: the liaison is refused on the team without consents both ways, in plain Danish; enrolled without', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'nordfyn');
  await page.goto(url(`/citizens/${citizenId}`));
  await page.getByRole('button', { name: 'Skriv ind i forløb igen' }).click();
  const form = page.getByRole('region', { name: 'Skriv ind i forløb' });
  await form.getByLabel('Ydelse').selectOption('uddannelseshjaelp');
  const liaison = form.getByLabel('Fremskudt medarbejder fra psykiatrien');
  await liaison.selectOption({ label: 'Camilla Juhl' });
  t.expectHttpError(`/api/programmes/${FREMSKUDT}/enrolments`, 409);
  await form.getByRole('button', { name: 'Skriv ind' }).click();
  await expect.poll(() => form.getByText('Medarbejderen fra psykiatrien kan ikke komme på teamet').count()).toBe(1);
  const gaps = form.locator('.inquiry-gaps li');
  await expect.poll(() => gaps.allTextContents()).toEqual([
    'Samtykke til videregivelse af helbredsoplysninger (sundhedsloven § 43): intet samtykke',
    'Samtykke til at indhente oplysninger (retssikkerhedsloven § 11 a): intet samtykke',
    'Kommunalt samtykke til videregivelse (forvaltningsloven § 28): intet samtykke',
  ]);
  expect(await liaison.getAttribute('aria-invalid')).toBe('true');
  await expectNoAxeViolations(page, 'the enrolment form refusing the liaison');
  await form.screenshot({ path: 'test-results/screenshots/liaison-team-refused.png' });

  await liaison.selectOption({ label: 'Ingen endnu' });
  await form.getByRole('button', { name: 'Skriv ind' }).click();
  // The demo programme's period has passed: its warning is confirmed.
  await form.getByRole('button', { name: 'Skriv ind alligevel' }).click();
  await expect.poll(() => page.getByText('Borgeren er skrevet ind i forløbet.').count()).toBe(1);
  await expectNoAxeViolations(page, 'the citizen page after enrolling without the liaison');
  await t.close();
});

test('as liaison: the menu holds what the liaison works with; "Mine borgere" lists the region’s own patients', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'liaison');
  await page.waitForURL(/\/inquiries$/);
  const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
  // No "Min dag" or "Kalender": the liaison holds no municipal conversations, meetings or sessions.
  await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Mine borgere', 'Henvendelser', 'Forløb', 'Indsigtsanmodninger', 'Skift adgangskode']);
  await nav.getByRole('link', { name: 'Mine borgere' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await expect.poll(() => page.getByRole('link', { name: 'Sara Hansen' }).count()).toBeGreaterThan(0);
  // Psychiatry creates no municipal citizens, and its records have no resource consultants to filter by.
  expect(await page.getByRole('link', { name: 'Ny borger' }).count()).toBe(0);
  expect(await page.getByLabel('Ressourcekonsulent').count()).toBe(0);
  await expectNoAxeViolations(page, 'the liaison’s list of patients');
  await screenshot(page, 'liaison-my-citizens');
  await t.close();
});

test('as nordfyn: adding the liaison to an open course is refused without consents both ways, listing what is missing', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'nordfyn');
  await page.goto(url(`/citizens/${openCitizenId}`));
  await page.getByRole('button', { name: 'Tilføj fremskudt medarbejder fra psykiatrien' }).click();
  const form = page.getByRole('region', { name: 'Tilføj fremskudt medarbejder fra psykiatrien' });
  await expectNoAxeViolations(page, 'the form adding the liaison to the team');
  const liaison = form.getByLabel('Fremskudt medarbejder fra psykiatrien');
  await liaison.selectOption({ label: 'Camilla Juhl' });
  t.expectHttpError(`/api/enrolments/${openEnrolmentId}/liaison`, 409);
  await form.getByRole('button', { name: 'Tilføj til teamet' }).click();
  await expect.poll(() => form.getByText('Medarbejderen fra psykiatrien kan ikke komme på teamet, fordi borgerens samtykker ikke dækker begge veje. Registrér samtykkerne først.').count()).toBe(1);
  await expect.poll(() => form.locator('.inquiry-gaps li').allTextContents()).toEqual([
    'Samtykke til videregivelse af helbredsoplysninger (sundhedsloven § 43): intet samtykke',
    'Samtykke til at indhente oplysninger (retssikkerhedsloven § 11 a): intet samtykke',
    'Kommunalt samtykke til videregivelse (forvaltningsloven § 28): intet samtykke',
  ]);
  expect(await liaison.getAttribute('aria-invalid')).toBe('true');
  await expectNoAxeViolations(page, 'the liaison form refusing without consents');
  await form.screenshot({ path: 'test-results/screenshots/liaison-team-open-refused.png' });
  await t.close();
});
