import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  MODELFLEET_TEAM_RULE,
  modelfleetCostReadPermission,
  modelfleetModelHibernatePermission,
  modelfleetPermissions,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ModelFleetPermissionPolicy,
  readPlatformTeams,
} from './ModelFleetPermissionPolicy';

const user = (...claims: string[]): PolicyQueryUser =>
  ({
    credentials: {} as any,
    info: { userEntityRef: claims[0], ownershipEntityRefs: claims },
  } as PolicyQueryUser);

const policy = ModelFleetPermissionPolicy.fromConfig(
  new ConfigReader({
    modelfleet: {
      permissions: { platformTeams: ['group:default/Platform-Team'] },
    },
  }),
);

describe('ModelFleetPermissionPolicy', () => {
  it('allows every ModelFleet permission to a platform team member', async () => {
    for (const permission of modelfleetPermissions) {
      const d = await policy.handle(
        { permission },
        user('user:default/ops', 'group:default/platform-team'),
      );
      expect(d).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('gives anyone else a catalog condition on their teams', async () => {
    const d = await policy.handle(
      { permission: modelfleetCostReadPermission },
      user('user:default/ana', 'group:default/Vision-Team'),
    );
    expect(d).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: MODELFLEET_TEAM_RULE,
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/ana', 'group:default/vision-team'] },
      },
    });
    const act = await policy.handle(
      { permission: modelfleetModelHibernatePermission },
      user('user:default/ana', 'group:default/vision-team'),
    );
    expect(act.result).toBe(AuthorizeResult.CONDITIONAL);
  });

  it('denies a caller without claims and leaves other permissions to the rest of the policy', async () => {
    expect(
      await policy.handle({ permission: modelfleetCostReadPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    expect(policy.decide({ permission: other }, user('user:default/a'))).toBe(
      undefined,
    );
    expect(await policy.handle({ permission: other })).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('names a platform team that is not a Group ref', () => {
    expect(() =>
      readPlatformTeams(
        new ConfigReader({
          modelfleet: { permissions: { platformTeams: ['platform-team'] } },
        }),
      ),
    ).toThrow(
      "modelfleet.permissions.platformTeams[0]: must be a full Group ref such as group:default/platform-team, got 'platform-team'",
    );
  });
});
