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

/**
 * The name of vLLM's port behind the wake gate (the sleep idle tier): the
 * `http` name moves to the gate, which the Service targets.
 */
export const ENGINE_PORT_NAME = 'engine';

/**
 * The wake gate of the sleep idle tier: OpenResty (nginx and LuaJIT) in
 * the model's pod, in front of vLLM in sleep mode, which does not wake by
 * itself when a request comes (see wakeGate.ts).
 *
 * @public
 */
export const WAKE_GATE = {
  /** Pinned like the runtimes; the gate's Lua runs on OpenResty's lua-nginx-module. */
  image: 'openresty/openresty:1.27.1.2-0-alpine',
  /** The OpenResty binary of that image. */
  binary: '/usr/local/openresty/bin/openresty',
  /** The gate's port, named `http`: the Service's target. */
  port: 8080,
  /** vLLM's port behind it, named `engine`: what ModelFleet calls through the API server's pod proxy, and what Prometheus scrapes. */
  enginePort: HTTP_PORT,
  /** Where the ConfigMap's nginx.conf is mounted, read-only. */
  configDir: '/etc/wake-gate',
  /**
   * The gate's only writable directory (an emptyDir): its pid file and
   * nginx's temporary files; the root filesystem is read-only.
   */
  runDir: '/tmp/wake-gate',
  /** How long one `POST /wake_up` may take: level 1 copies the weights back from host memory, seconds for most models. */
  wakeTimeoutSeconds: 120,
  /** The gate's own health, answered by nginx: the gate container's probes. */
  healthPath: '/wake-gate/healthz',
} as const;
/** Where the model-cache volume is mounted. */
export const CACHE_MOUNT = '/data';
/** The unprivileged user every container runs as. */
export const UID = 1000;
