import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CostReport,
  GpuPoolStatus,
  IdleCostPolicy,
  ModelFleetAction,
  PlatformPolicy,
  Recommendation,
  RecommendationState,
} from '@modelfleet/plugin-modelfleet-common';
import {
  MetricsSource,
  NodePoolSize,
} from '@modelfleet/plugin-modelfleet-node';
import { FleetStateStore } from '../database/FleetStateStore';
import { CostQuery, CostReportService } from '../showback/CostReportService';
import { ModelDirectory } from '../showback/ModelDirectory';
import { holdsPoolCapacity } from '../showback/unallocatedPools';
import { PlacementCandidateSources } from '../placement/candidates';
import {
  ConsolidationRunner,
  inProcessConsolidator,
} from '../placement/PlacementWorker';
import { BUILTIN_POLICY } from '../policy/effectivePolicy';
import { PolicyService } from '../policy/PolicyService';
import { gatherConsolidation } from './gatherConsolidation';
import { Finding, recommendationsFromActions, UnusedCost } from './fromActions';
import {
  bySaving,
  DAYS_PER_MONTH,
  emptyCapacityRecommendations,
  poolRefOf,
} from './gather';
import { gatherRightsizing } from './gatherRightsizing';
import { EntityNames, EntityNamesSource, poolPlaces, REF_NAMES } from './names';
import { RecommendationStateStore } from './RecommendationStateStore';

/** What one pass found, shared by every caller until it is older than the cache. */
export interface Gathered {
  findings: Finding[];
  gatheredAt: Date;
  notes: string[];
  /** The names people read for the models and teams, as the pass read them. */
  names: EntityNames;
  /** Where a pool is, by its GpuPool ref: `L4 on g6-l4 (demo-aws-use1)`. */
  poolPlace: (ref: string) => string;
}

export interface RecommendationServiceOptions {
  /** Actions waiting for approval (the ActionService). */
  actions: {
    list(filter: {
      states?: Array<ModelFleetAction['state']>;
      limit?: number;
    }): Promise<ModelFleetAction[]>;
  };
  costs: Pick<CostReportService, 'cost' | 'defaultQuery'>;
  fleet: Pick<
    FleetStateStore,
    'listPools' | 'listWorkloads' | 'listNodes' | 'listModelPods'
  >;
  /** The teams' consolidation budgets; ModelFleet's defaults without it. */
  policies?: Pick<PolicyService, 'effective'>;
  /**
   * Runs the consolidation engine: the backend passes its placement worker,
   * so a fleet's solve stays off the event loop; in this process (HiGHS
   * loaded on first use) by default.
   */
  consolidator?: ConsolidationRunner;
  directory: ModelDirectory;
  /** Models' titles and teams' names (the catalog); refs' names without it. */
  names?: EntityNamesSource;
  metrics: () => MetricsSource[];
  candidates: PlacementCandidateSources;
  states: RecommendationStateStore;
  idleCostPolicy: IdleCostPolicy;
  platformTeamRef?: string;
  logger: LoggerService;
  /**
   * A pool's size bounds as its cloud's node-pool API says now (the
   * cluster actuator's `poolSize`); undefined where no node-pool API
   * manages the cluster. Without it, empty capacity is never applicable.
   */
  poolSize?: (
    cluster: string,
    pool: string,
  ) => Promise<NodePoolSize | undefined>;
  /** How long one pass is reused (ms); 60 s by default. */
  cacheMs?: number;
  now?: () => Date;
}

/** Planned actions read per pass (the loops keep at most one per model). */
const PLANNED_LIMIT = 500;

/**
 * One place that gathers every kind of recommendation (the loops' actions
 * waiting for approval, consolidation of the running fleet, empty capacity
 * from the cost roll-ups, rightsizing from 14 days of metrics), sorted by
 * saving, and each person's view of
 * them with their dismissals and snoozes.
 */
export class RecommendationService {
  private cached?: Promise<Gathered>;
  private cachedAt = 0;
  private readonly consolidator: ConsolidationRunner;

  constructor(private readonly options: RecommendationServiceOptions) {
    this.consolidator = options.consolidator ?? inProcessConsolidator();
  }

  /** A team's consolidation budget; the defaults' for an unknown team. */
  private consolidationPolicy(
    teamRef: string,
  ): PlatformPolicy['consolidation'] {
    const policies = this.options.policies;
    if (!policies) return BUILTIN_POLICY.consolidation;
    try {
      return policies.effective(teamRef || undefined).policy.consolidation;
    } catch {
      return policies.effective().policy.consolidation;
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Every recommendation of the fleet, from a pass at most `cacheMs` old. */
  gather(): Promise<Gathered> {
    const now = this.now().getTime();
    if (
      !this.cached ||
      now - this.cachedAt > (this.options.cacheMs ?? 60_000)
    ) {
      this.cachedAt = now;
      this.cached = this.pass().catch(e => {
        this.cached = undefined;
        throw e;
      });
    }
    return this.cached;
  }

  /** Forgets the last pass (after an apply, which changes what is planned). */
  invalidate(): void {
    this.cached = undefined;
  }

  /** One recommendation by id, from the current pass. */
  async find(id: string): Promise<Finding | undefined> {
    return (await this.gather()).findings.find(f => f.id === id);
  }

  /**
   * A person's view: the findings given, with their state; only those in
   * `states` (open by default). A snooze that ran out is open again.
   */
  async viewOf(
    userRef: string,
    findings: Finding[],
    states: RecommendationState[] = ['open'],
  ): Promise<Recommendation[]> {
    const stored = await this.options.states.statesOf(userRef);
    const now = this.now().getTime();
    const out: Recommendation[] = [];
    for (const f of findings) {
      const s = stored.get(f.id);
      let state: RecommendationState = 'open';
      let snoozedUntil: string | undefined;
      if (s?.state === 'dismissed') state = 'dismissed';
      else if (s?.state === 'snoozed' && s.snoozedUntil!.getTime() > now) {
        state = 'snoozed';
        snoozedUntil = s.snoozedUntil!.toISOString();
      }
      if (!states.includes(state)) continue;
      out.push({ ...f, state, ...(snoozedUntil ? { snoozedUntil } : {}) });
    }
    return out;
  }

  private async pass(): Promise<Gathered> {
    const o = this.options;
    const notes: string[] = [];
    const [workloads, pools, planned, nodes, pods] = await Promise.all([
      o.fleet.listWorkloads(),
      o.fleet.listPools(),
      o.actions.list({ states: ['planned'], limit: PLANNED_LIMIT }),
      o.fleet.listNodes(),
      o.fleet.listModelPods(),
    ]);
    const [lookup, names] = await Promise.all([
      o.directory.lookup({ expectModels: workloads.length > 0 }),
      o.names?.names() ?? REF_NAMES,
    ]);
    const teams = new Map<string, string>();
    for (const w of workloads) {
      const m = lookup(w);
      if (m.teamRef) teams.set(m.modelRef, m.teamRef);
    }
    const query = o.costs.defaultQuery();

    // (a) the loops' actions waiting for approval
    const unused = new Map<string, UnusedCost>();
    const hibernating = planned.filter(
      a => a.requestedBy === 'policy:hibernation' && a.state === 'planned',
    );
    for (const ref of new Set(hibernating.map(a => a.entityRef))) {
      const u = await this.unusedOf(ref, query, notes, names);
      if (u) unused.set(ref, u);
    }
    const findings: Finding[] = recommendationsFromActions(planned, {
      teamOf: ref => teams.get(ref),
      unusedOf: ref => unused.get(ref),
      names,
    });

    // (b) consolidation of the running fleet
    const consolidation = await gatherConsolidation({
      nodes,
      pods,
      pools,
      workloads,
      lookup,
      candidates: o.candidates,
      policyOf: ref => this.consolidationPolicy(ref),
      consolidator: this.consolidator,
      names,
    });
    findings.push(...consolidation.findings);
    notes.push(...consolidation.notes);

    // (c) empty capacity: whole empty pools where consolidation runs
    try {
      const report = await this.unallocatedReport(query);
      const unallocated = report?.breakdown.unallocated?.pools ?? [];
      findings.push(
        ...emptyCapacityRecommendations({
          unallocated,
          days: report?.total.daysWithData ?? 0,
          pools,
          consolidated: consolidation.covered,
          sizes: await this.poolSizes(unallocated, pools, notes),
        }),
      );
    } catch (e) {
      o.logger.warn(`Recommendations: empty capacity not gathered: ${e}`);
      notes.push(`empty capacity: the cost roll-ups could not be read (${e})`);
    }

    // (d) rightsizing
    const rightsizing = await gatherRightsizing({
      workloads,
      pools,
      lookup,
      metrics: o.metrics(),
      candidates: o.candidates,
      now: this.now(),
      logger: o.logger,
      names,
    });
    findings.push(...rightsizing.findings);
    notes.push(...rightsizing.notes);

    return {
      findings: findings.sort(bySaving),
      gatheredAt: this.now(),
      notes,
      names,
      poolPlace: poolPlaces(pools),
    };
  }

  private async unusedOf(
    modelRef: string,
    query: CostQuery,
    notes: string[],
    names: EntityNames,
  ): Promise<UnusedCost | undefined> {
    try {
      const r = await this.options.costs.cost('model', modelRef, query);
      const days = r.total.daysWithData;
      if (days <= 0) return undefined;
      return {
        monthlyUsd: (r.total.unusedUsd / days) * DAYS_PER_MONTH,
        monthlyCostUsd: (r.total.costUsd / days) * DAYS_PER_MONTH,
        days,
      };
    } catch (e) {
      notes.push(
        `hibernation: the cost of ${names.model(
          modelRef,
        )} could not be read, so its hibernation saves no counted amount (${e})`,
      );
      return undefined;
    }
  }

  /** The report whose Unallocated row holds the pools' unused capacity. */
  /** The size bounds the clouds give the pools with unallocated cost. */
  private async poolSizes(
    unallocated: Array<{ entityRef: string }>,
    pools: GpuPoolStatus[],
    notes: string[],
  ): Promise<Map<string, NodePoolSize>> {
    const sizes = new Map<string, NodePoolSize>();
    const poolSize = this.options.poolSize;
    if (!poolSize) return sizes;
    const byRef = new Map(pools.map(p => [poolRefOf(p), p]));
    await Promise.all(
      unallocated.map(async u => {
        const p = byRef.get(u.entityRef);
        if (!p) return;
        try {
          const size = await poolSize(p.cluster, p.name);
          if (size) sizes.set(u.entityRef, size);
        } catch (e) {
          notes.push(
            `empty capacity: the size of ${p.name} (${p.cluster}) could not be read from its cloud (${e})`,
          );
        }
      }),
    );
    return sizes;
  }

  private async unallocatedReport(
    query: CostQuery,
  ): Promise<CostReport | undefined> {
    const { idleCostPolicy, platformTeamRef } = this.options;
    if (
      holdsPoolCapacity({ scope: 'fleet', entityRef: null, idleCostPolicy })
    ) {
      return this.options.costs.cost('fleet', null, query);
    }
    if (platformTeamRef) {
      return this.options.costs.cost('team', platformTeamRef, query);
    }
    return undefined;
  }
}
