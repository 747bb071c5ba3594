// Forskning at 360 px (decision 0040). As demo citizen 42 through the MitID test identity provider: the section shows
// VIVE's study with its purpose and partner and says plainly that answering is voluntary, has no effect on the case
// and that the caseworker never sees the answers; the Work Ability Score is answered and the thank-you shown, after
// which it offers to delete the answers. As demo citizen 41, who answered it earlier: the answers are deleted after
// the page says what deleting does (an export already delivered stays with the partner). On the staff side, the study page lists the questionnaire, and a programme
// manager adds one to a new study. axe clean on every page; screenshots taken.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot } from './support/browser.ts';
import { mitIdLogin, PORTAL_MENU } from './support/portal.ts';

let browser: Browser;
let studyId: string;
/** Demo citizen 42 (src/server/demo/demo-research.ts: the research questionnaire waits for her). */
const AMINA = 'Amina Brændgaard';
/** Demo citizen 41, who answered the research questionnaire already. */
const EMIL = 'Emil Skovgård';
const STUDY = 'Effekt af På vej til arbejde på tilknytningen til arbejdsmarkedet';
const WAS = 'Arbejdsevne (Work Ability Score)';
const NEW_STUDY = 'Browsertest: trivsel i forløbet';

beforeAll(async () => {
  browser = await launchBrowser();
  const pm = await apiSession('projektleder');
  const created = await pm.post('/api/studies', {
    programmeId: '00000000-0000-4000-8000-000000000201',
    title: NEW_STUDY,
    partnerName: 'VIVE',
    partnerRole: 'controller',
    legalBasis: ['gdpr_6_1_e', 'dbl_10'],
    checklist: { thirdCountry: false, biologicalMaterial: false, journalPublication: false },
    purpose: 'At måle trivsel undervejs.',
    startsOn: '2026-01-01',
    endsOn: '2027-06-30',
    variables: ['enrolments.pseudonym'],
    datePrecision: 'month',
    dpiaReference: 'DPIA-E2E-R',
    organisationIds: ['00000000-0000-4000-8000-000000000101'],
  });
  if (created.status !== 201) throw new Error(`recording the study failed: ${created.status} ${await created.text()}`);
  studyId = ((await created.json()) as { id: string }).id;
  await pm.logout();
});
afterAll(async () => {
  await browser?.close();
});

test('at 360 px with MitID: read the voluntary notice, answer the research questionnaire, see the thank-you', async () => {
  const citizen = await openPage(browser, PHONE);
  const { page } = citizen;
  await mitIdLogin(page, AMINA);
  await page.getByRole('navigation', { name: PORTAL_MENU }).getByRole('link', { name: 'Forskning' }).click();
  await page.getByRole('heading', { level: 1, name: 'Forskning' }).waitFor();
  const notice = page.getByRole('note', { name: 'Det er frivilligt' });
  await notice.getByText('Du vælger selv, om du vil svare. Det har ingen betydning for din sag. Din sagsbehandler ser aldrig dine svar.', { exact: false }).waitFor();
  const study = page.getByRole('region', { name: STUDY });
  await study.getByText(/^VIVE/).waitFor();
  await study.getByText(/^At måle, om borgere i På vej til arbejde/).waitFor();
  await study.getByRole('button', { name: 'Nej tak' }).waitFor();
  await expectNoAxeViolations(page, 'Forskning');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-research-360');

  await study.getByRole('button', { name: `Svar på ${WAS}` }).click();
  const form = page.getByRole('form', { name: WAS });
  await form.getByRole('group', { name: /^Spørgsmål 1 af 1/ }).getByLabel('7', { exact: true }).check();
  await expectNoAxeViolations(page, 'the research questionnaire');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-research-form-360');
  await form.getByRole('button', { name: 'Send svar' }).click();
  await page.getByRole('status').getByText('Tak for dine svar. De går kun til forskerne.').waitFor();
  await study.getByText(/^Du svarede den .*Tak for hjælpen\.$/).waitFor();
  await study.getByRole('button', { name: 'Slet mine svar' }).waitFor();
  expect(await study.getByRole('button', { name: 'Nej tak' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'Forskning after answering');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-research-answered-360');
  await citizen.close();
});

test('at 360 px with MitID: delete answers given earlier, after being told what deleting does', async () => {
  const citizen = await openPage(browser, PHONE);
  const { page } = citizen;
  await mitIdLogin(page, EMIL);
  await page.getByRole('navigation', { name: PORTAL_MENU }).getByRole('link', { name: 'Forskning' }).click();
  const study = page.getByRole('region', { name: STUDY });
  await study.getByText(/^Du svarede den /).waitFor();
  await study.getByRole('button', { name: 'Slet mine svar' }).click();
  const confirm = study.getByRole('group', { name: 'Slet mine svar' });
  await confirm.getByText(/^Vil du slette dine svar\? Vi sletter dem her med det samme\./).waitFor();
  await expectNoAxeViolations(page, 'Forskning, deleting answers');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-research-delete-360');
  await confirm.getByRole('button', { name: 'Ja, slet mine svar' }).click();
  await study.getByText(/^Dine svar er slettet her\. Vi spørger ikke igen\./).waitFor();
  expect(await study.getByRole('button', { name: /^Svar på / }).count()).toBe(0);
  await expectNoAxeViolations(page, 'Forskning after deleting');
  await citizen.close();
});

test('staff: the study page lists the research questionnaire; the programme manager adds one to a new study', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'projektleder');
  await page.goto(new URL('/studies/00000000-0000-4000-8000-000000710001', page.url()).toString());
  await page.getByRole('heading', { level: 1, name: STUDY }).waitFor();
  const section = page.getByRole('region', { name: 'Forskningsspørgeskemaer' });
  await section.getByText(WAS).waitFor();
  await section.getByText(/vises aldrig for medarbejdere/).waitFor();
  // Approved: no form to add one.
  expect(await section.getByRole('button', { name: 'Tilføj' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'a study with a research questionnaire');
  await screenshot(page, 'study-research-questionnaire-desktop');

  await page.goto(new URL(`/studies/${studyId}`, page.url()).toString());
  await page.getByRole('heading', { level: 1, name: NEW_STUDY }).waitFor();
  const newSection = page.getByRole('region', { name: 'Forskningsspørgeskemaer' });
  await newSection.getByText('Undersøgelsen har ingen forskningsspørgeskemaer.').waitFor();
  await newSection.getByLabel('Spørgeskema (borgeren svarer selv)').selectOption({ label: 'WHO-5 Trivselsindeks (Helbredsoplysning)' });
  await newSection.getByRole('button', { name: 'Tilføj' }).click();
  await newSection.getByRole('status').getByText('Spørgeskemaet er tilføjet.').waitFor();
  await newSection.getByText('WHO-5 Trivselsindeks', { exact: true }).waitFor();
  await expectNoAxeViolations(page, 'a new study after adding a questionnaire');
  await screenshot(page, 'study-add-questionnaire-desktop');
  await t.close();
});
