// The programme page: facts, phases on a timeline with today, targets, budget; English labels; 360 px without sideways scrolling.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PROGRAMME } from '../src/server/demo/ids.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Rows of the table under a section heading, as arrays of cell texts with spaces normalised. */
async function tableRows(page: Page, heading: string): Promise<string[][]> {
  const section = page.getByRole('region', { name: heading }).first();
  const rows = await section.locator('table tbody tr, table tfoot tr').all();
  return Promise.all(rows.map(async (row) => (await row.locator('th, td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim())));
}

test('a programme manager lands on "På vej til arbejde" and sees its phases, targets and budget', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'projektleder');
  await page.waitForURL(/\/programmes\/[0-9a-f-]+$/);
  await page.getByRole('heading', { level: 1, name: 'På vej til arbejde' }).waitFor();
  await expect.poll(() => page.locator('.title-row .badge').textContent()).toBe('Demo');
  await expect.poll(() => page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link').allTextContents()).toEqual(['Borgere', 'Sagsstammer', 'Henvendelser', 'Virksomheder', 'Forløb', 'Undersøgelser', 'Skift adgangskode']);

  await expect.poll(() => tableRows(page, 'Faser')).toEqual([
    ['1. Opstartsfase', '01.08.2017', '31.01.2018', 'Ingen', 'Afsluttet'],
    ['2. Projektfase', '01.02.2018', '31.01.2021', 'Ingen', 'Afsluttet'],
    ['3. Evalueringsfase', '01.02.2021', '31.07.2021', 'VIVE', 'Afsluttet'],
  ]);
  // The chart draws one bar per phase and marks today, although every phase is in the past.
  const chart = page.locator('.timeline-chart svg');
  await expect.poll(() => chart.locator('.recharts-bar-rectangle').count()).toBe(3);
  await expect.poll(() => chart.getByText(/^I dag \d{2}\.\d{2}\.\d{4}$/).count()).toBe(1);
  const ticks = () => chart.locator('.recharts-cartesian-axis-tick-value').allTextContents();
  await expect.poll(ticks).toContain('2026');
  await expect.poll(ticks).toEqual(expect.arrayContaining(['1. Opstartsfase', '2. Projektfase', '3. Evalueringsfase']));

  await expect.poll(() => tableRows(page, 'Mål for resultater')).toEqual([
    ['Job', '20 %'],
    ['Uddannelse', '15 %'],
  ]);
  await expect.poll(async () => (await tableRows(page, 'Budget')).at(-1)).toEqual(['I alt', '9.400.000 kr.']);
  await expect.poll(() => page.getByText('Næstved Kommune – Projektejer').count()).toBe(1);
  await expect.poll(() => page.locator('.facts').textContent()).toMatch(/Borgere i forløbet\d+ aktive af 100 pladser/);

  await expectNoAxeViolations(page, 'the programme page (desktop)');
  await screenshot(page, 'programme-desktop-da');
  await t.close();
});

test('switching to English translates the page, sets <html lang> and is remembered after a reload', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'projektleder');
  await page.getByRole('heading', { level: 1, name: 'På vej til arbejde' }).waitFor();

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 2, name: 'Phases' }).waitFor();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
  await expect.poll(async () => (await tableRows(page, 'Phases')).map((r) => [r[0], r[4]])).toEqual([
    ['1. Start-up phase', 'Finished'],
    ['2. Project phase', 'Finished'],
    ['3. Evaluation phase', 'Finished'],
  ]);
  await expect.poll(() => tableRows(page, 'Outcome targets')).toEqual([
    ['Job', '20%'],
    ['Education', '15%'],
  ]);
  await expect.poll(() => page.getByRole('navigation', { name: 'Main menu' }).getByRole('link').allTextContents()).toEqual(['Citizens', 'Caseloads', 'Inquiries', 'Companies', 'Programmes', 'Studies', 'Change password']);
  await expect.poll(() => page.locator('.timeline-chart svg').getByText(/^Today \d{2}\/\d{2}\/\d{4}$/).count()).toBe(1);
  await expectNoAxeViolations(page, 'the programme page in English');
  await screenshot(page, 'programme-desktop-en');

  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Phases' }).waitFor();
  await page.getByRole('button', { name: 'Dansk' }).click();
  await page.getByRole('heading', { level: 2, name: 'Faser' }).waitFor();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('da');
  await t.close();
});

test('the liaison sees the planned target group with Danish benefit names and a total', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'liaison');
  // The liaison lands on "Henvendelser" (issue 10); the programme is one click away.
  await page.getByRole('heading', { level: 1, name: 'Henvendelser' }).waitFor();
  await page.goto(url(`/programmes/${PROGRAMME.fremskudt}`));
  await page.getByRole('heading', { level: 1, name: 'Fremskudt psykiatrifagligt arbejde' }).waitFor();
  await expect.poll(() => tableRows(page, 'Planlagt målgruppe')).toEqual([
    ['Kontanthjælp', '10'],
    ['Uddannelseshjælp', '30'],
    ['Ressourceforløb', '10'],
    ['Jobafklaringsforløb', '20'],
    ['Ledighedsydelse', '10'],
    ['I alt', '80'],
  ]);
  await expect.poll(async () => (await tableRows(page, 'Budget')).at(-1)).toEqual(['I alt', '200.000 kr.']);
  await expectNoAxeViolations(page, 'the Fremskudt programme page');
  await screenshot(page, 'programme-fremskudt-desktop-da');
  await t.close();
});

test('at 360 px the programme page fits the screen and has no WCAG 2.1 AA violations', async () => {
  const t = await openPage(browser, PHONE);
  const { page } = t;
  await login(page, 'projektleder');
  await page.getByRole('heading', { level: 1, name: 'På vej til arbejde' }).waitFor();
  await page.locator('.timeline-chart svg .recharts-bar-rectangle').first().waitFor();
  await expect.poll(() => overflowsHorizontally(page)).toBe(false);
  await page.getByRole('link', { name: 'Skift adgangskode' }).waitFor();
  await expectNoAxeViolations(page, 'the programme page at 360 px');
  await screenshot(page, 'programme-360-da');
  await t.close();
});
