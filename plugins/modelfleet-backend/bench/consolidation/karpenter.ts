/*
 * The baseline: consolidation as Karpenter's disruption controller does it
 * (kubernetes-sigs/karpenter pkg/controllers/disruption: emptiness.go,
 * multinodeconsolidation.go, singlenodeconsolidation.go, helpers.go), on
 * the same fleet, scheduling simulation, disruption budgets and PDBs as the
 * engine:
 *
 * - emptiness: every node without pods is deleted;
 * - then, one command at a time, re-evaluated after each:
 *   - candidates: the nodes with pods whose pods may all be moved (budgets,
 *     PDBs), sorted by disruption cost ascending — the sum over the node's
 *     pods of EvictionCost (1 + priority ÷ 2^25, clamped to [-10, 10]) times
 *     the node's remaining lifetime (1: no expiry here);
 *   - multi-node consolidation: the longest prefix of the candidates (at
 *     most 100), found by binary search, whose pods fit on the other nodes
 *     plus at most one new node cheaper than the prefix;
 *   - single-node consolidation, when that finds fewer than two: the first
 *     candidate whose pods fit on the other nodes (delete) or on them plus
 *     one new node cheaper than it (replace).
 * - it stops when no candidate can be removed.
 *
 * Karpenter's budgets count nodes per NodePool; here both methods are held to
 * the same per-team budget of pods moved, which is the comparison asked for.
 */
import { FleetState } from '../../src/engines/rightsizing/fleet';
import { longestPrefix, stepOption } from '../../src/engines/rightsizing/moves';
import {
  ConsolidationInput,
  ConsolidationResult,
  FleetPod,
} from '../../src/engines/rightsizing/types';

/** Karpenter's EvictionCost of a pod without a deletion-cost annotation. */
export function evictionCost(p: FleetPod): number {
  return Math.min(10, Math.max(-10, 1 + p.priority / 2 ** 25));
}

export function karpenterConsolidate(
  input: ConsolidationInput,
): ConsolidationResult {
  const state = new FleetState(input);
  for (const n of input.nodes) {
    if (!state.podsOn.get(n.id)!.length) {
      state.apply([n.id], [], new Map(), 'emptiness');
    }
  }
  const none = new Set<string>();
  for (;;) {
    const candidates = [...state.podsOn.entries()]
      .filter(([, pods]) => pods.length && state.disruption.allows(pods))
      .map(([id, pods]) => ({
        id,
        cost: pods.reduce((s, p) => s + evictionCost(p), 0),
      }))
      .sort((a, b) => a.cost - b.cost)
      .map(c => c.id);
    if (!candidates.length) break;
    const multi = longestPrefix(
      state,
      candidates,
      100,
      () => none,
      input.nodeTypes,
    );
    if (multi && multi.nodes.length >= 2) {
      state.apply(multi.nodes, multi.added, multi.placed, 'multi-node');
      continue;
    }
    let single;
    for (const id of candidates) {
      single = stepOption(state, [id], none, input.nodeTypes);
      if (single) break;
    }
    if (!single) break;
    state.apply(single.nodes, single.added, single.placed, 'single-node');
  }
  return state.result();
}
