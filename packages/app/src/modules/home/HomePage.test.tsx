import { identityApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { ModelFleetApi, modelfleetApiRef } from '@modelfleet/plugin-modelfleet';
import { DEPLOY_MODEL_PATH, HomePageLayout } from './HomePage';

/** The fleet report of a user none of whose teams has a cost. */
type CostReport = Awaited<ReturnType<ModelFleetApi['getFleetCost']>>;
const empty = {
  total: {
    costUsd: 0,
    idleUsd: 0,
    gpuHours: 0,
    savedGpuHours: 0,
    savedUsd: 0,
    daysWithData: 0,
  },
  breakdown: { models: [], pools: [], teams: [] },
  restrictedTo: [],
  demo: false,
};

describe('HomePageLayout', () => {
  it('offers Deploy a model and shows the ModelFleet overview', async () => {
    const api = {
      getFleetCost: jest.fn(async () => empty as unknown as CostReport),
      getEntityCost: jest.fn(),
      getEntityUtilization: jest.fn(),
      getCostAnomalies: jest.fn(async () => ({ items: [] })),
      listActions: jest.fn(async () => ({ actions: [] })),
    };
    renderInTestApp(<HomePageLayout widgets={[]} />, {
      apis: [
        [modelfleetApiRef, api],
        [
          identityApiRef,
          {
            getBackstageIdentity: async () => ({
              type: 'user' as const,
              userEntityRef: 'user:default/guest',
              ownershipEntityRefs: ['user:default/guest'],
            }),
          },
        ],
      ],
    });

    // A link to the template, styled as the page's main button.
    expect(
      await screen.findByRole('button', { name: 'Deploy a model' }),
    ).toHaveAttribute('href', DEPLOY_MODEL_PATH);
    expect(
      screen.getByRole('heading', { name: 'ModelFleet' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/None of your teams owns a model/),
    ).toBeInTheDocument();
    expect(api.getFleetCost).toHaveBeenCalledTimes(1);
  });
});
