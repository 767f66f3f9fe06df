import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ClusterActuator } from './actuator';
import {
  BillSource,
  ClusterConnector,
  ClusterHistorySource,
  MetricsSource,
  PriceSource,
} from './connectors';
import { NodePoolApi } from './nodePools';
import { SpotRiskSource } from './spotRisk';

/**
 * Lets backend modules give the ModelFleet backend its connectors.
 *
 * @public
 */
export interface ModelfleetConnectorsExtensionPoint {
  addClusterConnector(...connectors: ClusterConnector[]): void;
  /** Registers the past of clusters, for the showback loop's backfill only. */
  addClusterHistorySource(...sources: ClusterHistorySource[]): void;
  addMetricsSource(...sources: MetricsSource[]): void;
  addPriceSource(...sources: PriceSource[]): void;
  addBillSource(...sources: BillSource[]): void;
  /** Registers the clouds' own spot history (eviction rates, placement scores). */
  addSpotRiskSource(...sources: SpotRiskSource[]): void;
  /**
   * Registers what changes clusters. Each cluster may be reached by one
   * actuator only.
   */
  addClusterActuator(...actuators: ClusterActuator[]): void;
  /**
   * Registers clouds' node-pool APIs, which serve the cluster actuators'
   * `setPoolMinimum`. Each cluster may be managed by one only.
   */
  addNodePoolApi(...apis: NodePoolApi[]): void;
}

/**
 * Extension point for cluster, metrics, price and bill connectors, and
 * cluster actuators.
 *
 * @public
 */
export const modelfleetConnectorsExtensionPoint =
  createExtensionPoint<ModelfleetConnectorsExtensionPoint>({
    id: 'modelfleet.connectors',
  });

/**
 * Renders a model's Kubernetes objects for a GPU pool, as the Deploy a
 * model template does (`modelfleet:manifests:render`): the backend renders
 * a model for the pool it moves to with the template's own renderer.
 *
 * @public
 */
export interface ModelRenderer {
  /**
   * The objects of the model on the input's pool, in apply order. The
   * input is the template action's (`name`, `namespace`, `owner`, `model`,
   * `gpu`, `replicas`, `traffic`, `pool`, …); throws an `InputError`
   * naming the field for bad input.
   */
  render(input: Record<string, unknown>): {
    manifests: Array<Record<string, unknown>>;
  };
}

/**
 * Lets a backend module give the ModelFleet backend the template's renderer.
 *
 * @public
 */
export interface ModelfleetManifestsExtensionPoint {
  /** Sets the renderer; one only. */
  setModelRenderer(renderer: ModelRenderer): void;
}

/**
 * Extension point for the renderer of model manifests.
 *
 * @public
 */
export const modelfleetManifestsExtensionPoint =
  createExtensionPoint<ModelfleetManifestsExtensionPoint>({
    id: 'modelfleet.manifests',
  });
