import { InputError } from '@backstage/errors';
import { CostReport } from '@modelfleet/plugin-modelfleet-common';
import { costReport, days, mockModelFleetApi } from '../__testUtils__/fixtures';
import { CostEntityRef, CostQuery } from '../api';
import { ModelFleetCostInsightsClient } from './ModelFleetCostInsightsClient';

/** Cost Insights shows no hibernation savings: these reports have none. */
const NONE_SAVED = { savedGpuHours: 0, savedUsd: 0 };

/**
 * A report for the query's period whose daily cost is the day of the month
 * (so sums are easy to check), with `gaps` days left out as the backend does
 * for days without data.
 */
function reportFor(query: CostQuery = {}, gaps: string[] = []): CostReport {
  const from = query.from ?? '2026-10-06';
  const to = query.to ?? '2026-11-05';
  const count = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  const series = days(from, count)
    .filter(d => !gaps.includes(d))
    .map(date => ({
      date,
      costUsd: Number(date.slice(8)),
      idleUsd: 1,
      unusedUsd: 0,
      gpuHours: 2,
      savedGpuHours: 0,
      savedUsd: 0,
    }));
  return costReport({
    from,
    to,
    series,
    total: {
      costUsd: series.reduce((s, p) => s + p.costUsd, 0),
      idleUsd: series.length,
      unusedUsd: 0,
      gpuHours: series.length * 2,
      savedGpuHours: 0,
      savedUsd: 0,
      daysWithData: series.length,
    },
    previous: {
      from: '2000-01-01',
      to: '2000-01-02',
      total: {
        ...NONE_SAVED,
        costUsd: 50,
        idleUsd: 4,
        unusedUsd: 0,
        gpuHours: 8,
        daysWithData: 1,
      },
      series: [],
    },
  });
}

function setup(
  options: {
    ownership?: string[];
    groups?: Array<Record<string, any> | undefined>;
    models?: Array<{ name: string; namespace?: string; title?: string }>;
    api?: Parameters<typeof mockModelFleetApi>[0];
  } = {},
) {
  const modelfleetApi = mockModelFleetApi({
    getEntityCost: jest.fn(async (_: CostEntityRef, q?: CostQuery) =>
      reportFor(q),
    ),
    getFleetCost: jest.fn(async (q?: CostQuery) => reportFor(q)),
    ...options.api,
  });
  const identityApi = {
    getBackstageIdentity: jest.fn(async () => ({
      type: 'user' as const,
      userEntityRef: 'user:default/ada',
      ownershipEntityRefs: options.ownership ?? [
        'user:default/ada',
        'group:default/search-team',
        'group:ml/Platform',
      ],
    })),
  };
  const catalogApi = {
    getEntitiesByRefs: jest.fn(async () => ({
      items: (options.groups ?? []) as any[],
    })),
    getEntities: jest.fn(async () => ({
      items: (options.models ?? []).map(m => ({
        apiVersion: 'modelfleet.io/v1alpha1',
        kind: 'Model',
        metadata: { name: m.name, namespace: m.namespace, title: m.title },
      })) as any[],
    })),
  };
  const client = new ModelFleetCostInsightsClient({
    modelfleetApi,
    identityApi,
    catalogApi,
    now: () => new Date('2026-11-05T08:30:00Z'),
  });
  return { client, modelfleetApi, identityApi, catalogApi };
}

describe('ModelFleetCostInsightsClient', () => {
  it('says yesterday (UTC) is the last complete billing day', async () => {
    const { client } = setup();
    await expect(client.getLastCompleteBillingDate()).resolves.toBe(
      '2026-11-04',
    );
  });

  it("lists the signed-in user's groups that are in the catalog, by name", async () => {
    const { client, catalogApi } = setup({
      ownership: [
        'user:default/ada',
        'group:default/search-team',
        'group:ml/Platform',
        'group:default/gone',
      ],
      groups: [
        {
          kind: 'Group',
          metadata: { name: 'search-team', namespace: 'default' },
          spec: { profile: { displayName: 'Search' } },
        },
        {
          kind: 'Group',
          metadata: { name: 'platform', namespace: 'ml', title: 'ML Platform' },
          spec: {},
        },
        undefined,
      ],
    });
    await expect(client.getUserGroups('ada')).resolves.toEqual([
      { id: 'group:ml/Platform', name: 'ML Platform' },
      { id: 'group:default/search-team', name: 'Search' },
    ]);
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRefs: [
          'group:default/search-team',
          'group:ml/Platform',
          'group:default/gone',
        ],
      }),
    );
  });

  it('has no groups for a user who belongs to none', async () => {
    const { client, catalogApi } = setup({ ownership: ['user:default/ada'] });
    await expect(client.getUserGroups('ada')).resolves.toEqual([]);
    expect(catalogApi.getEntitiesByRefs).not.toHaveBeenCalled();
  });

  it("lists a group's models as its projects", async () => {
    const { client, catalogApi } = setup({
      models: [
        { name: 'mistral-7b', namespace: 'search' },
        { name: 'llama-3-1-8b-chat', title: 'Llama 3.1 8B chat' },
      ],
    });
    await expect(
      client.getGroupProjects('group:default/Search-Team'),
    ).resolves.toEqual([
      { id: 'model:default/llama-3-1-8b-chat', name: 'Llama 3.1 8B chat' },
      { id: 'model:search/mistral-7b', name: 'mistral-7b' },
    ]);
    expect(catalogApi.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          kind: 'Model',
          apiVersion: 'modelfleet.io/v1alpha1',
          'relations.ownedBy': 'group:default/search-team',
        },
      }),
    );
  });

  it('gives a daily cost for every day of the intervals and the change between the last two', async () => {
    const { client, modelfleetApi } = setup({
      api: {
        getEntityCost: jest.fn(async (_: CostEntityRef, q?: CostQuery) =>
          reportFor(q, ['2026-11-02']),
        ),
      },
    });
    const cost = await client.getGroupDailyCost(
      'group:default/search-team',
      'R2/P3D/2026-11-05',
    );
    expect(modelfleetApi.getEntityCost).toHaveBeenCalledWith(
      { kind: 'group', namespace: 'default', name: 'search-team' },
      { from: '2026-10-30', to: '2026-11-05', granularity: 'day' },
    );
    expect(cost.id).toBe('group:default/search-team');
    expect(cost.aggregation).toEqual([
      { date: '2026-10-30', amount: 30 },
      { date: '2026-10-31', amount: 31 },
      { date: '2026-11-01', amount: 1 },
      { date: '2026-11-02', amount: 0 },
      { date: '2026-11-03', amount: 3 },
      { date: '2026-11-04', amount: 4 },
    ]);
    // Last interval 11-02..11-04: 0 + 3 + 4 = 7; the one before: 30 + 31 + 1 = 62.
    expect(cost.change).toEqual({ amount: 7 - 62, ratio: (7 - 62) / 62 });
    expect(cost.trendline!.slope).toBeLessThan(0);
  });

  it('compares a single interval with the period before it from the report', async () => {
    const { client } = setup();
    const cost = await client.getProjectDailyCost(
      'model:default/llama-3-1-8b-chat',
      'R1/P2D/2026-11-05',
    );
    expect(cost.aggregation.map(a => a.amount)).toEqual([3, 4]);
    expect(cost.change).toEqual({ amount: 7 - 50, ratio: (7 - 50) / 50 });
  });

  it('leaves out the ratio when the previous period cost nothing', async () => {
    const { client } = setup({
      api: {
        getEntityCost: jest.fn(async (_: CostEntityRef, q?: CostQuery) =>
          reportFor(q, ['2026-11-01', '2026-11-02']),
        ),
      },
    });
    const cost = await client.getCatalogEntityDailyCost(
      'gpupool:default/demo-aws-use1.g6-l4-spot',
      'R2/P2D/2026-11-05',
    );
    expect(cost.change).toEqual({ amount: 7 });
  });

  it('reads the entity cost of models, pools and groups only', async () => {
    const { client, modelfleetApi } = setup();
    await client.getCatalogEntityDailyCost(
      'Model:Search/mistral-7b',
      'R2/P1D/2026-11-05',
    );
    expect(modelfleetApi.getEntityCost).toHaveBeenLastCalledWith(
      { kind: 'model', namespace: 'search', name: 'mistral-7b' },
      expect.anything(),
    );
    await expect(
      client.getCatalogEntityDailyCost(
        'component:default/search-api',
        'R2/P1D/2026-11-05',
      ),
    ).rejects.toThrow(
      new InputError(
        'catalogEntityRef must be a Model, GpuPool or Group, got component:default/search-api',
      ),
    );
    await expect(
      client.getProjectDailyCost('group:default/x', 'R2/P1D/2026-11-05'),
    ).rejects.toThrow(/project must be a Model entity ref/);
    await expect(
      client.getGroupDailyCost('group:default/x', 'last month'),
    ).rejects.toThrow(/^intervals must be an ISO 8601 repeating interval/);
  });

  it('gives fleet GPU-hours and idle cost as metrics', async () => {
    const { client } = setup();
    const hours = await client.getDailyMetricData(
      'gpuHours',
      'R2/P1D/2026-11-05',
    );
    expect(hours).toEqual({
      id: 'gpuHours',
      format: 'number',
      aggregation: [
        { date: '2026-11-03', amount: 2 },
        { date: '2026-11-04', amount: 2 },
      ],
      change: { amount: 0, ratio: 0 },
    });
    const idle = await client.getDailyMetricData(
      'idleCost',
      'R2/P1D/2026-11-05',
    );
    expect(idle.format).toBe('currency');
    await expect(
      client.getDailyMetricData('dau', 'R2/P1D/2026-11-05'),
    ).rejects.toThrow('metric must be one of gpuHours, idleCost, got "dau"');
  });

  it('breaks the cost of the last interval against the one before down by pool, with unplaced cost unlabeled', async () => {
    const reports: Record<string, CostReport> = {
      '2026-10-06': costReport({
        total: {
          ...NONE_SAVED,
          costUsd: 100,
          idleUsd: 0,
          unusedUsd: 0,
          gpuHours: 0,
          daysWithData: 30,
        },
        breakdown: {
          models: [],
          teams: [],
          pools: [
            {
              entityRef: 'gpupool:default/a',
              costUsd: 100,
              idleUsd: 0,
              unusedUsd: 0,
              gpuHours: 0,
              ...NONE_SAVED,
            },
          ],
        },
      }),
      '2026-11-05': costReport({
        total: {
          ...NONE_SAVED,
          costUsd: 260,
          idleUsd: 0,
          unusedUsd: 0,
          gpuHours: 0,
          daysWithData: 30,
        },
        breakdown: {
          models: [],
          teams: [],
          pools: [
            {
              entityRef: 'gpupool:default/a',
              costUsd: 50,
              idleUsd: 0,
              unusedUsd: 0,
              gpuHours: 0,
              ...NONE_SAVED,
            },
            {
              entityRef: 'gpupool:default/b',
              costUsd: 200,
              idleUsd: 0,
              unusedUsd: 0,
              gpuHours: 0,
              ...NONE_SAVED,
            },
          ],
        },
      }),
    };
    const { client, modelfleetApi } = setup({
      api: {
        getEntityCost: jest.fn(
          async (_: CostEntityRef, q?: CostQuery) => reports[q!.from!],
        ),
      },
    });
    const entity = await client.getProductInsights({
      product: 'gpuPools',
      group: 'group:default/search-team',
      intervals: 'R2/P30D/2026-12-05',
      project: null,
    });
    expect(modelfleetApi.getEntityCost).toHaveBeenCalledWith(
      { kind: 'group', namespace: 'default', name: 'search-team' },
      { from: '2026-11-05', to: '2026-12-05', granularity: 'day' },
    );
    expect(entity).toEqual({
      id: 'gpuPools',
      aggregation: [100, 260],
      change: { amount: 160, ratio: 1.6 },
      entities: {
        pool: [
          {
            id: 'gpupool:default/b',
            aggregation: [0, 200],
            change: { amount: 200 },
            entities: {},
          },
          {
            id: 'gpupool:default/a',
            aggregation: [100, 50],
            change: { amount: -50, ratio: -0.5 },
            entities: {},
          },
          {
            id: null,
            aggregation: [0, 10],
            change: { amount: 10 },
            entities: {},
          },
        ],
      },
    });
  });

  it('reads the product of a chosen project and rejects unknown products', async () => {
    const { client, modelfleetApi } = setup();
    const entity = await client.getProductInsights({
      product: 'models',
      group: 'group:default/search-team',
      intervals: 'R1/P7D/2026-11-05',
      project: 'model:default/llama-3-1-8b-chat',
    });
    expect(Object.keys(entity.entities)).toEqual(['model']);
    expect(modelfleetApi.getEntityCost).toHaveBeenCalledWith(
      { kind: 'model', namespace: 'default', name: 'llama-3-1-8b-chat' },
      { from: '2026-10-22', to: '2026-10-29', granularity: 'day' },
    );
    await expect(
      client.getProductInsights({
        product: 'computeEngine',
        group: 'group:default/search-team',
        intervals: 'R2/P7D/2026-11-05',
        project: null,
      }),
    ).rejects.toThrow(
      'product must be one of gpuPools, models, got "computeEngine"',
    );
  });

  it("alerts on the group's budget and on anomalies of the group and its models only", async () => {
    const { client } = setup({
      models: [{ name: 'mistral-7b' }],
      api: {
        getEntityCost: jest.fn(async () =>
          costReport({
            budget: {
              month: '2026-11',
              monthlyBudgetUsd: 3000,
              monthToDateUsd: 1234.56,
              forecastUsd: 3600,
              dailyRunRateUsd: 100,
              runRateDays: 7,
              burn: 0.41,
              status: 'at-risk',
            },
          }),
        ),
        getCostAnomalies: jest.fn(async () => ({
          items: [
            {
              day: '2026-11-01',
              scope: 'model' as const,
              entityRef: 'model:default/mistral-7b',
              costUsd: 180,
              baselineUsd: 40,
              score: 6.24,
              direction: 'spike' as const,
            },
            {
              day: '2026-11-03',
              scope: 'team' as const,
              entityRef: 'search-team',
              costUsd: 10,
              baselineUsd: 90,
              score: -4,
              direction: 'drop' as const,
            },
            {
              day: '2026-11-04',
              scope: 'model' as const,
              entityRef: 'model:default/other',
              team: 'group:default/other-team',
              costUsd: 999,
              baselineUsd: 1,
              score: 40,
              direction: 'spike' as const,
            },
            {
              day: '2026-11-04',
              scope: 'fleet' as const,
              entityRef: 'fleet',
              costUsd: 999,
              baselineUsd: 1,
              score: 40,
              direction: 'spike' as const,
            },
          ],
        })),
      },
    });
    await expect(
      client.getAlerts('group:default/search-team'),
    ).resolves.toEqual([
      {
        title: 'The GPU budget for 2026-11 is at risk',
        subtitle:
          '$1,234.56 of $3,000.00 spent so far; the month-end forecast is $3,600.00.',
      },
      {
        title: 'Cost drop on 2026-11-03: search-team',
        subtitle: '$10.00 against a baseline of $90.00 (robust z-score -4.0).',
      },
      {
        title: 'Cost spike on 2026-11-01: model:default/mistral-7b',
        subtitle: '$180.00 against a baseline of $40.00 (robust z-score 6.2).',
      },
    ]);
  });

  it('has no alerts for a group on budget without anomalies', async () => {
    const { client } = setup({
      api: { getEntityCost: jest.fn(async () => costReport()) },
    });
    await expect(
      client.getAlerts('group:default/search-team'),
    ).resolves.toEqual([]);
  });
});
