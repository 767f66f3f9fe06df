import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** ModelFleet: GPU fleet management for AI models. */
  modelfleet?: {
    /** The housekeeping loop, which prunes the history of loop runs. */
    housekeeping?: {
      /**
       * When the loop runs. Defaults to every 10 minutes with a 5 minute
       * timeout. It runs on one backend replica at a time (scope global).
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long loop runs are kept, as an ISO 8601 duration string
       * (`P30D`) or a duration object (`{ days: 30 }`). Defaults to 30 days.
       */
      retention?: HumanDuration | string;
    };
  };
}
