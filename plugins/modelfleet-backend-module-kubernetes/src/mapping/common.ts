import type { V1LabelSelector } from '@kubernetes/client-node';
import { NVIDIA_GPU, NVIDIA_MIG_PREFIX } from '../labels';

/** Resource requirements as in a container spec or a KServe component. */
export interface ResourcesLike {
  requests?: Record<string, string | number>;
  limits?: Record<string, string | number>;
}

/** The parts of a container that matter for GPUs. */
export interface ContainerLike {
  resources?: ResourcesLike;
  /** `Always` marks a sidecar among the init containers. */
  restartPolicy?: string;
}

/** The parts of a pod spec (or a KServe predictor) that matter for GPUs. */
export interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
}

/**
 * A whole count from a label or an extended resource quantity (extended
 * resources are always whole numbers); 0 when absent or not a count.
 */
export function parseCount(value: string | number | undefined | null): number {
  if (value === undefined || value === null || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** True for `nvidia.com/gpu` and the MIG resources `nvidia.com/mig-<profile>`. */
export function isGpuResource(name: string): boolean {
  return name === NVIDIA_GPU || name.startsWith(NVIDIA_MIG_PREFIX);
}

/**
 * GPU units one container asks for: `nvidia.com/gpu` plus MIG slices, from
 * its requests, or its limits where it has no request (Kubernetes defaults
 * the request of an extended resource to its limit).
 */
export function containerGpuUnits(
  resources: ResourcesLike | undefined,
): number {
  const requests = resources?.requests ?? {};
  const limits = resources?.limits ?? {};
  let units = 0;
  for (const name of new Set([
    ...Object.keys(requests),
    ...Object.keys(limits),
  ])) {
    if (isGpuResource(name))
      units += parseCount(requests[name] ?? limits[name]);
  }
  return units;
}

/**
 * GPU units a pod asks for, as the scheduler counts them: the sum over its
 * containers and sidecars, or the largest init container if that is more.
 */
export function podGpuUnits(spec: PodSpecLike | undefined): number {
  let main = 0;
  let init = 0;
  for (const c of spec?.containers ?? [])
    main += containerGpuUnits(c.resources);
  for (const c of spec?.initContainers ?? []) {
    const units = containerGpuUnits(c.resources);
    if (c.restartPolicy === 'Always') main += units;
    else init = Math.max(init, units);
  }
  return Math.max(main, init);
}

/** A pod that has finished no longer holds its GPUs. */
export function isPodTerminated(pod: { status?: { phase?: string } }): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isPodReady(pod: {
  status?: { conditions?: Array<{ type: string; status: string }> };
}): boolean {
  return (pod.status?.conditions ?? []).some(
    c => c.type === 'Ready' && c.status === 'True',
  );
}

/**
 * The most common value, ties going to the first in sort order so the
 * result does not depend on the order objects arrived in.
 */
export function mostCommon<T>(
  values: Iterable<T | undefined>,
  key: (value: T) => string = String,
): T | undefined {
  const counts = new Map<string, { value: T; count: number }>();
  for (const value of values) {
    if (value === undefined || value === null || value === '') continue;
    const k = key(value);
    const entry = counts.get(k);
    if (entry) entry.count += 1;
    else counts.set(k, { value, count: 1 });
  }
  let best: { key: string; value: T; count: number } | undefined;
  for (const [k, { value, count }] of counts) {
    if (!best || count > best.count || (count === best.count && k < best.key)) {
      best = { key: k, value, count };
    }
  }
  return best?.value;
}

/** The first non-empty value among the given labels. */
export function firstLabel(
  labels: Record<string, string> | undefined,
  keys: readonly string[],
): string | undefined {
  for (const key of keys) {
    const value = labels?.[key];
    if (value) return value;
  }
  return undefined;
}

/** Whether labels match a label selector; an empty selector matches nothing. */
export function matchesSelector(
  selector: V1LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  const matchLabels = Object.entries(selector?.matchLabels ?? {});
  const expressions = selector?.matchExpressions ?? [];
  if (matchLabels.length === 0 && expressions.length === 0) return false;
  if (matchLabels.some(([k, v]) => labels[k] !== v)) return false;
  return expressions.every(e => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn':
        return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}
