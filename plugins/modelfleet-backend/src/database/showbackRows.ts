import { CostPoint } from '@modelfleet/plugin-modelfleet-common';
import { CostRow } from '../engines/showback';

/** Figures of one scope over a period, summed. */
export interface CostSums extends CostPoint {
  busyGpuHours: number | null;
  memUsedMiBHours: number | null;
  metricHours: number | null;
  tokens: number | null;
  requests: number | null;
  spotNodeHours: number;
  nodeHours: number;
}

/** A roll-up row as the store reads it for an in-memory index. */
export interface IndexRow {
  scope: CostRow['scope'];
  entityRef: string;
  teamRef: string;
  /** Pool of a model row; '' for other scopes. */
  poolRef: string;
  costUsd: number;
  idleUsd: number;
  unusedUsd: number;
  gpuHours: number;
  savedGpuHours: number;
  savedUsd: number;
  /** JSON array of the prices used, as stored. */
  provenance: string;
  demo: boolean;
}

/** A stored anomaly. */
export interface AnomalyRow {
  day: string;
  scope: CostRow['scope'];
  entityRef: string;
  teamRef: string;
  costUsd: number;
  baselineUsd: number;
  score: number;
  direction: 'spike' | 'drop';
  notifiedAt?: string;
}

export const num = (v: unknown) =>
  v === null || v === undefined ? null : Number(v);

/** SQL of the summed figures, for the select of a grouped query. */
export const SUMS = [
  'sum(cost_usd) as cost_usd',
  'sum(idle_usd) as idle_usd',
  'sum(unused_usd) as unused_usd',
  'sum(gpu_hours) as gpu_hours',
  'sum(saved_gpu_hours) as saved_gpu_hours',
  'sum(saved_usd) as saved_usd',
  'sum(busy_gpu_hours) as busy_gpu_hours',
  'sum(mem_used_mib_hours) as mem_used_mib_hours',
  'sum(metric_hours) as metric_hours',
  'sum(tokens) as tokens',
  'sum(requests) as requests',
  'sum(spot_node_hours) as spot_node_hours',
  'sum(node_hours) as node_hours',
].join(', ');

export function toSums(r: any, date = ''): CostSums {
  return {
    date: r.day ?? date,
    costUsd: Number(r.cost_usd ?? 0),
    idleUsd: Number(r.idle_usd ?? 0),
    unusedUsd: Number(r.unused_usd ?? 0),
    gpuHours: Number(r.gpu_hours ?? 0),
    savedGpuHours: Number(r.saved_gpu_hours ?? 0),
    savedUsd: Number(r.saved_usd ?? 0),
    busyGpuHours: num(r.busy_gpu_hours),
    memUsedMiBHours: num(r.mem_used_mib_hours),
    metricHours: num(r.metric_hours),
    tokens: num(r.tokens),
    requests: num(r.requests),
    spotNodeHours: Number(r.spot_node_hours ?? 0),
    nodeHours: Number(r.node_hours ?? 0),
  };
}

export function toIndexRow(r: any): IndexRow {
  return {
    scope: r.scope,
    entityRef: r.entity_ref,
    teamRef: r.team_ref,
    poolRef: r.pool_ref,
    costUsd: Number(r.cost_usd),
    idleUsd: Number(r.idle_usd),
    unusedUsd: Number(r.unused_usd ?? 0),
    gpuHours: Number(r.gpu_hours),
    savedGpuHours: Number(r.saved_gpu_hours),
    savedUsd: Number(r.saved_usd),
    provenance: r.provenance,
    demo: Boolean(r.demo),
  };
}

/** The key of a roll-up row, and the columns a new roll-up sets. */
export const KEY = ['scope', 'entity_ref', 'pool_ref', 'day'];
export const FIGURES = [
  'team_ref',
  'cost_usd',
  'idle_usd',
  'unused_usd',
  'gpu_hours',
  'saved_gpu_hours',
  'saved_usd',
  'busy_gpu_hours',
  'mem_used_mib_hours',
  'metric_hours',
  'tokens',
  'requests',
  'spot_node_hours',
  'node_hours',
  'provenance',
  'demo',
];
export const keyOf = (r: {
  scope: string;
  entity_ref: string;
  pool_ref: string;
}) => `${r.scope}\u0000${r.entity_ref}\u0000${r.pool_ref}`;
