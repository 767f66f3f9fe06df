import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { readPrometheusConfig } from './config';
import { PrometheusMetricsSource } from './PrometheusMetricsSource';

/**
 * Reads GPU and traffic metrics per model from Prometheus when
 * `modelfleet.prometheus.baseUrl` is set.
 *
 * @public
 */
export const modelfleetModulePrometheus = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'prometheus',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        connectors: modelfleetConnectorsExtensionPoint,
      },
      async init({ config, logger, connectors }) {
        const options = readPrometheusConfig(config);
        if (!options) {
          logger.info(
            'ModelFleet reads no Prometheus (modelfleet.prometheus.baseUrl is not set)',
          );
          return;
        }
        connectors.addMetricsSource(new PrometheusMetricsSource(options));
        logger.info(
          `ModelFleet reads metrics from Prometheus at ${options.baseUrl}`,
        );
      },
    });
  },
});
