// Overblik: the steering group opens the programme's dashboard from the programme page, reads small figures as
// "< 5", narrows the period (a wrong one is explained), and prints it; the programme manager sees exact figures.
// axe clean; screenshots taken (desktop, print and 360 px).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

test('as styregruppe: Overblik from the programme page, small figures hidden, a narrower period, printed', async () => {
  const { page } = await openPage(browser);
  await login(page, 'styregruppe');
  await page.getByRole('link', { name: 'Forløb', exact: true }).first().click();
  await page.getByRole('link', { name: 'På vej til arbejde' }).first().click();
  await page.getByRole('link', { name: 'Overblik til styregruppen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overblik – På vej til arbejde' }).waitFor();
  await page.getByText('Små tal vises som < 5.').waitFor();
  await page.getByText(/^Beregnet \d\d\.\d\d\.\d{4}/).waitFor();
  for (const h of ['Indskrivning og kapacitet', 'Målgrupper mod planen', 'Resultater mod målene', 'Aktiviteter pr. måned', 'Selvforsørgelse efter start', 'Henvendelser til brobyggeren', 'Faser', 'Budget og forbrug']) {
    await page.getByRole('heading', { level: 2, name: h }).waitFor();
  }
  // The mid-term evaluation is the outcomes' reference; the budget shows the recorded spending.
  await page.getByText('Referencen er Midtvejsevaluering (01.08.2019, 98 borgere).').waitFor();
  await page.getByRole('cell', { name: /6\.120\.000/ }).waitFor();
  // A real chart is drawn (an SVG with bars or lines) beside its table.
  expect(await page.locator('.dashboard-chart svg.recharts-surface').count()).toBeGreaterThanOrEqual(2);
  expect(await page.getByRole('cell', { name: '< 5', exact: true }).count()).toBeGreaterThan(0);
  await expectNoAxeViolations(page, 'Overblik as the steering group');
  await screenshot(page, 'dashboard-styregruppe');
  await screenshot(page, 'dashboard-styregruppe-top', { fullPage: false });

  // A period that ends before it starts is explained and nothing is lost; a valid one is shown.
  await page.getByLabel('Fra', { exact: true }).fill('2019-01-01');
  await page.getByLabel('Til', { exact: true }).fill('2018-12-31');
  await page.getByRole('button', { name: 'Vis perioden' }).click();
  await page.getByText('Slutdatoen skal ligge efter startdatoen.').waitFor();
  expect(await page.getByLabel('Fra', { exact: true }).inputValue()).toBe('2019-01-01');
  await page.getByLabel('Til', { exact: true }).fill('2019-12-31');
  await page.getByRole('button', { name: 'Vis perioden' }).click();
  await page.getByText('01.01.2019 – 31.12.2019').first().waitFor();
  expect(new URL(page.url()).search).toBe('?from=2019-01-01&to=2019-12-31');
  await page.getByRole('row', { name: /^jan\. 2019/ }).first().waitFor();

  // The print version: no menu, no form; the figures stay.
  await page.emulateMedia({ media: 'print' });
  expect(await page.getByRole('button', { name: 'Udskriv' }).isVisible()).toBe(false);
  expect(await page.getByRole('heading', { level: 2, name: 'Resultater mod målene' }).isVisible()).toBe(true);
  await screenshot(page, 'dashboard-print');
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await page.emulateMedia({ media: 'screen' });
});

test('as projektleder: exact figures; at 360 px nothing overflows', async () => {
  const phone = await openPage(browser, PHONE);
  await login(phone.page, 'projektleder');
  await phone.page.goto(url('/programmes/00000000-0000-4000-8000-000000000201/overblik'));
  await phone.page.getByRole('heading', { level: 1, name: 'Overblik – På vej til arbejde' }).waitFor();
  await phone.page.getByRole('heading', { level: 2, name: 'Budget og forbrug' }).waitFor();
  expect(await phone.page.getByText('Små tal vises som < 5.').count()).toBe(0);
  expect(await phone.page.getByRole('cell', { name: '< 5', exact: true }).count()).toBe(0);
  await expectNoAxeViolations(phone.page, 'Overblik as the programme manager at 360 px');
  expect(await overflowsHorizontally(phone.page)).toBe(false);
  await screenshot(phone.page, 'dashboard-projektleder-360');
});

test("as regionsprojektleder: Fremskudt's budget against the spending recorded for 2019 and 2020", async () => {
  const { page } = await openPage(browser);
  await login(page, 'regionsprojektleder');
  await page.goto(url('/programmes/00000000-0000-4000-8000-000000000202/overblik'));
  await page.getByRole('heading', { level: 1, name: 'Overblik – Fremskudt psykiatrifagligt arbejde' }).waitFor();
  const budget = page.getByRole('heading', { level: 2, name: 'Budget og forbrug' });
  await budget.waitFor();
  expect(await page.getByText('Små tal vises som < 5.').count()).toBe(0);
  // Both budget lines have their spending recorded (none says "Ikke registreret").
  expect(await page.getByText('Ikke registreret').count()).toBe(0);
  await expectNoAxeViolations(page, 'Overblik of Fremskudt as its programme manager');
  await budget.scrollIntoViewIfNeeded();
  await screenshot(page, 'dashboard-fremskudt-budget', { fullPage: false });
});
