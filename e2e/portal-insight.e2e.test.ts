// Indsigt (access requests) in the browser. At 360 px, demo citizen 43 logs in through the MitID test identity
// provider and asks for access; demo citizen 41 sees the released answer and downloads the package. On the staff
// side, citizen 41's resource consultant finds the open request flagged in "Indsigtsanmodninger", gives the interim
// notice and makes the package (a job, with its progress); the dpo follows the queue. axe clean; screenshots taken.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { citizenId } from '../src/server/demo/demo-citizens.ts';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot } from './support/browser.ts';
import { mitIdLogin, PORTAL_MENU } from './support/portal.ts';

let browser: Browser;
const names: Record<number, string> = {};
/** The username of a resource consultant on citizen 41's team today. */
let consultant: string;

beforeAll(async () => {
  browser = await launchBrowser();
  // The demo's names follow the day the demo was built on: ask for them as the programme manager sees them.
  const manager = await apiSession('projektleder');
  for (const n of [41, 43]) {
    const res = await manager.get(`/api/citizens/${citizenId(n)}`);
    if (res.status !== 200) throw new Error(`reading demo citizen ${n} failed: ${res.status}`);
    const c = (await res.json()) as { firstName: string; lastName: string; enrolments: { team: { user: { id: string }; role: string; validTo: string | null }[] }[] };
    names[n] = `${c.firstName} ${c.lastName}`;
    if (n === 41) {
      const member = c.enrolments.flatMap((e) => e.team).find((m) => m.role === 'resource_consultant' && m.validTo === null);
      if (!member) throw new Error('citizen 41 has no resource consultant');
      const admin = await apiSession('admin');
      const user = (await (await admin.get(`/api/users/${member.user.id}`)).json()) as { username: string };
      consultant = user.username;
      await admin.logout();
    }
  }
  await manager.logout();
});
afterAll(async () => {
  await browser?.close();
});

test('at 360 px: a citizen asks for access and sees one case per organisation with its deadline', async () => {
  const { page, close } = await openPage(browser, PHONE);
  await mitIdLogin(page, names[43]!);
  await page.getByRole('navigation', { name: PORTAL_MENU }).getByRole('link', { name: 'Indsigt' }).click();
  await page.getByRole('heading', { level: 1, name: 'Indsigt' }).waitFor();
  await page.getByText('Du har ikke bedt om indsigt endnu.').waitFor();
  await expectNoAxeViolations(page, 'Indsigt (empty)');
  expect(await overflowsHorizontally(page)).toBe(false);
  await page.getByLabel(/Hvad vil du gerne se/).fill('Mine notater fra samtalerne');
  await page.getByRole('button', { name: 'Send anmodning' }).click();
  await page.getByText('Tak. Vi har fået din anmodning.', { exact: false }).waitFor();
  await page.getByText('Du bad om: Mine notater fra samtalerne').waitFor();
  await page.getByText('Vi arbejder på det').first().waitFor();
  await page.getByText(/Du får svar senest/).first().waitFor();
  await expectNoAxeViolations(page, 'Indsigt (asked)');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-insight-asked-360');
  await close();
});

test('at 360 px: more requests than a page show 20 at a time, with "Vis flere" for the rest', async () => {
  const { page, close } = await openPage(browser, PHONE);
  await mitIdLogin(page, names[43]!);
  // 20 more requests through the API with the portal session's own token (the first test made one).
  const made = await page.evaluate(async () => {
    const session = (await (await fetch('/api/portal/session')).json()) as { csrfToken?: string };
    let ok = 0;
    for (let i = 0; i < 20; i += 1) {
      const res = await fetch('/api/portal/access-requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken ?? '' },
        body: JSON.stringify({ text: `Anmodning nummer ${i + 1}` }),
      });
      if (res.status === 201) ok += 1;
    }
    return ok;
  });
  expect(made).toBe(20);
  await page.getByRole('navigation', { name: PORTAL_MENU }).getByRole('link', { name: 'Indsigt' }).click();
  await page.getByText('Du bad om: Anmodning nummer 20').waitFor();
  const cards = page.locator('li.insight-case');
  expect(await cards.count()).toBe(20);
  // The oldest (the first test's) is on the next page.
  expect(await page.getByText('Du bad om: Mine notater fra samtalerne').count()).toBe(0);
  await page.getByRole('button', { name: 'Vis flere' }).click();
  await page.getByText('Du bad om: Mine notater fra samtalerne').waitFor();
  expect(await cards.count()).toBe(21);
  expect(await page.getByRole('button', { name: 'Vis flere' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'Indsigt (two pages)');
  expect(await overflowsHorizontally(page)).toBe(false);
  await close();
});

test('at 360 px: a citizen reads the released answer and downloads the package', async () => {
  const { page, close } = await openPage(browser, PHONE);
  await mitIdLogin(page, names[41]!);
  await page.getByRole('navigation', { name: PORTAL_MENU }).getByRole('link', { name: 'Indsigt' }).click();
  await page.getByText('Klar til dig').waitFor();
  await page.getByText('Du får alt.').waitFor();
  // The open request: its deadline, no answer yet.
  await page.getByText('Du bad om: Jeg vil gerne se mine notater fra samtalerne.').waitFor();
  await page.getByText('Hvis du vil klage').click();
  await page.getByText(/Datatilsynet/).first().waitFor();
  await expectNoAxeViolations(page, 'Indsigt (released)');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-insight-released-360');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Hent dine oplysninger (kan læses og printes)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^indsigt-\d{4}-\d\d-\d\d\.html$/);
  // The package itself: readable (and printable) HTML, accessible on its own.
  const html = readFileSync((await file.path())!, 'utf8');
  await page.setContent(html);
  await page.getByRole('heading', { level: 1, name: 'Dine oplysninger hos Næstved Kommune' }).waitFor();
  await page.getByRole('heading', { level: 2, name: /Dine stamoplysninger/ }).waitFor();
  await expectNoAxeViolations(page, 'the access package');
  await screenshot(page, 'portal-insight-package-360', { fullPage: false });
  await close();
});

test('the responsible consultant finds the flagged request, gives the interim notice and makes the package; the dpo follows', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, consultant);
  await page.getByRole('link', { name: 'Indsigtsanmodninger' }).click();
  await page.getByRole('heading', { level: 1, name: 'Indsigtsanmodninger' }).waitFor();
  const row = page.getByRole('row', { name: new RegExp(names[41]!) });
  await row.getByText('Mangler foreløbigt svar').waitFor();
  await expectNoAxeViolations(page, 'Indsigtsanmodninger');
  await screenshot(page, 'access-requests-queue');
  await row.getByRole('link', { name: names[41]! }).click();
  await page.getByRole('heading', { level: 1, name: `Indsigtsanmodning – ${names[41]!}` }).waitFor();
  await expectNoAxeViolations(page, 'an access case');
  await page.getByLabel('Hvorfor er der ikke truffet afgørelse endnu?').fill('Vi samler dine notater fra flere år.');
  await page.getByRole('button', { name: 'Giv foreløbigt svar' }).click();
  await page.getByText(/Foreløbigt svar givet/).waitFor();
  await page.getByRole('button', { name: 'Dan pakke' }).click();
  await page.getByText(/^Dannet — \d\d\.\d\d\.\d{4}/).waitFor({ timeout: 20_000 });
  await expectNoAxeViolations(page, 'an access case with its package');
  await screenshot(page, 'access-request-case');
  await t.close();

  const d = await openPage(browser);
  await login(d.page, 'dpo');
  await d.page.getByRole('link', { name: 'Indsigtsanmodninger' }).click();
  await d.page.getByRole('row', { name: new RegExp(names[41]!) }).getByRole('link').click();
  await d.page.getByText('Du følger sagen som databeskyttelsesrådgiver.', { exact: false }).waitFor();
  expect(await d.page.getByRole('button', { name: 'Dan pakke' }).count()).toBe(0);
  await expectNoAxeViolations(d.page, 'an access case (dpo)');
  await d.close();
});

test('the dpo gives advice on the case; it shows with who and when, and the consultant sees it at the decision', async () => {
  const d = await openPage(browser);
  await login(d.page, 'dpo');
  await d.page.getByRole('link', { name: 'Indsigtsanmodninger' }).click();
  await d.page.getByRole('row', { name: new RegExp(names[41]!) }).getByRole('link').click();
  await d.page.getByRole('heading', { level: 2, name: 'Råd fra databeskyttelsesrådgiveren' }).waitFor();
  await d.page.getByText('Databeskyttelsesrådgiveren har ikke givet råd på sagen.').waitFor();
  await d.page.getByLabel('Dit råd til sagsbehandleren').fill('Udelad virksomhedens kontaktperson. Giv oplysningerne i det interne notat.');
  await d.page.getByRole('button', { name: 'Giv råd' }).click();
  await d.page.getByText('Rådet er gemt på sagen.').waitFor();
  const advice = d.page.getByRole('region', { name: 'Råd fra databeskyttelsesrådgiveren' });
  await advice.getByText('Udelad virksomhedens kontaktperson. Giv oplysningerne i det interne notat.').waitFor();
  await advice.getByText(/^Henrik Dahl, \d\d\.\d\d\.\d{4}/).waitFor();
  await expectNoAxeViolations(d.page, 'an access case with advice (dpo)');
  await screenshot(d.page, 'access-request-advice-dpo');
  await d.close();

  const c = await openPage(browser);
  await login(c.page, consultant);
  await c.page.getByRole('link', { name: 'Indsigtsanmodninger' }).click();
  await c.page.getByRole('row', { name: new RegExp(names[41]!) }).getByRole('link', { name: names[41]! }).click();
  const decision = c.page.getByRole('region', { name: 'Afgørelse og udlevering' });
  await decision.getByRole('heading', { level: 3, name: 'Råd fra databeskyttelsesrådgiveren før afgørelsen' }).waitFor();
  await decision.getByText('Udelad virksomhedens kontaktperson. Giv oplysningerne i det interne notat.').waitFor();
  await decision.getByText(/^Henrik Dahl, \d\d\.\d\d\.\d{4}/).waitFor();
  expect(await c.page.getByLabel('Dit råd til sagsbehandleren').count()).toBe(0);
  await expectNoAxeViolations(c.page, 'an access case with advice (consultant)');
  await screenshot(c.page, 'access-request-advice-consultant');
  await c.close();
});

test('another citizen named in a note is flagged in the redaction step; the consultant redacts it and the package must be made again', async () => {
  const api = await apiSession(consultant);
  const wrote = await api.post(`/api/citizens/${citizenId(41)}/notes`, { kind: 'journal', body: `Talte om bofællesskabet. ${names[43]!} kommer også til mødet.` });
  expect(wrote.status).toBe(201);
  await api.logout();
  const t = await openPage(browser);
  const { page } = t;
  await login(page, consultant);
  await page.getByRole('link', { name: 'Indsigtsanmodninger' }).click();
  await page.getByRole('row', { name: new RegExp(names[41]!) }).getByRole('link', { name: names[41]! }).click();
  const hits = page.getByRole('region', { name: 'Andre personer nævnt i fritekst' });
  await page.getByRole('button', { name: /^Dan pakke/ }).click();
  await page.getByText(/^Dannet — \d\d\.\d\d\.\d{4}/).waitFor({ timeout: 20_000 });
  const hit = hits.getByRole('group', { name: 'Navn på en anden borger i Notatets tekst (alle udgaver)' }).filter({ hasText: names[43]! });
  await hit.waitFor();
  await hits.getByText(/fund mangler dit valg/).waitFor();
  await expectNoAxeViolations(page, 'an access case with free-text hits');
  await screenshot(page, 'access-request-text-hits');
  // The planted name is redacted; any other hit the demo's texts give is kept, so every hit has a choice.
  for (const group of await hits.getByRole('group').all()) {
    const planted = (await group.textContent())?.includes(names[43]!) ?? false;
    await group.getByLabel(planted ? 'Udelad' : 'Behold (handler ikke om en anden)').check();
  }
  await hits.getByRole('button', { name: 'Gem valg' }).click();
  await hits.getByText('Valgene er gemt.', { exact: false }).waitFor();
  expect(await hits.getByText(/fund mangler dit valg/).count()).toBe(0);
  // Redacting changed the package: it must be made again.
  await page.getByRole('button', { name: 'Dan pakke', exact: true }).waitFor();
  await t.close();
});
