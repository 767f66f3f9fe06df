import { FleetStatusResponse } from '@modelfleet/plugin-modelfleet-common';
import { FleetStateStore } from '../database/FleetStateStore';
import { ModelFleetStore } from '../database/ModelFleetStore';
import { TaskRegistry } from '../tasks/TaskRegistry';
import { ConnectorRegistry } from './ConnectorRegistry';

/**
 * Answers what the backend is and does: its database, connectors and loops.
 *
 * @internal
 */
export class FleetStatusService {
  constructor(
    private readonly deps: {
      store: ModelFleetStore;
      tasks: TaskRegistry;
      connectors: ConnectorRegistry;
      fleet: FleetStateStore;
      clock?: () => Date;
    },
  ) {}

  async status(): Promise<FleetStatusResponse> {
    const { store, tasks, connectors, fleet } = this.deps;
    const now = this.deps.clock ?? (() => new Date());
    const [migrations, taskStatus, clusters] = await Promise.all([
      store.appliedMigrations(),
      tasks.status(),
      fleet.listClusters(),
    ]);
    return {
      database: { client: store.client, migrations },
      connectors: connectors.counts(),
      tasks: taskStatus,
      demo: clusters.some(c => c.demo),
      generatedAt: now().toISOString(),
    };
  }
}
