import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { readKubernetesClusterConfigs } from './config';
import { KubernetesClusterConnector } from './KubernetesClusterConnector';
import { KubernetesClusterActuator } from './actuator';

/**
 * Connects ModelFleet to the Kubernetes clusters of
 * `kubernetes.clusterLocatorMethods`: registers a cluster connector that
 * reads their GPU pools and model workloads by list+watch, and a cluster
 * actuator that changes them for ModelFleet's actions. Registers nothing
 * when no cluster is configured.
 *
 * @public
 */
export const modelfleetModuleKubernetes = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        connectors: modelfleetConnectorsExtensionPoint,
      },
      async init({ config, logger, lifecycle, connectors }) {
        const clusters = readKubernetesClusterConfigs(config, logger);
        if (clusters.length === 0) {
          logger.info(
            'ModelFleet reads no Kubernetes cluster: kubernetes.clusterLocatorMethods has none of type config or localKubectlProxy',
          );
          return;
        }
        connectors.addClusterConnector(
          new KubernetesClusterConnector({ clusters, logger, lifecycle }),
        );
        connectors.addClusterActuator(
          new KubernetesClusterActuator({ clusters, logger }),
        );
        logger.info(
          `ModelFleet reads ${clusters.length} Kubernetes cluster(s): ${clusters
            .map(c => c.name)
            .join(', ')}`,
        );
      },
    });
  },
});
