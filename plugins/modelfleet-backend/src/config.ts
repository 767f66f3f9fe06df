import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { IdleCostPolicy } from '@modelfleet/plugin-modelfleet-common';

/**
 * The parts of `modelfleet:` in app-config the backend reads, with defaults
 * applied.
 *
 * @internal
 */
export interface ModelFleetBackendConfig {
  clusterSync: { schedule: SchedulerServiceTaskScheduleDefinition };
  priceRefresh: { schedule: SchedulerServiceTaskScheduleDefinition };
  housekeeping: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    retention: HumanDuration;
    abandonAfter: HumanDuration;
  };
  showback: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    idleCostPolicy: IdleCostPolicy;
    platformTeamRef?: string;
    backfillDays: number;
    rerollDays: number;
    sampleRetentionDays: number;
    /** Seconds one cluster-sync sample stands for. */
    sampleSeconds: number;
  };
  bills: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    windowDays: number;
  };
  placement: {
    assumedAddableNodes: number;
  };
  actions: {
    /** Whether this replica runs the action loop. */
    runner: boolean;
    /** How long a claim on an action lasts without renewal. */
    leaseMs: number;
    /** Time between two looks for runnable actions, and between two looks at a step that waits. */
    pollMs: number;
    /** Tries of one step before it fails for good. */
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
  };
  hibernation: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    historyHours: number;
    stepSeconds: number;
    defaultLoadSeconds: number;
  };
  arbitrage: {
    /** The arbitrage loop. */
    schedule: SchedulerServiceTaskScheduleDefinition;
    provisioningSeconds: number;
    drainSeconds: number;
    paybackHorizonHours: number;
    /** 0–1 */
    minAvailability: number;
    /** The spot fallback loop. */
    spotFallback: {
      schedule: SchedulerServiceTaskScheduleDefinition;
      launchTimeoutSeconds: number;
    };
  };
}

const IDLE_POLICIES: IdleCostPolicy[] = [
  'not-shared',
  'shared-proportionally',
  'platform-team',
];

const DEFAULT_SHOWBACK_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  timeout: { minutes: 30 },
  initialDelay: { seconds: 20 },
};

const DEFAULT_BILLS_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 6 },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 1 },
};

function readWholeNumber(
  config: RootConfigService,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = atKey(key, () => config.getOptionalNumber(key));
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `Invalid app-config at ${key}: must be a whole number from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

/** Seconds between runs of a schedule given as a duration; 60 for a cron. */
function frequencySeconds(s: SchedulerServiceTaskScheduleDefinition): number {
  const f = s.frequency as any;
  if (typeof f !== 'object' || 'cron' in f || 'trigger' in f) return 60;
  if (typeof f.toMillis === 'function') return Math.round(f.toMillis() / 1000);
  const units: Record<string, number> = {
    years: 31_536_000,
    months: 2_592_000,
    weeks: 604_800,
    days: 86_400,
    hours: 3600,
    minutes: 60,
    seconds: 1,
    milliseconds: 0.001,
  };
  const total = Object.entries(f).reduce(
    (sum, [k, v]) => sum + (units[k] ?? 0) * Number(v),
    0,
  );
  return Math.max(1, Math.round(total));
}

const DEFAULT_HOUSEKEEPING_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 15 },
};

const DEFAULT_CLUSTER_SYNC_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 2 },
  initialDelay: { seconds: 3 },
};

const DEFAULT_HIBERNATION_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 20 },
};

const DEFAULT_ARBITRAGE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 10 },
  initialDelay: { minutes: 1 },
};

const DEFAULT_SPOT_FALLBACK_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 20 },
  timeout: { minutes: 2 },
  initialDelay: { seconds: 25 },
};

const DEFAULT_PRICE_REFRESH_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 6 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 5 },
};

function atKey<T>(key: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Invalid app-config at ${key}: ${reason}`);
  }
}

/** `<section>.schedule` when set, else the loop's default. */
function readSchedule(
  config: RootConfigService,
  section: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  const c = config.getOptionalConfig(section);
  return c?.has('schedule')
    ? atKey(`${section}.schedule`, () =>
        readSchedulerServiceTaskScheduleDefinitionFromConfig(
          c.getConfig('schedule'),
        ),
      )
    : fallback;
}

/**
 * Reads and validates the backend's config. Throws an error naming the key
 * path, so a bad config stops the backend at start.
 *
 * @internal
 */
export function readModelFleetBackendConfig(
  config: RootConfigService,
): ModelFleetBackendConfig {
  const hk = config.getOptionalConfig('modelfleet.housekeeping');
  const retention = hk?.has('retention')
    ? atKey('modelfleet.housekeeping.retention', () =>
        readDurationFromConfig(hk, { key: 'retention' }),
      )
    : { days: 30 };
  const clusterSyncSchedule = readSchedule(
    config,
    'modelfleet.clusterSync',
    DEFAULT_CLUSTER_SYNC_SCHEDULE,
  );
  const idleCostPolicy = (config.getOptionalString(
    'modelfleet.showback.idleCostPolicy',
  ) ?? 'shared-proportionally') as IdleCostPolicy;
  if (!IDLE_POLICIES.includes(idleCostPolicy)) {
    throw new Error(
      `Invalid app-config at modelfleet.showback.idleCostPolicy: must be one of ${IDLE_POLICIES.join(
        ', ',
      )}, got '${idleCostPolicy}'`,
    );
  }
  const platformTeam = config.getOptionalString(
    'modelfleet.showback.platformTeam',
  );
  let platformTeamRef: string | undefined;
  if (platformTeam) {
    platformTeamRef = atKey('modelfleet.showback.platformTeam', () =>
      stringifyEntityRef(
        parseEntityRef(platformTeam, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      ).toLocaleLowerCase('en-US'),
    );
  }
  if (idleCostPolicy === 'platform-team' && !platformTeamRef) {
    throw new Error(
      "Invalid app-config at modelfleet.showback.platformTeam: idleCostPolicy 'platform-team' needs the Group that pays idle cost",
    );
  }
  return {
    clusterSync: { schedule: clusterSyncSchedule },
    showback: {
      schedule: readSchedule(
        config,
        'modelfleet.showback',
        DEFAULT_SHOWBACK_SCHEDULE,
      ),
      idleCostPolicy,
      platformTeamRef,
      backfillDays: readWholeNumber(
        config,
        'modelfleet.showback.backfillDays',
        0,
        0,
        400,
      ),
      rerollDays: readWholeNumber(
        config,
        'modelfleet.showback.rerollDays',
        2,
        0,
        60,
      ),
      sampleRetentionDays: readWholeNumber(
        config,
        'modelfleet.showback.sampleRetentionDays',
        45,
        3,
        3650,
      ),
      sampleSeconds: Math.min(3600, frequencySeconds(clusterSyncSchedule)),
    },
    bills: {
      schedule: readSchedule(
        config,
        'modelfleet.bills',
        DEFAULT_BILLS_SCHEDULE,
      ),
      windowDays: readWholeNumber(
        config,
        'modelfleet.bills.windowDays',
        35,
        1,
        400,
      ),
    },
    placement: {
      assumedAddableNodes: readWholeNumber(
        config,
        'modelfleet.placement.assumedAddableNodes',
        4,
        0,
        10000,
      ),
    },
    actions: readActionsConfig(config),
    hibernation: {
      schedule: readSchedule(
        config,
        'modelfleet.hibernation',
        DEFAULT_HIBERNATION_SCHEDULE,
      ),
      historyHours: readWholeNumber(
        config,
        'modelfleet.hibernation.historyHours',
        48,
        1,
        336,
      ),
      stepSeconds: readWholeNumber(
        config,
        'modelfleet.hibernation.stepSeconds',
        60,
        10,
        3600,
      ),
      defaultLoadSeconds: readWholeNumber(
        config,
        'modelfleet.hibernation.defaultLoadSeconds',
        90,
        1,
        3600,
      ),
    },
    arbitrage: {
      schedule: readSchedule(
        config,
        'modelfleet.arbitrage',
        DEFAULT_ARBITRAGE_SCHEDULE,
      ),
      provisioningSeconds: readWholeNumber(
        config,
        'modelfleet.arbitrage.provisioningSeconds',
        180,
        0,
        3600,
      ),
      drainSeconds: readWholeNumber(
        config,
        'modelfleet.arbitrage.drainSeconds',
        60,
        0,
        3600,
      ),
      paybackHorizonHours: readWholeNumber(
        config,
        'modelfleet.arbitrage.paybackHorizonHours',
        168,
        1,
        8760,
      ),
      minAvailability:
        readWholeNumber(
          config,
          'modelfleet.arbitrage.minAvailabilityPercent',
          99,
          50,
          100,
        ) / 100,
      spotFallback: {
        schedule: readSchedule(
          config,
          'modelfleet.arbitrage.spotFallback',
          DEFAULT_SPOT_FALLBACK_SCHEDULE,
        ),
        launchTimeoutSeconds: readWholeNumber(
          config,
          'modelfleet.arbitrage.spotFallback.launchTimeoutSeconds',
          300,
          30,
          3600,
        ),
      },
    },
    priceRefresh: {
      schedule: readSchedule(
        config,
        'modelfleet.prices',
        DEFAULT_PRICE_REFRESH_SCHEDULE,
      ),
    },
    housekeeping: {
      schedule: readSchedule(
        config,
        'modelfleet.housekeeping',
        DEFAULT_HOUSEKEEPING_SCHEDULE,
      ),
      retention,
      abandonAfter: { days: 1 },
    },
  };
}

/** `modelfleet.actions`: the action loop's lease, polling and retries. */
function readActionsConfig(
  config: RootConfigService,
): ModelFleetBackendConfig['actions'] {
  const seconds = (key: string, fallback: number, min: number, max: number) =>
    readWholeNumber(config, `modelfleet.actions.${key}`, fallback, min, max) *
    1000;
  const leaseMs = seconds('leaseSeconds', 60, 5, 3600);
  const baseDelayMs = seconds('retry.baseDelaySeconds', 2, 1, 3600);
  const maxDelayMs = seconds('retry.maxDelaySeconds', 60, 1, 86_400);
  if (maxDelayMs < baseDelayMs) {
    throw new Error(
      `Invalid app-config at modelfleet.actions.retry.maxDelaySeconds: must be at least retry.baseDelaySeconds (${
        baseDelayMs / 1000
      }), got ${maxDelayMs / 1000}`,
    );
  }
  const runner = atKey('modelfleet.actions.runner', () =>
    config.getOptionalBoolean('modelfleet.actions.runner'),
  );
  return {
    runner: runner ?? true,
    leaseMs,
    pollMs: seconds('pollSeconds', 2, 1, 300),
    maxAttempts: readWholeNumber(
      config,
      'modelfleet.actions.retry.maxAttempts',
      5,
      1,
      100,
    ),
    baseDelayMs,
    maxDelayMs,
  };
}
