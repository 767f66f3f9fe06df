import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import { ModelFleetStore } from '../database/ModelFleetStore';
import { MAX_PERIOD_DAYS } from '../routes/costQuery';
import { describeDuration } from './describeSchedule';
import { ModelFleetTask } from './TaskRegistry';

/** Id of the housekeeping loop. @internal */
export const HOUSEKEEPING_TASK_ID = 'modelfleet-housekeeping';

/**
 * The housekeeping loop: forgets loop runs older than the retention,
 * marks runs whose backend died mid-run as failed, and forgets the wakes
 * of models older than the longest period a report covers.
 *
 * @internal
 */
export function createHousekeepingTask(options: {
  store: ModelFleetStore;
  /** The models' wakes from zero (the hibernation store). */
  wakes?: { pruneWakes(before: Date): Promise<number> };
  schedule: SchedulerServiceTaskScheduleDefinition;
  retention: HumanDuration;
  /** A run still `running` after this long is taken as abandoned. */
  abandonAfter: HumanDuration;
  clock?: () => Date;
}): ModelFleetTask {
  const { store, schedule, retention, abandonAfter } = options;
  const now = options.clock ?? (() => new Date());
  return {
    id: HOUSEKEEPING_TASK_ID,
    schedule,
    async run() {
      const t = now().getTime();
      const abandoned = await store.failAbandonedTaskRuns(
        new Date(t - durationToMilliseconds(abandonAfter)),
        now(),
      );
      const pruned = await store.pruneTaskRuns(
        new Date(t - durationToMilliseconds(retention)),
      );
      const wakes = await options.wakes?.pruneWakes(
        new Date(t - MAX_PERIOD_DAYS * 86_400_000),
      );
      return `Pruned ${pruned} loop run(s) older than ${describeDuration(
        retention,
      )}; marked ${abandoned} abandoned run(s) failed${
        wakes === undefined
          ? ''
          : `; forgot ${wakes} wake(s) older than ${MAX_PERIOD_DAYS} days`
      }`;
    },
  };
}
