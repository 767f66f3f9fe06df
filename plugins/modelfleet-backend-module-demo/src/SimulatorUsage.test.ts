import { BillLine } from '@modelfleet/plugin-modelfleet-node';
import { DemoBillSource } from './DemoBillSource';
import { createDemoFleet, loadTraces } from './DemoFleet';
import { DemoMetricsSource } from './DemoMetricsSource';
import { SimClock } from './sim/clock';
import { SimulatedFleet, startSimulatedFleet } from './sim/fleet';
import { SimulatorUsage } from './SimulatorUsage';

const DAY = 86_400_000;
const MIDNIGHT = Date.UTC(2025, 0, 6); // a Monday
const STEP = 600; // seconds

describe('the demo metrics and bills of a running simulator', () => {
  const demo = createDemoFleet(loadTraces(`${__dirname}/../data`));
  let clock: SimClock;
  let sim: SimulatedFleet;
  let usage: SimulatorUsage;

  beforeAll(async () => {
    clock = new SimClock({ mode: 'manual', start: MIDNIGHT });
    sim = await startSimulatedFleet({ clock, clusters: ['demo-aws-use1'] });
    usage = new SimulatorUsage({
      read: async () => sim.stats(),
      clusters: ['demo-aws-use1'],
      now: () => clock.now(),
    });
    await usage.refresh(0);
    // A day and a step, read every ten minutes as the module reads every minute.
    for (let t = 0; t < DAY + STEP * 1000; t += STEP * 1000) {
      clock.advance(STEP * 1000);
      await usage.refresh(0);
    }
  }, 120_000);
  afterAll(() => sim.close());

  const window = { start: new Date(MIDNIGHT), end: new Date(MIDNIGHT + DAY) };

  it('counts the requests the simulator served', async () => {
    const metrics = new DemoMetricsSource(demo, usage);
    const [series] = await metrics.query(
      'requestsPerSecond',
      { modelId: 'llama-3-1-8b-chat' },
      { ...window, stepSeconds: STEP },
    );
    // The first point is the window before the start: the replay's.
    const served = series.points
      .slice(1)
      .reduce((sum, [, rps]) => sum + rps * STEP, 0);
    const last =
      sim.stats()[0].models['search/llama-3-1-8b-chat'].requestsServed;
    expect(served).toBeGreaterThan(10_000);
    // The day's share of what it served in a day and a step.
    expect(served).toBeLessThanOrEqual(last + 1);
    expect(served).toBeGreaterThan(last * 0.98);
  });

  it('gives a model at zero no requests, GPU utilization or memory', async () => {
    const metrics = new DemoMetricsSource(demo, usage);
    const replayed = new DemoMetricsSource(demo);
    const q = { modelId: 'sdxl-base' };
    const w = { ...window, stepSeconds: STEP };
    const [memory] = await metrics.query('gpuMemoryUsedMiB', q, w);
    const [requests] = await metrics.query('requestsPerSecond', q, w);
    const [utilization] = await metrics.query('gpuUtilization', q, w);
    const asleep = memory.points
      .map(([t, v], i) => ({ t, v, i }))
      .filter(p => p.i > 0 && p.v === 0);
    // It slept for some of the day (KEDA scaled it to zero after 300 s idle).
    expect(asleep.length).toBeGreaterThan(0);
    for (const p of asleep) {
      expect(requests.points[p.i][1]).toBe(0);
      expect(utilization.points[p.i][1]).toBe(0);
    }
    // The replay, which knows nothing of scaling to zero, holds memory all day.
    const [always] = await replayed.query('gpuMemoryUsedMiB', q, w);
    const sum = (s: typeof memory) => s.points.reduce((a, [, v]) => a + v, 0);
    expect(sum(memory)).toBeLessThan(sum(always));
  });

  it('gives the exact busy spans of the arrivals the simulator replayed, those of the trace', async () => {
    const metrics = new DemoMetricsSource(demo, usage);
    const replayed = new DemoMetricsSource(demo);
    const q = { modelId: 'sdxl-base' };
    const ran = (await metrics.busySpans(q, window))!;
    expect(ran.length).toBeGreaterThan(3);
    // Each request at its own second, not at the replay's 10 s ticks.
    expect(ran.some(x => x.start % 10 !== 0)).toBe(true);
    for (const [a, b] of ran.slice(1).map((x, i) => [ran[i], x])) {
      expect(b.start).toBeGreaterThan(a.end);
    }
    expect(ran.every(x => x.end - x.start >= 1)).toBe(true);
    expect(ran).toEqual(await replayed.busySpans(q, window));
    // A model the demo does not have, or in a cluster it is not in: not known.
    await expect(
      metrics.busySpans({ modelId: 'nope' }, window),
    ).resolves.toBeUndefined();
    await expect(
      metrics.busySpans({ ...q, cluster: 'elsewhere' }, window),
    ).resolves.toBeUndefined();
    // Another demo cluster, where a move could take it: what the simulator
    // served there, nothing here (its Service is exported nowhere).
    await expect(
      metrics.busySpans({ ...q, cluster: 'demo-gcp-usc1' }, window),
    ).resolves.toEqual([]);
  });

  it("bills the node-hours the simulator's pools ran", async () => {
    const bills = new DemoBillSource(
      {
        ...demo,
        clusters: demo.clusters.filter(c => c.name === 'demo-aws-use1'),
      },
      () => clock.date(),
      usage,
    );
    const lines: BillLine[] = [];
    for await (const l of bills.fetchLines(window)) lines.push(l);
    const pools = demo.pools.filter(p => p.cluster === 'demo-aws-use1');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const pool = pools.find(
        p => `demo-aws-use1/${p.name}` === line.resourceId,
      )!;
      const hours =
        usage.poolNodeSeconds(
          'demo-aws-use1',
          pool.name,
          MIDNIGHT,
          MIDNIGHT + DAY,
        ) / 3600;
      expect(line.usage!.quantity).toBeCloseTo(hours, 2);
      expect(line.costUsd).toBeCloseTo(hours * pool.billedUsdPerNodeHour, 1);
    }
    // The on-demand A10G pool ran its two nodes all day.
    expect(
      lines.find(l => l.resourceId === 'demo-aws-use1/g5-a10g')!.usage!
        .quantity,
    ).toBe(48);
  });
});

describe('the demo metrics of a sleep-tier model whose engine sleeps', () => {
  const demo = createDemoFleet(loadTraces(`${__dirname}/../data`));

  it('shows the GPU memory its sleeping engine released', async () => {
    const clock = new SimClock({ mode: 'manual', start: MIDNIGHT });
    const sim = await startSimulatedFleet({
      clock,
      clusters: ['demo-gcp-usc1'],
      traffic: false,
    });
    try {
      const usage = new SimulatorUsage({
        read: async () => sim.stats(),
        clusters: ['demo-gcp-usc1'],
        now: () => clock.now(),
      });
      await usage.refresh(0);
      const gcp = sim.cluster('demo-gcp-usc1');
      const pods = gcp.ctx.store
        .list(gcp.ctx.types.pod)
        .filter(p => p.metadata.name.startsWith('qwen2-vl-2b-instruct-'));
      expect(pods).toHaveLength(1);
      // An hour awake, then an hour with its engine asleep.
      for (let i = 0; i < 6; i++) {
        clock.advance(STEP * 1000);
        await usage.refresh(0);
      }
      await gcp.engines.sleep(pods[0], 1);
      for (let i = 0; i < 6; i++) {
        clock.advance(STEP * 1000);
        await usage.refresh(0);
      }
      const [memory] = await new DemoMetricsSource(demo, usage).query(
        'gpuMemoryUsedMiB',
        { modelId: 'qwen2-vl-2b-instruct' },
        {
          start: new Date(MIDNIGHT + STEP * 1000),
          end: new Date(MIDNIGHT + 12 * STEP * 1000),
          stepSeconds: STEP,
        },
      );
      const byHour = (h: number) =>
        memory.points
          .filter(([t]) => t > MIDNIGHT / 1000 + h * 3600 + 1)
          .filter(([t]) => t <= MIDNIGHT / 1000 + (h + 1) * 3600 + 1)
          .map(([, v]) => v);
      // vLLM's 90 % of an L4 awake; about 1 GiB asleep.
      const l4 = demo.pools.find(p => p.name === 'g2-l4-shared')!.gpu.memoryMiB;
      expect(Math.max(...byHour(0))).toBeCloseTo(0.9 * l4, 0);
      expect(byHour(1).length).toBeGreaterThanOrEqual(5);
      expect(byHour(1).slice(1)).toEqual(
        byHour(1)
          .slice(1)
          .map(() => 1024),
      );
    } finally {
      await sim.close();
    }
  }, 60_000);
});
