import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { BillSource } from '@modelfleet/plugin-modelfleet-node';
import { BillStore } from '../database/BillStore';
import { addDays, dayOf, parseDay } from '../engines/showback';
import { ModelFleetTask } from '../tasks/TaskRegistry';
import { ingestBills } from './ingestBills';
import { ShowbackRollup } from './ShowbackRollup';

/** Id of the showback roll-up loop. @internal */
export const SHOWBACK_TASK_ID = 'modelfleet-showback';
/** Id of the bill ingestion loop. @internal */
export const BILL_INGEST_TASK_ID = 'modelfleet-bill-ingest';

/** The showback loop: rolls up usage into daily costs. @internal */
export function createShowbackTask(options: {
  rollup: ShowbackRollup;
  schedule: SchedulerServiceTaskScheduleDefinition;
  clock?: () => Date;
}): ModelFleetTask {
  const now = options.clock ?? (() => new Date());
  return {
    id: SHOWBACK_TASK_ID,
    schedule: options.schedule,
    run: () => options.rollup.run(now()),
  };
}

/**
 * The bill loop: ingests the last `windowDays` complete-or-running days of
 * every bill source. One failing source is reported; the others go on.
 *
 * @internal
 */
export function createBillIngestTask(options: {
  sources: () => BillSource[];
  store: BillStore;
  windowDays: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
  clock?: () => Date;
}): ModelFleetTask {
  const now = options.clock ?? (() => new Date());
  return {
    id: BILL_INGEST_TASK_ID,
    schedule: options.schedule,
    async run() {
      const sources = options.sources();
      if (!sources.length) return 'No bill sources configured';
      const today = dayOf(now());
      const window = {
        start: parseDay(addDays(today, -options.windowDays)),
        end: parseDay(addDays(today, 1)),
      };
      const done: string[] = [];
      const failed: string[] = [];
      for (const source of sources) {
        try {
          const r = await ingestBills({
            source,
            store: options.store,
            window,
            clock: now,
          });
          done.push(`${r.source}: ${r.lines} line(s), ${r.removed} removed`);
        } catch (e) {
          failed.push(e instanceof Error ? e.message : String(e));
        }
      }
      const summary = [...done, ...failed].join('; ');
      if (failed.length && !done.length) throw new Error(summary);
      return summary;
    },
  };
}
