// Company meetings as the liaison: from "Henvendelser" to "Virksomhedsmøder", a meeting recorded (a wrong CVR
// number explained first), what the company was told about a patient refused while no consent names the
// company (the gap named on screen) and a diagnosis refused, then accepted after recording the consent to tell
// the company on the patient's page. axe clean.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { regionCitizenId } from '../src/server/demo/demo-crossing.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot, url } from './support/browser.ts';

let browser: Browser;
/** A region patient with none of the demo's company consents (the reserved ones are other tests'). */
const PATIENT = regionCitizenId(4);
const CVR = '14938265';

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('as liaison: a company meeting recorded, an item refused without consent and accepted after the consent', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'liaison');
  await page.goto(url('/inquiries'));
  await page.getByRole('link', { name: 'Virksomhedsmøder' }).click();
  await page.getByRole('heading', { level: 1, name: 'Virksomhedsmøder' }).waitFor();
  await expect.poll(() => page.getByRole('link', { name: /\(fiktiv\)/ }).count()).toBeGreaterThan(0);
  await expectNoAxeViolations(page, 'the company meetings list');
  await screenshot(page, 'liaison-company-meetings');

  await page.getByRole('button', { name: 'Registrér virksomhedsmøde' }).click();
  const form = page.getByRole('form', { name: 'Registrér virksomhedsmøde' });
  await form.getByLabel('CVR-nummer').fill('12345678');
  await form.getByLabel('Virksomhedens navn').fill('Testfirmaet Søndersø ApS');
  await form.getByLabel('Hvem deltog').fill('Fremskudt medarbejder, nærmeste leder');
  await form.getByLabel('Formål med mødet').fill('Opstart af praktik');
  await form.getByRole('button', { name: 'Gem møde' }).click();
  await form.getByText('Det er ikke et gyldigt CVR-nummer. Tjek cifrene.').waitFor();
  await expectNoAxeViolations(page, 'the new meeting form with an error');
  await form.getByLabel('CVR-nummer').fill(CVR);
  await form.getByRole('button', { name: 'Gem møde' }).click();
  await page.getByRole('heading', { level: 1, name: 'Testfirmaet Søndersø ApS' }).waitFor();
  const meetingId = new URL(page.url()).pathname.split('/').pop()!;
  const itemsPath = `/api/liaison/company-meetings/${meetingId}/items`;

  // Without a consent naming the company: refused, the gap named.
  const item = page.getByRole('form', { name: 'Registrér hvad virksomheden fik at vide om en patient' });
  const fillItem = async (told: string) => {
    await item.getByLabel('Patient').selectOption(PATIENT);
    await item.locator('#item-category-work_considerations').check();
    await item.getByLabel('Hvad virksomheden fik at vide').fill(told);
  };
  await expect.poll(() => item.getByLabel('Patient').locator(`option[value="${PATIENT}"]`).count()).toBe(1);
  await fillItem('Har brug for korte pauser og faste mødetider.');
  t.expectHttpError(itemsPath, 409);
  await item.getByRole('button', { name: 'Gem' }).click();
  await item.getByText(`Intet gyldigt samtykke nævner Testfirmaet Søndersø ApS (CVR-nr. ${CVR})`).waitFor();
  // The demo patient's consents name the municipality, not this company (or there are none).
  await item.getByText(/Hensyn i arbejdet: (der er intet samtykke til at oplyse virksomheden|samtykket nævner en anden modtager end denne virksomhed)/).waitFor();
  await expectNoAxeViolations(page, 'a refused item');
  await screenshot(page, 'liaison-company-item-refused');

  // The consent to tell the company, recorded on the patient's page.
  await page.goto(url(`/citizens/${PATIENT}`));
  await page.getByRole('heading', { level: 1 }).waitFor();
  const panel = page.getByRole('region', { name: 'Samtykker' });
  await panel.getByRole('button', { name: 'Registrér samtykke' }).click();
  const consent = panel.getByRole('form', { name: 'Registrér samtykke' });
  await consent.getByLabel(/Samtykke til at oplyse en virksomhed/).check();
  await consent.getByLabel('Hensyn i arbejdet').check();
  await consent.getByLabel('CVR-nummer').fill(CVR);
  await consent.getByLabel('Virksomhedens navn').fill('Testfirmaet Søndersø ApS');
  await expectNoAxeViolations(page, 'the consent form for a company');
  await screenshot(page, 'liaison-company-consent-form');
  await consent.getByRole('button', { name: 'Gem samtykke til at oplyse virksomheden' }).click();
  await expect.poll(() => panel.getByText('1 samtykke(r) er registreret.').count()).toBe(1);
  await expect.poll(() => panel.getByText(`Testfirmaet Søndersø ApS (virksomhed, CVR-nr. ${CVR})`).count()).toBeGreaterThan(0);

  // Back at the meeting: a diagnosis is refused, what the citizen needs at work is accepted.
  await page.goto(url(`/company-meetings/${meetingId}`));
  await page.getByRole('heading', { level: 1, name: 'Testfirmaet Søndersø ApS' }).waitFor();
  await expect.poll(() => item.getByLabel('Patient').locator(`option[value="${PATIENT}"]`).count()).toBe(1);
  await fillItem('Hun har en depression og skal have korte dage.');
  t.expectHttpError(itemsPath, 400);
  await item.getByRole('button', { name: 'Gem' }).click();
  await item.getByText('Skriv hvad borgeren har brug for på arbejdet – ikke diagnosen (»depression«).').waitFor();
  await item.getByLabel('Hvad virksomheden fik at vide').fill('Har brug for korte dage og faste mødetider.');
  await item.getByRole('button', { name: 'Gem' }).click();
  await item.getByText(/^Gemt for /).waitFor();
  await expect.poll(() => page.getByText('Har brug for korte dage og faste mødetider.').count()).toBeGreaterThan(0);
  await expectNoAxeViolations(page, 'a meeting with an item');
  await screenshot(page, 'liaison-company-meeting');
  await t.close();
});
