import { Entity, KindValidator } from '@backstage/catalog-model';
import { MODEL_KIND, MODELFLEET_API_VERSION } from '../constants';
import type { ModelPrecision } from '../memory';
import { ModelSourceError, parseModelSource } from '../modelSource';
import { lazyKindSchemaValidator } from './lazyKindSchemaValidator';
import schema from './Model.v1alpha1.schema.json';

/**
 * Serving runtimes a Model can declare.
 *
 * @public
 */
export type ModelRuntime = 'vllm' | 'tgi' | 'triton' | 'generic';

/**
 * How the platform treats spot capacity for a model or team.
 *
 * @public
 */
export type SpotPolicy = 'forbid' | 'allow' | 'prefer';

/**
 * Off, recommend only, or act.
 *
 * @public
 */
export type PolicyMode = 'off' | 'recommend' | 'enforce';

/**
 * A deployed or deployable AI model (catalog kind `Model`).
 *
 * @public
 */
export interface ModelEntityV1alpha1 extends Entity {
  apiVersion: typeof MODELFLEET_API_VERSION;
  kind: typeof MODEL_KIND;
  spec: {
    type: string;
    lifecycle?: string;
    owner: string;
    system?: string;
    source: string;
    parametersBillions?: number;
    precision?: ModelPrecision;
    runtime: ModelRuntime;
    gpu: { types?: string[]; count: number; memoryGiB?: number };
    replicas?: { min?: number; max?: number };
    workload?: {
      cluster: string;
      namespace: string;
      kind?: 'Deployment' | 'StatefulSet' | 'InferenceService';
      name?: string;
      selector?: Record<string, string>;
    };
    runsOn?: string[];
    dependencyOf?: string[];
    /** APIs it serves, e.g. a Red Hat Developer Hub `ai-model-server` API. */
    providesApis?: string[];
    /** What it needs, e.g. the Red Hat Developer Hub `ai-model` Resource. */
    dependsOn?: string[];
    policy?: {
      spot?: SpotPolicy;
      monthlyBudgetUsd?: number;
      hibernation?: {
        mode?: PolicyMode;
        idleMinutes?: number;
        minWarmReplicas?: number;
      };
    };
  };
}

/**
 * JSON schema of the `Model` kind.
 *
 * @public
 */
export const modelEntityV1alpha1Schema = schema;

const validate = lazyKindSchemaValidator<ModelEntityV1alpha1>(schema);

function checkModelRules(entity: ModelEntityV1alpha1): void {
  // The schema says only "a non-empty string"; the shared rules refuse
  // what must not reach the catalog: credentials (`https://user:token@…`,
  // signed URLs), option-like ids, `..`. The message never repeats the
  // source.
  try {
    parseModelSource(entity.spec.source);
  } catch (e) {
    if (!(e instanceof ModelSourceError)) throw e;
    throw new TypeError(`/spec/source ${e.message}`);
  }
  const replicas = entity.spec.replicas;
  if (
    replicas?.min !== undefined &&
    replicas?.max !== undefined &&
    replicas.min > replicas.max
  ) {
    throw new TypeError(
      `/spec/replicas/min (${replicas.min}) must not exceed /spec/replicas/max (${replicas.max})`,
    );
  }
  if (
    entity.spec.workload &&
    !entity.spec.workload.name &&
    !entity.spec.workload.selector
  ) {
    throw new TypeError(
      '/spec/workload must have a name or a selector to find the workload by',
    );
  }
}

/**
 * Validates a `Model` entity: `check` returns false for other kinds and
 * throws a `TypeError` naming the field (e.g. `/spec must have required
 * property 'owner'`) for a malformed Model.
 *
 * @public
 */
export const modelEntityV1alpha1Validator: KindValidator = {
  async check(data: Entity) {
    const entity = validate(data);
    if (entity === false) return false;
    checkModelRules(entity);
    return true;
  },
};

/**
 * Whether an entity is a ModelFleet `Model`.
 *
 * @public
 */
export function isModelEntity(entity: Entity): entity is ModelEntityV1alpha1 {
  return (
    entity.apiVersion === MODELFLEET_API_VERSION && entity.kind === MODEL_KIND
  );
}
