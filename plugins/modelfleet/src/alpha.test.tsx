import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { fireEvent, screen, within } from '@testing-library/react';
import { FleetStatusResponse } from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetApi, modelfleetApiRef } from './api';
import plugin from './alpha';
import {
  costReport,
  mockModelFleetApi,
  utilizationReport,
} from './__testUtils__/fixtures';

const status: FleetStatusResponse = {
  database: { client: 'pg', migrations: ['20261124_init.js'] },
  connectors: { clusters: 1, metrics: 0, prices: 0, bills: 0 },
  tasks: [
    {
      id: 'modelfleet-housekeeping',
      schedule: 'every 10 minutes',
      scope: 'global',
      lastRun: {
        taskId: 'modelfleet-housekeeping',
        startedAt: '2026-11-24T10:00:00Z',
        status: 'running',
      },
    },
  ],
  demo: false,
  generatedAt: '2026-11-24T10:00:02Z',
};

function mockApi(): jest.Mocked<ModelFleetApi> {
  return mockModelFleetApi({ getStatus: jest.fn(async () => status) });
}

describe('alpha plugin', () => {
  it('has the modelfleet id, the API and a page at /modelfleet with a nav title and icon', () => {
    expect(plugin.pluginId).toBe('modelfleet');
    expect(plugin.getExtension('api:modelfleet')).toBeDefined();

    const tester = createExtensionTester(
      plugin.getExtension('page:modelfleet'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/modelfleet');
    expect(tester.get(coreExtensionData.title)).toBe('ModelFleet');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
    expect(tester.get(coreExtensionData.routeRef)).toBe(plugin.routes.root);
  });

  it('is the only plugin that app feature discovery finds in this package', async () => {
    // `app.packages: all` imports the default export of both `.` and
    // `./alpha` and keeps those that are frontend plugins or modules.
    const main: Record<string, unknown> = await import('./index');
    expect(main.default).toBeUndefined();
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
  });

  it('renders the page extension with the API', async () => {
    const api = mockApi();
    const tester = createExtensionTester(
      plugin.getExtension('page:modelfleet'),
    );
    await renderInTestApp(tester.reactElement(), {
      apis: [[modelfleetApiRef, api]],
    });

    // The page is lazy-loaded: its first import in a test run takes a while.
    // The loops are in the Backend details panel, closed at first.
    fireEvent.click(
      await screen.findByRole(
        'button',
        { name: /Backend details/ },
        { timeout: 10_000 },
      ),
    );
    const loops = await screen.findByTestId(
      'modelfleet-loops-card',
      {},
      { timeout: 10_000 },
    );
    expect(
      within(loops).getByRole('heading', { name: 'Background loops' }),
    ).toBeInTheDocument();
    expect(screen.getByText('modelfleet-housekeeping')).toBeInTheDocument();
    expect(screen.getByText('Running')).toBeInTheDocument();
    expect(
      screen.getByText('Metrics sources: none registered yet'),
    ).toBeInTheDocument();
    expect(api.getStatus).toHaveBeenCalledTimes(1);
  });

  it('adds a ModelFleet item to the app sidebar that opens the page', async () => {
    await renderTestApp({
      features: [plugin],
      apis: [[modelfleetApiRef, mockApi()]],
      initialRouteEntries: ['/modelfleet'],
    });

    const link = await screen.findByRole('link', { name: /ModelFleet/ });
    expect(link).toHaveAttribute('href', '/modelfleet');
    expect(link.querySelector('svg')).not.toBeNull();

    // The loops are in the Backend details panel, closed at first.
    fireEvent.click(
      await screen.findByRole(
        'button',
        { name: /Backend details/ },
        { timeout: 10_000 },
      ),
    );
    const loops = await screen.findByTestId(
      'modelfleet-loops-card',
      {},
      { timeout: 10_000 },
    );
    expect(within(loops).getByText('Running')).toBeInTheDocument();
  });

  it('adds the GpuPoolPicker form field to the scaffolder', async () => {
    const extension = plugin.getExtension(
      'scaffolder-form-field:modelfleet/gpu-pool-picker',
    );
    expect(extension).toBeDefined();
    // The scaffolder's form-fields API collects the fields attached to it.
    expect(
      (extension as unknown as { attachTo: unknown }).attachTo,
    ).toMatchObject({ id: 'api:scaffolder/form-fields', input: 'formFields' });

    const tester = createExtensionTester(extension);
    // scaffolder-react's data ref comes from its own frontend-plugin-api.
    const loader = tester.get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    ) as () => Promise<{ $$type: string }>;
    const field = await loader();
    expect(field.$$type).toBe('@backstage/scaffolder/FormField');
    const { GpuPoolPicker, gpuPoolPickerValidation } = await import(
      './components/GpuPoolPicker'
    );
    expect(field).toMatchObject({
      name: 'GpuPoolPicker',
      component: GpuPoolPicker,
      validation: gpuPoolPickerValidation,
    });
  });

  it('adds the MaxReplicas form field to the scaffolder', async () => {
    const extension = plugin.getExtension(
      'scaffolder-form-field:modelfleet/max-replicas',
    );
    expect(
      (extension as unknown as { attachTo: unknown }).attachTo,
    ).toMatchObject({ id: 'api:scaffolder/form-fields', input: 'formFields' });
    const loader = createExtensionTester(extension).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    ) as () => Promise<{ $$type: string }>;
    const { MaxReplicasField, maxReplicasValidation } = await import(
      './components/MaxReplicasField'
    );
    expect(await loader()).toMatchObject({
      name: 'MaxReplicas',
      component: MaxReplicasField,
      validation: maxReplicasValidation,
    });
  });

  it('adds the WakeOn form field to the scaffolder', async () => {
    const extension = plugin.getExtension(
      'scaffolder-form-field:modelfleet/wake-on',
    );
    expect(
      (extension as unknown as { attachTo: unknown }).attachTo,
    ).toMatchObject({ id: 'api:scaffolder/form-fields', input: 'formFields' });
    const loader = createExtensionTester(extension).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    ) as () => Promise<{ $$type: string }>;
    const { WakeOnField } = await import('./components/WakeOnField');
    expect(await loader()).toMatchObject({
      name: 'WakeOn',
      component: WakeOnField,
    });
  });

  describe('entity cards', () => {
    const model = {
      apiVersion: 'modelfleet.io/v1alpha1',
      kind: 'Model',
      metadata: { name: 'llama-3-1-8b-chat', namespace: 'default' },
      spec: {},
    };
    const pool = { ...model, kind: 'GpuPool', metadata: { name: 'p' } };
    const group = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'search-team' },
      spec: { type: 'team', children: [] },
    };
    const component = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'search-api' },
      spec: {},
    };
    // Another apiVersion's Model is not ModelFleet's.
    const otherModel = { ...model, apiVersion: 'example.com/v1' };

    it.each([
      ['entity-card:modelfleet/model-cost', [model]],
      ['entity-card:modelfleet/model-utilization', [model]],
      ['entity-card:modelfleet/model-activity', [model]],
      ['entity-card:modelfleet/model-hibernation', [model]],
      ['entity-card:modelfleet/model-arbitrage', [model]],
      ['entity-card:modelfleet/model-spot', [model]],
      ['entity-card:modelfleet/gpupool', [pool]],
      ['entity-card:modelfleet/team-showback', [group]],
      ['entity-card:modelfleet/team-savings', [group]],
      ['entity-card:modelfleet/recommendations', [model, group]],
    ] as const)('%s shows on the right entity pages only', (id, on) => {
      const tester = createExtensionTester(plugin.getExtension(id));
      // catalog-react's data ref comes from its own frontend-plugin-api.
      const filter = tester.get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ) as (entity: object) => boolean;
      for (const entity of [model, pool, group, component, otherModel]) {
        expect([id, entity.kind, filter(entity)]).toEqual([
          id,
          entity.kind,
          (on as readonly object[]).includes(entity),
        ]);
      }
    });

    it.each([
      [
        'Model',
        model,
        [
          'Model cost',
          'GPU utilization',
          'Model activity',
          'Model hibernation',
          'Spot and on-demand',
          'Recommendations',
        ],
        'model-cost-total',
      ],
      ['GpuPool', pool, ['GPU pool'], 'gpupool-cost-total'],
      [
        'Group',
        group,
        ['GPU cost showback', 'Realised savings', 'Recommendations'],
        'team-showback-total',
      ],
    ])(
      'puts the right cards on the overview of a %s page',
      async (_kind, entity, titles, total) => {
        const api = mockModelFleetApi({
          getEntityCost: jest.fn(async () => costReport()),
          getEntityUtilization: jest.fn(async () => utilizationReport()),
        });
        renderTestApp({
          features: [plugin],
          extensions: [createTestEntityPage({ entity })],
          apis: [[modelfleetApiRef, api]],
        });
        // Cards are lazy-loaded: the first import in a test run takes a while.
        for (const title of titles) {
          expect(
            await screen.findByText(title, {}, { timeout: 10_000 }),
          ).toBeInTheDocument();
        }
        for (const title of [
          'Model cost',
          'GPU utilization',
          'Model activity',
          'Model hibernation',
          'Spot and on-demand',
          'GPU pool',
          'GPU cost showback',
          'Realised savings',
          'Recommendations',
        ].filter(t => !titles.includes(t))) {
          expect(screen.queryByText(title)).not.toBeInTheDocument();
        }
        expect(await screen.findByTestId(total)).toHaveTextContent('$360.50');
      },
    );

    it('puts no card on the page of another kind', async () => {
      renderTestApp({
        features: [plugin],
        extensions: [createTestEntityPage({ entity: component })],
        apis: [[modelfleetApiRef, mockModelFleetApi()]],
      });
      expect(
        await screen.findByTestId('empty-entity-page'),
      ).toBeInTheDocument();
    });

    it('renders the team showback card for a Group with the API', async () => {
      const api = mockModelFleetApi({
        getEntityCost: jest.fn(async () =>
          costReport({ scope: 'team', entityRef: 'group:default/search-team' }),
        ),
      });
      const tester = createExtensionTester(
        plugin.getExtension('entity-card:modelfleet/team-showback'),
      );
      await renderInTestApp(
        <EntityProvider entity={group}>{tester.reactElement()}</EntityProvider>,
        { apis: [[modelfleetApiRef, api]] },
      );
      // The card is lazy-loaded: its first import in a test run takes a while.
      expect(
        await screen.findByTestId(
          'team-showback-total',
          {},
          { timeout: 10_000 },
        ),
      ).toHaveTextContent('$360.50');
      expect(api.getEntityCost).toHaveBeenCalledWith(
        { kind: 'group', namespace: 'default', name: 'search-team' },
        undefined,
      );
    });
  });
});
