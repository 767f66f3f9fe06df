import { ConflictError, InputError } from '@backstage/errors';
import {
  KubeObject,
  MODEL_DEPLOYMENT_KINDS,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelRenderer } from '@modelfleet/plugin-modelfleet-node';
import { ResolvedModel } from '../actions/ModelTargets';
import { ActuatorDirectory } from '../actions/types';
import { FleetStateStore } from '../database/FleetStateStore';
import { formatRefusals, guardDeployment } from '../engines/deploy/guard';
import {
  PlacementCandidateSources,
  placementCandidates,
} from '../placement/candidates';
import { renderInputFor } from './renderInput';

/** What rendering a model for another pool needs. */
export interface RenderForPoolOptions {
  fleet: FleetStateStore;
  actuators: ActuatorDirectory;
  candidates: PlacementCandidateSources;
  renderer: () => ModelRenderer | undefined;
  /** Namespaces no model goes to (`modelfleet.deploy.deniedNamespaces`). */
  deniedNamespaces: string[];
}

/**
 * Renders a deployed model for a pool with the Deploy template's renderer
 * (from its entity and how its workload was deployed), and checks the
 * objects as a deployment is checked. `verb` names the caller in errors
 * (`migrate`, `spot-fallback`).
 */
export async function renderForPool(
  options: RenderForPoolOptions,
  model: ResolvedModel & { target: NonNullable<ResolvedModel['target']> },
  pool: { ref: string; title: string },
  verb: string,
): Promise<{ objects: KubeObject[]; cluster: string }> {
  const candidate = (
    await placementCandidates(
      await options.fleet.listPools(),
      options.candidates,
    )
  ).find(c => c.pool.ref === pool.ref);
  if (!candidate) {
    throw new InputError(`pool: ${pool.title} is not connected now`);
  }
  const renderer = options.renderer();
  if (!renderer) {
    throw new ConflictError(
      `${verb}: no renderer of model manifests is installed (the scaffolder module modelfleetModuleManifests)`,
    );
  }
  const source = model.target.workload;
  const sourceObject = await (
    await options.actuators.forCluster(source.cluster)
  ).get(source.cluster, {
    apiVersion: 'apps/v1',
    kind: source.kind,
    namespace: source.namespace,
    name: source.name,
  });
  const input = renderInputFor(model.entity, source.namespace, sourceObject, {
    ref: pool.ref,
    cluster: candidate.summary.cluster,
    region: candidate.summary.region,
    capacityType: candidate.summary.capacityType,
    sharing: candidate.summary.gpu.sharing,
    scheduling: candidate.scheduling,
    gpuProduct: candidate.summary.gpu.product,
  });
  let objects: KubeObject[];
  try {
    objects = renderer.render(input).manifests as KubeObject[];
  } catch (e) {
    throw new InputError(
      `${verb}: the Model cannot be rendered for ${pool.title}: ${
        (e as Error).message
      }`,
    );
  }
  const refusals = guardDeployment({
    namespace: source.namespace,
    model: model.entity.metadata.name,
    objects,
    allowedKinds: MODEL_DEPLOYMENT_KINDS,
    deniedNamespaces: options.deniedNamespaces,
  });
  if (refusals.length) {
    throw new InputError(
      `${verb}: refused, a model deployment never needs ${formatRefusals(
        refusals,
      )}`,
    );
  }
  return { objects, cluster: candidate.summary.cluster };
}
