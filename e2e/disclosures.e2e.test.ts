// Knowledge transfer and disclosure across two data controllers, on the demo patient reserved for this test
// (the region's record regionCitizenId(1) and Nordfyn's record of the same person have nothing yet): as
// `liaison`, write a knowledge transfer and try to disclose it — refused, the gap named in plain Danish; the
// citizen's signed sdl_43 consent is recorded (through the consents API); disclosed; as `nordfyn`, the
// snapshot in the marked health-information panel, with who, when and under which consent; as `regionsdpo`,
// the review list of exceptions. axe on every state, desktop and 360 px, screenshots.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

const REGION_ID = '00000000-0000-4000-8000-000000500001';
const PA_ODENSE = '00000000-0000-4000-8000-000000000103';
const NORDFYN = '00000000-0000-4000-8000-000000000104';
const FREMSKUDT = '00000000-0000-4000-8000-000000000202';
const SUPPORT_TEXT = 'Fast kontaktperson, der forbereder nye situationer sammen med borgeren.';
const OFFERS_TEXT = 'Korte forløb om formiddagen, højst seks deltagere.';

let browser: Browser;
let patientName: string;

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
  const municipalId = await municipalRecord();
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
