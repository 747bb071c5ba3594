// Spørgeskemaer at 360 px. As demo citizen 41 through the MitID test identity provider: the front page says a
// questionnaire waits; the section shows the progression (a chart and a table) and the due WHO-5; an answer with a
// question left out is refused in the form, then WHO-5 is answered and the progression says, in plain words, that
// well-being went up. As demo citizen 42 with a one-time code from the demo outbox (level "low"): the WHO-5 is answered
// from the limited view, the receipt shows no score, and the progression stays closed (403 assurance_too_low).
// axe clean on every page; screenshots taken.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';
import { mitIdLogin } from './support/portal.ts';

let browser: Browser;
/** Demo citizens 41 and 42 (src/server/demo/demo-portal-questionnaires.ts gives both a due WHO-5). */
const EMIL = 'Emil Skovgård';
const AMINA_PHONE = '+45 20 64 00 02';
const WHO5 = 'WHO-5 Trivselsindeks';

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function answerAll(page: Page, option: string) {
  for (let n = 1; n <= 5; n++) {
    await page.getByRole('group', { name: new RegExp(`^Spørgsmål ${n} af 5`) }).getByLabel(option, { exact: true }).check();
  }
}

test('at 360 px with MitID: see the progression, answer WHO-5, and read that well-being went up', async () => {
  const citizen = await openPage(browser, PHONE);
  const { page } = citizen;
  await mitIdLogin(page, EMIL);
  const card = page.getByRole('region', { name: 'Spørgeskema' });
  await card.getByText('Der ligger et spørgeskema til dig.').waitFor();
  await card.getByRole('link', { name: 'Gå til Spørgeskemaer' }).click();
  await page.getByRole('heading', { level: 1, name: 'Spørgeskemaer' }).waitFor();

  // The progression before answering: a chart and the same numbers as a table.
  const progress = page.getByRole('region', { name: 'Sådan er det gået' });
  const who5 = progress.getByRole('group', { name: WHO5 });
  await who5.getByRole('table', { name: `${WHO5}: dine svar` }).waitFor();
  expect(await who5.locator('.recharts-line-curve').count()).toBe(1);
  const rowsBefore = await who5.getByRole('table').locator('tbody tr').count();
  expect(rowsBefore).toBeGreaterThanOrEqual(2);
  await page.getByRole('region', { name: 'Dine svar fra før' }).getByText('Du svarede selv her.').first().waitFor();
  await expectNoAxeViolations(page, 'Spørgeskemaer');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-questionnaires-360');

  // Open WHO-5; sending with a question left out is refused in the form, naming the question.
  await page.getByRole('button', { name: `Besvar ${WHO5}` }).click();
  const form = page.getByRole('form', { name: WHO5 });
  await form.getByRole('group', { name: /^Spørgsmål 1 af 5/ }).getByLabel('Det meste af tiden', { exact: true }).check();
  await form.getByRole('button', { name: 'Send svar' }).click();
  await form.getByRole('alert').getByText('Svar på spørgsmål 2, 3, 4, 5.').waitFor();
  await expectNoAxeViolations(page, 'the WHO-5 form with its error');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-questionnaires-form-error-360', { fullPage: false });

  await answerAll(page, 'Det meste af tiden');
  await form.getByRole('button', { name: 'Send svar' }).click();
  await page.getByRole('region', { name: 'Til dig nu' }).getByRole('status').getByText('Tak – dit svar er sendt').waitFor();
  // 5 × 4 = 20 of 25, i.e. 80 of 100: up from the last answer by more than the relevant change.
  await who5.getByText('Din trivsel er steget siden sidst.').waitFor();
  await who5.getByText('Dit tal sidst var 80 ud af 100. Et højt tal er godt.').waitFor();
  await expect.poll(() => who5.getByRole('table').locator('tbody tr').count()).toBe(Math.min(rowsBefore + 1, 12));
  await expectNoAxeViolations(page, 'Spørgeskemaer after answering');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-questionnaires-answered-360');
  await citizen.close();
});

test('at 360 px with a one-time code: answer the waiting WHO-5 from the limited view, see only the thanks', async () => {
  const citizen = await openPage(browser, PHONE);
  const { page } = citizen;
  await page.goto(url('/portal'));
  await page.getByLabel('E-mail eller mobilnummer').fill(AMINA_PHONE);
  await page.getByRole('button', { name: 'Send kode' }).click();
  await page.getByText(/får du nu en kode/).waitFor();
  const outbox = await citizen.context.newPage();
  await outbox.goto(url('/demo/outbox'));
  const newest = outbox.getByRole('listitem').filter({ hasText: '4520640002' }).filter({ hasText: 'Din kode' }).first();
  const code = /\b([0-9]{6})\b/.exec((await newest.textContent()) ?? '')?.[1];
  expect(code).toMatch(/^[0-9]{6}$/);
  await outbox.close();
  await page.getByLabel('Kode').fill(code!);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByRole('heading', { level: 1, name: /^Hej Amina/ }).waitFor();

  const card = page.getByRole('region', { name: 'Spørgeskema' });
  await card.getByText('Der ligger et spørgeskema til dig.').waitFor();
  await card.getByText('Du kan svare nu. Dine svar fra før kan du se, når du logger ind med MitID.').waitFor();
  await card.getByRole('button', { name: `Besvar ${WHO5}` }).click();
  await answerAll(page, 'Lidt mere end halvdelen af tiden');
  await expectNoAxeViolations(page, 'the WHO-5 form in the limited view');
  expect(await overflowsHorizontally(page)).toBe(false);
  await card.getByRole('button', { name: 'Send svar' }).click();
  await card.getByRole('status').getByText('Tak – dit svar er sendt').waitFor();
  // Nothing of the score or the progression in the limited view.
  const body = (await page.locator('main').textContent()) ?? '';
  for (const hidden of ['trivsel', 'Sådan er det gået', 'ud af 100']) expect(body).not.toContain(hidden);
  // The limited view may say that earlier answers need MitID, but never lists them.
  expect(await page.getByRole('heading', { name: 'Dine svar fra før' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'the limited view after answering');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-questionnaires-limited-answered-360');

  // The progression is closed at this level.
  const denied = await page.request.get(url('/api/portal/questionnaires/progression'));
  expect(denied.status()).toBe(403);
  expect(((await denied.json()) as { error: string }).error).toBe('assurance_too_low');
  await citizen.close();
});
