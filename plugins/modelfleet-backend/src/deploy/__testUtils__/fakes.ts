import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { KubeObject } from '@modelfleet/plugin-modelfleet-common';
import {
  ActuatorChangeOptions,
  ActuatorError,
  AppliedObject,
  ClusterActuator,
} from '@modelfleet/plugin-modelfleet-node';
import { randomUUID } from 'node:crypto';
import { StoredAction } from '../../database/ActionStore';
import {
  ActionRequest,
  ActionRequester,
  ActuatorDirectory,
} from '../../actions/types';

/**
 * An in-memory cluster: `apply` answers like an API server (the object
 * with a uid and a namespace), and stores it unless it is a dry-run.
 */
export class FakeActuator implements ClusterActuator {
  readonly id = 'fake';
  readonly stored = new Map<string, KubeObject>();
  readonly calls: Array<{
    objects: KubeObject[];
    options?: ActuatorChangeOptions;
  }> = [];
  /** Set to make the next apply fail. */
  failWith?: ActuatorError;

  constructor(readonly clusterNames: string[]) {}

  async listClusters() {
    return this.clusterNames;
  }

  async apply(
    cluster: string,
    objects: KubeObject[],
    options?: ActuatorChangeOptions,
  ): Promise<AppliedObject[]> {
    this.calls.push({ objects, options });
    if (this.failWith) throw this.failWith;
    return objects.map(o => {
      const object = {
        ...o,
        metadata: { ...o.metadata, uid: `uid-${o.metadata.name}` },
      };
      if (!options?.dryRun) {
        this.stored.set(
          `${cluster}/${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
          object,
        );
      }
      return {
        kind: o.kind,
        name: o.metadata.name,
        ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
        object,
      };
    });
  }

  async get(
    cluster: string,
    ref: { kind: string; namespace?: string; name: string },
  ): Promise<KubeObject | undefined> {
    return this.stored.get(
      `${cluster}/${ref.kind}/${ref.namespace}/${ref.name}`,
    );
  }
  async scale(): Promise<{ previous: number }> {
    throw new Error('not used');
  }
  async pauseAutoscaler(): Promise<{ previous: number | null }> {
    throw new Error('not used');
  }
  async setKeepAlive(): Promise<{ previous: number | null }> {
    throw new Error('not used');
  }
  async readiness(): Promise<never> {
    throw new Error('not used');
  }
}

/** The directory over one actuator, refusing other cluster names like the real one. */
export function fakeDirectory(actuator: FakeActuator): ActuatorDirectory {
  return {
    async forCluster(cluster) {
      if (!actuator.clusterNames.includes(cluster)) {
        throw new InputError(
          `cluster: no connected cluster is named '${cluster}' (connected: ${actuator.clusterNames.join(
            ', ',
          )})`,
        );
      }
      return actuator;
    },
    async clusters() {
      return actuator.clusterNames;
    },
  };
}

/** Stores requested actions in memory, once per idempotency key. */
export function memoryRequester(): ActionRequester & {
  requests: ActionRequest[];
} {
  const byKey = new Map<string, StoredAction>();
  const requests: ActionRequest[] = [];
  return {
    requests,
    async request(r) {
      requests.push(r);
      const existing = byKey.get(r.idempotencyKey);
      if (existing) return { action: existing, created: false };
      const at = new Date().toISOString();
      const action: StoredAction = {
        ...r,
        id: randomUUID(),
        state: 'planned',
        stepIndex: -1,
        attempts: 0,
        version: 0,
        createdAt: at,
        updatedAt: at,
      };
      byKey.set(r.idempotencyKey, action);
      return { action, created: true };
    },
    async get(id) {
      return [...byKey.values()].find(a => a.id === id);
    },
  };
}

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

const user = (name: string, teams: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: teams },
  relations: teams.map(t => ({
    type: 'memberOf',
    targetRef: `group:default/${t}`,
  })),
});

/**
 * The catalog of the tests: search-team (ana), speech-team (sam),
 * platform-team (pat), a User without teams (nobody), and the Model
 * `chat` owned by search-team.
 */
export const catalogEntities: Entity[] = [
  group('search-team'),
  group('speech-team'),
  group('platform-team'),
  user('ana', ['search-team']),
  user('sam', ['speech-team']),
  user('pat', ['platform-team']),
  user('nobody', []),
  {
    apiVersion: 'modelfleet.io/v1alpha1',
    kind: 'Model',
    metadata: { name: 'chat', namespace: 'default' },
    spec: { owner: 'search-team' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/search-team' }],
  },
];
