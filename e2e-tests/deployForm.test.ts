import { expect, signInAsGuest, test, waitForFleetReady } from './fixtures';

/** The dollars of a figure such as `$1,679.58`. */
const dollars = (text: string | null) =>
  Number(/\$([\d,]+\.\d\d)/.exec(text ?? '')![1].replace(/,/g, ''));

test('a developer corrects a wrong value at its own step, ranks the pools by what the team pays, and reviews the monthly figures', async ({
  page,
  browserErrors,
}) => {
  test.setTimeout(240_000);
  const name = `qwen-form-${Date.now().toString(36)}`;
  await signInAsGuest(page);
  await waitForFleetReady(page);
  await page.goto('/create/templates/default/deploy-model');
  // The tab names the page (after the unread count notifications may add).
  await expect(page).toHaveTitle(/^(\(\d+\) )?Deploy a model · ModelFleet$/);

  // Model: a name the Deployment cannot have is refused here, in words.
  const nameBox = page.getByRole('textbox', { name: 'Name' });
  await nameBox.fill('Qwen_Chat');
  await page
    .getByRole('textbox', { name: 'Model source' })
    .fill('Qwen/Qwen2.5-7B-Instruct');
  await page
    .getByRole('spinbutton', { name: 'Parameters (billions)' })
    .fill('7.6');
  const owner = page.getByRole('textbox', { name: 'Owner team' });
  await owner.click();
  await owner.fill('search');
  await page.getByRole('option', { name: /Search team/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByText(/must start with a lower-case letter/).first(),
  ).toBeVisible();
  await expect(page.getByText(/pattern|\^\[a-z\]/)).toHaveCount(0);
  await expect(nameBox).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({
    path: test.info().outputPath('form-name-error.png'),
    fullPage: true,
  });
  await nameBox.fill(name);
  await page.getByRole('button', { name: 'Next' }).click();

  // Serving: a maximum below the minimum is refused on this step, not at
  // the GPU pool step.
  const min = page.getByRole('spinbutton', { name: 'Minimum replicas' });
  const max = page.getByRole('spinbutton', { name: 'Maximum replicas' });
  await min.fill('2');
  await max.fill('1');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByText(/must be at least the minimum replicas \(2\)/).first(),
  ).toBeVisible();
  await expect(max).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('form-replicas-error.png'),
    fullPage: true,
  });
  await max.fill('3');
  // The wake method is asked only while the traffic idles: picked for
  // sporadic traffic and then always on, it is gone (and, below, not on the
  // Review step).
  const pickTraffic = async (name: string) => {
    await page.getByRole('button', { name: /Traffic pattern/ }).click();
    await page.getByRole('option', { name, exact: true }).click();
  };
  const wake = page.getByRole('button', { name: /Wake from zero on/ });
  await pickTraffic('Sporadic');
  await expect(wake).toContainText('A request (KEDA HTTP add-on)');
  await pickTraffic('Always on');
  await expect(wake).toHaveCount(0);
  await page.getByRole('button', { name: 'Next' }).click();
  // The form library logs the step its schema refused (the name above) as
  // a console error: expected here, and nothing else may be logged.
  const refused = browserErrors.filter(e =>
    e.startsWith('console error: Form validation failed'),
  );
  expect(refused).toHaveLength(1);
  browserErrors.splice(
    0,
    browserErrors.length,
    ...browserErrors.filter(e => !refused.includes(e)),
  );

  // GPU pool: ranked by what the bill grows by, then by what the team pays.
  const options = page.getByTestId('gpu-pool-option');
  await expect(options.first()).toBeVisible({ timeout: 60_000 });
  expect(await options.count()).toBeGreaterThan(1);
  const picked = page.getByRole('radio', { checked: true });
  const pickedPool = await picked.getAttribute('aria-label');
  const column = (testId: string) =>
    page
      .getByTestId(testId)
      .locator('strong')
      .allTextContents()
      .then(texts => texts.map(dollars));
  const bill = await column('gpu-pool-bill-grows');
  expect(bill).toEqual([...bill].sort((a, b) => a - b));
  // Figures never break across lines.
  await expect(
    page.getByTestId('gpu-pool-team-pays').first().locator('span').first(),
  ).toHaveCSS('white-space', 'nowrap');

  await page.getByTestId('gpu-pool-order-team').click();
  await expect(
    page.getByText(/^Ranked by what showback charges/),
  ).toBeVisible();
  const team = await column('gpu-pool-team-pays');
  // Pools that break a policy rule stay last, whatever they charge.
  const allowed = team.slice(
    0,
    await options.filter({ hasNotText: 'Not allowed:' }).count(),
  );
  expect(allowed).toEqual([...allowed].sort((a, b) => a - b));
  // Ranking is a view: the pick stays.
  expect(await picked.getAttribute('aria-label')).toBe(pickedPool);
  await page.screenshot({
    path: test.info().outputPath('form-pools-by-team.png'),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Review' }).click();

  // Review: what a person reads, with the monthly figures.
  await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();
  const row = (title: string) =>
    page
      .getByRole('row')
      .filter({ has: page.getByText(title, { exact: true }) });
  await expect(row('GPU pool and cloud')).toContainText(
    pickedPool!.split(' (')[0],
  );
  await expect(row('GPU memory')).toContainText(/GiB a replica fits/);
  await expect(row('Your team pays')).toContainText(
    /\$[\d,]+\.\d\d a month at 2 replicas, \$[\d,]+\.\d\d at 3/,
  );
  await expect(row('The cloud bill grows by')).toContainText(
    /\$[\d,]+\.\d\d a month at 2 replicas/,
  );
  await expect(row('Policy checks')).toContainText('All passed');
  // Only the rows that apply, each in words: an always-on model has no wake
  // method (not even the one picked for sporadic traffic before), no region
  // picked means no regions row, and "apply now" is an answer, not a check
  // box (drawn as an emoji Chromium here has no font for).
  await expect(row('Wake from zero on')).toHaveCount(0);
  await expect(row('Allowed regions')).toHaveCount(0);
  await expect(row('Apply to the cluster now')).toContainText(
    'No: check against the cluster (dry-run)',
  );
  for (const raw of [
    'Monthly Usd',
    'Blocking',
    'Placement >',
    'gpupool:',
    'Wake On',
    'Apply Now',
  ]) {
    await expect(page.getByText(raw)).toHaveCount(0);
  }
  await page.screenshot({
    path: test.info().outputPath('form-review.png'),
    fullPage: true,
  });

  // The result page links the model's pool and the GitOps repository in
  // pages a browser opens.
  await page.getByRole('button', { name: 'Create' }).click();
  const poolLink = page.getByRole('link', { name: /^GPU pool / });
  await expect(poolLink).toBeVisible({ timeout: 120_000 });
  const poolHref = await poolLink.getAttribute('href');
  expect(poolHref).toMatch(/^\/catalog\/default\/gpupool\/demo-[a-z0-9-]+\./);
  const repoLink = page.getByRole('link', {
    name: 'GitOps repository in the catalog',
  });
  expect(await repoLink.getAttribute('href')).toBe(
    `/catalog/default/location/gitops-${name}`,
  );
  await page.screenshot({
    path: test.info().outputPath('form-result.png'),
    fullPage: true,
  });
  await repoLink.click();
  await expect(page.getByText(`repos/${name}.git`).first()).toBeVisible({
    timeout: 30_000,
  });

  // The new Model page links its pool and the same repository, at the top
  // of its cost card.
  await page.goto(`/catalog/default/model/${name}`);
  const where = page.getByTestId('model-where-it-runs');
  await expect(
    where.getByRole('link', { name: 'GitOps repository' }),
  ).toHaveAttribute('href', `/catalog/default/location/gitops-${name}`, {
    timeout: 30_000,
  });
  expect(await where.locator('a').first().getAttribute('href')).toBe(poolHref);
});
