import { Knex } from 'knex';
import { PriceBookStore } from '../database/PriceBookStore';
import { PoolSample, WorkloadSample } from '../database/ShowbackStore';
import { parseDay, PoolDayUsage, resolvePoolPrice } from '../engines/showback';
import { ModelLookup } from '../showback/ModelDirectory';
import {
  ChainAction,
  LedgerSample,
  ledgerOfModelDay,
  PreStateWorkload,
} from './counterfactual';
import { poolLedgerRows } from './poolLedger';
import {
  AppliedAction,
  LedgerRow,
  PoolMachine,
  SavingsStore,
  StoredPreWorkload,
} from './SavingsStore';

const DAY_MS = 86_400_000;
/** How long an action counts after it finished. */
export const LEDGER_ACTION_DAYS = 365;
/** How far before an action's start its model's samples are looked for. */
const PRE_STATE_LOOKBACK_MS = 2 * 3_600_000;
const BUNDLED = 'bundled-catalog';

const workloadKey = (w: {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
}) => `${w.cluster}/${w.namespace}/${w.kind}/${w.name}`;

/**
 * The price of a GPU unit-hour of a pool on a day, as showback charges a
 * model's unit-hours and prices hibernation savings: the pool's cost over
 * the unit-hours it offered, or, on a day without nodes, the node price
 * over the units of a node. 0 without a price.
 */
export function showbackUnitPrice(pool: PoolDayUsage): number | undefined {
  if (pool.usdPerNodeHour === null) return undefined;
  if (pool.unitHours > 0) {
    return (pool.nodeHours * pool.usdPerNodeHour) / pool.unitHours;
  }
  const units = pool.unitsPerNode ?? 0;
  return units > 0 ? pool.usdPerNodeHour / units : undefined;
}

/** What the roll-up hands the ledger for one day: what it priced the day with. */
export interface LedgerDayInput {
  day: string;
  samples: { pools: PoolSample[]; workloads: WorkloadSample[] };
  pools: PoolDayUsage[];
  lookup: ModelLookup;
  liveSources: string[];
}

/**
 * Writes the savings ledger of a day, from the samples and prices the
 * showback roll-up used for it (docs/savings.md): called by the roll-up,
 * its rows are written in the transaction that replaces the day's cost
 * rows.
 *
 * @internal
 */
export class SavingsLedger {
  /** Actions whose pre-state is not in the samples, looked for once. */
  private readonly missing = new Set<string>();

  constructor(
    private readonly options: {
      store: SavingsStore;
      /** Samples of the time before an action, for its pre-state. */
      samples: (
        start: Date,
        end: Date,
      ) => Promise<{ pools: PoolSample[]; workloads: WorkloadSample[] }>;
      prices: PriceBookStore;
    },
  ) {}

  /** A day's ledger rows, and what could not be counted. */
  async rowsOfDay(
    input: LedgerDayInput,
  ): Promise<{ rows: LedgerRow[]; warnings: string[] }> {
    const { store } = this.options;
    const dayStart = parseDay(input.day).getTime();
    const dayEnd = dayStart + DAY_MS;
    const actions = await store.appliedActions(
      new Date(dayStart - LEDGER_ACTION_DAYS * DAY_MS),
      new Date(dayEnd),
    );
    if (!actions.length) return { rows: [], warnings: [] };
    // Consolidations save on a pool, not on a model.
    const pooled = poolLedgerRows(
      input,
      actions.filter(a => a.kind === 'consolidate' || a.kind === 'poolMinimum'),
      dayStart,
      dayEnd,
    );

    // The day's samples of the models with actions.
    const byModel = new Map<
      string,
      { teamRef: string; samples: LedgerSample[] }
    >();
    const wanted = new Set(actions.map(a => a.entityRef));
    for (const w of input.samples.workloads) {
      const { modelRef, teamRef } = input.lookup(w);
      if (!wanted.has(modelRef)) continue;
      const m = byModel.get(modelRef) ?? { teamRef, samples: [] };
      m.samples.push({
        workload: workloadKey(w),
        sampledAt: w.sampledAt.getTime(),
        seconds: w.seconds,
        poolRef: w.poolRef,
        replicas: w.replicas,
        unitsPerReplica: w.unitsPerReplica,
      });
      byModel.set(modelRef, m);
    }
    const warnings: string[] = [...pooled.warnings];
    const running = actions.filter(
      a =>
        (a.kind === 'migrate' || a.kind === 'scale') &&
        byModel.has(a.entityRef),
    );
    const pre = await this.preStates(running, input.lookup, warnings);

    const prices = new Map<string, number | undefined>(
      input.pools.map(p => [p.poolRef, showbackUnitPrice(p)]),
    );
    await this.priceOtherPools(
      [...pre.values()].flat(),
      prices,
      new Date(dayEnd),
      input.liveSources,
    );
    const unitPrice = (poolRef: string) => prices.get(poolRef);

    const rows: LedgerRow[] = [...pooled.rows];
    for (const [modelRef, model] of byModel) {
      const mine = running.filter(
        a => a.entityRef === modelRef && pre.has(a.id),
      );
      const chain = mine.map(a => chainAction(a, pre.get(a.id)!));
      const { lines, unknown } = ledgerOfModelDay({
        dayStart,
        dayEnd,
        samples: model.samples,
        actions: chain,
        unitPrice,
      });
      for (const id of unknown) {
        warnings.push(
          `${modelRef}: action ${id} is not counted on ${input.day}: its pre-state or the price of its pool that day is not known`,
        );
      }
      for (const line of lines) {
        const action = mine.find(a => a.id === line.actionId)!;
        rows.push({
          day: input.day,
          actionId: action.id,
          kind: action.kind,
          entityRef: modelRef,
          teamRef: model.teamRef,
          poolRef: line.poolRef,
          summary: summaryOf(action, pre.get(action.id)!),
          appliedAt: action.finishedAt,
          beforeUsd: line.beforeUsd,
          afterUsd: line.afterUsd,
          savedUsd: line.savedUsd,
          hours: line.hours,
        });
      }
    }
    return { rows, warnings };
  }

  /** Writes a day's rows inside the roll-up's transaction. */
  writeDay(tx: Knex.Transaction, day: string, rows: LedgerRow[], at: Date) {
    return this.options.store.writeDay(tx, day, rows, at);
  }

  /**
   * The pre-states of the actions: kept ones, or read now from the
   * samples just before each started (and kept, since samples are pruned).
   */
  private async preStates(
    actions: AppliedAction[],
    lookup: ModelLookup,
    warnings: string[],
  ): Promise<Map<string, StoredPreWorkload[]>> {
    const { store } = this.options;
    const kept = await store.preStates(actions.map(a => a.id));
    for (const a of actions) {
      if (kept.has(a.id) || this.missing.has(a.id)) continue;
      const start = a.startedAt.getTime();
      const { pools, workloads } = await this.options.samples(
        new Date(start - PRE_STATE_LOOKBACK_MS),
        new Date(start + 1),
      );
      const latest = new Map<string, WorkloadSample>();
      for (const w of workloads) {
        if (lookup(w).modelRef !== a.entityRef) continue;
        const key = workloadKey(w);
        const had = latest.get(key);
        if (!had || had.sampledAt <= w.sampledAt) latest.set(key, w);
      }
      if (!latest.size) {
        this.missing.add(a.id);
        warnings.push(
          `${a.entityRef}: no sample of the model before action ${a.id} started; its saving is not counted`,
        );
        continue;
      }
      const machines = new Map<string, PoolSample>();
      for (const p of pools) {
        const had = machines.get(p.poolRef);
        if (!had || had.sampledAt <= p.sampledAt) machines.set(p.poolRef, p);
      }
      const state: StoredPreWorkload[] = [...latest.entries()].map(
        ([key, w]) => {
          const p = machines.get(w.poolRef);
          return {
            workload: key,
            poolRef: w.poolRef,
            replicas: w.replicas,
            unitsPerReplica: w.unitsPerReplica,
            ...(p ? { machine: machineOf(p) } : {}),
          };
        },
      );
      await store.keepPreState(a.id, a.startedAt, state);
      kept.set(a.id, state);
    }
    return kept;
  }

  /** Prices, as of the day, the pre-state pools the day's samples did not see. */
  private async priceOtherPools(
    workloads: StoredPreWorkload[],
    prices: Map<string, number | undefined>,
    dayEnd: Date,
    liveSources: string[],
  ): Promise<void> {
    for (const w of workloads) {
      if (prices.has(w.poolRef) || !w.machine) continue;
      const m = w.machine;
      const quotes = await this.options.prices.historyOf(m.provider, m.region, [
        m.instanceType,
      ]);
      const price = resolvePoolPrice(
        { poolRef: w.poolRef, ...m },
        quotes,
        dayEnd,
        { bundledSource: BUNDLED, liveSources },
      );
      prices.set(
        w.poolRef,
        price.usdPerNodeHour !== null && m.unitsPerNode > 0
          ? price.usdPerNodeHour / m.unitsPerNode
          : undefined,
      );
    }
  }
}

function machineOf(p: PoolSample): PoolMachine {
  return {
    provider: p.provider,
    region: p.region,
    zone: p.zone,
    instanceType: p.instanceType,
    capacityType: p.capacityType,
    gpusPerNode: p.gpusPerNode,
    unitsPerNode: p.unitsPerNode,
  };
}

/** The scale step of an action: the workload it scaled and to how many. */
function scaleStepOf(a: AppliedAction) {
  for (const step of a.steps) {
    if (step.do.op === 'scale') return step.do;
  }
  return undefined;
}

function chainAction(a: AppliedAction, pre: PreStateWorkload[]): ChainAction {
  const step = a.kind === 'scale' ? scaleStepOf(a) : undefined;
  return {
    id: a.id,
    kind: a.kind === 'scale' ? 'scale' : 'migrate',
    startedAt: a.startedAt.getTime(),
    finishedAt: a.finishedAt.getTime(),
    pre: pre.map(w => ({
      workload: w.workload,
      poolRef: w.poolRef,
      replicas: w.replicas,
      unitsPerReplica: w.unitsPerReplica,
    })),
    ...(step
      ? {
          scale: {
            workload: workloadKey(step.workload),
            replicas: step.replicas,
          },
        }
      : {}),
  };
}

/** What an action changed, in words. */
export function summaryOf(a: AppliedAction, pre: PreStateWorkload[]): string {
  if (a.kind === 'migrate') {
    return a.details
      ? `Moved from ${a.details.from.title} to ${a.details.to.title}`
      : 'Moved to another pool';
  }
  const step = scaleStepOf(a);
  if (!step) return 'Scaled';
  const before = pre.find(w => w.workload === workloadKey(step.workload));
  const n = step.replicas;
  return `${before ? `${before.replicas} → ` : 'To '}${n} replica${
    n === 1 ? '' : 's'
  }`;
}
