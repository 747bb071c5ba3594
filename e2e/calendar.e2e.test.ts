// "Min dag" and the week calendar as rk1, with two conversations booked through the API for a fresh citizen of
// rk1's (today and two days on); the calendar feed subscribed in the page, fetched and read with ical.js.
// axe at desktop and 360 px, screenshots.
import ICAL from 'ical.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession, createEnrolledCitizenAs } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

let browser: Browser;
let citizenId: string;
const FIRST = 'Kalendrine';
const LAST = 'Ugesen';
const NAME = `${FIRST} ${LAST}`;
// A fictitious replacement number (day + 60): 74.05.88 is 14 May 1988.
const CPR = '740588-4417';

const copenhagenDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
/** A Copenhagen wall-clock time as an ISO moment with its offset (+01:00 in winter, +02:00 in summer). */
function copenhagenMoment(date: string, time: string): string {
  const noon = new Date(`${date}T12:00:00Z`);
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', hourCycle: 'h23' }).format(noon));
  return `${date}T${time}:00+0${hour - 12}:00`;
}
const today = copenhagenDate(new Date());
const later = addDays(today, 2);

beforeAll(async () => {
  browser = await launchBrowser();
  const rk1 = await apiSession('rk1');
  citizenId = await createEnrolledCitizenAs(rk1, { cpr: CPR, firstName: FIRST, lastName: LAST });
  for (const c of [
    { startsAt: copenhagenMoment(today, '13:00'), place: 'walk_and_talk', placeText: null },
    { startsAt: copenhagenMoment(later, '09:30'), place: 'citizen_home', placeText: null, durationMinutes: 45 },
  ]) {
    const res = await rk1.post(`/api/citizens/${citizenId}/conversations`, { ...c, status: 'planned', note: 'Hemmelig note om helbred', acknowledgeWarnings: true });
    if (res.status !== 201) throw new Error(`booking a conversation failed: ${res.status} ${await res.text()}`);
  }
  await rk1.logout();
});
afterAll(async () => {
  await browser?.close();
});

test('as rk1: Min dag is the home page, with today’s conversation and the next step; the week calendar links to the citizen', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk1');
  await page.waitForURL(/\/my-day$/);
  await page.getByRole('heading', { level: 1, name: 'Min dag' }).waitFor();
  const todaySection = page.getByRole('region', { name: 'I dag' });
  await todaySection.getByRole('link', { name: NAME }).waitFor();
  await expect.poll(() => todaySection.textContent()).toContain('13.00–14.00');
  await expect.poll(() => todaySection.textContent()).toContain('Ude');
  const next = page.getByRole('region', { name: 'Næste skridt pr. borger' });
  await next.getByRole('listitem').first().waitFor();
  // The first rows show; the rest behind "Vis alle".
  const showAll = next.getByRole('button', { name: /^Vis alle/ });
  if (await showAll.count()) {
    await showAll.click();
    await next.getByRole('button', { name: 'Vis færre' }).waitFor();
  }
  await next.getByRole('link', { name: NAME }).waitFor();
  await expect.poll(() => next.getByRole('listitem').filter({ hasText: NAME }).textContent()).toContain('Samtale');
  await expectNoAxeViolations(page, 'Min dag (desktop)');
  await screenshot(page, 'calendar-my-day-desktop');

  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Kalender' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kalender' }).waitFor();
  const week = page.locator('.cal-week');
  const todayColumn = week.locator('li[aria-current="date"]');
  await todayColumn.getByRole('link', { name: NAME }).waitFor();
  await expect.poll(() => week.locator('.cal-day').count()).toBe(7);
  await expect.poll(() => page.textContent('body')).not.toContain('Hemmelig');
  await expectNoAxeViolations(page, 'the week calendar (desktop)');
  await screenshot(page, 'calendar-week-desktop');

  // The next week and back; "I dag" returns to this week.
  const title = page.locator('#cal-week-title');
  const thisWeek = await title.textContent();
  await page.getByRole('button', { name: 'Næste uge' }).click();
  await expect.poll(() => title.textContent()).not.toBe(thisWeek);
  await expect.poll(() => page.url()).toContain('?week=');
  await page.getByRole('button', { name: 'I dag' }).click();
  await expect.poll(() => title.textContent()).toBe(thisWeek);
  // The conversation two days on is in this week's view or the next.
  const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  if (weekday + 2 > 6) await page.getByRole('button', { name: 'Næste uge' }).click();
  await week.locator('.cal-entry', { hasText: NAME }).filter({ hasText: '09.30–10.15' }).waitFor();
  await page.getByRole('button', { name: 'I dag' }).click();

  await todayColumn.getByRole('link', { name: NAME }).click();
  await page.waitForURL(new RegExp(`/citizens/${citizenId}$`));
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
  await t.close();
});

test('as rk1: subscribe to the calendar feed, read it with ical.js, then stop it', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk1');
  await page.goto(url('/calendar'));
  const feed = page.getByRole('region', { name: 'Abonnér i din kalender' });
  await feed.getByText('Du har intet aktivt abonnement.').waitFor();
  await feed.getByRole('button', { name: 'Abonnér i din kalender' }).click();
  const field = feed.getByLabel('Adresse til din kalender');
  await field.waitFor();
  await feed.getByText('Alle, der har linket, kan se tidspunkterne').waitFor();
  const feedUrl = await field.inputValue();
  expect(feedUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/calendar\/feed\/[A-Za-z0-9_-]{43}\.ics$/);
  await feed.getByRole('button', { name: 'Stop abonnement' }).waitFor();
  await expectNoAxeViolations(page, 'the calendar with the new feed address');
  await screenshot(page, 'calendar-feed-created');

  const response = await fetch(feedUrl);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  const text = await response.text();
  const root = new ICAL.Component(ICAL.parse(text));
  expect(root.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Europe/Copenhagen');
  const events = root.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  const mine = events.filter((e) => [Date.parse(copenhagenMoment(today, '13:00')), Date.parse(copenhagenMoment(later, '09:30'))].includes(e.startDate.toJSDate().getTime()));
  expect(mine).toHaveLength(2);
  expect(mine.map((e) => [e.summary, e.location])).toEqual([
    ['Aftale', 'Ude'],
    ['Aftale', 'Ude'],
  ]);
  for (const secret of [FIRST, LAST, 'Hemmelig', 'helbred', citizenId]) expect(text).not.toContain(secret);

  await feed.getByRole('button', { name: 'Stop abonnement' }).click();
  await feed.getByText('Abonnementet er stoppet.').waitFor();
  expect((await fetch(feedUrl)).status).toBe(404);
  await t.close();
});

test('at 360 px: Min dag and the week as a list, no sideways scrolling, axe clean', async () => {
  const t = await openPage(browser, PHONE);
  const { page } = t;
  await login(page, 'rk1');
  await page.getByRole('heading', { level: 1, name: 'Min dag' }).waitFor();
  await page.getByRole('region', { name: 'I dag' }).getByRole('link', { name: NAME }).waitFor();
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'Min dag (360 px)');
  await screenshot(page, 'calendar-my-day-phone');

  await page.goto(url('/calendar'));
  await page.locator('li[aria-current="date"]').getByRole('link', { name: NAME }).waitFor();
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the week calendar (360 px)');
  await screenshot(page, 'calendar-week-phone');
  await t.close();
});
