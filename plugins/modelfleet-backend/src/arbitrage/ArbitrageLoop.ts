import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ACTION_STATES,
  ActionState,
  FALLBACK_ROLE,
  FINAL_ACTION_STATES,
  PlatformPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import { FleetStateStore } from '../database/FleetStateStore';
import { Opportunity } from '../engines/arbitrage/opportunities';
import { waitsForMaintenance } from '../engines/hibernation/windows';
import { PolicyService } from '../policy/PolicyService';
import { ModelDirectory } from '../showback/ModelDirectory';
import { ArbitrageReports } from './ArbitrageReports';
import { bestMove } from './bestMove';
import { Migrations, MigrationsOptions } from './Migrations';
import { Outcome, Tally } from './arbitrageTally';
import { StoredAction } from '../database/ActionStore';

/** Id of the arbitrage loop. */
export const ARBITRAGE_TASK_ID = 'modelfleet-arbitrage';

/** Who the arbitrage loop's moves are requested by. */
export const ARBITRAGE_ACTOR = 'policy:arbitrage';

const DAY_MS = 86_400_000;

/** States of an action still under way (not final): the model is busy. */
const UNFINISHED: ActionState[] = ACTION_STATES.filter(
  s => !FINAL_ACTION_STATES.includes(s),
);

/**
 * Moves counted against a team's `maxMigrationsPerDay`: every one stored
 * in the last 24 h, by the loop or a person, dry-run or not, whatever
 * became of it, except those cancelled: only a planned action can be
 * cancelled, so a cancelled move never reached a cluster (a declined
 * recommendation, mostly).
 */
const COUNTED: ActionState[] = ACTION_STATES.filter(s => s !== 'cancelled');

/** Options of {@link ArbitrageLoop}. */
export interface ArbitrageLoopOptions {
  fleet: Pick<FleetStateStore, 'listWorkloads'>;
  directory: ModelDirectory;
  policies: Pick<PolicyService, 'effective'>;
  reports: Pick<ArbitrageReports, 'report'>;
  migrations: Pick<Migrations, 'request'>;
  /** Lists stored actions, newest first, and cancels the loop's stale recommendations (the `ActionService`). */
  actions: Pick<MigrationsOptions['actions'], 'list'> & {
    cancel(id: string, by: string): Promise<StoredAction>;
  };
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  logger: LoggerService;
  now?: () => Date;
}

/** A model with a move worth making, before the window and the limit. */
interface Candidate {
  ref: string;
  teamRef: string;
  policy: PlatformPolicy;
  running: boolean;
  opportunity: Opportunity;
}

/** A deployed model with a team, as the fleet's workloads show it. */
interface FleetModel {
  teamRef: string;
  /** Any of its workloads wants or has replicas: a move disrupts it. */
  running: boolean;
  /** Its on-demand stand-in serves (the spot fallback): it stays put. */
  fallingBack: boolean;
}

/** The loop's own move, waiting at `planned` for a person's Approve. */
const isOwnRecommendation = (a: StoredAction | undefined): a is StoredAction =>
  a !== undefined &&
  a.kind === 'migrate' &&
  a.state === 'planned' &&
  a.dryRun &&
  a.requestedBy === ARBITRAGE_ACTOR;

/** The loop acts as the backend itself: nothing to check per model. */
const allowAll = async () => undefined;

/**
 * The arbitrage loop (global, one pass at a time across replicas): for each
 * deployed Model with a team whose `arbitrage.mode` is not `off` and which
 * has no action under way, reads its what-if (`ArbitrageReports`) and takes
 * the best move that clears the team's policy (to a pool of its own cluster,
 * rolled over in place, or of another cluster). Moves are made in order of
 * their monthly saving, at most the team's `maxMigrationsPerDay` in any
 * 24 h, and stored on the action path (`Migrations`, make-before-break):
 * under `enforce` to run, waiting for one of the team's maintenance
 * windows when the model runs; under `recommend`, or the team's `dryRun`,
 * dry-run, waiting at `planned` for a person's Approve. One idempotency key
 * per model, target pool and UTC day: passes on several replicas, or again
 * the same day, store one move.
 */
export class ArbitrageLoop {
  constructor(private readonly options: ArbitrageLoopOptions) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** One pass over the fleet; returns a line for the task's run record. */
  async run(): Promise<string> {
    const { auth, logger } = this.options;
    const now = this.now();
    const credentials = await auth.getOwnServiceCredentials();
    const models = await this.fleetModels();
    const tally = new Tally();
    const fail = (ref: string, e: unknown) => {
      tally.add('failed');
      tally.problems.push(`${ref}: ${(e as Error)?.message ?? e}`);
    };

    const candidates: Candidate[] = [];
    for (const [ref, model] of [...models].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      try {
        const c = await this.consider(ref, model, credentials);
        if ('skip' in c) {
          tally.add(c.skip);
          logger.debug(`Arbitrage: ${ref}: ${c.why}`);
        } else {
          candidates.push(c);
        }
      } catch (e) {
        fail(ref, e);
      }
    }

    // The biggest saving first: a team's daily moves go where they pay most.
    candidates.sort(
      (a, b) =>
        b.opportunity.savingUsdPerMonth - a.opportunity.savingUsdPerMonth ||
        a.ref.localeCompare(b.ref),
    );
    const movesToday = new Map<string, number>();
    for (const c of candidates) {
      try {
        const outcome = await this.act(c, models, movesToday, now, credentials);
        tally.add(outcome.outcome);
        if (outcome.outcome === 'limited') {
          tally.limits.set(c.teamRef, c.policy.arbitrage.maxMigrationsPerDay);
        }
        logger.info(`Arbitrage: ${c.ref}: ${outcome.message}`);
      } catch (e) {
        fail(c.ref, e);
      }
    }
    for (const p of tally.problems) logger.warn(`Arbitrage: ${p}`);
    return tally.summary(models.size);
  }

  /** Each deployed Model with a team, and whether it runs now. */
  private async fleetModels(): Promise<Map<string, FleetModel>> {
    const workloads = await this.options.fleet.listWorkloads();
    // With workloads to map, an empty catalog is one still starting up:
    // the lookup waits for it (the first pass comes a minute after start).
    const lookup = await this.options.directory.lookup({
      expectModels: workloads.length > 0,
    });
    const models = new Map<string, FleetModel>();
    for (const w of workloads) {
      if (w.kind !== 'Deployment' && w.kind !== 'StatefulSet') continue;
      const { modelRef, teamRef } = lookup(w);
      if (!teamRef) continue;
      const m = models.get(modelRef) ?? {
        teamRef,
        running: false,
        fallingBack: false,
      };
      // A moved model keeps its old workload, parked at zero.
      m.running ||= w.replicas.desired > 0 || w.replicas.ready > 0;
      // Its on-demand stand-in serves (spot companions do not hold a move:
      // they are drained with it).
      m.fallingBack ||= w.role === FALLBACK_ROLE && w.replicas.desired > 0;
      models.set(modelRef, m);
    }
    return models;
  }

  /** Whether a model has a move worth making now, or why it has none. */
  private async consider(
    ref: string,
    model: FleetModel,
    credentials: BackstageCredentials,
  ): Promise<Candidate | { skip: Outcome; why: string }> {
    const policy = this.policyOf(model.teamRef);
    if (policy.arbitrage.mode === 'off') {
      return { skip: 'off', why: "arbitrage is off in the team's policy" };
    }
    const [busy] = await this.options.actions.list({
      entityRef: ref,
      states: UNFINISHED,
      limit: 1,
    });
    // The loop's own move awaiting approval is decided again below.
    const awaiting = isOwnRecommendation(busy) ? busy : undefined;
    if (busy && !awaiting) {
      return {
        skip: 'busy',
        why: `waits: ${busy.kind} action ${busy.id} is ${busy.state}`,
      };
    }
    if (model.fallingBack) {
      return {
        skip: 'busy',
        why: 'waits: its on-demand stand-in serves until spot returns',
      };
    }
    const { namespace, name } = parseEntityRef(ref);
    const report = await this.options.reports.report(
      namespace,
      name,
      credentials,
      allowAll,
    );
    if (report.missing) return { skip: 'unpriced', why: report.missing };
    const best = bestMove(report);
    if (awaiting) {
      // Kept while it still is the best move; withdrawn (cancelled) once
      // it is not, so a person never approves a stale plan.
      if (best.opportunity?.to.pool === awaiting.details?.to.pool) {
        return {
          skip: 'busy',
          why: `waits for approval: action ${awaiting.id}`,
        };
      }
      await this.options.actions.cancel(awaiting.id, ARBITRAGE_ACTOR);
      if (!best.opportunity) {
        return {
          skip: 'withdrawn',
          why: `withdrew action ${awaiting.id}, no longer worth it: ${best.reason}`,
        };
      }
    }
    if (!best.opportunity) return { skip: 'noMove', why: best.reason };
    return { ref, ...model, policy, opportunity: best.opportunity };
  }

  /** Stores a candidate's move, unless its window or its team's limit holds it. */
  private async act(
    c: Candidate,
    models: Map<string, FleetModel>,
    movesToday: Map<string, number>,
    now: Date,
    credentials: BackstageCredentials,
  ): Promise<{ outcome: Outcome; message: string }> {
    const { mode, maxMigrationsPerDay } = c.policy.arbitrage;
    const enforce = mode === 'enforce' && !c.policy.dryRun;
    const o = c.opportunity;
    // Make-before-break still switches a running model's traffic.
    const waits = c.running
      ? waitsForMaintenance(c.policy.maintenanceWindows, now.getTime())
      : undefined;
    if (enforce && waits) {
      return { outcome: 'waits', message: `${waits}; the move: ${o.reason}` };
    }
    let used = movesToday.get(c.teamRef);
    if (used === undefined) {
      const team = [...models]
        .filter(([, m]) => m.teamRef === c.teamRef)
        .map(([ref]) => ref);
      used = await this.countMoves(team, maxMigrationsPerDay, now);
      movesToday.set(c.teamRef, used);
    }
    if (used >= maxMigrationsPerDay) {
      return {
        outcome: 'limited',
        message: `held: ${c.teamRef} made ${used} move(s) in the last 24 h, its limit is ${maxMigrationsPerDay} a day; the move: ${o.reason}`,
      };
    }
    const { namespace, name } = parseEntityRef(c.ref);
    const { action, created } = await this.options.migrations.request(
      namespace,
      name,
      {
        pool: o.to.pool,
        dryRun: !enforce,
        requestedBy: ARBITRAGE_ACTOR,
        reason: `arbitrage policy (${mode}${
          c.policy.dryRun ? ', dry-run team' : ''
        }): ${o.reason}${
          !enforce && waits
            ? `; outside the team's maintenance windows now (an enforced move ${waits})`
            : ''
        }`,
        idempotencyKey: `arbitrage:${c.ref}:${o.to.pool}:${now
          .toISOString()
          .slice(0, 10)}`,
      },
      credentials,
      allowAll,
    );
    if (!created) {
      return {
        outcome: 'asked',
        message: `action ${action.id} (${action.state}) asked for this move today already`,
      };
    }
    movesToday.set(c.teamRef, used + 1);
    return {
      outcome: enforce ? 'moved' : 'recommended',
      message: `${enforce ? 'stored' : 'recommended'} action ${action.id}: ${
        action.reason
      }`,
    };
  }

  /**
   * The team's moves stored in the last 24 h (see `COUNTED`), over the
   * models the pass found; counted up to `max`, all the limit needs.
   */
  private async countMoves(
    refs: string[],
    max: number,
    now: Date,
  ): Promise<number> {
    const since = now.getTime() - DAY_MS;
    let n = 0;
    for (const entityRef of refs) {
      if (n >= max) break;
      const moves = await this.options.actions.list({
        entityRef,
        kinds: ['migrate'],
        states: COUNTED,
        limit: max,
      });
      n += moves.filter(a => Date.parse(a.createdAt) > since).length;
    }
    return n;
  }

  private policyOf(teamRef: string): PlatformPolicy {
    try {
      return this.options.policies.effective(teamRef || undefined).policy;
    } catch {
      return this.options.policies.effective().policy;
    }
  }
}
