import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { PriceSource } from '@modelfleet/plugin-modelfleet-node';
import { PriceBookStore } from '../database/PriceBookStore';
import { ModelFleetTask } from './TaskRegistry';

/** Id of the price refresh loop. @internal */
export const PRICE_REFRESH_TASK_ID = 'modelfleet-price-refresh';

/**
 * The price refresh loop: reads every price source and records what is new
 * in the price book. A failing source is reported and the others recorded;
 * the run fails only when every source fails.
 *
 * @internal
 */
export function createPriceRefreshTask(options: {
  sources: () => PriceSource[];
  prices: PriceBookStore;
  schedule: SchedulerServiceTaskScheduleDefinition;
  clock?: () => Date;
}): ModelFleetTask {
  const now = options.clock ?? (() => new Date());
  return {
    id: PRICE_REFRESH_TASK_ID,
    schedule: options.schedule,
    async run() {
      const sources = options.sources();
      const results = await Promise.all(
        sources.map(async source => {
          try {
            const quotes = await source.listPrices();
            const added = await options.prices.record(quotes, now());
            return `${source.id}: ${quotes.length} price(s), ${added} new`;
          } catch (e) {
            return { error: `${source.id}: ${(e as Error).message}` };
          }
        }),
      );
      const failed = results.filter(
        (r): r is { error: string } => typeof r !== 'string',
      );
      const ok = results.filter((r): r is string => typeof r === 'string');
      if (sources.length > 0 && ok.length === 0) {
        throw new Error(
          `Every price source failed: ${failed.map(f => f.error).join('; ')}`,
        );
      }
      return (
        [...ok, ...failed.map(f => `failed ${f.error}`)].join('; ') ||
        'No price sources'
      );
    },
  };
}
