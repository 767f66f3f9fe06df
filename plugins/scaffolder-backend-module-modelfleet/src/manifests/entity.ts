import {
  MODEL_KIND,
  MODELFLEET_API_VERSION,
  ModelEntityV1alpha1,
  SpotPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import { ResolvedRenderManifestsInput } from './input';
import { wakeModeOf } from './wake';
import { IDLE_TIER_ANNOTATION } from './wakeGate';

const SPOT_POLICY: Record<'forbid' | 'allow' | 'require', SpotPolicy> = {
  forbid: 'forbid',
  allow: 'allow',
  // The entity cannot say "spot only"; the placement already enforced it.
  require: 'prefer',
};

/** The `Model` catalog entity of the rendered model. */
export function renderModelEntity(
  v: ResolvedRenderManifestsInput,
  selector: Record<string, string>,
): ModelEntityV1alpha1 {
  const sleeps = v.idleTier === 'sleep';
  const policy: NonNullable<ModelEntityV1alpha1['spec']['policy']> = {
    ...(v.spot ? { spot: SPOT_POLICY[v.spot] } : {}),
    ...(v.monthlyBudgetUsd !== undefined
      ? { monthlyBudgetUsd: v.monthlyBudgetUsd }
      : {}),
    // The sleep tier idles too, but never at zero (its HPA keeps a
    // replica): its engine sleeps after the idle minutes. Warm means
    // awake, so no replica needs to stay warm.
    hibernation:
      v.traffic === 'always-on'
        ? { mode: 'off', minWarmReplicas: Math.max(1, v.replicas.min) }
        : {
            mode: 'enforce',
            idleMinutes: v.hibernation.idleMinutes,
            minWarmReplicas: 0,
          },
  };
  return {
    apiVersion: MODELFLEET_API_VERSION,
    kind: MODEL_KIND,
    metadata: {
      name: v.name,
      ...(v.title ? { title: v.title } : {}),
      ...(v.description ? { description: v.description } : {}),
      annotations: {
        'backstage.io/kubernetes-id': v.name,
        'backstage.io/kubernetes-namespace': v.namespace,
        ...(sleeps ? { [IDLE_TIER_ANNOTATION]: 'sleep' } : {}),
      },
      tags: [v.model.runtime, v.model.precision],
    },
    spec: {
      type: 'llm',
      lifecycle: v.lifecycle,
      owner: v.owner,
      ...(v.system ? { system: v.system } : {}),
      source: v.model.source,
      parametersBillions: v.model.parametersBillions,
      precision: v.model.precision,
      runtime: v.model.runtime,
      gpu: {
        types: [v.gpu.product],
        count: v.gpu.count,
        memoryGiB: v.gpu.memoryGiB,
      },
      replicas: { min: v.replicas.min, max: v.replicas.max },
      workload: {
        cluster: v.pool.cluster,
        namespace: v.namespace,
        kind: 'Deployment',
        // Knative names the Deployment after each revision
        // (`<name>-00001-deployment`): found by its labels instead.
        ...(wakeModeOf(v) === 'knative' ? {} : { name: v.name }),
        selector,
      },
      runsOn: [v.pool.ref],
      policy,
    },
  };
}
