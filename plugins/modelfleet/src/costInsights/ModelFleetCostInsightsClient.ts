import { IdentityApi } from '@backstage/core-plugin-api';
import { InputError } from '@backstage/errors';
import {
  Cost,
  Entity,
  Group,
  MetricData,
  Project,
} from '@backstage/plugin-cost-insights-common';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  MODEL_KIND,
  MODELFLEET_API_VERSION,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetApi } from '../api';
import { groupAlerts } from './alerts';
import { productInsights } from './productInsights';
import { costRef, parseRef, refKey, refString } from './refs';
import { dailyCost, dailySeries } from './series';
import {
  MODELFLEET_METRICS,
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
    return dailyCost(refString(ref), intervals, q =>
      this.modelfleetApi.getEntityCost(costRef(ref), q),
    );
  }

  /** Daily cost of a group, by its entity ref. */
  async getGroupDailyCost(group: string, intervals: string): Promise<Cost> {
    const ref = parseRef(group, 'group', 'group');
    return dailyCost(refString(ref), intervals, q =>
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
    return dailyCost(refString(ref), intervals, q =>
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
    const series = await dailySeries(
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
    return productInsights(this.modelfleetApi, options);
  }

  /**
   * Action items of a group: its monthly budget when at risk or over, and
   * the cost anomalies of the group and of the models it owns.
   */
  async getAlerts(group: string): Promise<ModelFleetCostAlert[]> {
    return groupAlerts(this.modelfleetApi, group, g =>
      this.getGroupProjects(g),
    );
  }
}
