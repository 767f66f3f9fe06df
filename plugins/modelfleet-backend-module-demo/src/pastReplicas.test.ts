import { DemoClusterConnector } from './DemoClusterConnector';
import { createDemoFleet, loadTraces } from './DemoFleet';
import { pastReplicasAt } from './pastReplicas';
import { replicasAt } from './definition';

const fleet = createDemoFleet(loadTraces(`${__dirname}/../data`));
const model = (id: string) => fleet.models.find(m => m.id === id)!;
const day = Date.parse('2026-11-20T00:00:00Z');
const minutes = Array.from(
  { length: 24 * 60 },
  (_, i) => new Date(day + i * 60_000),
);

describe('pastReplicasAt', () => {
  it('leaves a model that does not scale to zero at its deployment replicas', () => {
    const m = model('qwen2-5-coder-7b');
    for (const at of minutes) {
      expect(pastReplicasAt(m, fleet.traffic.get(m.id), at)).toBe(
        replicasAt(m.deployment!, at),
      );
    }
  });

  it('keeps a scale-to-zero model warm for its keep-alive after each request of its trace, at zero otherwise', () => {
    const m = model('sdxl-base');
    const replay = fleet.traffic.get(m.id)!;
    let warm = 0;
    for (const at of minutes) {
      const replicas = pastReplicasAt(m, replay, at);
      const since = replay.secondsSinceLastRequest(at.getTime() / 1000);
      expect(replicas).toBe(since !== null && since <= 300 ? 1 : 0);
      warm += replicas;
    }
    // The image model idles for long stretches: neither always on nor never.
    expect(warm).toBeGreaterThan(0);
    expect(warm).toBeLessThan(minutes.length);
    // Over a window, warm when a request fell in it or its keep-alive before.
    const at = minutes.find(t => pastReplicasAt(m, replay, t) === 0)!;
    const next = replay.between(
      at.getTime() / 1000,
      at.getTime() / 1000 + 3600,
    );
    expect(pastReplicasAt(m, replay, at, 3600)).toBe(next.count > 0 ? 1 : 0);
  });

  it('is what the backfilled snapshots hold: a scale-to-zero model at zero holds no GPU', async () => {
    const connector = new DemoClusterConnector(fleet, () => new Date(day));
    const m = model('sdxl-base');
    const replay = fleet.traffic.get(m.id)!;
    const idle = minutes.find(t => pastReplicasAt(m, replay, t) === 0)!;
    const busy = minutes.find(t => pastReplicasAt(m, replay, t) === 1)!;
    const at = async (t: Date) => {
      const s = await connector.snapshotAt(m.deployment!.cluster, t);
      const w = s.workloads.find(x => x.name === m.id)!;
      const pool = s.pools.find(p => p.name === m.deployment!.pool)!;
      return { replicas: w.replicas, allocated: pool.gpus.allocated };
    };
    const [a, b] = [await at(idle), await at(busy)];
    expect(a.replicas).toEqual({ desired: 0, ready: 0 });
    expect(b.replicas).toEqual({ desired: 1, ready: 1 });
    expect(b.allocated - a.allocated).toBe(m.deployment!.gpusPerReplica);
  });
});
