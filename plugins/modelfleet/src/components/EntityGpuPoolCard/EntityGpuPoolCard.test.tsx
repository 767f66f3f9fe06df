import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  costReport,
  emptyCostReport,
  mockModelFleetApi,
  responseError,
  utilizationReport,
} from '../../__testUtils__/fixtures';
import { CardApis } from '../../__testUtils__/permissions';
import { ModelFleetApi } from '../../api';
import { EntityGpuPoolCard } from './EntityGpuPoolCard';

const pool = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'GpuPool',
  metadata: { name: 'demo-aws-use1.g6-l4-spot', namespace: 'default' },
  spec: {},
};

const poolUtilization = utilizationReport({
  scope: 'pool',
  entityRef: 'gpupool:default/demo-aws-use1.g6-l4-spot',
  pool: {
    nodes: 2,
    gpusAllocatable: 8,
    gpusAllocated: 6,
    allocation: 0.75,
    capacityType: 'spot',
    usdPerNodeHour: 1.2345,
    usdPerGpuHour: 0.3086,
    capacityMix: { spot: 0.6, onDemand: 0.4 },
    price: {
      kind: 'price',
      source: 'aws-pricing-api',
      observedAt: '2026-11-03T12:00:00Z',
      subject: 'aws g6.12xlarge us-east-1 spot',
      usdPerHour: 1.2345,
    },
  },
});

const poolCost = costReport({
  scope: 'pool',
  entityRef: 'gpupool:default/demo-aws-use1.g6-l4-spot',
  breakdown: {
    models: [
      {
        entityRef: 'model:default/llama-3-1-8b-chat',
        costUsd: 200,
        idleUsd: 50,
        unusedUsd: 0,
        gpuHours: 250,
        savedGpuHours: 0,
        savedUsd: 0,
      },
    ],
    pools: [],
    teams: [],
  },
});

async function render(api: ModelFleetApi) {
  return renderInTestApp(
    <CardApis api={api}>
      <EntityProvider entity={pool}>
        <EntityGpuPoolCard />
      </EntityProvider>
    </CardApis>,
  );
}

describe('EntityGpuPoolCard', () => {
  it('shows allocation, utilization, prices with their source, the capacity mix and cost with idle', async () => {
    const api = mockModelFleetApi({
      getEntityUtilization: jest.fn(async () => poolUtilization),
      getEntityCost: jest.fn(async () => poolCost),
    });
    await render(api);

    expect(await screen.findByTestId('gpupool-allocation')).toHaveTextContent(
      '6 / 8',
    );
    expect(screen.getByText('GPUs allocated on 2 nodes')).toBeInTheDocument();
    expect(screen.getByText('62.0%')).toBeInTheDocument();
    expect(
      screen.getByText('30.0% of provisioned GPU time did no work'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('gpupool-price-node-hour')).toHaveTextContent(
      '$1.2345',
    );
    expect(screen.getByTestId('gpupool-price-gpu-hour')).toHaveTextContent(
      '$0.3086',
    );
    expect(screen.getByTestId('gpupool-price-provenance')).toHaveTextContent(
      'Price of aws g6.12xlarge us-east-1 spot: Figures from prices from aws-pricing-api, observed 3 Nov 2026, 12:00 UTC.',
    );
    expect(screen.getByTestId('gpupool-capacity-mix')).toHaveTextContent(
      'Spot 60% · On-demand 40% of node-hours',
    );
    expect(screen.getByTestId('gpupool-cost-total')).toHaveTextContent(
      '$360.50',
    );
    expect(screen.getByTestId('gpupool-unallocated')).toHaveTextContent(
      '$90.13',
    );
    expect(
      screen.getByText(
        "shared by the pool's models, if it has any; 25.0% of the pool cost",
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('gpupool-unused')).toHaveTextContent('$36.05');
    const models = screen.getByText('Models on the pool').parentElement!;
    expect(within(models).getByText('1')).toBeInTheDocument();
    expect(api.getEntityCost).toHaveBeenCalledWith(
      {
        kind: 'gpupool',
        namespace: 'default',
        name: 'demo-aws-use1.g6-l4-spot',
      },
      undefined,
    );
    expect(api.getEntityUtilization).toHaveBeenCalledWith(
      {
        kind: 'gpupool',
        namespace: 'default',
        name: 'demo-aws-use1.g6-l4-spot',
      },
      undefined,
    );
  });

  it('says a pool scaled to zero and an unknown price plainly', async () => {
    await render(
      mockModelFleetApi({
        getEntityUtilization: jest.fn(async () =>
          utilizationReport({
            ...poolUtilization,
            pool: {
              ...poolUtilization.pool!,
              nodes: 0,
              gpusAllocatable: 0,
              gpusAllocated: 0,
              allocation: 0,
              usdPerNodeHour: null,
              usdPerGpuHour: null,
              price: undefined,
            },
          }),
        ),
        getEntityCost: jest.fn(async () => poolCost),
      }),
    );
    expect(await screen.findByText('scaled to zero')).toBeInTheDocument();
    expect(screen.getByTestId('gpupool-price-node-hour')).toHaveTextContent(
      'unknown',
    );
    expect(
      screen.getByText('No price source has priced this pool yet.'),
    ).toBeInTheDocument();
  });

  it('says why there is no state and no cost data yet', async () => {
    await render(
      mockModelFleetApi({
        getEntityUtilization: jest.fn(async () =>
          utilizationReport({ scope: 'pool', series: [] }),
        ),
        getEntityCost: jest.fn(async () => emptyCostReport({ scope: 'pool' })),
      }),
    );
    expect(
      await screen.findByText('Pool state not reported yet'),
    ).toBeInTheDocument();
    expect(screen.getByText('No cost data yet')).toBeInTheDocument();
    expect(
      screen.getByText(
        /recorded no cost for this pool in 1 Nov 2026 – 3 Nov 2026/,
      ),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await render(
      mockModelFleetApi({
        getEntityUtilization: jest.fn(() => new Promise(() => {})),
        getEntityCost: jest.fn(async () => poolCost),
      }),
    );
    expect(
      await screen.findByTestId('progress', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
  });

  it('shows the error of either read', async () => {
    const error = await responseError(
      404,
      'NotFoundError',
      'No gpupool default/demo-aws-use1.g6-l4-spot',
    );
    await render(
      mockModelFleetApi({
        getEntityUtilization: jest.fn(async () => poolUtilization),
        getEntityCost: jest.fn(() => Promise.reject(error)),
      }),
    );
    expect(
      await screen.findByText(
        'Info: ModelFleet has no record of the gpupool default/demo-aws-use1.g6-l4-spot',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('gpupool-allocation')).not.toBeInTheDocument();
  });
});
