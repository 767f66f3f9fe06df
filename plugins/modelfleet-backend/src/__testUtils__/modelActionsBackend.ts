import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { WorkloadRef } from '@modelfleet/plugin-modelfleet-common';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { modelfleetPlugin } from '../plugin';
import { MemoryActuator } from './MemoryActuator';

/**
 * A test backend running ModelFleet against one in-memory cluster, `c1`,
 * holding two models' workloads: `workload` at 2 replicas with a KEDA
 * ScaledObject, and `chat` (the same workload under that name) at 1. The
 * catalog holds `entities`; `permissions` decides who may do what. Actions
 * poll every second, and `vision-team` is not in dry run (other teams are).
 */
export async function startModelActionsBackend(options: {
  workload: WorkloadRef;
  entities: Entity[];
  /** The permissions service factory. */
  permissions: BackendFeature;
  /** More features, e.g. a mocked auditor's factory. */
  features?: BackendFeature[];
}): Promise<{ server: TestBackend['server']; cluster: MemoryActuator }> {
  const { workload } = options;
  const cluster = new MemoryActuator(['c1']);
  cluster.addModel(workload, 2, {});
  cluster.addModel({ ...workload, name: 'chat' }, 1);
  const actuatorModule = createBackendModule({
    pluginId: 'modelfleet',
    moduleId: 'test-actuator',
    register(reg) {
      reg.registerInit({
        deps: { connectors: modelfleetConnectorsExtensionPoint },
        async init({ connectors }) {
          connectors.addClusterActuator(cluster);
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      modelfleetPlugin,
      actuatorModule,
      catalogServiceMock.factory({ entities: options.entities }),
      options.permissions,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          modelfleet: {
            actions: { pollSeconds: 1 },
            policies: { teams: { 'vision-team': { dryRun: false } } },
          },
        },
      }),
    ],
  });
  return { server, cluster };
}
