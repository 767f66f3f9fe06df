import { Page } from '@playwright/test';
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
 * Fleet optimisation, end to end (issue 15): the demo's empty A100 pool
 * and its under-used Search reranker are recommended with their monthly
 * saving; Apply on the reranker's Model page turns its recommendation into
 * a move that waits for approval (search-team's policy is dry-run);
 * approved, it runs on the simulated cluster; the showback roll-up (run
 * now, as a platform engineer can) writes what it saved in the savings
 * ledger, which the ModelFleet page's Realised savings card lists.
 *
 * It runs before the arbitrage test (file order), which moves the same
 * model again, from wherever it runs.
 */

const MODEL = {
  ref: 'model:default/search-reranker',
  title: 'Search reranker',
  cluster: 'demo-aws-use1',
  namespace: 'search',
  name: 'search-reranker',
};
const EMPTY_POOL = 'gpupool:default/demo-azure-eastus.nca100';

interface Recommendation {
  id: string;
  kind: string;
  title: string;
  monthlySavingUsd: number;
  subject: { modelRef?: string; poolRef?: string };
  source: { option?: string; pool?: string };
  applicable: { allowed: boolean; reason?: string };
}

/** The row of a recommendation in the card or table that lists it. */
const rowOf = (page: Page, title: string) =>
  page.getByRole('row').filter({ hasText: title });

test('the empty A100 pool and the under-used reranker are recommended with their saving; an applied recommendation runs on the simulated cluster and its saving reaches the ledger', async ({
  page,
}) => {
  test.setTimeout(480_000);
  await signInAsGuest(page);
  await waitForFleetReady(page);
  const headers = { Authorization: `Bearer ${await guestToken(page)}` };
  const get = async (url: string) => {
    const res = await page.request.get(url, { headers });
    expect(res.status(), url).toBe(200);
    return res.json();
  };

  // Both are recommended, with what they would save a month.
  let empty: Recommendation | undefined;
  let reranker: Recommendation | undefined;
  await expect(async () => {
    const items: Recommendation[] = (
      await get('/api/modelfleet/recommendations')
    ).items;
    empty = items.find(
      r => r.kind === 'empty-capacity' && r.subject.poolRef === EMPTY_POOL,
    );
    expect(empty?.monthlySavingUsd, 'the empty A100 pool').toBeGreaterThan(
      1000,
    );
    reranker = items.find(
      r =>
        r.kind === 'rightsizing' &&
        r.subject.modelRef === MODEL.ref &&
        r.applicable.allowed,
    );
    expect(reranker?.monthlySavingUsd, 'the reranker').toBeGreaterThan(0);
  }).toPass({ timeout: 240_000, intervals: [2_000, 5_000, 10_000] });
  expect(empty!.title).not.toMatch(/gpupool:|model:/);
  expect(reranker!.title).toContain(MODEL.title);

  // The ModelFleet page's table lists both, by saving.
  await page.goto('/modelfleet');
  const table = page.getByRole('table', { name: /recommendations/i });
  await expect(rowOf(page, empty!.title).first()).toBeVisible();
  await expect(rowOf(page, empty!.title).first()).toContainText('$2,');
  await expect(table.getByText(reranker!.title).first()).toBeVisible();

  // Apply on the Model page: a move that waits for search-team's approval.
  await page.goto(`/catalog/default/model/${MODEL.name}`);
  const row = rowOf(page, reranker!.title).first();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText(/waits for approval/).first()).toBeVisible();

  const actions: Array<{
    id: string;
    kind: string;
    state: string;
    idempotencyKey: string;
  }> = (await get(`/api/modelfleet/actions?entity=${MODEL.ref}`)).actions;
  const move = actions.find(a =>
    a.idempotencyKey.startsWith(`recommendation:${reranker!.id}:`),
  );
  expect(move, 'the action the recommendation became').toBeDefined();
  expect(move!).toMatchObject({ kind: 'migrate', state: 'planned' });

  // Approved, it runs on the simulated cluster: the model's Deployment is
  // rolled onto the pool the recommendation named, and Ready there.
  const approve = await page.request.post(
    `/api/modelfleet/actions/${move!.id}/approve`,
    { headers, data: {} },
  );
  expect(approve.status()).toBe(200);
  await expect(async () => {
    const action = await get(`/api/modelfleet/actions/${move!.id}`);
    expect(action.state).toBe('done');
  }).toPass({ timeout: 300_000, intervals: [2_000, 5_000] });
  const pool = reranker!.source.pool!.split('.').pop()!;
  const deployment = await (
    await page.request.get(
      `${clusterUrl(MODEL.cluster)}/apis/apps/v1/namespaces/${
        MODEL.namespace
      }/deployments/${MODEL.name}`,
      { headers: SIM_ADMIN },
    )
  ).json();
  expect(JSON.stringify(deployment.spec.template.spec)).toContain(pool);
  expect(deployment.status.readyReplicas).toBeGreaterThanOrEqual(1);

  // The next roll-up writes its saving in the ledger: a platform engineer
  // runs the cluster sync and the roll-up now rather than wait for their
  // schedule.
  const runNow = async (task: string) => {
    const res = await page.request.post(`/api/modelfleet/tasks/${task}/run`, {
      headers,
    });
    expect(res.status(), task).toBe(202);
  };
  let summary = '';
  await expect(async () => {
    await runNow('modelfleet-cluster-sync');
    await runNow('modelfleet-showback');
    await page.waitForTimeout(3_000);
    const ledger = await get(`/api/modelfleet/savings?entity=${MODEL.ref}`);
    const line = ledger.lines.find(
      (l: { actionId?: string }) => l.actionId === move!.id,
    );
    expect(line?.savedUsd, 'the move saved').toBeGreaterThan(0);
    expect(line.beforeUsd).toBeCloseTo(line.afterUsd + line.savedUsd, 9);
    summary = line.summary;
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });

  // The ModelFleet page's Realised savings card lists it.
  await page.goto('/modelfleet');
  const savings = page
    .locator('article, .MuiCard-root')
    .filter({ has: page.getByText('Realised savings', { exact: true }) })
    .first();
  await expect(savings.getByText(summary).first()).toBeVisible();
});
