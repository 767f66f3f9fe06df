export interface Config {
  modelfleet?: {
    /** Prometheus with dcgm-exporter, kube-state-metrics and the runtimes' metrics. */
    prometheus?: {
      /** Base URL, e.g. http://prometheus.monitoring:9090. Metrics are read only when set. */
      baseUrl: string;
      /**
       * Bearer token sent to Prometheus.
       * @visibility secret
       */
      bearerToken?: string;
      /**
       * Extra request headers (e.g. X-Scope-OrgID for Mimir or Thanos).
       * @visibility secret
       */
      headers?: { [name: string]: string };
      /** Request timeout, ISO 8601 (PT30S) or a duration object. Defaults to 30 s. */
      timeout?: string | { seconds?: number; minutes?: number };
      /** kube_pod_labels label carrying the model id. Defaults to label_modelfleet_io_model. */
      modelLabel?: string;
      /** Label naming the cluster, when one Prometheus sees several clusters. */
      clusterLabel?: string;
      /** PromQL templates of the GPU metrics; `${selector}` is the model's pod matchers. */
      gpuQueries?: { utilization?: string; memoryUsedMiB?: string };
      /** PromQL templates per runtime; `${window}` is the rate window. */
      runtimeQueries?: {
        [runtime: string]: {
          requestsPerSecond?: string;
          tokensPerSecond?: string;
        };
      };
      /** The runtime of a model, by model id; others are tried as vllm, tgi, generic. */
      models?: { [modelId: string]: { runtime: 'vllm' | 'tgi' | 'generic' } };
    };
  };
}
