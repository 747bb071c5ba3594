// Browser helpers of the citizen portal: the MitID login through the demo's test identity provider.
import type { Page } from 'playwright-core';
import { url } from './browser.ts';

/** The name the portal's menu of sections has (a substantial session's full view). */
export const PORTAL_MENU = 'Min plan, menu';

/**
 * Logs in to the portal with the test MitID as the demo citizen the provider's page shows as `name` ("First Last"),
 * at level "substantial": from /portal, "Log ind med MitID", pick the person, "Log ind"; returns when the portal's
 * full view (its menu) is shown.
 */
export async function mitIdLogin(page: Page, name: string): Promise<void> {
  await page.goto(url('/portal'));
  await page.getByRole('link', { name: 'Log ind med MitID' }).click();
  await page.getByRole('heading', { level: 1, name: 'Test-MitID' }).waitFor();
  await page.getByRole('radio', { name, exact: true }).check();
  await page.getByRole('button', { name: 'Log ind', exact: true }).click();
  await page.getByRole('navigation', { name: PORTAL_MENU }).waitFor();
}
