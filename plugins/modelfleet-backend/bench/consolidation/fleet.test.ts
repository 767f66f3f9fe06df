import { PlacementPool } from '../../src/engines/placement';
import { parseBudget } from '../consolidation';
import {
  chooseRegion,
  deal,
  fleetPods,
  priceNodes,
  TracePod,
  tracePods,
} from './fleet';

const pool = (
  region: string,
  product: string,
  perNode: number,
  usd: number,
  over: Partial<PlacementPool> = {},
): PlacementPool => ({
  ref: `${region}-${product}-${perNode}`,
  provider: 'aws',
  region,
  capacityType: 'on-demand',
  gpu: { product, memoryMiB: 16384, perNode, replicasPerGpu: 4 },
  usdPerNodeHour: usd,
  freeUnits: 0,
  addableNodes: 0,
  ...over,
});

describe('the running fleet of bench:consolidation', () => {
  it('chooses the region covering the most trace GPUs, then the cheaper', () => {
    const pools = [
      pool('r1', 'T4', 1, 1),
      pool('r2', 'T4', 1, 0.5),
      pool('r2', 'V100', 1, 3),
      pool('r3', 'T4', 1, 0.4),
      pool('r3', 'V100', 1, 3),
      pool('r4', 'V100', 8, 1, { capacityType: 'spot' }),
    ];
    const gpus = new Map([
      ['T4', 10],
      ['V100M16', 5],
    ]);
    expect(chooseRegion(pools, gpus)).toBe('aws/r3');
  });

  it('prices a node by its machine, else per GPU, and names the nodes left out', () => {
    const pools = [pool('r', 'T4', 1, 0.5), pool('r', 'T4', 4, 4)];
    const priced = priceNodes(
      [
        { name: 'a', gpus: 4, model: 'T4' },
        { name: 'b', gpus: 2, model: 'T4' },
        { name: 'c', gpus: 8, model: 'G2' },
      ],
      pools,
    );
    expect(priced.nodes.map(n => [n.id, n.usdPerHour, n.units])).toEqual([
      ['a', 4, 16],
      ['b', 1, 8],
    ]);
    expect(priced.perGpuPriced).toBe(1);
    expect(priced.leftOut.get('G2')).toEqual({
      nodes: 1,
      why: 'undisclosed or unknown GPU',
    });
    expect(priced.types).toHaveLength(2);
  });

  it('reads the pods, leaving out those that only run on GPUs the fleet lacks', () => {
    const row = (over: Record<string, string>) => ({
      name: 'p',
      num_gpu: '1',
      gpu_milli: '500',
      gpu_spec: '',
      qos: 'LS',
      pod_phase: 'Running',
      creation_time: '10',
      scheduled_time: '10',
      ...over,
    });
    const t = tracePods(
      [
        row({ name: 'a' }),
        row({ name: 'b', gpu_spec: 'G2' }),
        row({ name: 'c', pod_phase: 'Pending', scheduled_time: '' }),
        row({ name: 'd', num_gpu: '0' }),
        row({ name: 'e', gpu_spec: 'T4', pod_phase: 'Succeeded' }),
      ],
      new Set(['T4']),
      new Map([['T4', 16384]]),
    );
    expect(t.pods.map(p => [p.name, p.units, p.memoryMiB, p.finished])).toEqual(
      [
        ['a', 2, 8192, false],
        ['e', 2, 8192, true],
      ],
    );
    expect(t.leftOut).toBe(1);
    expect(t.unscheduled).toBe(1);
  });

  it('deals first fit in creation order, then lets the finished pods leave', () => {
    const nodes = ['n1', 'n2'].map(id => ({
      id,
      pool: 'p',
      gpu: 'T4',
      units: 4,
      unitMemoryMiB: 4096,
      usdPerHour: 1,
    }));
    const p = (
      name: string,
      start: number,
      units: number,
      finished = false,
    ): TracePod => ({
      name,
      units,
      memoryMiB: 0,
      qos: 'LS',
      start,
      finished,
    });
    const d = deal(nodes, [
      p('late', 3, 4),
      p('first', 1, 2, true),
      p('second', 2, 2),
      p('none', 4, 1),
    ]);
    // first and second fill n1, late takes n2, none finds no room; first leaves.
    expect(d.running.map(r => [r.pod.name, r.node])).toEqual([
      ['second', 'n1'],
      ['late', 'n2'],
    ]);
    expect(d).toMatchObject({ admitted: 3, notAdmitted: 1, left: 1 });
  });

  it('groups running pods into models with a PDB and a priority from QoS', () => {
    const running = Array.from({ length: 8 }, (_, i) => ({
      pod: {
        name: `p${i}`,
        units: 4,
        memoryMiB: 0,
        qos: i < 4 ? 'LS' : 'BE',
        start: i,
        finished: false,
      },
      node: 'n',
    }));
    const { pods, maxUnavailable } = fleetPods(running, 1, 3);
    expect(pods).toHaveLength(8);
    for (const [model, k] of Object.entries(maxUnavailable)) {
      const n = pods.filter(p => p.model === model).length;
      expect(k).toBe(Math.max(1, Math.ceil(n / 4)));
    }
    expect(pods.find(p => p.id === 'p0')!.priority).toBe(2);
    expect(pods.find(p => p.id === 'p7')!.priority).toBe(0);
    expect(new Set(pods.map(p => p.team)).size).toBeLessThanOrEqual(3);
  });

  it('reads the budget option', () => {
    expect(parseBudget('10%')).toEqual({ percent: 10 });
    expect(parseBudget('5')).toEqual({ pods: 5 });
    expect(() => parseBudget('1.5')).toThrow(/--budget/);
    expect(() => parseBudget('120%')).toThrow(/at most 100%/);
  });
});
