// Progression measurement as rk1: a fresh citizen of rk1's with one earlier WHO-5 answer (low well-being, so an
// alert task with the programme's acute procedure is open); the Målinger panel, WHO-5 filled in on the
// answering screen (a draft first, a submission with items missing refused at the items, then the whole answer),
// the score, the band and the relevant change; back on the citizen page the chart and its table with both
// measurements; an answer corrected with a reason; the team task on Min dag and handled; never on the printable
// plan. The job consultant on the same team sees the citizen page without the panel. axe on every state,
// desktop and 360 px, screenshots.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiSession } from './support/accounts.ts';
import { fileURLToPath } from 'node:url';
import { expectNoAxeViolations, launchBrowser, login, openPage, overflowsHorizontally, PHONE, screenshot, url } from './support/browser.ts';

const PAA_VEJ = '00000000-0000-4000-8000-000000000201';
const FIRST = 'Målfrid';
const LAST = 'Trivselsen';
const NAME = `${FIRST} ${LAST}`;
// A fictitious replacement number (day + 60): 74.05.92 is 14 May 1992.
const CPR = '740592-4420';
const PROCEDURE = 'Ring til den psykiatriske akutmodtagelse på 1813, og giv forløbslederen besked samme dag.';
const LOW_TASK = 'Lav trivsel — tal med borgeren om, hvordan det går';

let browser: Browser;
/** One region's picture, to look at the panel closely (the full-page pictures are long). */
const shotPath = (name: string) => fileURLToPath(new URL(`../test-results/screenshots/${name}.png`, import.meta.url));
let citizenId: string;

/** A demo user's API session that can send any method (the shared helper only posts). */
async function session(username: string) {
  const res = await fetch(url('/api/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status}`);
  const { user, csrfToken } = (await res.json()) as { user: { id: string }; csrfToken: string };
  const headers = { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  return {
    userId: user.id,
    call: async (method: string, path: string, body?: unknown) => {
      const r = await fetch(url(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      return { status: r.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
  };
}

beforeAll(async () => {
  browser = await launchBrowser();
  const [rk1, caseworker, jobConsultant, manager] = await Promise.all(['rk1', 'sagsbehandler', 'jobkonsulent', 'projektleder'].map((u) => session(u)));
  const created = await rk1!.call('POST', '/api/citizens', {
    cpr: CPR,
    firstName: FIRST,
    lastName: LAST,
    acknowledgeWarnings: true,
    enrolment: { programmeId: PAA_VEJ, startDate: '2026-06-01', benefitCode: 'kontanthjaelp', consultantIds: [rk1!.userId], caseworkerId: caseworker!.userId, jobConsultantId: jobConsultant!.userId },
  });
  if (created.status !== 201) throw new Error(`creating the citizen failed: ${created.status} ${JSON.stringify(created.json)}`);
  citizenId = created.json.id as string;
  const procedure = await manager!.call('PUT', `/api/programmes/${PAA_VEJ}/acute-procedure`, { da: PROCEDURE, en: 'Call the psychiatric emergency unit on 1813, and tell the programme manager the same day.' });
  if (procedure.status !== 200) throw new Error(`setting the acute procedure failed: ${procedure.status}`);
  // An earlier measurement: 2 on every item is 40 of 100, low well-being, and opens the low well-being task.
  const earlier = await rk1!.call('POST', `/api/citizens/${citizenId}/assessments`, { instrumentCode: 'who5', answers: { who5_cheerful: 2, who5_calm: 2, who5_active: 2, who5_rested: 2, who5_interest: 2 } });
  if (earlier.status !== 201) throw new Error(`the earlier WHO-5 answer failed: ${earlier.status} ${JSON.stringify(earlier.json)}`);
});
afterAll(async () => {
  await browser?.close();
});

async function openCitizen(page: Page) {
  await page.goto(url(`/citizens/${citizenId}`));
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
}

const item = (page: Page, n: number) => page.getByRole('group', { name: new RegExp(`^Spørgsmål ${n} af 5`) });

test('as rk1: WHO-5 filled in with the citizen, the score, the band and the change; the chart and the table; a correction; the task on Min dag', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'rk1');
  await openCitizen(page);

  // The panel: the earlier score, its band, the alert task with the programme's procedure beside it.
  const panel = page.getByRole('region', { name: 'Målinger', exact: true });
  const who5Card = panel.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'WHO-5 Trivselsindeks' }) });
  await expect.poll(() => who5Card.textContent()).toContain('40 af 100');
  await who5Card.getByText('Lav trivsel', { exact: true }).waitFor();
  const tasks = panel.getByRole('group', { name: 'Opgaver fra målingerne (kun for teamet)' });
  await tasks.getByText(LOW_TASK).waitFor();
  await tasks.getByText(PROCEDURE).waitFor();
  await panel.getByRole('link', { name: 'Udfyld sammen med borgeren: Arbejdsevne (Work Ability Score)' }).waitFor();
  await panel.getByRole('link', { name: 'Udfyld sammen med borgeren: Progression mod job' }).waitFor();
  await expectNoAxeViolations(page, 'the citizen page with Målinger');

  // The answering screen: voluntary, one item per block.
  await panel.getByRole('link', { name: 'Udfyld sammen med borgeren: WHO-5 Trivselsindeks' }).click();
  await page.getByRole('heading', { level: 1, name: `WHO-5 Trivselsindeks – ${NAME}` }).waitFor();
  await page.getByText('Det er frivilligt at svare.', { exact: false }).waitFor();
  await item(page, 1).getByLabel('Det meste af tiden', { exact: true }).check();
  await item(page, 2).getByLabel('Det meste af tiden', { exact: true }).check();
  await page.getByRole('button', { name: 'Gem som kladde' }).click();
  await page.getByText('Kladden er gemt', { exact: false }).waitFor();

  // Submitting with three items unanswered: refused at those items, nothing lost.
  await page.getByRole('button', { name: 'Indsend' }).click();
  await page.getByText('3 spørgsmål mangler svar eller skal rettes.', { exact: false }).waitFor();
  await item(page, 3).getByText('Vælg et svar, eller gem som kladde.').waitFor();
  expect(await item(page, 1).getByLabel('Det meste af tiden', { exact: true }).isChecked()).toBe(true);
  await expectNoAxeViolations(page, 'the answering screen with items missing');
  await screenshot(page, 'progression-answer-errors');

  // The citizen page now offers to continue the draft; continuing keeps the two answers.
  await page.getByRole('link', { name: 'Annullér' }).click();
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
  await panel.getByRole('link', { name: 'Fortsæt kladden sammen med borgeren: WHO-5 Trivselsindeks' }).click();
  await page.getByText('Du fortsætter kladden fra', { exact: false }).waitFor();
  expect(await item(page, 2).getByLabel('Det meste af tiden', { exact: true }).isChecked()).toBe(true);
  await item(page, 3).getByLabel('Lidt mere end halvdelen af tiden', { exact: true }).check();
  await item(page, 4).getByLabel('Det meste af tiden', { exact: true }).check();
  await item(page, 5).getByLabel('Lidt mere end halvdelen af tiden', { exact: true }).check();
  await screenshot(page, 'progression-answer-desktop');
  await page.getByRole('button', { name: 'Indsend' }).click();

  // 4 + 4 + 3 + 4 + 3 = 18, × 4 = 72: good well-being, 32 points up, a relevant change.
  await page.getByRole('heading', { level: 2, name: 'Svaret er indsendt' }).waitFor();
  const result = page.locator('.answer-result');
  await expect.poll(() => result.textContent()).toContain('72 af 100 (råscore 18)');
  await result.getByText('God trivsel', { exact: true }).waitFor();
  await expect.poll(() => result.textContent()).toContain('Fra 40 til 72 (+32 point)');
  await result.getByText('Relevant ændring').waitFor();
  await expectNoAxeViolations(page, 'the result of the answer');
  await screenshot(page, 'progression-result');

  // Back on the citizen page: the new measurement, the chart and the table with both.
  await result.getByRole('link', { name: 'Tilbage til borgeren' }).click();
  await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
  await expect.poll(() => who5Card.textContent()).toContain('72 af 100');
  const chart = page.getByRole('region', { name: 'WHO-5 Trivselsindeks over tid' });
  await chart.locator('.recharts-surface').first().waitFor();
  await expect.poll(() => chart.locator('.recharts-reference-area').count()).toBe(3);
  const table = chart.getByRole('table');
  await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
  await expect.poll(() => table.locator('tbody tr').first().textContent()).toContain('72 af 100');
  await expect.poll(() => table.locator('tbody tr').first().textContent()).toContain('Relevant ændring');
  await expect.poll(() => table.locator('tbody tr').nth(1).textContent()).toContain('40 af 100');
  await expect.poll(() => table.locator('tbody tr').first().textContent()).toContain('Lone Madsen (sammen med borgeren)');
  await expectNoAxeViolations(page, 'the citizen page with the chart and the table');
  await screenshot(page, 'progression-citizen-desktop');
  await panel.screenshot({ path: shotPath('progression-panel-desktop') });

  // The newest answer in full, corrected with a reason.
  await table.locator('tbody tr').first().getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: /^WHO-5 Trivselsindeks, / }).waitFor();
  await page.getByRole('button', { name: 'Ret svar' }).click();
  await page.getByRole('group', { name: /^Spørgsmål 5 af 5/ }).getByLabel('Det meste af tiden', { exact: true }).check();
  await page.getByRole('button', { name: 'Gem rettelsen' }).click();
  await page.getByText('Skriv, hvorfor svaret rettes.').first().waitFor();
  await page.getByLabel('Hvorfor rettes svaret?').fill('Borgeren mente "det meste af tiden" ved sidste spørgsmål');
  await expectNoAxeViolations(page, 'correcting an answer');
  await page.getByRole('button', { name: 'Gem rettelsen' }).click();
  await page.getByText('Svaret er rettet.', { exact: false }).waitFor();
  await page.getByText('Borgeren mente "det meste af tiden" ved sidste spørgsmål', { exact: false }).waitFor();
  await expect.poll(() => page.locator('.facts').first().textContent()).toContain('76 af 100');
  await expectNoAxeViolations(page, 'the corrected answer with its history');
  await screenshot(page, 'progression-answer-detail');

  // Min dag: the team's tasks from measurements link to the citizen (when the day's list holds this one).
  const rk1 = await apiSession('rk1');
  const day = (await (await rk1.get('/api/me/day')).json()) as { teamTasks: { items: { citizen: { id: string } }[] } };
  await rk1.logout();
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Min dag' }).click();
  const dayTasks = page.getByRole('region', { name: 'Opgaver fra målinger' });
  await dayTasks.waitFor();
  if (day.teamTasks.items.some((x) => x.citizen.id === citizenId)) {
    const showAll = dayTasks.getByRole('button', { name: /^Vis alle/ });
    if (await showAll.count()) await showAll.click();
    await dayTasks.getByRole('listitem').filter({ hasText: LOW_TASK }).getByRole('link', { name: NAME }).first().waitFor();
  } else {
    await dayTasks.getByRole('listitem').first().waitFor();
  }
  await expectNoAxeViolations(page, 'Min dag with the tasks from measurements');
  await screenshot(page, 'progression-my-day');

  // Handled on the citizen page; never on the printable plan.
  await openCitizen(page);
  await tasks.getByRole('button', { name: `Markér som klaret: ${LOW_TASK}` }).click();
  await tasks.getByRole('button', { name: 'Ja, opgaven er klaret' }).click();
  await expect.poll(() => panel.getByText(LOW_TASK).count()).toBe(0);
  await page.goto(url(`/citizens/${citizenId}/plan/print`));
  await page.getByRole('heading', { level: 1, name: `Plan for ${NAME}` }).waitFor();
  expect(await page.textContent('body')).not.toContain('trivsel');
  expect(await page.textContent('body')).not.toContain('WHO-5');
  await t.close();
});

test('as rk1 on a phone: the answering screen and the chart fit 360 px', async () => {
  const t = await openPage(browser, PHONE);
  const { page } = t;
  await login(page, 'rk1');
  await openCitizen(page);
  await page.getByRole('region', { name: 'WHO-5 Trivselsindeks over tid' }).locator('.recharts-surface').first().waitFor();
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the citizen page with the chart at 360 px');
  await screenshot(page, 'progression-citizen-phone');
  await page.getByRole('region', { name: 'Målinger', exact: true }).screenshot({ path: shotPath('progression-panel-phone') });
  await page.getByRole('region', { name: 'Målinger', exact: true }).getByRole('link', { name: 'Udfyld sammen med borgeren: WHO-5 Trivselsindeks' }).click();
  await page.getByRole('heading', { level: 1, name: `WHO-5 Trivselsindeks – ${NAME}` }).waitFor();
  await item(page, 1).getByLabel('Hele tiden', { exact: true }).check();
  // The answer buttons are big enough to touch: at least 44 px high.
  const box = await item(page, 1).locator('.answer-option').first().boundingBox();
  expect(box?.height).toBeGreaterThanOrEqual(44);
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the answering screen at 360 px');
  await screenshot(page, 'progression-answer-phone');
  // 1 on every item is 20 of 100: both alerts fire, each with its neutral task and the programme's procedure.
  for (const n of [2, 3, 4, 5]) await item(page, n).getByLabel('Lidt af tiden', { exact: true }).check();
  await item(page, 1).getByLabel('Lidt af tiden', { exact: true }).check();
  await page.getByRole('button', { name: 'Indsend' }).click();
  const result = page.locator('.answer-result');
  await expect.poll(() => result.textContent()).toContain('20 af 100 (råscore 5)');
  await result.getByText('Meget lav trivsel', { exact: true }).waitFor();
  await result.getByText('Meget lav trivsel — tal med borgeren om kontakt til egen læge').waitFor();
  await result.getByText(LOW_TASK).waitFor();
  await expect.poll(() => result.getByText(PROCEDURE).count()).toBe(2);
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the result with alerts at 360 px');
  await screenshot(page, 'progression-result-alerts-phone');

  // The Work Ability Score as eleven buttons 0–10 with the ends named; the progression instrument's staff item marked.
  await page.goto(url(`/citizens/${citizenId}/measurements/was/new`));
  const was = page.getByRole('group', { name: /^Spørgsmål 1 af 1/ });
  await was.getByText('0 = Kan slet ikke arbejde', { exact: false }).waitFor();
  await expect.poll(() => was.getByRole('radio').count()).toBe(11);
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the Work Ability Score at 360 px');
  await screenshot(page, 'progression-was-phone');
  await page.goto(url(`/citizens/${citizenId}/measurements/jobprogression/new`));
  const staffItem = page.getByRole('group', { name: /^Spørgsmål 6 af 6/ });
  await staffItem.getByText('Dette spørgsmål besvarer du som medarbejder.').waitFor();
  expect(await overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the progression instrument at 360 px');
  await screenshot(page, 'progression-jobprogression-phone');
  await t.close();
});

test('the job consultant on the team sees the citizen page without the measurements', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'jobkonsulent');
  await openCitizen(page);
  // The page has loaded its sections; the measurements are not among them, and nothing failed.
  await page.getByRole('region', { name: 'Tidslinje' }).waitFor();
  expect(await page.getByRole('region', { name: 'Målinger', exact: true }).count()).toBe(0);
  expect(await page.textContent('body')).not.toContain('trivsel');
  await expectNoAxeViolations(page, 'the citizen page for the job consultant');
  await t.close();
});
