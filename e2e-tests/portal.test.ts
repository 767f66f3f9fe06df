import { expect, modelFleetNavLink, signInAsGuest, test } from './fixtures';

test('the ModelFleet health check answers without sign-in', async ({
  request,
}) => {
  const res = await request.get('/api/modelfleet/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});

test('a guest signs in and sees the catalog', async ({ page }) => {
  await signInAsGuest(page);
  await page
    .getByRole('link', { name: 'Catalog', exact: true })
    .first()
    .click();
  // The repository's own Component, registered from catalog-info.yaml.
  await expect(
    page.getByRole('table').getByRole('link', { name: 'ModelFleet' }),
  ).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('catalog.png'),
    fullPage: true,
  });
});

test('the ModelFleet page is reachable from the sidebar and shows the fleet and backend state', async ({
  page,
}) => {
  await signInAsGuest(page);
  await modelFleetNavLink(page).click();
  await expect(page).toHaveURL(/\/modelfleet$/);

  // The backend's internals are in a closed panel for platform engineers.
  const details = page.getByRole('button', { name: /Backend details/ });
  await expect(details).toBeVisible();
  await expect(page.getByText('better-sqlite3')).toHaveCount(0);
  await details.click();
  await expect(
    page.getByRole('heading', { name: 'Background loops' }),
  ).toBeVisible();
  await expect(page.getByText('modelfleet-housekeeping')).toBeVisible();
  await expect(page.getByText('better-sqlite3')).toBeVisible();
  await expect(page.getByText(/20261124_init\.js/)).toBeVisible();

  // The demo fleet is on by default and labelled as such.
  await expect(page.getByTestId('modelfleet-demo-banner')).toBeVisible();
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    // Exact: the fleet cost section links pools by their full title.
    await expect(
      page.getByRole('link', { name: 'g6-l4-spot', exact: true }),
    ).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  for (const cluster of [
    'demo-aws-use1',
    'demo-gcp-usc1',
    'demo-azure-eastus',
  ]) {
    await expect(
      page.getByRole('link', { name: cluster, exact: true }),
    ).toBeVisible();
  }
  await page.screenshot({
    path: test.info().outputPath('modelfleet-page.png'),
    fullPage: true,
  });
});

test('a Model page links its GPU pool and owner; a GpuPool page links its cluster', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAsGuest(page);
  // The catalog picks the pools up from the backend within a minute of start.
  // The pool's node in the relations graph: the 'Where it could run' card
  // names the same pool in a table cell.
  const poolNode = page
    .locator('svg text')
    .filter({ hasText: /^g6-l4-spot \(demo-aws-use1\)$/ });
  await expect(async () => {
    await page.goto('/catalog/default/model/llama-3-1-8b-chat');
    await expect(poolNode).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 100_000 });
  await expect(page.getByText('Search team').first()).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('model-page.png'),
    fullPage: true,
  });

  await poolNode.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/gpupool\/demo-aws-use1\.g6-l4-spot$/,
  );
  await expect(page.getByText('demo-aws-use1').first()).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('gpupool-page.png'),
    fullPage: true,
  });
});
