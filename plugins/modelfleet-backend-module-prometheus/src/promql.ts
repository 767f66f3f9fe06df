import {
  ModelMetric,
  RUNTIME_METRICS,
} from '@modelfleet/plugin-modelfleet-node';

/** Serving runtimes with their own request and token metrics. */
export type Runtime = 'vllm' | 'tgi' | 'generic';

/** Runtimes in the order they are tried when a model's runtime is not configured. */
export const RUNTIMES: Runtime[] = ['vllm', 'tgi', 'generic'];

/**
 * A query template. `${selector}` becomes the label matchers of the model's
 * pods on kube-state-metrics' `kube_pod_labels`, `${window}` the rate window.
 */
export type QueryTemplate = string;

/** Joins a per-pod series to the pods of the model. */
const onModelPods = (expr: string) =>
  `${expr} * on(namespace, pod) group_left() max by (namespace, pod) (kube_pod_labels{\${selector}})`;

/** dcgm-exporter GPU metrics, per model through its pods. */
export const DEFAULT_GPU_QUERIES: Record<
  'utilization' | 'memoryUsedMiB',
  QueryTemplate
> = {
  utilization: `avg(${onModelPods('DCGM_FI_DEV_GPU_UTIL')})`,
  memoryUsedMiB: `sum(${onModelPods('DCGM_FI_DEV_FB_USED')})`,
};

/** Request and token rates of each runtime's own metrics. */
export const DEFAULT_RUNTIME_QUERIES: Record<
  Runtime,
  { requestsPerSecond: QueryTemplate; tokensPerSecond?: QueryTemplate }
> = {
  vllm: {
    requestsPerSecond: `sum(${onModelPods(
      `rate(${RUNTIME_METRICS.vllm.requests}[\${window}])`,
    )})`,
    tokensPerSecond: `sum(${onModelPods(
      `(rate(${RUNTIME_METRICS.vllm.inputTokens}[\${window}]) + rate(${RUNTIME_METRICS.vllm.outputTokens}[\${window}]))`,
    )})`,
  },
  tgi: {
    requestsPerSecond: `sum(${onModelPods(
      `rate(${RUNTIME_METRICS.tgi.requests}[\${window}])`,
    )})`,
    tokensPerSecond: `sum(${onModelPods(
      `(rate(${RUNTIME_METRICS.tgi.inputTokens}[\${window}]) + rate(${RUNTIME_METRICS.tgi.outputTokens}[\${window}]))`,
    )})`,
  },
  generic: {
    requestsPerSecond: `sum(${onModelPods(
      `rate(${RUNTIME_METRICS.generic.requests}[\${window}])`,
    )})`,
  },
};

/** Escapes a value for a PromQL double-quoted string literal. */
export function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

/** A Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`. */
export function isLabelName(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name);
}

/** The label matchers of a model's pods. */
export function podSelector(options: {
  modelLabel: string;
  modelId: string;
  namespace?: string;
  clusterLabel?: string;
  cluster?: string;
}): string {
  const matchers = [
    `${options.modelLabel}="${escapeLabelValue(options.modelId)}"`,
  ];
  if (options.namespace)
    matchers.push(`namespace="${escapeLabelValue(options.namespace)}"`);
  if (options.clusterLabel && options.cluster) {
    matchers.push(
      `${options.clusterLabel}="${escapeLabelValue(options.cluster)}"`,
    );
  }
  return matchers.join(', ');
}

/** Fills a template; throws naming the placeholder it does not know. */
export function renderQuery(
  template: QueryTemplate,
  values: { selector: string; window: string },
): string {
  return template.replace(/\$\{(\w+)\}/g, (_m, key: string) => {
    if (key === 'selector') return values.selector;
    if (key === 'window') return values.window;
    throw new Error(
      `unknown placeholder \${${key}} in query template '${template}'`,
    );
  });
}

/** The rate window for a step: at least 1 minute (four 15 s scrapes). */
export function rateWindow(stepSeconds: number): string {
  return `${Math.max(60, Math.ceil(stepSeconds))}s`;
}

/** Whether a metric comes from dcgm-exporter rather than the runtime. */
export function isGpuMetric(metric: ModelMetric): boolean {
  return metric === 'gpuUtilization' || metric === 'gpuMemoryUsedMiB';
}
