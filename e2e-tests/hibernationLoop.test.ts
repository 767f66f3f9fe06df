import { formatUsd } from '@modelfleet/plugin-modelfleet-common';
import {
  clusterUrl,
  expect,
  guestToken,
  SIM_ADMIN,
  signInAsGuest,
  test,
} from './fixtures';

/*
 * The hibernation loop, end to end, on a demo model of the vision team
 * (`enforce`, no dry run): the loop sets the keep-alive it learned on the
 * model's ScaledObject through the action path, the simulated KEDA takes
 * the idle model to zero when that keep-alive has passed (the e2e portal
 * replays no traffic), a replayed request wakes it, and the Model page's
 * hibernation card shows the cold start and the saving the API gives.
 */

const MODEL = { namespace: 'default', name: 'flux-schnell' };
const WORKLOAD = { cluster: 'demo-gcp-usc1', namespace: 'vision' };
test('the hibernation loop sets a learned keep-alive, the model goes to zero after it and wakes on a request, and the card shows the cold start and the saving', async ({
  page,
}) => {
  test.setTimeout(900_000);
  await signInAsGuest(page);
  const api = { Authorization: `Bearer ${await guestToken(page)}` };
  const report = async () => {
    const res = await page.request.get(
      `/api/modelfleet/models/${MODEL.namespace}/${MODEL.name}/hibernation`,
      { headers: api },
    );
    expect(res.status()).toBe(200);
    return res.json();
  };
  const sim = clusterUrl(WORKLOAD.cluster);
  const scaledObject = async () => {
    const res = await page.request.get(
      `${sim}/apis/keda.sh/v1alpha1/namespaces/${WORKLOAD.namespace}/scaledobjects/${MODEL.name}`,
      { headers: SIM_ADMIN },
    );
    expect(res.status()).toBe(200);
    return res.json();
  };

  // 1. The loop learned a keep-alive from the model's request history and
  // set it on the ScaledObject through the action path.
  type Action = {
    kind: string;
    state: string;
    requestedBy: string;
    steps: Array<{ do: { op: string; seconds?: number } }>;
  };
  const loopActions = async (): Promise<Action[]> => {
    const res = await page.request.get(
      `/api/modelfleet/actions?entity=model:${MODEL.namespace}/${MODEL.name}`,
      { headers: api },
    );
    expect(res.status()).toBe(200);
    return (await res.json()).actions.filter(
      (a: Action) => a.requestedBy === 'policy:hibernation',
    );
  };
  // The keep-alive learned depends on the hour (the history is the last
  // 48 h): the loop sets it unless the autoscaler's is within 10 % of it.
  let keepAlive = 0;
  await expect(async () => {
    const r = await report();
    expect(r.mode).toBe('enforce');
    expect(r.dryRun).toBe(false);
    expect(r.keepAlive.reason).toMatch(/idle gaps/);
    expect(typeof r.keepAlive.seconds).toBe('number');
    const cooldown = (await scaledObject()).spec.cooldownPeriod;
    expect(r.autoscaler.keepAliveSeconds).toBe(cooldown);
    const set = (await loopActions()).find(
      a => a.kind === 'keepAlive' && a.state === 'done',
    );
    if (set) {
      expect(cooldown).toBe(set.steps[0].do.seconds);
    } else {
      const learned = Math.max(60, Math.round(r.keepAlive.seconds));
      expect(Math.abs(cooldown - learned)).toBeLessThanOrEqual(0.1 * cooldown);
    }
    keepAlive = cooldown;
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  for (const a of await loopActions()) {
    expect(a.state).not.toMatch(/failed|rolledBack/);
  }

  // 2. Without requests, KEDA takes the model to zero once the keep-alive
  // has passed, and the loop sees it there (its decision is newer).
  const atZero = async () => {
    let since = 0;
    await expect(async () => {
      const r = await report();
      expect(r.state).toBe('atZero');
      since ||= Date.now();
      expect(Date.parse(r.decision.at)).toBeGreaterThan(since);
    }).toPass({ timeout: (keepAlive + 240) * 1000, intervals: [5_000] });
  };

  // 3. A request wakes it: a cold start, timed by the loop from the pod.
  // (Should the loop pre-warm the model just before, the request finds it
  // warm; the test then waits for it to be at zero again.)
  let sentAt = 0;
  for (let tries = 0; ; tries++) {
    await atZero();
    sentAt = Date.now();
    const res = await page.request.post(`${sim}/_sim/requests`, {
      headers: SIM_ADMIN,
      data: { namespace: WORKLOAD.namespace, model: MODEL.name },
      timeout: 240_000,
    });
    expect(res.status()).toBe(200);
    if ((await res.json()).coldStart) break;
    expect(tries, 'a request finds the model at zero').toBeLessThan(3);
  }
  let woken: any;
  await expect(async () => {
    woken = await report();
    expect(woken.state).toBe('warm');
    const wake = woken.wakes.find(
      (w: { startedAt: string }) => Date.parse(w.startedAt) >= sentAt - 5_000,
    );
    expect(wake).toMatchObject({ cold: true });
    expect(wake.seconds).toBeGreaterThan(0);
    expect(woken.coldStarts).toBeGreaterThanOrEqual(1);
  }).toPass({ timeout: 120_000, intervals: [5_000] });

  // 4. The card shows it, and the saving the API gives for its period.
  // The saving is the one the API gives the card (a showback roll-up
  // between two reads may change it, so the card's own answer is kept).
  const answered = page.waitForResponse(
    r =>
      r
        .url()
        .endsWith(`/models/${MODEL.namespace}/${MODEL.name}/hibernation`) &&
      r.request().method() === 'GET',
  );
  await page.goto(`/catalog/${MODEL.namespace}/model/${MODEL.name}`);
  const shown = await (await answered).json();
  const card = page.getByTestId('modelfleet-hibernation-card');
  await expect(card.getByTestId('hibernation-state')).toContainText('Warm', {
    timeout: 30_000,
  });
  await expect(card.getByTestId('hibernation-cold-starts')).toHaveText(
    String(woken.coldStarts),
  );
  await expect(card.getByTestId('hibernation-wakes')).toContainText(
    'Cold start',
  );
  const direct = await report();
  // The demo's past holds the model at zero between its trace's bursts.
  expect(shown.savings.usd).toBeGreaterThan(0);
  expect(shown.savings.gpuHours).toBeGreaterThan(0);
  expect(shown.entityRef).toBe(direct.entityRef);
  expect([shown.from, shown.to]).toEqual([direct.from, direct.to]);
  await expect(card.getByTestId('hibernation-saving-usd')).toHaveText(
    formatUsd(shown.savings.usd),
  );
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: test.info().outputPath('model-hibernation-card.png'),
    fullPage: true,
  });
});
