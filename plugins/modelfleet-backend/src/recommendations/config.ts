import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { atKey, readSchedule } from '../configReaders';

/** The recommendations pass's task id. */
export const RECOMMENDATIONS_TASK_ID = 'modelfleet-recommendations';

/** `modelfleet.recommendations`. */
export interface RecommendationsSettings {
  /** When the pass that notifies teams runs. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** A new recommendation saving more than this a month is sent to its team. */
  notifyAboveUsd: number;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  timeout: { minutes: 10 },
  initialDelay: { minutes: 2 },
};

/** Reads `modelfleet.recommendations`, naming the key of a bad value. */
export function readRecommendationsConfig(
  config: RootConfigService,
): RecommendationsSettings {
  const key = 'modelfleet.recommendations.notifyAboveUsd';
  const above = atKey(key, () => config.getOptionalNumber(key));
  if (above !== undefined && (!Number.isFinite(above) || above < 0)) {
    throw new Error(
      `Invalid app-config at ${key}: must be a number of dollars, 0 or more, got ${above}`,
    );
  }
  return {
    schedule: readSchedule(
      config,
      'modelfleet.recommendations',
      DEFAULT_SCHEDULE,
    ),
    notifyAboveUsd: above ?? 500,
  };
}
