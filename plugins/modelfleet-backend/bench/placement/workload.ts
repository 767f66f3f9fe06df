/*
 * The workload of a scenario: pods sampled from the trace (seeded), grouped
 * by shape into models of 1–8 replicas, with spot tolerance and priority
 * from the pod's QoS and a seeded residency.
 */
import { PlacementPool, PlacementRequest } from '../../src/engines/placement';
import { Pod, Trace, UNITS_PER_GPU } from './trace';
import { seededRandom } from '../../src/engines/random';

export const rng = seededRandom;
export type Rng = ReturnType<typeof rng>;

/** GPU memory the trace's unconstrained pods assume: its smallest disclosed GPUs (T4, P100, V100M16). */
export const BASE_GPU_MIB = 16 * 1024;

/** Spot tolerance by QoS: latency-sensitive pods may not run on spot. */
export const SPOT: Record<string, PlacementRequest['spot']> = {
  BE: 'allow',
  Burstable: 'allow',
  LS: 'forbid',
  Guaranteed: 'forbid',
};
const PRIORITY: Record<string, number> = {
  Guaranteed: 2,
  LS: 2,
  Burstable: 1,
  BE: 0,
};

export function geoOf(provider: string, region: string): string {
  if (provider === 'azure') return 'north-america'; // the catalog's Azure regions are all US
  if (/^(us-|ca-|northamerica-)/.test(region)) return 'north-america';
  if (/^(eu-|europe-)/.test(region)) return 'europe';
  return 'other';
}

export function regionsByGeo(pools: PlacementPool[]): Map<string, string[]> {
  const byGeo = new Map<string, string[]>();
  for (const p of pools) {
    const g = geoOf(p.provider, p.region);
    const list = byGeo.get(g) ?? [];
    if (!list.includes(p.region)) list.push(p.region);
    byGeo.set(g, list);
  }
  return byGeo;
}

/**
 * `n` pods sampled from the trace (seeded, without replacement), grouped by
 * shape (GPU units, allowed GPUs, QoS) into models of 1–8 replicas.
 */
export function sampleWorkload(
  trace: Trace,
  n: number,
  random: Rng,
  memory: Map<string, number>,
  byGeo: Map<string, string[]>,
): PlacementRequest[] {
  const idx = trace.pods.map((_, i) => i);
  const take = Math.min(n, idx.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const groups = new Map<string, Pod[]>();
  for (const i of idx.slice(0, take)) {
    const p = trace.pods[i];
    const key = `${p.units}|${(p.allowed ?? ['any']).join('+')}|${p.qos}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const requests: PlacementRequest[] = [];
  for (const pods of groups.values()) {
    let left = pods.length;
    while (left > 0) {
      const replicas = Math.min(left, 1 + Math.floor(random() * 8));
      left -= replicas;
      const p = pods[0];
      const g = random();
      let geo: string | undefined;
      if (g >= 0.85) geo = 'europe';
      else if (g >= 0.6) geo = 'north-america';
      const gpuMiB = p.allowed
        ? Math.min(...p.allowed.map(a => memory.get(a)!))
        : BASE_GPU_MIB;
      requests.push({
        id: `model-${requests.length}-${p.qos.toLowerCase()}-${p.units}u-${(
          p.allowed ?? ['any']
        )
          .join('+')
          .toLowerCase()}`,
        replicas,
        gpusPerReplica: p.units,
        memoryMiB: Math.floor((p.units * gpuMiB) / UNITS_PER_GPU),
        ...(p.allowed ? { allowedGpuTypes: p.allowed } : {}),
        spot: SPOT[p.qos] ?? 'forbid',
        ...(geo ? { regions: byGeo.get(geo) ?? [] } : {}),
        priority: PRIORITY[p.qos] ?? 0,
      });
    }
  }
  return requests;
}

const num = (n: number) => n.toLocaleString('en-US');

/** One line saying what a workload holds. */
export function describeWorkload(requests: PlacementRequest[]): string {
  const replicas = requests.reduce((s, r) => s + r.replicas, 0);
  const units = requests.reduce((s, r) => s + r.replicas * r.gpusPerReplica, 0);
  const count = (f: (r: PlacementRequest) => boolean) =>
    requests.filter(f).reduce((s, r) => s + r.replicas, 0);
  return `${requests.length} models, ${num(replicas)} replicas, ${(
    units / UNITS_PER_GPU
  ).toFixed(1)} GPUs; shared-GPU replicas ${count(
    r => r.gpusPerReplica < UNITS_PER_GPU,
  )}, multi-GPU ${count(
    r => r.gpusPerReplica > UNITS_PER_GPU,
  )}; GPU-type constrained ${count(
    r => !!r.allowedGpuTypes,
  )}; spot allowed ${count(r => r.spot === 'allow')}, forbidden ${count(
    r => r.spot === 'forbid',
  )}; residency North America ${count(
    r => !!r.regions && r.regions.includes('us-east-1'),
  )}, Europe ${count(
    r => !!r.regions && r.regions.includes('eu-west-1'),
  )}, anywhere ${count(r => !r.regions)}`;
}
