import fs from 'node:fs';
import {
  clusterUrl,
  expect,
  guestToken,
  SIM_ADMIN,
  signInAsGuest,
  test,
} from './fixtures';

/*
 * Hibernate now, end to end: from the Model page of a demo model, through
 * the action path (the backend's action loop and the Kubernetes actuator),
 * to the model's simulated cluster, which speaks the Kubernetes API; then a
 * request replayed to the model wakes it through KEDA after its load time.
 */

const MODEL = { namespace: 'default', name: 'sdxl-base' };
const WORKLOAD = { cluster: 'demo-aws-use1', namespace: 'vision' };

test('Hibernate now takes a model to zero through the action path, and a request wakes it', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAsGuest(page);
  const api = { Authorization: `Bearer ${await guestToken(page)}` };
  const capabilities = async () => {
    const res = await page.request.get(
      `/api/modelfleet/models/${MODEL.namespace}/${MODEL.name}/capabilities`,
      { headers: api },
    );
    expect(res.status()).toBe(200);
    return res.json();
  };
  const sim = clusterUrl(WORKLOAD.cluster);
  const replay = async () => {
    const res = await page.request.post(`${sim}/_sim/requests`, {
      headers: SIM_ADMIN,
      data: { namespace: WORKLOAD.namespace, model: MODEL.name },
      timeout: 240_000,
    });
    expect(res.status()).toBe(200);
    return (await res.json()) as { coldStart: boolean; waitedMs: number };
  };

  /**
   * Whether KEDA's scaler has seen the requests sent since `since` (ms on
   * the simulated clock) and is no longer active: while it is, KEDA would
   * wake a model at zero at once, as it should.
   */
  const scalerIdleSince = async (since: number) => {
    const res = await page.request.get(
      `${sim}/apis/keda.sh/v1alpha1/namespaces/${WORKLOAD.namespace}/scaledobjects/${MODEL.name}`,
      { headers: SIM_ADMIN },
    );
    expect(res.status()).toBe(200);
    const status = (await res.json()).status ?? {};
    const active = (status.conditions ?? []).some(
      (c: { type: string; status: string }) =>
        c.type === 'Active' && c.status === 'True',
    );
    return !active && Date.parse(status.lastActiveTime ?? '') >= since;
  };
  const simNow = async () => {
    const res = await page.request.get(`${sim}/_sim/clock`, {
      headers: SIM_ADMIN,
    });
    expect(res.status()).toBe(200);
    return Date.parse((await res.json()).now);
  };

  // The model serves: a request now finds a replica (waking it first when
  // it was at zero), so Hibernate now is offered. The test waits until
  // KEDA's scaler has seen that request (at its next poll, within 30 s)
  // and no longer counts it, or KEDA would undo the hibernation at once.
  const before = await simNow();
  await replay();
  await expect(async () => {
    expect((await capabilities()).hibernate).toEqual({ allowed: true });
    expect(await scalerIdleSince(before - 1_000)).toBe(true);
  }).toPass({ timeout: 120_000, intervals: [2_000] });

  await page.goto(`/catalog/${MODEL.namespace}/model/${MODEL.name}`);
  const card = page.getByTestId('modelfleet-activity-card');
  await expect(card).toBeVisible({ timeout: 30_000 });
  const hibernate = card.getByRole('button', { name: 'Hibernate now' });
  await expect(hibernate).toBeEnabled({ timeout: 30_000 });
  await hibernate.click();

  // The card follows the action to done, with its steps. (The hibernation
  // loop may have set this model's keep-alive too: its row says so.)
  const action = card
    .getByTestId('modelfleet-action')
    .filter({ hasText: /^Hibernate/ })
    .first();
  await expect(action.getByTestId('modelfleet-action-state')).toHaveAttribute(
    'data-state',
    'done',
    { timeout: 120_000 },
  );
  await page.screenshot({
    path: test.info().outputPath('model-hibernated.png'),
    fullPage: true,
  });

  const listed = await page.request.get(
    `/api/modelfleet/actions?entity=model:${MODEL.namespace}/${MODEL.name}`,
    { headers: api },
  );
  // The hibernation loop may have set this model's keep-alive meanwhile:
  // the action of the click is the latest hibernate.
  const done = (await listed.json()).actions.find(
    (a: { kind: string }) => a.kind === 'hibernate',
  );
  expect(done).toMatchObject({
    kind: 'hibernate',
    state: 'done',
    dryRun: false,
  });
  expect(done.events.map((e: { to: string }) => e.to)).toEqual([
    'planned',
    'applying',
    ...done.steps.slice(1).map(() => 'applying'),
    'verifying',
    'done',
  ]);
  expect((await capabilities()).replicas).toEqual({ desired: 0, ready: 0 });

  // A request replayed to the model wakes it: KEDA scales it up, the
  // scheduler binds the pod, the kubelet marks it ready after its load time.
  const woken = await replay();
  expect(woken.coldStart).toBe(true);
  expect(woken.waitedMs).toBeGreaterThan(1_000);
  await expect(async () => {
    expect((await capabilities()).replicas.ready).toBeGreaterThanOrEqual(1);
  }).toPass({ timeout: 60_000, intervals: [2_000] });

  // The audit log has each transition of the action.
  const log = process.env.MODELFLEET_E2E_PORTAL_LOG;
  if (log) {
    const lines = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(l => l.includes('action-transition') && l.includes(done.id));
    for (const event of done.events) {
      expect(
        lines.some(
          l => l.includes(`"to":"${event.to}"`) || l.includes(`to=${event.to}`),
        ),
        `audit event for the transition to ${event.to}`,
      ).toBe(true);
    }
  }
});
