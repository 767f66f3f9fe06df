import { createApiRef } from '@backstage/core-plugin-api';
import {
  ClustersResponse,
  CostAnomaly,
  CostGranularity,
  CostReport,
  EffectivePolicyResponse,
  FleetStatusResponse,
  GpuPoolsResponse,
  HealthResponse,
  ModelWorkloadsResponse,
  PlacementRequestBody,
  PlacementResponse,
  ReconciliationResponse,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';

/**
 * The period and bucket size of a cost or utilization query. Every field is
 * optional: the backend defaults to the last 30 days up to and including
 * today, by day.
 *
 * @public
 */
export interface CostQuery {
  /** First day, `YYYY-MM-DD` (UTC), inclusive. */
  from?: string;
  /** Day after the last, `YYYY-MM-DD` (UTC), exclusive. */
  to?: string;
  granularity?: CostGranularity;
}

/**
 * The catalog kinds the cost routes know, lowercase as in the REST paths.
 *
 * @public
 */
export type CostEntityKind = 'model' | 'gpupool' | 'group';

/**
 * A catalog entity whose cost or utilization is read: kind (lowercase),
 * namespace and name.
 *
 * @public
 */
export interface CostEntityRef<K extends CostEntityKind = CostEntityKind> {
  kind: K;
  namespace: string;
  name: string;
}

/**
 * Body of `GET /api/modelfleet/cost/anomalies`.
 *
 * @public
 */
export interface CostAnomaliesResponse {
  items: CostAnomaly[];
}

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
  /** Cost of the whole fleet (`GET /cost/fleet`). */
  getFleetCost(query?: CostQuery): Promise<CostReport>;
  /** Cost of one Model, GpuPool or Group (`GET /cost/entity/:kind/:namespace/:name`). */
  getEntityCost(entity: CostEntityRef, query?: CostQuery): Promise<CostReport>;
  /** GPU utilization of the whole fleet (`GET /utilization/fleet`). */
  getFleetUtilization(query?: CostQuery): Promise<UtilizationReport>;
  /** GPU utilization of one Model or GpuPool (`GET /utilization/entity/:kind/:namespace/:name`). */
  getEntityUtilization(
    entity: CostEntityRef<'model' | 'gpupool'>,
    query?: CostQuery,
  ): Promise<UtilizationReport>;
  /** Days whose cost was far from its baseline (`GET /cost/anomalies`); only `from` and `to` apply. */
  getCostAnomalies(
    query?: Pick<CostQuery, 'from' | 'to'>,
  ): Promise<CostAnomaliesResponse>;
  /** Bills compared with showback (`GET /bills/reconciliation`); only `from` and `to` apply. */
  getBillReconciliation(
    query?: Pick<CostQuery, 'from' | 'to'>,
  ): Promise<ReconciliationResponse>;
  /**
   * The GPU pools that fit a model, ranked by monthly cost, with the owner
   * team's policy applied (`POST /placement`).
   */
  placement(body: PlacementRequestBody): Promise<PlacementResponse>;
}

/**
 * ApiRef of {@link ModelFleetApi}.
 *
 * @public
 */
export const modelfleetApiRef = createApiRef<ModelFleetApi>({
  id: 'plugin.modelfleet.service',
});
