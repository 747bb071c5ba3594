// The citizen portal's foundation at 360 px: a resource consultant invites a citizen from the citizen page, the
// citizen asks for a code at /portal, reads it in the demo outbox, logs in and sees the limited view (the next
// appointment's time, whether a questionnaire waits), then logs out. axe clean on every page; screenshots taken.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession } from './support/accounts.ts';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

let browser: Browser;
const EMAIL = 'portal.e2e@example.invalid';
/** A fictitious replacement number (day + 60), born 18 November 1986; no other browser test uses it. */
const CPR = '781186-9501';
let citizenId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const rk1 = await apiSession('rk1');
  const created = await rk1.post('/api/citizens', {
    cpr: CPR,
    firstName: 'Portaline',
    lastName: 'Kodesen',
    email: EMAIL,
    enrolment: { programmeId: '00000000-0000-4000-8000-000000000201', startDate: '2019-03-01', benefitCode: 'kontanthjaelp', consultantIds: [rk1.userId] },
    acknowledgeWarnings: true,
  });
  if (created.status !== 201) throw new Error(`creating the citizen failed: ${created.status} ${await created.text()}`);
  citizenId = ((await created.json()) as { id: string }).id;
  const inThreeDays = new Date(Date.now() + 3 * 86_400_000);
  inThreeDays.setUTCHours(9, 0, 0, 0);
  const booked = await rk1.post(`/api/citizens/${citizenId}/conversations`, { startsAt: inThreeDays.toISOString(), durationMinutes: 60, place: 'library', status: 'planned', acknowledgeWarnings: true });
  if (booked.status !== 201) throw new Error(`booking a conversation failed: ${booked.status} ${await booked.text()}`);
  await rk1.logout();
});
afterAll(async () => {
  await browser?.close();
});

test('at 360 px: staff invite, the citizen reads the code in the demo outbox, logs in with it and sees the limited view', async () => {
  const staff = await openPage(browser, PHONE);
  await login(staff.page, 'rk1');
  await staff.page.goto(url(`/citizens/${citizenId}`));
  await staff.page.getByRole('heading', { level: 1, name: 'Portaline Kodesen' }).waitFor();
  const panel = staff.page.getByRole('region', { name: 'Min plan (borgerens egen adgang)' });
  await panel.getByText('Borgeren er ikke inviteret.').waitFor();
  await panel.getByRole('button', { name: 'Inviter til Min plan' }).click();
  await panel.getByText('Invitationen er sendt som e-mail.').waitFor();
  await panel.getByText(/^Inviteret \d\d\.\d\d\.\d{4} \d\d[.:]\d\d\.$/).waitFor();
  await panel.getByRole('button', { name: 'Send invitationen igen' }).waitFor();
  await expectNoAxeViolations(staff.page, 'the citizen page with the portal status');
  await panel.scrollIntoViewIfNeeded();
  await screenshot(staff.page, 'portal-staff-invited-360');
  await staff.close();

  // The citizen, in a browser of their own (no staff cookie).
  const citizen = await openPage(browser, PHONE);
  const { page } = citizen;
  await page.goto(url('/portal'));
  await page.getByRole('heading', { level: 1, name: 'Log ind på Min plan' }).waitFor();
  // The demo's test MitID is open: the login page offers it above the code login (e2e/portal-mitid.e2e.test.ts).
  await page.getByRole('link', { name: 'Log ind med MitID' }).waitFor();
  await expectNoAxeViolations(page, 'the portal login');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-login-360');

  // Nothing typed: the field says what to do.
  await page.getByRole('button', { name: 'Send kode' }).click();
  await page.getByText('Skriv din e-mail eller dit mobilnummer.', { exact: true }).waitFor();
  await page.getByLabel('E-mail eller mobilnummer').fill('Portal.E2E@example.invalid');
  await page.getByRole('button', { name: 'Send kode' }).click();
  await page.getByText(`Hvis vi kender Portal.E2E@example.invalid, får du nu en kode.`, { exact: false }).waitFor();
  await expectNoAxeViolations(page, 'the portal code step');
  await screenshot(page, 'portal-code-360');

  // The demo outbox, newest first: the invitation, then the code, both to the address on file.
  const outbox = await citizen.context.newPage();
  await outbox.goto(url('/demo/outbox'));
  await outbox.getByRole('heading', { level: 1, name: 'Demo-udbakke' }).waitFor();
  const newest = outbox.getByRole('listitem').filter({ hasText: EMAIL }).first();
  const text = (await newest.textContent()) ?? '';
  expect(text.indexOf(EMAIL)).toBeLessThan(text.indexOf('Din kode'));
  const code = /\b([0-9]{6})\b/.exec(text)?.[1];
  expect(code).toMatch(/^[0-9]{6}$/);
  await expectNoAxeViolations(outbox, 'the demo outbox');
  await screenshot(outbox, 'portal-demo-outbox-360');
  await outbox.close();

  await page.getByLabel('Kode').fill(code!);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByRole('heading', { level: 1, name: 'Hej Portaline' }).waitFor();
  const appointment = page.getByRole('region', { name: 'Din næste aftale' });
  await expect.poll(() => appointment.textContent()).toMatch(/kl\. \d\d\.\d\d/);
  await page.getByRole('region', { name: 'Spørgeskema' }).getByText('Der er ikke noget spørgeskema til dig lige nu.').waitFor();
  // Only the limited view: nothing of the plan, the notes or the staff.
  const body = (await page.locator('main').textContent()) ?? '';
  for (const hidden of ['Kodesen', 'library', 'Bibliotek', 'Lone Madsen']) expect(body).not.toContain(hidden);
  await expectNoAxeViolations(page, 'the limited portal view');
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'portal-limited-view-360');

  await page.getByRole('button', { name: 'Log ud' }).click();
  await page.getByText('Du er logget ud.').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Log ind på Min plan' }).waitFor();
  await citizen.close();
});
