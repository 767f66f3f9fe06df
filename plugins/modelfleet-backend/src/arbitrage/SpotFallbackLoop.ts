import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  FallbackDetails,
  FINAL_ACTION_STATES,
  ModelArbitrageOption,
  ModelWorkloadObservation,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelTargets } from '../actions/ModelTargets';
import { ActionRequester } from '../actions/types';
import { StoredAction } from '../database/ActionStore';
import { FleetStateStore } from '../database/FleetStateStore';
import { decideFallback, FallbackInput } from '../engines/arbitrage/fallback';
import {
  fallbackDeployment,
  fallbackName,
  planFallbackSteps,
} from '../engines/arbitrage/fallbackPlan';
import { ServingPool } from '../engines/arbitrage/spotTypes';
import { PolicyService } from '../policy/PolicyService';
import { ModelDirectory } from '../showback/ModelDirectory';
import { ArbitrageReports } from './ArbitrageReports';
import { renderForPool, RenderForPoolOptions } from './renderForPool';

/** Id of the spot fallback loop. */
export const SPOT_FALLBACK_TASK_ID = 'modelfleet-spot-fallback';

/** Who the loop's actions are requested by. */
export const SPOT_FALLBACK_ACTOR = 'policy:arbitrage';

/** How long before its reclaim each cloud announces it, in seconds. */
const NOTICE_SECONDS: Record<string, number> = {
  aws: 120,
  gcp: 30,
  azure: 30,
};

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
}

const HOUR_MS = 3600_000;

/**
 * Whether an action on the model holds the fallback back: one under way,
 * or stored to run, or a fallback waiting for its approval. Another
 * loop's recommendation waiting for a person (a dry-run hibernation or
 * move) does not: a preemption is answered now.
 */
function holdsFallback(a: StoredAction): boolean {
  if (FINAL_ACTION_STATES.includes(a.state)) return false;
  return a.state !== 'planned' || !a.dryRun || a.kind === 'spot-fallback';
}

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
    const spot = new Map(
      (await fleet.listPools())
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
      });
    }
    return out.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  private async pass(
    m: Served,
    now: number,
  ): Promise<'acted' | 'planned' | 'unchanged' | 'skipped' | 'withdrawn'> {
    const { targets, reports, policies, actions, auth } = this.options;
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
    const spotOption = report.options.find(o => o.current);
    const onDemandOption = report.options.find(
      o => o.cluster === m.primary.cluster && o.capacityType === 'on-demand',
    );
    if (!spotOption || !onDemandOption) return 'skipped';

    const standIn = await this.standInNow(target.workload);
    const from = standIn?.replicas.desired ?? 0;
    const pool = (o: ModelArbitrageOption): ServingPool => ({
      id: o.pool,
      cloud: o.provider,
      region: o.region,
      capacity: o.capacityType === 'spot' ? 'spot' : 'on-demand',
      usdPerHour: o.monthlyUsd / 730 / Math.max(1, report.replicas),
    });
    const ms = (iso?: string) => (iso ? Date.parse(iso) : undefined);
    const starts = await this.readyTimes(target.workload);
    const trouble = past
      .filter(
        a =>
          a.kind === 'spot-fallback' &&
          Date.parse(a.createdAt) >= now - HISTORY_HOURS * HOUR_MS,
      )
      .flatMap(a =>
        [a.fallback?.noticedAt, a.fallback?.unscheduledSince]
          .map(ms)
          .filter((t): t is number => t !== undefined),
      );
    const input: FallbackInput = {
      now,
      spot: {
        pool: pool(spotOption),
        desired: m.primary.replicas.desired,
        ready: m.primary.replicas.ready,
        noticed: m.primary.reclaim?.replicas ?? 0,
        ...(m.primary.reclaim
          ? { noticedAt: ms(m.primary.reclaim.noticedAt) }
          : {}),
        ...(m.poolNoticedAt ? { poolNoticedAt: ms(m.poolNoticedAt) } : {}),
        unscheduled: m.primary.unscheduled?.pods ?? 0,
        ...(m.primary.unscheduled
          ? { unscheduledSince: ms(m.primary.unscheduled.since) }
          : {}),
        ...(starts.spot !== undefined ? { lastReadyAt: starts.spot } : {}),
      },
      onDemand: {
        pool: pool(onDemandOption),
        desired: from,
        ready: standIn?.replicas.ready ?? 0,
        ...(starts.onDemand !== undefined
          ? { lastReadyAt: starts.onDemand }
          : {}),
      },
      pastTrouble: trouble,
      policy: {
        maxOnDemandShare: policy.maxOnDemandShare,
        baseOnDemandReplicas: 0,
      },
      startupSeconds:
        this.options.settings.provisioningSeconds + (report.loadSeconds ?? 0),
      noticeSeconds: NOTICE_SECONDS[spotOption.provider] ?? 30,
      launchTimeoutSeconds: this.options.settings.launchTimeoutSeconds,
    };
    if (m.primary.replicas.desired === 0) return 'unchanged';
    const decision = decideFallback(input);
    const to = decision.onDemand;
    if (awaiting) {
      if (awaiting.fallback?.replicas.to === to) return 'unchanged';
      await actions.cancel(awaiting.id, SPOT_FALLBACK_ACTOR);
      if (to === from) return 'withdrawn';
    }
    if (to === from) return 'unchanged';

    let create;
    if (!standIn && to > 0) {
      const { objects } = await renderForPool(
        this.options.render,
        { ...model, target },
        { ref: onDemandOption.pool, title: onDemandOption.title },
        'spot-fallback',
      );
      create = fallbackDeployment(objects, target.workload.name);
      if (!create) return 'skipped';
    }
    const steps = planFallbackSteps({
      cluster: target.workload.cluster,
      namespace: target.workload.namespace,
      workload: target.workload.name,
      ...(create ? { create } : {}),
      from,
      to,
      onDemandTitle: onDemandOption.title,
    });
    const details: FallbackDetails = {
      direction: to > from ? 'fallback' : 'return',
      spot: {
        pool: spotOption.pool,
        title: spotOption.title,
        usdPerHour: input.spot.pool.usdPerHour,
      },
      onDemand: {
        pool: onDemandOption.pool,
        title: onDemandOption.title,
        usdPerHour: input.onDemand.pool.usdPerHour,
      },
      replicas: { from, to },
      required: input.spot.desired,
      spotReady: Math.max(0, input.spot.ready - input.spot.noticed),
      ...(m.primary.reclaim || m.poolNoticedAt
        ? { noticedAt: m.primary.reclaim?.noticedAt ?? m.poolNoticedAt }
        : {}),
      ...(decision.launchesFail && m.primary.unscheduled
        ? { unscheduledSince: m.primary.unscheduled.since }
        : {}),
    };
    const waited = Math.round(
      (now - (input.spot.unscheduledSince ?? now)) / 1000,
    );
    let why = `spot serves again on ${spotOption.title}`;
    if (details.direction === 'fallback') {
      why = details.noticedAt
        ? `a spot reclaim notice on ${spotOption.title}`
        : `spot replicas on ${spotOption.title} found no node for ${waited} s (no spot capacity)`;
    }
    const dryRun = policy.dryRun || policy.arbitrage.mode !== 'enforce';
    const { created } = await actions.request({
      // One change per model, direction and minute, whichever replica asks.
      idempotencyKey: `spot-fallback:${
        model.entityRef
      }:${from}->${to}:${Math.floor(now / 60_000)}`,
      kind: 'spot-fallback',
      entityRef: model.entityRef,
      cluster: target.workload.cluster,
      steps,
      dryRun,
      requestedBy: SPOT_FALLBACK_ACTOR,
      reason: `On-demand stand-in ${from} → ${to} on ${onDemandOption.title}: ${why}. Engine: ${decision.reason}`,
      fallback: details,
    });
    if (!created) return 'unchanged';
    return dryRun ? 'planned' : 'acted';
  }

  /**
   * The stand-in's replicas as its cluster has them now (the fleet's view
   * is as old as the last cluster sync: a change made a pass ago may not
   * be in it yet).
   */
  private async standInNow(
    workload: NonNullable<
      Awaited<ReturnType<ModelTargets['resolve']>>['target']
    >['workload'],
  ): Promise<{ replicas: { desired: number; ready: number } } | undefined> {
    const actuator = await this.options.render.actuators.forCluster(
      workload.cluster,
    );
    const object = await actuator.get(workload.cluster, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: workload.namespace,
      name: fallbackName(workload.name),
    });
    if (!object) return undefined;
    const spec = (object.spec ?? {}) as { replicas?: number };
    const status = (object.status ?? {}) as { readyReplicas?: number };
    return {
      replicas: {
        desired: Number(spec.replicas ?? 1),
        ready: Number(status.readyReplicas ?? 0),
      },
    };
  }

  /** When the latest spot and stand-in pods turned Ready (ms), where the actuator tells. */
  private async readyTimes(
    workload: NonNullable<
      Awaited<ReturnType<ModelTargets['resolve']>>['target']
    >['workload'],
  ): Promise<{ spot?: number; onDemand?: number }> {
    const actuator = await this.options.render.actuators.forCluster(
      workload.cluster,
    );
    if (!actuator.podStarts) return {};
    // The model's selector takes the stand-in's pods too: told apart by name.
    const prefix = `${fallbackName(workload.name)}-`;
    let spot: number | undefined;
    let onDemand: number | undefined;
    for (const p of await actuator.podStarts(workload)) {
      if (!p.readyAt) continue;
      const t = Date.parse(p.readyAt);
      if (p.name.startsWith(prefix)) onDemand = Math.max(onDemand ?? t, t);
      else spot = Math.max(spot ?? t, t);
    }
    return {
      ...(spot !== undefined ? { spot } : {}),
      ...(onDemand !== undefined ? { onDemand } : {}),
    };
  }
}
