import { seedOf } from '../../replay';
import { clone, KubeObject, StoredObject } from '../objects';
import { ResourceType } from '../resources';
import { matchesLabelSelector } from '../selectors';
import { ClusterContext, controllerOf, ownerRef } from './context';
import { Controller } from './manager';
import { isPodReady, isTerminated } from './placement';
import { rolloutBounds, rolloutStep } from './rollout';

const MANAGER = 'kube-controller-manager';

/** `pod-template-hash` of a pod template: ten hex digits. */
export function templateHash(template: unknown): string {
  const text = JSON.stringify(template ?? {});
  return (seedOf(text).toString(16) + seedOf(`x${text}`).toString(16))
    .padEnd(10, '0')
    .slice(0, 10);
}

/** Pods that count as replicas: not finished, not being deleted. */
const isActive = (p: KubeObject) =>
  !isTerminated(p) && !p.metadata?.deletionTimestamp;

/**
 * Which pods to remove first when there are too many, as the ReplicaSet
 * controller picks them: unscheduled, then not ready, then the newest.
 */
function removalOrder(a: StoredObject, b: StoredObject): number {
  const rank = (p: StoredObject) => {
    if (!p.spec?.nodeName) return 0;
    return isPodReady(p) ? 2 : 1;
  };
  return (
    rank(a) - rank(b) ||
    (b.metadata.creationTimestamp ?? '').localeCompare(
      a.metadata.creationTimestamp ?? '',
    ) ||
    b.metadata.name.localeCompare(a.metadata.name)
  );
}

/** Status counts of a set of pods. */
function counts(pods: StoredObject[]) {
  const active = pods.filter(isActive);
  const ready = active.filter(isPodReady).length;
  return { replicas: active.length, ready };
}

/**
 * The Deployment, ReplicaSet and StatefulSet controllers, and garbage
 * collection: a Deployment owns one ReplicaSet per pod template, which
 * keeps as many pods as its replicas; a new template rolls out as its
 * strategy says (`rollout.ts`: a rolling update within maxSurge and
 * maxUnavailable, 25 % each by default, or Recreate), and an old
 * template's ReplicaSet is removed once it has no pods; a StatefulSet keeps pods
 * `<name>-0` … `<name>-(n-1)`. Pods whose owner or node is gone are
 * deleted, as the garbage collector and the pod GC do.
 */
export class WorkloadController implements Controller {
  readonly name = 'workloads';

  constructor(private readonly ctx: ClusterContext) {}

  reconcile(): void {
    const { store, types } = this.ctx;
    for (const d of store.list(types.deployment)) this.deployment(d);
    for (const rs of store.list(types.replicaSet)) this.replicaSet(rs);
    for (const sts of store.list(types.statefulSet)) this.statefulSet(sts);
    this.collectGarbage();
  }

  private podsOf(owner: StoredObject): StoredObject[] {
    return this.ctx.store
      .list(this.ctx.types.pod, { namespace: owner.metadata.namespace })
      .filter(p => controllerOf(p)?.uid === owner.metadata.uid);
  }

  private deployment(d: StoredObject): void {
    const { store, types } = this.ctx;
    const hash = templateHash(d.spec.template);
    const rsName = `${d.metadata.name}-${hash}`;
    const owned = store
      .list(types.replicaSet, { namespace: d.metadata.namespace })
      .filter(rs => controllerOf(rs)?.uid === d.metadata.uid);
    let current = owned.find(rs => rs.metadata.name === rsName);
    const template = clone(d.spec.template);
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
    };
    const spec = {
      replicas: d.spec.replicas,
      selector: {
        ...d.spec.selector,
        matchLabels: {
          ...d.spec.selector?.matchLabels,
          'pod-template-hash': hash,
        },
      },
      template,
    };
    const olds = owned.filter(rs => rs.metadata.name !== rsName);
    const desired = d.spec.replicas ?? 1;
    const bounds = rolloutBounds(d.spec.strategy, desired);
    // A rolling update while old pods run; otherwise the replicas at once.
    let want = desired;
    let oldWant: number[] = olds.map(() => 0);
    if (bounds && olds.some(rs => (rs.spec.replicas ?? 0) > 0)) {
      const set = (rs: StoredObject | undefined) =>
        rs
          ? {
              replicas: rs.spec.replicas ?? 0,
              ready: counts(this.podsOf(rs)).ready,
            }
          : { replicas: 0, ready: 0 };
      const step = rolloutStep({
        desired,
        ...bounds,
        current: set(current),
        old: olds.map(set),
      });
      want = step.current;
      oldWant = step.old;
    }
    if (!current) {
      current = this.ctx.create(
        types.replicaSet,
        {
          metadata: {
            name: rsName,
            namespace: d.metadata.namespace,
            labels: { ...template.metadata.labels },
            annotations: {
              'deployment.kubernetes.io/revision': String(owned.length + 1),
            },
            ownerReferences: [ownerRef(d)],
          },
          spec: { ...spec, replicas: want },
        },
        MANAGER,
      );
    } else if (current.spec.replicas !== want) {
      current =
        this.ctx.modify(types.replicaSet, current, MANAGER, draft => {
          draft.spec.replicas = want;
        }) ?? current;
    }
    olds.forEach((old, i) => {
      if (oldWant[i] <= 0 && counts(this.podsOf(old)).replicas === 0) {
        this.ctx.remove(types.replicaSet, old, MANAGER);
      } else if (old.spec.replicas !== oldWant[i]) {
        this.ctx.modify(types.replicaSet, old, MANAGER, draft => {
          draft.spec.replicas = oldWant[i];
        });
      }
    });
    const all = owned
      .filter(rs => rs.metadata.name !== rsName)
      .flatMap(rs => this.podsOf(rs));
    const updated = counts(this.podsOf(current));
    const { replicas, ready } = counts([...this.podsOf(current), ...all]);
    const rolling = replicas > updated.replicas;
    const available = ready;
    const status = {
      observedGeneration: d.metadata.generation,
      replicas,
      updatedReplicas: updated.replicas,
      readyReplicas: ready,
      availableReplicas: available,
      ...(replicas - available > 0
        ? { unavailableReplicas: replicas - available }
        : {}),
      conditions: [
        this.condition(
          d,
          'Available',
          available >= d.spec.replicas,
          available >= d.spec.replicas
            ? 'MinimumReplicasAvailable'
            : 'MinimumReplicasUnavailable',
          available >= d.spec.replicas
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
        ),
        this.condition(
          d,
          'Progressing',
          true,
          rolling ? 'ReplicaSetUpdated' : 'NewReplicaSetAvailable',
          rolling
            ? `ReplicaSet "${rsName}" is progressing.`
            : `ReplicaSet "${rsName}" has successfully progressed.`,
        ),
      ],
    };
    if (ready === 0) delete (status as any).readyReplicas;
    if (available === 0) delete (status as any).availableReplicas;
    this.writeStatus(types.deployment, d, status);
  }

  private condition(
    o: StoredObject,
    type: string,
    ok: boolean,
    reason: string,
    message: string,
  ) {
    const old = (o.status?.conditions ?? []).find((c: any) => c.type === type);
    const status = ok ? 'True' : 'False';
    const changed = !old || old.status !== status;
    const time = this.ctx.time();
    return {
      type,
      status,
      lastUpdateTime: changed ? time : old.lastUpdateTime,
      lastTransitionTime: changed ? time : old.lastTransitionTime,
      reason,
      message,
    };
  }

  private writeStatus(type: ResourceType, o: StoredObject, status: any) {
    if (JSON.stringify(o.status ?? {}) === JSON.stringify(status)) return;
    this.ctx.modify(
      type,
      o,
      MANAGER,
      draft => {
        draft.status = status;
      },
      'status',
    );
  }

  private newPod(owner: StoredObject, name: string, template: any): KubeObject {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: owner.metadata.namespace,
        labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations
          ? { annotations: { ...template.metadata.annotations } }
          : {}),
        ownerReferences: [ownerRef(owner)],
      },
      spec: clone(template.spec),
      status: { phase: 'Pending', qosClass: 'Burstable' },
    };
  }

  private replicaSet(rs: StoredObject): void {
    const { store, types } = this.ctx;
    const pods = this.podsOf(rs);
    const active = pods.filter(isActive);
    const want = rs.spec.replicas ?? 1;
    for (let i = active.length; i < want; i++) {
      const name = store.generateName(`${rs.metadata.name}-`);
      this.ctx.create(
        types.pod,
        this.newPod(rs, name, rs.spec.template),
        MANAGER,
      );
    }
    if (active.length > want) {
      for (const p of [...active]
        .sort(removalOrder)
        .slice(0, active.length - want)) {
        this.ctx.remove(types.pod, p, MANAGER);
      }
    }
    const { replicas, ready } = counts(this.podsOf(rs));
    const status: any = {
      replicas,
      fullyLabeledReplicas: replicas,
      observedGeneration: rs.metadata.generation,
      ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}),
    };
    this.writeStatus(types.replicaSet, rs, status);
  }

  private statefulSet(sts: StoredObject): void {
    const { types } = this.ctx;
    const want = sts.spec.replicas ?? 1;
    const pods = this.podsOf(sts);
    const byName = new Map(pods.map(p => [p.metadata.name, p]));
    const hash = templateHash(sts.spec.template);
    for (let i = 0; i < want; i++) {
      const name = `${sts.metadata.name}-${i}`;
      const pod = byName.get(name);
      // The StatefulSet controller replaces a failed pod under the same name.
      if (pod && isTerminated(pod)) this.ctx.remove(types.pod, pod, MANAGER);
      if (!pod || isTerminated(pod)) {
        const template = clone(sts.spec.template);
        template.metadata = {
          ...template.metadata,
          labels: {
            ...template.metadata?.labels,
            'controller-revision-hash': `${sts.metadata.name}-${hash}`,
            'statefulset.kubernetes.io/pod-name': name,
          },
        };
        this.ctx.create(types.pod, this.newPod(sts, name, template), MANAGER);
      }
    }
    for (const p of pods) {
      const ordinal = Number(
        p.metadata.name.slice(sts.metadata.name.length + 1),
      );
      if (ordinal >= want) this.ctx.remove(types.pod, p, MANAGER);
    }
    const { replicas, ready } = counts(this.podsOf(sts));
    const status: any = {
      observedGeneration: sts.metadata.generation,
      replicas,
      currentReplicas: replicas,
      updatedReplicas: replicas,
      availableReplicas: ready,
      ...(ready ? { readyReplicas: ready } : {}),
      currentRevision: `${sts.metadata.name}-${hash}`,
      updateRevision: `${sts.metadata.name}-${hash}`,
    };
    this.writeStatus(types.statefulSet, sts, status);
  }

  private collectGarbage(): void {
    const { store, types } = this.ctx;
    const uids = new Set<string>();
    for (const t of [types.deployment, types.replicaSet, types.statefulSet]) {
      for (const o of store.list(t)) uids.add(o.metadata.uid);
    }
    for (const rs of store.list(types.replicaSet)) {
      const owner = controllerOf(rs);
      if (owner && !uids.has(owner.uid))
        this.ctx.remove(types.replicaSet, rs, 'garbage-collector');
    }
    const nodes = new Set(store.list(types.node).map(n => n.metadata.name));
    for (const pod of store.list(types.pod)) {
      const owner = controllerOf(pod);
      const orphan =
        owner &&
        !uids.has(owner.uid) &&
        ['ReplicaSet', 'StatefulSet'].includes(owner.kind);
      const nodeGone = pod.spec?.nodeName && !nodes.has(pod.spec.nodeName);
      if (orphan) this.ctx.remove(types.pod, pod, 'garbage-collector');
      else if (nodeGone)
        this.ctx.remove(types.pod, pod, 'pod-garbage-collector');
    }
    // Events live an hour, as with the API server's default --event-ttl.
    const cutoff = this.ctx.time(this.ctx.clock.now() - 3600_000);
    for (const e of store.list(types.event)) {
      if ((e.lastTimestamp ?? '') < cutoff)
        this.ctx.remove(types.event, e, 'kube-apiserver');
    }
  }

  /** Whether a selector of a workload takes a pod's labels. */
  static selects(workload: KubeObject, pod: KubeObject): boolean {
    return matchesLabelSelector(workload.spec?.selector, pod.metadata?.labels);
  }
}
