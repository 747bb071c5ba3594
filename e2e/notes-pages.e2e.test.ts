// The journal comes a page at a time: on a fresh citizen of rk2's with more notes than one page holds, the
// newest notes show first and "Vis flere" loads the rest, each once.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession, createEnrolledCitizenAs } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, url } from './support/browser.ts';

let browser: Browser;
let citizenId: string;
const NAME = 'Sidefrida Journalsen';
// A fictitious replacement number (day + 60): 73.03.86 is 13 March 1986.
const CPR = '730386-5432';
const NOTES = 23;
const body = (i: number) => `Sidenotat nummer ${String(i).padStart(2, '0')}`;

/** Creates the citizen through the API as rk2, on their team, and writes the notes oldest first. */
async function createCitizenWithNotes(): Promise<string> {
  const rk2 = await apiSession('rk2');
  const [firstName = '', lastName = ''] = NAME.split(' ');
  const id = await createEnrolledCitizenAs(rk2, { cpr: CPR, firstName, lastName });
  for (let i = 1; i <= NOTES; i++) {
    const note = await rk2.post(`/api/citizens/${id}/notes`, { kind: 'journal', body: body(i) });
    expect(note.status).toBe(201);
  }
  await rk2.logout();
  return id;
}

beforeAll(async () => {
  browser = await launchBrowser();
  citizenId = await createCitizenWithNotes();
});
afterAll(async () => {
  await browser?.close();
});

test('as rk2: the journal shows the newest notes first and "Vis flere" loads the older ones', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk2');
  await page.goto(url(`/citizens/${citizenId}`));
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
  const journal = page.getByRole('region', { name: 'Journal' });
  const bodies = () => journal.locator('.note-list > li .note-body').allTextContents();
  await expect.poll(async () => (await bodies()).length).toBe(20);
  await expect.poll(async () => (await bodies())[0]).toBe(body(NOTES));
  await expect.poll(() => bodies()).not.toContain(body(1));

  await journal.getByRole('button', { name: 'Vis flere' }).click();
  await expect.poll(async () => (await bodies()).length).toBe(NOTES);
  const all = await bodies();
  expect(all).toEqual(Array.from({ length: NOTES }, (_, i) => body(NOTES - i)));
  await expect.poll(() => journal.getByRole('button', { name: 'Vis flere' }).count()).toBe(0);
  await expectNoAxeViolations(page, 'the journal with two pages of notes');
  await t.close();
});
