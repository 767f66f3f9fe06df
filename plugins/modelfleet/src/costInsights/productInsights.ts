/** The product insights of the Cost Insights API: a group's or a model's cost by GPU pool or by model, this period against the one before. */
import { InputError } from '@backstage/errors';
import { Entity } from '@backstage/plugin-cost-insights-common';
import { ModelFleetApi } from '../api';
import { DayInterval, parseRepeatingIntervals, shiftDay } from './intervals';
import { costRef, parseRef } from './refs';
import { changeOf } from './series';
import { MODELFLEET_PRODUCTS, ModelFleetProductInsightsOptions } from './types';

/**
 * Cost of the group (or of the chosen project) in the last interval
 * against the one before, broken down by GPU pool (`gpuPools`) or by model
 * (`models`). Cost the breakdown does not place is an unlabeled (null)
 * entity.
 */
export async function productInsights(
  modelfleetApi: ModelFleetApi,
  options: ModelFleetProductInsightsOptions,
): Promise<Entity> {
  const product = options.product;
  let key: 'pools' | 'models';
  let entityType: string;
  if (product === MODELFLEET_PRODUCTS.gpuPools) {
    key = 'pools';
    entityType = 'pool';
  } else if (product === MODELFLEET_PRODUCTS.models) {
    key = 'models';
    entityType = 'model';
  } else {
    throw new InputError(
      `product must be one of ${Object.values(MODELFLEET_PRODUCTS).join(
        ', ',
      )}, got ${JSON.stringify(product)}`,
    );
  }
  const target = options.project
    ? parseRef(options.project, 'project', 'model')
    : parseRef(options.group, 'group', 'group');
  const { intervals, duration } = parseRepeatingIntervals(options.intervals);
  const current = intervals[intervals.length - 1];
  const previous =
    intervals.length >= 2
      ? intervals[intervals.length - 2]
      : {
          from: shiftDay(new Date(`${current.from}T00:00:00Z`), duration, -1)
            .toISOString()
            .slice(0, 10),
          to: current.from,
        };
  const read = (i: DayInterval) =>
    modelfleetApi.getEntityCost(costRef(target), {
      from: i.from,
      to: i.to,
      granularity: 'day',
    });
  const [now, before] = await Promise.all([read(current), read(previous)]);

  const costs = new Map<string, [number, number]>();
  for (const [index, report] of [before, now].entries()) {
    for (const item of report.breakdown[key]) {
      const pair = costs.get(item.entityRef) ?? [0, 0];
      pair[index] += item.costUsd;
      costs.set(item.entityRef, pair);
    }
  }
  const entities: Entity[] = [...costs.entries()]
    .sort((a, b) => b[1][1] - a[1][1] || a[0].localeCompare(b[0]))
    .map(([id, [was, is]]) => ({
      id,
      aggregation: [was, is],
      change: changeOf(is, was),
      entities: {},
    }));
  const placed = (index: 0 | 1) =>
    [...costs.values()].reduce((sum, pair) => sum + pair[index], 0);
  const rest: [number, number] = [
    before.total.costUsd - placed(0),
    now.total.costUsd - placed(1),
  ];
  if (Math.abs(rest[0]) >= 0.005 || Math.abs(rest[1]) >= 0.005) {
    entities.push({
      id: null,
      aggregation: rest,
      change: changeOf(rest[1], rest[0]),
      entities: {},
    });
  }
  return {
    id: product,
    aggregation: [before.total.costUsd, now.total.costUsd],
    change: changeOf(now.total.costUsd, before.total.costUsd),
    entities: { [entityType]: entities },
  };
}
