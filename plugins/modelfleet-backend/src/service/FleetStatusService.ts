import { FleetStatusResponse } from '@modelfleet/plugin-modelfleet-common';
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
      clock?: () => Date;
    },
  ) {}

  async status(): Promise<FleetStatusResponse> {
    const { store, tasks, connectors } = this.deps;
    const now = this.deps.clock ?? (() => new Date());
    const [migrations, taskStatus] = await Promise.all([
      store.appliedMigrations(),
      tasks.status(),
    ]);
    return {
      database: { client: store.client, migrations },
      connectors: connectors.counts(),
      tasks: taskStatus,
      generatedAt: now().toISOString(),
    };
  }
}
