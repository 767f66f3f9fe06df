/**
 * The steps of a spot fallback for its companions' changes: each
 * companion that comes up and does not exist yet is rendered for its pool
 * with the Deploy template's renderer; one on another cluster than the
 * model's brings its Service there, exported, and the model's own Service
 * is exported too (Multi-Cluster Services), so the model's clients reach
 * its replicas on both.
 *
 * @internal
 */
import {
  ActionStep,
  FALLBACK_ROLE,
  KubeObject,
  SPREAD_ROLE,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';
import { ResolvedModel } from '../actions/ModelTargets';
import {
  CompanionChange,
  companionDeployment,
  planCompanionSteps,
  remoteCompanionObjects,
} from '../engines/arbitrage/fallbackPlan';
import { SERVICE_EXPORT_API } from '../engines/arbitrage/serviceExport';
import { renderForPool, RenderForPoolOptions } from './renderForPool';
import { Companion } from './spotCompanions';

/**
 * The steps taking the model's companions to the replicas `changes` ask
 * for; `existing` holds `<cluster>/<name>` of the companions that exist.
 * Nothing when a companion to create cannot be made from the model's
 * rendering (no Deployment, or no Service for another cluster).
 */
export async function companionSteps(
  render: RenderForPoolOptions,
  model: ResolvedModel & { target: NonNullable<ResolvedModel['target']> },
  changes: readonly Companion[],
  existing: ReadonlySet<string>,
): Promise<ActionStep[] | undefined> {
  const home = model.target.workload;
  const planned: CompanionChange[] = [];
  let exportHome: string | undefined;
  for (const c of changes) {
    let create;
    let alongside;
    if (!existing.has(`${c.cluster}/${c.name}`) && c.to > 0) {
      const { objects } = await renderForPool(
        render,
        model,
        { ref: c.pool, title: c.title },
        'spot-fallback',
      );
      create = companionDeployment(
        objects,
        c.name,
        c.capacity === 'on-demand' ? FALLBACK_ROLE : SPREAD_ROLE,
      );
      if (!create) return undefined;
      if (c.cluster !== home.cluster) {
        alongside = remoteCompanionObjects(objects, create);
        if (!alongside) return undefined;
        exportHome ??= await unexportedService(render, home, objects);
      }
    }
    planned.push({
      name: c.name,
      ...(c.cluster !== home.cluster ? { cluster: c.cluster } : {}),
      capacity: c.capacity,
      title: c.title,
      ...(create ? { create } : {}),
      ...(alongside ? { alongside } : {}),
      from: c.from,
      to: c.to,
    });
  }
  return planCompanionSteps({
    cluster: home.cluster,
    namespace: home.namespace,
    changes: planned,
    ...(exportHome ? { exportHome } : {}),
  });
}

/**
 * The name of the model's Service (as rendered) when its own cluster does
 * not export it to the cluster set yet; nothing when it does, or when the
 * rendering has no Service.
 */
async function unexportedService(
  render: RenderForPoolOptions,
  workload: WorkloadRef,
  rendered: readonly KubeObject[],
): Promise<string | undefined> {
  const service = rendered.find(o => o.kind === 'Service');
  if (!service) return undefined;
  const actuator = await render.actuators.forCluster(workload.cluster);
  const exported = await actuator.get(workload.cluster, {
    apiVersion: SERVICE_EXPORT_API,
    kind: 'ServiceExport',
    namespace: workload.namespace,
    name: service.metadata.name,
  });
  return exported ? undefined : service.metadata.name;
}
