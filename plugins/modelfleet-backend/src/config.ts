import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';

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
  return {
    clusterSync: {
      schedule: readSchedule(
        config,
        'modelfleet.clusterSync',
        DEFAULT_CLUSTER_SYNC_SCHEDULE,
      ),
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
