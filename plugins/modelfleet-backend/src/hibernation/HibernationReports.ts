import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ModelHibernationReport,
  PlatformPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelTargets } from '../actions/ModelTargets';
import { HibernationStore } from '../database/HibernationStore';
import { parseDay } from '../engines/showback';
import { percentile, stateOfModel } from '../engines/hibernation/wakes';
import { PolicyService } from '../policy/PolicyService';
import { CostQuery, CostReportService } from '../showback/CostReportService';

/** Wakes listed in a report (all of the period count in its figures). */
const LISTED_WAKES = 50;

/**
 * A model's hibernation over a period, for the Model page: its state now
 * (read from the cluster), what the hibernation loop learned and decided
 * at its last pass, its wakes from zero and their times, and the saving of
 * its time at zero, which is its cost report's (one figure on every
 * screen).
 */
export class HibernationReports {
  constructor(
    private readonly options: {
      targets: ModelTargets;
      store: HibernationStore;
      policies: PolicyService;
      costs: CostReportService;
    },
  ) {}

  async report(
    namespace: string,
    name: string,
    query: CostQuery,
    credentials: BackstageCredentials,
    /** Throws when the caller may not see the model's costs. */
    authorize: (entityRef: string) => Promise<void>,
  ): Promise<ModelHibernationReport> {
    const model = await this.options.targets.resolve(
      namespace,
      name,
      credentials,
    );
    await authorize(model.entityRef);
    const policy = this.policyOf(model.teamRef);
    // Days as the cost reports take them: from `from` up to `to`, excluded.
    const from = parseDay(query.from);
    const to = parseDay(query.to);
    const [record, wakes, cost] = await Promise.all([
      this.options.store.get(model.entityRef),
      this.options.store.wakes(model.entityRef, from, to),
      this.options.costs.cost('model', model.entityRef, query),
    ]);
    const timed = wakes
      .map(w => w.seconds)
      .filter((s): s is number => s !== undefined);
    const t = model.target;
    const a = t?.autoscaler;
    return {
      entityRef: model.entityRef,
      from: query.from,
      to: query.to,
      mode: policy.hibernation.mode,
      dryRun: policy.dryRun || policy.hibernation.mode === 'recommend',
      demo: cost.demo,
      ...(t
        ? { state: stateOfModel(t.replicas, t.engine), replicas: t.replicas }
        : {}),
      ...(t?.engine
        ? {
            idleTier: 'sleep' as const,
            sleepWakeSeconds: policy.hibernation.sleepWakeSeconds,
          }
        : {}),
      ...(a
        ? {
            autoscaler: {
              cluster: a.cluster,
              namespace: a.namespace,
              kind: a.kind,
              name: a.name,
              keepAliveSeconds: a.keepAliveSeconds ?? 300,
            },
          }
        : {}),
      ...(record
        ? {
            keepAlive: {
              seconds: record.keepAliveSeconds,
              reason: record.keepAliveReason,
            },
            decision: record.decision,
            ...(record.nextChange &&
            Date.parse(record.nextChange.at) > Date.now()
              ? { nextChange: record.nextChange }
              : {}),
          }
        : {}),
      wakes: wakes.slice(0, LISTED_WAKES).map(w => ({
        startedAt: w.startedAt,
        ...(w.readyAt ? { readyAt: w.readyAt } : {}),
        ...(w.seconds !== undefined ? { seconds: w.seconds } : {}),
        cold: w.cold,
      })),
      coldStarts: wakes.filter(w => w.cold).length,
      wakeSeconds: {
        p50: percentile(timed, 50),
        p95: percentile(timed, 95),
      },
      savings: {
        gpuHours: cost.total.savedGpuHours,
        usd: cost.total.savedUsd,
      },
      ...(model.missing ? { missing: model.missing } : {}),
    };
  }

  private policyOf(teamRef: string): PlatformPolicy {
    try {
      return this.options.policies.effective(teamRef || undefined).policy;
    } catch {
      // An owner that is not a Group: the defaults apply.
      return this.options.policies.effective().policy;
    }
  }
}
