import { mockServices } from '@backstage/backend-test-utils';
import { GpuPoolStatus } from '@modelfleet/plugin-modelfleet-common';
import { MetricsSource } from '@modelfleet/plugin-modelfleet-node';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { PriceBookStore } from '../database/PriceBookStore';
import { gatherRightsizing } from './gatherRightsizing';
import { entityNamesOf } from './names';

jest.setTimeout(60_000);

const NOW = new Date('2026-12-06T12:00:00Z');

const pool = (
  name: string,
  product: string,
  memoryGiB: number,
  perNode: number,
  over: Partial<GpuPoolStatus> = {},
): GpuPoolStatus => ({
  cluster: 'c1',
  name,
  provider: 'aws',
  region: 'us-east-1',
  zones: [],
  instanceType: `vm-${name}`,
  capacityType: 'on-demand',
  gpu: { product, memoryMiB: memoryGiB * 1024, perNode, sharing: 'whole' },
  nodes: { current: 1 },
  gpus: { allocatable: perNode, allocated: 0 },
  observedAt: NOW.toISOString(),
  stale: false,
  demo: false,
  ...over,
});

/** A model's 14 days: `memMiB` used, 10 % busy, 2 req/s. */
const metricsOf = (memMiB: number): MetricsSource => ({
  id: 'm',
  async query(metric, _m, w) {
    const points: Array<[number, number]> = [];
    for (
      let t = w.start.getTime() / 1000;
      t <= w.end.getTime() / 1000;
      t += w.stepSeconds
    ) {
      points.push([
        t,
        ({ gpuMemoryUsedMiB: memMiB, gpuUtilization: 10 } as any)[metric] ?? 2,
      ]);
    }
    return [{ labels: {}, points }];
  },
});

describe('gatherRightsizing', () => {
  const databases = createTestDatabases();

  async function run(
    memMiB: number,
    pools: GpuPoolStatus[],
    metrics = [metricsOf(memMiB)],
  ) {
    const knex = (
      await DatabaseModelFleetStore.fromKnex(await databases.init('SQLITE_3'))
    ).knex;
    const prices = new PriceBookStore(knex);
    const perHour: Record<string, number> = { a100: 4, t4: 0.5, l4: 0.8 };
    await prices.record(
      pools.map(p => ({
        provider: 'aws' as const,
        instanceType: p.instanceType!,
        region: 'us-east-1',
        capacityType: 'on-demand' as const,
        usdPerHour: perHour[p.name] * p.gpu.perNode,
        source: 'bundled-catalog',
        observedAt: NOW.toISOString(),
      })),
      NOW,
    );
    return gatherRightsizing({
      workloads: [
        {
          cluster: 'c1',
          namespace: 'ml',
          kind: 'Deployment',
          name: 'llm',
          modelId: 'llm',
          replicas: { desired: 1, ready: 1 },
          gpusPerReplica: 1,
          pool: 'a100',
          observedAt: NOW.toISOString(),
          stale: false,
        },
      ],
      pools,
      lookup: () => ({
        modelRef: 'model:default/llm',
        teamRef: 'group:default/t',
      }),
      metrics,
      candidates: { prices, liveSources: () => [], assumedAddableNodes: 2 },
      now: NOW,
      logger: mockServices.logger.mock(),
      names: entityNamesOf([
        {
          kind: 'Model',
          metadata: { name: 'llm', namespace: 'default', title: 'Chat LLM' },
        },
      ]),
    });
  }

  it('sizes on a GPU by its speed against the current one, one node per replica', async () => {
    // 30 GiB used: 36 GiB with headroom. Two T4s of 16 GiB hold it but a
    // T4 node has one; an L4 node has two L4s of 24 GiB.
    const { findings, notes } = await run(30 * 1024, [
      pool('a100', 'NVIDIA-A100-SXM4-80GB', 80, 1),
      pool('t4', 'Tesla-T4', 16, 1),
      pool('l4', 'NVIDIA-L4', 24, 2),
    ]);
    expect(notes).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0].source).toMatchObject({
      type: 'rightsizing',
      option: 'smaller-gpu',
      pool: 'gpupool:default/c1.l4',
      gpusPerReplica: 2,
      replicas: 1,
    });
    // Two T4s ($1 an hour) would be cheaper, but do not fit on a node. One
    // A100 serves 2 ÷ 0.1 × 0.7 = 14 req/s at 70 %; two L4s 2 × 121/312 of
    // that, 10.9.
    expect(findings[0].evidence[0]).toMatch(/serves 11 req\/s/);
    expect(Math.round(findings[0].monthlySavingUsd)).toBe(
      Math.round((4 - 1.6) * 730),
    );
    // In words: the model's title and the pool's; two L4s where the Model
    // runs on one GPU is a change of its GPU request, not a move.
    expect(findings[0].title).toBe(
      'Move Chat LLM to a smaller GPU: NVIDIA-L4 on l4 (c1)',
    );
    expect(findings[0].evidence[0]).toMatch(/1 replica on l4 \(c1\)/);
    expect(findings[0].applicable).toEqual({
      allowed: false,
      reason: expect.stringMatching(
        /^On l4 \(c1\) a replica needs 2 × NVIDIA-L4 where it asks for 1 GPU now/,
      ),
    });
  });

  it('names the models it has no metrics for, and says when no source is connected', async () => {
    const pools = [pool('a100', 'A100', 80, 1)];
    const empty: MetricsSource = { id: 'none', query: async () => [] };
    expect((await run(1, pools, [empty])).notes).toEqual([
      'rightsizing: no 14 days of GPU memory, utilization and request rate for Chat LLM',
    ]);
    expect((await run(1, pools, [])).notes).toEqual([
      'rightsizing: no metrics source is connected',
    ]);
  });
});
