import { expect, Page, test as base } from '@playwright/test';

/**
 * Playwright's `test`, failing any test during which the page logged a
 * console error or threw an uncaught exception.
 */
export const test = base.extend<{ browserErrors: string[] }>({
  browserErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', msg => {
        if (msg.type() === 'error') errors.push(`console error: ${msg.text()}`);
      });
      page.on('pageerror', error => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      expect(errors, 'browser errors during the test').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The sidebar entry of the ModelFleet page. */
export const modelFleetNavLink = (page: Page) =>
  page.locator('a[href="/modelfleet"]');

/** Signs in as the guest user and waits for the sidebar. */
export async function signInAsGuest(page: Page): Promise<void> {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(modelFleetNavLink(page)).toBeVisible();
}
