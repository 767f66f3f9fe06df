/** The default schedules of the backend's background loops. */
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';

export const DEFAULT_SHOWBACK_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 15 },
    timeout: { minutes: 30 },
    initialDelay: { seconds: 20 },
  };

export const DEFAULT_BILLS_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 6 },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 1 },
};

export const DEFAULT_HOUSEKEEPING_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 10 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 15 },
  };

export const DEFAULT_CLUSTER_SYNC_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 1 },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 3 },
  };

export const DEFAULT_HIBERNATION_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { seconds: 30 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 20 },
  };

export const DEFAULT_ARBITRAGE_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 10 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
  };

export const DEFAULT_SPOT_FALLBACK_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { seconds: 20 },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 25 },
  };

export const DEFAULT_POOL_HISTORY_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { seconds: 30 },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 20 },
  };

export const DEFAULT_PRICE_REFRESH_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { hours: 6 },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 5 },
  };
