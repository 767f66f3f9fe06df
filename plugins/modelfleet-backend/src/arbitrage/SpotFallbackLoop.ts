import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  GpuPoolStatus,
  ModelArbitrageOption,
  ModelWorkloadObservation,
  SPREAD_ROLE,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelTargets } from '../actions/ModelTargets';
import { ActionRequester } from '../actions/types';
import { StoredAction } from '../database/ActionStore';
import { FleetStateStore } from '../database/FleetStateStore';
import { decideFallback, FallbackInput } from '../engines/arbitrage/fallback';
import { fallbackName } from '../engines/arbitrage/fallbackPlan';
import { PolicyService } from '../policy/PolicyService';
import { ModelDirectory } from '../showback/ModelDirectory';
import { ArbitrageReports } from './ArbitrageReports';
import { companionSteps } from './companionSteps';
import { RenderForPoolOptions } from './renderForPool';
import {
  Companion,
  deploymentNow,
  holdsFallback,
  noticeSecondsOf,
  pastTrouble,
  readyTimes,
  remoteReadyTime,
  servingPool,
  spotSide,
  spreadCandidates,
} from './spotCompanions';
import {
  describeChanges,
  fallbackDetails,
  fallbackWhy,
  sameTargets,
} from './fallbackWords';

/** Id of the spot fallback loop. */
export const SPOT_FALLBACK_TASK_ID = 'modelfleet-spot-fallback';

/** Who the loop's actions are requested by. */
export const SPOT_FALLBACK_ACTOR = 'policy:arbitrage';

/** Hours of stored fallbacks whose notices the engine's hazard remembers. */
const HISTORY_HOURS = 24;

/** Settings of the loop (`modelfleet.arbitrage`). */
export interface SpotFallbackSettings {
  /** Seconds a pool takes to add a node. */
  provisioningSeconds: number;
  /** A spot pod waiting longer than this for a node counts as a failed launch. */
  launchTimeoutSeconds: number;
}

type ActionLister = {
  list(filter: {
    entityRef?: string;
    kinds?: StoredAction['kind'][];
    limit?: number;
  }): Promise<StoredAction[]>;
};

interface Served {
  ref: string;
  primary: ModelWorkloadObservation;
  /** When its spot pool's nodes got a reclaim notice, while under one. */
  poolNoticedAt?: string;
  /** Its companions as the fleet saw them last (the Deployments with a role). */
  companions: ModelWorkloadObservation[];
  /** The fleet's pools. */
  pools: GpuPoolStatus[];
}

/** Other spot pools (of its cluster first, then of others) a model's spot replicas may spread over. */
const MAX_SPREAD_POOLS = 2;

/**
 * The spot fallback loop (global): for every model whose workload runs on
 * a spot pool, watches what the cluster shows (replicas under a reclaim
 * notice, replacements no node takes) and keeps an on-demand stand-in on
 * the cheapest on-demand pool of its cluster that it may run on, as the
 * spot-serving engine decides: up at a notice or when spot cannot be
 * launched, down again once spot has served long enough (hysteresis).
 * Each change is a `spot-fallback` action on the action path; it does not
 * wait for a maintenance window (it answers a preemption). The team's
 * `arbitrage.mode` rules: `off` leaves the model alone, `recommend` (or
 * the team's `dryRun`) stores the change for approval, `enforce` applies
 * it.
 */
export class SpotFallbackLoop {
  constructor(
    private readonly options: {
      fleet: FleetStateStore;
      directory: ModelDirectory;
      targets: ModelTargets;
      reports: ArbitrageReports;
      policies: PolicyService;
      actions: ActionRequester &
        ActionLister & {
          cancel(id: string, by: string): Promise<StoredAction>;
        };
      render: RenderForPoolOptions;
      auth: AuthService;
      settings: SpotFallbackSettings;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** One pass over the fleet; returns a line for the task's run record. */
  async run(): Promise<string> {
    const now = (this.options.now?.() ?? new Date()).getTime();
    const served = await this.modelsOnSpot();
    const counts = {
      acted: 0,
      planned: 0,
      unchanged: 0,
      skipped: 0,
      withdrawn: 0,
    };
    const problems: string[] = [];
    for (const m of served) {
      try {
        counts[await this.pass(m, now)] += 1;
      } catch (e) {
        problems.push(`${m.ref}: ${(e as Error).message}`);
      }
    }
    for (const p of problems) this.options.logger.warn(`Spot fallback: ${p}`);
    return `${served.length} model(s) on spot: ${counts.acted} changed, ${
      counts.planned
    } waiting for approval, ${counts.unchanged} as they are, ${
      counts.skipped
    } left alone${
      counts.withdrawn
        ? `; ${counts.withdrawn} fallback(s) awaiting approval withdrawn`
        : ''
    }${problems.length ? `; ${problems.length} failed` : ''}`;
  }

  /** Models whose own workload runs on a spot pool. */
  private async modelsOnSpot(): Promise<Served[]> {
    const { fleet, directory } = this.options;
    const pools = await fleet.listPools();
    const spot = new Map(
      pools
        .filter(p => p.capacityType === 'spot')
        .map(p => [`${p.cluster}/${p.name}`, p]),
    );
    const lookup = await directory.lookup();
    const workloads = (await fleet.listWorkloads()).filter(
      w => w.kind === 'Deployment',
    );
    const out: Served[] = [];
    for (const w of workloads) {
      if (w.role || !w.pool || !spot.has(`${w.cluster}/${w.pool}`)) continue;
      const { modelRef, teamRef } = lookup(w);
      if (!teamRef) continue;
      const notice = spot.get(`${w.cluster}/${w.pool}`)?.reclaim?.noticedAt;
      out.push({
        ref: modelRef,
        primary: w,
        ...(notice ? { poolNoticedAt: notice } : {}),
        // The stand-in runs on its cluster; spot companions may run on others.
        companions: workloads.filter(
          c =>
            c.role &&
            c.namespace === w.namespace &&
            c.name.startsWith(`${w.name}-on-`) &&
            (c.cluster === w.cluster || c.role === SPREAD_ROLE),
        ),
        pools,
      });
    }
    return out.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  private async pass(
    m: Served,
    now: number,
  ): Promise<'acted' | 'planned' | 'unchanged' | 'skipped' | 'withdrawn'> {
    const { targets, reports, policies, actions, auth } = this.options;
    const { actuators } = this.options.render;
    const credentials = await auth.getOwnServiceCredentials();
    const { namespace, name } = parseEntityRef(m.ref);
    const model = await targets.resolve(namespace, name, credentials);
    const target = model.target;
    // Only the workload the model resolves to (not one a move left parked).
    if (
      !target ||
      target.workload.cluster !== m.primary.cluster ||
      target.workload.name !== m.primary.name
    )
      return 'skipped';
    const policy = policies.effective(model.teamRef || undefined).policy;
    if (policy.arbitrage.mode === 'off' || policy.spot === 'forbid')
      return 'skipped';
    const past = await actions.list({
      entityRef: model.entityRef,
      limit: 50,
    });
    // The loop's own fallback awaiting approval is decided again: kept
    // while it still is what the model needs, withdrawn once it is not.
    const awaiting = past.find(
      a =>
        a.kind === 'spot-fallback' &&
        a.state === 'planned' &&
        a.dryRun &&
        a.requestedBy === SPOT_FALLBACK_ACTOR,
    );
    if (past.some(a => a !== awaiting && holdsFallback(a))) return 'skipped';

    const report = await reports.report(
      namespace,
      name,
      credentials,
      async () => undefined,
    );
    const { cluster } = m.primary;
    const spotOption = report.options.find(o => o.current);
    const onDemandOption = report.options.find(
      o => o.cluster === cluster && o.capacityType === 'on-demand',
    );
    if (!spotOption || !onDemandOption) return 'skipped';
    const pool = (o: ModelArbitrageOption) => servingPool(o, report.replicas);
    const ref = (n: string) => ({ ...target.workload, name: n });
    const standInName = fallbackName(target.workload.name);
    const standIn = await deploymentNow(actuators, ref(standInName));
    const spreadAt = spreadCandidates(
      report.options,
      m.pools,
      target.workload,
      MAX_SPREAD_POOLS,
      policy.arbitrage.spreadAcrossClusters,
    );
    const starts = await readyTimes(actuators, target.workload, [
      standInName,
      ...spreadAt.filter(s => s.cluster === cluster).map(s => s.name),
    ]);
    const spread = [];
    for (const s of spreadAt) {
      const at = { ...ref(s.name), cluster: s.cluster };
      const live = await deploymentNow(actuators, at);
      spread.push({
        ...s,
        live,
        side: spotSide({
          pool: pool(s.option),
          live,
          observed: m.companions.find(
            c => c.name === s.name && c.cluster === s.cluster,
          ),
          ...(s.pool.reclaim?.noticedAt
            ? { poolNoticedAt: s.pool.reclaim.noticedAt }
            : {}),
          lastReadyAt:
            s.cluster === cluster
              ? starts.get(s.name)
              : live && (await remoteReadyTime(actuators, at)),
        }),
      });
    }
    const input: FallbackInput = {
      now,
      spot: spotSide({
        pool: pool(spotOption),
        live: m.primary.replicas,
        observed: m.primary,
        ...(m.poolNoticedAt ? { poolNoticedAt: m.poolNoticedAt } : {}),
        lastReadyAt: starts.get(target.workload.name),
      }),
      onDemand: {
        pool: pool(onDemandOption),
        desired: standIn?.desired ?? 0,
        ready: standIn?.ready ?? 0,
        ...(starts.has(standInName)
          ? { lastReadyAt: starts.get(standInName) }
          : {}),
      },
      spread: spread.map(s => s.side),
      pastTrouble: pastTrouble(past, now, HISTORY_HOURS),
      policy: {
        maxOnDemandShare: policy.maxOnDemandShare,
        baseOnDemandReplicas: policy.arbitrage.onDemandBaseReplicas,
      },
      startupSeconds:
        this.options.settings.provisioningSeconds + (report.loadSeconds ?? 0),
      noticeSeconds: noticeSecondsOf(spotOption.provider),
      launchTimeoutSeconds: this.options.settings.launchTimeoutSeconds,
    };
    // A model scaled to zero (hibernated) needs no companion either.
    const decision =
      input.spot.desired === 0
        ? {
            onDemand: 0,
            spread: {},
            launchesFail: false,
            reason: 'the model runs no replica',
          }
        : decideFallback(input);
    const changes: Companion[] = [
      {
        name: standInName,
        cluster,
        capacity: 'on-demand',
        pool: onDemandOption.pool,
        title: onDemandOption.title,
        usdPerHour: input.onDemand.pool.usdPerHour,
        from: input.onDemand.desired,
        to: decision.onDemand,
      },
      ...spread.map(s => ({
        name: s.name,
        cluster: s.cluster,
        capacity: 'spot' as const,
        pool: s.option.pool,
        title: s.option.title,
        usdPerHour: s.side.pool.usdPerHour,
        from: s.side.desired,
        to: (decision.spread as Record<string, number>)[s.option.pool] ?? 0,
      })),
    ];
    const changed = changes.some(c => c.from !== c.to);
    if (awaiting) {
      if (sameTargets(awaiting.fallback, changes)) return 'unchanged';
      await actions.cancel(awaiting.id, SPOT_FALLBACK_ACTOR);
      if (!changed) return 'withdrawn';
    }
    if (!changed) return 'unchanged';

    // The companions that exist, by cluster and name.
    const live = new Set<string>(standIn ? [`${cluster}/${standInName}`] : []);
    for (const sp of spread)
      if (sp.side.desired > 0 || sp.live) live.add(`${sp.cluster}/${sp.name}`);
    const steps = await companionSteps(
      this.options.render,
      { ...model, target },
      changes,
      live,
    );
    if (!steps) return 'skipped';
    const details = fallbackDetails({
      spotOption,
      input,
      changes,
      primary: m.primary,
      ...(m.poolNoticedAt ? { poolNoticedAt: m.poolNoticedAt } : {}),
      launchesFail: decision.launchesFail,
    });
    const dryRun = policy.dryRun || policy.arbitrage.mode !== 'enforce';
    const { created } = await actions.request({
      // One change per model, targets and minute, whichever replica asks.
      idempotencyKey: `spot-fallback:${model.entityRef}:${changes
        .map(c => `${c.from}->${c.to}`)
        .join(',')}:${Math.floor(now / 60_000)}`,
      kind: 'spot-fallback',
      entityRef: model.entityRef,
      cluster,
      steps,
      dryRun,
      requestedBy: SPOT_FALLBACK_ACTOR,
      reason: `${describeChanges(changes)}: ${fallbackWhy(
        details,
        input,
        changes,
      )}. Engine: ${decision.reason}`,
      fallback: details,
    });
    if (!created) return 'unchanged';
    return dryRun ? 'planned' : 'acted';
  }
}
