import { expect, signInAsGuest, test, waitForFleetReady } from './fixtures';

test('a developer deploys a model from the template: ranked pools with prices, then the Model in the catalog on its pool', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const name = `mistral-e2e-${Date.now().toString(36)}`;
  await signInAsGuest(page);
  // The first test after the portal starts: the pools need prices.
  await waitForFleetReady(page);

  await page.goto('/create/templates/default/deploy-model');
  await expect(
    page.getByRole('heading', { name: 'Deploy a model' }).first(),
  ).toBeVisible();

  // Model
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page
    .getByRole('textbox', { name: 'Model source' })
    .fill('mistralai/Mistral-7B-Instruct-v0.3');
  await page
    .getByRole('spinbutton', { name: 'Parameters (billions)' })
    .fill('7.2');
  const owner = page.getByRole('textbox', { name: 'Owner team' });
  await owner.click();
  await owner.fill('search');
  await page.getByRole('option', { name: /Search team/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Serving: one to three replicas, always on, spot allowed.
  await page.getByRole('spinbutton', { name: 'Maximum replicas' }).fill('3');
  await page.getByRole('button', { name: 'Next' }).click();

  // GPU pool: the memory the model needs, and the pools that fit, priced.
  await expect(page.getByText('GPU memory needed per replica')).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'GPU pools that fit' }),
  ).toBeVisible();
  const options = page.getByTestId('gpu-pool-option');
  await expect(options.first()).toBeVisible();
  expect(await options.count()).toBeGreaterThan(1);
  // Ranked: the first row is rank 1 and carries prices.
  await expect(options.first()).toContainText('1');
  await expect(options.first()).toContainText('$');
  // The recommended (cheapest) pool is picked; remember it.
  const picked = page.getByRole('radio', { checked: true });
  await expect(picked).toHaveCount(1);
  const poolTitle = (await picked.getAttribute('aria-label'))!;
  expect(poolTitle).toMatch(/\(demo-[a-z0-9-]+\)$/);
  // The pools that do not fit are listed with their reasons.
  await expect(page.getByText(/Pools that do not fit \(\d+\)/)).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('deploy-gpu-pools.png'),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task runs: placement, manifests, dry-run, publish, register.
  const open = page.getByRole('link', {
    name: 'Open the Model in the catalog',
  });
  await expect(open).toBeVisible({ timeout: 120_000 });
  await page.screenshot({
    path: test.info().outputPath('deploy-task.png'),
    fullPage: true,
  });
  await open.click();

  // The Model is in the catalog, running on the picked pool.
  await expect(page).toHaveURL(new RegExp(`/catalog/default/model/${name}`));
  const [pool, cluster] = poolTitle.replace(')', '').split(' (');
  const refresh = await page.request.get('/api/auth/guest/refresh', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const token = (await refresh.json()).backstageIdentity.token as string;
  await expect(async () => {
    const res = await page.request.get(
      `/api/catalog/entities/by-name/model/default/${name}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(res.status()).toBe(200);
    const entity = await res.json();
    expect(entity.spec.runsOn).toEqual([`gpupool:default/${cluster}.${pool}`]);
    expect(entity.relations).toContainEqual(
      expect.objectContaining({
        type: 'runsOn',
        targetRef: `gpupool:default/${cluster}.${pool}`,
      }),
    );
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText(poolTitle).first()).toBeVisible({
    timeout: 30_000,
  });
  await page.screenshot({
    path: test.info().outputPath('deploy-model-page.png'),
    fullPage: true,
  });
});
