// Citizens: create and enrol with the short form (an impossible CPR date first, then the outside-period
// warning), the citizen page with reveal, a note and the timeline, search and "Mine borgere"; another
// organisation finds nothing; 360 px without sideways scrolling; axe on every page.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';
import { createCitizenAs } from './support/accounts.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const FIRST = 'Testine';
const LAST = 'Uniksen';
const NAME = `${FIRST} ${LAST}`;
// Fictitious replacement numbers (day + 60): 91.02.90 would be 31 February; 67.07.90 is 7 July 1990.
const IMPOSSIBLE_CPR = '910290-1234';
const CPR = '670790-1234';

async function search(page: Page, q: string) {
  await page.getByLabel('Navn, CPR-nummer eller fødselsdato').fill(q);
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: 'Søgeresultat' }).waitFor();
  await page.locator('.citizen-table, .empty-state').first().waitFor();
}

test('as rk1: the short form keeps input on an impossible CPR date, confirms the period warning, and opens the new citizen', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk1');
  // A resource consultant lands on "Min dag"; "Mine borgere" is one click away.
  await page.waitForURL(/\/my-day$/);
  await page.goto(url('/citizens'));
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await page.locator('.citizen-table tbody tr').first().waitFor();
  await expect.poll(() => page.locator('.citizen-table tbody tr').count()).toBeGreaterThanOrEqual(10);
  await expect.poll(() => page.locator('.citizen-table').textContent()).toContain('Demo');
  await expectNoAxeViolations(page, 'Mine borgere (desktop)');
  await screenshot(page, 'citizens-mine-desktop');

  await page.getByRole('link', { name: 'Ny borger' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ny borger' }).waitFor();
  // The form checks the format as you type.
  await page.getByLabel('CPR-nummer').fill('12345');
  await page.getByLabel('Fornavn').focus();
  await page.getByText('Skriv CPR-nummeret som DDMMÅÅ-XXXX eller 10 cifre.').waitFor();

  await page.getByLabel('CPR-nummer').fill(IMPOSSIBLE_CPR);
  await page.getByLabel('Fornavn').fill(FIRST);
  await page.getByLabel('Efternavn').fill(LAST);
  await page.getByLabel('Telefon (valgfrit)').fill('20 30 40 50');
  await page.locator('#new-citizen-benefitCode option', { hasText: 'Kontanthjælp' }).waitFor({ state: 'attached' });
  await page.getByLabel('Ydelse').selectOption({ label: 'Kontanthjælp' });
  await page.locator('#new-citizen-visitationCode option', { hasText: 'Aktivitetsparat' }).waitFor({ state: 'attached' });
  await page.getByLabel('Visitation (valgfrit)').selectOption({ label: 'Aktivitetsparat' });
  // Me, as the resource consultant, by default.
  await expect.poll(() => page.getByLabel('Lone Madsen (mig)').isChecked()).toBe(true);
  await page.getByLabel('Sagsbehandler (valgfrit)').selectOption({ label: 'Mette Frandsen' });
  await expectNoAxeViolations(page, 'the new-citizen form');

  t.expectHttpError('/api/citizens', 400);
  await page.getByRole('button', { name: 'Opret borger' }).click();
  await page.getByText('Datoen i CPR-nummeret findes ikke. Tjek de første 6 cifre.').waitFor();
  await expect.poll(() => page.getByLabel('CPR-nummer').getAttribute('aria-invalid')).toBe('true');
  // Nothing typed is lost.
  await expect.poll(() => page.getByLabel('CPR-nummer').inputValue()).toBe(IMPOSSIBLE_CPR);
  await expect.poll(() => page.getByLabel('Fornavn').inputValue()).toBe(FIRST);
  await expect.poll(() => page.getByLabel('Efternavn').inputValue()).toBe(LAST);
  await expect.poll(() => page.getByLabel('Telefon (valgfrit)').inputValue()).toBe('20 30 40 50');
  await expect.poll(() => page.locator('#new-citizen-benefitCode option:checked').textContent()).toBe('Kontanthjælp');
  await expect.poll(() => page.locator('#new-citizen-caseworkerId option:checked').textContent()).toBe('Mette Frandsen');
  await screenshot(page, 'new-citizen-cpr-error');

  await page.getByLabel('CPR-nummer').fill(CPR);
  t.expectHttpError('/api/citizens', 409);
  await page.getByRole('button', { name: 'Opret borger' }).click();
  const warning = page.getByRole('alertdialog', { name: 'Tjek før du opretter' });
  await warning.waitFor();
  await expect.poll(() => warning.textContent()).toMatch(/ligger uden for forløbets periode 01\.08\.2017–31\.07\.2021/);
  await expectNoAxeViolations(page, 'the new-citizen form with the warning');
  await screenshot(page, 'new-citizen-warning');
  await warning.getByRole('button', { name: 'Opret alligevel' }).click();

  await page.waitForURL(/\/citizens\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
  await expect.poll(() => page.locator('.citizen-facts').textContent()).toContain('670790-xxxx');
  await page.getByText('Borgeren er oprettet og skrevet ind i forløbet.').waitFor();
  const timeline = page.getByRole('region', { name: 'Tidslinje' });
  await timeline.getByText('Lone Madsen oprettede borgeren.').waitFor();
  await expect.poll(() => timeline.textContent()).toContain('Lone Madsen skrev borgeren ind i På vej til arbejde');
  await expect.poll(() => timeline.textContent()).toContain('Advarslen blev bekræftet.');
  await expect.poll(() => page.locator('.team-list').textContent()).toContain('Mette Frandsen – Sagsbehandler');
  await expectNoAxeViolations(page, 'the citizen page (desktop)');
  await screenshot(page, 'citizen-desktop');

  // Revealing the full number is its own action, and it hides again.
  await page.getByRole('button', { name: 'Vis CPR-nummer' }).click();
  await page.locator('.citizen-facts').getByText(CPR).waitFor();
  await page.getByRole('button', { name: 'Skjul CPR-nummer' }).click();
  await page.locator('.citizen-facts').getByText('670790-xxxx').waitFor();

  // A note: the form closes, the page says so, and the note is in the journal and on the timeline.
  await page.getByRole('button', { name: 'Notat' }).click();
  await page.getByLabel('Type').selectOption({ label: 'Ekstern faglig vurdering' });
  await page.getByLabel('Tekst').fill('Telefonisk rådgivning: anbefaler gradvis opstart.');
  await page.getByRole('button', { name: 'Gem notat' }).click();
  await page.getByText('Skriv, hvis vurdering det er.').waitFor();
  await page.getByLabel('Hvis vurdering').fill('Psykiatrisk Afdeling Odense');
  await page.getByRole('button', { name: 'Gem notat' }).click();
  await page.getByText('Notatet er gemt og står nu i journalen og på tidslinjen.').waitFor();
  const journal = page.getByRole('region', { name: 'Journal' });
  await journal.getByText('Telefonisk rådgivning: anbefaler gradvis opstart.').waitFor();
  await expect.poll(() => journal.textContent()).toContain('Vurdering fra Psykiatrisk Afdeling Odense');
  await timeline.getByText('Lone Madsen skrev et notat: Ekstern faglig vurdering').waitFor();

  // Filtering the timeline to notes leaves out the creation.
  // DKFDS draws its own box, so the label is what a user clicks.
  await timeline.locator('label[for="timeline-kind-citizen"]').click();
  await expect.poll(() => timeline.getByLabel('Borger').isChecked()).toBe(false);
  await expect.poll(() => timeline.getByText('Lone Madsen oprettede borgeren.').count()).toBe(0);
  await timeline.locator('label[for="timeline-kind-citizen"]').click();
  await timeline.getByText('Lone Madsen oprettede borgeren.').waitFor();

  // Status history: the self-support figures and the chart are there.
  const status = page.getByRole('region', { name: 'Status og selvforsørgelse' });
  await expect.poll(() => status.textContent()).toMatch(/\d+ af 26 uger selvforsørgende \(\d+ uger med kendt status\)/);
  await expect.poll(() => status.locator('.hours-chart svg').count()).toBe(1);

  // Found by name and by CPR number; the search never reaches the address bar.
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Mine borgere' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await search(page, LAST);
  await page.getByRole('link', { name: NAME }).waitFor();
  await expect.poll(() => page.locator('.citizen-table tbody tr').count()).toBe(1);
  await expect.poll(() => page.locator('.citizen-table tbody').textContent()).toContain('670790-xxxx');
  await search(page, CPR);
  await page.getByRole('link', { name: NAME }).waitFor();
  await expect.poll(() => page.url()).not.toContain('6707');
  await expect.poll(() => page.url()).not.toContain(LAST);
  // The search text (here a CPR number) is kept in memory only: back from the citizen's page it is still there,
  // it is never in sessionStorage, and a reload forgets it.
  await page.getByRole('link', { name: NAME }).click();
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Mine borgere' }).click();
  await page.getByRole('link', { name: NAME }).waitFor();
  await expect.poll(() => page.getByLabel('Navn, CPR-nummer eller fødselsdato').inputValue()).toBe(CPR);
  expect(await page.evaluate(() => Object.values(sessionStorage).join(' '))).not.toContain('6707');
  await page.reload();

  // Under "Mine borgere" without a search, a page or two down the list.
  await page.getByRole('heading', { level: 2, name: 'Borgere på mine teams' }).waitFor();
  await expect.poll(() => page.getByLabel('Navn, CPR-nummer eller fødselsdato').inputValue()).toBe('');
  await page.locator('.citizen-table tbody tr').first().waitFor();
  for (let i = 0; i < 5 && (await page.getByRole('link', { name: NAME }).count()) === 0; i++) {
    await page.getByRole('button', { name: 'Vis flere' }).click();
    await page.getByRole('button', { name: 'Vis flere' }).or(page.getByRole('link', { name: NAME })).first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.load-more[disabled]'));
  }
  await page.getByRole('link', { name: NAME }).waitFor();
  await t.close();
});

test('as rk1 at 360 px: "Mine borgere" and the citizen page fit the screen and pass axe', async () => {
  const t = await openPage(browser, PHONE);
  const { page } = t;
  await login(page, 'rk1');
  await page.goto(url('/citizens'));
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await page.locator('.citizen-table tbody tr').first().waitFor();
  await expect.poll(() => overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'Mine borgere at 360 px');
  await screenshot(page, 'citizens-mine-360');

  await search(page, LAST);
  await page.getByRole('link', { name: NAME }).click();
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
  await page.getByRole('region', { name: 'Tidslinje' }).getByText('Lone Madsen oprettede borgeren.').waitFor();
  await page.locator('.hours-chart svg').waitFor();
  await expect.poll(() => overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the citizen page at 360 px');
  await screenshot(page, 'citizen-360');
  await t.close();
});

test('as nordfyn (another organisation): the same name and CPR number find nothing', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'nordfyn');
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  for (const q of [LAST, CPR, '670790']) {
    await search(page, q);
    await page.getByText('Ingen borgere passer til søgningen.').waitFor();
    await expect.poll(() => page.getByRole('link', { name: NAME }).count()).toBe(0);
  }
  await t.close();
});

test('a demo citizen of rk1 has a status history table, notes and a Demo badge', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk1');
  await page.goto(url('/citizens'));
  await page.locator('.citizen-table tbody tr').first().waitFor();
  await page.locator('.citizen-table tbody tr th a').first().click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await expect.poll(() => page.locator('.title-row .badge').textContent()).toBe('Demo');
  await page.locator('.status-table tbody tr').first().waitFor();
  await page.getByRole('region', { name: 'Journal' }).locator('.note').first().waitFor();
  await expectNoAxeViolations(page, 'a demo citizen page');
  await screenshot(page, 'citizen-demo-desktop');
  await t.close();
});

test('as rk2: a CPR number a colleague registered says only that it is registered here, and whom to contact', async () => {
  // A fictitious replacement number (day + 60), new on every run.
  const cpr = `680791-${String(Date.now() % 10_000).padStart(4, '0')}`;
  const hiddenId = await createCitizenAs('rk1', cpr);
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk2');
  await page.goto(url('/citizens'));
  await page.getByRole('link', { name: 'Ny borger' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ny borger' }).waitFor();
  await page.getByLabel('CPR-nummer').fill(cpr);
  await page.getByLabel('Fornavn').fill('Anden');
  await page.getByLabel('Efternavn').fill('Indtastning');
  await page.getByLabel('Ydelse').selectOption({ label: 'Kontanthjælp' });
  t.expectHttpError('/api/citizens', 409);
  await page.getByRole('button', { name: 'Opret borger' }).click();
  const notice = page.getByRole('alert').filter({ hasText: 'CPR-nummeret findes allerede' });
  await notice.getByText('CPR-nummeret er allerede registreret i jeres organisation, og du har ikke adgang til borgeren.').waitFor();
  expect(await notice.textContent()).toContain('Kontakt projektlederen: Karen Winther.');
  expect(await notice.getByRole('link').count()).toBe(0);
  expect(await page.content()).not.toContain(hiddenId);
  await expectNoAxeViolations(page, 'the new-citizen form with a hidden duplicate');
  await screenshot(page, 'new-citizen-duplicate-hidden');
  await t.close();
});
