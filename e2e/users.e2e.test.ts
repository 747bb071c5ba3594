// Admin's users page: the list, validation while filling in the form, creating a user and finding it by search.
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

test('the admin lands on Brugere and sees the staff of Næstved Kommune with their roles', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'admin');
  await page.getByRole('heading', { level: 1, name: 'Brugere' }).waitFor();
  const table = page.getByRole('table');
  await table.getByRole('rowheader', { name: 'Karen Winther' }).waitFor();
  const row = table.getByRole('row').filter({ hasText: 'projektleder' });
  await expect.poll(() => row.textContent()).toContain('Projektleder i På vej til arbejde');
  await expect.poll(() => row.textContent()).toContain('Aktiv');
  // Users of the region are not the municipality admin's.
  await expect.poll(() => table.getByText('liaison', { exact: true }).count()).toBe(0);
  await expectNoAxeViolations(page, 'the users page');
  await screenshot(page, 'users-list');
  await t.close();
});

test('the admin creates a user after fixing the errors the form names, and finds the user by search', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'admin');
  await page.getByRole('heading', { level: 1, name: 'Brugere' }).waitFor();
  await page.getByRole('button', { name: 'Opret bruger' }).click();
  const editor = page.getByRole('region', { name: 'Opret bruger' });
  await editor.waitFor();

  // Submitting the empty form names each field that needs attention.
  await editor.getByRole('button', { name: 'Opret bruger' }).click();
  await editor.getByText('Skriv et brugernavn.').waitFor();
  await expect.poll(() => editor.getByText('Skriv brugerens navn.').count()).toBe(1);
  await expect.poll(() => editor.getByText('Skriv en første adgangskode.').count()).toBe(1);
  await expect.poll(() => editor.getByText('Vælg en rolle, eller fjern rækken.').count()).toBe(1);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('user-username');
  await expectNoAxeViolations(page, 'the create-user form with errors');
  await screenshot(page, 'users-create-errors');

  await editor.getByLabel('Brugernavn').fill('rk5');
  await editor.getByLabel('Navn', { exact: true }).fill('Signe Kragh');
  await editor.getByLabel('E-mail (valgfri)').fill('signe.kragh@');
  await editor.getByLabel('Første adgangskode').fill('kort');
  // The messages follow the typing: a short password and a half e-mail address are named at once.
  await editor.getByText('Adgangskoden skal have mindst 12 tegn.').waitFor();
  await editor.getByText('Skriv en gyldig e-mailadresse').waitFor();
  await editor.getByLabel('Første adgangskode').fill('Signe-er-ny-her-2026');
  await editor.getByText('Adgangskoden må ikke indeholde navnet eller brugernavnet.').waitFor();
  await editor.getByLabel('Første adgangskode').fill('Grøn-skov-tur-2026');
  await editor.getByLabel('E-mail (valgfri)').fill('signe.kragh@naestved.dk');
  await editor.getByLabel('Rolle 1', { exact: true }).selectOption({ label: 'Ressourcekonsulent' });
  await editor.getByLabel('Forløb for rolle 1').selectOption({ label: 'På vej til arbejde' });
  await expect.poll(() => editor.locator('.form-error-message').count()).toBe(0);
  await screenshot(page, 'users-create-filled');
  await editor.getByRole('button', { name: 'Opret bruger' }).click();

  await page.getByText('Brugeren rk5 er oprettet.').waitFor();
  // The list now searches for the new user.
  await expect.poll(() => page.getByLabel('Søg efter bruger').inputValue()).toBe('rk5');
  const row = page.getByRole('row').filter({ hasText: 'Signe Kragh' });
  await row.waitFor();
  await expect.poll(() => row.textContent()).toContain('Ressourcekonsulent i På vej til arbejde');
  await expect.poll(() => row.textContent()).toContain('signe.kragh@naestved.dk');

  // Searching by name from scratch finds the user too.
  await page.getByLabel('Søg efter bruger').fill('Kragh');
  await page.getByRole('heading', { name: 'Brugere der matcher »Kragh«' }).waitFor();
  // The header row and Signe's row, once the search has answered.
  await expect.poll(() => page.locator('table[aria-busy="false"]').getByRole('row').count()).toBe(2);
  await expect.poll(() => page.getByRole('table').getByRole('row').nth(1).textContent()).toContain('rk5');
  await screenshot(page, 'users-created');

  // A taken username is named at the field, and what was typed stays.
  t.expectHttpError('/api/users', 409);
  await page.getByRole('button', { name: 'Opret bruger' }).click();
  await editor.getByLabel('Brugernavn').fill('rk5');
  await editor.getByLabel('Navn', { exact: true }).fill('Another Person');
  await editor.getByLabel('Første adgangskode').fill('Grøn-skov-tur-2026');
  await editor.getByRole('button', { name: 'Fjern rolle 1' }).click();
  await editor.getByRole('button', { name: 'Opret bruger' }).click();
  await editor.getByText('Brugernavnet er allerede i brug. Vælg et andet.').waitFor();
  await expect.poll(() => editor.getByLabel('Navn', { exact: true }).inputValue()).toBe('Another Person');
  await t.close();
});

test('the admin edits a user and deactivating asks for confirmation first', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'admin');
  await page.getByLabel('Søg efter bruger').fill('rk4');
  const row = page.getByRole('row').filter({ hasText: 'Ali Hassan' });
  await row.waitFor();
  await row.getByRole('button', { name: 'Redigér Ali Hassan' }).click();
  const editor = page.getByRole('region', { name: 'Redigér Ali Hassan' });
  await editor.getByLabel('E-mail (valgfri)').fill('ali.hassan@naestved.dk');
  await editor.getByRole('button', { name: 'Gem ændringer' }).click();
  await page.getByText('Ændringerne til rk4 er gemt.').waitFor();

  await editor.getByRole('button', { name: 'Deaktivér bruger' }).click();
  await editor.getByRole('alertdialog', { name: 'Deaktivér Ali Hassan?' }).waitFor();
  await expectNoAxeViolations(page, 'the edit-user form with the deactivation question');
  await screenshot(page, 'users-edit-deactivate');
  await editor.getByRole('button', { name: 'Ja, deaktivér' }).click();
  await editor.getByText('Brugeren er deaktiveret og kan ikke logge ind.').waitFor();
  await editor.getByRole('button', { name: 'Aktivér bruger igen' }).click();
  await editor.getByText('Brugeren er aktiv og kan logge ind.').waitFor();
  await t.close();
});

test('at 360 px the users list and the form fit the screen', async () => {
  const t = await openPage(browser, PHONE);
  const { page } = t;
  await login(page, 'admin');
  await page.getByRole('table').getByRole('rowheader', { name: 'Karen Winther' }).waitFor();
  await expect.poll(() => overflowsHorizontally(page)).toBe(false);
  await expectNoAxeViolations(page, 'the users page at 360 px');
  await screenshot(page, 'users-360');
  await page.getByRole('button', { name: 'Opret bruger' }).click();
  await page.getByRole('region', { name: 'Opret bruger' }).waitFor();
  await expect.poll(() => overflowsHorizontally(page)).toBe(false);
  await screenshot(page, 'users-create-360');
  await t.close();
});

test('leaving the form with unsaved input asks first, and staying keeps what was typed', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'admin');
  await page.getByRole('button', { name: 'Opret bruger' }).click();
  const editor = page.getByRole('region', { name: 'Opret bruger' });
  await editor.getByLabel('Navn', { exact: true }).fill('Halvt Udfyldt');
  await page.getByRole('link', { name: 'Skift adgangskode' }).click();
  const question = page.getByRole('alertdialog', { name: 'Du har ændringer, der ikke er gemt' });
  await question.waitFor();
  await expectNoAxeViolations(page, 'the unsaved-changes question');
  await question.getByRole('button', { name: 'Bliv og gem' }).click();
  await expect.poll(() => page.url()).toMatch(/\/users$/);
  await expect.poll(() => editor.getByLabel('Navn', { exact: true }).inputValue()).toBe('Halvt Udfyldt');

  await page.getByRole('link', { name: 'Skift adgangskode' }).click();
  await question.getByRole('button', { name: 'Forlad uden at gemme' }).click();
  await page.getByRole('heading', { level: 1, name: 'Skift adgangskode' }).waitFor();
  await t.close();
});

test('a user whose password the admin set goes straight to choosing their own, and may do nothing else first', async () => {
  const username = `midl${Date.now().toString(36)}`;
  await createUserAsAdmin(username, 'Vibeke Tang', 'udleveret-af-admin-7');
  const t = await openPage(browser);
  const { page } = t;
  await login(page, username, 'udleveret-af-admin-7');
  await page.waitForURL(/\/password$/);
  await page.getByRole('heading', { level: 1, name: 'Skift adgangskode' }).waitFor();
  await page.getByText('Din adgangskode er sat af en administrator og er midlertidig.').waitFor();
  // Only the password change is offered; any other address leads back here.
  const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
  await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['Skift adgangskode']);
  await page.goto(url('/citizens'));
  await page.waitForURL(/\/password$/);
  await page.getByText('Din adgangskode er sat af en administrator og er midlertidig.').waitFor();
  await expectNoAxeViolations(page, 'the forced password change');
  await screenshot(page, 'password-change-required');

  await page.getByLabel('Nuværende adgangskode').fill('udleveret-af-admin-7');
  await page.getByLabel('Ny adgangskode', { exact: true }).fill('min egen gode sætning 2026');
  await page.getByLabel('Gentag ny adgangskode').fill('min egen gode sætning 2026');
  await page.getByRole('button', { name: 'Skift adgangskode' }).click();
  await page.getByText('Din adgangskode er skiftet.').waitFor();
  await page.getByRole('link', { name: 'Fortsæt til forsiden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mine borgere' }).waitFor();
  await expect.poll(() => nav.getByRole('link').count()).toBeGreaterThan(1);
  await t.close();
});

test('the admin’s own account offers neither roles nor a password to change', async () => {
  const t = await openPage(browser);
  const { page } = t;
  await login(page, 'admin');
  await page.getByLabel('Søg efter bruger').fill('Birgitte');
  const row = page.getByRole('row').filter({ hasText: 'Birgitte Holm' });
  await row.getByRole('button', { name: 'Redigér Birgitte Holm' }).click();
  const editor = page.getByRole('region', { name: 'Redigér Birgitte Holm' });
  await editor.getByText('Det er din egen konto.').waitFor();
  expect(await editor.getByLabel('Ny adgangskode (valgfri)').count()).toBe(0);
  expect(await editor.getByRole('group', { name: 'Roller' }).count()).toBe(0);
  await screenshot(page, 'users-own-account');
  await t.close();
});
