/*
 * One consolidation step, as Karpenter simulates it: can the pods of a set
 * of nodes go to the other nodes (delete), or to the other nodes plus one
 * new node cheaper than the set (replace)? Shared by the engine and the
 * Karpenter-style baseline, so that both are held to the same scheduling
 * simulation, disruption budgets and PDBs.
 */
import { FleetState, pack, Target } from './fleet';
import { FleetPod, NodeType } from './types';

export interface StepOption {
  nodes: string[];
  added: Array<{ node: Target; type: NodeType }>;
  placed: Map<string, Target>;
  pods: FleetPod[];
  /** USD per hour saved. */
  saving: number;
}

/**
 * Removing `nodes` (their pods to the other nodes, except `exclude`, and at
 * most one new node of `types` cheaper than they are), or undefined when
 * their pods do not fit or moving them breaks a budget or a PDB.
 */
export function stepOption(
  state: FleetState,
  nodes: string[],
  exclude: ReadonlySet<string>,
  types: NodeType[],
): StepOption | undefined {
  const pods = nodes.flatMap(id => state.podsOn.get(id)!);
  if (!state.disruption.allows(pods)) return undefined;
  const out = new Set([...exclude, ...nodes]);
  const targets = state.others(out);
  const price = nodes.reduce(
    (s, id) => s + state.targets.get(id)!.usdPerHour,
    0,
  );
  const placed = pack(pods, targets);
  if (placed) return { nodes, added: [], placed, pods, saving: price };
  const cheaper = types
    .filter(t => t.usdPerHour < price && state.addable(t) >= 1)
    .sort((a, b) => a.usdPerHour - b.usdPerHour);
  for (const type of cheaper) {
    const node = state.newNode(type);
    const withNew = pack(pods, [...targets, node]);
    if (withNew) {
      return {
        nodes,
        added: [{ node, type }],
        placed: withNew,
        pods,
        saving: price - type.usdPerHour,
      };
    }
  }
  return undefined;
}

/**
 * Karpenter's multi-node search: the longest prefix (at most `max`) of
 * `candidates` that can be removed in one step, by binary search; undefined
 * when not even the first can.
 */
export function longestPrefix(
  state: FleetState,
  candidates: string[],
  max: number,
  exclude: (group: string[]) => ReadonlySet<string>,
  types: NodeType[],
): StepOption | undefined {
  let lo = 1;
  let hi = Math.min(max, candidates.length);
  let best: StepOption | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const group = candidates.slice(0, mid);
    const option = stepOption(state, group, exclude(group), types);
    if (option) {
      best = option;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}
