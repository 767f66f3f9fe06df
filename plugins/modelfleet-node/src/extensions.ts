import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ClusterActuator } from './actuator';
import {
  BillSource,
  ClusterConnector,
  ClusterHistorySource,
  MetricsSource,
  PriceSource,
} from './connectors';

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
  /**
   * Registers what changes clusters. Each cluster may be reached by one
   * actuator only.
   */
  addClusterActuator(...actuators: ClusterActuator[]): void;
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
