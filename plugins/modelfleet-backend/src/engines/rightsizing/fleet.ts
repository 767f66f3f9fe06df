/*
 * The running fleet as the consolidation engine and its baseline see it:
 * input checks that name the field, free units per node, whether a pod fits
 * a node, a packing simulation (best fit), and the disruption ledger
 * (PodDisruptionBudgets and the teams' budgets).
 */
import { HOURS_PER_MONTH } from '../placement';
import {
  ConsolidationInput,
  ConsolidationResult,
  ConsolidationStep,
  DisruptionBudget,
  FleetPod,
  NodeType,
} from './types';

/** What a pod can be placed on: a node of the fleet, or one added. */
export interface Target {
  id: string;
  pool: string;
  gpu: string;
  unitMemoryMiB: number;
  usdPerHour: number;
  units: number;
  free: number;
}

const bad = (field: string, what: string, got: unknown) =>
  new TypeError(`${field} must be ${what}, got ${JSON.stringify(got)}`);

function checkNumber(
  field: string,
  v: unknown,
  opts: { integer?: boolean; positive?: boolean } = {},
) {
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (opts.positive ? v > 0 : v >= 0) &&
    (!opts.integer || Number.isInteger(v));
  if (!ok) {
    throw bad(
      field,
      `a ${opts.integer ? 'whole ' : ''}number ${
        opts.positive ? '> 0' : '≥ 0'
      }`,
      v,
    );
  }
}

function checkBudget(field: string, b: DisruptionBudget) {
  if (b.pods !== undefined)
    checkNumber(`${field}.pods`, b.pods, { integer: true });
  if (b.percent !== undefined) {
    checkNumber(`${field}.percent`, b.percent);
    if (b.percent > 100)
      throw bad(`${field}.percent`, 'at most 100', b.percent);
  }
}

/** Throws a TypeError naming the first bad field of the input. */
export function validateFleet(input: ConsolidationInput) {
  const ids = new Set<string>();
  const free = new Map<string, number>();
  input.nodes.forEach((n, i) => {
    const f = `nodes[${i}]`;
    if (typeof n.id !== 'string' || !n.id) throw bad(`${f}.id`, 'a name', n.id);
    if (ids.has(n.id)) throw bad(`${f}.id`, 'unique', n.id);
    ids.add(n.id);
    checkNumber(`${f}.units`, n.units, { integer: true, positive: true });
    checkNumber(`${f}.unitMemoryMiB`, n.unitMemoryMiB, { positive: true });
    checkNumber(`${f}.usdPerHour`, n.usdPerHour);
    free.set(n.id, n.units);
  });
  input.nodeTypes.forEach((t: NodeType, i) => {
    const f = `nodeTypes[${i}]`;
    checkNumber(`${f}.units`, t.units, { integer: true, positive: true });
    checkNumber(`${f}.unitMemoryMiB`, t.unitMemoryMiB, { positive: true });
    checkNumber(`${f}.usdPerHour`, t.usdPerHour);
    if (t.available !== undefined) {
      checkNumber(`${f}.available`, t.available, { integer: true });
    }
  });
  const podIds = new Set<string>();
  input.pods.forEach((p: FleetPod, i) => {
    const f = `pods[${i}]`;
    if (typeof p.id !== 'string' || !p.id) throw bad(`${f}.id`, 'a name', p.id);
    if (podIds.has(p.id)) throw bad(`${f}.id`, 'unique', p.id);
    podIds.add(p.id);
    if (!free.has(p.node)) throw bad(`${f}.node`, 'a node of nodes[]', p.node);
    checkNumber(`${f}.units`, p.units, { integer: true, positive: true });
    checkNumber(`${f}.memoryMiB`, p.memoryMiB);
    if (typeof p.priority !== 'number' || !Number.isFinite(p.priority)) {
      throw bad(`${f}.priority`, 'a number', p.priority);
    }
    if (typeof p.team !== 'string' || !p.team)
      throw bad(`${f}.team`, 'a name', p.team);
    if (typeof p.model !== 'string' || !p.model) {
      throw bad(`${f}.model`, 'a name', p.model);
    }
    const left = free.get(p.node)! - p.units;
    if (left < 0) {
      throw bad(
        `${f}.units`,
        `within the free units of node ${p.node} (the pods on it ask for more than its units)`,
        p.units,
      );
    }
    free.set(p.node, left);
  });
  for (const [model, k] of Object.entries(input.maxUnavailable ?? {})) {
    checkNumber(`maxUnavailable.${model}`, k, { integer: true });
  }
  for (const [team, b] of Object.entries(input.budgets ?? {})) {
    checkBudget(`budgets.${team}`, b);
  }
  if (input.defaultBudget) checkBudget('defaultBudget', input.defaultBudget);
  if (input.maxPodsMoved !== undefined) {
    checkNumber('maxPodsMoved', input.maxPodsMoved, { integer: true });
  }
}

/** Whether a pod may run on a target with `free` units left. */
export function fits(pod: FleetPod, t: Omit<Target, 'free'>, free: number) {
  return (
    pod.units <= free &&
    pod.units * t.unitMemoryMiB >= pod.memoryMiB &&
    (!pod.allowedGpus || pod.allowedGpus.includes(t.gpu)) &&
    (!pod.allowedPools || pod.allowedPools.includes(t.pool))
  );
}

/** Pods in packing order: higher priority first, then larger. */
export const packingOrder = (pods: FleetPod[]) =>
  [...pods].sort((a, b) => b.priority - a.priority || b.units - a.units);

/**
 * Best fit of `pods` onto `targets` (the target left with the fewest free
 * units): the target of each pod, or undefined when one does not fit. The
 * targets' `free` are not changed.
 */
export function pack(
  pods: FleetPod[],
  targets: Target[],
): Map<string, Target> | undefined {
  const free = new Map(targets.map(t => [t.id, t.free]));
  const out = new Map<string, Target>();
  for (const p of packingOrder(pods)) {
    let best: Target | undefined;
    for (const t of targets) {
      const f = free.get(t.id)!;
      if (fits(p, t, f) && (!best || f < free.get(best.id)!)) best = t;
    }
    if (!best) return undefined;
    free.set(best.id, free.get(best.id)! - p.units);
    out.set(p.id, best);
  }
  return out;
}

/** Budgets of a pass: pods each team and each model may still move. */
export class Disruption {
  readonly budget = new Map<string, number>();
  readonly moved = new Map<string, number>();
  private readonly modelMoved = new Map<string, number>();
  private total = 0;

  constructor(private readonly input: ConsolidationInput) {
    const perTeam = new Map<string, number>();
    for (const p of input.pods)
      perTeam.set(p.team, (perTeam.get(p.team) ?? 0) + 1);
    for (const [team, n] of perTeam) {
      const b = input.budgets?.[team] ?? input.defaultBudget;
      let limit = Infinity;
      if (b?.pods !== undefined) limit = b.pods;
      if (b?.percent !== undefined) {
        limit = Math.min(limit, Math.max(1, Math.floor((n * b.percent) / 100)));
      }
      this.budget.set(team, limit);
      this.moved.set(team, 0);
    }
  }

  /** Whether moving all of `pods` stays within every budget and PDB. */
  allows(pods: FleetPod[]): boolean {
    if (this.total + pods.length > (this.input.maxPodsMoved ?? Infinity)) {
      return false;
    }
    const team = new Map<string, number>();
    const model = new Map<string, number>();
    for (const p of pods) {
      team.set(p.team, (team.get(p.team) ?? 0) + 1);
      model.set(p.model, (model.get(p.model) ?? 0) + 1);
    }
    for (const [t, k] of team) {
      if (this.moved.get(t)! + k > this.budget.get(t)!) return false;
    }
    for (const [m, k] of model) {
      const max = this.input.maxUnavailable?.[m];
      if (max !== undefined && (this.modelMoved.get(m) ?? 0) + k > max)
        return false;
    }
    return true;
  }

  commit(pods: FleetPod[]) {
    this.total += pods.length;
    for (const p of pods) {
      this.moved.set(p.team, this.moved.get(p.team)! + 1);
      this.modelMoved.set(p.model, (this.modelMoved.get(p.model) ?? 0) + 1);
    }
  }
}

/** The fleet as consolidation changes it: nodes, added nodes, pods per node. */
export class FleetState {
  readonly targets = new Map<string, Target>();
  readonly podsOn = new Map<string, FleetPod[]>();
  readonly removed: string[] = [];
  readonly added: Array<{ id: string; pool: string; usdPerHour: number }> = [];
  readonly steps: ConsolidationStep[] = [];
  readonly disruption: Disruption;
  private readonly addedOfType = new Map<NodeType, number>();

  constructor(readonly input: ConsolidationInput) {
    validateFleet(input);
    for (const n of input.nodes) {
      this.targets.set(n.id, { ...n, free: n.units });
      this.podsOn.set(n.id, []);
    }
    for (const p of input.pods) {
      this.targets.get(p.node)!.free -= p.units;
      this.podsOn.get(p.node)!.push(p);
    }
    this.disruption = new Disruption(input);
  }

  /** Nodes of node type `t` that may still be added. */
  addable(t: NodeType): number {
    return (t.available ?? Infinity) - (this.addedOfType.get(t) ?? 0);
  }

  /** A node of type `t` to add (not yet in the fleet). */
  newNode(t: NodeType): Target {
    return {
      id: `new-${this.added.length + 1}-${t.pool}`,
      pool: t.pool,
      gpu: t.gpu,
      unitMemoryMiB: t.unitMemoryMiB,
      usdPerHour: t.usdPerHour,
      units: t.units,
      free: t.units,
    };
  }

  /**
   * Removes `nodes`, adds `added` (of their types), and moves the pods of
   * the removed nodes where `placed` says.
   */
  apply(
    nodes: string[],
    added: Array<{ node: Target; type: NodeType }>,
    placed: Map<string, Target>,
    reason: string,
  ) {
    for (const { node, type } of added) {
      this.targets.set(node.id, { ...node });
      this.podsOn.set(node.id, []);
      this.added.push({
        id: node.id,
        pool: node.pool,
        usdPerHour: node.usdPerHour,
      });
      this.addedOfType.set(type, (this.addedOfType.get(type) ?? 0) + 1);
    }
    const moves: ConsolidationStep['moves'] = [];
    const moved: FleetPod[] = [];
    for (const id of nodes) {
      for (const p of this.podsOn.get(id)!) {
        const to = placed.get(p.id)!;
        this.targets.get(to.id)!.free -= p.units;
        this.podsOn.get(to.id)!.push(p);
        moves.push({
          pod: p.id,
          model: p.model,
          team: p.team,
          from: id,
          to: to.id,
        });
        moved.push(p);
      }
    }
    this.disruption.commit(moved);
    let saving = 0;
    for (const id of nodes) {
      saving += this.targets.get(id)!.usdPerHour;
      this.targets.delete(id);
      this.podsOn.delete(id);
      this.removed.push(id);
    }
    saving -= added.reduce((s, a) => s + a.node.usdPerHour, 0);
    this.steps.push({
      removed: nodes,
      added: added.map(a => ({
        id: a.node.id,
        pool: a.node.pool,
        usdPerHour: a.node.usdPerHour,
      })),
      moves,
      monthlySavingUsd: saving * HOURS_PER_MONTH,
      reason,
    });
  }

  /** Targets other than `except`. */
  others(except: ReadonlySet<string>): Target[] {
    return [...this.targets.values()].filter(t => !except.has(t.id));
  }

  result(): ConsolidationResult {
    const before = this.input.nodes.reduce((s, n) => s + n.usdPerHour, 0);
    const after = [...this.targets.values()].reduce(
      (s, n) => s + n.usdPerHour,
      0,
    );
    const budgetUse: ConsolidationResult['budgetUse'] = {};
    for (const [team, budget] of this.disruption.budget) {
      budgetUse[team] = { moved: this.disruption.moved.get(team)!, budget };
    }
    return {
      steps: this.steps,
      nodesRemoved: [...this.removed],
      nodesAdded: [...this.added],
      podsMoved: this.steps.reduce((s, x) => s + x.moves.length, 0),
      monthlyUsdBefore: before * HOURS_PER_MONTH,
      monthlyUsdAfter: after * HOURS_PER_MONTH,
      budgetUse,
    };
  }
}
