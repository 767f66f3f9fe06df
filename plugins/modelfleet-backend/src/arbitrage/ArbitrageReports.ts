import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  estimateModelGpuMemory,
  GpuPoolStatus,
  ModelArbitrageReport,
  ModelPrecision,
  PlatformPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelTargets } from '../actions/ModelTargets';
import { FleetStateStore } from '../database/FleetStateStore';
import { HibernationStore } from '../database/HibernationStore';
import {
  ArbitragePool,
  ModelPosition,
  modelOptions,
} from '../engines/arbitrage/options';
import { bestOpportunity } from '../engines/arbitrage/opportunities';
import { percentile } from '../engines/hibernation/wakes';
import { PlacementPool } from '../engines/placement';
import {
  PlacementCandidateSources,
  placementCandidates,
} from '../placement/candidates';
import { PolicyService } from '../policy/PolicyService';
import { modelServing, poolRefOf } from './serving';

/** What a pool's history says of its risk. */
export interface PoolRisk {
  preemptionsPerNodeMonth: number;
  availability: number;
  /** Where the figures come from, in words. */
  source: string;
}

/** Settings of the what-if (`modelfleet.arbitrage`). */
export interface ArbitrageSettings {
  /** Seconds a pool takes to add a node. */
  provisioningSeconds: number;
  /** Seconds the source keeps its replicas after the switch. */
  drainSeconds: number;
  /** A model's load time before any wake of its own was timed. */
  defaultLoadSeconds: number;
  /** Hours within which a move must pay for itself. */
  paybackHorizonHours: number;
  /** Lowest availability of a pool a move may go to (0–1). */
  minAvailability: number;
}

/** Options of {@link ArbitrageReports}. */
export interface ArbitrageReportsOptions {
  targets: ModelTargets;
  fleet: FleetStateStore;
  wakes: HibernationStore;
  policies: PolicyService;
  candidates: PlacementCandidateSources;
  /** A pool's preemptions and availability, from its history or a prior. */
  risk: (pool: PlacementPool) => PoolRisk;
  /** Reads the pools' own history again when it is old (before a report). */
  refreshRisk?: () => Promise<void>;
  settings: ArbitrageSettings;
}

const pickRisk = (risk: PoolRisk) => ({
  preemptionsPerNodeMonth: risk.preemptionsPerNodeMonth,
  availability: risk.availability,
});

/**
 * A model's what-if, for the Model page: what it would cost on each pool
 * it may run on now (the placement engine's eligibility, the price book,
 * each pool's risk), what moving there costs once, and the best move if
 * one clears its team's arbitrage policy (pure engine:
 * `engines/arbitrage`).
 */
export class ArbitrageReports {
  constructor(private readonly options: ArbitrageReportsOptions) {}

  async report(
    namespace: string,
    name: string,
    credentials: BackstageCredentials,
    /** Throws when the caller may not see the model's costs. */
    authorize: (entityRef: string) => Promise<void>,
  ): Promise<ModelArbitrageReport> {
    const { targets, fleet, settings } = this.options;
    const model = await targets.resolve(namespace, name, credentials);
    await authorize(model.entityRef);
    await this.options.refreshRisk?.();
    const policy = this.policyOf(model.teamRef);
    const spec = (model.entity.spec ?? {}) as Record<string, any>;
    const gpusPerReplica = Math.max(1, Number(spec.gpu?.count) || 1);
    const base: ModelArbitrageReport = {
      entityRef: model.entityRef,
      mode: policy.arbitrage.mode,
      minSavingsPercent: policy.arbitrage.minSavingsPercent,
      paybackHorizonHours: settings.paybackHorizonHours,
      minAvailability: settings.minAvailability,
      replicas: Math.max(1, model.target?.replicas.desired ?? 1),
      gpusPerReplica,
      options: [],
      excluded: [],
      reason: '',
    };
    const w = model.target?.workload;
    if (!w) {
      const missing = model.missing ?? 'no workload on a connected cluster';
      return { ...base, reason: missing, missing };
    }
    const workloads = await fleet.listWorkloads();
    const seen = workloads.find(
      x =>
        x.cluster === w.cluster &&
        x.namespace === w.namespace &&
        x.name === w.name,
    );
    if (!seen?.pool) {
      const missing = `the pool of ${w.kind} ${w.namespace}/${w.name} on cluster ${w.cluster} is not known`;
      return { ...base, reason: missing, missing };
    }
    const currentRef = poolRefOf(w.cluster, seen.pool);
    const statuses: GpuPoolStatus[] = await fleet.listPools();
    const candidates = (
      await placementCandidates(statuses, this.options.candidates)
    ).filter(c => !c.stale);
    const pools: ArbitragePool[] = candidates.map(c => ({
      ...c.pool,
      title: c.summary.title,
      ...pickRisk(this.options.risk(c.pool)),
    }));
    const replicas = base.replicas;
    // What a replica needs on its GPUs, as the Model says or estimated
    // from its size; what a move transfers is its weights.
    const estimate = estimateModelGpuMemory({
      parametersBillions: Number(spec.parametersBillions) || 1,
      precision: (spec.precision ?? 'fp16') as ModelPrecision,
    });
    const memoryGiB = Number(spec.gpu?.memoryGiB) || estimate.totalGiB;
    const weightsGiB = Math.min(estimate.weightsGiB, memoryGiB);
    const position: ModelPosition = {
      request: {
        id: model.entityRef,
        replicas,
        gpusPerReplica,
        memoryMiB: Math.ceil(memoryGiB * 1024),
        ...(policy.allowedGpuTypes || spec.gpu?.types?.length
          ? {
              allowedGpuTypes: spec.gpu?.types?.length
                ? spec.gpu.types
                : policy.allowedGpuTypes,
            }
          : {}),
        spot: spotOf(spec.policy?.spot ?? policy.spot),
      },
      current: [{ pool: currentRef, replicas }],
      loadSeconds: await this.loadSeconds(model.entityRef),
      weightsGiB,
    };
    base.loadSeconds = position.loadSeconds;
    const options = modelOptions(position, pools, settings);
    const byRef = new Map(candidates.map(c => [c.pool.ref, c]));
    const best = bestOpportunity(
      { ...options, from: [currentRef] },
      {
        minSavingsPercent: policy.arbitrage.minSavingsPercent,
        paybackHorizonHours: settings.paybackHorizonHours,
        minAvailability: settings.minAvailability,
      },
    );
    const o = best.opportunity;
    return {
      ...base,
      serving: modelServing(
        seen,
        workloads,
        statuses,
        ref => byRef.get(ref)?.summary.title,
      ),
      ...(options.currentMonthlyUsd > 0
        ? { currentMonthlyUsd: options.currentMonthlyUsd }
        : {}),
      options: options.options.map(x => {
        const c = byRef.get(x.pool)!;
        return {
          pool: x.pool,
          title: c.summary.title,
          cluster: c.summary.cluster,
          provider: x.provider,
          region: x.region,
          capacityType: x.capacityType,
          monthlyUsd: x.monthlyUsd,
          preemptionUsdPerMonth: x.preemptionUsdPerMonth,
          preemptionsPerMonth: x.preemptionsPerMonth,
          availability: x.availability,
          riskSource: this.options.risk(c.pool).source,
          current: x.current,
          ...(x.move ? { move: x.move } : {}),
        };
      }),
      excluded: options.rejected.map(r => ({
        pool: r.pool,
        title: byRef.get(r.pool)?.summary.title ?? r.pool,
        code: r.code,
        reason: r.reason,
      })),
      ...(o
        ? {
            opportunity: {
              to: o.to.pool,
              savingUsdPerMonth: o.savingUsdPerMonth,
              savingPercent: o.savingPercent,
              netSavingPercent: o.netSavingPercent,
              moveUsd: o.move.usd,
              paybackHours: o.paybackHours,
            },
          }
        : {}),
      reason: best.reason,
    };
  }

  /** The model's load time: the median of its timed wakes, else the default. */
  private async loadSeconds(entityRef: string): Promise<number> {
    const now = Date.now();
    const timed = (
      await this.options.wakes.wakes(
        entityRef,
        new Date(now - 30 * 86_400_000),
        new Date(now + 1),
        20,
      )
    )
      .map(x => x.seconds)
      .filter((s): s is number => s !== undefined && s > 0);
    return percentile(timed, 50) ?? this.options.settings.defaultLoadSeconds;
  }

  private policyOf(teamRef: string): PlatformPolicy {
    try {
      return this.options.policies.effective(teamRef || undefined).policy;
    } catch {
      return this.options.policies.effective().policy;
    }
  }
}

/** The placement engine's spot rule from a spot policy. */
function spotOf(spot: unknown): 'forbid' | 'allow' | 'require' {
  if (spot === 'forbid') return 'forbid';
  if (spot === 'require') return 'require';
  return 'allow';
}
