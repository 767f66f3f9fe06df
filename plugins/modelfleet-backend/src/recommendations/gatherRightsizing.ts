import { LoggerService } from '@backstage/backend-plugin-api';
import {
  FALLBACK_ROLE,
  GpuPoolStatus,
  ModelWorkloadsResponse,
  SPREAD_ROLE,
} from '@modelfleet/plugin-modelfleet-common';
import {
  MetricSeries,
  MetricsSource,
  ModelMetric,
} from '@modelfleet/plugin-modelfleet-node';
import {
  CandidatePool,
  rightsize,
  samplesFromSeries,
} from '../engines/rightsizing';
import {
  PlacementCandidateSources,
  placementCandidates,
} from '../placement/candidates';
import { ModelLookup } from '../showback/ModelDirectory';
import { Finding } from './fromActions';
import { poolRefOf } from './gather';
import { relativeSpeed } from './gpuSpeed';
import { EntityNames, nameOfRef, poolTitle } from './names';
import { PoolWords, rightsizingRecommendation } from './rightsizingFinding';

/** The window rightsizing reads: 14 days of hourly samples. */
export const RIGHTSIZING_DAYS = 14;
const STEP_SECONDS = 3600;
/** Fewer samples than a day's are too few to size anything on. */
const MIN_SAMPLES = 24;

type Workload = ModelWorkloadsResponse['items'][number];

/** A share of a GPU counts as its fraction; whole GPUs as themselves. */
function gpuFraction(p: GpuPoolStatus): number {
  return p.gpu.sharing === 'whole' ? 1 : 1 / (p.gpu.replicasPerGpu ?? 1);
}

/** The three series of a model from the first source that has them. */
async function seriesOf(
  sources: MetricsSource[],
  w: Workload,
  window: { start: Date; end: Date; stepSeconds: number },
  logger: LoggerService,
): Promise<Record<ModelMetric, MetricSeries[]> | undefined> {
  const model = {
    modelId: w.modelId,
    cluster: w.cluster,
    namespace: w.namespace,
  };
  for (const source of sources) {
    try {
      const [mem, util, rps] = await Promise.all(
        (
          ['gpuMemoryUsedMiB', 'gpuUtilization', 'requestsPerSecond'] as const
        ).map(m => source.query(m, model, window)),
      );
      if (mem.length && util.length && rps.length) {
        return {
          gpuMemoryUsedMiB: mem,
          gpuUtilization: util,
          requestsPerSecond: rps,
          tokensPerSecond: [],
        };
      }
    } catch (e) {
      logger.debug(
        `Recommendations: ${source.id} has no metrics for ${w.modelId}: ${e}`,
      );
    }
  }
  return undefined;
}

/**
 * Rightsizing of every model with a workload on a known pool: 14 days of
 * its GPU memory, utilization and request rate from the metrics sources,
 * its pool now, and as candidates the priced pools of its own cluster of
 * the same capacity type (spot only for a model on spot). One
 * recommendation per model, its best option. Models without metrics are
 * named in the notes.
 */
export async function gatherRightsizing(input: {
  workloads: Workload[];
  pools: GpuPoolStatus[];
  lookup: ModelLookup;
  metrics: MetricsSource[];
  candidates: PlacementCandidateSources;
  now: Date;
  logger: LoggerService;
  names: EntityNames;
}): Promise<{ findings: Finding[]; notes: string[] }> {
  const notes: string[] = [];
  if (!input.metrics.length) {
    return {
      findings: [],
      notes: ['rightsizing: no metrics source is connected'],
    };
  }
  const priced = await placementCandidates(input.pools, input.candidates);
  const price = new Map(
    priced.map(c => [c.summary.ref, c.pool.usdPerNodeHour]),
  );
  const window = {
    start: new Date(input.now.getTime() - RIGHTSIZING_DAYS * 86400_000),
    end: input.now,
    stepSeconds: STEP_SECONDS,
  };
  const byRef = new Map(input.pools.map(p => [poolRefOf(p), p]));
  const pools: PoolWords = {
    title: ref => {
      const p = byRef.get(ref);
      return p ? poolTitle(p) : nameOfRef(ref);
    },
    sharing: ref => byRef.get(ref)?.gpu.sharing,
  };
  const findings: Finding[] = [];
  const noMetrics: string[] = [];
  for (const w of input.workloads) {
    if (w.role === FALLBACK_ROLE || w.role === SPREAD_ROLE) continue;
    if (!w.pool || w.replicas.desired <= 0 || w.stale) continue;
    const pool = input.pools.find(
      p => p.cluster === w.cluster && p.name === w.pool,
    );
    if (!pool) continue;
    const poolRef = poolRefOf(pool);
    const nodePrice = price.get(poolRef);
    if (nodePrice === null || nodePrice === undefined || !pool.gpu.memoryMiB) {
      continue;
    }
    const { modelRef, teamRef } = input.lookup(w);
    const series = await seriesOf(input.metrics, w, window, input.logger);
    const samples = series ? samplesFromSeries(series) : [];
    if (samples.length < MIN_SAMPLES) {
      noMetrics.push(input.names.model(modelRef));
      continue;
    }
    const speed = (gpu: string) => relativeSpeed(pool.gpu.product, gpu);
    // Whole GPUs per replica a candidate's node holds (a share always fits).
    const perNode = new Map<string, number>();
    const candidates: CandidatePool[] = [];
    for (const p of input.pools) {
      if (p.cluster !== w.cluster || !p.gpu.memoryMiB || p.stale) continue;
      if ((p.capacityType === 'spot') !== (pool.capacityType === 'spot')) {
        continue;
      }
      const usd = price.get(poolRefOf(p));
      if (usd === null || usd === undefined) continue;
      perNode.set(
        poolRefOf(p),
        p.gpu.sharing === 'whole' ? p.gpu.perNode : Infinity,
      );
      candidates.push({
        ref: poolRefOf(p),
        title: poolTitle(p),
        gpu: p.gpu.product,
        gpuMemoryMiB: p.gpu.memoryMiB,
        usdPerGpuHour: usd / p.gpu.perNode,
        sharing: p.gpu.sharing,
        ...(speed(p.gpu.product) !== undefined
          ? { relativeSpeed: speed(p.gpu.product) }
          : {}),
        ...(p.gpu.sharing !== 'whole'
          ? { replicasPerGpu: p.gpu.replicasPerGpu ?? 1 }
          : {}),
      });
    }
    const gpusPerReplica = w.gpusPerReplica * gpuFraction(pool);
    try {
      const result = rightsize({
        model: modelRef,
        current: {
          pool: poolRef,
          gpu: pool.gpu.product,
          memoryMiBPerReplica: gpusPerReplica * pool.gpu.memoryMiB,
          gpusPerReplica,
          replicas: w.replicas.desired,
          usdPerGpuHour: nodePrice / pool.gpu.perNode,
        },
        samples,
        candidates,
      });
      // A replica must fit on one node of its pool.
      const fits = result.options.filter(
        o => o.gpusPerReplica <= (perNode.get(o.pool) ?? Infinity),
      );
      const f = rightsizingRecommendation(
        { ...result, options: fits },
        {
          modelRef,
          ...(teamRef ? { teamRef } : {}),
          name: input.names.model(modelRef),
          pool: poolRef,
          replicas: w.replicas.desired,
          gpusPerReplica,
          ...declaredMemory(input.names.gpuMemoryGiB?.(modelRef)),
        },
        pools,
      );
      if (f) findings.push(f);
    } catch (e) {
      notes.push(
        `rightsizing: ${input.names.model(modelRef)} could not be sized (${e})`,
      );
    }
  }
  if (noMetrics.length) {
    notes.push(
      `rightsizing: no ${RIGHTSIZING_DAYS} days of GPU memory, utilization and request rate for ${noMetrics.join(
        ', ',
      )}`,
    );
  }
  return { findings, notes };
}

/** The GPU memory a Model asks a pool for a replica, in MiB, when it says. */
function declaredMemory(gib: number | undefined) {
  return gib === undefined ? {} : { declaredMemoryMiB: gib * 1024 };
}
