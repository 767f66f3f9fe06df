import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KubeObject,
  PoolScheduling,
} from '@modelfleet/plugin-modelfleet-common';
import { IDLE_TIER_ANNOTATION } from '@modelfleet/plugin-modelfleet-node';

/** The pool a model is rendered for, as the Deploy template's picker gives it. */
export interface RenderPool {
  ref: string;
  cluster: string;
  region: string;
  capacityType: 'on-demand' | 'spot' | 'reserved';
  sharing?: 'whole' | 'mig' | 'time-slicing';
  scheduling: PoolScheduling;
  gpuProduct: string;
}

const RUNTIMES = ['vllm', 'tgi', 'triton'];
const TRAFFIC = ['always-on', 'business-hours', 'sporadic'];
const WAKE_ON = ['http-addon', 'knative', 'keda-poll'];
const SPOT: Record<string, string> = {
  forbid: 'forbid',
  allow: 'allow',
  prefer: 'allow',
};

/**
 * The input of the template's renderer (`modelfleet:manifests:render`) for
 * a Model moved to `pool`: what the Model entity says of it (its source,
 * size, runtime, GPUs, replicas, owner, policy) and what its workload says
 * of how it was deployed (`modelfleet.io/traffic`, `modelfleet.io/wake-on`,
 * `modelfleet.io/idle-tier`). What the entity lacks is named in an
 * InputError; the renderer checks the rest and names the field.
 */
export function renderInputFor(
  entity: Entity,
  namespace: string,
  workload: KubeObject | undefined,
  pool: RenderPool,
): Record<string, unknown> {
  const spec = (entity.spec ?? {}) as Record<string, any>;
  const at = `Model ${entity.metadata.name}`;
  const need = (value: unknown, field: string) => {
    if (value === undefined || value === null || value === '') {
      throw new InputError(
        `${at}: spec.${field} is missing; the template's renderer needs it to render the model for ${pool.ref}`,
      );
    }
    return value;
  };
  if (!RUNTIMES.includes(spec.runtime)) {
    throw new InputError(
      `${at}: spec.runtime is ${JSON.stringify(
        spec.runtime ?? null,
      )}; only models served by ${RUNTIMES.join(
        ', ',
      )} can be rendered for another pool`,
    );
  }
  const annotations = workload?.metadata.annotations ?? {};
  const hibernation = spec.policy?.hibernation ?? {};
  // Scale to zero only where the Model's policy hibernates it.
  const fromPolicy =
    hibernation.mode === 'enforce' || hibernation.mode === 'recommend'
      ? 'sporadic'
      : 'always-on';
  const traffic = TRAFFIC.includes(annotations['modelfleet.io/traffic'])
    ? annotations['modelfleet.io/traffic']
    : fromPolicy;
  const wakeOn = annotations['modelfleet.io/wake-on'];
  const spot = SPOT[spec.policy?.spot];
  return {
    name: entity.metadata.name,
    namespace,
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    ...(entity.metadata.description
      ? { description: entity.metadata.description }
      : {}),
    owner: need(spec.owner, 'owner'),
    ...(spec.system ? { system: spec.system } : {}),
    ...(spec.lifecycle ? { lifecycle: spec.lifecycle } : {}),
    model: {
      source: need(spec.source, 'source'),
      parametersBillions: need(spec.parametersBillions, 'parametersBillions'),
      precision: need(spec.precision, 'precision'),
      runtime: spec.runtime,
    },
    gpu: {
      product: pool.gpuProduct,
      count: Number(spec.gpu?.count) || 1,
      memoryGiB: need(spec.gpu?.memoryGiB, 'gpu.memoryGiB'),
    },
    replicas: {
      min: Number(spec.replicas?.min ?? 1),
      max: Number(spec.replicas?.max ?? spec.replicas?.min ?? 1),
    },
    traffic,
    ...(annotations[IDLE_TIER_ANNOTATION] === 'sleep'
      ? { idleTier: 'sleep' }
      : {}),
    ...(WAKE_ON.includes(wakeOn) ? { wakeOn } : {}),
    ...(typeof hibernation.idleMinutes === 'number'
      ? { hibernation: { idleMinutes: hibernation.idleMinutes } }
      : {}),
    pool: {
      ref: pool.ref,
      cluster: pool.cluster,
      region: pool.region,
      capacityType: pool.capacityType,
      ...(pool.sharing ? { sharing: pool.sharing } : {}),
      scheduling: pool.scheduling,
    },
    ...(typeof spec.policy?.monthlyBudgetUsd === 'number'
      ? { monthlyBudgetUsd: spec.policy.monthlyBudgetUsd }
      : {}),
    ...(spot ? { spot } : {}),
  };
}
