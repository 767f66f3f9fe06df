import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { COST_IDEAS } from '@modelfleet/plugin-modelfleet-common';
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
      screen.getByText(/against \$270\.00 in 29 Oct 2026 – 31 Oct 2026/),
    ).toBeInTheDocument();
    // The two ideas of idle cost, named and defined as -common defines them.
    expect(
      screen.getByLabelText(
        `Unallocated capacity: ${COST_IDEAS.unallocated.definition}`,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('model-cost-unallocated')).toHaveTextContent(
      '$90.13',
    );
    expect(
      screen.getByText(
        "the pool's share charged to this model, included in its cost; 25.0% of the model's cost",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText(
        `Allocated but unused: ${COST_IDEAS.unused.definition}`,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('model-cost-unused')).toHaveTextContent('$36.05');
    expect(screen.queryByText(/Idle share/)).not.toBeInTheDocument();
    expect(screen.getByTestId('model-cost-per-1m-tokens')).toHaveTextContent(
      '$3.0042',
    );
    expect(screen.getByText('120,000,000 tokens')).toBeInTheDocument();
    expect(screen.getByTestId('model-cost-per-1k-requests')).toHaveTextContent(
      '$7.51',
    );
    expect(
      screen.getByRole('figure', {
        name: 'Cost per day, 1 Nov 2026 – 3 Nov 2026, against the previous period',
      }),
    ).toBeInTheDocument();
    // The newest observation of each source.
    expect(screen.getByTestId('modelfleet-provenance')).toHaveTextContent(
      "Figures from prices from bundled-catalog, observed 2 Nov 2026, 06:00 UTC. Idle cost policy: unallocated capacity shared by the pool's models, by their cost.",
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

  it('shows the monthly run rate and the month-end projection, with the method', async () => {
    const api = mockModelFleetApi({
      getEntityCost: jest.fn(async () =>
        costReport({
          projection: {
            month: '2026-11',
            monthToDateUsd: 920,
            dailyRunRateUsd: 100,
            runRateDays: 7,
            monthlyRunRateUsd: 3000,
            forecastUsd: 3000,
          },
        }),
      ),
    });
    await render(api);
    expect(await screen.findByTestId('model-run-rate')).toHaveTextContent(
      '$3,000.00',
    );
    expect(screen.getByText('$100.00 a day')).toBeInTheDocument();
    expect(screen.getByTestId('model-projection')).toHaveTextContent(
      '$3,000.00',
    );
    expect(screen.getByText('$920.00 so far this month')).toBeInTheDocument();
    expect(
      screen.getByLabelText(
        /^Monthly run rate: Run rate: the mean daily cost of the last complete 7 days \(today, still running, is left out\)/,
      ),
    ).toBeInTheDocument();
  });

  it('says the comparison is not available yet when the previous period is only partly covered', async () => {
    const report = costReport();
    const api = mockModelFleetApi({
      getEntityCost: jest.fn(async () => ({
        ...report,
        previous: {
          ...report.previous,
          total: { ...report.previous.total, daysWithData: 1 },
        },
      })),
    });
    await render(api);
    expect(
      await screen.findByTestId('modelfleet-cost-change'),
    ).toHaveTextContent(
      'Comparison with the previous period not available yet: it has cost data for 1 of its 3 days',
    );
    expect(screen.queryByText(/%$/)).not.toBeInTheDocument();
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

  it("shows the placement's estimate for a model just deployed, until costs arrive", async () => {
    const deployed = {
      ...model,
      spec: {
        ...model.spec,
        type: 'llm',
        source: 'hf://meta-llama/Llama-3.1-8B-Instruct',
        runtime: 'vllm',
        parametersBillions: 8,
        precision: 'bf16',
        gpu: { count: 1 },
        replicas: { min: 1, max: 2 },
      },
      relations: [
        {
          type: 'runsOn',
          targetRef: 'gpupool:default/demo-aws-use1.g6-l4-spot',
        },
      ],
    };
    const option = {
      ref: 'gpupool:default/demo-aws-use1.g6-l4-spot',
      title: 'L4 spot (demo-aws-use1)',
      usdPerNodeHour: 0.3086,
      priceSource: 'bundled-catalog',
      monthlyUsd: 0,
      chargedMonthlyUsd: 225.28,
    };
    const placement = jest.fn(async () => ({
      options: [],
      recommended: null,
      picked: { option },
    }));
    await renderInTestApp(
      <CardApis
        api={mockModelFleetApi({
          getEntityCost: jest.fn(async () => emptyCostReport()),
          placement: placement as any,
        })}
      >
        <EntityProvider entity={deployed}>
          <EntityModelCostCard />
        </EntityProvider>
      </CardApis>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByTestId('model-cost-estimate-charged'),
    ).toHaveTextContent('$225.28');
    expect(
      screen.getByText('Estimated monthly charge on L4 spot (demo-aws-use1)'),
    ).toBeInTheDocument();
    expect(screen.getByText('No cost data yet')).toBeInTheDocument();
    // The model as declared, on the pool it runs on.
    expect(placement).toHaveBeenCalledWith({
      name: 'llama-3-1-8b-chat',
      owner: 'group:default/search-team',
      runtime: 'vllm',
      parametersBillions: 8,
      precision: 'bf16',
      gpusPerReplica: 1,
      replicas: { min: 1, max: 2 },
      pool: 'gpupool:default/demo-aws-use1.g6-l4-spot',
    });
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
        /recorded no cost for this model in 1 Nov 2026 – 3 Nov 2026/,
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
