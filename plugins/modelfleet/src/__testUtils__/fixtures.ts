import { ResponseError } from '@backstage/errors';
import {
  CostPoint,
  CostReport,
  UtilizationReport,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetApi } from '../api';
import { modelCapabilities } from './actionFixtures';
import { arbitrageReport } from './arbitrageFixtures';
import { hibernationReport } from './hibernationFixtures';
import { emptySavingsLedger } from './savingsFixtures';

/** Days `YYYY-MM-DD` from `from`, `count` of them. */
export function days(from: string, count: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}

function series(from: string, costs: number[], idle = 0.25): CostPoint[] {
  return days(from, costs.length).map((date, i) => ({
    date,
    costUsd: costs[i],
    idleUsd: Math.round(costs[i] * idle * 100) / 100,
    unusedUsd: Math.round(costs[i] * 0.1 * 100) / 100,
    gpuHours: costs[i] / 0.8,
    savedGpuHours: costs[i] / 8,
    savedUsd: Math.round(costs[i] * 10) / 100,
  }));
}

const sum = (points: CostPoint[], key: Exclude<keyof CostPoint, 'date'>) =>
  Math.round(points.reduce((s, p) => s + p[key], 0) * 100) / 100;

/** The totals of a series, as the backend sums them. */
const totalsOf = (points: CostPoint[]) => ({
  costUsd: sum(points, 'costUsd'),
  idleUsd: sum(points, 'idleUsd'),
  unusedUsd: sum(points, 'unusedUsd'),
  gpuHours: sum(points, 'gpuHours'),
  savedGpuHours: sum(points, 'savedGpuHours'),
  savedUsd: sum(points, 'savedUsd'),
  daysWithData: points.length,
});

const NO_COST = {
  costUsd: 0,
  idleUsd: 0,
  unusedUsd: 0,
  gpuHours: 0,
  savedGpuHours: 0,
  savedUsd: 0,
  daysWithData: 0,
};

/**
 * A cost report shaped like the backend's: a 3-day period (2026-11-01 to
 * 2026-11-04) and the 3 days before it.
 */
export function costReport(overrides: Partial<CostReport> = {}): CostReport {
  const current = series('2026-11-01', [100, 120.5, 140]);
  const previous = series('2026-10-29', [80, 90, 100]);
  return {
    scope: 'model',
    entityRef: 'model:default/llama-3-1-8b-chat',
    from: '2026-11-01',
    to: '2026-11-04',
    granularity: 'day',
    currency: 'USD',
    idleCostPolicy: 'shared-proportionally',
    total: totalsOf(current),
    series: current,
    previous: {
      from: '2026-10-29',
      to: '2026-11-01',
      total: totalsOf(previous),
      series: previous,
    },
    breakdown: {
      models: [],
      pools: [
        {
          entityRef: 'gpupool:default/demo-aws-use1.g6-l4-spot',
          costUsd: 360.5,
          idleUsd: 90.13,
          unusedUsd: 36.05,
          gpuHours: 450.63,
          savedGpuHours: 45.06,
          savedUsd: 36.05,
        },
      ],
      teams: [],
    },
    anomalies: [],
    provenance: [
      {
        kind: 'price',
        source: 'bundled-catalog',
        observedAt: '2026-10-30T06:00:00Z',
        subject: 'aws g6.xlarge us-east-1 spot',
        usdPerHour: 0.3,
      },
      {
        kind: 'price',
        source: 'bundled-catalog',
        observedAt: '2026-11-02T06:00:00Z',
        subject: 'aws g6.xlarge us-east-1 spot',
        usdPerHour: 0.31,
      },
    ],
    demo: false,
    ...overrides,
  };
}

/** A cost report with no data in its period. */
export function emptyCostReport(overrides: Partial<CostReport> = {}) {
  const report = costReport(overrides);
  return {
    ...report,
    total: NO_COST,
    series: [],
    previous: {
      ...report.previous,
      total: NO_COST,
      series: [],
    },
    breakdown: { models: [], pools: [], teams: [] },
    provenance: [],
    ...overrides,
  };
}

/** A utilization report over the same 3 days. */
export function utilizationReport(
  overrides: Partial<UtilizationReport> = {},
): UtilizationReport {
  return {
    scope: 'model',
    entityRef: 'model:default/llama-3-1-8b-chat',
    from: '2026-11-01',
    to: '2026-11-04',
    granularity: 'day',
    gpuUtilization: 0.62,
    memoryUsedMiB: 18432,
    memoryPerGpuMiB: 9216,
    memoryTotalMiB: 22886,
    idleShare: 0.3,
    unusedUsd: 42.5,
    idleCostUsd: 42.5,
    series: [
      {
        date: '2026-11-01',
        gpuUtilization: 0.5,
        memoryUsedMiB: 16384,
        memoryPerGpuMiB: 8192,
        idleShare: 0.4,
        unusedUsd: 16,
        idleCostUsd: 16,
      },
      {
        date: '2026-11-02',
        gpuUtilization: 0.66,
        memoryUsedMiB: 18432,
        memoryPerGpuMiB: 9216,
        idleShare: 0.3,
        unusedUsd: 14.5,
        idleCostUsd: 14.5,
      },
      {
        date: '2026-11-03',
        gpuUtilization: 0.7,
        memoryUsedMiB: 20480,
        memoryPerGpuMiB: 10240,
        idleShare: 0.2,
        unusedUsd: 12,
        idleCostUsd: 12,
      },
    ],
    demo: false,
    ...overrides,
  };
}

/** A ResponseError as the client throws it for a backend error body. */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  const statusText: Record<number, string> = {
    400: 'Bad Request',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
  };
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'GET', url: '/api/modelfleet/cost' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: statusText[status] ?? 'Error',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

/**
 * A ModelFleetApi whose every method is a jest mock; cost reads answer
 * empty, the model has no actions and its caller may do everything, and
 * its hibernation report is {@link hibernationReport}'s; the savings
 * ledger has no saving.
 */
export function mockModelFleetApi(
  overrides: Partial<ModelFleetApi> = {},
): jest.Mocked<ModelFleetApi> {
  return {
    getHealth: jest.fn(),
    getStatus: jest.fn(),
    getClusters: jest.fn(async () => ({ items: [] })),
    getPools: jest.fn(async () => ({ items: [] })),
    getWorkloads: jest.fn(async () => ({ items: [] })),
    getEffectivePolicy: jest.fn(),
    getFleetCost: jest.fn(async () =>
      emptyCostReport({ scope: 'fleet', entityRef: null }),
    ),
    getEntityCost: jest.fn(async () => emptyCostReport()),
    getFleetUtilization: jest.fn(async () =>
      utilizationReport({ scope: 'fleet', entityRef: null }),
    ),
    getEntityUtilization: jest.fn(async () => utilizationReport()),
    getCostAnomalies: jest.fn(async () => ({ items: [] })),
    getBillReconciliation: jest.fn(async () => ({ items: [] })),
    placement: jest.fn(),
    listActions: jest.fn(async () => ({ actions: [] })),
    approveAction: jest.fn(),
    cancelAction: jest.fn(),
    getModelCapabilities: jest.fn(async () => modelCapabilities()),
    requestModelAction: jest.fn(),
    requestMigration: jest.fn(),
    getModelHibernation: jest.fn(async () => hibernationReport()),
    getModelArbitrage: jest.fn(async () => arbitrageReport()),
    listRecommendations: jest.fn(async () => ({
      items: [],
      gatheredAt: '2026-12-06T12:00:00.000Z',
      notes: [],
    })),
    dismissRecommendation: jest.fn(),
    snoozeRecommendation: jest.fn(),
    restoreRecommendation: jest.fn(),
    applyRecommendation: jest.fn(),
    getSavings: jest.fn(async () => emptySavingsLedger()),
    ...overrides,
  } as jest.Mocked<ModelFleetApi>;
}
