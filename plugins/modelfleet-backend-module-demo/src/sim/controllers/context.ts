import { SimClock } from '../clock';
import { KubeObject, StoredObject } from '../objects';
import { ResourceType } from '../resources';
import { ObjectStore } from '../store';

/** What every controller of a cluster works with. */
export class ClusterContext {
  readonly types: {
    namespace: ResourceType;
    node: ResourceType;
    pod: ResourceType;
    event: ResourceType;
    deployment: ResourceType;
    replicaSet: ResourceType;
    statefulSet: ResourceType;
    scaledObject: ResourceType;
    httpScaledObject: ResourceType;
  };
  private eventSeq = 0;

  constructor(readonly store: ObjectStore, readonly clock: SimClock) {
    const t = (v: string, k: string) => store.type(v, k);
    this.types = {
      namespace: t('v1', 'Namespace'),
      node: t('v1', 'Node'),
      pod: t('v1', 'Pod'),
      event: t('v1', 'Event'),
      deployment: t('apps/v1', 'Deployment'),
      replicaSet: t('apps/v1', 'ReplicaSet'),
      statefulSet: t('apps/v1', 'StatefulSet'),
      scaledObject: t('keda.sh/v1alpha1', 'ScaledObject'),
      httpScaledObject: t('http.keda.sh/v1alpha1', 'HTTPScaledObject'),
    };
  }

  /** Simulated time, as Kubernetes writes timestamps. */
  time(at: number = this.clock.now()): string {
    return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
  }

  /** Writes a change of a controller; does nothing when the object is gone. */
  modify(
    type: ResourceType,
    object: { metadata: { namespace?: string; name: string } },
    manager: string,
    change: (draft: StoredObject) => KubeObject | void,
    subresource?: string,
  ): StoredObject | undefined {
    if (!this.store.get(type, object.metadata.namespace, object.metadata.name))
      return undefined;
    return this.store.modify(
      type,
      object.metadata.namespace,
      object.metadata.name,
      change,
      {
        manager,
        source: 'controller',
        ...(subresource ? { subresource } : {}),
      },
    );
  }

  create(
    type: ResourceType,
    object: KubeObject,
    manager: string,
  ): StoredObject {
    return this.store.create(type, object, { manager, source: 'controller' });
  }

  remove(
    type: ResourceType,
    object: { metadata: { namespace?: string; name: string } },
    manager: string,
  ) {
    if (!this.store.get(type, object.metadata.namespace, object.metadata.name))
      return;
    this.store.delete(type, object.metadata.namespace, object.metadata.name, {
      manager,
      source: 'controller',
    });
  }

  /** Records a Kubernetes Event about an object. */
  event(input: {
    object: StoredObject;
    reason: string;
    message: string;
    type?: 'Normal' | 'Warning';
    component: string;
  }): void {
    const { object } = input;
    const namespace = object.metadata.namespace ?? 'default';
    const time = this.time();
    this.create(
      this.types.event,
      {
        metadata: {
          name: `${object.metadata.name}.${(++this.eventSeq)
            .toString(16)
            .padStart(16, '0')}`,
          namespace,
        },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata.name,
          ...(object.metadata.namespace
            ? { namespace: object.metadata.namespace }
            : {}),
          uid: object.metadata.uid,
        },
        reason: input.reason,
        message: input.message,
        type: input.type ?? 'Normal',
        source: { component: input.component },
        reportingComponent: input.component,
        firstTimestamp: time,
        lastTimestamp: time,
        count: 1,
      },
      input.component,
    );
  }
}

/** The controller owner reference of an object, if any. */
export const controllerOf = (o: KubeObject) =>
  (o.metadata?.ownerReferences ?? []).find(r => r.controller);

/** An owner reference to `owner`, as its controller. */
export const ownerRef = (owner: StoredObject) => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.metadata.name,
  uid: owner.metadata.uid,
  controller: true,
  blockOwnerDeletion: true,
});
