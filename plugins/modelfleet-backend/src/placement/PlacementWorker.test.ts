import {
  placeModels,
  PlacementPool,
  PlacementRequest,
} from '../engines/placement';
import { seededRandom } from '../engines/random';
import {
  GIB,
  loadHighs,
  testPool,
  testRequest,
} from '../engines/placement/__testUtils__/instances';
import { ConsolidationInput } from '../engines/rightsizing';
import { testNode, testPod } from '../engines/rightsizing/__testUtils__/fleet';
import { inProcessConsolidator, PlacementWorker } from './PlacementWorker';

const pool = (ref: string, over: Partial<PlacementPool> = {}) =>
  testPool(ref, {
    gpu: { product: 'L4', memoryMiB: 24 * GIB, perNode: 4 },
    usdPerNodeHour: 3.6,
    ...over,
  });
const request = (id: string, over: Partial<PlacementRequest> = {}) =>
  testRequest(id, { replicas: 5, ...over });

/** A fleet-sized problem: 2,000 replicas over 320 pools, seeded. */
function fleet() {
  const random = seededRandom(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'];
  const products = ['T4', 'L4', 'A10G', 'A100'];
  const pools = Array.from({ length: 320 }, (_, j) =>
    pool(`p${j}`, {
      region: pick(regions),
      capacityType: random() < 0.4 ? 'spot' : 'on-demand',
      gpu: {
        product: pick(products),
        memoryMiB: pick([16, 24, 40, 80]) * GIB,
        perNode: pick([1, 2, 4, 8]),
        replicasPerGpu: pick([1, 4]),
      },
      usdPerNodeHour: 0.5 + random() * 30,
      addableNodes: Math.floor(random() * 6),
      freeUnits: Math.floor(random() * 3),
    }),
  );
  const requests: PlacementRequest[] = [];
  for (let left = 2000; left > 0; ) {
    const replicas = Math.min(left, 1 + Math.floor(random() * 8));
    left -= replicas;
    requests.push(
      request(`m${requests.length}`, {
        replicas,
        gpusPerReplica: pick([1, 1, 2, 4]),
        memoryMiB: pick([4, 8, 12]) * GIB,
        spot: pick(['allow', 'forbid'] as const),
        ...(random() < 0.3 ? { regions: [pick(regions)] } : {}),
        ...(random() < 0.3 ? { allowedGpuTypes: [pick(products)] } : {}),
        priority: pick([0, 1, 2]),
      }),
    );
  }
  return { requests, pools };
}

describe('PlacementWorker', () => {
  let worker: PlacementWorker;
  beforeEach(() => {
    worker = new PlacementWorker();
  });
  afterEach(() => worker.close());

  it('answers what placeModels answers in this thread', async () => {
    const solve = await loadHighs();
    const requests = [request('a'), request('b', { gpusPerReplica: 2 })];
    const pools = [
      pool('x4'),
      pool('x1', {
        gpu: { product: 'L4', memoryMiB: 24 * GIB, perNode: 1 },
        usdPerNodeHour: 1,
      }),
    ];
    const inThread = placeModels(requests, pools, { solve });
    await expect(worker.place(requests, pools)).resolves.toEqual(inThread);
    const options = { exactMaxVariables: 0, unplacedUsdPerReplica: 500 };
    await expect(worker.place(requests, pools, options)).resolves.toEqual(
      placeModels(requests, pools, { ...options, solve }),
    );
  });

  it('consolidates a fleet as the engine does in this thread, queued with the placements', async () => {
    const input: ConsolidationInput = {
      nodes: [testNode('e'), testNode('x'), testNode('y')],
      pods: [testPod('x1', 'x'), testPod('y1', 'y'), testPod('y2', 'y')],
      nodeTypes: [],
    };
    const inThread = await inProcessConsolidator(loadHighs).consolidate(input);
    // The empty node goes, and one of the two others' pods join the other.
    expect(inThread.nodesRemoved).toHaveLength(2);
    expect(inThread.nodesRemoved).toContain('e');
    const [placed, consolidated] = await Promise.all([
      worker.place([request('a')], [pool('x4')]),
      worker.consolidate(input),
    ]);
    expect(placed.decisions[0].unplaced).toBe(0);
    expect(consolidated).toEqual(inThread);
  });

  it("rejects with the engine's error, and keeps serving", async () => {
    await expect(
      worker.place([request('m'), request('m')], [pool('x4')]),
    ).rejects.toThrow("requests[1].id 'm' appears twice");
    await expect(
      worker.place([request('m')], [pool('x4')], { searchIterations: -1 }),
    ).rejects.toThrow('options.searchIterations must be a number ≥ 0');
    // A request that cannot be copied to the worker.
    await expect(
      worker.place(
        [{ ...request('m'), priority: (() => 1) as unknown as number }],
        [pool('x4')],
      ),
    ).rejects.toThrow(/could not be cloned/);
    const r = await worker.place([request('m')], [pool('x4')]);
    expect(r.decisions[0].unplaced).toBe(0);
  });

  it("keeps the caller's event loop ticking during a fleet-wide solve", async () => {
    const { requests, pools } = fleet();
    // Warm: the worker started and HiGHS loaded.
    await worker.place([request('m')], [pool('x4')]);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      // The heuristic alone: its LP and local search last well past a tick.
      const r = await worker.place(requests, pools, {
        exactMaxVariables: 0,
        restrictedMaxVariables: 0,
      });
      expect(r.decisions).toHaveLength(requests.length);
      // Blocking this thread for the solve would let no tick run before
      // the result arrived.
      expect(ticks).toBeGreaterThan(5);
    } finally {
      clearInterval(timer);
    }
  }, 60_000);

  it('queues placements and rejects what is queued when closed', async () => {
    const { requests, pools } = fleet();
    const all = [1, 2, 3].map(() =>
      worker.place(requests, pools, {
        exactMaxVariables: 0,
        restrictedMaxVariables: 0,
      }),
    );
    const checks = all.map(p =>
      expect(p).rejects.toThrow('the placement worker is closed'),
    );
    await worker.close();
    await Promise.all(checks);
    await expect(worker.place([request('m')], [pool('x4')])).rejects.toThrow(
      'the placement worker is closed',
    );
  });
});
