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
import { NodePoolSize } from '@modelfleet/plugin-modelfleet-node';
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

/** What a provider calls a pool of nodes, and where its size is set. */
const CLOUD_POOLS: Record<
  GpuPoolStatus['provider'],
  { pool: string; where: string; key?: string }
> = {
  aws: {
    key: 'aws',
    pool: 'EKS node group',
    where: 'in AWS (the EKS console, or aws eks update-nodegroup-config)',
  },
  gcp: {
    key: 'gcp',
    pool: 'GKE node pool',
    where:
      'in Google Cloud (the GKE console, or gcloud container node-pools update)',
  },
  azure: {
    key: 'azure',
    pool: 'AKS agent pool',
    where: 'in Azure (the AKS portal, or az aks nodepool update)',
  },
  other: { pool: 'node pool', where: 'where the cluster is run' },
};

/**
 * What a platform engineer does about a pool's idle nodes when no
 * node-pool API of ModelFleet manages its cluster, or its minimum already
 * lets them go: the pool's minimum size is lowered on its cloud, and its
 * cluster autoscaler removes them.
 */
export function resizeAdvice(p: GpuPoolStatus, idleNodes: number): string {
  const cloud = CLOUD_POOLS[p.provider] ?? CLOUD_POOLS.other;
  const pool = `the ${cloud.pool} ${p.name} of cluster ${p.cluster}`;
  const keep = p.nodes.current - idleNodes;
  const min = p.nodes.min;
  const one = idleNodes === 1;
  const nodes = one ? 'the idle node' : `the ${idleNodes} idle nodes`;
  const them = one ? 'it' : 'them';
  const head = `No node-pool API of ModelFleet manages cluster ${p.cluster}${
    cloud.key ? ` (modelfleet.${cloud.key}.nodePools)` : ''
  }`;
  if (min === undefined) {
    return `${head}: if the minimum size of ${pool} keeps ${nodes}, lower it to ${keep} ${cloud.where}; its cluster autoscaler then removes ${them}`;
  }
  if (min > keep) {
    return `${head}: lower the minimum size of ${pool} from ${min} to ${keep} ${
      cloud.where
    }; its cluster autoscaler then removes ${nodes}${
      keep === 0 ? ' (or delete the pool if no model is to run on it)' : ''
    }`;
  }
  return `${head}: its minimum size (${min}) already lets ${nodes} go, so its cluster autoscaler should remove ${them}; if ${
    one ? 'it stays' : 'they stay'
  }, look at the autoscaler's scale-down settings for ${pool} ${cloud.where}`;
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
  /**
   * Clusters consolidation covers: of their pools only the whole empty
   * ones are listed here; consolidation lists the idle nodes of the others.
   */
  consolidated?: ReadonlySet<string>;
  /**
   * The pools' size bounds as their clouds' node-pool APIs say now, by
   * GpuPool ref: a pool here whose minimum keeps its idle nodes is
   * applicable (Apply lowers the minimum); one not here is not.
   */
  sizes?: ReadonlyMap<string, NodePoolSize>;
}): Finding[] {
  if (input.days <= 0) return [];
  const byRef = new Map(input.pools.map(p => [poolRefOf(p), p]));
  const out: Finding[] = [];
  for (const u of input.unallocated) {
    const p = byRef.get(u.entityRef);
    if (!p || p.stale) continue;
    if (input.consolidated?.has(p.cluster) && p.gpus.allocated > 0) continue;
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
    const size = input.sizes?.get(u.entityRef);
    const min = size?.min ?? p.nodes.min;
    const keep = p.nodes.current - idleNodes;
    const minimum =
      size && size.min > keep
        ? { from: size.min, to: Math.max(0, keep) }
        : undefined;
    if ((min ?? 0) > keep) {
      evidence.push(
        minimum
          ? `Its minimum of ${min} node(s) keeps them: Apply lowers it to ${minimum.to} through its cloud's node-pool API, and its cluster autoscaler then removes them.`
          : `Its minimum of ${min} node(s) keeps them: lower the minimum so its autoscaler can remove them.`,
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
      source: {
        type: 'showback',
        poolRef: u.entityRef,
        idleNodes,
        cluster: p.cluster,
        pool: p.name,
        ...(minimum ? { minimum } : {}),
      },
      applicable: minimum
        ? { allowed: true }
        : {
            allowed: false,
            reason: resizeAdvice(
              size ? { ...p, nodes: { ...p.nodes, min: size.min } } : p,
              idleNodes,
            ),
          },
    });
  }
  return out;
}

/** Largest saving first; ties by kind, then id, so the order is stable. */
export function bySaving(a: Finding, b: Finding): number {
  return (
    b.monthlySavingUsd - a.monthlySavingUsd ||
    a.kind.localeCompare(b.kind) ||
    a.id.localeCompare(b.id)
  );
}
