import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { PlatformPolicy } from '@modelfleet/plugin-modelfleet-common';
import {
  MetricsSource,
  MetricsWindow,
} from '@modelfleet/plugin-modelfleet-node';
import { ActionService } from '../actions/ActionService';
import { ModelTargets, ResolvedModel } from '../actions/ModelTargets';
import { ActuatorDirectory } from '../actions/types';
import { FleetStateStore } from '../database/FleetStateStore';
import { HibernationStore } from '../database/HibernationStore';
import { ModelDirectory } from '../showback/ModelDirectory';
import { PolicyService } from '../policy/PolicyService';
import {
  BusyInterval,
  busyIntervalsOf,
  learnKeepAlives,
  mergeBusySpans,
  LearnedIdle,
  ModelHistory,
} from '../engines/hibernation/history';
import { percentile } from '../engines/hibernation/wakes';
import { actOn, HIBERNATION_ACTOR, observe } from './modelPass';

/** Id of the hibernation loop. */
export const HIBERNATION_TASK_ID = 'modelfleet-hibernation';

/** Settings of the hibernation loop (`modelfleet.hibernation`). */
export interface HibernationSettings {
  /** Hours of request history each pass learns from. */
  historyHours: number;
  /** Resolution of that history, in seconds. */
  stepSeconds: number;
  /** A model's load time before any wake of its own was timed, in seconds. */
  defaultLoadSeconds: number;
}

/** One model the pass works on. */
export interface PassModel {
  resolved: ResolvedModel;
  policy: PlatformPolicy;
  history: ModelHistory;
  /** The annotations of its workload. */
  workloadAnnotations: Record<string, string>;
  /** What one cold start is worth avoiding, in idle GPU-seconds. */
  penaltySeconds: number;
}

/**
 * The hibernation loop (global, one pass at a time across replicas): for
 * each deployed Model, reads its request history from the metrics sources,
 * learns its keep-alive and pre-warm with the adaptive engine (its own
 * gaps, the fleet's as a prior, its wake time and the team's price of a
 * cold start), decides with `decideHibernation`, and turns the decision
 * into an action on the action path: set the keep-alive on its KEDA
 * autoscaler, take it to zero, or wake it ahead of demand or for a
 * schedule. `recommend` stores the action dry-run (it waits for approval),
 * as does the team's `dryRun`; `off` and `modelfleet.io/hibernation:
 * disabled` leave the model alone. It also times each wake from zero.
 */
export class HibernationLoop {
  constructor(
    private readonly options: {
      fleet: FleetStateStore;
      directory: ModelDirectory;
      targets: ModelTargets;
      actuators: ActuatorDirectory;
      metrics: () => MetricsSource[];
      policies: PolicyService;
      actions: ActionService;
      store: HibernationStore;
      auth: AuthService;
      settings: HibernationSettings;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** One pass over the fleet; returns a line for the task's run record. */
  async run(): Promise<string> {
    const { fleet, directory, targets, auth, logger } = this.options;
    const now = this.now().getTime();
    const credentials = await auth.getOwnServiceCredentials();
    const lookup = await directory.lookup();
    // Each Model with a team, and the model id its metrics are labelled with.
    const refs = new Map<string, string>();
    for (const w of await fleet.listWorkloads()) {
      if (w.kind !== 'Deployment' && w.kind !== 'StatefulSet') continue;
      const { modelRef, teamRef } = lookup(w);
      if (teamRef && !refs.has(modelRef)) refs.set(modelRef, w.modelId);
    }
    const models: PassModel[] = [];
    const problems: string[] = [];
    for (const [ref, modelId] of [...refs].sort()) {
      try {
        const m = await this.gather(ref, modelId, credentials, now, targets);
        if (m) models.push(m);
      } catch (e) {
        problems.push(`${ref}: ${(e as Error).message}`);
      }
    }
    const learned = this.learn(models, now);
    const counts = { acted: 0, recommended: 0, unchanged: 0 };
    for (const m of models) {
      try {
        const outcome = await actOn({
          model: m,
          learned: learned.get(m.history.model) ?? { intervals: 0 },
          now,
          store: this.options.store,
          actions: this.options.actions,
        });
        counts[outcome] += 1;
      } catch (e) {
        problems.push(`${m.resolved.entityRef}: ${(e as Error).message}`);
      }
    }
    for (const p of problems) logger.warn(`Hibernation: ${p}`);
    return `${models.length} model(s): ${counts.acted} acted on, ${
      counts.recommended
    } recommended, ${counts.unchanged} left as they are${
      problems.length ? `; ${problems.length} could not be read` : ''
    }`;
  }

  /** A model's target, policy and request history; times its wakes. */
  private async gather(
    ref: string,
    modelId: string,
    credentials: BackstageCredentials,
    now: number,
    targets: ModelTargets,
  ): Promise<PassModel | undefined> {
    const { namespace, name } = parseEntityRef(ref);
    const resolved = await targets.resolve(namespace, name, credentials);
    if (!resolved.target) return undefined;
    let policy: PlatformPolicy;
    try {
      policy = this.options.policies.effective(
        resolved.teamRef || undefined,
      ).policy;
    } catch {
      policy = this.options.policies.effective().policy;
    }
    const workloadAnnotations = await observe({
      resolved,
      now,
      store: this.options.store,
      actuators: this.options.actuators,
      actions: this.options.actions,
    });
    const { settings } = this.options;
    const w = resolved.target.workload;
    // On the step's grid, so that every pass sees the same busy steps and
    // a learned pre-warm time does not move from one pass to the next.
    const stepMs = settings.stepSeconds * 1000;
    const end = Math.floor(now / stepMs) * stepMs;
    const window = {
      start: new Date(end - settings.historyHours * 3_600_000),
      end: new Date(end),
      stepSeconds: settings.stepSeconds,
    };
    const intervals = await busyHistory(
      this.options.metrics(),
      { modelId, cluster: w.cluster, namespace: w.namespace },
      window,
    );
    // The model's wake time: the median of its timed wakes, else the default.
    const timed = (
      await this.options.store.wakes(
        resolved.entityRef,
        new Date(now - 30 * 86_400_000),
        new Date(now + 1),
        20,
      )
    )
      .map(x => x.seconds)
      .filter((s): s is number => s !== undefined);
    const fromZero = percentile(timed, 50) ?? settings.defaultLoadSeconds;
    const penalty = policy.hibernation.coldStartPenaltyMinutes * 60;
    // The sleep tier wakes in seconds: that is its wake's cost, and a user
    // waits that long instead of a load, so a wake is worth avoiding in
    // that proportion (the price is of a user's wait).
    const sleep = resolved.target.engine
      ? Math.min(policy.hibernation.sleepWakeSeconds, fromZero)
      : undefined;
    const loadSeconds = sleep ?? fromZero;
    return {
      resolved,
      policy,
      workloadAnnotations,
      penaltySeconds:
        sleep === undefined ? penalty : (penalty * sleep) / fromZero,
      history: {
        model: resolved.entityRef,
        intervals,
        cost: {
          loadSeconds,
          ...(sleep === undefined ? {} : { restsAt: 'sleep' as const }),
        },
      },
    };
  }

  /** Learns every model's keep-alive, models of one cold-start price together. */
  private learn(models: PassModel[], now: number): Map<string, LearnedIdle> {
    const byPenalty = new Map<number, ModelHistory[]>();
    for (const m of models) {
      const penalty = m.penaltySeconds;
      byPenalty.set(penalty, [...(byPenalty.get(penalty) ?? []), m.history]);
    }
    const out = new Map<string, LearnedIdle>();
    for (const [penalty, histories] of byPenalty) {
      const learned = learnKeepAlives(
        histories,
        now,
        this.options.settings.stepSeconds,
        { coldStartPenaltySeconds: penalty },
      );
      for (const [k, v] of learned) out.set(k, v);
    }
    return out;
  }
}

export { HIBERNATION_ACTOR };

/**
 * A model's busy intervals over the window, from the first source that
 * knows them: exact, where a source sees each request's arrival (its
 * `busySpans`; gaps under the step bridged), else from its request rate
 * at the window's step.
 */
async function busyHistory(
  sources: MetricsSource[],
  model: { modelId: string; cluster: string; namespace: string },
  window: MetricsWindow,
): Promise<BusyInterval[]> {
  for (const source of sources) {
    const spans = await source.busySpans?.(model, window);
    if (spans?.length) return mergeBusySpans(spans, window.stepSeconds);
    const series = await source.query('requestsPerSecond', model, window);
    const points = series.flatMap(s => s.points);
    if (points.length) return busyIntervalsOf(points, window.stepSeconds);
  }
  return [];
}
