/*
 * Pool capacity: the trace cluster's GPUs per type (its supply mix, not its
 * size), scaled so that the GPUs dealt are `headroom` × the scenario's GPU
 * demand, and dealt one node at a time, in a seeded order, only to pools
 * that can take the work:
 *
 * - a trace GPU goes to the catalog GPUs of the same chip (gpus.ts); a GPU
 *   the catalog lacks, or an undisclosed one, is not dealt at all (and is
 *   named), and neither is a GPU none of whose pools can take any replica;
 * - within a GPU, only to pools some replica of the scenario may use (GPU
 *   type, GPU memory, spot, region), so no capacity goes to GPUs too small
 *   for every replica;
 * - a GPU's share is split between its spot and on-demand pools by the
 *   share of the GPU's demand that may run on spot, so that replicas that
 *   may not use spot find their share on on-demand pools.
 */
import {
  PlacementPool,
  PlacementRequest,
  rejectionOf,
} from '../../src/engines/placement';
import { mapGpu, TRACE_GPUS } from './gpus';
import { UNITS_PER_GPU } from './trace';
import { Rng } from './workload';

/** What one capacity type (on-demand or spot) of a GPU received. */
export interface Dealt {
  /** Pools some replica may use. */
  pools: number;
  poolsWithNodes: number;
  nodes: number;
  gpus: number;
  /** GPUs to deal (before whole nodes). */
  budget: number;
}

export interface CapacityRow {
  gpu: string;
  /** Trace GPU types dealt to it, with their GPU counts. */
  from: string[];
  onDemand: Dealt;
  spot: Dealt;
}

export interface Capacity {
  pools: PlacementPool[];
  rows: CapacityRow[];
  /** Dealt GPUs per trace GPU. */
  scale: number;
  /** Trace GPUs not dealt, and why. */
  unused: Array<{ name: string; gpus: number; why: string }>;
  /** The scenario's GPU demand (units ÷ units per GPU). */
  demandGpus: number;
  /** Its part that may not run on spot. */
  onDemandOnlyGpus: number;
  /** GPUs dealt, in all and to on-demand pools. */
  gpus: number;
  onDemandGpus: number;
}

const demandOf = (r: PlacementRequest) =>
  (r.replicas * r.gpusPerReplica) / UNITS_PER_GPU;

export function dealCapacity(
  base: PlacementPool[],
  requests: PlacementRequest[],
  cluster: Map<string, number>,
  headroom: number,
  random: Rng,
): Capacity {
  // Which requests may use each pool, capacity aside.
  const users = base.map(p =>
    requests.filter(r => !rejectionOf(r, { ...p, addableNodes: 1 })),
  );
  const usable = new Map<string, number[]>();
  base.forEach((p, j) => {
    if (!users[j].length) return;
    usable.set(p.gpu.product, [...(usable.get(p.gpu.product) ?? []), j]);
  });
  const catalog = new Set(base.map(p => p.gpu.product));

  const unused: Capacity['unused'] = [];
  const targets = new Map<string, string[]>();
  let supply = 0;
  for (const [name, gpus] of cluster) {
    const m = mapGpu(name, catalog);
    const mine = m.gpus.filter(g => usable.has(g));
    if (m.missing) {
      unused.push({
        name,
        gpus,
        why:
          m.missing === 'unknown GPU'
            ? 'unknown GPU (not in the table, not a catalog GPU)'
            : `the catalog has no ${TRACE_GPUS[m.canonical].join('/')} pool`,
      });
    } else if (!mine.length) {
      unused.push({
        name,
        gpus,
        why: `no ${m.gpus.join('/')} pool can take any replica of the scenario`,
      });
    } else {
      targets.set(name, mine);
      supply += gpus;
    }
  }
  const demandGpus = requests.reduce((s, r) => s + demandOf(r), 0);
  const onDemandOnlyGpus = requests
    .filter(r => r.spot === 'forbid')
    .reduce((s, r) => s + demandOf(r), 0);
  const scale = supply > 0 ? (headroom * demandGpus) / supply : 0;

  const budget = new Map<string, { gpus: number; from: string[] }>();
  for (const [name, gpus] of cluster) {
    const mine = targets.get(name);
    if (!mine) continue;
    const total = mine.reduce((s, g) => s + usable.get(g)!.length, 0);
    for (const g of mine) {
      const b = budget.get(g) ?? { gpus: 0, from: [] };
      b.gpus += (gpus * scale * usable.get(g)!.length) / total;
      b.from.push(`${name} ${gpus.toLocaleString('en-US')}`);
      budget.set(g, b);
    }
  }

  const pools = base.map(p => ({ ...p, addableNodes: 0 }));
  const deal = (order: number[], gpus: number): Dealt => {
    for (let i = order.length - 1; i > 0; i--) {
      const k = Math.floor(random() * (i + 1));
      [order[i], order[k]] = [order[k], order[i]];
    }
    let left = gpus;
    let dealt = true;
    while (dealt) {
      dealt = false;
      for (const j of order) {
        const per = pools[j].gpu.perNode;
        if (left >= per / 2) {
          pools[j].addableNodes++;
          left -= per;
          dealt = true;
        }
      }
    }
    const mine = order.map(j => pools[j]);
    return {
      pools: order.length,
      poolsWithNodes: mine.filter(p => p.addableNodes > 0).length,
      nodes: mine.reduce((s, p) => s + p.addableNodes, 0),
      gpus: mine.reduce((s, p) => s + p.addableNodes * p.gpu.perNode, 0),
      budget: gpus,
    };
  };
  const rows: CapacityRow[] = [];
  for (const [gpu, b] of [...budget.entries()].sort(([x], [y]) =>
    x.localeCompare(y),
  )) {
    const mine = usable.get(gpu)!;
    const spotPools = mine.filter(j => base[j].capacityType === 'spot');
    const onDemandPools = mine.filter(j => base[j].capacityType !== 'spot');
    // The GPU's demand: replicas that may use one of its pools; its spot
    // part: those that may use one of its spot pools.
    const may = (js: number[]) => {
      const rs = new Set(js.flatMap(j => users[j]));
      return [...rs].reduce((s, r) => s + demandOf(r), 0);
    };
    const all = may(mine);
    let spotShare = all > 0 ? may(spotPools) / all : 0;
    if (!onDemandPools.length) spotShare = 1;
    rows.push({
      gpu,
      from: b.from,
      onDemand: deal(onDemandPools, b.gpus * (1 - spotShare)),
      spot: deal(spotPools, b.gpus * spotShare),
    });
  }
  return {
    pools,
    rows,
    scale,
    unused,
    demandGpus,
    onDemandOnlyGpus,
    gpus: rows.reduce((s, r) => s + r.onDemand.gpus + r.spot.gpus, 0),
    onDemandGpus: rows.reduce((s, r) => s + r.onDemand.gpus, 0),
  };
}
