import {
  clusterUrl,
  expect,
  modelReader,
  SIM_ADMIN,
  signInAsGuest,
  test,
} from './fixtures';

/*
 * The sleep idle tier, end to end, on the demo's qwen2-vl-2b-instruct
 * (vision team, `enforce`, no dry run; vLLM with sleep mode on a shared
 * L4): the hibernation loop puts its engine to sleep through the action
 * path (the Kubernetes actuator, through the API server's pod proxy, on
 * its simulated cluster), a replayed request wakes the engine as the wake
 * gate would, the loop times that wake from the gate's log and puts it
 * back to sleep, and Wake now on the Model page wakes it through the
 * action path.
 */

const MODEL = { namespace: 'default', name: 'qwen2-vl-2b-instruct' };
const WORKLOAD = { cluster: 'demo-gcp-usc1', namespace: 'vision' };

test('the loop puts a model of the sleep tier to sleep, a request wakes it, the loop puts it back, and Wake now wakes it', async ({
  page,
}) => {
  test.setTimeout(1_200_000);
  await signInAsGuest(page);
  const model = await modelReader(page, MODEL);
  const report = model.hibernation;
  const sleeps = async () =>
    (await model.actions()).filter(
      a =>
        a.kind === 'sleep' &&
        a.state === 'done' &&
        a.requestedBy === 'policy:hibernation',
    );

  /*
   * The loop puts the engine to sleep when its learned keep-alive runs
   * out. That keep-alive is learned from the gaps of the trace the demo
   * replays on the wall clock, so it depends on the hour the test runs
   * (from none to the policy's 15 min), and at some hours it has learned
   * no idle gap yet and plans no sleep. The test waits for the loop when
   * it is asleep or plans the sleep within reach; otherwise it puts the
   * engine to sleep as a person would, so that what follows (the wake
   * gate, the timed wake, Wake now) runs at any hour. The loop's
   * decisions themselves are the unit tests' (engines/hibernation).
   */
  const loopPutsToSleep = async (before: number) => {
    // What the loop says for two minutes: asleep, or the sleep it plans.
    let plannedAt = Infinity;
    for (const until = Date.now() + 120_000; Date.now() < until; ) {
      const r = await report();
      if (r.state === 'asleep') break;
      if (/its engine sleeps/.test(r.nextChange?.what ?? '')) {
        plannedAt = Date.parse(r.nextChange.at);
        break;
      }
      await page.waitForTimeout(3_000);
    }
    if (
      (await report()).state === 'asleep' ||
      plannedAt - Date.now() < 180_000
    ) {
      await expect(async () => {
        expect((await report()).state).toBe('asleep');
        expect((await sleeps()).length).toBeGreaterThan(before);
      }).toPass({ timeout: 300_000, intervals: [3_000] });
      return;
    }
    const asked = await page.request.post(
      `/api/modelfleet/models/${MODEL.namespace}/${MODEL.name}/sleep`,
      {
        headers: await model.headers(),
        data: { reason: 'e2e: the learned keep-alive outlasts the test' },
      },
    );
    expect(asked.status()).toBe(201);
    await expect(async () => {
      expect((await report()).state).toBe('asleep');
    }).toPass({ timeout: 120_000, intervals: [3_000] });
  };

  // 1. The loop puts its engine to sleep (a `sleep` action, done).
  await loopPutsToSleep(0);
  for (const a of await sleeps()) {
    expect(a.steps[0].do).toMatchObject({ op: 'sleepEngine', level: 1 });
  }
  const first = await sleeps();

  await page.goto(`/catalog/${MODEL.namespace}/model/${MODEL.name}`);
  const card = page.getByTestId('hibernation-state');
  await expect(card).toHaveText('Asleep', { timeout: 60_000 });
  await expect(page.getByTestId('hibernation-sleep-tier')).toContainText(
    'in about 5 s',
  );
  await page.screenshot({
    path: test.info().outputPath('sleep-tier-asleep.png'),
    fullPage: true,
  });

  // 2. A request replayed to the model finds its engine asleep: it waits
  // for one wake, as behind the wake gate, and is served.
  const replay = await page.request.post(
    `${clusterUrl(WORKLOAD.cluster)}/_sim/requests`,
    {
      headers: SIM_ADMIN,
      data: { namespace: WORKLOAD.namespace, model: MODEL.name },
      timeout: 60_000,
    },
  );
  expect(replay.status()).toBe(200);
  const served = await replay.json();
  expect(served).toMatchObject({ coldStart: false, wokeEngine: true });
  expect(served.waitedMs).toBeGreaterThan(0);
  await expect(async () => {
    expect((await report()).state).toBe('warm');
  }).toPass({ timeout: 60_000, intervals: [2_000] });

  // 3. Idle again, the loop puts it back to sleep. It read the wake from
  // the gate's log: a request waited 5 s for it.
  await expect(async () => {
    expect((await report()).wakes).toContainEqual(
      expect.objectContaining({ cold: true, seconds: 5 }),
    );
  }).toPass({ timeout: 120_000, intervals: [5_000] });
  await loopPutsToSleep(first.length);

  // 4. Wake now on the Model page wakes the engine through the action path.
  await page.reload();
  await expect(page.getByTestId('hibernation-wakes')).toContainText(
    'A request',
    { timeout: 60_000 },
  );
  const activity = page.getByTestId('modelfleet-activity-card');
  const wake = activity.getByRole('button', { name: 'Wake now' });
  await expect(wake).toBeEnabled({ timeout: 60_000 });
  await wake.click();
  const action = activity
    .getByTestId('modelfleet-action')
    .filter({ hasText: /^Wake the engine/ })
    .first();
  await expect(action.getByTestId('modelfleet-action-state')).toHaveAttribute(
    'data-state',
    'done',
    { timeout: 120_000 },
  );
  // A person woke it: the loop leaves it awake until traffic comes and
  // idles again. It says so once it has learned an idle gap; before (at
  // an hour of the replayed trace with too few), it sees the model as
  // not idle: awake either way, and no sleep of the loop's follows.
  const slept = (await sleeps()).length;
  await expect(async () => {
    const r = await report();
    expect(r.state).toBe('warm');
    expect(r.decision.reason).toMatch(
      /^held awake by user:|^not idle, or no idle gap learned yet/,
    );
  }).toPass({ timeout: 90_000, intervals: [3_000] });
  expect((await report()).state).toBe('warm');
  expect((await sleeps()).length).toBe(slept);
});
