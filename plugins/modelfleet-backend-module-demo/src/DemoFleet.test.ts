import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import { DemoClusterConnector } from './DemoClusterConnector';
import { createDemoFleet, loadTraces } from './DemoFleet';
import { DemoMetricsSource } from './DemoMetricsSource';

const fleet = createDemoFleet(loadTraces(`${__dirname}/../data`));
const now = new Date('2026-11-24T12:00:00Z');
const connector = new DemoClusterConnector(fleet, () => now);
const metrics = new DemoMetricsSource(fleet);

// The bundled price catalog of the backend: the demo uses only real machines.
const prices: Array<Record<string, string>> = parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../modelfleet-backend/data/prices/gpu_prices.csv',
    ),
    'utf8',
  ),
  { columns: true },
);

describe('demo fleet', () => {
  it('spans three providers with at least 8 pools and 10 models of 3 teams', async () => {
    const clusters = await connector.listClusters();
    expect(new Set(clusters.map(c => c.provider))).toEqual(
      new Set(['aws', 'gcp', 'azure']),
    );
    expect(clusters.every(c => c.demo)).toBe(true);
    const snapshots = await Promise.all(
      clusters.map(c => connector.snapshot(c.name)),
    );
    expect(snapshots.flatMap(s => s.pools).length).toBeGreaterThanOrEqual(8);
    expect(fleet.models.length).toBeGreaterThanOrEqual(10);
    expect(new Set(fleet.models.map(m => m.team)).size).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('uses real instance types, GPUs and regions from the price catalog', () => {
    for (const pool of fleet.pools) {
      const cluster = fleet.clusters.find(c => c.name === pool.cluster)!;
      const rows = prices.filter(
        r =>
          r.provider === cluster.provider &&
          r.instance_type === pool.instanceType &&
          r.region === cluster.region,
      );
      expect({ pool: pool.name, found: rows.length > 0 }).toEqual({
        pool: pool.name,
        found: true,
      });
      expect({
        pool: pool.name,
        gpu: rows[0].gpu,
        count: Number(rows[0].gpu_count),
      }).toEqual({
        pool: pool.name,
        gpu: pool.gpu.product,
        count: pool.gpu.perNode,
      });
      expect(Math.round(Number(rows[0].gpu_memory_gib) * 1024)).toBe(
        pool.gpu.memoryMiB,
      );
    }
  });

  it('allocates each deployed model to a pool that fits it', async () => {
    for (const cluster of fleet.clusters) {
      const s = await connector.snapshot(cluster.name);
      for (const p of s.pools) {
        expect(p.gpus.allocated).toBeLessThanOrEqual(p.gpus.allocatable);
        expect(p.nodes.current).toBeLessThanOrEqual(p.nodes.max!);
        expect(p.nodes.current).toBeGreaterThanOrEqual(p.nodes.min!);
      }
      for (const w of s.workloads) {
        expect(s.pools.map(p => p.name)).toContain(w.pool);
      }
    }
    const gcp = await connector.snapshot('demo-gcp-usc1');
    expect(gcp.pools.find(p => p.name === 'a3-h100')).toMatchObject({
      nodes: { current: 0 },
      gpus: { allocatable: 0, allocated: 0 },
    });
    expect(gcp.pools.find(p => p.name === 'g2-l4-shared')).toMatchObject({
      gpu: { sharing: 'time-slicing', replicasPerGpu: 4 },
      // bge-large-embeddings' 2 replicas and qwen2-vl-2b-instruct's 1.
      gpus: { allocatable: 4, allocated: 3 },
    });
    await expect(connector.snapshot('nope')).rejects.toThrow(
      /no cluster 'nope'/,
    );
  });

  it('changes replicas over time: fewer off hours, a recurring re-embedding day', async () => {
    const replicasOf = async (cluster: string, model: string, at: string) =>
      (await connector.snapshotAt(cluster, new Date(at))).workloads.find(
        w => w.modelId === model,
      )!.replicas.desired;
    // Tuesday 14:00 UTC, Tuesday 23:00, Saturday 14:00.
    expect(
      await replicasOf(
        'demo-azure-eastus',
        'mistral-7b-instruct',
        '2026-11-24T14:00:00Z',
      ),
    ).toBe(2);
    expect(
      await replicasOf(
        'demo-azure-eastus',
        'mistral-7b-instruct',
        '2026-11-24T23:00:00Z',
      ),
    ).toBe(1);
    expect(
      await replicasOf(
        'demo-azure-eastus',
        'mistral-7b-instruct',
        '2026-11-28T14:00:00Z',
      ),
    ).toBe(1);

    // Every 19 days the embeddings model runs 8 replicas all day, and its
    // time-sliced pool grows to hold them.
    const days = Array.from(
      { length: 40 },
      (_, i) => new Date(Date.UTC(2026, 10, 1 + i, 6)),
    );
    const counts: number[] = [];
    for (const d of days) {
      const s = await connector.snapshotAt('demo-gcp-usc1', d);
      const pool = s.pools.find(p => p.name === 'g2-l4-shared')!;
      expect(pool.gpus.allocated).toBeLessThanOrEqual(pool.gpus.allocatable);
      counts.push(
        s.workloads.find(w => w.modelId === 'bge-large-embeddings')!.replicas
          .desired,
      );
    }
    const bursts = days
      .filter((_, i) => counts[i] === 8)
      .map(d => d.toISOString().slice(0, 10));
    expect(bursts).toHaveLength(2);
    expect(Date.parse(bursts[1]) - Date.parse(bursts[0])).toBe(19 * 86_400_000);
    expect(counts.filter(c => c !== 8 && c !== 2)).toEqual([]);
  });

  it('replays an hour of the conversation trace for the chat model', async () => {
    const window = {
      start: new Date(now.getTime() - 3600_000),
      end: now,
      stepSeconds: 60,
    };
    const [rps] = await metrics.query(
      'requestsPerSecond',
      { modelId: 'llama-3-1-8b-chat' },
      window,
    );
    const total = rps.points.slice(1).reduce((n, [, v]) => n + v * 60, 0);
    // 35 % of the 19,366 requests of the hour.
    expect(total / 19366).toBeCloseTo(0.35, 1);
    const [util] = await metrics.query(
      'gpuUtilization',
      { modelId: 'llama-3-1-8b-chat' },
      window,
    );
    const mean =
      util.points.reduce((n, [, v]) => n + v, 0) / util.points.length;
    expect(mean).toBeGreaterThan(5);
    expect(mean).toBeLessThan(100);
    expect(util.labels).toEqual({
      model: 'llama-3-1-8b-chat',
      cluster: 'demo-aws-use1',
      namespace: 'search',
    });
  });

  it('shows the sporadic image model idle most of the time', async () => {
    const day = {
      start: new Date(now.getTime() - 86400_000),
      end: now,
      stepSeconds: 300,
    };
    const [util] = await metrics.query(
      'gpuUtilization',
      { modelId: 'flux-schnell' },
      day,
    );
    const idle =
      util.points.filter(([, v]) => v === 0).length / util.points.length;
    expect(idle).toBeGreaterThan(0.8);
    expect(
      await metrics.query('tokensPerSecond', { modelId: 'flux-schnell' }, day),
    ).toEqual([]);
  });

  it('answers nothing for unknown models or other clusters, and rejects bad windows naming the field', async () => {
    const w = {
      start: new Date(now.getTime() - 600_000),
      end: now,
      stepSeconds: 60,
    };
    expect(
      await metrics.query('requestsPerSecond', { modelId: 'nope' }, w),
    ).toEqual([]);
    expect(
      await metrics.query(
        'requestsPerSecond',
        { modelId: 'sdxl-base', cluster: 'demo-gcp-usc1' },
        w,
      ),
    ).toEqual([]);
    await expect(
      metrics.query(
        'requestsPerSecond',
        { modelId: 'sdxl-base' },
        { ...w, stepSeconds: 0 },
      ),
    ).rejects.toThrow(/window.stepSeconds/);
    await expect(
      metrics.query(
        'requestsPerSecond',
        { modelId: 'sdxl-base' },
        { ...w, end: w.start },
      ),
    ).rejects.toThrow(/window.end/);
  });
});

describe('demo catalog entities', () => {
  // eslint-disable-next-line @backstage/no-relative-monorepo-imports
  const file = path.resolve(__dirname, '../../../examples/demo/models.yaml');
  const docs: any[] = require('yaml')
    .parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d: any) => d.toJSON())
    .filter(Boolean);

  it('describe every demo model, at the workload and pool the demo runs it on', () => {
    expect(docs.map(d => d.metadata.name).sort()).toEqual(
      fleet.models.map(m => m.id).sort(),
    );
    for (const doc of docs) {
      const m = fleet.models.find(x => x.id === doc.metadata.name)!;
      expect(doc.spec.owner).toBe(`group:default/${m.team}`);
      const d = m.deployment;
      const pool =
        d &&
        fleet.pools.find(p => p.cluster === d.cluster && p.name === d.pool);
      expect({
        workload: doc.spec.workload,
        runsOn: doc.spec.runsOn,
        acceptsPoolGpu: pool
          ? doc.spec.gpu.types.includes(pool.gpu.product)
          : undefined,
      }).toEqual({
        workload: d
          ? {
              cluster: d.cluster,
              namespace: m.namespace,
              kind: 'Deployment',
              name: m.id,
            }
          : undefined,
        runsOn: d ? [`gpupool:default/${d.cluster}.${d.pool}`] : undefined,
        acceptsPoolGpu: d ? true : undefined,
      });
    }
  });
});
