import { serverSideApply, trackUpdate } from './managedFields';
import {
  ACTION_STEP,
  clone,
  KubeObject,
  objectKey,
  StoredObject,
} from './objects';
import {
  apiVersionOf,
  ResourceRegistry,
  ResourceType,
  typeKey,
} from './resources';
import { matchesSelector, Selector } from './selectors';
import { alreadyExists, notFound, staleConflict } from './status';
import { StoreHistory } from './storeHistory';
import { ChangeRecord, StoreEvent, WriteOptions } from './storeTypes';
import {
  changesNothing,
  generatedName,
  keepIdentity,
  replacementOf,
  stampMetadata,
} from './storeWrites';
import { applyDefaults, validate } from './validation';

export type {
  ChangeRecord,
  EventType,
  StoreEvent,
  WriteOptions,
} from './storeTypes';

/**
 * The objects of one simulated cluster, with a global resourceVersion
 * counter and a bounded history of changes for watches.
 */
export class ObjectStore {
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  private readonly history: StoreHistory;
  private rv = 1;
  private nameSeq = 0;

  constructor(
    readonly registry: ResourceRegistry,
    /** The simulated time, in ms. */
    readonly now: () => number,
    historyLimit = 5_000,
  ) {
    this.history = new StoreHistory(historyLimit);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestResourceVersion(): number {
    return this.history.oldest;
  }

  /** The type of an apiVersion and kind; throws when it is not served. */
  type(apiVersion: string, kind: string): ResourceType {
    const t = this.registry.forKind(apiVersion, kind);
    if (!t)
      throw new Error(
        `the simulated API server serves no ${kind} in ${apiVersion}`,
      );
    return t;
  }

  private bucket(type: ResourceType): Map<string, StoredObject> {
    const key = typeKey(type);
    let b = this.objects.get(key);
    if (!b) {
      b = new Map();
      this.objects.set(key, b);
    }
    return b;
  }

  get(type: ResourceType, namespace: string | undefined, name: string) {
    const o = this.bucket(type).get(
      objectKey(type.namespaced ? namespace : undefined, name),
    );
    return o ? clone(o) : undefined;
  }

  /** Objects of a type, in a namespace or all, matching a selector. */
  list(
    type: ResourceType,
    options: { namespace?: string; selector?: Selector } = {},
  ): StoredObject[] {
    const out: StoredObject[] = [];
    for (const o of this.bucket(type).values()) {
      if (options.namespace && o.metadata.namespace !== options.namespace)
        continue;
      if (options.selector && !matchesSelector(options.selector, o)) continue;
      out.push(clone(o));
    }
    return out.sort((a, b) =>
      objectKey(a.metadata.namespace, a.metadata.name).localeCompare(
        objectKey(b.metadata.namespace, b.metadata.name),
      ),
    );
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    return this.history.subscribe(listener);
  }

  onChange(listener: (c: ChangeRecord) => void): () => void {
    return this.history.onChange(listener);
  }

  /** Changes of a type after a resourceVersion, or `gone` when they were compacted. */
  eventsSince(type: ResourceType, rv: number): StoreEvent[] | 'gone' {
    return this.history.eventsSince(type, rv);
  }

  /** Forgets the history: watches from any resourceVersion before now get 410 Gone. */
  compact(): void {
    this.history.compact(this.rv);
  }

  private time(): string {
    return new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  }

  private requireNamespace(type: ResourceType, namespace: string | undefined) {
    if (!type.namespaced) return;
    const nsType = this.type('v1', 'Namespace');
    if (!namespace || !this.bucket(nsType).has(namespace)) {
      throw notFound(nsType, namespace ?? '');
    }
  }

  /** A name for `generateName`: the prefix and five characters. */
  generateName(prefix: string): string {
    return generatedName(prefix, ++this.nameSeq);
  }

  create(type: ResourceType, object: KubeObject, options: WriteOptions = {}) {
    const o = clone(object);
    o.apiVersion = apiVersionOf(type);
    o.kind = type.kind;
    o.metadata = o.metadata ?? {};
    if (!o.metadata.name && o.metadata.generateName) {
      o.metadata.name = this.generateName(o.metadata.generateName);
    }
    if (!type.namespaced) delete o.metadata.namespace;
    this.requireNamespace(type, o.metadata.namespace);
    if (
      o.metadata.name &&
      this.get(type, o.metadata.namespace, o.metadata.name)
    ) {
      throw alreadyExists(type, o.metadata.name);
    }
    delete o.metadata.resourceVersion;
    trackUpdate({
      before: undefined,
      after: o,
      manager: options.manager ?? 'unknown',
      ignoreStatus: Boolean(type.status),
      time: this.time(),
    });
    return this.commit(type, undefined, o, { verb: 'create', ...options });
  }

  /** PUT: replaces the object; a stale resourceVersion fails with 409. */
  update(type: ResourceType, object: KubeObject, options: WriteOptions = {}) {
    const name = object.metadata?.name ?? '';
    const namespace = type.namespaced ? object.metadata?.namespace : undefined;
    const before = this.get(type, namespace, name);
    if (!before) throw notFound(type, name);
    const rv = object.metadata?.resourceVersion;
    if (rv && rv !== before.metadata.resourceVersion)
      throw staleConflict(type, name);
    const after = replacementOf(
      type,
      before,
      object,
      name,
      namespace,
      options.subresource,
    );
    trackUpdate({
      before,
      after,
      manager: options.manager ?? 'unknown',
      subresource: options.subresource,
      ignoreStatus: Boolean(type.status),
      time: this.time(),
    });
    return this.commit(type, before, after, { verb: 'update', ...options });
  }

  /**
   * Read-modify-write: `change` gets a copy of the object to change (or
   * returns a new one). Writes only when something changed.
   */
  modify(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    change: (draft: StoredObject) => KubeObject | void,
    options: WriteOptions = {},
  ): StoredObject {
    const before = this.get(type, namespace, name);
    if (!before) throw notFound(type, name);
    const draft = clone(before);
    const after = (change(draft) ?? draft) as KubeObject;
    keepIdentity(before, after);
    trackUpdate({
      before,
      after,
      manager: options.manager ?? 'unknown',
      subresource: options.subresource,
      ignoreStatus: Boolean(type.status),
      time: this.time(),
    });
    return this.commit(type, before, after, { verb: 'patch', ...options });
  }

  /** Server-side apply; creates the object when it is absent. */
  apply(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    config: KubeObject,
    options: WriteOptions & { force?: boolean } = {},
  ): StoredObject {
    const ns = type.namespaced ? namespace : undefined;
    const before = this.get(type, ns, name);
    const rv = config.metadata?.resourceVersion;
    if (before && rv && rv !== before.metadata.resourceVersion) {
      throw staleConflict(type, name);
    }
    if (!before) this.requireNamespace(type, ns);
    const after = serverSideApply({
      live: before,
      config: {
        ...config,
        metadata: {
          ...config.metadata,
          name,
          ...(ns ? { namespace: ns } : {}),
        },
      },
      manager: options.manager ?? 'unknown',
      force: Boolean(options.force),
      ignoreStatus: Boolean(type.status),
      time: this.time(),
    });
    after.apiVersion = apiVersionOf(type);
    after.kind = type.kind;
    if (!ns) delete after.metadata!.namespace;
    if (before) {
      after.metadata!.uid = before.metadata.uid;
      after.metadata!.resourceVersion = before.metadata.resourceVersion;
    }
    return this.commit(type, before, after, {
      verb: before ? 'patch' : 'create',
      ...options,
      ...(options.verb ? { verb: options.verb } : {}),
    });
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions = {},
  ): StoredObject {
    const ns = type.namespaced ? namespace : undefined;
    const before = this.get(type, ns, name);
    if (!before) throw notFound(type, name);
    if (options.dryRun) return before;
    if (type.plural === 'namespaces' && type.group === '') {
      for (const t of this.registry.types) {
        if (!t.namespaced) continue;
        for (const o of this.list(t, { namespace: name })) {
          this.delete(t, name, o.metadata.name, { ...options, verb: 'delete' });
        }
      }
    }
    this.bucket(type).delete(objectKey(ns, name));
    this.rv += 1;
    const gone = clone(before);
    gone.metadata.resourceVersion = String(this.rv);
    this.record({
      rv: this.rv,
      type: 'DELETED',
      resource: type,
      object: gone,
      old: before,
    });
    this.recordChange(type, gone, { verb: 'delete', ...options });
    return gone;
  }

  private commit(
    type: ResourceType,
    before: StoredObject | undefined,
    after: KubeObject,
    options: WriteOptions & { verb: string },
  ): StoredObject {
    applyDefaults(type, after);
    validate(type, after, before);
    const meta = after.metadata!;
    // No change: no new resourceVersion.
    if (before && changesNothing(before, after)) return before;
    stampMetadata(before, after, () => this.time());
    if (options.dryRun) {
      meta.resourceVersion = before?.metadata.resourceVersion ?? '';
      if (!before) delete meta.resourceVersion;
      return after as StoredObject;
    }
    this.rv += 1;
    meta.resourceVersion = String(this.rv);
    const stored = after as StoredObject;
    this.bucket(type).set(objectKey(meta.namespace, meta.name!), clone(stored));
    this.record({
      rv: this.rv,
      type: before ? 'MODIFIED' : 'ADDED',
      resource: type,
      object: clone(stored),
      ...(before ? { old: before } : {}),
    });
    this.recordChange(type, stored, options);
    return clone(stored);
  }

  private record(event: StoreEvent): void {
    this.history.record(event);
  }

  private recordChange(
    type: ResourceType,
    object: StoredObject,
    options: WriteOptions,
  ) {
    const step = object.metadata.annotations?.[ACTION_STEP];
    const change: ChangeRecord = {
      rv: this.rv,
      time: this.time(),
      verb: options.verb ?? 'update',
      resource: type.plural,
      ...(options.subresource ? { subresource: options.subresource } : {}),
      ...(object.metadata.namespace
        ? { namespace: object.metadata.namespace }
        : {}),
      name: object.metadata.name,
      source: options.source ?? 'controller',
      ...(options.user ? { user: options.user } : {}),
      ...(step ? { actionStep: step } : {}),
    };
    this.history.recordChange(change);
  }
}
