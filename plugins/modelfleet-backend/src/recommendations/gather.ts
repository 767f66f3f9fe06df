/*
 * Recommendations from the cost roll-ups (pools whose capacity no model
 * used) and from the rightsizing engine, and their order. Pure: the
 * RecommendationService reads the inputs.
 */
import {
  CostUnallocatedPool,
  GpuPoolStatus,
  poolEntityName,
} from '@modelfleet/plugin-modelfleet-common';
import { RightsizingResult } from '../engines/rightsizing';
import { Finding } from './fromActions';
import { dollars } from './format';
import { recommendationId } from './ids';

/** Days in an average month (365 / 12), to turn a period's cost into a monthly rate. */
export const DAYS_PER_MONTH = 365 / 12;

/** The GpuPool entity ref of a pool, lower case, as cost reports name it. */
export function poolRefOf(p: { cluster: string; name: string }): string {
  return `gpupool:default/${poolEntityName(
    p.cluster,
    p.name,
  )}`.toLocaleLowerCase('en-US');
}

/** Schedulable units on one node of a pool (GPUs, or slices when shared). */
function unitsPerNode(p: GpuPoolStatus): number {
  const share = p.gpu.sharing === 'whole' ? 1 : p.gpu.replicasPerGpu ?? 1;
  return p.gpu.perNode * share;
}

/**
 * Empty capacity: pools with whole nodes that no model's pods use now, and
 * whose capacity no model used over the period (the cost roll-ups'
 * unallocated capacity per pool). The saving is the pool's unallocated
 * cost as a monthly rate, in the share of its free units that whole idle
 * nodes hold (a node with one pod on it cannot go).
 */
export function emptyCapacityRecommendations(input: {
  unallocated: CostUnallocatedPool[];
  /** Days of the period the unallocated cost covers (with data). */
  days: number;
  pools: GpuPoolStatus[];
}): Finding[] {
  if (input.days <= 0) return [];
  const byRef = new Map(input.pools.map(p => [poolRefOf(p), p]));
  const out: Finding[] = [];
  for (const u of input.unallocated) {
    const p = byRef.get(u.entityRef);
    if (!p || p.stale) continue;
    const perNode = unitsPerNode(p);
    const free = Math.max(0, p.gpus.allocatable - p.gpus.allocated);
    const idleNodes = Math.min(
      p.nodes.current,
      perNode > 0 ? Math.floor(free / perNode) : 0,
    );
    if (idleNodes <= 0) continue;
    const monthly = (u.idleUsd / input.days) * DAYS_PER_MONTH;
    const share = Math.min(1, (idleNodes * perNode) / free);
    const saving = monthly * share;
    const empty = p.gpus.allocated === 0;
    const evidence = [
      `${p.name} on ${p.cluster} runs ${p.nodes.current} node(s) of ${p.gpu.perNode} × ${p.gpu.product}; pods request ${p.gpus.allocated} of its ${p.gpus.allocatable} GPU units now, so ${idleNodes} node(s) hold no model's work.`,
      `Over the last ${input.days} days ${dollars(
        u.idleUsd,
      )} of its cost was capacity no model requested (unallocated capacity), ${dollars(
        monthly,
      )} a month.`,
    ];
    if ((p.nodes.min ?? 0) > p.nodes.current - idleNodes) {
      evidence.push(
        `Its minimum of ${p.nodes.min} node(s) keeps them: lower the minimum so its autoscaler can remove them.`,
      );
    }
    out.push({
      id: recommendationId('empty-capacity', { poolRef: u.entityRef }),
      kind: 'empty-capacity',
      subject: { poolRef: u.entityRef },
      title: empty
        ? `Remove the empty pool ${p.name} (${p.cluster})`
        : `Remove ${idleNodes} idle node(s) of ${p.name} (${p.cluster})`,
      monthlySavingUsd: saving,
      disruption: {
        level: 'none',
        podsAffected: 0,
        description: 'no model runs on the nodes that go',
      },
      confidence:
        input.days >= 7
          ? {
              level: 'high',
              reason: `the pool's own cost over ${input.days} days, and its nodes idle now`,
            }
          : {
              level: 'medium',
              reason: `only ${input.days} day(s) of cost roll-ups`,
            },
      evidence,
      source: { type: 'showback', poolRef: u.entityRef, idleNodes },
      applicable: {
        allowed: false,
        reason:
          "No action on the action path changes a pool's size yet: lower the node group's minimum or remove it in its cloud",
      },
    });
  }
  return out;
}

const WHAT = {
  'fewer-replicas': 'Run fewer replicas of',
  'fewer-gpus': 'Give fewer GPUs to each replica of',
  'smaller-gpu': 'Move to a smaller GPU:',
  'gpu-share': 'Serve from a share of a GPU:',
} as const;

/**
 * A model's rightsizing, as one recommendation: its best option, with the
 * others in the evidence. Only fewer replicas can be applied now (a Scale
 * action); the others change where or on what it runs, which a redeploy
 * or a move does.
 */
export function rightsizingRecommendation(
  result: RightsizingResult,
  model: { modelRef: string; teamRef?: string; replicas: number },
): Finding | undefined {
  const [best, ...others] = result.options;
  if (!best) return undefined;
  const u = result.usage;
  const evidence = [
    `${best.evidence}.`,
    `Over ${u.days.toFixed(
      1,
    )} days its GPU utilization was ${u.meanUtilization.toFixed(
      1,
    )} % on average and ${u.p95Utilization.toFixed(1)} % at p95.`,
  ];
  if (others.length) {
    evidence.push(
      `Other options: ${others
        .slice(0, 3)
        .map(
          o =>
            `${o.kind} on ${o.pool} (${o.replicas} replica(s), saves ${dollars(
              o.monthlySavingUsd,
            )} a month)`,
        )
        .join('; ')}.`,
    );
  }
  const fewer = best.kind === 'fewer-replicas';
  const stopped = fewer ? Math.max(0, model.replicas - best.replicas) : 0;
  return {
    id: recommendationId(
      'rightsizing',
      { modelRef: model.modelRef },
      `${best.kind}:${best.pool}`,
    ),
    kind: 'rightsizing',
    subject: {
      modelRef: model.modelRef,
      poolRef: best.pool,
      ...(model.teamRef ? { teamRef: model.teamRef } : {}),
    },
    title: fewer
      ? `${WHAT[best.kind]} ${model.modelRef}: ${best.replicas} instead of ${
          model.replicas
        }`
      : `${WHAT[best.kind]} ${model.modelRef} on ${best.pool}`,
    monthlySavingUsd: best.monthlySavingUsd,
    disruption: fewer
      ? {
          level: 'restart',
          podsAffected: stopped,
          description: `${stopped} replica(s) stop; the others serve its p95 traffic`,
        }
      : {
          level: 'move',
          podsAffected: model.replicas,
          description: `its ${model.replicas} replica(s) are redeployed on ${best.pool}`,
        },
    confidence: {
      level: best.confidence.level,
      reason: best.confidence.reason,
    },
    evidence,
    source: {
      type: 'rightsizing',
      option: best.kind,
      pool: best.pool,
      replicas: best.replicas,
      gpusPerReplica: best.gpusPerReplica,
    },
    applicable: fewer
      ? { allowed: true }
      : {
          allowed: false,
          reason: `A ${best.kind} option changes what the model runs on; the action path cannot apply it yet (redeploy it with the Deploy a model template, or move it)`,
        },
  };
}

/** Largest saving first; ties by kind, then id, so the order is stable. */
export function bySaving(a: Finding, b: Finding): number {
  return (
    b.monthlySavingUsd - a.monthlySavingUsd ||
    a.kind.localeCompare(b.kind) ||
    a.id.localeCompare(b.id)
  );
}
