/**
 * The fleet of serving models of `yarn bench:arbitrage`, from the Alibaba
 * GPU cluster trace (openb_pod_list_gpuspec33.csv): the latency-sensitive
 * GPU pods (qos LS or Guaranteed: the serving side of the cluster) grouped
 * by pod spec — CPU, memory, GPUs, GPU share and GPU-type constraint — as
 * a Deployment's replicas share one spec. A group is one model; its pods
 * are its replicas, at most `maxReplicas` (a spec more pods share is taken
 * as one model of that many: a big group is many deployments of a common
 * spec). GPUs per replica = num_gpu; a share of a GPU (gpu_milli < 1000)
 * still takes a whole GPU, as a spot VM is whole. The GPU-type constraint
 * is not kept: every model runs on the traces' GPU.
 */
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';

export interface FleetModel {
  id: string;
  replicas: number;
  gpusPerReplica: number;
  pods: number;
}

export interface Fleet {
  models: FleetModel[];
  rows: number;
  servingPods: number;
  /** Rows skipped, with the reason and the first lines. */
  skipped: Map<string, number[]>;
}

const SERVING_QOS = new Set(['LS', 'Guaranteed']);

export function loadFleet(file: string, maxReplicas: number): Fleet {
  const text = fs.readFileSync(file, 'utf8');
  let records: Array<{
    record: Record<string, string>;
    info: { lines: number };
  }>;
  try {
    records = parse(text, {
      columns: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (e) {
    throw new Error(
      `${file}: unreadable CSV: ${e instanceof Error ? e.message : e}`,
    );
  }
  const first = records[0]?.record ?? {};
  for (const c of ['num_gpu', 'gpu_milli', 'qos'])
    if (!(c in first)) throw new Error(`${file}: no ${c} column`);
  const skipped = new Map<string, number[]>();
  const skip = (why: string, line: number) =>
    skipped.set(why, [...(skipped.get(why) ?? []), line]);
  const groups = new Map<string, { gpus: number; pods: number }>();
  let servingPods = 0;
  for (const { record: r, info } of records) {
    const gpus = Number(r.num_gpu);
    if (!SERVING_QOS.has(r.qos)) continue;
    if (r.num_gpu === '0') continue;
    if (!Number.isInteger(gpus) || gpus < 1) {
      skip(`num_gpu '${r.num_gpu}' is not a whole number ≥ 0`, info.lines);
      continue;
    }
    const milli = Number(r.gpu_milli);
    if (!Number.isFinite(milli) || milli < 0) {
      skip(`gpu_milli '${r.gpu_milli}' is not a number ≥ 0`, info.lines);
      continue;
    }
    servingPods++;
    const key = [
      r.cpu_milli,
      r.memory_mib,
      gpus,
      milli,
      r.gpu_spec ?? '',
      r.qos,
    ].join('|');
    const g = groups.get(key) ?? { gpus, pods: 0 };
    g.pods++;
    groups.set(key, g);
  }
  if (!groups.size)
    throw new Error(`${file}: no latency-sensitive GPU pod (qos LS)`);
  const models = [...groups.entries()].map(([key, g], i) => ({
    id: `model-${i}-${g.gpus}gpu-${key.split('|').slice(0, 2).join('-')}`,
    replicas: Math.min(g.pods, maxReplicas),
    gpusPerReplica: g.gpus,
    pods: g.pods,
  }));
  return { models, rows: records.length, servingPods, skipped };
}
