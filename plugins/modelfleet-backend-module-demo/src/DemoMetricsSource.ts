import { estimateModelGpuMemory } from '@modelfleet/plugin-modelfleet-common';
import {
  BusySpan,
  MetricSeries,
  MetricsSource,
  MetricsWindow,
  ModelMetric,
  checkMetricsWindow,
} from '@modelfleet/plugin-modelfleet-node';
import { pastReplicasAt } from './pastReplicas';
import { DemoFleet } from './DemoFleet';
import { addSpan, Spans } from './busySpans';
import { busySecondsOf, DemoModel, isLlmTraffic } from './definition';
import { TraceReplay } from './replay';
import { SimulatorUsage } from './SimulatorUsage';

type DeployedModel = DemoModel & {
  deployment: NonNullable<DemoModel['deployment']>;
  traffic: NonNullable<DemoModel['traffic']>;
};

/** GPU memory a vLLM engine asleep (level 1) keeps per GPU, MiB: its CUDA context. */
const SLEEPING_VLLM_MIB = 1024;

/**
 * Metrics of the demo fleet. Since the simulator started, from what it
 * runs (its statistics, see {@link SimulatorUsage}): requests served (a
 * model at zero, or whose pods wait for a node, serves nothing), the
 * tokens or execution time of those requests as the model's trace has
 * them, and GPU utilization and memory on the replicas that were ready.
 * Before that, and without a simulator, from the replay of the traces:
 * request and token rates as replayed, GPU utilization as that load
 * against each model's serving capacity (tokens per GPU second for LLMs,
 * measured execution seconds for image models), GPU memory as vLLM's 90 %
 * reservation, or weights plus a KV cache that grows with load.
 */
export class DemoMetricsSource implements MetricsSource {
  readonly id = 'demo';

  constructor(
    private readonly fleet: DemoFleet,
    private readonly usage?: SimulatorUsage,
  ) {}

  /** The deployed demo model with traffic the query names, and its replay. */
  private find(model: {
    modelId: string;
    cluster?: string;
    namespace?: string;
  }): { m: DeployedModel; replay: TraceReplay } | undefined {
    const m = this.fleet.models.find(x => x.id === model.modelId);
    const replay = m && this.fleet.traffic.get(m.id);
    if (!m || !m.deployment || !m.traffic || !replay) return undefined;
    if (model.cluster && model.cluster !== m.deployment.cluster)
      return undefined;
    if (model.namespace && model.namespace !== m.namespace) return undefined;
    return { m: m as DeployedModel, replay };
  }

  /**
   * When requests kept the model busy, exactly: since the simulator
   * started, the arrivals it replayed (each from its time for its
   * execution time); before that, and without a simulator, the trace's.
   * The simulator's statistics are read every minute, so the last minute
   * may not be known yet; spans are in unix seconds.
   */
  async busySpans(
    model: { modelId: string; cluster?: string; namespace?: string },
    window: { start: Date; end: Date },
  ): Promise<BusySpan[] | undefined> {
    const moved = this.movedTo(model);
    if (moved) return moved(window);
    const found = this.find(model);
    if (!found) return undefined;
    const { m, replay } = found;
    const from = window.start.getTime() / 1000;
    const to = window.end.getTime() / 1000;
    if (!(to > from)) return [];
    const usage = this.usage;
    let simFrom = Infinity;
    let simUntil = -Infinity;
    if (usage) {
      await usage.refresh();
      simFrom = usage.since(m.deployment.cluster) / 1000;
      simUntil = (usage.knownUntil(m.deployment.cluster) ?? -Infinity) / 1000;
    }
    const spans: Spans = [];
    const seconds = busySecondsOf(m);
    const replayedTo = Math.min(to, simFrom);
    replay.forEachRequest(from, replayedTo, (t, w) =>
      addSpan(spans, t, Math.min(to, t + seconds(w))),
    );
    if (usage && simUntil > Math.max(from, simFrom)) {
      const ran = usage.busySpans(
        `${m.namespace}/${m.id}`,
        Math.max(from, simFrom) * 1000,
        Math.min(to, simUntil) * 1000,
        [m.deployment.cluster],
      );
      for (const [s, e] of ran) addSpan(spans, s / 1000, e / 1000);
    }
    return spans.map(([start, end]) => ({ start, end }));
  }

  /**
   * A demo model asked for on another demo cluster than its own: one
   * ModelFleet moved there, whose traffic the simulator routes to the
   * cluster that exports its Service. Its busy spans there are the
   * arrivals the simulator served there (none before it started).
   */
  private movedTo(model: {
    modelId: string;
    cluster?: string;
    namespace?: string;
  }) {
    const m = this.fleet.models.find(x => x.id === model.modelId);
    const usage = this.usage;
    const cluster = model.cluster;
    if (
      !usage ||
      !m?.deployment ||
      !cluster ||
      cluster === m.deployment.cluster ||
      !this.fleet.clusters.some(c => c.name === cluster) ||
      (model.namespace && model.namespace !== m.namespace)
    ) {
      return undefined;
    }
    return async (window: { start: Date; end: Date }) => {
      await usage.refresh();
      return usage
        .busySpans(
          `${m.namespace}/${m.id}`,
          window.start.getTime(),
          window.end.getTime(),
          [cluster],
        )
        .map(([start, end]) => ({ start: start / 1000, end: end / 1000 }));
    };
  }

  async query(
    metric: ModelMetric,
    model: { modelId: string; cluster?: string; namespace?: string },
    window: MetricsWindow,
  ): Promise<MetricSeries[]> {
    const { start, end } = checkMetricsWindow(window);

    const found = this.find(model);
    if (!found) return [];
    const { m, replay } = found;
    const llm = isLlmTraffic(m.traffic) ? m.traffic : undefined;
    if (metric === 'tokensPerSecond' && !llm) return [];

    const pool = this.fleet.pools.find(
      p => p.cluster === m.deployment!.cluster && p.name === m.deployment!.pool,
    );
    if (!pool) return [];
    const memory = estimateModelGpuMemory({
      parametersBillions: m.parametersBillions,
      precision: m.precision,
    });

    const cluster = m.deployment.cluster;
    const usage = this.usage;
    let simFrom = Infinity;
    let simUntil = -Infinity;
    if (usage) {
      await usage.refresh();
      simFrom = usage.since(cluster) / 1000;
      simUntil = (usage.knownUntil(cluster) ?? -Infinity) / 1000;
    }

    const step = window.stepSeconds;
    const points: Array<[number, number]> = [];
    for (let t = start; t <= end + 1e-9; t += step) {
      let count: number;
      let weight: number;
      let replicas: number;
      // Ready replicas whose engine slept (the sleep idle tier).
      let asleep = 0;
      if (t - step >= simFrom - 1e-9) {
        // What the simulator ran; nothing yet for a window it has not reached.
        if (t > simUntil + 1e-9) continue;
        const ran = usage!.modelUsage(
          `${m.namespace}/${m.id}`,
          (t - step) * 1000,
          t * 1000,
        );
        const traced = replay.between(t - step, t);
        const perRequest =
          traced.count > 0 ? traced.weight / traced.count : replay.meanWeight;
        count = ran.served;
        weight = ran.served * perRequest;
        replicas = ran.readySeconds / step;
        asleep = Math.min(replicas, ran.sleepingSeconds / step);
      } else {
        ({ count, weight } = replay.between(t - step, t));
        replicas = pastReplicasAt(m, replay, new Date((t - step) * 1000), step);
      }
      const gpus = replicas * m.deployment.gpusPerReplica;
      const utilization =
        gpus > 0
          ? Math.min(
              100,
              llm
                ? (weight / step / (llm.tokensPerGpuSecond * gpus)) * 100
                : (weight / (step * gpus)) * 100,
            )
          : 0;
      let value: number;
      switch (metric) {
        case 'requestsPerSecond':
          value = count / step;
          break;
        case 'tokensPerSecond':
          value = weight / step;
          break;
        case 'gpuUtilization':
          value = utilization;
          break;
        case 'gpuMemoryUsedMiB':
          // vLLM takes 90 % of the GPU's memory awake; asleep (sleep mode
          // level 1) it keeps about 1 GiB per GPU, its weights in host memory.
          value =
            m.runtime === 'vllm'
              ? (0.9 * pool.gpu.memoryMiB * (replicas - asleep) +
                  SLEEPING_VLLM_MIB * asleep) *
                m.deployment.gpusPerReplica
              : Math.min(
                  pool.gpu.memoryMiB * gpus,
                  replicas *
                    (memory.weightsGiB +
                      memory.runtimeOverheadGiB +
                      (memory.kvCacheGiB * utilization) / 100) *
                    1024,
                );
          break;
        default:
          throw new Error(`unknown metric '${metric}'`);
      }
      points.push([t, Math.round(value * 1000) / 1000]);
    }
    return [
      {
        labels: {
          model: m.id,
          cluster: m.deployment.cluster,
          namespace: m.namespace,
        },
        points,
      },
    ];
  }
}
