// Registersamkøring and the study's end (decision 0044): as `projektleder`, ask for the delivery of VIVE's study to
// Danmarks Statistik, see it made on the job queue and fetch it (a zip keyed by CPR with a manifest and README); as
// `forsker`, the same study page has no such section; as `projektleder`, the ended pilot study awaits the partner's
// confirmation, which is recorded as archived. axe clean; screenshots taken.
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot, url } from './support/browser.ts';

let browser: Browser;
const STUDY = 'Effekt af På vej til arbejde på tilknytningen til arbejdsmarkedet';
const PILOT = 'Pilotundersøgelse af forløbenes første måneder';

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('as projektleder: asks for the delivery to Danmarks Statistik and fetches it', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'projektleder');
  await page.goto(url('/studies'));
  await page.getByRole('link', { name: STUDY }).click();
  await page.getByRole('heading', { level: 1, name: STUDY }).waitFor();
  const section = page.getByRole('region', { name: 'Registersamkøring' });
  await section.waitFor();
  await section.getByText(/projekt 709214/).waitFor();
  await section.getByRole('button', { name: 'Bestil leverance' }).click();
  await section.getByText('Leverancen er bestilt. Den dannes nu.').waitFor();
  await section.getByRole('link', { name: 'Hent leverance' }).first().waitFor({ timeout: 60_000 });
  await expectNoAxeViolations(page, 'the study page with its register-linkage section (projektleder)');
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'register-linkage-section', { fullPage: false });

  const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('link', { name: 'Hent leverance' }).first().click()]);
  expect(download.suggestedFilename()).toMatch(/^registersamkoering-.*\.zip$/);
  const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const files = Object.fromEntries(Object.entries(zip).map(([name, data]) => [name, strFromU8(data)]));
  expect(Object.keys(files).sort()).toEqual(['README.md', 'activities.csv', 'assessments.csv', 'enrolments.csv', 'manifest.json', 'status_weeks.csv']);
  expect(files['enrolments.csv']!.split('\r\n')[0]!.startsWith('cpr,')).toBe(true);
  expect(files['README.md']).toContain('Danmarks Statistik');
  await t.close();
});

test('as forsker: the study page has no register-linkage section', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'forsker');
  await page.getByRole('link', { name: STUDY }).click();
  await page.getByRole('heading', { level: 1, name: STUDY }).waitFor();
  await page.getByRole('region', { name: 'Dataudtræk' }).waitFor();
  await page.getByText(/Ja, via Danmarks Statistiks Forskningsservice/).waitFor();
  expect(await page.getByRole('region', { name: 'Registersamkøring' }).count()).toBe(0);
  expect(await page.getByRole('link', { name: 'Hent leverance' }).count()).toBe(0);
  await t.close();
});

test("as projektleder: the ended pilot study awaits the partner's confirmation, recorded as archived", async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'projektleder');
  await page.goto(url('/studies'));
  await page.getByRole('link', { name: PILOT }).click();
  await page.getByRole('heading', { level: 1, name: PILOT }).waitFor();
  const end = page.getByRole('region', { name: 'Undersøgelsens afslutning' });
  await end.getByText('Afventer partnerens bekræftelse').waitFor();
  await expectNoAxeViolations(page, 'the ended study awaiting confirmation');
  await end.getByLabel('Partneren har').selectOption('archived');
  await end.getByRole('button', { name: 'Registrér bekræftelsen' }).click();
  await end.getByText('Skriv arkivets reference.').waitFor();
  await end.getByLabel('Arkivets reference').fill('RUC arkiv 2026/41');
  await end.getByRole('button', { name: 'Registrér bekræftelsen' }).click();
  await end.getByText('Bekræftet', { exact: true }).waitFor();
  await end.getByText(/arkiveret \(RUC arkiv 2026\/41\)\. Registreret af Karen Winther/).waitFor();
  await expectNoAxeViolations(page, 'the ended study with its confirmation');
  await end.scrollIntoViewIfNeeded();
  await screenshot(page, 'study-end-confirmed', { fullPage: false });
  await t.close();
});
