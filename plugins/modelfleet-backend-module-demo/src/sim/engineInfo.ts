import { ClusterContext } from './controllers/context';
import { podGpus } from './controllers/placement';
import { EngineRegistry, EngineSnapshot } from './engines';
import { MODEL_LABEL, StoredObject } from './objects';
import { containerReady, containerRunning } from './vllm';

/**
 * GPU memory an engine keeps per GPU while asleep (MiB): the CUDA context
 * and what vLLM's sleep mode does not release; an approximation.
 */
export const SLEEPING_ENGINE_GPU_MIB = 1024;

/**
 * One engine, as `GET /_sim/engines` lists it.
 *
 * @public
 */
export interface EngineInfo extends EngineSnapshot {
  namespace: string;
  pod: string;
  model?: string;
  container: string;
  /** vLLM's `model_name` label. */
  modelName: string;
  port: number;
  /** Started with `--enable-sleep-mode` and `VLLM_SERVER_DEV_MODE=1`. */
  sleepMode: boolean;
  /** Ready: the server listens on its port. */
  listening: boolean;
  /**
   * GPU memory the engine holds, from the node's
   * `nvidia.com/gpu.memory` and the GPUs the pod requests: vLLM's
   * reservation (`--gpu-memory-utilization`, 0.9) awake, little asleep.
   */
  gpuMemoryMiB?: number;
}

/** The GPU memory a running engine holds (MiB), if its node says how much a GPU has. */
export function engineGpuMemoryMiB(
  ctx: ClusterContext,
  pod: StoredObject,
  utilization: number,
  sleeping: boolean,
): number | undefined {
  const node = pod.spec?.nodeName
    ? ctx.store.get(ctx.types.node, undefined, pod.spec.nodeName)
    : undefined;
  const perGpu = Number(node?.metadata.labels?.['nvidia.com/gpu.memory']);
  if (!(perGpu > 0)) return undefined;
  const each = sleeping
    ? Math.min(perGpu, SLEEPING_ENGINE_GPU_MIB)
    : perGpu * utilization;
  return Math.round(podGpus(pod) * each);
}

/** Every vLLM engine of the cluster's pods, in the store's order. */
export function listEngines(
  ctx: ClusterContext,
  engines: EngineRegistry,
): EngineInfo[] {
  const out: EngineInfo[] = [];
  for (const pod of ctx.store.list(ctx.types.pod)) {
    const v = engines.serverOf(pod);
    if (!v) continue;
    const snap = engines.snapshot(pod);
    const memory = containerRunning(pod, v.container)
      ? engineGpuMemoryMiB(ctx, pod, v.gpuMemoryUtilization, snap.sleeping)
      : undefined;
    out.push({
      namespace: pod.metadata.namespace ?? '',
      pod: pod.metadata.name,
      ...(pod.metadata.labels?.[MODEL_LABEL]
        ? { model: pod.metadata.labels[MODEL_LABEL] }
        : {}),
      container: v.container,
      modelName: v.modelName,
      port: v.port,
      sleepMode: v.sleepMode && v.devMode,
      listening: containerReady(pod, v.container),
      ...snap,
      ...(memory !== undefined ? { gpuMemoryMiB: memory } : {}),
    });
  }
  return out;
}
