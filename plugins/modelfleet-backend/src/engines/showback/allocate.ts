import { CostProvenance } from '@modelfleet/plugin-modelfleet-common';
import {
  AllocateDayInput,
  AllocateDayResult,
  CostRow,
  ModelDayMetrics,
  PoolDayUsage,
} from './types';

function emptyRow(
  day: string,
  scope: CostRow['scope'],
  entityRef: string,
  extra: Partial<CostRow> = {},
): CostRow {
  return {
    day,
    scope,
    entityRef,
    teamRef: '',
    poolRef: '',
    costUsd: 0,
    idleUsd: 0,
    unusedUsd: 0,
    gpuHours: 0,
    savedGpuHours: 0,
    savedUsd: 0,
    busyGpuHours: null,
    memUsedMiBHours: null,
    metricHours: null,
    tokens: null,
    requests: null,
    spotNodeHours: 0,
    nodeHours: 0,
    provenance: [],
    demo: false,
    ...extra,
  };
}

const plus = (a: number | null, b: number | null | undefined) =>
  b === undefined || b === null ? a : (a ?? 0) + b;

/** Adds the figures of `from` into `into` (cost, idle, hours, savings, metrics, provenance). */
function accumulate(into: CostRow, from: CostRow) {
  into.costUsd += from.costUsd;
  into.idleUsd += from.idleUsd;
  into.unusedUsd += from.unusedUsd;
  into.gpuHours += from.gpuHours;
  into.savedGpuHours += from.savedGpuHours;
  into.savedUsd += from.savedUsd;
  into.busyGpuHours = plus(into.busyGpuHours, from.busyGpuHours);
  into.memUsedMiBHours = plus(into.memUsedMiBHours, from.memUsedMiBHours);
  into.metricHours = plus(into.metricHours, from.metricHours);
  into.tokens = plus(into.tokens, from.tokens);
  into.requests = plus(into.requests, from.requests);
  into.spotNodeHours += from.spotNodeHours;
  into.nodeHours += from.nodeHours;
  into.demo ||= from.demo;
  for (const p of from.provenance) addProvenance(into.provenance, p);
}

function addProvenance(list: CostProvenance[], p: CostProvenance) {
  if (
    !list.some(
      q =>
        q.source === p.source &&
        q.subject === p.subject &&
        q.observedAt === p.observedAt,
    )
  ) {
    list.push(p);
  }
}

function metricsOf(m: ModelDayMetrics | undefined): Partial<CostRow> {
  return {
    busyGpuHours: m?.busyGpuHours ?? null,
    memUsedMiBHours: m?.memUsedMiBHours ?? null,
    metricHours: m?.metricHours ?? null,
    tokens: m?.tokens ?? null,
    requests: m?.requests ?? null,
  };
}

function summarizeProvenance(list: CostProvenance[]): CostProvenance[] {
  const bySource = new Map<string, CostProvenance[]>();
  for (const p of list) {
    bySource.set(p.source, [...(bySource.get(p.source) ?? []), p]);
  }
  return [...bySource.entries()].map(([source, ps]) =>
    ps.length === 1
      ? ps[0]
      : {
          kind: ps[0].kind,
          source,
          observedAt: ps
            .map(p => p.observedAt)
            .sort()
            .at(-1)!,
          subject: `${ps.length} pools`,
          ...(ps.some(p => p.note)
            ? {
                note: [...new Set(ps.map(p => p.note).filter(Boolean))].join(
                  '; ',
                ),
              }
            : {}),
        },
  );
}

/**
 * Allocated but unused: the part of a model's direct (requested) cost
 * whose GPU time did no work, its direct cost × (1 − busy / requested
 * GPU-hours). 0 without GPU metrics: nothing says the time was idle.
 */
export function unusedCostOf(
  directUsd: number,
  gpuHours: number,
  busyGpuHours: number | null | undefined,
): number {
  if (busyGpuHours === null || busyGpuHours === undefined) return 0;
  if (gpuHours <= 0 || directUsd <= 0) return 0;
  const busy = Math.min(1, Math.max(0, busyGpuHours / gpuHours));
  return directUsd * (1 - busy);
}

/**
 * The price of one GPU unit-hour of a pool on a day, and the GPUs in a
 * unit, that savings are priced with: when the pool had nodes, those its
 * unit-hours are charged at (node price / units per node); on a day
 * without nodes, the node price over the node shape it was sampled with.
 * 0 when neither is known.
 */
function savingUnitOf(
  pool: PoolDayUsage,
  unitPrice: number,
  gpusPerUnit: number,
): { usdPerUnitHour: number; gpusPerUnit: number } {
  if (pool.unitHours > 0) return { usdPerUnitHour: unitPrice, gpusPerUnit };
  const units = pool.unitsPerNode ?? 0;
  if (units <= 0) return { usdPerUnitHour: 0, gpusPerUnit: 0 };
  return {
    usdPerUnitHour: (pool.usdPerNodeHour ?? 0) / units,
    gpusPerUnit: (pool.gpusPerNode ?? 0) / units,
  };
}

/**
 * Allocates one day's pool costs to models, teams, pools and the fleet.
 *
 * A pool costs its node-hours × the node price. Each model on it is charged
 * the GPU units it requested (whole GPUs, MIG slices or time-slices) × the
 * price of a unit (node price / units per node), so fractional GPUs pay
 * their share. What no model requested is idle cost, placed by the policy:
 * kept on the pool (`not-shared`), spread over the pool's models by their
 * cost (`shared-proportionally`), or charged to the platform team
 * (`platform-team`). Idle cost the policy cannot place (a pool without
 * models) stays on the pool: the fleet total is always the sum of the pool
 * costs. When models requested more than the pool offered (an observation
 * out of step), their charges are scaled down to the pool's cost.
 *
 * The two ideas of idle cost stay apart: `idleUsd` is unallocated capacity
 * (what no model requested, or a model's or team's share of it under the
 * policy), `unusedUsd` is allocated but unused (the part of a model's
 * direct cost whose GPU time did no work, by its GPU metrics), summed for
 * teams, pools and the fleet.
 *
 * Hibernation savings: a model's time at zero replicas
 * (`savedUnitHours`, one replica it did not hold, against keeping one
 * replica always on) is priced at the plain unit price of its pool that
 * day (node price / units per node), the price its unit-hours are charged
 * at. It carries no idle share (idle cost pays for capacity no model
 * requested; a model at zero gives back only what it would have
 * requested) and no over-allocation scale-down. A model at zero
 * requests nothing, so it is charged nothing: no direct cost, and no idle
 * share under `shared-proportionally` (shares follow direct cost). A pool
 * without a known price prices no savings (GPU-hours still count), and
 * says so. Savings add up like cost: a team's are its models', a pool's its
 * models', the fleet's its pools'.
 *
 * Pure: no I/O, no clock.
 */
export function allocateDay(input: AllocateDayInput): AllocateDayResult {
  const { day, idleCostPolicy, platformTeamRef } = input;
  if (idleCostPolicy === 'platform-team' && !platformTeamRef) {
    throw new Error(
      "idleCostPolicy 'platform-team' needs platformTeamRef, the Group that pays idle cost",
    );
  }
  const warnings: string[] = [];
  const pools = new Map<string, PoolDayUsage>();
  for (const p of input.pools) {
    if (pools.has(p.poolRef)) {
      throw new Error(`pools: ${p.poolRef} is given twice for ${day}`);
    }
    pools.set(p.poolRef, p);
  }

  const workloadsByPool = new Map<string, typeof input.workloads>();
  for (const w of input.workloads) {
    const list = workloadsByPool.get(w.poolRef);
    if (list) list.push(w);
    else workloadsByPool.set(w.poolRef, [w]);
  }
  const modelRows = new Map<string, CostRow>();
  const poolRows = new Map<string, CostRow>();
  const fleet = emptyRow(day, 'fleet', '');

  for (const pool of pools.values()) {
    const priced = pool.usdPerNodeHour !== null;
    if (!priced && pool.nodeHours > 0) {
      warnings.push(
        `${pool.poolRef}: no price known, its ${pool.gpuHours.toFixed(
          1,
        )} GPU-hours on ${day} are not costed`,
      );
    }
    const poolCost = priced ? pool.nodeHours * pool.usdPerNodeHour! : 0;
    const unitPrice = pool.unitHours > 0 ? poolCost / pool.unitHours : 0; // USD per unit-hour
    const gpusPerUnit = pool.unitHours > 0 ? pool.gpuHours / pool.unitHours : 0;
    const saving = savingUnitOf(pool, unitPrice, gpusPerUnit);
    const onPool = workloadsByPool.get(pool.poolRef) ?? [];
    const savedUnits = onPool.reduce((s, w) => s + (w.savedUnitHours ?? 0), 0);
    if (!priced && savedUnits > 0) {
      warnings.push(
        `${pool.poolRef}: no price known, the ${savedUnits.toFixed(
          1,
        )} GPU unit-hours its models were at zero on ${day} save nothing in dollars`,
      );
    }
    const requestedUnits = onPool.reduce((s, w) => s + w.unitHours, 0);
    // Over-allocation: charge no more than the pool cost.
    const scale =
      requestedUnits > pool.unitHours && requestedUnits > 0
        ? pool.unitHours / requestedUnits
        : 1;
    if (scale < 1) {
      warnings.push(
        `${pool.poolRef}: models requested ${requestedUnits.toFixed(
          1,
        )} GPU unit-hours on ${day}, the pool offered ${pool.unitHours.toFixed(
          1,
        )}; charges scaled to the pool's cost`,
      );
    }
    const direct = onPool.map(w => w.unitHours * scale * unitPrice);
    const directSum = direct.reduce((s, c) => s + c, 0);
    const idle = Math.max(0, poolCost - directSum);

    const poolRow = emptyRow(day, 'pool', pool.poolRef, {
      poolRef: pool.poolRef,
      costUsd: poolCost,
      idleUsd: idle,
      gpuHours: pool.gpuHours,
      spotNodeHours: pool.capacityType === 'spot' ? pool.nodeHours : 0,
      nodeHours: pool.nodeHours,
      provenance: [...pool.provenance],
      demo: pool.demo,
    });
    poolRows.set(pool.poolRef, poolRow);

    onPool.forEach((w, i) => {
      let idleShare = 0;
      if (idleCostPolicy === 'shared-proportionally' && directSum > 0) {
        idleShare = (idle * direct[i]) / directSum;
      }
      const gpuHours = w.unitHours * gpusPerUnit;
      const row = emptyRow(day, 'model', w.modelRef, {
        teamRef: w.teamRef,
        poolRef: pool.poolRef,
        costUsd: direct[i] + idleShare,
        idleUsd: idleShare,
        unusedUsd: unusedCostOf(direct[i], gpuHours, w.metrics?.busyGpuHours),
        gpuHours,
        savedGpuHours: (w.savedUnitHours ?? 0) * saving.gpusPerUnit,
        savedUsd: (w.savedUnitHours ?? 0) * saving.usdPerUnitHour,
        provenance: [...pool.provenance],
        demo: pool.demo,
        ...metricsOf(w.metrics),
      });
      const key = `${w.modelRef}\u0000${pool.poolRef}`;
      const existing = modelRows.get(key);
      if (existing) accumulate(existing, row);
      else modelRows.set(key, row);
      poolRow.savedGpuHours += row.savedGpuHours;
      poolRow.savedUsd += row.savedUsd;
      poolRow.unusedUsd += row.unusedUsd;
      for (const m of [
        'busyGpuHours',
        'memUsedMiBHours',
        'metricHours',
        'tokens',
        'requests',
      ] as const) {
        poolRow[m] = plus(poolRow[m], row[m]);
      }
    });
    accumulate(fleet, { ...poolRow, provenance: poolRow.provenance });
  }

  for (const w of input.workloads) {
    if (pools.has(w.poolRef)) continue;
    const poolName = w.poolRef || '(unknown)';
    if (w.unitHours > 0) {
      warnings.push(
        `${
          w.modelRef
        }: its pool ${poolName} was not observed on ${day}; its ${w.unitHours.toFixed(
          1,
        )} GPU unit-hours are not costed`,
      );
    }
    if ((w.savedUnitHours ?? 0) > 0) {
      warnings.push(
        `${
          w.modelRef
        }: its pool ${poolName} was not observed on ${day}; its ${w.savedUnitHours!.toFixed(
          1,
        )} GPU unit-hours at zero are not counted as savings`,
      );
    }
  }

  // Teams: the sum of their models, plus idle under `platform-team`.
  const teamRows = new Map<string, CostRow>();
  const teamRow = (ref: string) => {
    let row = teamRows.get(ref);
    if (!row) {
      row = emptyRow(day, 'team', ref, { teamRef: ref });
      teamRows.set(ref, row);
    }
    return row;
  };
  for (const row of modelRows.values()) {
    if (row.teamRef) accumulate(teamRow(row.teamRef), row);
  }
  if (idleCostPolicy === 'platform-team') {
    const platform = teamRow(platformTeamRef!);
    for (const pool of poolRows.values()) {
      if (pool.idleUsd <= 0) continue;
      platform.costUsd += pool.idleUsd;
      platform.idleUsd += pool.idleUsd;
      platform.demo ||= pool.demo;
      for (const p of pool.provenance) addProvenance(platform.provenance, p);
    }
  }
  // Teams and the fleet span many pools: their provenance names each price
  // source once, with its newest time and how many pools it priced.
  for (const row of [...teamRows.values(), fleet]) {
    row.provenance = summarizeProvenance(row.provenance);
  }
  const rows = [
    ...modelRows.values(),
    ...teamRows.values(),
    ...poolRows.values(),
    fleet,
  ];
  return { rows, warnings };
}
