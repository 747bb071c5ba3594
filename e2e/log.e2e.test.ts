// The DPO's log: newest first with the logins, filters kept in the address, an empty result explained.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';
import { createUserAsAdmin } from './support/accounts.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('the DPO lands on Log and sees the logins, newest first, with outcome in words', async () => {
  const t = await openPage(browser);
  const { page } = t;
  // A failed login first, so the log has a refused attempt to show.
  t.expectHttpError('/api/auth/login', 401);
  await page.goto(url('/login'));
  await page.getByLabel('Brugernavn').fill('sagsbehandler');
  await page.getByLabel('Adgangskode').fill('wrong-password');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByText('Brugernavnet eller adgangskoden er forkert').waitFor();

  await login(page, 'dpo');
  await page.waitForURL(/\/log$/);
  await page.getByRole('heading', { level: 1, name: 'Log', exact: true }).waitFor();
  const table = page.getByRole('table');
  await table.waitFor();
  const rows = table.locator('tbody tr');
  await expect.poll(() => rows.count()).toBeGreaterThan(0);
  // The DPO's own login is the newest login row.
  const firstLogin = rows.filter({ hasText: 'Log ind' }).first();
  await expect.poll(() => firstLogin.textContent()).toContain('dpo');
  await expect.poll(() => firstLogin.textContent()).toContain('Gennemført');
  const refused = rows.filter({ hasText: 'sagsbehandler' }).filter({ hasText: 'Log ind' }).first();
  await expect.poll(() => refused.textContent()).toContain('Mislykket');
  // Times are shown as 23.11.2026 14.30.
  await expect.poll(() => rows.first().locator('td').first().textContent()).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}\.\d{2}$/);

  const newestFirst = async () => {
    const times = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));
    const asSortable = times.map((s) => s.replace(/^(\d{2})\.(\d{2})\.(\d{4}) (\d{2})\.(\d{2})$/, '$3$2$1$4$5'));
    return asSortable.join() === [...asSortable].sort().reverse().join();
  };
  await expect.poll(newestFirst).toBe(true);

  await expectNoAxeViolations(page, 'the log page');
  await screenshot(page, 'log');
  await t.close();
});

test('filtering by action and user narrows the rows and stays in the address; no match explains itself', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'dpo');
  await page.getByRole('table').waitFor();

  await page.getByLabel('Handling').selectOption({ label: 'Log ind' });
  await page.getByLabel('Bruger', { exact: true }).fill('dpo');
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await page.waitForURL(/action=login/);
  await expect.poll(() => page.url()).toContain('actor=dpo');
  const rows = page.getByRole('table').locator('tbody tr');
  await expect
    .poll(async () => {
      const texts = await rows.allTextContents();
      return texts.length > 0 && texts.every((r) => r.includes('Log ind') && r.includes('dpo'));
    })
    .toBe(true);

  await page.reload();
  await expect.poll(() => page.getByLabel('Handling').inputValue()).toBe('login');

  await page.getByLabel('Bruger', { exact: true }).fill('ingen-saadan-bruger');
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await page.getByText('Ingen hændelser matcher filtrene.').waitFor();
  await expectNoAxeViolations(page, 'the log page with no results');
  await screenshot(page, 'log-empty');

  await page.getByLabel('Borger-id').fill('not-a-uuid');
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await page.getByText('Borger-id skal være et UUID').waitFor();
  await t.close();
});

test('at 360 px the log shows each event as a card without sideways scrolling', async () => {
  const t = await openPage(browser, PHONE);
  const { page } = t;
  await login(page, 'dpo');
  const firstRow = page.getByRole('table').locator('tbody tr').first();
  await firstRow.waitFor();
  await expect.poll(() => overflowsHorizontally(page)).toBe(false);
  await expect.poll(() => firstRow.textContent()).toMatch(/\d{2}\.\d{2}\.\d{4} \d{2}\.\d{2}/);
  await expectNoAxeViolations(page, 'the log page at 360 px');
  // Fifty cards make a very tall picture; the DPO's own logins are enough to judge the layout.
  await page.getByLabel('Bruger', { exact: true }).fill('dpo');
  await page.getByLabel('Handling').selectOption({ label: 'Log ind' });
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await page.waitForURL(/actor=dpo/);
  await page.getByText(/^Viser \d+ hændelser\.$/).waitFor();
  await screenshot(page, 'log-360');
  await t.close();
});

test('when audit sealing has halted, the log page says so in a banner', async () => {
  const t = await openPage(browser);
  const { page } = t;
  // The halt itself is proved against the database in the server tests; here the page's answer is marked halted.
  await page.route('**/api/audit?*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), sealing: 'halted' } });
  });
  await login(page, 'dpo');
  const banner = page.getByRole('alert').filter({ hasText: 'Loggen forsegles ikke' });
  await banner.waitFor();
  expect(await banner.textContent()).toContain('audit:accept-break');
  await page.getByRole('table').waitFor();
  await expectNoAxeViolations(page, 'the log page with the halted-sealing banner');
  await screenshot(page, 'log-sealing-halted');
  await t.close();
});

test('the accounts category lists the roles and passwords an admin set, each as its own row', async () => {
  const username = `kat${Date.now().toString(36)}`;
  await createUserAsAdmin(username, 'Kasper Holt', 'en-udleveret-kode-42', 'programme_manager');
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'dpo');
  await page.getByRole('table').waitFor();
  await page.getByLabel('Kategori').selectOption({ label: 'Roller og adgangskoder sat af en administrator' });
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await page.waitForURL(/category=accounts/);
  const rows = page.getByRole('table').locator('tbody tr');
  await expect.poll(() => rows.filter({ hasText: 'Rolle tildelt' }).count()).toBeGreaterThan(0);
  await expect.poll(() => rows.filter({ hasText: 'Adgangskode sat af administrator' }).count()).toBeGreaterThan(0);
  const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[4]?.textContent ?? ''));
  expect(new Set(actions).size).toBeLessThanOrEqual(3);
  for (const a of actions) expect(['Rolle tildelt', 'Rolle frataget', 'Adgangskode sat af administrator']).toContain(a);
  await expectNoAxeViolations(page, 'the log filtered by the accounts category');
  await screenshot(page, 'log-category-accounts');
  await t.close();
});
