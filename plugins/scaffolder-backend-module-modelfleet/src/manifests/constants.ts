/**
 * Pinned serving images. Bump deliberately: a tag that moves under a running
 * model changes its behaviour on the next reschedule.
 *
 * @public
 */
export const RUNTIME_IMAGES = {
  vllm: 'vllm/vllm-openai:v0.10.1.1',
  tgi: 'ghcr.io/huggingface/text-generation-inference:3.3.4',
  triton: 'nvcr.io/nvidia/tritonserver:25.06-vllm-python-py3',
} as const;

/** Images of the init containers fetching weights from non-Hugging Face sources. */
export const FETCH_IMAGES = {
  s3: 'amazon/aws-cli:2.27.50',
  gs: 'gcr.io/google.com/cloudsdktool/google-cloud-cli:530.0.0-slim',
  oci: 'ghcr.io/oras-project/oras:v1.2.3',
  https: 'curlimages/curl:8.15.0',
} as const;

/** Where KEDA reaches Prometheus, and the namespace it and the scrapers run in. */
export const MONITORING = {
  namespace: 'monitoring',
  prometheusUrl: 'http://prometheus-operated.monitoring.svc.cluster.local:9090',
};

/**
 * Where the KEDA HTTP add-on runs (its Helm chart's defaults): the
 * interceptor that holds requests for a model at zero, and the external
 * scaler a ScaledObject's `external-push` trigger reaches.
 */
export const KEDA_HTTP_ADDON = {
  namespace: 'keda',
  interceptorService: 'keda-add-ons-http-interceptor-proxy',
  interceptorPort: 8080,
  externalScalerAddress: 'keda-add-ons-http-external-scaler.keda:9090',
};

/**
 * Knative Serving: its namespace (the activator that holds requests for a
 * revision at zero, the autoscaler scraping the queue-proxy) and the
 * queue-proxy's ports the pod is reached on.
 */
export const KNATIVE = {
  namespace: 'knative-serving',
  queueProxyPort: 8012,
  queueProxyMetricsPort: 9090,
  /**
   * Knative reserves `/tmp` (and `/`, `/dev`, `/var`, …) as mount paths:
   * the writable scratch directory goes here instead.
   */
  scratchMount: '/scratch',
};

/** Namespaces carrying this label may call every model's serving port. */
export const MODEL_CLIENTS_LABEL = 'modelfleet.io/model-clients';

/** Optional Secret (key `token`) holding a Hugging Face token for gated models. */
export const HF_TOKEN_SECRET = 'modelfleet-hf-token';

export const HTTP_PORT = 8000;
export const GRPC_PORT = 8001;
export const TRITON_METRICS_PORT = 8002;
/** Where the model-cache volume is mounted. */
export const CACHE_MOUNT = '/data';
/** The unprivileged user every container runs as. */
export const UID = 1000;
