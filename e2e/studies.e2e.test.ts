// Undersøgelser: the researcher lands on their studies and reads VIVE's approved study with its variables as the
// codebook describes them; on a new study the dpo records advice and the programme manager is told in words what
// still stops the approval, then approves. axe clean on every page; screenshots taken (desktop and 360 px).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

let browser: Browser;
let studyId: string;
const TITLE = 'Browsertest: effekt af walk and talk';

beforeAll(async () => {
  browser = await launchBrowser();
  const pm = await apiSession('projektleder');
  const created = await pm.post('/api/studies', {
    programmeId: '00000000-0000-4000-8000-000000000201',
    title: TITLE,
    partnerName: 'VIVE',
    partnerRole: 'controller',
    legalBasis: ['gdpr_6_1_e'],
    checklist: { thirdCountry: false, biologicalMaterial: false, journalPublication: false },
    purpose: 'At se, om walk and talk giver flere fremmøder.',
    startsOn: '2026-01-01',
    endsOn: '2027-06-30',
    variables: ['activities.pseudonym', 'activities.kind', 'activities.place', 'activities.attended'],
    datePrecision: 'month',
    dpiaReference: 'DPIA-E2E',
    organisationIds: ['00000000-0000-4000-8000-000000000101'],
  });
  if (created.status !== 201) throw new Error(`recording the study failed: ${created.status} ${await created.text()}`);
  studyId = ((await created.json()) as { id: string }).id;
  await pm.logout();
});
afterAll(async () => {
  await browser?.close();
});

test("as forsker: lands on Undersøgelser and reads VIVE's approved study with its variables", async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'forsker');
  await page.getByRole('heading', { level: 1, name: 'Undersøgelser' }).waitFor();
  // The researcher is not named on the new study: only the demo's two studies (VIVE's and the ended pilot) are listed.
  await expect.poll(() => page.locator('.studies-table tbody tr').count()).toBe(2);
  expect(await page.getByRole('link', { name: TITLE }).count()).toBe(0);
  await expectNoAxeViolations(page, 'Undersøgelser (forsker)');
  await page.getByRole('link', { name: 'Effekt af På vej til arbejde på tilknytningen til arbejdsmarkedet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Effekt af På vej til arbejde på tilknytningen til arbejdsmarkedet' }).waitFor();
  await page.getByText(/^Godkendt \d\d\.\d\d\.\d{4}/).waitFor();
  await page.getByRole('heading', { level: 3, name: 'Målinger (én række pr. besvarelse)' }).waitFor();
  const health = page.getByRole('region', { name: 'Målinger (én række pr. besvarelse)' });
  await expect.poll(() => health.getByText('Helbredsoplysning').count()).toBeGreaterThan(0);
  await page.getByRole('cell', { name: /kontanthjaelp = Kontanthjælp/ }).first().waitFor();
  // No approval or advice form for a researcher.
  expect(await page.getByRole('button', { name: 'Godkend undersøgelsen' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'a study (forsker)');
  await screenshot(page, 'study-forsker-desktop');
  await t.close();

  const phone = await openPage(browser, PHONE);
  await login(phone.page, 'forsker');
  await phone.page.getByRole('heading', { level: 1, name: 'Undersøgelser' }).waitFor();
  await phone.page.getByRole('link', { name: 'Effekt af På vej til arbejde på tilknytningen til arbejdsmarkedet' }).click();
  await phone.page.getByRole('heading', { level: 2, name: 'Godkendte variable' }).waitFor();
  expect(await overflowsHorizontally(phone.page)).toBe(false);
  await screenshot(phone.page, 'study-forsker-360');
  await phone.close();
});

test('as dpo then projektleder: advice, the approval refused with what is missing in words, then approved', async () => {
  const dpo = await openPage(browser);
  await login(dpo.page, 'dpo');
  await dpo.page.goto(url(`/studies/${studyId}`));
  await dpo.page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await dpo.page.getByRole('button', { name: 'Gem rådgivning' }).click();
  await dpo.page.getByText('Skriv din rådgivning.').waitFor();
  await dpo.page.getByRole('textbox', { name: 'Rådgivning' }).fill('Kun aktivitetsdata, datoer på måneder. Anbefales.');
  await dpo.page.getByRole('button', { name: 'Gem rådgivning' }).click();
  await dpo.page.getByRole('cell', { name: /Kun aktivitetsdata, datoer på måneder\. Anbefales\./ }).waitFor();
  await expectNoAxeViolations(dpo.page, 'a study (dpo)');
  await dpo.close();

  const pm = await openPage(browser);
  const { page } = pm;
  await login(page, 'projektleder');
  await page.getByRole('link', { name: 'Undersøgelser' }).click();
  await page.getByRole('link', { name: TITLE }).click();
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  pm.expectHttpError(`/api/studies/${studyId}/approve`, 409);
  await page.getByRole('button', { name: 'Godkend undersøgelsen' }).click();
  await page.getByText('Ingen forsker er tilknyttet.').waitFor();
  await expectNoAxeViolations(page, 'the approval refused');
  await screenshot(page, 'study-approval-refused');

  // Name the programme's researcher: the form asks for a choice first, then names her.
  const naming = page.locator('form[aria-labelledby="study-name-heading"]');
  await naming.getByRole('button', { name: 'Tilknyt' }).click();
  await naming.getByText('Vælg en forsker.').waitFor();
  await naming.getByLabel('Forsker').selectOption({ label: 'Ida Bech' });
  await naming.getByRole('button', { name: 'Tilknyt' }).click();
  await naming.getByText('Ida Bech er tilknyttet undersøgelsen.').waitFor();
  await naming.getByText('Alle programmets forskere er tilknyttet.', { exact: false }).waitFor();
  await page.getByRole('definition').filter({ hasText: 'Ida Bech' }).waitFor();
  await expectNoAxeViolations(page, 'a researcher named');
  await screenshot(page, 'study-researcher-named');
  await page.getByRole('button', { name: 'Godkend undersøgelsen' }).click();
  await page.getByText(/^Godkendt \d\d\.\d\d\.\d{4}/).waitFor();
  expect(await page.getByRole('button', { name: 'Godkend undersøgelsen' }).count()).toBe(0);
  // An approved study is not changed: no more naming.
  expect(await naming.count()).toBe(0);
  await screenshot(page, 'study-approved');
  await pm.close();
});

test('as projektleder: Ny undersøgelse validates, asks for § 10 with health data, and saves the study', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'projektleder');
  await page.getByRole('link', { name: 'Undersøgelser' }).click();
  await page.getByRole('link', { name: 'Ny undersøgelse' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ny undersøgelse' }).waitFor();
  await page.getByRole('button', { name: 'Gem undersøgelsen' }).click();
  await page.getByText('Skriv en titel.').waitFor();
  await page.getByText('Vælg mindst én variabel.').waitFor();
  await expectNoAxeViolations(page, 'Ny undersøgelse with errors');

  await page.getByLabel('Titel').fill('Browsertest: trivsel og fremmøde');
  await page.getByLabel('Forskningspartner').fill('Syddansk Universitet');
  await page.getByLabel('Formål').fill('At se, om trivsel hænger sammen med fremmøde.');
  await page.getByLabel('Startdato').fill('2027-01-01');
  await page.getByLabel('Slutdato').fill('2026-01-01');
  await page.getByLabel('Konsekvensanalyse (DPIA)').fill('DPIA-E2E-2');
  await page.getByRole('checkbox', { name: 'Fremmøde' }).check();
  await page.getByRole('checkbox', { name: /^Skaleret score/ }).check();
  await page.getByRole('button', { name: 'Gem undersøgelsen' }).click();
  await page.getByText('Slutdatoen skal ligge efter startdatoen.').waitFor();
  await page.getByText('Helbredsoplysninger kræver databeskyttelseslovens § 10 som hjemmel.').waitFor();
  await page.getByLabel('Slutdato').fill('2028-12-31');
  await page.getByRole('checkbox', { name: 'Databeskyttelsesloven § 10 (følsomme oplysninger)' }).check();
  await screenshot(page, 'study-new-filled');
  await page.getByRole('button', { name: 'Gem undersøgelsen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Browsertest: trivsel og fremmøde' }).waitFor();
  await page.getByText('Afventer godkendelse').first().waitFor();
  // The files chosen from come with their pseudonym and date.
  const activities = page.getByRole('region', { name: 'Aktiviteter (én række pr. aktivitet)' });
  await expect.poll(() => activities.locator('code').allTextContents()).toEqual(['pseudonym', 'date', 'attended']);
  await expectNoAxeViolations(page, 'the new study');
  await t.close();
});
