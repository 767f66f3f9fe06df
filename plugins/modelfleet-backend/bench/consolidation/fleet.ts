/*
 * The running fleet of bench:consolidation, from a cluster trace (the
 * Alibaba GPU trace's format: a node list and a pod list with creation and
 * deletion times) and a price catalog:
 *
 * - region: the provider × region of the catalog whose on-demand pools cover
 *   the most of the trace's GPUs (ties: the cheaper per GPU-hour), or
 *   `--region provider/region`;
 * - nodes: the trace's GPU nodes whose GPU maps to a GPU priced there
 *   (placement/gpus.ts), each priced as the cheapest on-demand machine with
 *   that GPU and GPU count, else as GPU count × the cheapest per-GPU price
 *   of that GPU (said in the output); the rest are named and left out;
 * - pods: the trace's GPU pods that were scheduled, with the units, allowed
 *   GPUs and GPU memory the placement benchmark gives them; a pod whose
 *   allowed GPUs the fleet lacks is left out;
 * - dealing, as the trace's own simulator replays it: every pod in creation
 *   order, first fit on the nodes in the node list's order (units, GPU type,
 *   memory), none leaving — a pod no node has room for is not admitted (the
 *   trace cluster ran it on GPUs this fleet does not have); then the churn:
 *   the pods whose phase is Succeeded or Failed leave, and the pods still
 *   Running at the trace's end are the running fleet, with the holes the
 *   others left;
 * - models: the running pods of one shape (units, allowed GPUs, QoS) in
 *   groups of 1–8 replicas (seeded); each model is given one of `teams`
 *   teams (seeded), a PDB of maxUnavailable = max(1, ⌈25 % of its
 *   replicas⌉), and a priority from its QoS (LS/Guaranteed 2, Burstable 1,
 *   BE 0);
 * - node types that may be added: every on-demand machine of the region.
 */
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import { PlacementPool } from '../../src/engines/placement';
import { seededRandom } from '../../src/engines/random';
import {
  FleetNode,
  FleetPod,
  NodeType,
} from '../../src/engines/rightsizing/types';
import { mapGpu } from '../placement/gpus';
import { podUnits, UNITS_PER_GPU } from '../placement/trace';
import { BASE_GPU_MIB } from '../placement/workload';

export const PRIORITY: Record<string, number> = {
  LS: 2,
  Guaranteed: 2,
  Burstable: 1,
  BE: 0,
};

export function readRows(file: string, required: string[], what: string) {
  const rows: Record<string, string>[] = parse(fs.readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  const have = new Set(Object.keys(rows[0] ?? {}));
  const lacking = required.filter(c => !have.has(c));
  if (lacking.length) {
    throw new Error(
      `${what} ${file} lacks the column(s) ${lacking.join(', ')} (has: ${
        [...have].join(', ') || 'no rows'
      })`,
    );
  }
  return rows;
}

/** The provider × region whose on-demand pools cover the most trace GPUs. */
export function chooseRegion(
  pools: PlacementPool[],
  gpusByType: Map<string, number>,
): string {
  const byRegion = new Map<string, PlacementPool[]>();
  for (const p of pools) {
    if (p.capacityType !== 'on-demand' || p.usdPerNodeHour === null) continue;
    const k = `${p.provider}/${p.region}`;
    byRegion.set(k, [...(byRegion.get(k) ?? []), p]);
  }
  let best: { key: string; covered: number; perGpu: number } | undefined;
  for (const [key, ps] of byRegion) {
    const catalog = new Set(ps.map(p => p.gpu.product));
    let covered = 0;
    let usd = 0;
    for (const [name, gpus] of gpusByType) {
      const m = mapGpu(name, catalog);
      if (!m.gpus.length) continue;
      covered += gpus;
      usd +=
        gpus *
        Math.min(
          ...ps
            .filter(p => m.gpus.includes(p.gpu.product))
            .map(p => p.usdPerNodeHour! / p.gpu.perNode),
        );
    }
    const perGpu = covered ? usd / covered : Infinity;
    if (
      !best ||
      covered > best.covered ||
      (covered === best.covered && perGpu < best.perGpu)
    ) {
      best = { key, covered, perGpu };
    }
  }
  if (!best || !best.covered) {
    throw new Error('no region of the catalog has any GPU of the node list');
  }
  return best.key;
}

export interface TraceNode {
  name: string;
  gpus: number;
  model: string;
}

export interface PricedNodes {
  nodes: FleetNode[];
  /** Trace nodes left out, per GPU name, with why. */
  leftOut: Map<string, { nodes: number; why: string }>;
  /** Nodes priced as GPU count × a per-GPU price (no machine of that count). */
  perGpuPriced: number;
  types: NodeType[];
}

export function priceNodes(
  trace: TraceNode[],
  regionPools: PlacementPool[],
): PricedNodes {
  const catalog = new Set(regionPools.map(p => p.gpu.product));
  const leftOut = new Map<string, { nodes: number; why: string }>();
  const nodes: FleetNode[] = [];
  let perGpuPriced = 0;
  for (const t of trace) {
    const m = mapGpu(t.model, catalog);
    const mine = regionPools.filter(p => m.gpus.includes(p.gpu.product));
    if (!mine.length) {
      const l = leftOut.get(t.model) ?? {
        nodes: 0,
        why:
          m.missing === 'unknown GPU'
            ? 'undisclosed or unknown GPU'
            : 'no machine with it in the region',
      };
      l.nodes++;
      leftOut.set(t.model, l);
      continue;
    }
    const exact = mine
      .filter(p => p.gpu.perNode === t.gpus)
      .sort((a, b) => a.usdPerNodeHour! - b.usdPerNodeHour!)[0];
    const perGpu = [...mine].sort(
      (a, b) =>
        a.usdPerNodeHour! / a.gpu.perNode - b.usdPerNodeHour! / b.gpu.perNode,
    )[0];
    const p = exact ?? perGpu;
    if (!exact) perGpuPriced++;
    nodes.push({
      id: t.name,
      pool: exact ? p.ref : `${p.ref}/per-gpu-${t.gpus}`,
      gpu: p.gpu.product,
      units: t.gpus * UNITS_PER_GPU,
      unitMemoryMiB: p.gpu.memoryMiB / UNITS_PER_GPU,
      usdPerHour: exact
        ? p.usdPerNodeHour!
        : (p.usdPerNodeHour! / p.gpu.perNode) * t.gpus,
      labels: { 'trace/model': t.model },
    });
  }
  const types = regionPools.map(p => ({
    pool: p.ref,
    gpu: p.gpu.product,
    units: p.gpu.perNode * UNITS_PER_GPU,
    unitMemoryMiB: p.gpu.memoryMiB / UNITS_PER_GPU,
    usdPerHour: p.usdPerNodeHour!,
  }));
  return { nodes, leftOut, perGpuPriced, types };
}

/** A pod of the trace with its life. */
export interface TracePod {
  name: string;
  units: number;
  allowed?: string[];
  memoryMiB: number;
  qos: string;
  /** Creation time, trace seconds. */
  start: number;
  /** Its phase is Succeeded or Failed: it has left by the trace's end. */
  finished: boolean;
}

export function tracePods(
  rows: Record<string, string>[],
  catalog: ReadonlySet<string>,
  memory: Map<string, number>,
): { pods: TracePod[]; leftOut: number; unscheduled: number } {
  const pods: TracePod[] = [];
  let leftOut = 0;
  let unscheduled = 0;
  for (const r of rows) {
    const gpus = Number(r.num_gpu);
    if (!(gpus >= 1)) continue;
    const start = Number(r.creation_time);
    if (r.scheduled_time === '' || r.pod_phase === 'Pending') {
      unscheduled++;
      continue;
    }
    const units = podUnits(gpus, Number(r.gpu_milli));
    const spec = (r.gpu_spec ?? '').split('|').filter(Boolean);
    let allowed: string[] | undefined;
    if (spec.length) {
      allowed = [...new Set(spec.flatMap(s => mapGpu(s, catalog).gpus))].sort();
      if (!allowed.length) {
        leftOut++;
        continue;
      }
    }
    const gpuMiB = allowed
      ? Math.min(...allowed.map(a => memory.get(a)!))
      : BASE_GPU_MIB;
    pods.push({
      name: r.name,
      units,
      ...(allowed ? { allowed } : {}),
      memoryMiB: Math.floor((units * gpuMiB) / UNITS_PER_GPU),
      qos: r.qos || 'LS',
      start,
      finished: r.pod_phase === 'Succeeded' || r.pod_phase === 'Failed',
    });
  }
  return { pods, leftOut, unscheduled };
}

export interface Dealt {
  /** Pods running after the churn, on their nodes. */
  running: Array<{ pod: TracePod; node: string }>;
  admitted: number;
  notAdmitted: number;
  /** Admitted pods that left (finished). */
  left: number;
}

/** Deals pods onto nodes, first fit in arrival order, then the churn; see the file's comment. */
export function deal(nodes: FleetNode[], pods: TracePod[]): Dealt {
  const free = nodes.map(n => n.units);
  const where = new Map<TracePod, number>();
  let notAdmitted = 0;
  const order = [...pods].sort(
    (a, b) => a.start - b.start || a.name.localeCompare(b.name),
  );
  for (const p of order) {
    const j = nodes.findIndex(
      (n, k) =>
        free[k] >= p.units &&
        (!p.allowed || p.allowed.includes(n.gpu)) &&
        p.units * n.unitMemoryMiB >= p.memoryMiB,
    );
    if (j < 0) {
      notAdmitted++;
      continue;
    }
    free[j] -= p.units;
    where.set(p, j);
  }
  const running = [...where.entries()].filter(([p]) => !p.finished);
  return {
    running: running.map(([pod, j]) => ({ pod, node: nodes[j].id })),
    admitted: where.size,
    notAdmitted,
    left: where.size - running.length,
  };
}

/** The running pods as pods of models and teams; see the file's comment. */
export function fleetPods(
  running: Dealt['running'],
  seed: number,
  teams: number,
): { pods: FleetPod[]; maxUnavailable: Record<string, number> } {
  const random = seededRandom(seed);
  const groups = new Map<string, Dealt['running']>();
  for (const r of running) {
    const p = r.pod;
    const key = `${p.units}u-${(p.allowed ?? ['any']).join('+')}-${p.qos}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const pods: FleetPod[] = [];
  const maxUnavailable: Record<string, number> = {};
  let k = 0;
  for (const [key, rs] of [...groups.entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    for (let i = 0; i < rs.length; ) {
      const n = Math.min(rs.length - i, 1 + Math.floor(random() * 8));
      const model = `model-${k++}-${key.toLowerCase()}`;
      const team = `team-${1 + Math.floor(random() * teams)}`;
      maxUnavailable[model] = Math.max(1, Math.ceil(n * 0.25));
      for (const { pod, node } of rs.slice(i, i + n)) {
        pods.push({
          id: pod.name,
          model,
          team,
          node,
          units: pod.units,
          memoryMiB: pod.memoryMiB,
          priority: PRIORITY[pod.qos] ?? 0,
          ...(pod.allowed ? { allowedGpus: pod.allowed } : {}),
        });
      }
      i += n;
    }
  }
  return { pods, maxUnavailable };
}
