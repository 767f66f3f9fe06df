import type { ActionView } from './backends';
import { ADMIN_TOKEN, clusterUrl, CLUSTERS, Settings } from './environment';
import { request } from './http';

/**
 * Whether an action still applying is waiting, within its step's own
 * deadline, for what it waits on (a `waitReady` for pods that need a node
 * or a load). The deadline is the step's `timeoutSeconds` from the end of
 * the step before, plus `marginMs` for a lease to expire and a poll to
 * notice.
 */
export function waitingWithinDeadline(
  a: ActionView,
  now: number,
  marginMs = 120_000,
): boolean {
  if (a.state !== 'applying') return false;
  const step = a.steps[a.stepIndex];
  if (step?.do.op !== 'waitReady' || !step.do.timeoutSeconds) return false;
  const before = (a.events ?? []).filter(e =>
    a.stepIndex === 0
      ? e.from === 'planned' && e.to === 'applying'
      : e.step === a.stepIndex - 1 && e.outcome === 'succeeded',
  );
  const started = before.length
    ? Math.max(...before.map(e => Date.parse(e.at)))
    : Date.parse(a.updatedAt);
  return now < started + step.do.timeoutSeconds * 1000 + marginMs;
}

/** A workload as the cluster holds it, and its pods. */
export interface ObservedWorkload {
  spec?: { replicas?: number };
  status?: { readyReplicas?: number };
  pods: Array<{
    metadata?: { name?: string };
    status?: {
      phase?: string;
      conditions?: Array<{ type: string; status: string; reason?: string }>;
    };
  }>;
}

/**
 * Whether the cluster shows what a waiting `waitReady` step waits for: the
 * workload still wants the step's replicas (nobody changed the count, which
 * would fail the step at once) and fewer are ready, so pods are still
 * coming (scheduled on a node being provisioned, or loading). Anything else
 * is an action that should have moved on: `why` says what the cluster shows.
 */
export function podsStillComing(
  a: ActionView,
  w: ObservedWorkload | undefined,
): { coming: boolean; why: string } {
  const step = a.steps[a.stepIndex]?.do;
  if (step?.op !== 'waitReady' || step.replicas === undefined)
    return { coming: false, why: 'not waiting for replicas' };
  if (!w) return { coming: false, why: 'the workload is gone' };
  const desired = w.spec?.replicas ?? 1;
  const ready = w.status?.readyReplicas ?? 0;
  const pods = w.pods
    .map(p => {
      const unready = (p.status?.conditions ?? []).find(
        c => c.status !== 'True' && c.reason,
      );
      return `${p.metadata?.name} ${p.status?.phase ?? '?'}${
        unready ? ` (${unready.type}: ${unready.reason})` : ''
      }`;
    })
    .join(', ');
  const why = `${ready} of ${desired} ready, waiting for ${
    step.replicas
  }; pods: ${pods || 'none'}`;
  return { coming: desired === step.replicas && ready < desired, why };
}

/** The workload a waiting action's step is about, read from its simulated cluster. */
export async function observeWaiting(
  s: Settings,
  a: ActionView,
): Promise<ObservedWorkload | undefined> {
  const w = a.steps[a.stepIndex]?.do.workload;
  const i = CLUSTERS.findIndex(c => c.name === a.cluster);
  if (!w || i < 0 || w.kind !== 'Deployment') return undefined;
  const base = `${clusterUrl(s, i)}/apis/apps/v1/namespaces/${w.namespace}`;
  const d = await request(`${base}/deployments/${w.name}`, {
    token: ADMIN_TOKEN,
  });
  if (d.status !== 200) return undefined;
  const selector = Object.entries(d.body.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = await request(
    `${clusterUrl(s, i)}/api/v1/namespaces/${
      w.namespace
    }/pods?labelSelector=${encodeURIComponent(selector)}`,
    { token: ADMIN_TOKEN },
  );
  return { ...d.body, pods: pods.body.items ?? [] };
}
