import { KubeObject } from '../objects';
import { matchesLabelSelector } from '../selectors';
import { Taint } from '../nodes';

export const NVIDIA_GPU = 'nvidia.com/gpu';

const count = (v: unknown) => {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
};

/** GPUs a pod asks for: its containers' requests (or limits), or its largest init container. */
export function podGpus(pod: KubeObject): number {
  const of = (c: any) =>
    count(
      c?.resources?.requests?.[NVIDIA_GPU] ??
        c?.resources?.limits?.[NVIDIA_GPU],
    );
  const main = (pod.spec?.containers ?? []).reduce(
    (s: number, c: any) => s + of(c),
    0,
  );
  const init = Math.max(0, ...(pod.spec?.initContainers ?? []).map(of));
  return Math.max(main, init);
}

export const isTerminated = (pod: KubeObject) =>
  pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export const isPodReady = (pod: KubeObject) =>
  (pod.status?.conditions ?? []).some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );

export const isNodeReady = (node: KubeObject) =>
  (node.status?.conditions ?? []).some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );

/** GPUs a node offers. */
export const nodeGpus = (node: KubeObject) =>
  count(node.status?.allocatable?.[NVIDIA_GPU]);

/** Whether a toleration tolerates a taint. */
function tolerates(t: any, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** Taints of a node the scheduler sees, cordoning and readiness included. */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints: Taint[] = [...(node.spec?.taints ?? [])];
  if (
    node.spec?.unschedulable &&
    !taints.some(t => t.key === 'node.kubernetes.io/unschedulable')
  ) {
    taints.push({
      key: 'node.kubernetes.io/unschedulable',
      effect: 'NoSchedule',
    });
  }
  if (
    !isNodeReady(node) &&
    !taints.some(t => t.key === 'node.kubernetes.io/not-ready')
  ) {
    taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  }
  return taints;
}

/** Whether the pod's node selector and required node affinity accept the labels. */
export function selectorAccepts(
  pod: KubeObject,
  labels: Record<string, string>,
): boolean {
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return false;
  }
  const terms =
    pod.spec?.affinity?.nodeAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  return terms.some((term: any) =>
    matchesLabelSelector(
      { matchExpressions: term.matchExpressions ?? [] },
      labels,
    ),
  );
}

/** Why a node cannot take a pod (as the scheduler says it), or undefined when it can. */
export function misfit(
  pod: KubeObject,
  node: { labels: Record<string, string>; taints: Taint[]; freeGpus: number },
): string | undefined {
  if (!selectorAccepts(pod, node.labels)) {
    return "node(s) didn't match Pod's node affinity/selector";
  }
  const tolerations = pod.spec?.tolerations ?? [];
  const untolerated = node.taints.find(
    taint =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !tolerations.some((t: any) => tolerates(t, taint)),
  );
  if (untolerated) {
    if (untolerated.key === 'node.kubernetes.io/unschedulable')
      return 'node(s) were unschedulable';
    return `node(s) had untolerated taint {${untolerated.key}: ${
      untolerated.value ?? ''
    }}`;
  }
  if (podGpus(pod) > node.freeGpus) return `Insufficient ${NVIDIA_GPU}`;
  return undefined;
}

/** The scheduler's message for a pod no node takes. */
export function unschedulableMessage(total: number, reasons: string[]): string {
  if (total === 0) {
    return 'no nodes available to schedule pods';
  }
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([r, n]) => `${n} ${r}`);
  return `0/${total} nodes are available: ${parts.join(
    ', ',
  )}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}
