import { createBackendModule } from '@backstage/backend-plugin-api';
import { modelfleetManifestsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import { RenderManifestsInput } from './manifests/input';
import { renderModelManifests } from './manifests/render';

/**
 * Gives the ModelFleet backend the template's renderer, so a model moved
 * to another pool is rendered for it exactly as the Deploy a model
 * template renders a new one.
 *
 * @public
 */
export const modelfleetModuleManifests = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'manifests',
  register(reg) {
    reg.registerInit({
      deps: { manifests: modelfleetManifestsExtensionPoint },
      async init({ manifests }) {
        manifests.setModelRenderer({
          render: input => ({
            manifests: renderModelManifests(input as RenderManifestsInput)
              .manifests,
          }),
        });
      },
    });
  },
});
