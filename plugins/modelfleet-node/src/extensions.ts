import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  BillSource,
  ClusterConnector,
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
  addMetricsSource(...sources: MetricsSource[]): void;
  addPriceSource(...sources: PriceSource[]): void;
  addBillSource(...sources: BillSource[]): void;
}

/**
 * Extension point for cluster, metrics, price and bill connectors.
 *
 * @public
 */
export const modelfleetConnectorsExtensionPoint =
  createExtensionPoint<ModelfleetConnectorsExtensionPoint>({
    id: 'modelfleet.connectors',
  });
