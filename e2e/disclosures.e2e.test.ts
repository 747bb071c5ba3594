// The whole story across two data controllers, in order, on the demo patient reserved for this test
// (the region's record regionCitizenId(1) and Nordfyn's record of the same person have nothing yet): as
// `liaison`, write a knowledge transfer and try to disclose it — refused, the gap named in plain Danish; the
// citizen's signed sdl_43 consent is recorded (through the consents API); disclosed; as `nordfyn`, the
// snapshot in the marked health-information panel, with who, when and under which consent; with the
// jobcentre's fvl_28 consent on file as well, `nordfyn` asks psychiatry about the named citizen; as
// `liaison`, the withdrawal of the sdl_43 consent recorded in the consents panel; as `nordfyn`, the snapshot
// still there, marked withdrawn; as `liaison`, a new version cannot be disclosed (the withdrawn consent named);
// `nordfyn`'s next named question is refused, so it goes as an anonymous case, which `liaison` answers and
// `nordfyn` reads; as `regionsdpo`, the review list of exceptions. axe on every state, desktop and 360 px,
// screenshots. The steps build on each other: the file runs its tests in order.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';
import { formatIsoDate } from '../src/web/i18n/format.ts';

const REGION_ID = '00000000-0000-4000-8000-000000500001';
const PA_ODENSE = '00000000-0000-4000-8000-000000000103';
const NORDFYN = '00000000-0000-4000-8000-000000000104';
const FREMSKUDT = '00000000-0000-4000-8000-000000000202';
const SUPPORT_TEXT = 'Fast kontaktperson, der forbereder nye situationer sammen med borgeren.';
const OFFERS_TEXT = 'Korte forløb om formiddagen, højst seks deltagere.';
const SUPPORT_TEXT_V2 = 'Fast kontaktperson; aftal på forhånd, hvad borgeren gør, hvis en dag bliver for meget.';
const run = Date.now().toString(36);
const NAMED_SUBJECT = `Opstart i praktik ${run}`;
const ANONYMOUS_SUBJECT = `Praktik efter indlæggelse ${run}`;
const ANONYMOUS_QUESTION = 'En borger kommer fra en længere indlæggelse. Hvor mange timer om ugen er rimeligt at starte med i en praktik?';
const ANSWER = 'Start med to korte dage om ugen, og se på det igen efter tre uger sammen med borgeren.';
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });

let browser: Browser;
let patientName: string;
/** Nordfyn's own record of the person, found once the disclosure reached it. */
let municipalId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const liaison = await apiSession('liaison');
  const list = await liaison.get(`/api/citizens/${REGION_ID}/knowledge-transfers`);
  if (list.status !== 200) throw new Error(`the reserved patient is not the liaison's: ${list.status}`);
  const body = (await list.json()) as { citizen: { name: string }; items: unknown[] };
  if (body.items.length !== 0) throw new Error('the reserved patient already has a knowledge transfer');
  patientName = body.citizen.name;
  await liaison.logout();
});
afterAll(async () => {
  await browser?.close();
});

/** Nordfyn's own record of the same person: the one of the namesakes that received the disclosure. */
async function municipalRecord(): Promise<string> {
  const nordfyn = await apiSession('nordfyn');
  const found = await nordfyn.post('/api/citizens/search', { q: patientName });
  const items = ((await found.json()) as { items: { id: string; firstName: string; lastName: string }[] }).items.filter((c) => `${c.firstName} ${c.lastName}` === patientName);
  for (const c of items) {
    const info = (await (await nordfyn.get(`/api/citizens/${c.id}/health-information`)).json()) as { items?: unknown[] };
    if (info.items && info.items.length > 0) {
      await nordfyn.logout();
      return c.id;
    }
  }
  throw new Error(`no record of ${patientName} at Nordfyn received the disclosure`);
}

test('as liaison: a knowledge transfer written, disclosure refused without consent, disclosed with it', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'liaison');
  // From the region's own record of the patient to the knowledge transfer.
  await page.goto(url(`/citizens/${REGION_ID}`));
  await page.getByRole('link', { name: 'Vidensoverdragelse og videregivelse' }).click();
  await page.getByRole('heading', { level: 1, name: patientName }).waitFor();
  const kt = page.getByRole('region', { name: 'Vidensoverdragelse' });
  await expect.poll(() => kt.getByText('Der er ikke skrevet en vidensoverdragelse endnu').isVisible()).toBe(true);
  await expectNoAxeViolations(page, 'the region patient page, empty');

  // Write version 1: two of the four questions answered, each with its category.
  await kt.getByRole('button', { name: 'Skriv vidensoverdragelse' }).click();
  await kt.getByLabel('Afsendende team').fill('Psykoseteamet, PA Odense');
  const offers = kt.getByRole('group', { name: 'Hvad skal tilbud og forløb tage hensyn til?' });
  await offers.getByLabel('Svar').fill(OFFERS_TEXT);
  const support = kt.getByRole('group', { name: 'Hvilken støtte har borgeren brug for?' });
  await support.getByLabel('Svar').fill(SUPPORT_TEXT);
  await support.getByLabel('Kategori').selectOption('support_needs');
  await expectNoAxeViolations(page, 'the knowledge-transfer form');
  await screenshot(page, 'disclosures-kt-form');
  await kt.getByRole('button', { name: 'Gem version' }).click();
  await expect.poll(() => page.getByText('Version 1 er gemt.').isVisible()).toBe(true);
  await expect.poll(() => kt.getByText(SUPPORT_TEXT).isVisible()).toBe(true);

  // Disclose without consent: refused, and the page says what is missing.
  t.expectHttpError(`/api/citizens/${REGION_ID}/disclosures`, 409);
  const section = page.getByRole('region', { name: 'Videregivelser' });
  await section.getByRole('button', { name: 'Videregiv' }).click();
  const form = section.getByRole('form', { name: 'Videregiv til jobcentret' });
  await expect.poll(() => form.getByLabel('Modtager').inputValue()).toBe(NORDFYN);
  await form.getByRole('button', { name: 'Videregiv' }).click();
  const refused = form.getByRole('alert');
  await expect.poll(() => refused.textContent()).toContain('Kan ikke videregives');
  expect(await refused.textContent()).toContain('der er intet samtykke');
  expect(await refused.textContent()).toContain('Støttebehov til Sagsbehandler');
  await expectNoAxeViolations(page, 'the refused disclosure');
  await screenshot(page, 'disclosures-refused');

  // The citizen signs the consent form (recorded through the consents API).
  const liaison = await apiSession('liaison');
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });
  const validTo = new Date(Date.now() + 300 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });
  const recorded = await liaison.post(`/api/citizens/${REGION_ID}/consents`, {
    givenOn: today,
    validFrom: today,
    validTo,
    givenBy: 'citizen',
    givenHow: 'written',
    copyGiven: true,
    items: [{ instrument: 'sdl_43', categories: ['work_considerations', 'support_needs'], sourceOrganisationId: PA_ODENSE, recipientOrganisationId: NORDFYN, recipientRoles: ['caseworker'], purpose: 'Fremskudt psykiatrifagligt arbejde', programmeId: FREMSKUDT }],
  });
  expect(recorded.status, await recorded.clone().text()).toBe(201);
  await liaison.logout();

  await form.getByRole('button', { name: 'Videregiv' }).click();
  await expect.poll(() => page.getByText('Oplysningerne er videregivet til Nordfyns Kommune.').isVisible()).toBe(true);
  await expect.poll(() => section.getByRole('heading', { name: /Til Nordfyns Kommune \(Sagsbehandler\)/ }).isVisible()).toBe(true);
  await expectNoAxeViolations(page, 'the region patient page with a disclosure');
  await screenshot(page, 'disclosures-region-page');
  await t.close();
}, 180_000);

test('as nordfyn: the snapshot in the marked health-information panel of its own record, desktop and 360 px', async () => {
  municipalId = await municipalRecord();
  const m = await openPage(browser);
  await login(m.page, 'nordfyn');
  await m.page.goto(url(`/citizens/${municipalId}`));
  const panel = m.page.getByRole('region', { name: /Helbredsoplysninger fra psykiatrien/ });
  await expect.poll(() => panel.getByText(SUPPORT_TEXT).isVisible()).toBe(true);
  expect(await panel.textContent()).toContain('Følsomme oplysninger');
  expect(await panel.textContent()).toContain('Camilla Juhl, Psykiatrisk Afdeling Odense');
  expect(await panel.textContent()).toContain('Modtaget under samtykke');
  expect(await panel.textContent()).toContain('Samtykke til videregivelse: gyldigt til');
  await expectNoAxeViolations(m.page, 'the municipal citizen page with the health-information panel');
  await panel.screenshot({ path: 'test-results/screenshots/disclosures-health-panel.png' });
  await m.close();

  const phone = await openPage(browser, PHONE);
  await login(phone.page, 'nordfyn');
  await phone.page.goto(url(`/citizens/${municipalId}`));
  await expect.poll(() => phone.page.getByText(SUPPORT_TEXT).isVisible()).toBe(true);
  expect(await overflowsHorizontally(phone.page)).toBe(false);
  await expectNoAxeViolations(phone.page, 'the health-information panel at 360 px');
  await screenshot(phone.page, 'disclosures-health-panel-phone');
  await phone.close();
}, 180_000);

test('as nordfyn: with consents both ways, a question to psychiatry about the named citizen', async () => {
  // The citizen also signs the jobcentre's disclosure consent (fvl_28) naming psychiatry's liaison.
  const nordfyn = await apiSession('nordfyn');
  const recorded = await nordfyn.post(`/api/citizens/${municipalId}/consents`, {
    givenOn: today(),
    validFrom: today(),
    validTo: new Date(Date.now() + 90 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' }),
    givenBy: 'citizen',
    givenHow: 'written',
    copyGiven: true,
    items: [{ instrument: 'fvl_28', categories: ['municipal_plan', 'activities'], sourceOrganisationId: NORDFYN, recipientOrganisationId: PA_ODENSE, recipientRoles: ['liaison'], purpose: 'Fremskudt psykiatrifagligt arbejde', programmeId: FREMSKUDT }],
  });
  expect(recorded.status, await recorded.clone().text()).toBe(201);
  await nordfyn.logout();

  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'nordfyn');
  await page.goto(url(`/citizens/${municipalId}`));
  await page.getByRole('link', { name: 'Send henvendelse til psykiatrien' }).click();
  await page.getByRole('heading', { level: 1, name: 'Send henvendelse til psykiatrien' }).waitFor();
  await expect.poll(() => page.getByLabel(`Om ${patientName}`).isChecked()).toBe(true);
  await page.getByLabel('Emne').fill(NAMED_SUBJECT);
  await page.getByRole('textbox', { name: 'Spørgsmål' }).fill('Borgeren skal i praktik i en butik. Er der noget, vi skal tage hensyn til i opstarten?');
  await expectNoAxeViolations(page, 'the named inquiry form');
  await page.getByRole('button', { name: 'Send henvendelse' }).click();
  await page.getByRole('heading', { level: 1, name: NAMED_SUBJECT }).waitFor();
  await expect.poll(() => page.locator('.inquiry-meta .tag-status').textContent()).toBe('Ny');
  await expect.poll(() => page.getByText(patientName).first().isVisible()).toBe(true);
  await expectNoAxeViolations(page, 'the named inquiry, sent');
  await screenshot(page, 'scenario-named-inquiry-sent');
  await t.close();
});

test('as liaison: the citizen withdraws the sdl_43 consent, recorded in the consents panel', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'liaison');
  await page.goto(url(`/citizens/${REGION_ID}`));
  const panel = page.getByRole('region', { name: 'Samtykker' });
  const sdl = panel.locator('.consent-list > li').filter({ has: page.getByRole('heading', { name: /sundhedsloven § 43/ }) });
  await expect.poll(() => sdl.count()).toBe(1);
  await sdl.getByRole('button', { name: 'Træk tilbage' }).click();
  await sdl.getByLabel('Note', { exact: true }).fill('Borgeren ringede og trak samtykket tilbage.');
  await expectNoAxeViolations(page, 'the withdrawal form');
  await sdl.getByRole('button', { name: 'Registrér tilbagetrækning' }).click();
  await expect.poll(() => sdl.getByText('Tilbagetrækningen er registreret').count()).toBe(1);
  // The card shows the new state next to its receipt, without "Træk tilbage".
  await expect.poll(() => sdl.locator('.consent-state-withdrawn').count()).toBe(1);
  expect(await sdl.getByRole('button', { name: 'Træk tilbage' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'the withdrawal receipt');
  await screenshot(page, 'scenario-withdrawal-receipt');
  await sdl.getByRole('button', { name: 'Luk' }).click();
  await expect.poll(() => sdl.locator('.consent-state-withdrawn').count()).toBe(1);
  await t.close();
});

test('as nordfyn: the snapshot is still in the panel, marked withdrawn', async () => {
  const nordfyn = await apiSession('nordfyn');
  const info = (await (await nordfyn.get(`/api/citizens/${municipalId}/health-information`)).json()) as { items: { consentWithdrawnAt: string | null }[]; consentStatus: string };
  await nordfyn.logout();
  expect(info.consentStatus).toBe('withdrawn');
  expect(info.items).toHaveLength(1);
  expect(info.items[0]!.consentWithdrawnAt).toBe(today());

  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'nordfyn');
  await page.goto(url(`/citizens/${municipalId}`));
  const panel = page.getByRole('region', { name: /Helbredsoplysninger fra psykiatrien/ });
  await expect.poll(() => panel.getByText(SUPPORT_TEXT).isVisible()).toBe(true);
  const on = formatIsoDate('da', today());
  await expect.poll(() => panel.locator('.withdrawn-mark').textContent()).toBe(`Samtykket er trukket tilbage ${on}`);
  expect(await panel.textContent()).toContain(`Samtykke til videregivelse: trukket tilbage ${on}. Der kan ikke modtages mere.`);
  expect(await panel.textContent()).toContain('Modtaget under samtykke');
  await expectNoAxeViolations(page, 'the health-information panel after the withdrawal');
  await panel.screenshot({ path: 'test-results/screenshots/scenario-health-panel-withdrawn.png' });
  await t.close();
});

test('as liaison: a new version of the knowledge transfer cannot be disclosed, the withdrawn consent named', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'liaison');
  await page.goto(url(`/citizens/${REGION_ID}`));
  await page.getByRole('link', { name: 'Vidensoverdragelse og videregivelse' }).click();
  await page.getByRole('heading', { level: 1, name: patientName }).waitFor();
  const kt = page.getByRole('region', { name: 'Vidensoverdragelse' });
  await kt.getByRole('button', { name: 'Ny version' }).click();
  const support = kt.getByRole('group', { name: 'Hvilken støtte har borgeren brug for?' });
  await expect.poll(() => support.getByLabel('Svar').inputValue()).toBe(SUPPORT_TEXT);
  await support.getByLabel('Svar').fill(SUPPORT_TEXT_V2);
  await kt.getByRole('button', { name: 'Gem version' }).click();
  await expect.poll(() => page.getByText('Version 2 er gemt.').isVisible()).toBe(true);

  t.expectHttpError(`/api/citizens/${REGION_ID}/disclosures`, 409);
  const section = page.getByRole('region', { name: 'Videregivelser' });
  await section.getByRole('button', { name: 'Videregiv' }).click();
  const form = section.getByRole('form', { name: 'Videregiv til jobcentret' });
  await form.getByRole('button', { name: 'Videregiv' }).click();
  const refused = form.getByRole('alert');
  await expect.poll(() => refused.textContent()).toContain('Kan ikke videregives');
  expect(await refused.textContent()).toContain('samtykket er trukket tilbage');
  expect(await refused.textContent()).toMatch(/Samtykke til videregivelse \(sundhedsloven § 43\), samtykke [0-9a-f]{8}/);
  await expectNoAxeViolations(page, 'the refused disclosure of a new version');
  await screenshot(page, 'scenario-new-version-refused');
  await t.close();

  // Nothing new reached the jobcentre.
  const nordfyn = await apiSession('nordfyn');
  const info = (await (await nordfyn.get(`/api/citizens/${municipalId}/health-information`)).json()) as { items: unknown[] };
  await nordfyn.logout();
  expect(info.items).toHaveLength(1);
});

test('as nordfyn: the next named question is refused (consents no longer both ways) and goes as an anonymous case', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'nordfyn');
  await page.goto(url(`/citizens/${municipalId}`));
  await page.getByRole('link', { name: 'Send henvendelse til psykiatrien' }).click();
  await page.getByRole('heading', { level: 1, name: 'Send henvendelse til psykiatrien' }).waitFor();
  await page.getByLabel('Emne').fill(ANONYMOUS_SUBJECT);
  await page.getByRole('textbox', { name: 'Spørgsmål' }).fill(ANONYMOUS_QUESTION);
  t.expectHttpError('/api/inquiries', 409);
  await page.getByRole('button', { name: 'Send henvendelse' }).click();
  const refused = page.getByRole('alert');
  await expect.poll(() => refused.textContent()).toContain('Henvendelsen er ikke sendt');
  expect(await refused.textContent()).toContain('En henvendelse om en navngiven borger kræver samtykke begge veje');
  expect(await refused.textContent()).toContain('Samtykke til videregivelse af helbredsoplysninger (sundhedsloven § 43): samtykket er trukket tilbage');
  await expectNoAxeViolations(page, 'the refused named inquiry');
  await screenshot(page, 'scenario-named-inquiry-refused');

  await page.getByLabel('Anonym sag').check();
  await page.getByText('Skriv ikke noget, der kan identificere borgeren').waitFor();
  await page.getByRole('button', { name: 'Send henvendelse' }).click();
  await page.getByRole('heading', { level: 1, name: ANONYMOUS_SUBJECT }).waitFor();
  await expect.poll(() => page.locator('.inquiry-meta .tag-status').textContent()).toBe('Ny');
  expect(await page.locator('main').textContent()).not.toContain(patientName);
  await expectNoAxeViolations(page, 'the anonymous inquiry, sent');
  await t.close();
});

test('as liaison: the anonymous case answered; as nordfyn: the answer read', async () => {
  let t = await openPage(browser);
  let page = t.page;
  await login(page, 'liaison');
  await page.waitForURL(/\/inquiries$/);
  const queue = page.getByRole('region', { name: 'Kø' });
  await queue.getByRole('link', { name: ANONYMOUS_SUBJECT }).click();
  await page.getByRole('heading', { level: 1, name: ANONYMOUS_SUBJECT }).waitFor();
  await page.getByRole('button', { name: 'Tag henvendelsen' }).click();
  await page.getByText('Du har taget henvendelsen.').waitFor();
  await page.getByLabel('Dit svar').fill(ANSWER);
  await page.getByRole('button', { name: 'Send svar' }).click();
  await page.getByText('Svaret er sendt.').waitFor();
  await expect.poll(() => page.locator('.inquiry-meta .tag-status').textContent()).toBe('Besvaret');
  await expectNoAxeViolations(page, 'the answered anonymous case (liaison)');
  await screenshot(page, 'scenario-anonymous-answered');
  await t.close();

  t = await openPage(browser);
  page = t.page;
  await login(page, 'nordfyn');
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Henvendelser' }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: ANONYMOUS_SUBJECT }) });
  await expect.poll(() => row.locator('.tag-status').textContent()).toBe('Besvaret');
  await row.getByRole('link', { name: ANONYMOUS_SUBJECT }).click();
  await page.getByText(ANSWER).waitFor();
  await expectNoAxeViolations(page, 'the answered anonymous case (asker)');
  await screenshot(page, 'scenario-anonymous-answer-read');
  await t.close();
});

test('as regionsdpo: the review list of disclosures without consent', async () => {
  const t = await openPage(browser);
  await login(t.page, 'regionsdpo');
  await t.page.getByRole('link', { name: 'Undtagelser' }).click();
  await t.page.getByRole('heading', { level: 1, name: 'Videregivelser uden samtykke' }).waitFor();
  await expect.poll(() => t.page.getByText('Afventer: patienten skal have besked').first().isVisible()).toBe(true);
  await expectNoAxeViolations(t.page, 'the exception review list');
  await screenshot(t.page, 'disclosures-exceptions');
  await t.close();
});
