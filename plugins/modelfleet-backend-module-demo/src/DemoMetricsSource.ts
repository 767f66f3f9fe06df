import { estimateModelGpuMemory } from '@modelfleet/plugin-modelfleet-common';
import {
  MetricSeries,
  MetricsSource,
  MetricsWindow,
  ModelMetric,
  checkMetricsWindow,
} from '@modelfleet/plugin-modelfleet-node';
import { replicasAt } from './definition';
import { DemoFleet } from './DemoFleet';

/**
 * Metrics of the demo fleet: request and token rates replayed from real
 * traces, and GPU utilization and memory derived from that load (utilization
 * is the load against each model's serving capacity; vLLM reserves 90 % of
 * GPU memory up front, other runtimes hold weights plus a KV cache that grows
 * with load).
 */
export class DemoMetricsSource implements MetricsSource {
  readonly id = 'demo';

  constructor(private readonly fleet: DemoFleet) {}

  async query(
    metric: ModelMetric,
    model: { modelId: string; cluster?: string; namespace?: string },
    window: MetricsWindow,
  ): Promise<MetricSeries[]> {
    const { start, end } = checkMetricsWindow(window);

    const m = this.fleet.models.find(x => x.id === model.modelId);
    const replay = m && this.fleet.traffic.get(m.id);
    if (!m || !m.deployment || !m.traffic || !replay) return [];
    if (model.cluster && model.cluster !== m.deployment.cluster) return [];
    if (model.namespace && model.namespace !== m.namespace) return [];
    const isLlmTrace = m.traffic.trace !== 'alibaba-gentd26';
    if (metric === 'tokensPerSecond' && !isLlmTrace) return [];

    const pool = this.fleet.pools.find(
      p => p.cluster === m.deployment!.cluster && p.name === m.deployment!.pool,
    )!;
    const memory = estimateModelGpuMemory({
      parametersBillions: m.parametersBillions,
      precision: m.precision,
    });

    const step = window.stepSeconds;
    const points: Array<[number, number]> = [];
    for (let t = start; t <= end + 1e-9; t += step) {
      const { count, weight } = replay.between(t - step, t);
      const replicas = replicasAt(m.deployment, new Date((t - step) * 1000));
      const gpus = replicas * m.deployment.gpusPerReplica;
      const utilization = Math.min(
        100,
        m.traffic.trace === 'alibaba-gentd26'
          ? (weight / (step * gpus)) * 100
          : (weight / step / (m.traffic.tokensPerGpuSecond * gpus)) * 100,
      );
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
          value =
            m.runtime === 'vllm'
              ? 0.9 * pool.gpu.memoryMiB * gpus
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
