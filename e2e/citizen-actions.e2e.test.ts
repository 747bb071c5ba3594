// The citizen page's actions, on a fresh citizen of rk2's so no other test is disturbed: a status period
// (internship with hours) in the table and on the timeline; pause and resume; a note corrected with a reason
// and its history; the citizen's own remark beside the note; ending the course and enrolling again with the
// warning confirmed; the page in English. axe on every state, with the forms open.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiSession, createEnrolledCitizenAs } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, screenshot, url } from './support/browser.ts';

let browser: Browser;
let citizenId: string;
const FIRST = 'Handlingsine';
const LAST = 'Prøvesen';
const NAME = `${FIRST} ${LAST}`;
// A fictitious replacement number (day + 60): 72.03.85 is 12 March 1985.
const CPR = '720385-4321';

/** Creates the citizen through the API as rk2, enrolled in their programme with them on the team. */
async function createCitizen(): Promise<string> {
  const rk2 = await apiSession('rk2');
  const id = await createEnrolledCitizenAs(rk2, { cpr: CPR, firstName: FIRST, lastName: LAST });
  await rk2.logout();
  return id;
}

beforeAll(async () => {
  browser = await launchBrowser();
  citizenId = await createCitizen();
});
afterAll(async () => {
  await browser?.close();
});

async function openCitizen(page: Page) {
  await page.goto(url(`/citizens/${citizenId}`));
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
}

const done = (page: Page, text: string) => page.locator('.notice-slot').getByText(text).waitFor();

test('as rk2: an internship with hours shows in the status table and on the timeline; pause and resume', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk2');
  await openCitizen(page);

  await page.getByRole('button', { name: 'Ny status' }).click();
  const form = page.getByRole('region', { name: 'Ny status' });
  await form.getByLabel('Fra').fill('2019-06-03');
  await form.locator('#status-benefitCode option', { hasText: 'Kontanthjælp' }).waitFor({ state: 'attached' });
  await form.getByLabel('Ydelse').selectOption({ label: 'Kontanthjælp' });
  await form.getByLabel('Timer pr. uge').fill('12,5');
  await form.getByRole('button', { name: 'Gem status' }).click();
  // Hours need the activity they belong to.
  await form.getByText('Vælg aktiviteten, som timerne hører til.').waitFor();
  await form.getByLabel('Aktivitet').selectOption({ label: 'Virksomhedspraktik' });
  await expectNoAxeViolations(page, 'the status form');
  await screenshot(page, 'citizen-actions-status-form');
  await form.getByRole('button', { name: 'Gem status' }).click();
  await done(page, 'Den nye status er gemt.');

  const row = page.locator('.status-table tbody tr', { hasText: 'Virksomhedspraktik' });
  await row.waitFor();
  await expect.poll(() => row.textContent()).toContain('03.06.2019');
  await expect.poll(() => row.textContent()).toContain('12,5');
  const timeline = page.getByRole('region', { name: 'Tidslinje' });
  await timeline.getByText('Jesper Nygaard registrerede ny status fra 03.06.2019: Kontanthjælp – Virksomhedspraktik, 12,5 timer/uge').waitFor();

  await page.getByRole('button', { name: 'Sæt på pause' }).click();
  const pause = page.getByRole('region', { name: 'Sæt forløbet i På vej til arbejde på pause' });
  await expectNoAxeViolations(page, 'the pause form');
  await pause.getByRole('button', { name: 'Sæt på pause' }).click();
  await done(page, 'Forløbet er sat på pause.');
  await expect.poll(() => page.locator('.citizen-facts').textContent()).toContain('På pause');
  await timeline.getByText('Jesper Nygaard ændrede forløbets status fra Aktiv til På pause.').waitFor();

  await page.getByRole('button', { name: 'Genoptag' }).click();
  await page.getByRole('region', { name: 'Gør forløbet i På vej til arbejde aktivt' }).getByRole('button', { name: 'Gør aktiv' }).click();
  await done(page, 'Forløbet er aktivt igen.');
  await expect.poll(() => page.locator('.citizen-facts').textContent()).toContain('Aktiv');
  await timeline.getByText('Jesper Nygaard ændrede forløbets status fra På pause til Aktiv.').waitFor();
  await expectNoAxeViolations(page, 'the citizen page after pause and resume');
  await screenshot(page, 'citizen-actions-after-status');
  await t.close();
});

test('as rk2: a note corrected with a reason keeps its history, and the citizen’s remark stands under it', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk2');
  await openCitizen(page);

  await page.getByRole('button', { name: 'Notat', exact: true }).click();
  await page.getByLabel('Tekst').fill('Samtale om praktik i en bager. Borgeren vil helst starte om morgenen.');
  await page.getByRole('button', { name: 'Gem notat' }).click();
  await done(page, 'Notatet er gemt og står nu i journalen og på tidslinjen.');
  const journal = page.getByRole('region', { name: 'Journal' });
  const note = journal.locator('.note', { hasText: 'Samtale om praktik' });
  await note.waitFor();

  // Correct: the reason is required, the earlier text stays in the history.
  await note.getByRole('button', { name: 'Ret notat' }).click();
  await note.getByLabel('Ny tekst').fill('Samtale om praktik i et bageri. Borgeren vil helst starte om eftermiddagen.');
  await note.getByRole('button', { name: 'Gem rettelse' }).click();
  await note.getByText('Skriv, hvorfor notatet rettes.').waitFor();
  await note.getByLabel('Begrundelse for rettelsen').fill('Tidspunktet var skrevet forkert');
  await expectNoAxeViolations(page, 'the correction form');
  await note.getByRole('button', { name: 'Gem rettelse' }).click();
  await note.locator('p.note-body').filter({ hasText: 'Borgeren vil helst starte om eftermiddagen.' }).waitFor();
  await expect.poll(() => note.locator('.tag-corrected').textContent()).toBe('Rettet');
  await note.getByText('Vis tidligere tekst (1)').click();
  await note.getByText('Rettet af Jesper Nygaard', { exact: false }).waitFor();
  await expect.poll(() => note.locator('.note-history').textContent()).toContain('Begrundelse: Tidspunktet var skrevet forkert');
  await expect.poll(() => note.locator('.note-revision').textContent()).toContain('Borgeren vil helst starte om morgenen.');

  // The citizen's own remark: both fields needed, shown under the note, not as an entry of its own.
  await note.getByRole('button', { name: 'Borgerens bemærkning' }).click();
  const remarkForm = note.getByRole('form', { name: 'Borgerens bemærkning til notatet' });
  await remarkForm.getByRole('button', { name: 'Gem bemærkning' }).click();
  await remarkForm.getByText('Skriv borgerens bemærkning.').waitFor();
  await remarkForm.getByLabel('Borgerens bemærkning', { exact: true }).fill('Jeg sagde, at jeg kan starte kl. 12, ikke før.');
  await remarkForm.getByLabel('Modtaget hvordan').fill('Mundtligt ved samtale');
  await expectNoAxeViolations(page, 'the remark form');
  await screenshot(page, 'citizen-actions-remark-form');
  await remarkForm.getByRole('button', { name: 'Gem bemærkning' }).click();
  const remark = note.locator('.note-remark');
  await remark.waitFor();
  await expect.poll(() => remark.textContent()).toContain('Borgerens bemærkning');
  await expect.poll(() => remark.textContent()).toContain('Jeg sagde, at jeg kan starte kl. 12, ikke før.');
  await expect.poll(() => remark.textContent()).toContain('Modtaget: Mundtligt ved samtale. Registreret af Jesper Nygaard');
  // One card in the journal: the remark is beside its note, not a journal entry of its own.
  await expect.poll(() => journal.locator('.note-list > li').filter({ hasText: 'kan starte kl. 12' }).count()).toBe(1);
  await expect.poll(() => journal.locator('.note-list > li', { hasText: 'kan starte kl. 12' }).getByText('Samtale om praktik i et bageri', { exact: false }).count()).toBe(1);

  const timeline = page.getByRole('region', { name: 'Tidslinje' });
  await timeline.getByText('Jesper Nygaard registrerede borgerens bemærkning til et notat.').waitFor();
  await timeline.getByText('Jesper Nygaard rettede et notat. Begrundelse: Tidspunktet var skrevet forkert').waitFor();
  await expectNoAxeViolations(page, 'the journal with a correction and a remark');
  await screenshot(page, 'citizen-actions-journal');
  await t.close();
});

test('as rk2: ending the course with a date and an exit outcome, then enrolling again after confirming the warning', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk2');
  await openCitizen(page);
  await expect.poll(() => page.getByRole('button', { name: 'Skriv ind i forløb igen' }).count()).toBe(0);

  await page.getByRole('button', { name: 'Afslut forløb' }).click();
  const end = page.getByRole('region', { name: 'Afslut forløbet i På vej til arbejde' });
  await end.getByLabel('Slutdato').fill('2021-06-30');
  await end.getByRole('button', { name: 'Afslut forløb' }).click();
  await end.getByText('Vælg, hvad borgeren går videre til.').waitFor();
  await end.locator('#end-exitOutcome option', { hasText: 'Ordinært job' }).waitFor({ state: 'attached' });
  await end.getByLabel('Afgang til').selectOption({ label: 'Ordinært job' });
  await expectNoAxeViolations(page, 'the end form');
  await end.getByRole('button', { name: 'Afslut forløb' }).click();
  await done(page, 'Forløbet er afsluttet.');
  await expect.poll(() => page.locator('.citizen-facts').textContent()).toContain('Afsluttet');
  const card = page.locator('.enrolment-card').first();
  await expect.poll(() => card.textContent()).toContain('30.06.2021');
  await expect.poll(() => card.textContent()).toContain('Ordinært job');
  const timeline = page.getByRole('region', { name: 'Tidslinje' });
  await timeline.getByText('Jesper Nygaard afsluttede forløbet pr. 30.06.2021.').waitFor();
  // No pause or end on an ended course; enrolling again is offered instead.
  await expect.poll(() => page.getByRole('button', { name: 'Sæt på pause' }).count()).toBe(0);

  await page.getByRole('button', { name: 'Skriv ind i forløb igen' }).click();
  const form = page.getByRole('region', { name: 'Skriv ind i forløb' });
  await expect.poll(() => form.textContent()).toContain('På vej til arbejde');
  await expect.poll(() => form.getByLabel('Jesper Nygaard (mig)').isChecked()).toBe(true);
  await form.getByLabel('Startdato').fill('2022-02-01');
  await form.getByRole('button', { name: 'Skriv ind', exact: true }).click();
  await form.getByText('Vælg borgerens ydelse', { exact: false }).waitFor();
  await form.locator('#enrol-benefitCode option', { hasText: 'Ressourceforløb' }).waitFor({ state: 'attached' });
  await form.getByLabel('Ydelse').selectOption({ label: 'Ressourceforløb' });
  await form.locator('#enrol-visitationCode option', { hasText: 'Aktivitetsparat' }).waitFor({ state: 'attached' });
  await form.getByLabel('Visitation (valgfrit)').selectOption({ label: 'Aktivitetsparat' });
  await expectNoAxeViolations(page, 'the enrol form');

  t.expectHttpError('/api/programmes/' + (await programmeIdOf(page)) + '/enrolments', 409);
  await form.getByRole('button', { name: 'Skriv ind', exact: true }).click();
  const warning = page.getByRole('alertdialog', { name: 'Tjek før du skriver ind' });
  await warning.waitFor();
  // The UI's own sentence, with the figures formatted, not the server's English message.
  await expect.poll(() => warning.textContent()).toContain('Startdatoen 01.02.2022 ligger uden for forløbets periode 01.08.2017–31.07.2021.');
  await expect.poll(() => warning.textContent()).not.toContain('outside');
  await expectNoAxeViolations(page, 'the enrol form with the warning');
  await screenshot(page, 'citizen-actions-enrol-warning');
  await warning.getByRole('button', { name: 'Skriv ind alligevel' }).click();

  await done(page, 'Borgeren er skrevet ind i forløbet.');
  await expect.poll(() => page.locator('.citizen-facts').textContent()).toContain('Aktiv');
  // The new course first, the ended one kept below it.
  await expect.poll(() => page.locator('.enrolment-card').count()).toBe(2);
  await expect.poll(() => page.locator('.enrolment-card').first().textContent()).toContain('01.02.2022');
  await expect.poll(() => page.locator('.enrolment-card').first().textContent()).toContain('Ressourceforløb');
  await expect.poll(() => page.locator('.enrolment-card').nth(1).textContent()).toContain('Ordinært job');
  await timeline.getByText('Jesper Nygaard skrev borgeren ind i På vej til arbejde med start 01.02.2022 (status: Aktiv). Advarslen blev bekræftet.').waitFor();
  await expect.poll(() => page.getByRole('button', { name: 'Skriv ind i forløb igen' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'the citizen page enrolled again');
  await screenshot(page, 'citizen-actions-enrolled-again');
  await t.close();
});

test('the citizen page in English: labels, actions, the journal and the timeline are English', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk2');
  await openCitizen(page);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 2, name: 'Timeline' }).waitFor();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
  await expect.poll(() => page.locator('.citizen-facts').textContent()).toContain('CPR number');
  await expect.poll(() => page.locator('.citizen-facts').textContent()).toContain('Active');
  for (const name of ['Note', 'New status', 'Pause']) await page.getByRole('button', { name, exact: true }).waitFor();
  const journal = page.getByRole('region', { name: 'Journal' });
  await journal.getByText("The citizen's remark", { exact: true }).first().waitFor();
  await journal.getByRole('button', { name: "Citizen's remark" }).first().waitFor();
  await page.getByRole('region', { name: 'Timeline' }).getByText("Jesper Nygaard recorded the citizen's remark on a note.").waitFor();
  await page.getByRole('button', { name: 'New status', exact: true }).click();
  await page.getByRole('region', { name: 'New status' }).getByLabel('Hours per week').waitFor();
  await expectNoAxeViolations(page, 'the citizen page in English with a form open');
  await screenshot(page, 'citizen-actions-english');
  await t.close();
});

async function programmeIdOf(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const r = await fetch('/api/programmes');
    const body = (await r.json()) as { items: { id: string; name: string }[] };
    return body.items.find((p) => p.name === 'På vej til arbejde')!.id;
  });
}
