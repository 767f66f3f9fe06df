/*
 * Consolidation of a running fleet (pure).
 *
 * 1. Empty nodes go first: removing them moves nothing.
 * 2. The target packing: every pod re-placed with the placement engine
 *    (placeModels) onto the fleet's nodes — each a pool of one node at its
 *    price — and onto the node types that may be added, so the target says
 *    which nodes a cheapest fleet keeps and which node types it adds.
 * 3. The moves: the nodes the target drops, best saving per disrupted pod
 *    first (near-empty and dear nodes first), in groups as large as fit
 *    (their pods onto the nodes kept, and at most one new node of the types
 *    the target adds, cheaper than the group); then every other node the
 *    same way, in case the target (a heuristic at fleet scale) kept one
 *    that can go. Pods never land on a node the target drops.
 *
 * Every step is held to the teams' disruption budgets and the models'
 * PodDisruptionBudgets (most pods of a model moved in a pass), and only
 * moves pods off nodes that go: no pod is evicted to make room for another,
 * so a lower-priority pod never displaces a higher one; pods are packed
 * higher priority first.
 */
import {
  HighsSolve,
  PlaceOptions,
  placeModels,
  PlacementPool,
  PlacementRequest,
} from '../placement';
import { FleetState } from './fleet';
import { longestPrefix } from './moves';
import {
  ConsolidationInput,
  ConsolidationResult,
  FleetPod,
  NodeType,
} from './types';

/** The taint that keeps a pod to its allowed pools in the target packing. */
export const POOL_TAINT = 'modelfleet.io/pool';

/** Kept nodes are this much cheaper in the target, so ties keep pods in place. */
const STAY = 1e-4;

/** Most nodes removed in one step (Karpenter's multi-node limit). */
export const MAX_GROUP = 100;

export interface ConsolidateOptions {
  solve: HighsSolve;
  /** Passed to placeModels for the target packing. */
  placement?: Omit<PlaceOptions, 'solve'>;
}

export interface ConsolidationTarget {
  /** Nodes the target keeps, of the non-empty ones. */
  kept: string[];
  /** Node types it adds, with how many. */
  added: Array<{ pool: string; gpu: string; count: number }>;
  monthlyUsd: number;
  method: 'exact' | 'heuristic';
}

const keyOf = (p: FleetPod) =>
  [
    p.model,
    p.units,
    p.memoryMiB,
    p.priority,
    (p.allowedGpus ?? []).join('+'),
    (p.allowedPools ?? []).join('+'),
  ].join('|');

/** The fleet as a placement problem: pods grouped as requests, nodes and node types as pools. */
export function placementProblem(
  state: FleetState,
  nodes: string[],
  types: NodeType[],
): { requests: PlacementRequest[]; pools: PlacementPool[] } {
  const groups = new Map<string, FleetPod[]>();
  for (const id of nodes) {
    for (const p of state.podsOn.get(id)!) {
      groups.set(keyOf(p), [...(groups.get(keyOf(p)) ?? []), p]);
    }
  }
  const podCount = [...groups.values()].reduce((s, g) => s + g.length, 0);
  const requests: PlacementRequest[] = [...groups.entries()].map(
    ([key, pods]) => {
      const p = pods[0];
      return {
        id: key,
        replicas: pods.length,
        gpusPerReplica: p.units,
        memoryMiB: p.memoryMiB,
        ...(p.allowedGpus ? { allowedGpuTypes: p.allowedGpus } : {}),
        spot: 'allow',
        tolerations: p.allowedPools
          ? p.allowedPools.map(v => ({ key: POOL_TAINT, value: v }))
          : [{ key: POOL_TAINT }],
        priority: p.priority,
      };
    },
  );
  const pool = (
    ref: string,
    t: { pool: string; gpu: string; units: number; unitMemoryMiB: number },
    usd: number,
    addable: number,
  ): PlacementPool => ({
    ref,
    provider: 'fleet',
    region: 'fleet',
    capacityType: 'on-demand',
    gpu: { product: t.gpu, memoryMiB: t.unitMemoryMiB, perNode: t.units },
    usdPerNodeHour: usd,
    freeUnits: 0,
    addableNodes: addable,
    taints: [{ key: POOL_TAINT, value: t.pool, effect: 'NoSchedule' }],
  });
  const pools = [
    ...nodes.map(id => {
      const n = state.targets.get(id)!;
      return pool(`node:${id}`, n, n.usdPerHour * (1 - STAY), 1);
    }),
    ...types.map((t, i) =>
      pool(
        `type:${i}`,
        t,
        t.usdPerHour,
        Math.min(t.available ?? Infinity, podCount),
      ),
    ),
  ];
  return { requests, pools };
}

/** Consolidates a running fleet; see the file's comment. */
export function consolidate(
  input: ConsolidationInput,
  options: ConsolidateOptions,
): ConsolidationResult & { target: ConsolidationTarget } {
  const state = new FleetState(input);

  for (const n of input.nodes) {
    if (!state.podsOn.get(n.id)!.length) {
      state.apply([n.id], [], new Map(), 'empty: no pods to move');
    }
  }

  const busy = input.nodes.map(n => n.id).filter(id => state.podsOn.has(id));
  const { requests, pools } = placementProblem(state, busy, input.nodeTypes);
  const placed = placeModels(requests, pools, {
    ...options.placement,
    solve: options.solve,
  });
  const addedBy = new Map(placed.nodes.map(n => [n.pool, n.added]));
  const kept = busy.filter(id => (addedBy.get(`node:${id}`) ?? 0) > 0);
  const targetTypes = input.nodeTypes.filter(
    (_, i) => (addedBy.get(`type:${i}`) ?? 0) > 0,
  );
  const target: ConsolidationTarget = {
    kept,
    added: input.nodeTypes
      .map((t, i) => ({
        pool: t.pool,
        gpu: t.gpu,
        count: addedBy.get(`type:${i}`) ?? 0,
      }))
      .filter(a => a.count > 0),
    monthlyUsd: placed.monthlyUsd,
    method: placed.method,
  };

  // Best saving per disrupted pod first.
  const order = (ids: string[]) =>
    ids
      .map(id => ({
        id,
        score: state.targets.get(id)!.usdPerHour / state.podsOn.get(id)!.length,
      }))
      .sort((a, b) => b.score - a.score)
      .map(x => x.id);
  const keptSet = new Set(kept);
  const run = (
    candidates: string[],
    types: NodeType[],
    why: string,
    avoid: boolean,
  ) => {
    const pending = [...candidates];
    while (pending.length) {
      const option = longestPrefix(
        state,
        pending,
        MAX_GROUP,
        group => {
          if (!avoid) return new Set();
          const g = new Set(group);
          return new Set(pending.filter(id => !g.has(id)));
        },
        types,
      );
      if (!option) {
        pending.shift(); // it stays: a target for the pods of the others
        continue;
      }
      state.apply(
        option.nodes,
        option.added,
        option.placed,
        option.added.length
          ? `${why}: replaced by one cheaper node`
          : `${why}: its pods fit on the other nodes`,
      );
      pending.splice(0, option.nodes.length);
    }
  };
  run(
    order(busy.filter(id => !keptSet.has(id))),
    targetTypes,
    'the target packing drops it',
    true,
  );
  run(
    order(busy.filter(id => keptSet.has(id) && state.podsOn.has(id))),
    input.nodeTypes,
    'a node the target keeps',
    false,
  );
  return { ...state.result(), target };
}
