import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyService } from '../../policy/PolicyService';
import { readDeploySettings } from '../config';
import { DeploymentService } from '../DeploymentService';
import {
  catalogEntities,
  FakeActuator,
  fakeDirectory,
  memoryRequester,
} from './fakes';
import { modelDeployment } from './objects';

/**
 * A DeploymentService on a fake cluster `prod-use1`, the fake catalog,
 * an in-memory action store and a permission that allows (or denies).
 */
export function setup(
  options: {
    allow?: boolean;
    config?: Record<string, unknown>;
    /** Models the callers may not see (the plugin itself sees them). */
    hidden?: string[];
  } = {},
) {
  const actuator = new FakeActuator(['prod-use1']);
  const actions = memoryRequester();
  const permissions = mockServices.permissions.mock({
    authorize: jest.fn(async () => [
      {
        result:
          options.allow === false
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      },
    ]) as any,
  });
  const config = mockServices.rootConfig({
    data: {
      modelfleet: {
        permissions: { platformTeams: ['platform-team'] },
        ...options.config,
      },
    },
  });
  const catalog = catalogServiceMock({ entities: catalogEntities });
  /** The refs looked up in the catalog, in order. */
  const lookups: string[] = [];
  const service = new DeploymentService({
    actuators: fakeDirectory(actuator),
    actions,
    permissions,
    catalog: {
      ...catalog,
      getEntityByRef: async (ref: any, o: any) => {
        lookups.push(String(ref));
        return options.hidden?.includes(ref) &&
          o.credentials.principal.type === 'user'
          ? undefined
          : catalog.getEntityByRef(ref, o);
      },
    } as typeof catalog,
    auth: mockServices.auth(),
    policies: new PolicyService({
      defaults: { dryRun: true },
      teams: { 'search-team': { dryRun: false } },
    } as any),
    settings: readDeploySettings(config),
  });
  return { service, actuator, actions, permissions, lookups };
}

export const ana = mockCredentials.user('user:default/ana');
export const body = (extra: Record<string, unknown> = {}) => ({
  cluster: 'prod-use1',
  namespace: 'models',
  model: 'model:default/chat',
  manifests: modelDeployment('models'),
  idempotencyKey: 'task-1:deploy',
  ...extra,
});

export async function error(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
