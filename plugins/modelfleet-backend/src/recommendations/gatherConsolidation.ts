/*
 * Consolidation of the running fleet: the GPU nodes of each cluster and
 * the model pods on them (as the cluster sync stored them), priced as the
 * placement service prices their pools, re-packed by the consolidation
 * engine (`engines/rightsizing`, `consolidate`) within the teams'
 * disruption budgets and the models' PodDisruptionBudgets (as the cluster
 * reports them, else as ModelFleet renders them), and turned into
 * recommendations per pool (gatherConsolidationFindings.ts).
 *
 * Pods do not move between clusters, so each cluster is its own problem.
 * Whole empty pools (no GPU unit requested) are empty capacity's, not
 * consolidation's: their nodes are neither removed nor filled here.
 */
import {
  GpuPoolStatus,
  ModelWorkloadsResponse,
  PlatformPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import { StoredModelPod, StoredNode } from '../database/FleetStateStore';
import { ConsolidationRunner } from '../placement/PlacementWorker';
import {
  ConsolidationInput,
  DisruptionBudget,
  FleetNode,
  FleetPod,
  NodeType,
} from '../engines/rightsizing';
import {
  PlacementCandidateSources,
  placementCandidates,
} from '../placement/candidates';
import { ModelLookup } from '../showback/ModelDirectory';
import { Finding } from './fromActions';
import { poolRefOf } from './gather';
import { consolidationFindings, UNOWNED } from './gatherConsolidationFindings';
import { EntityNames } from './names';

type Workload = ModelWorkloadsResponse['items'][number];

/** Units of one node of a pool: GPUs, or slices when shared. */
const shareOf = (p: GpuPoolStatus) =>
  p.gpu.sharing === 'whole' ? 1 : p.gpu.replicasPerGpu ?? 1;

/** A pool's price and room to grow, by its GpuPool ref. */
export type PoolPrices = Map<
  string,
  { usdPerNodeHour: number | null; addableNodes: number }
>;

/** What the engine is given for one cluster, and what the words need. */
export interface ClusterProblem {
  cluster: string;
  input: ConsolidationInput;
  pools: Map<string, GpuPoolStatus>;
  /** Model and team refs of each pod id (`namespace/name`). */
  owners: Map<string, { modelRef: string; teamRef: string }>;
  /** Nodes left out, and why, in words. */
  left: string[];
  /**
   * The PodDisruptionBudgets the cluster reports for a model's workloads,
   * by model ref: the budgets' names, and the fewest disruptions they
   * allow now. A model not here is planned with the budget ModelFleet
   * renders for it.
   */
  observedBudgets: Map<string, ObservedBudget>;
}

/** The PodDisruptionBudgets the cluster reports for one model's workloads. */
export interface ObservedBudget {
  names: string[];
  disruptionsAllowed: number;
}

/** Karpenter-like budget of a team's policy. */
export function budgetOf(c: PlatformPolicy['consolidation']): DisruptionBudget {
  return {
    ...(c.maxDisruptedPods !== null ? { pods: c.maxDisruptedPods } : {}),
    percent: c.maxDisruptedPercent,
  };
}

/**
 * The most pods of a model moved at once under the PodDisruptionBudget
 * ModelFleet renders for it: `minAvailable: min − 1` when its
 * `spec.replicas.min` is 2 or more, else `maxUnavailable: 1`.
 */
export function renderedMaxUnavailable(
  running: number,
  minReplicas: number | undefined,
): number {
  if (minReplicas !== undefined && minReplicas >= 2) {
    return Math.max(0, running - (minReplicas - 1));
  }
  return 1;
}

/**
 * The PodDisruptionBudgets the workloads of one cluster report, by model
 * ref: their names, and the fewest disruptions any of them allows now.
 */
export function observedBudgets(
  workloads: Iterable<Workload>,
  lookup: ModelLookup,
): Map<string, ObservedBudget> {
  const out = new Map<string, ObservedBudget>();
  for (const w of workloads) {
    if (!w.disruptionBudget) continue;
    const { modelRef } = lookup(w);
    const seen = out.get(modelRef);
    out.set(modelRef, {
      names: [
        ...new Set([...(seen?.names ?? []), ...w.disruptionBudget.names]),
      ].sort(),
      disruptionsAllowed: Math.min(
        seen?.disruptionsAllowed ?? Infinity,
        w.disruptionBudget.disruptionsAllowed,
      ),
    });
  }
  return out;
}

/** The consolidation problem of one cluster. Pure. */
export function clusterProblem(args: {
  cluster: string;
  nodes: StoredNode[];
  pods: StoredModelPod[];
  pools: GpuPoolStatus[];
  workloads: Workload[];
  prices: PoolPrices;
  lookup: ModelLookup;
  policyOf: (teamRef: string) => PlatformPolicy['consolidation'];
  names: EntityNames;
}): ClusterProblem {
  const { cluster } = args;
  const pools = new Map(
    args.pools.filter(p => p.cluster === cluster).map(p => [p.name, p]),
  );
  const workloads = new Map(
    args.workloads
      .filter(w => w.cluster === cluster)
      .map(w => [`${w.namespace}/${w.kind}/${w.name}`, w]),
  );
  const left: string[] = [];
  const leave = (what: string[], why: string) => {
    if (what.length) left.push(`${what.join(', ')} (${why})`);
  };

  // Pods and their owners first: a node's units must hold its model pods.
  const owners = new Map<string, { modelRef: string; teamRef: string }>();
  const podsOn = new Map<string, StoredModelPod[]>();
  const running = new Map<string, number>();
  for (const p of args.pods) {
    if (p.workload.cluster !== cluster) continue;
    const w = workloads.get(
      `${p.workload.namespace}/${p.workload.kind}/${p.workload.name}`,
    );
    if (!w) continue;
    const owner = args.lookup(w);
    owners.set(`${p.workload.namespace}/${p.name}`, owner);
    running.set(owner.modelRef, (running.get(owner.modelRef) ?? 0) + 1);
    const on = podsOn.get(p.node);
    if (on) on.push(p);
    else podsOn.set(p.node, [p]);
  }

  const nodes: FleetNode[] = [];
  const bad = { cordoned: [], other: [], unpriced: [], unknown: [] } as Record<
    string,
    string[]
  >;
  const unitMemory = new Map<string, number>();
  for (const n of args.nodes) {
    if (n.cluster !== cluster) continue;
    const pool = pools.get(n.pool);
    if (!pool || pool.stale || pool.gpus.allocated === 0) continue;
    const price = args.prices.get(poolRefOf(pool))?.usdPerNodeHour;
    const memory =
      n.unitMemoryMiB ??
      (pool.gpu.memoryMiB
        ? Math.floor(pool.gpu.memoryMiB / shareOf(pool))
        : undefined);
    const used = (podsOn.get(n.name) ?? []).reduce((s, p) => s + p.gpuUnits, 0);
    if (n.cordoned) bad.cordoned.push(n.name);
    else if (n.otherGpuUnits) bad.other.push(n.name);
    else if (price === null || price === undefined) bad.unpriced.push(n.name);
    else if (!memory || n.gpuUnits <= 0 || used > n.gpuUnits) {
      bad.unknown.push(n.name);
    } else {
      nodes.push({
        id: n.name,
        pool: n.pool,
        gpu: pool.gpu.product,
        units: n.gpuUnits,
        unitMemoryMiB: memory,
        usdPerHour: price,
      });
      unitMemory.set(n.name, memory);
    }
  }
  leave(bad.cordoned, 'cordoned: being drained already');
  leave(
    bad.other,
    'GPU pods of no model run there, which ModelFleet does not move',
  );
  leave(bad.unpriced, 'their pool has no price');
  leave(
    bad.unknown,
    'their GPU units or memory are not known, or their pods ask for more units than they have',
  );

  const kept = new Set(nodes.map(n => n.id));
  // A pod not pinned to its pool may go to the cluster's pools of the same
  // GPU and capacity type; consolidation does not change a model's GPU.
  const poolOf = new Map(nodes.map(n => [n.id, pools.get(n.pool)!]));
  const usedPools = [...new Set(nodes.map(n => n.pool))];
  const alikeOf = new Map<string, string[]>();
  const alike = (p: GpuPoolStatus) => {
    let names = alikeOf.get(p.name);
    if (!names) {
      names = usedPools.filter(name => {
        const q = pools.get(name)!;
        return (
          q.gpu.product === p.gpu.product && q.capacityType === p.capacityType
        );
      });
      alikeOf.set(p.name, names);
    }
    return names;
  };
  const pods: FleetPod[] = [];
  for (const [node, on] of podsOn) {
    if (!kept.has(node)) continue;
    for (const p of on) {
      if (p.gpuUnits <= 0) continue;
      const id = `${p.workload.namespace}/${p.name}`;
      const owner = owners.get(id)!;
      pods.push({
        id,
        model: owner.modelRef,
        team: owner.teamRef || UNOWNED,
        node,
        units: p.gpuUnits,
        memoryMiB: p.gpuUnits * unitMemory.get(node)!,
        priority: p.priority,
        allowedPools: p.pinnedPool ? [p.pinnedPool] : alike(poolOf.get(node)!),
      });
    }
  }

  // Nodes that may be added: one more of a pool the cluster runs, priced.
  const nodeTypes: NodeType[] = [];
  for (const name of new Set(nodes.map(n => n.pool))) {
    const pool = pools.get(name)!;
    const price = args.prices.get(poolRefOf(pool))!;
    nodeTypes.push({
      pool: name,
      gpu: pool.gpu.product,
      units: pool.gpu.perNode * shareOf(pool),
      unitMemoryMiB: pool.gpu.memoryMiB
        ? Math.floor(pool.gpu.memoryMiB / shareOf(pool))
        : Math.min(
            ...nodes.filter(n => n.pool === name).map(n => n.unitMemoryMiB),
          ),
      usdPerHour: price.usdPerNodeHour!,
      available: price.addableNodes,
    });
  }

  const teams = new Set(pods.map(p => p.team));
  const budgets: Record<string, DisruptionBudget> = {};
  for (const t of teams) {
    budgets[t] = budgetOf(args.policyOf(t === UNOWNED ? '' : t));
  }
  // The budgets the cluster reports are those Apply's evictions meet; a
  // model with none there is planned with the one ModelFleet renders.
  const observed = observedBudgets(workloads.values(), args.lookup);
  const maxUnavailable: Record<string, number> = {};
  for (const m of new Set(pods.map(p => p.model))) {
    maxUnavailable[m] =
      observed.get(m)?.disruptionsAllowed ??
      renderedMaxUnavailable(running.get(m) ?? 0, args.names.minReplicas?.(m));
  }
  return {
    cluster,
    input: { nodes, pods, nodeTypes, budgets, maxUnavailable },
    pools,
    owners,
    left,
    observedBudgets: observed,
  };
}

/**
 * Consolidation recommendations of every cluster whose connector reports
 * its nodes; `covered` names the clusters the engine ran for, whose whole
 * empty pools alone stay with empty capacity.
 */
export async function gatherConsolidation(input: {
  nodes: StoredNode[];
  pods: StoredModelPod[];
  pools: GpuPoolStatus[];
  workloads: Workload[];
  lookup: ModelLookup;
  candidates: PlacementCandidateSources;
  policyOf: (teamRef: string) => PlatformPolicy['consolidation'];
  /** Runs the engine: off the event loop in the backend (the placement worker). */
  consolidator: ConsolidationRunner;
  names: EntityNames;
}): Promise<{ findings: Finding[]; notes: string[]; covered: Set<string> }> {
  const notes: string[] = [];
  const covered = new Set<string>();
  const findings: Finding[] = [];
  const clusters = [...new Set(input.nodes.map(n => n.cluster))].sort();
  if (!clusters.length) {
    notes.push(
      'consolidation: no cluster connector reports its GPU nodes and where the model pods run, so no consolidation is proposed',
    );
    return { findings, notes, covered };
  }
  const priced = await placementCandidates(
    input.pools.filter(p => clusters.includes(p.cluster)),
    input.candidates,
  );
  const prices: PoolPrices = new Map(
    priced.map(c => [
      c.summary.ref,
      {
        usdPerNodeHour: c.pool.usdPerNodeHour,
        addableNodes: c.pool.addableNodes,
      },
    ]),
  );
  for (const cluster of clusters) {
    if (input.nodes.some(n => n.cluster === cluster && n.stale)) {
      notes.push(
        `consolidation: ${cluster} could not be read at the last sync, so its nodes are not consolidated`,
      );
      continue;
    }
    const problem = clusterProblem({ ...input, cluster, prices });
    if (problem.left.length) {
      notes.push(
        `consolidation: nodes of ${cluster} left out: ${problem.left.join(
          '; ',
        )}`,
      );
    }
    try {
      if (problem.input.nodes.length) {
        const result = await input.consolidator.consolidate(problem.input);
        findings.push(...consolidationFindings(problem, result, input.names));
      }
      covered.add(cluster);
    } catch (e) {
      notes.push(`consolidation: ${cluster} could not be consolidated (${e})`);
    }
  }
  return { findings, notes, covered };
}
