import { classOrder, Core, CoreSolution } from './problem';
import { Columns } from './program';

/**
 * A placement being built by the heuristic, over the core program's classes
 * and pools: replicas per class and pool, nodes added, free units; every
 * change is logged so that a move can be undone.
 */
export class Packing {
  readonly x: number[][];
  readonly added: number[];
  readonly free: number[];
  /** Objective: node cost plus the penalty of unplaced replicas. */
  cost: number;
  private readonly placed: number[];
  private log: Array<[number, number, number]> = [];

  constructor(private readonly core: Core) {
    this.x = core.classes.map(() => core.pools.map(() => 0));
    this.added = core.pools.map(() => 0);
    this.free = core.pools.map(p => p.free);
    this.placed = core.classes.map(() => 0);
    this.cost = core.classes.reduce((s, c) => s + c.demand * c.penalty, 0);
  }

  unplaced(c: number): number {
    return this.core.classes[c].demand - this.placed[c];
  }

  /** Adds (n > 0) or removes (n < 0) nodes of pool k. */
  nodes(k: number, n: number) {
    const p = this.core.pools[k];
    this.added[k] += n;
    this.free[k] += n * p.unitsPerNode;
    this.cost += n * p.nodeCost;
    this.log.push([-1, k, n]);
  }

  /** Adds (n > 0) or removes (n < 0) replicas of class c on pool k. */
  move(c: number, k: number, n: number) {
    this.x[c][k] += n;
    this.placed[c] += n;
    this.free[k] -= n * this.core.classes[c].units;
    this.cost -= n * this.core.classes[c].penalty;
    this.log.push([c, k, n]);
  }

  /** Starts logging changes for {@link undo}. */
  mark() {
    this.log = [];
  }

  undo() {
    const log = this.log;
    this.log = [];
    for (let n = log.length - 1; n >= 0; n--) {
      const [c, k, d] = log[n];
      if (c < 0) this.nodes(k, -d);
      else this.move(c, k, -d);
    }
    this.log = [];
  }

  /**
   * Places up to `n` replicas of class c: on free units first (the pool
   * left with the fewest free units), else on new nodes of the pool where
   * they cost least per replica. Returns how many were placed.
   */
  insert(c: number, n: number, avoid = -1): number {
    const { pools, classes } = this.core;
    const { eligible, units: u } = classes[c];
    let left = n;
    while (left > 0) {
      let best = -1;
      for (const k of eligible) {
        if (
          this.free[k] >= u &&
          (best < 0 ||
            this.free[k] < this.free[best] ||
            (this.free[k] === this.free[best] &&
              pools[k].nodeCost < pools[best].nodeCost))
        ) {
          best = k;
        }
      }
      if (best >= 0) {
        const m = Math.min(left, Math.floor(this.free[best] / u));
        this.move(c, best, m);
        left -= m;
        continue;
      }
      let bestCost = Infinity;
      for (const k of eligible) {
        if (k === avoid || this.added[k] >= pools[k].addable) continue;
        const fit = Math.floor((pools[k].unitsPerNode + this.free[k]) / u);
        if (fit < 1) continue;
        const cost = pools[k].nodeCost / Math.min(fit, left);
        if (cost < bestCost) {
          bestCost = cost;
          best = k;
        }
      }
      if (best < 0) break;
      this.nodes(best, 1);
      const m = Math.min(left, Math.floor(this.free[best] / u));
      this.move(c, best, m);
      left -= m;
    }
    return n - left;
  }

  /** Removes nodes of pool k left empty. */
  trimPool(k: number) {
    const p = this.core.pools[k];
    while (this.added[k] > 0 && this.free[k] >= p.unitsPerNode) {
      this.nodes(k, -1);
    }
  }

  /** Removes nodes left empty. */
  trim() {
    for (let k = 0; k < this.core.pools.length; k++) this.trimPool(k);
  }

  /**
   * Local search: removes one node of a pool (costliest first) and places
   * the replicas it displaces elsewhere; keeps the move when the objective
   * falls. Repeats until no move helps, at most `passes` times.
   */
  improve(order: number[], passes = 4) {
    const { pools, classes } = this.core;
    for (let pass = 0; pass < passes; pass++) {
      let better = false;
      const open = pools
        .map((_, k) => k)
        .filter(k => this.added[k] > 0)
        .sort((a, b) => pools[b].nodeCost - pools[a].nodeCost);
      for (const k of open) {
        while (this.added[k] > 0) {
          const before = this.cost;
          this.mark();
          this.nodes(k, -1);
          // Displace the smallest replicas first until the pool fits again.
          const displaced: Array<[number, number]> = [];
          for (let o = order.length - 1; o >= 0 && this.free[k] < 0; o--) {
            const c = order[o];
            const u = classes[c].units;
            const n = Math.min(this.x[c][k], Math.ceil(-this.free[k] / u));
            if (n > 0) {
              this.move(c, k, -n);
              displaced.push([c, n]);
            }
          }
          for (const [c, n] of displaced.reverse()) this.insert(c, n, k);
          this.trim();
          if (this.cost < before - 1e-6) {
            better = true;
          } else {
            this.undo();
            break;
          }
        }
      }
      // Capacity the moves freed may take replicas left unplaced.
      for (const c of order) {
        if (this.unplaced(c) > 0 && this.insert(c, this.unplaced(c)) > 0) {
          better = true;
        }
      }
      if (!better) break;
    }
    this.mark();
  }

  /**
   * Ruin and recreate: empties a few open nodes (a random one and others of
   * its GPU or region), re-inserts every replica left unplaced (priority,
   * then larger replicas first, ties in random order) and keeps the result
   * when the objective does not rise. `iterations` bounds the work.
   */
  recreate(iterations: number, random: () => number) {
    const { pools, classes } = this.core;
    const onPool: number[][] = pools.map(() => []);
    classes.forEach((c, ci) => {
      for (const k of c.eligible) onPool[k].push(ci);
    });
    for (let it = 0; it < iterations; it++) {
      const open: number[] = [];
      for (let k = 0; k < pools.length; k++)
        if (this.added[k] > 0) open.push(k);
      if (!open.length) break;
      const seed = open[Math.floor(random() * open.length)];
      const related = open.filter(
        k =>
          k !== seed &&
          (pools[k].product === pools[seed].product ||
            pools[k].region === pools[seed].region),
      );
      const ruin = [seed];
      const extra = Math.floor(random() * 4);
      for (let n = 0; n < extra; n++) {
        const from = related.length && random() < 0.7 ? related : open;
        const k = from[Math.floor(random() * from.length)];
        if (!ruin.includes(k)) ruin.push(k);
      }
      const before = this.cost;
      this.mark();
      for (const k of ruin) {
        for (const c of onPool[k]) {
          if (this.x[c][k] > 0) this.move(c, k, -this.x[c][k]);
        }
        this.nodes(k, -this.added[k]);
      }
      const todo: number[] = [];
      for (let c = 0; c < classes.length; c++) {
        if (this.unplaced(c) > 0) todo.push(c);
      }
      const noise = classes.map(() => random());
      todo.sort(
        (a, b) =>
          classes[b].priority - classes[a].priority ||
          classes[b].units - classes[a].units ||
          noise[a] - noise[b],
      );
      for (const c of todo) this.insert(c, this.unplaced(c));
      for (const k of ruin) this.trimPool(k);
      if (this.cost > before + 1e-6) this.undo();
    }
    this.mark();
  }

  solution(): CoreSolution {
    return { x: this.x.map(row => [...row]), added: [...this.added] };
  }
}

/**
 * Greedy: by priority, then largest replicas first; free units first, then
 * new nodes where a replica costs least; then the local search.
 */
export function greedy(core: Core): Packing {
  const order = classOrder(core);
  const s = new Packing(core);
  for (const c of order) s.insert(c, core.classes[c].demand);
  s.improve(order);
  return s;
}

/**
 * Rounds the LP relaxation: its whole nodes and whole replicas first, the
 * rest placed greedily, then the local search.
 */
export function lpRounded(core: Core, cols: Columns): Packing {
  const order = classOrder(core);
  const s = new Packing(core);
  const v = (name: string) => cols[name]?.Primal ?? 0;
  core.pools.forEach((p, k) => {
    const n = Math.min(p.addable, Math.floor(v(`n${k}`) + 1e-6));
    if (n > 0) s.nodes(k, n);
  });
  for (const c of order) {
    const { units: u, eligible } = core.classes[c];
    for (const k of eligible) {
      const n = Math.min(
        Math.floor(v(`x${c}_${k}`) + 1e-6),
        Math.floor(s.free[k] / u),
        s.unplaced(c),
      );
      if (n > 0) s.move(c, k, n);
    }
  }
  for (const c of order) s.insert(c, s.unplaced(c));
  s.trim();
  s.improve(order);
  return s;
}
