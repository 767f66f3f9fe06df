import {
  clusterUrl,
  expect,
  guestToken,
  SIM_ADMIN,
  signInAsGuest,
  test,
  waitForFleetReady,
} from './fixtures';

/**
 * Node consolidation, end to end (issue 15): the demo's empty GPU node is
 * recommended with its monthly saving; Apply on the ModelFleet page makes
 * a consolidate action that waits for approval under the platform's
 * dry-run default; approved under Node consolidations, it cordons the
 * node on the simulated cluster through the real actuator and drains it;
 * the next cluster sync sees the node cordoned, and the recommendation is
 * gone. The demo's empty A100 pool, whose minimum keeps its idle node, has
 * its minimum lowered on the simulated cloud the same way.
 */

interface Recommendation {
  id: string;
  kind: string;
  title: string;
  monthlySavingUsd: number;
  subject: { poolRef?: string };
  source: {
    cluster?: string;
    pool?: string;
    nodes?: string[];
    podsMoved?: number;
    minimum?: { from: number; to: number };
  };
  applicable: { allowed: boolean };
}

const EMPTY_POOL = 'gpupool:default/demo-azure-eastus.nca100';

test('an applied consolidation cordons and drains its node on the simulated cluster, after an approval on the ModelFleet page', async ({
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
  const runNow = async (task: string) => {
    const res = await page.request.post(`/api/modelfleet/tasks/${task}/run`, {
      headers,
    });
    expect(res.status(), task).toBe(202);
  };

  // The largest consolidation that Apply can make.
  let rec: Recommendation | undefined;
  await expect(async () => {
    const items: Recommendation[] = (
      await get('/api/modelfleet/recommendations')
    ).items;
    rec = items.find(r => r.kind === 'consolidation' && r.applicable.allowed);
    expect(rec?.monthlySavingUsd, 'a consolidation').toBeGreaterThan(100);
  }).toPass({ timeout: 240_000, intervals: [2_000, 5_000, 10_000] });
  const cluster = rec!.source.cluster!;
  const [node] = rec!.source.nodes!;

  // Apply on the ModelFleet page: it waits for approval, and says where.
  await page.goto('/modelfleet');
  const table = page.getByRole('table', { name: /recommendations/i });
  const row = table.getByRole('row').filter({ hasText: rec!.title }).first();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Apply' }).click();
  await expect(
    page.getByText(/waits for approval.*Node consolidations/).first(),
  ).toBeVisible();

  // Approved under Node consolidations, it runs: the node is cordoned.
  const card = page.getByTestId('modelfleet-consolidations-card');
  const line = card
    .getByTestId('modelfleet-consolidation')
    .filter({ hasText: node });
  await expect(line).toContainText('Waiting for approval');
  await line.getByRole('button', { name: 'Approve' }).click();
  await expect(line).toContainText('Done', { timeout: 120_000 });
  await expect(line).toContainText('the cluster autoscaler removes them');
  const read = await page.request.get(
    `${clusterUrl(cluster)}/api/v1/nodes/${node}`,
    { headers: SIM_ADMIN },
  );
  // Cordoned, or already removed by the cluster autoscaler.
  if (read.status() !== 404) {
    expect(read.status()).toBe(200);
    expect((await read.json()).spec.unschedulable).toBe(true);
  }
  const actions = (await get('/api/modelfleet/actions?kind=consolidate'))
    .actions as Array<{ state: string; steps: Array<{ do: { op: string } }> }>;
  expect(actions[0].state).toBe('done');
  expect(actions[0].steps.map(s => s.do.op)).toEqual(['cordon', 'drain']);

  // The next cluster sync sees it cordoned: it is no longer recommended.
  await expect(async () => {
    await runNow('modelfleet-cluster-sync');
    await page.waitForTimeout(2_000);
    const items: Recommendation[] = (
      await get('/api/modelfleet/recommendations')
    ).items;
    expect(items.map(r => r.id)).not.toContain(rec!.id);
  }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
  await page.screenshot({
    path: test.info().outputPath('node-consolidations.png'),
    fullPage: true,
  });
});

test("an applied empty-capacity recommendation lowers the pool's minimum on the simulated cloud, after an approval", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAsGuest(page);
  await waitForFleetReady(page);
  const headers = { Authorization: `Bearer ${await guestToken(page)}` };
  const get = async (url: string) => {
    const res = await page.request.get(url, { headers });
    expect(res.status(), url).toBe(200);
    return res.json();
  };

  // The demo's empty A100 pool: its minimum of 1 keeps its idle node.
  let rec: Recommendation | undefined;
  await expect(async () => {
    const items: Recommendation[] = (
      await get('/api/modelfleet/recommendations')
    ).items;
    rec = items.find(
      r => r.kind === 'empty-capacity' && r.subject.poolRef === EMPTY_POOL,
    );
    expect(rec?.applicable.allowed, 'the empty A100 pool').toBe(true);
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000, 10_000] });
  expect(rec!.source.minimum).toEqual({ from: 1, to: 0 });
  const pool = `${clusterUrl(rec!.source.cluster!)}/_sim/pools/${
    rec!.source.pool
  }`;

  await page.goto('/modelfleet');
  const table = page.getByRole('table', { name: /recommendations/i });
  const row = table.getByRole('row').filter({ hasText: rec!.title }).first();
  await row.getByRole('button', { name: 'Apply' }).click();
  await expect(
    page.getByText(/waits for approval.*Node consolidations/).first(),
  ).toBeVisible();
  const line = page
    .getByTestId('modelfleet-consolidations-card')
    .getByTestId('modelfleet-consolidation')
    .filter({ hasText: 'nca100' });
  await expect(line).toContainText('minimum 1 → 0');
  await expect(line).toContainText('Waiting for approval');
  // Nothing changes on the cloud before the approval.
  expect((await (await page.request.get(pool)).json()).min).toBe(1);
  await line.getByRole('button', { name: 'Approve' }).click();
  await expect(line).toContainText('Done', { timeout: 120_000 });
  await expect(line).toContainText(
    'the cluster autoscaler removes the idle nodes',
  );
  expect((await (await page.request.get(pool)).json()).min).toBe(0);
});
