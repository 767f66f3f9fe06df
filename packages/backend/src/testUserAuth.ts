import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The provider id, and the config key under `auth.providers`. */
export const TEST_USER_PROVIDER = 'modelfleet-test-user';

/**
 * Signs in as the catalog User named by
 * `auth.providers.modelfleet-test-user.userEntityRef`, with that user's
 * teams. It exists so that an end-to-end test can be someone other than
 * the guest (a member of one team looking at another's model). Like the
 * guest provider, it answers only in local development, and only when its
 * config is present: app-config.yaml does not set it; the e2e run does.
 */
const testUserAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    const raw = config.getString('userEntityRef');
    let userEntityRef: string;
    try {
      userEntityRef = stringifyEntityRef(
        parseEntityRef(raw, {
          defaultKind: 'user',
          defaultNamespace: 'default',
        }),
      );
    } catch (e) {
      throw new Error(
        `auth.providers.${TEST_USER_PROVIDER}.userEntityRef: '${raw}' is not an entity ref (${
          (e as Error).message
        })`,
      );
    }
    return { userEntityRef };
  },
  async authenticate(_, ctx: { userEntityRef: string }) {
    if (process.env.NODE_ENV !== 'development') {
      throw new NotAllowedError(
        `The ${TEST_USER_PROVIDER} sign-in exists for tests in local development only`,
      );
    }
    return { result: { userEntityRef: ctx.userEntityRef } };
  },
});

/** The auth module that registers the test user's sign-in. */
export const authModuleTestUser = createBackendModule({
  pluginId: 'auth',
  moduleId: TEST_USER_PROVIDER,
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        if (!config.has(`auth.providers.${TEST_USER_PROVIDER}`)) return;
        providers.registerProvider({
          providerId: TEST_USER_PROVIDER,
          factory: createProxyAuthProviderFactory({
            authenticator: testUserAuthenticator,
            signInResolver: async (info, ctx) =>
              ctx.signInWithCatalogUser({
                entityRef: info.result.userEntityRef,
              }),
          }),
        });
      },
    });
  },
});
