import {
  clusterUrl,
  expect,
  guestToken,
  SIM_ADMIN,
  signInAsGuest,
  test,
  waitForFleetReady,
} from './fixtures';

/*
 * A move, end to end: from the Model page's "Where it could run" card
 * (Move here), a dry-run move waits for approval (search-team's policy
 * is dry-run); Approve on the ModelFleet page's Moves card runs it on the
 * action path, make-before-break across clouds on the simulated clusters
 * (which speak the Kubernetes API): the model is Ready on its new pool,
 * its old Deployment drained, and its page prices it where it now runs.
 */

const MODEL = { namespace: 'default', name: 'search-reranker' };
const NAMESPACE = 'search';

interface Option {
  pool: string;
  title: string;
  cluster: string;
  current: boolean;
  monthlyUsd: number;
  availability: number;
}

test('an approved move runs make-before-break: the model is Ready on its new pool and its source drained', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await signInAsGuest(page);
  await waitForFleetReady(page);
  const headers = { Authorization: `Bearer ${await guestToken(page)}` };
  const get = async (url: string) => {
    const res = await page.request.get(url, { headers });
    expect(res.status(), url).toBe(200);
    return res.json();
  };
  const whatIf = () =>
    get(`/api/modelfleet/models/${MODEL.namespace}/${MODEL.name}/arbitrage`);

  // Where it runs, and the cheapest pool of another cluster it may run on
  // with the capacity a move asks for.
  let from: Option | undefined;
  let to: Option | undefined;
  await expect(async () => {
    const report = await whatIf();
    const options: Option[] = report.options;
    from = options.find(o => o.current);
    expect(from, 'the model is priced where it runs').toBeDefined();
    to = options
      .filter(
        o =>
          o.cluster !== from!.cluster &&
          o.availability >= report.minAvailability,
      )
      .sort((a, b) => a.monthlyUsd - b.monthlyUsd)[0];
    expect(to, 'a pool on another cluster').toBeDefined();
  }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });

  await page.goto(`/catalog/default/model/${MODEL.name}`);
  const moveHere = page.getByRole('button', {
    name: `Move here: ${to!.title}`,
  });
  await expect(moveHere).toBeVisible();
  await moveHere.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('modelfleet-move-figures')).toBeVisible();
  await dialog.getByLabel('Reason (optional)').fill('e2e: cheaper capacity');
  await dialog.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(dialog.getByTestId('modelfleet-move-answer')).toContainText(
    'waiting for approval',
  );
  await page.screenshot({
    path: test.info().outputPath('move-dialog.png'),
    fullPage: true,
  });
  await dialog.getByRole('button', { name: 'Close' }).click();

  const [move] = (
    await get(
      `/api/modelfleet/actions?entity=model:${MODEL.namespace}/${MODEL.name}&kind=migrate`,
    )
  ).actions;
  expect(move).toMatchObject({ state: 'planned', dryRun: true });
  expect(move.details.to.pool).toBe(to!.pool);

  // Approve on the ModelFleet page's Moves card.
  await page.goto('/modelfleet');
  const row = page.locator(
    `[data-testid="modelfleet-move"][data-id="${move.id}"]`,
  );
  await expect(row).toContainText(`${from!.title} → ${to!.title}`);
  await row.getByRole('button', { name: 'Approve' }).click();

  // The runner moves it: applied and Ready on the target, traffic
  // switched, the source drained.
  await expect(async () => {
    const a = await get(`/api/modelfleet/actions/${move.id}`);
    expect(a.state).toBe('done');
  }).toPass({ timeout: 360_000, intervals: [2_000, 5_000] });
  await page.reload();
  await expect(row).toContainText('done');
  await page.screenshot({
    path: test.info().outputPath('moves-card-done.png'),
    fullPage: true,
  });

  // On the clusters themselves, through their Kubernetes API.
  const deployment = async (cluster: string) => {
    const res = await page.request.get(
      `${clusterUrl(
        cluster,
      )}/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${MODEL.name}`,
      { headers: SIM_ADMIN },
    );
    expect(res.status()).toBe(200);
    return res.json();
  };
  const target = await deployment(to!.cluster);
  expect(target.spec.replicas).toBeGreaterThan(0);
  expect(target.status.readyReplicas).toBe(target.spec.replicas);
  expect(
    target.spec.template.spec.nodeSelector ??
      target.spec.template.spec.affinity,
  ).toBeDefined();
  const source = await deployment(from!.cluster);
  expect(source.spec.replicas).toBe(0);

  // The Model page prices it where it now runs.
  await expect(async () => {
    const now = ((await whatIf()).options as Option[]).find(o => o.current);
    expect(now?.pool).toBe(to!.pool);
  }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
  await page.goto(`/catalog/default/model/${MODEL.name}`);
  const current = page
    .getByTestId('arbitrage-option')
    .filter({ hasText: to!.title })
    .first();
  await expect(current.getByText('now', { exact: true })).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('model-after-move.png'),
    fullPage: true,
  });
});
