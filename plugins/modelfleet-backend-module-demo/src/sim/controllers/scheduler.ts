import { StoredObject } from '../objects';
import { ClusterContext } from './context';
import { Controller } from './manager';
import {
  effectiveTaints,
  isTerminated,
  misfit,
  nodeGpus,
  podGpus,
  unschedulableMessage,
} from './placement';

/**
 * The scheduler: binds each pending pod to a node whose labels its node
 * selector and required affinity accept, whose taints it tolerates, and
 * with enough free `nvidia.com/gpu` (CPU and memory are not counted; GPU
 * nodes have plenty). Among those it packs: the node with the least free
 * GPUs that fit, then by name. A pod no node takes gets `PodScheduled=False`
 * with reason `Unschedulable` and the scheduler's message.
 */
export class Scheduler implements Controller {
  readonly name = 'scheduler';

  constructor(private readonly ctx: ClusterContext) {}

  reconcile(): void {
    const { store, types } = this.ctx;
    const nodes = store
      .list(types.node)
      .filter(n => !n.metadata.deletionTimestamp);
    const pods = store.list(types.pod);
    const used = new Map<string, number>();
    for (const p of pods) {
      if (p.spec?.nodeName && !isTerminated(p)) {
        used.set(
          p.spec.nodeName,
          (used.get(p.spec.nodeName) ?? 0) + podGpus(p),
        );
      }
    }
    const pending = pods
      .filter(
        p =>
          !p.spec?.nodeName &&
          p.status?.phase === 'Pending' &&
          !p.metadata.deletionTimestamp,
      )
      .sort(
        (a, b) =>
          (a.metadata.creationTimestamp ?? '').localeCompare(
            b.metadata.creationTimestamp ?? '',
          ) || a.metadata.name.localeCompare(b.metadata.name),
      );
    for (const pod of pending) {
      const reasons: string[] = [];
      let best: { node: StoredObject; free: number } | undefined;
      for (const node of nodes) {
        const free = nodeGpus(node) - (used.get(node.metadata.name) ?? 0);
        const why = misfit(pod, {
          labels: node.metadata.labels ?? {},
          taints: effectiveTaints(node),
          freeGpus: free,
        });
        if (why) {
          reasons.push(why);
          continue;
        }
        if (
          !best ||
          free < best.free ||
          (free === best.free && node.metadata.name < best.node.metadata.name)
        ) {
          best = { node, free };
        }
      }
      if (best) {
        const nodeName = best.node.metadata.name;
        used.set(nodeName, (used.get(nodeName) ?? 0) + podGpus(pod));
        this.bind(pod, nodeName);
      } else {
        this.unschedulable(pod, unschedulableMessage(nodes.length, reasons));
      }
    }
  }

  private bind(pod: StoredObject, nodeName: string): void {
    const time = this.ctx.time();
    this.ctx.modify(this.ctx.types.pod, pod, 'kube-scheduler', draft => {
      draft.spec.nodeName = nodeName;
      const conditions = (draft.status?.conditions ?? []).filter(
        (c: any) => c.type !== 'PodScheduled',
      );
      draft.status = {
        ...draft.status,
        conditions: [
          ...conditions,
          {
            type: 'PodScheduled',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: time,
          },
        ],
      };
    });
  }

  private unschedulable(pod: StoredObject, message: string): void {
    const old = (pod.status?.conditions ?? []).find(
      (c: any) => c.type === 'PodScheduled',
    );
    if (old?.status === 'False' && old.message === message) return;
    const time = this.ctx.time();
    this.ctx.modify(this.ctx.types.pod, pod, 'kube-scheduler', draft => {
      const conditions = (draft.status?.conditions ?? []).filter(
        (c: any) => c.type !== 'PodScheduled',
      );
      draft.status = {
        ...draft.status,
        conditions: [
          ...conditions,
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message,
            lastProbeTime: null,
            lastTransitionTime:
              old?.status === 'False' ? old.lastTransitionTime : time,
          },
        ],
      };
    });
  }
}
