import { expect, signInAsGuest, test } from './fixtures';

test('the ModelFleet health check answers without sign-in', async ({
  request,
}) => {
  const res = await request.get('/api/modelfleet/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});

test('a guest signs in and sees the catalog', async ({ page }) => {
  await signInAsGuest(page);
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
  // The repository's own Component, registered from catalog-info.yaml.
  await expect(
    page.getByRole('link', { name: 'ModelFleet', exact: true }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('catalog.png'),
    fullPage: true,
  });
});

test('the ModelFleet page is reachable from the sidebar and shows the backend state', async ({
  page,
}) => {
  await signInAsGuest(page);
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'ModelFleet' }).click();
  await expect(page).toHaveURL(/\/modelfleet$/);

  await expect(page.getByText('Background loops')).toBeVisible();
  await expect(page.getByText('modelfleet-housekeeping')).toBeVisible();
  await expect(page.getByText('better-sqlite3')).toBeVisible();
  await expect(page.getByText('20261124_init.js')).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('modelfleet-page.png'),
    fullPage: true,
  });
});
