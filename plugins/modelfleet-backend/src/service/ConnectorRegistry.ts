import {
  BillSource,
  ClusterActuator,
  NodePoolApi,
  ClusterConnector,
  ClusterHistorySource,
  MetricsSource,
  ModelfleetConnectorsExtensionPoint,
  PriceSource,
  SpotRiskSource,
} from '@modelfleet/plugin-modelfleet-node';
import { ConnectorCounts } from '@modelfleet/plugin-modelfleet-common';

function addUnique<T extends { id: string }>(
  kind: string,
  list: T[],
  items: T[],
) {
  for (const item of items) {
    if (list.some(existing => existing.id === item.id)) {
      throw new Error(
        `A ModelFleet ${kind} with id '${item.id}' is already registered`,
      );
    }
    list.push(item);
  }
}

/**
 * Collects the connectors that backend modules register through
 * `modelfleetConnectorsExtensionPoint`.
 *
 * @internal
 */
export class ConnectorRegistry implements ModelfleetConnectorsExtensionPoint {
  readonly clusterConnectors: ClusterConnector[] = [];
  readonly clusterHistorySources: ClusterHistorySource[] = [];
  readonly metricsSources: MetricsSource[] = [];
  readonly priceSources: PriceSource[] = [];
  readonly billSources: BillSource[] = [];
  readonly clusterActuators: ClusterActuator[] = [];
  readonly spotRiskSources: SpotRiskSource[] = [];
  readonly nodePoolApis: NodePoolApi[] = [];

  addClusterConnector(...connectors: ClusterConnector[]): void {
    addUnique('cluster connector', this.clusterConnectors, connectors);
  }

  addClusterHistorySource(...sources: ClusterHistorySource[]): void {
    addUnique('cluster history source', this.clusterHistorySources, sources);
  }

  addMetricsSource(...sources: MetricsSource[]): void {
    addUnique('metrics source', this.metricsSources, sources);
  }

  addPriceSource(...sources: PriceSource[]): void {
    addUnique('price source', this.priceSources, sources);
  }

  addBillSource(...sources: BillSource[]): void {
    addUnique('bill source', this.billSources, sources);
  }

  addSpotRiskSource(...sources: SpotRiskSource[]): void {
    addUnique('spot risk source', this.spotRiskSources, sources);
  }

  addClusterActuator(...actuators: ClusterActuator[]): void {
    addUnique('cluster actuator', this.clusterActuators, actuators);
  }

  addNodePoolApi(...apis: NodePoolApi[]): void {
    addUnique('node pool API', this.nodePoolApis, apis);
  }

  counts(): ConnectorCounts {
    return {
      clusters: this.clusterConnectors.length,
      metrics: this.metricsSources.length,
      prices: this.priceSources.length,
      bills: this.billSources.length,
    };
  }
}
