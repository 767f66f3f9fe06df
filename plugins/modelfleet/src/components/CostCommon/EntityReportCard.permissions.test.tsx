import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis, renderInTestApp } from '@backstage/test-utils';
import { act, screen } from '@testing-library/react';
import { modelfleetCostReadPermission } from '@modelfleet/plugin-modelfleet-common';
import { ComponentProps, ComponentType } from 'react';
import {
  costReport,
  mockModelFleetApi,
  utilizationReport,
} from '../../__testUtils__/fixtures';
import { CardApis } from '../../__testUtils__/permissions';
import { EntityGpuPoolCard } from '../EntityGpuPoolCard';
import { EntityModelCostCard } from '../EntityModelCostCard';
import { EntityModelUtilizationCard } from '../EntityModelUtilizationCard';
import { EntityTeamShowbackCard } from '../EntityTeamShowbackCard';

type Entity = NonNullable<ComponentProps<typeof EntityProvider>['entity']>;

const model: Entity = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'detector', namespace: 'default' },
  spec: { owner: 'group:default/vision-team' },
};
const pool: Entity = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'GpuPool',
  metadata: { name: 'demo-aws-use1.g6-l4-spot', namespace: 'default' },
  spec: { owner: 'group:default/platform-team' },
};
const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'vision-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

/** Each cost card: its entity, the ref it asks about, its owner, a figure it shows. */
const CARDS: Array<[string, ComponentType, Entity, string, string, string]> = [
  [
    'Model cost',
    EntityModelCostCard,
    model,
    'model:default/detector',
    'vision-team',
    'model-cost-total',
  ],
  [
    'Model utilization',
    EntityModelUtilizationCard,
    model,
    'model:default/detector',
    'vision-team',
    'model-gpu-utilization',
  ],
  [
    'GpuPool',
    EntityGpuPoolCard,
    pool,
    'gpupool:default/demo-aws-use1.g6-l4-spot',
    'platform-team',
    'gpupool-cost-total',
  ],
  [
    'Group showback',
    EntityTeamShowbackCard,
    group,
    'group:default/vision-team',
    'vision-team',
    'team-showback-total',
  ],
];

function api() {
  return mockModelFleetApi({
    getEntityCost: jest.fn(async () => costReport()),
    getEntityUtilization: jest.fn(async () => utilizationReport()),
  });
}

async function render(
  Card: ComponentType,
  entity: Entity,
  modelfleet: ReturnType<typeof api>,
  permissions: Pick<
    ComponentProps<typeof CardApis>,
    'authorize' | 'permissionApi'
  >,
) {
  return renderInTestApp(
    <CardApis api={modelfleet} {...permissions}>
      <EntityProvider entity={entity}>
        <Card />
      </EntityProvider>
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe.each(CARDS)(
  '%s card permissions',
  (_name, Card, entity, resourceRef, owner, figure) => {
    it('says whose costs these are and reads nothing for someone outside the team', async () => {
      const modelfleet = api();
      await render(Card, entity, modelfleet, {
        authorize: AuthorizeResult.DENY,
      });
      expect(
        await screen.findByTestId('modelfleet-costs-not-allowed'),
      ).toHaveTextContent(
        `These costs belong to ${owner}. Only its members and the platform team can see them.`,
      );
      expect(screen.queryByTestId(figure)).not.toBeInTheDocument();
      expect(screen.queryByText(/^(Warning|Error)/)).not.toBeInTheDocument();
      expect(modelfleet.getEntityCost).not.toHaveBeenCalled();
      expect(modelfleet.getEntityUtilization).not.toHaveBeenCalled();
    });

    it('asks about the entity first, then shows the costs to a member', async () => {
      const modelfleet = api();
      const authorize = jest.fn(
        (): AuthorizeResult.ALLOW => AuthorizeResult.ALLOW,
      );
      await render(Card, entity, modelfleet, { authorize });
      expect(await screen.findByTestId(figure)).toBeInTheDocument();
      expect(authorize).toHaveBeenCalledWith(
        expect.objectContaining({
          permission: modelfleetCostReadPermission,
          resourceRef,
        }),
      );
      expect(
        screen.queryByTestId('modelfleet-costs-not-allowed'),
      ).not.toBeInTheDocument();
    });

    it('reads nothing while the permission answer is pending', async () => {
      const modelfleet = api();
      await render(Card, entity, modelfleet, {
        permissionApi: mockApis.permission.mock({
          authorize: () => new Promise<never>(() => {}),
        }),
      });
      await act(() => new Promise<void>(resolve => setTimeout(resolve, 100)));
      expect(screen.getByTestId('progress')).toBeInTheDocument();
      expect(modelfleet.getEntityCost).not.toHaveBeenCalled();
      expect(modelfleet.getEntityUtilization).not.toHaveBeenCalled();
    });
  },
);
