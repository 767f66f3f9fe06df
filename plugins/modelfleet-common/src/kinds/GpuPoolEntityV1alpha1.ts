import { Entity, KindValidator } from '@backstage/catalog-model';
import { GPU_POOL_KIND, MODELFLEET_API_VERSION } from '../constants';
import { lazyKindSchemaValidator } from './lazyKindSchemaValidator';
import schema from './GpuPool.v1alpha1.schema.json';

/**
 * A set of identical GPU nodes in one cluster (catalog kind `GpuPool`).
 *
 * @public
 */
export interface GpuPoolEntityV1alpha1 extends Entity {
  apiVersion: typeof MODELFLEET_API_VERSION;
  kind: typeof GPU_POOL_KIND;
  spec: {
    owner: string;
    cluster: string;
    platform?:
      | 'eks-nodegroup'
      | 'gke-nodepool'
      | 'aks-agentpool'
      | 'karpenter-nodepool'
      | 'static';
    provider: 'aws' | 'gcp' | 'azure' | 'other';
    region: string;
    zones?: string[];
    instanceType: string;
    capacityType: 'on-demand' | 'spot' | 'reserved';
    gpu: {
      product: string;
      memoryGiB?: number;
      perNode: number;
      sharing?: 'whole' | 'mig' | 'time-slicing';
      replicasPerGpu?: number;
    };
    nodes?: { min?: number; max?: number };
    taints?: Array<{
      key: string;
      value?: string;
      effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
    }>;
    nodeLabels?: Record<string, string>;
  };
}

/**
 * JSON schema of the `GpuPool` kind.
 *
 * @public
 */
export const gpuPoolEntityV1alpha1Schema = schema;

const validate = lazyKindSchemaValidator<GpuPoolEntityV1alpha1>(schema);

function checkGpuPoolRules(entity: GpuPoolEntityV1alpha1): void {
  const nodes = entity.spec.nodes;
  if (
    nodes?.min !== undefined &&
    nodes?.max !== undefined &&
    nodes.min > nodes.max
  ) {
    throw new TypeError(
      `/spec/nodes/min (${nodes.min}) must not exceed /spec/nodes/max (${nodes.max})`,
    );
  }
  const gpu = entity.spec.gpu;
  if (
    (gpu.sharing ?? 'whole') === 'whole' &&
    gpu.replicasPerGpu !== undefined &&
    gpu.replicasPerGpu !== 1
  ) {
    throw new TypeError(
      `/spec/gpu/replicasPerGpu must be 1 when /spec/gpu/sharing is whole, got ${gpu.replicasPerGpu}`,
    );
  }
}

/**
 * Validates a `GpuPool` entity: `check` returns false for other kinds and
 * throws a `TypeError` naming the field for a malformed GpuPool.
 *
 * @public
 */
export const gpuPoolEntityV1alpha1Validator: KindValidator = {
  async check(data: Entity) {
    const entity = validate(data);
    if (entity === false) return false;
    checkGpuPoolRules(entity);
    return true;
  },
};

/**
 * Whether an entity is a ModelFleet `GpuPool`.
 *
 * @public
 */
export function isGpuPoolEntity(
  entity: Entity,
): entity is GpuPoolEntityV1alpha1 {
  return (
    entity.apiVersion === MODELFLEET_API_VERSION &&
    entity.kind === GPU_POOL_KIND
  );
}
