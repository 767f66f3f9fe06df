import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ModelFleetPermissionPolicy } from './ModelFleetPermissionPolicy';

/**
 * Installs {@link ModelFleetPermissionPolicy} as the permission backend's
 * policy.
 *
 * @public
 */
export const permissionModuleModelfleetPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'modelfleet-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        policy.setPolicy(ModelFleetPermissionPolicy.fromConfig(config));
      },
    });
  },
});
