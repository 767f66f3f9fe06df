import type { ResolvedRenderManifestsInput } from './input';

/**
 * How long a model scaled to zero takes to serve again, and the timeouts
 * of whatever holds its first request meanwhile (the KEDA HTTP add-on's
 * interceptor, Knative's activator), sized from that.
 *
 * Every constant of the estimate is here, in seconds unless named
 * otherwise. A wake is: a GPU node provisioned (the node the model ran on
 * is usually gone once it scaled to zero), then the model loaded from the
 * model-cache volume (the first start downloaded it there; see
 * `modelSizing().startupSeconds` for that longer allowance).
 */
export const WAKE_TIMING = {
  /**
   * How fast the weights are read back from the model-cache volume, GiB/s.
   * A network ReadWriteMany volume (EFS, Filestore, Azure Files) or a
   * zonal disk gives one client 0.25 to 1 GiB/s: 0.5 is a cautious middle.
   */
  cacheReadGiBPerSecond: 0.5,
  /**
   * What the runtime does besides reading the weights: CUDA context,
   * weights to GPU memory, CUDA-graph capture, KV-cache allocation.
   */
  engineStartSeconds: 90,
  /** No model loads faster than this, however small. */
  minLoadSeconds: 120,
  /**
   * A GPU node from the cluster autoscaler (Karpenter, cluster-autoscaler):
   * the instance boots, the GPU driver and device plugin start, the runtime
   * image (5 to 10 GB) is pulled. Seven minutes covers the usual clouds.
   */
  nodeProvisioningSeconds: 420,
  /**
   * Once a replica serves the request, how long its first response byte
   * may take: a non-streamed completion sends nothing before it has
   * generated all of it. Knative's own default
   * (`revision-response-start-timeout-seconds`).
   */
  firstResponseSeconds: 300,
  /** Once a replica serves the request, how long all of it may take (a long streamed generation). */
  requestSeconds: 600,
  /** Timeouts are rounded up to whole minutes. */
  roundToSeconds: 60,
} as const;

/** What a wake takes, and the timeouts sized from it, in seconds. */
export interface WakeTimings {
  /** Reading the cached weights and starting the engine. */
  loadSeconds: number;
  /**
   * A node provisioned plus the load, rounded up: how long a request may
   * wait for a replica to become Ready (the HTTP add-on's
   * `timeouts.conditionWait`).
   */
  wakeSeconds: number;
  /**
   * How long a request may wait for its first response byte from the
   * moment it arrives at a model at zero: the wake plus
   * `firstResponseSeconds` (Knative's `responseStartTimeoutSeconds`,
   * whose clock starts at the activator).
   */
  responseStartSeconds: number;
  /** The wake plus `requestSeconds` (Knative's `timeoutSeconds`). */
  requestSeconds: number;
}

const roundUp = (seconds: number) =>
  Math.ceil(seconds / WAKE_TIMING.roundToSeconds) * WAKE_TIMING.roundToSeconds;

/**
 * The wake of a model whose cached weights take `weightsGiB` (what
 * `modelSizing` calls `downloadGiB`: a checkpoint quantized on load is
 * cached at 16 bit).
 */
export function wakeTimings(weightsGiB: number): WakeTimings {
  const T = WAKE_TIMING;
  const loadSeconds = Math.round(
    Math.max(
      T.minLoadSeconds,
      T.engineStartSeconds + weightsGiB / T.cacheReadGiBPerSecond,
    ),
  );
  const wakeSeconds = roundUp(T.nodeProvisioningSeconds + loadSeconds);
  return {
    loadSeconds,
    wakeSeconds,
    responseStartSeconds: wakeSeconds + T.firstResponseSeconds,
    requestSeconds: wakeSeconds + T.requestSeconds,
  };
}

/** Seconds as a Go duration (`540s`), the form the HTTP add-on parses. */
export const goDuration = (seconds: number) => `${seconds}s`;

/**
 * Whether the model scales to zero when idle: business-hours and sporadic
 * traffic of the `zero` idle tier. Always-on models and the `sleep` tier
 * (vLLM asleep behind a wake gate) keep at least one replica.
 */
export const scalesToZero = (
  v: Pick<ResolvedRenderManifestsInput, 'traffic' | 'idleTier'>,
) => v.traffic !== 'always-on' && v.idleTier !== 'sleep';

/**
 * How the model wakes from zero, or undefined for a model never at zero
 * (always-on traffic, the sleep idle tier: `wakeOn` is not used).
 */
export const wakeModeOf = (
  v: Pick<ResolvedRenderManifestsInput, 'traffic' | 'wakeOn' | 'idleTier'>,
) => (scalesToZero(v) ? v.wakeOn : undefined);
