import { mockCredentials } from '@backstage/backend-test-utils';
import { CostReport } from '@modelfleet/plugin-modelfleet-common';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { CostReportService } from '../showback/CostReportService';
import { anomaliesFor, fleetCostFor, placementFor } from './costAccess';

const owned = (name: string, owner: string) => ({
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'default' },
  spec: { owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

const permissions = policyPermissions({
  entities: [
    owned('sdxl', 'group:default/vision-team'),
    owned('chat', 'group:default/assistant-team'),
    group('vision-team'),
    group('assistant-team'),
  ],
  teamsOf: {
    'user:default/eli': ['group:default/vision-team'],
    'user:default/ops': ['group:default/platform-team'],
  },
});

/** Figures that follow a cost: idle a tenth, unused a fifth, GPU-hours a half, savings a quarter (an eighth in GPU-hours). */
const figures = (costUsd: number) => ({
  costUsd,
  idleUsd: costUsd / 10,
  unusedUsd: costUsd / 5,
  gpuHours: costUsd / 2,
  savedGpuHours: costUsd / 8,
  savedUsd: costUsd / 4,
});
const totals = (costUsd: number) => ({ ...figures(costUsd), daysWithData: 2 });
const item = (entityRef: string, costUsd: number) => ({
  entityRef,
  ...figures(costUsd),
});
const report = (
  scope: CostReport['scope'],
  entityRef: string | null,
  day1: number,
  day2: number,
): CostReport => ({
  scope,
  entityRef,
  from: '2026-11-01',
  to: '2026-11-03',
  granularity: 'day',
  currency: 'USD',
  idleCostPolicy: 'shared-proportionally',
  total: totals(day1 + day2),
  series: [
    { date: '2026-11-01', ...figures(day1) },
    { date: '2026-11-02', ...figures(day2) },
  ],
  previous: {
    from: '2026-10-30',
    to: '2026-11-01',
    total: totals(day1),
    series: [],
  },
  breakdown: {
    models: [item('model:default/sdxl', 30), item('model:default/chat', 70)],
    pools: [item('gpupool:default/p', 110)],
    teams: [
      item('group:default/vision-team', 30),
      item('group:default/assistant-team', 70),
    ],
  },
  anomalies: [],
  provenance: [],
  demo: true,
});

/** A cost service answering fixed reports (the access logic is under test). */
const costs = {
  cost: async (scope: string, ref: string | null) =>
    scope === 'fleet'
      ? report('fleet', null, 50, 60)
      : report('team', ref, ref === 'group:default/vision-team' ? 10 : 40, 20),
  anomalies: async () => ({
    items: [
      {
        day: '2026-11-02',
        scope: 'model',
        entityRef: 'model:default/sdxl',
        team: 'group:default/vision-team',
        costUsd: 9,
        baselineUsd: 3,
        score: 5,
        direction: 'spike',
      },
      {
        day: '2026-11-02',
        scope: 'model',
        entityRef: 'model:default/chat',
        team: 'group:default/assistant-team',
        costUsd: 9,
        baselineUsd: 3,
        score: 5,
        direction: 'spike',
      },
    ],
  }),
} as unknown as CostReportService;

const q = { from: '2026-11-01', to: '2026-11-03', granularity: 'day' as const };

describe('fleet-wide cost for a caller who may see some teams', () => {
  it('sums the teams the caller may see, and lists only what is theirs', async () => {
    const credentials = mockCredentials.user('user:default/eli');
    const r = await fleetCostFor({ permissions, costs, credentials }, q);
    expect(r.restrictedTo).toEqual(['group:default/vision-team']);
    expect(r.total.costUsd).toBe(30);
    expect(r.series.map(p => p.costUsd)).toEqual([10, 20]);
    // Savings are summed over the same teams as cost.
    expect(r.total.savedUsd).toBe(30 / 4);
    expect(r.total.savedGpuHours).toBe(30 / 8);
    expect(r.series.map(p => p.savedUsd)).toEqual([10 / 4, 20 / 4]);
    expect(r.previous.total.savedUsd).toBe(10 / 4);
    expect(r.breakdown.models.map(m => m.entityRef)).toEqual([
      'model:default/sdxl',
    ]);
    expect(r.breakdown.teams.map(m => m.entityRef)).toEqual([
      'group:default/vision-team',
    ]);
    expect(r.breakdown.pools).toEqual([]);
    const a = await anomaliesFor({ permissions, costs, credentials }, q);
    expect(a.items.map(x => x.entityRef)).toEqual(['model:default/sdxl']);
  });

  it('gives a platform team the whole fleet', async () => {
    const credentials = mockCredentials.user('user:default/ops');
    const r = await fleetCostFor({ permissions, costs, credentials }, q);
    expect(r.restrictedTo).toBeUndefined();
    expect(r.total.costUsd).toBe(110);
    const a = await anomaliesFor({ permissions, costs, credentials }, q);
    expect(a.items).toHaveLength(2);
  });

  it('drops the owner team’s budget and forecast from a placement for others', async () => {
    const answer = {
      policy: {
        team: 'group:default/assistant-team',
        allowedGpuTypes: null,
        spot: 'allow',
        monthlyBudgetUsd: 30000,
        teamForecastThisMonthUsd: 21000,
      },
    } as any;
    const other = await placementFor(
      permissions,
      mockCredentials.user('user:default/eli'),
      answer,
    );
    expect(other.policy).toMatchObject({
      monthlyBudgetUsd: null,
      teamForecastThisMonthUsd: null,
    });
    const platform = await placementFor(
      permissions,
      mockCredentials.user('user:default/ops'),
      answer,
    );
    expect(platform.policy.teamForecastThisMonthUsd).toBe(21000);
  });
});
