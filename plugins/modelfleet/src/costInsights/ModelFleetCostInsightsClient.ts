import { IdentityApi } from '@backstage/core-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ChangeStatistic,
  Cost,
  DateAggregation,
  Entity,
  Group,
  MetricData,
  Project,
  Trendline,
} from '@backstage/plugin-cost-insights-common';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  CostAnomaly,
  CostReport,
  MODEL_KIND,
  MODELFLEET_API_VERSION,
} from '@modelfleet/plugin-modelfleet-common';
import { CostEntityRef, CostQuery, ModelFleetApi } from '../api';
import { formatUsd } from '../components/CostCommon/format';
import {
  DayInterval,
  daysOf,
  parseRepeatingIntervals,
  shiftDay,
} from './intervals';
import { parseRef, ParsedRef, refKey, refString } from './refs';
import {
  MODELFLEET_METRICS,
  MODELFLEET_PRODUCTS,
  ModelFleetCostAlert,
  ModelFleetProductInsightsOptions,
} from './types';

type CatalogApi = typeof catalogApiRef.T;

/**
 * What {@link ModelFleetCostInsightsClient} needs: the ModelFleet API for
 * costs, the identity API for the signed-in user's groups and the catalog
 * API for group names and the models a group owns.
 *
 * @public
 */
export interface ModelFleetCostInsightsClientOptions {
  modelfleetApi: ModelFleetApi;
  identityApi: Pick<IdentityApi, 'getBackstageIdentity'>;
  catalogApi: Pick<CatalogApi, 'getEntities' | 'getEntitiesByRefs'>;
  /** The clock, for the last complete billing day; the system clock by default. */
  now?: () => Date;
}

const COST_KINDS = ['model', 'gpupool', 'group'];

const ANOMALY_KINDS: Record<CostAnomaly['scope'], string> = {
  model: 'model',
  pool: 'gpupool',
  team: 'group',
  fleet: 'fleet',
};

function costRef(ref: ParsedRef): CostEntityRef {
  return {
    kind: ref.kind as CostEntityRef['kind'],
    namespace: ref.namespace,
    name: ref.name,
  };
}

function sumOf(aggregation: DateAggregation[], interval: DayInterval): number {
  return aggregation
    .filter(a => a.date >= interval.from && a.date < interval.to)
    .reduce((sum, a) => sum + a.amount, 0);
}

/** The change from `previous` to `current`; no ratio when `previous` is 0. */
function changeOf(current: number, previous: number): ChangeStatistic {
  const amount = current - previous;
  return previous === 0 ? { amount } : { amount, ratio: amount / previous };
}

/** Least-squares line through the points, x in seconds since the epoch. */
function trendlineOf(aggregation: DateAggregation[]): Trendline | undefined {
  if (aggregation.length < 2) return undefined;
  const xs = aggregation.map(a => Date.parse(`${a.date}T00:00:00Z`) / 1000);
  const ys = aggregation.map(a => a.amount);
  const n = xs.length;
  const meanX = xs.reduce((s, x) => s + x, 0) / n;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
    sxx += (xs[i] - meanX) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/**
 * The Backstage Cost Insights API (`CostInsightsApi` of the Cost Insights
 * plugin) over ModelFleet's showback:
 *
 * - groups are the signed-in user's Groups in the catalog (their ownership
 *   refs), with the group's entity ref as id;
 * - projects of a group are the Models it owns, with the model's entity ref
 *   as id;
 * - daily costs come from ModelFleet's cost API, one value for every day of
 *   the intervals, and the change compares the last interval with the one
 *   before (with one interval, with the period of the same length before it);
 * - products are `gpuPools` and `models`, metrics `gpuHours` and `idleCost`;
 * - alerts are the group's budget at risk or over, and the cost anomalies of
 *   the group and its models.
 *
 * @public
 */
export class ModelFleetCostInsightsClient {
  private readonly modelfleetApi: ModelFleetApi;
  private readonly identityApi: ModelFleetCostInsightsClientOptions['identityApi'];
  private readonly catalogApi: ModelFleetCostInsightsClientOptions['catalogApi'];
  private readonly now: () => Date;

  constructor(options: ModelFleetCostInsightsClientOptions) {
    this.modelfleetApi = options.modelfleetApi;
    this.identityApi = options.identityApi;
    this.catalogApi = options.catalogApi;
    this.now = options.now ?? (() => new Date());
  }

  /** Yesterday (UTC): today's costs are still being recorded. */
  async getLastCompleteBillingDate(): Promise<string> {
    const now = this.now();
    return new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1),
    )
      .toISOString()
      .slice(0, 10);
  }

  /**
   * The Groups the signed-in user belongs to, as the identity's ownership
   * refs name them, that exist in the catalog. `userId` is not used: the
   * identity API is the source of truth for who is signed in.
   */
  async getUserGroups(_userId: string): Promise<Group[]> {
    const identity = await this.identityApi.getBackstageIdentity();
    const refs = [
      ...new Set(
        identity.ownershipEntityRefs
          .map(ref => parseRef(ref, 'ownershipEntityRefs', 'user'))
          .filter(ref => ref.kind === 'group')
          .map(refString),
      ),
    ];
    if (refs.length === 0) return [];
    const { items } = await this.catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    const groups: Group[] = [];
    refs.forEach((id, i) => {
      const entity = items[i];
      if (!entity) return;
      const profile = (entity.spec?.profile ?? {}) as { displayName?: string };
      groups.push({
        id,
        name:
          profile.displayName ?? entity.metadata.title ?? entity.metadata.name,
      });
    });
    return groups.sort((a, b) =>
      (a.name ?? a.id).localeCompare(b.name ?? b.id),
    );
  }

  /** The Models the group owns, by their entity refs. */
  async getGroupProjects(group: string): Promise<Project[]> {
    const groupRef = refKey(parseRef(group, 'group', 'group'));
    const { items } = await this.catalogApi.getEntities({
      filter: {
        kind: MODEL_KIND,
        apiVersion: MODELFLEET_API_VERSION,
        'relations.ownedBy': groupRef,
      },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    return items
      .map(entity => ({
        id: refString({
          kind: 'model',
          namespace: entity.metadata.namespace ?? 'default',
          name: entity.metadata.name,
        }),
        name: entity.metadata.title ?? entity.metadata.name,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Daily cost of a Model, GpuPool or Group entity. */
  async getCatalogEntityDailyCost(
    catalogEntityRef: string,
    intervals: string,
  ): Promise<Cost> {
    const ref = parseRef(catalogEntityRef, 'catalogEntityRef');
    if (!COST_KINDS.includes(ref.kind)) {
      throw new InputError(
        `catalogEntityRef must be a Model, GpuPool or Group, got ${catalogEntityRef}`,
      );
    }
    return this.dailyCost(refString(ref), intervals, q =>
      this.modelfleetApi.getEntityCost(costRef(ref), q),
    );
  }

  /** Daily cost of a group, by its entity ref. */
  async getGroupDailyCost(group: string, intervals: string): Promise<Cost> {
    const ref = parseRef(group, 'group', 'group');
    return this.dailyCost(refString(ref), intervals, q =>
      this.modelfleetApi.getEntityCost(costRef(ref), q),
    );
  }

  /** Daily cost of a project: a Model, by its entity ref. */
  async getProjectDailyCost(project: string, intervals: string): Promise<Cost> {
    const ref = parseRef(project, 'project', 'model');
    if (ref.kind !== 'model') {
      throw new InputError(
        `project must be a Model entity ref (from getGroupProjects), got ${project}`,
      );
    }
    return this.dailyCost(refString(ref), intervals, q =>
      this.modelfleetApi.getEntityCost(costRef(ref), q),
    );
  }

  /**
   * A fleet metric per day: `gpuHours` (GPU-hours provisioned) or
   * `idleCost` (USD paid for idle GPUs).
   */
  async getDailyMetricData(
    metric: string,
    intervals: string,
  ): Promise<MetricData> {
    const fields: Record<string, 'gpuHours' | 'idleUsd'> = {
      [MODELFLEET_METRICS.gpuHours]: 'gpuHours',
      [MODELFLEET_METRICS.idleCost]: 'idleUsd',
    };
    const field = Object.hasOwn(fields, metric) ? fields[metric] : undefined;
    if (!field) {
      throw new InputError(
        `metric must be one of ${Object.values(MODELFLEET_METRICS).join(
          ', ',
        )}, got ${JSON.stringify(metric)}`,
      );
    }
    const series = await this.series(
      intervals,
      q => this.modelfleetApi.getFleetCost(q),
      field,
    );
    return {
      id: metric,
      format: field === 'gpuHours' ? 'number' : 'currency',
      aggregation: series.aggregation,
      change: series.change,
    };
  }

  /**
   * Cost of the group (or of the chosen project) in the last interval
   * against the one before, broken down by GPU pool (`gpuPools`) or by model
   * (`models`). Cost the breakdown does not place is an unlabeled (null)
   * entity.
   */
  async getProductInsights(
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
      this.modelfleetApi.getEntityCost(costRef(target), {
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

  /**
   * Action items of a group: its monthly budget when at risk or over, and
   * the cost anomalies of the group and of the models it owns.
   */
  async getAlerts(group: string): Promise<ModelFleetCostAlert[]> {
    const ref = parseRef(group, 'group', 'group');
    const groupKey = refKey(ref);
    const [report, anomalies, projects] = await Promise.all([
      this.modelfleetApi.getEntityCost(costRef(ref)),
      this.modelfleetApi.getCostAnomalies(),
      this.getGroupProjects(group),
    ]);
    const alerts: ModelFleetCostAlert[] = [];
    const budget = report.budget;
    if (budget && budget.status !== 'ok') {
      alerts.push({
        title:
          budget.status === 'over'
            ? `Over the GPU budget for ${budget.month}`
            : `The GPU budget for ${budget.month} is at risk`,
        subtitle: `${formatUsd(budget.monthToDateUsd)} of ${formatUsd(
          budget.monthlyBudgetUsd,
        )} spent so far; the month-end forecast is ${formatUsd(
          budget.forecastUsd,
        )}.`,
      });
    }
    const models = new Set(
      projects.map(p => refKey(parseRef(p.id, 'project', 'model'))),
    );
    // An anomaly whose refs do not parse belongs to no group.
    const keyOf = (entityRef: string, kind: string) => {
      try {
        return refKey(parseRef(entityRef, 'entityRef', kind));
      } catch {
        return undefined;
      }
    };
    const mine = (a: CostAnomaly) => {
      if (a.team && keyOf(a.team, 'group') === groupKey) return true;
      if (a.scope === 'fleet') return false;
      const key = keyOf(a.entityRef, ANOMALY_KINDS[a.scope]);
      return key !== undefined && (key === groupKey || models.has(key));
    };
    for (const a of anomalies.items
      .filter(mine)
      .sort((x, y) => y.day.localeCompare(x.day))) {
      alerts.push({
        title: `Cost ${a.direction === 'spike' ? 'spike' : 'drop'} on ${
          a.day
        }: ${a.entityRef}`,
        subtitle: `${formatUsd(a.costUsd)} against a baseline of ${formatUsd(
          a.baselineUsd,
        )} (robust z-score ${a.score.toFixed(1)}).`,
      });
    }
    return alerts;
  }

  /** A daily cost series over the intervals, with change and trendline. */
  private async dailyCost(
    id: string,
    intervals: string,
    read: (query: CostQuery) => Promise<CostReport>,
  ): Promise<Cost> {
    const { aggregation, change } = await this.series(
      intervals,
      read,
      'costUsd',
    );
    const trendline = trendlineOf(aggregation);
    return trendline
      ? { id, aggregation, change, trendline }
      : { id, aggregation, change };
  }

  private async series(
    intervals: string,
    read: (query: CostQuery) => Promise<CostReport>,
    field: 'costUsd' | 'idleUsd' | 'gpuHours',
  ): Promise<{ aggregation: DateAggregation[]; change: ChangeStatistic }> {
    const parsed = parseRepeatingIntervals(intervals).intervals;
    const range = { from: parsed[0].from, to: parsed[parsed.length - 1].to };
    const report = await read({ ...range, granularity: 'day' });
    const byDay = new Map(report.series.map(p => [p.date, p[field]]));
    const aggregation = daysOf(range).map(date => ({
      date,
      amount: byDay.get(date) ?? 0,
    }));
    const current = sumOf(aggregation, parsed[parsed.length - 1]);
    const previous =
      parsed.length >= 2
        ? sumOf(aggregation, parsed[parsed.length - 2])
        : report.previous.total[field];
    return { aggregation, change: changeOf(current, previous) };
  }
}
