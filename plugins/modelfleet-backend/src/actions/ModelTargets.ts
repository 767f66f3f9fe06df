import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AutoscalerRef,
  MODEL_KIND,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';
import { FleetStateStore } from '../database/FleetStateStore';
import { PAUSED_REPLICAS } from '../engines/actions/diff';
import { ModelTarget } from '../engines/actions/modelPlans';
import { ownerTeamRef } from '../showback/ModelDirectory';
import {
  ClusterActuator,
  IDLE_TIER_ANNOTATION,
} from '@modelfleet/plugin-modelfleet-node';
import { ActuatorDirectory } from './types';

/** A Model entity and where it runs, or why that is not known. */
export interface ResolvedModel {
  entity: Entity;
  entityRef: string;
  /** The owning Group's ref, lower case; empty when the entity has none. */
  teamRef: string;
  target?: ModelTarget;
  /** Why there is no target. */
  missing?: string;
}

const AUTOSCALER_APIS: Array<{
  kind: AutoscalerRef['kind'];
  apiVersion: string;
}> = [
  { kind: 'ScaledObject', apiVersion: 'keda.sh/v1alpha1' },
  { kind: 'HTTPScaledObject', apiVersion: 'http.keda.sh/v1alpha1' },
];

const num = (v: unknown, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/**
 * The sleep state of a model deployed with the sleep idle tier (its
 * workload annotated `modelfleet.io/idle-tier: sleep`): how many of its
 * Ready pods' engines sleep. Undefined for any other model.
 */
async function engineOf(
  actuator: ClusterActuator,
  workload: WorkloadRef,
  ready: number,
): Promise<ModelTarget['engine']> {
  if (!actuator.engineSleep) return undefined;
  const o = await actuator.get(workload.cluster, {
    apiVersion: 'apps/v1',
    kind: workload.kind,
    namespace: workload.namespace,
    name: workload.name,
  });
  if (o?.metadata.annotations?.[IDLE_TIER_ANNOTATION] !== 'sleep') {
    return undefined;
  }
  if (ready === 0) return { pods: 0, sleeping: 0 };
  const state = await actuator.engineSleep(workload);
  return {
    pods: state.pods.length,
    sleeping: state.pods.filter(p => p.sleeping).length,
  };
}

/**
 * Finds where a Model runs: the workload its `spec.workload` names, else
 * the workload labelled with its name that the cluster sync last saw; its
 * KEDA autoscaler (a ScaledObject or HTTPScaledObject of the same name
 * whose `scaleTargetRef` is the workload), and its replicas now, read from
 * the cluster through the actuator.
 */
export class ModelTargets {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      fleet: FleetStateStore;
      actuators: ActuatorDirectory;
      /**
       * Where the model's last completed move took it: that workload
       * serves it now, whatever its entity says.
       */
      lastMove?: (entityRef: string) => Promise<WorkloadRef | undefined>;
    },
  ) {}

  async resolve(
    namespace: string,
    name: string,
    credentials: BackstageCredentials,
  ): Promise<ResolvedModel> {
    const ref = stringifyEntityRef({ kind: MODEL_KIND, namespace, name });
    const entity = await this.options.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`no Model ${ref} in the catalog`);
    const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    const teamRef = ownerTeamRef(entity);
    const base = { entity, entityRef, teamRef };
    const workload =
      (await this.movedTo(entityRef)) ?? (await this.workloadOf(entity));
    if (!workload) {
      return {
        ...base,
        missing: 'no workload of this model runs on a connected cluster',
      };
    }
    let actuator;
    try {
      actuator = await this.options.actuators.forCluster(workload.cluster);
    } catch (e) {
      return { ...base, missing: (e as Error).message };
    }
    try {
      const readiness = await actuator.readiness(workload);
      let autoscaler: ModelTarget['autoscaler'];
      for (const api of AUTOSCALER_APIS) {
        const o = await actuator.get(workload.cluster, {
          apiVersion: api.apiVersion,
          kind: api.kind,
          namespace: workload.namespace,
          name: workload.name,
        });
        const spec = (o?.spec ?? {}) as Record<string, any>;
        if (!o || spec.scaleTargetRef?.name !== workload.name) continue;
        const paused = o.metadata.annotations?.[PAUSED_REPLICAS];
        autoscaler = {
          cluster: workload.cluster,
          namespace: workload.namespace,
          kind: api.kind,
          name: o.metadata.name,
          ...(paused !== undefined && /^\d+$/.test(paused)
            ? { pausedReplicas: Number(paused) }
            : {}),
          minReplicas:
            api.kind === 'ScaledObject'
              ? num(spec.minReplicaCount, 0)
              : num(spec.replicas?.min, 0),
          maxReplicas:
            api.kind === 'ScaledObject'
              ? num(spec.maxReplicaCount, 100)
              : num(spec.replicas?.max, 100),
          // KEDA's default for both kinds is 300 s.
          keepAliveSeconds:
            api.kind === 'ScaledObject'
              ? num(spec.cooldownPeriod, 300)
              : num(spec.scaledownPeriod, 300),
        };
        break;
      }
      const engine = await engineOf(actuator, workload, readiness.ready);
      return {
        ...base,
        target: {
          entityRef,
          workload,
          ...(autoscaler ? { autoscaler } : {}),
          ...(engine ? { engine } : {}),
          replicas: { desired: readiness.desired, ready: readiness.ready },
        },
      };
    } catch (e) {
      return {
        ...base,
        missing: `cluster ${workload.cluster} did not answer: ${
          (e as Error).message
        }`,
      };
    }
  }

  /**
   * The workload the model's last completed move took it to, while it
   * exists: gone (deleted by someone, or a simulated cluster restarted),
   * the model is where its entity says.
   */
  private async movedTo(entityRef: string): Promise<WorkloadRef | undefined> {
    const moved = await this.options.lastMove?.(entityRef);
    if (!moved) return undefined;
    try {
      const actuator = await this.options.actuators.forCluster(moved.cluster);
      const there = await actuator.get(moved.cluster, {
        apiVersion: 'apps/v1',
        kind: moved.kind,
        namespace: moved.namespace,
        name: moved.name,
      });
      return there ? moved : undefined;
    } catch {
      // The cluster does not answer: the move's workload is still where
      // the model runs, and resolving says the cluster did not answer.
      return moved;
    }
  }

  private async workloadOf(entity: Entity): Promise<WorkloadRef | undefined> {
    const w = entity.spec?.workload as Record<string, unknown> | undefined;
    if (
      typeof w?.cluster === 'string' &&
      typeof w.namespace === 'string' &&
      typeof w.name === 'string'
    ) {
      return {
        cluster: w.cluster,
        namespace: w.namespace,
        kind: w.kind === 'StatefulSet' ? 'StatefulSet' : 'Deployment',
        name: w.name,
      };
    }
    const name = entity.metadata.name.toLocaleLowerCase('en-US');
    const seen = (await this.options.fleet.listWorkloads()).find(
      x =>
        x.modelId.toLocaleLowerCase('en-US') === name &&
        !x.role &&
        (x.kind === 'Deployment' || x.kind === 'StatefulSet'),
    );
    return seen
      ? {
          cluster: seen.cluster,
          namespace: seen.namespace,
          kind: seen.kind as WorkloadRef['kind'],
          name: seen.name,
        }
      : undefined;
  }
}
