import {
  MetricSeries,
  MetricsSource,
  MetricsWindow,
  ModelMetric,
  checkMetricsWindow,
} from '@modelfleet/plugin-modelfleet-node';
import {
  DEFAULT_GPU_QUERIES,
  DEFAULT_RUNTIME_QUERIES,
  isGpuMetric,
  podSelector,
  QueryTemplate,
  rateWindow,
  renderQuery,
  Runtime,
  RUNTIMES,
} from './promql';
import { parseQueryRangeBody } from './response';

/**
 * Options of {@link PrometheusMetricsSource}.
 *
 * @public
 */
export interface PrometheusMetricsSourceOptions {
  baseUrl: string;
  /** Extra request headers, e.g. `Authorization`. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Label of `kube_pod_labels` that carries the model id. */
  modelLabel?: string;
  /** Label that names the cluster, when one Prometheus sees several. */
  clusterLabel?: string;
  gpuQueries?: Partial<Record<'utilization' | 'memoryUsedMiB', QueryTemplate>>;
  runtimeQueries?: Partial<
    Record<
      Runtime,
      { requestsPerSecond?: QueryTemplate; tokensPerSecond?: QueryTemplate }
    >
  >;
  /** Runtime per model id; others are tried in the order vllm, tgi, generic. */
  modelRuntimes?: Record<string, Runtime>;
}

/**
 * GPU and traffic metrics per model from Prometheus: dcgm-exporter for GPU
 * utilization and memory, the serving runtime's own metrics for requests
 * and tokens, tied to the model through kube-state-metrics' pod labels.
 *
 * @public
 */
export class PrometheusMetricsSource implements MetricsSource {
  readonly id = 'prometheus';
  private readonly baseUrl: string;

  constructor(private readonly options: PrometheusMetricsSourceOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async query(
    metric: ModelMetric,
    model: { modelId: string; cluster?: string; namespace?: string },
    window: MetricsWindow,
  ): Promise<MetricSeries[]> {
    const { start, end } = checkMetricsWindow(window);
    const values = {
      selector: podSelector({
        modelLabel: this.options.modelLabel ?? 'label_modelfleet_io_model',
        modelId: model.modelId,
        namespace: model.namespace,
        clusterLabel: this.options.clusterLabel,
        cluster: model.cluster,
      }),
      window: rateWindow(window.stepSeconds),
    };
    const range = { start, end, step: window.stepSeconds };

    if (isGpuMetric(metric)) {
      const key = metric === 'gpuUtilization' ? 'utilization' : 'memoryUsedMiB';
      const template =
        this.options.gpuQueries?.[key] ?? DEFAULT_GPU_QUERIES[key];
      return this.queryRange(
        renderQuery(template, values),
        range,
        metric,
        model.modelId,
      );
    }

    const field = metric as 'requestsPerSecond' | 'tokensPerSecond';
    const configured = this.options.modelRuntimes?.[model.modelId];
    for (const runtime of configured ? [configured] : RUNTIMES) {
      const template =
        this.options.runtimeQueries?.[runtime]?.[field] ??
        DEFAULT_RUNTIME_QUERIES[runtime][field];
      if (!template) continue;
      const series = await this.queryRange(
        renderQuery(template, values),
        range,
        metric,
        model.modelId,
      );
      if (series.some(s => s.points.length > 0)) {
        return series.map(s => ({ ...s, labels: { ...s.labels, runtime } }));
      }
    }
    return [];
  }

  private async queryRange(
    query: string,
    range: { start: number; end: number; step: number },
    metric: ModelMetric,
    modelId: string,
  ): Promise<MetricSeries[]> {
    const what = `prometheus query_range for ${metric} of model '${modelId}'`;
    const form = new URLSearchParams({
      query,
      start: String(range.start),
      end: String(range.end),
      step: String(range.step),
    });
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/api/v1/query_range`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...this.options.headers,
        },
        body: form,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (e) {
      const cause = (e as any)?.cause?.code ?? (e as Error).message;
      throw new Error(
        `${what} failed: ${this.baseUrl} did not answer (${cause})`,
      );
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(
        `${what} failed: HTTP ${res.status}, the body is not JSON: ${text.slice(
          0,
          200,
        )}`,
      );
    }
    try {
      return parseQueryRangeBody(body);
    } catch (e) {
      throw new Error(
        `${what} failed: ${(e as Error).message} (query: ${query})`,
      );
    }
  }
}
