// Dataudtræk: as `forsker`, open VIVE's study, download the demo's finished export (a zip with the data files, the
// codebook and the README; the CSV headers hold no identifier), and open the codebook from the package. axe clean on
// the study page and on the codebook; screenshots taken.
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot } from './support/browser.ts';

let browser: Browser;
const STUDY = 'Effekt af På vej til arbejde på tilknytningen til arbejdsmarkedet';

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('as forsker: downloads the finished export of the study and opens its codebook', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'forsker');
  await page.getByRole('link', { name: STUDY }).click();
  await page.getByRole('heading', { level: 1, name: STUDY }).waitFor();
  const section = page.getByRole('region', { name: 'Dataudtræk' });
  await section.waitFor();
  await section.getByText('Klar', { exact: true }).first().waitFor();
  await section.getByRole('button', { name: 'Bestil udtræk' }).waitFor();
  await expectNoAxeViolations(page, 'the study page with its exports (forsker)');
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'research-export-study', { fullPage: false });

  const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('link', { name: 'Hent zip-fil' }).first().click()]);
  expect(download.suggestedFilename()).toMatch(/^dataudtraek-.*\.zip$/);
  const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const files = Object.fromEntries(Object.entries(zip).map(([name, data]) => [name, strFromU8(data)]));
  expect(Object.keys(files).sort()).toEqual(['README.md', 'activities.csv', 'assessments.csv', 'codebook.csv', 'codebook.html', 'codebook.json', 'enrolments.csv', 'research_answers.csv', 'research_scores.csv', 'status_weeks.csv']);
  const headers = ['enrolments.csv', 'activities.csv', 'assessments.csv', 'status_weeks.csv'].map((f) => files[f]!.split('\r\n')[0]!);
  expect(headers[0]).toBe('pseudonym,birth_year,sex,start_date,benefit_at_start,exit_outcome');
  for (const header of headers) {
    expect(header.startsWith('pseudonym,')).toBe(true);
    expect(header).not.toMatch(/cpr|name|navn|email|phone|telefon|address|adresse|birth_date|note|text/i);
  }
  const firstRow = files['enrolments.csv']!.split('\r\n')[1]!.split(',');
  expect(firstRow[0]).toMatch(/^R[A-Z2-7]{16}$/);
  expect(files['README.md']).toContain('k ≥ 5');

  // The codebook, as the researcher opens it from the package.
  const codebook = await openPage(browser);
  await codebook.page.setContent(files['codebook.html']!);
  await codebook.page.getByRole('heading', { level: 1, name: /Codebook \/ Kodebog/ }).waitFor();
  await codebook.page.getByRole('cell', { name: 'Fødselsår' }).waitFor();
  await codebook.page.getByRole('cell', { name: 'Year of birth' }).waitFor();
  await expectNoAxeViolations(codebook.page, 'codebook.html');
  await screenshot(codebook.page, 'research-export-codebook');
  await codebook.close();
  await t.close();
});
