/*
 * The consolidation engine's result in words: one recommendation per pool
 * whose nodes go (removed, or replaced by cheaper ones), with the saving,
 * the pods moved and their models, the teams' disruption budgets, and how
 * Apply empties the nodes (cordon and drain, through the action path), or
 * why it cannot (the pool's minimum size keeps them). Pure.
 */
import { HOURS_PER_MONTH } from '../engines/placement';
import { ConsolidationResult, PodMove } from '../engines/rightsizing';
import { dollars } from './format';
import { Finding } from './fromActions';
import { poolRefOf, resizeAdvice } from './gather';
import type { ClusterProblem } from './gatherConsolidation';
import { recommendationId } from './ids';
import { EntityNames, poolTitle } from './names';

/** The team key of pods whose model has no owning team. */
export const UNOWNED = 'unowned';

/** `a, b and c`. */
export function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n} ${n === 1 ? one : many}`;

/** What to do, in a line. */
function titleOf(
  pool: string,
  nodes: string[],
  busy: boolean,
  moved: number,
  addedWords: string[],
): string {
  if (!busy) {
    return nodes.length === 1
      ? `Remove the empty node ${nodes[0]} of ${pool}`
      : `Remove ${nodes.length} empty nodes of ${pool}`;
  }
  if (addedWords.length) {
    return `Replace ${plural(nodes.length, 'node')} of ${pool} by ${listWords(
      addedWords,
    )}`;
  }
  return `Remove ${plural(nodes.length, 'node')} of ${pool}, moving ${plural(
    moved,
    'pod',
  )} onto other nodes`;
}

/**
 * Which PodDisruptionBudgets the moves of a pool were planned with: those
 * the cluster reports (named, with what they allow), or, for models with
 * none there, those ModelFleet renders.
 */
export function budgetWords(
  problem: Pick<ClusterProblem, 'observedBudgets'>,
  moves: PodMove[],
  names: EntityNames,
): string {
  const models = [...new Set(moves.map(m => m.model))];
  const reported = models
    .filter(m => problem.observedBudgets.has(m))
    .map(m => {
      const b = problem.observedBudgets.get(m)!;
      const many = b.names.length > 1;
      return `${names.model(m)}: ${listWords(b.names)} ${
        many ? 'allow at most' : 'allows'
      } ${plural(b.disruptionsAllowed, 'disruption')} now`;
    })
    .sort();
  const rendered = 'as ModelFleet renders it (from its spec.replicas.min)';
  if (!reported.length) {
    return `each model's PodDisruptionBudget ${rendered}`;
  }
  const fromCluster = `each model's PodDisruptionBudget as the cluster reports it (${reported.join(
    '; ',
  )})`;
  return reported.length === models.length
    ? fromCluster
    : `${fromCluster} or, where the cluster has none, ${rendered}`;
}

/** What the engine's result says of one pool's nodes. */
interface PoolShare {
  pool: string;
  removed: string[];
  /** $/h of the nodes removed, less the pool's share of the nodes added. */
  usdPerHour: number;
  added: Map<string, number>;
  moves: PodMove[];
}

/**
 * The result split by the pool of each node removed. A step's added node
 * is charged to its removed nodes' pools by their price, and counted for
 * the pool that paid the most of it.
 */
function byPool(
  problem: ClusterProblem,
  result: ConsolidationResult,
): PoolShare[] {
  const node = new Map(problem.input.nodes.map(n => [n.id, n]));
  const shares = new Map<string, PoolShare>();
  const share = (pool: string) => {
    let s = shares.get(pool);
    if (!s) {
      s = { pool, removed: [], usdPerHour: 0, added: new Map(), moves: [] };
      shares.set(pool, s);
    }
    return s;
  };
  for (const step of result.steps) {
    const price = step.removed.reduce(
      (s, id) => s + node.get(id)!.usdPerHour,
      0,
    );
    const paid = new Map<string, number>();
    for (const id of step.removed) {
      const n = node.get(id)!;
      const s = share(n.pool);
      s.removed.push(id);
      const part = price > 0 ? n.usdPerHour / price : 1 / step.removed.length;
      const addedUsd = step.added.reduce((t, a) => t + a.usdPerHour, 0) * part;
      s.usdPerHour += n.usdPerHour - addedUsd;
      paid.set(n.pool, (paid.get(n.pool) ?? 0) + part);
    }
    for (const m of step.moves) share(node.get(m.from)!.pool).moves.push(m);
    if (step.added.length) {
      const payer = [...paid.entries()].sort((a, b) => b[1] - a[1])[0][0];
      for (const a of step.added) {
        const added = share(payer).added;
        added.set(a.pool, (added.get(a.pool) ?? 0) + 1);
      }
    }
  }
  return [...shares.values()].sort((a, b) => a.pool.localeCompare(b.pool));
}

/** The recommendations of one cluster's consolidation. */
export function consolidationFindings(
  problem: ClusterProblem,
  result: ConsolidationResult,
  names: EntityNames,
): Finding[] {
  const { cluster, pools, owners } = problem;
  const title = (pool: string) => poolTitle({ name: pool, cluster });
  const added = new Map(result.nodesAdded.map(a => [a.id, a.pool]));
  const where = (to: string) =>
    added.has(to) ? `a new node of ${title(added.get(to)!)}` : `node ${to}`;
  const podsOn = new Map<string, number>();
  for (const p of problem.input.pods) {
    podsOn.set(p.node, (podsOn.get(p.node) ?? 0) + 1);
  }
  const out: Finding[] = [];
  for (const s of byPool(problem, result)) {
    const pool = pools.get(s.pool)!;
    const poolRef = poolRefOf(pool);
    const nodes = [...s.removed].sort();
    const monthly = s.usdPerHour * HOURS_PER_MONTH;
    const models = [
      ...new Set(s.moves.map(m => names.model(owners.get(m.pod)!.modelRef))),
    ].sort();
    const empty = nodes.filter(n => !podsOn.get(n));
    const busy = nodes.filter(n => podsOn.get(n));
    const addedWords = [...s.added.entries()].map(
      ([p, n]) => `${n === 1 ? 'a node' : `${n} nodes`} of ${title(p)}`,
    );

    const nodePrice = problem.input.nodes.find(n => n.pool === s.pool)!;
    const evidence = [
      `${title(s.pool)} runs ${plural(pool.nodes.current, 'node')} of ${
        pool.gpu.perNode
      } × ${pool.gpu.product} at ${dollars(
        nodePrice.usdPerHour * HOURS_PER_MONTH,
      )} a month each; its pods request ${pool.gpus.allocated} of its ${
        pool.gpus.allocatable
      } GPU units.`,
    ];
    if (empty.length) {
      evidence.push(
        `${listWords(empty)} ${
          empty.length === 1 ? 'holds' : 'hold'
        } no model pod now.`,
      );
    }
    for (const n of busy) {
      const moves = s.moves.filter(m => m.from === n);
      const to = [...new Set(moves.map(m => where(m.to)))];
      const of = [
        ...new Set(moves.map(m => names.model(owners.get(m.pod)!.modelRef))),
      ];
      evidence.push(
        `${n} runs ${plural(moves.length, 'pod')} of ${listWords(of)}, which ${
          moves.length === 1 ? 'fits' : 'fit'
        } on ${listWords(to)}.`,
      );
    }
    if (addedWords.length) {
      evidence.push(
        `In their place ${listWords(addedWords)} ${
          s.added.size === 1 && [...s.added.values()][0] === 1 ? 'is' : 'are'
        } added, cheaper than the nodes it replaces.`,
      );
    }
    const teams = [...new Set(s.moves.map(m => m.team))].sort();
    if (teams.length) {
      evidence.push(
        `Within the disruption budgets (policy consolidation.maxDisruptedPods and maxDisruptedPercent): ${listWords(
          teams.map(t => {
            const use = result.budgetUse[t];
            const team = t === UNOWNED ? 'models with no team' : names.team(t);
            return `${team} ${use.moved} of at most ${
              Number.isFinite(use.budget) ? use.budget : 'any number of'
            } pod(s) this pass`;
          }),
        )}; and ${budgetWords(problem, s.moves, names)}.`,
      );
    }

    // The emptied nodes go only if the pool's minimum size lets them.
    const kept =
      pool.nodes.min !== undefined &&
      pool.nodes.min > pool.nodes.current - nodes.length;
    evidence.push(
      kept
        ? `Its minimum size of ${pool.nodes.min} keeps ${
            nodes.length === 1 ? 'this node' : 'these nodes'
          } even when empty.`
        : `Apply cordons ${listWords(nodes)}, then evicts ${
            busy.length
              ? 'their model pods'
              : 'any model pod placed there meanwhile'
          } within their PodDisruptionBudgets, one node at a time; the scheduler places the pods again${
            addedWords.length
              ? ` (the cluster autoscaler adds ${listWords(
                  addedWords,
                )} for those with no room)`
              : ''
          }, and the cluster autoscaler removes the emptied nodes.`,
    );

    evidence.push(`${dollars(monthly)} a month less for these nodes.`);
    out.push({
      id: recommendationId('consolidation', { poolRef }, nodes.join(',')),
      kind: 'consolidation',
      subject: { poolRef },
      title: titleOf(
        title(s.pool),
        nodes,
        busy.length > 0,
        s.moves.length,
        addedWords,
      ),
      monthlySavingUsd: monthly,
      disruption: s.moves.length
        ? {
            level: 'move',
            podsAffected: s.moves.length,
            description: `${plural(s.moves.length, 'pod')} of ${listWords(
              models,
            )} ${
              s.moves.length === 1 ? 'moves' : 'move'
            } to another node; each starts again there, loading its model`,
          }
        : {
            level: 'none',
            podsAffected: 0,
            description: 'no model pod runs on the nodes that go',
          },
      confidence: s.moves.length
        ? {
            level: 'medium',
            reason:
              'the pods fit by their GPU units and memory as the cluster runs now; the scheduler places them when the nodes are drained',
          }
        : {
            level: 'high',
            reason: 'the nodes hold no model pod now, at their pool’s price',
          },
      evidence,
      source: {
        type: 'consolidation',
        poolRef,
        cluster,
        nodes,
        teams: teams.filter(t => t !== UNOWNED),
        added: [...s.added.entries()].map(([p, count]) => ({ pool: p, count })),
        podsMoved: s.moves.length,
      },
      applicable: kept
        ? { allowed: false, reason: resizeAdvice(pool, nodes.length) }
        : { allowed: true },
    });
  }
  return out;
}
