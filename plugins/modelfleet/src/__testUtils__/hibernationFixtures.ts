import {
  ModelHibernationReport,
  ModelWake,
} from '@modelfleet/plugin-modelfleet-common';

/** A cold wake from zero that took `seconds`, starting at `startedAt`. */
export function wake(
  startedAt: string,
  seconds: number | undefined,
  cold = true,
): ModelWake {
  return {
    startedAt,
    readyAt:
      seconds === undefined
        ? undefined
        : new Date(Date.parse(startedAt) + seconds * 1000).toISOString(),
    seconds,
    cold,
  };
}

/**
 * A hibernation report shaped like the backend's: a warm model of
 * `search/llama-3-1-8b-chat` under `enforce`, over the 3 days of the cost
 * fixtures (2026-11-01 to 2026-11-04), with 3 wakes.
 */
export function hibernationReport(
  overrides: Partial<ModelHibernationReport> = {},
): ModelHibernationReport {
  return {
    entityRef: 'model:search/llama-3-1-8b-chat',
    from: '2026-11-01',
    to: '2026-11-04',
    mode: 'enforce',
    dryRun: false,
    demo: false,
    state: 'warm',
    replicas: { desired: 1, ready: 1 },
    autoscaler: {
      cluster: 'demo-aws-use1',
      namespace: 'search',
      kind: 'ScaledObject',
      name: 'llama-chat',
      keepAliveSeconds: 480,
    },
    keepAlive: {
      seconds: 480,
      reason: 'gaps after 10:00 are mostly under 6 minutes',
    },
    decision: {
      action: 'none',
      reason: 'gaps after 10:00 are mostly under 6 minutes',
      at: '2026-11-03T10:15:00Z',
    },
    wakes: [
      wake('2026-11-03T09:58:00Z', 38),
      wake('2026-11-02T08:50:00Z', 41.5, false),
      wake('2026-11-01T14:02:00Z', 95),
    ],
    coldStarts: 2,
    wakeSeconds: { p50: 41.5, p95: 89.65 },
    nextChange: {
      at: '2026-11-03T10:23:00Z',
      what: 'goes to zero when the keep-alive runs out',
    },
    savings: { gpuHours: 41.25, usd: 1234.5678 },
    ...overrides,
  };
}
