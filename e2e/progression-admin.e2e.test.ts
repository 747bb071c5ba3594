// Progression for those who steer a programme and for the administrator: the programme manager's cohort view
// (charts with tables, n and "Beregnet", per consultant, the due list) and the measurement schedule; the
// steering group's suppressed view ("< 5", nothing per consultant); the administrator's "Måleredskaber":
// a refused REDCap import listing row and column, a valid import, its approval after the dpo was heard, and
// the instrument active. axe on every page, screenshots of each.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiSession, type ApiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

const PAA_VEJ = '00000000-0000-4000-8000-000000000201';
let browser: Browser;

const who5 = (a: number, b: number, c: number, d: number, e: number) => ({ who5_cheerful: a, who5_calm: b, who5_active: c, who5_rested: d, who5_interest: e });

/** A citizen of "På vej til arbejde" in the given target group, with a first and a later WHO-5 answer. */
async function measuredCitizen(rk1: ApiSession, serial: number, benefitCode: string, baseline: Record<string, number>, latest: Record<string, number>) {
  // Fictitious replacement numbers (day + 60): 75.04.88 is 15 April 1988.
  const created = await rk1.post('/api/citizens', {
    cpr: `750488-${String(7100 + serial).padStart(4, '0')}`,
    firstName: 'Måling',
    lastName: `Kohorte${serial}`,
    acknowledgeWarnings: true,
    enrolment: { programmeId: PAA_VEJ, startDate: '2026-01-05', benefitCode, consultantIds: [rk1.userId] },
  });
  if (created.status !== 201) throw new Error(`creating the citizen failed: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  for (const answers of [baseline, latest]) {
    const answered = await rk1.post(`/api/citizens/${id}/assessments`, { instrumentCode: 'who5', answers });
    if (answered.status !== 201) throw new Error(`answering failed: ${answered.status} ${await answered.text()}`);
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  // Whatever the demo data holds, these give pairs for an interval and one target group too small to show.
  const rk1 = await apiSession('rk1');
  for (let i = 0; i < 6; i++) await measuredCitizen(rk1, i, 'ressourceforloeb', who5(2, 2, 2, 2, 1 + (i % 2)), who5(3, 3, 3, 2, 2 + (i % 3)));
  for (let i = 6; i < 8; i++) await measuredCitizen(rk1, i, 'ledighedsydelse', who5(2, 2, 2, 2, 2), who5(2, 2, 3, 2, 3));
  await rk1.logout();
});
afterAll(async () => {
  await browser?.close();
});

/** Rows of the table in a region, as arrays of cell texts with spaces normalised. */
async function tableRows(page: Page, region: string): Promise<string[][]> {
  const rows = await page.getByRole('region', { name: region }).first().locator('table tbody tr').all();
  return Promise.all(rows.map(async (row) => (await row.locator('th, td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim())));
}

const bars = (page: Page, region: string) => page.getByRole('region', { name: region }).first().locator('.cohort-chart svg .recharts-bar-rectangle');

test('the programme manager opens the cohort view from the programme page: charts with tables, n, time, per consultant, the due list', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'projektleder');
  await page.getByRole('heading', { level: 1, name: 'På vej til arbejde' }).waitFor();
  await page.getByRole('link', { name: 'Se borgernes progression i forløbet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Progression' }).waitFor();
  await expect.poll(() => page.getByLabel('Måleredskab').locator('option:checked').textContent()).toMatch(/WHO-5/);
  await page.getByText(/^Beregnet \d{2}\.\d{2}\.\d{4} \d{2}\.\d{2}$/).first().waitFor();

  const change = 'Ændring fra første til seneste måling';
  await expect.poll(async () => (await tableRows(page, change)).map((r) => r[0])).toEqual([
    'Antal borgere (n)',
    'Gennemsnit ved første måling',
    'Gennemsnit ved seneste måling',
    'Gennemsnitlig ændring',
    '95 %-konfidensinterval',
    'Steget mindst 10 point',
    'Omtrent uændret',
    'Faldet mindst 10 point',
  ]);
  const n = Number((await tableRows(page, change))[0]![1]);
  expect(n).toBeGreaterThanOrEqual(8);
  await expect.poll(async () => (await tableRows(page, change))[4]![1]).toMatch(/^[+−-]?\d+(,\d)? til [+−-]?\d+(,\d)?$/);
  await expect.poll(() => page.getByRole('region', { name: change }).locator('figcaption').textContent()).toContain(`n = ${n}`);
  // The interval is drawn as an error bar on the mean change.
  await expect.poll(() => bars(page, change).count()).toBe(1);
  await expect.poll(() => page.getByRole('region', { name: change }).locator('.recharts-errorBar').count()).toBe(1);
  await page.getByRole('region', { name: change }).locator('.cohort-chart').screenshot({ path: 'test-results/screenshots/progression-change-chart.png' });

  const bands = 'Fordeling på niveauer ved første og seneste måling';
  await expect.poll(async () => (await tableRows(page, bands)).map((r) => r[0])).toEqual(['Første måling', 'Seneste måling']);
  await expect.poll(() => bars(page, bands).count()).toBeGreaterThan(0);
  await expect.poll(() => page.getByRole('region', { name: bands }).locator('thead th').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^god trivsel/)]));

  const groups = 'Efter målgruppe';
  await expect.poll(async () => (await tableRows(page, groups)).map((r) => r[0])).toEqual(expect.arrayContaining(['Ressourceforløb', 'Ledighedsydelse']));
  // The programme manager sees exact figures: the small group too, and no "< 5".
  await expect.poll(async () => (await tableRows(page, groups)).find((r) => r[0] === 'Ledighedsydelse')?.[1]).toMatch(/^\d+$/);
  await expect.poll(() => bars(page, groups).count()).toBeGreaterThanOrEqual(2);
  expect(await page.getByText('< 5', { exact: true }).count()).toBe(0);

  await expect.poll(async () => (await tableRows(page, 'Efter ressourcekonsulent')).find((r) => r[0] === 'Lone Madsen')?.[1]).toMatch(/^\d+$/);
  await page.getByRole('heading', { level: 2, name: 'Målinger der skal foretages' }).waitFor();
  await page.getByLabel('Ressourcekonsulent', { exact: true }).selectOption({ label: 'Lone Madsen' });
  await expect.poll(async () => (await page.getByText('Der er ingen målinger, der skal foretages.').count()) + (await tableRows(page, 'Målinger der skal foretages')).length).toBeGreaterThan(0);

  await expectNoAxeViolations(page, 'the cohort view (programme manager)');
  await screenshot(page, 'progression-cohort-manager');
  await t.close();
});

test('at 360 px the cohort view fits the screen (wide tables scroll in their own box) and has no WCAG 2.1 AA violations', async () => {
  const t = await openPage(browser, PHONE);
  const { page } = t;
  await login(page, 'projektleder');
  await page.goto(url(`/programmes/${PAA_VEJ}/progression`));
  await page.getByRole('heading', { level: 1, name: 'Progression' }).waitFor();
  await expect.poll(() => bars(page, 'Efter målgruppe').count()).toBeGreaterThanOrEqual(2);
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the cohort view at 360 px');
  await screenshot(page, 'progression-cohort-phone');
  await t.close();
});

test('the programme manager sets the measurement schedule (validated at the field) and the procedure for acute concern', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'projektleder');
  await page.goto(url(`/programmes/${PAA_VEJ}/measurement-settings`));
  await page.getByRole('heading', { level: 1, name: 'Måleplan' }).waitFor();
  const who5Row = page.getByRole('group', { name: /WHO-5/ });
  const used = who5Row.getByLabel('Bruges i forløbet');
  if (!(await used.isChecked())) await used.check();
  await who5Row.getByLabel('Hver N. måned').fill('30');
  await who5Row.getByLabel('Vindue i dage (±)').fill('14');
  await page.getByRole('button', { name: 'Gem måleplan' }).click();
  await who5Row.getByText('Skriv et helt tal fra 1 til 24, eller lad feltet stå tomt.').waitFor();
  await expect.poll(() => who5Row.getByLabel('Hver N. måned').getAttribute('aria-invalid')).toBe('true');
  await expectNoAxeViolations(page, 'the schedule form with an error');
  await screenshot(page, 'progression-schedule-error');
  await who5Row.getByLabel('Hver N. måned').fill('3');
  await page.getByRole('button', { name: 'Gem måleplan' }).click();
  await page.getByText('Måleplanen er gemt.').waitFor();

  await page.getByLabel('Procedure på dansk').fill('Ring til egen læge sammen med borgeren. Ved akut fare: ring 112.');
  await page.getByLabel('Procedure på engelsk').fill('Call the GP together with the citizen. In acute danger: call 112.');
  await page.getByRole('button', { name: 'Gem procedure' }).click();
  await page.getByText('Proceduren er gemt.').waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Måleplan' }).waitFor();
  await expect.poll(() => page.getByRole('group', { name: /WHO-5/ }).getByLabel('Hver N. måned').inputValue()).toBe('3');
  await expect.poll(() => page.getByLabel('Procedure på dansk').inputValue()).toBe('Ring til egen læge sammen med borgeren. Ved akut fare: ring 112.');
  await expectNoAxeViolations(page, 'the schedule page');
  await screenshot(page, 'progression-schedule');
  await t.close();
});

test('the steering group sees small groups as "< 5", with the explanation, and nothing per consultant', async () => {
  const styregruppe = await apiSession('styregruppe');
  const api = (await (await styregruppe.get(`/api/programmes/${PAA_VEJ}/progression?instrumentCode=who5`)).json()) as {
    audience: string;
    byTargetGroup: { code: string; n: unknown; meanChange: unknown }[];
    consultantFigures: boolean;
  };
  await styregruppe.logout();
  expect(api.audience).toBe('suppressed');
  expect(api.consultantFigures).toBe(false);
  const hidden = api.byTargetGroup.filter((g) => typeof g.n !== 'number').map((g) => g.code);
  // The two citizens on ledighedsydelse made above are fewer than 5.
  expect(hidden).toContain('ledighedsydelse');

  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'styregruppe');
  await page.goto(url(`/programmes/${PAA_VEJ}`));
  await page.getByRole('link', { name: 'Se borgernes progression i forløbet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Progression' }).waitFor();
  await page.getByText('Små grupper vises ikke (under 5 borgere).').waitFor();
  const groups = 'Efter målgruppe';
  await expect.poll(async () => (await tableRows(page, groups)).find((r) => r[0] === 'Ledighedsydelse')?.[1]).toBe('< 5');
  // A hidden mean is left out of the chart: one bar per group whose mean is shown.
  const shownMeans = api.byTargetGroup.filter((g) => typeof g.meanChange === 'number').length;
  if (shownMeans > 0) await expect.poll(() => bars(page, groups).count()).toBe(shownMeans);
  else expect(await bars(page, groups).count()).toBe(0);
  // A group hidden only to protect the small one (its mean is shown, so it has 5 or more) reads "≥ 5", not "< 5".
  for (const g of api.byTargetGroup.filter((x) => typeof x.n !== 'number' && typeof x.meanChange === 'number')) {
    const label = g.code === 'ressourceforloeb' ? 'Ressourceforløb' : null;
    if (label) await expect.poll(async () => (await tableRows(page, groups)).find((r) => r[0] === label)?.[1]).toBe('≥ 5');
  }
  expect(await page.getByRole('heading', { name: 'Efter ressourcekonsulent' }).count()).toBe(0);
  expect(await page.getByRole('heading', { name: 'Målinger der skal foretages' }).count()).toBe(0);
  expect(await page.getByRole('link', { name: 'Måleplan og procedure ved akut bekymring' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'the cohort view (steering group)');
  await screenshot(page, 'progression-cohort-steering');
  await t.close();
});

const HEADER =
  'Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels",Field Note,Text Validation Type OR Show Slider Number,Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,Field Annotation';

test('the administrator imports a REDCap data dictionary, sees what was refused, approves the import and sees it active', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bindeled-redcap-'));
  const refused = join(dir, 'med-beregning.csv');
  writeFileSync(refused, [HEADER, 'record_id,daglig_rytme,,text,Record ID,,,,,,,,,,,,,', 'total,daglig_rytme,,calc,Samlet,[sleep]+1,,,,,,,,,,,,', ''].join('\n'));
  const valid = join(dir, 'daglig-rytme.csv');
  writeFileSync(
    valid,
    [
      HEADER,
      'record_id,daglig_rytme,,text,Record ID,,,,,,,,,,,,,',
      'sleep,daglig_rytme,,radio,Hvordan har du sovet den seneste uge?,"1, Godt | 2, Middel | 3, Dårligt",,,,,,,y,,,,,',
      'meals,daglig_rytme,,text,Hvor mange måltider spiser du om dagen?,,,integer,0,10,,[sleep] <> \'3\',,,,,,',
      '',
    ].join('\n'),
  );

  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'admin');
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Måleredskaber' }).click();
  await page.getByRole('heading', { level: 1, name: 'Måleredskaber' }).waitFor();
  const list = page.getByRole('region', { name: 'Måleredskaber i organisationen' });
  await list.getByText('who5', { exact: true }).waitFor();

  // Nothing chosen: each field says what it needs.
  await page.getByRole('button', { name: 'Importér' }).click();
  await page.getByText('Vælg en CSV-fil.').waitFor();
  await page.getByText('Skriv måleredskabets licens.').waitFor();
  await page.getByText('Vælg mindst én slags oplysninger.').waitFor();

  await page.getByLabel('Data dictionary (CSV-fil)').setInputFiles(refused);
  await page.getByLabel('Licens').fill('Egen, fri til brug i forløbet');
  await page.getByLabel('Hverdagsliv').check();
  t.expectHttpError('/api/instruments/import', 400);
  await page.getByRole('button', { name: 'Importér' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Filen kan ikke importeres' });
  await refusal.waitFor();
  await expect.poll(() => refusal.locator('li').first().textContent()).toMatch(/^Række 3, kolonne „Field Type“ – calc: /);
  await expectNoAxeViolations(page, 'a refused import');
  await screenshot(page, 'instruments-import-refused');

  await page.getByLabel('Data dictionary (CSV-fil)').setInputFiles(valid);
  await page.getByRole('button', { name: 'Importér' }).click();
  await page.getByText('Importeret og afventer godkendelse: daglig_rytme (version 1).').waitFor();
  const row = list.locator('tr').filter({ hasText: 'daglig_rytme' });
  await expect.poll(() => row.locator('.instrument-status').textContent()).toBe('Afventer godkendelse');
  await expect.poll(() => row.getByRole('link', { name: 'Eksportér Daglig rytme, version 1, som REDCap-datadictionary (CSV)' }).getAttribute('href')).toBe('/api/instruments/daglig_rytme/export?format=redcap&version=1&lang=da');

  await row.getByRole('button', { name: 'Godkend Daglig rytme' }).click();
  const approval = page.getByRole('form', { name: 'Godkend Daglig rytme, version 1' });
  await approval.getByRole('button', { name: 'Godkend', exact: true }).click();
  await approval.getByText('Du kan først godkende, når databeskyttelsesrådgiveren er hørt.').waitFor();
  await approval.getByText('Skriv en note om godkendelsen.').waitFor();
  await expectNoAxeViolations(page, 'the approval form with errors');
  await screenshot(page, 'instruments-approve');
  await approval.getByLabel('Databeskyttelsesrådgiveren er hørt').check();
  await approval.getByLabel('Note').fill('DPO hørt 1.12.2026: ingen helbredsoplysninger, ingen indvendinger.');
  await approval.getByRole('button', { name: 'Godkend', exact: true }).click();
  await expect.poll(() => row.locator('.instrument-status').textContent()).toBe('Aktiv');
  await row.getByText(/^Godkendt \d{2}\.\d{2}\.\d{4}/).waitFor();
  expect(await page.getByRole('form', { name: /Godkend Daglig rytme/ }).count()).toBe(0);

  // The export is the dictionary again, with the approved version's fields.
  const exported = await page.evaluate(async () => (await fetch('/api/instruments/daglig_rytme/export?format=redcap&version=1')).text());
  expect(exported).toContain('sleep,daglig_rytme');
  await expectNoAxeViolations(page, 'the instruments page');
  await screenshot(page, 'instruments-active');
  await t.close();
});
