/*
 * The cluster trace: its GPU pods (the workload mix) and its GPU nodes (the
 * supply mix), in the format of the Alibaba GPU cluster trace
 * (cluster-trace-gpu-v2023): a pod list with `num_gpu`, `gpu_milli`,
 * `gpu_spec` (GPU types allowed, `|`-separated) and `qos`, and a node list
 * with `gpu` (count) and `model` (GPU type).
 */
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import { GpuMapping, mapGpu } from './gpus';

/** Time-slicing: schedulable units per GPU, so that gpu_milli maps to ¼, ½ or 1 GPU. */
export const UNITS_PER_GPU = 4;

export interface Pod {
  units: number;
  /** Catalog GPUs allowed; any when absent. */
  allowed?: string[];
  qos: string;
}

export interface Trace {
  /** The GPU pods that some catalog GPU may run. */
  pods: Pod[];
  rows: number;
  gpuPods: number;
  /** Pods left out, by `gpu_spec`: every GPU they allow is missing from the catalog. */
  leftOut: Map<string, number>;
  /** How each GPU name of the pods maps to the catalog. */
  mappings: Map<string, GpuMapping>;
}

function readCsv(
  file: string,
  required: string[],
  what: string,
): Record<string, string>[] {
  const rows: Record<string, string>[] = parse(fs.readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  const columns = new Set(Object.keys(rows[0] ?? {}));
  const lacking = required.filter(c => !columns.has(c));
  if (lacking.length) {
    throw new Error(
      `${what} ${file} lacks the column${
        lacking.length > 1 ? 's' : ''
      } ${lacking.join(', ')} (has: ${[...columns].join(', ') || 'no rows'})`,
    );
  }
  return rows;
}

/** GPU units of a pod: whole GPUs, or its `gpu_milli` share rounded up to ¼ or ½. */
export function podUnits(numGpu: number, gpuMilli: number): number {
  if (numGpu > 1 || gpuMilli >= 1000) return numGpu * UNITS_PER_GPU;
  if (gpuMilli <= 250) return 1;
  return gpuMilli <= 500 ? 2 : 4;
}

/**
 * The GPU pods of a trace (its rows), their allowed GPUs mapped to a
 * catalog's (`catalog`: the GPUs it has pools of).
 */
export function parsePods(
  rows: Record<string, string>[],
  catalog: ReadonlySet<string>,
): Trace {
  const mappings = new Map<string, GpuMapping>();
  const mapped = (name: string) => {
    if (!mappings.has(name)) mappings.set(name, mapGpu(name, catalog));
    return mappings.get(name)!;
  };
  const pods: Pod[] = [];
  const leftOut = new Map<string, number>();
  let gpuPods = 0;
  for (const r of rows) {
    const gpus = Number(r.num_gpu);
    if (!(gpus >= 1)) continue;
    gpuPods++;
    const units = podUnits(gpus, Number(r.gpu_milli));
    const spec = [...new Set((r.gpu_spec ?? '').split('|').filter(Boolean))];
    let allowed: string[] | undefined;
    if (spec.length) {
      allowed = [...new Set(spec.flatMap(s => mapped(s).gpus))].sort();
      if (!allowed.length) {
        leftOut.set(r.gpu_spec, (leftOut.get(r.gpu_spec) ?? 0) + 1);
        continue;
      }
    }
    pods.push({ units, ...(allowed ? { allowed } : {}), qos: r.qos || 'LS' });
  }
  return { pods, rows: rows.length, gpuPods, leftOut, mappings };
}

export function loadTrace(file: string, catalog: ReadonlySet<string>): Trace {
  return parsePods(
    readCsv(file, ['num_gpu', 'gpu_milli'], 'the pod list (--workload)'),
    catalog,
  );
}

export interface Cluster {
  nodes: number;
  /** GPUs per trace GPU name. */
  byType: Map<string, number>;
}

export function loadCluster(file: string): Cluster {
  const rows = readCsv(file, ['gpu', 'model'], 'the node list (--nodes)');
  const byType = new Map<string, number>();
  let nodes = 0;
  for (const r of rows) {
    const gpus = Number(r.gpu);
    if (!(gpus > 0)) continue;
    nodes++;
    byType.set(r.model, (byType.get(r.model) ?? 0) + gpus);
  }
  return { nodes, byType };
}
