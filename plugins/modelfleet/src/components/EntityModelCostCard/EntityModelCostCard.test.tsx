import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  costReport,
  emptyCostReport,
  mockModelFleetApi,
  responseError,
} from '../../__testUtils__/fixtures';
import { CardApis } from '../../__testUtils__/permissions';
import { ModelFleetApi } from '../../api';
import { EntityModelCostCard } from './EntityModelCostCard';

const model = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-1-8b-chat', namespace: 'search' },
  spec: { owner: 'group:default/search-team' },
};

async function render(api: ModelFleetApi) {
  return renderInTestApp(
    <CardApis api={api}>
      <EntityProvider entity={model}>
        <EntityModelCostCard />
      </EntityProvider>
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityModelCostCard', () => {
  it('shows the total, the change against the previous period, idle share, unit costs and sources', async () => {
    const api = mockModelFleetApi({
      getEntityCost: jest.fn(async () =>
        costReport({
          demo: true,
          unitCosts: {
            tokens: 120_000_000,
            requests: 48_000,
            usdPer1MTokens: 3.0042,
            usdPer1kRequests: 7.51,
          },
        }),
      ),
    });
    await render(api);

    expect(await screen.findByTestId('model-cost-total')).toHaveTextContent(
      '$360.50',
    );
    // 360.50 against 270.00: +33.5%
    expect(screen.getByTestId('modelfleet-cost-change')).toHaveTextContent(
      '+33.5%',
    );
    expect(
      screen.getByText(/against \$270\.00 in 2026-10-29 – 2026-10-31/),
    ).toBeInTheDocument();
    expect(screen.getByText('Idle share included')).toBeInTheDocument();
    expect(screen.getByText('$90.13')).toBeInTheDocument();
    expect(
      screen.getByText('25.0% of the cost paid for idle GPUs'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('model-cost-per-1m-tokens')).toHaveTextContent(
      '$3.0042',
    );
    expect(screen.getByText('120,000,000 tokens')).toBeInTheDocument();
    expect(screen.getByTestId('model-cost-per-1k-requests')).toHaveTextContent(
      '$7.51',
    );
    expect(
      screen.getByRole('figure', {
        name: 'Cost per day, 2026-11-01 – 2026-11-03, against the previous period',
      }),
    ).toBeInTheDocument();
    // The newest observation of each source.
    expect(screen.getByTestId('modelfleet-provenance')).toHaveTextContent(
      'Figures from prices from bundled-catalog, observed 2026-11-02 06:00 UTC. Idle cost policy: idle GPU cost shared by cost.',
    );
    expect(screen.getByText('Demo data')).toBeInTheDocument();
    expect(api.getEntityCost).toHaveBeenCalledWith(
      { kind: 'model', namespace: 'search', name: 'llama-3-1-8b-chat' },
      undefined,
    );
  });

  it('leaves out unit costs the report does not have and labels no demo data', async () => {
    await render(
      mockModelFleetApi({ getEntityCost: jest.fn(async () => costReport()) }),
    );
    expect(await screen.findByTestId('model-cost-total')).toBeInTheDocument();
    expect(screen.queryByText('Cost per 1M tokens')).not.toBeInTheDocument();
    expect(screen.queryByText('Cost per 1k requests')).not.toBeInTheDocument();
    expect(screen.queryByText('Demo data')).not.toBeInTheDocument();
  });

  it('reads another period when one is chosen', async () => {
    const api = mockModelFleetApi({
      getEntityCost: jest.fn(async () => costReport()),
    });
    await render(api);
    await screen.findByTestId('model-cost-total');
    await userEvent.selectOptions(screen.getByLabelText('Period'), '7');
    await screen.findByTestId('model-cost-total');
    expect(api.getEntityCost).toHaveBeenCalledTimes(2);
    const query = api.getEntityCost.mock.calls[1][1]!;
    expect(query.granularity).toBe('day');
    expect((Date.parse(query.to!) - Date.parse(query.from!)) / 86_400_000).toBe(
      7,
    );
  });

  it('says why there is no cost data yet', async () => {
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(async () => emptyCostReport()),
      }),
    );
    expect(await screen.findByText('No cost data yet')).toBeInTheDocument();
    expect(
      screen.getByText(
        /recorded no cost for this model in 2026-11-01 – 2026-11-03/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('model-cost-total')).not.toBeInTheDocument();
  });

  it('shows progress while the report loads', async () => {
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(() => new Promise(() => {})),
      }),
    );
    await screen.findByTestId('progress', undefined, { timeout: 10_000 });
    expect(screen.queryByText('No cost data yet')).not.toBeInTheDocument();
  });

  it('says whose costs these are when the backend answers 403 after all', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'modelfleet.cost.read is not allowed on model:search/llama-3-1-8b-chat',
    );
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(() => Promise.reject(error)),
      }),
    );
    expect(
      await screen.findByTestId('modelfleet-costs-not-allowed'),
    ).toHaveTextContent(
      'These costs belong to search-team. Only its members and the platform team can see them.',
    );
    expect(screen.queryByText(/Warning|Error/)).not.toBeInTheDocument();
    expect(screen.queryByText(/is not allowed on/)).not.toBeInTheDocument();
  });

  it('says when the backend does not know the model', async () => {
    const error = await responseError(
      404,
      'NotFoundError',
      'No model search/llama-3-1-8b-chat',
    );
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(() => Promise.reject(error)),
      }),
    );
    expect(
      await screen.findByText(
        'Info: ModelFleet has no record of the model search/llama-3-1-8b-chat',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /^No model search\/llama-3-1-8b-chat\. The backend learns/,
      ),
    ).toBeInTheDocument();
  });

  it('shows any other error in a response error panel', async () => {
    const error = await responseError(500, 'Error', 'database is locked');
    await render(
      mockModelFleetApi({
        getEntityCost: jest.fn(() => Promise.reject(error)),
      }),
    );
    expect(
      await screen.findByText(
        'Error: Request failed with 500 Internal Server Error',
      ),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/database is locked/)).length,
    ).toBeGreaterThan(0);
  });
});
