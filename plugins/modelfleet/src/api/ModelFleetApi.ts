import { createApiRef } from '@backstage/core-plugin-api';
import {
  ClustersResponse,
  EffectivePolicyResponse,
  FleetStatusResponse,
  GpuPoolsResponse,
  HealthResponse,
  ModelWorkloadsResponse,
} from '@modelfleet/plugin-modelfleet-common';

/**
 * The ModelFleet backend, as the frontend sees it.
 *
 * @public
 */
export interface ModelFleetApi {
  getHealth(): Promise<HealthResponse>;
  getStatus(): Promise<FleetStatusResponse>;
  getClusters(): Promise<ClustersResponse>;
  getPools(): Promise<GpuPoolsResponse>;
  getWorkloads(): Promise<ModelWorkloadsResponse>;
  /** The policy in force for a team (Group name or ref), or the defaults. */
  getEffectivePolicy(team?: string): Promise<EffectivePolicyResponse>;
}

/**
 * ApiRef of {@link ModelFleetApi}.
 *
 * @public
 */
export const modelfleetApiRef = createApiRef<ModelFleetApi>({
  id: 'plugin.modelfleet.service',
});
