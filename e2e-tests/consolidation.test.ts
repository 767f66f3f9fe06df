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
 * gone.
 */

interface Recommendation {
  id: string;
  kind: string;
  title: string;
  monthlySavingUsd: number;
  source: { cluster?: string; nodes?: string[]; podsMoved?: number };
  applicable: { allowed: boolean };
}

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
